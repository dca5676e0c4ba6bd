"""The report's maths on small cases computed by hand."""

from __future__ import annotations

from math import comb

import pytest

from pipelines.report.build import _cooccurrence, month_names, month_range
from pipelines.report.ranking import RankOptions, correct, error_rates, priority, rank_causes, trend
from pipelines.report.stats import (corrected_count, intervals_overlap, nps_impact, nps_of, poisson_interval,
                                    rate_change)


def test_rate_change_against_nothing_is_a_sure_rise():
    change = rate_change(10, 100, 0, 100)
    assert change.p_rise == pytest.approx(0.5 ** 10)  # all 10 fell in this month, each with chance 1/2
    assert change.ratio is None and change.high is None and change.low > 1


def test_rate_change_doubling_on_equal_exposure():
    change = rate_change(20, 1000, 10, 1000)
    by_hand = sum(comb(30, k) for k in range(20, 31)) / 2 ** 30
    assert change.ratio == pytest.approx(2.0)
    assert change.p_rise == pytest.approx(by_hand)  # 0.0494: a rise, but not overwhelming
    assert change.low < 2.0 < change.high
    assert change.p_fall > 0.95


def test_rate_change_uses_exposure():
    # Same count, but this month had twice the feedback: the rate halved.
    change = rate_change(10, 2000, 10, 1000)
    assert change.ratio == pytest.approx(0.5)
    same = rate_change(10, 1000, 10, 1000)
    assert same.ratio == pytest.approx(1.0) and same.low < 1 < same.high
    assert same.p_rise == pytest.approx(sum(comb(20, k) for k in range(10, 21)) / 2 ** 20)


def test_rate_change_with_no_data():
    change = rate_change(0, 0, 0, 0)
    assert change.ratio is None and change.p_rise == 1.0


def test_poisson_interval():
    assert poisson_interval(0) == (0.0, pytest.approx(3.6889, abs=1e-3))
    low, high = poisson_interval(10)
    assert low == pytest.approx(4.7954, abs=1e-3) and high == pytest.approx(18.3904, abs=1e-3)


def test_corrected_count_uses_precision_and_recall():
    # precision 80/100, recall 80/90: the true count is 100 * 0.8 / 0.888... = 90
    corrected = corrected_count(100, true_pos=80, predicted=100, support=90)
    assert corrected.estimate == pytest.approx(90.0)
    assert corrected.corrected and corrected.low < 90 < corrected.high
    # wider than the count's own Poisson interval, because precision and recall are uncertain
    plain_low, plain_high = poisson_interval(100)
    assert (corrected.high - corrected.low) > (plain_high - plain_low) * 0.9
    assert corrected_count(100, 80, 100, 90) == corrected  # fixed seed: reproducible


def test_uncorrected_when_the_model_has_no_evaluation():
    corrected = corrected_count(12, None, None, None)
    assert not corrected.corrected and corrected.estimate == 12
    assert (corrected.low, corrected.high) == poisson_interval(12)


def _per_label(precision, recall, support, predicted):
    return {"precision": precision, "recall": recall, "support": support, "predicted": predicted}


def test_correction_never_uses_the_team_test_split():
    metrics = {"test": {"pain_points": {"per_label": {"long_wait": _per_label(0.8, 0.75, 40, 38)}}}}
    rates = error_rates(metrics, [], ["long_wait"])
    assert rates["long_wait"].true_pos is None and "not corrected" in rates["long_wait"].basis
    assert correct(50, rates["long_wait"]).corrected is False


def test_correction_uses_reserved_corpora_then_company_random_labels():
    metrics = {"test": {"pain_points": {"per_label": {"long_wait": _per_label(0.8, 0.75, 400, 380)}}},
               "reserved": {"pain_points": {"per_label": {"long_wait": _per_label(0.5, 0.75, 40, 60),
                                                          "paid_contact": _per_label(0, 0, 0, 3)}}}}
    rates = error_rates(metrics, [], ["long_wait", "paid_contact"])
    assert (rates["long_wait"].true_pos, rates["long_wait"].predicted, rates["long_wait"].support) == (30, 60, 40)
    assert rates["long_wait"].basis.startswith("reserved real corpora")
    assert rates["paid_contact"].true_pos is None  # never seen in the reserved samples: not corrected
    assert rates["paid_contact"].basis.startswith("no measure")
    # 29 random labels are too few; 30 take over, counted by hand: 2 predicted, 1 right, 3 gold.
    labels = [(["long_wait"], ["long_wait"]), (["long_wait"], []), (["long_wait", "not_valued"], []),
              ([], ["long_wait"])] + [([], [])] * 25
    assert error_rates(metrics, labels, ["long_wait"])["long_wait"].basis.startswith("reserved")
    company = error_rates(metrics, labels + [([], [])], ["long_wait", "not_valued", "menu_navigation"])
    wait = company["long_wait"]
    assert (wait.true_pos, wait.predicted, wait.support) == (1, 2, 3)
    assert wait.basis == "your labels: 30 random items, 3 with it, 2 found, 1 right"
    # 30 labels decide even when they cannot measure a cause: no fallback to the reserved figures
    assert company["not_valued"].true_pos is None and "1 with it, 0 found" in company["not_valued"].basis
    assert company["not_valued"].basis.endswith("not corrected")
    assert company["menu_navigation"].basis.startswith("your labels") and company["menu_navigation"].true_pos is None


def test_fewer_real_evaluation_items_widen_the_interval():
    """The same precision and recall measured on 40 real items instead of 400 team-written ones
    give a wider interval for the same count: the report no longer claims more than it knows."""
    many = correct(200, error_rates({"reserved": {"pain_points": {"per_label": {
        "long_wait": _per_label(0.75, 0.75, 400, 400)}}}}, [], ["long_wait"])["long_wait"])
    few = correct(200, error_rates({"reserved": {"pain_points": {"per_label": {
        "long_wait": _per_label(0.75, 0.75, 40, 40)}}}}, [], ["long_wait"])["long_wait"])
    assert many.estimate == pytest.approx(few.estimate) == pytest.approx(200)
    assert few.high - few.low > 1.5 * (many.high - many.low)


def test_nps_by_hand():
    nps = nps_of([10, 9, 8, 7, 0, 3])
    assert (nps.n, nps.promoters, nps.detractors, nps.score) == (6, 2, 2, 0.0)
    four = nps_of([10, 10, 10, 0])
    assert four.score == 50.0
    assert four.variance == pytest.approx(10_000 * (1.0 - 0.5 ** 2) / 4)


def test_nps_impact_points_lost():
    citing = nps_of([10] + [5] * 6 + [7] * 3)           # 1 promoter, 6 detractors: -50
    others = nps_of([9] * 5 + [2] * 2 + [8] * 3)        # 5 promoters, 2 detractors: +30
    impact = nps_impact(citing, others)
    assert impact.points_lost == pytest.approx(80.0)
    assert impact.low < 80 < impact.high
    assert impact.detractor_share == pytest.approx(0.6)
    assert nps_impact(nps_of([1, 2]), others).points_lost is None  # too few answers


def test_priority_parts():
    corrected = corrected_count(100, 80, 100, 90)     # estimate 90
    impact = nps_impact(nps_of([10] * 4 + [0] * 6), nps_of([10] * 6 + [0] * 4))  # -20 vs +20: 40 lost
    p = priority(corrected, negative_share=0.5, rising=True, nps=impact)
    assert p["trend_weight"] == 1.5 and p["nps_weight"] == pytest.approx(1.4)
    assert p["score"] == pytest.approx(90 * 0.5 * 1.5 * 1.4, rel=1e-3)
    assert priority(corrected, 0.5, False, None)["score"] == pytest.approx(45.0)


def _row(cause, items, negative, now, before):
    return {"cause": cause, "items": items, "negative": negative, "corrected": corrected_count(items, None, None, None),
            "vs_previous": rate_change(items, now, before, now), "vs_average": rate_change(items, now, before * 3, 3 * now),
            "nps": None}


def test_ranking_orders_by_priority_and_flags_rises_and_overlaps():
    rows = [_row("a", 50, 50, 1000, 48), _row("b", 48, 48, 1000, 47), _row("c", 200, 20, 1000, 200),
            _row("d", 60, 60, 1000, 10)]
    ranked = rank_causes(rows, RankOptions())
    assert [r["cause"] for r in ranked] == ["d", "a", "b", "c"]
    d, a, b, c = ranked
    assert d["rising"] and not a["rising"]           # 60 against 10 is no accident; 50 against 48 is
    assert d["priority"]["score"] == pytest.approx(60 * 1.0 * 1.5)
    assert a["rank_uncertain"] and b["rank_uncertain"]  # 50 and 48 items: the order could swap
    assert [r["rank"] for r in ranked] == [1, 2, 3, 4]


def test_trend_compares_with_last_month_and_three_month_average():
    history = {"2026-07": {"x": 10, "*": 100}, "2026-08": {"x": 10, "*": 100}, "2026-09": {"x": 10, "*": 100},
               "2026-10": {"x": 30, "*": 100}}
    vs_prev, vs_avg = trend(history, ["2026-07", "2026-08", "2026-09", "2026-10"], "x")
    assert vs_prev.ratio == pytest.approx(3.0) and vs_avg.ratio == pytest.approx(3.0)
    assert vs_avg.ref_count == 30 and vs_avg.ref_exposure == 300
    assert vs_avg.p_rise < vs_prev.p_rise  # three months of reference is more evidence


def test_cooccurrence_lift_by_hand():
    causes = [{"a", "b"}, {"a", "b"}, {"a"}, {"b"}, {"c"}]
    pairs = _cooccurrence(causes, ["a", "b", "c"], top=5)
    assert pairs == [{"a": "a", "b": "b", "items": 2, "lift": round(2 * 5 / 9, 2), "share_of_a": 0.667,
                      "share_of_b": 0.667}]


def test_months_and_bounds_across_a_year_and_time_zones():
    assert month_names("2026-02", 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    start, end = month_range("2026-01", "Asia/Jerusalem")
    assert start.isoformat() == "2025-12-31T22:00:00+00:00" and end.isoformat() == "2026-01-31T22:00:00+00:00"
    start, _ = month_range("2026-03", "Europe/London", back=3)
    assert start.isoformat() == "2025-12-01T00:00:00+00:00"


def test_intervals_overlap():
    assert intervals_overlap((1, 3), (2, 4)) and not intervals_overlap((1, 2), (3, 4))
