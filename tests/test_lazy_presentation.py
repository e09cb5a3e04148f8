"""The presentation layer loads when a result is first shown, not before:
``import wager`` (and the command line's modules) bring in neither jinja2
nor matplotlib; a notebook summary brings in the report (jinja2), a picture
matplotlib."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, timeout=120)


def test_importing_wager_and_its_command_loads_no_presentation() -> None:
    _run(
        """
        import sys, wager, wager.cli
        loaded = [m for m in ("jinja2", "matplotlib", "wager.present.report") if m in sys.modules]
        assert not loaded, loaded
        """
    )


def test_each_presenter_loads_what_it_needs_when_first_used() -> None:
    _run(
        """
        import sys, wager
        sim = wager.simulate(wager.presets.load("profitability"), n_paths=64, progress=False)
        html = sim._repr_html_()
        assert "wager simulation" in html
        assert "jinja2" in sys.modules and "matplotlib" not in sys.modules
        accessor = sim.plot
        assert accessor.kinds() == ["fan", "survival", "first_profit", "ecdf"]
        assert "matplotlib" not in sys.modules  # the accessor draws nothing yet
        accessor.fan("cash")
        assert "matplotlib" in sys.modules
        """
    )
