"""The promotion gate: a new model replaces production only when it measures better."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GateDecision:
    promote: bool
    reason: str
    deltas: dict[str, float]  # per-label F1 change, new minus production


def promotion_decision(new: dict[str, Any], production: dict[str, Any] | None, *,
                       max_label_drop: float = 0.05) -> GateDecision:
    """Compare two evaluations on the same held-out set (`pain_points` blocks of evaluate())."""
    if production is None:
        return GateDecision(True, "no production model yet", {})
    new_pp, old_pp = new["pain_points"], production["pain_points"]
    deltas = {k: round(m["f1"] - old_pp["per_label"].get(k, {"f1": 0.0})["f1"], 4)
              for k, m in new_pp["per_label"].items()}
    gain = round(new_pp["macro_f1"] - old_pp["macro_f1"], 4)
    losers = {k: d for k, d in deltas.items() if d < -max_label_drop}
    if gain <= 0:
        return GateDecision(False, f"pain-point macro-F1 {new_pp['macro_f1']:.3f} does not beat production "
                                   f"{old_pp['macro_f1']:.3f}", deltas)
    if losers:
        worst = ", ".join(f"{k} {d:+.3f}" for k, d in sorted(losers.items(), key=lambda kv: kv[1]))
        return GateDecision(False, f"macro-F1 improves by {gain:+.3f} but F1 drops more than {max_label_drop} "
                                   f"for {worst}", deltas)
    return GateDecision(True, f"pain-point macro-F1 {old_pp['macro_f1']:.3f} -> {new_pp['macro_f1']:.3f} "
                              f"({gain:+.3f}); no pain point loses more than {max_label_drop}", deltas)
