"""Each supplier's exposure and loss (docs/model.md §28): by hand on a path
every simulated path repeats, against the distress probability and the
claimants' sums on random paths, and bit for bit across threads and split
runs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from test_distress_claimants import _two_suppliers

import wager
from wager import _core
from wager.analyses.exposure import EXPECTED_LOSS_COLUMNS, EXPOSURE_COLUMNS
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel.execution import merge_results
from wager.scenario.migration import SCHEMA_VERSION
from wager.stats.exposure import linear_quantiles

#: Sums of values rounded to 2^-24 before adding.
FIXED = 2**-24
#: The histograms' bins (wager/exposure.hpp: exposure_bins).
BINS = 1000
#: Each supplier's payments from 2025 to the horizon (2028): A 4 x 150, B 3 x 50 + 20, C 30.
BOUNDS = {"A": 600.0, "B": 170.0, "C": 30.0}


def test_every_path_alike_gives_the_hand_computed_exposure_and_loss() -> None:
    # _two_suppliers: yearly steps, distress in 2026 on every path. At the end
    # of 2025, A is owed 2026-28 (3 x 150), B 3 x 50, C nothing (its contract
    # ended); from 2026 on the company is in distress: exposure 0.
    sc = _two_suppliers()
    d = wager.project(sc).events.distress
    assert d is not None and d.distress_step == 1
    n = 64
    sim = wager.simulate(sc, n_paths=n, seed=5, progress=False)
    table = sim.exposure
    assert list(table.columns) == list(EXPOSURE_COLUMNS)
    owed_2025 = {"A": 450.0, "B": 150.0, "C": 0.0}
    for name, owed in owed_2025.items():
        row = table.loc[(name, 2025)]
        assert row["ee"] == pytest.approx(owed, abs=FIXED)
        assert row["ee_se"] == pytest.approx(0.0, abs=1e-9)
        width = BOUNDS[name] / BINS
        assert abs(row["pfe95"] - owed) <= width
        assert abs(row["pfe99"] - owed) <= width
        for year in (2026, 2027, 2028):
            later = table.loc[(name, year)]
            assert later["ee"] == 0.0
            assert later["pfe99"] == 0.0
    # The loss: each claimant's claim less its pro-rata recovery, all in 2026,
    # discounted at 12% a year to the end of 2026.
    by = d.by_claimant
    el = sim.expected_loss
    assert list(el.columns) == list(EXPECTED_LOSS_COLUMNS)
    for name in ("A", "B", "C"):
        claim, recovered = by.loc[("contract", name), ["claim", "recovered"]]
        loss = claim - recovered
        row = el.loc[name]
        assert row["ead"] == pytest.approx(claim, abs=FIXED)
        assert row["ead_all_paths"] == pytest.approx(claim, abs=FIXED)
        assert row["el"] == pytest.approx(loss, abs=FIXED)
        assert row["el_discounted"] == pytest.approx(loss / 1.12**2, abs=FIXED)
        assert row["paths"] == n
        assert row["bin_width"] == pytest.approx(BOUNDS[name] / BINS, rel=1e-12)
        assert abs(row["loss_q99"] - loss) <= row["bin_width"]
        assert table.loc[(name, 2026), "el"] == pytest.approx(loss, abs=FIXED)
        assert table.loc[(name, 2025), "el"] == 0.0
    assert el.loc["A", "el"] == pytest.approx(
        300 - by.loc[("contract", "A"), "recovered"], abs=1e-6
    )


def _random_suppliers() -> dict[str, Any]:
    """_two_suppliers with quarterly steps, a second regime and equity that
    closes a round with some odds: distress on most paths, in 2026-28, with
    partial recoveries; no management actions, so every path alive owes the
    schedule's payments."""
    sc = _two_suppliers()
    sc["schema_version"] = SCHEMA_VERSION  # raise_success: the yearly chance of closing a round
    sc["time"]["steps_per_year"] = 4
    sc["financing"]["initial_cash"] = 300.0
    sc["financing"]["equity"] = {"enabled": True}
    sc["segments"]["core"]["revenue"] = 60.0  # a going concern worth less than the claims
    regimes = sc["market"]["regimes"]
    regimes["normal"]["raise_success"] = 0.97
    regimes["bust"] = {**regimes["normal"], "raise_success": 0.1, "valuation_multiple": 3.0}
    sc["market"]["transition"] = {
        "normal": {"normal": 0.7, "bust": 0.3},
        "bust": {"normal": 0.4, "bust": 0.6},
    }
    return sc


def test_random_paths_expose_the_survivors_to_the_schedule_and_lose_the_claims() -> None:
    sc = _random_suppliers()
    n = 2000
    sim = wager.simulate(sc, n_paths=n, seed=3, progress=False)
    surviving = 1.0 - sim.distress_probability["probability"]
    assert 0.05 < surviving.iloc[-1] < 0.95, "some paths must fail and some survive"
    # A path alive at a year's end is owed every later payment of the
    # schedule (no management cut renegotiates it): EE = P(alive) x owed.
    owed = {
        "A": {2025: 450.0, 2026: 300.0, 2027: 150.0, 2028: 0.0},
        "B": {2025: 150.0, 2026: 100.0, 2027: 50.0, 2028: 0.0},
    }
    table = sim.exposure
    for name, by_year in owed.items():
        for year, value in by_year.items():
            expected = surviving.loc[year] * value
            assert table.loc[(name, year), "ee"] == pytest.approx(expected, abs=1e-6)
            # The quantiles: the survivors' value, or 0 when fewer survive.
            for level, column in ((0.95, "pfe95"), (0.99, "pfe99")):
                target = value if surviving.loc[year] > 1 - level else 0.0
                assert abs(table.loc[(name, year), column] - target) <= BOUNDS[name] / BINS
    el = sim.expected_loss
    # The suppliers' losses add up to the contracts class's claims less recoveries.
    rec = sim.recoveries.loc["contracts"]
    m = int(rec["paths"])
    assert m == round(n * (1.0 - surviving.iloc[-1]))
    assert el["el"].sum() == pytest.approx((rec["claim"] - rec["recovered"]) * m / n, abs=1e-6)
    # The years of distress add up to the total; discounting lowers it.
    by_year = table.groupby(level="counterparty")["el"].sum()
    np.testing.assert_allclose(by_year.loc[el.index], el["el"], atol=1e-9)
    assert (el["el_discounted"] <= el["el"] + 1e-12).all()
    assert (el.loc[["A", "B"], "el_discounted"] > 0).all()
    assert (el["el_se"] > 0).loc[["A", "B"]].all()
    # EAD over every path is the mean over the distressed ones times P(distress).
    np.testing.assert_allclose(el["ead_all_paths"], el["ead"] * m / n, rtol=1e-12)


def _raw(sc: dict[str, Any], n_paths: int, n_threads: int, first_path: int = 0) -> dict[str, Any]:
    st = prepare_strategy(wager.Scenario.model_validate(sc))
    cfg = simulation_config(
        [st], n_paths=n_paths, seed=8, n_threads=n_threads, keep_paths=False, first_path=first_path
    )
    out: dict[str, Any] = _core.simulate(cfg)[0]
    return out


def _exposure_arrays(raw: dict[str, Any]) -> dict[str, np.ndarray]:
    e = raw["exposure"]
    arrays = {"bound": np.asarray(e["bound"])}
    for part in ("exposure", "loss", "loss_by_year"):
        for key in ("sum", "sum_squares"):
            hi, lo = e[part][key]
            arrays[f"{part}.{key}.hi"], arrays[f"{part}.{key}.lo"] = hi, lo
        arrays[f"{part}.histogram"] = np.asarray(e[part]["histogram"])
    return arrays


def _cutting_suppliers() -> dict[str, Any]:
    """_random_suppliers whose management renegotiates when runway is short
    (a spread penalty): the lanes alive owe different shares."""
    sc = _random_suppliers()
    sc["distress"] = {
        "management": {"enabled": True, "trigger_runway": 1.5, "renegotiate": 0.3, "penalty": 0.2}
    }
    return sc


def _uncertain_contract() -> dict[str, Any]:
    """_cutting_suppliers with B's contract b of an uncertain total: each
    path its own model (its exposure summed lane by lane)."""
    sc = _cutting_suppliers()
    sc["distress"]["management"]["trigger_runway"] = 0.5
    sc["compute"]["commitments"][1] = {
        "name": "b",
        "counterparty": "B",
        "total": {"dist": "uniform", "min": 120.0, "max": 180.0},
        "start": 2026,
        "end": 2028,
    }
    return sc


@pytest.mark.parametrize("make", [_random_suppliers, _cutting_suppliers, _uncertain_contract])
def test_the_sums_are_the_same_bits_for_any_threads_and_split(make: Any) -> None:
    # The split at path 600 (not a multiple of the 32 lanes of a block)
    # groups the paths into other blocks.
    sc = make()
    one = _exposure_arrays(_raw(sc, 1500, 1))
    assert one["exposure.histogram"].shape == (3 * 4, BINS + 2)
    assert one["exposure.histogram"].sum() == 1500 * 3 * 4
    two = _exposure_arrays(_raw(sc, 1500, 2))
    split = _exposure_arrays(
        merge_results(
            {"strategies": [_raw(sc, 600, 2)], "pairs": []},
            {"strategies": [_raw(sc, 900, 1, first_path=600)], "pairs": []},
        )["strategies"][0]
    )
    for other in (two, split):
        assert other.keys() == one.keys()
        for key, value in one.items():
            np.testing.assert_array_equal(other[key], value, err_msg=key)


def test_a_strategy_without_contracts_has_empty_tables() -> None:
    sc = _two_suppliers()
    del sc["compute"]
    sim = wager.simulate(sc, n_paths=32, seed=1, progress=False)
    assert sim.exposure.empty and sim.expected_loss.empty
    assert np.asarray(sim.raw["exposure"]["exposure"]["histogram"]).size == 0


def test_linear_quantiles_interpolate_within_a_bin() -> None:
    counts = np.zeros(BINS + 2, dtype=np.int64)
    counts[0], counts[11], counts[BINS + 1] = 50, 40, 10  # 0, (1, 1.1], above 100
    got = linear_quantiles(counts, 100.0, (0.25, 0.5, 0.7, 0.95))
    assert got[0] == 0.0
    assert got[1] == 0.0  # the 50th of 100 paths is still a zero
    assert got[2] == pytest.approx(1.0 + 0.5 * 0.1, abs=1e-12)
    assert math.isnan(got[3])
    # Zeros not counted in the histogram join bin 0.
    assert linear_quantiles(counts, 100.0, (0.5,), zeros=100)[0] == 0.0


def test_the_exposure_tables_are_in_the_export() -> None:
    sim = wager.simulate(_two_suppliers(), n_paths=32, seed=5, progress=False)
    frame = sim.to_frame()
    exposure = frame[frame["table"] == "exposure"]
    ee = exposure[(exposure["variable"] == "A") & (exposure["statistic"] == "ee")]
    assert ee.set_index("year")["value"].loc[2025] == pytest.approx(450.0, abs=FIXED)
    loss = frame[(frame["table"] == "expected_loss") & (frame["statistic"] == "el")]
    assert set(loss["variable"]) == {"A", "B", "C"}


def test_an_uncertain_contract_gives_its_supplier_the_draw_s_distribution() -> None:
    # No distress before 2026: at the end of 2025 every path owes B its
    # contract b's whole total, uniform on [120, 180], and A its 3 x 150.
    n = 2000
    sim = wager.simulate(_uncertain_contract(), n_paths=n, seed=3, progress=False)
    assert sim.distress_probability.loc[2025, "probability"] == 0.0
    b = sim.exposure.loc[("B", 2025)]
    sd = 60 / math.sqrt(12)
    assert abs(b["ee"] - 150.0) < 4 * sd / math.sqrt(n)
    assert b["ee_se"] == pytest.approx(sd / math.sqrt(n), rel=0.1)
    width = sim.expected_loss.loc["B", "bin_width"]  # doubled: each path its own model
    assert width == pytest.approx(2 * BOUNDS["B"] / BINS, rel=1e-12)
    for level, column in ((0.95, "pfe95"), (0.99, "pfe99")):
        # The quantile's standard error: sqrt(p (1 - p) / n) / density (1 / 60).
        se = math.sqrt(level * (1 - level) / n) * 60
        assert abs(b[column] - (120 + 60 * level)) < 4 * se + width
    assert sim.exposure.loc[("A", 2025), "ee"] == pytest.approx(450.0, abs=FIXED)


def test_a_path_in_distress_is_owed_nothing_even_by_a_failed_supplier_s_contract() -> None:
    # A's contract fails at the start of 2028 (its estate decides then):
    # before that a path alive is owed it in full, through the failed
    # contract's payments (PreparedModel::at_risk_after); a path in distress
    # is owed nothing, that contract included.
    fail = wager.Stress.model_validate(
        {
            "name": "a_fails",
            "shocks": [
                {"target": "compute.commitments.a", "op": "fail", "value": 1.0, "start": 2028}
            ],
        }
    )
    n = 2000
    sim = wager.simulate(_random_suppliers(), n_paths=n, seed=3, stress=fail, progress=False)
    surviving = 1.0 - sim.distress_probability["probability"]
    assert 0.05 < surviving.loc[2027] < 0.95
    table = sim.exposure
    for year, owed in {2025: 450.0, 2026: 300.0, 2027: 150.0}.items():
        assert table.loc[("A", year), "ee"] == pytest.approx(surviving.loc[year] * owed, abs=1e-6)
