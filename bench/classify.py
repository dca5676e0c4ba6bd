"""Classification benchmark: preparation + both classifiers on 200,000 items.

    python bench/classify.py [--items 200000] [--model VERSION] [--no-names]

Texts are the team-written labelled items (data/labels), repeated to the item count.
Prints items/s end to end (normalise, language, pattern redaction, sentiment, pain points,
spans, uncertainty; spaCy names only with --names), each stage apart, and the same model's bare predict on
already-built features and from raw text, measured in the same run; peak RSS.
Targets (issue 3): >= 3,000 items/s end to end, peak RSS < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.classify.bundle import Classifier  # noqa: E402
from pipelines.classify.parallel import Workers  # noqa: E402
from pipelines.text.language import LanguageDetector  # noqa: E402
from pipelines.text.normalise import normalise  # noqa: E402
from pipelines.text.prepare import prepare  # noqa: E402
from pipelines.text.redact import redact, redact_names  # noqa: E402


def corpus(n: int) -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "labels").rglob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    if not texts:
        raise SystemExit("no labelled texts under data/labels")
    return [texts[i % len(texts)] for i in range(n)]


def timed(label: str, func, n: int, rows: list) -> object:
    start = time.perf_counter()
    out = func()
    seconds = time.perf_counter() - start
    rows.append((label, n / seconds, seconds))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--model", help="model version (default: production)")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--names", action="store_true",
                        help="also redact names with spaCy at preparation (names_in_prepared_text)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    version = args.model or (ROOT / "models" / "PRODUCTION").read_text().strip()
    model = Classifier.load(ROOT / "models" / version)
    detector = LanguageDetector()
    texts = corpus(args.items)
    prepare(texts[:100], detector, names=True)  # load language and spaCy models outside the timing
    model.predict(texts[:100])
    n, rows = len(texts), []

    def end_to_end():
        batches = (texts[start:start + args.batch_size] for start in range(0, n, args.batch_size))
        with Workers(model, languages=detector.languages, names=args.names, workers=args.workers) as pool:
            return sum(len(predictions) for _, predictions in pool.map(batches, raw=True))

    timed(f"end to end ({args.workers} workers: prepare + classify + spans)", end_to_end, n, rows)
    normalised = timed("  normalise", lambda: [normalise(t) for t in texts], n, rows)
    languages = timed("  detect language", lambda: detector.detect(normalised), n, rows)
    redacted = timed("  redact (patterns)", lambda: [redact(t) for t in normalised], n, rows)
    sample = min(n, 20_000)
    timed("  redact names (spaCy en/fr; not in the default path)",
          lambda: redact_names(redacted[:sample], languages[:sample]), sample, rows)
    timed("  classify (features + both models + spans)", lambda: model.predict(redacted), n, rows)
    features = timed("  build features", lambda: model.scorer.transform(redacted), n, rows)
    timed("bare predict on built features", lambda: model.scorer.predict_proba_features(features), n, rows)
    timed("bare predict from raw text", lambda: model.scorer.predict_proba(redacted), n, rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model {version}, {n:,} items, batch {args.batch_size}")
    for label, rate, seconds in rows:
        print(f"{label:<46} {rate:>10,.0f} items/s {seconds:>8.1f} s")
    e2e = rows[0][1]
    bare_features = next(r for r in rows if r[0] == "bare predict on built features")[1]
    bare_text = next(r for r in rows if r[0] == "bare predict from raw text")[1]
    print(f"end to end / bare on features: {e2e / bare_features:.3f}; end to end / bare from text: {e2e / bare_text:.2f}")
    print(f"peak RSS {peak:,.0f} MB")
    ok = e2e >= 3000 and peak < 2048
    print("targets (>= 3,000 items/s end to end, peak RSS < 2 GB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
