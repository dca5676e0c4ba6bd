"""report.html in headless Chromium: the DOM holds the ranked causes, no customer text ran
as script, Hebrew is laid out right to left; a screenshot is kept as a test artifact
(build/test-artifacts/report.png). Skipped, with the reason, where Chromium is missing
(`.ci/run` installs Debian's chromium package where it can)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.report import render_html
from tests.conftest import ROOT
from tests.test_report import _synthetic_report

CHROMIUM = next((p for p in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (Debian: apt-get install chromium); "
                                "the browser test of report.html is skipped")
ARTIFACTS = ROOT / "build" / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


def _page(tmp_path: Path) -> Path:
    report = _synthetic_report()
    second = dict(report["ranking"][0], cause="self_service", rank=2, label="Self-service")
    report["ranking"].append(second)
    report["labels"]["self_service"] = "Illogical self-service"
    page = tmp_path / "report.html"
    page.write_text(render_html(report), "utf-8")
    return page


def test_dom_holds_the_ranked_causes_and_no_customer_script_ran(tmp_path):
    page = _page(tmp_path)
    done = _chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<title>Complaint committee report 2026-10</title>" in dom  # a script would have set PWNED
    assert "PWNED" not in dom.split("</title>")[0]
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "<script" not in dom.lower()
    order = [dom.index(f'data-cause="{key}"') for key in ("long_wait", "self_service")]
    assert order == sorted(order)
    assert "&lt;script&gt;document.title" in dom  # the customer's words are shown, as text


def test_screenshot_on_a4_width(tmp_path):
    page = _page(tmp_path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    done = _chromium(tmp_path, "--window-size=794,1123", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 10_000
    pdf = ARTIFACTS / "report.pdf"
    done = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert done.returncode == 0 and pdf.read_bytes()[:4] == b"%PDF"
