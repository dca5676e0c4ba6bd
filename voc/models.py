"""Where model folders live and which one is in production (models/PRODUCTION)."""

from __future__ import annotations

from pathlib import Path

from pipelines.classify.bundle import Classifier

POINTER = "PRODUCTION"


class ModelNotFound(LookupError):
    pass


def production_version(models_dir: Path) -> str | None:
    pointer = models_dir / POINTER
    return pointer.read_text("utf-8").strip() or None if pointer.is_file() else None


def set_production(models_dir: Path, version: str) -> None:
    if not (models_dir / version / "model.json").is_file():
        raise ModelNotFound(f"no model folder {models_dir / version}")
    tmp = models_dir / (POINTER + ".tmp")
    tmp.write_text(version + "\n", "utf-8")
    tmp.replace(models_dir / POINTER)


def load_model(models_dir: Path, version: str | None = None) -> Classifier:
    """The named version, or the production one."""
    chosen = version or production_version(models_dir)
    if chosen is None:
        raise ModelNotFound(f"no production model in {models_dir}: train one with "
                            "`voc train --config models/configs/default.toml`")
    folder = models_dir / chosen
    if not (folder / "model.json").is_file():
        known = sorted(p.name for p in models_dir.iterdir() if (p / "model.json").is_file()) if models_dir.is_dir() else []
        raise ModelNotFound(f"no model {chosen!r} in {models_dir}; known versions: {known or 'none'}")
    return Classifier.load(folder)
