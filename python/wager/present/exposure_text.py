"""What ``wager exposure`` prints: who carries the risk of each bet and of
both, then per bet its suppliers' loss at a distress, each as a share of
the supplier's size, then the concentration of both bets' expected loss."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from wager.present.numbers import money, percent, points
from wager.present.terminal import fit, wrapped

if TYPE_CHECKING:
    from wager.analyses.exposure_view import ExposureResult

__all__ = ["exposure_headline", "exposure_text"]

#: Suppliers named in a bet's sentence, at most.
_NAMED = 3


def _bet_sentence(r: ExposureResult, strategy: str) -> str:
    """One bet's suppliers: their total expected loss and who carries most of it."""
    conc = r.concentration
    el = conc[f"el {strategy}"]
    total = float(el.sum())
    if total <= 0:
        return (
            f"{strategy}'s suppliers expect no loss (what it owes them at a distress is "
            "recovered in full)"
        )
    top = el.sort_values(ascending=False, kind="stable").head(_NAMED)
    named = ", ".join(
        f"{name} {money(float(v))} ({percent(float(v) / total)})"
        for name, v in top.items()
        if v > 0
    )
    return f"{strategy}'s suppliers expect to lose {money(total)} bn in all: {named}"


def exposure_headline(r: ExposureResult) -> str:
    """Who carries the risk of each bet and of both, in sentences."""
    last = r.years[-1]
    parts = [f"Under {r.stress}, by {last}:"]
    parts += [_bet_sentence(r, s) + "." for s in r.strategies]
    parts += _circular_sentences(r)
    if len(r.strategies) > 1:
        combined = r.concentration["el combined"]
        if len(combined):  # bets without suppliers have no concentration
            parts.append(
                f"Of both bets' {money(float(combined.sum()))} bn, {combined.index[0]} carries "
                f"the most ({percent(float(r.concentration['share combined'].iloc[0]))})."
            )
        j = r.joint_distress
        parts.append(
            f"Both bets fall into distress on the same path with probability "
            f"{percent(float(j['probability'].loc['both']))} "
            f"(95% interval ± {points(1.96 * float(j['se'].loc['both']))} points)."
        )
        parts += [_shared_sentence(r, name) for name in _shared(r)[:_NAMED]]
    return " ".join(parts)


def _circular_sentences(r: ExposureResult) -> list[str]:
    """A counterparty in two roles of one bet (a supplier that invests in
    its customer): each leg's expected loss and their sum."""
    out = []
    legs = r.counterparties
    several = legs[legs["roles"].str.contains("+", regex=False)]
    for (bet, name), roles_text, total in zip(
        several.index, several["roles"], several["el_total"], strict=True
    ):
        row = several.loc[(bet, name)]
        roles = str(roles_text).split("+")
        parts = [
            f"{money(float(row[f'el_{role}']))} bn as {'an' if role == 'investor' else 'a'} {role}"
            for role in roles
        ]
        out.append(
            f"{name}, a {' and '.join(roles)} of {bet}, expects to lose "
            f"{' and '.join(parts)}: {money(float(total))} bn in all."
        )
    return out


def _shared(r: ExposureResult) -> list[str]:
    """The suppliers of both bets, largest combined expected loss first."""
    joint = r.combined_loss
    return [str(n) for n in joint.index[joint["shared"].astype(bool)]]


def _shared_sentence(r: ExposureResult, name: str) -> str:
    """A supplier of both bets: how often both leave it a loss, and its tail."""
    joint = r.combined_loss
    both = float(joint["p_both_lose"].loc[name])
    es99 = float(joint["es99"].loc[name])
    return (
        f"{name}, a supplier of both, is left a loss by both on the same path with "
        f"probability {percent(both)}; in its worst 1% of paths it loses {money(es99)} bn "
        "on average (ES99 of both bets' loss)."
    )


def _bet_table(r: ExposureResult, strategy: str) -> pd.DataFrame:
    """One bet's suppliers, formatted: EAD, EL, discounted EL, the loss's
    99% quantile, the share of the bet's EL, and EL and the quantile as
    shares of the supplier's revenue and value."""
    _, el = r.of(strategy)
    share = r.concentration[f"share {strategy}"].reindex(el.index)
    return pd.DataFrame(
        {
            "EAD": el["ead"].map(money),
            "EL": el["el"].map(money),
            "EL disc.": el["el_discounted"].map(money),
            "loss q99": el["loss_q99"].map(money),
            "of EL": share.map(percent),
            "EL/rev.": el["el_of_revenue"].map(percent),
            "q99/rev.": el["loss_q99_of_revenue"].map(percent),
            "q99/value": el["loss_q99_of_equity_value"].map(percent),
        },
        index=el.index,
    )


def _lender_table(r: ExposureResult, strategy: str) -> pd.DataFrame:
    """One bet's lenders, formatted: the facility or the term debt, the peak
    expected and 99% exposure at a year's end, EAD, EL and the loss's q99
    (the discounted EL is in the exports)."""
    t = r.lenders
    t = t[t.index.get_level_values("strategy") == strategy].droplevel("strategy")
    shown = pd.DataFrame(
        {
            "kind": [k.replace("_debt", "") for k in t.index.get_level_values("kind")],
            "EE peak": t["ee_peak"].map(money).to_numpy(),
            "PFE99 peak": t["pfe99_peak"].map(money).to_numpy(),
            "EAD": t["ead"].map(money).to_numpy(),
            "EL": t["el"].map(money).to_numpy(),
            "loss q99": t["loss_q99"].map(money).to_numpy(),
        },
        index=pd.Index(t.index.get_level_values("lender"), name="lender"),
    )
    return shown


def _times(m: float) -> str:
    """A multiple on the money paid: ``2.4x`` (``-`` when nothing was paid)."""
    return money(m) + "x" if m == m else "-"


def _investor_table(r: ExposureResult, strategy: str) -> pd.DataFrame:
    """One bet's committed tranches, formatted: paid, stake at the horizon,
    its value, the multiple on the money paid, EL, P(loss), the loss's q99."""
    t = r.investors
    t = t[t.index.get_level_values("strategy") == strategy].droplevel("strategy")
    return pd.DataFrame(
        {
            "paid": t["invested"].map(money),
            "stake": t["stake"].map(percent),
            "value": t["value"].map(money),
            "x paid": t["multiple"].map(_times),
            "x DCF": t["multiple_dcf"].map(_times),
            "EL": t["el"].map(money),
            "P(loss)": t["p_loss"].map(percent),
            "loss q99": t["loss_q99"].map(money),
        },
        index=t.index,
    )


def exposure_text(r: ExposureResult, width: int) -> str:
    """The headline, then a table per bet, then the concentration of both."""
    lines = [
        wrapped(exposure_headline(r), width),
        "",
        wrapped(
            f"{r.n_paths:,} paths, seed {r.seed}; US$ bn. EAD: a supplier's mean claim over "
            "the paths in distress; EL: its mean loss (claim less recovery) over every path, "
            "disc. discounted to the start; loss q99: the loss's 99% quantile; of EL: share "
            "of the bet's total EL; /rev. and /value: shares of the supplier's revenue and "
            "equity value (scenario `counterparties`; - where none is given). An investor's "
            "stake: its share of the company at the horizon after later rounds, worth that "
            "share of the terminal equity value (of what is left to equity at a distress); "
            "x paid: mean value over mean paid (x DCF: valued at the terminal DCF value "
            "instead); EL: mean of what it paid less that value, when positive. "
            "docs/exposure.md.",
            width,
        ),
    ]
    for s in r.strategies:
        lines += ["", f"{s}: its suppliers' loss at its distress"]
        if len(r.of(s)[1]):
            lines.append(fit(_bet_table(r, s), width))
        else:
            lines.append("  (no supplier: no commitment names a counterparty)")
        lenders = _lender_table(r, s)
        if len(lenders):
            lines += ["", f"{s}: its lenders' loss at its distress", fit(lenders, width)]
        investors = _investor_table(r, s)
        if len(investors):
            lines += [
                "",
                f"{s}: its committed investors' stakes at {r.years[-1]}",
                fit(investors, width),
            ]
    if len(r.strategies) > 1:
        conc = r.concentration
        joint = r.combined_loss
        shared = joint["shared"].astype(bool)
        shown = pd.DataFrame(
            {
                **{f"EL {s}": conc[f"el {s}"].map(money) for s in r.strategies},
                "EL both": conc["el combined"].map(money),
                "share": conc["share combined"].map(percent),
                "q99 both": joint["loss_q99"].map(money),
                "ES99 both": joint["es99"].map(money),
                "P(both lose)": joint["p_both_lose"].where(shared).map(percent),
            },
            index=conc.index,
        )
        lines += [
            "",
            wrapped(
                "Both bets: each supplier's share of their total expected loss, and its "
                "loss on both bets together on the same path: its 99% quantile, its "
                "expected shortfall beyond it (ES99), and for a supplier of both how "
                "often both bets leave it a loss.",
                width,
            ),
            fit(shown, width),
        ]
    return "\n".join(lines)
