"""Tests of docparse.cyrillic: detecting and decoding Russian read as Latin look-alikes.

The look-alike lines below are written for these tests in the way the seed's English-only
OCR reads Cyrillic (``JI`` = л, ``5I`` = я, ``,I`` = д, ...); the seed itself is used when
``../shared/seed`` is present.
"""

from __future__ import annotations

import itertools

import pytest
from conftest import SEED_PATH

from docparse.cyrillic import decode, decode_edits, is_lookalike_text, lookalike_score
from docparse.edits import apply_edits

SEED = SEED_PATH  # the shared seed, else its bundled copy (tests/conftest.py)

LOOKALIKE = [
    "Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo!",
    "3-a5I cTpaHHIJa",
    "OCnO,DHHY AneKCaH,DPY. JIYKameHKo",
    "I1cKpeHHe",
    "MbI COrJlaCHbI C BaMH",
    "5I ,nYMalO, tITO 3TO BaM HHTepeCHo.",
    "21 HlOn5I 2004 r.",
    "BOT HOBbIe KHHrH ,nJI5I HaIIIeH 6H6nHOTeKH",
]
NOT_LOOKALIKE = [
    "Benjamin L. Cardin, M.C.",
    "MANPADs",
    "OSCE",
    "NATO",
    "We agree with the signatories that the OSCE should occupy a key place.",
    "Republic of Belarus, Minsk 220016",
    "July 21, 2004",
    "1975",
    "",
    "Уважаемый господин Лукашенко!",
    "Мы согласны с вами, что OSCE это важно.",
    "P.O. Box 1234, Washington, DC 20515",
]


@pytest.mark.parametrize("line", LOOKALIKE)
def test_lookalike_lines_are_detected(line: str) -> None:
    """Russian read as Latin look-alikes scores above the threshold, even one word."""
    assert is_lookalike_text(line), (line, lookalike_score(line))


@pytest.mark.parametrize("line", NOT_LOOKALIKE)
def test_other_text_is_not_detected(line: str) -> None:
    """English, Latin-script names, acronyms, numbers, dates and real Cyrillic do not."""
    assert not is_lookalike_text(line), (line, lookalike_score(line))


def test_score_is_a_probability_and_longer_evidence_is_surer() -> None:
    """The score stays in 0..1; a paragraph of look-alike lines scores at least as high as
    its weakest line."""
    scores = [lookalike_score(line) for line in LOOKALIKE + NOT_LOOKALIKE]
    assert all(0.0 <= s <= 1.0 for s in scores)
    paragraph = " ".join(LOOKALIKE)
    assert lookalike_score(paragraph) >= min(lookalike_score(line) for line in LOOKALIKE)


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo!", "Уважаемый господин Лукашенко!"),
        ("3-a5I cTpaHHIJa", "3-я страница"),
        ("I1cKpeHHe", "Искренне"),
        ("MbI COrJlaCHbI C BaMH.", "Мы согласны с вами."),
        ("CTpaHbI HATO H OBCE, a TaK2e CMM", "Страны НАТО и ОБСЕ, а также СМИ"),
        ("21 HlOn5I 2004 r.", "21 июля 2004 г."),
        ("5I ,nYMalO, tITO 3TO BaM HHTepeCHo.", "Я думаю, что это вам интересно."),
    ],
)
def test_decoding_phrases(damaged: str, clean: str) -> None:
    """Look-alike phrases decode to Cyrillic with natural case (acronyms in capitals,
    names and sentence starts capitalized), ``3`` as з/э and ``3-a5I`` as ``3-я``."""
    assert decode(damaged) == clean


def test_numbers_and_english_are_untouched() -> None:
    """Numbers and English words in a look-alike line keep their text; English text
    around it gets no edits at all."""
    text = (
        "The OSCE approaches its anniversary in 2004.\n"
        "KOMIIJleKCOB (MANP AD) B 1975 ro,IY, B 2004 ro,IY H OSCE\n"
        "We fully support strengthening all aspects of the OSCE process.\n"
    )
    edits = decode_edits(text)
    changed = {e.before for e in edits}
    assert {"MANP", "AD", "1975", "2004", "OSCE"}.isdisjoint(changed)
    first_line_end = text.index("\n")
    last_line_start = text.rindex("2004.") + len("2004.")
    assert all(first_line_end < e.start for e in edits)
    assert all(e.end <= text.rindex("\nWe") for e in edits)
    assert last_line_start < text.rindex("\nWe")
    assert "1975" in decode(text) and "2004 году" in decode(text)


def test_edit_offsets_are_consistent() -> None:
    """Every edit names the text it replaces, edits are sorted and do not overlap, and
    applying them gives decode()."""
    text = "Intro line in English.\n\n" + "\n".join(LOOKALIKE) + "\n"
    edits = decode_edits(text)
    assert edits
    for e in edits:
        assert text[e.start : e.end] == e.before
        assert 0.0 <= e.confidence <= 1.0
    assert all(a.end <= b.start for a, b in itertools.pairwise(edits))
    assert apply_edits(text, edits) == decode(text)


def test_split_word_is_joined() -> None:
    """A word the OCR split in two (one half unknown) is joined; two real words are not."""
    assert decode("MbI IIO,nTBep2K ,IaeM KOM HCCHH") == "Мы подтверждаем комиссии"
    assert decode("MbI 6bInH B EenapYCH") == "Мы были в Беларуси"


def test_guillemets() -> None:
    """The OCR's ``((``/``))`` for «/» are restored in look-alike lines only."""
    assert decode("((OpraHH3aIJH5I)) JIYtIme") == "«Организация» лучше"
    assert decode("He said ((so)) twice") == "He said ((so)) twice"


@pytest.mark.skipif(not SEED.exists(), reason=f"seed document not found at {SEED}")
def test_seed_russian_part() -> None:
    """On the seed: its English part gets no edits; its salutation, closing and a page
    header decode as a reader would write them."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("Y Ba2KaeMbIH")
    english_end = text.index("Raning Member")
    edits = decode_edits(text)
    assert all(e.start > english_end for e in edits)
    out = decode(text)
    assert "Уважаемый господин Лукашенко!" in out
    assert "\nИскренне" in out
    assert "3-я страница" in out
    assert "21 июля 2004 г." in out and "21 HIOIT" not in out
    assert out.count("Господину Александру Лукашенко") >= 2  # its running headers
    assert "2004" in out[start:] and "1975" in out
    for e in edits:
        assert text[e.start : e.end] == e.before


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        # an adjective takes the case/number/gender of its noun (M/H = й, м, и)
        ("MHn0cTHBbIM foCy,rapb!", "Милостивый государь!"),
        ("BeCb TB0H ,IoJlr", "Весь твой долг"),
        # a lone 5 before a first-person verb or a short adjective is the pronoun я
        ("tITO 5 YBepeH, BbI He OTKa2KeTeCb", "Что я уверен, вы не откажетесь"),
        # a capital H before a full stop among initials is Н, not the conjunction и
        ("Jl. H. TOJICToH", "Л. Н. Толстой"),
        # a letter the OCR lost (the final ь) is restored when the word is common
        ("MHn0cTHBbIH foCy,rap!", "Милостивый государь!"),
    ],
)
def test_context_and_lost_letters(damaged: str, clean: str) -> None:
    """Readings that need a neighbour (agreement, я before a verb, initials) or a lost
    letter decode as a reader would write them."""
    assert decode(damaged) == clean


def test_numbers_stay_numbers_before_nouns() -> None:
    """A lone 5 before a noun is a number (``5 лет``), not the pronoun я."""
    assert decode("MbI 5KHJlH TaM 5 JIeT") .endswith("5 лет")


def test_pre_1918_spelling_only_in_old_letters() -> None:
    """The old-spelling readings (word-final ъ, ѣ) apply only to text written in the old
    spelling (several words end in ``'b``); a modern letter keeps ``стоить``."""
    assert decode("MO5I lIpOCbOa Oy,IeT CToHTb BaM ,IeHer") == "Моя просьба будет стоить вам денег"
    old = decode("B'b TOM'b r0,Iy OH'b ObIJI'b B'b MOCKBb")
    assert old.split()[:2] == ["Въ", "томъ"] and old.endswith("Москвѣ")


def test_postscript_stays_latin() -> None:
    """``P. S.`` is Latin in Russian letters too."""
    assert decode("P. S. Ey,IbTe TaK ,nOopbI").lower() == "p. s. будьте так добры"


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        # a one-letter preposition before a word it cannot govern is the first letter of a
        # word split by the OCR (о + verb, в + preposition) ...
        ("MbI 3HaeM, tITO OH O Ka3aJlC5I ,IOMa.", "Мы знаем, что он оказался дома."),
        ("B o BCeM OH IIpaB.", "Во всем он прав."),
        # ... or the last letter of the word before it
        ("HO tITOObI 3T O ObIJIO H3BeCTHO", "Но чтобы это было известно"),
        # an enclitic never follows a one-letter conjunction: ``и ли`` is ``или``
        ("KHHrH H JIH ra3eTbI", "Книги или газеты"),
        # a one-letter word run into its neighbour is split off
        ("pa,IOCTbH rOpe", "Радость и горе"),
        # a preposition is never followed by a conjunction: ``из и их`` is ``из них``
        ("TeIIepb H3 H HX HHKTO He 3HaeT", "Теперь из них никто не знает"),
    ],
)
def test_split_and_run_together_one_letter_words(damaged: str, clean: str) -> None:
    """Words split after their first letter and one-letter words run into a neighbour are
    told apart by Russian grammar, not by a word list."""
    assert decode(damaged) == clean


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        # ``.S`` = я that lost its S, ``,I`` = д that lost its I, ``)K`` = ж at a word start
        ("Bo Bc.KOM CJIytIae MbI Oy,IeM", "Во всяком случае мы будем"),
        ("He IIetIaTaHTe B 3TOM BH,e.", "Не печатайте в этом виде."),
        ("CTaTb5I B )KypHaJIe", "Статья в журнале"),
        # ... while a full stop after one letter stays an initial or an abbreviation
        ("Jl.H.TOJICToH", "Л.Н.Толстой"),
        # a Roman numeral keeps its ordinal ending
        ("I-5I rJIaBa pOMaHa", "I-я глава романа"),
    ],
)
def test_punctuation_inside_words(damaged: str, clean: str) -> None:
    """Punctuation that is part of a letter's reading decodes; real punctuation stays."""
    assert decode(damaged) == clean


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        # the adjective before a noun chooses the noun's case and number (й/и)
        ("pe,IKHX H3,IaHHH IIpOmJIOrO BeKa", "Редких изданий прошлого века"),
        # ... but a preposition is no noun to agree with (``из`` is also a rare name)
        ("IIO,IBaJl. TeIIepb O,IHH H3 HHX 3aHHMaeTC5I", "Подвал. Теперь один из них занимается"),
        # the lexicon writes ё (убеждён): the lone 5 before it is still я
        ("tITO 5 yOe)K,IeH, tITO OH IIpaB", "Что я убежден, что он прав"),
        # an abbreviation (ООО) needs capitals: lower-case glyphs read an ordinary word
        ("pacCKa2Ky oo0 Bcem", "Расскажу обо всем"),
        # a surname after initials, in the nominative, with the OCR's space before the stop
        ("C. A . T0JCToM.", "С. А . Толстой."),
    ],
)
def test_context_chooses_among_close_readings(damaged: str, clean: str) -> None:
    """Grammar and the document's own conventions choose between readings that the
    lexicon scores alike."""
    assert decode(damaged) == clean


def test_unknown_words_spelled_like_russian() -> None:
    """A word no lexicon knows (an invented name here) gets the spelling whose letter
    trigrams are Russian-like where a glyph is ambiguous (``H`` = н/и)."""
    assert decode("MbI 6bIJIH TaM. Ta MHpHmHa").endswith("миришна")


def test_old_letters_keep_the_soft_sign() -> None:
    """In a letter that writes ъ as ``'b``, a bare ``b`` at a word end is ь, not a silent ъ
    (``стоить`` stays an infinitive)."""
    assert decode("B'b TOM'b r0,Iy OH'b CTaJI'b CToHTb ,IOpO2Ke").endswith("стоить дороже")


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        # other engines read one Cyrillic letter as one Latin letter (issue 13): Ш as w,
        # Д as g, Ч as u
        ("MbI XOTHM wKOny H gOM", "Мы хотим школу и дом"),
        ("Mbl 6bInH Ha BCTpeue B MocKBe", "Мы были на встрече в Москве"),
        ("OTBeT Ha Bawe nHCbMO", "Ответ на ваше письмо"),
    ],
)
def test_other_engines_one_letter_readings(damaged: str, clean: str) -> None:
    assert decode(damaged) == clean
