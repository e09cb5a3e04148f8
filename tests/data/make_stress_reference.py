"""Writes ``tests/data/stress_reference.txt``: Python's side of "a stress
written for Python works unchanged in C++" (issue 20, items 3 and 6).

For each preset (``compute_first``, ``profitability``) and each stress of the
library (``python/wager/stresses/``) it records, with Python:

- the central model the core projects (``kernel_model(central_scenario(sc))``,
  flattened to one ``model <key> <values>`` line per field) and the regime
  path (``path``);
- the stress's shocks as its file writes them, includes first, in the order
  they apply (``shock``: label, severity, target path, op, value, start,
  trigger regime and year, duration, shape, ramp, half-life; ``-`` = not given);
- the core shocks Python expands them to (``core``: ``core_shocks``);
- the projection's yearly ``cash`` and ``revenue`` (``wager.project``);
- for targets a scenario cannot resolve, the reason Python's ``StressError``
  gives (``refused <target> <reason>``), which C++ must give in the same words.

``tests/cpp/test_shock_names.cpp`` builds the same model in C++, resolves the
``shock`` lines with ``wager::resolve_shocks`` and checks it gets the ``core``
lines exactly and the projection's cash and revenue;
``tests/test_stress_reference.py`` checks the file is this script's output for
the current presets and library. Regenerate it after changing a preset, a
library stress, the model's dict or the model's equations (say so in the commit):

    PYTHONPATH=python python tests/data/make_stress_reference.py

Numbers are written with ``repr`` (the shortest string that reads back to the
same double), so the C++ side reads the very bits Python used.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import wager
from wager.compile.model import kernel_model, regime_path
from wager.compile.shocks import core_shocks, lookup
from wager.compile.uncertainty import central_scenario
from wager.scenario.schema import Scenario
from wager.scenario.stress_schema import Shock, Stress
from wager.stresses import StressError

PRESETS = ("compute_first", "profitability")
#: Targets no preset resolves: one of each reason the target's resolution gives.
BAD_TARGETS = (
    "segments.nope.revenue",
    "segments.*.margin",
    "market.regimes.nope.spot_price",
    "market.regimes.*.odds",
    "market.transition.bust.normal",
    "compute.commitments.nope",
    "financing.tranches.99.amount",
    "financing.tranches.0.year",
    "financing.initial_cahs",
    "tax.rat",
)
OUT = Path(__file__).with_name("stress_reference.txt")


def _token(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if not text or any(c.isspace() for c in text):
        raise ValueError(f"a token must be one word: {text!r}")
    return text


def _flat(key: str, value: Any) -> Iterator[str]:
    """``model <key> <values>`` lines: dicts by ``.key``, lists of dicts by ``.i``."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(f"{key}.{k}" if key else k, v)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            yield from _flat(f"{key}.{i}", v)
    elif isinstance(value, list):
        yield " ".join(["model", key, *(_token(v) for v in value)])
    else:
        yield f"model {key} {_token(value)}"


def _given(value: Any) -> str:
    return "-" if value is None else _token(value)


def _raw(stress: Stress, sc: Scenario, severity: float) -> Iterator[tuple[str, float, Shock]]:
    """A stress's shocks as written, includes first (as compile.shocks._expand)."""
    eff = severity * stress.severity
    for inc in stress.includes:
        yield from _raw(lookup(inc, sc), sc, eff)
    for i, shock in enumerate(stress.shocks):
        yield f"{stress.name}.shocks[{i}]", eff, shock


def _shock_line(label: str, severity: float, s: Shock) -> str:
    trigger = s.trigger
    fields = [
        label,
        severity,
        s.target,
        s.op,
        float(s.value),
        _given(s.start),
        _given(trigger.regime if trigger else None),
        _given(trigger.after if trigger else None),
        _given(s.duration),
        s.shape,
        _given(s.ramp),
        _given(s.half_life),
    ]
    return " ".join(["shock", *(v if isinstance(v, str) else _token(v) for v in fields)])


def _core_line(d: dict[str, Any]) -> str:
    keys = (
        *("label", "field", "op", "value", "severity", "start", "trigger_regime"),
        *("trigger_after", "duration", "shape", "ramp", "half_life", "failure", "contract"),
    )
    head = [_token(float(d[k]) if isinstance(d[k], float) else d[k]) for k in keys]
    return " ".join(["core", *head, *(_token(float(v)) for v in d["value_by_year"])])


def _refusal(target: str, sc: Scenario) -> str:
    """Python's reason for refusing ``target`` on ``sc``."""
    shock = Shock(target=target, op="scale", value=0.5)
    try:
        core_shocks(Stress(name="refused", shocks=[shock]), sc)
    except StressError as err:
        return str(err.problems[0][1])
    raise AssertionError(f"{target} was not refused")


def reference_lines() -> list[str]:
    """The reference file's lines (without the header comment)."""
    lines: list[str] = []
    for preset in PRESETS:
        sc = wager.presets.load(preset)
        lines.append(f"preset {preset}")
        lines += list(_flat("", dict(kernel_model(central_scenario(sc)))))
        lines.append(" ".join(["path", *(str(r) for r in regime_path(sc))]))
        lines += [f"refused {t} {_refusal(t, sc)}" for t in BAD_TARGETS]
        for name in wager.stresses.one_bet_names():
            lines.append(f"stress {name}")
            lines += [_shock_line(*r) for r in _raw(lookup(name, sc), sc, 1.0)]
            lines += [_core_line(dict(d)) for d in core_shocks(name, sc)]
            annual = wager.project(sc, stress=name).annual
            for column in ("cash", "revenue"):
                values = [float(v) for v in annual[column]]
                assert all(math.isfinite(v) for v in values)
                lines.append(" ".join([column, *(_token(v) for v in values)]))
            lines.append("end")
    return lines


HEADER = (
    "# Generated by tests/data/make_stress_reference.py (read its docstring); do not edit.\n"
    "# One record a line: a keyword, then space-separated values; '-' = not given.\n"
)


def main() -> None:
    OUT.write_text(HEADER + "\n".join(reference_lines()) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
