"""What a path that is not a regular file is, for the messages that refuse it.

Both readers of user files (scenarios, result files) read regular files
only: a FIFO waits for a writer, a device may never end.
"""

from __future__ import annotations

import stat

__all__ = ["special_file_kind"]

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
