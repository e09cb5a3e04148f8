"""``wager.show_versions()``: what this installation is, for bug reports and
run manifests."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any

from wager._version import __version__
from wager.kernel.core import build_info

__all__ = ["show_versions", "versions"]

_DEPENDENCIES = (
    "numpy",
    "pandas",
    "pydantic",
    "scipy",
    "jinja2",
    "click",
    "pyarrow",
    "xarray",
    "matplotlib",
    "SALib",
    "distributed",
)


def versions() -> dict[str, Any]:
    """wager's version and build (compiler, flags, OpenMP, SIMD level), the
    Python and platform, and the versions of the packages it uses (None for
    an optional one that is not installed)."""
    deps: dict[str, str | None] = {}
    for name in _DEPENDENCIES:
        try:
            deps[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            deps[name] = None
    return {
        "wager": __version__,
        "build": build_info(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": deps,
    }


def show_versions() -> None:
    """Print :func:`versions`, one line each."""
    v = versions()
    print(f"wager {v['wager']}")
    for key, value in v["build"].items():
        print(f"  {key}: {value}")
    print(f"python {v['python']} on {v['platform']}")
    for name, version in v["dependencies"].items():
        print(f"  {name}: {version or 'not installed'}")
