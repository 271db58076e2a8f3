"""docparse.lang.detect_language: script, common words, and Russian read as Latin look-alikes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from strategies import arbitrary_texts

from docparse.lang import CYRILLIC_LANGUAGES, LATIN_LANGUAGES, detect_language

# sentences written for these tests, in the register of letters
SAMPLES = [
    ("en", "I am very glad to hear from you, and that you are all well at home."),
    ("en", "We are writing in response to the declaration which you signed last month."),
    ("de", "Sehr geehrter Herr Müller, wir danken Ihnen für Ihren Brief und die Unterlagen."),
    ("fr", "Monsieur, nous avons bien reçu votre lettre et nous vous en remercions vivement."),
    ("es", "Muy señor mío: le agradecemos su carta y los documentos que nos envió ayer."),
    ("it", "Caro amico, ti ringrazio per la tua lettera che ho ricevuto ieri con piacere."),
    ("nl", "Geachte heer, hartelijk dank voor uw brief en de documenten die wij hebben ontvangen."),
    ("ru", "Мы согласны с подписавшими, что эта организация должна занимать ключевое место."),
    ("ru", "Милостивый государь! Имѣю честь увѣдомить васъ, что письмо ваше я получилъ."),
    ("ru", "Москва, 3 июля"),
    ("ru", "Там на горе стоит дом."),  # no Russian-only letter, but no clear other language
    ("uk", "Шановний пане, дякуємо вам за ваш лист і за документи, які ми отримали вчора."),
    (
        "bg",
        "Уважаеми господин директор, благодарим ви за писмото и за документите, които получихме.",
    ),
    # Russian read by an English-only OCR as Latin look-alikes
    ("ru", "Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo!"),
    ("ru", "HaCT05IHM IIHCbMOM MbI OTBetIaeM Ha IIO,IIIHCaHHoe BaMH 3a5IBneHHe"),
    ("ru", "MbI COrJlaCHbI C IIO,IIIHCaBmHMHC5I tITO OBCE ,IOJDa 3aHHMaTb"),
]


@pytest.mark.parametrize(
    ("language", "text"), SAMPLES, ids=[f"{lang}:{text[:25]}" for lang, text in SAMPLES]
)
def test_samples(language: str, text: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "12345 67", "Dear Sir,", "Yours truly,", "Mr. Walt Whitman", "Ан", "— ! —"],
)
def test_too_short_or_unclear_is_none(text: str) -> None:
    """No function words, or too few letters: None rather than a guess."""
    assert detect_language(text) is None


def test_english_with_ocr_damage_stays_english() -> None:
    text = (
        "We noted with surprse, however, the statment that the Organization is failng to implement"
    )
    assert detect_language(text) == "en"


@given(arbitrary_texts())
def test_any_text_gives_a_known_code_or_none(text: str) -> None:
    """Arbitrary text never raises and gives None or one of the candidate languages."""
    assert detect_language(text) in (None, *LATIN_LANGUAGES, *CYRILLIC_LANGUAGES)


def test_not_text_is_a_one_line_error() -> None:
    with pytest.raises(TypeError, match="needs text"):
        detect_language(b"hello")  # type: ignore[arg-type]


def test_seed_document(seed_path: Path) -> None:
    """The seed: an English letter, then its Russian translation OCR'd as Latin look-alikes."""
    lines = seed_path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    english, russian = lines[:110], lines[115:320]
    assert detect_language("\n".join(english)) == "en"
    assert detect_language("\n".join(russian)) == "ru"
    russian_lines = [line for line in russian if len(line.split()) >= 4]
    got = Counter(detect_language(line) for line in russian_lines)
    assert got["ru"] >= 0.95 * len(russian_lines), got
    english_lines = [line for line in english if len(line.split()) >= 6]
    got = Counter(detect_language(line) for line in english_lines)
    assert got["en"] >= 0.9 * len(english_lines), got
    assert got["ru"] <= 0.02 * len(english_lines), got


@pytest.mark.parametrize("folder", ["letters", "layouts", "ocr"])
def test_corpus_letters(corpus_dir: Path, folder: str) -> None:
    """Whole letters (clean, re-laid-out, OCR-damaged) against the gold language."""
    misses = []
    total = 0
    for gold_path in sorted((corpus_dir / folder).glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
        got = detect_language(text.read_text(encoding="utf-8"))
        total += 1
        if got != gold["language"]:
            misses.append((gold_path.name, gold["language"], got))
    assert total, f"no golds in {folder}"
    assert len(misses) <= 0.02 * total, misses
