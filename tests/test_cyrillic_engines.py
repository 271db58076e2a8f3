"""Look-alike Russian from other OCR engines than the seed's (issue 13).

The sample lines are ours: Russian sentences typed here and spelled the way Tesseract's
English model reads Cyrillic (one Latin glyph per letter, chaotic case), and the way the
seed's engine does (multi-glyph sequences).
"""

from __future__ import annotations

from docparse.plugins.cyrillic import letter_is_lookalike

import docparse
from docparse.cyrillic import decode, mixed_case_lookalike, seed_like
from docparse.nodes import Letter
from docparse.pipeline import run_repairs

# "Дорогой брат! Пишу тебе из Москвы. Я думаю, что мы скоро увидимся. Твой Николай."
TESSERACT = (
    "fOporon 6paT!\n\n"
    "NuwWy Te6e U3 MOCKBbI. A gyMaw, 4TO MbI CKOpo YBMgUMCA, U HanuwWy Tebe OnATb.\n"
    "Bce HaWwW 3gecb 3gOpOBbI U KNAHAIOTCA Tebe.\n\n"
    "TBou HUKonau\n"
)
SEED_STYLE = "MbI COrJlaCHbI C IIO,IIIHCaBmHMHC5I tITO OBCE ,IOJDa 3aHHMaTb KJlOtIeBOe MeCTO"
ENGLISH = (
    "Dear Mr. McDonald,\n\nThank you for the JavaScript notes and the iPhone photos of "
    "the ArchivesSpace workshop. We will meet again in May.\n\nYours truly,\nJohn Smith\n"
)


def test_mixed_case_text_is_lookalike() -> None:
    assert mixed_case_lookalike(TESSERACT)
    assert not seed_like(TESSERACT)


def test_seed_text_is_seed_like() -> None:
    assert seed_like(SEED_STYLE)


def test_english_with_inner_capitals_is_not_lookalike() -> None:
    assert not mixed_case_lookalike(ENGLISH)
    doc = docparse.parse(ENGLISH)
    letter = next(c for c in doc.children if isinstance(c, Letter))
    assert not letter_is_lookalike(letter, 0.5)
    out = run_repairs(doc).doc
    assert out.source.text == ENGLISH
    assert all(not getattr(n, "repairs", ()) for n in out.walk())


def test_tesseract_letter_is_decoded_whole() -> None:
    doc = run_repairs(docparse.parse(TESSERACT)).doc
    letter = next(c for c in doc.children if isinstance(c, Letter))
    assert letter.language == "ru"
    text = " ".join(getattr(n, "value", "") for n in letter.walk()).lower()
    for word in ("москвы", "думаю", "что", "мы", "тебе"):
        assert word in text, (word, text)


def test_numbers_read_as_prepositions() -> None:
    assert decode("OTBeT Ha BOlIpOC 0 HeBbIIIOJlHeHHH 005I3aTeJlbCTB").split()[3] == "о"
    assert "по вопросам" in decode("KOOp,IHHaTOpa OECE 110 BOllpocaM 3KOHOMHKH")
    assert "0 градусов" in decode("OKOJIO 0 rpa,nyCOB")  # a number before a noun in the genitive
