"""Page lines to source text: geometry turned into the evidence plain text carries.

The layout analysis (:mod:`docparse.layout`) reads indentation, blank lines and form
feeds. A reader's lines are laid out so that it sees the page: a line's left edge
becomes leading spaces (its column: the distance from the page's left margin over the
page's typical character width), so a right-aligned or centred line keeps its place; a
vertical gap larger than the line pitch becomes blank lines; lines side by side on one
row (a letterhead beside a dateline) share one text line, at their columns; a new page
starts with a form feed.
"""

from __future__ import annotations

import statistics

from ..nodes import SourceLine, SourcePage, SourceWord
from ._model import Box, Line, Page, union

#: at most this many blank lines stand for one vertical gap
MAX_BLANKS = 3
#: within a line, a gap wider than this many characters is kept as spaces (a tab stop, the
#: three spaces between a letterhead's contacts)
WIDE_GAP = 2


def _char_width(lines: list[Line]) -> float:
    """The page's typical character advance: the median over its longer lines of their
    width over their length (spaces count: a column is an advance, not a glyph's ink)."""
    widths = [(ln.box[2] - ln.box[0]) / len(ln.text) for ln in lines
              if ln.box is not None and len(ln.text) >= 12 and ln.box[2] > ln.box[0]]
    if not widths:
        widths = [(ln.box[2] - ln.box[0]) / len(ln.text) for ln in lines
                  if ln.box is not None and len(ln.text) >= 2 and ln.box[2] > ln.box[0]]
    return statistics.median(widths) if widths else 0.0


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into rows (side by side: the centre of one within the other's height),
    rows top to bottom, each left to right. Lines without a box are rows of their own, in
    their place in the engine's order."""
    rows: list[list[Line]] = []
    boxed = sorted((ln for ln in lines if ln.box is not None), key=lambda ln: (ln.box[1], ln.box[0]))  # type: ignore[index]
    if len(boxed) != len(lines):  # (no geometry to go by: the engine's order)
        return [[ln] for ln in lines]
    for ln in boxed:
        assert ln.box is not None
        centre = (ln.box[1] + ln.box[3]) / 2
        if rows:
            first = rows[-1][0].box
            assert first is not None
            overlaps = any(ln.box[0] < other.box[2] and other.box[0] < ln.box[2]  # type: ignore[index]
                           for other in rows[-1])
            if first[1] <= centre <= first[3] and not overlaps:
                rows[-1].append(ln)
                continue
        rows.append([ln])
    for row in rows:
        row.sort(key=lambda ln: ln.box[0])  # type: ignore[index]
    return rows


def _pitch(rows: list[list[Line]]) -> float:
    """The line pitch: the median distance between the tops of rows one line apart."""
    heights = [ln.box[3] - ln.box[1] for row in rows for ln in row if ln.box is not None]
    height = statistics.median(heights) if heights else 0.0
    tops = [row[0].box[1] for row in rows if row[0].box is not None]
    steps = [b - a for a, b in zip(tops, tops[1:])]
    near = [s for s in steps if 0 < s <= 2.2 * height] if height else [s for s in steps if s > 0]
    if near:
        return statistics.median(near)
    return height * 1.2


def _margin(lefts: list[float], cw: float) -> float:
    """The page's left margin: its leftmost edge, unless a few lines stand a little left
    of where most lines start (a DIN 5008 window address at 20 mm, the body at 25 mm):
    then where most lines start, and those few lines at column 0."""
    if not lefts:
        return 0.0
    low = min(lefts)
    if not cw:
        return low
    cols = [round((x - low) / cw) for x in lefts]
    mode = statistics.mode(cols)
    if 0 < mode <= 6 and sum(c < mode for c in cols) <= 0.3 * len(cols):
        return low + mode * cw
    return low


def _segment(line: Line, cw: float) -> str:
    """A line's text; where the gap between two words is wider than :data:`WIDE_GAP`
    characters (a tab stop, a column), the gap is kept as spaces."""
    if not cw or not line.words or any(w.box is None for w in line.words):
        return line.text
    out = ""
    previous: float | None = None  # (the right edge of the word before)
    for w in line.words:
        assert w.box is not None
        if previous is not None:
            gap = round((w.box[0] - previous) / cw)
            out += " " * gap if gap > WIDE_GAP else " "
        out += w.text
        previous = w.box[2]
    return out


def _ends_paragraph(page: tuple[list[list[Line]], float]) -> bool:
    """Whether a page's last line ends a paragraph: it ends a sentence, or stops well short
    of the page's right edge of text. Then a blank line goes before the next page's form
    feed, as a typist's text has one, and the next page starts a new paragraph."""
    rows, cw = page
    if not rows:
        return False
    last = rows[-1][-1]
    if last.text.rstrip().endswith((".", "!", "?", ":", '."', ".\u201d")):
        return True
    rights = [ln.box[2] for row in rows for ln in row if ln.box is not None]
    return bool(rights and last.box is not None and cw
                and last.box[2] < max(rights) - 10 * cw)


def lay_out(pages: list[Page]) -> tuple[str, list[SourcePage], list[SourceLine]]:
    """The source text of ``pages`` and the geometry of its lines."""
    out: list[str] = []
    geometry: list[SourceLine] = []
    source_pages: list[SourcePage] = []
    last_page: tuple[list[list[Line]], float] = ([], 0.0)
    for number, page in enumerate(pages, 1):
        source_pages.append(SourcePage(number=number, width=page.width, height=page.height,
                                       file=page.file))
        lines = [ln for ln in page.lines if ln.text.strip()]
        rows = _rows(lines)
        cw = _char_width(lines)
        margin = _margin([ln.box[0] for ln in lines if ln.box is not None], cw)
        pitch = _pitch(rows)
        if number > 1 and rows and out and _ends_paragraph(last_page):
            out.append("")
        previous: Box | None = None
        for k, row in enumerate(rows):
            top = row[0].box
            if previous is not None and top is not None and pitch > 0:
                blanks = round((top[1] - previous[1]) / pitch) - 1
                out.extend([""] * max(0, min(MAX_BLANKS, blanks)))
            text = ""
            for ln in row:
                col = max(0, round((ln.box[0] - margin) / cw)) if cw and ln.box is not None else 0
                if text:
                    col = max(col, len(text) + 2)
                text += " " * max(0, col - len(text)) + _segment(ln, cw)
            text = text.replace("\f", " ").replace("\r", " ").replace("\n", " ")
            if k == 0 and number > 1:
                text = "\f" + text
            out.append(text)
            boxes = [ln.box for ln in row if ln.box is not None]
            words = [SourceWord(text=w.text, box=w.box, confidence=w.confidence)
                     for ln in row for w in ln.words if w.box is not None]
            confs = [ln.confidence for ln in row if ln.confidence is not None]
            if boxes:
                geometry.append(SourceLine(line=len(out), page=number, box=union(boxes),
                                           confidence=sum(confs) / len(confs) if confs else None,
                                           words=tuple(words)))
            previous = top if top is not None else previous
        if not rows and number > 1:
            out.append("\f")
        last_page = (rows, cw)
    return "\n".join(out) + "\n", source_pages, geometry
