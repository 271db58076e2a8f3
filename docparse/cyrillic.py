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

import math
import re

__all__ = ["lookalike_score", "is_lookalike_text", "DEFAULT_THRESHOLD"]

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
