"""docs/scenarios.md documents every field of the scenario schema, and only those.

Each field of every model reachable from ``wager.Scenario`` must have a row in
one of the doc's field tables, under its dotted path as written in a file:
``<name>`` stands for a dict key (a segment or regime name) and ``[]`` for an
item of a list (``compute.commitments[].schedule``).

A distribution may stand wherever most numbers go (``uncertain(...)`` and the
series types). Its fields are documented once, as ``<distribution>.dist``,
``<distribution>.low``, ..., not under every numeric field; instead the type
cell of a field says whether it takes one ("number or distribution", "series",
"year table of numbers or distributions").

The tests also keep the documented defaults, the distribution families, the
default regimes and transition matrix, the complete examples and the preset
excerpts in step with the code.
"""

from __future__ import annotations

import math
import re
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import wager
from wager.scenario import distribution
from wager.scenario.distribution import Distribution, distribution_leaves
from wager.scenario.loader import parse_scenario_text
from wager.scenario.schema import Market, Regime

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOC = Path(__file__).parent.parent / "docs" / "scenarios.md"

#: The header of every field-reference table in the doc.
FIELD_HEADER = ["field", "type", "unit", "default", "range", "meaning"]

#: Models that stand where one value goes (a distribution instead of a number):
#: documented once, under this placeholder, rather than under each field.
VALUE_MODELS: dict[type[BaseModel], str] = {Distribution: "<distribution>"}

#: The header of the doc's table of distribution families.
FAMILY_HEADER = ["dist", "parameters", "90% interval"]

#: Pydantic tags of the arms of a yearly series (see ``wager.scenario.series``).
SERIES_ARMS = {"scalar", "list", "table"}


# --- the schema side -------------------------------------------------------


def _nested_model(annotation: Any) -> tuple[str, type[BaseModel]] | None:
    """The model inside an annotation, with the path suffix that reaches it.

    ``Model`` gives ``("", Model)``, ``list[Model]`` gives ``("[]", Model)``,
    ``dict[str, Model]`` gives ``(".<name>", Model)``; ``Optional`` and
    ``Annotated`` are looked through. Anything without a model gives None, and
    so do the value models (``VALUE_MODELS``): ``float | Distribution`` is a
    number that may be written as a distribution, not a nested section.
    """
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return None if annotation in VALUE_MODELS else ("", annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _nested_model(args[0])
    if origin is typing.Union or origin is types.UnionType:
        found = [m for m in (_nested_model(a) for a in args if a is not type(None)) if m]
        if len(found) > 1:
            raise AssertionError(f"a union of several models is not handled: {annotation}")
        return found[0] if found else None
    if origin is list and args:
        inner = _nested_model(args[0])
        return ("[]" + inner[0], inner[1]) if inner else None
    if origin is dict and len(args) == 2:
        inner = _nested_model(args[1])
        return (".<name>" + inner[0], inner[1]) if inner else None
    return None


def _parts(annotation: Any) -> Iterator[Any]:
    """``annotation`` and everything inside it: type arguments and ``Annotated`` metadata."""
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _parts(arg)


def takes(annotation: Any, model: type[BaseModel]) -> bool:
    """Whether ``model`` may stand anywhere in a value of type ``annotation``."""
    return any(part is model for part in _parts(annotation))


def is_series(annotation: Any) -> bool:
    """Whether ``annotation`` is a yearly series (a union tagged scalar / list / table)."""
    tags = {getattr(part, "tag", None) for part in _parts(annotation)}
    return tags >= SERIES_ARMS


def _walk(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    for name, field in model.model_fields.items():
        path = prefix + name
        yield path, field
        nested = _nested_model(field.annotation)
        if nested is not None:
            suffix, sub = nested
            yield from _walk(sub, path + suffix + ".")


def schema_fields() -> dict[str, FieldInfo]:
    """Every field reachable from ``wager.Scenario``, by documented dotted path.

    The fields of a value model follow, under its placeholder, once (if any
    field takes it): ``<distribution>.dist``, ``<distribution>.low``, ...
    """
    fields = dict(_walk(wager.Scenario))
    for model, placeholder in VALUE_MODELS.items():
        if any(takes(f.annotation, model) for f in fields.values()):
            fields.update(_walk(model, placeholder + "."))
    return fields


def uncertain_fields() -> list[str]:
    """The paths of the fields where a distribution may stand."""
    return [p for p, f in schema_fields().items() if takes(f.annotation, Distribution)]


# --- the doc side ----------------------------------------------------------


def _split_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def doc_tables(text: str) -> list[list[list[str]]]:
    """The Markdown tables of ``text``: each a list of rows (header first), cells stripped."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.lstrip().startswith("|"):
            cells = _split_row(line)
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def documented_rows(text: str) -> dict[str, list[str]]:
    """The rows of the field-reference tables, by the (unquoted) path in their first cell."""
    rows: dict[str, list[str]] = {}
    for table in doc_tables(text):
        if table[0][0] != "field" or table[0] == ["field", *default_regime_names()]:
            continue
        assert table[0] == FIELD_HEADER, f"field table with header {table[0]}"
        for row in table[1:]:
            assert len(row) == len(FIELD_HEADER), f"row with {len(row)} cells: {row}"
            match = re.fullmatch(r"`([^`]+)`", row[0])
            assert match, f"first cell must be one `dotted.path`: {row[0]!r}"
            assert match[1] not in rows, f"{match[1]} is documented twice"
            rows[match[1]] = row
    return rows


def fenced_blocks(text: str, marker: str) -> list[tuple[str, str]]:
    """``(argument, body)`` of each TOML block right after ``<!-- marker[: argument] -->``."""
    pattern = rf"<!-- {re.escape(marker)}(?::\s*(\S+))? -->\n```toml\n(.*?)```"
    return [(m[1] or "", m[2]) for m in re.finditer(pattern, text, re.S)]


def default_regime_names() -> list[str]:
    return list(Market().regimes)


def undocumented(text: str) -> list[str]:
    """The schema fields without a row in the field tables of ``text``."""
    rows = documented_rows(text)
    return [path for path in schema_fields() if path not in rows]


def type_problem(path: str, field: FieldInfo, cell: str) -> str | None:
    """Why the type ``cell`` misstates whether ``field`` is a series or takes a distribution."""
    series = is_series(field.annotation)
    if series != (cell == "series"):
        return f"{path}: type {cell!r}, but it is {'' if series else 'not '}a series"
    # Every series takes distributions; other fields say so in their type.
    uncertain = takes(field.annotation, Distribution)
    if uncertain != (cell == "series" or "distribution" in cell):
        does = "takes" if uncertain else "does not take"
        return f"{path}: type {cell!r}, but it {does} a distribution"
    return None


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


# --- the tests -------------------------------------------------------------


def test_schema_walk_finds_nested_fields() -> None:
    paths = schema_fields()
    for expected in (
        "financing.equity.trigger_runway",
        "segments.<name>.revenue",
        "market.regimes.<name>.spot_price",
        "compute.commitments[].schedule",
        "financing.tranches[].post_money",
        "distress.management.penalty",
        "segments.<name>.volatility",
        "market.demand_factor.persistence",
        "uncertainty.correlation",
        "<distribution>.dist",
        "<distribution>.low",
        "<distribution>.df",
    ):
        assert expected in paths
    # A distribution's fields appear once, not under each field that takes one.
    assert [p for p in paths if p.endswith(".dist")] == ["<distribution>.dist"]
    assert "financing.initial_cash.dist" not in paths


def test_schema_walk_sees_uncertain_fields() -> None:
    fields = schema_fields()
    uncertain = uncertain_fields()
    for path in (
        "financing.initial_cash",  # uncertain(ge=0)
        "financing.tranches[].post_money",  # uncertain(gt=0) | None
        "compute.commitments[].schedule",  # dict[Year, UNonNeg] | None
        "segments.<name>.revenue",  # a series
        "market.regimes.<name>.credit_spread",
        "segments.<name>.persistence",
    ):
        assert path in uncertain
    for path in (
        "time.horizon",
        "market.demand_factor.volatility",
        "market.transition",
        "uncertainty.correlation",
        "<distribution>.mean",
        "financing.tranches[].year",
    ):
        assert path in fields
        assert path not in uncertain
    assert is_series(fields["compute.training"].annotation)
    assert not is_series(fields["financing.initial_cash"].annotation)


def test_every_schema_field_has_a_row(doc: str) -> None:
    missing = undocumented(doc)
    assert not missing, f"fields without a row in {DOC.name}: {missing}"


@pytest.mark.parametrize(
    "path",
    [
        "financing.initial_cash",
        "segments.<name>.volatility",
        "market.demand_factor.volatility",
        "uncertainty.repair",
        "<distribution>.low",
        "<distribution>.dist",
    ],
)
def test_a_removed_row_is_missed(doc: str, path: str) -> None:
    row = re.compile(rf"^\|\s*`{re.escape(path)}`\s*\|.*\n", re.M)
    assert len(row.findall(doc)) == 1, f"no single row for {path}"
    assert path in undocumented(row.sub("", doc))


def test_types_say_which_fields_take_distributions(doc: str) -> None:
    rows = documented_rows(doc)
    column = FIELD_HEADER.index("type")
    problems = [
        problem
        for path, field in schema_fields().items()
        if path in rows and (problem := type_problem(path, field, rows[path][column]))
    ]
    assert not problems, "\n".join(problems)


def test_every_row_is_a_schema_field(doc: str) -> None:
    fields = schema_fields()
    invented = [path for path in documented_rows(doc) if path not in fields]
    assert not invented, f"rows in {DOC.name} for fields the schema lacks: {invented}"


def test_every_path_appears_in_backticks(doc: str) -> None:
    missing = [path for path in schema_fields() if f"`{path}`" not in doc]
    assert not missing, f"paths not written as `path` in {DOC.name}: {missing}"


def _default_problem(path: str, field: FieldInfo, cell: str) -> str | None:
    """Why the documented default ``cell`` does not match ``field``, or None."""
    if field.is_required():
        return None if cell == "required" else f"{path}: documented {cell!r}, but it is required"
    if cell == "required":
        return f"{path}: documented as required, but it has a default"
    if field.default_factory is not None:
        return None  # a table, list or mapping: described in words
    if field.default is None:
        return None if cell.startswith("none") else f"{path}: documented {cell!r}, default is none"
    token = re.match(r"`([^`]+)`", cell)
    if token is None:
        return f"{path}: default cell {cell!r} does not start with a `value`"
    documented = tomllib.loads(f"v = {token[1]}")["v"]
    expected = field.default
    if isinstance(expected, bool | str):
        same = type(documented) is type(expected) and documented == expected
    else:
        same = (
            isinstance(documented, int | float)
            and not isinstance(documented, bool)
            and math.isclose(documented, expected, rel_tol=1e-3, abs_tol=1e-12)
        )
    return None if same else f"{path}: documented {documented!r}, default is {expected!r}"


def test_documented_defaults_match_the_schema(doc: str) -> None:
    rows = documented_rows(doc)
    column = FIELD_HEADER.index("default")
    problems = [
        problem
        for path, field in schema_fields().items()
        if path in rows and (problem := _default_problem(path, field, rows[path][column]))
    ]
    assert not problems, "\n".join(problems)


def test_distribution_families_table(doc: str) -> None:
    tables = [t for t in doc_tables(doc) if t[0] == FAMILY_HEADER]
    header = ", ".join(FAMILY_HEADER)
    assert len(tables) == 1, f"one table of distribution families, columns {header}"
    table = tables[0]
    kinds = typing.get_args(Distribution.model_fields["dist"].annotation)
    assert [row[0] for row in table[1:]] == [f'`"{k}"`' for k in kinds]
    for kind, row in zip(kinds, table[1:], strict=True):
        named = re.findall(r"`(\w+)`", row[1])
        assert named == list(distribution._PARAMETERS[kind]), f"{kind}: parameters {named}"
        named = re.findall(r"`(\w+)`", row[2])
        expected = ["low", "high", *distribution._INTERVAL_EXTRAS.get(kind, ())]
        assert named == expected, f"{kind}: interval form names {named}"


def test_distribution_examples_validate(doc: str) -> None:
    blocks = fenced_blocks(doc, "distributions")
    assert blocks, "no <!-- distributions --> TOML block in the doc"
    seen: dict[str, set[bool]] = {}
    for _, body in blocks:
        for key, value in tomllib.loads(body).items():
            d = Distribution.model_validate(value)
            assert math.isfinite(d.central()), key
            seen.setdefault(d.dist, set()).add(d.low is not None)
    kinds = typing.get_args(Distribution.model_fields["dist"].annotation)
    assert all(seen.get(k) == {False, True} for k in kinds), (
        f"each family by parameters and by interval: {seen}"
    )


def test_default_regimes_table(doc: str) -> None:
    names = default_regime_names()
    tables = [t for t in doc_tables(doc) if t[0] == ["field", *names]]
    assert len(tables) == 1, "one table of the default regimes, columns " + ", ".join(names)
    table = tables[0]
    assert [row[0] for row in table[1:]] == [f"`{f}`" for f in Regime.model_fields]
    regimes = Market().regimes
    for row in table[1:]:
        field = row[0].strip("`")
        for name, cell in zip(names, row[1:], strict=True):
            expected = getattr(regimes[name], field)
            assert math.isclose(float(cell), expected, abs_tol=1e-12), f"{name}.{field}: {cell}"


def test_default_transition_table(doc: str) -> None:
    names = default_regime_names()
    tables = [t for t in doc_tables(doc) if t[0][0] == "from \\ to"]
    assert len(tables) == 1, "one table of the default transition matrix"
    table = tables[0]
    assert table[0][1:] == names
    assert [row[0] for row in table[1:]] == names
    transition = Market().transition
    for row in table[1:]:
        for to, cell in zip(names, row[1:], strict=True):
            expected = transition[row[0]].get(to, 0.0)
            assert math.isclose(float(cell), expected, abs_tol=1e-12), f"{row[0]} -> {to}: {cell}"


def test_complete_examples_validate(doc: str) -> None:
    examples = fenced_blocks(doc, "complete-example")
    assert examples, "no <!-- complete-example --> TOML block in the doc"
    uncertain = False
    for i, (_, body) in enumerate(examples):
        scenario = parse_scenario_text(body, "toml", source=f"{DOC.name} example {i + 1}")
        assert isinstance(scenario, wager.Scenario)
        uncertain |= bool(distribution_leaves(scenario) and scenario.uncertainty.inputs)
    assert uncertain, "no complete example with distributions and a correlation"


def test_preset_excerpts_are_verbatim(doc: str) -> None:
    excerpts = fenced_blocks(doc, "excerpt")
    assert excerpts, "no <!-- excerpt: preset --> TOML block in the doc"
    for name, body in excerpts:
        assert name in wager.presets.names(), f"excerpt from unknown preset {name!r}"
        assert body in wager.presets.text(name), f"the excerpt from {name} is not in the preset"
