"""The committee report's statistics: rate comparisons, classifier-error correction, NPS impact.

Everything here is plain arithmetic on counts, so it can be checked by hand (tests do).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


@dataclass(frozen=True)
class RateChange:
    """This period's count against a reference, each with its exposure (total items)."""

    count: int
    exposure: float
    ref_count: float
    ref_exposure: float
    ratio: float | None          # rate ratio (count/exposure) / (ref_count/ref_exposure)
    low: float | None            # 95% interval of the ratio
    high: float | None
    p_rise: float                # one-sided p-value: a rate this high or higher by chance
    p_fall: float                # one-sided p-value: a rate this low or lower by chance


def rate_change(count: int, exposure: float, ref_count: float, ref_exposure: float) -> RateChange:
    """Compare two Poisson rates with the conditional (binomial) test.

    Given n = count + ref_count, the count is Binomial(n, exposure / (exposure + ref_exposure))
    when the rates are equal. The ratio's interval comes from the Clopper-Pearson interval of
    that binomial proportion. A reference that is an average over several months is passed
    as its sum and the sum of its exposures.
    """
    ref = int(round(ref_count))
    n = count + ref
    if n == 0 or exposure <= 0 or ref_exposure <= 0:
        return RateChange(count, exposure, ref_count, ref_exposure, None, None, None, 1.0, 1.0)
    share = exposure / (exposure + ref_exposure)
    p_rise = float(stats.binom.sf(count - 1, n, share))
    p_fall = float(stats.binom.cdf(count, n, share))
    scale = ref_exposure / exposure
    lo_p = 0.0 if count == 0 else float(stats.beta.ppf(0.025, count, n - count + 1))
    hi_p = 1.0 if count == n else float(stats.beta.ppf(0.975, count + 1, n - count))
    ratio = None if ref == 0 else (count / exposure) / (ref / ref_exposure)
    low = lo_p / (1 - lo_p) * scale
    high = None if hi_p >= 1 else hi_p / (1 - hi_p) * scale
    return RateChange(count, exposure, ref_count, ref_exposure, ratio, low, high, min(p_rise, 1.0), min(p_fall, 1.0))


@dataclass(frozen=True)
class Corrected:
    observed: int
    estimate: float     # observed x precision / recall
    low: float          # 95% interval: count noise and the uncertainty of precision and recall
    high: float
    corrected: bool     # False when the model has no evaluation for this cause


def corrected_count(observed: int, true_pos: int | None, predicted: int | None, support: int | None,
                    draws: int = 4000, seed: int = 7) -> Corrected:
    """The number of items that truly carry a cause, from what the classifier found.

    Expected true count = observed x precision / recall. Precision and recall come from the
    model's held-out evaluation (true positives, predicted positives, gold positives); their
    uncertainty (Beta posteriors) and the count's own Poisson noise are propagated by
    simulation with a fixed seed, so the interval is reproducible.
    """
    rng = np.random.default_rng(seed)
    counts = rng.gamma(observed + 0.5, 1.0, draws) if observed > 0 else np.zeros(draws)
    if not true_pos or not predicted or not support:
        low, high = poisson_interval(observed)
        return Corrected(observed, float(observed), low, high, False)
    precision = rng.beta(true_pos + 0.5, predicted - true_pos + 0.5, draws)
    recall = rng.beta(true_pos + 0.5, support - true_pos + 0.5, draws)
    estimate = observed * (true_pos / predicted) / (true_pos / support)
    sims = counts * precision / recall
    low, high = np.quantile(sims, [0.025, 0.975])
    return Corrected(observed, float(estimate), float(min(low, estimate)), float(max(high, estimate)), True)


def poisson_interval(count: int) -> tuple[float, float]:
    """Exact (Garwood) 95% interval of a Poisson count."""
    low = 0.0 if count == 0 else float(stats.chi2.ppf(0.025, 2 * count) / 2)
    high = float(stats.chi2.ppf(0.975, 2 * count + 2) / 2)
    return low, high


@dataclass(frozen=True)
class Nps:
    n: int
    promoters: int
    detractors: int

    @property
    def score(self) -> float | None:
        return None if self.n == 0 else 100.0 * (self.promoters - self.detractors) / self.n

    @property
    def variance(self) -> float:
        """Variance of the NPS estimate (in points squared): each answer is +100, 0 or -100."""
        if self.n == 0:
            return math.inf
        p, d = self.promoters / self.n, self.detractors / self.n
        return 10_000.0 * ((p + d) - (p - d) ** 2) / self.n


def nps_of(scores: list[int] | np.ndarray) -> Nps:
    values = np.asarray(scores)
    return Nps(int(values.size), int((values >= 9).sum()), int((values <= 6).sum()))


@dataclass(frozen=True)
class NpsImpact:
    citing: Nps
    others: Nps
    points_lost: float | None    # NPS of the others minus NPS of those citing the cause
    low: float | None
    high: float | None
    detractor_share: float | None  # among answers citing the cause


def nps_impact(citing: Nps, others: Nps, min_answers: int = 5) -> NpsImpact:
    """Points of NPS lost by answers citing a cause, with a normal-approximation interval."""
    share = citing.detractors / citing.n if citing.n else None
    if citing.n < min_answers or others.n < min_answers:
        return NpsImpact(citing, others, None, None, None, share)
    lost = others.score - citing.score
    half = Z95 * math.sqrt(citing.variance + others.variance)
    return NpsImpact(citing, others, lost, lost - half, lost + half, share)


def intervals_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
