"""The library's stresses on the two presets: one grid, common random numbers.

Run: ``python examples/stress_presets.py`` (100,000 paths per cell, seed 7,
all cores). Prints one Markdown table per stress: the figures quoted in
docs/stress.md.
"""

from __future__ import annotations

import math

import wager

N_PATHS, SEED = 100_000, 7


def _year(y: float) -> str:
    return "none" if math.isnan(y) else str(int(y))


def _share(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.1%}"


def main() -> None:
    presets = [wager.presets.load("profitability"), wager.presets.load("compute_first")]
    grid = wager.stress(
        presets, wager.stresses.one_bet_names(), n_paths=N_PATHS, seed=SEED, progress=False
    )
    t = grid.table.xs(1.0, level="severity")
    for name in wager.stresses.one_bet_names():
        print(f"## {name}\n")
        print(
            "| preset | P(distress by 2035), 95% interval | change vs baseline | "
            "P(reorganised) | P(liquidated) | claims paid | "
            "mean terminal equity value (se) | "
            "projection: distress, first profit, terminal equity |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for sc in presets:
            r, b = t.loc[(sc.name, name)], t.loc[(sc.name, "baseline")]
            change = r["p_distress"] - b["p_distress"]
            print(
                f"| `{sc.name}` | {r['p_distress']:.3f} [{r['p_distress_low']:.3f}, "
                f"{r['p_distress_high']:.3f}] | {change:+.3f} | "
                f"{r['p_reorganised']:.3f} | {r['p_liquidated']:.4f} | "
                f"{_share(r['recovery_rate'])} | "
                f"{r['terminal_equity_value_mean']:,.0f} ({r['terminal_equity_value_se']:,.0f}) | "
                f"{_year(r['det_distress_year'])}, {_year(r['det_first_profit_year'])}, "
                f"{r['det_terminal_equity_value']:,.0f} |"
            )
        print()


if __name__ == "__main__":
    main()
