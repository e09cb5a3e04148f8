"""The compute race at its defaults and over one parameter at a time.

Run: ``python examples/race_sweeps.py`` (20,000 paths, seed 7). Prints the
payoff matrix and the sweeps quoted in docs/model.md, section 26.
"""

from __future__ import annotations

import pandas as pd

import wager

N_PATHS, SEED = 20_000, 7
SWEEPS = {
    "share_sensitivity": [0.0, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0],
    "aggression": [1.25, 1.5, 2.0, 3.0, 5.0],
    "funding": [0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.75, 1.0],
    "bust": [0.5, 1.0, 2.0, 4.0, 8.0],
}


def main() -> None:
    pd.set_option("display.width", 200)
    for payoff in ("terminal_equity_value", "survival"):
        r = wager.race(n_paths=N_PATHS, seed=SEED, payoff=payoff)
        print(f"payoff {payoff}: equilibria {r.equilibria}, dilemma {r.dilemma}")
    r = wager.race(n_paths=N_PATHS, seed=SEED)
    cols = ["terminal_equity_value_a", "survival_a", "terminal_equity_value_b", "survival_b"]
    print(r.matrix[cols].round(3).to_string())
    for name, values in SWEEPS.items():
        table = wager.race_sweep(name, values, n_paths=N_PATHS, seed=SEED)
        print(f"\n{name}\n")
        print(
            table[["equilibria", "dilemma", "survival_b aggressive/aggressive"]]
            .round(3)
            .to_string()
        )


if __name__ == "__main__":
    main()
