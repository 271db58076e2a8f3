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

The joined paragraph's value joins both values with one space, its position is the
union of theirs; the page break and header stay in the tree, right after it. The join
is recorded (``data["docparse"]["join"]``) so :func:`docparse.repair.unrepair` can
split it again. Idempotent: nodes a join moved are never taken for a new page split.
"""

from __future__ import annotations

from docparse.nodes import Document, Node, PageBreak, PageHeader, Paragraph, Parent
from docparse.plugin import RepairContext, repair_plugin
from docparse.repair import join_record

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


def _moved(node: Node) -> int:
    rec = join_record(node)
    return sum(int(m) for m in rec["moved"]) if rec is not None else 0


def _rejoin(children: tuple[Node, ...], ctx: RepairContext) -> tuple[Node, ...] | None:
    out: list[Node] = []
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
            if (
                page_nodes == 0
                or not isinstance(nxt, Paragraph)
                or not _continues(parts[-1].value, nxt.value)
            ):
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


def _walk(node: Node, ctx: RepairContext) -> Node:
    if not isinstance(node, Parent):
        return node
    children = tuple(_walk(c, ctx) for c in node.children)
    changed = any(a is not b for a, b in zip(children, node.children))
    rejoined = _rejoin(children, ctx)
    if rejoined is not None:
        return node.evolve(children=rejoined)
    return node.evolve(children=children) if changed else node


@repair_plugin(
    name="paragraphs",
    description="Rejoin a paragraph that a page break or running header split in two.",
    reads=("paragraph", "page_break", "page_header"),
    version="1",
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Join each split paragraph (see the module docstring)."""
    result = _walk(tree, ctx)
    assert isinstance(result, Document)
    return result
