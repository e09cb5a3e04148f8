"""Project the two built-in bets and print who loses how much, and when each turns a profit.

Run: python examples/compare_presets.py
"""

from __future__ import annotations

import wager

profitability = wager.project(wager.presets.load("profitability"))
compute_first = wager.project(wager.presets.load("compute_first"))

for p in (profitability, compute_first):
    a = p.annual
    e = p.events
    print(f"{p.scenario.name}:")
    income = a.loc[2025:2030, "operating_income"].round(1).tolist()
    print(f"  operating income 2025-2030 (US$ bn): {income}")
    print(f"  first profitable year: {e.first_profit_year}", end="; ")
    print(f"peak funding need: {e.peak_funding_need:.1f}")
    print(f"  compute commitments over the horizon: {a['commitments_paid'].sum():,.0f}")
