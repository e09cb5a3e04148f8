"""Each preset under each library stress (and the triggered freeze of the
``bust_freeze`` work): seconds and M path-steps per second of ``wager.simulate``.

Run: ``python benchmarks/stress_rates.py [PATHS] [ROUNDS]`` (defaults 50,000
and 2). One thread, 2025-2035 in quarterly steps, seed 1; prints the best
round of each case as a Markdown table. To compare two builds of the core,
run it once with each installed, alternating, and put the two tables side
by side (docs/performance.md, tenth session).
"""

from __future__ import annotations

import sys
import time
import warnings

from workloads import work

import wager

STEPS = 44


def main(n_paths: int, rounds: int) -> None:
    """Times every case ``rounds`` times and prints the best of each."""
    warnings.simplefilter("ignore")  # the presets' default-input warnings
    freeze = work("compute_first", "bust_freeze")[1]
    cases: list[tuple[str, str, object]] = []
    for preset in ("compute_first", "profitability"):
        cases.append((preset, "none", None))
        cases += [(preset, name, name) for name in sorted(wager.stresses.names())]
        cases.append((preset, "bust_freeze", freeze))
    best: dict[tuple[str, str], float] = {}
    for _ in range(rounds):
        for preset, label, stress in cases:
            scenario = wager.presets.load(preset)
            start = time.perf_counter()
            wager.simulate(
                scenario, n_paths=n_paths, seed=1, n_threads=1, progress=False, stress=stress
            )
            seconds = time.perf_counter() - start
            key = (preset, label)
            best[key] = min(best.get(key, seconds), seconds)
    print("| preset | stress | seconds | M path-steps/s |")
    print("| --- | --- | ---: | ---: |")
    for (preset, label), seconds in best.items():
        rate = n_paths * STEPS / seconds / 1e6
        print(f"| `{preset}` | {label} | {seconds:.2f} | {rate:.1f} |")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 50_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 2,
    )
