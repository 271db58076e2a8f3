"""Page geometry on the tree: each leaf's page and box, and word confidences for plugins.

A document read from OCR-engine output or a PDF (:mod:`docparse.readers`) keeps the
geometry of its source lines in ``Source.lines``. :func:`annotate` gives every leaf node
``data.page`` (the page it starts on) and ``data.box`` (the union of the boxes of its
lines on that page); :func:`word_confidences` gives repair plugins the engine's
confidence of the words in a stretch of the source.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from .nodes import Document, Leaf, Node, Parent, Position, Source, SourceLine

__all__ = ["WordSpan", "annotate", "confidence_at", "word_confidences"]


def _lines_of(position: Position) -> range:
    """The line numbers a position covers (a span ending at column 1 of a line stops before it)."""
    last = position.end.line
    if position.end.column == 1 and last > position.start.line:
        last -= 1
    return range(position.start.line, last + 1)


def _geometry(node: Leaf, lines: dict[int, SourceLine]) -> dict[str, object] | None:
    if node.position is None:
        return None
    found = [lines[n] for n in _lines_of(node.position) if n in lines]
    if not found:
        return None
    page = found[0].page
    boxes = [g.box for g in found if g.page == page]
    box = [min(b[0] for b in boxes), min(b[1] for b in boxes),
           max(b[2] for b in boxes), max(b[3] for b in boxes)]
    out: dict[str, object] = {"box": box}
    if "page" not in node.data_fields:  # (a page_header's data.page is its typed page number)
        out["page"] = page
    return out


def annotate(doc: Document) -> Document:
    """``doc`` with ``data.page`` and ``data.box`` on every leaf that has source lines
    with geometry; ``doc`` itself when its source has none."""
    lines = doc.source.line_geometry()
    if not lines:
        return doc

    def visit(node: Node) -> Node:
        if isinstance(node, Leaf):
            extra = _geometry(node, lines)
            return node.evolve(data={**node.data, **extra}) if extra else node
        if isinstance(node, Parent) and node.children:
            children = tuple(visit(c) for c in node.children)
            if any(a is not b for a, b in zip(children, node.children)):
                return node.evolve(children=children)
        return node

    out = visit(doc)
    assert isinstance(out, Document)
    return out


@attrs.frozen
class WordSpan:
    """One word of the engine in the source text: ``text[start:end]``, its confidence."""

    start: int
    end: int
    text: str
    confidence: float | None


def word_confidences(source: Source) -> list[WordSpan]:
    """The engine's words with their source offsets and confidences, in source order
    (empty for a source without geometry). Each word is found in its line's text, in
    order, as the reader wrote it there."""
    if not source.lines or source.text is None:
        return []
    text = source.text
    starts = _line_starts(text)
    out: list[WordSpan] = []
    for entry in source.lines:
        if entry.line > len(starts):
            continue
        at = starts[entry.line - 1]
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        for word in entry.words:
            k = text.find(word.text, at, end) if word.text else -1
            if k < 0:
                continue
            out.append(WordSpan(k, k + len(word.text), word.text, word.confidence))
            at = k + len(word.text)
    return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n":
            starts.append(k + 1)
    return starts


def confidence_at(words: list[WordSpan], start: int, end: int) -> float | None:
    """The lowest confidence of the words overlapping ``start:end`` (None if none has one)."""
    found = [w.confidence for w in _overlapping(words, start, end) if w.confidence is not None]
    return min(found) if found else None


def _overlapping(words: list[WordSpan], start: int, end: int) -> Iterator[WordSpan]:
    import bisect

    k = bisect.bisect_right([w.end for w in words], start)
    while k < len(words) and words[k].start < max(end, start + 1):
        yield words[k]
        k += 1
