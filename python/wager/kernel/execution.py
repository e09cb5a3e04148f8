"""Where a run executes: in this process (threads), or on a Dask cluster.

On Dask the paths are split into chunks; each chunk is one core call with
its path offset (``first_path``), so it draws exactly the random numbers a
local run draws for those paths; its results are partial statistics
(128-bit sums, integer histograms and counts) that merge by integer
addition. The client merges them in chunk order as they arrive, holding only
the merged statistics: the result is bit for bit the local one, whatever the
chunk size and the number of workers (``docs/scaling.md``).
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Literal

import numpy as np
from threadpoolctl import ThreadpoolController

from wager.kernel import core
from wager.kernel.contract import ConfigDict, usable_cpus, whole_number
from wager.kernel.progress import PATH_STEPS_PER_SECOND, ProgressArg, progress_callback

__all__ = [
    "MAX_DASK_TASKS",
    "WARN_DASK_TASKS",
    "Backend",
    "check_task_count",
    "merge_results",
    "one_blas_thread",
    "run",
]

Backend = Literal["local", "dask"]

#: Default paths per Dask task: big enough that a task's fixed cost (its
#: start, and sending back its statistics: a few MB) is small against its
#: work; docs/scaling.md measures it.
DEFAULT_CHUNK_PATHS = 1 << 18
#: Dask tasks of one run above which it warns (naming ``chunk_paths``), and
#: above which it refuses: the scheduler and the client keep a record of
#: every task, and finished tasks hold their statistics until merged.
WARN_DASK_TASKS = 10_000
MAX_DASK_TASKS = 1_000_000


#: The BLAS libraries loaded, found once (finding them reads every loaded
#: library: milliseconds) and again only after a module was imported, which
#: may have loaded another: (modules imported then, the controller).
_blas: list[tuple[int, Any]] = []


def _blas_controller() -> Any:
    modules = len(sys.modules)
    if not _blas or _blas[0][0] != modules:
        _blas[:] = [(modules, ThreadpoolController().select(user_api="blas"))]
    return _blas[0][1]


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS runs on one thread.

    The small matrices wager hands to BLAS (a copula's factor) gain nothing
    from its threads, and BLAS threads left
    spinning after them take cores from the kernel's. Nothing to do (and
    nothing paid) when every BLAS library loaded already runs one thread.
    """
    blas = _blas_controller()
    if all(lib.num_threads <= 1 for lib in blas.lib_controllers):
        return nullcontext()
    return blas.limit(limits=1)  # type: ignore[no-any-return]


def _add_int128(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """(signed high, unsigned low) 64-bit halves added with the carry: exact."""
    lo = a[1] + b[1]  # uint64 wraps around
    carry = (lo < a[1]).astype(np.int64)
    return a[0] + b[0] + carry, lo


def _merge_stats(a: dict[str, Any], b: dict[str, Any], concat: tuple[str, ...]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if key in ("sum", "sum_squares"):
            out[key] = _add_int128(a[key], value)
        elif key in ("a", "b", "bound", "counterparties"):
            # The pair's strategies; the exposure histograms' range and the
            # joint losses' suppliers, the same in every chunk (docs/model.md
            # §28): kept, not added.
            continue
        elif isinstance(value, dict):  # a nested set of sums and counts (``distress``)
            out[key] = _merge_stats(a[key], value, ())
        elif key in concat:
            if isinstance(value, list):
                out[key] = [np.concatenate([x, y]) for x, y in zip(a[key], value, strict=True)]
            else:
                out[key] = np.concatenate([a[key], value])
        else:
            out[key] = a[key] + value
    return out


_KEPT = ("kept", "kept_default_year", "kept_first_profit_year", "kept_outcomes")


def merge_results(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two runs' results, the second's paths after the first's, as one.

    Sums, histograms and counts add (exact integers); kept paths, if any,
    are concatenated in path order.
    """
    return {
        "strategies": [
            _merge_stats(x, y, _KEPT)
            for x, y in zip(first["strategies"], second["strategies"], strict=True)
        ],
        "pairs": [
            _merge_stats(x, y, ()) for x, y in zip(first["pairs"], second["pairs"], strict=True)
        ],
    }


def _the_config(config: ConfigDict) -> ConfigDict:
    """A Dask task whose result is the run's config (see ``_run_dask``)."""
    return config


def _run_chunk(config: ConfigDict, offset: int, n_paths: int) -> dict[str, Any]:
    """One Dask task: paths ``offset`` to ``offset + n_paths`` of ``config``'s run."""
    chunk = config.copy()
    chunk["first_path"] = int(config.get("first_path", 0)) + offset
    chunk["n_paths"] = n_paths
    return core.simulate_paired(chunk, None, 65_536, 0.25)


@contextmanager
def _client(client: Any) -> Iterator[Any]:
    try:
        import distributed
    except ImportError as err:
        raise ImportError("backend='dask' needs Dask: pip install 'wager[dask]'") from err
    if client is not None:
        yield client
        return
    # distributed's constructors carry no annotations. The run's own cluster
    # serves its dashboard on a free port: the default, 8787, may be taken by
    # a cluster the user already runs (distributed then warns and moves).
    cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
        processes=True, threads_per_worker=1, dashboard_address=":0"
    )
    with cluster, distributed.Client(cluster) as local:  # type: ignore[no-untyped-call]
        yield local


def _chunks(n_paths: int, chunk_paths: int, world_period: int) -> list[tuple[int, int]]:
    chunk_paths = whole_number(chunk_paths, "chunk_paths", minimum=1)
    if world_period and chunk_paths % 32:
        raise ValueError("with design rows (a world period), chunk_paths must be a multiple of 32")
    check_task_count(n_paths, chunk_paths)
    return [(lo, min(chunk_paths, n_paths - lo)) for lo in range(0, n_paths, chunk_paths)] or [
        (0, 0)
    ]


def check_task_count(n_paths: int, chunk_paths: int) -> int:
    """The Dask tasks of a run of ``n_paths`` in chunks of ``chunk_paths``:
    refused over :data:`MAX_DASK_TASKS`, with a warning over
    :data:`WARN_DASK_TASKS` (each task costs the scheduler and the client
    its own bookkeeping, and a finished task holds its statistics, a few
    MB, until the client merges it)."""
    tasks = max(1, -(-n_paths // chunk_paths))
    if tasks > MAX_DASK_TASKS:
        raise ValueError(
            f"chunk_paths={chunk_paths:,} makes {tasks:,} Dask tasks for {n_paths:,} paths, "
            f"over the limit of {MAX_DASK_TASKS:,}: give a larger chunk_paths "
            f"(at least {-(-n_paths // MAX_DASK_TASKS):,}), or None for the default"
        )
    if tasks > WARN_DASK_TASKS:
        warnings.warn(
            f"chunk_paths={chunk_paths:,} makes {tasks:,} Dask tasks for {n_paths:,} paths: "
            "time and memory grow with the number of tasks; a larger chunk_paths "
            f"(at least {-(-n_paths // WARN_DASK_TASKS):,}) gives the same results",
            RuntimeWarning,
            stacklevel=7,  # ... <- _run_dask <- run <- run_cells <- the analysis <- its caller
        )
    return tasks


def run(
    config: ConfigDict,
    *,
    progress: ProgressArg = False,
    what: str = "run",
    batch_paths: int | None = None,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> dict[str, Any]:
    """Run one core config; ``{"strategies": [...], "pairs": [...]}``.

    Parameters
    ----------
    config
        From :func:`wager.compile.run_config.simulation_config` (plus
        ``pairs``); its ``n_threads`` is the threads of each local run or
        each Dask task.
    progress, what
        As for :func:`wager.simulate` (None: a bar, labelled ``what``, on an
        interactive terminal for long runs; False, the default here:
        nothing). On Dask progress is reported after each chunk.
    batch_paths
        Local runs: as for :func:`wager.simulate`.
    backend
        ``local`` or ``dask``.
    client
        A ``distributed.Client``; None starts a local cluster for the run.
    chunk_paths
        Paths per Dask task (default 262,144, or fewer so that there are at
        least two tasks per worker). The results do not depend on it. More
        than :data:`WARN_DASK_TASKS` (10,000) tasks warn; more than
        :data:`MAX_DASK_TASKS` (1,000,000) are refused before any is sent.
    """
    if backend not in ("local", "dask"):
        raise ValueError(f"backend must be 'local' or 'dask', got {backend!r}")
    if batch_paths is not None:
        batch_paths = whole_number(batch_paths, "batch_paths", minimum=1)
    if chunk_paths is not None:
        chunk_paths = whole_number(chunk_paths, "chunk_paths", minimum=1)
    expected = _expected_seconds(config, backend)
    with progress_callback(progress, int(config["n_paths"]), what, expected) as callback:
        if backend == "local":
            if batch_paths is None:
                return core.simulate_paired(config, callback, 65_536, grow_below_seconds=0.25)
            return core.simulate_paired(config, callback, batch_paths)
        return _run_dask(config, callback, client, chunk_paths)


def _expected_seconds(config: ConfigDict, backend: str) -> float:
    """The call's run time as ``wager.analyses.run.estimate_run_time`` counts it."""
    steps = sum(
        int(s["model"]["n_years"]) * int(s["model"]["steps_per_year"]) for s in config["strategies"]
    )
    threads = int(config["n_threads"])
    if backend == "local":
        threads = min(threads, usable_cpus())
    return int(config["n_paths"]) * steps / (PATH_STEPS_PER_SECOND * max(threads, 1))


def _run_dask(
    config: ConfigDict,
    progress: Callable[[int, int], object] | None,
    client: Any,
    chunk_paths: int | None,
) -> dict[str, Any]:
    """The run as chunks of paths on a Dask cluster, merged in chunk order."""
    n_paths = int(config["n_paths"])
    period = int(config.get("world_period", 0))
    # Chunks given are checked (and a tiny chunk refused) before a cluster starts.
    given = None if chunk_paths is None else _chunks(n_paths, chunk_paths, period)
    with _client(client) as c:
        if given is None:
            workers = max(len(c.scheduler_info().get("workers", {})), 1)
            chunk = min(DEFAULT_CHUNK_PATHS, max(32, math.ceil(n_paths / (2 * workers) / 32) * 32))
            # A huge run takes larger chunks rather than more than WARN_DASK_TASKS tasks.
            chunk = max(chunk, math.ceil(n_paths / WARN_DASK_TASKS / 32) * 32)
            chunks = _chunks(n_paths, chunk, period)
        else:
            chunks = given
        # The config travels once, as plain data; every task rebuilds the
        # core's objects from it on its worker. It is a task of its own, not
        # scattered: scattered data is lost with the worker that holds it
        # and the tasks that need it are cancelled (dask/distributed#3149),
        # where a task's result is recomputed, so a killed worker's chunks
        # rerun elsewhere.
        shared = c.submit(_the_config, config, pure=False)
        futures = [c.submit(_run_chunk, shared, lo, n, pure=False) for lo, n in chunks]
        merged: dict[str, Any] | None = None
        done = 0
        try:
            for (_, n), future in zip(chunks, futures, strict=True):
                part = future.result()
                future.release()
                merged = part if merged is None else merge_results(merged, part)
                done += n
                if progress is not None:
                    progress(done, n_paths)
        except BaseException:
            c.cancel(futures)
            raise
    assert merged is not None
    return merged
