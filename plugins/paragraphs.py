"""Built-in repair plugin ``paragraphs``: rejoin a paragraph split by a page break.

A typed or scanned letter breaks pages wherever the page is full, often in the middle
of a sentence, and a continuation page may open with a running header ("- 2 -",
"Mr. X / July 21, 2004 / Page 3"). When a ``paragraph`` is followed by
``page_break``/``page_header`` nodes and then another ``paragraph``, and the first
does not end a sentence or the second starts in lower case, the two are one
paragraph::

    paragraph "We hope that you will join us in the"     paragraph "We hope that you will join us
    page_break                                        ->            in the search for talent."
    page_header "- 2 -"                                  page_break
    paragraph "search for talent."                       page_header "- 2 -"

Layout must agree: the last line of the first part must be a full line (at least
``full_line`` of the widest paragraph line of its letter, default 0.8), since a
page that breaks inside a paragraph breaks after a full line, while a paragraph's
own last line is usually short. On the Whitman letters of the development corpus,
whose writers often end paragraphs without a full stop and begin them in lower
case, this cut wrong joins from 40 to 8 of 269 true paragraph ends. Without source
text (trees built by hand) the test is skipped.

The joined paragraph's value joins both values with one space, its position is the
union of theirs; the page break and header stay in the tree, right after it. The join
is recorded (``data["docparse"]["join"]``) so :func:`docparse.repair.unrepair` can
split it again. Idempotent: nodes a join moved are never taken for a new page split.
"""

from __future__ import annotations

from docparse.nodes import Document, Node, PageBreak, PageHeader, Paragraph, Parent
from docparse.plugin import Option, RepairContext, join_record, repair_plugin, split_lines
from docparse.plugin import position_from as _pos_from

__all__ = ["plugin", "ends_sentence", "starts_lower"]

#: closing quotes and brackets that may follow a sentence's final punctuation
_CLOSERS = "\"')]}»”’›"
#: opening quotes, brackets and dashes that may precede a paragraph's first word
_OPENERS = "\"'([{«“„‘‚‹-–— \t"
_SENTENCE_END = ".!?…"


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence: ``"...in the"`` -> False, ``"...soon.”"`` -> True."""
    tail = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(tail) and tail[-1] in _SENTENCE_END


def starts_lower(text: str) -> bool:
    """Whether ``text`` starts with a lower-case letter (after opening quotes/brackets)."""
    head = text.lstrip(_OPENERS)
    return bool(head) and head[0].islower()


def _continues(first: str, second: str) -> bool:
    return not ends_sentence(first) or starts_lower(second)


def _lines(node: Node, source: str | None) -> list[int]:
    """Lengths of the non-blank source lines under ``node`` (stripped); [] if unknown."""
    if source is None or node.position is None:
        return []
    rec = join_record(node)
    if rec is not None:  # a joined paragraph: its parts' lines, not the headers between them
        return [
            n
            for part in rec["parts"]
            for n in _lines(Paragraph(position=_pos_from(part["position"])), source)
        ]
    s, e = node.position.start.offset, node.position.end.offset
    chunk = source[s:e]
    return [len(chunk[a:b].strip()) for a, b, _ in split_lines(chunk) if chunk[a:b].strip()]


def _width(children: tuple[Node, ...], source: str | None) -> int:
    """The widest paragraph line among ``children``: the letter's wrap width."""
    return max((n for c in children if isinstance(c, Paragraph) for n in _lines(c, source)), default=0)


def _full_last_line(part: Paragraph, width: int, source: str | None, share: float) -> bool:
    lines = _lines(part, source)
    if not lines or width <= 0 or share <= 0:
        return True  # no layout to judge by: the text decides alone
    return lines[-1] >= share * width


def _moved(node: Node) -> int:
    rec = join_record(node)
    return sum(int(m) for m in rec["moved"]) if rec is not None else 0


def _rejoin(children: tuple[Node, ...], ctx: RepairContext) -> tuple[Node, ...] | None:
    if not any(isinstance(c, (PageBreak, PageHeader)) for c in children):
        return None  # nothing splits these paragraphs: skip measuring the layout
    out: list[Node] = []
    share = float(ctx.options.get("full_line", 0.8))
    width: int | None = None  # measured when a join is first in question (most letters: never)
    changed = False
    i = 0
    n = len(children)
    while i < n:
        first = children[i]
        if not isinstance(first, Paragraph):
            out.append(first)
            i += 1
            continue
        parts: list[Paragraph] = [first]
        gaps: list[list[Node]] = []
        cur = i
        while True:
            own = _moved(children[cur])
            k = cur + 1 + own
            while k < n and isinstance(children[k], (PageBreak, PageHeader)):
                k += 1
            page_nodes = k - (cur + 1 + own)
            nxt = children[k] if k < n else None
            if page_nodes == 0 or not isinstance(nxt, Paragraph) or not _continues(parts[-1].value, nxt.value):
                break
            if width is None:
                width = _width(children, ctx.source)
            if not _full_last_line(parts[-1], width, ctx.source, share):
                break
            gaps.append(list(children[cur + 1 : k]))
            parts.append(nxt)
            cur = k
        if len(parts) == 1:
            out.append(first)
            i += 1
            continue
        joined, after = ctx.join(list(parts), gaps)
        out.append(joined)
        out.extend(after)
        changed = True
        i = cur + 1
    return tuple(out) if changed else None


def _has_page_nodes(tree: Node) -> bool:
    """Whether a page break or running header is anywhere in ``tree`` (:func:`_rejoin`
    joins only across them)."""
    stack: list[Node] = [tree]
    pop, push = stack.pop, stack.extend
    while stack:
        node = pop()
        if isinstance(node, Parent):
            push(node.children)
        elif isinstance(node, (PageBreak, PageHeader)):
            return True
    return False


def _walk(node: Node, ctx: RepairContext) -> Node:
    if not isinstance(node, Parent):
        return node
    old = node.children
    walked = [_walk(c, ctx) if isinstance(c, Parent) else c for c in old]  # leaves stay
    changed = any(a is not b for a, b in zip(walked, old))
    children = tuple(walked) if changed else old
    rejoined = _rejoin(children, ctx)
    if rejoined is not None:
        return node.evolve(children=rejoined)
    return node.evolve(children=children) if changed else node


@repair_plugin(
    name="paragraphs",
    description="Rejoin a paragraph that a page break or running header split in two.",
    reads=("paragraph", "page_break", "page_header"),
    options={"full_line": Option(0.8, help="share of the letter's widest line the first part's last line must fill (0: no layout test)")},
    version="1",
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Join each split paragraph (see the module docstring)."""
    if not _has_page_nodes(tree):
        return tree  # nothing splits a paragraph: most letters (no walk, no rebuilding)
    result = _walk(tree, ctx)
    assert isinstance(result, Document)
    return result
