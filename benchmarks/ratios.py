"""Kernel/NumPy ratios from one run of the simulation benchmark.

``python -m pytest benchmarks/test_benchmark_simulation.py --benchmark-only
--benchmark-json=out.json`` then ``python benchmarks/ratios.py out.json``:
one markdown row per (preset, work) with the fastest round's rate of each
engine (M path-steps/s) and the ratios of the kernel's rate, on 1 and on 2
threads, to NumPy's on one core, and of the kernel's (1 thread) to NumPy's
per second of CPU time of the process (less sensitive to other work on the
machine than wall time). Ratios come from the one run, whose tests
ran minutes apart on a machine that may drift: the 1-minute load average
at each test is shown.
"""

from __future__ import annotations

import json
import sys
from typing import Any

ENGINES = ("kernel_1", "kernel_2", "numpy_Philox", "numpy_SFC64")


def rows(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, dict[str, float]]]:
    """(preset, work) -> engine -> extra_info, for the tests that record them."""
    out: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    for bench in report["benchmarks"]:
        info = bench.get("extra_info", {})
        if "engine" not in info or "path_steps_per_second" not in info:
            continue
        engine = info["engine"]
        if engine == "kernel":
            engine = f"kernel_{info['cores']}"
        out.setdefault((info["preset"], info["work"]), {})[engine] = info
    return out


def table(report: dict[str, Any]) -> str:
    lines = [
        "| preset | work | paths | kernel 1 thread | kernel 2 threads | NumPy Philox "
        "| NumPy SFC64 | kernel 1 thread / NumPy Philox (SFC64) | kernel 2 threads / NumPy "
        "Philox (SFC64) | per CPU-second: kernel 1 thread / NumPy Philox | load (1 min) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (preset, work), by in rows(report).items():
        rate = {e: by[e]["path_steps_per_second"] / 1e6 for e in ENGINES if e in by}

        def ratio(k: str, rate: dict[str, float] = rate) -> str:
            if k not in rate or "numpy_Philox" not in rate or "numpy_SFC64" not in rate:
                return "-"
            return f"{rate[k] / rate['numpy_Philox']:.2f}x ({rate[k] / rate['numpy_SFC64']:.2f}x)"

        cells = [f"{rate[e]:.2f}" if e in rate else "-" for e in ENGINES]
        n = next(iter(by.values()))["n_paths"]
        cpu = "-"
        if "kernel_1" in by and "numpy_Philox" in by:
            k, p = (by[e]["path_steps_per_cpu_second"] for e in ("kernel_1", "numpy_Philox"))
            cpu = f"{k / p:.2f}x"
        load = "/".join(f"{by[e]['load_average_1min']:.1f}" for e in ENGINES if e in by)
        lines.append(
            f"| {preset} | {work} | {n:,} | {' | '.join(cells)} | {ratio('kernel_1')} "
            f"| {ratio('kernel_2')} | {cpu} | {load} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(table(json.load(f)))
