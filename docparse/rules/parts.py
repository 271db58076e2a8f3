"""Rules on which parts a letter has: required parts, an empty letter or document, the language.

Where a part is missing, the diagnostic points where the part belongs: a missing
salutation at the first body paragraph, a missing closing at the signature (or after the
body), a missing signature after the closing (or after the body), a missing date at the
letter's first line.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..nodes import (
    Closing,
    Date,
    Document,
    Letter,
    Paragraph,
    Postscript,
    Salutation,
    Signature,
    Text,
)
from ..rule import Diagnostic, RuleContext, rule
from ._hints import hint
from ._util import end_line_of, first, last, start_of

__all__ = ["RULES"]


def _body_end(letter: Letter) -> tuple[int, int]:
    """A place just after the body: the last paragraph's last line, else the letter start."""
    para = last(letter, Paragraph)
    return end_line_of(para) if para is not None else start_of(letter)


@rule("DP001", "empty-document", "The document holds at least one letter.", scope="document")
def empty_document(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    if doc.letters:
        return
    texts = [c for c in doc.children if isinstance(c, Text)]
    if texts:
        yield ctx.problem(texts[0], f"no letter found: {len(texts)} block(s) of text could not be read as a letter")
    else:
        yield ctx.problem((1, 1), "the document is empty: no letter to check")


@rule("DP002", "empty-letter", "A letter has at least one body paragraph.", severity="warning")
def empty_letter(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    if first(letter, Paragraph) is None and first(letter, Postscript) is None:
        yield ctx.problem(start_of(letter), "the letter has no body paragraph")


@rule("DP003", "unknown-language", "The language of each letter is known (detected).", severity="warning")
def unknown_language(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    if letter.language is None:
        yield ctx.problem(
            start_of(letter),
            "the letter's language is unknown (too little text, or a language docparse does not read)",
        )


@rule("DP101", "date-present", "A letter has a date line.")
def date_present(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    if first(letter, Date) is None:
        yield ctx.problem(
            start_of(letter),
            "no date line (expected at the top of the letter, above the salutation: "
            f'a line such as "{hint("DP101", letter.language)}")',
        )


@rule("DP102", "salutation-present", "A letter has a salutation before its body.")
def salutation_present(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    if first(letter, Salutation) is None:
        body = first(letter, Paragraph)
        yield ctx.problem(
            start_of(body if body is not None else letter),
            f'no salutation before the body (a line such as "{hint("DP102", letter.language)}")',
        )


@rule("DP103", "closing-present", "A letter has a complimentary close before its signature.")
def closing_present(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    if first(letter, Closing) is None:
        sig = first(letter, Signature)
        where = start_of(sig) if sig is not None else _body_end(letter)
        yield ctx.problem(where, f'no complimentary close (a line such as "{hint("DP103", letter.language)}")')


@rule("DP104", "signature-present", "A letter has a signature.")
def signature_present(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    if first(letter, Signature) is None:
        closing = last(letter, Closing)
        where = end_line_of(closing) if closing is not None else _body_end(letter)
        yield ctx.problem(where, "no signature (the writer's name under the closing)")


@rule(
    "DP105",
    "body-without-signature",
    "A letter with body paragraphs is signed (a milder DP104 that spares notes and fragments).",
    severity="warning",
    default=False,
)
def body_without_signature(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    if first(letter, Paragraph) is not None and first(letter, Signature) is None:
        yield ctx.problem(_body_end(letter), "the letter has a body but no signature")


RULES = (
    empty_document,
    empty_letter,
    unknown_language,
    date_present,
    salutation_present,
    closing_present,
    signature_present,
    body_without_signature,
)
