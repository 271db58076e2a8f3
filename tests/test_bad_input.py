"""Bad input: every case gives one clear line naming the input and the problem.

Each case goes through the API (an :class:`~docparse.errors.InputError` or
:class:`~docparse.errors.FormatError`) and, where a command reads that kind of
input, through the CLI (exit code 1, one ``docparse: ...`` line on stderr, no
traceback, and the other files of a multi-file run still processed). No command
reads docparse JSON yet, so malformed JSON is shown through ``docparse.loads``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import docparse
import docparse.api
from docparse.cli import cli
from docparse.errors import FormatError, InputError
from docparse.source import MAX_BYTES
from docparse.stream import MAX_STREAM_BYTES

GOOD = "Dear Ann,\n\nThe parcel came today.\n\nYours,\nBen\n"


def _run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def _one_line(message: str) -> bool:
    return "\n" not in message and "Traceback" not in message and message.strip() == message


# Each case: (id, how to make the bad input in a folder, words the message must hold,
# extra CLI options). The maker returns the path given on the command line.
def _bytes(data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "input.txt"
        path.write_bytes(data)
        return path

    return make


def _directory(folder: Path) -> Path:
    path = folder / "a-folder"
    path.mkdir()
    return path


def _missing(folder: Path) -> Path:
    return folder / "absent.txt"


def _over_limit(folder: Path) -> Path:
    path = folder / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: refused by its size, never read
    return path


def _over_stream_limit(folder: Path) -> Path:
    path = folder / "huger.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_STREAM_BYTES + 1)  # sparse: refused by its size, never read
    return path


CASES = [
    ("empty", _bytes(b""), "empty (no text to parse)", ()),
    ("blank", _bytes(b"  \n\r\n\t\n"), "empty (no text to parse)", ()),
    (
        "binary",
        _bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        "binary file",
        (),
    ),
    ("control-characters", _bytes(bytes(range(1, 32)) * 20), "binary file", ()),
    ("undecodable", _bytes(bytes(range(0x80, 0xC0)) * 4), "cannot decode", ()),
    (
        "not-the-given-encoding",
        _bytes(b"Dear \xc0 Ann,\n"),
        "not valid utf-8 at byte 5",
        ("--encoding", "utf-8"),
    ),
    ("directory", _directory, "is a directory", ()),
    ("missing", _missing, "no such file", ()),
    ("over-the-limit", _over_limit, f"the limit is {MAX_BYTES:,}", ()),
]
IDS = [case[0] for case in CASES]


@pytest.mark.parametrize(("name", "make", "words", "options"), CASES, ids=IDS)
def test_api_refuses_with_one_line(
    tmp_path: Path, name: str, make: Callable[[Path], Path], words: str, options: tuple[str, ...]
) -> None:
    path = make(tmp_path)
    encoding = options[1] if options else None
    with pytest.raises(InputError) as info:
        docparse.parse_file(path, encoding=encoding)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and words in message and _one_line(message)
    assert info.value.exit_code == 1


@pytest.mark.parametrize(("name", "make", "words", "options"), CASES, ids=IDS)
def test_cli_refuses_with_one_line_and_goes_on(
    tmp_path: Path, name: str, make: Callable[[Path], Path], words: str, options: tuple[str, ...]
) -> None:
    """The bad file between two good ones: one error line, both good documents out, exit 1.

    (Several files are written as JSON lines, streamed letter by letter, whose limit is
    :data:`docparse.stream.MAX_STREAM_BYTES`, not the whole-document one.)"""
    if name == "over-the-limit":
        make, words = _over_stream_limit, f"the limit is {MAX_STREAM_BYTES:,}"
    path = make(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    result = _run("parse", *options, str(good), str(path), str(good))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"docparse: {path}: ") and words in lines[0]
    assert _one_line(lines[0])
    docs = [docparse.loads(line) for line in result.stdout.splitlines()]
    assert [d.source.name for d in docs] == [str(good), str(good)]


def test_all_bad_inputs_in_one_run(tmp_path: Path) -> None:
    """Every bad file gets its own line, in order; the good file is still parsed."""
    paths = []
    for name, make, _, options in CASES:
        if options:
            continue
        folder = tmp_path / name
        folder.mkdir()
        paths.append(make(folder))
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    result = _run("parse", *map(str, paths), str(good))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines] == [str(p) for p in paths]
    assert [docparse.loads(x).source.name for x in result.stdout.splitlines()] == [str(good)]


def test_stdin_empty_and_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = _run("parse", "-", input=b"")
    assert empty.exit_code == 1 and empty.stderr == "docparse: <stdin>: empty (no text to parse)\n"
    monkeypatch.setattr(docparse.api, "MAX_BYTES", 100)
    big = _run("parse", "-", input=GOOD.encode() * 4)
    assert big.exit_code == 1
    assert big.stderr == "docparse: <stdin>: too large (more than the limit of 100 bytes)\n"
    with pytest.raises(InputError, match="too large"):
        docparse.parse_bytes(GOOD.encode() * 4, "x")


# --------------------------------------------------------------------------- big inputs


def test_a_one_megabyte_line_parses_whole(tmp_path: Path) -> None:
    """One 1 MB line (no newline at all) parses, and every word of it is in the tree."""
    text = "word " * 200_000
    path = tmp_path / "line.txt"
    path.write_text(text)

    def words_in(doc: docparse.Document) -> int:
        return sum(len(n.value.split()) for n in doc.walk() if isinstance(n, docparse.Leaf))

    doc = docparse.parse_file(path)
    assert doc.source.length == len(text) == 1_000_000
    assert words_in(doc) == 200_000
    result = _run("parse", "--no-repairs", "--compact", str(path))
    assert result.exit_code == 0 and result.stderr == ""
    assert docparse.loads(result.stdout) == doc


def _many_letters(path: Path, size: int) -> int:
    """Write invented letters to ``path`` until it holds at least ``size`` bytes; returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as f:
        written = 0
        while written < size:
            count += 1
            letter = (
                f"                                        {count} Elm Row, Leeds\n"
                f"                                        {1 + count % 28} May 1901\n\n"
                f"Dear Mr Reader,\n\n"
                f"Thank you for parcel number {count}, which came on Tuesday in good order.\n"
                f"The books are just what I wanted and I have begun the first of them.\n\n"
                f"I shall write again when I have read them all.\n\n"
                f"                                        Yours truly,\n"
                f"                                        Ada Writer\n\n\n"
            )
            f.write(letter)
            written += len(letter.encode("utf-8"))
    return count


def _count_in_file(path: Path, needle: bytes, chunk: int = 1 << 22) -> int:
    """Occurrences of ``needle`` in a big file, read in chunks (never all at once)."""
    total = 0
    tail = b""
    with open(path, "rb") as f:
        while block := f.read(chunk):
            data = tail + block
            total += data.count(needle)
            # keep the last len-1 bytes: a needle can straddle two chunks but is never counted twice
            tail = data[-(len(needle) - 1) :]
    return total


def test_a_20_mb_file_parses_through_the_api_and_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 MiB of letters (thousands of them) parses whole, every letter found, and the CLI
    writes it out. (Over the limit, a file is refused: see the cases above.)

    Slow (the parser takes a minute on 20 MiB), so the file is parsed once: the CLI
    run is handed the tree the API made, and does its own part for real (taking the
    path, writing some 100 MB of JSON atomically). Nothing here is timed.
    """
    size = 20 * 1024 * 1024
    assert size < MAX_BYTES, "the limit changed: this case should now expect a refusal"
    path = tmp_path / "many.txt"
    count = _many_letters(path, size)
    assert path.stat().st_size >= size

    doc = docparse.parse_file(path)
    assert doc.source.length == path.stat().st_size  # ASCII: one byte per code point
    assert len(doc.letters) == count

    calls: list[str] = []

    def parsed_once(file: str, **options: object) -> docparse.Document:
        calls.append(str(file))
        return doc

    monkeypatch.setattr(docparse.api, "parse_file", parsed_once)
    out = tmp_path / "many.json"
    result = _run("parse", "--no-repairs", "--compact", str(path), "-o", str(out))
    assert result.exit_code == 0 and result.stderr == ""
    assert calls == [str(path)]
    with open(out, "rb") as f:
        head = f.read(4096)
    assert f'"length":{path.stat().st_size}'.encode() in head
    assert _count_in_file(out, b'"type":"letter"') == count
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.json", "many.txt"]


# --------------------------------------------------------------------------- malformed JSON


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "malformed JSON"),
        (b"{", "malformed JSON"),
        (b"\xff\xfe{}", "malformed JSON"),
        ("null", "a node must be an object"),
        ("[]", "a node must be an object"),
        ('{"type": "document"}', "missing 'children'"),
        ('{"type": "nope", "children": []}', "unknown node type 'nope'"),
        (
            '{"type": "document", "schema": "docparse/9", "source": {}, "children": []}',
            "unsupported schema",
        ),
        ('{"type": "paragraph", "value": 3}', "'value' has the wrong type"),
    ],
    ids=[
        "empty",
        "truncated",
        "not-utf8",
        "null",
        "list",
        "no-children",
        "unknown-type",
        "schema",
        "value-type",
    ],
)
def test_malformed_json_is_one_format_error(data: str | bytes, words: str) -> None:
    with pytest.raises(FormatError) as info:
        docparse.loads(data)
    assert words in str(info.value) and _one_line(str(info.value))
    assert isinstance(info.value, ValueError) and info.value.exit_code == 1


def test_a_cut_off_document_is_a_format_error() -> None:
    text = docparse.dumps(docparse.parse(GOOD, "good.txt"))
    for cut in (1, len(text) // 2, len(text) - 1):
        with pytest.raises(FormatError, match="malformed JSON"):
            docparse.loads(text[:cut])
