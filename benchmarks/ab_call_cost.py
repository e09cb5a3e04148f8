"""Two builds of the package on short calls, alternated: which call costs less.

Run: ``python benchmarks/ab_call_cost.py ROOT_A ROOT_B [ROUNDS]`` (default 3
rounds). ROOT_A and ROOT_B are as in ``benchmarks/ab_cores.py``: folders
that each hold a ``wager`` package with its compiled core. Each round runs
one fresh process per root, alternating, in reversed order every other
round; each process times
``wager.simulate`` of ``compute_first`` as shipped end to end with 1, 1,000
and 10,000 paths, and the core call alone (``_core.simulate_paired``) with
0 paths (its set-up), on 1 and 2 threads: the fastest of 30 calls (10 of
10,000 paths). The fastest per root over all rounds is printed in ms.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

_TIMED = r"""
import json, sys, time, warnings
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")
import wager
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel import core
sc = wager.presets.load("compute_first")
strategy = prepare_strategy(sc)
out = {}
for threads in (1, 2):
    config = simulation_config([strategy], n_paths=0, seed=1, n_threads=threads, keep_paths=False)
    best = float("inf")
    for _ in range(30):
        t0 = time.perf_counter()
        core.simulate_paired(config, None, 65_536)
        best = min(best, time.perf_counter() - t0)
    out[f"core set-up (0 paths), {threads} thread(s)"] = best
    for n in (1, 1_000, 10_000):
        best = float("inf")
        for _ in range(30 if n <= 1_000 else 10):
            t0 = time.perf_counter()
            wager.simulate(sc, n_paths=n, seed=1, n_threads=threads, progress=False)
            best = min(best, time.perf_counter() - t0)
        out[f"wager.simulate, {n:,} paths, {threads} thread(s)"] = best
print(json.dumps(out))
"""


def best_seconds(roots: dict[str, str], rounds: int) -> dict[str, dict[str, float]]:
    """The fastest call of each kind and root over ``rounds`` alternating rounds."""
    best: dict[str, dict[str, float]] = {name: {} for name in roots}
    names = list(roots)
    for r in range(rounds):
        # Each round reverses the order, so neither build always runs first.
        for name in names if r % 2 == 0 else names[::-1]:
            root = roots[name]
            env = dict(os.environ, PYTHONPATH=root)
            out = subprocess.run(
                [sys.executable, "-c", _TIMED, root],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            for kind, seconds in json.loads(out.stdout.strip().splitlines()[-1]).items():
                best[name][kind] = min(best[name].get(kind, float("inf")), seconds)
    return best


def main(argv: list[str]) -> None:
    """Prints each kind of call's fastest time for A and B."""
    root_a, root_b = argv[0], argv[1]
    rounds = int(argv[2]) if len(argv) > 2 else 3
    best = best_seconds({"A": root_a, "B": root_b}, rounds)
    print(f"A {root_a}\nB {root_b}\n{rounds} rounds, fastest call (ms):")
    for kind in best["A"]:
        print(f"{kind:45s} A {1e3 * best['A'][kind]:8.2f}  B {1e3 * best['B'][kind]:8.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
