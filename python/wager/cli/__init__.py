"""The ``wager`` command: one module per command group; the options and
helpers the commands share are in ``options``."""

from __future__ import annotations

from wager.cli.main import cli, main

__all__ = ["cli", "main"]
