"""The one error a bad scenario raises, and the escaping of what it echoes."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["MAX_PROBLEMS_SHOWN", "ScenarioError", "printable"]

#: The message of a :class:`ScenarioError` shows at most this many problems,
#: then one line counting the others (all of them stay in ``problems``).
MAX_PROBLEMS_SHOWN = 10

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    r"""``text`` with every character a terminal would not print as itself escaped.

    Control characters (an escape sequence, a newline, a carriage return),
    Unicode format characters (bidirectional overrides), line and paragraph
    separators and other non-printable characters are written as Python's
    ``repr`` writes them (``\x1b``, ``\n``, ``\u202e``), so that input echoed in
    a message can neither move the cursor, clear the terminal nor start a line
    of its own. Printable text, backslashes included, is returned unchanged.

    Parameters
    ----------
    text
        Text that may come from the user: a file name, a key, a value.

    Returns
    -------
    str
        The text, safe to print on one line.

    Examples
    --------
    >>> print(printable("a\x1b[2J\nother.toml: valid"))
    a\x1b[2J\nother.toml: valid
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


class ScenarioError(ValueError):
    """A scenario was refused.

    The message names the file (or ``<dict>``), the field path and the reason,
    one line per problem: ``file: path: reason``. It shows the first
    :data:`MAX_PROBLEMS_SHOWN` problems and then one line ``file: ... and
    63,990 more problems``; ``problems`` keeps them all. Every part is passed
    through :func:`printable`, so that no echoed input can forge a line or
    drive the terminal.

    Attributes
    ----------
    source : str
        The file, or ``<dict>`` for a scenario given in code (escaped).
    problems : list of (str, str)
        Every ``(field path, reason)`` pair, escaped.
    """

    def __init__(self, source: str, problems: Sequence[tuple[str, str]]) -> None:
        self.source = printable(str(source))
        self.problems = [(printable(str(path)), printable(str(why))) for path, why in problems]
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        lines = [
            f"{self.source}: {path}: {reason}" if path else f"{self.source}: {reason}"
            for path, reason in shown
        ]
        rest = len(self.problems) - len(shown)
        if rest:
            lines.append(f"{self.source}: ... and {rest:,} more problem{'s' if rest > 1 else ''}")
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[str, list[tuple[str, str]]]]:
        # Rebuilt from its parts (a Dask worker's error reaches the caller pickled).
        return (type(self), (self.source, self.problems))
