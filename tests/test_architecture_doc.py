"""docs/architecture.md matches the tree: every layer of the package in the
order the import contract enforces, and every file of the C++ core."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"

pytestmark = pytest.mark.skipif(not DOC.exists(), reason="run from a source checkout")


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    return [name.strip().removeprefix("wager.") for item in layers for name in item.split("|")]


def test_the_layers_table_lists_every_package_in_the_contracts_order() -> None:
    table = re.findall(r"^\| `(\w+)/`(?:, `(\w+)/`)? \|", _doc(), flags=re.MULTILINE)
    documented = [name for row in table for name in row if name]
    assert documented == _contract_layers()
    packages = sorted(p.parent.name for p in (ROOT / "python" / "wager").glob("*/__init__.py"))
    assert sorted(documented) == packages


def test_every_file_of_the_core_and_the_bindings_is_named() -> None:
    doc = _doc()
    stems = {p.stem for p in (ROOT / "cpp" / "src").iterdir() if p.suffix in (".cpp", ".hpp")}
    missing = sorted(s for s in stems if not re.search(rf"`{re.escape(s)}[.`]", doc))
    assert not missing, f"docs/architecture.md does not name {missing}"
    topics = {p.stem for p in (ROOT / "cpp" / "bindings").glob("register_*.cpp")}
    listed = re.findall(r"register_<topic>\.cpp` per topic \(([^)]*)\)", doc)[0]
    named = {t.strip() for t in listed.split(",")}
    assert {t.removeprefix("register_") for t in topics} == named
