"""The figure in the README: survival of the two presets under the AI bubble
burst, on the same 100,000 paths (seed 7).

Run: ``python examples/readme_figure.py`` (writes docs/images/survival_ai_bubble_burst.png).
"""

from __future__ import annotations

from pathlib import Path

import wager

OUT = Path(__file__).resolve().parents[1] / "docs" / "images" / "survival_ai_bubble_burst.png"


def main() -> None:
    a, b = wager.presets.load("profitability"), wager.presets.load("compute_first")
    c = wager.compare(
        a, b, n_paths=100_000, seed=7, stresses=["baseline", "ai_bubble_burst"], progress=False
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    c.plot.survival(stress="ai_bubble_burst").savefig(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
