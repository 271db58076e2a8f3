"""Splitting a text into lines, as every stage counts them (the reader, the layout
analysis, the repairs): a module of its own at the bottom of the package, so that the
Cyrillic decoder can use it without importing the reader (:mod:`docparse.source`
re-exports it)."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["split_lines"]

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> Iterator[tuple[int, int, int]]:
    """``(start, end, next_start)`` for each line: ``text[start:end]`` is the line
    without its break, ``next_start`` is where the next line begins. A generator: the
    lines of a long text are never all held at once (a list of them, or of the parts of
    ``str.split``, was the largest temporary of a file of a million short lines)."""
    n = len(text)
    pos = 0
    if "\r" not in text:
        # the common case: only ``\n`` breaks, found by str.find (no regex)
        find = text.find
        at = find("\n")
        while at >= 0:
            yield (pos, at, at + 1)
            pos = at + 1
            at = find("\n", pos)
        if pos < n or pos == 0:  # (the text ends with a line break: no empty line after it)
            yield (pos, n, n)
        return
    for m in _NEWLINE.finditer(text):
        yield (pos, m.start(), m.end())
        pos = m.end()
    if pos < n or pos == 0:
        yield (pos, n, n)
