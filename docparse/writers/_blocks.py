"""The blocks the ALTO and PAGE writers write: a document's source lines with their
geometry, grouped by the part of the letter each belongs to."""

from __future__ import annotations

import re

import attrs

from ..errors import InputError
from ..nodes import Address, Document, Leaf, Node, Parent, Signature, SourceLine, SourceWord

#: the nominal page of a plain-text source: character width, line pitch, margins (pixels)
CHAR_W, PITCH, LEFT, TOP = 20, 40, 200, 200
#: characters XML 1.0 cannot hold (written as U+FFFD)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@attrs.frozen
class Block:
    """A part of the letter on one page: its docparse type and its lines' geometry."""

    kind: str
    page: int
    lines: tuple[tuple[str, SourceLine], ...]  # (the line's text, its geometry)


@attrs.frozen
class PageBlocks:
    number: int
    width: float
    height: float
    file: str | None
    blocks: tuple[Block, ...]


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _owners(doc: Document) -> dict[int, str]:
    """Each source line's part: the nearest address or signature, else the leaf's type."""
    owner: dict[int, str] = {}

    def visit(node: Node, block: Node | None) -> None:
        if isinstance(node, (Address, Signature)) and block is None:
            block = node
        if isinstance(node, Leaf) and node.position is not None:
            pos = node.position
            last = pos.end.line - (1 if pos.end.column == 1 and pos.end.line > pos.start.line else 0)
            kind = block.type if block is not None else node.type
            if isinstance(block, Address) and block.role:
                kind = f"address-{block.role}" if block.role != "recipient" else "address"
            for n in range(pos.start.line, last + 1):
                owner.setdefault(n, f"{kind}#{id(block) if block is not None else id(node)}")
        if isinstance(node, Parent):
            for child in node.children:
                visit(child, block)

    visit(doc, None)
    return owner


def _synthetic(text_lines: list[str]) -> tuple[list[SourceLine], list[tuple[int, float, float]]]:
    """Geometry for a plain-text source: each line at its column on a nominal page, a
    form feed starting a new page."""
    out: list[SourceLine] = []
    pages: list[tuple[int, float, float]] = []
    page, row, widest = 1, 0, 0
    for number, line in enumerate(text_lines, 1):
        if line.startswith("\f") or (number > 1 and "\f" in line[:1]):
            pages.append((page, LEFT * 2 + widest * CHAR_W, TOP * 2 + row * PITCH))
            page, row, widest = page + 1, 0, 0
        body = line.replace("\f", " ").rstrip()
        widest = max(widest, len(body))
        if body.strip():
            words = [SourceWord(text=m.group(), box=(LEFT + m.start() * CHAR_W, TOP + row * PITCH,
                                                      LEFT + m.end() * CHAR_W, TOP + row * PITCH + PITCH * 3 // 4))
                     for m in re.finditer(r"\S+", body)]
            box = (words[0].box[0], words[0].box[1], words[-1].box[2], words[-1].box[3])
            out.append(SourceLine(line=number, page=page, box=box, words=tuple(words)))
        row += 1
    pages.append((page, LEFT * 2 + widest * CHAR_W, TOP * 2 + max(row, 1) * PITCH))
    return out, pages


def blocks(doc: Document) -> list[PageBlocks]:
    """The document's pages, each with its blocks in reading order."""
    text = doc.source.text
    if text is None:
        raise InputError(f"{doc.source.name or '<input>'}: the document holds no source text "
                         "(a streamed part?); ALTO and PAGE are written from the source's lines")
    text_lines = re.split(r"\r\n|\r|\n", text)
    if doc.source.lines:
        geometry = list(doc.source.lines)
        sizes = [(p.number, p.width, p.height, p.file) for p in doc.source.pages]
    else:
        geometry, synth = _synthetic(text_lines)
        sizes = [(n, w, h, None) for n, w, h in synth]
    owners = _owners(doc)
    by_page: dict[int, list[Block]] = {n: [] for n, *_ in sizes}
    current: dict[int, tuple[str, list[tuple[str, SourceLine]]]] = {}
    for entry in geometry:
        if entry.line > len(text_lines):
            continue
        line_text = xml_text(text_lines[entry.line - 1].replace("\f", " ").strip())
        if not line_text:
            continue
        owner = owners.get(entry.line, f"text#line{entry.line}")
        last = current.get(entry.page)
        if last is not None and last[0] == owner:
            last[1].append((line_text, entry))
        else:
            group: list[tuple[str, SourceLine]] = [(line_text, entry)]
            current[entry.page] = (owner, group)
            # (the group grows while later lines join it; made a tuple below)
            by_page.setdefault(entry.page, []).append(
                Block(owner.split("#")[0], entry.page, group))  # type: ignore[arg-type]
    out = []
    for number, width, height, file in sizes:
        page_blocks = tuple(Block(b.kind, b.page, tuple(b.lines)) for b in by_page.get(number, []))
        out.append(PageBlocks(number, width, height, file, page_blocks))
    return out


def union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def words_of(text: str, entry: SourceLine) -> tuple[SourceWord, ...]:
    """The line's words: the engine's, or the text's split evenly over the line's box."""
    if entry.words:
        return entry.words
    parts = text.split()
    x0, y0, x1, y1 = entry.box
    step = (x1 - x0) / max(1, len(text))
    out, at = [], 0
    for part in parts:
        k = text.find(part, at)
        out.append(SourceWord(text=part, box=(x0 + k * step, y0, x0 + (k + len(part)) * step, y1)))
        at = k + len(part)
    return tuple(out)
