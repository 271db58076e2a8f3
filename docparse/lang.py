"""Which language a letter (or a paragraph, or a line) is written in: a light, fast guess.

:func:`detect_language` returns a BCP-47 language code, or None when the text is too short
or the evidence is split. It needs no model, only word lists that are already installed:

* **Cyrillic script** is Russian (``"ru"``) unless the text has none of the letters only
  Russian writes (``ы э ё ѣ``) and another Cyrillic language (Ukrainian, Bulgarian,
  Macedonian) has clearly more of its common words; Ukrainian also needs its letters
  (``і ї є ґ``). Pre-1918 Russian (``ѣ``, ``і``, final ``ъ``) stays Russian.
* **Latin script** is scored by the language's most common words: each word of the text
  that is among the 200 most frequent words of a language (``wordfreq.top_n_list``) adds
  ``log(400 / rank)`` to that language (a naive Bayes score with Zipf frequencies), so a
  word common in many languages ("a", "de") says little and "the" or "und" say a lot. The
  best language must reach a minimum and beat the runner-up clearly.
* **Russian read by an English-only OCR** as Latin look-alikes (``JIYKameHKo`` =
  ``Лукашенко``) is Latin script, but not any Latin language: when
  :func:`docparse.cyrillic.lookalike_score` says so, the answer is ``"ru"``.

>>> detect_language("We are writing in response to the declaration of July 3, which you co-signed")
'en'
>>> detect_language("Мы согласны с подписавшими, что ОБСЕ должна занимать ключевое место")
'ru'
>>> detect_language("HaCT05IHM IIHCbMOM MbI OTBetIaeM Ha IIO,IIIHCaHHoe BaMH 3a5IBneHHe")
'ru'
>>> detect_language("Dear Sir,") is None
True
"""

from __future__ import annotations

import math
import re
from functools import cache

__all__ = ["CYRILLIC_LANGUAGES", "LATIN_LANGUAGES", "detect_language"]

#: Latin-script languages considered (those wordfreq has lists for; metadata, not word lists)
LATIN_LANGUAGES: tuple[str, ...] = (
    "ca", "cs", "da", "de", "en", "es", "fi", "fil", "fr", "hu", "id", "is", "it", "lt",
    "lv", "ms", "nb", "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr", "vi",
)  # fmt: skip
#: Cyrillic-script languages considered; the first is the default for Cyrillic text
CYRILLIC_LANGUAGES: tuple[str, ...] = ("ru", "uk", "bg", "mk")

_TOP_N = 200
# a word outside a language's top 200 is scored as if it had this rank there
_UNSEEN_RANK = 2 * _TOP_N
# the best language must score at least this (about two common words) ...
_MIN_SCORE = 4.0
# ... and beat the runner-up by this much (log-likelihood: e**3 = 20 times likelier)
_MARGIN = 3.0
_MIN_CYRILLIC_LETTERS = 4

_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# letters that only one Cyrillic language of the candidates writes
_UK_LETTERS = re.compile(r"[іІїЇєЄґҐ]")
_RU_ONLY = re.compile(r"[ыЫэЭёЁѣѢ]")


@cache
def _common_words(language: str) -> dict[str, int]:
    """The ``_TOP_N`` most frequent words of ``language`` from wordfreq, with their rank (1 =
    most frequent; letters only).

    The 'small' list has the same top 200 as the default 'large' one and loads several
    times faster.
    """
    import wordfreq  # ~0.2 s to import: only when a text needs it

    ranked = wordfreq.top_n_list(language, _TOP_N, wordlist="small")
    return {word: rank for rank, word in enumerate(ranked, start=1) if word.isalpha()}


@cache
def _weights(languages: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """word -> {language: log-likelihood weight} for every common word of ``languages``.

    Word frequency falls as 1/rank (Zipf), so ``log(_UNSEEN_RANK / rank)`` is, up to a
    constant, the log of how much likelier the word is in that language than in one where
    it is not among the common words. Summed over a text this is a naive Bayes score: "the"
    (rank 1 in English, lower in the lists of languages that borrow it) says English, "a"
    or "de" (common in many languages) say little.
    """
    table: dict[str, dict[str, float]] = {}
    for language in languages:
        for word, rank in _common_words(language).items():
            table.setdefault(word, {})[language] = math.log(_UNSEEN_RANK / rank)
    return table


def _scores(words: list[str], languages: tuple[str, ...]) -> dict[str, float]:
    weights = _weights(languages)
    scores = dict.fromkeys(languages, 0.0)
    for word in words:
        for language, weight in weights.get(word, {}).items():
            scores[language] += weight
    return scores


def _is_lookalike(text: str) -> bool:
    """Whether Latin ``text`` is Russian read by an English-only OCR (docparse.cyrillic)."""
    # lazy: most texts never get this far
    from .cyrillic import is_lookalike_text

    return is_lookalike_text(text)


def detect_language(text: str) -> str | None:
    """The BCP-47 code of the language ``text`` is written in, or None when unsure.

    See the module docstring for the evidence used. Meant for a letter, a paragraph or a
    longer line; a salutation alone ("Dear Sir,") is usually too short and gives None.

    >>> detect_language("Sehr geehrter Herr Müller, wir danken Ihnen für Ihren Brief und die Unterlagen.")
    'de'
    """
    if not isinstance(text, str):
        raise TypeError(f"detect_language needs text (str), got {type(text).__name__}")
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic == 0 and latin == 0:
        return None
    if cyrillic >= latin:
        return _cyrillic_language(text) if cyrillic >= _MIN_CYRILLIC_LETTERS else None
    if _is_lookalike(text):
        return "ru"
    words = [word.casefold().replace("’", "'") for word in _WORD.findall(text)]
    scores = sorted(_scores(words, LATIN_LANGUAGES).items(), key=lambda item: -item[1])[:2]
    if not scores or scores[0][1] < _MIN_SCORE:
        return None
    if len(scores) > 1 and scores[0][1] - scores[1][1] < _MARGIN:
        return None
    return scores[0][0]


def _cyrillic_language(text: str) -> str:
    """Russian, unless another Cyrillic language has both its words and its letters."""
    default = CYRILLIC_LANGUAGES[0]
    if _RU_ONLY.search(text):
        return default
    words = [word.casefold() for word in _WORD.findall(text)]
    scores = _scores(words, CYRILLIC_LANGUAGES)
    # Ukrainian is written with і ї є ґ; Bulgarian and Macedonian need no letter of their
    # own (Russian-only letters were ruled out above), their words must decide
    evidence = {"uk": _UK_LETTERS.search(text) is not None, "bg": True, "mk": True}
    best = max(
        (lang for lang in CYRILLIC_LANGUAGES[1:] if evidence.get(lang)),
        key=lambda lang: scores[lang],
        default=None,
    )
    if (
        best is not None
        and scores[best] >= _MIN_SCORE
        and scores[best] - scores[default] >= _MARGIN
    ):
        return best
    return default
