"""Built-in grammar plugin ``german``: letters in German.

It teaches the core line lexicons the German formulas (salutations, closings,
reference lines, titles, enclosures, copies), so that the core grammar gives German
letters the same tree as English ones, and it marks a letter written in German as
``language="de"`` with its dates read as German dates::

    Berlin, den 3. Mai 1999              date iso=1999-05-03
    Sehr geehrte Damen und Herren,   ->  salutation
    ...                                  paragraph ...
    Mit freundlichen Grüßen              closing        (core alone: a paragraph)
    Margarete Lindner                    signature > signatory > name
                                         letter language="de" (core alone: "en")

Without this plugin such a letter is still parsed (its closing as a paragraph, its
language as ``en``), never an error.
"""

from __future__ import annotations

import re
from typing import Any

from docparse.grammar import GrammarPlugin, set_language

__all__ = ["plugin", "finish", "looks_german"]


def finish(letter: Any) -> Any:
    """A letter whose text is German is ``language="de"``, its dates read as German dates.

    Example: ``letter language=en`` ("Sehr geehrte Frau Krause, ... Mit freundlichen Grüßen")
    -> ``letter language=de``; an English letter is returned unchanged.
    """
    return set_language(letter, "de", hint=looks_german)


_UMLAUT = re.compile("[äöüßÄÖÜ]")
_COMMON = frozenset({"und", "der", "die", "das", "nicht", "ich", "Sie"})
# punctuation around words, read as spaces so that "die," and "(und" count as words
_PUNCTUATION = str.maketrans({c: " " for c in ".,;:!?\"'()[]—–-«»„“”‚‘’"})
_COMMON_BYTES = frozenset(w.encode("ascii") for w in _COMMON)
_PUNCTUATION_BYTES = bytes.maketrans(b".,;:!?\"'()[]-", b" " * len(b".,;:!?\"'()[]-"))


def looks_german(text: str) -> bool:
    """A cheap sign of German: an umlaut or ß, or one of its commonest words.

    (A set lookup per word: a regular expression of word alternatives scans the text
    several times slower, and this runs on every letter the core reads as English.)
    """
    if text.isascii():  # (most letters: bytes translate far faster than str)
        return not _COMMON_BYTES.isdisjoint(text.encode("ascii").translate(_PUNCTUATION_BYTES).split())
    if _UMLAUT.search(text):
        return True
    return not _COMMON.isdisjoint(text.translate(_PUNCTUATION).split())


plugin = GrammarPlugin.from_resource(
    "docparse.plugins",
    "german.lark",
    name="german",
    description="German letters: Sehr geehrte ..., Mit freundlichen Grüßen, Betreff:, Berlin, den 3. Mai 1999.",
    finish=finish,
    version="1",
)
