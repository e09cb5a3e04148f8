"""The scenario's distress section: management actions, how distress is
resolved, and suppliers who carry what the company cannot pay them
(docs/model.md §11, 5. and 8.; §27)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wager.scenario.distribution import UFraction, UNonNeg
from wager.scenario.schema_base import Strict as _Strict


class Management(_Strict):
    """Actions taken once when runway runs short after financing."""

    enabled: bool = Field(False, description="Whether management acts at all.")
    trigger_runway: UNonNeg = Field(0.5, description="Act when cash < this many years of burn.")
    cut_training: UFraction = Field(0.0, description="Fraction of the training budget cut.")
    cut_opex: UFraction = Field(
        0.0, description="Fraction of cash operating costs (staff, S&M, G&A) cut from then on."
    )
    renegotiate: UFraction = Field(0.0, description="Fraction of remaining commitments cancelled.")
    penalty: UFraction = Field(
        0.0, description="Cancellation penalty, fraction of the amount cancelled."
    )
    penalty_timing: Literal["spread", "upfront"] = Field(
        "spread",
        description=(
            "When the penalty is paid: 'spread', as each cancelled payment would have "
            "fallen due; 'upfront', on every later cancelled payment at once, the step "
            "after the renegotiation (wager 0.1's behaviour, kept to reproduce old results)."
        ),
    )


class Resolution(_Strict):
    """How a company that cannot pay what is due is resolved (docs/model.md §27)."""

    enabled: bool = Field(
        True,
        description=(
            "Whether distress is resolved (claims, values, reorganisation or liquidation, "
            "recoveries); false: the path stops and nothing is resolved (wager 0.1)."
        ),
    )
    duration: float = Field(
        0.75,
        ge=0.0,
        le=10.0,
        description=(
            "Years from distress to its resolution, rounded up to whole steps (Fitch: median "
            "7 months from filing to a confirmed plan, 2003-2018; 11 for traditional cases)."
        ),
    )
    cost: float = Field(
        0.16,
        ge=0.0,
        le=1.0,
        description=(
            "Fraction of the value consumed by the process (Branch 2002: 12-20% of the "
            "pre-distress value; the midpoint)."
        ),
    )
    terminal_growth: float = Field(
        0.02,
        gt=-1.0,
        lt=1.0,
        description="Growth of the going concern's cash flow, fraction per year (assumption).",
    )
    asset_sale_fraction: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description=(
            "Share of owned capacity's market value (book value x the regime's spot price) "
            "realised in a liquidation (assumption: a forced sale)."
        ),
    )
    cap_rejection: bool = Field(
        False,
        description=(
            "Cap each rejected commitment's claim at the payments of the greater of one year "
            "and 15% of the remaining term, at most three years (US Bankruptcy Code "
            "s.502(b)(6), which applies to leases of real property)."
        ),
    )


class SupplierSupport(_Strict):
    """Suppliers that also invest, and may carry what the company cannot pay
    them: convert it into equity, or defer it (docs/model.md §11, 8.)."""

    counterparties: list[str] = Field(
        default_factory=list,
        description=(
            "Counterparties of compute.commitments whose unpaid payments may be converted "
            "into equity (e.g. a chip maker that also invests)."
        ),
    )
    odds: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default_factory=dict,
        description=(
            "Probability, per regime name, that they agree when the company cannot pay "
            "(a regime left out: 0). Drawn with the equity raise's draw: one market appetite."
        ),
    )
    behaviour: Literal["convert", "defer"] = Field(
        "convert",
        description=(
            "What they do with a shortfall they agree to carry: 'convert' it into equity at "
            "the market value, or 'defer' it (a payable repaid from positive cash, owed as a "
            "trade claim in a distress)."
        ),
    )


class Distress(_Strict):
    """What happens when cash runs out."""

    backstop: bool = Field(
        False,
        description=(
            "If true, a public backstop lends what is missing instead of letting the path "
            "go into distress."
        ),
    )
    management: Management = Field(default_factory=Management, description="Management actions.")
    resolution: Resolution = Field(
        default_factory=Resolution, description="How a company that cannot pay is resolved."
    )
    supplier_support: SupplierSupport = Field(
        default_factory=SupplierSupport,
        description="Suppliers who may convert unpaid payments into equity.",
    )
