"""The retrain run: train from the labels, measure on the held-out split, register, and
promote only past the gate (better pain-point macro-F1, no pain point losing > 0.05 F1)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task

from pipelines.classify.card import model_card
from pipelines.classify.gate import promotion_decision
from pipelines.classify.train import TrainConfig, data_fingerprint, evaluate_classifier, train
from voc.config import load_settings
from voc.models import load_model, production_version, set_production
from voc.training import load_training_data, measure_on_real_data


@task
def train_candidate(config_path: Path, version: str | None) -> dict:
    settings = load_settings()
    data = load_training_data(settings, config_path)
    raw, taxonomy, train_items, test_items = data.raw, data.taxonomy, data.train, data.test
    config = TrainConfig.from_dict(raw)
    version = version or f"{config.name}-{datetime.now(timezone.utc):%Y%m%d-%H%M}-{data_fingerprint(config, train_items)}"
    folder = settings.models_dir / version
    if folder.exists():
        return {"version": version, "folder": str(folder), "existing": True}
    model = train(config, taxonomy, train_items, test_items, version=version)
    model.config["source"] = raw
    measure_on_real_data(settings, config_path, model)
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
def promote(version: str, reason: str) -> None:
    set_production(load_settings().models_dir, version, reason=f"retrain flow: {reason}")


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
        promote(result["version"], result["reason"])
        logger.warning("promoted %s: %s", result["version"], result["reason"])
    else:
        logger.warning("kept %s in production: %s", result["production"], result["reason"])
    return result
