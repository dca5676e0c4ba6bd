"""voc classify: prepare and classify every item that has no prediction from the model yet."""

from __future__ import annotations

import argparse

from pipelines.classify.batch import classify_pending, pending_count
from voc.config import load_settings
from voc.models import load_model_or_say
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
    p.add_argument("--workers", type=int, help="cores to use: this process and N-1 helper processes (default: [classify] workers in voc.toml)")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    model = load_model_or_say(settings.models_dir, args.model, "classify")
    if model is None:
        return 2
    wh = open_warehouse(settings)
    if wh is None:
        return 2
    with wh:
        prepared, classified = classify_with_progress(wh, settings, model, batch_size=args.batch_size,
                                                      workers=args.workers)
    print(f"prepared {prepared} item(s), classified {classified} with model {model.version}")
    return 0


def classify_with_progress(wh, settings, model, *, batch_size: int, workers: int | None, since=None,
                           label: str = "classify") -> tuple[int, int]:
    """Prepare and classify what `model` has not scored yet (received since `since`), with progress;
    worker processes only when there is enough to share."""
    todo = pending_count(wh, model.version, since)
    workers = workers or settings.workers if todo > 2 * batch_size else 1
    progress = Progress(max(todo, 1), label=label, unit="items")
    return classify_pending(wh, model, languages=settings.languages, names=settings.redact_names, workers=workers,
                            batch_size=batch_size, advance=progress.advance, since=since)
