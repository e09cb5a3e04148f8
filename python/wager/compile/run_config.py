"""The config dict of one core run: its cells (prepared strategies), the
shared world, the paths and threads, the histogram bins and the pairs whose
path-by-path differences the core accumulates."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from wager.compile.memory import check_fits, run_bytes
from wager.compile.prepared import PreparedStrategy
from wager.compile.world import world_dict
from wager.kernel import core
from wager.kernel.contract import MAX_PATHS, MAX_THREADS, SEED_LIMIT, ConfigDict, whole_number
from wager.kernel.layout import HistogramSpec

__all__ = ["simulation_config"]


def simulation_config(
    strategies: Sequence[PreparedStrategy],
    *,
    n_paths: int,
    seed: int,
    n_threads: int | None,
    keep_paths: bool,
    first_path: int = 0,
    chunk_paths: int = 256,
    histogram: HistogramSpec | None = None,
    world_period: int = 0,
    pairs: Sequence[tuple[int, int]] = (),
) -> ConfigDict:
    """The config dict of one ``wager._core`` simulation call."""
    histogram = histogram or HistogramSpec()
    # Whole numbers in range, the same checks as the analyses' RunOptions
    # (kernel.contract.whole_number): a bool or 1.5 never reaches the core.
    seed = whole_number(seed, "seed", minimum=0, maximum=SEED_LIMIT - 1)
    n_paths = whole_number(n_paths, "n_paths", minimum=0, maximum=MAX_PATHS)
    first_path = whole_number(first_path, "first_path", minimum=0, maximum=MAX_PATHS)
    if n_threads is not None:
        n_threads = whole_number(n_threads, "n_threads", minimum=1, maximum=MAX_THREADS)
    threads = n_threads if n_threads is not None else core.max_threads()
    if not core.has_openmp() and n_threads not in (None, 1):
        warnings.warn(
            f"this build of wager has no OpenMP: n_threads={n_threads} is ignored (one thread)",
            RuntimeWarning,
            stacklevel=4,  # simulation_config <- run_cells <- the analysis <- its caller
        )
        threads = 1
    if strategies:
        years = strategies[0].scenario.time.n_years
        needed = run_bytes(
            n_strategies=len(strategies),
            n_pairs=len(pairs),
            n_years=years,
            n_paths=n_paths,
            n_threads=threads,
            n_bins=histogram.n_bins,
            keep_paths=keep_paths,
        )
        check_fits(needed, f"a run of {n_paths:,} paths x {len(strategies)} strategies")
    return {
        "strategies": [s.core_dict() for s in strategies],
        "world": world_dict([s.scenario for s in strategies]),
        "seed": int(seed),
        "n_paths": int(n_paths),
        "first_path": int(first_path),
        "n_threads": int(threads),
        "chunk_paths": int(chunk_paths),
        "keep_paths": bool(keep_paths),
        "histogram": histogram.core_dict(),
        "world_period": int(world_period),
        "pairs": [(int(a), int(b)) for a, b in pairs],
    }
