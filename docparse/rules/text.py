"""Rules on the text itself: nothing left unclassified, no OCR damage left unrepaired.

``ocr-damage`` runs after the repair plugins (unless ``--no-repairs``) on each body
paragraph and postscript, and reports what the repairs left behind:

* Russian read by an English-only OCR as Latin look-alikes (``JIYKameHKo`` for
  ``Лукашенко``): :func:`docparse.cyrillic.lookalike_score` at or above ``lookalike``;
* English OCR damage (spaces before punctuation, split words, ``rn``/``m`` confusions):
  the signs :func:`docparse.spelling.ocr_evidence` counts, weighed as it weighs them, at
  least ``min-signs`` of them and at least ``score`` per 1,000 words.

Paragraphs shorter than ``min-words`` words are not judged (too little evidence).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..nodes import Document, Letter, Paragraph, Postscript, Text
from ..validate import Diagnostic, RuleContext, rule
from ._util import short, walk_type

__all__ = ["RULES", "ocr_signs"]


@rule("DP601", "unclassified-text", "No text is left unclassified (text nodes).", severity="warning", scope="document")
def unclassified_text(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    if not doc.letters:
        return  # empty-document says it once for the whole file
    for node in walk_type(doc, Text):
        if node.value.strip():
            yield ctx.problem(node, f"text not recognised as any part of a letter: {short(node.value)!r}")


def ocr_signs(text: str) -> tuple[float, float, int]:
    """``(signs, score, words)`` of OCR damage in ``text``, weighed as
    :func:`docparse.spelling.ocr_evidence` weighs them (score: signs per 1,000 words)."""
    from ..spelling import ocr_evidence

    ev = ocr_evidence(text)
    signs = (
        ev.space_before_punct
        + ev.stray_punct
        + 0.5 * ev.in_document_variants
        + 2 * (ev.split_words + ev.run_together)
        + ev.lookalikes
    )
    writer = ev.unexplained_nonwords >= ev.WRITER_MIN and 1000.0 * ev.unexplained_nonwords / max(1, ev.words) >= ev.WRITER_RATE
    return (0.0 if writer else signs), ev.score, ev.words


@rule(
    "DP602",
    "ocr-damage",
    "No OCR damage is left unrepaired in the body (look-alike Cyrillic, split words, stray spaces).",
    severity="warning",
    options={"score": 4.0, "min-signs": 2, "lookalike": 0.5, "min-words": 8},
)
def ocr_damage(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    from ..cyrillic import lookalike_score

    opts = ctx.options
    for node in letter.children:
        if not isinstance(node, (Paragraph, Postscript)):
            continue
        value = node.value
        if len(value.split()) < opts["min-words"]:
            continue
        look = lookalike_score(value)
        if look >= opts["lookalike"]:
            yield ctx.problem(
                node,
                f"the paragraph looks like Russian read as Latin look-alikes (score {look:.2f}): "
                f"{short(value, 30)!r}; run the cyrillic repair",
            )
            continue
        signs, score, _ = ocr_signs(value)
        if signs >= opts["min-signs"] and score >= opts["score"]:
            yield ctx.problem(
                node,
                f"the paragraph shows OCR damage left unrepaired ({signs:g} signs, {score:g} per 1,000 words)",
            )


RULES = (unclassified_text, ocr_damage)
