"""Rules on continuation pages: numbered 2, 3, ... in order, and their headers agree.

A multi-line running header (``Mr. Samuel Hart / July 21, 2004 / Page 2``) repeats the
addressee and the date on every page; its lines other than the page number must be the
same on each page of a letter (compared without case, spacing and punctuation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..nodes import Letter, PageHeader
from ..validate import Diagnostic, RuleContext, rule
from ._util import short, walk_type

__all__ = ["RULES", "header_lines"]

_WORD = re.compile(r"\w+")
# words that may stand beside the number in a page-number line ("Page 2 of 3", "2-я страница")
_PAGE_WORDS = frozenset({"page", "p", "pg", "pp", "of", "стр", "страница", "лист", "я", "seite", "s", "feuille"})


def _is_number_line(line: str) -> bool:
    words = _WORD.findall(line.casefold())
    return (
        any(w.isdigit() for w in words)
        and all(w.isdigit() or w in _PAGE_WORDS for w in words)
    )


def header_lines(header: PageHeader) -> list[str]:
    """The lines of a running header other than its page number, normalized for comparing."""
    out = []
    for line in header.value.split(" / "):
        if _is_number_line(line):
            continue
        key = " ".join(_WORD.findall(line.casefold()))
        if key:
            out.append(key)
    return out


@rule(
    "DP401",
    "page-sequence",
    "Continuation pages are numbered consecutively (2, 3, ...) in the order they come.",
    options={"first-page": 2},
)
def page_sequence(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    first_page = ctx.options["first-page"]
    previous: int | None = None
    numbered = [h for h in walk_type(letter, PageHeader) if h.page is not None]
    for i, header in enumerate(numbered):
        assert header.page is not None
        expected = first_page + i
        # a page that follows the one before it is in order even after a gap (report a
        # missing page once, not on every later page)
        if header.page != expected and (previous is None or header.page != previous + 1):
            after = f" after page {previous}" if previous is not None else ""
            yield ctx.problem(
                header,
                f"page header numbers page {header.page}{after}; expected page {expected if previous is None else previous + 1}",
            )
        previous = header.page


@rule(
    "DP402",
    "page-header-agreement",
    "Multi-line page headers of a letter name the same addressee (and date) on every page.",
    severity="warning",
)
def page_header_agreement(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    reference: PageHeader | None = None
    ref_lines: list[str] = []
    for header in walk_type(letter, PageHeader):
        lines = header_lines(header)
        if not lines:
            continue  # a bare number: nothing to agree on
        if reference is None:
            reference, ref_lines = header, lines
            continue
        if lines != ref_lines:
            where = reference.position.start.line if reference.position else "?"
            yield ctx.problem(
                header,
                f"page header {short(header.value)!r} does not match the header of line {where} "
                f"({short(reference.value)!r})",
            )


RULES = (page_sequence, page_header_agreement)
