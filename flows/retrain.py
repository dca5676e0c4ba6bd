"""The retrain run: train from the labels, measure on the held-out split, register, and
promote only past the gate (better pain-point macro-F1, no pain point losing > 0.05 F1)."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task

from pipelines.classify.card import model_card
from pipelines.classify.gate import promotion_decision
from pipelines.classify.labels import read_labels
from pipelines.classify.taxonomy import load_taxonomy
from pipelines.classify.train import TrainConfig, data_fingerprint, evaluate_classifier, train
from pipelines.text.language import LanguageDetector
from pipelines.text.prepare import prepare
from voc.config import load_settings
from voc.models import load_model, production_version, set_production


@task
def train_candidate(config_path: Path, version: str | None) -> dict:
    settings = load_settings()
    raw = tomllib.loads(config_path.read_text("utf-8"))
    config = TrainConfig.from_dict(raw)
    taxonomy = load_taxonomy(settings.base / raw.get("taxonomy", settings.taxonomy))
    detector = LanguageDetector(languages=settings.languages)

    def labelled(paths: list[str]):
        items = read_labels([settings.base / p for p in paths], taxonomy.keys)
        texts = prepare([i.text for i in items], detector, names=settings.redact_names)
        return [replace(i, text=p.text) for i, p in zip(items, texts)]

    train_items, test_items = labelled(raw.get("train", [])), labelled(raw.get("test", []))
    version = version or f"{config.name}-{datetime.now(timezone.utc):%Y%m%d-%H%M}-{data_fingerprint(config, train_items)}"
    folder = settings.models_dir / version
    if folder.exists():
        return {"version": version, "folder": str(folder), "existing": True}
    model = train(config, taxonomy, train_items, test_items, version=version)
    model.config["source"] = raw
    model.save(folder, card=model_card(model.metrics, labels=taxonomy.keys,
                                       description=f"Trained by the retrain flow from `{config_path}`."))
    production = production_version(settings.models_dir)
    current = (evaluate_classifier(load_model(settings.models_dir, production), test_items, taxonomy.keys)
               if production and production != version else None)
    decision = promotion_decision(model.metrics["test"], current)
    return {"version": version, "folder": str(folder), "production": production, "promote": decision.promote,
            "reason": decision.reason, "deltas": decision.deltas,
            "new_macro_f1": model.metrics["test"]["pain_points"]["macro_f1"],
            "production_macro_f1": current["pain_points"]["macro_f1"] if current else None}


@task
def promote(version: str) -> None:
    set_production(load_settings().models_dir, version)


@flow(name="retrain", log_prints=True)
def retrain(config: str = "models/configs/default.toml", version: str | None = None) -> dict:
    """Train a candidate, compare it with production on the same test split, promote or keep."""
    logger = get_run_logger()
    settings = load_settings()
    result = train_candidate(settings.base / config, version)
    if result.get("existing"):
        logger.warning("model %s exists already (same data and config): nothing to do", result["version"])
        return result
    if result["promote"]:
        promote(result["version"])
        logger.warning("promoted %s: %s", result["version"], result["reason"])
    else:
        logger.warning("kept %s in production: %s", result["production"], result["reason"])
    return result
