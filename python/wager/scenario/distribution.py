"""Uncertain inputs: a distribution written where a number would go.

``initial_cash = { dist = "lognormal", low = 8, high = 14 }`` gives the 5th
and 95th percentiles (a 90% interval, the way analysts elicit a range);
``{ dist = "normal", mean = 10, sd = 2 }`` gives the parameters. A
projection uses the median; a simulation draws one value per path, through a
Gaussian copula when inputs are correlated, clamped to the field's range.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError
from scipy import optimize, stats

__all__ = [
    "Distribution",
    "Path",
    "UDilution",
    "UFloat",
    "UFraction",
    "ULife",
    "UNonNeg",
    "UPositive",
    "URate",
    "USpread",
    "distribution_leaves",
    "path_name",
    "uncertain",
]

Path = tuple[str | int, ...]

#: The standard normal's 95th percentile: a 90% interval spans +-Z95 sd.
Z95 = float(stats.norm.ppf(0.95))

Kind = Literal["normal", "lognormal", "uniform", "triangular", "pert", "student_t"]

_PARAMETERS: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "sd"),
    "lognormal": ("mu", "sigma"),
    "uniform": ("min", "max"),
    "triangular": ("min", "mode", "max"),
    "pert": ("min", "mode", "max"),
    "student_t": ("df", "loc", "scale"),
}
#: Besides low and high, an interval form may take these.
_INTERVAL_EXTRAS: dict[str, tuple[str, ...]] = {
    "triangular": ("mode",),
    "pert": ("mode",),
    "student_t": ("df",),
}


def _fail(path: str, reason: str) -> PydanticCustomError:
    return PydanticCustomError("scenario", "{path}: {reason}", {"path": path, "reason": reason})


def _frozen(k: str, a: float, b: float, c: float) -> Any:
    """A ``scipy.stats`` frozen distribution from canonical parameters."""
    if k == "normal":
        return stats.norm(a, b)
    if k == "lognormal":
        return stats.lognorm(b, scale=math.exp(a))
    if k == "uniform":
        return stats.uniform(a, b - a)
    if k == "student_t":
        return stats.t(c, loc=a, scale=b)
    if k == "triangular":
        return _triangular(a, c, b)
    return _pert(a, c, b)


@functools.lru_cache(maxsize=4096)
def _median(k: str, a: float, b: float, c: float) -> float:
    """The median of canonical parameters, kept: every run of a scenario asks
    for each input's central value, and freezing a scipy distribution costs
    about a millisecond."""
    return float(_frozen(k, a, b, c).median())


def _pert(lo: float, mode: float, hi: float) -> Any:
    a = 1 + 4 * (mode - lo) / (hi - lo)
    b = 1 + 4 * (hi - mode) / (hi - lo)
    return stats.beta(a, b, loc=lo, scale=hi - lo)


def _triangular(lo: float, mode: float, hi: float) -> Any:
    return stats.triang((mode - lo) / (hi - lo), loc=lo, scale=hi - lo)


class Distribution(BaseModel):
    """A distribution for one input, by its parameters or by a 90% interval.

    Parameters by kind: normal (``mean``, ``sd``), lognormal (``mu``,
    ``sigma`` of the log), uniform (``min``, ``max``), triangular and pert
    (``min``, ``mode``, ``max``), student_t (``df``, ``loc``, ``scale``). Or
    ``low`` and ``high``, the 5th and 95th percentiles (with ``mode`` for
    triangular and pert, default the midpoint, and ``df`` for student_t).
    """

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)

    dist: Kind = Field(description="The family.")
    low: float | None = Field(None, description="5th percentile (with high: a 90% interval).")
    high: float | None = Field(None, description="95th percentile.")
    mean: float | None = Field(None, description="normal: mean.")
    sd: Annotated[float, Field(gt=0)] | None = Field(
        None, description="normal: standard deviation."
    )
    # exp(mu) is the median: beyond +-700 it is no finite positive double.
    mu: Annotated[float, Field(ge=-700, le=700)] | None = Field(
        None, description="lognormal: mean of the log (-700 to 700)."
    )
    sigma: Annotated[float, Field(gt=0)] | None = Field(
        None, description="lognormal: sd of the log."
    )
    min: float | None = Field(None, description="uniform, triangular, pert: lower bound.")
    max: float | None = Field(None, description="uniform, triangular, pert: upper bound.")
    mode: float | None = Field(None, description="triangular, pert: most likely value.")
    df: Annotated[float, Field(gt=0)] | None = Field(
        None, description="student_t: degrees of freedom."
    )
    loc: float | None = Field(None, description="student_t: centre.")
    scale: Annotated[float, Field(gt=0)] | None = Field(None, description="student_t: scale.")

    _lower: float = PrivateAttr(-math.inf)
    _upper: float = PrivateAttr(math.inf)

    @model_validator(mode="after")
    def _one_form(self) -> Distribution:
        given = {
            k
            for k in ("low", "high", *sum(_PARAMETERS.values(), ()))
            if getattr(self, k) is not None
        }
        own = set(_PARAMETERS[self.dist])
        interval = {"low", "high"} | set(_INTERVAL_EXTRAS.get(self.dist, ()))
        if {"low", "high"} <= given:
            extra = given - interval
            if extra:
                raise _fail(sorted(extra)[0], f"not used with low/high for {self.dist}")
            if not self.low < self.high:  # type: ignore[operator]
                raise _fail("high", f"must be above low ({self.low:g})")
            if self.dist == "lognormal" and self.low <= 0:  # type: ignore[operator]
                raise _fail("low", "a lognormal interval needs low > 0")
            if self.dist == "student_t" and self.df is None:
                raise _fail("df", "student_t needs df (degrees of freedom)")
            if self.mode is not None and not self.low < self.mode < self.high:  # type: ignore[operator]
                raise _fail("mode", "must lie strictly between low and high")
        else:
            missing = sorted(own - given)
            if missing:
                raise _fail(
                    missing[0],
                    f"{self.dist} needs {', '.join(_PARAMETERS[self.dist])}, "
                    "or low and high (a 90% interval)",
                )
            extra = given - own
            if extra:
                raise _fail(sorted(extra)[0], f"not a parameter of {self.dist}")
            if self.dist in ("uniform", "triangular", "pert") and not self.min < self.max:  # type: ignore[operator]
                raise _fail("max", "must be above min (write a number for a fixed value)")
            if self.dist in ("triangular", "pert") and not self.min <= self.mode <= self.max:  # type: ignore[operator]
                raise _fail("mode", "must lie between min and max")
        return self

    def canonical(self) -> tuple[str, float, float, float]:
        """``(kind, a, b, c)`` as the core reads them (see ``wager/random/distributions.hpp``)."""
        k = self.dist
        if self.low is not None and self.high is not None:
            lo, hi = self.low, self.high
            if k == "normal":
                return k, (lo + hi) / 2, (hi - lo) / (2 * Z95), 0.0
            if k == "lognormal":
                return (
                    k,
                    (math.log(lo) + math.log(hi)) / 2,
                    (math.log(hi) - math.log(lo)) / (2 * Z95),
                    0.0,
                )
            if k == "uniform":
                w = (hi - lo) / 0.9
                return k, lo - 0.05 * w, hi + 0.05 * w, 0.0
            if k == "student_t":
                assert self.df is not None
                t95 = float(stats.t.ppf(0.95, self.df))
                return k, (lo + hi) / 2, (hi - lo) / (2 * t95), self.df
            mode = self.mode if self.mode is not None else (lo + hi) / 2
            a, b = _solve_bounds(k, lo, mode, hi)
            return k, a, b, mode
        if k == "normal":
            return k, float(self.mean), float(self.sd), 0.0  # type: ignore[arg-type]
        if k == "lognormal":
            return k, float(self.mu), float(self.sigma), 0.0  # type: ignore[arg-type]
        if k == "uniform":
            return k, float(self.min), float(self.max), 0.0  # type: ignore[arg-type]
        if k == "student_t":
            return k, float(self.loc), float(self.scale), float(self.df)  # type: ignore[arg-type]
        return k, float(self.min), float(self.max), float(self.mode)  # type: ignore[arg-type]

    def frozen(self) -> Any:
        """The distribution as a ``scipy.stats`` frozen distribution (before clamping)."""
        return _frozen(*self.canonical())

    def central(self) -> float:
        """The median, clamped to the field's range: what a projection uses."""
        return float(np.clip(_median(*self.canonical()), self._lower, self._upper))

    @property
    def bounds(self) -> tuple[float, float]:
        """The field's allowed range; draws are clamped to it."""
        return self._lower, self._upper

    def core_spec(self) -> dict[str, Any]:
        """The dict the core's sampler reads."""
        k, a, b, c = self.canonical()
        big = 1e300
        return {
            "kind": k,
            "a": a,
            "b": b,
            "c": c,
            "lower": max(self._lower, -big),
            "upper": min(self._upper, big),
        }


def _solve_bounds(kind: str, lo: float, mode: float, hi: float) -> tuple[float, float]:
    """min and max of a triangular or PERT whose 5th and 95th percentiles are lo and hi."""
    make = _triangular if kind == "triangular" else _pert
    width = hi - lo

    def residual(x: np.ndarray) -> np.ndarray:
        a = mode - abs(x[0]) * width
        b = mode + abs(x[1]) * width
        d = make(a, mode, b)
        return np.array([d.ppf(0.05) - lo, d.ppf(0.95) - hi]) / width

    guess = np.array([(mode - lo) / width * 1.5 + 0.05, (hi - mode) / width * 1.5 + 0.05])
    sol = optimize.least_squares(residual, guess, xtol=1e-14, ftol=1e-14, gtol=1e-14)
    return mode - abs(sol.x[0]) * width, mode + abs(sol.x[1]) * width


def _number_or_distribution(value: Any) -> str:
    # A table without "dist" is a mistyped number, and is reported as one.
    if isinstance(value, Distribution) or (isinstance(value, dict) and "dist" in value):
        return "distribution"
    return "number"


def uncertain(**bounds: float) -> Any:
    """A number with ``bounds`` (ge, gt, le, lt), or a distribution clamped to them."""
    lower = bounds.get("ge", bounds.get("gt", -math.inf))
    upper = bounds.get("le", bounds.get("lt", math.inf))
    shown = (
        ("(" if "gt" in bounds or lower == -math.inf else "[")
        + f"{lower:g}, {upper:g}"
        + (")" if "lt" in bounds or upper == math.inf else "]")
    )
    if "gt" in bounds:
        lower = float(np.nextafter(lower, math.inf))
    if "lt" in bounds:
        upper = float(np.nextafter(upper, -math.inf))

    def bind(d: Distribution) -> Distribution:
        bound = d.model_copy()
        bound._lower, bound._upper = lower, upper
        median = float(bound.frozen().median())
        if not lower <= median <= upper:
            raise _fail(
                "", f"the distribution's median {median:g} is outside the field's range {shown}"
            )
        return bound

    return Annotated[
        Annotated[float, Field(**bounds), Tag("number")]  # type: ignore[call-overload]
        | Annotated[Distribution, AfterValidator(bind), Tag("distribution")],
        Discriminator(_number_or_distribution),
    ]


def path_name(path: Path) -> str:
    """``("segments", "consumer", "revenue", 3)`` -> ``segments.consumer.revenue[3]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


#: Leaves that hold no distribution: skipped before the (slower) checks
#: against abstract classes, most of a scenario's nodes.
_SCALARS = frozenset({float, int, str, bool, type(None)})


def _walk(node: Any, path: Path, out: list[tuple[Path, Distribution]]) -> None:
    if type(node) in _SCALARS:
        return
    if isinstance(node, Distribution):
        out.append((path, node))
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            _walk(getattr(node, name), (*path, name), out)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            # Year keys of a table stay visible as ".2028", not "[2028]".
            _walk(value, (*path, str(key)), out)
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            _walk(value, (*path, i), out)


def distribution_leaves(model: BaseModel) -> list[tuple[Path, Distribution]]:
    """Every distribution in a scenario, in document order, with its path."""
    out: list[tuple[Path, Distribution]] = []
    _walk(model, (), out)
    return out


# Numbers-or-distributions with their ranges. For type checkers they are
# ``float | Distribution``; at run time they carry the bounds and tags.
if TYPE_CHECKING:
    UFloat = float | Distribution
    UNonNeg = float | Distribution
    UFraction = float | Distribution
    URate = float | Distribution
    UPositive = float | Distribution
    USpread = float | Distribution
    ULife = float | Distribution
    UDilution = float | Distribution
else:
    UFloat = uncertain()
    UNonNeg = uncertain(ge=0)
    UFraction = uncertain(ge=0, le=1)
    URate = uncertain(gt=-1)
    UPositive = uncertain(gt=0)
    USpread = uncertain(ge=-0.05, le=1)
    ULife = uncertain(gt=0, le=50)
    UDilution = uncertain(ge=0, lt=1)
