"""The monthly committee report: ranked causes with trends, NPS impact, sub-causes with
verbatims, co-occurring causes, actions and callbacks; written as HTML, Markdown and CSV."""

from pipelines.report.build import ReportOptions, build_report, month_names, month_range
from pipelines.report.html import render_html
from pipelines.report.plain import causes_csv, render_markdown

__all__ = ["ReportOptions", "build_report", "causes_csv", "month_names", "month_range", "render_html",
           "render_markdown"]
