"""Readers (ALTO, PAGE-XML, hOCR, PDF), geometry as evidence, and the ALTO/PAGE writers.

The ALTO and hOCR fixtures (``tests/fixtures/readers``) are Tesseract 5.3's output for
page images of the repository's own letters (``tests/data/modern``), made by
``scripts/ocr_pages.py``; the PAGE files are written by hand; PDFs are made here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from readers_util import READERS, assert_valid, make_pdf

import docparse
from docparse.cli import cli
from docparse.codec import dumps, from_dict, loads, to_dict
from docparse.errors import InputError
from docparse.geometry import confidence_at, word_confidences
from docparse.nodes import Document, Leaf
from docparse.readers import detect
from docparse.schema import validate
from docparse.writers import to_alto, to_page
from docparse.writers.page import to_page_files

ALTO = READERS / "cover_letter_us.styled.alto.xml"
HOCR = READERS / "cover_letter_us.styled.hocr"
TESS_TXT = READERS / "cover_letter_us.styled.tesseract.txt"
TWO_PAGES = READERS / "us_two_page_header1.typed.alto.xml"
DIN = READERS / "de_din_infoblock_i_v.styled.alto.xml"
PAGE19 = READERS / "pickering-1921.page2019.xml"
PAGE13 = READERS / "pickering-1921.page2013.xml"
SEED = Path(__file__).resolve().parent.parent / "examples" / "helsinki-2004" / "letter.txt"

LETTER_PDF = [[(400, 60, "12 March 1998"), (60, 120, "Dear Tom,"),
               (60, 150, "Thank you for the books, which came on Friday in good order."),
               (60, 165, "I shall send them back when the term ends."),
               (300, 210, "Yours sincerely,"), (300, 250, "Harold Finch")]]


def _run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def shape(doc: Document) -> list[tuple[str, str | None]]:
    """The structure of a parse: node types and (whitespace-normalised) values."""
    return [(n.type, " ".join(n.value.split()) if isinstance(n, Leaf) else None)
            for n in doc.walk() if n.type != "document"]


def _leaves(doc: Document, kind: str) -> list[Leaf]:
    return [n for n in doc.walk() if n.type == kind and isinstance(n, Leaf)]


# -- detection ---------------------------------------------------------------------


@pytest.mark.parametrize(("path", "kind"), [
    (ALTO, "alto"), (HOCR, "hocr"), (PAGE19, "page"), (PAGE13, "page"), (TESS_TXT, "text"), (SEED, "text"),
])
def test_the_format_is_detected_from_the_content(path: Path, kind: str) -> None:
    """Detection reads the content: renamed to .txt, each file is still its format."""
    assert detect(path.read_bytes(), "renamed.txt") == kind


def test_a_pdf_and_text_that_starts_with_a_tag() -> None:
    assert detect(make_pdf(LETTER_PDF), "x.bin") == "pdf"
    assert detect(b"<john@example.com> wrote:\n\nDear Ann,\n", None) == "text"
    assert detect(b'<?xml version="1.0"?><note>hi</note>', "x.xml") == "text"


# -- each reader, on real engine output and hand-written files -------------------------


@pytest.mark.parametrize("path", [ALTO, HOCR], ids=["alto", "hocr"])
def test_tesseract_output_parses_with_geometry(path: Path) -> None:
    """Tesseract's ALTO and hOCR of a styled page: the parts are found, each leaf has its
    page and box, and the right-aligned date keeps its place (leading spaces, a box on
    the right half of the page)."""
    doc = docparse.parse_file(path)
    assert doc.source.format == path.suffix.lstrip(".").replace("xml", "alto")
    assert len(doc.source.pages) == 1 and doc.source.pages[0].width == 1654
    (letter,) = doc.letters
    types = [c.type for c in letter.children]
    for kind in ("date", "salutation", "paragraph", "closing", "signature"):
        assert kind in types
    (date,) = _leaves(doc, "date")
    assert date.value == "February 10, 2025"
    assert date.data["page"] == 1 and date.data["box"][0] > 1654 / 2
    line = doc.source.text.splitlines()[date.position.start.line - 1]
    assert line.startswith(" " * 40) and line.strip() == "February 10, 2025"
    (closing,) = _leaves(doc, "closing")
    assert 700 < closing.data["box"][0] < 1000  # set from the middle of the page
    for leaf in doc.walk():
        if isinstance(leaf, Leaf) and leaf.position is not None:
            x0, y0, x1, y1 = leaf.data["box"]
            assert 0 <= x0 <= x1 <= 1654 and 0 <= y0 <= y1 <= 2339
    validate(to_dict(doc))


def test_alto_and_hocr_of_one_run_give_the_same_parse() -> None:
    assert shape(docparse.parse_file(ALTO)) == shape(docparse.parse_file(HOCR))


def test_geometry_beats_tesseract_plain_text_on_the_right_aligned_date() -> None:
    """The same recognition as plain text loses the page: every line at the margin."""
    plain = TESS_TXT.read_text(encoding="utf-8")
    assert not any(line.startswith(" ") for line in plain.splitlines())
    doc = docparse.parse_file(ALTO)
    assert any(line.startswith("    ") for line in doc.source.text.splitlines())


def test_two_pages_are_one_document_in_page_order() -> None:
    doc = docparse.parse_file(TWO_PAGES)
    assert [p.number for p in doc.source.pages] == [1, 2]
    assert doc.source.text.count("\f") == 1
    pages = [n.data["page"] for n in doc.walk() if n.type == "paragraph"]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 2
    assert any(n.type == "page_break" for n in doc.walk())


def test_din_window_address_is_one_address_block() -> None:
    doc = docparse.parse_file(DIN)
    lines = [n for n in doc.walk() if n.type == "address_line"]
    assert lines and all(n.data["page"] == 1 for n in lines)


@pytest.mark.parametrize("path", [PAGE19, PAGE13], ids=["2019", "2013"])
def test_page_xml_written_by_hand(path: Path) -> None:
    doc = docparse.parse_file(path)
    assert doc.source.format == "page"
    assert doc.source.pages[0].file == "pickering-1921-p1.png"
    (date,) = _leaves(doc, "date")
    assert date.value == "3 March 1921" and date.data["box"] == [1180, 290, 1480, 325]
    assert [n.value for n in _leaves(doc, "closing")] == ["Your loving mother,"]
    assert [n.value for n in _leaves(doc, "name")] == ["Ellen Pickering"]
    assert len(_leaves(doc, "paragraph")) == 2


def test_the_hand_written_page_2019_file_is_valid() -> None:
    assert_valid("page", PAGE19.read_text(encoding="utf-8"))


def test_page_reading_order_wins_over_file_order(tmp_path: Path) -> None:
    """Without coordinates (a transcription), the lines come in the ReadingOrder."""
    import re

    text = re.sub(r"<Coords [^>]*/>", "", PAGE19.read_text(encoding="utf-8"))
    # the date region's reading-order index swapped with the salutation's
    swapped = text.replace('index="1" regionRef="r2"', 'index="X"').replace(
        'index="2" regionRef="r3"', 'index="1" regionRef="r3"').replace('index="X"', 'index="2" regionRef="r2"')
    assert swapped != text
    moved = docparse.parse_bytes(swapped.encode(), "p.xml")
    lines = [ln.strip() for ln in moved.source.text.splitlines() if ln.strip()]
    assert lines.index("Dear Margaret,") < lines.index("3 March 1921")


def test_a_pdf_with_a_text_layer() -> None:
    doc = docparse.parse_bytes(make_pdf(LETTER_PDF), "letter.pdf")
    assert doc.source.format == "pdf" and doc.source.pages[0].width == 595
    (date,) = _leaves(doc, "date")
    assert date.value == "12 March 1998" and date.data["box"][0] > 300
    assert [n.value for n in _leaves(doc, "salutation")] == ["Dear Tom,"]
    assert [n.value for n in _leaves(doc, "closing")] == ["Yours sincerely,"]
    assert [n.value for n in _leaves(doc, "name")] == ["Harold Finch"]


def test_a_pdf_of_two_pages_and_a_page_directory(tmp_path: Path) -> None:
    two = make_pdf([LETTER_PDF[0][:3], LETTER_PDF[0][3:]])
    doc = docparse.parse_bytes(two, "two.pdf")
    assert len(doc.source.pages) == 2 and "\f" in doc.source.text
    # a directory of page files of one letter: the pages in the natural order of the names
    for n, page in ((10, LETTER_PDF[0][3:]), (2, LETTER_PDF[0][:3])):
        (tmp_path / f"page{n}.pdf").write_bytes(make_pdf([page]))
    joined = docparse.parse_file(tmp_path)
    assert [p.file for p in joined.source.pages] == ["page2.pdf", "page10.pdf"]
    assert shape(joined) == shape(doc)


# -- bad input: one line, exit code 1 ------------------------------------------------------

_ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
BAD = {
    "truncated-alto": (ALTO.read_bytes()[:3000], "malformed XML"),
    "truncated-page": (PAGE19.read_bytes()[:900], "malformed XML"),
    "wrong-namespace": (b'<alto xmlns="urn:not-alto"><Layout/></alto>', "not ALTO"),
    "external-entity": (b'<?xml version="1.0"?>\n<!DOCTYPE alto [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                        + f'<alto xmlns="{_ALTO_NS}"><Layout><Page WIDTH="9" HEIGHT="9"><PrintSpace>'
                          '<TextBlock><TextLine><String CONTENT="&x;"/></TextLine></TextBlock>'
                          '</PrintSpace></Page></Layout></alto>'.encode(), "entities"),
    "billion-laughs": (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                       + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10)
                                  for k in range(1, 10))
                       + f']>\n<alto xmlns="{_ALTO_NS}"><Layout><Page><PrintSpace><TextBlock><TextLine>'
                         '<String CONTENT="&lol9;"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>'.encode(),
                       "entities"),
    "alto-without-pages": (f'<alto xmlns="{_ALTO_NS}"><Layout/></alto>'.encode(), "without a Page"),
    "alto-bad-number": (f'<alto xmlns="{_ALTO_NS}"><Layout><Page WIDTH="wide" HEIGHT="9"/></Layout></alto>'.encode(),
                        "not a number"),
    "hocr-without-lines": (b'<html><head><meta name="ocr-system" content="tesseract"/></head><body>'
                           b'<div class="ocr_page" title="bbox 0 0 100 100"></div></body></html>', "without text"),
    "pdf-garbage": (b"%PDF-1.4\n" + bytes(range(256)) * 8, "not a readable PDF"),
    "pdf-scanned": (make_pdf([[]]), "without a text layer"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line(case: str, tmp_path: Path) -> None:
    data, words = BAD[case]
    with pytest.raises(InputError) as info:
        docparse.parse_bytes(data, "bad.xml")
    message = str(info.value)
    assert words in message and "\n" not in message and message.startswith("bad.xml: ")
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    good = tmp_path / "good.xml"
    good.write_bytes(PAGE19.read_bytes())
    result = _run("parse", str(path), str(good))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("docparse: ") and "Traceback" not in result.stderr
    assert result.stdout.count("\n") == 1  # the good file is still written (one JSON line)


def test_from_forces_a_format(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE19.read_bytes())
    as_text = _run("parse", "--from", "text", "--no-repairs", str(path))
    assert as_text.exit_code == 0 and '"format"' not in as_text.stdout
    wrong = _run("parse", "--from", "alto", str(path))
    assert wrong.exit_code == 1 and "not ALTO" in wrong.stderr
    right = _run("parse", "--from", "page", "--compact", str(path))
    assert right.exit_code == 0 and '"format":"page"' in right.stdout
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(PAGE19.read_bytes())
    assert "not a readable PDF" in _run("parse", "--from", "pdf", str(pdf)).stderr


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(0, 20000), flips=st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 255)),
                                                 max_size=6),
       which=st.sampled_from([ALTO, HOCR, PAGE19]))
def test_fuzzed_xml_is_a_document_or_one_line(cut: int, flips: list[tuple[int, int]], which: Path) -> None:
    """A truncated or byte-flipped engine file parses, or fails with one InputError line."""
    data = bytearray(which.read_bytes()[:cut])
    for at, value in flips:
        if data:
            data[at % len(data)] = value
    try:
        doc = docparse.parse_bytes(bytes(data), "fuzz.xml")
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.xml: ")
    else:
        validate(to_dict(doc))


# -- the JSON with geometry ---------------------------------------------------------------


@pytest.mark.parametrize("path", [ALTO, PAGE19], ids=["alto", "page"])
def test_geometry_round_trips_through_json(path: Path) -> None:
    doc = docparse.parse_file(path)
    assert loads(dumps(doc)) == doc
    assert from_dict(to_dict(doc)) == doc
    source = to_dict(doc)["source"]
    assert source["lines"][0]["words"][0]["confidence"] is not None


def test_word_confidences_for_plugins() -> None:
    doc = docparse.parse_file(PAGE19)
    words = word_confidences(doc.source)
    text = doc.source.text
    assert all(text[w.start:w.end] == w.text for w in words)
    spoiled = next(w for w in words if w.text == "spoiled")
    assert confidence_at(words, spoiled.start, spoiled.end) == pytest.approx(0.62)
    assert confidence_at(words, 0, 0) is None or isinstance(confidence_at(words, 0, 0), float)
    assert word_confidences(docparse.parse("Dear Ann,\n").source) == []


# -- writers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SEED, ALTO, TWO_PAGES, PAGE19], ids=["seed", "alto", "two-pages", "page"])
def test_render_alto_is_valid_and_reads_back(path: Path) -> None:
    doc = docparse.parse_file(path)
    xml = to_alto(doc)
    assert_valid("alto", xml)
    again = docparse.parse_bytes(xml.encode("utf-8"), "back.xml")
    assert again.source.format == "alto"
    assert shape(again) == shape(doc)


@pytest.mark.parametrize("path", [SEED, ALTO, PAGE19], ids=["seed", "alto", "page"])
def test_render_page_is_valid_and_reads_back(path: Path) -> None:
    doc = docparse.parse_file(path)
    xml = to_page(doc)
    assert_valid("page", xml)
    assert 'type="signature-mark"' in xml and "structure {type:salutation;}" in xml
    again = docparse.parse_bytes(xml.encode("utf-8"), "back.xml")
    assert shape(again) == shape(doc)


def test_render_page_of_several_pages_writes_a_directory(tmp_path: Path) -> None:
    doc = docparse.parse_file(TWO_PAGES)
    files = to_page_files(doc)
    assert len(files) == 2
    for xml in files:
        assert_valid("page", xml)
    out = tmp_path / "pages"
    result = _run("render", "--format", "page", str(TWO_PAGES), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(os.listdir(out)) == ["page-0001.xml", "page-0002.xml"]
    assert shape(docparse.parse_file(out)) == shape(doc)
    alone = _run("render", "--format", "page", str(TWO_PAGES))
    assert alone.exit_code == 2 and "-o DIR" in alone.stderr


def test_render_alto_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "seed.alto.xml"
    result = _run("render", "--format", "alto", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert_valid("alto", out.read_text(encoding="utf-8"))
    assert 'LABEL="salutation"' in out.read_text(encoding="utf-8")


def test_explain_reads_the_reader_text() -> None:
    result = _run("explain", str(PAGE19))
    assert result.exit_code == 0, result.stderr
    assert any("date" in line and "3 March 1921" in line for line in result.stdout.splitlines())
    as_text = _run("explain", "--from", "text", str(PAGE19))
    assert as_text.exit_code == 0 and "PcGts" in as_text.stdout


def test_jsonl_run_writes_an_alto_file_whole(tmp_path: Path) -> None:
    """In a multi-file (streamed) run, an engine file is one JSON line: its whole document."""
    result = _run("parse", str(ALTO), str(SEED))
    assert result.exit_code == 0, result.stderr
    first = loads(result.stdout.splitlines()[0])
    assert isinstance(first, Document) and first.source.format == "alto"
    assert first.source.lines and len(first.letters) == 1 and first.source.text.count("\n") > 20


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(0, 2000), flips=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)),
                                                max_size=4))
def test_fuzzed_pdf_is_a_document_or_one_line(cut: int, flips: list[tuple[int, int]]) -> None:
    """A truncated or byte-flipped PDF parses, or fails with one InputError line."""
    data = bytearray(make_pdf(LETTER_PDF)[:cut])
    for at, value in flips:
        if len(data) > 5:
            data[5 + at % (len(data) - 5)] = value  # (past %PDF-, so that it is read as PDF)
    try:
        doc = docparse.parse_bytes(bytes(data), "fuzz.pdf", format="pdf")
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.pdf: ")
    else:
        validate(to_dict(doc))


@pytest.mark.parametrize("version", [2, 4])
def test_alto_v2_and_v4_read_as_v3(version: int) -> None:
    """Tesseract writes ALTO v3; the same file in the v2 or v4 namespace reads the same."""
    data = ALTO.read_bytes().replace(b"alto/ns-v3#", b"alto/ns-v%d#" % version)
    assert shape(docparse.parse_bytes(data, "v.xml")) == shape(docparse.parse_file(ALTO))


def test_page_types_of_running_headers() -> None:
    from docparse.writers.page import region_type

    assert region_type("page_header", "- 2 -") == "page-number"
    assert region_type("page_header", "Page 3") == "page-number"
    assert region_type("page_header", "Mr. X / July 21, 2004 / Page 3") == "header"
    assert region_type("signature") == "signature-mark" and region_type("date") == "other"
    xml = to_page(docparse.parse_file(SEED))
    assert_valid("page", xml)
    assert 'type="header"' in xml or 'type="page-number"' in xml


OWN_LETTERS = sorted((Path(__file__).resolve().parent / "fixtures").glob("*.txt")) + sorted(
    (Path(__file__).resolve().parent / "data" / "modern").glob("*.txt"))


@pytest.mark.parametrize("path", OWN_LETTERS, ids=lambda p: p.stem)
def test_every_own_letter_reads_back_from_its_alto(path: Path) -> None:
    """A plain-text letter written as ALTO (boxes from its columns) parses back into the
    same structure: the geometry carries what its spaces, blank lines and form feeds did."""
    doc = docparse.parse_file(path)
    assert shape(docparse.parse_bytes(to_alto(doc).encode("utf-8"), "back.xml")) == shape(doc)


def test_page_files_and_directories_that_are_not_letters(tmp_path: Path) -> None:
    empty_page = ('<?xml version="1.0"?><PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/'
                  'pagecontent/2019-07-15"><Page imageWidth="10" imageHeight="10"/></PcGts>')
    with pytest.raises(InputError, match="PAGE-XML without text"):
        docparse.parse_bytes(empty_page.encode(), "p.xml")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "a.xml").write_bytes(PAGE19.read_bytes())
    (mixed / "b.hocr").write_bytes(HOCR.read_bytes())
    with pytest.raises(InputError, match="several formats"):
        docparse.parse_file(mixed)
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("Dear Ann,\n", encoding="utf-8")
    with pytest.raises(InputError, match="is a directory, not a file"):
        docparse.parse_file(texts)
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    with pytest.raises(InputError, match="without page files"):
        docparse.parse_file(nothing)


@pytest.mark.parametrize(("confidence", "expected"), [("0.3", "spoiled"), ("0.97", "spoilcd")])
def test_ocr_spelling_corrects_a_word_the_engine_doubted(confidence: str, expected: str) -> None:
    """The letter shows no sign of OCR, so a misspelling stays, unless the engine that read
    the word gave it a low confidence."""
    from docparse.pipeline import run_repairs

    text = PAGE19.read_text(encoding="utf-8").replace(
        '<TextEquiv conf="0.62"><Unicode>spoiled</Unicode>',
        f'<TextEquiv conf="{confidence}"><Unicode>spoilcd</Unicode>').replace(
        "whole catch spoiled by", "whole catch spoilcd by")
    doc = docparse.parse_bytes(text.encode("utf-8"), "p.xml")
    repaired = run_repairs(doc).doc
    assert repaired.letters[0].data["ocr-spelling"]["likely_ocr"] is False
    paragraph = next(n for n in repaired.walk() if n.type == "paragraph")
    assert f"catch {expected} by" in paragraph.value
    undone = next(n for n in docparse.unrepair(repaired).walk() if n.type == "paragraph")
    assert undone.value == next(n for n in doc.walk() if n.type == "paragraph").value
