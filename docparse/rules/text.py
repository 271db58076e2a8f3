"""Rules on the text itself: nothing left unclassified, no OCR damage left unrepaired.

``ocr-damage`` runs after the repair plugins (unless ``--no-repairs``) on each body
paragraph and postscript, and reports what the repairs left behind:

* Russian read by an English-only OCR as Latin look-alikes (``JIYKameHKo`` for
  ``Лукашенко``): :func:`docparse.cyrillic.lookalike_score` at or above ``lookalike``;
* English OCR damage (spaces before punctuation, split words, ``rn``/``m`` confusions):
  the signs :func:`docparse.spelling.ocr_evidence` counts, weighed as it weighs them, at
  least ``min-signs`` of them and at least ``score`` per 1,000 words.

The look-alike score is taken per paragraph (each is reported); the English signs are
counted over the letter's whole body, the unit ``ocr_evidence`` is calibrated on, and
reported once, spanning the body. Texts shorter than ``min-words`` words are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..nodes import Document, Letter, Paragraph, Postscript, Text
from ..rule import Diagnostic, RuleContext, rule
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
    # lazy: the spelling engine (~50 ms) loads only when a letter is checked, not for --list-rules
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
    # lazy: the decoder's tables load only when a letter is checked, not for --list-rules
    from ..cyrillic import lookalike_score

    opts = ctx.options
    body = [n for n in letter.children if isinstance(n, (Paragraph, Postscript))]
    latin: list[Paragraph | Postscript] = []
    for node in body:
        value = node.value
        if len(value.split()) < opts["min-words"]:
            latin.append(node)
            continue
        look = lookalike_score(value)
        if look >= opts["lookalike"]:
            yield ctx.problem(
                node,
                f"the paragraph looks like Russian read as Latin look-alikes (score {look:.2f}): "
                f"{short(value, 30)!r}; run the cyrillic repair",
            )
        else:
            latin.append(node)
    if not latin:
        return
    # the English signs are weighed over the whole body at once, as ocr_evidence is
    # calibrated (per letter), and the diagnostic spans the body
    text = "\n\n".join(n.value for n in latin)
    if len(text.split()) < opts["min-words"]:
        return
    signs, score, _ = ocr_signs(text)
    if signs >= opts["min-signs"] and score >= opts["score"]:
        yield ctx.problem(
            latin[0],
            f"the body shows OCR damage left unrepaired ({signs:g} signs, {score:g} per 1,000 words: "
            "spaces before punctuation, split words, rn/m confusions)",
            end=latin[-1],
        )


RULES = (unclassified_text, ocr_damage)
