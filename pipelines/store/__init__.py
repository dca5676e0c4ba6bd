"""The only module that talks to DuckDB. Schema lives in numbered `.sql` migrations."""

from pipelines.store.warehouse import Warehouse, WarehouseBusy, WarehouseError

__all__ = ["Warehouse", "WarehouseBusy", "WarehouseError"]
