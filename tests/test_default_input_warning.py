"""A scenario that leaves the regime chain or the funding function at the
package's uncited default is warned of, naming the file and the field path,
and can silence each input (issue 16, item 1; docs/calibration.md, "Inputs
left at the package default").

The suite's configuration ignores ``ScenarioDefaultInputWarning`` (its
scenarios leave these defaults on purpose); ``pytest.warns`` and
``warnings.catch_warnings`` below record it all the same."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import wager
from wager.scenario.default_inputs import DEFAULT_INPUTS, ScenarioDefaultInputWarning
from wager.scenario.errors import ScenarioError
from wager.scenario.loader import scenario_from_dict

MINIMAL = """\
schema_version = 5
name = "mine"
{extra}
[segments.core]
revenue = 1.0
inference_cost_ratio = 0.5

[financing]
initial_cash = 1.0
{tail}
"""

WHOLE_DEFAULTS = ["market.transition", "market.regimes", "financing.equity.score.sensitivity"]


def _write(tmp_path: Path, extra: str = "", tail: str = "") -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL.format(extra=extra, tail=tail), encoding="utf-8")
    return path


def _named(load: Any) -> list[str]:
    """The field paths the default-input warnings of ``load()`` name, in order."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load()
    messages = [str(w.message) for w in caught if w.category is ScenarioDefaultInputWarning]
    return [m.split(": ", 2)[1] for m in messages]


def test_a_scenario_at_the_defaults_is_named_with_its_file_and_paths(tmp_path: Path) -> None:
    path = _write(tmp_path)
    with pytest.warns(ScenarioDefaultInputWarning) as record:
        wager.load_scenario(path)
    messages = [str(w.message) for w in record]
    assert len(messages) == 3
    for message, field in zip(messages, WHOLE_DEFAULTS, strict=True):
        assert message.startswith(f"{path}: {field}: left at the package default, ")
        assert message.endswith(
            f"(docs/calibration.md; if meant, list {field!r} in accept_defaults)"
        )
    assert "normal->bust 0.10, bust->bust 0.60" in messages[0]


def test_a_regime_that_omits_a_funding_input_is_named_for_it(tmp_path: Path) -> None:
    regimes = """
[market.transition]
calm = { calm = 1.0 }

[market]
initial = "calm"

[market.regimes.calm]
valuation_multiple = 10.0
dcf_weight = 0.5

[financing.equity.score]
sensitivity = 0.0
"""
    path = _write(tmp_path, tail=regimes)
    assert _named(lambda: wager.load_scenario(path)) == [
        "market.regimes.calm.raise_success",
        "market.regimes.calm.discount_rate",
    ]
    # Without a cash-flow part in the price, its discount rate sets no round.
    path = _write(tmp_path, tail=regimes.replace("dcf_weight = 0.5", "dcf_weight = 0.0"))
    assert _named(lambda: wager.load_scenario(path)) == ["market.regimes.calm.raise_success"]


def test_a_default_value_written_out_is_not_named() -> None:
    # Given in the file: the scenario answers for it, even at the default's value.
    data = wager.presets.load("compute_first").model_dump(mode="json")
    data["market"]["transition"] = {
        "boom": {"boom": 0.70, "normal": 0.25, "bust": 0.05},
        "normal": {"boom": 0.15, "normal": 0.75, "bust": 0.10},
        "bust": {"boom": 0.05, "normal": 0.35, "bust": 0.60},
    }
    assert _named(lambda: scenario_from_dict(data, "mine.toml")) == []


def test_each_input_is_silenced_on_its_own(tmp_path: Path) -> None:
    path = _write(tmp_path, extra='accept_defaults = ["market.transition"]')
    assert _named(lambda: wager.load_scenario(path)) == WHOLE_DEFAULTS[1:]
    both = 'accept_defaults = ["market.regimes", "financing.equity.score.sensitivity"]'
    path = _write(tmp_path, extra=both)
    assert _named(lambda: wager.load_scenario(path)) == ["market.transition"]


def test_a_regime_pattern_silences_every_regime(tmp_path: Path) -> None:
    regimes = """
[market.regimes.up]
[market.regimes.down]
[market.transition]
up = { up = 0.9, down = 0.1 }
down = { up = 0.5, down = 0.5 }
[market]
initial = "up"
"""
    path = _write(tmp_path, tail=regimes)
    named = _named(lambda: wager.load_scenario(path))
    assert "market.regimes.up.raise_success" in named
    assert "market.regimes.down.raise_success" in named
    path = _write(
        tmp_path,
        extra='accept_defaults = ["market.regimes.*.raise_success", '
        '"market.regimes.down.valuation_multiple"]',
        tail=regimes,
    )
    named = _named(lambda: wager.load_scenario(path))
    assert not any(p.endswith(".raise_success") for p in named)
    assert "market.regimes.up.valuation_multiple" in named
    assert "market.regimes.down.valuation_multiple" not in named


def test_an_unknown_name_is_refused_listing_the_known_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, extra='accept_defaults = ["market.transitions"]')
    with pytest.raises(ScenarioError) as err:
        wager.load_scenario(path)
    text = str(err.value)
    assert "accept_defaults[0]" in text
    assert "'market.transitions' is not an input with an uncited package default" in text
    for known in DEFAULT_INPUTS:
        assert known.path in text


@pytest.mark.parametrize("name", ["compute_first", "profitability"])
def test_the_presets_give_every_input(name: str) -> None:
    assert _named(lambda: wager.presets.load(name)) == []
    # ... and so does a scenario that extends one.
    assert _named(lambda: scenario_from_dict({"extends": name, "name": "mine"})) == []


def test_a_version_4_file_whose_migration_sets_the_sensitivity_is_not_named(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.toml"
    text = MINIMAL.format(extra="", tail="").replace("schema_version = 5", "schema_version = 4")
    path.write_text(text, encoding="utf-8")
    named = _named(lambda: wager.load_scenario(path))
    assert wager.load_scenario(path).financing.equity.score.sensitivity == 0.0
    assert "financing.equity.score.sensitivity" not in named
    assert "market.transition" in named


def test_the_command_prints_each_once_on_standard_error(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "wager", "validate", str(path), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for field in WHOLE_DEFAULTS:
        line = f"wager: warning: {path}: {field}: left at the package default"
        assert result.stderr.count(line) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "warning" not in result.stdout
