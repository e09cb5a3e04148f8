"""A scenario's notebook summary (issue 19, item 6): its numbers are the
scenario's, and what it echoes is escaped."""

from __future__ import annotations

import wager


def test_the_summary_of_compute_first() -> None:
    sc = wager.presets.load("compute_first")
    html = sc._repr_html_()
    # The seven contracts' payments to the horizon: the ~1.4 trillion of the
    # calibration (each contract's payments(), summed independently here).
    total = sum(v for c in sc.compute.commitments for y, v in c.payments().items() if y <= 2035)
    assert f"{total:,.1f} US$ bn to pay by 2035" in html and round(total) == 1400
    assert "<td>consumer</td><td>consumer</td><td>9.8</td><td>226.0</td>" in html
    assert "read from preset compute_first" in html


def test_the_summary_escapes_what_it_echoes() -> None:
    data = wager.presets.load("profitability").model_dump(exclude_none=True)
    data["description"] = "<script>alert(1)</script>"
    html = wager.Scenario.model_validate(data)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    sc = wager.presets.load("profitability").with_values({"financing.initial_cash": 9.0})
    assert "initial cash 9.0 US$ bn" in sc._repr_html_()
    assert "1 value(s) set over it" in sc._repr_html_()
