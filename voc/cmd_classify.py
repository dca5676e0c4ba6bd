"""voc classify: prepare and classify every item that has no prediction from the model yet."""

from __future__ import annotations

import argparse
import sys

from pipelines.classify.batch import classify_pending, pending_counts, prepare_pending
from pipelines.text.language import LanguageDetector
from voc.config import load_settings
from voc.models import ModelNotFound, load_model
from voc.progress import Progress
from voc.warehouse_access import open_warehouse

_EPILOG = """examples:
  voc classify
  voc classify --model tfidf-20261123-1a2b3c4d --batch-size 20000

Texts are normalised, their language detected and personal data redacted once per
preparation version; predictions are added per model version (earlier ones are kept)."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classify", help="sentiment and pain points for new items",
                       description=__doc__, epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", help="model version (default: production)")
    p.add_argument("--batch-size", type=int, default=5000, help="items per batch (default 5000)")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        model = load_model(settings.models_dir, args.model)
    except ModelNotFound as exc:
        print(f"voc classify: {exc}", file=sys.stderr)
        return 2
    wh = open_warehouse(settings)
    if wh is None:
        return 2
    with wh:
        to_prepare, _ = pending_counts(wh, model.version)
        progress = Progress(max(to_prepare, 1), label="prepare", unit="items")
        prepared = prepare_pending(wh, LanguageDetector(languages=settings.languages),
                                   names=settings.redact_names, batch_size=args.batch_size, advance=progress.advance)
        _, to_classify = pending_counts(wh, model.version)
        progress = Progress(max(to_classify, 1), label="classify", unit="items")
        classified = classify_pending(wh, model, batch_size=args.batch_size, advance=progress.advance)
    print(f"prepared {prepared} item(s), classified {classified} with model {model.version}")
    return 0
