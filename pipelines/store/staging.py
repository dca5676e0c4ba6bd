"""Load a source file's rows into the temp table `staged` (one text column per record field).

Delimited files are read by DuckDB's CSV reader (fast, parallel); spreadsheets and JSON
lines arrive as Arrow tables. Every row keeps its line number and its raw content, so a
row that fails validation can be quarantined exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import duckdb
import pyarrow as pa

from pipelines.store.warehouse import Warehouse, read_sql

_DELIMITERS = {",", ";", "\t", "|"}
_MAX_RECORD_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class ColumnProjection:
    """Which source columns (by position) make each record field."""

    headers: list[str]
    text: list[int]
    source_id: int | None = None
    received: int | None = None
    customer: int | None = None
    score: int | None = None
    parent: int | None = None
    extra: dict[str, int] = field(default_factory=dict)
    touchpoints: dict[str, int] = field(default_factory=dict)
    source: str = ""


def stage_delimited(wh: Warehouse, path: Path, *, delimiter: str, n_columns: int,
                    lines: tuple[Sequence[int], Sequence[int]] | None = None) -> bool:
    """Read a UTF-8 delimited file into `source_rows(line, c0..)` and `source_rejects`.

    `lines`: DuckDB's line and the physical line of each record, for files with blank lines (see
    pipelines.ingest.readers.record_lines). Returns False, staging nothing, when a byte of the
    file is not valid UTF-8.
    """
    if delimiter not in _DELIMITERS:
        raise ValueError(f"unsupported delimiter {delimiter!r}")
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n_columns))
    delim_literal = "'\\t'" if delimiter == "\t" else f"'{delimiter}'"
    con = wh.con
    con.execute("DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_reject_scans")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE csv_raw AS
        SELECT row_number() OVER () AS rn, *
        FROM read_csv($path, header = true, auto_detect = false, columns = {{{columns}}},
                      delim = {delim_literal}, quote = '"', escape = '"', strict_mode = true,
                      store_rejects = true, ignore_errors = true,
                      rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans',
                      max_line_size = {_MAX_RECORD_BYTES}, parallel = true)""",
        {"path": str(path)},
    )
    if con.execute("SELECT count(*) FROM csv_rejects WHERE error_type = 'INVALID ENCODING'").fetchone()[0]:
        return False
    # One reject per broken record: DuckDB's `line` counts records, header included.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE rejected_records AS
        SELECT line - 1 AS record, any_value(csv_line ORDER BY column_idx) AS raw,
               string_agg(DISTINCT error_type, ', ') AS problem,
               row_number() OVER (ORDER BY line) AS rank
        FROM csv_rejects GROUP BY line"""
    )
    n_rejects = con.execute("SELECT count(*) FROM rejected_records").fetchone()[0]
    select_columns = ", ".join(f"c{i}" for i in range(n_columns))
    has_newline = " OR ".join(f"contains(c{i}, chr(10))" for i in range(n_columns))
    multiline = con.execute(f"SELECT count(*) FROM csv_raw WHERE {has_newline}").fetchone()[0]
    con.execute("CREATE OR REPLACE TEMP TABLE source_rejects (line BIGINT, raw VARCHAR, problem VARCHAR)")
    if lines is not None and _stage_with_lines(wh, lines, select_columns):
        return True
    if n_rejects == 0 and multiline == 0:
        # The common case: record n sits on line n + 1.
        con.execute(f"CREATE OR REPLACE TEMP VIEW source_rows AS SELECT rn + 1 AS line, {select_columns} FROM csv_raw")
        return True
    # Record number of each good row (DuckDB drops broken records from the scan) and the
    # newlines inside each record; a line is header + record number + earlier newlines.
    newline_count = " + ".join(
        f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)" for i in range(n_columns)
    )
    record = "rn" if n_rejects == 0 else (
        "rn + (SELECT count(*) FROM rejected_records r WHERE r.record - r.rank < csv_raw.rn)"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE record_lines AS
        WITH records AS (
            SELECT rn, {record} AS record, CASE WHEN {has_newline} THEN {newline_count} ELSE 0 END AS newlines
            FROM csv_raw
            UNION ALL
            SELECT NULL, record, length(raw) - length(replace(raw, chr(10), '')) FROM rejected_records
        )
        SELECT rn, record, 1 + record + coalesce(sum(newlines) OVER (
                   ORDER BY record ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line
        FROM records"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW source_rows AS
        SELECT l.line, {select_columns} FROM csv_raw JOIN record_lines l ON l.rn = csv_raw.rn"""
    )
    con.execute(
        """INSERT INTO source_rejects
        SELECT l.line, r.raw, 'malformed CSV record (' || r.problem || ')'
        FROM rejected_records r JOIN record_lines l ON l.rn IS NULL AND l.record = r.record"""
    )
    return True


def _stage_with_lines(wh: Warehouse, lines: tuple[Sequence[int], Sequence[int]], select_columns: str) -> bool:
    """Line numbers from `lines`: rejected records by DuckDB's line, good rows in order among
    the rest. False (nothing staged) when the two readers disagree on the records."""
    con = wh.con
    duck_lines, physical = lines
    wh.register("record_map_rows", pa.table({"duck_line": pa.array(duck_lines, pa.int64()),
                                             "line": pa.array(physical, pa.int64())}))
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE record_map AS
            SELECT m.line, m.duck_line,
                   CASE WHEN r.record IS NULL THEN row_number() OVER (PARTITION BY r.record IS NULL ORDER BY m.duck_line)
                   END AS rn,
                   r.raw, r.problem
            FROM record_map_rows m LEFT JOIN rejected_records r ON r.record + 1 = m.duck_line"""
        )
    finally:
        con.unregister("record_map_rows")
    good = con.execute("SELECT count(*) FROM record_map WHERE problem IS NULL").fetchone()[0]
    rejected = con.execute("SELECT count(*) FROM record_map WHERE problem IS NOT NULL").fetchone()[0]
    if (good, rejected) != (con.execute("SELECT count(*) FROM csv_raw").fetchone()[0],
                            con.execute("SELECT count(*) FROM rejected_records").fetchone()[0]):
        return False
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW source_rows AS
        SELECT m.line, {select_columns} FROM csv_raw JOIN record_map m ON m.rn = csv_raw.rn"""
    )
    con.execute(
        """INSERT INTO source_rejects
        SELECT line, ltrim(raw, chr(13) || chr(10)), 'malformed CSV record (' || problem || ')'
        FROM record_map WHERE problem IS NOT NULL"""
    )
    return True


def stage_table(wh: Warehouse, table: pa.Table) -> None:
    """Spreadsheet rows (columns `line`, `c0`..) into `source_rows`; no rejects."""
    wh.register("arrow_rows", table)
    wh.con.execute("CREATE OR REPLACE TEMP TABLE sheet_rows AS SELECT * FROM arrow_rows")
    wh.con.unregister("arrow_rows")
    wh.con.execute("CREATE OR REPLACE TEMP VIEW source_rows AS SELECT * FROM sheet_rows")
    wh.con.execute(
        "CREATE OR REPLACE TEMP TABLE source_rejects (line BIGINT, raw VARCHAR, problem VARCHAR)"
    )


def stage_columns(wh: Warehouse, projection: ColumnProjection, *,
                  company_accounts: list[str] | None = None) -> None:
    """Build `staged` from `source_rows`/`source_rejects` using a column projection.

    With `company_accounts` (social posts), reposts and the company's own posts are marked.
    """
    params: dict[str, object] = {"source": projection.source}

    def key(name: str) -> str:
        label = f"k{len(params)}"
        params[label] = name
        return f"sp.{label}"

    def col(index: int | None) -> str:
        return "CAST(NULL AS VARCHAR)" if index is None else f"c{index}"

    raw = "json_object(" + ", ".join(f"{key(h)}, c{i}" for i, h in enumerate(projection.headers)) + ")"
    text = "concat_ws(chr(10) || chr(10), " + ", ".join(f"nullif(trim(c{i}), '')" for i in projection.text) + ")"
    extra_pairs = [f"{key(name)}, c{i}" for name, i in projection.extra.items()]
    if projection.touchpoints:
        touch = ", ".join(
            f"{key(name)}, try_cast(trim(c{i}) AS INTEGER)" for name, i in projection.touchpoints.items()
        )
        extra_pairs.append(f"{key('touchpoints')}, json_object({touch})")
        checks = ", ".join(
            f"CASE WHEN nullif(trim(c{i}), '') IS NOT NULL AND NOT regexp_full_match(trim(c{i}), '(10|[0-9])')"
            f" THEN {key(name)} || '=' || c{i} END"
            for name, i in projection.touchpoints.items()
        )
        touch_problem = f"nullif(concat_ws(', ', {checks}), '')"
    else:
        touch_problem = "CAST(NULL AS VARCHAR)"
    extra = f"json_object({', '.join(extra_pairs)})" if extra_pairs else "CAST(NULL AS JSON)"
    kind = "'feedback'"
    if company_accounts is not None:
        params["accounts"] = [a.lower().lstrip("@") for a in company_accounts]
        kind = (f"CASE WHEN starts_with(ltrim({text}), 'RT @') THEN 'retweet' "
                f"WHEN list_contains(sp.accounts, lower(ltrim(trim({col(projection.customer)}), '@'))) "
                "THEN 'company' ELSE 'feedback' END")
    # A view cannot hold prepared parameters: they live in a one-row table joined in.
    wh.con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_params AS SELECT "
        + ", ".join(f"${name} AS {name}" for name in params),
        params,
    )
    wh.con.execute(
        f"""CREATE OR REPLACE TEMP VIEW staged AS
        SELECT line, CAST({raw} AS VARCHAR) AS raw, CAST(NULL AS VARCHAR) AS parse_problem, sp.source AS source,
               {col(projection.source_id)} AS source_id, {col(projection.received)} AS received_raw,
               {text} AS text, {col(projection.customer)} AS customer_raw,
               {col(projection.score)} AS score_raw, {col(projection.parent)} AS parent_id,
               {kind} AS kind, CAST(NULL AS VARCHAR) AS lang, {extra} AS extra,
               {touch_problem} AS touch_problem
        FROM source_rows, stage_params AS sp
        UNION ALL BY NAME
        SELECT line, raw, problem AS parse_problem, sp.source AS source
        FROM source_rejects, stage_params AS sp"""
    )


def stage_lines(wh: Warehouse, *, company_handles: list[str], company_ids: list[str],
                path: Path | None = None, batches: Iterable[pa.Table] = ()) -> bool:
    """JSON records into the view `staged` through the social adapter SQL.

    Records come from a UTF-8 JSON Lines file at `path` (split by DuckDB, line numbers kept,
    blank lines included), or from Arrow batches of (`line`, `raw`). Returns False, staging
    nothing, when a byte of the file is not valid UTF-8.
    """
    if path is not None:
        try:
            wh.con.execute(
                """CREATE OR REPLACE TEMP TABLE source_lines AS
                SELECT generate_subscripts(parts, 1) AS line, unnest(parts) AS raw
                FROM (SELECT string_split(content, chr(10)) AS parts FROM read_text($path))""",
                {"path": str(path)},
            )
        except duckdb.InvalidInputException as exc:
            if "UTF-8" in str(exc):
                return False
            raise
    else:
        wh.con.execute("CREATE OR REPLACE TEMP TABLE source_lines (line BIGINT, raw VARCHAR)")
    for batch in batches:
        wh.register("arrow_lines", batch)
        wh.con.execute("INSERT INTO source_lines SELECT line, raw FROM arrow_lines")
        wh.con.unregister("arrow_lines")
    wh.run_file(
        "stage_social.sql",
        {
            "company_handles": [h.lower().lstrip("@") for h in company_handles],
            "company_ids": [str(i) for i in company_ids],
        },
    )
    return True


def staged_summary(wh: Warehouse) -> tuple[int, int]:
    """(rows staged, rows whose record could not even be parsed)."""
    return wh.con.execute(
        "SELECT count(*), count(parse_problem) FROM staged"
    ).fetchone()
