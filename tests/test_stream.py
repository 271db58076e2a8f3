"""Tests of the streaming parse (``docparse.stream``) and of ``docparse parse --format jsonl``.

The oracle for a streamed file is the whole-file parse: its letters tell where each
letter starts; each letter's stretch of the file (from its first line to the next
letter's first line) parsed on its own and moved to its place must be exactly what
the stream yields, whatever the block size (so the cuts are invisible), and equal
to the whole-file parse's letter wherever the whole-file parse keeps no state from
one letter to the next (see :func:`_page_counter_leaks`).
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

import docparse
import docparse.stream as stream_module
from docparse.cli import cli
from docparse.codec import to_dict
from docparse.errors import InputError
from docparse.nodes import Document, Leaf, Letter, PageHeader
from docparse.schema import validate
from docparse.source import LineIndex
from docparse.stream import iter_parse, join_parts, shift

FIXTURES = Path(__file__).parent / "fixtures"
BLOCK_SIZES = (1, 37, 400, 10**7)


def _fixture_letters() -> list[str]:
    """The single-letter fixtures written for this project (no corpus text)."""
    texts = []
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if len(docparse.parse(text).letters) == 1:
            texts.append(text)
    assert len(texts) >= 4, "the fixtures hold too few single letters for these tests"
    return texts


@pytest.fixture(scope="module")
def bundle() -> str:
    """Several fixture letters one after another, as a file of correspondence."""
    letters = _fixture_letters()
    return "\n\n\n".join(t.strip("\n") for t in letters * 2) + "\n"


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path = tmp_path / "bundle.txt"
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def _oracle(whole: Document) -> list[dict]:
    """Each letter of ``whole`` parsed on its own (from its first line to the next
    letter's first line), moved to its place in the file; a form feed between two
    letters is no page of either (as the whole-file parse reads it)."""
    text = whole.source.text
    assert text is not None
    cuts = [0] + [_line_start(letter) for letter in whole.letters[1:]] + [len(text)]
    index = LineIndex(text)
    out = []
    for k, (a, b) in enumerate(itertools.pairwise(cuts)):
        start = index.point(a)
        part = stream_module._unfed(text[a:b]) if k > 0 else text[a:b]
        doc = stream_module._trim_separators(docparse.parse(part), start=k > 0, end=b < len(text))
        out += [to_dict(shift(letter, lines=start.line - 1, offset=a)) for letter in doc.letters]
    return out


def _line_start(node: Letter) -> int:
    assert node.position is not None
    return node.position.start.offset - (node.position.start.column - 1)


def _paged(letter: dict) -> bool:
    return any(c["type"] in ("page_header", "page_break") for c in letter["children"])


def _same_as_whole(whole: Document, streamed: list[dict]) -> int:
    """Assert that the streamed letters are the whole-file parse's, except where the whole
    parse carries its page count from letter to letter (the layout analysis numbers
    running headers per file: after a letter with headers, a later letter's bare "2"
    is not the page it expects, while a letter parsed alone starts at page 2): a
    letter after one with headers that has pages itself may differ. Returns how many
    letters were compared."""
    expected = [to_dict(x) for x in whole.letters]
    assert len(streamed) == len(expected)
    compared = 0
    headers_before = False
    for got, want in zip(streamed, expected):
        if not (headers_before and (_paged(got) or _paged(want))):
            assert got == want
            compared += 1
        headers_before = headers_before or any(isinstance(n, PageHeader) for n in _walk(want))
    return compared


def _walk(node: dict) -> Iterator[PageHeader | None]:
    yield PageHeader() if node["type"] == "page_header" else None
    for child in node.get("children", ()):
        yield from _walk(child)


def _check_parts(parts: list[Document], text: str) -> None:
    """Schema-valid parts that tile the file, with global positions consistent with it."""
    index = LineIndex(text)
    if len(parts) == 1 and "part" not in parts[0].data:  # one letter: the whole document
        assert parts[0].source.text == text
        validate(to_dict(parts[0]))
        return
    assert "".join(p.data["part"]["text"] for p in parts) == text  # nothing lost
    end = 0
    for k, part in enumerate(parts):
        validate(to_dict(part))
        info = part.data["part"]
        assert info["index"] == k and info["last"] == (k == len(parts) - 1)
        assert part.position is not None and part.position.start.offset == end
        end = part.position.end.offset
        assert part.position.slice(text) == info["text"]
        assert part.source.length == len(text) and part.source.text is None
        for node in part.walk():
            if node.position is None:
                continue
            for point in (node.position.start, node.position.end):
                assert index.point(point.offset) == point  # line and column agree with the offset
            assert part.position.start.offset <= node.position.start.offset
            assert node.position.end.offset <= part.position.end.offset
    assert end == len(text)


# --------------------------------------------------------------------------- letters equal the whole parse


@pytest.mark.parametrize("block", BLOCK_SIZES)
def test_bundle_parts_are_the_letters_of_the_whole_parse(tmp_path: Path, bundle: str, block: int) -> None:
    """Cut anywhere, the streamed letters are the whole-file parse's letters, in order."""
    path = _write(tmp_path, bundle)
    whole = docparse.parse_file(path)
    parts = list(iter_parse(path, block_chars=block))
    assert len(parts) == len(whole.letters) >= 8
    _check_parts(parts, bundle)
    streamed = [to_dict(letter) for part in parts for letter in part.letters]
    assert streamed == _oracle(whole)
    assert _same_as_whole(whole, streamed) >= len(streamed) // 2


@pytest.mark.parametrize("block", (100, 10**7))
def test_seed_parts_equal_the_whole_parse(seed_path: Path, block: int) -> None:
    whole = docparse.parse_file(seed_path)
    parts = list(iter_parse(seed_path, block_chars=block))
    assert len(parts) == len(whole.letters) == 2
    _check_parts(parts, whole.source.text or "")
    assert [to_dict(x) for p in parts for x in p.letters] == [to_dict(x) for x in whole.letters]
    joined = join_parts(parts)
    assert joined.source == whole.source and joined.position == whole.position
    assert joined.children == whole.children


def test_corpus_bundles_stream_as_their_letters(corpus_dir: Path) -> None:
    """Every file of several letters in corpus/layouts, read in blocks smaller than a
    letter: the letters of the letter-local oracle; and
    those of the whole-file parse where it carries no page count from letter to letter."""
    files = letters = compared = 0
    for path in sorted((corpus_dir / "layouts").glob("*.txt")):
        whole = docparse.parse_file(path)
        if len(whole.letters) < 2:
            continue
        oracle = _oracle(whole)
        for block in (700,):  # smaller than any letter: a cut at every letter
            parts = list(iter_parse(path, block_chars=block))
            _check_parts(parts, whole.source.text or "")
            streamed = [to_dict(x) for p in parts for x in p.letters]
            assert streamed == oracle, f"{path.name}, block {block}"
        files += 1
        letters += len(oracle)
        compared += _same_as_whole(whole, oracle)
    assert files >= 10 and compared >= 0.6 * letters, (files, letters, compared)


def test_one_letter_is_the_whole_document(tmp_path: Path) -> None:
    """A file of one letter streams as one line: the very document parse_file gives."""
    path = _write(tmp_path, _fixture_letters()[0])
    for block in (1, 10**7):
        (doc,) = iter_parse(path, block_chars=block)
        assert doc == docparse.parse_file(path) and "part" not in doc.data


# --------------------------------------------------------------------------- reading


@pytest.fixture
def small_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read a few bytes at a time, detecting the encoding from the first 512 bytes, so
    that small files take the incremental path that large files take."""
    monkeypatch.setattr(stream_module, "_READ", 7)
    monkeypatch.setattr(stream_module, "_SAMPLE", 512)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "koi8-r"])
def test_encodings_and_crlf_across_reads(
    tmp_path: Path, bundle: str, encoding: str, small_reads: None
) -> None:
    """CRLF line breaks split between two reads (or two blocks) stay one break; the text,
    encoding, digest and length are those of parse_file."""
    if encoding in ("cp1251", "koi8-r"):  # detected as such only when the text is Russian
        russian = (FIXTURES / "russian_letter.txt").read_text(encoding="utf-8").strip("\n")
        text = "\n\n\n".join([russian] * 4) + "\n"
    else:
        text = bundle + "Посылку получил, благодарю Вас от всей души.\n"
    path = _write(tmp_path, text, encoding, newline="\r\n")
    whole = docparse.parse_file(path)
    assert whole.source.text == text.replace("\n", "\r\n")
    for block in (1, 333):
        parts = list(iter_parse(path, block_chars=block))
        _check_parts(parts, whole.source.text)
        joined = join_parts(parts)
        assert joined.source == whole.source
        assert [to_dict(x) for x in joined.letters] == _oracle(whole)


def test_a_carriage_return_at_a_block_edge(tmp_path: Path, small_reads: None) -> None:
    """Every place of a lone \\r and of \\r\\n relative to the reads: lines counted right."""
    letter = "Dear Ann,\r\rAll is well.\r\n\r\nYours truly,\rBen\r\n"
    for pad in range(7):
        text = "x" * pad + "\r\n" + letter * 3
        path = _write(tmp_path, text)
        parts = list(iter_parse(path, block_chars=5))
        _check_parts(parts, text)


def test_no_letter_boundary_is_cut_at_the_part_limit(tmp_path: Path) -> None:
    """A long stretch with no letter in it: parts of at most the limit, nothing lost."""
    text = "".join(f"line {k} of a list that is not a letter at all\n" for k in range(400))
    path = _write(tmp_path, text)
    parts = list(iter_parse(path, block_chars=500, max_part_chars=2000))
    assert len(parts) > 5
    _check_parts(parts, text)
    assert all(len(p.data["part"]["text"]) <= 2000 for p in parts)
    # one line longer than the limit: cut inside it (the next part starts mid-line,
    # its columns counted from the line's start), never inside a \r\n
    text = " ".join(f"word{k}" for k in range(800)) + "\r\nDear Ann,\r\n\r\nAll is well.\r\n"
    path = _write(tmp_path, text, newline="\n")
    for limit in (999, 1000):
        parts = list(iter_parse(path, block_chars=500, max_part_chars=limit))
        assert len(parts) > 3 and parts[1].position is not None and parts[1].position.start.column > 1
        _check_parts(parts, text)


def test_a_binary_file_object_and_a_pipe(tmp_path: Path, bundle: str) -> None:
    """A binary file object (seekable or not) streams like its path."""
    import io

    path = _write(tmp_path, bundle)
    expected = list(iter_parse(path, block_chars=300))

    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            chunk = self.data.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    for handle in (path.open("rb"), Pipe(path.read_bytes())):
        with handle:
            got = list(iter_parse(handle, name=str(path), block_chars=300))
        assert got == expected


# --------------------------------------------------------------------------- bad input


def _first(path: Path, **options: object) -> Iterator[Document]:
    return next(iter_parse(path, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "data", "options"),
    [
        ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, {}),
        ("undecodable", bytes(range(0x80, 0xC0)) * 40, {}),
        ("damaged-utf8", ("Привет, мир.\n" * 60).encode() + b"\xff oops\n" + b"more text\n" * 60, {}),
        ("wrong-encoding", ("Дорогой Иван!\n" * 80).encode("cp1251"), {"encoding": "utf-8"}),
        ("bad-after-bom", codecs.BOM_UTF8 + b"Dear Ann,\n" * 80 + b"\xc3\x28\n", {}),
        ("blank", b"  \n\r\n\t\n" * 200, {}),
    ],
)
def test_bad_input_gets_the_errors_of_parse_file(
    tmp_path: Path, name: str, data: bytes, options: dict, small_reads: None
) -> None:
    """Found in the first pass, before any part: the same one-line error as parse_file."""
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as whole:
        docparse.parse_file(path, **options)
    with pytest.raises(InputError) as streamed:
        _first(path, **options)
    assert str(streamed.value) == str(whole.value)


def test_a_bad_byte_late_in_a_large_file(
    tmp_path: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the whole-file limit the first pass names the exact byte itself."""
    monkeypatch.setattr(stream_module, "MAX_BYTES", 1000)
    good = "Dear Ann, all is well. Привет.\n".encode() * 200
    path = tmp_path / "late.txt"
    path.write_bytes(good + b"\xff\n")
    with pytest.raises(InputError, match=rf"invalid UTF-8 at byte {len(good)} \(invalid start byte\)"):
        _first(path)
    path.write_bytes(b"Dear Ann,\n" * 300 + "Иван\n".encode("cp1251"))
    with pytest.raises(InputError, match=r"not valid ascii at byte 3000"):
        _first(path, encoding="ascii")


def test_missing_directory_and_too_large(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"absent\.txt: no such file$"):
        _first(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a directory, not a file"):
        _first(tmp_path)
    path = _write(tmp_path, "Dear Ann,\n\nAll is well.\n")
    with pytest.raises(InputError, match=r"too large \(24 bytes; the limit is 10\)"):
        _first(path, max_bytes=10)


# --------------------------------------------------------------------------- repairs and shift


def test_repairs_per_part_have_global_offsets(seed_path: Path) -> None:
    """Repairs run on each part; their offsets are offsets of the whole file, inside
    their node, and the Cyrillic look-alike repairs are those of the whole-file run."""
    whole = docparse.run_repairs(docparse.parse_file(seed_path)).doc
    parts = list(iter_parse(seed_path, repairs=True, block_chars=500))
    _check_parts(parts, whole.source.text or "")

    def repairs(nodes: list) -> list[tuple]:
        out = []
        for node in nodes:
            for leaf in node.walk():
                if isinstance(leaf, Leaf):
                    for r in leaf.repairs:
                        assert leaf.position is not None
                        assert leaf.position.start.offset <= r.start <= r.end <= leaf.position.end.offset
                        out.append((r.plugin, r.start, r.end, r.before, r.after))
        return out

    streamed = repairs([p for p in parts])
    assert len(streamed) > 100
    cyrillic = [r for r in repairs([whole]) if r[0] == "cyrillic-lookalikes"]
    assert cyrillic and [r for r in streamed if r[0] == "cyrillic-lookalikes"] == cyrillic


def test_shift_is_a_parse_after_blank_lines(bundle: str) -> None:
    """Moving a parsed tree by k lines and k code points gives the parse of the same
    text after k blank lines (positions only move)."""
    doc = docparse.parse(bundle)
    for k in (1, 5):
        moved = shift(doc, lines=k, offset=k)
        again = docparse.parse("\n" * k + bundle)
        assert [to_dict(x) for x in moved.children] == [to_dict(x) for x in again.children]
    with pytest.raises(ValueError):
        shift(doc, offset=-1)


# --------------------------------------------------------------------------- the command line


def test_cli_jsonl_writes_one_line_per_letter(tmp_path: Path, bundle: str) -> None:
    path = _write(tmp_path, bundle)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["parse", "--no-repairs", "--format", "jsonl", str(path), "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    lines = out.read_bytes().splitlines()
    docs = [docparse.loads(line) for line in lines]
    assert docs == list(iter_parse(path))
    assert all(isinstance(d, Document) and d.source.name == str(path) for d in docs)
    assert [orjson.loads(line)["data"]["part"]["index"] for line in lines] == list(range(len(docs)))
    _check_parts(docs, bundle)  # type: ignore[arg-type]


def test_cli_explain_names_lines_of_the_file(seed_path: Path) -> None:
    """--explain on a streamed file gives the line numbers --format json gives."""
    def heads(*options: str) -> list[str]:
        result = CliRunner().invoke(cli, ["parse", "--explain", *options, str(seed_path)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return sorted(
            line.split()[0] + " " + line.split()[2]
            for line in result.stderr.splitlines()
            if line[:1].isdigit() and "ocr-spelling" not in line
        )

    streamed = heads("--format", "jsonl")
    assert len(streamed) > 100 and streamed == heads("--format", "json")


def test_cli_stdin_streams(bundle: str) -> None:
    result = CliRunner().invoke(cli, ["parse", "--no-repairs", "--format", "jsonl", "-"],
                                input=bundle.encode("cp1251", errors="replace"), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    docs = [docparse.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) >= 8 and {d.source.name for d in docs} == {"<stdin>"}


def test_cli_bad_file_between_good_ones(tmp_path: Path, bundle: str) -> None:
    """A bad file in a streamed run: its one error line, the good files' parts out, exit 1."""
    good = _write(tmp_path, bundle)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(cli, ["parse", "--no-repairs", str(good), str(bad), str(good)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"docparse: {bad}: binary file (NUL bytes), not text"
    names = [docparse.loads(line).source.name for line in result.stdout.splitlines()]
    assert names == [str(good)] * (2 * len(list(iter_parse(good))))
