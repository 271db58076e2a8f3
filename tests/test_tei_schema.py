"""docparse's TEI validates against TEI P5's ``tei_all.rng`` (lxml's RelaxNG), and
plugin nodes, normalizations and contacts come out as TEI encodes them.

The schema is TEI P5 4.3.0's ``tei_all.rng`` (tests/fixtures/tei/, with its licence);
it takes some 15-30 s to compile, so it is compiled once per session. The corpus
sample is bounded (``DOCPARSE_TEI_SAMPLE`` letters of each corpus set, default 3);
``scripts/validate_tei.py`` validates the whole corpus and prints the figures.
"""

from __future__ import annotations

import gzip
import os
import random
from pathlib import Path

import pytest
from lxml import etree

import docparse
from docparse.pipeline import run_repairs
from docparse.tei import TEI_NS, to_tei

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "fixtures" / "tei" / "tei_all.rng.gz"
SEED = ROOT / "examples" / "helsinki-2004" / "letter.txt"
FORMATS = sorted((ROOT / "tests" / "fixtures" / "formats").glob("*/*.txt"))
#: our own modern letters: e-mail signatures, quoted replies, subject lines, late dates,
#: signatures side by side
MODERN = sorted((ROOT / "tests" / "data" / "modern").glob("*.txt"))
CORPUS = ROOT.parent / "shared" / "corpus"
SETS = ("letters", "layouts", "ocr", "wide/letters", "de/letters")
NS = {"t": TEI_NS}

MEMO = """\
MEMORANDUM

TO: All staff
FROM: The Director
DATE: March 3, 1999
SUBJECT: Office move

The office moves to the third floor on Monday. Please pack your desks by Friday.

Boxes are in the basement, beside the boiler room.

J.D.
"""

HYPHENATED = """\
Dear Mr. Jones,

Thank you for your letter. We have re-
ceived the documents and will exam-
ine them carefully next week.

Yours sincerely,

Mary Smith
"""


@pytest.fixture(scope="module")
def tei_all() -> etree.RelaxNG:
    with gzip.open(SCHEMA) as f:
        return etree.RelaxNG(etree.parse(f))


def _valid(schema: etree.RelaxNG, xml: str) -> etree._Element:
    root = etree.fromstring(xml.encode("utf-8"))
    assert schema.validate(root), "\n".join(str(e) for e in list(schema.error_log)[:5])
    return root


def _both(doc: docparse.Document) -> list[tuple[str, docparse.Document]]:
    return [("raw", doc), ("repaired", run_repairs(doc).doc)]


def test_the_schema_refuses_what_tei_refuses(tei_all: etree.RelaxNG) -> None:
    """(The check can fail: a paragraph directly in <body> after a <div> is not TEI.)"""
    xml = to_tei(docparse.parse(MEMO)).replace("</div>", "</div><p>stray</p>", 1)
    assert not tei_all.validate(etree.fromstring(xml.encode("utf-8")))


@pytest.mark.parametrize("path", [SEED, *FORMATS, *MODERN], ids=lambda p: p.parent.name + "/" + p.name)
def test_seed_and_format_fixtures_validate(tei_all: etree.RelaxNG, path: Path) -> None:
    for _label, doc in _both(docparse.parse_file(path)):
        _valid(tei_all, to_tei(doc))


def test_a_memo_has_its_header_in_the_opener_and_its_body_in_paragraphs(tei_all: etree.RelaxNG) -> None:
    """The memo plugin's TEI mapping: header fields in <opener>, the body as <p>, no
    empty <p/>, no <postscript>, the date in <dateline><date when>."""
    for _label, doc in _both(docparse.parse(MEMO)):
        root = _valid(tei_all, to_tei(doc))
        div = root.find(".//t:div[@type='letter']", NS)
        assert [etree.QName(c).localname for c in div][:2] == ["opener", "p"]
        opener = div.find("t:opener", NS)
        fields = [s.get("subtype") for s in opener.findall("t:seg[@type='memo-field']", NS)]
        assert fields == ["to", "from", "subject"]
        assert opener.find("t:seg[@type='memo-title']", NS).text == "MEMORANDUM"
        assert opener.find("t:dateline/t:date", NS).get("when") == "1999-03-03"
        paragraphs = [("".join(p.itertext())) for p in div.findall("t:p", NS)]
        assert paragraphs[0].startswith("The office moves") and len(paragraphs) == 2
        assert div.find(".//t:postscript", NS) is None and all(p.strip() for p in paragraphs)


def test_normalizations_are_orig_reg_and_corrections_sic_corr(tei_all: etree.RelaxNG) -> None:
    """A word hyphenated at a line break, joined by ``dehyphenate``: <orig>/<reg>; with
    ``normalizations=()`` the same repair is a correction, <sic>/<corr>."""
    doc = run_repairs(docparse.parse(HYPHENATED)).doc
    root = _valid(tei_all, to_tei(doc))
    regs = root.findall(".//t:choice/t:reg", NS)
    assert regs and all(r.get("resp") == "#repair-dehyphenate" for r in regs)
    assert [o.text for o in root.findall(".//t:choice/t:orig", NS)] == ["- ", "- "]
    assert root.find(".//t:choice/t:sic", NS) is None
    as_corrections = _valid(tei_all, to_tei(doc, normalizations=()))
    assert as_corrections.find(".//t:choice/t:orig", NS) is None
    assert len(as_corrections.findall(".//t:choice/t:corr", NS)) == len(regs)


def test_contacts_are_email_and_ptr(tei_all: etree.RelaxNG) -> None:
    """The letterhead plugin's TEI mapping: an e-mail address an <email>, a web address
    followed by a <ptr target>, the line's text kept."""
    path = ROOT / "tests" / "fixtures" / "formats" / "letterhead" / "society_letterhead.txt"
    root = _valid(tei_all, to_tei(docparse.parse_file(path)))
    opener = root.find(".//t:div/t:opener", NS)
    assert [e.text for e in opener.findall(".//t:addrLine/t:email", NS)] == ["office@halverston-history.org.uk"]
    ptr = opener.find(".//t:addrLine/t:ptr", NS)
    assert ptr.get("target") == "http://www.halverston.org.uk"
    assert "".join(ptr.getparent().itertext()) == "www.halverston.org.uk"


def _corpus_sample() -> list[Path]:
    size = int(os.environ.get("DOCPARSE_TEI_SAMPLE", "3"))
    rnd = random.Random(15)
    out: list[Path] = []
    for name in SETS:
        files = sorted((CORPUS / name).glob("*.txt"))
        out += rnd.sample(files, min(size, len(files)))
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
@pytest.mark.parametrize("path", _corpus_sample() if CORPUS.is_dir() else [], ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_letters_validate_raw_and_repaired(tei_all: etree.RelaxNG, path: Path) -> None:
    for _label, doc in _both(docparse.parse_file(path)):
        _valid(tei_all, to_tei(doc))
