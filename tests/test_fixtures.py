"""Data-driven parse fixtures: ``tests/fixtures/<case>.txt`` beside ``<case>.json``.

Each ``.txt`` is read as bytes (so CRLF files stay CRLF) and parsed with
:func:`docparse.parse_bytes`; the result, as ``docparse/1`` JSON without
``source.text`` (the ``.txt`` beside it is the text, and ``source.sha256`` pins
it), must equal the ``.json`` exactly. A missing ``.json`` fails. Only
``pytest --update-fixtures`` (re)writes the ``.json`` files; review the diff
before committing: the expected files record the actual parse, so a wrong
parse is fixed in the parser, never by editing the expected file.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

import docparse
from docparse.codec import to_dict
from docparse.schema import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: the parse cases: top-level files only (sub-folders hold other tests' inputs, e.g. ``validate/``)
CASES = sorted(FIXTURES.glob("*.txt"))


def _case_id(path: Path) -> str:
    return path.relative_to(FIXTURES).with_suffix("").as_posix()


def _actual(path: Path) -> str:
    name = path.relative_to(FIXTURES).as_posix()
    obj = to_dict(docparse.parse_bytes(path.read_bytes(), name))
    validate(obj)
    obj["source"].pop("text", None)
    text = orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    return text


def test_there_are_fixtures() -> None:
    """The fixture folder is found and holds cases (a moved folder would pass silently)."""
    assert len(CASES) >= 8, f"expected fixtures under {FIXTURES}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_fixture(case: Path, update_fixtures: bool) -> None:
    """``parse_bytes(<case>.txt)`` gives exactly ``<case>.json``."""
    expected_path = case.with_suffix(".json")
    text = _actual(case)
    if update_fixtures:
        if not expected_path.exists() or expected_path.read_text(encoding="utf-8") != text:
            expected_path.write_text(text, encoding="utf-8")
        return
    if not expected_path.exists():
        pytest.fail(
            f"{expected_path.relative_to(FIXTURES.parent.parent)} is missing; "
            "run `pytest tests/test_fixtures.py --update-fixtures` and review it"
        )
    expected = expected_path.read_text(encoding="utf-8")
    # compare the texts so that a failure shows a line diff of the JSON
    assert text == expected, f"{case.name}: parse differs from {expected_path.name}"


# ------------------------------------------------------------- the bundled example

REPO = FIXTURES.parent.parent
EXAMPLE = REPO / "examples" / "helsinki-2004" / "letter.txt"


@pytest.mark.parametrize(
    ("flags", "expected_name"),
    [((), "letter.json"), (("--no-repairs",), "letter.raw.json")],
    ids=["repaired", "raw"],
)
def test_bundled_example_json_is_what_docparse_writes(
    flags: tuple[str, ...], expected_name: str, update_fixtures: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``examples/helsinki-2004/letter.json`` (and ``letter.raw.json``) are exactly what the
    README's first command (``docparse parse examples/helsinki-2004/letter.txt``) writes
    now, repaired by the default plugins (raw: ``--no-repairs``); ``--update-fixtures``
    rewrites them."""
    from click.testing import CliRunner

    from docparse import config
    from docparse.cli import cli

    monkeypatch.chdir(REPO)  # the command as the README gives it, from the repository root
    monkeypatch.setattr(config, "load_config", lambda start=None: config.Config())
    result = CliRunner().invoke(cli, ["parse", *flags, EXAMPLE.relative_to(REPO).as_posix()],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    expected_path = EXAMPLE.with_name(expected_name)
    if update_fixtures:
        if expected_path.read_text(encoding="utf-8") != result.stdout:
            expected_path.write_text(result.stdout, encoding="utf-8")
        return
    assert result.stdout == expected_path.read_text(encoding="utf-8"), (
        f"{expected_path.relative_to(REPO)} is not what docparse writes now; run "
        "`pytest tests/test_fixtures.py --update-fixtures` and review the diff"
    )


def test_bundled_example_is_the_seed() -> None:
    """The example is the founding document byte for byte (its sha256), so that the seed
    tests can read it where the shared folder is absent."""
    import hashlib

    from conftest import BUNDLED_SEED_PATH, SHARED_SEED_PATH

    digest = hashlib.sha256(BUNDLED_SEED_PATH.read_bytes()).hexdigest()
    assert digest == "a3b713a98f161c29d9ef8e0b22f48da7d119f847bcae3288dcb1e5b74f48baaf"
    if SHARED_SEED_PATH.is_file():
        assert SHARED_SEED_PATH.read_bytes() == BUNDLED_SEED_PATH.read_bytes()
