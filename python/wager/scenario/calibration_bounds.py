"""The presets' market cycle as the evidence gives it (``docs/calibration.md``):
the cited figures, the arithmetic that turns them into the yearly transition
matrix, and the bounds the evidence allows for each calibration input.

One source for the presets' comments, ``docs/calibration.md``, its tests and
the calibration spread of a comparison (``wager.compare(...,
calibration_spread=True)``): the presets' matrix is :func:`yearly_matrix` at
the bounds' central point, and each bound's low and high are computed here
from the figures of ``../shared/calibration.md`` they cite.

The regime chain is a continuous-time chain observed once a year: each
regime is left at a rate per year, the rates make a generator ``Q`` and the
yearly matrix is ``P = e^Q`` (``docs/calibration.md``, "The transition
matrix", Steps 1-6), so that the model's per-step root keeps the mean
spells whatever the step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import expm

__all__ = [
    "BOUNDS",
    "EPISODE_SETS",
    "REGIMES",
    "Bound",
    "EpisodeSet",
    "bound",
    "generator",
    "stationary",
    "transition_table",
    "yearly_matrix",
]

#: The regimes of the presets' chain, in the order of the matrices' rows and columns.
REGIMES = ("boom", "normal", "bust")

# -- the cited figures ------------------------------------------------------
# ../shared/calibration.md, "Market cycles" / tech equity bear markets
# (Reuters factbox, 2018-12-21): Nasdaq bear markets, Feb 1971 - Dec 2018.
#: Years of the history counted (Feb 1971 - Dec 2018; Step 1).
HISTORY_YEARS = 47.9
#: Nasdaq bear markets (a fall of 20% or more) in it.
BEAR_MARKETS = 10
#: Those that lost more than half: the deep busts the ``bust`` regime stands for.
DEEP_BUSTS = 3
#: The share of trading days spent in bear territory.
SHARE_OF_DAYS_IN_BEAR = 0.20
#: The mean bear market's length, trading days.
MEAN_BEAR_TRADING_DAYS = 248
#: Same section / the deepest tech bust: Nasdaq -77.9% over 674 trading days.
BUST_2000_TRADING_DAYS = 674
BUST_2000_FALL = 0.779
TRADING_DAYS_A_YEAR = 252
#: Same section / the 2000-02 and 2022-23 droughts "lasting about two
#: years": the presets' mean bust (Step 2).
BUST_YEARS = 2.0
#: The deep busts "lost more than half": the mildest of them keeps half.
DEEP_BUST_FALL = 0.50
#: A company seeking a round in normal times closes one within the year.
NORMAL_RAISE_SUCCESS = 0.9999
#: Same section / the venture funding droughts: 2001-02 (about half) and
#: 2022-23 (462 -> 285, -38%).
DROUGHT_2002_FALL = 0.50
DROUGHT_2023_FALL = 0.38
#: The presets' bust: wager 0.1's 0.2 a quarter made yearly, 1 - 0.8**4.
PRESETS_BUST_RAISE_SUCCESS = 0.5904
# Assumptions (Step 4): the calibration file counts no booms.
BOOM_ENTRY = 0.15
BOOM_YEARS = 3.0


def generator(
    bust_entry: float,
    bust_years: float,
    boom_entry: float = BOOM_ENTRY,
    boom_years: float = BOOM_YEARS,
) -> np.ndarray:
    """The chain's rates per year, rows and columns boom, normal, bust (Step 5).

    A bust comes at ``bust_entry`` a year from ``normal`` and from ``boom``
    alike and is left, to ``normal`` only, at ``1 / bust_years``; a boom
    comes from ``normal`` at ``boom_entry`` and is left at ``1 / boom_years``
    (``bust_entry`` of it to a bust, the rest to ``normal``).
    """
    return np.array(
        [
            [-1 / boom_years, 1 / boom_years - bust_entry, bust_entry],
            [boom_entry, -(boom_entry + bust_entry), bust_entry],
            [0.0, 1 / bust_years, -1 / bust_years],
        ]
    )


def yearly_matrix(
    bust_entry: float,
    bust_years: float,
    boom_entry: float = BOOM_ENTRY,
    boom_years: float = BOOM_YEARS,
) -> np.ndarray:
    """``e^Q`` of :func:`generator` to 3 decimals, each diagonal entry 1 - the
    rest of its row (Step 6): the matrix a scenario's ``market.transition`` holds."""
    p = np.round(expm(generator(bust_entry, bust_years, boom_entry, boom_years)), 3)
    for i in range(len(REGIMES)):
        p[i, i] = round(1.0 - (p[i].sum() - p[i, i]), 3)
    return p


def transition_table(matrix: np.ndarray) -> dict[str, dict[str, float]]:
    """A matrix of :func:`yearly_matrix` as ``market.transition`` writes it."""
    return {
        a: {b: float(matrix[i, j]) for j, b in enumerate(REGIMES)} for i, a in enumerate(REGIMES)
    }


def stationary(matrix: np.ndarray) -> np.ndarray:
    """The long-run share of time in each regime of a yearly matrix."""
    values, vectors = np.linalg.eig(np.asarray(matrix, dtype=float).T)
    v = np.real(vectors[:, np.argmin(abs(values - 1))])
    return np.asarray(v / v.sum())


@dataclass(frozen=True)
class EpisodeSet:
    """Which episodes count as busts, and the chain they make (Steps 2-6).

    Attributes
    ----------
    name
        Short, as tables show it.
    description
        The episodes, in words.
    bust_entry
        Into a bust, per year outside one.
    bust_years
        A bust's mean length.
    arithmetic
        How the two follow from the figures.
    """

    name: str
    description: str
    bust_entry: float
    bust_years: float
    arithmetic: str

    @property
    def matrix(self) -> np.ndarray:
        """The yearly matrix, boom and the bust's rates at the presets' assumptions."""
        return yearly_matrix(self.bust_entry, self.bust_years)

    @property
    def time_in_bust(self) -> float:
        """The long-run share of time the chain spends in a bust."""
        return float(stationary(self.matrix)[REGIMES.index("bust")])


_BUST_2000_YEARS = BUST_2000_TRADING_DAYS / TRADING_DAYS_A_YEAR
_MEAN_BEAR_YEARS = MEAN_BEAR_TRADING_DAYS / TRADING_DAYS_A_YEAR

#: The episode sets at the two ends of the count and the presets' between
#: them (docs/calibration.md, "Bounds"), in that order.
EPISODE_SETS = (
    EpisodeSet(
        "2000-02 alone",
        "only the 2000-02 bust (the one fall as deep as the bust's -78%)",
        1 / (HISTORY_YEARS - _BUST_2000_YEARS),
        _BUST_2000_YEARS,
        "1 / (47.9 - 674/252) a year; 674/252 years",
    ),
    EpisodeSet(
        "3 deep busts",
        "the 3 of the Nasdaq's 10 bear markets of 1971-2018 that lost more than half (the presets)",
        DEEP_BUSTS / (HISTORY_YEARS - DEEP_BUSTS * BUST_YEARS),
        BUST_YEARS,
        "3 / (47.9 - 3 x 2.0) a year; 2.0 years (the droughts')",
    ),
    EpisodeSet(
        "every bear market",
        "every Nasdaq bear market of 1971-2018 a bust (20% of days in bear territory)",
        BEAR_MARKETS / ((1 - SHARE_OF_DAYS_IN_BEAR) * HISTORY_YEARS),
        _MEAN_BEAR_YEARS,
        "10 / (0.8 x 47.9) a year; 248/252 years",
    ),
)
_CENTRAL_EPISODES = EPISODE_SETS[1]


@dataclass(frozen=True)
class Bound:
    """What the evidence allows for one calibration input.

    Attributes
    ----------
    key
        Its name in code.
    label
        Its row in docs/calibration.md's Bounds table (the start of the row).
    low, central, high
        The evidence's low end, the presets' value, its high end.
    low_source, high_source
        The arithmetic or episode behind each end.
    source
        Where the range comes from ("assumption: ..." when nothing is cited).
    """

    key: str
    label: str
    low: float
    central: float
    high: float
    low_source: str
    high_source: str
    source: str


#: One entry per calibration input, in the order of docs/calibration.md's
#: Bounds table; ``tests/test_calibration_spread.py`` checks the two agree.
BOUNDS = (
    Bound(
        "bust_entry",
        "into a bust",
        EPISODE_SETS[0].bust_entry,
        _CENTRAL_EPISODES.bust_entry,
        EPISODE_SETS[2].bust_entry,
        "1/(47.9 - 2.67), 2000-02 alone",
        "10/(0.8 x 47.9), every bear market a bust",
        "episode counts",
    ),
    Bound(
        "bust_years",
        "bust length",
        _MEAN_BEAR_YEARS,
        BUST_YEARS,
        _BUST_2000_YEARS,
        "the mean bear market, 248/252",
        "2000-02, 674/252",
        "durations",
    ),
    Bound(
        "boom_entry",
        "into a boom",
        BOOM_ENTRY / 2,
        BOOM_ENTRY,
        BOOM_ENTRY * 2,
        "half the presets'",
        "twice the presets'",
        "assumption: half and twice",
    ),
    Bound(
        "boom_years",
        "boom length",
        BOOM_YEARS / 2,
        BOOM_YEARS,
        BOOM_YEARS * 2,
        "half the presets'",
        "twice the presets'",
        "assumption: half and twice",
    ),
    Bound(
        "bust_multiple",
        "bust multiple",
        round(1 - BUST_2000_FALL, 2),
        round(1 - BUST_2000_FALL, 2),
        1 - DEEP_BUST_FALL,
        "-78%, 2000-02",
        "the three deep busts lost more than half",
        "depths",
    ),
    Bound(
        "bust_raise_success",
        "bust yearly chance of a round",
        round(NORMAL_RAISE_SUCCESS * (1 - DROUGHT_2002_FALL), 2),
        PRESETS_BUST_RAISE_SUCCESS,
        round(NORMAL_RAISE_SUCCESS * (1 - DROUGHT_2023_FALL), 2),
        "funding -50%, 2002",
        "funding -38%, 2023",
        "droughts",
    ),
)


def bound(key: str) -> Bound:
    """The entry of :data:`BOUNDS` named ``key``."""
    for b in BOUNDS:
        if b.key == key:
            return b
    raise KeyError(f"no calibration bound {key!r}; known: {[b.key for b in BOUNDS]}")
