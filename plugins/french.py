"""Built-in grammar plugin ``french``: letters in French.

It teaches the core line lexicons the French formulas (salutations, the *formule de
politesse*, ``Objet :`` and ``V/Réf.`` lines, titles, ``P.J.``, ``Copie à``), so that
the core grammar gives French letters the same tree as English ones, and it marks a
letter written in French as ``language="fr"`` with its dates read as French dates::

    Paris, le 3 mai 1999                         date iso=1999-05-03
    Madame, Monsieur,                        ->  salutation
    ...                                          paragraph ...
    Veuillez agréer, Madame, Monsieur,           closing  (core alone: a paragraph)
    l'expression de mes salutations distinguées.
    Jean-Pierre Moreau                           signature > signatory > name
                                                 letter language="fr" (core alone: "en")

Without this plugin such a letter is still parsed (its closing as a paragraph, its
language as ``en``), never an error.
"""

from __future__ import annotations

import re
from typing import Any

from docparse.grammar import GrammarPlugin, set_language

__all__ = ["plugin", "finish", "looks_french"]


def finish(letter: Any) -> Any:
    """A letter whose text is French is ``language="fr"``, its dates read as French dates.

    Example: ``letter language=en`` ("Madame, Monsieur, ... Veuillez agréer ...")
    -> ``letter language=fr``; an English letter is returned unchanged.
    """
    return set_language(letter, "fr", hint=looks_french)


_ACCENTED = re.compile("[éèêàâçôûîœÉÈÀÇ]")


def looks_french(text: str) -> bool:
    """A cheap sign of French: one of its accented letters (an ASCII text has none)."""
    return not text.isascii() and _ACCENTED.search(text) is not None


plugin = GrammarPlugin.from_resource(
    "docparse.plugins",
    "french.lark",
    name="french",
    description="French letters: Madame, Monsieur, Veuillez agréer ..., Objet :, Paris, le 3 mai 1999.",
    finish=finish,
    version="1",
)
