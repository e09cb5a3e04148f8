"""``python -m wager``: the same as the ``wager`` command."""

from wager.cli import main

if __name__ == "__main__":
    main()
