"""Rendering a tree back to plain text in a conventional letter layout.

:func:`render` is the inverse of parsing as far as structure goes: for a tree
in the shape the parser builds, ``parse(render(tree))`` has the same node types
in the same order with the same values (positions aside). It is not a way to
recover the original source (that is ``document.source.text``); it lays a
letter out afresh, in the full-block style:

.. code-block:: text

    July 21, 2004                       <- date

    Mr. John Smith                      <- address (one line per address_line)
    12 Mill Road

    Re: your letter of June 3           <- reference

    Dear Mr. Smith:                     <- salutation

    We are writing in response to ...   <- paragraphs, wrapped at 72 columns,
    ...                                    separated by blank lines

    Yours truly,                        <- closing, signatories right under it
    Jane Doe                            <- name
    Chair                               <- title(s)

    Ann Roe                             <- the next signatory after a blank line

    P.S. ...                            <- postscripts, wrapped like paragraphs

    Enclosure: report                   <- enclosure and copy lines together
    cc: Mr. Brown

A page break is a line holding only a form feed; a running header follows it,
one line per `` / ``-separated part of its value (a header with no page break
before it gets a form-feed line of its own). Letters in one document are
separated by two blank lines and a form-feed line (a single form feed: no
second one where a letter already ends or begins with a page break).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from .nodes import (
    Address,
    Copy,
    Document,
    Enclosure,
    Leaf,
    Letter,
    Node,
    PageBreak,
    PageHeader,
    Paragraph,
    Parent,
    Postscript,
    Signatory,
    Signature,
    Text,
)

__all__ = ["WIDTH", "render"]

#: the column paragraphs are wrapped at
WIDTH = 72

#: a line holding only a form feed: a page break
_FORM_FEED = "\f"
_INDENT = " " * 5

#: leaves laid out as wrapped paragraphs; every other leaf is written on one line
_WRAPPED: tuple[type[Leaf], ...] = (Paragraph, Postscript, Text)

#: letter separator: two blank lines and a form-feed line
_LETTER_GAP = ["", "", _FORM_FEED]


def _one_line(value: str) -> str:
    """``value`` on one line: line breaks inside it become spaces."""
    return value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _wrap(value: str, width: int) -> list[str]:
    """``value`` wrapped at ``width`` columns; words are never split, so joining
    the lines with single spaces gives back a value whose words are single-spaced."""
    lines = textwrap.wrap(
        _one_line(value), width=width, break_long_words=False, break_on_hyphens=False
    )
    return lines or ([_one_line(value)] if value else [])


def _signatory(node: Signatory) -> list[str]:
    return [_one_line(c.value) for c in node.children if isinstance(c, Leaf)]


def _block(node: Node, width: int) -> list[str]:
    """The lines of one child of a letter (or of the document)."""
    if isinstance(node, PageBreak):
        return [_FORM_FEED]
    if isinstance(node, PageHeader):
        return [_one_line(part) for part in node.value.split(" / ")]
    if isinstance(node, Signature):
        lines: list[str] = []
        for i, signer in enumerate(c for c in node.children if isinstance(c, Signatory)):
            if i:
                lines.append("")
            lines.extend(_signatory(signer))
        return lines
    if isinstance(node, Address):
        return [_one_line(c.value) for c in node.children if isinstance(c, Leaf)]
    if isinstance(node, Paragraph):
        # semi-block style: the first line of a paragraph is indented, so that a paragraph's
        # end stays visible where a page break follows it
        lines = _wrap(node.value, width - len(_INDENT))
        return [_INDENT + lines[0], *lines[1:]] if lines else lines
    if isinstance(node, _WRAPPED):
        return _wrap(node.value, width)
    if isinstance(node, Leaf):
        # the one-line parts of a letter, and plugins' own leaves
        return [_one_line(node.value)]
    if isinstance(node, Parent):
        # a plugin's own parent node: its children, one block after another
        return _join(node.children, width)
    return []


def _gap(prev: Node, cur: Node) -> int:
    """How many blank lines separate two consecutive children of a letter."""
    if prev.type == "closing" and isinstance(cur, Signature):
        return 0
    if isinstance(prev, (Enclosure, Copy)) and isinstance(cur, (Enclosure, Copy)):
        return 0
    if isinstance(prev, PageBreak) and isinstance(cur, PageHeader):
        return 0
    return 1


def _join(children: Sequence[Node], width: int) -> list[str]:
    lines: list[str] = []
    prev: Node | None = None
    kids = list(children)
    for k, child in enumerate(kids):
        nxt = kids[k + 1] if k + 1 < len(kids) else None
        if isinstance(child, PageBreak) and nxt is not None and not isinstance(nxt, (PageBreak, PageHeader)):
            # a page break without a header: the form feed opens the next page's first line,
            # as pdftotext writes it (so the text says where the page turns)
            if prev is not None:
                lines.extend([""] * _gap(prev, child))
            lines.append(_FORM_FEED)
            prev = child
            continue
        block = _block(child, width)
        if isinstance(child, PageHeader) and not isinstance(prev, PageBreak):
            block = [_FORM_FEED, *block]
        if not block:
            continue
        if prev is not None and lines and lines[-1] == _FORM_FEED and isinstance(prev, PageBreak) and not isinstance(child, PageHeader):
            lines[-1] = _FORM_FEED + block[0]
            lines.extend(block[1:])
            prev = child
            continue
        if prev is not None:
            lines.extend([""] * _gap(prev, child))
        lines.extend(block)
        prev = child
    return lines


def _letters(nodes: Iterable[Node], width: int) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        if isinstance(node, Letter):
            block = _join(node.children, width)
        else:
            block = _join([node], width)
        if not block:
            continue
        if lines:
            if not isinstance(node, Letter):
                lines.append("")
            elif lines[-1] == _FORM_FEED or block[0] == _FORM_FEED:
                # a page break at the edge of a letter already separates it
                lines.extend(_LETTER_GAP[:-1])
            else:
                lines.extend(_LETTER_GAP)
        lines.extend(block)
    return lines


def render(tree: Document | Letter, *, width: int = WIDTH) -> str:
    """Lay the letters of ``tree`` out as plain text (see the module docstring).

    ``width`` is the column paragraphs and postscripts are wrapped at. A single
    :class:`~docparse.nodes.Letter` may be passed instead of a document. The
    result ends with a newline (or is empty for a tree with no text).

    >>> from docparse.nodes import Document, Letter, Salutation, Paragraph
    >>> render(Document(children=[Letter(children=[
    ...     Salutation(value="Dear Ann,"), Paragraph(value="All is well.")])]))
    'Dear Ann,\\n\\nAll is well.\\n'
    """
    if isinstance(tree, Letter):
        children: tuple[Node, ...] = (tree,)
    elif isinstance(tree, Document):
        children = tree.children
    else:
        raise TypeError(f"render() takes a Document or a Letter, not {type(tree).__name__}")
    if width < 1:
        raise ValueError(f"render(): width must be at least 1, not {width}")
    lines = _letters(children, width)
    return "\n".join(lines) + "\n" if lines else ""
