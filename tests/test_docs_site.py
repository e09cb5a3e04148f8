"""The documentation site's table of contents (mkdocs.yml) lists every guide
in docs/ and every example notebook, so none is left off the site; CI builds
the site itself with --strict (.ci/docs_site.sh)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in _pages(v)]
    return [p for item in nav for p in _pages(item)]


def test_every_guide_and_notebook_is_in_the_site() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = set(_pages(config["nav"]))
    guides = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    notebooks = {f"notebooks/{p.name}" for p in (ROOT / "examples").glob("*.ipynb")}
    assert guides - pages == set(), "guides missing from mkdocs.yml's nav"
    assert notebooks - pages == set(), "notebooks missing from mkdocs.yml's nav"
    named = {p for p in pages if not p.startswith("notebooks/")}
    assert named <= guides, "nav names a missing page"
