"""The committee report job shared by `voc report` and the monthly flow: compose the report
from the warehouse with a model's predictions, then write report.html, report.md,
causes.csv and report.json to reports/YYYY-MM/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pipelines.classify.taxonomy import load_taxonomy
from pipelines.report import build_report, causes_csv, render_html, render_markdown
from pipelines.store import Warehouse
from pipelines.text.redact import NameRedactor
from voc.config import ArgumentError, Settings
from voc.models import ModelNotFound, production_version

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def check_month(month: str) -> str:
    if not MONTH.fullmatch(month or ""):
        raise ArgumentError(f"month {month!r} is not YYYY-MM (for example 2026-10)")
    return month


def model_metrics(settings: Settings, version: str) -> dict[str, Any]:
    path = settings.models_dir / version / "metrics.json"
    if not path.is_file():
        raise ModelNotFound(f"no model folder {settings.models_dir / version}: the report needs the model's "
                            "evaluation to correct counts; `voc models list` (or ls models/) shows the versions")
    return json.loads(path.read_text("utf-8"))


def compose(settings: Settings, month: str, model_version: str | None = None) -> dict[str, Any]:
    """Build the month's report (and register its sub-causes) with the given or production model."""
    month = check_month(month)
    version = model_version or production_version(settings.models_dir)
    if version is None:
        raise ModelNotFound(f"no production model in {settings.models_dir}; run `voc train` first")
    metrics = model_metrics(settings, version)
    taxonomy = load_taxonomy(settings.taxonomy)
    labels = {p.key: p.label for p in taxonomy.pain_points}
    with NameRedactor() as redact_names, Warehouse(settings.db_path) as wh:
        return build_report(wh, month=month, model_version=version, metrics=metrics, labels=labels,
                            tz=settings.report_timezone, redact_display=redact_names)


def write(report: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write the four files; each appears whole (written beside, then renamed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"report.html": render_html(report), "report.md": render_markdown(report),
             "causes.csv": causes_csv(report),
             "report.json": json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n"}
    written = []
    for name, text in files.items():
        tmp = out_dir / f".{name}.tmp"
        tmp.write_text(text, "utf-8")
        tmp.replace(out_dir / name)
        written.append(out_dir / name)
    return written
