"""The monthly run: the committee's ranking for a month (default: the previous calendar month
in the company's time zone), written to reports/YYYY-MM/."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task

from pipelines.rank import ranking, ranking_csv
from pipelines.store import Warehouse
from pipelines.store import nightly as store
from voc.config import load_settings
from voc.models import production_version


def month_bounds(month: str, tz: str) -> tuple[datetime, datetime, str]:
    """[start, end) of a YYYY-MM month in a time zone, and the previous month's name."""
    year, number = (int(part) for part in month.split("-"))
    zone = ZoneInfo(tz)
    start = datetime.combine(date(year, number, 1), time(0), zone)
    end = datetime.combine(date(year + number // 12, number % 12 + 1, 1), time(0), zone)
    previous = f"{year - (number == 1)}-{(number - 2) % 12 + 1:02d}"
    return start, end, previous


def previous_month(today: date) -> str:
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


@task
def rank_month(db: Path, model_version: str, month: str, tz: str) -> dict:
    start, end, before = month_bounds(month, tz)
    prev_start, prev_end, _ = month_bounds(before, tz)
    with Warehouse(db, read_only=True) as wh:
        rows = store.month_causes(wh, model_version, start, end)
        totals = store.month_totals(wh, model_version, start, end)
        previous: dict[str, int] = {}
        for r in store.month_causes(wh, model_version, prev_start, prev_end):
            previous[r["cause"]] = previous.get(r["cause"], 0) + r["n"]
    return {"month": month, "model": model_version, "totals": totals,
            "ranking": ranking(rows, previous, totals)}


@task(retries=3, retry_delay_seconds=[2, 10, 30])
def write_ranking(result: dict, out_dir: Path) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ranking.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    (out_dir / "ranking.csv").write_text(ranking_csv(result["ranking"]), "utf-8")
    return [str(out_dir / "ranking.json"), str(out_dir / "ranking.csv")]


@flow(name="monthly", log_prints=True)
def monthly(month: str | None = None, reports: str | None = None) -> dict:
    """Rank the month's causes with the production model's predictions."""
    settings = load_settings()
    month = month or previous_month(datetime.now(ZoneInfo(settings.report_timezone)).date())
    version = production_version(settings.models_dir)
    if version is None:
        raise RuntimeError(f"no production model in {settings.models_dir}; run `voc train` first")
    result = rank_month(settings.db_path, version, month, settings.report_timezone)
    if result["totals"]["items"] == 0:
        get_run_logger().warning("no classified items in %s: the ranking is empty", month)
    files = write_ranking(result, Path(reports or settings.reports) / month)
    return {"month": month, "model": version, "items": result["totals"]["items"],
            "top": [r["cause"] for r in result["ranking"][:3]], "files": files}
