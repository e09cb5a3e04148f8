"""The presets' simulation rate as shipped and at their medians, 1 and 2 threads.

Run: ``python benchmarks/preset_rates.py [PATHS]`` (default 300,000). Three
rounds alternate the cases so that the machine's drift falls on all of
them; prints the best round of each, in M path-steps per second
(2025-2035, 44 quarterly steps). A quick reading beside
``test_benchmark_simulation.py``, whose table adds the NumPy reference.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

from workloads import work

import wager


def main(n_paths: int) -> None:
    """Times every case three times, alternating, and prints the best of each."""
    presets, kinds = ("compute_first", "profitability"), ("as_shipped", "at_median")
    cases = [(p, k) for p in presets for k in kinds]
    best: dict[tuple[str, str, int], float] = {}
    for _ in range(3):
        for preset, kind in cases:
            scenario, stress = work(preset, kind)
            for threads in (1, 2):
                start = time.perf_counter()
                wager.simulate(
                    scenario,
                    n_paths=n_paths,
                    seed=1,
                    n_threads=threads,
                    progress=False,
                    stress=stress,
                )
                seconds = time.perf_counter() - start
                key = (preset, kind, threads)
                best[key] = min(best.get(key, float("inf")), seconds)
    print("load average", os.getloadavg())
    steps = n_paths * 44
    for (preset, kind, threads), seconds in sorted(best.items()):
        rate = steps / seconds / 1e6
        print(f"{preset:14s} {kind:11s} {threads} thread(s): {seconds:.3f} s, {rate:.2f} M/s")


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # the presets' default-input notices
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
