"""The HTML report: self-contained (nothing loaded from the network), with
the summary tables, pictures, stress narratives, scenarios and manifest."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import wager
from wager.results.manifest import scenario_sha256

VOID = {"meta", "img", "br", "hr", "link", "input"}


class _Checker(HTMLParser):
    """Collects every resource reference and checks that tags nest."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.refs: list[tuple[str, str, str]] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "data", "action", "poster") and value is not None:
                self.refs.append((tag, name, value))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


@pytest.fixture(scope="module")
def comparison() -> wager.Comparison:
    a, b = wager.presets.load("profitability"), wager.presets.load("compute_first")
    return wager.compare(
        a, b, n_paths=2_000, seed=7, stresses=["baseline", "funding_freeze"], progress=False
    )


def _check(html: str) -> _Checker:
    c = _Checker()
    c.feed(html)
    c.close()
    assert not c.errors and not c.stack, (c.errors, c.stack)
    # Nothing to fetch: pictures are data URIs, links stay in the page.
    for tag, name, value in c.refs:
        assert value.startswith(("data:image/svg+xml;base64,", "#")), (tag, name, value)
    assert not ({"script", "link", "iframe", "object", "embed"} & c.tags)
    assert not re.search(r"url\(|@import|https?://", html)
    return c


def test_the_comparison_report_is_self_contained_and_complete(
    comparison: wager.Comparison, tmp_path: Path
) -> None:
    path = comparison.report(tmp_path / "report.html")
    html = path.read_text(encoding="utf-8")
    checker = _check(html)
    # The findings' figure, then 5 per stress and the exposure view's loss
    # concentration and grid of Microsoft's two losses (a supplier of both).
    assert sum(1 for t, _, v in checker.refs if v.startswith("data:image/svg+xml")) == 15
    for section in (
        "findings",
        "summary",
        "appendix",
        "paths-baseline",
        "paths-funding_freeze",
        "exposure-baseline",
        "exposure-funding_freeze",
        "stresses",
        "scenarios",
        "manifest",
    ):
        assert f'id="{section}"' in html and f'href="#{section}"' in html, section
    # The summary's numbers, the stress's narrative and the scenarios' hashes.
    p = comparison.summary().loc[("funding_freeze", "P(distress by 2035)"), "compute_first"]
    assert f"{p:,.4g}" in html
    freeze = wager.stresses.load("funding_freeze")
    assert freeze.title in html and freeze.narrative.split(".")[0] in html.replace("\n", " ")
    for name in comparison.strategies:
        sc = comparison.simulation(name).scenario
        assert scenario_sha256(sc) in html
    found = re.search(r'<h2 id="manifest">Run manifest</h2>\s*<pre>(.*?)</pre>', html, re.S)
    assert found is not None
    manifest = json.loads(unescape(found[1]))
    assert (
        manifest["seed"] == 7 and manifest["n_paths"] == 2_000 and manifest["kind"] == "comparison"
    )


@pytest.mark.parametrize("kind", ["simulation", "grid"])
def test_simulation_and_grid_reports(kind: str, tmp_path: Path) -> None:
    b = wager.presets.load("compute_first")
    result: Any
    if kind == "simulation":
        result = wager.simulate(b, n_paths=1_000, seed=1, progress=False, stress="price_war")
    else:
        result = wager.stress(
            [b], ["baseline", "telecom_2001"], severity=[0.5, 1.0], n_paths=500, progress=False
        )
    html = result.report(tmp_path / "r.html").read_text(encoding="utf-8")
    _check(html)
    assert ("price_war" if kind == "simulation" else "telecom_2001") in html
    assert "Telecom" in html or "Price war" in html


def test_notebook_summaries(comparison: wager.Comparison) -> None:
    html = comparison._repr_html_()
    assert "<table" in html and "compute_first - profitability" in html
    _check(html)


def test_a_report_of_something_else_is_refused(tmp_path: Path) -> None:
    from wager.present.report import write_report

    with pytest.raises(TypeError, match="no report for a"):
        write_report(wager.project(wager.presets.load("profitability")), tmp_path / "x.html")  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())
