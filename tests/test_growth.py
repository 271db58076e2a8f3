"""The layout analysis does work linear in its input on the adversarial families of the
hardening issue: thousands of salutations, of dates and salutations in turn, of short
letters. Counted, not timed (the suite never times): the lexicon questions the analysis
asks, for an input and for one twice its size."""

from __future__ import annotations

import pytest

import docparse
from docparse import layout

FAMILIES = {
    "salutations": "Dear Sir,\n\n",
    "dates and salutations": "July 21, 2004\nDear Sir,\n",
    "short letters": "July 21, 2004\n\nDear Sir,\n\nWe write to you.\n\n",
    "closings": "Yours truly,\n",
}


def _questions(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    calls = 0
    match = layout.Lexicon.match

    def counted(self: layout.Lexicon, name: str, line: str):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return match(self, name, line)

    monkeypatch.setattr(layout.Lexicon, "match", counted)
    docparse.parse(text)
    monkeypatch.setattr(layout.Lexicon, "match", match)
    return calls


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_lexicon_questions_grow_linearly(monkeypatch: pytest.MonkeyPatch, family: str) -> None:
    unit = FAMILIES[family]
    small = _questions(monkeypatch, unit * 400)
    large = _questions(monkeypatch, unit * 800)
    assert small > 0
    # twice the input, at most a little over twice the questions (quadratic work: four times)
    assert large <= 2.3 * small, (family, small, large)
