"""Built-in repair plugin ``dehyphenate``: join words hyphenated across a line end.

The parser joins a paragraph's lines with one space, so a word the typist broke at
the end of a line reads ``compre- hensive``. When the closed form is a real word and
one part is a mere fragment, :func:`docparse.spacing.dehyphenate_edits` joins it;
real compounds broken at their own hyphen (``far- reaching``, ``co- signed``) are
left to ``spacing``, which keeps the hyphen::

    paragraph "a compre- hensive review"  ->  "a comprehensive review"
    paragraph "a far- reaching review"    ->  unchanged here (spacing: "far-reaching")

The lexicon is English, so only letters whose language is in the option ``languages``
(default ``en``) are read. ``name`` leaves are left alone. Every change goes through
``ctx.edit``; the recorded repair spans the hyphen and the line break in the source.
"""

from __future__ import annotations

from typing import Any

from docparse.nodes import Document, Leaf, Letter, Name, Node
from docparse.ocr import (
    MAX_ROUNDS,
    OCR_CHOICES,
    add_suggestions,
    dehyphenate_edits,
    ocr_verdict,
    suggestion,
    within_a_line,
)
from docparse.plugin import Option, RepairContext, leaves, repair_plugin
from docparse.visitor import Transformer

__all__ = ["plugin"]


class _Join(Transformer):
    def __init__(self, ctx: RepairContext, typed: bool) -> None:
        self.ctx = ctx
        #: the letter is not judged OCR'd: a hyphen inside a typed line is the writer's
        #: ("New Haven- Conn"); a join there is only suggested
        self.typed = typed
        self.suggested: list[dict[str, Any]] = []

    def generic_leave(self, original: Node, updated: Node) -> Any:
        if not isinstance(updated, Leaf) or isinstance(updated, Name) or "- " not in updated.value:
            return updated
        for _ in range(MAX_ROUNDS):
            edits = dehyphenate_edits(updated.value)
            if self.typed and edits:
                inside = [e for e in edits if within_a_line(updated, e, self.ctx.source)]
                self.suggested.extend(suggestion(updated, e, self.ctx.plugin, self.ctx.source) for e in inside)
                moved = set(inside)  # (a set: a list was searched once per edit, quadratic on a long line)
                edits = [e for e in edits if e not in moved]
            if not edits:
                break
            updated = self.ctx.edit(updated, edits)
        return updated


def _hyphenated(letter: Letter) -> bool:
    """Whether any value :class:`_Join` reads holds a ``"- "`` at all (most letters have
    none: then the tree is not rebuilt)."""
    return any("- " in n.value and not isinstance(n, Name) for n in leaves(letter))


@repair_plugin(
    name="dehyphenate",
    description="Join words hyphenated across a line end (compre- hensive -> comprehensive), keep real compounds.",
    reads=("paragraph", "postscript", "address_line", "title", "reference", "text"),
    after=("spacing?", "cyrillic-lookalikes?"),
    options={
        "languages": Option(["en"], help="letters in these languages are repaired"),
        "ocr": Option("auto", help="join a hyphen inside a line too: auto (if the letter shows "
                      "signs of OCR), yes, no (only at line ends)", choices=OCR_CHOICES),  # type: ignore[arg-type]
    },
    version="1",
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Join the line-end hyphenations of the chosen letters (see the module docstring)."""
    languages = tuple(ctx.options["languages"])
    children: list[Node] = []
    for child in tree.children:
        if isinstance(child, Letter) and child.language in languages and _hyphenated(child):
            option = str(ctx.options["ocr"])
            typed = not (option == "yes" or ocr_verdict(child, option))
            join = _Join(ctx, typed)
            out = join.transform(child)
            assert isinstance(out, Letter)
            children.append(add_suggestions(out, ctx.plugin, join.suggested))
        else:
            children.append(child)
    if all(a is b for a, b in zip(children, tree.children)):
        return tree
    return tree.evolve(children=tuple(children))
