"""The four kinds of work the simulation benchmark and the NumPy reference share.

- ``as_shipped``: a preset file as it is: its uncertain inputs (issue 16), its
  segments' own deviations, the regime chain and the raise draws;
- ``at_median``: the preset with every distribution at its median (the value a
  projection uses); what stays random is the regime chain, the raise draws and
  the segments' own deviations (a volatility is a number, not a distribution);
- ``all_on``: the preset with every source of randomness on (demand factor
  volatility 0.25, segment volatility 0.2, persistence 0.8);
- ``ten_inputs``: ``scenarios/compute_first_ten_inputs.toml``, ``compute_first``
  with 13 uncertain inputs of six families and a correlation block
  (benchmark settings, not calibrated);
- ``bust_freeze``: ``compute_first`` as shipped under :data:`BUST_FREEZE`, a
  funding freeze that starts on each path when it first enters ``bust``.

The last two exist for ``compute_first`` only.
"""

from __future__ import annotations

from pathlib import Path

from numpy_model import preset_scenario

import wager
from wager.compile.uncertainty import central_scenario

SCENARIOS = Path(__file__).parent / "scenarios"
TEN_INPUTS = SCENARIOS / "compute_first_ten_inputs.toml"

#: No equity for two years from a path's first step in ``bust`` (the funding
#: freeze of docs/scenarios.md, triggered from the first year).
BUST_FREEZE = wager.Stress.model_validate(
    {
        "name": "bust_freeze",
        "title": "No equity for two years once the market busts",
        "shocks": [
            {
                "target": "market.regimes.*.raise_success",
                "op": "set",
                "value": 0.0,
                "trigger": {"regime": "bust"},
                "duration": 2,
            }
        ],
    }
)

WORKS = ("as_shipped", "at_median", "all_on", "ten_inputs", "bust_freeze")
#: (preset, work) pairs the benchmarks run.
CASES = (
    *(
        (name, w)
        for name in ("profitability", "compute_first")
        for w in ("all_on", "as_shipped", "at_median")
    ),
    ("compute_first", "ten_inputs"),
    ("compute_first", "bust_freeze"),
)


def work(name: str, kind: str) -> tuple[wager.Scenario, wager.Stress | None]:
    """The scenario and stress of one kind of work on a preset."""
    if kind == "all_on":
        return preset_scenario(name), None
    if kind == "as_shipped":
        return wager.presets.load(name), None
    if kind == "at_median":
        return central_scenario(wager.presets.load(name)), None
    if name != "compute_first":
        raise ValueError(f"{kind} is defined for compute_first only")
    if kind == "ten_inputs":
        return wager.load_scenario(TEN_INPUTS), None
    if kind == "bust_freeze":
        return wager.presets.load(name), BUST_FREEZE
    raise ValueError(f"unknown work {kind!r}; known: {', '.join(WORKS)}")
