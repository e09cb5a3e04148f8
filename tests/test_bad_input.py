"""Bad scenario files: every one is refused with exactly one clean ScenarioError.

Each test checks that the message names the file, the exact dotted field path
(where a field is involved) and the reason; and that no pydantic internals
leak into it (no chained traceback, no union tags in paths, one line per problem).
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomllib
import yaml

import wager
from wager import ScenarioError
from wager.scenario import loader
from wager.scenario.errors import MAX_PROBLEMS_SHOWN

Data = dict[str, Any]
Mutation = Callable[[Data], None]

FORMATS = ("toml", "json", "yaml")
#: Text that must never appear in a message: pydantic internals and Python noise.
LEAKS = (
    "pydantic",
    "For further information",
    "[type=",
    "input_value",
    "function-after",
    "function-before",
    "tagged-union",
    "[key]",
    "Value error,",
    "Traceback",
    "<unicode string>",
)
#: Pydantic's union tags for a series: never a path part, except as a user's segment name.
SERIES_TAGS = {"table", "list", "scalar"}


# ---------------------------------------------------------------- helpers


def preset_data(name: str = "compute_first") -> Data:
    """The parsed TOML of a preset (a fresh copy)."""
    return tomllib.loads(wager.presets.text(name))


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def dump(data: Any, fmt: str) -> str:
    """Write a document as TOML (inline tables), JSON or YAML text."""
    if fmt == "toml":
        return "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in data.items())
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write(tmp_path: Path, content: str | bytes, suffix: str, stem: str = "scenario") -> Path:
    """Write a file under ``tmp_path``, as UTF-8 for text."""
    path = tmp_path / f"{stem}.{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def mutated(mutation: Mutation, name: str = "compute_first") -> Data:
    data = preset_data(name)
    mutation(data)
    return data


def refuse(path: Path) -> ScenarioError:
    """Load ``path``, expecting one clean ScenarioError that names the file on every line."""
    with pytest.raises(ScenarioError) as info:
        wager.load_scenario(path)
    err = info.value
    assert type(err) is ScenarioError
    assert isinstance(err, ValueError)
    # No chained pydantic/parser exception behind it.
    assert err.__cause__ is None
    assert err.__context__ is None or err.__suppress_context__
    message = str(err)
    assert err.source == str(path)
    assert err.problems, "a ScenarioError lists at least one problem"
    lines = message.splitlines()
    shown = min(len(err.problems), MAX_PROBLEMS_SHOWN)
    more = len(err.problems) - shown
    assert len(lines) == shown + (1 if more else 0)
    if more:
        assert lines[-1] == f"{path}: ... and {more:,} more problems"
    for line in lines:
        assert line.startswith(f"{path}: "), line
    for leak in LEAKS:
        assert leak not in message, f"{leak!r} leaks into:\n{message}"
    for field, reason in err.problems:
        parts = re.split(r"\.|\[", field)
        for before, part in itertools.pairwise(parts):
            assert part not in SERIES_TAGS or before == "segments", field
        assert "\n" not in field and "\n" not in reason
        assert reason.strip() == reason and reason
    return err


def assert_problem(err: ScenarioError, field: str, *fragments: str) -> str:
    """The message has a line ``file: field: reason`` with every fragment in the reason."""
    prefix = f"{err.source}: {field}: " if field else f"{err.source}: "
    lines = [line for line in str(err).splitlines() if line.startswith(prefix)]
    if field:
        assert lines, f"no line for {field!r} in:\n{err}"
        assert field in [f for f, _ in err.problems]
    for line in lines:
        if all(fragment in line[len(prefix) :] for fragment in fragments):
            return line
    raise AssertionError(f"no line {prefix}...{fragments} in:\n{err}")


def refuse_data(tmp_path: Path, data: Any, fmt: str, field: str, *fragments: str) -> ScenarioError:
    path = write(tmp_path, dump(data, fmt), fmt)
    err = refuse(path)
    assert_problem(err, field, *fragments)
    return err


def at(data: Data, dotted: str) -> tuple[Any, str | int]:
    """The container and key of a dotted path such as ``a.b[0].c`` in ``data``."""
    parts: list[str | int] = []
    for piece in dotted.split("."):
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i.rstrip("]")) for i in indexes)
    node: Any = data
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def setting(dotted: str, value: Any) -> Mutation:
    def mutate(data: Data) -> None:
        node, key = at(data, dotted)
        node[key] = copy.deepcopy(value)

    return mutate


def removing(dotted: str) -> Mutation:
    def mutate(data: Data) -> None:
        node, key = at(data, dotted)
        del node[key]

    return mutate


def renaming(dotted: str, new_key: str) -> Mutation:
    def mutate(data: Data) -> None:
        node, key = at(data, dotted)
        node[new_key] = node.pop(key)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(data: Data) -> None:
        for m in mutations:
            m(data)

    return mutate


# ------------------------------------------------------ the fixtures work


@pytest.mark.parametrize("name", ["compute_first", "profitability"])
@pytest.mark.parametrize(
    ("fmt", "suffix"), [("toml", "toml"), ("json", "json"), ("yaml", "yaml"), ("yaml", "yml")]
)
def test_valid_preset_round_trips_through_every_format(
    tmp_path: Path, name: str, fmt: str, suffix: str
) -> None:
    reference = wager.load_scenario(write(tmp_path, wager.presets.text(name), "toml", "ref"))
    assert reference == wager.presets.load(name)
    path = write(tmp_path, dump(preset_data(name), fmt), suffix)
    assert wager.load_scenario(path) == reference


# ------------------------------------------------------ 1. wrong type

WRONG_TYPES = [
    ("financing.initial_cash", "1.5", "Input should be a valid number (got '1.5')"),
    ("financing.initial_cash", True, "Input should be a valid number (got True)"),
    ("financing.initial_cash", {"amount": 12.0}, "Input should be a valid number (got a table)"),
    ("financing.initial_cash", [12.0], "Input should be a valid number (got a list)"),
    ("segments.consumer.revenue[2]", "38.43", "valid number (got '38.43')"),
    ("segments.consumer.revenue[2]", False, "valid number (got False)"),
    ("segments.consumer.revenue", "13", "valid number (got '13')"),
    ("segments.consumer.inference_cost_ratio.2029", "0.3", "valid number (got '0.3')"),
    ("compute.commitments[0].schedule.2028", "45", "valid number (got '45')"),
    ("tax.rate", "0.21", "valid number (got '0.21')"),
    ("time.start_year", 2025.5, "valid integer (got 2025.5)"),
    ("time.start_year", "2025", "valid integer (got '2025')"),
    ("financing.equity.enabled", 1, "valid boolean (got 1)"),
    ("financing.equity.enabled", "yes", "valid boolean (got 'yes')"),
    ("name", 5, "valid string (got 5)"),
    ("segments.consumer", 5.0, "expected a table (got 5.0)"),
    ("financing.equity", [1.0], "expected a table (got a list)"),
    ("compute.commitments", {"oracle": 1.0}, "expected a list (got a table)"),
    ("compute.commitments[0].schedule", 20.0, "expected a table (got 20.0)"),
    ("segments.consumer.kind", "retail", "'enterprise', 'consumer' or 'other' (got 'retail')"),
    ("time.steps_per_year", 3, "1, 4 or 12 (got 3)"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("field", "value", "reason"), WRONG_TYPES)
def test_wrong_type(tmp_path: Path, fmt: str, field: str, value: Any, reason: str) -> None:
    err = refuse_data(tmp_path, mutated(setting(field, value)), fmt, field, reason)
    assert len(err.problems) == 1


def test_wrong_type_in_hand_written_toml(tmp_path: Path) -> None:
    text = wager.presets.text("compute_first")
    assert "initial_cash = 12.0" in text
    path = write(tmp_path, text.replace("initial_cash = 12.0", 'initial_cash = "12.0"'), "toml")
    assert_problem(refuse(path), "financing.initial_cash", "valid number (got '12.0')")
    path = write(tmp_path, text.replace("initial_cash = 12.0", "initial_cash = true"), "toml")
    assert_problem(refuse(path), "financing.initial_cash", "valid number (got True)")
    path = write(tmp_path, text.replace("initial_cash = 12.0", "initial_cash = { a = 1 }"), "toml")
    assert_problem(refuse(path), "financing.initial_cash", "valid number (got a table)")


def test_long_bad_value_is_shortened(tmp_path: Path) -> None:
    err = refuse_data(
        tmp_path,
        mutated(setting("financing.initial_cash", "x" * 10_000)),
        "json",
        "financing.initial_cash",
        "valid number (got 'xxx",
        "...)",
    )
    assert len(str(err)) < 300


def test_bad_top_level_value(tmp_path: Path) -> None:
    for fmt, text, got in [
        ("json", "[1, 2]", "a list"),
        ("json", '"hello"', "'hello'"),
        ("json", "5", "5"),
        ("yaml", "- name: x\n", "a list"),
        ("yaml", "just text\n", "'just text'"),
    ]:
        err = refuse(write(tmp_path, text, fmt))
        assert_problem(err, "", f"a scenario must be a table of fields, got {got}")


# ------------------------------------------------------ 2. unknown keys

UNKNOWN_KEYS = [
    (renaming("financing.initial_cash", "inital_cash"), "financing.inital_cash", "initial_cash"),
    (
        renaming("financing.equity.trigger_runway", "trigger_runwy"),
        "financing.equity.trigger_runwy",
        "trigger_runway",
    ),
    (renaming("name", "nmae"), "nmae", "name"),
    (renaming("segments.consumer.revenue", "revenu"), "segments.consumer.revenu", "revenue"),
    (
        renaming("market.regimes.boom.spot_price", "spot_prise"),
        "market.regimes.boom.spot_prise",
        "spot_price",
    ),
    (
        renaming("compute.commitments[0].schedule", "shedule"),
        "compute.commitments[0].shedule",
        "schedule",
    ),
    (renaming("financing.tranches[1].amount", "amout"), "financing.tranches[1].amout", "amount"),
    (
        renaming("distress.management.cut_training", "cut_trainng"),
        "distress.management.cut_trainng",
        "cut_training",
    ),
    (setting("tax.Rate", 0.2), "tax.Rate", "rate"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("mutation", "field", "meant"), UNKNOWN_KEYS)
def test_unknown_key_suggests_the_near_miss(
    tmp_path: Path, fmt: str, mutation: Mutation, field: str, meant: str
) -> None:
    refuse_data(tmp_path, mutated(mutation), fmt, field, f"unknown key (did you mean {meant!r}?)")


def test_misspelt_required_key_reports_both_lines(tmp_path: Path) -> None:
    data = mutated(renaming("financing.initial_cash", "inital_cash"))
    err = refuse_data(tmp_path, data, "toml", "financing.initial_cash", "required field missing")
    assert_problem(err, "financing.inital_cash", "unknown key (did you mean 'initial_cash'?)")
    assert len(err.problems) == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_key_without_near_miss(tmp_path: Path, fmt: str) -> None:
    data = mutated(both(setting("frobnicate", 1.0), setting("financing.equity.zzz", 1.0)))
    err = refuse_data(tmp_path, data, fmt, "frobnicate", "unknown key")
    assert_problem(err, "financing.equity.zzz", "unknown key")
    assert "did you mean" not in str(err)


def test_segment_named_like_a_series_tag_keeps_its_name(tmp_path: Path) -> None:
    # "scalar", "list" and "table" are pydantic's union tags for a series; a
    # segment may still be called that, and the path must keep the name.
    def rename(data: Data) -> None:
        seg = data["segments"].pop("consumer")
        seg["revenu"] = seg.pop("revenue")
        data["segments"]["scalar"] = seg

    refuse_data(
        tmp_path, mutated(rename), "toml", "segments.scalar.revenu", "did you mean 'revenue'?"
    )


def test_invalid_name_as_a_key_is_quoted(tmp_path: Path) -> None:
    def rename(data: Data) -> None:
        data["segments"]["my consumer"] = data["segments"].pop("consumer")

    refuse_data(
        tmp_path,
        mutated(rename),
        "json",
        'segments."my consumer"',
        "invalid key: names must start with a letter or _",
    )


def test_non_text_key_in_yaml(tmp_path: Path) -> None:
    text = "2025: 1\n" + dump(preset_data(), "yaml")
    assert_problem(refuse(write(tmp_path, text, "yaml")), "2025", "Keys should be strings")


# ------------------------------------------------------ 3. NaN and infinity

NON_FINITE_FIELDS = [
    "financing.initial_cash",
    "segments.consumer.revenue[0]",
    "segments.consumer.inference_cost_ratio.2029",
    "compute.commitments[0].schedule.2027",
    "market.regimes.boom.demand_growth",  # a plain float with no bounds
    "tax.rate",
]
SPELLINGS = {
    "toml": {math.nan: "nan", math.inf: "inf", -math.inf: "-inf"},
    "json": {math.nan: "NaN", math.inf: "Infinity", -math.inf: "-Infinity"},
    "yaml": {math.nan: ".nan", math.inf: ".inf", -math.inf: "-.inf"},
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("field", NON_FINITE_FIELDS)
def test_nan_and_infinity(tmp_path: Path, fmt: str, value: float, field: str) -> None:
    text = dump(mutated(setting(field, value)), fmt)
    # the format's own spelling is what is tested
    assert re.search(r"(?<![\w.])" + re.escape(SPELLINGS[fmt][value]) + r"(?!\w)", text)
    err = refuse(write(tmp_path, text, fmt))
    assert_problem(err, field, f"{value!r} is not a finite number")
    assert len(err.problems) == 1


@pytest.mark.parametrize(
    ("fmt", "old", "new"),
    [
        ("toml", "initial_cash = 12.0", "initial_cash = +inf"),
        ("json", '"initial_cash": 12.0', '"initial_cash": 1e999'),  # overflows to inf
        ("yaml", "initial_cash: 12.0", "initial_cash: .NaN"),
        ("yaml", "initial_cash: 12.0", "initial_cash: -.Inf"),
    ],
)
def test_other_spellings_of_non_finite(tmp_path: Path, fmt: str, old: str, new: str) -> None:
    text = wager.presets.text("compute_first") if fmt == "toml" else dump(preset_data(), fmt)
    assert old in text
    err = refuse(write(tmp_path, text.replace(old, new), fmt))
    assert_problem(err, "financing.initial_cash", "is not a finite number")


def test_nan_is_reported_with_other_problems(tmp_path: Path) -> None:
    data = mutated(both(setting("financing.initial_cash", math.nan), setting("tax.rat", 0.2)))
    err = refuse_data(
        tmp_path, data, "toml", "financing.initial_cash", "nan is not a finite number"
    )
    assert_problem(err, "tax.rat", "did you mean 'rate'?")


def test_nan_inside_an_unknown_key_is_one_problem(tmp_path: Path) -> None:
    err = refuse_data(
        tmp_path, mutated(setting("tax.extra", [math.nan])), "yaml", "tax.extra", "unknown key"
    )
    assert len(err.problems) == 1


# ------------------------------------------------------ 4. negative values

NEGATIVES = [
    ("financing.initial_cash", -1, "(got -1)"),
    ("segments.consumer.revenue[3]", -5.0, "(got -5.0)"),
    ("segments.enterprise.revenue", -1.0, "(got -1.0)"),
    ("segments.consumer.inference_cost_ratio.2029", -0.3, "(got -0.3)"),
    ("compute.commitments[0].schedule.2028", -45.0, "(got -45.0)"),
    ("compute.commitments[2].total", -38.0, "(got -38.0)"),
    ("compute.training.2027", -1.0, "(got -1.0)"),
    ("financing.tranches[0].amount", -10.0, "(got -10.0)"),
    ("financing.debt.initial", -0.5, "(got -0.5)"),
    ("costs.staff.of_revenue.2028", -0.2, "(got -0.2)"),
    ("market.regimes.bust.valuation_multiple", -8.4, "(got -8.4)"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("field", "value", "got"), NEGATIVES)
def test_negative_value(tmp_path: Path, fmt: str, field: str, value: float, got: str) -> None:
    refuse_data(
        tmp_path,
        mutated(setting(field, value)),
        fmt,
        field,
        "Input should be greater than or equal to 0",
        got,
    )


def test_negative_in_a_table_series_names_the_year(tmp_path: Path) -> None:
    data = mutated(setting("segments.consumer.revenue", {"2025": 9.75, "2027": -2.0}))
    refuse_data(
        tmp_path, data, "toml", "segments.consumer.revenue.2027", "greater than or equal to 0"
    )


def test_rate_at_or_below_minus_one(tmp_path: Path) -> None:
    data = mutated(setting("segments.consumer.price_change", [0.0] * 10 + [-1.0]))
    refuse_data(
        tmp_path,
        data,
        "json",
        "segments.consumer.price_change[10]",
        "greater than -1",
        "(got -1.0)",
    )


# ------------------------------------------------------ 5. shares outside [0, 1]

SHARES = [
    ("market.regimes.normal.raise_success", 1.5, "less than or equal to 1 (got 1.5)"),
    ("market.regimes.bust.resale_share", 2, "less than or equal to 1 (got 2)"),
    ("tax.rate", -0.1, "greater than or equal to 0 (got -0.1)"),
    ("tax.rate", 1.01, "less than or equal to 1 (got 1.01)"),
    ("distress.management.cut_training", 1.3, "less than or equal to 1 (got 1.3)"),
    ("distress.management.renegotiate", -0.2, "greater than or equal to 0 (got -0.2)"),
    ("financing.equity.max_dilution", 1.0, "less than 1 (got 1.0)"),
    ("financing.cash_yield", 1.5, "less than or equal to 1 (got 1.5)"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("field", "value", "reason"), SHARES)
def test_share_outside_zero_one(
    tmp_path: Path, fmt: str, field: str, value: float, reason: str
) -> None:
    refuse_data(tmp_path, mutated(setting(field, value)), fmt, field, reason)


def test_transition_probability_outside_zero_one(tmp_path: Path) -> None:
    rows = {
        "boom": {"boom": 1.1, "normal": -0.1, "bust": 0.0},
        "normal": {"boom": 0.15, "normal": 0.75, "bust": 0.10},
        "bust": {"boom": 0.05, "normal": 0.35, "bust": 0.60},
    }
    err = refuse_data(
        tmp_path,
        mutated(setting("market.transition", rows)),
        "toml",
        "market.transition.boom.boom",
        "less than or equal to 1 (got 1.1)",
    )
    assert_problem(err, "market.transition.boom.normal", "greater than or equal to 0 (got -0.1)")


# ------------------------------------------------------ 6. years outside the horizon

HORIZON = "outside the horizon 2025-2035"


@pytest.mark.parametrize("fmt", FORMATS)
def test_commitment_schedule_outside_horizon(tmp_path: Path, fmt: str) -> None:
    data = mutated(setting("compute.commitments[0].schedule.2040", 10.0))
    refuse_data(tmp_path, data, fmt, "compute.commitments[0].schedule.2040", "year 2040", HORIZON)


def test_commitment_schedule_before_start(tmp_path: Path) -> None:
    data = mutated(setting("compute.commitments[4].schedule.2020", 1.0))
    refuse_data(
        tmp_path, data, "toml", "compute.commitments[4].schedule.2020", "year 2020", HORIZON
    )


@pytest.mark.parametrize(("field", "year"), [("end", 2040), ("start", 2020)])
def test_flat_commitment_outside_horizon(tmp_path: Path, field: str, year: int) -> None:
    data = mutated(setting(f"compute.commitments[2].{field}", year))  # aws: total/start/end
    refuse_data(tmp_path, data, "toml", f"compute.commitments[2].{field}", HORIZON)


@pytest.mark.parametrize("fmt", FORMATS)
def test_tranche_year_outside_horizon(tmp_path: Path, fmt: str) -> None:
    data = mutated(setting("financing.tranches[2].year", 2040))
    refuse_data(tmp_path, data, fmt, "financing.tranches[2].year", "year 2040", HORIZON)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_year_outside_the_horizon_is_reported_at_once(tmp_path: Path, fmt: str) -> None:
    # A file moved to a shorter horizon has many: all of them, in one report
    # (the first used to hide the others).
    data = mutated(setting("time.horizon", 2030))
    err = refuse(write(tmp_path, dump(data, fmt), fmt))
    outside = [(f, r) for f, r in err.problems if "outside the horizon 2025-2030" in r]
    lists = [(f, r) for f, r in err.problems if "(6 for 2025-2030), got 11" in r]
    assert sorted(outside + lists) == sorted(err.problems)
    assert (
        "segments.consumer.revenue",
        "a list needs one value per year (6 for 2025-2030), got 11",
    ) in lists
    fields = [f for f, _ in outside]
    # Every series table and commitment schedule of the preset giving a
    # year after 2030, each year named.
    expected = [
        f"{path}.{year}" for path, table in _year_tables(data) for year in table if int(year) > 2030
    ]
    assert expected and set(expected) <= set(fields)
    assert "compute.commitments[2].end" in fields  # aws: total/start/end, ending after 2030
    assert len(fields) == len(set(fields))


def _year_tables(data: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """The (path, table) of every table keyed by years in a document."""
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(data, dict):
        if data and all(str(k).isdigit() for k in data):
            return [(path, data)]
        for k, v in data.items():
            out += _year_tables(v, f"{path}.{k}" if path else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _year_tables(v, f"{path}[{i}]")
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "field",
    [
        "compute.training",
        "segments.consumer.inference_cost_ratio",
        "costs.staff.of_revenue",
        "financing.valuation_scale",
    ],
)
def test_series_table_year_outside_horizon(tmp_path: Path, fmt: str, field: str) -> None:
    data = mutated(setting(f"{field}.2040", 0.1))
    refuse_data(tmp_path, data, fmt, f"{field}.2040", "year 2040", HORIZON)


@pytest.mark.parametrize("fmt", FORMATS)
def test_market_path_year_outside_horizon(tmp_path: Path, fmt: str) -> None:
    data = mutated(setting("market.path", {"2030": "bust", "2041": "bust"}))
    refuse_data(tmp_path, data, fmt, "market.path.2041", "year 2041", HORIZON)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("length", "field"),
    [(10, "segments.consumer.revenue"), (12, "segments.ventures.revenue"), (1, "compute.capex")],
)
def test_list_with_the_wrong_number_of_values(
    tmp_path: Path, fmt: str, length: int, field: str
) -> None:
    data = mutated(setting(field, [1.0] * length))
    refuse_data(
        tmp_path,
        data,
        fmt,
        field,
        f"a list needs one value per year (11 for 2025-2035), got {length}",
    )


def test_empty_series(tmp_path: Path) -> None:
    empty: list[Any] = [[], {}]
    for value in empty:
        data = mutated(setting("compute.training", value))
        refuse_data(tmp_path, data, "json", "compute.training", "a series needs at least one value")


def test_series_table_key_that_is_not_a_year(tmp_path: Path) -> None:
    data = mutated(setting("segments.consumer.revenue", {"2025": 1.0, "later": 2.0}))
    refuse_data(
        tmp_path,
        data,
        "toml",
        "segments.consumer.revenue",
        "table keys must be calendar years, got 'later'",
    )


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
@pytest.mark.parametrize("twin", ["02025", " 2025", "2025 "])
def test_a_year_given_twice_after_normalisation_is_refused(
    tmp_path: Path, fmt: str, twin: str
) -> None:
    # "2025", "02025", " 2025" and 2025 are one year: refused, not merged
    # (the last value used to win).
    data = mutated(setting("segments.consumer.revenue", {"2025": 1.0, twin: 2.0}))
    refuse_data(
        tmp_path,
        data,
        fmt,
        "segments.consumer.revenue",
        f"year 2025 is given twice (as '2025' and {twin!r})",
    )


# ------------------------------------------------------ 7. malformed and empty files

TOML_TEXT = wager.presets.text("compute_first")
#: The line of the preset's name, where the malformed files below break it.
NAME_LINE = TOML_TEXT[: TOML_TEXT.index('name = "compute_first"')].count("\n") + 1


@pytest.mark.parametrize(
    ("suffix", "text", "fragments"),
    [
        (
            "toml",
            TOML_TEXT.replace('name = "compute_first"', 'name = "compute_first'),
            ("not valid TOML", f"line {NAME_LINE}"),
        ),
        ("toml", TOML_TEXT.replace("[time]", "[time"), ("not valid TOML",)),
        (
            "toml",
            TOML_TEXT.replace('name = "compute_first"', 'name = "a"\nname = "b"'),
            ("not valid TOML", f"line {NAME_LINE + 1}"),
        ),  # a duplicate key
        ("toml", "name = \n", ("not valid TOML", "line 1")),
        ("json", json.dumps(preset_data())[:-5], ("not valid JSON",)),
        ("json", '{"name": "x",}', ("not valid JSON", "line 1 column 14")),
        ("json", "{'name': 'x'}", ("not valid JSON", "double quotes")),
        ("json", '{"name": "a", "name": "b"}', ("not valid JSON", "duplicate key 'name'")),
        ("yaml", "name: x\n  segments: [1, 2\n", ("not valid YAML", "(line 2, column 11)")),
        ("yaml", "name: [unclosed\n", ("not valid YAML", "line 2")),
        ("yaml", "name: a\nname: b\n", ("not valid YAML", "duplicate key 'name'", "line 2")),
        ("yaml", "name: a\n---\nname: b\n", ("not valid YAML", "single document")),
        ("yaml", "? [1, 2]\n: x\n", ("not valid YAML", "unhashable key")),
        ("json", "[" * 100_000 + "]" * 100_000, ("not valid JSON", "nested too deeply")),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_malformed_file(tmp_path: Path, suffix: str, text: str, fragments: tuple[str, ...]) -> None:
    err = refuse(write(tmp_path, text, suffix))
    assert len(err.problems) == 1
    assert_problem(err, "", *fragments)


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        ("toml", b""),
        ("json", b""),
        ("yaml", b""),
        ("yml", b""),
        ("toml", b"  \n\t\r\n"),
        ("json", b"\n\n"),
        ("yaml", b"   \n"),
        ("toml", b"# only a comment\n"),
        ("toml", b"\xef\xbb\xbf"),  # a UTF-8 byte order mark and nothing else
        ("json", b"{}"),
        ("json", b"  { }  \n"),
        ("yaml", b"---\n"),
        ("yaml", b"---\n...\n"),
        ("yaml", b"# nothing here\n"),
        ("yaml", b"{}\n"),
        ("yaml", b"~\n"),
    ],
)
def test_empty_file(tmp_path: Path, suffix: str, content: bytes) -> None:
    err = refuse(write(tmp_path, content, suffix))
    assert err.problems == [("", "the file is empty")]
    assert str(err) == f"{tmp_path / ('scenario.' + suffix)}: the file is empty"


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + TOML_TEXT.encode("utf-8"), "toml")
    assert wager.load_scenario(path) == wager.presets.load("compute_first")


# ------------------------------------------------------ 8. not UTF-8


@pytest.mark.parametrize("suffix", ["toml", "json", "yaml"])
def test_latin1_file(tmp_path: Path, suffix: str) -> None:
    data = preset_data()
    data["description"] = "café"
    raw = dump(data, suffix).encode("latin-1")
    offset = raw.index(b"caf\xe9") + 3
    err = refuse(write(tmp_path, raw, suffix))
    assert_problem(err, "", "not UTF-8 text", f"byte {offset}:", "invalid continuation byte")


def test_utf16_file(tmp_path: Path) -> None:
    err = refuse(write(tmp_path, TOML_TEXT.encode("utf-16"), "toml"))
    assert_problem(err, "", "not UTF-8 text", "byte 0")


# ------------------------------------------------------ 9. unsafe YAML


@pytest.mark.parametrize(
    ("template", "tag"),
    [
        (
            'name: !!python/object/apply:os.system ["touch {marker}"]\n',
            "!!python/object/apply:os.system",
        ),
        ('!!python/object/apply:os.system ["touch {marker}"]\n', "!!python/object/apply:os.system"),
        (
            "name: !!python/object/apply:subprocess.check_call [[touch, {marker}]]\n",
            "!!python/object/apply:subprocess.check_call",
        ),
        ("name: !!python/object/new:os.system [touch {marker}]\n", "!!python/object/new:os.system"),
        ("name: !!python/name:os.system\n", "!!python/name:os.system"),
        ("name: !custom x\n", "!custom"),
    ],
)
def test_yaml_unsafe_tags_do_not_execute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, tag: str
) -> None:
    marker = tmp_path / "pwned"
    calls: list[Any] = []

    def fake_system(*args: Any) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", fake_system)
    alone = template.replace("{marker}", str(marker))
    contents = [alone]
    if alone.startswith("name:"):  # also hidden in an otherwise valid scenario
        contents.append(dump(preset_data(), "yaml") + alone.replace("name:", "extra:", 1))
    for content in contents:
        err = refuse(write(tmp_path, content, "yaml"))
        assert_problem(err, "", "not valid YAML", f"the tag {tag} is not allowed in scenario files")
    assert not marker.exists()
    assert calls == []


def test_yaml_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, cur = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n", "yaml")
    start = time.perf_counter()
    err = refuse(path)
    assert time.perf_counter() - start < 1.0
    assert_problem(
        err, "", "not valid YAML", "anchors and aliases are not allowed", "(line 1, column 4)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "name: &n x\nother: *n\n",
        "name: *undefined\n",
        "base: &b {x: 1}\nmore:\n  <<: *b\n",
    ],
)
def test_yaml_anchors_and_aliases_are_refused(tmp_path: Path, text: str) -> None:
    assert_problem(refuse(write(tmp_path, text, "yaml")), "", "anchors and aliases are not allowed")


def test_yaml_merge_key_is_refused(tmp_path: Path) -> None:
    text = dump(preset_data(), "yaml") + "extra:\n  <<: {a: 1}\n"
    assert_problem(refuse(write(tmp_path, text, "yaml")), "", "merge keys (<<) are not allowed")


# ------------------------------------------------------ 10. file name, existence, size


@pytest.mark.parametrize(
    "name",
    [
        "scenario.txt",
        "scenario.ini",
        "scenario",
        "scenario.toml.bak",
        "scenario.jsonc",
        "scenario.tml",
    ],
)
def test_wrong_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(TOML_TEXT, encoding="utf-8")
    err = refuse(path)
    assert_problem(err, "", "unknown file type", "use .toml, .json, .yaml or .yml")


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "SCENARIO.TOML"
    path.write_text(TOML_TEXT, encoding="utf-8")
    assert wager.load_scenario(path) == wager.presets.load("compute_first")


def test_missing_file(tmp_path: Path) -> None:
    err = refuse(tmp_path / "nowhere" / "missing.toml")
    assert_problem(err, "", "cannot read the file", "No such file or directory")


def test_string_path_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "missing.json"
    with pytest.raises(ScenarioError, match=re.escape(f"{path}: cannot read the file")):
        wager.load_scenario(str(path))


def test_directory_instead_of_file(tmp_path: Path) -> None:
    path = tmp_path / "folder.toml"
    path.mkdir()
    assert_problem(refuse(path), "", "cannot read the file")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permission bits do not stop root (CI runs as root): make open() refuse instead.
    path = write(tmp_path, TOML_TEXT, "toml")
    real_open = os.open

    def refuse_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_open)
    assert_problem(refuse(path), "", "cannot read the file", "Permission denied")


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, TOML_TEXT, "toml")
    size = path.stat().st_size
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", size - 1)
    err = refuse(path)
    assert_problem(err, "", f"the file is {size} bytes", f"limited to {size - 1} bytes")
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", size)
    assert wager.load_scenario(path) == wager.presets.load("compute_first")


def test_default_size_limit_refuses_a_large_file(tmp_path: Path) -> None:
    path = write(tmp_path, TOML_TEXT + "#" * loader.MAX_FILE_BYTES + "\n", "toml")
    assert_problem(refuse(path), "", f"limited to {loader.MAX_FILE_BYTES} bytes")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_refused_before_reading(tmp_path: Path) -> None:
    # A device reports size 0 but never ends: it is refused for what it is,
    # before a byte is read (standard input, the one stream a user names on
    # purpose, is read up to the limit: tests/test_hardening_scenarios.py).
    path = tmp_path / "zero.toml"
    path.symlink_to("/dev/zero")
    assert_problem(refuse(path), "", "cannot read the file", "character device")


# ------------------------------------------------------ 11. scenario-level consistency


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_regime_in_market_path(tmp_path: Path, fmt: str) -> None:
    data = mutated(setting("market.path", {"2026": "crash"}))
    refuse_data(
        tmp_path,
        data,
        fmt,
        "market.path.2026",
        "unknown regime 'crash'; known: ['boom', 'bust', 'normal']",
    )


def test_unknown_initial_regime(tmp_path: Path) -> None:
    refuse_data(
        tmp_path,
        mutated(setting("market.initial", "mania")),
        "toml",
        "market.initial",
        "unknown regime 'mania'",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_transition_row_not_summing_to_one(tmp_path: Path, fmt: str) -> None:
    rows = {
        "boom": {"boom": 0.70, "normal": 0.25, "bust": 0.05},
        "normal": {"boom": 0.15, "normal": 0.55, "bust": 0.10},
        "bust": {"boom": 0.05, "normal": 0.35, "bust": 0.60},
    }
    refuse_data(
        tmp_path,
        mutated(setting("market.transition", rows)),
        fmt,
        "market.transition.normal",
        "probabilities sum to 0.8, not 1",
    )


def test_transition_missing_a_row(tmp_path: Path) -> None:
    rows = {"boom": {"boom": 1.0}, "normal": {"normal": 1.0}}
    refuse_data(
        tmp_path,
        mutated(setting("market.transition", rows)),
        "json",
        "market.transition",
        "needs one row per regime",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_commitment_with_schedule_and_total(tmp_path: Path, fmt: str) -> None:
    data = mutated(setting("compute.commitments[0].total", 300.0))
    refuse_data(
        tmp_path,
        data,
        fmt,
        "compute.commitments[0].schedule",
        "give either schedule or total/start/end, not both",
    )


def test_commitment_with_neither_form(tmp_path: Path) -> None:
    data = mutated(removing("compute.commitments[2].end"))
    refuse_data(
        tmp_path,
        data,
        "toml",
        "compute.commitments[2].total",
        "give a schedule, or all of total, start and end",
    )


def test_commitment_ending_before_it_starts(tmp_path: Path) -> None:
    data = mutated(setting("compute.commitments[3].end", 2024))
    refuse_data(
        tmp_path, data, "yaml", "compute.commitments[3].end", "end 2024 is before start 2025"
    )


def test_commitment_names_must_be_unique(tmp_path: Path) -> None:
    data = mutated(setting("compute.commitments[1].name", "oracle_stargate"))
    refuse_data(tmp_path, data, "toml", "compute.commitments", "contract names must be unique")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "field",
    [
        "name",
        "financing.initial_cash",
        "segments",
        "financing",
        "segments.consumer.revenue",
        "compute.commitments[1].counterparty",
        "financing.tranches[0].investor",
    ],
)
def test_missing_required_field(tmp_path: Path, fmt: str, field: str) -> None:
    refuse_data(tmp_path, mutated(removing(field)), fmt, field, "required field missing")


def test_no_segments(tmp_path: Path) -> None:
    refuse_data(
        tmp_path,
        mutated(setting("segments", {})),
        "toml",
        "segments",
        "at least one revenue segment is needed",
    )


def test_horizon_before_start(tmp_path: Path) -> None:
    data = {
        "name": "tiny",
        "time": {"start_year": 2030, "horizon": 2029},
        "segments": {"core": {"revenue": 1.0, "inference_cost_ratio": 0.5}},
        "financing": {"initial_cash": 1.0},
    }
    refuse_data(tmp_path, data, "toml", "time.horizon", "2029 is before start_year 2030")


def test_minimal_scenario_loads(tmp_path: Path) -> None:
    data = {
        "name": "tiny",
        "segments": {"core": {"revenue": 1.0, "inference_cost_ratio": 0.5}},
        "financing": {"initial_cash": 1.0},
    }
    loaded = [wager.load_scenario(write(tmp_path, dump(data, fmt), fmt)) for fmt in FORMATS]
    assert loaded[0] == loaded[1] == loaded[2]
    assert loaded[0].financing.initial_cash == 1.0


# ------------------------------------------------------ several problems, one error


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_problems_make_one_error_with_two_lines(tmp_path: Path, fmt: str) -> None:
    data = mutated(both(setting("financing.initial_cash", -1), setting("tax.rate", 2)))
    err = refuse_data(
        tmp_path, data, fmt, "financing.initial_cash", "greater than or equal to 0 (got -1)"
    )
    assert_problem(err, "tax.rate", "less than or equal to 1 (got 2)")
    path = tmp_path / f"scenario.{fmt}"
    assert str(err).splitlines() == [
        f"{path}: financing.initial_cash: Input should be greater than or equal to 0 (got -1)",
        f"{path}: tax.rate: Input should be less than or equal to 1 (got 2)",
    ]
    assert err.problems == [
        ("financing.initial_cash", "Input should be greater than or equal to 0 (got -1)"),
        ("tax.rate", "Input should be less than or equal to 1 (got 2)"),
    ]


def test_many_kinds_of_problem_in_one_file(tmp_path: Path) -> None:
    data = mutated(
        both(
            setting("name", 7),
            renaming("financing.equity.trigger_runway", "trigger_runwy"),
            setting("segments.consumer.revenue[4]", "71.91"),
            setting("market.regimes.normal.raise_success", 1.5),
            setting("compute.commitments[0].schedule.2028", math.inf),
        )
    )
    err = refuse_data(tmp_path, data, "toml", "name", "valid string (got 7)")
    assert_problem(err, "financing.equity.trigger_runwy", "did you mean 'trigger_runway'?")
    assert_problem(err, "segments.consumer.revenue[4]", "valid number (got '71.91')")
    assert_problem(err, "market.regimes.normal.raise_success", "(got 1.5)")
    assert_problem(err, "compute.commitments[0].schedule.2028", "inf is not a finite number")
    assert len(err.problems) == 5


def test_scenario_from_dict_names_the_dict() -> None:
    from wager.scenario import scenario_from_dict

    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(mutated(setting("tax.rate", -0.1)))
    assert (
        str(info.value) == "<dict>: tax.rate: Input should be greater than or equal to 0 (got -0.1)"
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_parse_scenario_text_refuses_an_unknown_format() -> None:
    from wager.scenario import parse_scenario_text

    with pytest.raises(ScenarioError, match="unknown format 'ini'"):
        parse_scenario_text("name = 'x'", "ini", source="s.ini")
