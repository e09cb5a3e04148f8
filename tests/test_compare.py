"""Paired comparison: the core's path-by-path differences against an
independent computation from every path's values, determinism, intervals,
dominance and overtaking."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_simulation_engine import uncertain_preset

import wager

N, SEED = 4_000, 21


@pytest.fixture(scope="module")
def pair() -> tuple[wager.Scenario, wager.Scenario]:
    return uncertain_preset("profitability"), uncertain_preset("compute_first")


@pytest.fixture(scope="module")
def comparison(pair: tuple[wager.Scenario, wager.Scenario]) -> wager.Comparison:
    return wager.compare(
        *pair, n_paths=N, seed=SEED, stresses=["baseline", "price_war"], progress=False
    )


def _paths(sc: wager.Scenario, stress: str) -> wager.analyses.simulation.Paths:
    r = wager.simulate(sc, n_paths=N, seed=SEED, progress=False, keep_paths=True, stress=stress)
    assert r.paths is not None
    return r.paths


@pytest.mark.parametrize("stress", ["baseline", "price_war"])
def test_paired_statistics_match_every_path_s_values(
    pair: tuple[wager.Scenario, wager.Scenario], comparison: wager.Comparison, stress: str
) -> None:
    a, b = (_paths(sc, stress) for sc in pair)
    s = comparison.summary().loc[stress]
    na, nb = pair[0].name, pair[1].name
    last = pair[0].time.horizon
    # Joint default and profit counts are exact.
    da = (a.distress_year >= 0) & (a.distress_year <= last)
    db = (b.distress_year >= 0) & (b.distress_year <= last)
    assert s.loc[f"P(distress by {last})", na] == da.mean()
    assert s.loc[f"P(distress by {last})", nb] == db.mean()
    assert s.loc[f"P({nb} in distress, {na} not, by {last})", nb] == (~da & db).mean()
    assert s.loc[f"P({na} in distress, {nb} not, by {last})", nb] == (da & ~db).mean()
    # Mean differences of per-path values, from fixed-point sums (2^-24 US$ bn per value).
    diff = b.outcomes["terminal_equity_value"] - a.outcomes["terminal_equity_value"]
    row = s.loc["mean terminal_equity_value"]
    np.testing.assert_allclose(row[f"{nb} - {na}"], diff.mean(), rtol=1e-9, atol=1e-6)
    se = diff.std(ddof=1) / np.sqrt(N)
    np.testing.assert_allclose(
        row[f"{nb} - {na} high"] - row[f"{nb} - {na}"], 1.959963984540054 * se, rtol=1e-6
    )
    cash = b.annual["cash"][:, -1] - a.annual["cash"][:, -1]
    np.testing.assert_allclose(
        s.loc[f"mean cash {last}", f"{nb} - {na}"], cash.mean(), rtol=1e-9, atol=1e-6
    )
    # Pairing narrows the interval on the difference: the common world cancels.
    sa = wager.simulate(pair[0], n_paths=N, seed=SEED, progress=False, stress=stress).outcomes
    sb = wager.simulate(pair[1], n_paths=N, seed=SEED, progress=False, stress=stress).outcomes
    unpaired = np.hypot(sa.loc["cumulative_fcf", "se"], sb.loc["cumulative_fcf", "se"])
    paired = (
        s.loc["mean cumulative_fcf", f"{nb} - {na} high"]
        - s.loc["mean cumulative_fcf", f"{nb} - {na}"]
    ) / 1.96
    assert paired < unpaired


def test_overtaking_years_match_every_path_s_cumulative_cash_flow(
    pair: tuple[wager.Scenario, wager.Scenario], comparison: wager.Comparison
) -> None:
    a, b = (_paths(sc, "baseline") for sc in pair)
    ca, cb = (
        np.cumsum(a.annual["free_cash_flow"], axis=1),
        np.cumsum(b.annual["free_cash_flow"], axis=1),
    )
    years = pair[0].time.years
    expected: dict[tuple[int, Any], int] = {}
    for i in range(N):
        lead = np.sign(cb[i, 0] - ca[i, 0])
        ahead = (cb[i] > ca[i]) if lead < 0 else (ca[i] > cb[i])
        hits = np.flatnonzero(ahead[1:]) + 1 if lead != 0 else np.array([], dtype=int)
        who = 1 if lead > 0 else 0
        when: Any = years[hits[0]] if hits.size else "never"
        expected[(who, when)] = expected.get((who, when), 0) + 1
    got = comparison.overtake(stress="baseline") * N
    for (who, when), count in expected.items():
        assert round(got.iloc[:, who].loc[when]) == count, (who, when)
    assert round(got.to_numpy().sum()) == N


def test_a_comparison_does_not_depend_on_threads_or_batches(
    pair: tuple[wager.Scenario, wager.Scenario],
) -> None:
    kw: dict[str, Any] = {
        "n_paths": 1_500,
        "seed": 3,
        "progress": False,
        "stresses": ["baseline", "rate_shock"],
    }
    one = wager.compare(*pair, n_threads=1, **kw)
    two = wager.compare(*pair, n_threads=3, batch_paths=257, **kw)
    pd.testing.assert_frame_equal(one.summary(), two.summary(), check_exact=True)
    pd.testing.assert_frame_equal(one.overtake(), two.overtake(), check_exact=True)


def test_more_than_two_strategies_against_a_chosen_reference() -> None:
    a, b = wager.presets.load("profitability"), wager.presets.load("compute_first")
    rich = b.model_copy(update={"name": "compute_first_rich"})
    rich = wager.Scenario.model_validate(
        {
            **rich.model_dump(exclude_none=True),
            "financing": {**rich.financing.model_dump(exclude_none=True), "initial_cash": 200.0},
        }
    )
    c = wager.compare(a, b, rich, reference="compute_first", n_paths=2_000, seed=5, progress=False)
    s = c.summary().loc["baseline"]
    assert "compute_first" in s.columns and "compute_first_rich - compute_first" in s.columns
    assert "profitability - compute_first" in s.columns
    # More cash on the same paths: never poorer at the end, never a later default.
    d = c.dominance()
    assert bool(d.loc["compute_first_rich", "compute_first_rich dominates compute_first"])
    assert not bool(d.loc["compute_first_rich", "compute_first dominates compute_first_rich"])
    assert s.loc["P(distress by 2035)", "compute_first_rich - compute_first"] <= 0
    risk = c.expected_shortfall()
    assert set(risk.index.get_level_values("strategy")) == {
        "profitability",
        "compute_first",
        "compute_first_rich",
    }


def test_compare_refuses_what_it_cannot_do() -> None:
    a = wager.presets.load("profitability")
    with pytest.raises(ValueError, match="at least two"):
        wager.compare(a)
    with pytest.raises(ValueError, match="distinct names"):
        wager.compare(a, a)
    with pytest.raises(ValueError, match="reference"):
        wager.compare(a, wager.presets.load("compute_first"), reference="nobody")
    # A list where separate arguments go: the message names the mistake.
    with pytest.raises(TypeError, match=r"separate arguments: compare\(a, b\)"):
        wager.compare([a, wager.presets.load("compute_first")])  # type: ignore[arg-type]


def test_the_paired_sums_are_exactly_the_difference_of_the_sums(
    comparison: wager.Comparison,
) -> None:
    from wager.stats.estimators import join_int128

    for stress in comparison.stresses:
        a = comparison._raw[("profitability", stress)]
        b = comparison._raw[("compute_first", stress)]
        pair = comparison._pairs[("compute_first", stress)]
        sa, sb, sd = (join_int128(r["sum"]) for r in (a, b, pair))
        assert sd == [y - x for x, y in zip(sa, sb, strict=True)]


def test_a_strategy_against_itself_differs_by_exactly_zero() -> None:
    a = wager.presets.load("compute_first")
    twin = wager.Scenario.model_validate({**a.model_dump(exclude_none=True), "name": "twin"})
    c = wager.compare(
        a, twin, n_paths=1_000, seed=9, stresses=["baseline", "ai_bubble_burst"], progress=False
    )
    s = c.summary()
    diff = s[[col for col in s.columns if col.startswith("twin - ")]].dropna(how="all")
    values = diff.to_numpy()
    # The resolution rows have a difference but no interval (NaN ends).
    assert (values[~np.isnan(values)] == 0.0).all() and (values[:, 0] == 0.0).all()
    both = s[["compute_first", "twin"]].dropna()
    assert len(both) > 10 and (both["compute_first"] == both["twin"]).all()
    assert (c.overtake().iloc[:-1].to_numpy() == 0).all()  # never overtaken: level every year
    d = c.dominance()
    assert d.loc["twin", "max(F_twin - F_compute_first)"] == 0.0
    assert bool(d.loc["twin", "twin dominates compute_first"]) and bool(
        d.loc["twin", "compute_first dominates twin"]
    )
