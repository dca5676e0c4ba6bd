"""Ingest one file: inspect it, read it with its channel's adapter, land it in one transaction."""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from pipelines import CHANNELS
from pipelines.ingest import readers
from pipelines.ingest.files import FileFacts, FileRejected, inspect, iter_text, sha256_of
from pipelines.ingest.mapping import SourceMapping, find_mapping, guess_channel, project, shown_columns
from pipelines.store import Warehouse, staging
from pipelines.store.landing import LedgerEntry, land_staged, record_rejection

_HEAD_CHARS = 256 * 1024


@dataclass(frozen=True)
class IngestOptions:
    """Everything ingestion needs besides the file; the CLI fills it from voc.toml."""

    salt: str
    timezone: str = "UTC"
    dayfirst: bool = True
    max_text_chars: int = 50_000
    company_handles: list[str] = field(default_factory=list)
    company_ids: list[str] = field(default_factory=list)
    mappings: list[SourceMapping] = field(default_factory=list)
    channel: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class FileReport:
    path: str
    status: str  # landed | rejected
    channel: str | None = None
    source: str | None = None
    rows_read: int = 0
    landed: int = 0
    duplicate: int = 0
    quarantined: int = 0
    reason: str | None = None
    seconds: float = 0.0
    encoding: str | None = None


def channel_from_path(path: Path) -> str | None:
    """A parent folder named after a channel (data/inbox/survey/x.csv) names the channel."""
    for parent in path.resolve().parents:
        if parent.name in CHANNELS:
            return parent.name
    return None


def _read_head(path: Path, encoding: str) -> str:
    head = ""
    for chunk in iter_text(path, encoding):
        head += chunk
        if len(head) >= _HEAD_CHARS:
            break
    return head


def _decide_channel(options: IngestOptions, mapping: SourceMapping, path: Path,
                    facts: FileFacts, headers: list[str] | None) -> str:
    channel = options.channel or mapping.channel or channel_from_path(path)
    if channel is None:
        channel = "social" if facts.format == "jsonl" else guess_channel(headers or [])
    if channel is None:
        raise FileRejected(
            f"cannot tell the channel from the columns {shown_columns(headers)}; pass --channel "
            "complaint_book|social|survey or put the file in a folder named after its channel"
        )
    if channel not in CHANNELS:
        raise FileRejected(f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}")
    if facts.format == "jsonl" and channel != "social":
        raise FileRejected(
            f"a JSON file cannot be read as {channel}: complaint books and surveys come as CSV or .xlsx"
        )
    return channel


def _utf8_copy(path: Path, facts: FileFacts, workdir: Path) -> Path:
    """A clean UTF-8 copy of a file DuckDB cannot read as is (other encoding, BOM, bad bytes)."""
    copy = workdir / "utf8.txt"
    with open(copy, "w", encoding="utf-8", newline="") as out:
        first = True
        for chunk in iter_text(path, facts.encoding):
            out.write(chunk.lstrip("\ufeff") if first else chunk)
            first = first and not chunk
    return copy


def _read_as_utf8(path: Path, facts: FileFacts, workdir: Path, reader: Callable[[Path], bool]) -> None:
    """Let DuckDB read the file itself when it claims to be UTF-8 (DuckDB checks every byte);
    when it is not, or a byte is bad, read a decoded copy instead."""
    if facts.encoding == "utf-8" and reader(path):
        return
    if not reader(_utf8_copy(path, facts, workdir)):
        raise FileRejected("the file could not be decoded as text")


def _stage_tabular(wh: Warehouse, path: Path, facts: FileFacts, mapping: SourceMapping,
                   options: IngestOptions, workdir: Path) -> tuple[str, str]:
    """Stage a CSV or .xlsx file; returns (channel, source)."""
    if facts.format == "xlsx":
        headers, table = readers.xlsx_rows(path, mapping.sheet)
        channel = _decide_channel(options, mapping, path, facts, headers)
        staging.stage_table(wh, table)
    else:
        head = _read_head(path, facts.encoding)
        delimiter = readers.sniff_delimiter(head)
        headers = readers.read_header(head, delimiter)
        channel = _decide_channel(options, mapping, path, facts, headers)

        def read_csv(readable: Path) -> bool:
            try:
                return staging.stage_delimited(wh, readable, delimiter=delimiter, n_columns=len(headers),
                                               lines=readers.record_lines(readable, delimiter))
            except duckdb.Error as exc:
                first_line = str(exc).strip().splitlines()[0]
                raise FileRejected(f"not a readable CSV file: {first_line}") from exc

        _read_as_utf8(path, facts, workdir, read_csv)
    projection = project(headers, channel, mapping)
    accounts = options.company_handles + options.company_ids if channel == "social" else None
    staging.stage_columns(wh, projection, company_accounts=accounts)
    return channel, projection.source


def _stage(wh: Warehouse, path: Path, facts: FileFacts, mapping: SourceMapping,
           options: IngestOptions, workdir: Path) -> tuple[str, str]:
    if facts.format != "jsonl":
        return _stage_tabular(wh, path, facts, mapping, options, workdir)
    channel = _decide_channel(options, mapping, path, facts, None)
    accounts = {"company_handles": options.company_handles, "company_ids": options.company_ids}
    if readers.is_json_array(path, facts.encoding):
        staging.stage_lines(wh, batches=readers.json_array_records(path, facts.encoding), **accounts)
    else:
        _read_as_utf8(path, facts, workdir, lambda readable: staging.stage_lines(wh, path=readable, **accounts))
    return channel, mapping.name or channel


def _check_plausible(wh: Warehouse, facts: FileFacts) -> None:
    rows, unparsable = staging.staged_summary(wh)
    if rows >= 2 and unparsable > rows / 2:
        raise FileRejected(
            f"{unparsable} of {rows} records could not be parsed: this does not look like a "
            f"{'JSON Lines' if facts.format == 'jsonl' else 'CSV'} file"
        )


def ingest_file(wh: Warehouse, path: Path, options: IngestOptions) -> FileReport:
    """Land one file in the warehouse: all its good rows, its bad rows in quarantine, or
    nothing at all when the file as a whole is refused (the ledger says why)."""
    clock = time.perf_counter()
    mapping = find_mapping(options.mappings, path)
    entry = LedgerEntry(str(path), None, options.channel, None, None, None, datetime.now(timezone.utc))
    with ThreadPoolExecutor(max_workers=1) as pool:
        checksum = None
        try:
            facts = inspect(path, encoding=options.encoding or mapping.encoding)
            checksum = pool.submit(sha256_of, path)  # runs while DuckDB stages the rows
            entry = replace(entry, format=facts.format, encoding=facts.encoding)
            with tempfile.TemporaryDirectory(prefix="voc-ingest-") as tmp:
                channel, source = _stage(wh, path, facts, mapping, options, Path(tmp))
            entry = replace(entry, sha256=checksum.result(), channel=channel, source=source)
            _check_plausible(wh, facts)
            counts = land_staged(
                wh, entry,
                timezone_name=mapping.timezone or options.timezone,
                dayfirst=options.dayfirst if mapping.dayfirst is None else mapping.dayfirst,
                salt=options.salt, max_text_chars=options.max_text_chars,
            )
        except FileRejected as exc:
            if checksum is not None:
                entry = replace(entry, sha256=checksum.result())
            record_rejection(wh, entry, str(exc))
            return FileReport(str(path), "rejected", entry.channel, entry.source, reason=str(exc),
                              seconds=time.perf_counter() - clock, encoding=entry.encoding)
    return FileReport(
        str(path), "landed", entry.channel, entry.source, counts.rows_read, counts.landed,
        counts.duplicate, counts.quarantined, seconds=time.perf_counter() - clock,
        encoding=entry.encoding,
    )
