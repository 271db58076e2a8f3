"""Hints in the letter's language: the example lines a missing-part message suggests.

A message stays English (the language of the tool's other output); the example it gives
is written in the letter's language, so that a German letter is told of "Sehr geehrte
Frau Vance," rather than "Dear Ms. Vance:". Languages: English (the fallback), German,
French, Russian.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["HINTS", "LANGUAGES", "hint"]

#: the languages the hints are written in (others fall back to English)
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "ru")

#: rule id -> language -> the example line
HINTS: Mapping[str, Mapping[str, str]] = {
    "DP101": {
        "en": "July 21, 2004",
        "de": "Berlin, den 21. Juli 2004",
        "fr": "Paris, le 21 juillet 2004",
        "ru": "21 июля 2004 г.",
    },
    "DP102": {
        "en": "Dear Ms. Vance:",
        "de": "Sehr geehrte Frau Vance,",
        "fr": "Madame,",
        "ru": "Уважаемая госпожа Вэнс!",
    },
    "DP103": {
        "en": "Yours sincerely,",
        "de": "Mit freundlichen Grüßen",
        "fr": "Veuillez agréer, Madame, mes salutations distinguées.",
        "ru": "С уважением,",
    },
}


def hint(rule: str, language: str | None) -> str:
    """The example line of ``rule`` in ``language`` (``de``, ``de-AT``, ...; English when
    the language is unknown or has no hints)."""
    table = HINTS[rule]
    lang = (language or "en").split("-")[0].split("_")[0].lower()
    return table.get(lang, table["en"])
