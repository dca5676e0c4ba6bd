"""Leave-one-corpus-out: how well training configs do on a company whose words they never saw.

Each group of training corpora is held out in turn; a model is trained (thresholds tuned as the
config says) on everything else (team-written labels and the other corpora) and measured on the
held-out group's randomly sampled, read-labelled items (the Hebrew group: its own gold sentiment).
This is how configs are compared and chosen: the reserved corpora (data/labels/reserved) are
never used here. Needs ../shared/data.

  python bench/crossdomain.py --config models/configs/default.toml bench/configs/team-only.toml
  python bench/crossdomain.py --config A.toml B.toml --threshold-folds 3 --out bench/out/crossdomain.json

Prints, per config and held-out group, pain-point macro-F1 (labels with >= 10 gold items) and
sentiment macro-F1 with bootstrap 95% intervals, then the mean over groups; progress lines with
rate and ETA go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.classify.train import TrainConfig, evaluate_classifier, train  # noqa: E402
from voc.config import load_settings  # noqa: E402
from voc.training import load_training_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

GROUPS = {
    "support tweets (en)": ("twcs", "asapp_airlines"),
    "finance letters (en)": ("cfpb", "cfpb_4k"),
    "product reviews (en, fr)": ("trustpilot_rings", "keytrade", "circular"),
    "bank branch reviews (fr)": ("west_africa_banks",),
    "Russian tweets (ru)": ("sentirueval_banks", "sentirueval_telecom"),
    "Hebrew comments (he)": ("hebrew_train", "hebrew_dev"),
}


def held_out_items(items, corpora):
    """Read-labelled random items of the group, or the corpus's own labels where no one read it."""
    group = [i for i in items if i.corpus in corpora]
    read = [i for i in group if i.pain_points is not None and i.sampling == "random"]
    return read or [i for i in group if i.sentiment is not None]


def evaluation_pool(settings, path: Path):
    """The items groups are measured on, the same whatever a config trains on: every real item
    read by a person and the Hebrew files' own labels (all prepared as `voc classify` does)."""
    from pipelines.classify.labels import read_labels
    from pipelines.classify.taxonomy import load_taxonomy
    from voc.training import corpus_sentiment, prepared, read_config, trainable

    raw = read_config(path)
    keys = load_taxonomy(settings.base / raw.get("taxonomy", settings.taxonomy)).keys
    real = trainable(settings.shared_data, read_labels([ROOT / "data" / "labels" / "real"], keys,
                                                       shared=settings.shared_data))
    hebrew = corpus_sentiment(settings.shared_data, {"sentiment": ["hebrew_train", "hebrew_dev"]}, settings.languages,
                              known=set(), seed=13)
    return prepared(settings, [i for i in real + hebrew if i.lang in settings.languages])


def run_config(path: Path, folds: int | None, progress) -> dict:
    settings = load_settings()
    data = load_training_data(settings, path)
    pool = evaluation_pool(settings, path)
    config = TrainConfig.from_dict(data.raw)
    if folds:
        config = replace(config, threshold_folds=folds)
    out = {}
    for n, (name, corpora) in enumerate(GROUPS.items(), start=1):
        started = time.perf_counter()
        train_items = [i for i in data.train if i.corpus not in corpora]
        test_items = held_out_items(pool, corpora)
        if not test_items:
            progress(f"{path.name}: {name}: no items, skipped")
            continue
        model = train(config, data.taxonomy, train_items, [], version=f"loco-{n}")
        report = evaluate_classifier(model, test_items, data.taxonomy.keys, intervals=True)
        out[name] = {"corpora": list(corpora), "train_items": len(train_items), "n": report["n"],
                     "pain_macro_f1_min10": report["pain_points"]["macro_f1_min10"],
                     "pain_labels_min10": report["pain_points"]["labels_min10"],
                     "sentiment_macro_f1": report["sentiment"]["macro_f1"],
                     "sentiment_accuracy": report["sentiment"]["accuracy"],
                     "intervals": {k: v for k, v in report["intervals"].items()
                                   if k in ("pain_macro_f1_min10", "sentiment_macro_f1")},
                     "per_label_f1": {k: m["f1"] for k, m in report["pain_points"]["per_label"].items()
                                      if m["support"] >= 10}}
        spent = time.perf_counter() - started
        left = (len(GROUPS) - n) * spent
        progress(f"{path.name}: {n}/{len(GROUPS)} {name} held out: {report['n']} items, {spent:.0f} s "
                 f"({len(train_items) / spent:.0f} training items/s), ETA {left / 60:.0f} min")
    return out


def mean(values):
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, nargs="+", required=True, help="training configs to compare")
    parser.add_argument("--threshold-folds", type=int, help="override the configs' threshold folds (faster)")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    results = {}
    for path in args.config:
        results[str(path)] = run_config(path, args.threshold_folds,
                                        lambda line: print(line, file=sys.stderr, flush=True))
    print(f"{'config':<34} {'held-out group':<26} {'items':>6} {'pain macro-F1 [95%]':>22} {'sentiment macro-F1 [95%]':>25}")
    for path, groups in results.items():
        for name, g in groups.items():
            pain = (f"{g['pain_macro_f1_min10']:.3f} [{g['intervals']['pain_macro_f1_min10'][0]:.2f}, "
                    f"{g['intervals']['pain_macro_f1_min10'][1]:.2f}]" if g["pain_macro_f1_min10"] is not None else "-")
            sent = (f"{g['sentiment_macro_f1']:.3f} [{g['intervals']['sentiment_macro_f1'][0]:.2f}, "
                    f"{g['intervals']['sentiment_macro_f1'][1]:.2f}]")
            print(f"{Path(path).name:<34} {name:<26} {g['n']:>6} {pain:>22} {sent:>25}")
        print(f"{Path(path).name:<34} {'mean over groups':<26} {'':>6} "
              f"{mean(g['pain_macro_f1_min10'] for g in groups.values()) or '-':>22} "
              f"{mean(g['sentiment_macro_f1'] for g in groups.values()):>25}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
