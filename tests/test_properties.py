"""Properties of the tree, the codec, the schema, the renderer and the parser, over
random trees and texts from ``tests/strategies.py``.

Each test's docstring states the property it checks. Run thoroughly with
``HYPOTHESIS_PROFILE=ci pytest tests/test_properties.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import arbitrary_texts, documents, letter_texts, texts

import docparse
from docparse.codec import dumps, loads, to_dict
from docparse.nodes import Document, Leaf, Node, Parent
from docparse.rendering import render
from docparse.schema import validate
from docparse.source import LineIndex

Structure = tuple[Any, ...]


def structure(node: Node) -> Structure:
    """A node's type and value or children, recursively: the tree with positions,
    data and repairs left out."""
    if isinstance(node, Leaf):
        return (node.type, node.value)
    if isinstance(node, Parent):
        return (node.type, tuple(structure(c) for c in node.children))
    return (node.type,)


# -- the codec -------------------------------------------------------------------


@given(documents(extras=True))
def test_json_round_trip_of_generated_trees(doc: Document) -> None:
    """``loads(dumps(t)) == t`` for any tree, whatever its data, repairs and positions."""
    assert loads(dumps(doc)) == doc
    assert loads(dumps(doc, indent=True)) == doc


@given(texts())
def test_json_round_trip_of_parsed_trees(text: str) -> None:
    """``loads(dumps(parse(s))) == parse(s)`` for any text ``s``."""
    doc = docparse.parse(text)
    assert loads(dumps(doc)) == doc


# -- the schema ------------------------------------------------------------------


@given(texts())
def test_parse_output_is_valid(text: str) -> None:
    """What ``parse`` returns serializes to a valid ``docparse/1`` document."""
    validate(to_dict(docparse.parse(text)))


@given(documents(extras=True))
def test_dumps_output_is_valid(doc: Document) -> None:
    """What ``dumps`` writes is a valid ``docparse/1`` document (for trees built from
    the node classes with the documented field values)."""
    validate(orjson.loads(dumps(doc)))


# -- positions -------------------------------------------------------------------


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(word == h for h in it) for word in needle)


def check_positions(doc: Document, text: str) -> None:
    """Assert the position invariants of ``doc``, parsed from ``text`` (see below)."""
    assert doc.source.text == text and doc.source.length == len(text)
    index = LineIndex(text)

    def check(node: Node, parent_span: tuple[int, int]) -> None:
        pos = node.position
        if pos is not None:
            for point in (pos.start, pos.end):
                assert index.point(point.offset) == point, (node.type, point)
            start, end = pos.start.offset, pos.end.offset
            assert parent_span[0] <= start <= end <= parent_span[1], (node.type, (start, end), parent_span)
            if isinstance(node, Leaf):
                # a running header's lines are joined with " / " (docs/format.md)
                value = node.value.replace(" / ", " ") if node.type == "page_header" else node.value
                words = value.split()
                found = pos.slice(text).split()
                assert _is_subsequence(words, found), (node.type, node.value, pos.slice(text))
            span = (start, end)
        else:
            span = parent_span
        if isinstance(node, Parent):
            last = span[0]
            for child in node.children:
                if child.position is not None:
                    assert child.position.start.offset >= last, (node.type, child.type, "out of order")
                    last = child.position.start.offset
                check(child, span)

    check(doc, (0, len(text)))


@given(texts())
def test_positions_slice_back_to_the_source(text: str) -> None:
    """Every position of a parsed document lies in the source with line/column
    agreeing with its offset (as :class:`LineIndex` computes them); each child lies
    within its parent, siblings in document order; and the source slice at a leaf's
    position, whitespace-collapsed, holds the words of its value in order (a
    running header's `` / `` separators aside)."""
    check_positions(docparse.parse(text), text)


# -- rendering ---------------------------------------------------------------------


@given(documents())
def test_render_then_parse_gives_the_same_structure(doc: Document) -> None:
    """``parse(render(t))`` has the same node types in the same order with the same
    values as ``t`` (positions, data and repairs aside)."""
    parsed = docparse.parse(render(doc))
    assert structure(parsed) == structure(doc)


# -- robustness ----------------------------------------------------------------------


@given(arbitrary_texts())
@example("")
@example("\f")
@example("\r\n\r\n")
@example("\x00\x01\x02")
@example("\r" * 50)
@example("Dear Sir,\r\n\fYours truly,\rP.S.\n\n\n- 2 -\n")
@example("x" * 200_000)
def test_parse_never_raises(text: str) -> None:
    """``parse`` returns a document for any text at all, and keeps the text as its source."""
    doc = docparse.parse(text)
    assert isinstance(doc, Document)
    assert doc.source.text == text


@given(arbitrary_texts() | letter_texts())
@example("\x00\x01\x02")
@example("Dear Sir,\r\n\fYours truly,\rP.S.\n\n\n- 2 -\n")
def test_parse_loses_no_text(text: str) -> None:
    """Nothing is dropped: every source line with a non-blank character lies within
    the position of some leaf."""
    check_no_text_lost(docparse.parse(text), text)


def check_no_text_lost(doc: Document, text: str) -> None:
    """Assert that every non-blank source line lies within some leaf's position."""
    covered = [
        (n.position.start.offset, n.position.end.offset)
        for n in doc.walk()
        if isinstance(n, Leaf) and n.position is not None
    ]
    for m in _nonblank_lines(text):
        assert any(s <= m < e for s, e in covered), f"line at offset {m} ({text[m:m + 30]!r}) is in no leaf"


def _nonblank_lines(text: str) -> list[int]:
    """Offsets of the first non-whitespace character of each line with one."""
    from docparse.source import split_lines

    out = []
    for start, end, _ in split_lines(text):
        line = text[start:end]
        stripped = line.lstrip()
        if stripped.strip():
            out.append(start + len(line) - len(stripped))
    return out


@given(letter_texts(), st.sampled_from(("\r\n", "\r")))
def test_line_endings_do_not_change_the_structure(text: str, newline: str) -> None:
    """A letter parses to the same structure whatever its line endings (LF, CRLF, CR)."""
    other = text.replace("\n", newline)
    assert structure(docparse.parse(other)) == structure(docparse.parse(text))


# -- real letters --------------------------------------------------------------------


def _real_files(corpus_dir: Path, seed_path: Path) -> list[Path]:
    return sorted(corpus_dir.glob("*/*.txt")) + [seed_path]


def test_real_letters_keep_the_properties(corpus_dir: Path, seed_path: Path) -> None:
    """The properties above hold for every real letter of the shared corpus and the
    seed document: valid JSON that round-trips, sound positions, no text lost."""
    problems: list[str] = []
    files = _real_files(corpus_dir, seed_path)
    assert files
    for path in files:
        doc = docparse.parse_file(path)
        text = doc.source.text or ""
        try:
            validate(to_dict(doc))
            assert loads(dumps(doc)) == doc, "JSON round trip differs"
            check_positions(doc, text)
            check_no_text_lost(doc, text)
        except (AssertionError, docparse.FormatError) as exc:
            problems.append(f"{path.parent.name}/{path.name}: {' '.join(str(exc).split())[:200]}")
    assert not problems, f"{len(problems)} of {len(files)} files:\n" + "\n".join(problems[:20])
