"""Where model folders live and which one is in production (models/PRODUCTION)."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from pipelines.classify.bundle import Classifier

POINTER = "PRODUCTION"
HISTORY = "PRODUCTION.log"  # one JSON line per change of the production model


class ModelNotFound(LookupError):
    pass


def production_version(models_dir: Path) -> str | None:
    pointer = models_dir / POINTER
    return pointer.read_text("utf-8").strip() or None if pointer.is_file() else None


def set_production(models_dir: Path, version: str, *, action: str = "promote", reason: str = "",
                   forced: bool = False) -> None:
    """Point production at `version` and record who-what-why in models/PRODUCTION.log."""
    if not (models_dir / version / "model.json").is_file():
        raise ModelNotFound(f"no model folder {models_dir / version}")
    previous = production_version(models_dir)
    tmp = models_dir / (POINTER + ".tmp")
    tmp.write_text(version + "\n", "utf-8")
    tmp.replace(models_dir / POINTER)
    entry = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "action": action, "version": version,
             "previous": previous, "forced": forced, "reason": reason}
    with open(models_dir / HISTORY, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def history(models_dir: Path) -> list[dict]:
    path = models_dir / HISTORY
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def rollback_target(models_dir: Path) -> str:
    """The production model before the current one, from the history."""
    current = production_version(models_dir)
    for entry in reversed(history(models_dir)):
        if entry["version"] == current and entry.get("previous") and entry["previous"] != current:
            if not (models_dir / entry["previous"] / "model.json").is_file():
                raise ModelNotFound(f"the previous production model {entry['previous']} is no longer in {models_dir}")
            return entry["previous"]
    raise ModelNotFound(f"no earlier production model is recorded in {models_dir / HISTORY}; "
                        "use `voc models promote VERSION --force --reason ...` to choose one")


def versions(models_dir: Path) -> list[str]:
    if not models_dir.is_dir():
        return []
    return sorted(p.name for p in models_dir.iterdir() if (p / "model.json").is_file())


def load_model(models_dir: Path, version: str | None = None) -> Classifier:
    """The named version, or the production one."""
    chosen = version or production_version(models_dir)
    if chosen is None:
        raise ModelNotFound(f"no production model in {models_dir}: train one with "
                            "`voc train --config models/configs/default.toml`")
    folder = models_dir / chosen
    if not (folder / "model.json").is_file():
        raise ModelNotFound(f"no model {chosen!r} in {models_dir}; known versions: {versions(models_dir) or 'none'}")
    return Classifier.load(folder)


def load_model_or_say(models_dir: Path, version: str | None, command: str) -> Classifier | None:
    """`load_model` for a command: the model, or None after printing why as `voc COMMAND: ...`."""
    try:
        return load_model(models_dir, version)
    except ModelNotFound as exc:
        print(f"voc {command}: {exc}", file=sys.stderr)
        return None
