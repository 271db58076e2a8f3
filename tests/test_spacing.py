"""Tests of docparse.spacing on sentences written for the tests."""

from __future__ import annotations

import pytest

from docparse.edits import Edit, apply_edits
from docparse.spacing import dehyphenate_edits, spacing_edits


def fix(text: str, *, ocr: bool | None = True) -> str:
    edits = spacing_edits(text, ocr=ocr)
    for e in edits:
        assert text[e.start : e.end] == e.before
    text = apply_edits(text, edits)
    return apply_edits(text, dehyphenate_edits(text))


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Signed on March 4 , 1999 in Paris .", "Signed on March 4, 1999 in Paris."),
        ("the committee , which met ; agreed", "the committee, which met; agreed"),
        ("We sent the ledgers to the . Board of Trade", "We sent the ledgers to the Board of Trade"),
        ("the old bridges., and roads", "the old bridges, and roads"),
        (", Main Street, Springfield", "Main Street, Springfield"),
        ("a very m ixed crowd", "a very mixed crowd"),
        ("please all ow me to say", "please allow me to say"),
        ("the stock of FAQ Ds was low", "the stock of FAQ Ds was low"),
        ("seventy- two people", "seventy-two people"),
        ("a long- standing friend", "a long-standing friend"),
        ("the genera- tion of steam", "the generation of steam"),
        ("we met in LondonUNESCO offices", "we met in London UNESCO offices"),
        ("I heard fromyou at last", "I heard from you at last"),
        ("he works likean honest man", "he works like an honest man"),
        ("she is alsoa painter", "she is also a painter"),
        ("the latest outburstof temper", "the latest outburst of temper"),
        ("Ifeel better today", "I feel better today"),
        ("so called comfort and Artand Luxury", "so called comfort and Art and Luxury"),
    ],
)
def test_spacing_repairs(damaged: str, repaired: str) -> None:
    assert fix(damaged) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith, M.C., arrived at 3.30 p.m. on the 4th.",
        "Wait... and then — nothing at all--nothing.",
        "Write to j.doe@example.org or see www.example.com/a b today.",
        "In the summer of '78 we sailed; etc., etc.",
        "Camden N J — U S America, 4 P M",
        "Love to Mrs. B and all the others.",
        "He came to-day and every thing went well.",
        "a tenantless house and a cheerfull letter",
    ],
)
def test_clean_text_is_left_alone(text: str) -> None:
    assert spacing_edits(text, ocr=True) == [] or fix(text) == text
    assert dehyphenate_edits(text) == []


def test_run_together_lower_case_needs_ocr_verdict() -> None:
    text = "I shall write soon and ifeel better"
    assert fix(text, ocr=False) == text
    assert fix(text, ocr=True) == "I shall write soon and i feel better"


def test_split_compound_and_dehyphenation_never_overlap() -> None:
    text = "the compre- hensive and far- reaching plan"
    spans = {(e.start, e.end) for e in spacing_edits(text)} & {(e.start, e.end) for e in dehyphenate_edits(text)}
    assert not spans


def test_edits_are_sorted_non_overlapping_and_reasoned() -> None:
    text = "On July 21 , 2004 the . Council adopted , unanimously , the all ow rule"
    edits = spacing_edits(text, ocr=True)
    assert all(isinstance(e, Edit) and e.reason for e in edits)
    assert all(a.end <= b.start for a, b in zip(edits, edits[1:]))
    assert apply_edits(text, edits) == "On July 21, 2004 the Council adopted, unanimously, the allow rule"


@pytest.mark.parametrize(
    "text",
    [
        "write all abot it",  # "about" with a letter lost, not "a bot": spelling's to fix
        "the people beteen us",  # "between", not "be teen"
        "a stout twopenny pen",  # a compound the writer closed
        "the Littlebill family",  # a capitalised run: a name
        "as I have alwas been",  # "always" misspelt, not "al was"
    ],
)
def test_runs_that_one_word_explains_are_not_split(text: str) -> None:
    assert fix(text, ocr=True) == text


def test_repeated_calls_give_fresh_equal_lists() -> None:
    text = "On July 21 , 2004 the Council met"
    first = spacing_edits(text, ocr=True)
    first.clear()
    assert spacing_edits(text, ocr=True) != [] and spacing_edits(text, ocr=True) == spacing_edits(text, ocr=True)
