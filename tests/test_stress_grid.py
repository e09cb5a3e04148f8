"""Stress grids and stressed simulations: one core call, common random
numbers, the same bits as separate runs, determinism, and triggers per path."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import wager
from wager.compile.uncertainty import central_scenario
from wager.kernel.layout import KEPT_VARIABLES, HistogramSpec

FREEZE_ON_BUST = wager.Stress.model_validate(
    {
        "name": "freeze_on_bust",
        "shocks": [
            {
                "target": "market.regimes.*.raise_success",
                "op": "set",
                "value": 0.0,
                "trigger": {"regime": "bust", "after": 2026},
                "duration": 2,
            },
            {
                "target": "segments.*.revenue",
                "op": "scale",
                "value": 0.7,
                "trigger": {"regime": "bust"},
                "shape": "recovery",
                "half_life": 1,
            },
        ],
    }
)


def _frames(s: wager.Simulation) -> list[pd.DataFrame]:
    return [
        s.annual,
        s.outcomes,
        s.risk,
        s.distress_probability,
        s.profit_probability,
        s.distress_year,
        s.first_profit_year,
    ]


def _same(a: wager.Simulation, b: wager.Simulation) -> None:
    for x, y in zip(_frames(a), _frames(b), strict=True):
        pd.testing.assert_frame_equal(x, y, check_exact=True)


@pytest.fixture(scope="module")
def presets() -> list[wager.Scenario]:
    return [wager.presets.load("profitability"), wager.presets.load("compute_first")]


def test_a_grid_cell_is_the_separate_simulation_bit_for_bit(presets: list[wager.Scenario]) -> None:
    stresses: list[Any] = [
        "baseline",
        "price_war",
        ["funding_freeze", "rate_shock"],
        FREEZE_ON_BUST,
    ]
    grid = wager.stress(
        presets,
        stresses,
        severity=[0.5, 1.0],
        n_paths=1_500,
        seed=11,
        progress=False,
        histogram=HistogramSpec(),
    )
    assert len(grid.cells) == 2 * 4 * 2
    for sc in presets:
        for item in stresses:
            label = wager.compile.shocks.stress_label(item)
            for sev in (0.5, 1.0):
                alone = wager.simulate(
                    sc, n_paths=1_500, seed=11, progress=False, stress=item, severity=sev
                )
                _same(grid.simulation(sc.name, label, sev), alone)
                det = wager.project(sc, stress=item, severity=sev).events
                row = grid.table.loc[(sc.name, label, sev)]
                assert row["det_terminal_equity_value"] == det.terminal_equity_value
    assert grid.table.loc[("compute_first", "funding_freeze+rate_shock", 1.0), "p_distress"] > 0


def test_grids_do_not_depend_on_threads_or_batches(presets: list[wager.Scenario]) -> None:
    args: dict[str, Any] = {"n_paths": 2_000, "seed": 5, "progress": False}
    stresses = ["baseline", "telecom_2001", FREEZE_ON_BUST]
    a = wager.stress(presets, stresses, n_threads=1, **args)
    b = wager.stress(presets, stresses, n_threads=3, batch_paths=333, **args)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)


def test_severity_zero_is_the_baseline_cell(presets: list[wager.Scenario]) -> None:
    grid = wager.stress(
        presets,
        ["baseline", "telecom_2001"],
        severity=[0.0, 1.0],
        n_paths=1_000,
        seed=2,
        progress=False,
    )
    t = grid.table
    for name in ("profitability", "compute_first"):
        pd.testing.assert_series_equal(
            t.loc[(name, "telecom_2001", 0.0)],
            t.loc[(name, "baseline", 0.0)],
            check_names=False,
            check_exact=True,
        )
        pd.testing.assert_series_equal(
            t.loc[(name, "baseline", 1.0)],
            t.loc[(name, "baseline", 0.0)],
            check_names=False,
            check_exact=True,
        )


def test_a_severity_sweep_of_a_funding_freeze_never_lowers_default(
    presets: list[wager.Scenario],
) -> None:
    sweep = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0]
    grid = wager.stress(
        presets[1], ["funding_freeze"], severity=sweep, n_paths=2_000, seed=3, progress=False
    )
    p = grid.table["p_distress"].to_numpy()
    assert (np.diff(p) >= 0).all() and p[-1] > p[0]


def test_a_triggered_stress_starts_on_each_path_s_own_bust() -> None:
    # No randomness but the regime chain, pinned to bust in 2028: every path
    # is the stressed projection (whose trigger reads the same regime path).
    # The preset at its medians, without its segments' own deviations.
    d: dict[str, Any] = central_scenario(wager.presets.load("compute_first")).model_dump(
        exclude_none=True
    )
    for segment in d["segments"].values():
        segment["volatility"] = 0.0
    names = list(d["market"]["regimes"])
    d["market"]["transition"] = {a: {b: float(a == b) for b in names} for a in names}
    d["market"]["path"] = {y: "bust" if y == 2028 else "normal" for y in range(2025, 2036)}
    for regime in d["market"]["regimes"].values():
        regime["raise_success"] = 1.0
    sc = wager.Scenario.model_validate(d)
    p = wager.project(sc, stress=FREEZE_ON_BUST)
    assert not p.annual.equals(wager.project(sc).annual)
    r = wager.simulate(
        sc, n_paths=40, seed=1, n_threads=2, progress=False, keep_paths=True, stress=FREEZE_ON_BUST
    )
    assert r.paths is not None
    for var in KEPT_VARIABLES:
        column = p.annual[var].map(names.index) if var == "regime" else p.annual[var]
        expected = np.broadcast_to(column.to_numpy(dtype=float), r.paths.annual[var].shape)
        np.testing.assert_array_equal(r.paths.annual[var], expected, err_msg=var)


def test_a_triggered_stress_moves_only_paths_that_bust() -> None:
    # Yearly steps: each year's kept regime is the regime of its only step.
    d: dict[str, Any] = wager.presets.load("compute_first").model_dump(exclude_none=True)
    d["time"]["steps_per_year"] = 1
    sc = wager.Scenario.model_validate(d)
    base = wager.simulate(sc, n_paths=3_000, seed=8, progress=False, keep_paths=True)
    hit = wager.simulate(
        sc, n_paths=3_000, seed=8, progress=False, keep_paths=True, stress=FREEZE_ON_BUST
    )
    assert base.paths is not None and hit.paths is not None
    bust = list(sc.market.regimes).index("bust")
    defaulted = base.paths.distress_year >= 0
    regimes = base.paths.annual["regime"]
    busted = (regimes == bust).any(axis=1)
    # A path that defaulted before its first bust is frozen either way.
    first_bust = np.where(busted, (regimes == bust).argmax(axis=1) + 2025, 9999)
    busted &= ~(defaulted & (base.paths.distress_year < first_bust))
    assert 0 < busted.sum() < len(busted)
    for var in ("revenue", "cash"):
        a, b = base.paths.annual[var], hit.paths.annual[var]
        np.testing.assert_array_equal(a[~busted], b[~busted])
        assert not np.array_equal(a[busted], b[busted])
    # Same world with and without the stress: the regime paths are the draws'.
    np.testing.assert_array_equal(base.paths.annual["regime"], hit.paths.annual["regime"])
    again = wager.simulate(
        sc,
        n_paths=3_000,
        seed=8,
        n_threads=1,
        batch_paths=250,
        progress=False,
        stress=FREEZE_ON_BUST,
    )
    _same(
        again,
        wager.simulate(
            sc, n_paths=3_000, seed=8, n_threads=2, progress=False, stress=FREEZE_ON_BUST
        ),
    )


def test_a_grid_refuses_what_it_cannot_run(presets: list[wager.Scenario]) -> None:
    with pytest.raises(wager.stresses.StressError, match="unknown stress"):
        wager.stress(presets, ["baseline", "nope"], n_paths=10, progress=False)
    with pytest.raises(ValueError, match="distinct names"):
        wager.stress([presets[0], presets[0]], ["baseline"], n_paths=10, progress=False)
    with pytest.raises(ValueError, match="distinct names"):
        wager.stress(presets, ["baseline", "baseline"], n_paths=10, progress=False)
