"""Issue 13: the OCR detector, corrections that need OCR evidence, no start-up cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docparse
from docparse.config import Config
from docparse.nodes import Leaf, Letter
from docparse.pipeline import run_repairs
from docparse.spacing import spacing_edits
from docparse.spelling import ocr_evidence, writer_habit

FIXTURES = Path(__file__).parent / "fixtures"


def test_lookalike_index_not_loaded_for_an_english_letter() -> None:
    """A one-page English letter, parsed and repaired with the default plugins, never
    loads the look-alike index (nor pymorphy3): a fresh interpreter shows it."""
    code = (
        "import sys, docparse, docparse.cyrillic as c\n"
        "from docparse.pipeline import run_repairs\n"
        f"run_repairs(docparse.parse_file({str(FIXTURES / 'business_letter.txt')!r}))\n"
        "assert c._index.cache_info().currsize == 0, 'index loaded'\n"
        "assert c._morph.cache_info().currsize == 0, 'morphology loaded'\n"
        "assert 'pymorphy3' not in sys.modules, 'pymorphy3 imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_long_lookalike_run_does_not_recurse() -> None:
    """A look-alike 'word' of 2,100 characters is decoded without a RecursionError."""
    doc = docparse.parse("HIOJl5I" * 300)
    result = run_repairs(doc)
    assert not result.failures
    assert any(isinstance(c, Letter) for c in result.doc.children) or result.doc.children


# ---------------------------------------------------------------- the detector


#: a clean typed letter: a product name with an inner capital, hyphens the writer typed
#: inside a line, and the writer's own spellings
MODERN_CLEAN = """Dear Ms. Smith:

I am writing to apply for the archivist position. I have three years of experience with
ArchivesSpace and with describing manuscript collections, and I have worked at New Haven- Conn
for two years. My- Dear Beck was the first collection I described. I attemt to do my best, and
the work has utterd nothing but joy. We naturaly value the privleges of the reading room
and its privileges for visitors, the privileges of the staff; my friend Millis came from Algers.

Sincerely,
Jane Doe
"""

#: the same kind of letter as an OCR engine gives it back
MODERN_OCR = """Dear Ms. Smith:

I am writing to apply for the archivist position , and I have three years of experience
with describing manuscript collections . The reading room of the Library is open
to the public ; I have worked there to fight corrption in the archives.

Sincerely,
Jane Doe
"""


def _letter(doc: docparse.Document) -> Letter:
    return next(c for c in doc.children if isinstance(c, Letter))


def _repairs(doc: docparse.Document) -> list[tuple[str, str, str]]:
    return [(r.plugin, r.before, r.after) for n in doc.walk() if isinstance(n, Leaf) for r in n.repairs]


def test_a_clean_modern_letter_is_judged_clean_and_left_alone() -> None:
    doc = run_repairs(docparse.parse(MODERN_CLEAN, name="cover.txt")).doc
    letter = _letter(doc)
    assert not letter.data.get("ocr-spelling", {}).get("likely_ocr")
    assert _repairs(doc) == []  # ArchivesSpace, New Haven- Conn, attemt, utterd ... stay
    text = " ".join(n.value for n in doc.walk() if isinstance(n, Leaf))
    for kept in ("ArchivesSpace", "Haven- Conn", "My- Dear Beck", "attemt", "utterd", "naturaly",
                 "privleges", "Algers", "Millis"):
        assert kept in text
    # weak evidence is recorded, not applied: "privleges" beside "privileges" used twice
    suggested = {(s["before"], s["after"]) for s in letter.data.get("suggestions", [])}
    assert ("privleges", "privileges") in suggested


def test_an_ocr_letter_is_judged_ocr_and_reports_its_evidence() -> None:
    doc = run_repairs(docparse.parse(MODERN_OCR, name="ocr.txt")).doc
    record = _letter(doc).data["ocr-spelling"]
    assert record["likely_ocr"] and record["space_before_punct"] >= 2 and record["machine_signs"] >= 2
    assert ("ocr-spelling", "corrption", "corruption") in _repairs(doc)
    assert all(" ," not in n.value for n in doc.walk() if isinstance(n, Leaf))


def test_ocr_option_overrides_the_detector() -> None:
    clean = run_repairs(docparse.parse(MODERN_CLEAN, name="c.txt"), Config(ocr=True)).doc
    assert ("ocr-spelling", "attemt", "attempt") in _repairs(clean)
    assert _letter(clean).data["ocr-spelling"]["ocr"] == "yes"
    ocr = run_repairs(docparse.parse(MODERN_OCR, name="o.txt"), Config(ocr=False)).doc
    assert not any(p in ("spacing", "ocr-spelling") for p, _, _ in _repairs(ocr))
    assert _letter(ocr).data["suggestions"]  # what would have been done, as suggestions


def test_misspellings_alone_do_not_make_a_letter_ocr() -> None:
    text = ("I have sufered much this winter and we woud have writen sooner but the wether "
            "was bad and the childen were sick and the docter came twice. " * 3)
    assert not ocr_evidence(text).likely_ocr
    assert ocr_evidence(text.replace("winter and", "winter , and").replace("came twice", "came twice .  And")
                        ).machine_signs >= 1


def test_a_hyphen_at_a_line_end_still_closes_in_a_clean_letter() -> None:
    text = "Dear Sir:\n\nThe far-\nreaching plan of New Haven- Conn is good.\n\nYours,\nJ. D.\n"
    doc = run_repairs(docparse.parse(text, name="h.txt")).doc
    values = " ".join(n.value for n in doc.walk() if isinstance(n, Leaf))
    assert "far-reaching" in values and "Haven- Conn" in values


def test_writer_habits() -> None:
    assert writer_habit("arest", "arrest") == "doubled-letter"
    assert writer_habit("utterd", "uttered") == "-d-for-ed"
    assert writer_habit("welcom", "welcome") == "final-e"
    assert writer_habit("corrption", "corruption") is None
    assert writer_habit("belars", "belarus") is None


def test_writers_spacing_is_kept_even_in_ocr_text() -> None:
    for text in ("and he s gone and she d go", "the plates &c are mine", "wish this. . . and more",
                 "what of that ? ?", "Jeff s in town"):
        assert spacing_edits(text, ocr=True) == [], text


def test_a_writers_dash_before_a_capital_stays_in_ocr_text() -> None:
    text = ("Dear Sir:\n\nWe value the privileges of the staff , and the reading room of "
            "New Haven- Conn.\n\nYours,\nJ. D.\n")
    doc = run_repairs(docparse.parse(text, name="d.txt")).doc
    assert _letter(doc).data["ocr-spelling"]["likely_ocr"]
    values = " ".join(n.value for n in doc.walk() if isinstance(n, Leaf))
    assert "Haven- Conn" in values and "staff, and" in values
