"""Built-in repair plugin ``cyrillic-lookalikes``: decode Russian that an English-only
OCR read as Latin look-alikes.

An OCR engine that knows only the Latin alphabet reads a Russian letter as the Latin
letters, digits and punctuation that look most like the Cyrillic ones. Every leaf of
such a letter (address lines, salutation, paragraphs, running headers, closing,
names...) is decoded back to Cyrillic by :func:`docparse.cyrillic.decode_edits`, and
the letter's ``language`` becomes ``ru``::

    salutation "Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo!"  ->  "Уважаемый господин Лукашенко!"
    closing    "I1cKpeHHe"                            ->  "Искренне"
    page_header "... / 3-a5I cTpaHHIJa"                ->  "... / 3-я страница"

Which letters: those whose whole text (their leaves' values) is look-alike Russian by
:func:`docparse.cyrillic.lookalike_score` (option ``threshold``). Deciding per letter
rather than per line keeps genuine English, Latin-script names and numbers in an
English letter safe, while a short line of a look-alike letter (``I1cKpeHHe``) is
still decoded: the leaves are decoded together, one leaf per paragraph of one text,
so a short line takes its neighbours' verdict. Leaves outside any letter are decoded
only where their own lines are look-alike.

Structure: the parser already classifies lines of look-alike text on their decoded
reading (salutation, closing, running headers with their page numbers), so decoding
changes text only; the ``dates`` plugin runs afterwards and can then read the dates
in the decoded running headers.

Every change goes through ``ctx.edit`` (one recorded repair per decoded word, with the
decoder's confidence), so ``docparse.repair.unrepair`` gives the OCR's text back.
Idempotent: decoded text is Cyrillic, which is never look-alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docparse.nodes import Document, Leaf, Letter, Node
from docparse.ocr import decode_edits, lookalike_score, mixed_case_lookalike, seed_like
from docparse.plugin import Option, RepairContext, repair_plugin
from docparse.plugin import leaves as leaves_of
from docparse.visitor import Transformer

if TYPE_CHECKING:
    from docparse.edits import Edit

__all__ = ["letter_is_lookalike", "plugin"]

#: leaves are joined with a blank line: each starts a sentence, none sees across it
_SEP = "\n\n"


def _joined(leaves: Sequence[Leaf]) -> tuple[str, list[int]]:
    """The leaves' values as one text (blank-line separated) and where each starts."""
    starts: list[int] = []
    at = 0
    for leaf in leaves:
        starts.append(at)
        at += len(leaf.value) + len(_SEP)
    return _SEP.join(leaf.value for leaf in leaves), starts


def letter_is_lookalike(letter: Letter, threshold: float) -> bool:
    """Whether ``letter``'s text, taken as a whole, is Russian read as Latin look-alikes.

    ``Letter("Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo! ...")`` -> True;
    ``Letter("Dear Mr. Lukashenka: ...")`` -> False.
    """
    return _verdict(letter, threshold) is not None


def _verdict(letter: Letter, threshold: float) -> str | None:
    """How ``letter`` is look-alike Russian: ``"score"`` (by
    :func:`docparse.cyrillic.lookalike_score`, the seed's kind of OCR: decoded line by
    line with the seed's readings), ``"mixed-case"`` (by
    :func:`docparse.cyrillic.mixed_case_lookalike` and not
    :func:`docparse.cyrillic.seed_like`: another engine, reading one Latin glyph per
    Cyrillic letter in chaotic case, such as Tesseract's English model: decoded whole, with
    the readings learned from real OCR), or None."""
    if threshold > 1.0:
        return None  # (the option's way to switch the decoder off)
    text = _SEP.join([leaf.value for leaf in leaves_of(letter)])  # (as _joined, without the starts)
    score = lookalike_score(text) >= threshold
    if not score and not mixed_case_lookalike(text):
        return None
    if score and (seed_like(text) or not mixed_case_lookalike(text)):
        return "score"
    return "mixed-case"


def _split_edits(edits: list[Edit], leaves: Sequence[Leaf], starts: list[int]) -> list[list[Edit]]:
    """Each leaf's share of ``edits`` (offsets into the joined text), made leaf-relative.
    An edit that would cross a leaf boundary (it cannot: edits stay inside a line) is
    dropped rather than guessed."""
    out: list[list[Edit]] = [[] for _ in leaves]
    k = 0
    for e in sorted(edits, key=lambda e: e.start):
        while k + 1 < len(starts) and starts[k + 1] <= e.start:
            k += 1
        if not leaves:
            break
        if e.end <= starts[k] + len(leaves[k].value) and e.start >= starts[k]:
            out[k].append(e.shifted(-starts[k]))
    return out


class _Apply(Transformer):
    """Applies precomputed per-leaf edits, leaves taken in document order."""

    def __init__(self, ctx: RepairContext, per_leaf: list[list[Edit]]) -> None:
        self.ctx = ctx
        self.per_leaf = per_leaf
        self.i = 0

    def generic_leave(self, original: Node, updated: Node) -> Any:
        if isinstance(updated, Leaf):
            edits = self.per_leaf[self.i]
            self.i += 1
            if edits:
                return self.ctx.edit(updated, edits)
        return updated


def _decode(node: Node, ctx: RepairContext, threshold: float, every_line: bool = False) -> Node:
    """``node`` with its look-alike lines decoded (``threshold``: per line; ``every_line``:
    all of them)."""
    leaves = leaves_of(node)
    if not leaves:
        return node
    text, starts = _joined(leaves)
    edits = decode_edits(text, threshold, every_line=every_line)
    if not edits:
        return node
    return _Apply(ctx, _split_edits(edits, leaves, starts)).transform(node)


def _letter(letter: Letter, ctx: RepairContext) -> Letter:
    threshold = float(ctx.options["threshold"])
    verdict = _verdict(letter, threshold)
    if verdict is None:
        return letter
    out = _decode(letter, ctx, threshold, every_line=verdict == "mixed-case")
    assert isinstance(out, Letter)
    if out.language != "ru":
        out = out.evolve(language="ru")
    return out


@repair_plugin(
    name="cyrillic-lookalikes",
    description="Decode Russian that an English-only OCR read as Latin look-alikes (JIYKameHKo -> Лукашенко).",
    reads=("letter", "address_line", "salutation", "paragraph", "closing", "page_header",
           "date", "name", "title", "postscript", "text"),
    before=("dates?",),
    options={
        "threshold": Option(
            0.5, help="look-alike score (0..1) a letter's whole text needs to be decoded"
        ),
    },
    version="1",
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Decode every look-alike letter of ``tree`` (see the module docstring)."""
    threshold = float(ctx.options["threshold"])
    children: list[Node] = []
    for child in tree.children:
        if isinstance(child, Letter):
            children.append(_letter(child, ctx))
        else:
            children.append(_decode(child, ctx, threshold))
    if all(a is b for a, b in zip(children, tree.children)):
        return tree
    return tree.evolve(children=tuple(children))
