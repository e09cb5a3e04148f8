"""Sampling uncertain inputs: standard normals through each distribution's quantile.

A simulation maps its input normals z through x = F^-1(Phi(z)), clamped to the
field's range (``_core.distribution_quantiles``). Here the draws are compared
with scipy: the quantile function itself (deterministic, to a tolerance set by
double rounding), KS tests at fixed seeds (p > 1e-4), and the 90% interval
form's 5th/95th percentiles to 4 binomial standard errors. Every statistical
check here is shown to reject a slightly wrong distribution.
"""

from __future__ import annotations

import functools
import math
import zlib
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel, ValidationError
from scipy import stats

from wager import _core
from wager.scenario.distribution import Distribution, uncertain

N_KS = 100_000
P_MIN = 1e-4


def seed_for(name: str) -> int:
    """A fixed seed per case, so the KS tests are separate trials."""
    return zlib.crc32(name.encode())


def draws(d: Distribution | dict[str, Any], name: str, n: int = N_KS) -> np.ndarray:
    spec = d.core_spec() if isinstance(d, Distribution) else d
    z = _core.input_normals(seed_for(name), 0, n, 1)[:, 0]
    return _core.distribution_quantiles(spec, z)


# (id, Distribution by parameters, the scipy distribution built by hand)
PARAMETER_CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("normal", {"dist": "normal", "mean": 10.0, "sd": 2.0}, stats.norm(10, 2)),
    ("normal-narrow", {"dist": "normal", "mean": -3.0, "sd": 0.01}, stats.norm(-3, 0.01)),
    (
        "lognormal",
        {"dist": "lognormal", "mu": 0.3, "sigma": 0.5},
        stats.lognorm(0.5, scale=math.exp(0.3)),
    ),
    (
        "lognormal-skewed",
        {"dist": "lognormal", "mu": 2.0, "sigma": 1.2},
        stats.lognorm(1.2, scale=math.exp(2.0)),
    ),
    ("uniform", {"dist": "uniform", "min": -1.0, "max": 3.0}, stats.uniform(-1, 4)),
    ("uniform-offset", {"dist": "uniform", "min": 100.0, "max": 100.5}, stats.uniform(100, 0.5)),
    (
        "triangular",
        {"dist": "triangular", "min": 0.0, "mode": 5.0, "max": 10.0},
        stats.triang(0.5, 0, 10),
    ),
    (
        "triangular-skewed",
        {"dist": "triangular", "min": 0.0, "mode": 1.0, "max": 10.0},
        stats.triang(0.1, 0, 10),
    ),
    (
        "triangular-mode-at-max",
        {"dist": "triangular", "min": 0.0, "mode": 10.0, "max": 10.0},
        stats.triang(1.0, 0, 10),
    ),
    (
        "triangular-mode-at-min",
        {"dist": "triangular", "min": 2.0, "mode": 2.0, "max": 3.0},
        stats.triang(0.0, 2, 1),
    ),
    ("pert", {"dist": "pert", "min": 0.0, "mode": 5.0, "max": 10.0}, stats.beta(3, 3, 0, 10)),
    (
        "pert-skewed",
        {"dist": "pert", "min": 1.0, "mode": 1.5, "max": 10.0},
        stats.beta(1 + 2 / 9, 1 + 34 / 9, 1, 9),
    ),
    (
        "pert-left-skewed",
        {"dist": "pert", "min": -5.0, "mode": 4.0, "max": 5.0},
        stats.beta(4.6, 1.4, -5, 10),
    ),
    ("pert-mode-at-min", {"dist": "pert", "min": 0.0, "mode": 0.0, "max": 1.0}, stats.beta(1, 5)),
    ("student_t-df3", {"dist": "student_t", "df": 3.0, "loc": 0.0, "scale": 1.0}, stats.t(3)),
    (
        "student_t-df30",
        {"dist": "student_t", "df": 30.0, "loc": 5.0, "scale": 2.0},
        stats.t(30, 5, 2),
    ),
    (
        "student_t-cauchy",
        {"dist": "student_t", "df": 1.0, "loc": -1.0, "scale": 0.5},
        stats.t(1, -1, 0.5),
    ),
]
PARAMETER_IDS = [c[0] for c in PARAMETER_CASES]


@functools.cache
def case_draws(name: str) -> np.ndarray:
    """The core's draws for a parameter case, shared by the tests that accept and reject them."""
    kwargs = next(c[1] for c in PARAMETER_CASES if c[0] == name)
    x = draws(Distribution(**kwargs), name)
    x.flags.writeable = False
    return x


def test_every_kind_is_covered() -> None:
    kinds = {c[1]["dist"] for c in PARAMETER_CASES}
    assert kinds == {"normal", "lognormal", "uniform", "triangular", "pert", "student_t"}


@pytest.mark.parametrize(("name", "kwargs", "expected"), PARAMETER_CASES, ids=PARAMETER_IDS)
def test_frozen_is_the_named_distribution(name: str, kwargs: dict[str, Any], expected: Any) -> None:
    # Distribution.frozen() is the distribution its parameters name (checked
    # against scipy built by hand, so that the KS tests below test the core).
    frozen = Distribution(**kwargs).frozen()
    u = np.array([1e-6, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1 - 1e-6])
    np.testing.assert_allclose(frozen.ppf(u), expected.ppf(u), rtol=1e-12, atol=1e-12)


def reference_quantile(dist: Any, z: np.ndarray) -> np.ndarray:
    """F^-1(Phi(z)), using the upper tail for z > 0 so scipy loses no digits."""
    if dist.dist.name == "triang":
        # scipy's triang.isf loses digits near the top; the closed form does not.
        lo, hi = dist.support()
        width = hi - lo
        c = dist.kwds["c"] if "c" in dist.kwds else dist.args[0]
        mode = lo + c * width
        u, v = stats.norm.cdf(z), stats.norm.sf(z)
        return np.where(
            u < c, lo + np.sqrt(u * width * (mode - lo)), hi - np.sqrt(v * width * (hi - mode))
        )
    return np.where(z <= 0, dist.ppf(stats.norm.cdf(z)), dist.isf(stats.norm.sf(z)))


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    PARAMETER_CASES,
    ids=PARAMETER_IDS,
)
def test_core_quantile_function(name: str, kwargs: dict[str, Any], expected: Any) -> None:
    # Deterministic: the core's x(z) against scipy on a grid. The lower tail
    # is accurate to near double precision down to the smallest normal a
    # simulation can draw (-8.65). For z > 0 the core forms Phi(z) near 1,
    # whose upper tail 1 - Phi(z) carries an absolute rounding error ~1e-16,
    # i.e. a relative one of 1e-16 / 2.9e-7 ~ 4e-10 at z = 5; the quantile
    # inherits an error of that order, hence rtol 1e-9 up to z = 5 (5 sd:
    # a 1-in-3.5-million draw). See test_upper_tail_is_as_accurate_as_lower.
    d = Distribution(**kwargs)
    z = np.linspace(-8.6, 8.6, 1367)
    x = _core.distribution_quantiles(d.core_spec(), z)
    ref = reference_quantile(expected, z)
    scale = float(expected.ppf(0.75) - expected.ppf(0.25))
    np.testing.assert_allclose(x, ref, rtol=1e-9, atol=1e-12 * scale)
    # Monotone, as a quantile function is.
    assert np.all(np.diff(x) >= 0)


def test_core_quantile_function_cauchy_within_5_sd() -> None:
    # The Cauchy case of the test above, where the core is accurate: |z| <= 5.
    kwargs, expected = next((c[1], c[2]) for c in PARAMETER_CASES if c[0] == "student_t-cauchy")
    z = np.linspace(-5.0, 5.0, 1001)
    x = _core.distribution_quantiles(Distribution(**kwargs).core_spec(), z)
    np.testing.assert_allclose(x, reference_quantile(expected, z), rtol=1e-9, atol=1e-12)


def test_upper_tail_is_as_accurate_as_lower() -> None:
    # Box-Muller normals reach +-8.65; a symmetric distribution's quantile at
    # +z must mirror the one at -z as accurately there.
    z = np.linspace(0.0, 8.65, 300)
    for spec in (
        Distribution(dist="student_t", df=3, loc=0, scale=1).core_spec(),
        Distribution(dist="pert", min=-1, mode=0, max=1).core_spec(),
    ):
        upper = _core.distribution_quantiles(spec, z)
        lower = _core.distribution_quantiles(spec, -z)
        np.testing.assert_allclose(upper, -lower, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("name", "kwargs", "expected"), PARAMETER_CASES, ids=PARAMETER_IDS)
def test_draws_ks(name: str, kwargs: dict[str, Any], expected: Any) -> None:
    assert stats.kstest(case_draws(name), Distribution(**kwargs).frozen().cdf).pvalue > P_MIN


@pytest.mark.parametrize(("name", "kwargs", "expected"), PARAMETER_CASES, ids=PARAMETER_IDS)
def test_central_is_the_median(name: str, kwargs: dict[str, Any], expected: Any) -> None:
    d = Distribution(**kwargs)
    median = float(expected.median())
    assert d.central() == pytest.approx(median, rel=1e-12, abs=1e-12)
    # The core's draw at z = 0 (Phi = 1/2) is the median too.
    assert _core.distribution_quantiles(d.core_spec(), np.zeros(1))[0] == pytest.approx(
        median, rel=1e-12, abs=1e-12
    )


# The same draws that pass test_draws_ks against slightly wrong distributions:
# each KS test must reject them (p < 1e-4).
SENSITIVITY_CASES: list[tuple[str, str, Any]] = [
    ("normal-sd+5%", "normal", stats.norm(10, 2.1)),
    ("normal-mean+0.05sd", "normal", stats.norm(10.1, 2)),
    ("lognormal-sigma+5%", "lognormal", stats.lognorm(0.525, scale=math.exp(0.3))),
    ("pert-mode-moved", "pert-skewed", Distribution(dist="pert", min=1, mode=1.8, max=10).frozen()),
    ("pert-as-triangular", "pert", stats.triang(0.5, 0, 10)),
    ("triangular-mode-moved", "triangular-skewed", stats.triang(0.13, 0, 10)),
    ("uniform-max+2%", "uniform", stats.uniform(-1, 4.08)),
    ("student_t-df3-as-df5", "student_t-df3", stats.t(5)),
    ("student_t-df30-as-df6", "student_t-df30", stats.t(6, 5, 2)),
]


@pytest.mark.parametrize(
    ("name", "case", "wrong"), SENSITIVITY_CASES, ids=[c[0] for c in SENSITIVITY_CASES]
)
def test_ks_rejects_wrong_parameters(name: str, case: str, wrong: Any) -> None:
    assert stats.kstest(case_draws(case), wrong.cdf).pvalue < P_MIN


# --------------------------------------------------------------------------
# The 90% interval form: low and high are the 5th and 95th percentiles.

N_Q = 200_000

# (id, kind, low, high, extras)
INTERVAL_CASES: list[tuple[str, str, float, float, dict[str, float]]] = [
    ("normal", "normal", 8.0, 14.0, {}),
    ("normal-negative", "normal", -5.0, 3.0, {}),
    ("lognormal", "lognormal", 8.0, 14.0, {}),
    ("lognormal-wide", "lognormal", 0.01, 100.0, {}),
    ("uniform", "uniform", 8.0, 14.0, {}),
    ("triangular", "triangular", 8.0, 14.0, {}),
    ("triangular-mode", "triangular", 8.0, 14.0, {"mode": 9.0}),
    ("triangular-mode-near-low", "triangular", 8.0, 14.0, {"mode": 8.1}),
    ("pert", "pert", 8.0, 14.0, {}),
    ("pert-mode", "pert", 8.0, 14.0, {"mode": 9.0}),
    ("pert-mode-near-high", "pert", 8.0, 14.0, {"mode": 13.8}),
    ("student_t-df3", "student_t", 8.0, 14.0, {"df": 3.0}),
    ("student_t-df30", "student_t", 8.0, 14.0, {"df": 30.0}),
]
INTERVAL_IDS = [c[0] for c in INTERVAL_CASES]


def interval(kind: str, low: float, high: float, extras: dict[str, float]) -> Distribution:
    return Distribution(dist=kind, low=low, high=high, **extras)  # type: ignore[arg-type]


def quantile_se(dist: Any, p: float, n: int) -> float:
    """Standard error of the empirical p-quantile of n draws: sqrt(p (1 - p) / n) / f(x_p)."""
    return math.sqrt(p * (1 - p) / n) / float(dist.pdf(dist.ppf(p)))


@functools.cache
def interval_draws(name: str) -> np.ndarray:
    kind, low, high, extras = next(c[1:] for c in INTERVAL_CASES if c[0] == name)
    # 200k normals as 50k paths of 4 inputs (independent, see test_rng).
    z = _core.input_normals(seed_for("interval-" + name), 0, N_Q // 4, 4).ravel()
    x = _core.distribution_quantiles(interval(kind, low, high, extras).core_spec(), z)
    x.flags.writeable = False
    return x


@pytest.mark.parametrize(
    ("name", "kind", "low", "high", "extras"), INTERVAL_CASES, ids=INTERVAL_IDS
)
def test_interval_form_percentiles(
    name: str, kind: str, low: float, high: float, extras: dict[str, float]
) -> None:
    d = interval(kind, low, high, extras)
    frozen = d.frozen()
    # The fitted distribution has exactly these percentiles.
    assert float(frozen.ppf(0.05)) == pytest.approx(low, rel=1e-6)
    assert float(frozen.ppf(0.95)) == pytest.approx(high, rel=1e-6)
    if kind in ("triangular", "pert"):
        assert d.canonical()[3] == extras.get("mode", (low + high) / 2)
    if kind == "student_t":
        assert d.canonical()[3] == extras["df"]
    # And the core's draws have them, to 4 standard errors.
    x = interval_draws(name)
    q05, q95 = np.quantile(x, [0.05, 0.95])
    assert abs(q05 - low) < 4 * quantile_se(frozen, 0.05, x.size)
    assert abs(q95 - high) < 4 * quantile_se(frozen, 0.95, x.size)
    assert stats.kstest(x, frozen.cdf).pvalue > P_MIN


def test_interval_check_can_fail() -> None:
    # A 5th percentile 10 standard errors away from the draws' is rejected.
    d = interval("pert", 8.0, 14.0, {"mode": 9.0})
    x = interval_draws("pert-mode")
    se = quantile_se(d.frozen(), 0.05, x.size)
    q05 = float(np.quantile(x, 0.05))
    assert abs(q05 - (8.0 + 10 * se)) > 4 * se
    # 10 SE is a small shift: under 1% of the interval here.
    assert 10 * se < 0.01 * (14.0 - 8.0)


def test_interval_forms_of_one_kind_differ() -> None:
    # The mode moves a triangular / pert interval fit; df a student_t one.
    assert (
        interval("pert", 8, 14, {}).canonical()
        != interval("pert", 8, 14, {"mode": 9.0}).canonical()
    )
    assert (
        interval("triangular", 8, 14, {}).canonical()
        != interval("triangular", 8, 14, {"mode": 9.0}).canonical()
    )
    assert (
        interval("student_t", 8, 14, {"df": 3.0}).canonical()[2]
        < interval("student_t", 8, 14, {"df": 30.0}).canonical()[2]
    )


# --------------------------------------------------------------------------
# Clamping to the field's range.


def test_clamping_normal_at_zero() -> None:
    spec = {"kind": "normal", "a": 0.0, "b": 1.0, "c": 0.0, "lower": 0.0, "upper": 1e300}
    x = draws(spec, "clamp-normal-zero", 200_000)
    assert x.min() == 0.0
    at_zero = np.mean(x == 0.0)
    assert abs(at_zero - 0.5) < 4 * math.sqrt(0.25 / x.size)
    # Above zero the draws are the positive half of N(0, 1).
    assert stats.kstest(x[x > 0], stats.halfnorm.cdf).pvalue > P_MIN


CLAMP_CASES = ["lognormal-skewed", "triangular-skewed", "pert-skewed", "student_t-df3", "uniform"]


@pytest.mark.parametrize("name", CLAMP_CASES)
def test_clamping_to_a_range(name: str) -> None:
    # Range [F^-1(0.2), F^-1(0.9)]: 20% of draws sit at lower, 10% at upper,
    # the rest follow F conditioned on the range.
    kwargs = next(c[1] for c in PARAMETER_CASES if c[0] == name)
    d = Distribution(**kwargs)
    frozen = d.frozen()
    lower, upper = float(frozen.ppf(0.2)), float(frozen.ppf(0.9))
    spec = {**d.core_spec(), "lower": lower, "upper": upper}
    x = draws(spec, "clamp-" + name)
    n = x.size
    assert x.min() == lower and x.max() == upper
    assert abs(np.mean(x == lower) - 0.2) < 4 * math.sqrt(0.2 * 0.8 / n)
    assert abs(np.mean(x == upper) - 0.1) < 4 * math.sqrt(0.1 * 0.9 / n)
    inside = x[(x > lower) & (x < upper)]

    def conditional_cdf(v: np.ndarray) -> np.ndarray:
        return (frozen.cdf(v) - 0.2) / 0.7

    assert stats.kstest(inside, conditional_cdf).pvalue > P_MIN


def test_degenerate_range() -> None:
    spec = {"kind": "student_t", "a": 0.0, "b": 1.0, "c": 3.0, "lower": 2.5, "upper": 2.5}
    assert np.all(draws(spec, "degenerate", 1000) == 2.5)


class Inputs(BaseModel):
    """Fields as a scenario declares them: a number or a distribution, with bounds."""

    share: uncertain(ge=0, le=1)  # type: ignore[valid-type]
    price: uncertain(gt=0)  # type: ignore[valid-type]
    delta: uncertain()  # type: ignore[valid-type]


def test_bound_distribution_spec_and_draws() -> None:
    m = Inputs(
        share={"dist": "normal", "mean": 0.9, "sd": 0.1},
        price={"dist": "student_t", "df": 3, "loc": 1.0, "scale": 0.5},
        delta={"dist": "pert", "min": -1, "mode": 0, "max": 2},
    )
    share, price, delta = m.share, m.price, m.delta
    assert (share.core_spec()["lower"], share.core_spec()["upper"]) == (0, 1)
    assert price.core_spec()["lower"] == math.nextafter(0.0, 1.0)
    assert (delta.core_spec()["lower"], delta.core_spec()["upper"]) == (-1e300, 1e300)
    assert share.central() == pytest.approx(0.9) and price.central() == pytest.approx(1.0)

    x = draws(share, "bound-share", 200_000)
    assert x.min() >= 0.0 and x.max() <= 1.0
    p_top = float(stats.norm.sf(1.0))  # P(N(0.9, 0.1) > 1)
    assert abs(np.mean(x == 1.0) - p_top) < 4 * math.sqrt(p_top * (1 - p_top) / x.size)

    y = draws(price, "bound-price", 200_000)
    assert y.min() == math.nextafter(0.0, 1.0)  # gt=0: the smallest positive double
    p_low = float(stats.t.cdf(-2.0, 3))  # P(1 + 0.5 t < 0)
    assert abs(np.mean(y == y.min()) - p_low) < 4 * math.sqrt(p_low * (1 - p_low) / y.size)


def test_bound_median_outside_range_is_rejected() -> None:
    with pytest.raises(ValidationError, match="median"):
        Inputs(share={"dist": "normal", "mean": 1.5, "sd": 0.1}, price=1.0, delta=0.0)


# --------------------------------------------------------------------------
# Invalid parameters.

INVALID: list[tuple[str, dict[str, Any]]] = [
    ("normal-missing-sd", {"dist": "normal", "mean": 1.0}),
    ("normal-missing-mean", {"dist": "normal", "sd": 1.0}),
    ("lognormal-missing-sigma", {"dist": "lognormal", "mu": 0.0}),
    ("student_t-missing-scale", {"dist": "student_t", "df": 3.0, "loc": 0.0}),
    ("only-low", {"dist": "normal", "low": 1.0}),
    ("low-equals-high", {"dist": "normal", "low": 5.0, "high": 5.0}),
    ("low-above-high", {"dist": "uniform", "low": 6.0, "high": 5.0}),
    ("lognormal-low-zero", {"dist": "lognormal", "low": 0.0, "high": 5.0}),
    ("lognormal-low-negative", {"dist": "lognormal", "low": -1.0, "high": 5.0}),
    ("pert-mode-above-max", {"dist": "pert", "min": 1.0, "mode": 6.0, "max": 5.0}),
    ("pert-mode-below-min", {"dist": "pert", "min": 1.0, "mode": 0.5, "max": 5.0}),
    ("triangular-mode-above-max", {"dist": "triangular", "min": 1.0, "mode": 6.0, "max": 5.0}),
    ("pert-interval-mode-outside", {"dist": "pert", "low": 1.0, "high": 5.0, "mode": 0.0}),
    (
        "triangular-interval-mode-at-high",
        {"dist": "triangular", "low": 1.0, "high": 5.0, "mode": 5.0},
    ),
    ("uniform-min-above-max", {"dist": "uniform", "min": 2.0, "max": 1.0}),
    ("normal-negative-sd", {"dist": "normal", "mean": 0.0, "sd": -1.0}),
    ("lognormal-negative-sigma", {"dist": "lognormal", "mu": 0.0, "sigma": -0.5}),
    ("student_t-interval-no-df", {"dist": "student_t", "low": 1.0, "high": 2.0}),
    ("student_t-zero-df", {"dist": "student_t", "df": 0.0, "loc": 0.0, "scale": 1.0}),
    ("student_t-negative-scale", {"dist": "student_t", "df": 3.0, "loc": 0.0, "scale": -1.0}),
    ("foreign-parameter", {"dist": "normal", "mean": 0.0, "sd": 1.0, "min": 0.0}),
    ("mixed-forms", {"dist": "normal", "low": 1.0, "high": 2.0, "mean": 1.5}),
    ("interval-with-foreign-extra", {"dist": "normal", "low": 1.0, "high": 2.0, "df": 3.0}),
    ("unknown-kind", {"dist": "gamma", "mean": 1.0, "sd": 1.0}),
    ("nan", {"dist": "normal", "mean": math.nan, "sd": 1.0}),
    ("infinite", {"dist": "uniform", "min": 0.0, "max": math.inf}),
    ("string-number", {"dist": "normal", "mean": "1", "sd": 1.0}),
    ("unknown-key", {"dist": "normal", "mean": 0.0, "sd": 1.0, "median": 0.0}),
]


@pytest.mark.parametrize("kwargs", [c[1] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_parameters_raise(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Distribution(**kwargs)


BASE_SPEC = {"kind": "normal", "a": 0.0, "b": 1.0, "c": 0.0, "lower": -1e300, "upper": 1e300}
INVALID_SPECS: list[tuple[str, dict[str, Any]]] = [
    ("unknown-kind", {**BASE_SPEC, "kind": "gamma"}),
    ("negative-sd", {**BASE_SPEC, "b": -1.0}),
    ("pert-mode-outside", {**BASE_SPEC, "kind": "pert", "a": 0.0, "b": 1.0, "c": 2.0}),
    ("triangular-mode-outside", {**BASE_SPEC, "kind": "triangular", "a": 0.0, "b": 1.0, "c": -0.5}),
    ("uniform-min-above-max", {**BASE_SPEC, "kind": "uniform", "a": 2.0, "b": 1.0}),
    ("student_t-zero-df", {**BASE_SPEC, "kind": "student_t", "c": 0.0}),
    ("nan-parameter", {**BASE_SPEC, "a": math.nan}),
    ("empty-range", {**BASE_SPEC, "lower": 1.0, "upper": 0.0}),
]


@pytest.mark.parametrize("spec", [c[1] for c in INVALID_SPECS], ids=[c[0] for c in INVALID_SPECS])
def test_core_rejects_invalid_specs(spec: dict[str, Any]) -> None:
    with pytest.raises(_core.InputError):
        _core.distribution_quantiles(spec, np.zeros(3))


# The simulation's PERT and Student-t draws come from a quantile table
# (random::QuantileTable, docs/model.md §17): a quintic per interval of a
# uniform grid in z on [-8.75, 8.75], exact values and derivatives at the
# nodes. Its stated accuracy, against the exact quantile at 16 points in
# every one of its 1024 intervals: PERT within 1e-13 of the width; Student t
# within 1e-9 of max(|x - loc|, scale).
TABLE_CASES: list[dict[str, Any]] = [
    {"dist": "pert", "min": 0.05, "mode": 0.2, "max": 0.4},
    {"dist": "pert", "min": 0.1, "mode": 0.3, "max": 0.6},
    {"dist": "pert", "min": 0.0, "mode": 0.0, "max": 1.0},
    {"dist": "pert", "min": -5.0, "mode": 4.9, "max": 5.0},
    {"dist": "pert", "min": 100.0, "mode": 120.0, "max": 300.0},
    {"dist": "student_t", "df": 1, "loc": 0.0, "scale": 1.0},
    {"dist": "student_t", "df": 2, "loc": 3.0, "scale": 0.5},
    {"dist": "student_t", "df": 4, "loc": 0.0, "scale": 0.025},
    {"dist": "student_t", "df": 5, "loc": 0.1, "scale": 0.03},
    {"dist": "student_t", "df": 30, "loc": -2.0, "scale": 4.0},
    {"dist": "student_t", "df": 300, "loc": 0.0, "scale": 1.0},
]
Z_TABLE = 8.75


@pytest.mark.parametrize("kwargs", TABLE_CASES, ids=lambda k: "-".join(str(v) for v in k.values()))
def test_quantile_table_against_the_exact_quantile(kwargs: dict[str, Any]) -> None:
    spec = Distribution(**kwargs).core_spec()
    z = np.linspace(-Z_TABLE, Z_TABLE, 1024 * 16 + 1)
    table = _core.distribution_quantiles(spec, z)
    exact = _core.distribution_quantiles(spec, z, exact=True)
    if kwargs["dist"] == "pert":
        bound = 1e-13 * (kwargs["max"] - kwargs["min"])
    else:
        bound = 1e-9 * np.maximum(np.abs(exact - kwargs["loc"]), kwargs["scale"])
    assert np.all(np.abs(table - exact) <= bound)
    # The table is used: off the nodes it is not the exact quantile to the bit.
    assert np.any(table != exact)
    # Beyond the table's range, the exact quantile.
    far = np.array([-9.5, -Z_TABLE - 1e-9, Z_TABLE + 1e-9, 9.5])
    np.testing.assert_array_equal(
        _core.distribution_quantiles(spec, far), _core.distribution_quantiles(spec, far, exact=True)
    )


def test_quantile_table_error_is_caught() -> None:
    # The bound above can fail: a PERT evaluated with the wrong mode is off by far more.
    z = np.linspace(-3, 3, 101)
    a = _core.distribution_quantiles(
        Distribution(dist="pert", min=0, mode=0.3, max=1).core_spec(), z
    )
    b = _core.distribution_quantiles(
        Distribution(dist="pert", min=0, mode=0.3 + 1e-9, max=1).core_spec(), z, exact=True
    )
    assert np.max(np.abs(a - b)) > 1e-13
