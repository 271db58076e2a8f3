"""The ``docparse`` console script.

``docparse --version`` answers without importing click or the parser, so that it
stays fast; everything else goes to :func:`docparse.cli.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        # lazy: `docparse --version` answers without click or the parser
        from ._version import __version__

        sys.stdout.write(f"docparse {__version__}\n")
        return
    # lazy: `docparse --version` answers without click or the parser
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":  # pragma: no cover
    main()
