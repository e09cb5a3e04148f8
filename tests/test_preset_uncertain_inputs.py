"""The presets' uncertain inputs (issue 16, item 2): each median is the value
the preset had before, each width the arithmetic of docs/calibration.md
("Uncertain inputs") from its evidence, and the tornado and the Sobol
indices run on the presets as shipped."""

from __future__ import annotations

import math

import pytest
from scipy import stats

import wager
from wager.scenario.distribution import distribution_leaves, path_name

Z95 = float(stats.norm.ppf(0.95))

#: The ratio of the 95th percentile to the median of a lognormal input: the
#: evidence's factor k (a 90% interval of x/÷ k).
OVERRUN = 1.23  # inference cost 23% over plan (cal: inference cost overrun)
TRAINING = (74.5 + 10.0) / 74.5  # 2028 compute ~111 -> ~121, put on training
GIGAWATT = math.sqrt(60.0 / 35.0)  # 35 to 60 a GW as the 90% width
OPEX = 1.25  # assumption
PRICE_90 = 0.05  # +-5% a year, 90%: assumption

#: (median, k) of each lognormal input, or (mean, half-width of its 90% interval) of a normal.
COMPUTE_FIRST = {
    "segments.consumer.inference_cost_ratio.2025": (0.52, OVERRUN),
    "segments.consumer.inference_cost_ratio.2029": (0.30, OVERRUN),
    "segments.enterprise.inference_cost_ratio.2025": (0.52, OVERRUN),
    "segments.enterprise.inference_cost_ratio.2029": (0.30, OVERRUN),
    "segments.ventures.inference_cost_ratio.2029": (0.30, OVERRUN),
    "segments.consumer.price_change": (0.0, PRICE_90),
    "segments.enterprise.price_change": (0.0, PRICE_90),
    "segments.ventures.price_change": (0.0, PRICE_90),
    "market.regimes.normal.valuation_multiple": (38.0, 850.0 / 13.0 / 38.0),
    "compute.training.2028": (74.5, TRAINING),
    "compute.commitments[0].schedule.2027": (20.0, 60.0 / 20.0),
    "compute.commitments[0].schedule.2028": (45.0, 60.0 / 45.0),
    "compute.commitments[4].schedule.2032": (60.0, GIGAWATT),
    "compute.commitments[5].schedule.2034": (45.0, GIGAWATT),
    "compute.commitments[6].schedule.2035": (123.0, GIGAWATT),
    "costs.staff.of_revenue.2028": (0.20, OPEX),
    "costs.sales_marketing.of_revenue.2028": (0.12, OPEX),
    "costs.general_admin.of_revenue.2028": (0.08, OPEX),
}
PROFITABILITY = {
    "segments.enterprise_api.inference_cost_ratio.2025": (0.50, OVERRUN),
    "segments.enterprise_api.inference_cost_ratio.2028": (0.23, OVERRUN),
    "segments.consumer.inference_cost_ratio.2025": (0.50, OVERRUN),
    "segments.consumer.inference_cost_ratio.2028": (0.23, OVERRUN),
    "segments.enterprise_api.price_change": (0.0, PRICE_90),
    "segments.consumer.price_change": (0.0, PRICE_90),
    "market.regimes.normal.valuation_multiple": (39.0, 350.0 / 4.7 / 39.0),
    "compute.training.2028": (13.0, TRAINING),
    "compute.commitments[1].schedule.2027": (20.0, GIGAWATT),
    "compute.commitments[1].schedule.2028": (21.0, GIGAWATT),
    "costs.staff.of_revenue": (0.175, OPEX),
    "costs.sales_marketing.of_revenue": (0.105, OPEX),
    "costs.general_admin.of_revenue": (0.07, OPEX),
    "financing.initial_cash": (5.0, 2.0),
}
EXPECTED = {"compute_first": COMPUTE_FIRST, "profitability": PROFITABILITY}
PRICED = ("enterprise_api", "consumer")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_input_keeps_its_value_as_median_and_its_evidence_as_width(name: str) -> None:
    leaves = {path_name(p): d for p, d in distribution_leaves(wager.presets.load(name))}
    assert set(leaves) == set(EXPECTED[name])
    for input_name, (median, width) in EXPECTED[name].items():
        d = leaves[input_name]
        # The projection uses the median: the preset's former value (to rounding).
        assert d.central() == pytest.approx(median, rel=1e-14, abs=1e-15), input_name
        frozen = d.frozen()
        if d.dist == "lognormal":
            # The parameters are written to 4 decimals: the width within 0.1%.
            assert frozen.ppf(0.95) / median == pytest.approx(width, rel=1e-3), input_name
            assert median / frozen.ppf(0.05) == pytest.approx(width, rel=1e-3), input_name
        else:
            assert d.dist == "normal"
            assert frozen.ppf(0.95) - median == pytest.approx(width, rel=2e-3), input_name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_revenue_moves_off_plan_by_a_random_walk_of_the_revisions_size(name: str) -> None:
    # ln(1.40) / 1.645 / sqrt(5.5): the 2030 projection's +40% revision as a
    # 95th percentile of a random walk, rounded up to 0.10.
    assert math.log(1.40) / Z95 / math.sqrt(5.5) == pytest.approx(0.087, abs=5e-4)
    for seg in wager.presets.load(name).segments.values():
        assert (seg.volatility, seg.persistence, seg.demand_beta) == (0.10, 1.0, 1.0)


@pytest.mark.parametrize(
    ("name", "segment", "ratio_year"),
    [("compute_first", "consumer", 2029), ("profitability", "enterprise_api", 2028)],
)
def test_the_tornado_runs_on_each_preset(name: str, segment: str, ratio_year: int) -> None:
    sc = wager.presets.load(name)
    t = wager.tornado(sc, n_paths=64, seed=3)
    assert set(t.table.index) == set(EXPECTED[name])
    # Both ends run on the same worlds: a dearer inference bill leaves less
    # equity at the horizon and dearer prices more, far beyond the paired error.
    ratio = t.table.loc[f"segments.{segment}.inference_cost_ratio.{ratio_year}"]
    assert ratio["high"] < ratio["low"] - 3 * ratio["swing_se"]
    price = t.table.loc[f"segments.{segment}.price_change"]
    assert price["high"] > price["low"] + 3 * price["swing_se"]
    # The ends are the 10th and 90th percentiles of each input.
    z90 = float(stats.norm.ppf(0.9))
    assert (price["low_input"], price["high_input"]) == pytest.approx(
        (-PRICE_90 * z90 / Z95, PRICE_90 * z90 / Z95), rel=2e-3
    )
    row = t.table.loc["compute.training.2028"]
    median, k = EXPECTED[name]["compute.training.2028"]
    assert row["high_input"] == pytest.approx(median * k ** (z90 / Z95), rel=1e-3)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sobol_runs_on_each_preset(name: str) -> None:
    pytest.importorskip("SALib")
    sc = wager.presets.load(name)
    s = wager.sobol(sc, n_base=16, paths_per_sample=32, seed=5, num_resamples=50)
    k = len(EXPECTED[name])
    assert set(s.table.index) == set(EXPECTED[name])
    # Saltelli's design: n_base x (k + 2) rows, each the mean over 32 worlds.
    assert s.samples.shape == (16 * (k + 2), k)
    assert s.values.shape == (16 * (k + 2),)
    # The terminal equity value is a multiple of the last year's revenue: the
    # segments' prices and the normal multiple explain it, every other input
    # far less (the tornado ranks the same three first; with 16 base rows the
    # fourth total index stays under 0.05 whatever the seed).
    top = set(s.table["ST"].nlargest(3).index)
    segments = {"compute_first": ("consumer", "enterprise"), "profitability": PRICED}[name]
    assert top == {
        "market.regimes.normal.valuation_multiple",
        *(f"segments.{seg}.price_change" for seg in segments),
    }
    # The design's rows span each input's distribution: every column's
    # empirical median is near the input's median (a scrambled Sobol
    # sequence of 16 x (k + 2) points puts it within a few percent).
    normal = {n for n in EXPECTED[name] if n.endswith("price_change")}
    for input_name, (median, width) in EXPECTED[name].items():
        col = s.samples[input_name]
        spread = width if input_name in normal else median * (width - 1.0)
        assert abs(float(col.median()) - median) < 0.25 * spread, input_name
