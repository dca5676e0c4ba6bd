"""voc actions: what the complaint committee decided, with an owner, per cause."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from pathlib import Path

from pipelines.report.ranking import NO_PAIN_POINT
from pipelines.store import WarehouseError
from pipelines.store import report as store
from voc.config import ConfigError, load_settings
from voc.reporting import check_month
from voc.warehouse_access import open_warehouse

_EPILOG = """examples:
  voc actions add --month 2026-10 --cause long_wait --owner "Contact centre lead" \\
      --action "Add evening shift on the billing line" --due 2026-12-15
  voc actions add --month 2026-10 --cause long_wait/long_wait.en.2 --owner "IT" --action "Fix callback queue"
  voc actions list
  voc actions close 3 --note "Shift added on 2026-11-20"
  voc actions import decisions.csv      columns: month,cause,owner,action[,due][,subcause]

--cause is a pain-point key from data/taxonomy.yaml or negative_no_pain_point, optionally
followed by /<sub-cause id> as shown in the report."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("actions", help="committee actions: add, list, close, import", description=__doc__,
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    add = which.add_parser("add", help="assign an action to an owner", epilog=_EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    add.add_argument("--month", required=True, help="committee month, YYYY-MM")
    add.add_argument("--cause", required=True, help="pain point key[/sub-cause id]")
    add.add_argument("--owner", required=True)
    add.add_argument("--action", required=True)
    add.add_argument("--due", help="YYYY-MM-DD")
    listing = which.add_parser("list", help="open actions (--all for closed ones too)")
    listing.add_argument("--all", action="store_true")
    close = which.add_parser("close", help="close an action with a note")
    close.add_argument("id", type=int)
    close.add_argument("--note", required=True)
    imp = which.add_parser("import", help="add actions from a CSV file (all or nothing)", epilog=_EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("file")


def _known_causes(settings) -> set[str]:
    from pipelines.classify.taxonomy import load_taxonomy

    return set(load_taxonomy(settings.taxonomy).keys) | {NO_PAIN_POINT}


def parse_action(row: dict[str, str], known: set[str], where: str) -> dict:
    """Validate one action; errors name `where` (the flag or the file and line) and the fix."""
    missing = [k for k in ("month", "cause", "owner", "action") if not (row.get(k) or "").strip()]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    cause, _, subcause = row["cause"].strip().partition("/")
    subcause = (row.get("subcause") or subcause or "").strip() or None
    if cause not in known:
        raise ConfigError(f"{where}: unknown cause {cause!r}; known: {', '.join(sorted(known))}")
    if subcause and not subcause.startswith(cause + "."):
        raise ConfigError(f"{where}: sub-cause {subcause!r} does not belong to {cause!r} (ids look like {cause}.en.2)")
    try:
        check_month(row["month"].strip())
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    due = None
    if (row.get("due") or "").strip():
        try:
            due = date.fromisoformat(row["due"].strip())
        except ValueError:
            raise ConfigError(f"{where}: due date {row['due']!r} is not YYYY-MM-DD") from None
    return {"month": row["month"].strip(), "cause": cause, "subcause": subcause, "owner": row["owner"].strip(),
            "action": row["action"].strip(), "due": due}


def read_actions_csv(path: Path, known: set[str]) -> list[dict]:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read as UTF-8 text: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not {"month", "cause", "owner", "action"} <= set(reader.fieldnames):
        raise ConfigError(f"{path}: the header must name month, cause, owner, action (due, subcause optional)")
    rows, errors = [], []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(parse_action(row, known, f"{path}, line {line}"))
        except ConfigError as exc:
            errors.append(str(exc))
    if errors:
        raise ConfigError("; ".join(errors) + " -- nothing was imported; fix these lines and import again")
    return rows


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    wh = open_warehouse(settings)
    if wh is None:
        return 2
    with wh:
        try:
            if args.verb == "add":
                row = parse_action(vars(args), _known_causes(settings), "--cause/--month/--due")
                action_id = store.add_action(wh, **{k: v for k, v in row.items()}, source="cli")
                print(f"action {action_id} added: {row['cause']}{'/' + row['subcause'] if row['subcause'] else ''} "
                      f"-> {row['owner']}")
            elif args.verb == "import":
                rows = read_actions_csv(Path(args.file), _known_causes(settings))
                ids = store.add_actions(wh, rows, source=str(args.file))
                print(f"imported {len(ids)} action(s) from {args.file}: ids {', '.join(map(str, ids)) or '-'}")
            elif args.verb == "close":
                store.close_action(wh, args.id, args.note)
                print(f"action {args.id} closed")
            else:
                shown = [a for a in store.actions(wh) if args.all or a["status"] == "open"]
                if not shown:
                    print("no open actions" if not args.all else "no actions")
                for a in shown:
                    cause = a["cause"] + (f"/{a['subcause']}" if a["subcause"] else "")
                    due = f", due {a['due']}" if a["due"] else ""
                    print(f"{a['action_id']:>4}  [{a['status']}] {a['month']}  {cause}  {a['owner']}: {a['action']}{due}"
                          + (f"  (closed: {a['close_note']})" if a["status"] == "closed" else ""))
        except (ConfigError, WarehouseError) as exc:
            print(f"voc actions: {exc}", file=sys.stderr)
            return 2
    return 0
