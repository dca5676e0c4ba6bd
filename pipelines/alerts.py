"""Spike alerts: a pain point's volume today against its own same-weekday baseline.

A spike is flagged only when the count is at least `min_count`, above the baseline mean,
and unlikely under a Poisson model of the baseline (p below `alpha`, divided by the number
of pain points tested that day, so that nine tests a day do not raise nine times the false
alarms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from scipy.stats import poisson


@dataclass(frozen=True)
class AlertPolicy:
    weeks: int = 8
    min_count: int = 5
    alpha: float = 0.01
    floor: float = 0.5  # a baseline of zero still allows some chance events

    @classmethod
    def from_dict(cls, data: dict) -> "AlertPolicy":
        return cls(**{k: type(getattr(cls(), k))(v) for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Spike:
    day: date
    pain_point: str
    count: int
    baseline_mean: float
    baseline_days: int
    p_value: float


def baseline_days(day: date, weeks: int) -> list[date]:
    return [day - timedelta(weeks=w) for w in range(1, weeks + 1)]


def find_spikes(counts: dict[tuple[date, str], int], day: date, keys: list[str], policy: AlertPolicy) -> list[Spike]:
    """Spikes on `day` among `keys`, from daily counts keyed by (day, pain point)."""
    spikes = []
    days = baseline_days(day, policy.weeks)
    threshold = policy.alpha / max(len(keys), 1)
    for key in keys:
        observed = counts.get((day, key), 0)
        history = [counts.get((d, key), 0) for d in days]
        mean = sum(history) / len(history) if history else 0.0
        if observed < policy.min_count or observed <= mean:
            continue
        p_value = float(poisson.sf(observed - 1, max(mean, policy.floor)))
        if p_value < threshold:
            spikes.append(Spike(day, key, observed, round(mean, 2), len(history), p_value))
    return sorted(spikes, key=lambda s: s.p_value)


def alerts_markdown(day: date, spikes: list[Spike], items: dict[str, list[dict]], policy: AlertPolicy) -> str:
    """The day's alert page: each spike with its numbers and the (redacted) items behind it."""
    lines = [f"# Spike alerts for {day.isoformat()}", "",
             f"Each pain point's count today against the same weekday over the previous {policy.weeks} weeks; "
             f"flagged when at least {policy.min_count} items and a Poisson p-value below {policy.alpha} "
             "divided by the number of pain points tested.", ""]
    if not spikes:
        lines.append("No spike today.")
    for s in spikes:
        lines += [f"## {s.pain_point}: {s.count} items (usual {s.baseline_mean:.1f}; p = {s.p_value:.2g})", ""]
        for item in items.get(s.pain_point, []):
            text = " ".join(item["text"].split())[:300]
            lines.append(f"- [{item['language']}] {item['channel']}, {item['received_at']:%H:%M}: {text}")
        lines.append("")
    return "\n".join(lines) + "\n"
