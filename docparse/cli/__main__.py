"""``python -m docparse.cli``: the ``docparse`` console script."""

from docparse.cli import main

main()
