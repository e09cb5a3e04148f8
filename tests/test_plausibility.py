"""Plausibility warnings (issue 19, point 5): values the schema accepts but
that are likely unit mistakes, named with the field and the likely intent."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wager
from wager.scenario.loader import load_scenario, scenario_from_dict
from wager.scenario.plausibility import (
    MONEY_LIMIT,
    RULES,
    ScenarioPlausibilityWarning,
    unusual_values,
)

SMALL = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PRESET: dict[str, Any] = wager.presets.load("compute_first").model_dump(mode="json")


def _set(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(PRESET)
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    return data


def _warnings(data: dict[str, Any]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario_from_dict(data, "mine.toml")
    return [str(w.message) for w in caught if w.category is ScenarioPlausibilityWarning]


def test_the_issue_examples_are_named_with_their_likely_intent() -> None:
    assert _warnings(_set("financing.debt.rate", 9)) == [
        "mine.toml: financing.debt.rate: 9 is above 1, unusual here: an interest rate is a "
        "fraction per year: a fraction is meant (0.09 for 9%?) (if meant, list "
        "'financing.debt.rate' in accept_unusual)"
    ]
    ratio = _warnings(_set("segments.consumer.inference_cost_ratio", {"2025": 35, "2029": 30}))
    assert len(ratio) == 1
    assert "segments.consumer.inference_cost_ratio: 35 is above 3" in ratio[0]
    assert "(0.35 for 35%?)" in ratio[0]
    cash = _warnings(_set("financing.initial_cash", 12e9))
    assert len(cash) == 1
    assert "financing.initial_cash: 12,000,000,000 looks like dollars" in cash[0]
    assert "(12 if these are dollars)" in cash[0]


def test_accept_unusual_silences_the_fields_it_lists_only() -> None:
    data = _set("financing.debt.rate", 9)
    data["financing"]["initial_cash"] = 12e9
    data["accept_unusual"] = ["financing.debt.rate"]
    left = _warnings(data)
    assert len(left) == 1
    assert left[0].startswith("mine.toml: financing.initial_cash:")
    data["accept_unusual"] = ["financing.debt.rate", "financing.initial_cash"]
    assert _warnings(data) == []


def test_the_shipped_scenarios_warn_of_nothing() -> None:
    repo = Path(__file__).resolve().parents[1]
    files = [*repo.glob("examples/*.toml"), *repo.glob("benchmarks/scenarios/*.toml")]
    assert files
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScenarioPlausibilityWarning)
        for name in wager.presets.names():
            scenario_from_dict(wager.presets.load(name).model_dump(mode="json"))
        for f in files:
            load_scenario(f)


def _example(rule_pattern: str) -> str:
    # A path of PRESET that the rule reads (its first segment, regime or cost).
    names = {
        "segments": "consumer",
        "market.regimes": "bust",
        "costs": "staff",
    }
    for prefix, name in names.items():
        rule_pattern = rule_pattern.replace(f"{prefix}.*", f"{prefix}.{name}")
    return rule_pattern


@SMALL
@given(st.sampled_from(RULES), st.floats(0.0, 1000.0))
def test_a_rule_warns_exactly_above_its_threshold(rule: Any, value: float) -> None:
    path = _example(rule.pattern)
    found = unusual_values(_set(path, value))
    if value > rule.above:
        assert [field for field, _ in found] == [path]
        assert f"{value:g} is above {rule.above:g}" in found[0][1]
    else:
        assert found == []


@SMALL
@given(st.floats(0.0, 1e12))
def test_money_warns_exactly_from_the_limit(value: float) -> None:
    found = unusual_values(_set("compute.training", {"2025": value, "2030": 1.0}))
    if value >= MONEY_LIMIT:
        assert [field for field, _ in found] == ["compute.training"]
        assert "looks like dollars" in found[0][1]
    else:
        assert found == []


def test_a_distributions_parameters_report_as_their_field() -> None:
    normal = {"dist": "normal", "mean": 9.0, "sd": 1.0}
    assert [f for f, _ in unusual_values(_set("financing.debt.rate", normal))] == [
        "financing.debt.rate"
    ]
    # A lognormal's parameters and a Student-t's degrees of freedom are no values.
    t = {"dist": "student_t", "df": 4, "loc": 0.0, "scale": 0.02}
    assert unusual_values(_set("segments.consumer.price_change", t)) == []


def test_wager_validate_prints_the_warning_and_accepts_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(_set("financing.debt.rate", 9)), encoding="utf-8")
    # As a user runs it: the command prints warnings as plain lines.
    result = subprocess.run(
        [sys.executable, "-m", "wager", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "financing.debt.rate: 9 is above 1" in result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}: valid" in result.stdout


def test_the_warning_is_raised_where_warnings_are_errors() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScenarioPlausibilityWarning)
        with pytest.raises(ScenarioPlausibilityWarning, match=r"financing\.debt\.rate"):
            scenario_from_dict(_set("financing.debt.rate", 9))
