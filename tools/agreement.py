"""Inter-annotator agreement between the first readers' labels and the second readings.

  python tools/agreement.py                      # data/labels/{real,reserved} vs data/labels/agreement
  python tools/agreement.py --json

Prints Cohen's kappa and raw agreement for sentiment and per pain point, overall and per corpus.
Needs no texts (labels are matched by id), so it runs without ../shared.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.classify.agreement import agreement  # noqa: E402
from pipelines.classify.labels import read_labels  # noqa: E402
from pipelines.classify.taxonomy import load_taxonomy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _read(paths: list[Path], keys: list[str]):
    return read_labels(paths, keys, join=False)  # labels are matched by id: no texts needed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--first", type=Path, nargs="+", default=[ROOT / "data/labels/real", ROOT / "data/labels/reserved"])
    parser.add_argument("--second", type=Path, nargs="+", default=[ROOT / "data/labels/agreement"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    keys = load_taxonomy(ROOT / "data/taxonomy.yaml").keys
    report = agreement(_read(args.first, keys), _read(args.second, keys), keys)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    fmt = lambda s: f"{s['kappa']:.2f}" if s["kappa"] is not None else "  - "  # noqa: E731
    print(f"{report['items']} items read twice; same pain-point set {report['same_pain_point_set']:.2f}")
    print(f"{'':<22}{'kappa':>6} {'agree':>6} {'1st':>5} {'2nd':>5}")
    print(f"{'sentiment':<22}{fmt(report['sentiment']):>6} {report['sentiment']['agreement']:>6.2f}")
    print(f"{'any pain point':<22}{fmt(report['any_pain_point']):>6} {report['any_pain_point']['agreement']:>6.2f}")
    for key, s in report["pain_points"].items():
        print(f"{key:<22}{fmt(s):>6} {s['agreement']:>6.2f} {s['first']:>5} {s['second']:>5}")
    print("per corpus: items, sentiment kappa, any-pain-point kappa")
    for corpus, b in report["by_corpus"].items():
        print(f"  {corpus:<20} {b['items']:>4} {fmt(b['sentiment']):>6} {fmt(b['any_pain_point']):>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
