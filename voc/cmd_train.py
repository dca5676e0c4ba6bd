"""voc train: fit the classifiers from labelled data, measure them, save a model folder."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from pipelines.classify.card import model_card
from pipelines.classify.labels import LabelFileError
from pipelines.store import WarehouseBusy
from pipelines.classify.corpora import CorpusMissing, ReservedForEvaluation
from pipelines.classify.train import TrainConfig, data_fingerprint, origin_counts, train
from voc.config import load_settings
from voc.models import production_version, set_production
from voc.training import load_training_data, measure_on_real_data

_EPILOG = """examples:
  voc train --config models/configs/default.toml
  voc train --config models/configs/default.toml --version tfidf-trial --no-promote

The config names the scorer (e.g. tfidf_logreg.v1), its parameters, the seed and the label
folders (train and the fixed test split). The model folder lands in models/<version>/ with
its weights, config, thresholds, metrics and MODEL_CARD.md. The first model trained becomes
the production one; later ones only with --promote (or `voc models promote`, which applies
the promotion gate). Labels imported into the warehouse (`voc labels import`) are added to
the committed label files as the config's [mix] says; the test split stays fixed."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train the sentiment and pain-point classifiers",
                       description=__doc__, epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", required=True, type=Path, help="training config (TOML)")
    p.add_argument("--version", help="model version name (default: <name>-<date>-<data hash>)")
    p.add_argument("--promote", action=argparse.BooleanOptionalAction, default=None,
                   help="make it the production model (default: only when there is none)")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        data = load_training_data(settings, args.config)
    except (LabelFileError, WarehouseBusy, CorpusMissing, ReservedForEvaluation) as exc:
        print(f"voc train: {exc}", file=sys.stderr)
        return 2
    raw, taxonomy, train_items, test_items = data.raw, data.taxonomy, data.train, data.test
    try:
        config = TrainConfig.from_dict(raw)
    except ValueError as exc:
        print(f"voc train: {args.config}: {exc}", file=sys.stderr)
        return 2
    if not train_items:
        print("voc train: no training items found; check the config's train folders", file=sys.stderr)
        return 2
    version = args.version or (f"{config.name}-{datetime.now(timezone.utc):%Y%m%d}-"
                               f"{data_fingerprint(config, train_items)}")
    folder = settings.models_dir / version
    if folder.exists():
        print(f"voc train: {folder} exists already; pass another --version or remove it", file=sys.stderr)
        return 2
    print(f"training {version} on {len(train_items)} items ({data.from_files} from label files, "
          f"{data.from_warehouse} from warehouse labels; {len(test_items)} held out) ...", file=sys.stderr)
    classifier = train(config, taxonomy, train_items, test_items, version=version,
                       progress=lambda step: print(f"  {step}", file=sys.stderr, flush=True))
    classifier.config["source"] = raw
    classifier.metrics["data"]["sources"] = {"label_files": data.from_files, "warehouse_labels": data.from_warehouse,
                                             **origin_counts(train_items)}
    measure_on_real_data(settings, args.config, classifier,
                         progress=lambda step: print(f"  {step}", file=sys.stderr, flush=True))
    description = (f"Scorer `{config.scorer}` trained by `voc train --config {args.config}`. "
                   "Sentiment: negative/neutral/positive with a score in [-1, 1]; pain points: one "
                   "probability per taxonomy key, a per-key threshold, and `uncertain` when any "
                   f"probability is within {config.uncertain_band} of its threshold.")
    classifier.save(folder, card=model_card(classifier.metrics, labels=taxonomy.keys, description=description))
    promote = args.promote if args.promote is not None else production_version(settings.models_dir) is None
    if promote:
        set_production(settings.models_dir, version, reason="voc train" + (" --promote" if args.promote else
                                                                            " (first model)"))
    test = classifier.metrics.get("test")
    if test:
        langs = ", ".join(f"{lang} {b['pain_points']['macro_f1']:.3f}" for lang, b in test["by_language"].items())
        print(f"test: pain-point macro-F1 {test['pain_points']['macro_f1']:.3f} ({langs}); "
              f"sentiment macro-F1 {test['sentiment']['macro_f1']:.3f}, accuracy {test['sentiment']['accuracy']:.3f}")
    print(f"saved {folder}{' (production)' if promote else ''}; card: {folder / 'MODEL_CARD.md'}")
    return 0
