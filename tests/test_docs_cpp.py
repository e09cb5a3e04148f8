"""docs/cpp.md shows only code that CI compiles: each C++ or CMake block is
the lines of a file of ``examples/cpp/`` (which CI builds against the
installed package and runs) that its caption names, character for character.
A block without a caption, or one that drifted from its lines, fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "cpp.md"
#: Fenced languages that would be code a reader compiles or configures.
CODE = {"c", "cc", "cpp", "c++", "cxx", "h", "hpp", "cmake"}
CAPTION = re.compile(r"^`(examples/cpp/[\w./-]+)`, lines (\d+)-(\d+):$")


def _code_blocks() -> list[tuple[int, str, str, str]]:
    """(line of the opening fence, its language, the caption line, the body) of each code block."""
    lines = GUIDE.read_text(encoding="utf-8").split("\n")
    blocks, i = [], 0
    while i < len(lines):
        fence = re.match(r"^```(\S*)$", lines[i])
        if not fence:
            i += 1
            continue
        end = lines.index("```", i + 1)
        language = fence.group(1).lower()
        if language in CODE:
            caption = lines[i - 2] if i >= 2 and lines[i - 1] == "" else ""
            blocks.append((i + 1, language, caption, "\n".join(lines[i + 1 : end])))
        i = end + 1
    return blocks


BLOCKS = _code_blocks()


def test_the_guide_shows_the_example() -> None:
    # The guide walks through the example: well over a handful of fragments.
    assert len(BLOCKS) >= 10, f"docs/cpp.md has only {len(BLOCKS)} C++/CMake blocks"


@pytest.mark.parametrize(
    ("line", "language", "caption", "body"), BLOCKS, ids=[str(b[0]) for b in BLOCKS]
)
def test_block_is_the_lines_its_caption_names(
    line: int, language: str, caption: str, body: str
) -> None:
    named = CAPTION.match(caption)
    assert named, (
        f"docs/cpp.md:{line}: a {language} block without a caption "
        "'`examples/cpp/<file>`, lines A-B:' (every code block comes from the example CI builds)"
    )
    path, first, last = named.group(1), int(named.group(2)), int(named.group(3))
    source = (ROOT / path).read_text(encoding="utf-8").split("\n")
    assert 1 <= first <= last <= len(source), (
        f"docs/cpp.md:{line}: no lines {first}-{last} in {path}"
    )
    expected = "\n".join(source[first - 1 : last])
    assert body == expected, f"docs/cpp.md:{line}: the block is not {path}, lines {first}-{last}"
