"""The one exception :func:`wager.read_results` raises for a file it refuses."""

from __future__ import annotations

import os

from wager.scenario.errors import printable

__all__ = ["ResultsFileError", "shown"]


class ResultsFileError(ValueError):
    """A file :func:`wager.read_results` refuses.

    Raised for every file that is not a wager result it can trust: not a
    regular file (a FIFO, a device, a directory), larger than the limit,
    truncated, malformed (not Parquet or JSON, wrong columns or cell
    types), or carrying a manifest of the wrong structure or types. The
    message starts with the file's path and says why. A subclass of
    :class:`ValueError`, so code that caught ``ValueError`` still does.
    A missing or unreadable file raises :class:`OSError` as usual.
    """


def shown(text: str | os.PathLike[str]) -> str:
    r"""``text`` as a message may echo it: non-printable characters escaped.

    A control character (an escape sequence, a newline) or any other
    character a terminal would not print as itself is written as ``repr``
    writes it (``\x1b``, ``\n``, ``\u202e``), so a forged file name or
    manifest key cannot move the cursor or start a line of its own.

    Parameters
    ----------
    text
        A path, key or value that may come from a file.

    Returns
    -------
    str
        The text, printable.
    """
    return printable(os.fspath(text))
