"""The seed's Russian letter, decoded from its Latin look-alikes, against a hand-made reference.

``tests/fixtures/reference/seed_russian.txt`` is the Russian letter of the seed document
(``examples/helsinki-2004/letter.txt``) written out by hand in Cyrillic, as it was printed
before an English-only OCR read it: the OCR's lost one-letter words (``с удивлением``,
``в Европе``) are in it, so they count as not restored. Its running headers stand in their
own blocks; the comparison leaves them out on both sides (the headers are checked by
``scripts/measure_repairs.py``'s seed section) and counts the Cyrillic words only
(:mod:`docparse.wordscore`: lower-cased, ``ё`` = ``е``, aligned in order).

Issue 13 asks for >= 97% of the Russian words restored. Measured: 94.0% before the
issue-13 changes, 95.4% now; the floor below holds what is reached (see the report in
docs/repairs.md for what is missing).
"""

from __future__ import annotations

from pathlib import Path

import regex

import docparse
from docparse.nodes import Leaf
from docparse.pipeline import run_repairs
from docparse.wordscore import score, words

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "helsinki-2004" / "letter.txt"
REFERENCE = ROOT / "tests" / "fixtures" / "reference" / "seed_russian.txt"
HEADER = "Господину Александру Лукашенко\n21 июля 2004 г."
FLOOR = 0.953

_CYRILLIC = regex.compile(r"\p{Cyrillic}")


def _cyrillic_words(text: str) -> str:
    return " ".join(w for w in words(text) if _CYRILLIC.search(w))


def _reference() -> str:
    blocks = REFERENCE.read_text("utf-8").split("\n\n")
    return "\n\n".join(b for b in blocks if not b.startswith(HEADER))


def _decoded() -> tuple[str, str]:
    doc = run_repairs(docparse.parse_file(SEED)).doc
    ru = doc.letters[1]
    leaves = [n for n in ru.walk() if isinstance(n, Leaf) and n.type != "page_header"]
    from docparse.repair import undo_leaf

    before = "\n".join(undo_leaf(n).value for n in leaves)
    after = "\n".join(n.value for n in leaves)
    return before, after


def test_reference_is_the_seed_letter() -> None:
    ref = _cyrillic_words(_reference()).split()
    assert len(ref) > 1000
    assert ref[:3] == ["господину", "александру", "лукашенко"]
    assert ref[-1] == "искренне"


def test_seed_russian_words_restored() -> None:
    before, after = _decoded()
    s = score(_cyrillic_words(before), _cyrillic_words(after), _cyrillic_words(_reference()))
    assert s.accuracy_before < 0.05  # the OCR's text: essentially no word is Cyrillic
    assert s.accuracy_after >= FLOOR, f"{s.correct_after}/{s.clean_words} = {s.accuracy_after:.4f}"
