"""Russian text that an English-only OCR read as Latin look-alikes: detect it and decode it.

An OCR engine that only knows the Latin alphabet reads Cyrillic as the Latin letters, digits
and punctuation that look most like it: ``Лукашенко`` comes out as ``JIYKameHKo``, ``я`` as
``5I``, ``ц`` as ``IJ``, ``д`` as ``,I`` or ``,D``. This module works on plain text only:

* :func:`lookalike_score` / :func:`is_lookalike_text` say, from character statistics alone,
  whether a line or paragraph is such text (cheap enough to run on every line of every
  document; the parser uses it for language detection and for letter boundaries);
* :func:`decode_edits` proposes one :class:`~docparse.edits.Edit` per look-alike word, decoded
  back to Cyrillic (the readings that are ambiguous, such as ``H`` = н/и, are resolved with a
  Russian lexicon and word frequencies).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from typing import Any

import attrs

from .edits import Edit
from .source import split_lines

__all__ = ["lookalike_score", "is_lookalike_text", "decode_edits", "decode", "DEFAULT_THRESHOLD"]

#: score above which :func:`is_lookalike_text` calls a text Russian read as Latin
DEFAULT_THRESHOLD = 0.5

# Sequences that an English-only OCR produces for Cyrillic letters and that (almost) never
# occur in English or in Latin-script names: digits and punctuation glued inside letters
# (``5I`` = я, ``,I``/``,D``/``,n``/``,r`` = д, ``m;`` = щ, ``2K``/``)K`` = ж, ``4?`` = ф,
# ``.S`` = я), two-glyph readings of one letter (``JI``/``Jl`` = л, ``II``/``lI`` = п,
# ``IJ`` = ц, ``bI`` = ы, ``tI`` = ч, ``I1`` = И, ``1I0`` = по), and ``y-`` = у.
_STRONG = re.compile(
    # the leading look-ahead lets the engine skip, in one test, positions where no
    # alternative can start (three times faster on English text)
    r"""
    (?=[0-9IJbltr,.mu)4y\-])(?:
      (?<![0-9])5I | (?<=[A-Za-z])5(?![0-9])
    | IJ | bI | bl(?=[OI]) | tI | J[Il] | lI | I1 | 1I(?=[0O])
    | II(?=[A-HJ-Za-z0-9]) | (?<=[A-Za-z])II(?!I)
    | (?:(?<=[A-Za-z])|(?<![^\s(]))[,][IDnr!](?=[A-Za-z0-9])
    | (?<=[A-Za-z]{2})\.S(?![a-z])
    | [mu];(?=[A-Za-z])
    | (?<![0-9])2K(?=[a-zA-Z]) | (?<=[a-z])2K | (?<=[A-Za-z])\)K
    | 4\?(?=[A-Za-z])
    | (?<![A-Za-z])y-(?=[a-zA-Z]) | (?<=Jl|JI)y-
    | (?<=[A-Za-z])[03](?=[A-Za-z]) | (?<=[A-Za-z])2(?=[a-z]) | (?<=[A-Za-z])6 | 6(?=[A-Za-z])
    | (?<=[0-9]\x20)r\.
    | (?<![A-Za-z0-9])3(?=[aeoTKOHBMC][A-Za-z])
    )""",
    re.VERBOSE,
)
# Latin letters that the OCR (almost) never produces for Cyrillic: they make up about 30% of
# the letters of English prose and under 1% of look-alike Russian.
_FOREIGN = re.compile(r"[dfghijsuvwzDFGLNQRSUVWZ]")
_FOREIGN_BYTES = b"dfghijsuvwzDFGLNQRSUVWZ"
# every byte but the ASCII letters: ``bytes.translate`` deletes them to count letters fast
_NOT_LATIN_BYTES = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
# a lower-case letter followed by a capital: the OCR's chaotic case (``cTpaHHIJa``)
_LOWER_UPPER = re.compile(r"[a-z][A-Z]")
# a capital inside a word (``HaCT``): common in look-alike Russian, rare in English prose
_INNER_UPPER = re.compile(r"(?<=[A-Za-z0-9,])[A-Z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def lookalike_score(text: str) -> float:
    """How likely ``text`` (a line or a paragraph) is Russian read by an English-only OCR.

    Returns a value in 0..1 computed from character statistics only (no lexicon), so it is
    cheap enough for every line of every document. Evidence for: sequences the OCR makes of
    Cyrillic letters (``5I``, ``,I``, ``JI``, ``bI``, digits inside words, ...), lower-case
    letters followed by capitals, capitals inside words. Evidence against: Latin letters
    that the OCR never produces for Cyrillic (``d f g h i s u v w``, ``N R S U``, ...), which
    make up about a third of English text. Text that is mostly genuine Cyrillic scores 0.

    >>> lookalike_score("Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo!") > 0.9
    True
    >>> lookalike_score("Benjamin L. Cardin, M.C.") < 0.1
    True
    """
    # counting with bytes.translate is five times faster than with regular expressions
    letters = text.encode("ascii", "ignore").translate(None, _NOT_LATIN_BYTES)
    latin = len(letters)
    if latin == 0:
        return 0.0
    if not text.isascii() and len(_CYRILLIC.findall(text)) >= latin:
        return 0.0  # genuine Cyrillic text (perhaps with a Latin name in it)
    foreign = latin - len(letters.translate(None, _FOREIGN_BYTES))
    if 4 * foreign > latin + 4:
        # English-like: a quarter of the letters are never made by the OCR. Skip the
        # costly search for OCR sequences (they could not outweigh this) and score on
        # the evidence against alone.
        return _squash(-1.5 * foreign, latin)
    rest, strong = _STRONG.subn(" ", text)
    if strong:
        foreign = len(_FOREIGN.findall(rest))
    lower_upper = len(_LOWER_UPPER.findall(rest))
    inner_upper = len(_INNER_UPPER.findall(rest))
    evidence = 2.0 * strong + 1.0 * lower_upper + 0.25 * inner_upper
    return _squash(evidence - 1.5 * foreign, latin)


def _squash(balance: float, latin: int) -> float:
    """Map the weighed evidence of a text with ``latin`` Latin letters to 0..1.

    The balance is divided by the square root of the length: a long paragraph needs less
    evidence per letter to be sure, a one-word line needs at least one clear sign.
    """
    z = balance / math.sqrt(latin + 4.0) * 2.0 - 1.0
    if z < -30.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def is_lookalike_text(text: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """True when :func:`lookalike_score` of ``text`` is at least ``threshold``.

    >>> is_lookalike_text("MbI COrJlaCHbI C IIO,IIIHCaBmHMHC5I")
    True
    >>> is_lookalike_text("We agree with the signatories that the OSCE should")
    False
    """
    return lookalike_score(text) >= threshold


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

# How an English-only OCR reads each Cyrillic letter, as (Latin string, Cyrillic, cost). Read
# by hand from the project's seed document (a Russian letter OCR'd as Latin), and general
# visual look-alikes: cost 0 is the usual reading, higher costs are rarer readings that
# the lexicon must confirm. The Cyrillic side is lower-case; case is restored afterwards
# (the OCR's case is chaotic). Two typefaces appear: one with ``JI``, ``II``, ``,I``, ``tI``
# for л, п, д, ч and one with ``n``, ``6``, ``.S``, ``q``, ``,r`` for л/п, б, я, ч, д.
# marks the reading of a word-final pre-1918 ъ, which the modern lexicon does not spell
_FINAL_HARD_SIGN = "ъ$"
# letters of the old spelling and the modern letter the lexicon has in their place
_OLD_LETTERS = {"ѣ": "е", "і": "и"}

_READINGS: tuple[tuple[str, str, float], ...] = (
    # single glyphs that look like the Cyrillic letter
    ("a", "а", 0), ("A", "а", 0), ("A", "д", 1.5),
    ("b", "ь", 0), ("b", "ъ", 1.5), ("h", "ь", 0.5),
    ("B", "в", 0), ("B", "б", 1.0), ("c", "с", 0), ("C", "с", 0),
    ("e", "е", 0), ("E", "е", 0), ("E", "б", 0.7),
    ("f", "г", 0), ("r", "г", 0), ("H", "н", 0), ("H", "и", 0), ("H", "й", 0.5),
    ("I", "и", 1.2), ("I", "ю", 1.2), ("I", "", 2.0), ("i", "и", 0.5),
    ("J", "л", 0.5), ("l", "л", 1.0),
    ("k", "к", 0), ("K", "к", 0), ("M", "м", 0), ("M", "и", 2.0), ("M", "й", 2.0),
    ("m", "ш", 0), ("m", "щ", 1.0), ("m", "м", 1.0), ("m", "т", 1.0),
    ("n", "п", 0), ("n", "л", 0), ("n", "и", 1.5),
    ("o", "о", 0), ("O", "о", 0), ("0", "о", 0), ("o", "б", 0.7), ("O", "б", 0.7),
    ("0", "б", 0.5), ("6", "б", 0),
    ("p", "р", 0), ("P", "р", 0), ("q", "ч", 0), ("Q", "ч", 0.5), ("Q", "ц", 0.5),
    ("R", "и", 0.7), ("t", "т", 1.0), ("T", "т", 0), ("u", "ц", 0.5), ("u", "и", 0.5),
    ("x", "х", 0), ("X", "х", 0), ("y", "у", 0), ("Y", "у", 0),
    ("2", "ж", 0.5), ("3", "з", 0), ("3", "э", 0.3), ("5", "я", 0.3),
    # one letter read as two or three glyphs
    ("5I", "я", 0), ("5l", "я", 0), (".S", "я", 0),
    (",I", "д", 0), (",D", "д", 0), (",n", "д", 0), (",r", "д", 0), (",!", "д", 0),
    ("JI", "л", 0), ("Jl", "л", 0), ("JJ", "л", 0.5),
    ("II", "п", 0), ("lI", "п", 0), ("ll", "п", 0), ("1I", "п", 0), ("11", "п", 0.3), ("Il", "п", 0.5),
    ("TI", "п", 0.7), ("III", "п", 1.0), ("III", "ш", 0.5), ("I1", "и", 0), ("I1", "п", 0.7),
    ("IJ", "ц", 0), ("IO", "ю", 0), ("I0", "ю", 0), ("lO", "ю", 0), ("lo", "ю", 0.5),
    ("bI", "ы", 0), ("bl", "ы", 0.5), ("'b", "ъ", 0), ("tI", "ч", 0), ("'I", "ч", 0.5),
    ("m;", "щ", 0), ("u;", "щ", 0), ("u;", "ц", 0.3), ("ID", "щ", 0.5),
    ("2K", "ж", 0), (")K", "ж", 0), ("4?", "ф", 0), ("cP", "ф", 0.3), ("rn", "ш", 0.3),
    ("y-", "уч", 0), ("Y-", "уч", 0), ("MJ", "ия", 0.5),
    # pre-1918 spelling (archival letters): ѣ looks like b, і is i; a word-final ъ after a
    # consonant (``противъ``) is silent, so the lexicon is asked about the word without it
    ("b", "ѣ", 1.0), ("i", "і", 0), ("b", _FINAL_HARD_SIGN, 0.3), ("'b", _FINAL_HARD_SIGN, 0),
)

_MAX_UNIT = max(len(latin) for latin, _, _ in _READINGS)
_BY_FIRST: dict[str, tuple[tuple[str, tuple[tuple[str, float], ...]], ...]] = {}


def _index_readings() -> None:
    grouped: dict[str, dict[str, list[tuple[str, float]]]] = {}
    for latin, cyr, cost in _READINGS:
        grouped.setdefault(latin[0], {}).setdefault(latin, []).append((cyr, float(cost)))
    for first, units in grouped.items():
        _BY_FIRST[first] = tuple(
            (unit, tuple(options)) for unit, options in sorted(units.items(), key=lambda u: -len(u[0]))
        )


_index_readings()

# A look-alike word: letters, digits and the punctuation that the OCR makes of letters.
_CORE = re.compile(
    # multi-glyph readings come first: alternatives are tried in order
    r"""
    (?: ,[IDnr!](?=[A-Za-z0-9]) | 4\? | (?<![^\s(])\.S(?![a-z]) | [A-Za-z0-9] )
    (?: ,[IDnr!] | (?<=[A-Za-z0-9])\.S(?![a-z]) | [mu];(?=[A-Za-z]) | \)K | 4\? | '[bI]
      | -(?=[A-Za-z0-9,]) | [A-Za-z0-9] )*
    """,
    re.VERBOSE,
)
_DIGITS = re.compile(r"[0-9]+")
_GUILLEMETS = re.compile(r"\(\(|\)\)")
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_ONE_LETTER_WORDS = frozenset("авиксуояж")
#: DFS steps allowed per word: look-alike words have a few ambiguous glyphs each, and the
#: lexicon prunes almost every path, so this is only a guard against pathological input
_MAX_STEPS = 20000
#: a reading made of usual glyph readings only is accepted without the DAWG walk when it is
#: at least this common (Zipf 3.5: about three times per million words)
_FAST_MIN_ZIPF = 3.5
#: readings costlier than this in total are not explored (two or three rare readings)
_MAX_COST = 3.0
#: both parts of a word split in two (words the OCR ran together) must be at least this
#: common (Zipf scale: 3 = once per million words), or a rare unknown word gets cut into
#: two rare known ones
_SPLIT_MIN_ZIPF = 3.0
# Russian typography writes an ordinal's ending after a hyphen with one or two letters
# (``3-я``, ``5-го``, ``2-й``); a longer decoded ending is OCR noise before the real one.
_ORDINAL_ENDINGS = frozenset({"го", "му", "ми", "х", "м", "й", "я", "е", "ю", "ой", "ый", "ий"})


@attrs.frozen
class _Lexicon:
    """pymorphy3's word DAWG (to walk readings letter by letter) and wordfreq frequencies."""

    morph: Any
    freq: dict[str, float]

    def zipf(self, word: str) -> float:
        f = self.freq.get(word)
        if f is None and "ё" in word:
            f = self.freq.get(word.replace("ё", "е"))
        return math.log10(f) + 9.0 if f else 0.0


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Load pymorphy3 and wordfreq once, on first use (about a second)."""
    import pymorphy3
    import wordfreq

    return _Lexicon(morph=pymorphy3.MorphAnalyzer(lang="ru"), freq=wordfreq.get_frequency_dict("ru"))


@attrs.frozen
class _Reading:
    """The decoding of one look-alike word (lower-case), and what the lexicon says of it."""

    text: str
    known: bool
    confidence: float
    abbr: bool = False
    proper: bool = False


def _walk(core: str, splits: int) -> list[tuple[float, str, str]]:
    """All readings of ``core`` that the lexicon knows: ``(cost, output, dictionary form)``.

    Walks the lattice of glyph readings depth-first along pymorphy3's word DAWG, so a path
    dies as soon as its letters are no known word's prefix. With ``splits`` > 0 a path may
    end a known word and start another (words the OCR ran together); the parts are joined
    with a space.
    """
    lex = _lexicon()
    dct = lex.morph.dictionary.words.dct
    root = dct.ROOT
    sep = "\x01"
    found: list[tuple[float, str, str]] = []
    steps = 0
    n = len(core)

    def dfs(pos: int, node: int, out: str, form: str, cost: float, left: int) -> None:
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS or cost > _MAX_COST:
            return
        if pos == n:
            if out and _step(dct, node, sep) is not None:
                found.append((cost, out, form))
            return
        if left and out and not out.endswith(" ") and _step(dct, node, sep) is not None:
            dfs(pos, root, out + " ", form + " ", cost + 1.5, left - 1)
        for unit, options in _BY_FIRST.get(core[pos], ()):
            if not core.startswith(unit, pos):
                continue
            for cyr, c in options:
                if cyr == _FINAL_HARD_SIGN:
                    if pos + len(unit) == n and out and out[-1] not in "аеёиоуыэюяьъй ":
                        if _step(dct, node, sep) is not None:
                            found.append((cost + c, out + "ъ", form))
                    continue
                for nxt, spelled in _follow(dct, node, cyr):
                    dfs(pos + len(unit), nxt, out + cyr, form + spelled, cost + c, left)

    dfs(0, root, "", "", 0.0, splits)
    return found


_STEP_CACHE: dict[tuple[int, str], int | None] = {}


def _step(dct: Any, node: int, ch: str) -> int | None:
    """``dct.follow_bytes`` for one letter, memoized: dawg_python walks bytes in pure Python
    (about 10 us a letter), and the same few thousand upper nodes recur in every word."""
    key = (node, ch)
    try:
        return _STEP_CACHE[key]
    except KeyError:
        if len(_STEP_CACHE) > 2_000_000:
            _STEP_CACHE.clear()
        nxt = _STEP_CACHE[key] = dct.follow_bytes(ch.encode(), node)
        return nxt


def _follow(dct: Any, node: int, cyr: str) -> list[tuple[int, str]]:
    """DAWG nodes reached from ``node`` by the letters ``cyr``, with their spelling there.

    The OCR reads ``ё`` and ``е`` alike, so ``е`` also follows the dictionary's ``ё``.
    """
    states = [(node, "")]
    for ch in cyr:
        nxt_states = []
        for n, sp in states:
            for alt in ("е", "ё") if ch == "е" else (_OLD_LETTERS.get(ch, ch),):
                m = _step(dct, n, alt)
                if m is not None:
                    nxt_states.append((m, sp + alt))
        states = nxt_states
        if not states:
            break
    return states


def _plain(core: str) -> str | None:
    """The cheapest reading of ``core`` ignoring the lexicon, or None if a glyph has none."""
    out = []
    pos = 0
    while pos < len(core):
        for unit, options in _BY_FIRST.get(core[pos], ()):
            if core.startswith(unit, pos):
                out.append(min((o for o in options if o[0] != _FINAL_HARD_SIGN),
                               key=lambda o: o[1])[0])
                pos += len(unit)
                break
        else:
            return None
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def _decode_word(core: str) -> _Reading | None:
    """Decode one look-alike word (no hyphen) to lower-case Cyrillic; None if it is not one.

    Candidates are ranked by word frequency (wordfreq's Zipf scale, 0..8; a word only
    pymorphy3 knows counts 1) minus 1.5 x the cost of its glyph readings.
    ``"TpY,IHOCTH"`` -> ``"трудности"``; ``"HaC"`` -> ``"нас"`` (not ``"иас"``).
    """
    if _DIGITS.fullmatch(core):
        return None
    plain = _plain(core)
    if plain is None:
        return None
    lex = _lexicon()
    # Fast path: the readings that use only usual glyph readings, looked up in the
    # frequency table (a hash lookup each); a common word among them is taken without the
    # slower walk along the DAWG.
    candidates = [(0.0, t, t) for _, t in _lattice(core, 0.0) if lex.zipf(t) >= _FAST_MIN_ZIPF]
    if not candidates:
        candidates = _walk(core, 0) or (_walk(core, 1) if len(core) >= 5 else [])
    if not candidates or all(" " in c[2] for c in candidates):
        candidates = [c for c in candidates if all(lex.zipf(p) >= _SPLIT_MIN_ZIPF
                                                   for p in c[2].split(" "))]
    if not candidates:
        return _Reading(text=plain.replace("ё", "е"), known=False, confidence=0.3)
    best: dict[str, tuple[float, str]] = {}
    for cost, out, form in candidates:
        parts = form.split(" ")
        zipf = min((lex.zipf(p) or 1.0) for p in parts)
        if len(parts) > 1 and zipf < _SPLIT_MIN_ZIPF:
            continue
        value = zipf - 1.5 * cost
        if out not in best or value > best[out][0]:
            best[out] = (value, form)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    text, (value, form) = ranked[0]
    margin = value - ranked[1][1][0] if len(ranked) > 1 else 3.0
    confidence = round(min(0.99, 0.55 + 0.15 * margin + 0.03 * max(value, 0.0)), 3)
    confidence = max(confidence, 0.35)
    abbr = proper = False
    if " " not in form:
        tags = _grammemes(form)
        abbr = bool(tags) and all("Abbr" in t for t in tags)
        proper = bool(tags) and all(_PROPER & t for t in tags)
    return _Reading(text=text.replace("ё", "е"), known=True, confidence=confidence, abbr=abbr,
                    proper=proper)


def _grammemes(form: str) -> list[frozenset[str]]:
    """The grammemes of every dictionary analysis of ``form`` (exact spelling), read straight
    from pymorphy3's DAWG (``MorphAnalyzer.parse`` would redo the ё-tolerant search and
    costs ten times more)."""
    dictionary = _lexicon().morph.dictionary
    out = []
    for para_id, idx in dictionary.words.get(form) or ():
        tag = dictionary.build_tag_info(para_id, idx)
        out.append(frozenset(tag.grammemes))
    return out


@attrs.frozen
class _Word:
    start: int
    end: int
    core: str
    reading: _Reading | None


def _lookalike_lines(text: str, threshold: float) -> Iterator[tuple[int, int]]:
    """Spans of the lines of ``text`` that are look-alike Russian.

    A line qualifies on its own score, or with a weaker score when the nearest non-blank
    line before or after it qualifies on its own (short lines such as ``r.`` need context).
    """
    lines = [(a, b) for a, b, _ in split_lines(text)]
    scores = [lookalike_score(text[a:b]) for a, b in lines]
    strong = [sc >= threshold for sc in scores]
    for i, (a, b) in enumerate(lines):
        if strong[i]:
            yield a, b
            continue
        if scores[i] < 0.15:
            continue
        near = [j for j in range(i - 1, -1, -1) if text[lines[j][0]:lines[j][1]].strip()][:1]
        near += [j for j in range(i + 1, len(lines)) if text[lines[j][0]:lines[j][1]].strip()][:1]
        if any(strong[j] for j in near):
            yield a, b


def _sentence_start(text: str, start: int) -> bool:
    """True when the word at ``start`` begins a sentence: after ``.!?`` (not after a
    one-letter abbreviation such as ``r.`` = г.), after a blank line, or at the start."""
    i = start - 1
    newlines = 0
    while i >= 0 and text[i] in " \t\r\n\f(«\"'—–-":
        if text[i] == "\n":
            newlines += 1
        i -= 1
    if i < 0 or newlines >= 2:
        return True
    if text[i] == "(" and i > 0 and text[i - 1] == "(":
        return _sentence_start(text, i - 1)
    if text[i] not in ".!?":
        return False
    if text[i] == ".":
        j = i - 1
        while j >= 0 and text[j].isalnum():
            j -= 1
        if i - j - 1 == 1 and text[i - 1].isalpha():
            return False
    return True


def _cased(reading: _Reading, core: str, text: str, start: int) -> str:
    """Restore natural case: acronyms in capitals, proper names and sentence starts
    capitalized, everything else lower-case (the OCR's own case means nothing)."""
    word = reading.text
    letters = [c for c in core if c.isalpha()]
    if reading.abbr and len(word) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if reading.proper or _sentence_start(text, start):
        return word[:1].upper() + word[1:]
    return word


def _decode_token(core: str) -> list[tuple[int, int, _Reading | None]]:
    """Split a core at real hyphens and decode each part. A ``-`` after ``y`` is usually the
    OCR's reading of ``уч`` (``y-aCTHHKH`` = участники), but may be a hyphen (``KOMY-TO`` =
    кому-то): it splits only when the whole is no known word and both parts are."""
    parts: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"-", core):
        if m.start() > 0 and core[m.start() - 1] in "yY":
            whole = _decode_word(core[pos:_next_hyphen(core, m.end())])
            left = _decode_word(core[pos:m.start()])
            right = _decode_word(core[m.end():_next_hyphen(core, m.end())])
            if (whole is not None and whole.known) or not (
                    left is not None and left.known and right is not None and right.known):
                continue
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(core)))
    out: list[tuple[int, int, _Reading | None]] = []
    for i, (a, b) in enumerate(parts):
        if i > 0 and b > a and _DIGITS.fullmatch(core[parts[i - 1][0]:parts[i - 1][1]]):
            reading = _ordinal_ending(core[a:b]) if b - a <= 4 else _decode_word(core[a:b])
        else:
            reading = _decode_word(core[a:b]) if b > a else None
        out.append((a, b, reading))
    return out


def _next_hyphen(core: str, start: int) -> int:
    i = core.find("-", start)
    return len(core) if i < 0 else i


def _ordinal_ending(core: str) -> _Reading | None:
    """The ending of a numeral after its hyphen, read among the usual endings (Russian
    typography writes one or two letters: ``3-я``, ``5-го``, ``17-ой``):
    ``3-a5I`` -> ``3-я`` (the ``a`` is OCR noise before the ``я``)."""
    best: tuple[float, str] | None = None
    for start in range(len(core)):
        for cost, text in _lattice(core[start:], 2.0):
            if text in _ORDINAL_ENDINGS:
                value = cost + start  # each glyph skipped costs 1
                if best is None or value < best[0]:
                    best = (value, text)
    if best is None:
        return None
    return _Reading(text=best[1], known=True, confidence=0.8 if best[0] < 1 else 0.6)


def _lattice(core: str, max_cost: float) -> list[tuple[float, str]]:
    """Every reading of a short ``core`` up to ``max_cost``, ignoring the lexicon."""
    out: list[tuple[float, str]] = []

    def walk(pos: int, text: str, cost: float) -> None:
        if cost > max_cost or len(out) > 200:
            return
        if pos == len(core):
            out.append((cost, text))
            return
        for unit, options in _BY_FIRST.get(core[pos], ()):
            if core.startswith(unit, pos):
                for cyr, c in options:
                    if cyr != _FINAL_HARD_SIGN:
                        walk(pos + len(unit), text + cyr, cost + c)

    walk(0, "", 0.0)
    return out


def decode_edits(text: str, threshold: float = DEFAULT_THRESHOLD) -> list[Edit]:
    """Edits that turn the look-alike Russian words of ``text`` back into Cyrillic.

    Only lines that :func:`lookalike_score` calls look-alike Russian are touched; in them,
    each word made of glyphs the OCR produces for Cyrillic is decoded (ambiguous glyphs such
    as ``H`` = н/и are resolved with pymorphy3's lexicon and wordfreq frequencies), its
    natural case restored, and one :class:`Edit` returned per word with offsets into
    ``text``. Numbers (``2004``), words with letters the OCR never makes for Cyrillic
    (``OSCE``, ``MANPADs``) and punctuation stay. ``((``/``))`` become ``«``/``»``. A word
    split in two by the OCR is joined when neither half is a known word but the whole is;
    two words run together are split when only the two parts are known.

    ``"Y Ba2KaeMbIH fOCIIO,IHH JIYKameHKo!"`` -> ``"Уважаемый господин Лукашенко!"``;
    ``"21 HlOn5I 2004 r."`` -> ``"21 июля 2004 г."``.
    """
    edits: list[Edit] = []
    for a, b in _lookalike_lines(text, threshold):
        line = text[a:b]
        words: list[_Word] = []
        for m in _CORE.finditer(line):
            core = m.group()
            if m.start() > 0 and line[m.start() - 1].isalnum():
                continue  # glued to a letter the core pattern refused: not a word of ours
            for pa, pb, reading in _decode_token(core):
                words.append(_Word(a + m.start() + pa, a + m.start() + pb, core[pa:pb], reading))
        words = _join_split_words(text, words)
        for w in words:
            if w.reading is None:
                continue
            after = _cased(w.reading, w.core, text, w.start)
            if after != w.core:
                edits.append(Edit(w.start, w.end, w.core, after, w.reading.confidence,
                                  "cyrillic-lookalike"))
        for m in _GUILLEMETS.finditer(line):
            mark = "«" if m.group() == "((" else "»"
            edits.append(Edit(a + m.start(), a + m.end(), m.group(), mark, 0.9,
                              "cyrillic-lookalike:guillemet"))
    edits.sort(key=lambda e: e.start)
    return edits


def _join_split_words(text: str, words: list[_Word]) -> list[_Word]:
    """Join two neighbouring words separated by one space when one of them is not a known
    word and their concatenation is (``K OMHCCHH`` -> ``комиссии``)."""
    out: list[_Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        if i + 1 < len(words):
            v = words[i + 1]
            if (w.reading is not None and v.reading is not None and v.start == w.end + 1
                    and text[w.end] == " " and (not w.reading.known or not v.reading.known
                                                or (len(w.reading.text) == 1
                                                    and w.reading.text not in _ONE_LETTER_WORDS))):
                joined = _decode_word(w.core + v.core)
                if joined is not None and joined.known and " " not in joined.text:
                    out.append(_Word(w.start, v.end, text[w.start:v.end], joined))
                    i += 2
                    continue
        out.append(w)
        i += 1
    return out


def decode(text: str, threshold: float = DEFAULT_THRESHOLD) -> str:
    """``text`` with :func:`decode_edits` applied: ``"MbI COrJlaCHbI"`` -> ``"Мы согласны"``."""
    from .edits import apply_edits

    return apply_edits(text, decode_edits(text, threshold))
