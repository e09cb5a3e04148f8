"""The one run path of every Monte Carlo analysis.

An analysis (simulate, compare, stress, reverse_stress, race, tornado,
sobol) prepares its cells — each a strategy under a stress at a severity,
or a strategy with a design row of input values — then hands them to
:func:`run_cells`, which builds the core's config and runs them all in one
core call on common random numbers: every cell sees the same random world,
path by path. How the run executes (paths, seed, threads, progress, local
threads or Dask) is one :class:`RunOptions`, documented once
(:data:`RUN_PARAMETERS`, spliced into each entry point's docstring by
:func:`documents_run_options`). The options are checked when they are made
(strict whole numbers, sane bounds), before an analysis prepares anything;
:func:`estimate_run_time` says up front how long a run should take.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from wager.compile.actuals import start_from_actuals
from wager.compile.contagion import refuse_unlinked
from wager.compile.prepared import PreparedStrategy
from wager.compile.run_config import simulation_config
from wager.kernel import core
from wager.kernel.contract import (
    MAX_PATHS,
    MAX_THREADS,
    SEED_LIMIT,
    local_thread_limit,
    usable_cpus,
    whole_number,
)
from wager.kernel.execution import Backend, run
from wager.kernel.layout import HistogramSpec
from wager.kernel.progress import PATH_STEPS_PER_SECOND, ProgressArg
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario

__all__ = [
    "PATH_STEPS_PER_SECOND",
    "RUN_PARAMETERS",
    "RunOptions",
    "check_threads",
    "documents_run_options",
    "estimate_run_time",
    "format_duration",
    "run_cells",
]


def check_threads(n_threads: object, backend: str = "local") -> int | None:
    """``n_threads`` checked: None (all cores), or a whole number from 1 to
    four times the CPUs this process may use (local runs) or to
    :data:`~wager.kernel.contract.MAX_THREADS` (1,024; on Dask, each task's
    threads on its worker, which this process cannot see).

    Raises
    ------
    TypeError, ValueError
        Naming ``n_threads`` and the limit.
    """
    if n_threads is None:
        return None
    n = whole_number(n_threads, "n_threads", minimum=1)
    limit = local_thread_limit() if backend == "local" else MAX_THREADS
    if n > limit:
        why = (
            f"four times the CPUs this process may use, at most {MAX_THREADS:,}"
            if backend == "local"
            else "the limit of one task"
        )
        raise ValueError(
            f"n_threads must be <= {limit:,} ({why}), got {n:,}: "
            "threads beyond the cores run no faster and each holds its own statistics"
        )
    return n


@dataclass(frozen=True)
class RunOptions:
    """How a Monte Carlo run executes: never what it computes, except
    ``n_paths`` and ``seed``, which fix the paths (:data:`RUN_PARAMETERS`).

    Made, the options are checked and normalised: every count is a plain
    ``int`` (``1e6`` and NumPy integers are taken; ``True``, ``1.5``, NaN
    and strings are refused with a TypeError or ValueError naming the
    argument), so a result and its manifest record the values used.
    """

    n_paths: int = 10_000
    seed: int = 0
    n_threads: int | None = None
    progress: ProgressArg = False
    batch_paths: int | None = None
    backend: Backend = "local"
    client: Any = None
    chunk_paths: int | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__  # a frozen dataclass normalises its own fields
        put(self, "n_paths", whole_number(self.n_paths, "n_paths", minimum=0, maximum=MAX_PATHS))
        put(self, "seed", whole_number(self.seed, "seed", minimum=0, maximum=SEED_LIMIT - 1))
        if self.backend not in ("local", "dask"):
            raise ValueError(f"backend must be 'local' or 'dask', got {self.backend!r}")
        put(self, "n_threads", check_threads(self.n_threads, self.backend))
        for name in ("batch_paths", "chunk_paths"):
            value = getattr(self, name)
            if value is not None:
                put(self, name, whole_number(value, name, minimum=1, maximum=MAX_PATHS))


#: The documentation of the run options, written once; each entry point's
#: docstring names the ones it takes as ``{run: name, name, ...}``.
RUN_PARAMETERS = {
    "n_paths": """n_paths
    Number of paths: a whole number from 0 to 2**53 (an int, a NumPy
    integer or an integral float such as ``1e6``; ``True``, ``1.5`` and
    strings are refused). :func:`wager.analyses.run.estimate_run_time`
    estimates how long a run takes.""",
    "seed": """seed
    The same seed gives bit-identical results whatever ``n_threads``,
    ``batch_paths``, the backend and its chunks. Every cell of one call
    sees the same random numbers: a stress or a design row changes the
    model, not the draws. A whole number in [0, 2**64).""",
    "n_threads": """n_threads
    Threads (default: all cores OpenMP sees); on Dask, each task's. At
    most four times the CPUs this process may use (local runs) and 1,024.""",
    "progress": """progress
    None: a bar (a widget in a notebook) when someone watches, a
    terminal or a Jupyter kernel, and the run is expected to take two
    seconds or more, labelled with that estimate; True / False: always /
    never; a callable: receives ``(done, total)`` between batches (between
    chunks on Dask).""",
    "batch_paths": """batch_paths
    Paths per batch between progress reports and Ctrl-C checks. None
    (default): batches start at 65,536 paths and double while a batch
    takes under 0.25 s, so a fast run pauses rarely and a slow one still
    reports and stops within about half a second. Results never depend
    on the batches.""",
    "backend": """backend, client, chunk_paths
    ``"local"`` (threads in this process) or ``"dask"`` (chunks of paths
    on a ``distributed`` cluster: ``client``, or a local cluster if
    None; ``chunk_paths`` per task). The same results, bit for bit
    (``docs/scaling.md``). More than 10,000 tasks warn, naming
    ``chunk_paths``; more than 1,000,000 are refused.""",
}

F = TypeVar("F", bound=Callable[..., Any])


def documents_run_options(f: F) -> F:
    """Replace each ``{run: name, ...}`` line of ``f``'s docstring with those
    entries of :data:`RUN_PARAMETERS`, indented as the line is."""
    lines = []
    for line in (f.__doc__ or "").split("\n"):
        stripped = line.strip()
        if stripped.startswith("{run:") and stripped.endswith("}"):
            indent = line[: len(line) - len(line.lstrip())]
            names = [n.strip() for n in stripped[5:-1].split(",")]
            lines += [textwrap.indent(RUN_PARAMETERS[n], indent) for n in names]
        else:
            lines.append(line)
    f.__doc__ = "\n".join(lines)
    return f


def run_cells(
    cells: Sequence[PreparedStrategy],
    options: RunOptions,
    *,
    what: str,
    keep_paths: bool = False,
    histogram: HistogramSpec | None = None,
    world_period: int = 0,
    pairs: Sequence[tuple[int, int]] = (),
) -> dict[str, Any]:
    """Run ``cells`` in one core call on common random numbers.

    Parameters
    ----------
    cells
        Prepared strategies (``compile.prepared``), each under its shocks or
        with its input rows; they share one world.
    options
        How the run executes.
    what
        The progress bar's label.
    keep_paths
        Also return every path's values.
    histogram
        The bins of the statistics (default: a simulation's).
    world_period
        With design rows: paths ``p`` and ``p + world_period`` see the same
        world (0: every path its own).
    pairs
        ``(a, b)``: also accumulate cell b minus cell a, path by path.

    Returns
    -------
    dict
        ``{"strategies": [one merged result per cell], "pairs": [...]}``.
    """
    for cell in cells:
        refuse_unlinked(cell.shocks, what)
    # BLAS is limited to one thread where wager calls it (the copula's
    # factor): not around the run, which needs no BLAS, so a call pays
    # nothing for it once those are known.
    config = simulation_config(
        cells,
        n_paths=options.n_paths,
        seed=options.seed,
        n_threads=options.n_threads,
        keep_paths=keep_paths,
        histogram=histogram,
        world_period=world_period,
        pairs=pairs,
    )
    return run(
        config,
        progress=options.progress,
        what=what,
        batch_paths=options.batch_paths,
        backend=options.backend,
        client=options.client,
        chunk_paths=options.chunk_paths,
    )


#: The fixed part of a call per cell (its statistics), seconds.
_SECONDS_PER_CELL = 0.002


def estimate_run_time(
    scenarios: Scenario | dict[str, Any] | Sequence[Scenario | dict[str, Any]],
    n_paths: int,
    *,
    cells_per_scenario: int = 1,
    n_threads: int | None = None,
    backend: Backend = "local",
) -> float:
    """An estimate, in seconds, of a Monte Carlo run's time: made before the
    run, from its size, not measured.

    The run's path-steps (``n_paths`` x each scenario's years x steps per
    year x ``cells_per_scenario``) at :data:`PATH_STEPS_PER_SECOND` (4
    million, below every end-to-end rate ``docs/performance.md`` measures)
    per thread, on ``min(n_threads, CPUs)`` threads, plus 2 ms per cell. A
    conservative constant, not a calibration of this machine: expect the run
    to take between a third of the estimate and the estimate; a loaded
    machine takes longer.

    Parameters
    ----------
    scenarios
        The strategies of the run.
    n_paths
        Paths per cell (as for :func:`wager.simulate`).
    cells_per_scenario
        Cells per strategy: 1 for :func:`wager.simulate`, the number of
        stresses for :func:`wager.compare`, stresses x severities for
        :func:`wager.stress`, 4 for :func:`wager.race` (per lab).
    n_threads, backend
        As for :func:`wager.simulate` (None: all cores). A local run counts
        at most as many threads as this process has CPUs; on Dask, give the
        cluster's threads.

    Returns
    -------
    float
        Seconds (:func:`format_duration` writes them for a person).

    Examples
    --------
    >>> import wager
    >>> from wager.analyses.run import estimate_run_time, format_duration
    >>> sc = wager.presets.load("compute_first")  # 11 years, 4 steps a year
    >>> format_duration(estimate_run_time(sc, 10**9, n_threads=1))
    'about 3 h 3 min'
    """
    items = [scenarios] if isinstance(scenarios, Scenario | dict) else list(scenarios)
    scs = [start_from_actuals(as_scenario(s)) for s in items]  # from the last reported year's end
    paths = whole_number(n_paths, "n_paths", minimum=0, maximum=MAX_PATHS)
    cells = whole_number(cells_per_scenario, "cells_per_scenario", minimum=1)
    if n_threads is None:
        threads = min(core.max_threads(), usable_cpus())
    else:
        threads = whole_number(n_threads, "n_threads", minimum=1)
        if backend == "local":
            threads = min(threads, usable_cpus())  # more threads than cores run no faster
    steps = sum(sc.time.n_years * sc.time.steps_per_year for sc in scs) * cells
    fixed = _SECONDS_PER_CELL * cells * len(scs)
    return paths * steps / (PATH_STEPS_PER_SECOND * max(threads, 1)) + fixed


def format_duration(seconds: float) -> str:
    """``seconds`` for a person: ``about 40 s``, ``about 3 min``, ``about 2 h
    5 min``, ``about 12 days``."""
    if not math.isfinite(seconds):
        return "unknown"
    if seconds < 60:
        return f"about {max(seconds, 1):.0f} s"
    if seconds < 3600:
        return f"about {seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"about {hours} h {minutes} min"
    if seconds < 3 * 365 * 86400:
        return f"about {seconds / 86400:,.0f} days"
    return f"about {seconds / (365 * 86400):,.0f} years"
