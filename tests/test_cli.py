"""Tests of the ``docparse`` command line (``docparse.cli``).

Most run the click command in-process with :class:`click.testing.CliRunner`; a few
run the installed entry point in a subprocess, to check what a user really sees
(exit code, one-line errors) and that start-up imports nothing heavy.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

import docparse
from docparse import cli as cli_module
from docparse.cli import EXIT_INTERNAL, EXIT_PLUGIN, cli
from docparse.errors import PluginError

LETTER_EN = """\
                                        12 Elm Row, Leeds
                                        3 May 1901

Dear Mr Reader,

Thank you for the parcel, which came on Tuesday in good order.

I shall write again when I have read the books.

                                        Yours truly,
                                        Ada Writer
"""

LETTER_RU = """\
Дорогой Иван Петрович!

Посылку получил, благодарю Вас от всей души.

Ваш Николай
"""


def _run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def letters(tmp_path: Path) -> list[Path]:
    en = tmp_path / "en.txt"
    en.write_text(LETTER_EN, encoding="utf-8")
    ru = tmp_path / "ru.txt"
    ru.write_text(LETTER_RU, encoding="utf-8")
    return [en, ru]


def _stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line]


# --------------------------------------------------------------------------- --version, --help


def test_version() -> None:
    result = _run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"docparse {docparse.__version__}"


def test_help_shows_examples_and_every_exit_code() -> None:
    result = _run("--help")
    assert result.exit_code == 0
    text = result.stdout
    assert "Examples:" in text and "docparse parse letter.txt" in text
    for code in ("0", "1", "2", "3", "70"):
        assert any(line.strip().startswith(code + " ") for line in text.splitlines()), code
    for command in ("parse", "schema", "eval"):
        assert command in text


@pytest.mark.parametrize("command", ["parse", "schema", "eval"])
def test_each_command_has_help(command: str) -> None:
    result = _run(command, "--help")
    assert result.exit_code == 0 and f"docparse {command}" in result.stdout


def test_start_up_imports_nothing_heavy() -> None:
    """Importing the CLI (what --version costs) must not load the parser or its heavy libraries."""
    code = (
        "import sys, docparse.cli; "
        "heavy = ['lark', 'dateparser', 'wordfreq', 'jsonschema', 'pymorphy3', 'docparse.parser', 'tqdm']; "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_entry_point_in_a_subprocess(tmp_path: Path) -> None:
    """The console script's main(): exit codes and one-line errors as a user sees them."""
    code = "from docparse.cli import main; main()"
    ok = subprocess.run(
        [sys.executable, "-c", code, "--version"], check=False, capture_output=True, text=True
    )
    assert ok.returncode == 0 and docparse.__version__ in ok.stdout
    missing = tmp_path / "absent.txt"
    bad = subprocess.run(
        [sys.executable, "-c", code, "parse", str(missing)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert bad.stderr.strip() == f"docparse: {missing}: no such file"
    usage = subprocess.run(
        [sys.executable, "-c", code, "parse", "--nope", "x"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert usage.returncode == 2 and "No such option" in usage.stderr


# --------------------------------------------------------------------------- parse


def test_parse_one_file_gives_pretty_json_equal_to_the_api(letters: list[Path]) -> None:
    result = _run("parse", "--no-repairs", str(letters[0]))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{\n  ")
    assert docparse.loads(result.stdout) == docparse.parse_file(letters[0])


def test_compact_and_jsonl_give_one_line(letters: list[Path]) -> None:
    for flag in ("--compact", "--format=jsonl"):
        result = _run("parse", "--no-repairs", flag, str(letters[1]))
        assert result.exit_code == 0
        assert result.stdout.count("\n") == 1
        assert docparse.loads(result.stdout) == docparse.parse_file(letters[1])


def test_several_files_give_one_document_per_line_in_order(letters: list[Path]) -> None:
    result = _run("parse", "--no-repairs", str(letters[1]), str(letters[0]), str(letters[1]))
    assert result.exit_code == 0
    docs = [docparse.loads(line) for line in result.stdout.splitlines()]
    assert [d.source.name for d in docs] == [str(letters[1]), str(letters[0]), str(letters[1])]
    assert docs[1] == docparse.parse_file(letters[0])


def test_format_json_with_several_files_is_a_usage_error(letters: list[Path]) -> None:
    result = _run("parse", "--no-repairs", "--format", "json", *map(str, letters))
    assert result.exit_code == 2 and "--format jsonl" in result.stderr
    assert result.stdout == ""


def test_stdin_is_read_as_bytes() -> None:
    data = LETTER_RU.encode("cp1251")
    result = _run("parse", "--no-repairs", "-", input=data)
    assert result.exit_code == 0, result.stderr
    doc = docparse.loads(result.stdout)
    assert doc.source.name == "<stdin>" and doc.source.text == LETTER_RU
    assert doc == docparse.parse_bytes(data, "<stdin>")


def test_stdin_only_once() -> None:
    result = _run("parse", "-", "-", input=b"x")
    assert result.exit_code == 2 and "only once" in result.stderr


def test_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "koi8.txt"
    path.write_bytes(LETTER_RU.encode("koi8-r"))
    result = _run("parse", "--encoding", "koi8-r", str(path))
    assert result.exit_code == 0
    doc = docparse.loads(result.stdout)
    assert doc.source.text == LETTER_RU and doc.source.encoding == codecs.lookup("koi8-r").name
    unknown = _run("parse", "--encoding", "no-such-codec", str(path))
    assert unknown.exit_code == 2 and "unknown encoding 'no-such-codec'" in unknown.stderr
    wrong = _run("parse", "--encoding", "ascii", str(path))
    assert wrong.exit_code == 1
    assert _stderr_lines(wrong) == [wrong.stderr.strip()] and str(path) in wrong.stderr


def test_output_file_is_written_atomically(letters: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out" / "all.jsonl"
    out.parent.mkdir()
    out.write_text("old contents")
    os.chmod(out, 0o640)
    result = _run("parse", "--no-repairs", *map(str, letters), "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    docs = [docparse.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert docs == [docparse.parse_file(p) for p in letters]
    assert os.listdir(out.parent) == ["all.jsonl"]  # no temp file left behind
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the replaced file's mode is kept


def test_output_is_left_alone_when_nothing_parsed(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old contents")
    result = _run("parse", str(tmp_path / "absent.txt"), "-o", str(out))
    assert result.exit_code == 1
    assert out.read_text() == "old contents"
    assert os.listdir(tmp_path) == ["out.json"]


def test_output_into_a_missing_folder_is_one_line(letters: list[Path], tmp_path: Path) -> None:
    result = _run("parse", str(letters[0]), "-o", str(tmp_path / "no" / "out.json"))
    assert result.exit_code == 1
    expected = f"docparse: {tmp_path / 'no' / 'out.json'}: cannot write (no such directory: {tmp_path / 'no'})"
    assert _stderr_lines(result) == [expected]


def test_output_to_a_device_writes_through(letters: list[Path]) -> None:
    """-o /dev/null must not try to replace the device with a file."""
    result = _run("parse", str(letters[0]), "-o", os.devnull)
    assert result.exit_code == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# --------------------------------------------------------------------------- errors and exit codes


def test_an_unexpected_error_is_one_line_and_exit_70(
    letters: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while processing one file: one line naming it, the other files still done, exit 70."""
    real = cli_module._process

    def process(doc: docparse.Document, ctx: cli_module.ParseContext) -> docparse.Document:
        if doc.source.name == str(letters[0]):
            raise RuntimeError("boom\nsecond line")
        return real(doc, ctx)

    monkeypatch.setattr(cli_module, "_process", process)
    result = _run("parse", *map(str, letters))
    assert result.exit_code == EXIT_INTERNAL
    expected = f"docparse: internal error: {letters[0]}: RuntimeError: boom second line"
    assert _stderr_lines(result) == [expected + " (run with --debug for the traceback)"]
    assert "Traceback" not in result.stderr
    assert [docparse.loads(line).source.name for line in result.stdout.splitlines()] == [
        str(letters[1])
    ]

    debug = _run("--debug", "parse", *map(str, letters))
    assert debug.exit_code == EXIT_INTERNAL
    assert (
        "Traceback (most recent call last)" in debug.stderr and "RuntimeError: boom" in debug.stderr
    )


def test_a_plugin_error_exits_3_and_the_highest_code_wins(
    letters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def process(doc: docparse.Document, ctx: cli_module.ParseContext) -> docparse.Document:
        raise PluginError(f"{doc.source.name}: plugin 'x' failed", plugin="x")

    monkeypatch.setattr(cli_module, "_process", process)
    result = _run("parse", str(tmp_path / "absent.txt"), str(letters[0]))
    assert result.exit_code == EXIT_PLUGIN
    assert _stderr_lines(result) == [
        f"docparse: {tmp_path / 'absent.txt'}: no such file",
        f"docparse: {letters[0]}: plugin 'x' failed",
    ]


def test_an_error_outside_the_file_loop_is_handled_by_the_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A command failing as a whole: DocparseError gives its exit code, anything else exit 70."""
    import docparse.schema

    def broken() -> dict[str, object]:
        raise ValueError("schema file damaged")

    monkeypatch.setattr(docparse.schema, "load_schema", broken)
    result = _run("schema")
    assert result.exit_code == EXIT_INTERNAL
    assert _stderr_lines(result) == [
        "docparse: internal error: ValueError: schema file damaged (run with --debug for the traceback)"
    ]

    def refused() -> dict[str, object]:
        raise docparse.FormatError("schema: refused")

    monkeypatch.setattr(docparse.schema, "load_schema", refused)
    result = _run("schema")
    assert result.exit_code == 1 and _stderr_lines(result) == ["docparse: schema: refused"]


# --------------------------------------------------------------------------- schema


def test_schema_prints_the_packaged_schema() -> None:
    from docparse.schema import load_schema

    result = _run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == load_schema()
    compact = _run("schema", "--compact")
    assert compact.stdout.count("\n") == 1 and json.loads(compact.stdout) == load_schema()


# --------------------------------------------------------------------------- eval


def _gold_from_parse(path: Path) -> dict[str, object]:
    """A gold that states what the parser finds in ``path`` (so a later change of the gold is the only error)."""
    from docparse.evaluate import letter_fields

    doc = docparse.parse_file(path)
    golds = [letter_fields(letter) for letter in doc.letters]
    return golds[0] if len(golds) == 1 else {"letters": golds}


def test_eval_text_and_json(letters: list[Path], tmp_path: Path) -> None:
    """The parse's own fields as gold score 100%; one changed salutation shows up exactly once."""
    for path in letters:
        gold = _gold_from_parse(path)
        path.with_name(path.stem + ".gold.json").write_bytes(orjson.dumps(gold))
    result = _run("eval", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["files"] == 2 and data["errors"] == [] and data["worst"] == []
    for per in data["single"].values():
        assert per["all"]["strict_rate"] == 1.0

    gold_path = letters[0].with_name("en.gold.json")
    gold = orjson.loads(gold_path.read_bytes())
    letter_gold = gold["letters"][0] if "letters" in gold else gold
    letter_gold["salutation"] = "Dear Mrs Other,"
    letter_gold["language"] = "en"
    gold_path.write_bytes(orjson.dumps(gold))
    data = json.loads(_run("eval", str(tmp_path), "--format=json").stdout)
    assert [(w["file"], w["field"], w["expected"]) for w in data["worst"]] == [
        ("en.txt", "salutation", "Dear Mrs Other,")
    ]
    text = _run("eval", str(tmp_path), "--worst", "3")
    assert text.exit_code == 0
    assert "salutation" in text.stdout and "'Dear Mrs Other,'" in text.stdout
    assert "worst cases (1 of 1)" in text.stdout


def test_eval_bad_directory_and_bad_gold_are_one_line(tmp_path: Path) -> None:
    missing = _run("eval", str(tmp_path / "absent"))
    assert missing.exit_code == 1
    assert _stderr_lines(missing) == [f"docparse: {tmp_path / 'absent'}: no such directory"]
    empty = _run("eval", str(tmp_path))
    assert empty.exit_code == 1 and "no *.gold.json files" in empty.stderr
    (tmp_path / "a.txt").write_text("Dear Ann,\n")
    (tmp_path / "a.gold.json").write_text("{not json")
    bad = _run("eval", str(tmp_path))
    assert bad.exit_code == 1
    lines = _stderr_lines(bad)
    assert len(lines) == 1 and "a.gold.json: malformed JSON" in lines[0]
    assert _run("eval", str(tmp_path), "--worst", "-1").exit_code == 2


def test_eval_runs_on_the_corpus(corpus_dir: Path) -> None:
    """``docparse eval`` over real letters: it runs, counts every gold letter, and exits 0."""
    result = _run("eval", str(corpus_dir / "letters"), "--format", "json", "--worst", "5")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    golds = sorted((corpus_dir / "letters").glob("*.gold.json"))
    assert data["files"] == len(golds)
    letters = data["letters"]
    assert letters["gold"] == len(golds) == letters["paired"] + letters["missing"]
    assert letters["parsed"] == letters["paired"] + letters["extra"]
    assert data["single"]["salutation"]["all"]["n"] == len(golds) + letters["extra"]
    assert len(data["worst"]) <= 5


def test_eval_counts_a_parser_crash_and_debug_shows_it(
    letters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash on one file is a listed error and misses, not the end of the run (exit 0)."""
    for path in letters:
        path.with_name(path.stem + ".gold.json").write_bytes(orjson.dumps(_gold_from_parse(path)))

    def process(doc: docparse.Document, ctx: cli_module.ParseContext) -> docparse.Document:
        if doc.source.name == str(letters[1]):
            raise RuntimeError("boom")
        return doc

    monkeypatch.setattr(cli_module, "_process", process)
    result = _run("eval", str(tmp_path), "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert data["errors"] == [{"file": "ru.txt", "error": "internal error: RuntimeError: boom"}]
    assert data["letters"]["missing"] >= 1
    debug = _run("--debug", "eval", str(tmp_path), "--format", "json")
    assert (
        debug.exit_code == 0
        and "Traceback" in debug.stderr
        and "RuntimeError: boom" in debug.stderr
    )
