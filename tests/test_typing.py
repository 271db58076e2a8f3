"""mypy is clean on docparse/ with the settings of pyproject.toml ([tool.mypy]:
check_untyped_defs, disallow_untyped_defs, strict_equality, warn_unused_ignores ...)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean_on_the_package() -> None:
    """`mypy` (files, settings and per-module exceptions from pyproject.toml) finds nothing."""
    run = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
