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

from docparse._memo import by_identity
from docparse.nodes import Document, Leaf, Letter, Name, Node, Title
from docparse.plugin import Option, RepairContext, repair_plugin
from docparse.repair import leaves, undo_leaf
from docparse.visitor import Transformer

if TYPE_CHECKING:
    from docparse.edits import Edit
    from docparse.geometry import WordSpan
    from docparse.spelling import OcrEvidence

__all__ = ["OCR_CHOICES", "add_suggestions", "letter_evidence", "ocr_verdict", "plugin", "suggestion",
           "within_a_line"]

#: values of the ``ocr`` option shared by the OCR-aware plugins (also ``spacing``)
OCR_CHOICES = ("auto", "yes", "no")
#: how many rounds a plugin may repair its own output before it stops (a fixpoint is
#: normally reached in one: the rounds only guard idempotence)
MAX_ROUNDS = 3


@by_identity(64)
def _unrepaired_text(node: Node) -> str:
    """The node's leaves as the parser read them, one block per leaf (remembered for
    the last nodes asked about: the evidence and the vocabulary read the same letter)."""
    return "\n\n".join([undo_leaf(n).value for n in leaves(node)])


@functools.lru_cache(maxsize=32)
def _evidence(text: str) -> OcrEvidence:
    from docparse.spelling import ocr_evidence

    return ocr_evidence(text)


@by_identity(64)
def letter_evidence(letter: Letter) -> OcrEvidence:
    """The signs of OCR in ``letter``'s unrepaired text (cached: ``spacing`` asks too;
    remembered per letter object, which spares rebuilding its text).

    ``Letter("... July 3 , 2004 ... the . Helsinki Accords ...")`` -> ``likely_ocr=True``.
    """
    return _evidence(_unrepaired_text(letter))


def within_a_line(leaf: Leaf, edit: Edit, source: str | None) -> bool:
    """Whether ``edit`` (offsets into ``leaf.value``) changes text inside one line the
    writer typed, rather than at a line break the parser joined with a space (``"com-
    \npetant"``). Without source text, every edit counts as inside a line."""
    if source is None:
        return True
    from docparse.repair import source_span

    a, b = source_span(leaf, edit.start, edit.end, source)
    if b - a > len(edit.before) + 120:
        return True  # no alignment: the node's whole span, not the edit's
    seg = source[a:b]
    return "\n" not in seg and "\r" not in seg and "\f" not in seg


def suggestion(leaf: Leaf, edit: Edit, plugin: str, source: str | None) -> dict[str, Any]:
    """A change not made, for ``data.suggestions``: where (source offsets), what, how sure."""
    from docparse.repair import source_span

    a, b = source_span(leaf, edit.start, edit.end, source)
    return {"plugin": plugin, "start": a, "end": b, "before": edit.before, "after": edit.after,
            "confidence": edit.confidence, "reason": edit.reason}


def add_suggestions(letter: Letter, plugin: str, items: list[dict[str, Any]]) -> Letter:
    """``letter`` with its ``data["suggestions"]`` of ``plugin`` replaced by ``items``
    (those of other plugins kept; none at all: no key)."""
    old = list(letter.data.get("suggestions") or [])
    kept = [x for x in old if x.get("plugin") != plugin]
    unique: dict[tuple[Any, ...], dict[str, Any]] = {}
    for x in items:
        unique.setdefault((x["start"], x["end"], x["before"], x["after"]), x)
    new = sorted(kept + list(unique.values()), key=lambda x: (x["start"], x["end"], x["plugin"]))
    if new == old:
        return letter
    data = {k: v for k, v in letter.data.items() if k != "suggestions"}
    if new:
        data["suggestions"] = new
    return letter.evolve(data=data)


def ocr_verdict(letter: Letter, option: str) -> bool:
    """Whether to treat ``letter`` as OCR'd: ``option`` ``yes``/``no`` say it outright,
    ``auto`` asks :func:`letter_evidence`."""
    if option == "yes":
        return True
    if option == "no":
        return False
    return letter_evidence(letter).likely_ocr


def _vocabulary(tree: Document) -> Counter[str]:
    """Word counts of the document's English text, as the parser read it."""
    from docparse.spelling import word_counts

    counts: Counter[str] = Counter()
    for child in tree.children:
        if isinstance(child, Letter) and child.language not in ("en", None):
            continue
        counts.update(word_counts(_unrepaired_text(child)))
    return counts


@functools.lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """The words of the grammar's title lexicon (``LEX_TITLE``: "ranking member",
    "chairman", "secretary" ...): a title line's misspelling is corrected toward them."""
    from docparse.grammar import installed
    from docparse.parser import get_parser

    grammar = installed()
    pattern = get_parser(grammar.text, grammar.builders)[1].patterns.get("LEX_TITLE")
    if pattern is None:
        return frozenset()
    return frozenset(re.findall(r"[a-z]{4,}", pattern.pattern))


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
        from docparse.spelling import spelling_edits

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
        from docparse.geometry import confidence_at
        from docparse.repair import source_span

        start, end = source_span(leaf, edit.start, edit.end, self.ctx.source)
        found = confidence_at(self.words, start, end)
        return found is not None and found < LOW_CONFIDENCE


#: an engine's word confidence (0 to 1) below which a misspelled word is corrected even in a
#: letter not judged OCR'd: the engine that read it doubted it (ALTO ``WC``, hOCR ``x_wconf``)
LOW_CONFIDENCE = 0.5


def _needs_work(letter: Letter, vocabulary: Callable[[], Counter[str]]) -> bool:
    """Whether any value of a letter *not* judged OCR'd gets an (in-document) correction.

    Such a correction changes a run of letters that is not a word and passes
    :func:`docparse.spelling._candidate_token`; a letter that nobody repaired yet has the
    runs of its unrepaired text (the one the evidence read), so when none of them is a
    candidate no value is looked at, and otherwise only the values holding one are.
    ``vocabulary`` gives the document's word counts, asked for only then."""
    from docparse.spacing import _odd_by_token
    from docparse.spelling import _candidate_token, spelling_edits

    nodes = leaves(letter)
    if any(n.repairs for n in nodes):
        values = [n.value for n in nodes if n.value and not isinstance(n, Name)]
    else:
        # the values are those of the unrepaired text: its tokens are theirs
        wanted = [
            tok for tok, runs in _odd_by_token(_unrepaired_text(letter)).items()
            if any(_candidate_token(t) for t in runs)
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

    from docparse.geometry import word_confidences

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
