"""The run options are documented once (``wager.analyses.run.RUN_PARAMETERS``)
and spliced into every Monte Carlo entry point's docstring."""

from __future__ import annotations

import inspect

import pytest

import wager
from wager.analyses.run import RUN_PARAMETERS, documents_run_options

ENTRY_POINTS = [
    wager.simulate,
    wager.compare,
    wager.stress,
    wager.reverse_stress,
    wager.race,
    wager.tornado,
    wager.sobol,
]


@pytest.mark.parametrize("f", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_every_entry_point_documents_the_shared_backend_options(f: object) -> None:
    doc = f.__doc__ or ""
    assert "{run" not in doc
    assert RUN_PARAMETERS["n_threads"].split("\n")[1].strip() in doc
    if "backend" in inspect.signature(f).parameters:  # type: ignore[arg-type]
        assert RUN_PARAMETERS["backend"].split("\n")[1].strip() in doc


def test_a_placeholder_takes_the_entries_indented_as_it_is() -> None:
    def f() -> None:
        """Parameters
        ----------
            {run: seed, n_threads}
        """

    indent = (f.__doc__ or "").split("\n")[2].split("{")[0]
    documents_run_options(f)
    lines = (f.__doc__ or "").split("\n")
    assert lines[2] == indent + "seed"
    assert (
        lines[3] == indent + "    The same seed gives bit-identical results whatever ``n_threads``,"
    )
    assert indent + "n_threads" in lines
