"""Who to call back, and by when: detractors and strongly negative complaints.

The deadline policy is a list of local-time windows, each with a delay; the default: 24 hours
after receipt, 2 hours for items received 12:00-18:00 and 12 hours for items received after
18:00, in the company's time zone (daylight-saving changes included: local times are
computed with the zone's rules on the day of receipt).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Window:
    start: time
    end: time  # exclusive; 00:00 means midnight at the end of the day
    hours: float

    def contains(self, moment: time) -> bool:
        end_ok = moment < self.end if self.end != time(0) else True
        return self.start <= moment and end_ok


@dataclass(frozen=True)
class DeadlinePolicy:
    timezone: str = "Europe/London"
    default_hours: float = 24
    windows: tuple[Window, ...] = field(default_factory=lambda: (
        Window(time(12), time(18), 2), Window(time(18), time(0), 12)))
    max_nps: int = 6  # detractors: NPS 0-6
    max_sentiment_score: float = -0.6  # strongly negative complaints and posts

    @classmethod
    def from_dict(cls, data: dict) -> "DeadlinePolicy":
        """From the [callbacks] section of voc.toml; windows as ["12:00-18:00", 2] pairs."""
        windows = data.get("windows")
        parsed = cls().windows if windows is None else tuple(
            Window(time.fromisoformat(span.split("-")[0]), time.fromisoformat(span.split("-")[1]), float(hours))
            for span, hours in windows)
        ZoneInfo(data.get("timezone", cls.timezone))  # fails early on a bad zone name
        return cls(timezone=data.get("timezone", cls.timezone),
                   default_hours=float(data.get("default_hours", cls.default_hours)), windows=parsed,
                   max_nps=int(data.get("max_nps", cls.max_nps)),
                   max_sentiment_score=float(data.get("max_sentiment_score", cls.max_sentiment_score)))

    def deadline(self, received_at: datetime) -> datetime:
        """Contact deadline (UTC) for an item received at `received_at` (aware)."""
        local = received_at.astimezone(ZoneInfo(self.timezone))
        hours = next((w.hours for w in self.windows if w.contains(local.timetz().replace(tzinfo=None))),
                     self.default_hours)
        # Add real elapsed hours (not wall-clock): a DST change in between does not move them.
        return (received_at.astimezone(timezone.utc) + timedelta(hours=hours))

    def reason(self, score: int | None, sentiment_score: float | None) -> str | None:
        """Why an item needs a call back, or None."""
        if score is not None and score <= self.max_nps:
            return f"detractor (NPS {score})"
        if sentiment_score is not None and sentiment_score <= self.max_sentiment_score:
            return f"strongly negative ({sentiment_score:+.2f})"
        return None


def callback_rows(candidates: list[dict], policy: DeadlinePolicy, *, listed_on, model_version: str) -> list[dict]:
    """Candidates (item, score, sentiment) that need a call, each with deadline and reason."""
    rows = []
    for c in candidates:
        why = policy.reason(c.get("score"), c.get("sentiment_score"))
        if why is None:
            continue
        rows.append({"item_id": c["item_id"], "channel": c["channel"], "customer_ref": c["customer_ref"],
                     "received_at": c["received_at"], "deadline": policy.deadline(c["received_at"]),
                     "reason": why, "model_version": model_version, "listed_on": listed_on})
    return rows


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will never run as a formula (numbers stay numbers)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def callbacks_csv(rows: list[dict], texts: dict[str, str], tz: str) -> str:
    """The callback list for staff: redacted text, customer ref, channel, deadline, reason."""
    import csv
    import io

    zone = ZoneInfo(tz)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["deadline_local", "deadline_utc", "reason", "channel", "customer_ref", "received_local",
                     "item_id", "text"])
    for r in sorted(rows, key=lambda r: r["deadline"]):
        writer.writerow([safe_cell(v) for v in (
            r["deadline"].astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            r["deadline"].astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ"), r["reason"], r["channel"],
            r["customer_ref"], r["received_at"].astimezone(zone).strftime("%Y-%m-%d %H:%M"), r["item_id"],
            texts.get(r["item_id"], ""))])
    return out.getvalue()
