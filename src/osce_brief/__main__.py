"""``python -m osce_brief``: the same as the ``brief`` command."""

from .entry import main

if __name__ == "__main__":
    main()
