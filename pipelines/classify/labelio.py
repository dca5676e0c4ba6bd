"""Label files in and out: JSON Lines (the labels format), CSV and Label Studio.

Reading never stops at a bad row: every row is either a label or a problem with its line
(or Label Studio task) number and reason, so a caller can land the good rows and report the
rest.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from pipelines.callbacks import safe_cell
from pipelines.classify.labels import SENTIMENTS

FORMATS = ("jsonl", "csv", "label-studio")


@dataclass(frozen=True)
class Problem:
    where: str     # "line 7" or "task 3 (id 1234)"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def _points(value: Any) -> list[str] | None:
    if value is None or value == "":
        return None if value is None else []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text in ("[]", "-", "none"):
        return []
    return [p.strip() for p in re.split(r"[;|,]", text) if p.strip()]


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"time {value!r} is not ISO 8601 (2026-11-02T14:05:00Z)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def validate(row: dict[str, Any], keys: list[str], annotator: str | None) -> dict[str, Any]:
    """One label row in the warehouse shape, or ValueError with the reason."""
    item_id = str(row.get("item_id") or row.get("id") or "").strip()
    if not item_id:
        raise ValueError("no id")
    sentiment = (row.get("sentiment") or None)
    if isinstance(sentiment, str):
        sentiment = sentiment.strip().lower() or None
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise ValueError(f"sentiment {sentiment!r} is not one of {', '.join(SENTIMENTS)}")
    points = _points(row.get("pain_points"))
    if points is not None:
        unknown = [p for p in points if p not in keys]
        if unknown:
            raise ValueError(f"unknown pain point(s) {', '.join(map(repr, unknown))}; the taxonomy has {', '.join(keys)}")
        points = list(dict.fromkeys(points))
    if sentiment is None and points is None:
        raise ValueError("neither sentiment nor pain_points is given")
    who = str(row.get("annotator") or "").strip() or (annotator or "")
    if not who:
        raise ValueError("no annotator: add an annotator column/field or pass --annotator NAME")
    text = row.get("text")
    text = text[1:] if isinstance(text, str) and text[:2] in ("'=", "'+", "'-", "'@") else text
    return {"item_id": item_id, "text": text if isinstance(text, str) and text.strip() else None,
            "lang": (str(row.get("lang")).strip() or None) if row.get("lang") else None,
            "sentiment": sentiment, "pain_points": points, "annotator": who,
            "labelled_at": _when(row.get("labelled_at") or row.get("created_at")),
            "sampling": _sampling(row.get("sampling"))}


def _sampling(value: Any) -> str | None:
    """'random' or 'targeted: ...' as the export wrote it; None when the file does not say."""
    text = str(value).strip() if value is not None else ""
    return text or None


def sniff_format(name: str, head: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith(".jsonl"):
        return "jsonl"
    if head.lstrip().startswith("["):
        return "label-studio"
    return "jsonl"


def read_label_file(text: str, name: str, keys: list[str], *, annotator: str | None = None,
                    fmt: str | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """(label rows, problems) of a JSONL, CSV or Label Studio export."""
    fmt = fmt or sniff_format(name, text[:200])
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for where, raw in _raw_rows(text, fmt, problems):
        try:
            rows.append(validate(raw, keys, annotator))
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
    return rows, problems


def _raw_rows(text: str, fmt: str, problems: list[Problem]) -> Iterable[tuple[str, dict[str, Any]]]:
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        if not reader.fieldnames or "id" not in reader.fieldnames and "item_id" not in reader.fieldnames:
            problems.append(Problem("line 1", "the header must name an id column (id or item_id)"))
            return
        for row in reader:
            if None in row:
                problems.append(Problem(f"line {reader.line_num}", "more cells than header columns"))
                continue
            yield f"line {reader.line_num}", row
    elif fmt == "label-studio":
        try:
            tasks = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"line {exc.lineno}", f"not valid JSON ({exc.msg}); a Label Studio export is "
                                    "one JSON array of tasks"))
            return
        if not isinstance(tasks, list):
            problems.append(Problem("line 1", "a Label Studio export is a JSON array of tasks"))
            return
        for n, task in enumerate(tasks, start=1):
            yield from _studio_rows(task, n, problems)
    else:
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(f"line {n}", f"not valid JSON ({exc.msg})"))
                continue
            if not isinstance(row, dict):
                problems.append(Problem(f"line {n}", "not a JSON object"))
                continue
            yield f"line {n}", row


def _studio_rows(task: Any, n: int, problems: list[Problem]) -> Iterable[tuple[str, dict[str, Any]]]:
    where = f"task {n} (id {task.get('id', '?') if isinstance(task, dict) else '?'})"
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        problems.append(Problem(where, "not a Label Studio task (no 'data' object)"))
        return
    data = task["data"]
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if not annotations:
        problems.append(Problem(where, "no annotation (only predictions or cancelled ones)"))
        return
    for a in annotations:
        row: dict[str, Any] = {"item_id": data.get("item_id") or data.get("id"), "text": data.get("text"),
                               "lang": data.get("lang"), "created_at": a.get("updated_at") or a.get("created_at"),
                               "sampling": data.get("sampling")}
        who = a.get("completed_by")
        row["annotator"] = (who.get("email") or who.get("id")) if isinstance(who, dict) else who
        row["annotator"] = None if row["annotator"] is None else str(row["annotator"])
        for result in a.get("result") or []:
            choices = (result.get("value") or {}).get("choices") if isinstance(result, dict) else None
            if choices is None:
                continue
            if result.get("from_name") == "sentiment":
                row["sentiment"] = choices[0] if choices else None
            elif result.get("from_name") == "pain_points":
                row["pain_points"] = list(choices)
        if "pain_points" not in row and "sentiment" in row:
            row["pain_points"] = []  # Label Studio leaves out an empty multiple choice
        yield where, row


# -- export --------------------------------------------------------------------------------
def sampling_of(row: dict[str, Any]) -> str:
    """How an exported item was picked: "random" for a random sample (its labels estimate
    precision and recall), else "targeted: <why>"."""
    return "random" if row.get("reason") == "random sample" else f"targeted: {row.get('reason', '')}"



def export_rows(items: list[dict[str, Any]], fmt: str, model_version: str) -> str:
    """Items to label, each with the current prediction as a pre-annotation."""
    if fmt == "jsonl":
        return "".join(json.dumps({
            "id": r["id"], "text": r["text"], "lang": r["lang"], "sentiment": r["sentiment"],
            "pain_points": list(r["pain_points"]), "source": "warehouse", "annotator": "",
            "prediction": {"model": model_version, "scores": r["scores"], "reason": r["reason"]},
            "sampling": sampling_of(r),
        }, ensure_ascii=False) + "\n" for r in items)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "text", "lang", "sentiment", "pain_points", "annotator", "model", "reason", "sampling"])
        for r in items:
            writer.writerow([safe_cell(v) for v in (r["id"], r["text"], r["lang"], r["sentiment"],
                                                    ";".join(r["pain_points"]), "", model_version, r["reason"],
                                                    sampling_of(r))])
        return out.getvalue()
    if fmt == "label-studio":
        tasks = [{"data": {"item_id": r["id"], "text": r["text"], "lang": r["lang"], "reason": r["reason"],
                           "sampling": sampling_of(r)},
                  "predictions": [{"model_version": model_version, "score": r.get("confidence"), "result": [
                      {"from_name": "sentiment", "to_name": "text", "type": "choices",
                       "value": {"choices": [r["sentiment"]]}},
                      {"from_name": "pain_points", "to_name": "text", "type": "choices",
                       "value": {"choices": list(r["pain_points"])}}]}]} for r in items]
        return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


def label_studio_config(keys: list[str]) -> str:
    """The Label Studio labelling interface that matches exports and imports."""
    choices = "\n".join(f'    <Choice value="{k}"/>' for k in keys)
    return ('<View>\n  <Text name="text" value="$text"/>\n'
            '  <Choices name="sentiment" toName="text" choice="single" showInLine="true">\n'
            '    <Choice value="negative"/>\n    <Choice value="neutral"/>\n    <Choice value="positive"/>\n'
            '  </Choices>\n  <Choices name="pain_points" toName="text" choice="multiple">\n'
            f'{choices}\n  </Choices>\n</View>\n')
