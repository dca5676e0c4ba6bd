"""`voc`: ingest feedback, classify it, train and evaluate the classifiers, look at the warehouse."""

from __future__ import annotations

import argparse
import sys

from voc import (cmd_actions, cmd_classify, cmd_evaluate, cmd_forget, cmd_ingest, cmd_labels, cmd_models,
                 cmd_reclassify, cmd_report, cmd_run, cmd_serve, cmd_status, cmd_train)
from voc.config import ArgumentError, ConfigError

_COMMANDS = {
    "ingest": cmd_ingest, "classify": cmd_classify, "status": cmd_status,
    "train": cmd_train, "evaluate": cmd_evaluate, "run": cmd_run,
    "serve": cmd_serve, "report": cmd_report, "actions": cmd_actions,
    "labels": cmd_labels, "models": cmd_models, "reclassify": cmd_reclassify, "forget": cmd_forget,
}

_EPILOG = """examples:
  voc ingest data/samples                 land every sample file (channel from folder names)
  voc ingest exports/book.xlsx --channel complaint_book
  voc status --json
  voc classify                            sentiment and pain points for new items
  voc train --config models/configs/default.toml
  voc evaluate --gold data/labels/test --json
  voc report --month 2026-10              the committee report in reports/2026-10/
  voc actions add --month 2026-10 --cause long_wait --owner "Ops" --action "Evening shift"
  voc labels export --strategy uncertain --n 200 --lang he --format label-studio --out batch.json
  voc labels import batch-done.json && voc train --config models/configs/default.toml
  voc models compare OLD NEW && voc models promote NEW

configuration: voc.toml in the current folder (or VOC_CONFIG); VOC_DB overrides the
warehouse file (default data/warehouse/voc.duckdb)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voc", description="Customer-feedback pipeline: complaints, posts and surveys in, root causes out.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in _COMMANDS.items():
        module.add_parser(sub)
    _describe(parser)
    return parser


def _describe(parser: argparse.ArgumentParser) -> None:
    """Every (sub-)command's --help opens with a description: its one-line help where it has none."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                child = action.choices[choice.dest]
                if not child.description and choice.help:
                    child.description = choice.help[0].upper() + choice.help[1:] + "."
                _describe(child)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command].run(args)
    except ArgumentError as exc:
        print(f"voc {args.command}: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"voc: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("voc: interrupted; nothing half-done was kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
