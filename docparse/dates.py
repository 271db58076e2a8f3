"""Dates in letters: find them in text and normalize them to ISO ``YYYY-MM-DD``.

A letter's date line (a TEI ``<dateline>``) is rarely a bare date: it carries the place, a
letterhead, the time of day, weekdays, and the writer's own abbreviations::

    "Washington, March 3, 1962."                  -> "1962-03-03"
    "OFFICE OF WATER COMMISSIONER. St. Louis, July 31st 1885" -> "1885-07-31"
    "Tuesday evening, Sept. 3d, 1872"             -> "1872-09-03"
    "Middletown N.Y. Jany. 12, 1873"              -> "1873-01-12"
    "Москва, 3-го мая 1850 г."                     -> "1850-05-03"
    "1855, 24 Февраля."                           -> "1855-02-24"
    "Camden New Jersey April 29 '78"              -> None (which century?)
    to_iso("Camden New Jersey April 29 '78", century=1800) -> "1878-04-29"

How it works, and why not ``dateparser.parse`` on the whole line:

* Month names come from dateparser's locale data (about 200 languages: ``en`` "Sept",
  ``ru`` "сентября", ``de`` "März", ...), never from a table written here. The data is read
  straight from dateparser's data files, so neither :func:`has_date` nor :func:`to_iso`
  pays for importing dateparser itself.
* A word is a month if it is one of those forms, a prefix of exactly one month (``Septem``),
  or (English) a contraction of exactly one month in the old letter-writing style: first
  and last letter kept, letters in order (``Jany``, ``Mch``, ``Decr``, ``Septr``). Pre-1918 Russian
  spellings are folded first (``Іюля`` -> ``июля``).
* Around each month word, a few anchored patterns read the day and the year in the orders
  letters use (``July 21, 2004``, ``21 July 2004``, ``1855, 24 Февраля``), and a separate
  pattern reads numeric dates (``7/21/2004``, ``21.07.2004``, ``2004-07-21``). Ordinal
  endings (``3d``, ``31 st``, ``3-го``, ``1er``) are allowed on the day.
* Two-digit years (``'78``, ``June 11, 88``, ``14. 6. 91``) are never guessed: a letter from
  1878 and one from 1978 look the same. They are resolved only with a ``century`` or
  ``default_year`` hint; a date without a year takes ``default_year`` if one is given.
* The calendar check (no 30 February) is :class:`datetime.date`.

Measured over the corpus golds (``scripts/measure_dates.py``), ``dateparser.parse`` on the
whole line and ``dateparser.search.search_dates`` are both slower and much less accurate
on date lines than this; see the script for the figures.
"""

from __future__ import annotations

import ast
import datetime as _dt
import importlib.util
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from .errors import UsageError

__all__ = [
    "DEFAULT_LANGUAGES", "find_dates", "has_date", "julian_weekday", "month_of", "to_iso",
    "weekdays_in",
]

#: languages whose month names are recognised when no language is given (the ones the
#: project's letters are written in); a given language is tried before these
DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "ru", "de", "fr")

_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Pre-1918 Russian letters folded to their modern spelling (same length, so offsets hold);
# the hard sign that ended every such word is dropped when a single word is looked up.
_OLD_CYRILLIC = str.maketrans({"і": "и", "І": "И", "ѣ": "е", "Ѣ": "Е", "ѳ": "ф", "Ѳ": "Ф",
                               "ѵ": "и", "Ѵ": "И"})  # fmt: skip
# Characters letter writers and OCR put between date parts that the patterns below treat as a
# space (same length, so offsets hold): bullets, middle dots, no-break spaces.
_SPACES = str.maketrans({"•": " ", "·": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " "})


# --------------------------------------------------------------------------------------
# Month names, from dateparser's locale data


def _dateparser_data_dir() -> Path | None:
    """Where dateparser keeps its per-language data, found without importing dateparser."""
    spec = importlib.util.find_spec("dateparser")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "date_translation_data"
    return path if path.is_dir() else None


@cache
def _locale_info(language: str) -> dict[str, object]:
    """dateparser's locale data for ``language`` (month names, ``date_order``).

    The data files are plain ``info = {...}`` literals; reading them with :mod:`ast` costs
    a few milliseconds, where importing dateparser costs a few hundred. If dateparser ever
    moves them, its public loader is used instead.
    """
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise UsageError(
            f"language {language!r} is not a BCP-47 language code such as 'en' or 'ru'"
        )
    directory = _dateparser_data_dir()
    if directory is not None:
        file = directory / f"{language}.py"
        if not file.is_file():
            raise UsageError(f"no month names for language {language!r} in dateparser's data")
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "info" for t in node.targets
            ):
                info = ast.literal_eval(node.value)
                if isinstance(info, dict):
                    return info
    from dateparser.languages import (  # slow: fallback only
        default_loader,
    )

    try:
        return dict(default_loader.get_locale(language).info)
    except (ValueError, KeyError) as exc:  # dateparser's own wording, kept in the message
        raise UsageError(f"no month names for language {language!r} in dateparser: {exc}") from None


def _fold(word: str) -> str:
    """A word as month forms are compared: NFC, old Cyrillic letters modernised, casefolded,
    without a final period or a pre-1918 final hard sign."""
    word = unicodedata.normalize("NFC", word).translate(_OLD_CYRILLIC).casefold().rstrip(".")
    if len(word) > 1 and word.endswith("ъ"):
        word = word[:-1]
    return word


class _Lexicon(NamedTuple):
    exact: dict[str, int]
    names: tuple[tuple[str, int], ...]  # every form of 3+ letters, for prefixes/contractions


@cache
def _lexicon(language: str) -> _Lexicon:
    info = _locale_info(language)
    exact: dict[str, int] = {}
    names: list[tuple[str, int]] = []
    for number, key in enumerate(_MONTH_KEYS, start=1):
        forms = info.get(key, [])
        if not isinstance(forms, list):
            continue
        for form in forms:
            folded = _fold(str(form))
            if not folded or not folded.isalpha():
                continue
            exact.setdefault(folded, number)
            if len(folded) >= 3:
                names.append((folded, number))
    return _Lexicon(exact, tuple(names))


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(char in letters for char in short)


@lru_cache(maxsize=4096)
def _month_in(word: str, language: str) -> int | None:
    lexicon = _lexicon(language)
    if word in lexicon.exact:
        return lexicon.exact[word]
    if len(word) < 3:
        return None
    # "Septem" (a prefix) or, in English, "Jany"/"Mch"/"Decr" (the contractions of English
    # letter writing: first and last letters kept, the rest in order); accepted only when
    # exactly one month fits. Contractions are English only: elsewhere they would turn common
    # words into months (French "mars" would make "Mrs" March).
    contractions = language == "en"
    months = {
        number
        for name, number in lexicon.names
        if len(word) < len(name)
        and (
            name.startswith(word)
            or (
                contractions
                and word[0] == name[0]
                and word[-1] == name[-1]
                and _is_subsequence(word, name)
            )
        )
    }
    return months.pop() if len(months) == 1 else None


def _languages(language: str | None) -> tuple[str, ...]:
    if language is None:
        return DEFAULT_LANGUAGES
    base = language.split("-")[0].lower()
    return (base, *(lang for lang in DEFAULT_LANGUAGES if lang != base))


def month_of(word: str, language: str | None = None) -> int | None:
    """The month number (1-12) that ``word`` names, or None.

    ``language`` is tried first, then :data:`DEFAULT_LANGUAGES`. Accepts the locale's forms
    (any case, with or without a final period), unique prefixes and old-style contractions.

    >>> [month_of(w) for w in ("Sept.", "Jany", "Mch", "Іюля", "Ju", "Dear")]
    [9, 1, 3, 7, None, None]
    """
    return _month_of_cached(word, language)


@lru_cache(maxsize=8192)
def _month_of_cached(word: str, language: str | None) -> int | None:
    folded = _fold(word)
    if not folded.isalpha():
        return None
    for lang in _languages(language):
        month = _month_in(folded, lang)
        if month is not None:
            return month
    return None


@cache
def _weekday_forms(language: str) -> tuple[dict[str, int], tuple[tuple[str, int], ...]]:
    """Weekday forms of 3+ letters (exact -> 0-6, Monday 0) and the full names, for prefixes."""
    info = _locale_info(language)
    exact: dict[str, int] = {}
    names: list[tuple[str, int]] = []
    for number, key in enumerate(_WEEKDAY_KEYS):
        forms = info.get(key, [])
        for form in forms if isinstance(forms, list) else ():
            folded = _fold(str(form))
            if len(folded) >= 3 and folded.isalpha():  # "mo", "su", "вс": too common as words
                exact.setdefault(folded, number)
                names.append((folded, number))
    return exact, tuple(names)


def _weekday_of(word: str, language: str | None) -> int | None:
    folded = _fold(word)
    if len(folded) < 3 or not folded.isalpha() or month_of(word, language) is not None:
        return None  # "Mar" is March before it is a French mardi
    # only the letter's own language: other languages' short forms are English words or
    # names ("Sam", "Mer")
    for lang in _languages(language)[:1] if language else DEFAULT_LANGUAGES:
        exact, names = _weekday_forms(lang)
        if folded in exact:
            return exact[folded]
        days = {n for name, n in names if len(folded) < len(name) and name.startswith(folded)}
        if len(days) == 1:
            return days.pop()
    return None


def weekdays_in(text: str, language: str | None = None) -> list[tuple[int, int, int]]:
    """The weekdays named in ``text`` as ``(start, end, weekday)``, Monday 0 ... Sunday 6.

    Names come from dateparser's locale data, as month names do: full names, their forms
    of three letters or more, and unique prefixes ("Sund.", "Thurs"), in ``language``
    (or, without one, in :data:`DEFAULT_LANGUAGES`); a word that names a month does not
    name a weekday.

    >>> weekdays_in("Camden Sunday Evn'g: Oct: 3 '91"), weekdays_in("Москва, в четверг")
    ([(7, 13, 6)], [(10, 17, 3)])
    """
    return [
        (match.start(), match.start() + len(match.group(0).rstrip(".")), day)
        for match in _WORD.finditer(text)
        if (day := _weekday_of(match.group(0), language)) is not None
    ]


def julian_weekday(iso: str) -> int:
    """The weekday (Monday 0) of ``iso`` read as a Julian (Old Style) calendar date.

    Russia kept the Julian calendar until 1918 (and Greece until 1923): a Russian
    letter's "3 мая 1850" is the Julian 3 May, the Gregorian 15 May.

    >>> julian_weekday("1850-05-03"), _dt.date(1850, 5, 15).weekday()
    (2, 2)
    """
    year, month, day = (int(part) for part in iso.split("-"))
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083  # Julian day number
    return jdn % 7  # JDN 0 was a Monday


@cache
def _slash_order(language: str | None) -> str | None:
    """How ``a/b/yyyy`` is read in ``language``: ``"MDY"``, ``"DMY"``, or None if unknown."""
    if language is None:
        return None
    order = _locale_info(language.split("-")[0].lower()).get("date_order")
    return order if order in ("MDY", "DMY") else "DMY"


# --------------------------------------------------------------------------------------
# Patterns

_WORD = re.compile(r"[^\W\d_]{3,}\.?")
# a day with the ordinal endings of en ("3d", "31 st"), fr ("1er"), ru ("3-го", "3-е")
_DAY = r"(?P<day>[0-3]?\d)(?!\d)(?:\s?(?:st|nd|rd|th|d|er)\b|-?(?:го|ого|е|ое)\b)?(?:['’](?=\s*,))?"
_YEAR4 = r"(?P<year>1\d{3}|20\d{2})(?!\d)"
# "'78", and a bare "88" right after the day ("June 11, 88", "Nov. 28. 90.") that is not an
# hour ("11 30", "5 pm") or the start of something else
_YEAR2 = r"(?:['’‘](?P<yy>\d{2})(?!\d)|(?P<yyb>\d{2})(?![\d:]|\s?[apAP]\.?\s?[mM]\b|\s?(?:st|nd|rd|th)\b))"
# time-of-day words that sit between the day and an apostrophe year ("Sept 16 1 P M '91",
# "Jan: 9 night '91"): words without digits, or an hour followed by am/pm
_FILLER = r"(?:[\s,.:;\-—–|()]+(?:[^\W\d_][^\s\d]*|\d{1,2}(?=\s?[apAP]\.?\s?[mM]\b)|½)){1,4}"
_YEAR_AFTER = (
    rf"(?:[\s.,:/\-—–]*(?:(?:de|del)\s+)?{_YEAR4}(?:-?го\b)?"
    rf"|[\s.,:/\-—–]*{_YEAR2}"
    rf"|{_FILLER}[\s,.:;\-—–]*['’‘](?P<yyf>\d{{2}})(?!\d))"
)
_CONNECTOR = r"(?:(?:the|of|de|del|den)\s+)?"
# right of a month word: "21, 2004", "the 16/1868", "31st 1885", "9 night '91"
_AFTER_MONTH_DAY_YEAR = re.compile(rf"[\s.,:]*{_CONNECTOR}{_DAY}\.?{_YEAR_AFTER}", re.IGNORECASE)
_AFTER_MONTH_DAY = re.compile(rf"[\s.,:]*{_CONNECTOR}{_DAY}", re.IGNORECASE)
# right of a month word when the day came first: "July 1885", "Сентября. 1853", "/ 1852"
_AFTER_MONTH_YEAR = re.compile(_YEAR_AFTER, re.IGNORECASE)
# left of a month word: "21 ", "22d ", "3-го ", "24. ", "1er ", "3 de "
_BEFORE_MONTH_DAY = re.compile(
    rf"(?<![\d/.])(?<!\d\.\s){_DAY}\.?[\s,]*{_CONNECTOR}\Z", re.IGNORECASE
)
# left of a month word, year first: "1855, 24 "
_BEFORE_MONTH_YEAR_DAY = re.compile(rf"(?<!\d){_YEAR4}[\s,.]+{_DAY}\.?\s*\Z", re.IGNORECASE)
_LEFT_WINDOW = 24

# numeric dates: "7/21/2004", "21.07.2004", "14. 6. 91", "12/18, 1877", "2004-07-21"
_NUMERIC = re.compile(
    r"(?<![\d./\-])"
    r"(?:(?P<iy>1\d{3}|20\d{2})-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)"
    r"|(?P<a>[0-3]?\d)(?P<sep>[./\-])\s?(?P<b>[0-3]?\d)(?:(?P=sep)\s?|,\s+)(?P<c>\d{4}|\d{2}))"
    r"(?![\d/\-]|\.\d)"
)

# has_date: cheap shapes only
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20\d\d)(?!\d)|(?<![^\W\d_])['’]\d\d(?!\d)")
_HAS_NUMERIC = re.compile(r"(?<!\d)\d{1,2}([./\-])\s?\d{1,2}\1\s?\d{2,4}(?!\d)")
_DIGIT = re.compile(r"\d")
# a day and a month in Roman numerals, the year often in two or three digits ("24. XI. 92.",
# "6/VI.", "21/IV", "26. X. 901"): German, Austrian, Polish, Russian and Italian hands
_HAS_ROMAN_MONTH = re.compile(
    r"(?<![\d.])[0-3]?\d(?:\.\s?|\s?/\s?)(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?:[./]|(?!\s*[^\W\d_]))"
)
# a day and a month in digits, then a two-digit year after a space ("2/7 93", "17/7. 95")
_HAS_DAY_MONTH_YY = re.compile(r"(?<![\d./])[0-3]?\d/[01]?\d\.?\s\d{2}(?![\d./])")
# a word followed by a day, and a day followed by a word (two patterns, so that in
# "Sheffield 1. July" the day can serve the word on either side)
_HAS_WORD_DAY = re.compile(r"([^\W\d_]{3,})\.?[\s,:]*(?:the\s+)?(?=\d{1,2}(?!\d))", re.IGNORECASE)
_HAS_DAY_WORD = re.compile(
    r"(?<!\d)\d{1,2}(?:st|nd|rd|th|d|er|-?го|-?е)?\.?\s*(?:of\s+|de\s+)?([^\W\d_]{3,})",
    re.IGNORECASE,
)


class _Found(NamedTuple):
    start: int
    end: int
    iso: str


# --------------------------------------------------------------------------------------
# Public functions


def has_date(text: str) -> bool:
    """Whether ``text`` looks like it holds a date: a cheap test, run on many lines.

    True for a year 1500-2099 or ``'78``, a numeric date (``21.07.2004``, ``7/21/04``), or a
    month name or abbreviation (English, Russian, German, French) next to a day number.
    Regular expressions and cached dictionary look-ups only; use :func:`to_iso` to read the
    date. Weekday-and-time lines with no number of a date ("Friday. A.M.") are not dates.

    >>> has_date("July 21 , 2004"), has_date("15 Сентября"), has_date("Dear Sir,")
    (True, True, False)
    """
    if not isinstance(text, str):
        raise TypeError(f"has_date needs text (str), got {type(text).__name__}")
    if _DIGIT.search(text) is None:  # every date shape has a digit; most lines have none
        return False
    if _HAS_YEAR.search(text) or _HAS_NUMERIC.search(text):
        return True
    if _HAS_ROMAN_MONTH.search(text) or _HAS_DAY_MONTH_YY.search(text):
        return True
    return any(
        month_of(match.group(1)) is not None
        for pattern in (_HAS_WORD_DAY, _HAS_DAY_WORD)
        for match in pattern.finditer(text)
    )


def to_iso(
    text: str,
    language: str | None = None,
    *,
    century: int | None = None,
    default_year: int | None = None,
) -> str | None:
    """The ISO date ``YYYY-MM-DD`` of a date line, or None when day, month or year is unknown.

    ``text`` may hold the place, a letterhead, weekdays and times around the date; the first
    full date in it is returned. ``language`` (``"en"``, ``"ru"``, ...) decides how numeric
    dates are read (``7/21/2004`` in ``en``, ``21/7/2004`` elsewhere) and whose month names
    are tried first. Two-digit years need a hint: ``century=1800`` reads ``'78`` as 1878;
    ``default_year=1885`` reads it as the year ending in 78 nearest to 1885 and also completes
    a date written without a year ("Brooklyn, August 12.").

    >>> to_iso("St. Louis, July 31st 1885")
    '1885-07-31'
    >>> to_iso("Москва, 3-го мая 1850 г.", "ru")
    '1850-05-03'
    >>> to_iso("Jan 1 '89") is None, to_iso("Jan 1 '89", century=1800)
    (True, '1889-01-01')
    """
    found = _find(text, language, century, default_year, first_only=True)
    return found[0].iso if found else None


def find_dates(
    text: str,
    language: str | None = None,
    *,
    century: int | None = None,
    default_year: int | None = None,
) -> list[tuple[int, int, str]]:
    """Every full date in ``text`` as ``(start, end, iso)``, in order, not overlapping.

    Offsets are 0-based code-point offsets into ``text`` (``text[start:end]`` is the date as
    written, e.g. ``"July 21, 2004"``). Same reading rules and hints as :func:`to_iso`.

    >>> find_dates("Mr. X / July 21, 2004 / Page 3")
    [(8, 21, '2004-07-21')]
    """
    return [tuple(f) for f in _find(text, language, century, default_year, first_only=False)]  # type: ignore[misc]


# --------------------------------------------------------------------------------------
# The reader


def _check_hints(century: int | None, default_year: int | None) -> None:
    if century is not None and (
        isinstance(century, bool)
        or not isinstance(century, int)
        or century % 100
        or not 0 < century < 10000
    ):
        raise UsageError(f"century must be a year ending in 00 such as 1800, got {century!r}")
    if default_year is not None and (
        isinstance(default_year, bool)
        or not isinstance(default_year, int)
        or not 0 < default_year < 10000
    ):
        raise UsageError(
            f"default_year must be a four-digit year such as 1885, got {default_year!r}"
        )


def _full_year(two: int, century: int | None, default_year: int | None) -> int | None:
    """A two-digit year made whole by the caller's hint; None without one."""
    if century is not None:
        return century + two
    if default_year is not None:
        base = default_year - default_year % 100 + two
        return min((base - 100, base, base + 100), key=lambda y: abs(y - default_year))
    return None


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _year_of(match: re.Match[str], century: int | None, default_year: int | None) -> int | None:
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    for name in ("yy", "yyb", "yyf"):
        if groups.get(name):
            return _full_year(int(groups[name]), century, default_year)
    return None


def _find(
    text: str,
    language: str | None,
    century: int | None,
    default_year: int | None,
    *,
    first_only: bool,
) -> list[_Found]:
    if not isinstance(text, str):
        raise TypeError(f"a date line must be text (str), got {type(text).__name__}")
    _check_hints(century, default_year)
    return list(_find_cached(text, language, century, default_year, first_only))


@lru_cache(maxsize=8192)
def _find_cached(
    text: str,
    language: str | None,
    century: int | None,
    default_year: int | None,
    first_only: bool,
) -> tuple[_Found, ...]:
    result: list[_Found] = []
    for item in _candidates(text.translate(_SPACES), language, century, default_year):
        if result and item.start < result[-1].end:
            continue  # overlaps a date already taken; the earlier, longer one wins
        result.append(item)
        if first_only:
            break
    return tuple(result)


def _candidates(
    text: str, language: str | None, century: int | None, default_year: int | None
) -> Iterable[_Found]:
    """Full dates in ``text``, sorted by start (longest first at the same start)."""
    languages = _languages(language)
    events: list[_Found] = []
    for word in _WORD.finditer(text):
        start, end = word.span()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue
        if end < len(text) and text[end].isalnum():
            continue
        folded = _fold(word.group())
        if not folded.isalpha():
            continue
        month = next((m for lang in languages if (m := _month_in(folded, lang)) is not None), None)
        if month is None:
            continue
        hit = _around_month(text, start, end, month, century, default_year)
        if hit is not None:
            events.append(hit)
    for match in _NUMERIC.finditer(text):
        hit = _numeric(match, language, century, default_year)
        if hit is not None:
            events.append(hit)
    events.sort(key=lambda hit: (hit.start, -hit.end))
    return events


def _around_month(
    text: str, start: int, end: int, month: int, century: int | None, default_year: int | None
) -> _Found | None:
    """Read the day and year around the month word at ``text[start:end]``."""
    window_start = max(0, start - _LEFT_WINDOW)
    left = text[window_start:start]
    left_day = _BEFORE_MONTH_DAY.search(left)
    # 21 July 2004
    if left_day is not None:
        after = _AFTER_MONTH_YEAR.match(text, end)
        if after is not None:
            iso = _iso(_year_of(after, century, default_year), month, int(left_day.group("day")))
            if iso is not None:
                return _Found(window_start + left_day.start(), after.end(), iso)
    # July 21, 2004
    after = _AFTER_MONTH_DAY_YEAR.match(text, end)
    if after is not None:
        iso = _iso(_year_of(after, century, default_year), month, int(after.group("day")))
        if iso is not None:
            return _Found(start, after.end(), iso)
    # 1855, 24 Февраля
    year_day = _BEFORE_MONTH_YEAR_DAY.search(left)
    if year_day is not None:
        iso = _iso(int(year_day.group("year")), month, int(year_day.group("day")))
        if iso is not None:
            return _Found(window_start + year_day.start(), end, iso)
    # no year written: only with a default year
    if default_year is not None:
        if left_day is not None:
            iso = _iso(default_year, month, int(left_day.group("day")))
            if iso is not None:
                return _Found(window_start + left_day.start(), end, iso)
        day_only = _AFTER_MONTH_DAY.match(text, end)
        if day_only is not None:
            iso = _iso(default_year, month, int(day_only.group("day")))
            if iso is not None:
                return _Found(start, day_only.end(), iso)
    return None


def _numeric(
    match: re.Match[str], language: str | None, century: int | None, default_year: int | None
) -> _Found | None:
    if match.group("iy"):
        iso = _iso(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
        return _Found(match.start(), match.end(), iso) if iso else None
    a, b, c = int(match.group("a")), int(match.group("b")), match.group("c")
    year = int(c) if len(c) == 4 else _full_year(int(c), century, default_year)
    if year is None:
        return None
    # dots and hyphens are day-first everywhere; a slash follows the language's habit
    # (month-first in en); when only one reading is a real date, that one is taken
    if match.group("sep") == "/" or match.group(0).find(",") >= 0:
        order = _slash_order(language)
    else:
        order = "DMY"
    day_first = _iso(year, b, a)
    month_first = _iso(year, a, b)
    if order == "DMY":
        iso = day_first or month_first
    elif order == "MDY":
        iso = month_first or day_first
    else:  # language unknown: only an unambiguous date
        iso = day_first if month_first is None else month_first if day_first is None else None
        if day_first is not None and day_first == month_first:
            iso = day_first
    return _Found(match.start(), match.end(), iso) if iso else None
