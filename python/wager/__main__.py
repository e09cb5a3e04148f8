"""``python -m wager``: the same as the ``wager`` command."""

from wager.cli import main

main()
