"""``wager.exposure``: who carries the risk of one bet, or of two in one world.

Each bet's suppliers' exposure per year and their loss at its distress
(``docs/model.md`` §28, decoded by :mod:`wager.analyses.exposure`), read
together: a concentration table (each counterparty's share of the total
expected loss, per bet and for both), each figure as a share of the
counterparty's size where the scenario gives it (``counterparties.<name>``),
and, for two bets, how often both fall into distress on the same path. Two
bets run as :func:`wager.compare` runs them: in one core call, on the same
paths of the same world, so the joint figures are paired path by path.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wager import presets
from wager.analyses import defaults
from wager.analyses.circular import COUNTERPARTY_COLUMNS, counterparty_legs
from wager.analyses.comparison import Comparison, compare
from wager.analyses.exposure import EXPECTED_LOSS_COLUMNS, EXPOSURE_COLUMNS, supplier_names
from wager.analyses.investors import INVESTOR_COLUMNS
from wager.analyses.joint_loss import (
    COMBINED_LOSS_COLUMNS,
    JOINT_LOSS_COLUMNS,
    combined_loss_table,
    joint_loss_table,
)
from wager.analyses.run import documents_run_options
from wager.analyses.simulation import Simulation, simulate
from wager.compile.shocks import StressArg, stress_label
from wager.kernel.execution import Backend
from wager.kernel.progress import ProgressArg
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Presentable
from wager.scenario.loader import as_scenario, load_scenario
from wager.scenario.schema import Scenario

__all__ = [
    "COMBINED",
    "ExposureResult",
    "StrategyArg",
    "exposure",
    "exposure_frame",
    "size_shares",
]

#: A strategy as :func:`exposure` takes it: a built-in preset's name, a
#: scenario file's path, a Scenario or a plain dict.
StrategyArg = str | os.PathLike[str] | Scenario | dict[str, Any]

#: The label of both bets together in the concentration table.
COMBINED = "combined"

#: The per-year columns read as a share of the counterparty's size.
_YEAR_SHARES = ("pfe99", "el")
#: The per-counterparty columns read as a share of the counterparty's size.
_LOSS_SHARES = ("ead", "el", "loss_q99")
#: The sizes a share is of: the scenario's field, the column's suffix.
_SIZES = (("revenue", "of_revenue"), ("equity_value", "of_equity_value"))
#: The events of :attr:`ExposureResult.joint_distress` (reference A, other B).
_JOINT_EVENTS = ("both", "A only", "B only", "neither")


def _strategy(item: StrategyArg) -> Scenario:
    """A preset's name, a path, a Scenario or a dict as a validated Scenario."""
    if isinstance(item, Scenario | dict):
        return as_scenario(item)
    if isinstance(item, str) and item in presets.names():
        return presets.load(item)
    if isinstance(item, str | os.PathLike):
        return load_scenario(Path(item))
    raise TypeError(
        "a strategy is a preset's name, a scenario file's path, a Scenario or a dict, "
        f"not {type(item).__name__}"
    )


def size_shares(frame: pd.DataFrame, scenario: Scenario, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` (a ``counterparty`` index level) with, for each of
    ``columns`` and each size, ``<column>_of_revenue`` and
    ``<column>_of_equity_value``: the value divided by the counterparty's
    size in ``scenario.counterparties`` (NaN where it gives none)."""
    out = frame.copy()
    names = out.index.get_level_values("counterparty")
    for size, suffix in _SIZES:
        per_name = {name: getattr(s, size) for name, s in scenario.counterparties.items()}
        denominator = np.array(
            [per_name.get(n) if per_name.get(n) is not None else math.nan for n in names],
            dtype=float,
        )
        for column in columns:
            out[f"{column}_{suffix}"] = out[column].to_numpy(dtype=float) / denominator
    return out


@dataclass(frozen=True, repr=False)
class ExposureResult(Exportable, Presentable):
    """The result of :func:`exposure`. Money in US$ bn; shares are fractions.

    Attributes
    ----------
    strategies
        The bets, in the order given; the first is the reference of the
        joint figures (A; the other is B).
    stress
        The stress's label.
    n_paths, seed
        As given.
    years
        Calendar years of the per-year table.
    simulations
        Each bet's full :class:`~wager.Simulation` under the stress, in the
        order of ``strategies``.
    comparison
        With two bets, the :class:`~wager.Comparison` they ran in (one
        stress); None with one.

    The tables (``exposure``, ``expected_loss``, ``lenders``,
    ``investors``, ``concentration``, ``joint_distress``,
    ``combined_loss``, ``joint_loss``, ``sizes``) are decoded when first
    read.
    ``docs/exposure.md`` defines each figure.
    """

    strategies: tuple[str, ...]
    stress: str
    n_paths: int
    seed: int
    years: tuple[int, ...]
    simulations: tuple[Simulation, ...]
    comparison: Comparison | None = None

    def __repr__(self) -> str:
        return (
            f"ExposureResult({' and '.join(self.strategies)}, stress={self.stress!r}, "
            f"n_paths={self.n_paths:,}, seed={self.seed})"
        )

    @classmethod
    def from_comparison(cls, c: Comparison, stress: str | None = None) -> ExposureResult:
        """The exposure view of a comparison of two strategies under one of
        its stresses (default: the first), from the comparison's own
        statistics: no new run.

        Raises
        ------
        ValueError
            If the comparison has more than two strategies.
        KeyError
            If ``stress`` is not one of its stresses.
        """
        if len(c.strategies) != 2:
            raise ValueError(
                f"the exposure view takes two strategies, the comparison has {len(c.strategies)}"
            )
        label = stress if stress is not None else c.stresses[0]
        if label not in c.stresses:
            raise KeyError(f"{label!r} is not one of the comparison's stresses {list(c.stresses)}")
        # The reference first: the joint counts are (reference, other).
        order = (c.reference, *(s for s in c.strategies if s != c.reference))
        return cls(
            strategies=order,
            stress=label,
            n_paths=c.n_paths,
            seed=c.seed,
            years=c.years,
            simulations=tuple(c.simulation(s, label) for s in order),
            comparison=c,
        )

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """The bets' scenarios, in the order of ``strategies``."""
        return tuple(s.scenario for s in self.simulations)

    @cached_property
    def exposure(self) -> pd.DataFrame:
        """Index (strategy, counterparty, year): each supplier's exposure at
        the year's end and the expected loss of a distress that began in
        that year (the columns of ``Simulation.exposure``: ``ee``,
        ``ee_se``, ``pfe95``, ``pfe99``, ``el``, ``el_se``,
        ``el_discounted``, ``el_discounted_se``), then ``pfe99`` and ``el``
        as a share of the counterparty's revenue and equity value
        (``pfe99_of_revenue``, ..., ``el_of_equity_value``; NaN without a
        size)."""
        parts = {
            s.scenario.name: size_shares(s.exposure, s.scenario, _YEAR_SHARES)
            for s in self.simulations
        }
        return _stacked(parts, [*EXPOSURE_COLUMNS, *_share_columns(_YEAR_SHARES)])

    @cached_property
    def expected_loss(self) -> pd.DataFrame:
        """Index (strategy, counterparty): each supplier's exposure at
        default and loss (the columns of ``Simulation.expected_loss``:
        ``ead``, ``ead_all_paths``, ``el``, ``el_se``, ``el_discounted``,
        ``el_discounted_se``, ``loss_q99``, ``bin_width``, ``paths``), then
        ``ead``, ``el`` and ``loss_q99`` as a share of the counterparty's
        revenue and equity value (``ead_of_revenue``, ...,
        ``loss_q99_of_equity_value``; NaN without a size)."""
        parts = {
            s.scenario.name: size_shares(s.expected_loss, s.scenario, _LOSS_SHARES)
            for s in self.simulations
        }
        return _stacked(parts, [*EXPECTED_LOSS_COLUMNS, *_share_columns(_LOSS_SHARES)])

    @cached_property
    def lenders(self) -> pd.DataFrame:
        """Index (strategy, kind, lender), kind ``facility`` or
        ``term_debt``: each lender's exposure at default and loss (the
        columns of ``Simulation.lender_loss``), then ``ee_peak`` and
        ``pfe99_peak``, its largest expected and 99% exposure at a year's
        end (``Simulation.lender_exposure`` has every year)."""
        parts = []
        for s in self.simulations:
            loss = s.lender_loss.copy()
            per_year = s.lender_exposure.groupby(level=["kind", "lender"], sort=False)
            loss["ee_peak"] = per_year["ee"].max().reindex(loss.index)
            loss["pfe99_peak"] = per_year["pfe99"].max().reindex(loss.index)
            parts.append(loss)
        columns = [*EXPECTED_LOSS_COLUMNS, "ee_peak", "pfe99_peak"]
        frames = [f.reindex(columns=columns) for f in parts]
        return pd.concat(frames, keys=list(self.strategies), names=["strategy"])

    @cached_property
    def investors(self) -> pd.DataFrame:
        """Index (strategy, tranche): each committed tranche's investor,
        date and amount, what it paid, its stake at the horizon after
        dilution and that stake's value, the multiple on the money paid,
        and its loss (the columns of ``Simulation.investors``)."""
        parts = {s.scenario.name: s.investors for s in self.simulations}
        frames = [f.reindex(columns=list(INVESTOR_COLUMNS)) for f in parts.values()]
        return pd.concat(frames, keys=list(parts), names=["strategy"])

    @cached_property
    def counterparties(self) -> pd.DataFrame:
        """Index (strategy, counterparty): every supplier, lender and
        investor of each bet, its expected loss in each role and in all
        (``el_supplier``, ``el_lender``, ``el_investor``, ``el_total``),
        its ``roles``, ``ead_supplier``, ``invested`` and ``stake_value``:
        a supplier that also invests in its customer sees both legs in one
        number (``docs/exposure.md``, "Circular financing"). The largest
        ``el_total`` of each bet first."""
        parts = [
            counterparty_legs(s.expected_loss, s.lender_loss, s.investors) for s in self.simulations
        ]
        frames = [f.reindex(columns=list(COUNTERPARTY_COLUMNS)) for f in parts]
        return pd.concat(frames, keys=list(self.strategies), names=["strategy"])

    @cached_property
    def concentration(self) -> pd.DataFrame:
        """Index counterparty (every supplier of either bet), largest
        combined expected loss first. Columns, for each bet ``s``:
        ``el <s>`` (its expected loss over every path, 0 if it is not the
        bet's supplier) and ``share <s>`` (of the bet's total expected
        loss; NaN when that total is 0); with two bets, the same for both
        together, ``el combined`` (the sum: an expectation adds) and
        ``share combined``."""
        el = self.expected_loss["el"].unstack("strategy")
        el = el.reindex(columns=list(self.strategies)).fillna(0.0)
        if len(self.strategies) > 1:
            el[COMBINED] = el.sum(axis=1)
        out = pd.DataFrame(index=el.index)
        for column in el.columns:
            total = float(el[column].sum())
            out[f"el {column}"] = el[column]
            out[f"share {column}"] = el[column] / total if total > 0 else math.nan
        last = COMBINED if len(self.strategies) > 1 else self.strategies[0]
        order = np.argsort(-out[f"el {last}"].to_numpy(), kind="stable")
        return out.iloc[order].rename_axis("counterparty")

    @cached_property
    def joint_distress(self) -> pd.DataFrame:
        """With two bets: index event (``both``, ``A only``, ``B only``,
        ``neither``; A the first bet), the share of paths on which it
        happened by the horizon (``probability``) and its standard error
        (``se``, binomial), from the comparison's paired outcome. Empty
        with one bet."""
        if self.comparison is None:
            return pd.DataFrame(columns=["probability", "se"], index=pd.Index([], name="event"))
        counts = _joint_counts(self.comparison, self.strategies[1], self.stress)
        n = max(self.n_paths, 1)
        p = np.array([counts[3], counts[2], counts[1], counts[0]], dtype=float) / n
        return pd.DataFrame(
            {"probability": p, "se": np.sqrt(p * (1 - p) / n)},
            index=pd.Index(list(_JOINT_EVENTS), name="event"),
        )

    @cached_property
    def combined_loss(self) -> pd.DataFrame:
        """With two bets: index counterparty (every supplier of either, the
        order of :attr:`concentration`), the loss of both bets together on
        each path, ``La + Lb``: its mean (``el``, ``el_se``), its 99%
        quantile (``loss_q99``) and expected shortfall (``es99``,
        ``es99_se``), both within ``bin_width``; ``shared`` (a supplier of
        both), ``p_both_lose`` (both losses above 0 on the same path) with
        its ``p_both_lose_se``, and ``loss_correlation`` (of the two
        losses; NaN unless both vary), ``bound_a`` and ``bound_b`` (the
        tops of the grid's sides, :attr:`joint_loss`). Empty with one bet."""
        if self.comparison is None:
            index = pd.Index([], name="counterparty")
            return pd.DataFrame(index=index, columns=list(COMBINED_LOSS_COLUMNS), dtype=float)
        a, b = self.simulations
        out = combined_loss_table(
            self._pair, supplier_names(a.scenario), supplier_names(b.scenario), a.raw, b.raw
        )
        return out.reindex(self.concentration.index)

    @cached_property
    def joint_loss(self) -> pd.DataFrame:
        """With two bets: index (counterparty, a_bin, b_bin), for each
        supplier of both, the coarse joint distribution of the two losses
        (20 linear bins a side on [0, its bound]; bin 0 no loss, bin 21
        above the bound): each cell with paths, its ranges (``a_low``,
        ``a_high``, ``b_low``, ``b_high``; US$ bn), ``paths`` and
        ``probability``. Empty with one bet."""
        if self.comparison is None:
            index = pd.MultiIndex.from_tuples([], names=["counterparty", "a_bin", "b_bin"])
            return pd.DataFrame(index=index, columns=list(JOINT_LOSS_COLUMNS), dtype=float)
        a, b = self.simulations
        return joint_loss_table(self._pair, supplier_names(a.scenario), supplier_names(b.scenario))

    @property
    def _pair(self) -> dict[str, Any]:
        """The comparison's paired outcome of the other bet against the reference."""
        assert self.comparison is not None
        return self.comparison._pairs[(self.strategies[1], self.stress)]

    @property
    def p_both_in_distress(self) -> float:
        """P(both bets in distress by the horizon) on the same paths (NaN with one bet)."""
        if self.comparison is None:
            return math.nan
        return float(self.joint_distress["probability"].loc["both"])

    @cached_property
    def sizes(self) -> pd.DataFrame:
        """Index (strategy, counterparty): the sizes the scenarios give
        (``revenue``, ``revenue_year``, ``equity_value``,
        ``equity_value_year``, ``source``)."""
        rows = {
            (s.name, name): size.model_dump()
            for s in self.scenarios
            for name, size in s.counterparties.items()
        }
        columns = ["revenue", "revenue_year", "equity_value", "equity_value_year", "source"]
        if not rows:
            index = pd.MultiIndex.from_tuples([], names=["strategy", "counterparty"])
            return pd.DataFrame(index=index, columns=columns)
        out = pd.DataFrame.from_dict(rows, orient="index")[columns]
        out.index = pd.MultiIndex.from_tuples(out.index, names=["strategy", "counterparty"])
        return out

    def of(self, strategy: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """One bet's rows of :attr:`exposure` (index counterparty, year) and
        :attr:`expected_loss` (index counterparty).

        Raises
        ------
        KeyError
            If ``strategy`` is not one of ``strategies``.
        """
        if strategy not in self.strategies:
            raise KeyError(f"{strategy!r} is not one of {list(self.strategies)}")
        return _rows_of(self.exposure, strategy), _rows_of(self.expected_loss, strategy)

    def summary(self) -> pd.DataFrame:
        """The concentration table (:attr:`concentration`)."""
        return self.concentration

    def to_frame(self) -> pd.DataFrame:
        """exposure, expected_loss, concentration and joint_distress as tidy rows."""
        return exposure_frame(self)

    def manifest(self) -> dict[str, Any]:
        """The run manifest: version, build, seed, paths, scenario hashes, the stress."""
        return run_manifest(
            "exposure",
            list(self.scenarios),
            seed=self.seed,
            n_paths=self.n_paths,
            extra={"stress": self.stress, "reference": self.strategies[0]},
        )


def _rows_of(frame: pd.DataFrame, strategy: str) -> pd.DataFrame:
    """``frame``'s rows of one strategy, without the strategy level (a mask,
    not ``.loc``: the index keeps the strategies' order, unsorted)."""
    return frame[frame.index.get_level_values("strategy") == strategy].droplevel("strategy")


def _share_columns(columns: Sequence[str]) -> list[str]:
    return [f"{c}_{suffix}" for c in columns for _, suffix in _SIZES]


def _stacked(parts: dict[str, pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Per-strategy frames as one, under a first index level ``strategy``."""
    frames = [f.reindex(columns=columns) for f in parts.values()]
    out = pd.concat(frames, keys=list(parts), names=["strategy"])
    # Floats but for the count of distressed paths (an empty part has no types).
    return out.astype({c: "int64" if c == "paths" else "float64" for c in columns})


def _joint_counts(c: Comparison, other: str, stress: str) -> np.ndarray:
    """The paths (A, B) in distress by the horizon: 00, 01, 10, 11 (A the reference)."""
    pair = c._pairs[(other, stress)]  # the comparison's paired outcome (docs/results.md)
    return np.asarray(pair["joint_default"][-1], dtype=np.int64)


@documents_run_options
def exposure(
    *strategies: StrategyArg,
    stress: StressArg = "baseline",
    n_paths: int = defaults.PATHS,
    seed: int = defaults.SEED,
    n_threads: int | None = None,
    progress: ProgressArg = None,
    batch_paths: int | None = None,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> ExposureResult:
    """Who carries the risk of one bet, or of two in one world.

    Parameters
    ----------
    *strategies
        One or two bets: a built-in preset's name (``"compute_first"``), a
        scenario file's path, a :class:`~wager.Scenario` or a dict. Two
        run as :func:`wager.compare` runs them (one core call, the same
        paths of the same world), the first the reference.
    stress
        One stress (a name, a ``wager.Stress``, or a list applied
        together); default ``"baseline"``.
    {run: n_paths, seed, n_threads, progress, batch_paths, backend}

    Returns
    -------
    ExposureResult
        ``exposure`` (per bet, supplier and year: EE, PFE95/99, EL),
        ``expected_loss`` (per bet and supplier: EAD, EL, discounted EL,
        the loss's 99% quantile), each with shares of the counterparty's
        revenue and equity value; ``lenders`` (per bet and lender: EAD,
        EL, peak exposure); ``investors`` (per bet and committed tranche:
        paid, stake after dilution, value, loss); ``concentration`` (each supplier's share
        of the total expected loss, per bet and combined); and with two
        bets ``joint_distress``, ``p_both_in_distress``, ``combined_loss``
        (each supplier's loss on both: q99, ES99, P(both lose)) and
        ``joint_loss`` (the grid of a shared supplier's two losses).

    Raises
    ------
    ValueError
        Without a bet, with more than two, or two of one name.

    Examples
    --------
    >>> import wager
    >>> r = wager.exposure("profitability", "compute_first", n_paths=2_000, progress=False)
    >>> r.concentration.index[0] in {"Broadcom", "Nvidia", "Oracle", "Microsoft", "AMD"}
    True
    """
    if not 1 <= len(strategies) <= 2:
        raise ValueError(f"exposure takes one or two strategies, got {len(strategies)}")
    scs = [_strategy(s) for s in strategies]
    label = stress_label(stress)
    run = {
        "n_paths": n_paths,
        "seed": seed,
        "n_threads": n_threads,
        "progress": progress,
        "batch_paths": batch_paths,
        "backend": backend,
        "client": client,
        "chunk_paths": chunk_paths,
    }
    if len(scs) == 1:
        sim = simulate(scs[0], stress=stress, **run)
        return ExposureResult(
            strategies=(scs[0].name,),
            stress=label,
            n_paths=sim.n_paths,
            seed=sim.seed,
            years=tuple(scs[0].time.years),
            simulations=(sim,),
        )
    c = compare(*scs, stresses=[stress], **run)
    return ExposureResult.from_comparison(c, label)


def exposure_frame(r: ExposureResult) -> pd.DataFrame:
    """exposure (strategy, counterparty as variable, year), expected_loss
    (strategy, counterparty as variable), concentration (counterparty as
    variable; the bet, or ``combined``, as strategy) and joint_distress
    (event as variable); typed as ``wager.results.export.DTYPES``."""
    parts = []
    for (s, per_year), (_, per_supplier) in zip(
        r.exposure.groupby(level="strategy", sort=False),
        r.expected_loss.groupby(level="strategy", sort=False),
        strict=True,
    ):
        parts.append(
            tidy_rows(
                "exposure",
                per_year.droplevel("strategy"),
                strategy=str(s),
                stress=r.stress,
                index_as=("variable", "year"),
            )
        )
        parts.append(
            tidy_rows(
                "expected_loss",
                per_supplier.droplevel("strategy"),
                strategy=str(s),
                stress=r.stress,
                index_as=("variable",),
            )
        )
    for bet in r.strategies:
        stakes = _rows_of(r.investors, bet).drop(columns="investor")
        parts.append(
            tidy_rows("investors", stakes, strategy=bet, stress=r.stress, index_as=("variable",))
        )
        lenders = _rows_of(r.lenders, bet)
        lenders.index = pd.Index([f"{k}: {c}" for k, c in lenders.index])
        parts.append(
            tidy_rows("lenders", lenders, strategy=bet, stress=r.stress, index_as=("variable",))
        )
        legs = _rows_of(r.counterparties, bet).drop(columns="roles")
        parts.append(
            tidy_rows("counterparties", legs, strategy=bet, stress=r.stress, index_as=("variable",))
        )
    conc = r.concentration
    for column in [*r.strategies, *([COMBINED] if len(r.strategies) > 1 else [])]:
        wide = conc[[f"el {column}", f"share {column}"]].set_axis(["el", "share"], axis=1)
        parts.append(
            tidy_rows(
                "concentration", wide, strategy=column, stress=r.stress, index_as=("variable",)
            )
        )
    if r.comparison is not None:
        both = " & ".join(r.strategies)
        for name, frame in (
            ("joint_distress", r.joint_distress),
            ("combined_loss", r.combined_loss.astype({"shared": "float64"})),
            ("joint_loss", _grid_wide(r.joint_loss)),
        ):
            rows = tidy_rows(name, frame, strategy=both, stress=r.stress, index_as=("variable",))
            parts.append(rows.dropna(subset=["value"]) if name == "joint_loss" else rows)
    return tidy_frame(parts)


def _grid_wide(grid: pd.DataFrame) -> pd.DataFrame:
    """The joint loss grid as one row per counterparty, one column per cell
    with paths, ``p a<i> b<j>`` (the cell's probability; the edges follow
    from ``combined_loss``'s bounds)."""
    if grid.empty:
        return pd.DataFrame(index=pd.Index([], name="counterparty"), dtype=float)
    p = grid["probability"].reset_index()
    p["cell"] = "p a" + p["a_bin"].astype(str) + " b" + p["b_bin"].astype(str)
    wide = p.pivot(index="counterparty", columns="cell", values="probability")
    return wide.rename_axis(columns=None)
