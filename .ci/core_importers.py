"""Only ``wager.kernel`` imports the compiled core ``wager._core``.

import-linter builds its graph from Python sources and cannot see an
extension module, so this checks that contract: every import statement in
``python/wager`` (module level, in functions, under TYPE_CHECKING) that
names ``wager._core`` must be in ``python/wager/kernel``. Exit 1 naming
each offender.
"""

from __future__ import annotations

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1] / "python"


def module_of(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_core(tree: ast.AST, module: str, is_package: bool) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(a.name == "wager._core" for a in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".") if is_package else module.split(".")[:-1]
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            if target == "wager._core" or (target == "wager" and "_core" in names):
                lines.append(node.lineno)
    return lines


def main() -> int:
    bad = []
    for path in sorted((ROOT / "wager").rglob("*.py")):
        module = module_of(path)
        if module == "wager.kernel" or module.startswith("wager.kernel."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line in imports_core(tree, module, path.name == "__init__.py"):
            bad.append(f"{path.relative_to(ROOT.parent)}:{line}: imports wager._core")
    for b in bad:
        print(b)
    print(f"only wager.kernel imports wager._core: {'broken' if bad else 'kept'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
