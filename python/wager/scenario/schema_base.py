"""What every model of the scenario schema shares: strict models, the
number types of its fields, and the helpers its validators use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from wager.scenario.distribution import Distribution
from wager.scenario.series import year_keys

Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
Year = Annotated[int, Field(ge=1900, le=2200)]
NonNeg = Annotated[float, Field(ge=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        validate_default=True,
        frozen=True,
    )


def num(value: float | Distribution) -> float:
    """A number, or a distribution's central value (for checks between fields)."""
    return value.central() if isinstance(value, Distribution) else value


def whole_number(value: Any) -> Any:
    """Strict mode does not apply to ``Literal``: refuse ``true`` and ``4.0`` here."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "Input should be a whole number")
    return value


def fail(path: str, reason: str) -> PydanticCustomError:
    return PydanticCustomError("scenario", "{path}: {reason}", {"path": path, "reason": reason})


def fail_all(problems: Sequence[tuple[str, str]]) -> PydanticCustomError:
    """Several problems of one check at once (``problems`` not empty): the
    first as :func:`fail` gives it, the others in the context's ``more``,
    which the error report lists one by one."""
    (path, reason), *more = problems
    return PydanticCustomError(
        "scenario",
        "{path}: {reason}",
        {"path": path, "reason": reason, "more": [list(p) for p in more]},
    )


def table_years(field: str, value: Any) -> Any:
    """``year_keys`` for a table field checked in a model validator: errors name the field."""
    try:
        return year_keys(value)
    except ValueError as err:
        raise fail(field, str(err)) from None
