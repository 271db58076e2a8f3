"""Tests of the windowed whole-text parse (``docparse.stream.parse_windowed``) and of the
lean JSON path (``docparse.codec.iter_dumpb`` / ``dump`` / ``dumpb``).

The oracle is the plain whole-text parse (``docparse.parser.parse_text``): a long text
parsed window by window must give exactly the same ``Document`` (every node, position,
page number and the source), whatever the window size. The windows are forced small here
(a few letters each) so that a text of some dozens of letters is cut many times.
"""

from __future__ import annotations

import gc
import importlib.util
import io
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import orjson
import pytest
from click.testing import CliRunner

import docparse
import docparse.codec as codec_module
import docparse.stream as stream_module
from docparse.cli import cli
from docparse.codec import dump, dumpb, dumps, iter_dumpb, to_dict
from docparse.nodes import Document, PageHeader
from docparse.parser import parse_text
from docparse.source import source_info
from docparse.stream import WindowStats, _parse_windowed, parse_windowed

REPO_ROOT = Path(__file__).resolve().parent.parent
SEPARATORS = ("\n\n\n", "\n\f", "\n", "\n\n")


def _bench_letters() -> ModuleType:
    """``bench/letters.py``: the reproducible generator of benchmark letters."""
    spec = importlib.util.spec_from_file_location("_bench_letters", REPO_ROOT / "bench" / "letters.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LETTERS = _bench_letters()


def _generated(n: int, start: int = 0) -> list[str]:
    makers: list[Callable[[int], str]] = [LETTERS.english_letter, LETTERS.russian_letter, LETTERS.ocr_russian]
    return [makers[k % 3](start + k) for k in range(n)]


def _join(texts: list[str]) -> str:
    """The texts one after another, with the separators of real bundles in turn (blank
    lines, a form feed, a single line break)."""
    out = []
    for k, text in enumerate(texts):
        if k:
            out.append(SEPARATORS[k % len(SEPARATORS)])
        out.append(text)
    return "".join(out)


def _both(text: str, window: int) -> tuple[Document, Document, WindowStats]:
    source = source_info(text, "bundle.txt", "utf-8")
    whole = parse_text(text, source)
    windowed, stats = _parse_windowed(text, source, window_chars=window)
    return whole, windowed, stats


def _assert_same(whole: Document, windowed: Document) -> None:
    if windowed != whole:  # name the first letter that differs, not the whole tree
        assert windowed.position == whole.position and windowed.source == whole.source
        for k, (a, b) in enumerate(zip(windowed.children, whole.children)):
            assert to_dict(a) == to_dict(b), f"child {k} differs"
        assert len(windowed.children) == len(whole.children)
    assert windowed == whole


# --------------------------------------------------------------------------- the same document


@pytest.fixture(scope="module")
def generated() -> str:
    """36 generated letters (English, Russian, OCR'd Russian; a third with running headers)."""
    return _join(_generated(36))


@pytest.mark.parametrize("window", (10_000, 40_000))
def test_generated_letters_parse_the_same_in_windows(generated: str, window: int) -> None:
    """Cut at every few letters, the document is the whole-text parse's, node for node."""
    whole, windowed, stats = _both(generated, window)
    assert len(whole.letters) == 36
    _assert_same(whole, windowed)
    assert not stats.fallback and stats.cuts >= (8 if window < 20_000 else 2), stats


def test_crlf_and_cr_line_breaks(generated: str) -> None:
    """Windows end at line ends, never between the two characters of a CRLF."""
    for newline in ("\r\n", "\r"):
        text = generated[: len(generated) // 2].replace("\n", newline)
        whole, windowed, stats = _both(text, 2_500)
        _assert_same(whole, windowed)
        assert not stats.fallback and stats.cuts >= 3, stats


def test_corpus_bundles_parse_the_same_in_windows(corpus_dir: Path, seed_path: Path) -> None:
    """The corpus's files of several letters, the seed and generated letters, one after
    another: the same document in windows as whole."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus_dir / "layouts").glob("*.txt"))
             if p.name.startswith(("bundle-", "tolstoy-"))]
    assert len(texts) >= 20, "the corpus holds too few bundles for this test"
    texts.insert(len(texts) // 2, seed_path.read_text(encoding="utf-8"))
    mixed = []
    for k, text in enumerate(texts):
        mixed.append(text)
        if k % 3 == 0:
            mixed += _generated(1, 500 + k)
    whole, windowed, stats = _both(_join(mixed), 6_000)
    assert len(whole.letters) >= 60
    _assert_same(whole, windowed)
    assert not stats.fallback and stats.cuts >= 15, stats


def test_the_page_count_runs_across_windows() -> None:
    """A running header is numbered by the count the whole text keeps: after a letter
    whose headers reached page 2, a later letter's bare "3" after a gap of blank lines is
    its page 3 (read alone it is no header at all: a bare number out of sequence counts
    only at a form feed). The window holding that letter is opened with the letter
    holding the last header, so the count resumes where the text has it."""
    with_headers = [k for k in range(40) if "\f" in LETTERS.english_letter(k)]
    without = [k for k in range(40) if "\f" not in LETTERS.english_letter(k)]
    first = LETTERS.english_letter(with_headers[0])
    assert "Page 2" in first and "Page 3" not in first
    lines = LETTERS.english_letter(without[0]).split("\n")
    mid = lines.index("", len(lines) // 2)
    bare = "\n".join(lines[:mid] + ["", "", "", "3", ""] + lines[mid + 1:])
    text = "\n\n\n".join([first] + [LETTERS.english_letter(k) for k in without[1:12]] + [bare])

    whole, windowed, stats = _both(text, 9_000)
    pages = [h.page for h in whole.walk() if isinstance(h, PageHeader)]
    assert pages == [2, 3]
    assert not [h for h in docparse.parse(bare).walk() if isinstance(h, PageHeader)]
    _assert_same(whole, windowed)
    assert stats.prefixes >= 1 and stats.cuts >= 1 and not stats.retries and not stats.fallback, stats


def test_text_without_letter_boundaries() -> None:
    """A long text that is no file of letters: the windows grow to the end; same document."""
    text = "".join(f"line {k} of a list that is not a letter at all\n" for k in range(1500))
    whole, windowed, stats = _both(text, 2_000)
    _assert_same(whole, windowed)
    assert stats.cuts == 0 and not stats.fallback


def test_parse_takes_the_window_path_for_long_texts(
    generated: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """parse, parse_bytes and parse_file window a text over the threshold (and only then),
    with the same result as before: source.text, sha256 and encoding included."""
    calls: list[int] = []
    real = stream_module.parse_windowed

    def spy(text: str, *args: object, **kwargs: object) -> Document:
        calls.append(len(text))
        return real(text, *args, window_chars=8_000)  # type: ignore[arg-type]

    monkeypatch.setattr(stream_module, "parse_windowed", spy)
    monkeypatch.setattr(stream_module, "WINDOW_THRESHOLD", 50_000)
    text = generated[:100_000]
    path = tmp_path / "bundle.txt"
    path.write_bytes(text.encode("utf-8"))
    source = source_info(text, str(path), "utf-8", path.read_bytes())
    whole = parse_text(text, source)
    assert docparse.parse_file(path) == whole
    assert docparse.parse_bytes(path.read_bytes(), str(path)) == whole
    assert docparse.parse(text, str(path)) == parse_text(text, source_info(text, str(path), "utf-8"))
    assert calls == [len(text)] * 3
    short = LETTERS.english_letter(1)
    assert docparse.parse(short) == parse_text(short, source_info(short, None, "utf-8"))
    assert len(calls) == 3


def test_public_function_and_arguments(generated: str) -> None:
    """parse_windowed gives the plain parse; it leaves the collector's thresholds as it
    found them (it collects the oldest generation less often while it runs)."""
    text = generated[:30_000]
    source = source_info(text, None, "utf-8")
    thresholds = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    real = stream_module._windows

    def spy(*args: object) -> object:
        seen.append(gc.get_threshold())
        return real(*args)  # type: ignore[arg-type]

    try:
        stream_module._windows = spy  # type: ignore[assignment]
        assert parse_windowed(text, source, window_chars=5_000) == parse_text(text, source)
    finally:
        stream_module._windows = real
    assert seen and seen[0][2] > thresholds[2] and gc.get_threshold() == thresholds
    with pytest.raises(ValueError):
        parse_windowed(text, source, window_chars=0)
    assert gc.get_threshold() == thresholds


# --------------------------------------------------------------------------- the JSON, in pieces


def _documents(generated: str) -> list:
    doc = docparse.parse(generated[:40_000])
    letter = doc.letters[0]
    leaf = letter.children[0]
    empty = Document(children=(), source=doc.source)
    return [doc, letter, leaf, empty, docparse.run_repairs(docparse.parse(LETTERS.ocr_russian(3))).doc]


@pytest.mark.parametrize("indent", (False, True))
@pytest.mark.parametrize("lean", (False, True))
def test_json_in_pieces_is_the_json_of_the_dict(
    generated: str, indent: bool, lean: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """iter_dumpb's pieces, dumpb, dump and dumps give byte for byte what orjson gives for
    the whole dict tree (pretty or compact), and read back to the same tree; so do they
    when every document takes the lean path (``lean``: no dict tree, the source text
    written in chunks of 1,000 code points, dumpb's buffer sized by a first pass)."""
    if lean:
        monkeypatch.setattr(codec_module, "_LEAN_CHARS", 0)
        monkeypatch.setattr(codec_module, "_TEXT_CHUNK", 1000)
    option = orjson.OPT_INDENT_2 if indent else 0
    for node in _documents(generated):
        want = orjson.dumps(to_dict(node), option=option)
        assert b"".join(iter_dumpb(node, indent=indent)) == want
        assert dumpb(node, indent=indent) == want
        assert dumps(node, indent=indent) == want.decode("utf-8")
        out = io.BytesIO()
        assert dump(node, out, indent=indent) == len(want)
        assert out.getvalue() == want
        assert docparse.loads(want) == node
        if lean and isinstance(node, Document) and node.children:
            assert len(list(iter_dumpb(node, indent=indent))) > len(node.children) + 3


def test_a_source_text_holding_the_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    """The placeholder the lean path puts for the source text, found elsewhere in the
    document (here in its name): the text is then written whole, and the JSON is right."""
    monkeypatch.setattr(codec_module, "_LEAN_CHARS", 0)
    monkeypatch.setattr(codec_module, "_TEXT_CHUNK", 100)
    text = LETTERS.english_letter(2) + '\n\x01 "quoted" \\ back\u2028slash\n'
    doc = docparse.parse(text, "x" + codec_module._TEXT_MARK)
    for other in (doc, docparse.parse(text, "plain")):
        assert dumpb(other) == orjson.dumps(to_dict(other))
        assert dumpb(other, indent=True) == orjson.dumps(to_dict(other), option=orjson.OPT_INDENT_2)


def test_cli_json_is_written_in_pieces(tmp_path: Path, generated: str) -> None:
    """docparse parse FILE writes the pretty JSON of the whole document (and --compact the
    compact one), with a final line break, as the codec gives it."""
    path = tmp_path / "bundle.txt"
    path.write_bytes(generated[:30_000].encode("utf-8"))
    doc = docparse.parse_file(path)
    for options, indent in (([], True), (["--compact"], False)):
        out = tmp_path / "out.json"
        result = CliRunner().invoke(cli, ["parse", "--no-repairs", *options, str(path), "-o", str(out)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert out.read_bytes() == dumpb(doc, indent=indent) + b"\n"
        result = CliRunner().invoke(cli, ["parse", "--no-repairs", *options, str(path)], catch_exceptions=False)
        assert result.stdout_bytes == dumpb(doc, indent=indent) + b"\n"
