"""``docparse view``: one self-contained HTML page to look at a parse.

The page shows the source on the left, each line coloured and labelled by the part it
became (date, address, salutation, paragraph, closing, signatory name and title,
postscript, running header, page break, quote ...), and the repaired letter on the right,
each repair highlighted with its text as read and as repaired on hover and on keyboard
focus. Below them: the layout diagnostics of :mod:`docparse.validate`, and, when the
input came with page geometry (OCR engine output: ``source.pages`` and ``source.lines``,
or ``data.page`` / ``data.box`` on the leaves), each page drawn with its lines' boxes in
the colour and label of their part.

The page needs no network: its CSS and script are inline, and its Content Security
Policy allows nothing else (no request leaves the page; a script is run only if its
hash is the page's own). Everything taken from the input is escaped by Jinja2's
autoescape, so a letter that contains ``<script>`` shows it as text.

>>> import docparse
>>> page = to_html(docparse.parse("Dear Ann,\\n\\n<script>alert(1)</script>\\n\\nBen\\n"))
>>> "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
True
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import attrs

from ._version import __version__
from .codec import to_dict
from .nodes import Address, Document, Leaf, Letter, Node, Parent
from .tei import _pieces as tei_pieces
from .validate import ValidateConfig, select_rules, validate_document

__all__ = ["to_html", "LABELS"]

#: the label shown for each node type (a plugin's node type: its name, spaced)
LABELS: dict[str, str] = {
    "date": "date",
    "address": "address",
    "address_line": "address line",
    "reference": "reference",
    "salutation": "salutation",
    "paragraph": "paragraph",
    "closing": "closing",
    "signature": "signature",
    "signatory": "signatory",
    "name": "signatory name",
    "title": "signatory title",
    "postscript": "postscript",
    "enclosure": "enclosure",
    "copy": "copy",
    "quote": "quote",
    "page_header": "running header",
    "page_break": "page break",
    "text": "unclassified text",
}


def _label(node: Node, parent: Node | None = None) -> str:
    if isinstance(node, Address):
        return f"{node.role} address" if node.role else "address"
    if node.type == "address_line" and isinstance(parent, Address) and parent.role:
        return f"{parent.role} address"
    if node.type == "address_line":
        return "address"
    return LABELS.get(node.type, node.type.replace("_", " "))


def _css_type(node: Node, parent: Node | None = None) -> str:
    """The colour class: an address line takes its block's (recipient / sender)."""
    if node.type == "address_line" or isinstance(node, Address):
        block = node if isinstance(node, Address) else parent
        role = block.role if isinstance(block, Address) else None
        return f"address-{role}" if role in ("recipient", "sender") else "address"
    name = node.type if node.type in LABELS else "other"
    return name.replace("_", "-")


# --------------------------------------------------------------------------- model


@attrs.define
class _Piece:
    text: str
    before: str | None = None  # None: not repaired
    plugins: str = ""
    confidence: float = 1.0
    rid: str = ""


@attrs.define
class _Part:
    pid: str
    type: str
    css: str
    label: str
    first_line: int | None
    last_line: int | None
    pieces: list[_Piece] = attrs.Factory(list)
    children: list[_Part] = attrs.Factory(list)
    leaf: bool = True
    page: Any = None
    box: Any = None


@attrs.define
class _Block:
    """Consecutive source lines of one part (or of none)."""

    part: _Part | None
    lines: list[tuple[int, str]] = attrs.Factory(list)


@attrs.define
class _LetterView:
    number: int
    title: str
    language: str | None
    parts: list[_Part]
    blocks: list[_Block]
    repairs: int
    diagnostics: list[Any]


def _pieces(leaf: Leaf, counter: list[int]) -> list[_Piece]:
    # (the TEI writer's replay of a leaf's repairs into runs of plain and repaired text,
    # tested there against every plugin's records; shared rather than written twice)
    out = []
    for p in tei_pieces(leaf):
        piece = _Piece(p.after, p.before, ", ".join(p.plugins), p.confidence)
        if p.before is not None:
            counter[0] += 1
            piece.rid = f"r{counter[0]}"
        out.append(piece)
    return out


def _lines_of(node: Node) -> tuple[int | None, int | None]:
    pos = node.position
    if pos is None:
        return None, None
    last = pos.end.line
    if pos.end.column == 1 and pos.end.line > pos.start.line:
        last -= 1  # the span ends at the start of the next line
    return pos.start.line, last


class _Builder:
    def __init__(self) -> None:
        self.count = 0
        self.repairs = [0]

    def part(self, node: Node, parent: Node | None = None) -> _Part:
        self.count += 1
        first, last = _lines_of(node)
        part = _Part(
            pid=f"p{self.count}", type=node.type, css=_css_type(node, parent),
            label=_label(node, parent), first_line=first, last_line=last,
            leaf=not isinstance(node, Parent),
            page=node.data.get("page"), box=node.data.get("box"),
        )
        if isinstance(node, Leaf):
            part.pieces = _pieces(node, self.repairs)
        elif isinstance(node, Parent):
            part.children = [self.part(c, node) for c in node.children]
        return part


def _leaves(parts: Sequence[_Part]) -> list[_Part]:
    out: list[_Part] = []
    for part in parts:
        if part.children:
            out.extend(_leaves(part.children))
        elif part.leaf:
            out.append(part)
    return out


def _owners(parts: Sequence[_Part]) -> dict[int, _Part]:
    """Source line -> the leaf part that holds it; a later leaf wins (a page header that a
    paragraph joined across the page break runs over)."""
    owner: dict[int, _Part] = {}
    for part in _leaves(parts):
        if part.first_line is None or part.last_line is None:
            continue
        for line in range(part.first_line, part.last_line + 1):
            owner[line] = part
    return owner


def _blocks(lines: Sequence[str], first: int, last: int, owner: Mapping[int, _Part]) -> list[_Block]:
    blocks: list[_Block] = []
    for number in range(first, last + 1):
        part = owner.get(number)
        text = lines[number - 1] if number - 1 < len(lines) else ""
        if blocks and blocks[-1].part is part:
            blocks[-1].lines.append((number, text))
        else:
            blocks.append(_Block(part, [(number, text)]))
    return blocks


def _split_lines(text: str) -> list[str]:
    """The source's lines as docparse counts them (``\\n``, ``\\r\\n``, ``\\r``; a form feed
    does not end a line)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the text ends with a line break: no line after it
    return lines


def _letter_title(letter: Letter, number: int) -> str:
    bits = [f"Letter {number}"]
    if letter.language:
        bits.append(letter.language)
    date = letter.date
    if date is not None:
        bits.append(date.value)
    elif letter.date_iso:
        bits.append(letter.date_iso)
    return " · ".join(bits)


# --------------------------------------------------------------------------- geometry


@attrs.define
class _Box:
    x: float
    y: float
    w: float
    h: float
    css: str
    label: str
    pid: str | None
    text: str


@attrs.define
class _Page:
    number: int
    width: float
    height: float
    boxes: list[_Box] = attrs.Factory(list)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _box(value: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        return None
    nums = [n for n in (_num(v) for v in value) if n is not None]
    if len(nums) != 4:
        return None
    x0, y0, x1, y1 = nums
    if x1 < x0 or y1 < y0:
        return None
    return x0, y0, x1, y1


def _geometry(source: Mapping[str, Any] | None, parts: Sequence[_Part],
              owner: Mapping[int, _Part], lines: Sequence[str]) -> list[_Page]:
    """Pages with a box per OCR line (``source.lines``) or per leaf (``data.box``), in the
    colour of its part; [] when the input has no usable geometry."""
    pages: dict[int, _Page] = {}
    declared = source.get("pages") if isinstance(source, Mapping) else None
    for entry in declared if isinstance(declared, list) else ():
        if not isinstance(entry, Mapping):
            continue
        number, width, height = entry.get("number"), _num(entry.get("width")), _num(entry.get("height"))
        if isinstance(number, int) and width and height and width > 0 and height > 0:
            pages[number] = _Page(number, width, height)
    boxes: list[tuple[int, tuple[float, float, float, float], _Part | None, str]] = []
    geo_lines = source.get("lines") if isinstance(source, Mapping) else None
    for entry in geo_lines if isinstance(geo_lines, list) else ():
        if not isinstance(entry, Mapping):
            continue
        line, page, box = entry.get("line"), entry.get("page"), _box(entry.get("box"))
        if isinstance(line, int) and isinstance(page, int) and box is not None:
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            boxes.append((page, box, owner.get(line), text))
    if not boxes:  # no line geometry: the leaves' own boxes
        for leaf in _leaves(parts):
            box = _box(leaf.box)
            if box is not None and isinstance(leaf.page, int):
                boxes.append((leaf.page, box, leaf, "".join(p.text for p in leaf.pieces)))
    for page, box, part, text in boxes:
        if page not in pages:  # a page the source does not size: as large as its boxes
            pages[page] = _Page(page, 0.0, 0.0)
        x0, y0, x1, y1 = box
        pages[page].boxes.append(_Box(
            x0, y0, max(x1 - x0, 1.0), max(y1 - y0, 1.0),
            part.css if part else "none", part.label if part else "no part",
            part.pid if part else None, text,
        ))
    out = []
    for number in sorted(pages):
        page = pages[number]
        if not page.boxes:
            continue
        if page.width <= 0 or page.height <= 0:
            page.width = max(b.x + b.w for b in page.boxes) * 1.05
            page.height = max(b.y + b.h for b in page.boxes) * 1.05
        out.append(page)
    return out


# --------------------------------------------------------------------------- page


@functools.cache
def _asset(name: str) -> str:
    return resources.files("docparse").joinpath("templates", name).read_text(encoding="utf-8")


#: control characters but the tab, shown as their Unicode control pictures (U+2400...):
#: a form feed is a page break in a letter, and HTML has no way to show it
_CONTROLS = {c: 0x2400 + c for c in range(0x20) if c != 0x09}
_CONTROLS[0x7F] = 0x2421


def _num_text(value: float) -> str:
    """A coordinate as SVG wants it: no exponent, no trailing zeros (2480.0 -> 2480)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _visible_controls(text: str) -> str:
    return text.translate(_CONTROLS)


def _shown(text: str | None) -> str:
    """A repair's text as the tooltip shows it: nothing as "(nothing)", spaces visible."""
    if not text:
        return "(nothing)"
    if not text.strip():
        return text.replace(" ", "\u2423").replace("\n", "\u21b5")
    return _visible_controls(text)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@functools.cache
def _template() -> Any:
    """The page template (compiled once; autoescape on for every value)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("docparse", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["visible_controls"] = _visible_controls
    env.filters["shown"] = _shown
    env.filters["num"] = _num_text
    return env.get_template("view.html")


def to_html(
    doc: Document,
    *,
    source: Mapping[str, Any] | None = None,
    diagnostics: Sequence[Any] | None = None,
    title: str | None = None,
) -> str:
    """The HTML page of ``doc`` (a string; one self-contained file).

    ``source``: the document's ``source`` object as JSON (``docparse.to_dict(doc)["source"]``
    by default), where page geometry is read (``pages``, ``lines``); ``diagnostics``: the
    :class:`docparse.validate.Diagnostic` list to show (default: the default rules of
    ``docparse validate`` run on ``doc``); ``title``: the page title (default: the source
    name).
    """
    if not isinstance(doc, Document):
        raise TypeError(f"to_html() takes a Document, not {type(doc).__name__}")
    if source is None:
        source = to_dict(doc).get("source")
    if diagnostics is None:
        diagnostics = validate_document(doc, select_rules(ValidateConfig()))
    text = doc.source.text or ""
    lines = _split_lines(text) if text else []
    builder = _Builder()
    top = [builder.part(c, doc) for c in doc.children]
    owner = _owners(top)
    letters: list[_LetterView] = []
    outside: list[_Part] = []
    covered_until = 0
    by_line = sorted(diagnostics, key=lambda d: d.line)
    lines_of_diagnostics = [d.line for d in by_line]
    blocks_before: dict[int, list[_Block]] = {}
    for node, part in zip(doc.children, top):
        if not isinstance(node, Letter):
            outside.append(part)
            continue
        number = len(letters) + 1
        first = part.first_line or covered_until + 1
        last = part.last_line or first
        if lines and first > covered_until + 1:
            blocks_before[number] = _blocks(lines, covered_until + 1, first - 1, owner)
        covered_until = max(covered_until, last)
        in_letter = by_line[bisect.bisect_left(lines_of_diagnostics, first):
                            bisect.bisect_right(lines_of_diagnostics, last)]
        letters.append(_LetterView(
            number=number, title=_letter_title(node, number), language=node.language,
            parts=part.children,
            blocks=_blocks(lines, first, last, owner) if lines else [],
            repairs=sum(1 for p in _leaves(part.children) for piece in p.pieces if piece.rid),
            diagnostics=in_letter,
        ))
    trailing = _blocks(lines, covered_until + 1, len(lines), owner) if lines and covered_until < len(lines) else []
    if trailing and letters and all(b.part is None for b in trailing):
        letters[-1].blocks.extend(trailing)  # the blank lines at the end, under the last letter
        trailing = []
    pages = _geometry(source, top, owner, lines)
    css, script = _asset("view.css"), _asset("view.js")
    page = _template().render(
        version=__version__,
        title=title or doc.source.name or "docparse view",
        css=css, script=script,
        csp=f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(script)}; "
            "img-src data:; base-uri 'none'; form-action 'none'",
        letters=letters, outside=outside, blocks_before=blocks_before, trailing=trailing,
        diagnostics=list(diagnostics), pages=pages,
        repairs=sum(lv.repairs for lv in letters),
        has_text=bool(lines),
    )
    return page

