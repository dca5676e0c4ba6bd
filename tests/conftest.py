import os
from pathlib import Path

import pytest

from pipelines.ingest import IngestOptions, ingest_file
from pipelines.store import Warehouse

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SHARED_DATA = Path(os.environ.get("VOC_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def wh():
    with Warehouse() as warehouse:
        yield warehouse


@pytest.fixture
def options():
    return IngestOptions(salt="test-salt", timezone="UTC", company_handles=["OrbitaCare"],
                         company_ids=["1500000000000000001"])


@pytest.fixture
def ingest(wh, options, tmp_path):
    """Write `content` to a file called `name` and ingest it; returns the FileReport."""

    def _ingest(name: str, content: str | bytes, *, encoding: str = "utf-8", **overrides):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        chosen = IngestOptions(**{**options.__dict__, **overrides})
        return ingest_file(wh, path, chosen)

    return _ingest


def use_site(monkeypatch, folder) -> None:
    """Point voc at `folder/voc.toml` with a fixed salt (VOC_DB unset: the config's warehouse)."""
    monkeypatch.setenv("VOC_CONFIG", str(folder / "voc.toml"))
    monkeypatch.setenv("VOC_SALT", "s")
    monkeypatch.delenv("VOC_DB", raising=False)
    monkeypatch.delenv("VOC_SHARED_DATA", raising=False)  # the site's [evaluation] shared_data applies


def rows(wh, sql, params=None):
    return wh.con.execute(sql, params or []).fetchall()
