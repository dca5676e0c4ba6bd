"""Turn the bytes of an export into rows: header and delimiter of CSV files, spreadsheet
rows, JSON records. Values stay text; validation happens in SQL (pipelines.store)."""

from __future__ import annotations

import csv
import io
from array import array
import json
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from pipelines.ingest.files import FileRejected, iter_text

_DELIMITERS = [",", ";", "\t", "|"]
_LINES_PER_BATCH = 200_000


def sniff_delimiter(head: str) -> str:
    """The delimiter that splits the header line into the most columns."""
    first_line = re.split(r"\r\n|\r|\n", head.lstrip("\ufeff"), maxsplit=1)[0]  # old Mac files end lines with CR
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))
    return best if counts[best] > 1 else ","


def record_lines(path: Path, delimiter: str) -> tuple[array, array] | None:
    """For a UTF-8 delimited file that holds blank lines: DuckDB's line and the first physical
    line of each record after the header (two arrays). DuckDB skips blank lines and counts neither them nor the
    line breaks inside quoted values the way an editor does, so its numbers stop giving lines;
    DuckDB's line here is 1 (header) + records and blank lines before + 1. None when the file
    has no blank line (record n is then on line n + 1 plus earlier line breaks) or cannot be
    parsed here (the caller keeps DuckDB's count)."""
    if not _has_blank_line(path):
        return None
    duck_lines, lines = array("q"), array("q")
    records = blanks = 0
    header = True
    before = 0
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(1 << 30)
        with open(path, encoding="utf-8-sig", newline="") as source:
            reader = csv.reader(source, delimiter=delimiter, quotechar='"', doublequote=True)
            for row in reader:
                start, before = before + 1, reader.line_num
                if not row:
                    blanks += 1
                elif header:
                    header = False
                else:
                    records += 1
                    duck_lines.append(1 + records + blanks)
                    lines.append(start)
    except (csv.Error, UnicodeDecodeError):
        return None
    finally:
        csv.field_size_limit(limit)
    return duck_lines, lines


def _has_blank_line(path: Path, chunk: int = 1 << 24) -> bool:
    tail = b"\n"  # a file that opens with a line break opens with a blank line
    with open(path, "rb") as source:
        while block := source.read(chunk):
            window = tail + block
            if b"\n\n" in window or b"\n\r\n" in window:
                return True
            tail = window[-2:]
    return False


def read_header(head: str, delimiter: str) -> list[str]:
    rows = csv.reader(io.StringIO(head.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = next(rows, [])
    if not any(cell.strip() for cell in header):
        raise FileRejected("the first line holds no column names")
    return header


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(path: Path, sheet: str | None = None) -> tuple[list[str], pa.Table]:
    """Header and rows (`line` = the spreadsheet's row number, `c0`.. as text) of one sheet."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError) as exc:
        raise FileRejected(f"truncated or corrupt .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise FileRejected(f"no sheet named {sheet!r}; the workbook has {book.sheetnames}")
        rows = book[sheet] if sheet else book.worksheets[0]
        header: list[str] | None = None
        lines: list[int] = []
        cells: list[list[str | None]] = []
        for number, values in enumerate(rows.iter_rows(values_only=True), start=1):
            texts = [_cell_text(v) for v in values]
            if not any(t is not None and t.strip() for t in texts):
                continue
            if header is None:
                header = [t or "" for t in texts]
                continue
            lines.append(number)
            cells.append(texts)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise FileRejected(f"truncated or corrupt .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    finally:
        book.close()
    if header is None:
        raise FileRejected("the workbook's first sheet is empty")
    width = max([len(header)] + [len(row) for row in cells])
    header += [""] * (width - len(header))
    columns = {"line": pa.array(lines, pa.int64())}
    for i in range(width):
        columns[f"c{i}"] = pa.array([row[i] if i < len(row) else None for row in cells], pa.string())
    return header, pa.table(columns)


def is_json_array(path: Path, encoding: str) -> bool:
    """True when the file's first character is '[' (one JSON array rather than JSON Lines)."""
    for chunk in iter_text(path, encoding):
        stripped = chunk.lstrip("\ufeff \r\n\t")
        if stripped:
            return stripped.startswith("[")
    return False


def json_array_records(path: Path, encoding: str) -> Iterator[pa.Table]:
    """One (`line`, `raw`) row per element of a JSON array file; `line` is the element's number."""
    text = "".join(iter_text(path, encoding)).lstrip("\ufeff")
    try:
        elements = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    if not isinstance(elements, list):
        raise FileRejected("a .json file must hold one array of posts, or be JSON Lines")
    raws = [json.dumps(e, ensure_ascii=False) for e in elements]
    yield pa.table({"line": pa.array(range(1, len(raws) + 1), pa.int64()), "raw": pa.array(raws, pa.string())})
