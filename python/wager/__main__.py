"""``python -m wager``: the same as the ``wager`` command."""

from .cli import main

main()
