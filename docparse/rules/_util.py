"""Small helpers shared by the built-in rules: finding parts of a letter and where they are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from ..nodes import Letter, Node, Position

N = TypeVar("N", bound=Node)

__all__ = ["end_line_of", "first", "last", "parts", "short", "start_of"]


def parts(letter: Letter, cls: type[N]) -> list[N]:
    """The children of ``letter`` of class ``cls``, in order."""
    return [c for c in letter.children if isinstance(c, cls)]


def first(letter: Letter, cls: type[N]) -> N | None:
    """The first child of ``letter`` of class ``cls``, or None."""
    for c in letter.children:
        if isinstance(c, cls):
            return c
    return None


def last(letter: Letter, cls: type[N]) -> N | None:
    """The last child of ``letter`` of class ``cls``, or None."""
    for c in reversed(letter.children):
        if isinstance(c, cls):
            return c
    return None


def start_of(node: Node | None) -> tuple[int, int]:
    """``(line, column)`` where ``node`` starts; (1, 1) when it has no position."""
    if node is None or node.position is None:
        return (1, 1)
    return (node.position.start.line, node.position.start.column)


def end_line_of(node: Node | None) -> tuple[int, int]:
    """``(line, 1)`` of the last line ``node`` covers (a place for what should follow it)."""
    if node is None or node.position is None:
        return (1, 1)
    pos: Position = node.position
    line = pos.end.line if pos.end.column > 1 or pos.end.line == pos.start.line else pos.end.line - 1
    return (max(line, pos.start.line), 1)


def short(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def walk_type(node: Node, cls: type[N]) -> Iterator[N]:
    """Every descendant of ``node`` (itself included) of class ``cls``."""
    for n in node.walk():
        if isinstance(n, cls):
            yield n
