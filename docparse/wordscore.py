"""Word-level scoring of OCR repair, the way the ICDAR post-OCR competitions do it.

A text is reduced to its words (runs of letters, lower-cased, ``ё`` read as ``е``;
digits and punctuation are not words), so spacing and punctuation repairs only count
when they change words ("wish ." -> "wish." changes nothing; "beenvery" -> "been very"
turns one wrong word into two right ones).

``score(damaged, repaired, clean)`` compares both the damaged input and the repaired
output with the clean text and keeps *counts*, so the scores of many letters add up
(``sum(scores, Scores())``) and the rates are computed from the totals:

* word accuracy: share of clean words reproduced exactly, found by aligning the word
  lists with :class:`difflib.SequenceMatcher` (longest matching blocks);
* word error rate: word-level Levenshtein distance / number of clean words;
* relative reduction: ``(wer_before - wer_after) / wer_before``;
* new errors: clean words that the damaged text had right and the repair broke, each
  with the damaged reading, the repaired reading, the clean word and some context.

Example::

    >>> s = score("the wecome letter", "the welcome letter", "the welcome letter")
    >>> (s.correct_before, s.correct_after, s.clean_words)
    (2, 3, 3)
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence

import attrs
import regex
from rapidfuzz.distance import Levenshtein

__all__ = ["NewError", "Scores", "completions", "count_words", "score", "words"]

# A word is a run of letters (any script); marks (\p{M}) stay inside the word so that
# decomposed accents do not split it.  Digits, apostrophes and hyphens end a word.
_WORD_RE = regex.compile(r"\p{L}[\p{L}\p{M}]*")
# ASCII text: its letters are a-z once lower-cased, and it has no marks. With every other
# character made a space, its whitespace-split tokens are exactly the runs [a-z]+ of the
# lower-cased text (str.translate + str.split: about twice as fast as re.findall)
_ASCII_NON_LETTERS = str.maketrans({i: " " for i in range(128) if not 97 <= i <= 122})
_CONTEXT_WORDS = 3


def words(text: str) -> list[str]:
    """Return the words of ``text``: runs of letters, lower-cased, with ``ё`` read as ``е``.

    ``"Hello, Wodd! 2004 Ёлка"`` -> ``["hello", "wodd", "елка"]``.
    """
    if text.isascii():
        # the same words as the pattern below, several times faster
        return text.lower().translate(_ASCII_NON_LETTERS).split()
    found = _WORD_RE.findall(text.lower())
    if "ё" in text or "Ё" in text:
        return [w.replace("ё", "е") for w in found]
    return found


#: bytes.translate table: ASCII letters -> "a", every other byte -> " "
_LETTER_AS_A = bytes(97 if 65 <= b <= 90 or 97 <= b <= 122 else 32 for b in range(256))


def count_words(text: str) -> int:
    """``len(words(text))``, without building the words for ASCII text (a run of letters
    is an "a" after a space once every letter reads "a" and every other byte a space).

    ``count_words("Hello, Wodd! 2004")`` -> 2.
    """
    if text.isascii():
        data = text.encode("ascii").translate(_LETTER_AS_A)
        return data.count(b" a") + (data[:1] == b"a")
    return len(words(text))


@attrs.frozen
class NewError:
    """A clean word that the damaged text had right and the repaired text has wrong.

    ``before`` is the damaged text's reading (== ``clean``), ``after`` the repaired
    reading (several words joined with a space, or ``""`` when the repair deleted it),
    ``context`` a few clean words around it with the word in brackets.
    """

    before: str
    after: str
    clean: str
    context: str

    def to_dict(self) -> dict[str, str]:
        """Return a JSON-able mapping."""
        return attrs.asdict(self)


@attrs.frozen
class Scores:
    """Word counts of one or more letters; add them with ``+`` or ``sum(..., Scores())``."""

    clean_words: int = 0
    correct_before: int = 0
    correct_after: int = 0
    errors_before: int = 0  # word-level edit distance damaged -> clean
    errors_after: int = 0  # word-level edit distance repaired -> clean
    new_errors: tuple[NewError, ...] = ()

    def __add__(self, other: Scores) -> Scores:
        if not isinstance(other, Scores):
            return NotImplemented
        return Scores(
            clean_words=self.clean_words + other.clean_words,
            correct_before=self.correct_before + other.correct_before,
            correct_after=self.correct_after + other.correct_after,
            errors_before=self.errors_before + other.errors_before,
            errors_after=self.errors_after + other.errors_after,
            new_errors=self.new_errors + other.new_errors,
        )

    @property
    def accuracy_before(self) -> float:
        """Share of clean words the damaged text reproduces (1.0 for an empty text)."""
        return self.correct_before / self.clean_words if self.clean_words else 1.0

    @property
    def accuracy_after(self) -> float:
        """Share of clean words the repaired text reproduces (1.0 for an empty text)."""
        return self.correct_after / self.clean_words if self.clean_words else 1.0

    @property
    def wer_before(self) -> float:
        """Word error rate of the damaged text against the clean text."""
        return self.errors_before / self.clean_words if self.clean_words else 0.0

    @property
    def wer_after(self) -> float:
        """Word error rate of the repaired text against the clean text."""
        return self.errors_after / self.clean_words if self.clean_words else 0.0

    @property
    def reduction(self) -> float:
        """Relative WER reduction ``(wer_before - wer_after) / wer_before`` (0.0 if nothing to fix)."""
        if self.errors_before == 0:
            return 0.0
        return (self.errors_before - self.errors_after) / self.errors_before

    def new_errors_per(self, n_words: int = 2000) -> float:
        """New errors per ``n_words`` clean words."""
        return len(self.new_errors) * n_words / self.clean_words if self.clean_words else 0.0

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-able mapping with the counts, the rates and the new errors."""
        return {
            "clean_words": self.clean_words,
            "correct_before": self.correct_before,
            "correct_after": self.correct_after,
            "errors_before": self.errors_before,
            "errors_after": self.errors_after,
            "accuracy_before": self.accuracy_before,
            "accuracy_after": self.accuracy_after,
            "wer_before": self.wer_before,
            "wer_after": self.wer_after,
            "reduction": self.reduction,
            "new_errors": [e.to_dict() for e in self.new_errors],
        }


def _alignment(hyp: Sequence[str], ref: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    return list(difflib.SequenceMatcher(None, hyp, ref, autojunk=False).get_opcodes())


def _matched(opcodes: list[tuple[str, int, int, int, int]]) -> set[int]:
    """Indices of reference words reproduced exactly."""
    out: set[int] = set()
    for tag, _i1, _i2, j1, j2 in opcodes:
        if tag == "equal":
            out.update(range(j1, j2))
    return out


def _reading(opcodes: list[tuple[str, int, int, int, int]], hyp: Sequence[str], j: int) -> str:
    """What ``hyp`` has in place of reference word ``j`` (the whole unequal segment)."""
    for _tag, i1, i2, j1, j2 in opcodes:
        if j1 <= j < j2 or (j1 == j2 == j):
            return " ".join(hyp[i1:i2])
    return ""


def score(damaged: str, repaired: str, clean: str) -> Scores:
    """Score one repair: ``damaged`` and ``repaired`` against ``clean``, as word counts.

    ``score("hear fromyou", "hear from you", "hear from you")`` has 1 correct word
    before, 3 after, 2 errors before (one substitution, one deletion), 0 after.
    """
    d, r, c = words(damaged), words(repaired), words(clean)
    ops_d, ops_r = _alignment(d, c), _alignment(r, c)
    right_d, right_r = _matched(ops_d), _matched(ops_r)
    broken = sorted(right_d - right_r)
    new = tuple(
        NewError(
            before=c[j],
            after=_reading(ops_r, r, j),
            clean=c[j],
            context=" ".join(
                c[max(0, j - _CONTEXT_WORDS) : j] + [f"[{c[j]}]"] + c[j + 1 : j + 1 + _CONTEXT_WORDS]
            ),
        )
        for j in broken
    )
    return Scores(
        clean_words=len(c),
        correct_before=len(right_d),
        correct_after=len(right_r),
        errors_before=Levenshtein.distance(d, c),
        errors_after=Levenshtein.distance(r, c),
        new_errors=new,
    )


# --- Lexicon: word frequencies and the real-word list --------------------------------
#
# The repair functions (docparse.spacing, docparse.spelling) ask two questions of every
# suspicious word: "how common is it?" (wordfreq, Zipf scale: 7 = "the", 3 = "zipf",
# 0 = never seen) and "is it a real dictionary word?".  wordfreq alone cannot answer the
# second: it has seen common typos on the web ("hve" is 2.0).  symspellpy ships a list of
# 82,765 English words (SCOWL words found in Google Books n-grams), which can.  Both are
# loaded lazily, once, into plain dicts, so a lookup is a dict probe.

_freqs: dict[str, float] | None = None
_lexicon: frozenset[str] | None = None


def _load_freqs() -> dict[str, float]:
    global _freqs
    if _freqs is None:
        from wordfreq import get_frequency_dict

        _freqs = dict(get_frequency_dict("en", wordlist="best"))
    return _freqs


def _load_lexicon() -> frozenset[str]:
    global _lexicon
    if _lexicon is None:
        from importlib.resources import files

        text = (files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text("utf-8")
        _lexicon = frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)
    return _lexicon


def zipf(word: str) -> float:
    """English Zipf frequency of one word (case-insensitive), 0.0 when unseen.

    ``zipf("the")`` -> about 7.7; ``zipf("corrption")`` -> 0.0.  Multi-part forms such as
    ``"co-signed"`` are looked up whole (wordfreq lists many hyphenated compounds) and fall
    back to wordfreq's own estimate for phrases.
    """
    import math

    w = word.lower()
    f = _load_freqs().get(w)
    if f is None:
        if "-" in w or " " in w:
            from wordfreq import zipf_frequency

            return float(zipf_frequency(w, "en"))
        return 0.0
    return max(0.0, math.log10(f) + 9.0)


def is_word(word: str) -> bool:
    """True when ``word`` (case-insensitive) is a real English dictionary word.

    ``is_word("World")`` -> True; ``is_word("hve")`` -> False (though seen on the web).
    Single letters other than "a", "i" and "o" are not words here.
    """
    w = word.lower()
    if len(w) == 1:
        return w in ("a", "i", "o")
    return w in _load_lexicon()


def _prefix_index() -> list[str]:
    global _SORTED_LEXICON
    if _SORTED_LEXICON is None:
        _SORTED_LEXICON = sorted(_load_lexicon())
    return _SORTED_LEXICON


_SORTED_LEXICON: list[str] | None = None


def completions(low: str) -> set[str]:
    """Words that ``low`` is the start of, 1-3 letters longer (a lost word ending)."""
    if len(low) < 4:
        return set()
    index = _prefix_index()
    out: set[str] = set()
    i = bisect.bisect_left(index, low)
    while i < len(index) and index[i].startswith(low):
        if 0 < len(index[i]) - len(low) <= 3:
            out.add(index[i])
        i += 1
    return out
