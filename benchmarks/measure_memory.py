"""Peak memory of wager.simulate against the number of paths.

Run: ``python benchmarks/measure_memory.py``. Each measurement runs in a
fresh process and reads its peak resident set size (``ru_maxrss``); the
figures go to docs/performance.md. Not a test: memory depends on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import json, resource, sys, wager
n, keep = int(sys.argv[1]), sys.argv[2] == "keep"
sc = wager.presets.load("compute_first")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if n:
    wager.simulate(sc, n_paths=n, seed=1, n_threads=2, keep_paths=keep, progress=False)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
row = {"paths": n, "keep_paths": keep, "peak_mib": peak / 1024, "before_mib": base / 1024}
print(json.dumps(row))
"""


def measure(n: int, keep: bool) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), "keep" if keep else "stats"],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    rows = [measure(n, keep) for keep in (False, True) for n in (0, 10_000, 100_000, 1_000_000)]
    print(f"{'paths':>10} {'keep_paths':>10} {'peak MiB':>10}")
    for r in rows:
        print(f"{r['paths']:>10,} {r['keep_paths']!s:>10} {r['peak_mib']:>10.1f}")
    for keep in (False, True):
        sel = {r["paths"]: r["peak_mib"] for r in rows if r["keep_paths"] == keep}
        per_path = (sel[1_000_000] - sel[10_000]) * 2**20 / 990_000
        print(f"keep_paths={keep}: {per_path:.0f} bytes per path (1e4 -> 1e6 paths)")


if __name__ == "__main__":
    main()
