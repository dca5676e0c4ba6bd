"""Labelled items in JSON Lines: read, validate against the taxonomy, split by language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SENTIMENTS = ("negative", "neutral", "positive")


class LabelFileError(ValueError):
    """A label file has problems; the message lists them with line numbers."""


@dataclass(frozen=True)
class LabelledItem:
    id: str
    text: str
    lang: str  # "" when the file does not say (voc evaluate detects it)
    sentiment: str | None
    pain_points: tuple[str, ...] | None  # None: not labelled for pain points
    source: str = ""
    annotator: str = ""
    sampling: str = ""  # real items: "random", or "targeted: <how>"

    @property
    def corpus(self) -> str | None:
        """The real corpus an item was labelled from (`"twcs"` for `"twcs:123"`), else None."""
        return self.source.split(":", 1)[0] if ":" in self.source else None


def parse_label_line(line: str, keys: list[str]) -> LabelledItem:
    """One labelled item, or ValueError saying what is wrong with it."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    text = row.get("text")
    source = str(row.get("source", ""))
    if text is None and ":" in source:
        text = ""  # a real corpus item: its text is joined from the shared data (join_texts)
    elif not isinstance(text, str) or not text.strip():
        raise ValueError("no text (an item from a real corpus names it instead: \"source\": \"<corpus>:<id>\")")
    if not str(row.get("id", "")).strip():
        raise ValueError("no id")
    sentiment = row.get("sentiment")
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise ValueError(f"sentiment {sentiment!r} is not one of {', '.join(SENTIMENTS)}")
    points = row.get("pain_points")
    if points is not None:
        if not isinstance(points, list):
            raise ValueError("pain_points must be a list")
        unknown = [p for p in points if p not in keys]
        if unknown:
            raise ValueError(f"unknown pain points {unknown}; the taxonomy has {keys}")
    if sentiment is None and points is None:
        raise ValueError("neither sentiment nor pain_points is labelled")
    return LabelledItem(
        id=str(row["id"]), text=text, lang=str(row.get("lang") or ""), sentiment=sentiment,
        pain_points=None if points is None else tuple(dict.fromkeys(points)),
        source=source, annotator=str(row.get("annotator", "")), sampling=str(row.get("sampling", "")),
    )


def read_labels(paths: list[Path], keys: list[str], *, strict: bool = True,
                shared: Path | None = None, join: bool = True) -> list[LabelledItem]:
    """Items of every `*.jsonl` under `paths` (files or folders), in a stable order.

    With `strict`, any bad line raises LabelFileError listing every problem (file:line:
    reason); otherwise bad lines are skipped. Duplicate ids are an error either way.
    Items labelled from a real corpus carry no text: it is joined from `shared` (the folder
    of real corpora); CorpusMissing when they are there and that folder is not. With `join`
    False their text stays empty (comparing labels needs no text).
    """
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise LabelFileError(f"{path} does not exist: name a label file or a folder of *.jsonl files")
        files += sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    items: list[LabelledItem] = []
    where: list[str] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for file in files:
        with open(file, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    item = parse_label_line(line, keys)
                except ValueError as exc:
                    problems.append(f"{file}:{number}: {exc}")
                    continue
                if item.id in seen:
                    problems.append(f"{file}:{number}: id {item.id!r} already used at {seen[item.id]}")
                    continue
                seen[item.id] = f"{file}:{number}"
                items.append(item)
                where.append(f"{file}:{number}")
    if join and any(not item.text for item in items):
        from pipelines.classify.corpora import join_texts

        joined = join_texts(items, shared)
        problems += [f"{where[i]}: {reason}" for i, reason in joined.problems.items()]
        items = [item for i, item in enumerate(joined.items) if i not in joined.problems]
    if problems and strict:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise LabelFileError(f"{len(problems)} bad label line(s); fix them and run again:\n  {shown}{more}")
    return items
