"""Rules on continuation pages: numbered 2, 3, ... in order, and their headers agree.

A multi-line running header (``Mr. Samuel Hart / July 21, 2004 / Page 2``) repeats the
addressee and the date on every page; its lines other than the page number must be the
same on each page of a letter (compared without case, spacing and punctuation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..nodes import Letter, Node, PageHeader, Paragraph, Text
from ..rule import Diagnostic, RuleContext, rule
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


def _numbered(letter: Letter) -> list[tuple[int, Node]]:
    """The page numbers of a letter in document order, with their nodes.

    Page headers give theirs; so does a paragraph or text that is nothing but a page
    number ("3", "- 3 -", "Page 3"): a header the parser did not take for one, as happens
    when the pages are out of order.
    """
    out: list[tuple[int, Node]] = []
    for node in letter.walk():
        if isinstance(node, PageHeader):
            if node.page is not None:
                out.append((node.page, node))
        elif isinstance(node, (Paragraph, Text)) and len(node.value) <= 24 and _is_number_line(node.value):
            numbers = [int(w) for w in _WORD.findall(node.value) if w.isdigit()]
            if len(numbers) == 1 and 1 <= numbers[0] <= 999:
                out.append((numbers[0], node))
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
    for i, (page, node) in enumerate(_numbered(letter)):
        expected = first_page + i
        # a page that follows the one before it is in order even after a gap (report a
        # missing page once, not on every later page)
        if page != expected and (previous is None or page != previous + 1):
            after = f" after page {previous}" if previous is not None else ""
            yield ctx.problem(
                node,
                f"page header numbers page {page}{after}; expected page {expected if previous is None else previous + 1}",
            )
        previous = page


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
