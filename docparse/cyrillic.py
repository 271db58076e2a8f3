"""Russian text that an English-only OCR read as Latin look-alikes: detect it and decode it.

An OCR engine that only knows the Latin alphabet reads Cyrillic as the Latin letters, digits
and punctuation that look most like it: ``Лукашенко`` comes out as ``JIYKameHKo``, ``я`` as
``5I``, ``ц`` as ``IJ``, ``д`` as ``,I`` or ``,D``. This module works on plain text only:

* :func:`lookalike_score` / :func:`is_lookalike_text` say, from character statistics alone,
  whether a line or paragraph is such text (cheap enough to run on every line of every
  document; the parser uses it for language detection and for letter boundaries);
* :func:`decode_edits` proposes one :class:`~docparse.edits.Edit` per look-alike word, decoded
  back to Cyrillic (the readings that are ambiguous, such as ``H`` = н/и, are resolved with a
  Russian lexicon and word frequencies, then by context: agreement of adjectives and nouns,
  what a one-letter preposition can govern, initials and surnames; words no lexicon knows
  are spelled by letter trigrams of the lexicon's common words).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .alphabet import FOREIGN_BYTES as _FOREIGN_BYTES
from .alphabet import NOT_LATIN_BYTES as _NOT_LATIN_BYTES
from .edits import Edit, apply_edits
from .lines import split_lines

__all__ = ["DEFAULT_THRESHOLD", "decode", "decode_edits", "is_lookalike_text", "lookalike_score"]

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
# what every match of _STRONG holds (a digit, J, ";", "bI", ",I", ".S", ")K", "y-" ...): a
# text without any of these has no OCR sequence, found by this simple search far faster
_STRONG_HINT = re.compile(r"[0-9J;]|[btlI]I|bl[OI]|,[IDnr!]|\.S|\)K|y-")
# Latin letters that the OCR (almost) never produces for Cyrillic: they make up about 30% of
# the letters of English prose and under 1% of look-alike Russian.
_FOREIGN = re.compile(r"[dfghijsuvwzDFGLNQRSUVWZ]")
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
    if _STRONG_HINT.search(text) is None:
        rest, strong = text, 0  # (most English lines: no sequence of _STRONG can occur)
    else:
        rest, strong = _STRONG.subn(" ", text)
    if strong:
        foreign = len(_FOREIGN.findall(rest))
    lower_upper = len(_LOWER_UPPER.findall(rest))
    inner_upper = len(_INNER_UPPER.findall(rest))
    evidence = 2.0 * strong + 1.0 * lower_upper + 0.25 * inner_upper
    return _squash(evidence - 1.5 * foreign, latin)


# a word (three or more letters and digits) with a lower-case letter before a capital:
# the chaotic case of Russian read by an English-only OCR (``HaKOHeL``, ``CKONbKO``)
_MIXED_WORD = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[a-z][A-Z])[A-Za-z0-9]{3,}")
_ANY_WORD = re.compile(r"[A-Za-z0-9]{3,}")
#: share of mixed-case words above which a whole text is look-alike Russian (measured:
#: 0.45-0.71 on Russian pages read by Tesseract's English model, at most 0.03 in any English
#: letter of the corpus, OCR'd or not)
MIXED_CASE_SHARE = 0.2
MIXED_CASE_MIN = 5


def mixed_case_lookalike(text: str) -> bool:
    """Whether ``text`` (a whole letter) is Russian read as Latin by an OCR engine whose
    readings :func:`lookalike_score` does not know (one Latin glyph per Cyrillic letter, in
    chaotic case: Tesseract's ``OTBeTMWb NM Tbl MHe, HaKOHeL``): at least
    ``MIXED_CASE_MIN`` words, and ``MIXED_CASE_SHARE`` of all its words, have a lower-case
    letter before a capital. No lexicon: cheap enough for every letter.

    >>> mixed_case_lookalike("OTBeTMWb NM Tbl MHe, HaKOHeL, CKONbKO npocpoukn B OnekyHcKui CopeT.")
    True
    >>> mixed_case_lookalike("Dear Mr. McDonald, the iPhone and JavaScript are fine.")
    False
    """
    mixed = len(_MIXED_WORD.findall(text))
    if mixed < MIXED_CASE_MIN:
        return False
    return mixed >= MIXED_CASE_SHARE * len(_ANY_WORD.findall(text))


#: OCR sequences (:data:`_STRONG`) per word above which look-alike text is the seed's kind
#: (0.76-1.13 in the seed and the corpus's modelled damage; 0.11-0.26 on Tesseract's pages)
SEED_SEQUENCES_PER_WORD = 0.5


def seed_like(text: str) -> bool:
    """Whether look-alike ``text`` was read the way the seed's engine reads Cyrillic (many
    multi-glyph sequences: ``5I``, ``JI``, ``,I``, ``bI``), rather than one Latin glyph per
    letter as Tesseract's English model does: the decoder then keeps to the seed's readings.
    """
    n = len(_ANY_WORD.findall(text))
    return n > 0 and len(_STRONG.findall(text)) >= SEED_SEQUENCES_PER_WORD * n


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

# How an English-only OCR reads each Cyrillic letter, as (Latin string, Cyrillic, cost[, output]).
# Read by hand from the project's seed document (a Russian letter OCR'd as Latin), and general
# visual look-alikes: cost 0 is the usual reading, higher costs are rarer readings that the
# lexicon must confirm. The Cyrillic side is lower-case and spelled as the modern lexicon
# spells it; ``output``, when given, is what is written instead (pre-1918 letters: ``ѣ`` is
# looked up as ``е``, ``і`` as ``и``, a word-final ``ъ`` as nothing). Case is restored
# afterwards (the OCR's case is chaotic). Two typefaces appear: one with ``JI``, ``II``,
# ``,I``, ``tI`` for л, п, д, ч and one with ``n``, ``6``, ``.S``, ``q``, ``,r``.
_READINGS: tuple[tuple[Any, ...], ...] = (
    # single glyphs that look like the Cyrillic letter
    ("a", "а", 0), ("A", "а", 0), ("A", "д", 1.5),
    ("b", "ь", 0), ("b", "ъ", 1.5), ("h", "ь", 0.5),
    ("B", "в", 0), ("B", "б", 1.0), ("c", "с", 0), ("C", "с", 0),
    ("e", "е", 0), ("E", "е", 0), ("E", "б", 0.7),
    ("f", "г", 0), ("r", "г", 0), ("H", "н", 0), ("H", "и", 0), ("H", "й", 0.5),
    ("I", "и", 1.2), ("I", "ю", 1.2), ("I", "л", 1.5), ("I", "", 2.0), ("i", "и", 0.5),
    ("J", "л", 0.5), ("l", "л", 1.0),
    ("k", "к", 0), ("K", "к", 0), ("M", "м", 0), ("M", "и", 2.0), ("M", "й", 1.0),
    ("m", "ш", 0), ("m", "щ", 1.0), ("m", "м", 1.0), ("m", "т", 1.0),
    ("n", "п", 0), ("n", "л", 0), ("n", "и", 1.5),
    ("o", "о", 0), ("O", "о", 0), ("0", "о", 0), ("o", "б", 0.7), ("O", "б", 0.7),
    ("0", "б", 0.5), ("6", "б", 0),
    ("p", "р", 0), ("P", "р", 0), ("q", "ч", 0), ("Q", "ч", 0.5), ("Q", "ц", 0.5),
    ("R", "и", 0.7), ("t", "т", 1.0), ("T", "т", 0), ("u", "ц", 0.5), ("u", "и", 0.5),
    ("x", "х", 0), ("X", "х", 0), ("y", "у", 0), ("Y", "у", 0),
    # other engines read one Cyrillic letter as one Latin letter, mostly in lower case
    # (Tesseract's English model: И as u/U/H, Ч as u, Д as g/n/f, Ш as w, Ц as u/W); the
    # lexicon must confirm these readings. (Its N for Л, A/a for Я and L for Ц are left
    # out: an acronym such as "MANP AD" would read as a rare word, and "-HHa" as "-ния".)
    ("U", "и", 0.5), ("u", "ч", 0.7), ("g", "д", 0.7), ("n", "д", 1.0), ("f", "д", 1.0),
    ("w", "ш", 0.3), ("W", "ш", 0.3), ("w", "щ", 1.0), ("W", "щ", 1.0), ("W", "ц", 1.0),
    ("2", "ж", 0.5), ("3", "з", 0), ("3", "э", 0.3), ("5", "я", 0.3),
    # one letter read as two or three glyphs
    ("5I", "я", 0), ("5l", "я", 0), (".S", "я", 0), (".", "я", 1.0), (",", "д", 1.0),
    (",I", "д", 0), (",D", "д", 0), (",n", "д", 0), (",r", "д", 0), (",!", "д", 0),
    ("JI", "л", 0), ("Jl", "л", 0), ("JJ", "л", 0.5),
    ("II", "п", 0), ("lI", "п", 0), ("ll", "п", 0), ("1I", "п", 0), ("11", "п", 0.3), ("Il", "п", 0.5),
    ("TI", "п", 0.7), ("III", "п", 1.0), ("III", "ш", 0.5), ("I1", "и", 0), ("I1", "п", 0.7),
    ("IJ", "ц", 0), ("IO", "ю", 0), ("I0", "ю", 0), ("lO", "ю", 0), ("lo", "ю", 0.5),
    ("bI", "ы", 0), ("bl", "ы", 0.5), ("'b", "ъ", 0), ("tI", "ч", 0), ("'I", "ч", 0.5),
    ("m;", "щ", 0), ("u;", "щ", 0), ("u;", "ц", 0.3), ("n;", "ц", 0.5), ("n;", "щ", 0.5),
    ("ID", "щ", 0.5), ("ll", "ш", 1.0),
    ("2K", "ж", 0), (")K", "ж", 0), ("4?", "ф", 0), ("cP", "ф", 0.3), ("rn", "ш", 0.3),
    ("y-", "уч", 0), ("Y-", "уч", 0), ("MJ", "ия", 0.5),
    # two letters garbled into one shape (the seed: ``MeIDIOTC5I`` = меняются,
    # ``Me)KY`` = между, ``,IOJI)KO`` = должно)
    ("ID", "ня", 0.5), ("ID", "ия", 0.7), (")K", "жд", 0.5), (")K", "жн", 0.5),
    # and in its running headers (``HIOIT`` = июля, ``rOCnO,DHfl`` = Господину)
    ("IT", "ля", 0.7), ("fl", "ну", 0.7),
    # pre-1918 spelling (archival letters): ѣ looks like b, і is i, and a word-final ъ after a
    # consonant (``противъ``) is silent, so the lexicon is asked about the modern spelling.
    # Old-spelling letters are recognised by their ``'b`` = ъ, so there a bare ``b`` is
    # rather ь (``CToHTb`` = стоить) or ѣ: a bare ``b`` as ъ is a costly reading
    ("b", "е", 1.0, "ѣ"), ("i", "и", 0, "і"), ("b", "", 1.2, "ъ"), ("'b", "", 0, "ъ"),
)

# The lexicon is indexed by a word's *skeleton*: its letters with the ones the OCR reads
# alike at no cost merged into one class (н/и/й are all ``H``, о/б are ``O``, п/л are ``n``,
# з/э are ``3``, ь/ъ are ``b``). An OCR word then has only a few skeletons (one per
# segmentation and costly reading) and each is one dict lookup; the exact letters are
# chosen afterwards among the few words that share the skeleton.
_CLASS = {"ё": "е", "и": "н", "й": "н", "б": "о", "л": "п", "э": "з", "ъ": "ь"}
_CLASS_TABLE = str.maketrans(_CLASS)
_ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
#: the skeleton letters, for the search of a lost letter
_CLASS_LETTERS = "".join(sorted({_CLASS.get(c, c) for c in _ALPHABET}))
_CONSONANTS = frozenset("бвгджзклмнпрстфхцчшщ")

# unit -> [(skeleton of the reading, cheapest cost, {lexicon letters: (cost, output)})]
_Group = tuple[str, float, dict[str, tuple[float, str]]]
_Units = dict[str, tuple[tuple[str, tuple[_Group, ...]], ...]]
_BY_FIRST: _Units = {}
#: the same with the pre-1918 readings (``ѣ``, ``і``, word-final ``ъ``), for letters in the
#: old spelling only: in a modern letter they would turn ``стоить`` into ``стоитъ``
_BY_FIRST_OLD: _Units = {}
_PRE_1918 = frozenset({"ѣ", "і", "ъ"})


#: the least cost of a reading learned from real OCR (``scripts/learn_lookalikes.py``):
#: the seed's own readings, read by hand, stay first
_LEARNED_MIN_COST = 0.5


def _with_learned(readings: tuple[tuple[Any, ...], ...]) -> tuple[tuple[Any, ...], ...]:
    """``readings`` and the learned readings (:mod:`docparse._learned_readings`) that they
    do not have yet: other engines read Cyrillic their own way (Tesseract's English model
    reads И as u/U/M, Л as n/N, Д as g/A/f, Я as A/a), and the table is data learned from
    such an engine's output, not this module's guesses."""
    # lazy: a table of learned readings, wanted only where look-alike text is decoded
    from ._learned_readings import LEARNED_READINGS

    have = {(r[0], r[1]) for r in readings}
    extra = tuple((latin, cyr, max(_LEARNED_MIN_COST, cost)) for latin, cyr, cost in LEARNED_READINGS
                  if (latin, cyr) not in have)
    return readings + extra


def _index_readings(target: _Units, old: bool, readings: tuple[tuple[Any, ...], ...] = ()) -> None:
    grouped: dict[str, dict[str, dict[str, tuple[float, str]]]] = {}
    for latin, cyr, cost, *out in readings or _READINGS:
        if out and out[0] in _PRE_1918 and not old:
            continue
        skeleton = cyr.translate(_CLASS_TABLE)
        options = grouped.setdefault(latin, {}).setdefault(skeleton, {})
        spelled = out[0] if out else cyr
        if cyr not in options or options[cyr][0] > cost:
            options[cyr] = (float(cost), spelled)
    by_first: dict[str, list[tuple[str, tuple[_Group, ...]]]] = {}
    for latin, skeletons in grouped.items():
        groups = tuple(sorted(((sk, min(c for c, _ in opts.values()), opts)
                               for sk, opts in skeletons.items()), key=lambda g: g[1]))
        by_first.setdefault(latin[0], []).append((latin, groups))
    for first, units in by_first.items():
        # longer units first: ``5I`` before ``5``
        target[first] = tuple(sorted(units, key=lambda u: -len(u[0])))


#: the modern readings and those learned from real OCR, for a letter found look-alike by
#: :func:`mixed_case_lookalike` (another engine than the seed's): only there, so that the
#: seed's kind of text keeps its own readings ("MANP AD" stays Latin)
_BY_FIRST_LEARNED: _Units = {}
_index_readings(_BY_FIRST, old=False)
_index_readings(_BY_FIRST_OLD, old=True)
_index_readings(_BY_FIRST_LEARNED, old=False, readings=_with_learned(_READINGS))
#: the reading tables by the ``old`` argument of the decoding functions: 0 (False) modern,
#: 1 (True) pre-1918, 2 modern with the learned readings
_TABLES = (_BY_FIRST, _BY_FIRST_OLD, _BY_FIRST_LEARNED)
LEARNED = 2
# ``'b`` ending a word: the hard sign that pre-1918 spelling writes after final consonants
_OLD_SPELLING_SIGN = re.compile(r"(?<=[A-Za-z])'b(?![A-Za-z])")

# A look-alike word: letters, digits and the punctuation that the OCR makes of letters.
_CORE = re.compile(
    # multi-glyph readings come first: alternatives are tried in order
    r"""
    (?: ,[IDnr!](?=[A-Za-z0-9]) | 4\? | (?<![^\s(])\.S(?![a-z]) | (?<![^\s(])\)K
      | [A-Za-z0-9] )
    (?: ,[IDnr!] | (?<=[A-Za-z0-9])\.S | [mun];(?=[A-Za-z]) | \)K | 4\? | '[bI]
      | -(?=[A-Za-z0-9,]) | (?<=[A-Za-z])[.,](?=[a-z]) | (?<=[A-Za-z])\.(?=[A-Z]|\.(?!\.))
      | [A-Za-z0-9] )*
    """,
    re.VERBOSE,
)
_DIGITS = re.compile(r"[0-9]+")
_GUILLEMETS = re.compile(r"\(\(|\)\)")
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_ONE_LETTER_WORDS = frozenset("авиксуояж")
#: readings costlier than this in total are not explored (two or three rare readings)
_MAX_COST = 3.0
#: reading-cost budgets tried in turn, and the value that stops the search early
_BUDGETS = (1.0, 2.0, _MAX_COST)
_GOOD_VALUE = 3.5
#: at most this many skeletons are looked up per word (cheapest first)
_MAX_PATHS = 64
#: both parts of a word split in two (words the OCR ran together) must be at least this
#: common (Zipf scale: 3 = once per million words), or a rare unknown word gets cut into
#: two rare known ones
_SPLIT_MIN_ZIPF = 3.0
#: a best reading worth less than this (Zipf minus 1.5 x reading cost) is compared with the
#: repairs of a lost letter, a pre-1918 ending and two words run together
_WEAK_VALUE = 2.5
#: cost of a letter the OCR lost (``foCy,rap`` = государь), in reading-cost units
_LOST_LETTER_COST = 1.3
# Russian typography writes an ordinal's ending after a hyphen with one to three letters
# (``3-я``, ``5-го``, ``2-й``, ``1-ую``); a longer decoded ending is OCR noise before the
# real one.
_ORDINAL_ENDINGS = frozenset({"го", "му", "ми", "х", "м", "й", "я", "е", "ю", "ой", "ый", "ий",
                              "ую"})
# pre-1918 endings and the modern ending the lexicon has in their place (``хорошаго`` =
# хорошего, ``следующия`` = следующие); the old spelling is kept in the output
_OLD_ENDINGS = (("аго", "ого"), ("аго", "его"), ("яго", "его"), ("ыя", "ые"), ("ия", "ие"))

#: bump when the index layout or the skeleton classes change (names the disk cache)
_INDEX_FORMAT = 2


@attrs.frozen
class _Index:
    """Skeleton -> the most frequent words with that skeleton, with their Zipf frequency.

    ``best`` holds one ``(word, zipf)`` per skeleton (built at C speed by ``dict(zip())``);
    ``more`` the next few for the 3% of skeletons that several words share
    (``твой``/``твои``).
    """

    best: dict[str, tuple[str, float]]
    more: dict[str, list[tuple[str, float]]]
    #: log P(letter trigram) of the common words (see :func:`_count_trigrams`)
    trigrams: dict[str, float] = attrs.field(factory=dict)

    def words(self, skeleton: str) -> list[tuple[str, float]]:
        first = self.best.get(skeleton)
        if first is None:
            return []
        return [first, *self.more.get(skeleton, ())]

    def zipf(self, word: str) -> float:
        """The Zipf frequency of ``word`` (0 when wordfreq does not list it)."""
        word = word.replace("ё", "е")
        for w, z in self.words(word.translate(_CLASS_TABLE)):
            if w == word:
                return z
        return 0.0


def _cache_path() -> Path | None:
    """Where the built index is kept between runs: the user cache dir, named by the versions
    of wordfreq and of this index's layout (a new wordfreq gets a new file)."""
    import os
    from importlib.metadata import PackageNotFoundError, version

    try:
        wf = version("wordfreq")
    except PackageNotFoundError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    table = "".join(f"{k}{v}" for k, v in sorted(_CLASS.items()))
    tag = f"{wf}-{_INDEX_FORMAT}-{zlib.crc32(table.encode()):08x}"
    return Path(base) / "docparse" / f"cyrillic-index-{tag}.marshal"


def _build_index() -> _Index:
    """Build the skeleton index from wordfreq's Russian list (about 700,000 words).

    Everything runs at C speed (``str.translate`` on one joined string, ``dict(zip())``),
    except the few words that share a skeleton with a more frequent one.
    """
    import wordfreq

    buckets = wordfreq.get_frequency_list("ru")
    words = list(itertools.chain.from_iterable(buckets))
    # wordfreq's buckets are centibels: bucket i holds the words of Zipf 9 - i/100
    zipfs = list(itertools.chain.from_iterable(
        itertools.repeat(round(9.0 - i / 100.0, 2), len(b)) for i, b in enumerate(buckets)))
    words = "\n".join(words).replace("ё", "е").split("\n")
    keys = "\n".join(words).translate(_CLASS_TABLE).split("\n")
    # reversed: when several words share a skeleton, the most frequent is written last
    best = dict(zip(reversed(keys), zip(reversed(words), reversed(zipfs))))
    chosen = {w for w, _ in best.values()}
    more: dict[str, list[tuple[str, float]]] = {}
    for key, word, z in zip(keys, words, zipfs):
        if word in chosen:
            continue
        bucket = more.setdefault(key, [])
        if len(bucket) < 5 and best[key][0] != word:
            bucket.append((word, z))
    return _Index(best=best, more=more, trigrams=_count_trigrams(best))


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    """The skeleton index: read from the user cache when a matching file is there (about
    three times faster than building), else built and written there for the next run."""
    import marshal
    import os
    import tempfile

    path = _cache_path()
    if path is not None and path.is_file():
        try:
            best, more, trigrams = marshal.loads(path.read_bytes())
            return _Index(best=best, more=more, trigrams=trigrams)
        except (OSError, ValueError, EOFError, TypeError):
            pass  # a damaged or foreign file: rebuild it
    index = _build_index()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((index.best, index.more, index.trigrams)))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home: keep the index in memory only
    return index


@functools.lru_cache(maxsize=1)
def _morph() -> Any:
    """pymorphy3's analyser, loaded on first use (grammemes of decoded words, agreement)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@attrs.frozen
class _Reading:
    """The decoding of one look-alike word (lower-case), and what the lexicon says of it.

    ``alternatives`` are the other known readings that scored close to the best, as
    ``(text, value)``; the context pass may prefer one of them.
    """

    text: str
    known: bool
    confidence: float
    abbr: bool = False
    proper: bool = False
    value: float = 0.0
    alternatives: tuple[tuple[str, float], ...] = ()
    repaired: bool = False


_Seg = tuple[str, dict[str, tuple[float, str]]]


def _paths(core: str, budget: float = _MAX_COST, old: bool | int = False
           ) -> list[tuple[float, str, tuple[_Seg, ...]]]:
    """The cheapest readings of ``core`` as skeletons: ``(cost, skeleton, segments)``, each
    costing at most ``budget``.

    Each segment is one OCR unit's skeleton and the lexicon letters it may stand for. A
    word-final silent ``ъ`` (pre-1918) has an empty skeleton.
    """
    n = len(core)
    units = _TABLES[int(old)]
    out: list[tuple[float, str, tuple[_Seg, ...]]] = []
    # the cheapest cost of reading core[pos:], to cut paths that cannot end within budget
    rest = [0.0] * (n + 1)
    for pos in range(n - 1, -1, -1):
        rest[pos] = min((groups[0][1] + rest[pos + len(unit)]
                         for unit, groups in units.get(core[pos], ())
                         if core.startswith(unit, pos)), default=99.0)
    if rest[0] > budget:
        return out

    # depth-first, cheapest unit readings first, with an explicit stack (a word of
    # thousands of look-alike characters must not exhaust Python's recursion limit)
    stack: list[tuple[int, str, tuple[_Seg, ...], float, bool]] = [(0, "", (), 0.0, False)]
    while stack:
        pos, key, segs, cost, after_consonant = stack.pop()
        if pos == n:
            if key:
                out.append((cost, key, segs))
            continue
        if len(out) >= 4 * _MAX_PATHS:
            continue
        children: list[tuple[int, str, tuple[_Seg, ...], float, bool]] = []
        for unit, groups in units.get(core[pos], ()):
            if not core.startswith(unit, pos):
                continue
            end = pos + len(unit)
            for skeleton, c, opts in groups:
                if cost + c + rest[end] > budget:
                    break  # groups are sorted by cost
                if not skeleton and opts.get("", (0.0, ""))[1] == "ъ" and not (
                        end == n and after_consonant):
                    continue
                children.append((end, key + skeleton, (*segs, (skeleton, opts)), cost + c,
                                 bool(skeleton) and skeleton[-1] in _CONSONANTS))
        stack.extend(reversed(children))  # the first child is walked first

    out.sort(key=lambda p: p[0])
    return out[:_MAX_PATHS]


def _spell(word: str, segs: tuple[_Seg, ...]) -> tuple[float, str] | None:
    """The cost of reading ``word`` (lexicon spelling) along ``segs``, and its output
    spelling; None when a segment cannot stand for the letters there."""
    pos = 0
    cost = 0.0
    out = []
    for skeleton, opts in segs:
        piece = word[pos:pos + len(skeleton)]
        option = opts.get(piece)
        if option is None:
            return None
        cost += option[0]
        out.append(option[1])
        pos += len(skeleton)
    return cost, "".join(out)


#: at most this many spellings of an unknown word are compared by their letter trigrams
_MAX_GUESSES = 64
#: words at least this common (Zipf) teach the letter-trigram model
_TRIGRAM_MIN_ZIPF = 3.0


def _likeliest(segs: tuple[_Seg, ...]) -> str:
    """The likeliest spelling of a word that no lexicon knows (a rare name, a place, the
    writer's own spelling), read along ``segs``: where a glyph is ambiguous at no extra
    cost (``H`` = н/и, ``n`` = п/л), the letters are chosen by how Russian words go, by
    letter trigrams learnt from the common words of the lexicon (``CaBHmHbI`` -> ``савишны``,
    not ``савншны``; ``CTapOrna,IKOBcKa5I`` -> ``старогладковская``)."""
    spellings: list[tuple[str, str]] = [("", "")]
    for _, opts in segs:
        cheapest = min(c for c, _ in opts.values())
        choices = [(cyr, spelled) for cyr, (c, spelled) in opts.items() if c == cheapest]
        if len(spellings) * len(choices) > _MAX_GUESSES:
            choices = choices[:1]
        spellings = [(k + cyr, o + spelled) for k, o in spellings for cyr, spelled in choices]
    if len(spellings) == 1:
        return spellings[0][1]
    model = _trigrams()
    return max(spellings, key=lambda ks: _trigram_score(ks[0], model))[1]


def _trigram_score(word: str, model: dict[str, float]) -> float:
    padded = f"^{word}$"
    floor = model[""]
    return sum(model.get(padded[i:i + 3], floor) for i in range(len(padded) - 2))


def _trigrams() -> dict[str, float]:
    """The letter-trigram model, kept with the skeleton index (and in its disk cache)."""
    return _index().trigrams


def _count_trigrams(best: dict[str, tuple[str, float]]) -> dict[str, float]:
    """log P(trigram) over the letters of the common words of the lexicon (word starts
    and ends marked), with ``""`` holding the value of an unseen trigram."""
    from collections import Counter

    # one string "^word$^word$..." counted at C speed; the trigrams across two words
    # ("$^x", "x$^") are never asked for
    text = "^" + "$^".join(w for w, z in best.values() if z >= _TRIGRAM_MIN_ZIPF) + "$"
    counts = Counter(map("".join, zip(text, text[1:], text[2:])))
    total = sum(counts.values()) + 1
    model = {t: math.log(c / total) for t, c in counts.items()}
    model[""] = math.log(0.1 / total)
    return model


def _plain(segs: tuple[_Seg, ...]) -> str:
    """The cheapest reading of a path's segments, ignoring the lexicon."""
    return "".join(min(opts.values(), key=lambda o: o[0])[1] for _, opts in segs)


def _candidates(paths: list[tuple[float, str, tuple[_Seg, ...]]]) -> dict[str, tuple[float, str]]:
    """Known readings along ``paths``: output spelling -> (value, lexicon word). The value is
    the word's Zipf frequency minus 1.5 x the cost of its glyph readings.

    Words come from the skeleton index (wordfreq) and, when that finds no common word, from
    pymorphy3's dictionary, which knows every inflected form (``посылаемой``): its DAWG
    lists the words with a given skeleton in one call (``similar_keys``), counted as rare
    (Zipf 1) when wordfreq does not list them.
    """
    index = _index()
    found: dict[str, tuple[float, str]] = {}

    def offer(word: str, z: float, segs: tuple[_Seg, ...]) -> None:
        spelled = _spell(word, segs)
        if spelled is not None:
            value = z - 1.5 * spelled[0]
            if spelled[1] not in found or value > found[spelled[1]][0]:
                found[spelled[1]] = (value, word)

    words, replaces = _dictionary()
    for _, key, segs in paths:
        for word, z in index.words(key):
            if z < _TRUSTED_ZIPF and word not in words and word.replace("е", "ё") not in words:
                z -= 1.0  # a rare word the grammar dictionary does not know: often a typo
            offer(word, z, segs)
    if max((v for v, _ in found.values()), default=-99.0) < _GOOD_VALUE:
        for _, key, segs in paths[:_DICTIONARY_PATHS]:
            for word in words.similar_keys(key, replaces):
                word = word.replace("ё", "е")
                offer(word, index.zipf(word) or _DICTIONARY_ZIPF, segs)
    return found


#: skeletons looked up in pymorphy3's dictionary per word (the cheapest ones)
_DICTIONARY_PATHS = 8
#: the Zipf frequency given to a form pymorphy3 knows and wordfreq does not (a rare
#: inflection), and the one above which wordfreq is trusted without pymorphy3
_DICTIONARY_ZIPF = 1.5
_TRUSTED_ZIPF = 3.0


def _in_dictionary(word: str) -> bool:
    """Whether pymorphy3's dictionary knows ``word`` (with ``е`` or ``ё``)."""
    return bool(_grammemes(word) or _grammemes_yo(word))


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[Any, Any]:
    """pymorphy3's word DAWG and the replaces table that turns a skeleton lookup into a
    search over every spelling of the skeleton (``н`` -> н, и, й; ``о`` -> о, б, ...)."""
    words = _morph().dictionary.words
    members: dict[str, list[str]] = {}
    for letter, skeleton in _CLASS.items():
        members.setdefault(skeleton, []).append(letter)
    return words, words.compile_replaces(members)


def _repairs(paths: list[tuple[float, str, tuple[_Seg, ...]]], split: bool) -> dict[str, tuple[float, str]]:
    """Readings of a word that the plain lookup does not explain, tried when it finds no
    common word: a letter the OCR lost (``foCy,rap`` -> ``государь``), a pre-1918 ending
    (``cne,rYlOm;H.S`` -> ``следующия``, looked up as ``следующие``), and two words run
    together (``HMeIOtIeCTb`` -> ``имею честь``)."""
    index = _index()
    found: dict[str, tuple[float, str]] = {}

    def offer(text: str, value: float, word: str) -> None:
        if text not in found or value > found[text][0]:
            found[text] = (value, word)

    best = index.best
    for _, key, segs in paths[:2]:
        # a pre-1918 ending
        for old, new in _OLD_ENDINGS:
            old_key, new_key = old.translate(_CLASS_TABLE), new.translate(_CLASS_TABLE)
            if key.endswith(old_key):
                for word, z in index.words(key[: -len(old_key)] + new_key):
                    if not word.endswith(new):
                        continue
                    spelled = _spell(word[: -len(new)] + old, segs)
                    if spelled is not None:
                        offer(spelled[1], z - 1.5 * (spelled[0] + 0.5), word)
        # one lost letter, at a segment boundary
        bounds = [0]
        for skeleton, _ in segs:
            bounds.append(bounds[-1] + len(skeleton))
        for b in bounds:
            head, tail = key[:b], key[b:]
            for letter in _CLASS_LETTERS:
                if head + letter + tail not in best:
                    continue
                for word, z in index.words(head + letter + tail):
                    spelled = _spell(word[:b] + word[b + 1:], segs)
                    if spelled is not None:
                        text = spelled[1][:b] + word[b] + spelled[1][b:]
                        offer(text, z - 1.5 * (spelled[0] + _LOST_LETTER_COST),
                              word)
        # two words run together (only when no single word reads it: a rare word is more
        # likely than two words run together)
        for b in bounds[1:-1] if split else ():
            if key[:b] not in best or key[b:] not in best:
                continue
            # a one-letter part must be a one-letter word (``caMoJIIOoHeH`` = самолюбие и)
            one = 1 if b == 1 or b == len(key) - 1 else 0
            left, right = index.words(key[:b]), index.words(key[b:])
            if not left or not right:
                continue
            lsegs, rsegs = _cut(segs, b)
            if lsegs is None or rsegs is None:
                continue
            for lw, lz in left[:3]:
                ls = _spell(lw, lsegs)
                if ls is None or lz < _SPLIT_MIN_ZIPF or (len(lw) == 1 and lw not in _ONE_LETTER_WORDS):
                    continue
                for rw, rz in right[:3]:
                    rs = _spell(rw, rsegs)
                    if rs is None or rz < _SPLIT_MIN_ZIPF or (
                            len(rw) == 1 and rw not in _ONE_LETTER_WORDS):
                        continue
                    value = min(lz, rz) - 1.5 * (ls[0] + rs[0] + 1.5 + 0.5 * one)
                    offer(ls[1] + " " + rs[1], value, lw + " " + rw)
    return found


def _cut(segs: tuple[_Seg, ...], at: int) -> tuple[tuple[_Seg, ...] | None, tuple[_Seg, ...] | None]:
    """Split ``segs`` at skeleton offset ``at`` (None when a segment straddles it)."""
    pos = 0
    for i, (skeleton, _) in enumerate(segs):
        if pos == at:
            return segs[:i], segs[i:]
        pos += len(skeleton)
    return None, None


#: longer than any look-alike word, even two run together (the longest Russian words are
#: about 35 letters, some read from two glyphs each): a token this long is not read, since
#: the search of its readings grows as the square of its length (a line of 100,000 X's
#: hung the parse; found by scripts/fuzz.py; the corpus's longest token is 40 characters)
_LONGEST_CORE = 200


@functools.lru_cache(maxsize=200_000)
def _decode_word(core: str, old: bool | int = False) -> _Reading | None:
    """Decode one look-alike word (no hyphen) to lower-case Cyrillic; None if it is not one.

    The word's cheapest skeletons are looked up in the index; each word found is read along
    the OCR glyphs and ranked by its frequency (wordfreq's Zipf scale, 0..8) minus 1.5 x the
    cost of its glyph readings. When nothing common is found, a lost letter, a pre-1918
    ending and two words run together are tried (:func:`_repairs`).
    ``"TpY,IHOCTH"`` -> ``"трудности"``; ``"HaC"`` -> ``"нас"`` (not ``"иас"``).
    """
    if _DIGITS.fullmatch(core) or len(core) > _LONGEST_CORE:
        return None
    # Cheap readings first: most words are a common word read with usual glyphs, and the
    # costly readings multiply the skeletons to look up.
    for budget in _BUDGETS:
        paths = _paths(core, budget, old)
        found = _candidates(paths)
        best_value = max((v for v, _ in found.values()), default=-99.0)
        if best_value >= _GOOD_VALUE:
            break
    if not paths:
        return None
    repaired: set[str] = set()
    if best_value < _WEAK_VALUE and len(core) >= 3:
        for text, (value, word) in _repairs(paths, split=not found).items():
            if text not in found or value > found[text][0]:
                found[text] = (value, word)
                repaired.add(text)
    if not found:
        return _Reading(text=_likeliest(paths[0][2]), known=False, confidence=0.3)
    ranked = sorted(found.items(), key=lambda kv: -kv[1][0])
    if len(ranked) > 1 and _LOWER.search(core) and _is_abbreviation(ranked[0][1][1]):
        # abbreviations are written in capitals: a word with lower-case glyphs is rather
        # an ordinary word (``oo0`` = обо, not ООО)
        ranked = sorted(found.items(), key=lambda kv: -(
            kv[1][0] - (_ABBR_PENALTY if _is_abbreviation(kv[1][1]) else 0.0)))
    text, (value, form) = ranked[0]
    margin = value - ranked[1][1][0] if len(ranked) > 1 else 3.0
    confidence = round(min(0.99, 0.55 + 0.15 * margin + 0.03 * max(value, 0.0)), 3)
    confidence = max(confidence, 0.35)
    abbr = proper = False
    if " " not in form:
        tags = _grammemes(form)
        abbr = bool(tags) and all("Abbr" in t for t in tags)
        proper = bool(tags) and all(_PROPER & t for t in tags)
    alternatives = tuple((t, v) for t, (v, _) in ranked[1:4] if v > value - 4.0)
    return _Reading(text=text, known=True, confidence=confidence, abbr=abbr, proper=proper,
                    value=value, alternatives=alternatives, repaired=text in repaired)


#: lower-case glyphs that the OCR also makes in capitals (``b`` = ь has no capital reading)
_LOWER = re.compile(r"[ac-z]")
#: how much less a reading is worth as an abbreviation when the OCR wrote it in lower case
_ABBR_PENALTY = 2.0


def _is_abbreviation(form: str) -> bool:
    """Whether every dictionary analysis of ``form`` is an abbreviation (``ООО``, ``г``)."""
    if " " in form:
        return False
    tags = _grammemes(form)
    return bool(tags) and all("Abbr" in t for t in tags)


@functools.lru_cache(maxsize=50_000)
def _grammemes(form: str) -> list[frozenset[str]]:
    """The grammemes of every dictionary analysis of ``form`` (exact spelling), read straight
    from pymorphy3's DAWG (``MorphAnalyzer.parse`` would redo the ё-tolerant search and
    costs ten times more)."""
    dictionary = _morph().dictionary
    out = []
    for para_id, idx in dictionary.words.get(form) or ():
        tag = dictionary.build_tag_info(para_id, idx)
        out.append(frozenset(tag.grammemes))
    return out


# --------------------------------------------------------------------------------------------
# Context: agreement of adjectives with their nouns
# --------------------------------------------------------------------------------------------

_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2"})
_GENDERS = frozenset({"masc", "femn", "neut"})
_ADJECTIVAL = frozenset({"ADJF", "PRTF"})
_NOMINAL = frozenset({"NOUN", "ADJF", "PRTF", "NPRO"})


def _analyses(word: str) -> list[frozenset[str]]:
    """The grammemes of every analysis of ``word`` (modern or pre-1918 spelling)."""
    modern = word.replace("ѣ", "е").replace("і", "и")
    modern = modern.removesuffix("ъ")
    return _grammemes(modern) + _grammemes_yo(modern)


@functools.lru_cache(maxsize=50_000)
def _grammemes_yo(form: str) -> list[frozenset[str]]:
    """The grammemes of ``form`` read with any of its ``е`` as ``ё`` (the lexicon writes
    ``вперёд``, ``убеждён``; texts and wordfreq mostly write ``е``)."""
    if "е" not in form:
        return []
    morph = _morph()
    dictionary = morph.dictionary
    out = []
    for spelled, items in dictionary.words.similar_items(form, morph.char_substitutes):
        if spelled == form:
            continue  # the plain spelling: _grammemes has it
        for para_id, idx in items:
            out.append(frozenset(dictionary.build_tag_info(para_id, idx).grammemes))
    return out


def _agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two analyses agree as adjective + noun (or adjective + adjective): same case and
    number, and the same gender in the singular (``ms-f`` nouns go with either)."""
    if not (a & _ADJECTIVAL and b & _NOMINAL):
        return False
    if not (a & b & _CASES) or not ({"sing", "plur"} & a & b):
        return False
    if "sing" in a and "sing" in b:
        ga, gb = a & _GENDERS, b & _GENDERS
        if ga and gb and not (ga & gb) and "ms-f" not in b:
            return False
    return True


def _agrees_with(word: str, neighbour: str) -> bool:
    # abbreviations (``в`` = вольт, indeclinable) would agree with anything
    return any(_agree(a, b) for a in _analyses(word) if "Abbr" not in a
               for b in _analyses(neighbour) if "Abbr" not in b)


def _by_context(words: list[_Word], text: str) -> list[_Word]:
    """Choose between close readings of a word by agreement with its neighbours: an
    adjective takes the case, number and gender of the noun next to it (``MHn0cTHBbIM
    foCy,rap`` -> ``милостивый государь``, not ``милостивым``; ``TB0H ,IoJlr`` -> ``твой
    долг``). Only readings that the lexicon scored within a narrow margin compete."""
    out = list(words)
    for i, w in enumerate(words):
        r = w.reading
        if r is None or not r.alternatives or not r.known:
            continue
        close = [(t, v) for t, v in r.alternatives if v >= r.value - 3.0 and len(t) == len(r.text)
                 and " " not in t]
        if not close:
            continue
        if not any(_ADJECTIVAL & t for t in _analyses(r.text)):
            # a noun: the adjective right before it chooses its case and number
            # (``pe,IKHX H3,IaHHH`` -> ``редких изданий``, not ``редких издании``)
            left = _left_adjective(words, i, text)
            if left is not None and not _agrees_with(left, r.text):
                for t, _ in close:
                    if any("NOUN" in a for a in _analyses(t)) and _agrees_with(left, t):
                        out[i] = attrs.evolve(w, reading=attrs.evolve(r, text=t, confidence=0.6))
                        break
            continue
        # a preposition or conjunction is no noun to agree with (``из`` is also a rare name)
        neighbours = [n for n in _neighbours(words, i, text)
                      if not any(_FUNCTION_WORDS & t for t in _analyses(n))]
        if not neighbours or any(_agrees_with(r.text, n) for n in neighbours):
            continue
        for t, _ in close:
            if any(_ADJECTIVAL & a for a in _analyses(t)) and any(
                    _agrees_with(t, n) for n in neighbours):
                out[i] = attrs.evolve(w, reading=attrs.evolve(r, text=t, confidence=0.6))
                break
    return out


_LINKS = frozenset({"и", "или"})
_FUNCTION_WORDS = frozenset({"PREP", "CONJ", "PRCL"})


def _left_adjective(words: list[_Word], i: int, text: str) -> str | None:
    """The decoded word right before word ``i`` (spaces between only) when it can be an
    adjective or participle (full form), else None."""
    if i == 0 or text[words[i - 1].end:words[i].start].strip():
        return None
    r = words[i - 1].reading
    if r is None or not r.known or " " in r.text:
        return None
    tags = [t for t in _analyses(r.text) if "Abbr" not in t]
    if not any(_ADJECTIVAL & t for t in tags):
        return None
    return r.text


def _neighbours(words: list[_Word], i: int, text: str) -> list[str]:
    """The decoded words right before and after word ``i`` (across a line break, and past
    ``и``/``или``), when nothing but spaces separates them."""
    found = []
    for step in (1, -1):
        cur, j = i, i + step
        while 0 <= j < len(words):
            lo, hi = (words[cur], words[j]) if step > 0 else (words[j], words[cur])
            if text[lo.end:hi.start].strip():
                break
            r = words[j].reading
            if r is None or not r.known:
                break
            if r.text in _LINKS:
                cur, j = j, j + step
                continue
            found.append(r.text)
            break
    return found


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


def _decode_token(core: str, old: bool | int = False) -> list[tuple[int, int, _Reading | None]]:
    """Split a core at real hyphens and decode each part. A ``-`` after ``y`` is usually the
    OCR's reading of ``уч`` (``y-aCTHHKH`` = участники), but may be a hyphen (``KOMY-TO`` =
    кому-то): it splits only when the whole is no known word and both parts are.

    A full stop between letters is the OCR's ``.S`` = я that lost its ``S`` (``Bc.KOM`` =
    всяком, ``yCnOBH.X`` = условиях), and a comma before a lower-case letter its ``,I`` = д
    that lost its ``I`` (``BH,e`` = виде), when the word read so is known; otherwise they
    are punctuation before a lost space (``T.e.``, initials), and the core splits there."""
    parts: list[tuple[int, int]] = []
    pos = 0
    for m in _SEPARATORS.finditer(core):
        if m.group() in ".,":
            # not after one letter: initials and abbreviations (``Jl.H.``, ``T.e.``)
            left = _decode_word(core[pos:m.start()], old)
            whole = _decode_word(core[pos:_next_hyphen(core, m.end())], old)
            if (left is not None and len(left.text) > 1 and whole is not None and whole.known
                    and not whole.repaired and " " not in whole.text):
                continue
        elif m.start() > 0 and core[m.start() - 1] in "yY":
            whole = _decode_word(core[pos:_next_hyphen(core, m.end())], old)
            left = _decode_word(core[pos:m.start()], old)
            right = _decode_word(core[m.end():_next_hyphen(core, m.end())], old)
            if (whole is not None and whole.known) or not (
                    left is not None and left.known and right is not None and right.known):
                continue
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(core)))
    out: list[tuple[int, int, _Reading | None]] = []
    roman = len(parts) > 1 and bool(_ROMAN.fullmatch(core[parts[0][0]:parts[0][1]]))
    for i, (a, b) in enumerate(parts):
        if i > 0 and b > a and (_DIGITS.fullmatch(core[parts[i - 1][0]:parts[i - 1][1]])
                                or (i == 1 and roman)):
            reading = _ordinal_ending(core[a:b]) if b - a <= 4 else _decode_word(core[a:b], old)
        elif i == 0 and roman and b - a <= 4 and _ordinal_ending(core[parts[1][0]:parts[1][1]]):
            reading = None  # a Roman numeral with its ending (``I-I`` = I-ю, ``XIX-ro``)
        else:
            reading = _decode_word(core[a:b], old) if b > a else None
        out.append((a, b, reading))
    return out


_SEPARATORS = re.compile(r"-|\.(?!S)|,(?![IDnr!])")


_ROMAN = re.compile(r"[IVX]+")


def _next_hyphen(core: str, start: int) -> int:
    """Where the next part of ``core`` ends (a hyphen or a lone full stop), from ``start``."""
    m = _SEPARATORS.search(core, start)
    return len(core) if m is None else m.start()


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
        for unit, groups in _BY_FIRST.get(core[pos], ()):
            if core.startswith(unit, pos):
                for _, _, opts in groups:
                    for cyr, (c, spelled) in opts.items():
                        if cyr and spelled == cyr:
                            walk(pos + len(unit), text + cyr, cost + c)

    walk(0, "", 0.0)
    return out


def decode_edits(text: str, threshold: float = DEFAULT_THRESHOLD, *, every_line: bool = False) -> list[Edit]:
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

    ``every_line``: decode every line, whatever its score (for a text already known to be
    look-alike as a whole, e.g. by :func:`mixed_case_lookalike`).
    """
    edits: list[Edit] = []
    words: list[_Word] = []
    old: bool | int = len(_OLD_SPELLING_SIGN.findall(text)) >= 2
    if every_line and not old:
        old = LEARNED  # another engine's readings (the learned table)
    spans = ([(a, b) for a, b, _ in split_lines(text)] if every_line
             else _lookalike_lines(text, threshold))
    for a, b in spans:
        line = text[a:b]
        line_words: list[_Word] = []
        for m in _CORE.finditer(line):
            core = m.group()
            if m.start() > 0 and line[m.start() - 1].isalnum():
                continue  # glued to a letter the core pattern refused: not a word of ours
            if _is_postscript(line, m.start(), core):
                continue
            for pa, pb, reading in _decode_token(core, old):
                line_words.append(_Word(a + m.start() + pa, a + m.start() + pb, core[pa:pb],
                                        reading))
        words += _join_split_words(text, line_words, old)
        for m in _GUILLEMETS.finditer(line):
            mark = "«" if m.group() == "((" else "»"
            edits.append(Edit(a + m.start(), a + m.end(), m.group(), mark, 0.9,
                              "cyrillic-lookalike:guillemet"))
    words = _initials(_digit_prepositions(_lone_ya(_by_context(words, text), text,
                                                   ("5", "A", "a") if old == LEARNED else ("5",)),
                                          text), text)
    for w in words:
        if w.reading is None:
            continue
        after = _cased(w.reading, w.core, text, w.start)
        if after != w.core:
            edits.append(Edit(w.start, w.end, w.core, after, w.reading.confidence,
                              "cyrillic-lookalike"))
    edits.sort(key=lambda e: e.start)
    return edits


_POSTSCRIPT = re.compile(r"[Pp]\.\s?S\b")


def _is_postscript(line: str, start: int, core: str) -> bool:
    """``P. S.`` is written in Latin letters in Russian letters too: keep it."""
    return core in ("P", "p", "S") and bool(
        _POSTSCRIPT.match(line, start) or _POSTSCRIPT.match(line, max(0, start - 3)))


_YA = _Reading(text="я", known=True, confidence=0.6)
# what may follow the pronoun я: a verb, a short adjective or participle (``я уверен``), an
# adverb; a number is followed by a noun (``5 лет``) instead
_AFTER_YA = frozenset({"VERB", "ADJS", "PRTS", "ADVB", "PRED"})


def _lone_ya(words: list[_Word], text: str, cores: tuple[str, ...] = ("5",)) -> list[_Word]:
    """Read a lone ``5`` as the pronoun ``я`` (the OCR's ``5I`` that lost its ``I``) when
    the next word is a verb in the first person singular, a short adjective or participle or
    an adverb: ``5 YBepeH`` -> ``я уверен``, while ``5 JIeT`` stays ``5 лет``."""
    out = list(words)
    for i, w in enumerate(words):
        if w.core not in cores or i + 1 >= len(words):
            continue
        before = text[max(0, w.start - 1):w.start]
        nxt = words[i + 1].reading
        if before.isdigit() or nxt is None or not nxt.known or " " in nxt.text:
            continue
        if text[w.end:words[i + 1].start].strip():
            continue  # ``5.``, ``5,``: a number
        tags = _analyses(nxt.text)
        if tags and any(_AFTER_YA & t and not ({"VERB"} & t and not {"1per", "past"} & t)
                        for t in tags) and not any("NOUN" in t or "NUMR" in t for t in tags):
            out[i] = attrs.evolve(w, reading=_YA)
    return out


#: a number that is the OCR's reading of a preposition (``0`` = о, ``110`` = по), and the
#: case its next word must be able to take
_DIGIT_PREPOSITIONS = {"0": ("о", "loct"), "110": ("по", "datv")}


def _digit_prepositions(words: list[_Word], text: str) -> list[_Word]:
    """Read ``0`` as the preposition ``о`` and ``110`` as ``по`` (the OCR's readings of
    ``о`` and ``п``+``о``) between words, when the next word is a known word that can
    stand in the case the preposition governs and is no numeral:
    ``0 HeBbIIIOJlHeHHH`` -> ``о невыполнении``, ``110 BOllpocaM`` -> ``по вопросам``,
    while ``0 rpa,nyCOB`` (0 градусов) stays a number."""
    out = list(words)
    for i, w in enumerate(words):
        if w.core not in _DIGIT_PREPOSITIONS or w.reading is not None or i + 1 >= len(words):
            continue
        before = text[max(0, w.start - 2):w.start]
        if any(c.isdigit() or c in ".,:/-" for c in before) or text[w.end:w.end + 1] != " ":
            continue
        if text[w.end:words[i + 1].start].strip():
            continue  # ``0,5``, ``0.``: a number
        nxt = words[i + 1].reading
        if nxt is None or not nxt.known or " " in nxt.text or not nxt.text.isalpha():
            continue
        prep, case = _DIGIT_PREPOSITIONS[w.core]
        tags = _analyses(nxt.text)
        if tags and any(case in t for t in tags) and not any("NUMR" in t for t in tags):
            out[i] = attrs.evolve(w, reading=_Reading(text=prep, known=True, confidence=0.7))
    return out


def _initials(words: list[_Word], text: str) -> list[_Word]:
    """A capital ``H`` followed by a full stop is the initial ``Н.`` (a capital ``И`` comes
    out as ``I1``), and initials are written in capitals: ``Jl. H. TOJICToH`` ->
    ``Л. Н. Толстой``."""
    out = list(words)
    for i, w in enumerate(words):
        r = w.reading
        if r is None or len(r.text) != 1 or not _dot_after(text, w.end):
            continue
        prev_initial = i > 0 and _is_initial(words[i - 1], text)
        next_initial = i + 1 < len(words) and _is_initial(words[i + 1], text)
        if not (prev_initial or next_initial):
            continue
        pair = {words[j].reading.text for j in (i - 1, i + 1)  # type: ignore[union-attr]
                if 0 <= j < len(words) and _is_initial(words[j], text)}
        if any(p + r.text in _ABBREVIATIONS or r.text + p in _ABBREVIATIONS for p in pair):
            continue
        letter = "н" if w.core == "H" else r.text
        out[i] = attrs.evolve(w, reading=attrs.evolve(r, text=letter, proper=True))
        if i + 1 < len(words) and not next_initial:
            # the surname after the initials (``Толстой``, also an adjective): among the
            # close readings, a surname, in the nominative when one is (a signature, a
            # name in a list: ``f. n . T0JCToM`` -> ``Г. Л. Толстой``, not ``Толстом``)
            v = words[i + 1]
            r = v.reading
            if r is None or not r.known:
                continue
            close = (r.text, *(t for t, val in r.alternatives if val >= r.value - 1.0
                               and len(t) == len(r.text) and " " not in t))
            surnames = [t for t in close if any("Surn" in a for a in _analyses(t))]
            nominative = [t for t in surnames
                          if any("Surn" in a and "nomn" in a for a in _analyses(t))]
            if surnames:
                t = (nominative or surnames)[0]
                out[i + 1] = attrs.evolve(v, reading=attrs.evolve(r, text=t, proper=True))
    return out


# pairs of one-letter abbreviations that are not initials (``т. е.``, ``и т. д.``)
_ABBREVIATIONS = frozenset({"те", "тд", "тп", "тк", "тн", "пс"})


def _is_initial(w: _Word, text: str) -> bool:
    return (w.reading is not None and len(w.reading.text) == 1
            and _dot_after(text, w.end) and w.reading.text.isalpha())


def _dot_after(text: str, end: int) -> bool:
    """A full stop right after ``end``, or after one space (the OCR's space before
    punctuation: ``f. n . T0JCToM``)."""
    return text[end:end + 1] == "." or text[end:end + 2] == " ."


def _join_split_words(text: str, words: list[_Word], old: bool | int = False) -> list[_Word]:
    """Join two neighbouring words separated by one space when their concatenation is a known
    word and the pair does not read as two words: one of them is not a known word
    (``K OMHCCHH`` -> ``комиссии``), a single letter that is no one-letter word, or a
    one-letter preposition before a word it cannot govern (``O KaJaJlC5I`` -> ``оказался``).
    A single letter that begins a word split after its first letter joins the word after
    it rather than the one before (``H II pOCTOe`` -> ``и простое``)."""
    out: list[_Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        after = words[i + 2] if i + 2 < len(words) else None
        before = out[-1] if out and out[-1].end + 1 == w.start else None
        if i + 1 < len(words) and _may_join(text, w, words[i + 1], after, before):
            v = words[i + 1]
            later = _joined(text, v, words[i + 2], old) if (
                i + 2 < len(words) and len(v.reading.text) == 1  # type: ignore[union-attr]
                and _may_join(text, v, words[i + 2])) else None
            joined = None if later is not None else _joined(text, w, v, old)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
        out.append(w)
        i += 1
    return out


def _may_join(text: str, w: _Word, v: _Word, after: _Word | None = None,
              before: _Word | None = None) -> bool:
    """Whether ``w`` and ``v`` (one space apart) may be the two halves of one word (an
    enclitic particle right after a one-letter conjunction cannot be: ``H JIH`` = или); ``after``
    is the word after ``v``: a one-letter preposition ``v`` that cannot govern it is rather
    the last letter of ``w`` (``3T O ObIJIO`` -> ``это было``); ``before`` the word before
    ``w``: a preposition is never followed by a conjunction (``H3 H HX`` = из них)."""
    if w.reading is None or v.reading is None or v.start != w.end + 1 or text[w.end] != " ":
        return False
    if text[w.start - 1:w.start] == "-" and (text[w.start - 2:w.start - 1].isdigit()
                                            or text[w.start - 2:w.start - 1] in ("I", "V", "X")):
        return False  # the ending of a numeral (``56-H`` = 56-й)
    a, b = w.reading, v.reading
    return (not a.known or not b.known or a.repaired or b.repaired or _not_a_word(a.text)
            # an initial or an abbreviation (``r. JI.``, ``r-HY``) is no split piece
            or (_not_a_word(b.text) and text[v.end:v.end + 1] not in (".", "-"))
            or _ungoverned(a.text, b.text)
            or (a.text in _CONJUNCTIONS and b.text in _ENCLITICS)
            or (a.text in _CONJUNCTIONS and before is not None and _is_preposition(before))
            or (after is not None and after.reading is not None and after.reading.known
                and after.start == v.end + 1 and _ungoverned(b.text, after.reading.text)))


def _joined(text: str, w: _Word, v: _Word, old: bool | int) -> _Word | None:
    """``w`` and ``v`` as one word, when that reads as a known word."""
    joined = _decode_word(w.core + v.core, old)
    if (joined is None or not joined.known or joined.repaired or " " in joined.text
            or joined.value <= 0.0):
        return None  # value <= 0: a rare word read with costly glyphs (``нибудб``)
    return _Word(w.start, v.end, text[w.start:v.end], joined)


# one-letter conjunctions, and the particles that never follow them (they lean on the
# stressed word before them: ``знаешь ли``, ``он же``)
_CONJUNCTIONS = frozenset({"и", "а"})
_ENCLITICS = frozenset({"ли", "ль", "же", "бы"})


def _is_preposition(w: _Word) -> bool:
    """Whether ``w`` reads as a word that can only be a preposition (``из``, ``к``)."""
    if w.reading is None or not w.reading.known or " " in w.reading.text:
        return False
    tags = [t for t in _analyses(w.reading.text) if "Abbr" not in t and "Name" not in t]
    return bool(tags) and all("PREP" in t for t in tags)


def _not_a_word(text: str) -> bool:
    """A single letter that is no Russian one-letter word (``е``, ``л``): a split piece."""
    return len(text) == 1 and text not in _ONE_LETTER_WORDS


# The cases each one-letter preposition governs (Russian grammar, not a word list): a word
# after it in none of them, or no noun-like word at all (a verb, a particle, another
# preposition), cannot follow it, so ``O KaJaJlC5I`` is one word split after its first
# letter (``оказался``), as are ``c BX3b`` (связь) and ``B o`` (во).
_GOVERNS = {
    "в": frozenset({"accs", "acc2", "loct", "loc2"}),
    "с": frozenset({"gent", "gen2", "ablt"}),
    "к": frozenset({"datv"}),
    "о": frozenset({"loct", "loc2", "accs"}),
    "у": frozenset({"gent", "gen2"}),
}
_GOVERNED = frozenset({"NOUN", "ADJF", "PRTF", "NPRO", "NUMR"})


def _ungoverned(prep: str, word: str) -> bool:
    """Whether ``word`` cannot follow the one-letter preposition ``prep`` (see _GOVERNS)."""
    cases = _GOVERNS.get(prep)
    if cases is None or " " in word:
        return False
    tags = [t for t in _analyses(word) if "Abbr" not in t]
    if not tags:
        return False  # a word the grammar does not know: no evidence
    return not any(t & _GOVERNED and t & cases for t in tags)


def decode(text: str, threshold: float = DEFAULT_THRESHOLD) -> str:
    """``text`` with :func:`decode_edits` applied: ``"MbI COrJlaCHbI"`` -> ``"Мы согласны"``."""

    return apply_edits(text, decode_edits(text, threshold))
