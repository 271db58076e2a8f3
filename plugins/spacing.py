"""Built-in repair plugin ``spacing``: spaces the OCR put in or left out.

Each leaf's value is repaired by :func:`docparse.spacing.spacing_edits`::

    date         "July 21 , 2004"                 ->  "July 21, 2004"
    paragraph    "export controls of MANP ADs"    ->  "export controls of MANPADs"
    paragraph    "At the EdinburghOSCE P A"       ->  "At the Edinburgh OSCE P A"
    paragraph    "who signed the . Helsinki"      ->  "who signed the Helsinki"
    address_line ", K. Marksa.Str. , Minsk"       ->  "K. Marksa.Str., Minsk"

Word joins and splits are decided with an English lexicon, so they apply to English
letters only; the punctuation rules (a space before a comma, a stray full stop) to
the letters whose language is in the option ``languages`` (default English and
Russian: French, for one, puts a space before ``!`` and ``?`` by rule). Splitting a
lower-case run of two common words (``fromyou``), a habit of writers too, is done only
in letters judged OCR'd (the evidence ``ocr-spelling`` records; option ``ocr``:
``auto``/``yes``/``no``, set by ``docparse parse --ocr/--no-ocr``). ``name`` leaves
are left alone.

In a letter not judged OCR'd nothing changes inside a line the writer typed ("New
Haven- Conn", "ArchivesSpace" stay): such a change goes to ``Letter.data["suggestions"]``;
only a hyphen's gap at a line break still closes (``far-\nreaching``).

Every change goes through ``ctx.edit``. The plugin repairs its own output until
nothing changes (at most three rounds), so a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from docparse.nodes import Document, Leaf, Letter, Name, Node
from docparse.ocr import (
    MAX_ROUNDS,
    OCR_CHOICES,
    add_suggestions,
    letter_evidence,
    ocr_verdict,
    spacing_edits,
    suggestion,
    within_a_line,
)
from docparse.plugin import Option, RepairContext, leaves, repair_plugin
from docparse.visitor import Transformer

__all__ = ["plugin"]

#: the rules of docparse.spacing that need no lexicon (they apply to any language chosen)
_PUNCTUATION_RULES = frozenset({"space-before-punct", "stray-punct"})


class _Space(Transformer):
    def __init__(self, ctx: RepairContext, ocr: bool, english: bool, typed: bool) -> None:
        self.ctx = ctx
        self.ocr = ocr
        self.english = english
        #: the letter is not judged OCR'd: a change inside a line the writer typed is only
        #: suggested (data.suggestions); a gap at a line break may still be closed
        self.typed = typed
        self.suggested: list[dict[str, Any]] = []

    def generic_leave(self, original: Node, updated: Node) -> Any:
        if not isinstance(updated, Leaf) or isinstance(updated, Name):
            return updated
        for _ in range(MAX_ROUNDS):
            edits = spacing_edits(updated.value, ocr=self.ocr)
            if not self.english:
                # the word rules read an English lexicon: keep only the punctuation rules
                edits = [e for e in edits if e.reason.split(":", 1)[0] in _PUNCTUATION_RULES]
            if self.typed and edits:
                # at a line break only a hyphen's gap closes ("far-\nreaching"): a word
                # broken without one ("con\nsideration") is the writer's or a transcriber's
                inside = [e for e in edits if not e.reason.startswith("split-compound")
                          or within_a_line(updated, e, self.ctx.source)]
            else:
                # even in OCR'd text a hyphen and space before a capital inside a line is
                # the writer's dash ("New Haven- Conn", "My- Dear Beck")
                inside = [e for e in edits if e.reason.startswith("split-compound")
                          and e.reason.rpartition("-")[2][:1].isupper()
                          and within_a_line(updated, e, self.ctx.source)]
            if inside:
                self.suggested.extend(suggestion(updated, e, self.ctx.plugin, self.ctx.source) for e in inside)
                moved = set(inside)  # (a set: a list was searched once per edit, quadratic on a long line)
                edits = [e for e in edits if e not in moved]
            if not edits:
                break
            updated = self.ctx.edit(updated, edits)
        return updated


def _needs_work(letter: Letter, ocr: bool, english: bool) -> bool:
    """Whether any value of ``letter`` gets a spacing edit (the edits are cached: the
    OCR evidence asked about the same values, and the transform asks again)."""
    for node in leaves(letter):
        if node.value and not isinstance(node, Name):
            edits = spacing_edits(node.value, ocr=ocr)
            if not english:
                edits = [e for e in edits if e.reason.split(":", 1)[0] in _PUNCTUATION_RULES]
            if edits:
                return True
    return False


def _clean_by_evidence(letter: Letter) -> bool:
    """Whether the OCR evidence already shows that no value of ``letter`` gets a spacing
    edit without the OCR-only rule: the evidence asked :func:`spacing_edits` (``ocr=False``)
    about every block of the letter's unrepaired text and counted no edit, and each value
    is such a block as it stands (unrepaired, one line, no surrounding spaces)."""
    evidence = letter_evidence(letter)
    if evidence.space_before_punct or evidence.split_words or evidence.run_together or evidence.stray_punct:
        return False
    for node in leaves(letter):
        value = node.value
        if value and not isinstance(node, Name) and (
            node.repairs or "\n" in value or "\r" in value or value != value.strip()
        ):
            return False
    return True


def _letter(letter: Letter, ctx: RepairContext) -> Letter:
    languages = tuple(ctx.options["languages"])
    if letter.language not in languages:
        return letter
    english = letter.language == "en"
    option = str(ctx.options["ocr"])
    ocr = english and ocr_verdict(letter, option)
    # inside a typed line only OCR'd text is changed: an English letter judged OCR'd, a
    # letter decoded from look-alikes (Russian read by an English-only OCR)
    typed = not (ocr or option == "yes" or (not english and _decoded(letter)))
    if english and not ocr and option == "auto" and _clean_by_evidence(letter):
        return add_suggestions(letter, ctx.plugin, [])  # the evidence saw every value
    if not _needs_work(letter, ocr, english):
        return add_suggestions(letter, ctx.plugin, [])  # no value has anything to repair
    space = _Space(ctx, ocr, english, typed)
    out = space.transform(letter)
    assert isinstance(out, Letter)
    return add_suggestions(out, ctx.plugin, space.suggested)


def _decoded(letter: Letter) -> bool:
    """Whether ``letter`` was decoded from Latin look-alikes (OCR output by definition)."""
    return any(r.plugin == "cyrillic-lookalikes" for n in leaves(letter) for r in n.repairs)


@repair_plugin(
    name="spacing",
    description="Remove spaces before punctuation, join words the OCR split, split words it ran together.",
    reads=("paragraph", "salutation", "closing", "address_line", "date", "title", "reference",
           "postscript", "page_header", "enclosure", "copy", "text"),
    after=("cyrillic-lookalikes?",),
    options={
        "languages": Option(["en", "ru"], help="letters in these languages are repaired"),
        "ocr": Option("auto", help="split lower-case run-together words: auto (if the letter "
                      "shows signs of OCR), yes, no", choices=OCR_CHOICES),  # type: ignore[arg-type]
    },
    version="1",
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Repair the spacing of every letter in a chosen language (see the module docstring)."""
    children = [_letter(c, ctx) if isinstance(c, Letter) else c for c in tree.children]
    if all(a is b for a, b in zip(children, tree.children)):
        return tree
    return tree.evolve(children=tuple(children))
