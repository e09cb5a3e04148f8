"""Where a scenario came from: its file, the scenarios it extends and the
values set over them (``docs/scenarios.md``, "Extending a scenario")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ScenarioOrigin"]


@dataclass(frozen=True)
class ScenarioOrigin:
    """What a :class:`wager.Scenario` was read from.

    Attributes
    ----------
    source : str
        The file as given (``my.toml``), ``<stdin>``, ``<dict>`` or
        ``preset <name>``: what error messages name.
    extends : tuple of str
        The scenarios it extends, nearest first: ``("base.toml", "preset
        compute_first")`` for a file extending ``base.toml``, which extends the
        preset. Files are named as their ``extends`` reaches them, relative to
        the current directory when the file was given so.
    overrides : tuple of str
        Every value set over the files, in the order applied, as
        ``<where> <field.path>=<value>``: ``--set financing.initial_cash=12.5``
        from the command line, ``overrides financing.initial_cash=12.5`` from
        Python (:func:`wager.load_scenario`, :meth:`wager.Scenario.with_values`).
    """

    source: str = "<dict>"
    extends: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``source``, ``extends`` and ``overrides`` (lists)."""
        return {
            "source": self.source,
            "extends": list(self.extends),
            "overrides": list(self.overrides),
        }
