"""Built-in repair plugin ``ocr-spelling``: conservative correction of OCR misspellings
in English letters.

OCR drops letters and confuses look-alike glyphs; a writer misspells too, and a
lexicon cannot tell the two apart (``corrption`` and a writer's ``sufered`` are both
rare). So the plugin first weighs the evidence the letter itself gives of having gone
through OCR (:func:`docparse.spelling.ocr_evidence`: signs only a machine leaves, such
as spaces before punctuation, split and run-together words, look-alike glyphs; a
misspelling never decides alone), records it in ``Letter.data["ocr-spelling"]`` (unless
the letter shows no sign of OCR at all and nothing was corrected or suggested: a clean
letter stays as parsed), and corrects with the lexicon only when the letter is judged
OCR'd. Even then a correction that only undoes a writer's habit ("arest", "utterd":
:func:`docparse.spelling.writer_habit`) or that turns a capitalised word in mid-sentence
into a word the document never uses (a name) is only suggested. In a letter not judged
OCR'd nothing changes: a word spelled right at least twice elsewhere in the document is
suggested. Suggestions go to ``Letter.data["suggestions"]`` (:func:`add_suggestions`)::

    paragraph "renewed efforts to combat corrption."  ->  "renewed efforts to combat corruption."
    title     "Raning Member"                         ->  "Ranking Member"
    letter.data["ocr-spelling"] = {"words": 1155, ..., "likely_ocr": true, "ocr": "auto"}

The rules of :func:`docparse.spelling.spelling_edits` hold: a real word, a proper name
used elsewhere in the document, an abbreviation or a number is never changed. Only
letters whose ``language`` is ``en`` are read (the lexicon is English); ``name`` leaves
(proper names) are never touched.

The evidence and the document's vocabulary are computed from the *unrepaired* text
(the OCR's own), so that the spacing repairs that run before this plugin do not erase
the signs of OCR, and a second run sees what the first saw (idempotent).

Option ``ocr``: ``auto`` (the evidence decides), ``yes`` (correct as OCR'd text, writers'
habits included), ``no`` (suggestions only). With ``auto``, a letter read from an OCR
engine's output (ALTO, PAGE-XML, hOCR) that is not judged OCR'd still has a word corrected
where the engine gave that word a confidence below :data:`LOW_CONFIDENCE` (0.5): the engine
doubted it (``spoilcd`` read with WC 0.3 -> ``spoiled``; with WC 0.97 it stays). ``docparse parse --ocr/--no-ocr`` sets it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docparse.grammar import installed
from docparse.nodes import Document, Leaf, Letter, Name, Node, Title
from docparse.ocr import (
    MAX_ROUNDS,
    OCR_CHOICES,
    add_suggestions,
    candidate_token,
    letter_evidence,
    ocr_verdict,
    odd_by_token,
    spelling_edits,
    suggestion,
    unrepaired_text,
    within_a_line,
    word_counts,
)
from docparse.plugin import Option, RepairContext, leaves, repair_plugin
from docparse.visitor import Transformer

if TYPE_CHECKING:
    from docparse.edits import Edit
    from docparse.plugin import WordSpan

__all__ = ["OCR_CHOICES", "add_suggestions", "letter_evidence", "ocr_verdict", "plugin", "suggestion",
           "within_a_line"]

def _vocabulary(tree: Document) -> Counter[str]:
    """Word counts of the document's English text, as the parser read it."""
    counts: Counter[str] = Counter()
    for child in tree.children:
        if isinstance(child, Letter) and child.language not in ("en", None):
            continue
        counts.update(word_counts(unrepaired_text(child)))
    return counts


@functools.lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """The words of the grammar's title lexicon (``LEX_TITLE``: "ranking member",
    "chairman", "secretary" ...): a title line's misspelling is corrected toward them."""
    pattern = installed().lexicon_patterns.get("LEX_TITLE")
    if pattern is None:
        return frozenset()
    return frozenset(re.findall(r"[a-z]{4,}", pattern))


class _Correct(Transformer):
    """Corrects the leaves of a letter judged OCR'd; with ``ocr`` False (a letter not
    judged OCR'd) it changes nothing and only collects suggestions."""

    def __init__(self, ctx: RepairContext, vocabulary: Counter[str], ocr: bool, told: bool,
                 words: list[WordSpan] | None = None) -> None:
        self.ctx = ctx
        self.vocabulary = vocabulary
        self.ocr = ocr
        #: the OCR engine's words with their confidences (ALTO, PAGE, hOCR input), if any
        self.words = words or []
        #: told the text is OCR output (``--ocr``): a writer-like slip is corrected too
        self.told = told
        self.suggested: list[dict[str, Any]] = []

    def generic_leave(self, original: Node, updated: Node) -> Any:
        if not isinstance(updated, Leaf) or isinstance(updated, Name):
            return updated  # a proper name is the writer's, whatever the lexicon says

        prefer = _title_words() if isinstance(updated, Title) else frozenset()
        for _ in range(MAX_ROUNDS):
            weak: list[Edit] = []
            edits = spelling_edits(updated.value, vocabulary=self.vocabulary, ocr=self.ocr,
                                   prefer=prefer, suggest=None if self.told else weak)
            if not self.ocr:
                weak, edits = weak + edits, []  # no OCR evidence: the writer's spelling stays
                if self.words:  # ... unless the engine that read the word doubted it
                    edits = [e for e in spelling_edits(updated.value, vocabulary=self.vocabulary,
                                                       ocr=True, prefer=prefer)
                             if self._doubted(updated, e)]
                    weak = [e for e in weak
                            if not any(e.start < d.end and d.start < e.end for d in edits)]
            self.suggested.extend(suggestion(updated, e, self.ctx.plugin, self.ctx.source) for e in weak)
            if not edits:
                break
            updated = self.ctx.edit(updated, edits)
        return updated


    def _doubted(self, leaf: Leaf, edit: Edit) -> bool:
        """Whether the OCR engine read the word under ``edit`` with a confidence below
        :data:`LOW_CONFIDENCE` (evidence enough to correct it in a letter not judged OCR'd)."""
        from docparse.plugin import confidence_at, source_span

        start, end = source_span(leaf, edit.start, edit.end, self.ctx.source)
        found = confidence_at(self.words, start, end)
        return found is not None and found < LOW_CONFIDENCE


#: an engine's word confidence (0 to 1) below which a misspelled word is corrected even in a
#: letter not judged OCR'd: the engine that read it doubted it (ALTO ``WC``, hOCR ``x_wconf``)
LOW_CONFIDENCE = 0.5


def _needs_work(letter: Letter, vocabulary: Callable[[], Counter[str]]) -> bool:
    """Whether any value of a letter *not* judged OCR'd gets an (in-document) correction.

    Such a correction changes a run of letters that is not a word and passes
    :func:`docparse.ocr.candidate_token`; a letter that nobody repaired yet has the
    runs of its unrepaired text (the one the evidence read), so when none of them is a
    candidate no value is looked at, and otherwise only the values holding one are.
    ``vocabulary`` gives the document's word counts, asked for only then."""

    nodes = leaves(letter)
    if any(n.repairs for n in nodes):
        values = [n.value for n in nodes if n.value and not isinstance(n, Name)]
    else:
        # the values are those of the unrepaired text: its tokens are theirs
        wanted = [
            tok for tok, runs in odd_by_token(unrepaired_text(letter)).items()
            if any(candidate_token(t) for t in runs)
        ]
        if not wanted:
            return False  # (most clean letters: no value is looked at)
        values = [
            n.value for n in nodes
            if n.value and not isinstance(n, Name) and any(tok in n.value for tok in wanted)
        ]
    if not values:
        return False
    counts = vocabulary()
    return any(spelling_edits(v, vocabulary=counts, ocr=False) for v in values)


def _letter(letter: Letter, ctx: RepairContext, vocabulary: Callable[[], Counter[str]],
            words: list[WordSpan] | None = None) -> Letter:
    option = str(ctx.options["ocr"])
    evidence = letter_evidence(letter)
    ocr = ocr_verdict(letter, option)
    suggested: list[dict[str, Any]] = []
    doubted = words if option == "auto" else None
    if ocr or doubted or _needs_work(letter, vocabulary):
        told = option == "yes"
        correct = _Correct(ctx, vocabulary(), ocr, told, doubted)
        out = correct.transform(letter)
        assert isinstance(out, Letter)
        suggested = correct.suggested
    else:
        out = letter  # nothing to correct: skip rebuilding the tree
    out = add_suggestions(out, ctx.plugin, suggested)
    signs = evidence.score > 0 or evidence.unexplained_nonwords > 0
    if not (signs or option != "auto" or out is not letter or ctx.plugin in out.data):
        return out  # a clean letter stays as parsed: no sign, no change, nothing to record
    record = {**evidence.to_dict(), "ocr": option, "corrected_as_ocr": ocr}
    if out.data.get(ctx.plugin) != record:
        out = out.evolve(data={**out.data, ctx.plugin: record})
    return out


@repair_plugin(
    name="ocr-spelling",
    description="Correct OCR misspellings in English letters (Wodd -> World), only where the letter shows signs of OCR.",
    reads=("letter", "paragraph", "salutation", "closing", "address_line", "title", "date",
           "reference", "postscript", "page_header", "text"),
    after=("spacing?", "dehyphenate?", "cyrillic-lookalikes?"),
    before=("paragraphs?",),
    options={
        "ocr": Option("auto", help="auto: the letter's signs of OCR decide; yes/no: say it outright",
                      choices=OCR_CHOICES),  # type: ignore[arg-type]  # attrs converter typing
    },
    version="1",
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Correct the English letters of ``tree`` (see the module docstring)."""
    known: list[Counter[str]] = []

    def vocabulary() -> Counter[str]:
        """The document's word counts, computed when a letter first needs them."""
        if not known:
            known.append(_vocabulary(tree))
        return known[0]

    from docparse.plugin import word_confidences

    words = [w for w in word_confidences(tree.source) if w.confidence is not None]
    children: list[Node] = []
    for child in tree.children:
        if isinstance(child, Letter) and child.language == "en":
            children.append(_letter(child, ctx, vocabulary, words))
        else:
            children.append(child)
    if all(a is b for a, b in zip(children, tree.children)):
        return tree
    return tree.evolve(children=tuple(children))
