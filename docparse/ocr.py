"""The OCR tool kit of repair plugins: a public module of the plugin API.

Built-in repair plugins (``docparse.plugins``) use only the public API -- :mod:`docparse`,
:mod:`docparse.plugin`, :mod:`docparse.nodes`, :mod:`docparse.visitor`,
:mod:`docparse.edits`, :mod:`docparse.errors`, :mod:`docparse.grammar`,
:mod:`docparse.dates` and this module -- as a third-party plugin would
(``tests/test_layers.py`` checks it). This module exposes what they need of the repair
engines (the Cyrillic look-alike decoder, the spelling and spacing engines, the OCR
evidence), and the helpers the OCR-aware plugins share (the ``ocr`` option, suggestions).

The engines load word lists and compile large expressions (some 50 ms), so each
function imports its engine when first called, not when this module is imported.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import TYPE_CHECKING, Any

from ._memo import by_identity
from .repair import leaves, source_span, undo_leaf

if TYPE_CHECKING:
    from .edits import Edit
    from .nodes import Leaf, Letter, Node
    from .spelling import OcrEvidence

__all__ = [
    "MAX_ROUNDS",
    "OCR_CHOICES",
    "add_suggestions",
    "candidate_token",
    "decode_edits",
    "dehyphenate_edits",
    "letter_evidence",
    "lookalike_score",
    "mixed_case_lookalike",
    "ocr_evidence",
    "ocr_verdict",
    "seed_like",
    "odd_by_token",
    "spacing_edits",
    "spelling_edits",
    "suggestion",
    "unrepaired_text",
    "within_a_line",
    "word_counts",
]

#: values of the ``ocr`` option shared by the OCR-aware plugins (``ocr-spelling``, ``spacing``,
#: ``dehyphenate``)
OCR_CHOICES = ("auto", "yes", "no")
#: how many rounds a plugin may repair its own output before it stops (a fixpoint is
#: normally reached in one: the rounds only guard idempotence)
MAX_ROUNDS = 3


# ------------------------------------------------------------------- the engines
# (each imports its engine on first call: see the module docstring)


def lookalike_score(text: str) -> float:
    """How likely ``text`` is Russian read by an English-only OCR, 0..1
    (:func:`docparse.cyrillic.lookalike_score`)."""
    # lazy: the decoder's tables
    from .cyrillic import lookalike_score as score

    return score(text)


def decode_edits(text: str, threshold: float | None = None, *, every_line: bool = False) -> list[Edit]:
    """The edits that decode look-alike Latin back to Cyrillic
    (:func:`docparse.cyrillic.decode_edits`; ``every_line``: decode every line, not only
    those that score as look-alike)."""
    # lazy: the decoder's tables
    from .cyrillic import decode_edits as edits

    if threshold is None:
        return edits(text, every_line=every_line)
    return edits(text, threshold, every_line=every_line)


def mixed_case_lookalike(text: str) -> bool:
    """Whether ``text`` reads as Russian OCR'd one Latin glyph per Cyrillic letter in
    chaotic case, as other engines than the seed's do
    (:func:`docparse.cyrillic.mixed_case_lookalike`)."""
    # lazy: the decoder's tables
    from .cyrillic import mixed_case_lookalike as mixed

    return mixed(text)


def seed_like(text: str) -> bool:
    """Whether ``text`` shows the seed engine's two-glyph readings ("JI", "5I", ...)
    (:func:`docparse.cyrillic.seed_like`)."""
    # lazy: the decoder's tables
    from .cyrillic import seed_like as seed

    return seed(text)


def ocr_evidence(text: str) -> OcrEvidence:
    """The signs of OCR in ``text`` (:func:`docparse.spelling.ocr_evidence`)."""
    # lazy: the spelling engine's word tables
    from .spelling import ocr_evidence as evidence

    return evidence(text)


def word_counts(text: str) -> Counter[str]:
    """The words of ``text``, counted (:func:`docparse.spelling.word_counts`)."""
    # lazy: the spelling engine's word tables
    from .spelling import word_counts as counts

    return counts(text)


def spelling_edits(
    text: str, *, vocabulary: Counter[str] | None = None, ocr: bool | None = None,
    prefer: frozenset[str] = frozenset(), suggest: list[Edit] | None = None,
) -> list[Edit]:
    """The OCR spelling corrections of ``text`` (:func:`docparse.spelling.spelling_edits`)."""
    # lazy: the spelling engine's word tables
    from .spelling import spelling_edits as edits

    return edits(text, vocabulary=vocabulary, ocr=ocr, prefer=prefer, suggest=suggest)


def candidate_token(token: str) -> bool:
    """Whether the spelling engine would correct ``token`` at all."""
    # lazy: the spelling engine's word tables
    from .spelling import _candidate_token

    return _candidate_token(token)


def spacing_edits(text: str, *, ocr: bool | None = None) -> list[Edit]:
    """The spacing repairs of ``text`` (:func:`docparse.spacing.spacing_edits`)."""
    # lazy: the spacing engine's word tables
    from .spacing import spacing_edits as edits

    return edits(text, ocr=ocr)


def dehyphenate_edits(text: str) -> list[Edit]:
    """The joins of words hyphenated across a line break (:func:`docparse.spacing.dehyphenate_edits`)."""
    # lazy: the spacing engine's word tables
    from .spacing import dehyphenate_edits as edits

    return edits(text)


def odd_by_token(text: str) -> dict[str, tuple[str, ...]]:
    """The tokens of ``text`` that hold a run the spacing engine finds odd, each with
    its odd runs (``"Pryce:"`` -> ``("Pryce",)``); do not change the mapping returned."""
    # lazy: the spacing engine's word tables
    from .spacing import _odd_by_token

    return _odd_by_token(text)


# --------------------------------------------------------- shared by the OCR plugins


@by_identity(64)
def unrepaired_text(node: Node) -> str:
    """The node's leaves as the parser read them, one block per leaf (remembered for
    the last nodes asked about: the evidence and the vocabulary read the same letter)."""
    return "\n\n".join([undo_leaf(n).value for n in leaves(node)])


@functools.lru_cache(maxsize=32)
def _evidence(text: str) -> OcrEvidence:
    return ocr_evidence(text)


@by_identity(64)
def letter_evidence(letter: Letter) -> OcrEvidence:
    """The signs of OCR in ``letter``'s unrepaired text (cached: several plugins ask;
    remembered per letter object, which spares rebuilding its text).

    ``Letter("... July 3 , 2004 ... the . Helsinki Accords ...")`` -> ``likely_ocr=True``.
    """
    return _evidence(unrepaired_text(letter))


def within_a_line(leaf: Leaf, edit: Edit, source: str | None) -> bool:
    """Whether ``edit`` (offsets into ``leaf.value``) changes text inside one line the
    writer typed, rather than at a line break the parser joined with a space (``"com-
    \\npetant"``). Without source text, every edit counts as inside a line."""
    if source is None:
        return True
    a, b = source_span(leaf, edit.start, edit.end, source)
    if b - a > len(edit.before) + 120:
        return True  # no alignment: the node's whole span, not the edit's
    seg = source[a:b]
    return "\n" not in seg and "\r" not in seg and "\f" not in seg


def suggestion(leaf: Leaf, edit: Edit, plugin: str, source: str | None) -> dict[str, Any]:
    """A change not made, for ``data.suggestions``: where (source offsets), what, how sure."""
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
