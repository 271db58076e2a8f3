"""ruff, with the rule set chosen in pyproject.toml ([tool.ruff.lint]), passes on the
whole repository (the library, plugins, tests, scripts, bench and the examples)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_ruff_check_passes() -> None:
    # ruff comes with the test extra (pip install -e '.[test]'); CI must not skip this
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
