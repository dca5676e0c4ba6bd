"""Settings from `voc.toml` (or the file named by VOC_CONFIG), environment overrides.

Relative paths in the file are relative to the file's folder. VOC_DB overrides the
warehouse path, VOC_SALT the customer-reference salt.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.alerts import AlertPolicy
from pipelines.callbacks import DeadlinePolicy
from pipelines.ingest import IngestOptions
from pipelines.ingest.mapping import load_mappings

DEFAULT_CONFIG = "voc.toml"
_SCHEDULES = {"nightly": "0 2 * * *", "monthly": "0 6 1 * *", "retrain": "0 3 * * 0"}


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the file and the fix."""


class ArgumentError(ConfigError):
    """A command-line value cannot be used (a month that does not exist, say)."""


@dataclass(frozen=True)
class Settings:
    db_path: Path
    ingest: IngestOptions
    config_path: Path | None = None
    base: Path = Path(".")  # folder that relative paths in the config are relative to
    models_dir: Path = Path("models")
    taxonomy: Path = Path("data/taxonomy.yaml")
    languages: tuple[str, ...] = ("en", "fr", "he", "ru")
    redact_names: bool = False  # spaCy names at preparation; otherwise where text is shown
    workers: int = 2
    shared_data: Path = Path("../shared/data")  # real corpora for evaluation, read only
    inbox: Path = Path("data/inbox")
    reports: Path = Path("reports")
    report_timezone: str = "Europe/London"
    lock_wait_seconds: float = 0
    callbacks: DeadlinePolicy = field(default_factory=DeadlinePolicy)
    alerts: AlertPolicy = field(default_factory=AlertPolicy)
    schedules: dict = field(default_factory=lambda: dict(_SCHEDULES))


def _config_file() -> Path | None:
    named = os.environ.get("VOC_CONFIG")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(f"VOC_CONFIG names {path}, which does not exist")
        return path
    local = Path(DEFAULT_CONFIG)
    return local if local.is_file() else None


def _salt_for(db_path: Path) -> str:
    """VOC_SALT, else a secret kept beside the warehouse (created once, never in the DB)."""
    if os.environ.get("VOC_SALT"):
        return os.environ["VOC_SALT"]
    salt_file = db_path.with_name(db_path.name + ".salt")
    if salt_file.is_file():
        return salt_file.read_text("utf-8").strip()
    salt_file.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32)
    salt_file.write_text(salt + "\n", "utf-8")
    salt_file.chmod(0o600)
    return salt


def _zone(name: str, path: Path | None, where: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{path}: {where} {name!r} is not an IANA time zone such as 'Europe/Paris'") from exc
    return name


def load_settings() -> Settings:
    path = _config_file()
    data: dict = {}
    base = Path.cwd()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        base = path.resolve().parent
    warehouse = data.get("warehouse", {})
    ingest = data.get("ingest", {})
    social = data.get("social", {})
    db_path = Path(os.environ.get("VOC_DB") or base / warehouse.get("path", "data/warehouse/voc.duckdb"))
    tz = _zone(ingest.get("timezone", "UTC"), path, "[ingest] timezone")
    mappings_dir = base / ingest.get("mappings", "data/mappings")
    try:
        mappings = load_mappings(mappings_dir)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    options = IngestOptions(
        salt=_salt_for(db_path),
        timezone=tz,
        dayfirst=bool(ingest.get("dayfirst", True)),
        max_text_chars=int(ingest.get("max_text_chars", 50_000)),
        company_handles=list(social.get("company_handles", [])),
        company_ids=[str(i) for i in social.get("company_ids", [])],
        mappings=mappings,
    )
    text = data.get("text", {})
    runs = data.get("runs", {})
    return Settings(
        db_path=db_path, ingest=options, config_path=path, base=base,
        models_dir=base / data.get("models", {}).get("dir", "models"),
        taxonomy=base / data.get("taxonomy", {}).get("path", "data/taxonomy.yaml"),
        languages=tuple(text.get("languages", ["en", "fr", "he", "ru"])),
        redact_names=bool(text.get("names_in_prepared_text", False)),
        workers=int(data.get("classify", {}).get("workers", 2)),
        shared_data=Path(os.environ.get("VOC_SHARED_DATA") or base / data.get("evaluation", {}).get(
            "shared_data", "../shared/data")),
        inbox=base / runs.get("inbox", "data/inbox"),
        reports=base / runs.get("reports", "reports"),
        report_timezone=_zone(runs.get("timezone", "Europe/London"), path, "[runs] timezone"),
        lock_wait_seconds=float(runs.get("lock_wait_seconds", 0)),
        callbacks=DeadlinePolicy.from_dict({"timezone": runs.get("timezone", "Europe/London"),
                                            **data.get("callbacks", {})}),
        alerts=AlertPolicy.from_dict(data.get("alerts", {})),
        schedules={**_SCHEDULES, **data.get("schedules", {})},
    )
