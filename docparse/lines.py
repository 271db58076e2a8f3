"""Splitting a text into lines, as every stage counts them (the reader, the layout
analysis, the repairs): a module of its own at the bottom of the package, so that the
Cyrillic decoder can use it without importing the reader (:mod:`docparse.source`
re-exports it)."""

from __future__ import annotations

import re

__all__ = ["split_lines"]

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, next_start)`` for each line: ``text[start:end]`` is the line
    without its break, ``next_start`` is where the next line begins."""
    out = []
    pos = 0
    if "\r" not in text:
        # the common case: only ``\n`` breaks, found by str.split (much faster than a regex)
        for part in text.split("\n"):
            end = pos + len(part)
            out.append((pos, end, end + 1))
            pos = end + 1
        last = out[-1]
        if len(out) > 1 and last[0] == last[1] == len(text):
            out.pop()  # the text ends with a line break: no empty line after it
        else:
            out[-1] = (last[0], last[1], last[1])
        return out
    for m in _NEWLINE.finditer(text):
        out.append((pos, m.start(), m.end()))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((pos, len(text), len(text)))
    return out
