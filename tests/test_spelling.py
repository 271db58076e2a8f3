"""Tests of docparse.spelling and docparse.edits on sentences written for the tests (and the seed)."""

from __future__ import annotations

from collections import Counter

import pytest

from docparse.edits import Edit, apply_edits
from docparse.spelling import ocr_evidence, spelling_edits
from docparse.wordscore import words

from pathlib import Path

SEED_ENGLISH_LINES = 115


def correct(text: str, *, ocr: bool | None = True, vocabulary: Counter[str] | None = None) -> str:
    return apply_edits(text, spelling_edits(text, ocr=ocr, vocabulary=vocabulary))


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("the fight against corrption goes on", "the fight against corruption goes on"),
        ("The Wodd Bank lent the money", "The World Bank lent the money"),
        ("the comittee sent a lettr to the goverment", "the committee sent a letter to the government"),
        ("on the 13t of May and the 22n of June", "on the 13th of May and the 22nd of June"),
    ],
)
def test_ocr_misspellings_are_corrected_keeping_case(damaged: str, repaired: str) -> None:
    assert correct(damaged) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "The minutes were signed by the chairman and the secretary.",  # real words only
        "NATO and the OSCE met in 2004 with G8 and B52 people.",  # caps, digits
        "Jany. 4 and Thos. Brown wrote to Mr. Lukashenka.",  # abbreviations, a name
        "I sate down by the fire.",  # a real (if rare) word
        "He paid 1s for it and 2d for the stamp.",  # shillings and pence, old '2d'
        "Rec'd y'rs of the 3d inst.",  # apostrophe forms
    ],
)
def test_correct_text_is_not_changed(text: str) -> None:
    assert spelling_edits(text, ocr=True) == []


def test_rare_real_words_are_corrected_only_in_ocr_text_with_the_word_elsewhere() -> None:
    text = "We hae sent the papers and have kept a copy."
    assert correct(text, ocr=True, vocabulary=Counter(words(text))) == "We have sent the papers and have kept a copy."
    assert correct(text, ocr=False, vocabulary=Counter(words(text))) == text
    alone = "We hae sent the papers."
    assert correct(alone, ocr=True, vocabulary=Counter(words(alone))) == alone


@pytest.mark.parametrize("text", ["as if I shd ever manage it", "I take it frm your letter"])
def test_web_seen_short_forms_need_a_large_frequency_gap(text: str) -> None:
    fixed = correct(text, ocr=True)
    assert "shed" not in fixed  # "shd" is the writer's "should", not "shed"
    if "frm" in text:
        assert "from your" in fixed  # "frm" is far rarer than "from"


def test_machine_like_dropped_letters_count_as_evidence_writers_slips_do_not() -> None:
    machine = "We plced the imperaive order , and it came on snday."
    assert ocr_evidence(machine).dropped_letters >= 2
    assert ocr_evidence(machine).likely_ocr is True
    writer = "We sufered a humbl life and were welcom everywhere."  # doubled letter, final e
    assert ocr_evidence(writer).dropped_letters == 0


def test_a_name_used_elsewhere_in_the_document_is_kept() -> None:
    text = "Mr. Hapworh called. I told Hapworh about the plan."
    assert correct(text, vocabulary=Counter(words(text))) == text


def test_in_document_variant_wins() -> None:
    doc = "The Republic of Belarus. The people of Belarus. Troops left Belars."
    assert correct(doc, ocr=False, vocabulary=Counter(words(doc))).endswith("left Belarus.")


def test_without_ocr_evidence_lexicon_corrections_are_withheld() -> None:
    text = "I was tierd and sufered much, but the corrption was worse."
    assert spelling_edits(text, ocr=False) == []
    assert ocr_evidence(text).likely_ocr is False
    assert spelling_edits(text) == []  # ocr=None decides from the (clean-looking) text


def test_ocr_evidence_counts_signs() -> None:
    damaged = (
        "On July 21 , 2004 the . Council met. It agreed , after long talks , that the "
        "Wodd Bank should all ow new loans and fight corrption. The Council ended at noon."
    )
    ev = ocr_evidence(damaged)
    assert ev.space_before_punct == 3
    assert ev.stray_punct == 1
    assert ev.split_words == 1
    assert ev.lookalikes == 1
    assert ev.likely_ocr is True
    assert ev.to_dict()["words"] == ev.words > 0


def test_writer_spelling_is_not_taken_for_ocr() -> None:
    """Many unexplained non-words mean the writer's own spelling: no OCR verdict."""
    text = (
        "i have ben verry unwel this wintur and my husbun is sik , the docter sez it is "
        "the fevur . we hav no munny for the medisin and the childern are hungrey"
    )
    assert ocr_evidence(text).likely_ocr is False


def test_apply_edits_rejects_overlap_and_mismatch() -> None:
    text = "abcdef"
    with pytest.raises(ValueError, match="overlap"):
        apply_edits(text, [Edit(0, 3, "abc", "x", 0.5), Edit(2, 4, "cd", "y", 0.5)])
    with pytest.raises(ValueError, match="expects"):
        apply_edits(text, [Edit(0, 2, "zz", "x", 0.5)])
    with pytest.raises(ValueError, match="confidence"):
        Edit(0, 1, "a", "b", 1.5)
    assert apply_edits(text, [Edit(1, 2, "b", "B", 0.9), Edit(4, 4, "", "-", 0.9)]) == "aBcd-ef"


@pytest.fixture()
def seed_english(seed_path: Path) -> str:
    """The English part of the seed (skipped by ``seed_path`` when the seed is absent)."""
    return "\n".join(seed_path.read_text("utf-8").split("\n")[:SEED_ENGLISH_LINES])


def test_seed_ocr_errors_are_fixed_and_nothing_else_changes(seed_english: str) -> None:
    from docparse.spacing import dehyphenate_edits, spacing_edits

    assert ocr_evidence(seed_english).likely_ocr
    vocabulary = Counter(words(seed_english))
    changed: list[tuple[str, str]] = []
    for block in seed_english.split("\n\n"):
        value = " ".join(line.strip() for line in block.split("\n") if line.strip())
        for step in (
            lambda s: spacing_edits(s, ocr=True),
            dehyphenate_edits,
            lambda s: spelling_edits(s, vocabulary=vocabulary, ocr=True),
        ):
            edits = step(value)
            changed.extend((e.before.strip(), e.after.strip()) for e in edits if words(e.before) != words(e.after))
            value = apply_edits(value, edits)
    made = {(b, a) for b, a in changed}
    for expected in [("Belars", "Belarus"), ("Wodd", "World"), ("corrption", "corruption"),
                     ("tortre", "torture"), ("Anual", "Annual")]:
        assert expected in made
    allowed = {"Belars", "Wodd", "corrption", "tortre", "Anual", "Raning"}
    assert {b for b, _ in made if b} <= allowed
