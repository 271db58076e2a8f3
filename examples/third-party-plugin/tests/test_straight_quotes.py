"""Tests of the straight-quotes plugin, run with the docparse it is installed beside."""

from __future__ import annotations

from docparse.config import Config
from docparse.nodes import Document, Letter, Paragraph
from docparse.pipeline import available_plugins, run_repairs
from docparse.repair import unrepair

from docparse_straight_quotes import plugin, quote_edits


def _doc(value: str) -> Document:
    return Document(children=(Letter(children=(Paragraph(value=value),)),))


def test_quote_edits_find_every_curly_quote() -> None:
    text = "He said “it’s done” «here»."
    edits = quote_edits(text)
    assert [e.before for e in edits] == ["“", "’", "”"]
    assert len(quote_edits(text, guillemets=True)) == 5


def test_plugin_is_discovered_and_off_by_default() -> None:
    infos = {i.name: i for i in available_plugins(Config())}
    assert infos["straight-quotes"].plugin is plugin
    assert not infos["straight-quotes"].enabled


def test_plugin_runs_on_request_and_is_undoable() -> None:
    doc = _doc("He said “it’s done”.")
    result = run_repairs(doc, Config(enable=("straight-quotes",)))
    assert result.failures == ()
    para = result.doc.children[0].children[0]
    assert para.value == "He said \"it's done\"."
    assert [r.plugin for r in para.repairs] == ["straight-quotes"] * 3
    assert unrepair(result.doc).children == doc.children
