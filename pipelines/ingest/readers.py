"""Turn the bytes of an export into rows: header and delimiter of CSV files, spreadsheet
rows, JSON records. Values stay text; validation happens in SQL (pipelines.store)."""

from __future__ import annotations

import csv
import io
import json
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
    first_line = head.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))
    return best if counts[best] > 1 else ","


def read_header(head: str, delimiter: str) -> list[str]:
    rows = csv.reader(io.StringIO(head.lstrip("\ufeff")), delimiter=delimiter)
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


def json_records(path: Path, encoding: str) -> Iterator[pa.Table]:
    """Batches of (`line`, `raw`): one JSON Lines record per line, or one element of a JSON array."""
    chunks = iter_text(path, encoding)
    first = next(chunks, "")
    if first.lstrip("\ufeff \r\n\t").startswith("["):
        text = first + "".join(chunks)
        try:
            elements = json.loads(text.lstrip("\ufeff"))
        except json.JSONDecodeError:
            elements = None
        if isinstance(elements, list):
            raws = [json.dumps(e, ensure_ascii=False) for e in elements]
            yield pa.table({"line": pa.array(range(1, len(raws) + 1), pa.int64()), "raw": pa.array(raws, pa.string())})
            return
        chunks = iter([text])
        first = ""
    line_no = 0
    pending = first.lstrip("\ufeff")
    for chunk in chunks:
        pending += chunk
        if len(pending) < 32 * 1024 * 1024 or "\n" not in pending:
            continue
        complete, _, pending = pending.rpartition("\n")
        yield _lines_table(complete.split("\n"), line_no)
        line_no += complete.count("\n") + 1
    if pending:
        lines = pending.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        yield _lines_table(lines, line_no)


def _lines_table(lines: list[str], before: int) -> pa.Table:
    return pa.table({
        "line": pa.array(range(before + 1, before + len(lines) + 1), pa.int64()),
        "raw": pa.array([line.rstrip("\r") for line in lines], pa.string()),
    })
