"""Contagion: a bet's shocks started by another bet's distress on the same path
(docs/model.md section 25, "Contagion"; issue 17, item 3).

The known answer: on each path, the target bet under a shock started by the
source's distress has the bits of the target run alone on that path with the
same shock dated at the step after the source's distress (or without it where
the source never enters distress): two independent ways to the same model.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pydantic
import pytest

import wager
from wager import _core
from wager.compile.contagion import link_contagion
from wager.compile.prepared import PreparedStrategy, prepare_strategy
from wager.compile.run_config import simulation_config
from wager.compile.shocks import core_shocks
from wager.kernel.contract import ShockDict

N_PATHS = 160
SEED = 17


def _yearly(name: str) -> wager.Scenario:
    # Yearly steps: a distress year is the distress step, so the dated shock
    # that should equal the triggered one starts at a whole year.
    d = wager.presets.load(name).model_dump(exclude_none=True)
    d["time"]["steps_per_year"] = 1
    return wager.Scenario.model_validate(d)


def _stress(shocks: list[dict[str, Any]], name: str = "spread") -> wager.Stress:
    return wager.Stress.model_validate({"name": name, "shocks": shocks})


# One window on a regime table (the shared step picks each lane's tables), and
# two windows, one on the presets' uncertain multiple (a model per lane).
ONE_WINDOW = [
    {"target": "market.regimes.*.raise_success", "op": "scale", "value": 0.3, "duration": 2}
]
TWO_WINDOWS = [
    *ONE_WINDOW,
    {"target": "market.regimes.*.valuation_multiple", "op": "scale", "value": 0.5, "duration": 1},
    {"target": "compute.training", "op": "scale", "value": 1.4, "duration": 3},
]


# The market's regime moved to bust for a year, beside the funding drought.
REGIME_MOVED = [
    *ONE_WINDOW,
    {"target": "market.regime", "op": "set", "value": "bust", "duration": 1},
]


def _triggered(shocks: list[dict[str, Any]], source: str) -> wager.Stress:
    return _stress([{**s, "trigger": {"distress": source}} for s in shocks])


def _dated(shocks: list[dict[str, Any]], year: int) -> wager.Stress:
    return _stress([{**s, "start": year} for s in shocks])


def _kept(cells: list[PreparedStrategy], n_paths: int, first_path: int = 0) -> list[Any]:
    config = simulation_config(
        cells, n_paths=n_paths, seed=SEED, n_threads=2, keep_paths=True, first_path=first_path
    )
    return list(_core.simulate(config))


@pytest.mark.parametrize(
    "shocks",
    [ONE_WINDOW, TWO_WINDOWS, REGIME_MOVED],
    ids=["one_window", "two_windows", "regime_moved"],
)
def test_each_path_equals_the_shock_dated_after_the_source_s_distress(
    shocks: list[dict[str, Any]],
) -> None:
    # compute_first under funding_freeze enters distress on many paths and in
    # several years; its distress spreads to profitability.
    source_sc, target_sc = _yearly("compute_first"), _yearly("profitability")
    source = prepare_strategy(source_sc).stressed(core_shocks("funding_freeze", source_sc))
    target = prepare_strategy(target_sc)
    cells = link_contagion(
        {
            ("compute_first", "x"): source,
            ("profitability", "x"): target.stressed(
                core_shocks(_triggered(shocks, "compute_first"), target_sc)
            ),
        }
    )
    both = _kept(list(cells.values()), N_PATHS)
    years = both[0]["kept_default_year"]
    start, horizon = target_sc.time.start_year, target_sc.time.horizon
    spread = [p for p in range(N_PATHS) if 0 <= years[p] < horizon]
    assert len(spread) >= 20, "too few paths where the distress can spread"
    assert len({int(years[p]) for p in spread}) >= 3, "distress in too few distinct years"
    never = [p for p in range(N_PATHS) if years[p] < 0][:5]
    for p in [*spread, *never]:
        alone = (
            target
            if years[p] < 0
            else target.stressed(core_shocks(_dated(shocks, int(years[p]) + 1), target_sc))
        )
        (ref,) = _kept([alone], 1, first_path=p)
        for a, b in zip(both[1]["kept"], ref["kept"], strict=True):
            np.testing.assert_array_equal(a[p : p + 1], b, err_msg=f"path {p}")
        assert both[1]["kept_default_year"][p] == ref["kept_default_year"][0]
    assert start < min(int(years[p]) for p in spread) + 1 <= horizon


def test_the_same_bits_for_any_threads_and_chunks() -> None:
    cf, pr = wager.presets.load("compute_first"), wager.presets.load("profitability")
    runs = [
        wager.compare(
            cf,
            pr,
            n_paths=700,
            seed=3,
            stresses=["compute_first_contagion"],
            n_threads=threads,
            chunk_paths=chunk,
            progress=False,
        ).summary()
        for threads, chunk in ((1, 256), (2, 64), (2, 1000))
    ]
    for other in runs[1:]:
        assert runs[0].equals(other)


def test_the_source_runs_as_without_it_and_the_other_bet_loses_more_often() -> None:
    # compute_first's own paths are its baseline's; profitability's
    # P(distress by 2035) rises, measured 2026-12-07 on 100,000 paths (seed 1)
    # from 1.252% to 1.771%. Here: paired on the same paths, more than three
    # standard errors of the paired change above zero.
    cf, pr = wager.presets.load("compute_first"), wager.presets.load("profitability")
    n = 20_000
    runs = {
        st: wager.compare(cf, pr, n_paths=n, seed=1, stresses=[st], progress=False)
        for st in ("baseline", "compute_first_contagion")
    }
    base = runs["baseline"].summary().loc["baseline"]
    spread = runs["compute_first_contagion"].summary().loc["compute_first_contagion"]
    assert base["compute_first"].equals(spread["compute_first"])
    p0 = base.loc["P(distress by 2035)", "profitability"]
    p1 = spread.loc["P(distress by 2035)", "profitability"]
    # A path the contagion puts in distress was not in distress before
    # (the shock only lowers the odds of a round), so the paired change is
    # p1 - p0 >= 0 with variance (p1 - p0)(1 - (p1 - p0)) / n.
    change = p1 - p0
    assert change > 3 * math.sqrt(change * (1 - change) / n), (p0, p1)


def test_a_bet_s_own_distress_starts_none_of_its_shocks() -> None:
    cf = wager.presets.load("compute_first")
    a = wager.simulate(cf, n_paths=500, seed=2, progress=False)
    b = wager.simulate(cf, n_paths=500, seed=2, stress="compute_first_contagion", progress=False)
    assert a.distress_probability.equals(b.distress_probability)
    assert a.annual.equals(b.annual)


def test_a_run_without_the_source_refuses_it() -> None:
    pr = wager.presets.load("profitability")
    with pytest.raises(ValueError, match=r"distress of 'compute_first'.*wager.compare"):
        wager.simulate(pr, n_paths=64, stress="compute_first_contagion", progress=False)
    with pytest.raises(ValueError, match="a projection"):
        wager.project(pr, stress="compute_first_contagion")
    with pytest.raises(ValueError, match="stress grid"):
        wager.stress(pr, ["compute_first_contagion"], n_paths=64, progress=False)
    other = wager.presets.load("compute_first").model_copy(update={"name": "other"})
    with pytest.raises(ValueError, match="not one of the bets run together"):
        wager.compare(other, pr, n_paths=64, stresses=["compute_first_contagion"], progress=False)


def test_a_contagion_goes_one_way() -> None:
    cf, pr = wager.presets.load("compute_first"), wager.presets.load("profitability")
    both_ways = _stress(
        [
            {**ONE_WINDOW[0], "trigger": {"distress": "compute_first"}},
            {**ONE_WINDOW[0], "trigger": {"distress": "profitability"}},
        ]
    )
    with pytest.raises(ValueError, match="goes one way"):
        wager.compare(cf, pr, n_paths=64, stresses=[both_ways], progress=False)


def test_a_trigger_is_a_regime_or_a_bet_s_distress() -> None:
    shock = {**ONE_WINDOW[0], "trigger": {"regime": "bust", "distress": "compute_first"}}
    with pytest.raises(pydantic.ValidationError, match="either regime or distress"):
        _stress([shock])
    with pytest.raises(pydantic.ValidationError, match="either regime or distress"):
        _stress([{**ONE_WINDOW[0], "trigger": {}}])


def test_the_core_refuses_a_strategy_started_by_its_own_distress() -> None:
    pr = prepare_strategy(wager.presets.load("profitability"))
    shocks: list[ShockDict] = core_shocks(_triggered(ONE_WINDOW, "compute_first"), pr.scenario)
    assert shocks[0]["trigger_bet"] == "compute_first"
    linked = {**shocks[0], "trigger_strategy": 0}
    del linked["trigger_bet"]
    config = simulation_config(
        [pr.stressed([linked])], n_paths=32, seed=1, n_threads=1, keep_paths=False
    )
    with pytest.raises(ValueError, match="cannot start its own"):
        _core.simulate(config)


def test_the_library_lists_it_between_two_bets() -> None:
    assert "compute_first_contagion" in wager.stresses.names()
    assert "compute_first_contagion" not in wager.stresses.one_bet_names()
    assert set(wager.stresses.one_bet_names()) == set(wager.stresses.names()) - {
        "compute_first_contagion"
    }
