"""The library of named stresses: every required stress exists, is documented,
applies to any scenario, and moves the outcomes the way its `expected`
field says (docs/stress.md, section 3), on both presets and the example."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import wager

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {
    "baseline",
    "ai_bubble_burst",
    "compute_glut",
    "funding_freeze",
    "investor_pullback",
    "counterparty_default",
    "gpu_price_collapse",
    "inference_cost_overrun",
    "price_war",
    "rate_shock",
    "no_backstop",
    "backstop",
    "telecom_2001",
    "revision_2026_profitability",
    "revision_2026_compute_first",
    "revenue_beat",
    "cheaper_compute",
}
#: The quantities of `expected` clauses: annual columns summed over the horizon, or events.
FLOWS = {
    "revenue": "revenue",
    "gross profit": "gross_profit",
    "operating income": "operating_income",
    "net interest": "net_interest",
    "tranches received": "tranches_received",
    "owned capacity": "owned_capacity",
}
EVENTS = {"terminal equity value": "terminal_equity_value", "rescue total": "rescue_total"}
CLAUSE = re.compile(r"^(?P<what>.+?) (?P<how>rises|falls|does not rise|does not fall|= 0)$")
N_PATHS = 3_000


def _scenarios() -> list[wager.Scenario]:
    return [
        wager.presets.load("profitability"),
        wager.presets.load("compute_first"),
        wager.load_scenario(ROOT / "examples" / "cloud_vendor.toml"),
    ]


def test_the_library_has_every_required_stress_documented() -> None:
    names = set(wager.stresses.names())
    assert names >= REQUIRED and len(names) >= 17
    doc = (ROOT / "docs" / "stress.md").read_text(encoding="utf-8")
    for name in names:
        s = wager.stresses.load(name)
        assert s.name == name and s.title and s.narrative and s.expected
        if name != "baseline":
            assert s.source and s.calibration and (s.shocks or s.includes), name
        assert f"### `{name}`" in doc, f"{name} has no section in docs/stress.md"
        for clause in s.expected.split("; "):
            assert clause == "unchanged" or CLAUSE.match(clause), (name, clause)


def _quantity(what: str, p: wager.Projection) -> float:
    if what in FLOWS:
        return float(p.annual[FLOWS[what]].sum())
    return float(getattr(p.events, EVENTS[what]))


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_stress_moves_the_outcomes_as_its_expected_field_says(name: str) -> None:
    stress = wager.stresses.load(name)
    scenarios = _scenarios()
    for sc in scenarios:
        grid = wager.stress(
            sc, [name], severity=[0.0, 1.0], n_paths=N_PATHS, seed=3, progress=False
        )
        base = wager.project(sc, stress=name, severity=0.0)
        hit = wager.project(sc, stress=name)
        p0 = grid.table.loc[(sc.name, name, 0.0), "p_distress"]
        p1 = grid.table.loc[(sc.name, name, 1.0), "p_distress"]
        for clause in stress.expected.split("; "):
            where = f"{name} on {sc.name}: {clause}"
            if clause == "unchanged":
                assert hit.annual.equals(base.annual) and hit.events == base.events, where
                assert p0 == p1, where
                continue
            m = CLAUSE.match(clause)
            assert m is not None, where
            what, how = m["what"], m["how"]
            if what == "P(distress)":
                before, after = p0, p1
            else:
                before, after = _quantity(what, base), _quantity(what, hit)
            if how == "= 0":
                assert after == 0, where
            elif how == "does not fall":
                assert after >= before, where
            elif how == "does not rise":
                assert after <= before, where
            elif how == "rises":
                assert after >= before and (after > before or before == 0 == after), where
            else:  # falls
                assert after <= before, where
                if before > 0:
                    assert after < before, where


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_stress_applies_at_any_severity_to_any_scenario(name: str) -> None:
    for sc in _scenarios():
        for severity in (0.5, 2.0, 3.0):
            p = wager.project(sc, stress=name, severity=severity)
            values = p.annual.select_dtypes("number").to_numpy(dtype=float)
            assert np.isfinite(values).all(), (name, sc.name, severity)


def test_the_stresses_change_what_their_narratives_say_on_the_presets() -> None:
    # Measured claims the docs make about the presets (docs/stress.md, section 4).
    cf, pr = wager.presets.load("compute_first"), wager.presets.load("profitability")
    grid = wager.stress([pr, cf], sorted(REQUIRED), n_paths=N_PATHS, seed=3, progress=False)
    t = grid.table["p_distress"].xs(1.0, level="severity")
    # The funding freeze of 2027-2028 puts the compute-first bet in distress on
    # about three paths in four (0.735 on 100,000 paths, seed 7, with the
    # presets' cited market cycle and uncertain inputs, docs/calibration.md;
    # 0.793 before they carried uncertain inputs, 0.749 with the package's
    # default chain): it needs new equity in 2028 (the central projection
    # misses by 1.6 after drawing its 4 facility), and paths whose revenue or
    # costs drift its way escape. 3,000 paths: a standard error of 0.008.
    assert abs(t[("compute_first", "funding_freeze")] - 0.735) < 0.04
    assert grid.projection("compute_first", "funding_freeze", 1.0).events.distress_year == 2028
    # The backstop removes every default; the presets have no backstop to remove.
    assert t[("compute_first", "backstop")] == 0.0 and t[("profitability", "backstop")] == 0.0
    assert t[("compute_first", "no_backstop")] == t[("compute_first", "baseline")]
    # The bubble burst hurts the compute-first bet more than the disciplined one.
    rise_cf = t[("compute_first", "ai_bubble_burst")] - t[("compute_first", "baseline")]
    rise_pr = t[("profitability", "ai_bubble_burst")] - t[("profitability", "baseline")]
    assert rise_cf > rise_pr > 0


def test_unchanged_tells_a_stress_that_changes_nothing_from_one_that_does() -> None:
    # rate_shock moves only the interest on debt: nothing on profitability
    # (no debt), its interest and more on a copy that owes 10.
    cf = wager.presets.load("profitability")
    data = cf.model_dump(exclude_none=True)
    data["name"] = "indebted"
    data["financing"]["debt"]["initial"] = 10.0
    indebted = wager.Scenario.model_validate(data)
    grid = wager.stress(
        [cf, indebted],
        ["baseline", "rate_shock", "funding_freeze"],
        n_paths=500,
        seed=2,
        progress=False,
    )
    assert grid.unchanged("profitability", "rate_shock")
    assert not grid.unchanged("indebted", "rate_shock")
    assert not grid.unchanged("profitability", "funding_freeze")
    assert grid.unchanged("profitability", "baseline")
