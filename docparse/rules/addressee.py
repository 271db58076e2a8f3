"""The salutation fits the addressee: "Dear Mr. Hart:" in a letter addressed to Mr. Hart.

The salutation's surname is the last name word after a title (Mr., Mrs., Ms., Dr.,
господин, Herr, Monsieur, ...). The addressee is read from the recipient address (its line
with a title, else its first line when that looks like a personal name) and from the
addressee line of multi-line running headers. When both exist and the surname is in none
of them (allowing one letter of difference: OCR), the rule reports it. Salutations without
a surname ("Dear Sir,", "Dear Ann,") and letters without an addressee are not judged.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator

from ..dates import has_date
from ..nodes import Address, AddressLine, Letter, Node, PageHeader, Salutation
from ..rule import Diagnostic, RuleContext, rule
from ._util import first, short, walk_type
from .pages import _is_number_line

__all__ = ["RULES", "salutation_surname"]

_TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "mx", "mister", "dr", "doctor", "prof", "professor", "rev", "reverend", "hon", "capt", "captain", "col", "colonel", "gen", "general", "judge", "senator", "president", "ambassador", "sir", "madam", "madame", "father", "sister", "brother", "herr", "frau", "fräulein", "monsieur", "mademoiselle", "mme", "mlle", "m", "господин", "госпожа", "гн", "гжа", "товарищ", "г"]
)
_NOT_NAMES = frozenset({"and", "und", "et", "и", "sir", "madam", "friend", "colleague", "colleagues"})
_TOKEN = re.compile(r"[\w'’\-]+\.?")
_ORG = re.compile(
    r"\b(ltd|inc|llc|plc|gmbh|co|company|corporation|department|ministry|office|university|"
    r"administration|bureau|committee|council|bank|society|association|embassy|library|museum)\b",
    re.IGNORECASE,
)


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in word if c.isalnum())


def _is_title(token: str) -> bool:
    return _fold(token.replace("-", "")) in _TITLES


def salutation_surname(text: str) -> str | None:
    """The surname a salutation names after a title, or None.

    >>> salutation_surname("Dear Mr. and Mrs. Okafor:"), salutation_surname("Dear Sir,")
    ('Okafor', None)
    """
    tokens = _TOKEN.findall(text)
    surname = None
    for i, tok in enumerate(tokens):
        if not _is_title(tok):
            continue
        for nxt in tokens[i + 1 :]:
            bare = nxt.rstrip(".")
            if _fold(bare) in _NOT_NAMES:
                if surname:
                    break  # "Mr. Hart and Family"
                continue  # "Mr. and Mrs. Okafor"
            if _is_title(nxt):
                continue
            if not bare[:1].isupper():
                break
            if len(bare) >= 2 and not nxt.endswith(".") or len(bare) >= 3:
                surname = bare
        if surname:
            return surname
    return None


def _name_like(line: str) -> bool:
    words = line.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or _ORG.search(line) or any(ch.isdigit() for ch in line):
        return False
    return all(w[:1].isupper() for w in words)


def _addressees(letter: Letter) -> list[tuple[str, Node]]:
    """Lines naming the addressee: from the recipient address and from running headers."""
    out: list[tuple[str, Node]] = []
    for address in walk_type(letter, Address):
        if address.role != "recipient":
            continue
        lines = [c for c in address.children if isinstance(c, AddressLine)]
        titled = [ln for ln in lines if any(_is_title(t) for t in _TOKEN.findall(ln.value))]
        if titled:
            out.append((titled[0].value, titled[0]))
        elif lines and _name_like(lines[0].value):
            out.append((lines[0].value, lines[0]))

    for header in walk_type(letter, PageHeader):
        parts = header.value.split(" / ")
        if len(parts) < 2:
            continue
        for part in parts:
            if _is_number_line(part) or has_date(part):
                continue
            if any(_is_title(t) for t in _TOKEN.findall(part)) or _name_like(part):
                out.append((part, header))
            break
    return out


def _names(line: str, surname: str) -> bool:
    target = _fold(surname)
    for tok in _TOKEN.findall(line):
        word = _fold(tok)
        if word == target:
            return True
        if min(len(word), len(target)) >= 5 and difflib.SequenceMatcher(None, word, target).ratio() >= 0.8:
            return True
    return False


@rule(
    "DP501",
    "salutation-addressee",
    "The surname in the salutation is the addressee's (recipient address, page headers).",
    severity="warning",
)
def salutation_addressee(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    salutation = first(letter, Salutation)
    if salutation is None:
        return
    surname = salutation_surname(salutation.value)
    if surname is None:
        return
    candidates = _addressees(letter)
    if not candidates or any(_names(line, surname) for line, _ in candidates):
        return
    line, node = candidates[0]
    where = node.position.start.line if node.position else "?"
    yield ctx.problem(
        salutation,
        f"the salutation names {surname!r} but the letter is addressed to {short(line)!r} (line {where})",
    )


RULES = (salutation_addressee,)
