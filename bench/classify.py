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
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

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
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        texts += [row["text"] for row in rows if "text" in row]  # real-corpus labels carry no text
    if not texts:
        raise SystemExit("no labelled texts under data/labels")
    return [texts[i % len(texts)] for i in range(n)]


def timed(label: str, func, n: int, rows: list) -> object:
    start = time.perf_counter()
    out = func()
    seconds = time.perf_counter() - start
    rows.append((label, n / seconds, seconds))
    return out


class TreeMemory:
    """Peak of the summed RSS of this process and its children, sampled every 0.1 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def end_to_end_only(args: argparse.Namespace) -> int:
    """The end-to-end path alone, as a child process: rate and peak memory of its process tree."""
    version = args.model or (ROOT / "models" / "PRODUCTION").read_text().strip()
    model = Classifier.load(ROOT / "models" / version)
    texts = corpus(args.items)
    with TreeMemory() as memory:
        start = time.perf_counter()
        batches = (texts[i:i + args.batch_size] for i in range(0, len(texts), args.batch_size))
        with Workers(model, languages=("en", "fr", "he", "ru"), names=args.names, workers=args.workers) as pool:
            done = sum(len(columns["sentiment"]) for _, columns in pool.map(batches, raw=True))
        seconds = time.perf_counter() - start
    print(json.dumps({"items": done, "seconds": seconds, "peak_mb": memory.peak / 2**20}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--model", help="model version (default: production)")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--names", action="store_true",
                        help="also redact names with spaCy at preparation (names_in_prepared_text)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--end-to-end-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.end_to_end_only:
        return end_to_end_only(args)
    version = args.model or (ROOT / "models" / "PRODUCTION").read_text().strip()
    model = Classifier.load(ROOT / "models" / version)
    detector = LanguageDetector()
    texts = corpus(args.items)
    prepare(texts[:100], detector, names=True)  # load language and spaCy models outside the timing
    model.predict(texts[:100])
    n, rows = len(texts), []

    child = subprocess.run(
        [sys.executable, __file__, "--end-to-end-only", "--items", str(n), "--batch-size", str(args.batch_size),
         "--workers", str(args.workers), *(["--model", args.model] if args.model else []),
         *(["--names"] if args.names else [])], capture_output=True, text=True, check=True)
    e2e_run = json.loads(child.stdout.strip().splitlines()[-1])
    rows.append((f"end to end ({args.workers} workers: prepare + classify + spans; own process, start-up included)",
                 e2e_run["items"] / e2e_run["seconds"], e2e_run["seconds"]))
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
    peak = e2e_run["peak_mb"]
    print(f"model {version}, {n:,} items, batch {args.batch_size}")
    for label, rate, seconds in rows:
        print(f"{label:<46} {rate:>10,.0f} items/s {seconds:>8.1f} s")
    e2e = rows[0][1]
    bare_features = next(r for r in rows if r[0] == "bare predict on built features")[1]
    bare_text = next(r for r in rows if r[0] == "bare predict from raw text")[1]
    print(f"end to end / bare on features: {e2e / bare_features:.3f}; end to end / bare from text: {e2e / bare_text:.2f}")
    print(f"peak RSS of the end-to-end run (its process and workers together) {peak:,.0f} MB")
    ok = e2e >= 3000 and peak < 2048
    print("targets (>= 3,000 items/s end to end, peak RSS < 2 GB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
