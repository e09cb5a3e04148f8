"""``tests/data/stress_reference.txt`` is Python's current answer.

``tests/cpp/test_shock_names.cpp`` checks that C++ resolves every shock of
every library stress, on both presets, to the core shocks Python makes of it,
and projects them to Python's cash and revenue, against that file. This test
closes the loop: the file is what ``tests/data/make_stress_reference.py``
writes for the current presets, library and model (inputs exactly; the
projected values to 1e-12, as they may come from another build of the core).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType

DATA = Path(__file__).parent / "data"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_stress_reference", DATA / "make_stress_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(a: str, b: str) -> bool:
    x, y = float(a), float(b)
    return abs(x - y) <= 1e-12 * max(1.0, abs(y)) or (math.isinf(x) and x == y)


def test_the_reference_file_is_the_scripts_output() -> None:
    script = _script()
    fresh = script.reference_lines()
    stored = [
        line
        for line in (DATA / "stress_reference.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    hint = "regenerate it: PYTHONPATH=python python tests/data/make_stress_reference.py"
    assert len(fresh) == len(stored), hint
    for new, old in zip(fresh, stored, strict=True):
        key = new.split(" ", 1)[0]
        if key in ("cash", "revenue"):
            a, b = new.split(), old.split()
            assert a[0] == b[0] and len(a) == len(b), hint
            assert all(_close(x, y) for x, y in zip(a[1:], b[1:], strict=True)), (new, old, hint)
        else:
            assert new == old, hint


def test_the_reference_covers_every_library_stress_on_both_presets() -> None:
    import wager

    text = (DATA / "stress_reference.txt").read_text(encoding="utf-8")
    presets = [line.split()[1] for line in text.splitlines() if line.startswith("preset ")]
    stresses = [line.split()[1] for line in text.splitlines() if line.startswith("stress ")]
    assert presets == ["compute_first", "profitability"]
    assert stresses == wager.stresses.one_bet_names() * 2
    # Path forms the C++ side must resolve: '*', 'largest', a switch, a plain path.
    targets = {line.split()[3] for line in text.splitlines() if line.startswith("shock ")}
    assert {"market.regimes.*.raise_success", "compute.commitments.largest"} <= targets
    assert {
        "financing.tranches.largest.amount",
        "distress.backstop",
        "financing.debt.rate",
    } <= targets
