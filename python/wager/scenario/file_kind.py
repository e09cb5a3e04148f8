"""What a path that is not a regular file is, for the messages that refuse it.

Both readers of user files (scenarios, result files) read regular files
only: a FIFO waits for a writer, a device may never end.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = ["open_regular", "special_file_kind"]

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_file_kind(mode: int) -> str:
    """What a file of ``mode`` (``st_mode``) is: empty for a regular file.

    >>> special_file_kind(stat.S_IFIFO | 0o644)
    'a named pipe (FIFO)'
    """
    if stat.S_ISREG(mode):
        return ""
    return next((kind for test, kind in _KINDS if test(mode)), "a special file")


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for reading without blocking: a FIFO without a writer
    opens at once instead of waiting, so the caller can look at what was
    opened (``os.fstat``, :func:`special_file_kind`) and refuse it. For a
    regular file the flag changes nothing."""
    fd = os.open(Path(path), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        return os.fdopen(fd, "rb")
    except OSError:  # a directory: the descriptor is the caller's no longer
        os.close(fd)
        raise
