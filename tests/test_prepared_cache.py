"""prepare_strategy keeps its result per scenario object while it lives:
scenarios are frozen, so the same object prepares the same (finding the
inputs' weights costs a kernel model per input)."""

from __future__ import annotations

import gc

import numpy as np

import wager
from wager.compile import prepared as prepared_module
from wager.compile.prepared import prepare_strategy


def test_one_scenario_object_is_prepared_once() -> None:
    sc = wager.presets.load("compute_first")
    first, again = prepare_strategy(sc), prepare_strategy(sc)
    assert again.scenario is sc
    assert again.model is first.model and again.inputs is first.inputs


def test_an_equal_scenario_prepares_alike() -> None:
    a = wager.presets.load("profitability")
    b = wager.Scenario.model_validate(a.model_dump(exclude_none=True))
    pa, pb = prepare_strategy(a), prepare_strategy(b)
    assert pa is not pb
    assert pa.model == pb.model
    assert [i.targets for i in pa.inputs] == [i.targets for i in pb.inputs]
    assert [i.weights for i in pa.inputs] == [i.weights for i in pb.inputs]
    np.testing.assert_array_equal(pa.cholesky, pb.cholesky)


def test_a_scenario_that_is_gone_is_forgotten() -> None:
    sc = wager.presets.load("profitability")
    prepare_strategy(sc)
    key = id(sc)
    assert key in prepared_module._found
    del sc
    gc.collect()
    assert key not in prepared_module._found
