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

from typing import Any

from docparse.grammar import GrammarPlugin, set_language

__all__ = ["plugin", "finish"]


def finish(letter: Any) -> Any:
    """A letter whose text is German is ``language="de"``, its dates read as German dates.

    Example: ``letter language=en`` ("Sehr geehrte Frau Krause, ... Mit freundlichen Grüßen")
    -> ``letter language=de``; an English letter is returned unchanged.
    """
    return set_language(letter, "de", hint=r"[äöüßÄÖÜ]|\b(?:und|der|die|das|nicht|ich|Sie)\b")


plugin = GrammarPlugin.from_resource(
    "docparse.plugins",
    "german.lark",
    name="german",
    description="German letters: Sehr geehrte ..., Mit freundlichen Grüßen, Betreff:, Berlin, den 3. Mai 1999.",
    finish=finish,
    version="1",
)
