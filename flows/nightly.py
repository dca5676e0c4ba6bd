"""The nightly run: land the inbox, classify what is new, list callbacks, raise spike alerts,
then file each processed file away. Safe to re-run: every step adds only what is missing."""

from __future__ import annotations

import shutil
from dataclasses import asdict, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task

from pipelines import CHANNELS
from pipelines.alerts import AlertPolicy, alerts_markdown, find_spikes
from pipelines.callbacks import DeadlinePolicy, callback_rows, callbacks_csv
from pipelines.classify.batch import classify_pending, save_batch, unprepared_batches
from pipelines.classify.parallel import predict_texts
from pipelines.ingest import FileReport, IngestOptions, ingest_file
from pipelines.ingest.inbox import scan_folder, still_regular
from pipelines.store import Warehouse
from pipelines.store import nightly as store
from pipelines.text.redact import redact_names
from voc.config import Settings, load_settings
from voc.models import load_model
from flows.runlock import run_lock

IO_RETRIES = {"retries": 3, "retry_delay_seconds": [2, 10, 30]}


@task(**IO_RETRIES)
def scan_inbox(inbox: Path) -> tuple[list[Path], list[dict]]:
    """Files waiting in inbox/<channel>/ (archive/ and rejected/ are not read), and every other
    entry there with why it is left alone (links, sub-folders, devices, other file types)."""
    found, skipped = [], []
    for channel in CHANNELS:
        files, others = scan_folder(inbox / channel)
        found += files
        skipped += [{"path": str(s.path), "why": s.why} for s in others]
    return found, skipped


@task
def ingest(db: Path, path: Path, options: IngestOptions) -> dict:
    if not still_regular(path):  # swapped for a link since the scan: never followed
        return asdict(FileReport(path=str(path), status="rejected", channel=path.parent.name,
                                 reason="no longer a regular file (a link?): not read"))
    with Warehouse(db) as wh:
        return asdict(ingest_file(wh, path, replace(options, channel=path.parent.name)))


def _free_name(folder: Path, name: str) -> Path:
    target, n = folder / name, 1
    while target.exists():
        target, n = folder / f"{Path(name).stem}.{n}{Path(name).suffix}", n + 1
    return target


@task(**IO_RETRIES)
def file_away(inbox: Path, report: dict, day: date) -> str:
    """archive/YYYY-MM-DD/<channel>/ for landed files; rejected/<channel>/ with a .reason.txt."""
    source = Path(report["path"])
    channel = source.parent.name
    if report["status"] == "landed":
        folder = inbox / "archive" / day.isoformat() / channel
    else:
        folder = inbox / "rejected" / channel
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, source.name)
    if report["status"] != "landed":
        reason = target.with_name(target.name + ".reason.txt")
        reason.touch(mode=0o640)  # readable by the owner and its group only
        reason.chmod(0o640)
        reason.write_text(report["reason"] + "\n", "utf-8")
    shutil.move(str(source), target)
    return str(target)


@task
def predict_batch(model_folder: str, texts: list[str], languages: tuple[str, ...], names: bool):
    """One batch of thousands of items, on whichever worker the task runner picks."""
    return predict_texts(model_folder, texts, languages, names)


def classify_distributed(db: Path, settings: Settings, batch_size: int = 5000) -> dict:
    """Classification batches as tasks on the flow's task runner (a Dask cluster)."""
    model = load_model(settings.models_dir)
    with Warehouse(db) as wh:
        batches = unprepared_batches(wh, batch_size)
    futures = [predict_batch.submit(str(model.path), texts, settings.languages, settings.redact_names)
               for _, texts in batches]
    with Warehouse(db) as wh:
        for (ids, _), future in zip(batches, futures):
            prepared, columns = future.result()
            save_batch(wh, ids, prepared, columns, model.version)
        # items prepared earlier for another model are classified here, locally
        _, classified = classify_pending(wh, model, languages=settings.languages, names=settings.redact_names)
    done = sum(len(ids) for ids, _ in batches)
    return {"model": model.version, "prepared": done, "classified": done + classified}


@task
def classify_new(db: Path, settings: Settings, workers: int) -> dict:
    model = load_model(settings.models_dir)
    with Warehouse(db) as wh:
        prepared, classified = classify_pending(wh, model, languages=settings.languages,
                                                names=settings.redact_names, workers=workers)
    return {"model": model.version, "prepared": prepared, "classified": classified}


def _display(texts: list[str], languages: list[str], *, names: bool = True) -> list[str]:
    """One line of at most 500 characters; with `names`, person names found by spaCy go too."""
    shown = redact_names(texts, languages) if names else texts
    return [" ".join(t.split())[:500] for t in shown]


@task
def build_callbacks(db: Path, settings: Settings, policy: DeadlinePolicy, model_version: str,
                    today: date, out_dir: Path, lookback_days: int = 7) -> dict:
    end_of_day = datetime.combine(today + timedelta(days=1), time(0), ZoneInfo(policy.timezone))
    end = min(datetime.now(timezone.utc), end_of_day)
    with Warehouse(db) as wh:
        candidates = store.callback_candidates(wh, model_version, end - timedelta(days=lookback_days), end)
        added = store.save_callbacks(wh, callback_rows(candidates, policy, listed_on=today, model_version=model_version))
        listed = store.callbacks_listed(wh, today)
    # The list can hold thousands of rows: it shows the prepared text (patterns redacted: e-mails,
    # phones, cards, IDs, patronymic names), not a spaCy pass per row (~500 items/s).
    texts = dict(zip([r["item_id"] for r in listed],
                     _display([r["text_clean"] or "" for r in listed], [r["language"] or "other" for r in listed],
                              names=False)))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{today.isoformat()}.csv"
    path.write_text(callbacks_csv(listed, texts, policy.timezone), "utf-8")
    return {"added": added, "listed_today": len(listed), "file": str(path)}


@task
def spike_alerts(db: Path, settings: Settings, policy: AlertPolicy, model_version: str, day: date,
                 tz: str, out_dir: Path) -> dict:
    zone = ZoneInfo(tz)
    start = datetime.combine(day - timedelta(weeks=policy.weeks), time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    taxonomy_keys = load_model(settings.models_dir, model_version).labels
    with Warehouse(db) as wh:
        counts = store.daily_counts(wh, model_version, tz, start, end)
        spikes = find_spikes(counts, day, taxonomy_keys, policy)
        store.save_alerts(wh, [{**asdict(s), "model_version": model_version} for s in spikes])
        items = {s.pain_point: store.alert_items(wh, model_version, tz, day, s.pain_point) for s in spikes}
    for rows in items.values():
        for row, text in zip(rows, _display([r["text_clean"] for r in rows], [r["language"] for r in rows])):
            row["text"] = text
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{day.isoformat()}.md"
    path.write_text(alerts_markdown(day, spikes, items, policy), "utf-8")
    return {"spikes": [s.pain_point for s in spikes], "file": str(path)}


@flow(name="nightly", log_prints=True)
def nightly(inbox: str | None = None, reports: str | None = None, workers: int | None = None,
            today: str | None = None, distributed: bool = False) -> dict:
    """Ingest every inbox file, classify new items, build the callback list and spike alerts."""
    logger = get_run_logger()
    settings = load_settings()
    inbox_dir = Path(inbox) if inbox else settings.inbox
    reports_dir = Path(reports) if reports else settings.reports
    zone = ZoneInfo(settings.report_timezone)
    run_day = date.fromisoformat(today) if today else datetime.now(zone).date()
    with run_lock(settings.db_path, name="nightly", wait_seconds=settings.lock_wait_seconds):
        files, skipped = scan_inbox(inbox_dir)
        logger.info("inbox %s: %d file(s)", inbox_dir, len(files))
        for entry in skipped:
            logger.warning("left in the inbox %s: %s", entry["path"], entry["why"])
        reports_ = [ingest(settings.db_path, path, settings.ingest) for path in files]
        for report in reports_:
            if report["status"] == "rejected":
                logger.warning("rejected %s: %s", report["path"], report["reason"])
        if distributed:
            classified = classify_distributed(settings.db_path, settings)
        else:
            classified = classify_new(settings.db_path, settings, workers or settings.workers)
        logger.info("classified %d new item(s) with %s", classified["classified"], classified["model"])
        callbacks = build_callbacks(settings.db_path, settings, settings.callbacks, classified["model"], run_day,
                                    reports_dir / "callbacks")
        alerts = spike_alerts(settings.db_path, settings, settings.alerts, classified["model"],
                              run_day - timedelta(days=1), settings.report_timezone, reports_dir / "alerts")
        moved = [file_away(inbox_dir, report, run_day) for report in reports_]
    summary = {
        "files": len(files), "rejected": sum(r["status"] == "rejected" for r in reports_),
        "landed": sum(r["landed"] for r in reports_), "duplicate": sum(r["duplicate"] for r in reports_),
        "quarantined": sum(r["quarantined"] for r in reports_), **classified,
        "callbacks": callbacks, "alerts": alerts, "filed": moved, "skipped": skipped,
    }
    logger.info("nightly done: %s", {k: v for k, v in summary.items() if k != "filed"})
    return summary
