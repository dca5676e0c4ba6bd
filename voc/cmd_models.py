"""voc models: the model registry (models/<version>/, models/PRODUCTION and its history)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.classify.gate import promotion_decision
from pipelines.classify.train import evaluate_classifier
from voc.config import load_settings
from voc.models import (ModelNotFound, history, load_model, production_version, rollback_target, set_production,
                        versions)
from voc.training import heldout

_EPILOG = """examples:
  voc models list
  voc models show tfidf-20261123-1e855cce
  voc models compare tfidf-20261123-1e855cce tfidf-20261201-0a1b2c3d
  voc models promote tfidf-20261201-0a1b2c3d
  voc models promote tfidf-20261201-0a1b2c3d --force --reason "better on the new billing complaints"
  voc models rollback

compare and promote measure both models on the same held-out set (the test split of
--config, default models/configs/default.toml). promote applies the retrain flow's gate:
pain-point macro-F1 must improve and no pain point may lose more than 0.05 F1; --force
(with --reason, recorded in models/PRODUCTION.log) overrides it. rollback restores the
production model that the current one replaced."""

DEFAULT_CONFIG = "models/configs/default.toml"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="list, show, compare, promote, roll back models", description=__doc__,
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    which.add_parser("list", help="model versions, the production one marked")
    show = which.add_parser("show", help="a model's card")
    show.add_argument("version")
    compare = which.add_parser("compare", help="per-label deltas on the same held-out set")
    compare.add_argument("a")
    compare.add_argument("b")
    compare.add_argument("--config", default=DEFAULT_CONFIG, type=Path)
    compare.add_argument("--json", action="store_true")
    promote = which.add_parser("promote", help="make a model the production one (through the gate)")
    promote.add_argument("version")
    promote.add_argument("--force", action="store_true", help="skip the gate (needs --reason)")
    promote.add_argument("--reason", help="why (recorded)")
    promote.add_argument("--config", default=DEFAULT_CONFIG, type=Path)
    which.add_parser("rollback", help="restore the previous production model")
    which.add_parser("history", help="every change of the production model")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    models_dir = settings.models_dir
    try:
        if args.verb == "list":
            current = production_version(models_dir)
            for version in versions(models_dir):
                meta = json.loads((models_dir / version / "model.json").read_text("utf-8"))
                test = _test_block(models_dir, version)
                score = f"pain macro-F1 {test['pain_points']['macro_f1']:.3f}" if test else "not evaluated"
                print(f"{'*' if version == current else ' '} {version:<36} {meta.get('scorer', '?'):<20} "
                      f"{meta.get('created_at', '?'):<26} {score}")
            if not versions(models_dir):
                print(f"no models in {models_dir}; train one with voc train --config {DEFAULT_CONFIG}")
            return 0
        if args.verb == "show":
            load_model(models_dir, args.version)  # a clear error if it does not exist
            print((models_dir / args.version / "MODEL_CARD.md").read_text("utf-8"))
            return 0
        if args.verb == "history":
            if not history(models_dir):
                print(f"no promotion or rollback recorded yet in {models_dir / 'PRODUCTION.log'}; "
                      f"production model: {production_version(models_dir) or 'none'}")
            for e in history(models_dir):
                print(f"{e['at']}  {e['action']:<8} {e['version']}  (was {e['previous']})"
                      f"{'  FORCED' if e.get('forced') else ''}  {e.get('reason', '')}")
            return 0
        if args.verb == "rollback":
            target = rollback_target(models_dir)
            current = production_version(models_dir)
            set_production(models_dir, target, action="rollback", reason=f"rolled back from {current}")
            print(f"production model: {target} (was {current})")
            return 0
        if args.verb == "compare":
            a, b = _evaluate(settings, [args.a, args.b], args.config)
            deltas = promotion_decision(b, a).deltas
            if args.json:
                print(json.dumps({"a": args.a, "b": args.b, "n": a["n"], "macro_f1": {"a": a["pain_points"]["macro_f1"],
                                  "b": b["pain_points"]["macro_f1"]}, "deltas": deltas}, indent=2))
                return 0
            print(f"held-out set: {a['n']} items ({args.config}); delta = {args.b} minus {args.a}")
            width = max(len(args.a), len(args.b), 7)
            print(f"  {'':<18} {args.a:>{width}} {args.b:>{width}} {'delta':>7}")
            for key, delta in deltas.items():
                print(f"  {key:<18} {a['pain_points']['per_label'][key]['f1']:>{width}.3f} "
                      f"{b['pain_points']['per_label'][key]['f1']:>{width}.3f} {delta:>+7.3f}")
            for name, block in (("pain macro-F1", "pain_points"), ("sentiment macro-F1", "sentiment")):
                print(f"  {name:<18} {a[block]['macro_f1']:>{width}.3f} {b[block]['macro_f1']:>{width}.3f} "
                      f"{b[block]['macro_f1'] - a[block]['macro_f1']:>+7.3f}")
            return 0
        # promote
        current = production_version(models_dir)
        load_model(models_dir, args.version)
        if args.force:
            if not (args.reason or "").strip():
                print("voc models: --force needs --reason \"...\" (it is recorded)", file=sys.stderr)
                return 2
            set_production(models_dir, args.version, reason=args.reason, forced=True)
            print(f"production model: {args.version} (was {current}); gate skipped: {args.reason}")
            return 0
        if current == args.version:
            print(f"{args.version} is the production model already")
            return 0
        if current is None:
            set_production(models_dir, args.version, reason=args.reason or "no production model yet")
            print(f"production model: {args.version}")
            return 0
        old, new = _evaluate(settings, [current, args.version], args.config)
        decision = promotion_decision(new, old)
        if not decision.promote:
            print(f"voc models: not promoted: {decision.reason}. Production stays {current}. "
                  "(--force --reason \"...\" overrides, and is recorded.)", file=sys.stderr)
            return 1
        set_production(models_dir, args.version, reason=args.reason or decision.reason)
        print(f"production model: {args.version} (was {current}): {decision.reason}")
        return 0
    except ModelNotFound as exc:
        print(f"voc models: {exc}", file=sys.stderr)
        return 2


def _test_block(models_dir: Path, version: str) -> dict | None:
    path = models_dir / version / "metrics.json"
    return json.loads(path.read_text("utf-8")).get("test") if path.is_file() else None


def _evaluate(settings, names: list[str], config: Path) -> list[dict]:
    taxonomy, items = heldout(settings, settings.base / config if not config.is_absolute() else config)
    return [evaluate_classifier(load_model(settings.models_dir, name), items, taxonomy.keys) for name in names]
