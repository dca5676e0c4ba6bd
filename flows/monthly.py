"""The monthly run: the committee report for a month (default: the previous calendar month
in the company's time zone), written to reports/YYYY-MM/. `voc report` runs the same code."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task

from voc import reporting
from voc.config import load_settings


def previous_month(today: date) -> str:
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


@task
def compose_report(month: str, model_version: str | None) -> dict:
    return reporting.compose(load_settings(), month, model_version)


@task(retries=3, retry_delay_seconds=[2, 10, 30])
def write_report(report: dict, out_dir: Path) -> list[str]:
    return [str(p) for p in reporting.write(report, out_dir)]


@flow(name="monthly", log_prints=True)
def monthly(month: str | None = None, reports: str | None = None, model_version: str | None = None) -> dict:
    """The committee report for a month, with the production model's predictions."""
    settings = load_settings()
    month = month or previous_month(datetime.now(ZoneInfo(settings.report_timezone)).date())
    report = compose_report(month, model_version)
    if report["data_note"]:
        get_run_logger().warning(report["data_note"])
    files = write_report(report, Path(reports or settings.reports) / month)
    return {"month": month, "model": report["model"], "items": report["totals"]["items"],
            "top": [r["cause"] for r in report["ranking"][:3]], "files": files}
