"""Shared test set-up: Hypothesis profiles, ``--update-fixtures``, corpus locations.

Hypothesis profiles (chosen by the ``HYPOTHESIS_PROFILE`` environment variable):

* ``dev`` (the default): few examples, for a quick run while working;
* ``ci``: at least 500 examples per property, as CI runs them
  (``HYPOTHESIS_PROFILE=ci pytest``).

Neither profile has a deadline: tests never assert on time (benchmarks measure it).

``pytest --update-fixtures`` rewrites the expected JSON of the data-driven
fixtures (``tests/fixtures``) from the current parse; without it a missing or
different expected file fails the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: the repository root (the folder holding ``pyproject.toml``)
REPO_ROOT = Path(__file__).resolve().parent.parent
#: the shared letter corpus, beside the repository (never copied into it)
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"
#: the founding document, as shared beside the repository
SHARED_SEED_PATH = REPO_ROOT.parent / "shared" / "seed" / "000_6d7bea923b489c0f.txt"
#: the same document, bundled as the example (byte for byte; test_fixtures checks it)
BUNDLED_SEED_PATH = REPO_ROOT / "examples" / "helsinki-2004" / "letter.txt"
#: the founding document the seed tests read: the shared copy, else the bundled one, so
#: that they run on a machine without the shared folder too
SEED_PATH = SHARED_SEED_PATH if SHARED_SEED_PATH.is_file() else BUNDLED_SEED_PATH

settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
if _PROFILE not in ("dev", "ci"):
    raise pytest.UsageError(
        f"HYPOTHESIS_PROFILE={_PROFILE!r} is not a profile; use 'dev' or 'ci'"
    )
settings.load_profile(_PROFILE)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        default=False,
        help="rewrite the expected JSON of tests/fixtures from the current parse "
        "(review the diff before committing)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"hypothesis profile: {_PROFILE}"


@pytest.fixture
def update_fixtures(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with ``--update-fixtures``."""
    return bool(request.config.getoption("--update-fixtures"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """``../shared/corpus`` beside the repository; the test is skipped when it is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"letter corpus not found at {CORPUS_DIR} (it lives outside the repository)")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The founding document (the shared copy, else the bundled example); the test is
    skipped only if neither is there."""
    if not SEED_PATH.is_file():
        pytest.skip(f"seed document not found at {SEED_PATH} (it lives outside the repository)")
    return SEED_PATH
