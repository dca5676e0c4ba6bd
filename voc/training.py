"""Training data as `voc train`, the retrain flow and `voc models` see it: the committed label
files plus, per the config's [mix], the labels people gave in the warehouse; texts prepared
exactly as `voc classify` prepares them.

[mix] in a training config:
    warehouse = true          # add warehouse labels (default true)
    warehouse_max_share = 0.5 # at most this share of the training items (default 1.0: all)
    resolve = "majority"      # several annotators on one item: majority, ties to the latest
                              # ("latest": the latest label wins)
Items of the fixed test split are never taken from the warehouse into training.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipelines.classify.labels import LabelledItem, read_labels
from pipelines.classify.taxonomy import Taxonomy, load_taxonomy
from pipelines.store import Warehouse, WarehouseBusy
from pipelines.store import labels as label_store
from pipelines.text.language import LanguageDetector
from pipelines.text.prepare import prepare
from voc.config import ConfigError, Settings


@dataclass
class TrainingData:
    raw: dict[str, Any]
    taxonomy: Taxonomy
    train: list[LabelledItem]
    test: list[LabelledItem]
    from_files: int
    from_warehouse: int


def read_config(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist; see models/configs/ for examples") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def resolve_annotators(rows: list[dict[str, Any]], how: str = "majority") -> list[LabelledItem]:
    """One item per labelled id from several annotators' labels (rows sorted by time)."""
    by_item: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_item.setdefault(r["item_id"], []).append(r)
    out = []
    for item_id, labels in sorted(by_item.items()):
        latest: dict[str, dict[str, Any]] = {}
        for r in labels:
            latest[r["annotator"]] = r
        votes = list(latest.values())
        last = labels[-1]

        def pick(field: str):
            given = [(v[field] if field != "pain_points" or v[field] is None else tuple(sorted(v[field])))
                     for v in votes if v[field] is not None]
            if not given:
                return None
            if how == "latest":
                return given[-1]
            counts = Counter(given)
            top = max(counts.values())
            return next(g for g in reversed(given) if counts[g] == top)  # ties: the latest of the leaders

        points = pick("pain_points")
        if not last["text"]:
            continue
        out.append(LabelledItem(id=item_id, text=last["text"], lang=last["lang"] or "other",
                                sentiment=pick("sentiment"), pain_points=None if points is None else tuple(points),
                                source="warehouse", annotator=",".join(sorted(latest))))
    return out


def _share(items: list[LabelledItem], limit: int, seed: int) -> list[LabelledItem]:
    ranked = sorted(items, key=lambda i: hashlib.sha256(f"{seed}:{i.id}".encode()).hexdigest())
    return sorted(ranked[:limit], key=lambda i: i.id)


def load_training_data(settings: Settings, config_path: Path, *, warehouse: Warehouse | None = None) -> TrainingData:
    raw = read_config(config_path)
    taxonomy = load_taxonomy(settings.base / raw.get("taxonomy", settings.taxonomy))
    train_items = read_labels([settings.base / p for p in raw.get("train", ["data/labels/train"])], taxonomy.keys)
    test_items = read_labels([settings.base / p for p in raw.get("test", ["data/labels/test"])], taxonomy.keys)
    files = len(train_items)
    mix = raw.get("mix", {})
    extra: list[LabelledItem] = []
    if mix.get("warehouse", True):
        rows = _warehouse_labels(settings, warehouse)
        test_ids = {i.id for i in test_items}
        extra = [i for i in resolve_annotators(rows, mix.get("resolve", "majority")) if i.id not in test_ids]
        known = {i.id for i in train_items}
        extra = [i for i in extra if i.id not in known]
        share = float(mix.get("warehouse_max_share", 1.0))
        if share < 1.0:
            limit = int(share / (1 - share) * files) if share > 0 else 0
            extra = _share(extra, limit, int(raw.get("seed", 13)))
    return TrainingData(raw, taxonomy, prepared(settings, train_items + extra), prepared(settings, test_items),
                        files, len(extra))


def prepared(settings: Settings, items: list[LabelledItem]) -> list[LabelledItem]:
    """Items with their text prepared exactly as `voc classify` prepares it."""
    detector = LanguageDetector(languages=settings.languages)
    texts = prepare([i.text for i in items], detector, names=settings.redact_names)
    return [replace(i, text=p.text) for i, p in zip(items, texts)]


def _warehouse_labels(settings: Settings, warehouse: Warehouse | None) -> list[dict[str, Any]]:
    if warehouse is not None:
        return label_store.labels(warehouse)
    if not settings.db_path.exists():
        return []
    try:
        wh = Warehouse(settings.db_path, read_only=True)
    except WarehouseBusy as exc:
        raise WarehouseBusy(f"{exc}. Training reads the labels in the warehouse ([mix] warehouse = true in the "
                            "training config): run it when the other process has finished, or set warehouse = false")
    with wh:
        if "labels" not in {r[0] for r in wh.query("SELECT table_name FROM information_schema.tables")}:
            return []
        return label_store.labels(wh)


def heldout(settings: Settings, config_path: Path) -> tuple[Taxonomy, list[LabelledItem]]:
    """The config's fixed test split, prepared: what `voc models compare` and `promote` measure on."""
    raw = read_config(config_path)
    taxonomy = load_taxonomy(settings.base / raw.get("taxonomy", settings.taxonomy))
    items = read_labels([settings.base / p for p in raw.get("test", ["data/labels/test"])], taxonomy.keys)
    return taxonomy, prepared(settings, items)
