"""Tests of the telegram grammar plugin (run with `pytest` in this folder)."""

from __future__ import annotations

from pathlib import Path

import docparse
from docparse.grammar import compose, finish_document
from docparse.schema import validate

from docparse_telegram import TelegramText, plugin, sentences

FIXTURE = Path(__file__).parent / "fixtures" / "night_letter.txt"


def _parse(plugins: list) -> docparse.Document:
    composed = compose(plugins)
    return finish_document(docparse.parse(FIXTURE.read_text(encoding="utf-8"), FIXTURE.name, grammar=composed),
                           composed)


def test_sentences_split_at_stop() -> None:
    assert sentences("ALL WELL STOP LOVE STOP") == ["ALL WELL", "LOVE"]
    assert sentences("NO STOPS HERE") == ["NO STOPS HERE"]


def test_telegram_fixture() -> None:
    """The heading is a telegram_header; the text a telegram_text with its sentences."""
    letter = _parse([plugin]).letters[0]
    types = [n.type for n in letter.children]
    assert types[0] == "telegram_header" and "telegram_text" in types
    assert letter.children[0].value == "WESTERN UNION / TELEGRAM"
    text = next(n for n in letter.children if isinstance(n, TelegramText))
    assert text.sentences[1] == "PLEASE MEET TRAIN" and len(text.sentences) == 4


def test_valid_and_round_trips() -> None:
    doc = _parse([plugin])
    validate(docparse.to_dict(doc))
    assert docparse.loads(docparse.dumps(doc)) == doc


def test_without_the_plugin_the_core_reads_it() -> None:
    """Without the plugin the telegram is an ordinary letter: no error, no telegram nodes."""
    doc = _parse([])
    assert not {n.type for n in doc.walk()} & {"telegram_header", "telegram_text"}
    assert any(n.type == "paragraph" for n in doc.letters[0].children)


def test_an_ordinary_letter_is_no_telegram() -> None:
    text = "Dear Ann,\n\nThe telegram came this morning and we are all glad of the news.\n\nYours ever,\nBen\n"
    doc = docparse.parse(text, grammar=compose([plugin]))
    assert "telegram_header" not in {n.type for n in doc.walk()}
