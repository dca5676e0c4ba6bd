"""Task logic of the nightly run, tested without Prefect: deadlines, spikes, CSV safety."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from pipelines.alerts import AlertPolicy, find_spikes
from pipelines.callbacks import DeadlinePolicy, callback_rows, callbacks_csv, safe_cell

LONDON, JERUSALEM, UTC = ZoneInfo("Europe/London"), ZoneInfo("Asia/Jerusalem"), timezone.utc


@pytest.mark.parametrize("local, hours", [
    (datetime(2026, 7, 1, 9, 0, tzinfo=LONDON), 24),     # morning: default 24 h
    (datetime(2026, 7, 1, 12, 0, tzinfo=LONDON), 2),     # 12:00 is inside 12:00-18:00
    (datetime(2026, 7, 1, 17, 59, tzinfo=LONDON), 2),
    (datetime(2026, 7, 1, 18, 0, tzinfo=LONDON), 12),    # after 18:00
    (datetime(2026, 7, 1, 23, 59, tzinfo=LONDON), 12),
    (datetime(2026, 7, 2, 0, 30, tzinfo=LONDON), 24),    # after midnight: a new day
])
def test_deadline_windows_in_local_time(local, hours):
    policy = DeadlinePolicy(timezone="Europe/London")
    assert policy.deadline(local.astimezone(UTC)) == local.astimezone(UTC) + timedelta(hours=hours)


def test_window_is_chosen_by_the_company_zone_not_utc():
    received = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)  # 11:30 London, 13:30 Jerusalem
    assert DeadlinePolicy(timezone="Europe/London").deadline(received) == received + timedelta(hours=24)
    assert DeadlinePolicy(timezone="Asia/Jerusalem").deadline(received) == received + timedelta(hours=2)


def test_daylight_saving_changes():
    policy = DeadlinePolicy(timezone="Europe/London")
    # 2026-03-29 01:00 GMT clocks go forward: 11:30 UTC is 12:30 BST (summer): 2 h window.
    assert policy.deadline(datetime(2026, 3, 29, 11, 30, tzinfo=UTC)) == datetime(2026, 3, 29, 13, 30, tzinfo=UTC)
    # The day before, 11:30 UTC is 11:30 GMT: morning, 24 h.
    assert policy.deadline(datetime(2026, 3, 28, 11, 30, tzinfo=UTC)) == datetime(2026, 3, 29, 11, 30, tzinfo=UTC)
    # 2026-10-25 clocks go back: 17:30 UTC is 17:30 GMT (2 h); the day before it is 18:30 BST (12 h).
    assert policy.deadline(datetime(2026, 10, 25, 17, 30, tzinfo=UTC)) == datetime(2026, 10, 25, 19, 30, tzinfo=UTC)
    assert policy.deadline(datetime(2026, 10, 24, 17, 30, tzinfo=UTC)) == datetime(2026, 10, 25, 5, 30, tzinfo=UTC)
    # 24 hours are real hours across the change (not 24 wall-clock hours).
    assert policy.deadline(datetime(2026, 10, 24, 8, 0, tzinfo=UTC)) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_policy_from_config_and_reasons():
    policy = DeadlinePolicy.from_dict({"timezone": "Asia/Jerusalem", "default_hours": 48,
                                       "windows": [["08:00-12:00", 4]], "max_nps": 5})
    assert policy.deadline(datetime(2026, 7, 1, 6, 0, tzinfo=UTC)) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert policy.reason(5, None) == "detractor (NPS 5)" and policy.reason(6, 0.1) is None
    assert policy.reason(None, -0.9).startswith("strongly negative")
    with pytest.raises(Exception):
        DeadlinePolicy.from_dict({"timezone": "Nowhere/City"})


def test_callback_rows_and_csv_are_safe():
    policy = DeadlinePolicy()
    received = datetime(2026, 10, 1, 13, 0, tzinfo=UTC)
    rows = callback_rows([
        {"item_id": "a", "channel": "survey", "customer_ref": "c_1", "received_at": received, "score": 2, "sentiment_score": 0.2},
        {"item_id": "b", "channel": "social", "customer_ref": "c_2", "received_at": received, "score": None, "sentiment_score": 0.0},
    ], policy, listed_on=date(2026, 10, 2), model_version="m")
    assert [r["item_id"] for r in rows] == ["a"]
    csv_text = callbacks_csv(rows, {"a": "=HYPERLINK(\"http://x\") rude staff"}, "Europe/London")
    assert "'=HYPERLINK" in csv_text and "detractor (NPS 2)" in csv_text
    assert safe_cell("-1") == "'-1" and safe_cell("@x") == "'@x" and safe_cell("ok") == "ok"


def _counts(history: int, today: int, day: date):
    counts = {(day - timedelta(weeks=w), "long_wait"): history for w in range(1, 9)}
    counts[(day, "long_wait")] = today
    return counts


def test_a_real_spike_is_flagged_and_noise_is_not():
    day = date(2026, 10, 14)
    policy = AlertPolicy()
    (spike,) = find_spikes(_counts(3, 15, day), day, ["long_wait", "self_service"], policy)
    assert (spike.pain_point, spike.count, spike.baseline_mean) == ("long_wait", 15, 3.0)
    assert spike.p_value < policy.alpha / 2
    assert find_spikes(_counts(3, 6, day), day, ["long_wait"], policy) == []      # within chance
    assert find_spikes(_counts(0, 4, day), day, ["long_wait"], policy) == []      # below the minimum count
    assert find_spikes(_counts(20, 20, day), day, ["long_wait"], policy) == []    # usual volume
