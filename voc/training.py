"""Training data as `voc train`, the retrain flow and `voc models` see it: the committed label
files plus, per the config's [mix], the labels people gave in the warehouse; texts prepared
exactly as `voc classify` prepares them.

[mix] in a training config:
    warehouse = true          # add warehouse labels (default true)
    warehouse_max_share = 0.5 # at most this share of the training items (default 1.0: all)
    train_on_random = false   # labels of random exports stay out of training (default): the
                              # committee report measures precision and recall on them
    resolve = "majority"      # several annotators on one item: majority, ties to the latest
                              # ("latest": the latest label wins)
Items of the fixed test split are never taken from the warehouse into training.

Label files may name items of real corpora (`"source": "twcs:123"`, no text): their texts are
joined from the shared data folder ([evaluation] shared_data in voc.toml). [corpora] adds
sentiment-only items from corpora that carry their own labels or star ratings:
    sentiment = ["hebrew_train", "west_africa_banks"]  # corpus gold labels, or stars 1-2/3/4-5
    max_per_corpus = 3000                               # a seeded sample where a corpus has more
Reserved corpora (pipelines.classify.corpora.RESERVED) never enter training: naming one is an
error, and texts copied from one into another corpus are dropped.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipelines.classify.corpora import CorpusMissing, read_corpus, star_sentiment, training_guard
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
    shared = settings.shared_data
    train_items = read_labels([settings.base / p for p in raw.get("train", ["data/labels/train"])], taxonomy.keys,
                              shared=shared)
    test_items = read_labels([settings.base / p for p in raw.get("test", ["data/labels/test"])], taxonomy.keys,
                             shared=shared)
    train_items = [i for i in trainable(shared, train_items) if i.lang in settings.languages]  # "other": not learned
    train_items += corpus_sentiment(shared, raw.get("corpora", {}), settings.languages,
                                    known={i.source for i in train_items} | {i.source for i in test_items},
                                    seed=int(raw.get("seed", 13)))
    files = len(train_items)
    mix = raw.get("mix", {})
    extra: list[LabelledItem] = []
    if mix.get("warehouse", True):
        rows = _warehouse_labels(settings, warehouse)
        if not mix.get("train_on_random", False):  # the company's random sample measures the model
            rows = [r for r in rows if r.get("sampling") != "random"]
        test_ids = {i.id for i in test_items}
        extra = [i for i in resolve_annotators(rows, mix.get("resolve", "majority")) if i.id not in test_ids]
        known = {i.id for i in train_items}
        extra = [i for i in extra if i.id not in known]
        share = float(mix.get("warehouse_max_share", 1.0))
        if share < 1.0:
            limit = int(share / (1 - share) * files) if share > 0 else 0
            extra = _share(extra, limit, int(raw.get("seed", 13)))
    extra = [i for i in extra if i.lang in settings.languages]  # "other": not learned
    return TrainingData(raw, taxonomy, prepared(settings, train_items + extra), prepared(settings, test_items),
                        files, len(extra))


def trainable(shared: Path, items: list[LabelledItem]) -> list[LabelledItem]:
    """The items that may be trained on: ReservedForEvaluation if one names a reserved corpus;
    items whose text is a copy of a reserved text are dropped."""
    real = [i for i in items if i.corpus]
    if not real:
        return items
    keep = training_guard(shared, [i.source for i in real], [i.text for i in real])
    dropped = {i.id for i, ok in zip(real, keep) if not ok}
    return [i for i in items if i.id not in dropped]


def corpus_sentiment(shared: Path, section: dict[str, Any], languages: tuple[str, ...], *, known: set[str],
                     seed: int) -> list[LabelledItem]:
    """Sentiment-only items from corpora with their own labels or star ratings ([corpora])."""
    names = list(section.get("sentiment", []))
    if not names:
        return []
    limit = int(section.get("max_per_corpus", 0)) or None
    out: list[LabelledItem] = []
    for name in names:
        try:
            corpus = read_corpus(shared, name)
        except KeyError as exc:
            raise ConfigError(f"[corpora] sentiment: {exc.args[0]}") from None
        items = []
        for real in corpus.values():
            sentiment = real.gold_sentiment or star_sentiment(real.stars)
            if sentiment is None or real.source in known or (real.lang or "other") not in languages:
                continue
            how = "corpus label" if real.gold_sentiment else "stars 1-2 negative, 3 neutral, 4-5 positive"
            items.append(LabelledItem(id=real.source, text=real.text, lang=real.lang, sentiment=sentiment,
                                      pain_points=None, source=real.source, annotator=how,
                                      sampling="all" if limit is None else f"random {limit}"))
        items = trainable(shared, items)
        if limit is not None and len(items) > limit:
            items = _share(items, limit, seed)
        out += items
    return out


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
    items = read_labels([settings.base / p for p in raw.get("test", ["data/labels/test"])], taxonomy.keys,
                        shared=settings.shared_data)
    return taxonomy, prepared(settings, items)


def reserved(settings: Settings, config_path: Path) -> tuple[Taxonomy, list[LabelledItem]]:
    """The reserved corpora's labelled samples ([evaluation] reserved in the training config,
    default data/labels/reserved), prepared; empty when the shared data folder is absent."""
    raw = read_config(config_path)
    taxonomy = load_taxonomy(settings.base / raw.get("taxonomy", settings.taxonomy))
    paths = [settings.base / p for p in raw.get("reserved", ["data/labels/reserved"])]
    if not settings.shared_data.is_dir() or not all(p.exists() for p in paths):
        return taxonomy, []
    try:  # a changed or missing corpus file costs the measure of its items, never the trained model
        items = read_labels(paths, taxonomy.keys, shared=settings.shared_data, strict=False)
    except CorpusMissing:
        return taxonomy, []
    return taxonomy, prepared(settings, items)


def measure_on_real_data(settings: Settings, config_path: Path, classifier: Any,
                         progress: Any = lambda _: None) -> None:
    """Add to the model's metrics what only real text can say: each reserved corpus's labelled
    sample (`reserved`, per corpus, label and language, with bootstrap intervals) and sentiment on
    whole reserved corpora with their own labels (`external`). Nothing when ../shared is absent."""
    from pipelines.classify.external import load_external
    from pipelines.classify.train import evaluate_classifier, evaluate_external

    taxonomy, items = reserved(settings, config_path)
    if items:
        progress(f"reserved corpora: {len(items)} labelled items")
        classifier.metrics["reserved"] = evaluate_classifier(classifier, items, taxonomy.keys, intervals=True)
        previous = _production_model(settings, classifier.version)
        if previous is not None:
            progress(f"reserved corpora: the production model {previous.version}, for comparison")
            classifier.metrics["reserved_previous"] = {
                "version": previous.version,
                **evaluate_classifier(previous, items, taxonomy.keys, intervals=True)}
    if settings.shared_data.is_dir():
        progress(f"sentiment on whole labelled corpora in {settings.shared_data}")
        detector = LanguageDetector(languages=settings.languages)
        classifier.metrics["external"] = evaluate_external(
            classifier, load_external(settings.shared_data),
            lambda texts: [p.text for p in prepare(texts, detector, names=False)])


def _production_model(settings: Settings, exclude: str) -> Any:
    from voc.models import load_model, production_version

    version = production_version(settings.models_dir)
    if version is None or version == exclude:
        return None
    try:
        return load_model(settings.models_dir, version)
    except Exception:  # an unreadable old model only loses the comparison, never the training
        return None
