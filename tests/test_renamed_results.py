"""Schema version 3 names the event wager 0.1 called default *distress*
(docs/model.md §27; CHANGELOG.md, Migration): the new names carry the
results, and the old ones still answer the same values with a
DeprecationWarning that names the new one."""

from __future__ import annotations

import pandas as pd
import pytest
from test_distress_resolution import _committed

import wager


def test_a_simulation_s_old_names_warn_and_give_the_distress_tables() -> None:
    sim = wager.simulate(_committed(4), n_paths=64, seed=1, progress=False, keep_paths=True)
    assert sim.distress_probability.loc[2026, "probability"] == 1.0
    with pytest.warns(DeprecationWarning, match="distress_probability"):
        old = sim.default_probability
    pd.testing.assert_frame_equal(old, sim.distress_probability)
    with pytest.warns(DeprecationWarning, match="Simulation.distress_year"):
        pd.testing.assert_frame_equal(sim.default_year, sim.distress_year)
    assert sim.paths is not None
    with pytest.warns(DeprecationWarning, match="Paths.distress_year"):
        assert (sim.paths.default_year == sim.paths.distress_year).all()
    assert (sim.paths.distress_year == 2026).all()


def test_a_projection_names_its_distress_year_and_column() -> None:
    p = wager.project(_committed(4))
    assert p.events.distress_year == 2026
    assert "in_distress" in p.annual.columns and "defaulted" not in p.annual.columns
    assert p.annual["in_distress"].tolist() == [False, True, True, True]
    assert p.events.to_dict()["distress_year"] == 2026
    with pytest.warns(DeprecationWarning, match="Events.distress_year"):
        assert p.events.default_year == 2026


def test_the_old_metric_names_are_read_as_the_new_ones() -> None:
    stress = wager.Stress.model_validate(
        {
            "name": "haircut",
            "title": "Haircut",
            "shocks": [{"target": "segments.*.revenue", "op": "scale", "value": 0.0}],
        }
    )
    sc = _committed(2)
    new = wager.reverse_stress(sc, stress, "deterministic_distress", max_severity=1.0)
    with pytest.warns(DeprecationWarning, match="'deterministic_distress'"):
        old = wager.reverse_stress(sc, stress, "deterministic_default", max_severity=1.0)
    assert old.severity == new.severity
    assert old.metric == "deterministic_distress"


def test_a_stress_grid_names_its_columns_for_distress() -> None:
    grid = wager.stress(_committed(4), ["baseline"], n_paths=64, seed=1)
    row = grid.table.iloc[0]
    assert row["p_distress"] == 1.0 and row["det_distress_year"] == 2026
    assert not any(c.startswith("p_default") for c in grid.table.columns)
    with pytest.warns(DeprecationWarning, match="p_distress_by"):
        assert grid.p_default_by(2025).iloc[0] == 0.0
    assert grid.p_distress_by(2026).iloc[0] == 1.0
