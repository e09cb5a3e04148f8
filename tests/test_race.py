"""The compute race: the reference profile reproduces both plans, the share
function is the documented one, equilibria follow the payoffs, and the
sweeps show where the answer flips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wager
from wager.analyses.race import _equilibria
from wager.compile.model import kernel_model
from wager.compile.uncertainty import central_scenario
from wager.stats.cell_summary import GRID_HISTOGRAM

N, SEED = 4_000, 5


@pytest.fixture(scope="module")
def labs() -> tuple[wager.Scenario, wager.Scenario]:
    return wager.presets.load("profitability"), wager.presets.load("compute_first")


@pytest.fixture(scope="module")
def default_race() -> wager.Race:
    return wager.race(n_paths=N, seed=SEED)


def test_the_reference_profile_is_each_lab_s_own_plan(
    labs: tuple[wager.Scenario, wager.Scenario], default_race: wager.Race
) -> None:
    grid = wager.stress(
        list(labs), ["baseline"], n_paths=N, seed=SEED, progress=False, histogram=GRID_HISTOGRAM
    )
    ref = default_race.matrix.loc[("prudent", "aggressive")]
    for lab, sc in zip(("a", "b"), labs, strict=True):
        row = grid.table.loc[(sc.name, "baseline", 1.0)]
        assert ref[f"terminal_equity_value_{lab}"] == row["terminal_equity_value_mean"]
        assert ref[f"survival_{lab}"] == 1 - row["p_distress"]
    assert (default_race.multipliers.filter(like="prudent/aggressive") == 1.0).all().all()


def test_the_share_function_is_the_documented_one(
    labs: tuple[wager.Scenario, wager.Scenario], default_race: wager.Race
) -> None:
    def plans(sc: wager.Scenario) -> tuple[np.ndarray, np.ndarray]:
        m = kernel_model(central_scenario(sc))  # the plans: the inputs' medians
        rev = np.sum([s["revenue"] for s in m["segments"]], axis=0)
        return rev, np.add(np.add(m["training"], m["commitments"]), m["capex"])

    (ra, ca), (rb, cb) = plans(labs[0]), plans(labs[1])
    # A aggressive (3x its compute), B aggressive (its plan), g = 1: A's share
    # w_A 3 C_A / (w_A 3 C_A + w_B C_B) with w_A / w_B = (R_A / R_B) / (C_A / C_B).
    w = (ra / rb) / (ca / cb)
    share = w * 3 * ca / cb / (1 + w * 3 * ca / cb)
    m = default_race.multipliers
    np.testing.assert_allclose(
        m["aggressive/aggressive profitability"], (ra + rb) * share / ra, rtol=1e-12
    )
    np.testing.assert_allclose(
        m["aggressive/aggressive compute_first"], (ra + rb) * (1 - share) / rb, rtol=1e-12
    )
    # With g = 1 only relative compute matters: both prudent = both aggressive.
    np.testing.assert_allclose(
        m["prudent/prudent profitability"], m["aggressive/aggressive profitability"], rtol=1e-12
    )


def test_deviation_gains_are_the_paired_differences(default_race: wager.Race) -> None:
    m = default_race.matrix
    d = default_race.deviations.set_index(["lab", "other plays"])
    a_gain = d.loc[("profitability", "aggressive"), "gain terminal_equity_value"]
    expected = (
        m.loc[("prudent", "aggressive"), "terminal_equity_value_a"]
        - m.loc[("aggressive", "aggressive"), "terminal_equity_value_a"]
    )
    np.testing.assert_allclose(a_gain, expected, rtol=1e-9)
    b_gain = d.loc[("compute_first", "prudent"), "gain survival"]
    expected = (
        m.loc[("prudent", "prudent"), "survival_b"] - m.loc[("prudent", "aggressive"), "survival_b"]
    )
    np.testing.assert_allclose(b_gain, expected, rtol=1e-12, atol=1e-15)
    assert (d["gain terminal_equity_value se"] > 0).all()


def test_the_defaults_reproduce_the_dilemma_on_equity_value(default_race: wager.Race) -> None:
    # Each lab gains equity value by racing whatever the other does, and both
    # would be better off prudent: the article's prisoner's dilemma.
    assert default_race.equilibria == [("aggressive", "aggressive")] and default_race.dilemma
    d = default_race.deviations
    assert (d["gain terminal_equity_value"] + 1.96 * d["gain terminal_equity_value se"] < 0).all()
    # On survival the prudent choice wins for both.
    assert wager.race(n_paths=N, seed=SEED, payoff="survival").equilibria == [
        ("prudent", "prudent")
    ]


def test_a_sweep_shows_where_the_answer_flips() -> None:
    sweep = wager.race_sweep("share_sensitivity", [0.0, 0.5, 1.0], n_paths=2_000, seed=SEED)
    assert sweep.loc[0.0, "equilibria"] == "prudent/prudent" and not sweep.loc[0.0, "dilemma"]
    assert sweep.loc[1.0, "equilibria"] == "aggressive/aggressive" and sweep.loc[1.0, "dilemma"]
    # Raises a tenth as likely as the regimes say: neither lab races. (Before
    # the presets carried uncertain inputs, issue 16, the profitability lab
    # raced; with them its paths near the edge fail when it triples its
    # compute: at 8,000 paths prudent gains it 801 +- 60 of terminal equity
    # value against a prudent other, 1,031 +- 48 against an aggressive one.)
    funding = wager.race_sweep("funding", [0.1, 1.0], n_paths=2_000, seed=SEED)
    assert funding.loc[0.1, "equilibria"] == "prudent/prudent"
    assert funding.loc[1.0, "equilibria"] == "aggressive/aggressive"


def test_equilibria_follow_the_payoffs() -> None:
    def values(
        table: dict[tuple[str, str], tuple[float, float]],
    ) -> dict[tuple[tuple[str, str], str], float]:
        return {(p, lab): v[i] for p, v in table.items() for i, lab in enumerate(("a", "b"))}

    pd_game = {
        ("prudent", "prudent"): (3.0, 3.0),
        ("prudent", "aggressive"): (0.0, 5.0),
        ("aggressive", "prudent"): (5.0, 0.0),
        ("aggressive", "aggressive"): (1.0, 1.0),
    }
    assert _equilibria(values(pd_game)) == [("aggressive", "aggressive")]
    coordination = {
        ("prudent", "prudent"): (2.0, 2.0),
        ("prudent", "aggressive"): (0.0, 0.0),
        ("aggressive", "prudent"): (0.0, 0.0),
        ("aggressive", "aggressive"): (1.0, 1.0),
    }
    assert _equilibria(values(coordination)) == [
        ("prudent", "prudent"),
        ("aggressive", "aggressive"),
    ]


def test_a_race_does_not_depend_on_threads_and_refuses_bad_settings() -> None:
    a = wager.race(n_paths=1_000, seed=2, n_threads=1)
    b = wager.race(n_paths=1_000, seed=2, n_threads=3)
    pd.testing.assert_frame_equal(a.matrix, b.matrix, check_exact=True)
    with pytest.raises(ValueError, match="payoff"):
        wager.race(payoff="irr")
    with pytest.raises(ValueError, match="aggression"):
        wager.race(aggression=0)
    with pytest.raises(ValueError, match="parameter must be one of"):
        wager.race_sweep("greed", [1.0])
