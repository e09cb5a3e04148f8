"""The shock language: a shock changes one scenario field over a stretch of
time with a shape; a stress is a named, documented list of shocks with a
severity. ``docs/stress.md`` gives every field and the arithmetic.

These models check a stress on its own (types, shapes, timing that makes
sense); whether its targets exist, and whether its years fall inside a
scenario's horizon, is checked against the scenario it is applied to
(:mod:`wager.compile.shocks`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["Shock", "Stress", "Trigger"]

Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
Year = Annotated[int, Field(ge=1900, le=2200)]
Years = Annotated[float, Field(gt=0, le=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, validate_default=True, frozen=True
    )


def _fail(path: str, reason: str) -> PydanticCustomError:
    return PydanticCustomError("scenario", "{path}: {reason}", {"path": path, "reason": reason})


class Trigger(_Strict):
    """Start a shock when the market is in a regime, or when another bet enters
    distress (a contagion), instead of at a date."""

    regime: Name | None = Field(None, description="The regime that starts the shock (e.g. 'bust').")
    distress: Name | None = Field(
        None,
        description=(
            "Or the bet (a strategy's name) whose distress starts the shock, at the step "
            "after the one in which it enters distress on the same path: its distress "
            "spreads to the bet the stress is applied to (docs/model.md section 25, "
            "'Contagion'). Only where both bets run together (wager.compare, "
            "wager.exposure); the named bet itself runs without these shocks."
        ),
    )
    after: Year | None = Field(
        None,
        description=(
            "Only from 1 January of this year on (default: the first year). In a projection "
            "the regime path is the scenario's (initial regime and pinned years); in a "
            "Monte Carlo each path starts the shock at its own first step in the regime."
        ),
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Trigger:
        if (self.regime is None) == (self.distress is None):
            raise _fail("trigger", "give either regime or distress (a bet's name), not both")
        return self


class Shock(_Strict):
    """A change to one scenario field over time."""

    target: str = Field(
        min_length=1,
        max_length=200,
        description=(
            "Field path in the scenario, e.g. 'segments.*.revenue', "
            "'market.regimes.bust.raise_success', 'compute.commitments.largest', "
            "'financing.tranches.0.amount'. '*' = every key; 'largest' = the largest "
            "contract or tranche."
        ),
    )
    op: Literal["scale", "add", "set", "fail"] = Field(
        description=(
            "scale: multiply by value; add: add value; set: replace by value; fail: a "
            "contract's supplier fails and value (0 to 1) of its capacity is lost, unless its "
            "estate keeps the contract (spot at or below its price then; docs/model.md §5)."
        )
    )
    value: float | bool | Name = Field(
        description=(
            "The factor, the amount or the new value (true/false for a switch; a regime's "
            "name for market.regime)."
        )
    )
    start: Year | None = Field(
        None, description="Calendar year the shock starts (1 January). Default: the first year."
    )
    trigger: Trigger | None = Field(
        None, description="Start on a market regime, or on another bet's distress, instead."
    )
    duration: Years | None = Field(
        None, description="Years the shock lasts from its start; none = to the horizon."
    )
    shape: Literal["step", "ramp", "recovery"] = Field(
        "step",
        description=(
            "step: full effect while it lasts; ramp: rises linearly to full over `ramp` "
            "years; recovery: full at the start, then halves every `half_life` years."
        ),
    )
    ramp: Years | None = Field(
        None, description="Years to full effect (shape ramp; default: the duration)."
    )
    half_life: Years | None = Field(None, description="Years (shape recovery; required there).")
    note: str = Field("", max_length=2000, description="Free text: what the shock stands for.")

    @model_validator(mode="after")
    def _consistent(self) -> Shock:
        if self.start is not None and self.trigger is not None:
            raise _fail("trigger", "give either start or trigger, not both")
        if self.shape == "ramp" and self.ramp is None and self.duration is None:
            raise _fail("ramp", "a ramp needs its length: give ramp or duration (years)")
        if self.shape != "ramp" and self.ramp is not None:
            raise _fail("ramp", f"only for shape 'ramp', not {self.shape!r}")
        if self.shape == "recovery" and self.half_life is None:
            raise _fail("half_life", "a recovery needs its half-life in years")
        if self.shape != "recovery" and self.half_life is not None:
            raise _fail("half_life", f"only for shape 'recovery', not {self.shape!r}")
        if self.op == "fail":
            if not self.target.startswith("compute.commitments."):
                raise _fail(
                    "op", "'fail' is a supplier's failure: only for compute.commitments.<name>"
                )
            if self.trigger is not None:
                raise _fail("trigger", "a supplier fails at a date: give start, not a trigger")
            if isinstance(self.value, bool | str) or not 0.0 <= self.value <= 1.0:
                raise _fail("value", "the share of the contract lost, from 0 to 1")
        if isinstance(self.value, bool) and self.op != "set":
            raise _fail("value", f"true/false is a switch: use op 'set', not {self.op!r}")
        if (self.target == "market.regime") != isinstance(self.value, str):
            raise _fail(
                "value",
                "a regime's name moves the market's regime (target market.regime, op set); "
                "every other target takes a number",
            )
        if self.target == "market.regime" and (self.op != "set" or self.shape != "step"):
            raise _fail("op", "market.regime is set to a regime for a time: op 'set', shape 'step'")
        return self


class Stress(_Strict):
    """A named, documented list of shocks, scaled together by a severity."""

    name: Name | Literal[""] = Field(
        "", description="Identifier (a library file's name; in a scenario, its key)."
    )
    title: str = Field("", max_length=200, description="Short title.")
    narrative: str = Field("", max_length=20_000, description="What happens, in words.")
    analogue: str = Field("", max_length=2000, description="The historical analogue.")
    source: str = Field("", max_length=20_000, description="Where the magnitudes come from.")
    calibration: str = Field(
        "", max_length=20_000, description="How each magnitude follows from the analogue."
    )
    expected: str = Field("", max_length=2000, description="The direction the outcomes must move.")
    includes: list[Name] = Field(
        default_factory=list,
        description="Other stresses applied first, in order (composition), at this severity.",
    )
    severity: Annotated[float, Field(ge=0, le=100)] = Field(
        1.0, description="Multiplies every shock: 0 = no stress, 1 = as calibrated."
    )
    shocks: list[Shock] = Field(default_factory=list, description="The shocks, in order.")

    def with_severity(self, severity: float) -> Stress:
        """The same stress at another severity."""
        return self.model_copy(update={"severity": float(severity)})
