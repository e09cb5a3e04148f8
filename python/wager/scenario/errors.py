"""The one error a bad scenario raises."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ScenarioError"]


class ScenarioError(ValueError):
    """A scenario was refused.

    The message names the file (or ``<dict>``), the field path and the reason,
    one line per problem: ``file: path: reason``.

    Attributes
    ----------
    source : str
        The file, or ``<dict>`` for a scenario given in code.
    problems : list of (str, str)
        ``(field path, reason)`` pairs.
    """

    def __init__(self, source: str, problems: Sequence[tuple[str, str]]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = [
            f"{source}: {path}: {reason}" if path else f"{source}: {reason}"
            for path, reason in self.problems
        ]
        super().__init__("\n".join(lines))
