"""Field access for programs: the Letter accessors, the flat rows (CSV, jsonl-flat), CMIF.

A test per accessor on the seed (its English letter and its Russian translation, repaired
as ``docparse parse`` repairs them), and on a letter written here that has what the seed
lacks (a sender's address, a place on the date line, postscripts, a closing and a named
signatory with a title).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED_SEED_PATH

import docparse
from docparse.cmif import to_cmif
from docparse.fields import COLUMNS, letter_row, place_of, rows, to_csv, to_jsonl_flat
from docparse.nodes import Address, Closing, Date, Name, Postscript, Salutation, Signatory, Title

FIXTURES = Path(__file__).parent / "fixtures"

LEEDS = """\
                                        14 Mill Road
                                        Leeds LS1 4AB
                                        Leeds, 5 March 1890

Mrs. Ann Holloway
22 High Street
York

Dear Mrs. Holloway,

All is well here, and the "books" arrived; thank you.

We hope to see you in May.

Yours truly,

John Baxter
Secretary, Leeds Society

P.S. The report is enclosed.

P.P.S. Mary sends her love.
"""


@pytest.fixture(scope="module")
def seed() -> docparse.Document:
    return docparse.run_repairs(docparse.parse_file(BUNDLED_SEED_PATH)).doc


@pytest.fixture(scope="module")
def english(seed: docparse.Document) -> docparse.Letter:
    assert [letter.language for letter in seed.letters] == ["en", "ru"]
    return seed.letters[0]


@pytest.fixture(scope="module")
def russian(seed: docparse.Document) -> docparse.Letter:
    return seed.letters[1]


@pytest.fixture(scope="module")
def leeds() -> docparse.Letter:
    (letter,) = docparse.parse(LEEDS, name="leeds.txt").letters
    return letter


# ----------------------------------------------------------------- the accessors, on the seed


def test_date(english: docparse.Letter, russian: docparse.Letter) -> None:
    assert isinstance(english.date, Date)
    assert english.date.value == "July 21, 2004"  # the OCR's "July 21 , 2004", repaired
    assert english.date.iso == english.date_iso == "2004-07-21"
    # the Russian translation has no date line: its date is read from its running header
    assert russian.date is None
    assert russian.date_iso == "2004-07-21"
    assert russian.data["dates"]["from"] == "page_header"


def test_salutation(english: docparse.Letter, russian: docparse.Letter) -> None:
    assert isinstance(english.salutation, Salutation)
    assert english.salutation.value == "Dear Mr. Lukashenka:"
    assert russian.salutation is not None
    assert russian.salutation.value == "Уважаемый господин Лукашенко!"


def test_closing(english: docparse.Letter, russian: docparse.Letter) -> None:
    assert english.closing is None  # the English letter goes from its last paragraph to its signers
    assert isinstance(russian.closing, Closing)
    assert russian.closing.value == "Искренне"


def test_signatories(english: docparse.Letter, russian: docparse.Letter) -> None:
    signers = english.signatories
    assert all(isinstance(s, Signatory) for s in signers)
    assert [s.name.value if s.name else None for s in signers] == [None, "Benjamin L. Cardin, M."]
    assert [[t.value for t in s.titles] for s in signers] == [["Chairman"], ["Ranking Member"]]
    assert all(isinstance(t, Title) for s in signers for t in s.titles)
    assert russian.signatories == ()


def test_recipient(english: docparse.Letter, russian: docparse.Letter) -> None:
    assert isinstance(english.recipient, Address)
    assert english.recipient.lines == (
        "Mr. Alexander Lukashenka",
        "Administration of the President of the Republic of Belarus",
        "K. Marksa.Str., Minsk, 220016",
        "Republic of Belarus",
    )
    assert english.recipient.text == "\n".join(english.recipient.lines)
    assert russian.recipient is not None
    assert russian.recipient.lines[0] == "Господину Александру. Лукашенко"
    assert russian.recipient.lines[-1] == "Минск, республика Беларуси"


def test_sender(english: docparse.Letter, russian: docparse.Letter) -> None:
    # the seed's letters show no address of the writer's
    assert english.sender is None
    assert russian.sender is None


def test_postscripts(english: docparse.Letter, russian: docparse.Letter) -> None:
    assert english.postscripts == ()
    assert russian.postscripts == ()


def test_paragraphs(english: docparse.Letter, russian: docparse.Letter) -> None:
    assert len(english.paragraphs) == 11
    assert english.paragraphs[0].value.startswith("We are writing in response to the declaration")
    # the paragraphs plugin joins the two that a page break split: 10 of the 12 parsed
    assert len(russian.paragraphs) == 10


# ----------------------------------------------------------- the accessors, on a fuller letter


def test_accessors_of_a_letter_with_every_part(leeds: docparse.Letter) -> None:
    assert leeds.date is not None and leeds.date.value == "Leeds, 5 March 1890"
    assert leeds.date_iso == "1890-03-05"
    assert leeds.sender is not None and leeds.sender.lines == ("14 Mill Road", "Leeds LS1 4AB")
    assert leeds.recipient is not None
    assert leeds.recipient.lines == ("Mrs. Ann Holloway", "22 High Street", "York")
    assert leeds.salutation is not None and leeds.salutation.value == "Dear Mrs. Holloway,"
    assert leeds.closing is not None and leeds.closing.value == "Yours truly,"
    (signer,) = leeds.signatories
    assert isinstance(signer.name, Name) and signer.name.value == "John Baxter"
    assert [t.value for t in signer.titles] == ["Secretary, Leeds Society"]
    assert all(isinstance(p, Postscript) for p in leeds.postscripts)
    assert [p.value for p in leeds.postscripts] == ["P.S. The report is enclosed.", "P.P.S. Mary sends her love."]


def test_recipient_falls_back_to_the_inside_address_without_a_role() -> None:
    """An address above the body that the layout marked neither way is the recipient's; an
    address marked ``sender`` never is."""
    from docparse.nodes import AddressLine, Letter, Paragraph

    inside = Address(children=[AddressLine(value="Mr. X")])
    mine = Address(role="sender", children=[AddressLine(value="Me")])
    letter = Letter(children=[mine, inside, Paragraph(value="Hello.")])
    assert letter.recipient is inside
    assert letter.sender is mine
    late = Letter(children=[Paragraph(value="Hello."), Address(children=[AddressLine(value="Y")])])
    assert late.recipient is None


def test_place_of_the_date_line() -> None:
    assert place_of(Date(value="London, 5 March 1890"), "en") == "London"
    assert place_of(Date(value="Paris, le 4 avril 2025"), "fr") == "Paris"
    assert place_of(Date(value="Berlin, den 3. Mai 1999"), "de") == "Berlin"
    assert place_of(Date(value="July 21, 2004"), "en") is None
    assert place_of(Date(value="Brooklyn, August 12."), "en") is None  # no full date to cut at


# ----------------------------------------------------------------------- rows, CSV, JSONL


def test_rows_of_the_seed(seed: docparse.Document) -> None:
    first, second = rows(seed, "seed.txt")
    assert list(first) == list(COLUMNS)
    assert first["file"] == "seed.txt" and first["letter"] == 1 and second["letter"] == 2
    assert (first["language"], second["language"]) == ("en", "ru")
    assert first["date"] == "July 21, 2004" and first["date_iso"] == "2004-07-21"
    assert second["date"] is None and second["date_iso"] == "2004-07-21"
    assert first["recipient_name"] == "Mr. Alexander Lukashenka"
    assert first["recipient"].startswith("Mr. Alexander Lukashenka / Administration")
    assert first["salutation"] == "Dear Mr. Lukashenka:"
    assert (first["closing"], second["closing"]) == (None, "Искренне")
    assert first["signatories"] == "Benjamin L. Cardin, M."
    assert first["signatory_titles"] == "Chairman; Ranking Member"
    assert (first["sender"], first["postscripts"]) == (None, 0)
    assert (first["paragraphs"], second["paragraphs"]) == (11, 10)
    assert (first["pages"], second["pages"]) == (1, 3)  # the translation's two page breaks
    assert first["first_line"] == 1 and second["first_line"] == first["last_line"] + 1
    assert first["repairs"] > 0 and second["repairs"] > first["repairs"]


def test_row_of_the_fuller_letter(leeds: docparse.Letter) -> None:
    row = letter_row(leeds, file="leeds.txt", index=1)
    assert row["place"] == "Leeds"
    assert row["sender"] == "14 Mill Road / Leeds LS1 4AB"
    assert row["recipient"] == "Mrs. Ann Holloway / 22 High Street / York"
    assert row["closing"] == "Yours truly,"
    assert row["signatories"] == "John Baxter"
    assert row["signatory_titles"] == "Secretary, Leeds Society"
    assert row["postscripts"] == 2 and row["paragraphs"] == 2 and row["pages"] == 1


def test_csv_quotes_and_reads_back(seed: docparse.Document) -> None:
    doc = docparse.parse(LEEDS, name='le"eds, 1890.txt')
    text = to_csv([seed, doc])
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(table) == 3
    assert list(table[0]) == list(COLUMNS)
    assert table[2]["file"] == 'le"eds, 1890.txt'  # a quote and a comma survive
    assert table[2]["signatory_titles"] == "Secretary, Leeds Society"
    assert table[0]["closing"] == ""  # None is an empty cell
    assert table[1]["salutation"] == "Уважаемый господин Лукашенко!"
    assert '"le""eds, 1890.txt"' in text


def test_jsonl_flat_has_the_same_keys(seed: docparse.Document) -> None:
    lines = to_jsonl_flat(seed).splitlines()
    assert len(lines) == 2
    objects = [json.loads(line) for line in lines]
    assert [list(o) for o in objects] == [list(COLUMNS)] * 2
    assert objects == rows(seed)
    assert all(not isinstance(v, (list, dict)) for o in objects for v in o.values())


# ----------------------------------------------------------------------------------- CMIF

TEI = "{http://www.tei-c.org/ns/1.0}"


def _cmif_tree(text: str):  # noqa: ANN202 - an lxml element
    etree = pytest.importorskip("lxml.etree", reason="lxml is in the test extra")
    return etree.fromstring(text.encode("utf-8"))


def test_cmif_structure_of_the_seed(seed: docparse.Document, leeds: docparse.Letter) -> None:
    leeds_doc = docparse.parse(LEEDS, name="leeds.txt")
    root = _cmif_tree(to_cmif([seed, leeds_doc], when="2026-12-08"))
    assert root.tag == f"{TEI}TEI"
    header = root.find(f"{TEI}teiHeader")
    descs = header.findall(f"{TEI}profileDesc/{TEI}correspDesc")
    assert len(descs) == 3
    bibl = header.find(f"{TEI}fileDesc/{TEI}sourceDesc/{TEI}bibl")
    bibl_id = bibl.get("{http://www.w3.org/XML/1998/namespace}id")
    for desc in descs:
        # CMIF's Schematron: both actions present, @source names the bibl, a date has @when
        assert [a.get("type") for a in desc.findall(f"{TEI}correspAction")] == ["sent", "received"]
        assert desc.get("source") == f"#{bibl_id}"
        for date in desc.iter(f"{TEI}date"):
            assert date.get("when")
    sent = descs[0].find(f"{TEI}correspAction[@type='sent']")
    assert [p.text for p in sent.findall(f"{TEI}persName")] == ["Benjamin L. Cardin, M."]
    assert sent.find(f"{TEI}date").get("when") == "2004-07-21"
    received = descs[0].find(f"{TEI}correspAction[@type='received']")
    assert received.find(f"{TEI}persName").text == "Mr. Alexander Lukashenka"
    assert descs[1].find(f"{TEI}correspAction[@type='sent']/{TEI}date").get("when") == "2004-07-21"
    # the translation names no signer: CMIF's "Unknown"
    assert [p.text for p in descs[1].iter(f"{TEI}persName")] == ["Unknown", "Господину Александру. Лукашенко"]
    leeds_sent = descs[2].find(f"{TEI}correspAction[@type='sent']")
    assert leeds_sent.find(f"{TEI}persName").text == "John Baxter"
    assert leeds_sent.find(f"{TEI}placeName").text == "Leeds"
    assert leeds_sent.find(f"{TEI}date").get("when") == "1890-03-05"
    licence = header.find(f"{TEI}fileDesc/{TEI}publicationStmt/{TEI}availability/{TEI}licence")
    assert licence.get("target") == "https://creativecommons.org/licenses/by/4.0/"


def test_cmif_validates_against_the_cmif_schema(seed: docparse.Document) -> None:
    """CMIF's own RELAX NG schema (schema/cmi-customization.rng of
    TEI-Correspondence-SIG/CMIF, BSD-2-Clause, kept in tests/fixtures/cmif)."""
    etree = pytest.importorskip("lxml.etree", reason="lxml is in the test extra")
    schema = etree.RelaxNG(etree.parse(str(FIXTURES / "cmif" / "cmi-customization.rng")))
    hostile = docparse.parse("Dear <Ann> & \"co\",\n\nAll is well.\n\nYours truly,\nBen <&>\n",
                             name="a&b<c>\x01.txt")
    for doc in (seed, hostile, [seed, hostile]):
        root = _cmif_tree(to_cmif(doc, when="2026-12-08"))
        assert schema.validate(root), schema.error_log
    root = _cmif_tree(to_cmif(hostile))
    assert root.find(f".//{TEI}persName").text == "Ben <&>"
    assert root.find(f".//{TEI}title").text == "Letters of a&b<c>\ufffd.txt"  # XML cannot hold U+0001


def test_cmif_is_the_same_for_the_same_input(seed: docparse.Document) -> None:
    assert to_cmif(seed, when="2026-12-08") == to_cmif(seed, when="2026-12-08")


# ------------------------------------------------------------------------------------ CLI


def _docparse(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "docparse._launch", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=300)


@pytest.mark.parametrize("fmt", ["csv", "jsonl-flat", "cmif"])
def test_render_formats_from_the_command_line(fmt: str, tmp_path: Path) -> None:
    letter = tmp_path / "leeds.txt"
    letter.write_text(LEEDS, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    run = _docparse("render", "--format", fmt, str(letter), "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    if fmt == "csv":
        (row,) = csv.DictReader(io.StringIO(text, newline=""))
        assert row["place"] == "Leeds" and row["postscripts"] == "2"
    elif fmt == "jsonl-flat":
        (row,) = [json.loads(line) for line in text.splitlines()]
        assert row["signatories"] == "John Baxter" and row["date_iso"] == "1890-03-05"
    else:
        root = _cmif_tree(text)
        assert root.find(f".//{TEI}placeName").text == "Leeds"


def test_render_csv_of_a_parsed_json(tmp_path: Path, seed: docparse.Document) -> None:
    parsed = tmp_path / "seed.json"
    parsed.write_text(docparse.dumps(seed), encoding="utf-8")
    run = _docparse("render", "--format", "csv", str(parsed))
    assert run.returncode == 0, run.stderr
    table = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
    assert [r["language"] for r in table] == ["en", "ru"]
    assert table[0]["date_iso"] == "2004-07-21"


def test_render_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "document"', encoding="utf-8")
    run = _docparse("render", "--format", "csv", str(bad))
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("docparse: ")
    assert "Traceback" not in run.stderr
