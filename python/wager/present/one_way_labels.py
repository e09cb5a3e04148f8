"""The words and number formats of a one-way sensitivity's metrics, shared
by its headline, terminal table, chart and report."""

from __future__ import annotations

from wager.present.numbers import money, percent

__all__ = ["is_money", "metric_label", "metric_value", "signed_change"]

_LABELS = {
    "p_distress": "P(distress by {year})",
    "p_profit": "P(first operating profit by {year})",
    "terminal_dcf_value_today": "mean DCF value today",
    "terminal_equity_value": "mean terminal equity value",
    "det_cash": "cash in {year} on the central path",
    "det_operating_income": "operating income in {year} on the central path",
    "det_free_cash_flow": "free cash flow in {year} on the central path",
    "det_revenue": "revenue in {year} on the central path",
    "det_distress_year": "year of distress on the central path (none = horizon + 1)",
    "det_first_profit_year": (
        "first year of operating profit on the central path (none = horizon + 1)"
    ),
}


def is_money(metric: str) -> bool:
    """Whether ``metric`` is in US$ bn."""
    return not (metric in ("p_distress", "p_profit") or metric.endswith("_year"))


def metric_label(metric: str, year: int, unit: bool = False) -> str:
    """What ``metric`` is, in words (``unit``: with ", US$ bn" for money)."""
    text = _LABELS.get(metric, metric).format(year=year)
    return text + ", US$ bn" if unit and is_money(metric) else text


def metric_value(metric: str, value: float, unit: bool = False) -> str:
    """A value of ``metric`` for reading: a percentage, a year or US$ bn
    (``unit``: followed by "US$ bn")."""
    if metric in ("p_distress", "p_profit"):
        return percent(value)
    if metric.endswith("_year"):
        return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return money(value, "US$ bn" if unit else "")


def signed_change(metric: str, value: float) -> str:
    """A change of ``metric``, signed: points for a probability, else its unit."""
    if value != value:  # NaN
        return "-"
    sign = "+" if value > 0 else "-" if value < 0 else ""
    if metric in ("p_distress", "p_profit"):
        x = abs(value) * 100
        return f"{sign}{x:.2g}" if x < 1 else f"{sign}{x:.1f}"
    if metric.endswith("_year"):
        return f"{sign}{abs(value):g}"
    return sign + money(abs(value))
