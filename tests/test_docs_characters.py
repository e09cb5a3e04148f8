"""The Markdown documents hold no control characters (tabs included): an unescaped Python
string once turned ``\\tau`` into a tab and ``\\approx`` into a bell in a
formula of docs/model.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md")])


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_no_control_characters(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    bad = [(m.start(), repr(m.group())) for m in re.finditer(r"[\x00-\x09\x0b-\x1f\x7f]", text)]
    lines = [text.count("\n", 0, at) + 1 for at, _ in bad]
    assert not bad, f"{path.name}: control characters at lines {lines[:10]}"
