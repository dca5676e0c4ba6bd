"""Language detection: the configured languages alone (before issue 11) against the configured
languages plus common others (now), on real texts from ../shared/data, in the same run.

  .venv/bin/python bench/language.py [--n 5000]

Prints texts/s for both and their ratio (detection alone, and the whole preparation step that
classification runs: normalise, detect, redact), and how many texts each calls "other".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.classify.corpora import read_corpus  # noqa: E402
from pipelines.text import language  # noqa: E402
from pipelines.text.prepare import prepare  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="texts per corpus")
    args = parser.parse_args(argv)
    texts = []
    for corpus in ("airline_tweets", "west_africa_banks", "keytrade", "trustpilot_rings"):
        texts += [i.text for i in list(read_corpus(SHARED, corpus).values())[:args.n]]
    detector = language.LanguageDetector()
    sentinels = language._SENTINELS
    results = {}
    for name, extra in (("configured only", ()), ("configured + others", sentinels)):
        language._SENTINELS = extra
        language._detector.cache_clear()
        detector.detect(texts[:50])  # load the models outside the timing
        started = time.perf_counter()
        found = detector.detect(texts)
        detect_rate = len(texts) / (time.perf_counter() - started)
        started = time.perf_counter()
        prepare(texts, detector, names=False)  # as `voc classify` runs by default
        results[name] = (detect_rate, len(texts) / (time.perf_counter() - started), found.count(language.OTHER))
    language._SENTINELS = sentinels
    base, base_prepare = results["configured only"][:2]
    for name, (rate, prepare_rate, other) in results.items():
        print(f"{name:<22} detect {rate:>7,.0f} texts/s (ratio {rate / base:.2f})  prepare {prepare_rate:>7,.0f} "
              f"texts/s (ratio {prepare_rate / base_prepare:.2f})  other {other:,} of {len(texts):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
