"""Tests of docparse.wordscore: word extraction, ICDAR-style scores, lexicon lookups."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docparse.wordscore import Scores, is_word, score, words, zipf


def test_words_are_lowercased_letter_runs_without_digits() -> None:
    assert words("Hello, Wodd! 2004 13th Ёлка don't") == ["hello", "wodd", "th", "елка", "don", "t"]


def test_words_read_yo_as_ye() -> None:
    assert words("ёж") == words("еж")


def test_score_counts_a_fixed_dropped_letter() -> None:
    s = score("the wecome letter", "the welcome letter", "the welcome letter")
    assert (s.clean_words, s.correct_before, s.correct_after) == (3, 2, 3)
    assert (s.errors_before, s.errors_after) == (1, 0)
    assert s.reduction == 1.0
    assert s.new_errors == ()


def test_score_counts_a_run_together_pair_as_two_errors() -> None:
    s = score("hear fromyou", "hear from you", "hear from you")
    assert s.errors_before == 2  # one substitution and one deletion
    assert s.correct_before == 1
    assert s.wer_after == 0.0


def test_new_errors_record_the_broken_word_with_context() -> None:
    s = score("he was almost tierd and worn", "he was almost tired and worn", "he was almost tierd and worn")
    assert len(s.new_errors) == 1
    err = s.new_errors[0]
    assert (err.before, err.after, err.clean) == ("tierd", "tired", "tierd")
    assert "[tierd]" in err.context
    assert s.reduction == 0.0  # nothing to fix: no division by zero
    assert s.errors_after == 1


def test_scores_add_up_as_counts() -> None:
    a = score("a wecome b", "a welcome b", "a welcome b")
    b = score("x y z w", "x y z q", "x y z w")
    total = sum([a, b], Scores())
    assert total.clean_words == 7
    assert total.errors_before == 1 and total.errors_after == 1
    assert len(total.new_errors) == 1
    assert total.to_dict()["wer_after"] == pytest.approx(1 / 7)
    assert total.new_errors_per(2000) == pytest.approx(2000 / 7)


@given(st.text(alphabet="ab cd\n,.", max_size=40))
def test_identical_texts_score_perfectly(text: str) -> None:
    """A repair that returns the clean text has accuracy 1 and no errors."""
    s = score(text, text, text)
    assert s.errors_after == 0 and s.accuracy_after == 1.0 and not s.new_errors


def test_lexicon_knows_real_words_and_not_web_typos() -> None:
    assert is_word("World") and is_word("corruption")
    assert not is_word("corrption") and not is_word("hve")
    assert zipf("the") > zipf("corruption") > zipf("corrption") == 0.0
