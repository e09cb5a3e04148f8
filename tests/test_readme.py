"""The README stays true: its quick start is what CI runs, its outputs are real."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wager.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_quick_start_is_two_commands_and_ci_runs_them() -> None:
    quick = README.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", quick, flags=re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert commands == [
        "pip install . && wager compare",
        'pip install ".[test]" && python -m pytest',
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci


def test_project_output_in_the_readme_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # the README shows a 100-column terminal
    shown = _blocks("text")[0]
    result = CliRunner().invoke(cli, ["project"])
    assert result.exit_code == 0
    assert shown.rstrip() == result.output.rstrip()


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_python_example_output_in_the_readme_is_real(index: int) -> None:
    # Python block i prints text block i + 1 (text block 0 is `wager project`).
    code = _blocks("python")[index]
    shown = _blocks("text")[index + 1]
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert proc.stdout.rstrip() == shown.rstrip()


def test_the_readme_figure_exists() -> None:
    refs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert refs, "the README shows a figure"
    for ref in refs:
        data = (ROOT / ref).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
