"""How much memory a run needs, and how much this process may still use:
a run that would not fit is refused before anything is allocated, saying
how much it needs."""

from __future__ import annotations

import resource
from pathlib import Path

from wager.kernel.layout import KEPT_VARIABLES, OUTCOMES, STAT_VARIABLES

__all__ = ["RunTooLargeError", "available_bytes", "check_fits", "run_bytes"]

#: Series with statistics per strategy: the variables x years, then the outcomes.
_OUTCOMES = len(OUTCOMES)
_KEPT_VARIABLES = len(KEPT_VARIABLES)
#: Below this a run is not checked: reading what is available costs more
#: than such a call's work, and any machine that runs Python has it.
SMALL_RUN_BYTES = 32 * 2**20


def run_bytes(
    *,
    n_strategies: int,
    n_pairs: int,
    n_years: int,
    n_paths: int,
    n_threads: int,
    n_bins: int,
    keep_paths: bool,
) -> int:
    """Bytes a core call allocates, to within its small fixed parts.

    Per strategy and per pair: merged statistics (64-bit counts, 128-bit
    sums) once, and 32-bit partial counts per thread; with ``keep_paths``,
    8 per-year float64 values, 4 outcomes and 2 int32 event years per path
    and strategy, in the core and once more in the result's frames.
    """
    series = len(STAT_VARIABLES) * n_years + _OUTCOMES
    merged = series * (n_bins * 8 + 2 * 16 + 8)
    partial = series * (n_bins * 4 + 2 * 16 + 8)
    stats = (n_strategies + n_pairs) * (merged + n_threads * partial)
    kept = 0
    if keep_paths:
        per_path = n_years * _KEPT_VARIABLES * 8 + _OUTCOMES * 8 + 2 * 4
        kept = 2 * n_strategies * n_paths * per_path
    return stats + kept


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _address_space_left() -> int | None:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmSize:"):
                return soft - int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return soft


def available_bytes() -> int | None:
    """What this process may still allocate: the smaller of the machine's
    available memory and what its address-space limit leaves; None if
    unknown."""
    found = [v for v in (_meminfo_available(), _address_space_left()) if v is not None]
    return min(found) if found else None


class RunTooLargeError(MemoryError):
    """A run refused before it allocates anything: it would not fit.

    Attributes
    ----------
    what
        The run (``a run of 1,000 paths x 2 strategies``).
    needed, available
        Bytes it would need, and bytes this process may still allocate.
    """

    def __init__(self, what: str, needed: int, available: int) -> None:
        self.what, self.needed, self.available = what, needed, available
        super().__init__(
            f"{what} would need about {needed / 2**30:.2f} GiB and "
            f"{max(available, 0) / 2**30:.2f} GiB is available: use fewer paths, "
            "keep_paths=False, fewer threads, or the Dask backend"
        )


def check_fits(needed: int, what: str) -> None:
    """Raise :class:`RunTooLargeError` (a MemoryError), saying how much is
    needed, if ``needed`` bytes do not fit (a run under ``SMALL_RUN_BYTES``
    is not checked)."""
    if needed < SMALL_RUN_BYTES:
        return
    left = available_bytes()
    if left is not None and needed > left:
        raise RunTooLargeError(what, needed, left)
