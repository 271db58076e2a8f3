"""The built-in layout rules of ``docparse validate``, one module per rule family.

=======  ===========================  ========  =================================================
id       name                         severity  checks
=======  ===========================  ========  =================================================
DP001    empty-document               error     the document holds at least one letter
DP002    empty-letter                 warning   a letter has body paragraphs
DP003    unknown-language             warning   each letter's language is known
DP101    date-present                 error     a letter has a date line
DP102    salutation-present           error     a letter has a salutation
DP103    closing-present              error     a letter has a complimentary close
DP104    signature-present            error     a letter has a signature
DP105    body-without-signature       warning   (off by default) a letter with a body is signed
DP201    part-order                   error     date/address, salutation, body, closing, signature
DP301    date-parses                  warning   the date line reads as a full date
DP302    date-not-future              error     the date is not later than today
DP401    page-sequence                error     continuation pages are numbered 2, 3, ...
DP402    page-header-agreement        warning   multi-line page headers name the same addressee
DP501    salutation-addressee         warning   the salutation's surname is the addressee's
DP601    unclassified-text            warning   no text is left unclassified
DP602    ocr-damage                   warning   no OCR damage is left unrepaired
=======  ===========================  ========  =================================================

Third-party rules come in through the entry-point group ``docparse.rules``; the built-ins
are listed here directly, because they are versioned with the tree they read.
"""

from __future__ import annotations

from ..rule import Rule
from . import addressee, dates, order, pages, parts, text

__all__ = ["BUILTIN_RULES"]

BUILTIN_RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *parts.RULES,
            *order.RULES,
            *dates.RULES,
            *pages.RULES,
            *addressee.RULES,
            *text.RULES,
        ),
        key=lambda r: r.id,
    )
)
