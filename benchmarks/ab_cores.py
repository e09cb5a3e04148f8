"""Two builds of the package on the same work, alternated: which is faster.

Run: ``python benchmarks/ab_cores.py ROOT_A ROOT_B [PRESET] [KIND] [PATHS] [ROUNDS]``
(defaults ``compute_first as_shipped 100000 3``). ROOT_A and ROOT_B are
folders that each hold a ``wager`` package with its compiled core (a copy of
``python/`` with a core built from another commit, say). Each round runs one
fresh process per root, alternating, and each process times two calls of
``wager.simulate`` on one thread (``benchmarks/workloads.py``'s work); the
best call per root over all rounds is printed, in seconds and M
path-steps/s (2025-2035, 44 quarterly steps). Alternating rounds spread the
machine's drift over both builds.
"""

from __future__ import annotations

import os
import subprocess
import sys

_TIMED = r"""
import sys, time, warnings
sys.path.insert(0, sys.argv[4])
warnings.simplefilter("ignore")
from workloads import work
import wager
scenario, stress = work(sys.argv[1], sys.argv[2])
n = int(sys.argv[3])
wager.simulate(scenario, n_paths=1000, seed=1, n_threads=1, progress=False, stress=stress)
best = float("inf")
for _ in range(2):
    t0 = time.perf_counter()
    wager.simulate(scenario, n_paths=n, seed=1, n_threads=1, progress=False, stress=stress)
    best = min(best, time.perf_counter() - t0)
print(best)
"""


def best_seconds(
    roots: dict[str, str], preset: str, kind: str, n_paths: int, rounds: int
) -> dict[str, float]:
    """The best call of each root over ``rounds`` alternating rounds."""
    here = os.path.dirname(os.path.abspath(__file__))
    best = dict.fromkeys(roots, float("inf"))
    for _ in range(rounds):
        for name, root in roots.items():
            env = dict(os.environ, PYTHONPATH=root)
            out = subprocess.run(
                [sys.executable, "-c", _TIMED, preset, kind, str(n_paths), here],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            best[name] = min(best[name], float(out.stdout.strip().splitlines()[-1]))
    return best


def main(argv: list[str]) -> None:
    """Prints each root's best time and rate, and B's gain over A."""
    root_a, root_b = argv[0], argv[1]
    preset = argv[2] if len(argv) > 2 else "compute_first"
    kind = argv[3] if len(argv) > 3 else "as_shipped"
    n_paths = int(argv[4]) if len(argv) > 4 else 100_000
    rounds = int(argv[5]) if len(argv) > 5 else 3
    best = best_seconds({"A": root_a, "B": root_b}, preset, kind, n_paths, rounds)
    for name, root in (("A", root_a), ("B", root_b)):
        rate = n_paths * 44 / best[name] / 1e6
        print(f"{name} {root}: {best[name]:.3f} s, {rate:.2f} M path-steps/s")
    gain = 100 * (best["A"] / best["B"] - 1)
    print(f"{preset} {kind}, {n_paths:,} paths, {rounds} rounds: B is {gain:+.1f}% faster")


if __name__ == "__main__":
    main(sys.argv[1:])
