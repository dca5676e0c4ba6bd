"""Which source column is which record field.

Real exports name their columns differently ("date", "Date de réception", "תאריך",
"Дата"...). Defaults below recognise the common names in English, French, Hebrew and
Russian; a small TOML mapping file per source overrides them (see data/mappings/).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingest.files import FileRejected
from pipelines.store.staging import ColumnProjection

_SYNONYMS: dict[str, dict[str, list[str]]] = {
    "complaint_book": {
        "source_id": ["id", "complaint id", "complaint no", "complaint number", "ref", "reference",
                      "ticket", "ticket id", "case id", "case number", "numero", "n reclamation",
                      "no reclamation", "numero reclamation", "numero de reclamation", "מספר פנייה",
                      "מספר תלונה", "מספר", "номер", "номер обращения", "номер жалобы"],
        "received": ["date", "created", "created at", "submitted", "submitted at", "received",
                     "received at", "date de reception", "date reception", "date de la reclamation",
                     "timestamp", "date received", "published", "publish date", "reviewer publish date",
                     "date de publication", "תאריך", "תאריך פנייה", "дата", "дата обращения"],
        "text": ["description", "complaint", "complaint text", "text", "comment", "details", "message",
                 "customer message", "reclamation", "plainte", "commentaire", "description de la reclamation",
                 "motif", "narrative", "complaint narrative", "review", "review text", "reviewer text",
                 "content", "texte", "avis", "תלונה", "תיאור", "פירוט", "תוכן", "жалоба", "текст", "обращение", "описание",
                 "текст обращения", "отзыв", "текст отзыва"],
        "customer": ["customer", "client", "customer email", "email", "e mail", "phone", "telephone",
                     "contact", "customer id", "client id", "לקוח", "טלפון", "דואל", "מייל", "клиент",
                     "телефон", "email клиента", "почта"],
    },
    "social": {
        "source_id": ["id", "tweet id", "post id", "status id", "message id"],
        "received": ["created at", "tweet created", "created", "date", "timestamp", "published"],
        "text": ["text", "full text", "message", "content", "post", "body"],
        "customer": ["author", "user", "username", "screen name", "handle", "name", "author id"],
        "parent": ["in reply to", "in reply to status id", "parent id", "reply to"],
    },
    "survey": {
        "source_id": ["response id", "id", "respondent id", "response", "response number"],
        "received": ["submitted at", "submitted", "date", "completed at", "timestamp", "end date",
                     "recorded date"],
        "score": ["nps", "nps score", "score", "recommend", "likelihood to recommend", "ltr"],
        "text": ["comment", "comments", "verbatim", "why", "feedback", "answer", "text", "reason",
                 "open answer"],
        "customer": ["email", "customer", "customer id", "phone", "contact"],
    },
}
_EXTRA_NAMES = {
    "branch": ["branch", "agence", "store", "shop", "office", "סניף", "отделение", "филиал", "офис"],
    "category": ["category", "categorie", "topic", "type", "קטגוריה", "נושא", "категория", "тема"],
}
_TOUCHPOINT = re.compile(r"score[_ ](.+)")


def normalise_header(name: str) -> str:
    """'N° Réclamation ' -> 'n reclamation'; Hebrew and Cyrillic letters are kept."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", bare.lower()).strip()


@dataclass(frozen=True)
class SourceMapping:
    """How to read one source's exports; every field is optional."""

    name: str = ""
    channel: str | None = None
    match: list[str] = field(default_factory=list)
    timezone: str | None = None
    dayfirst: bool | None = None
    encoding: str | None = None
    sheet: str | None = None
    columns: dict[str, str | list[str]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    def matches(self, path: Path) -> bool:
        return any(fnmatch.fnmatch(path.name.lower(), pattern.lower()) for pattern in self.match)


def load_mapping(path: Path) -> SourceMapping:
    """Read one TOML mapping file; errors name the file and the problem."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: not a valid TOML mapping file: {exc}") from exc
    known = {"name", "channel", "match", "timezone", "dayfirst", "encoding", "sheet", "columns", "extra"}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}; allowed: {sorted(known)}")
    match = data.get("match", [])
    return SourceMapping(
        name=data.get("name", path.stem),
        channel=data.get("channel"),
        match=[match] if isinstance(match, str) else list(match),
        timezone=data.get("timezone"),
        dayfirst=data.get("dayfirst"),
        encoding=data.get("encoding"),
        sheet=data.get("sheet"),
        columns=dict(data.get("columns", {})),
        extra=dict(data.get("extra", {})),
    )


def load_mappings(folder: Path) -> list[SourceMapping]:
    """All `*.toml` mappings of a folder, in name order (first match wins)."""
    if not folder.is_dir():
        return []
    return [load_mapping(path) for path in sorted(folder.glob("*.toml"))]


def find_mapping(mappings: list[SourceMapping], path: Path) -> SourceMapping:
    for mapping in mappings:
        if mapping.matches(path):
            return mapping
    return SourceMapping()


def guess_channel(headers: list[str]) -> str | None:
    """'survey' when there is an NPS column, 'complaint_book' when there is a text column."""
    names = {normalise_header(h) for h in headers}
    if names & {normalise_header(s) for s in _SYNONYMS["survey"]["score"]}:
        return "survey"
    if names & {normalise_header(s) for s in _SYNONYMS["complaint_book"]["text"]}:
        return "complaint_book"
    return None


_COLUMN_NAME = re.compile(r"[\w .,()/#%&'’+-]{1,60}")


def shown_columns(headers: list[str]) -> str:
    """The header row as a reason may quote it: only when every cell looks like a column name
    (a rejection reason lands in the ledger and in .reason.txt files, and the "header" of a file
    that is not an export, say a link to /proc/self/environ or a key file, is a secret)."""
    if len(headers) <= 100 and all(_COLUMN_NAME.fullmatch(h or "x") for h in headers):
        return str(headers)
    return f"{len(headers)} column(s) whose names do not look like column names (not shown)"


def project(headers: list[str], channel: str, mapping: SourceMapping) -> ColumnProjection:
    """Map header positions to record fields; unmapped columns are kept as extra fields."""
    normalised = [normalise_header(h) for h in headers]

    def position(name: str, what: str) -> int:
        wanted = normalise_header(name)
        if wanted not in normalised:
            raise FileRejected(
                f"mapping {mapping.name!r} names column {name!r} for {what}, but the file has {shown_columns(headers)}"
            )
        return normalised.index(wanted)

    def by_synonym(names: list[str]) -> int | None:
        for name in names:
            wanted = normalise_header(name)
            if wanted in normalised:
                return normalised.index(wanted)
        return None

    synonyms = _SYNONYMS[channel]
    chosen: dict[str, list[int]] = {}
    for target in synonyms:
        configured = mapping.columns.get(target)
        if configured is not None:
            names = [configured] if isinstance(configured, str) else configured
            chosen[target] = [position(name, target) for name in names]
        else:
            found = by_synonym(synonyms[target])
            chosen[target] = [] if found is None else [found]
    if not chosen["text"]:
        raise FileRejected(
            f"no text column among {shown_columns(headers)}: name it in a mapping file in data/mappings/ "
            f"([columns] text = \"...\"), or rename it to one of {synonyms['text'][:4]}"
        )
    used = {i for positions in chosen.values() for i in positions}
    # Other columns holding handles, e-mails or phones are never copied into extra fields.
    personal = {normalise_header(s) for s in synonyms["customer"]}
    used |= {i for i, name in enumerate(normalised) if name in personal}
    touchpoints = {}
    if channel == "survey":
        for i, name in enumerate(normalised):
            match = _TOUCHPOINT.fullmatch(name)
            if match and i not in used:
                touchpoints[match[1].replace(" ", "_")] = i
                used.add(i)
    extra = {key: position(col, f"extra field {key}") for key, col in mapping.extra.items()}
    for key, names in _EXTRA_NAMES.items():
        if key not in extra:
            found = by_synonym(names)
            if found is not None and found not in used:
                extra[key] = found
    used |= set(extra.values())
    for i, header in enumerate(headers):
        if i not in used and header.strip():
            extra.setdefault(header.strip(), i)

    def single(target: str) -> int | None:
        return chosen[target][0] if chosen.get(target) else None

    return ColumnProjection(
        headers=headers,
        text=chosen["text"],
        source_id=single("source_id"),
        received=single("received"),
        customer=single("customer"),
        score=single("score"),
        parent=single("parent"),
        extra=extra,
        touchpoints=touchpoints,
        source=mapping.name or channel,
    )
