"""A regime moved: a shock on ``market.regime`` sets the regime a bet's paths
read over its window (docs/model.md section 25, "A regime moved").

Known answer: a move to bust from 2027 to the horizon is the scenario with
``market.path`` pinned to bust in those years, bit for bit, in the projection
and in a Monte Carlo (pinned years force the drawn regime; a move reads the
moved one; before 2027 both read the same draws).
"""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

import wager


def _move(**shock: Any) -> wager.Stress:
    base = {"target": "market.regime", "op": "set", "value": "bust"}
    return wager.Stress.model_validate({"name": "moved", "shocks": [{**base, **shock}]})


def _pinned(name: str, years: range) -> wager.Scenario:
    d = wager.presets.load(name).model_dump(exclude_none=True)
    d["market"]["path"] = {y: "bust" for y in years}
    return wager.Scenario.model_validate(d)


@pytest.mark.parametrize("name", ["profitability", "compute_first"])
def test_a_move_to_the_horizon_is_the_path_pinned(name: str) -> None:
    sc, pinned = wager.presets.load(name), _pinned(name, range(2027, 2036))
    moved = _move(start=2027)
    a, b = wager.project(sc, stress=moved).annual, wager.project(pinned).annual
    assert a.equals(b)
    assert a.loc[2028, "revenue"] < wager.project(sc).annual.loc[2028, "revenue"]
    run = {"n_paths": 640, "seed": 4, "progress": False}
    sa, sb = wager.simulate(sc, stress=moved, **run), wager.simulate(pinned, **run)
    assert sa.annual.equals(sb.annual)
    assert sa.distress_probability.equals(sb.distress_probability)


def test_a_move_for_two_years_reads_bust_then_the_world_s_regime_again() -> None:
    # The projection's path is normal throughout: bust in 2027-2028 only.
    sc = wager.presets.load("profitability")
    moved = wager.project(sc, stress=_move(start=2027, duration=2)).annual
    pinned = wager.project(_pinned("profitability", range(2027, 2029))).annual
    assert moved.equals(pinned)
    assert list(moved["regime"].loc[2026:2029]) == ["normal", "bust", "bust", "normal"]


def test_half_a_severity_moves_it_a_whole_one_none_below() -> None:
    # A regime is not moved by halves: severity x profile >= 1/2 moves it.
    sc = wager.presets.load("profitability")
    full = wager.project(sc, stress=_move(start=2027)).annual
    half = wager.project(sc, stress=_move(start=2027), severity=0.5).annual
    below = wager.project(sc, stress=_move(start=2027), severity=0.49).annual
    assert half.equals(full)
    assert below.equals(wager.project(sc).annual)


def test_a_move_triggered_by_a_regime_reads_the_world_before_the_move() -> None:
    # Triggered by boom, moved to bust: on a path pinned to boom in 2028,
    # bust from 2028 for a year.
    d = wager.presets.load("profitability").model_dump(exclude_none=True)
    d["market"]["path"] = {2028: "boom"}
    sc = wager.Scenario.model_validate(d)
    moved = wager.project(sc, stress=_move(trigger={"regime": "boom"}, duration=1)).annual
    assert list(moved["regime"].loc[2027:2029]) == ["normal", "bust", "normal"]


@pytest.mark.parametrize(
    ("shock", "match"),
    [
        ({"value": 0.5}, "a regime's name moves"),
        ({"op": "scale"}, "op 'set', shape 'step'"),
        ({"shape": "ramp", "duration": 2}, "op 'set', shape 'step'"),
    ],
)
def test_a_move_is_a_set_to_a_regime_s_name(shock: dict[str, Any], match: str) -> None:
    with pytest.raises(pydantic.ValidationError, match=match):
        _move(**shock)


def test_a_regime_s_name_only_moves_the_regime() -> None:
    shock = {"target": "compute.training", "op": "set", "value": "bust"}
    with pytest.raises(pydantic.ValidationError, match="a regime's name moves"):
        wager.Stress.model_validate({"name": "x", "shocks": [shock]})


def test_an_unknown_regime_and_two_moves_are_refused() -> None:
    sc = wager.presets.load("profitability")
    with pytest.raises(wager.stresses.StressError, match="'crash' is not a regime"):
        wager.project(sc, stress=_move(value="crash"))
    two = wager.Stress.model_validate(
        {
            "name": "two",
            "shocks": [
                {"target": "market.regime", "op": "set", "value": "bust", "start": 2027},
                {"target": "market.regime", "op": "set", "value": "boom", "start": 2030},
            ],
        }
    )
    with pytest.raises(ValueError, match="at most one regime move"):
        wager.simulate(sc, stress=two, n_paths=64, progress=False)
    with pytest.raises(ValueError, match="at most one regime move"):
        wager.project(sc, stress=two)
