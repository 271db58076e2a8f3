"""Spacing repairs for OCR'd English text: edit generators over one node value.

A *value* is a paragraph's lines joined with single spaces.  OCR damages spacing in a
few recurring ways, each handled by a named rule that returns :class:`~docparse.edits.Edit`
records (never a new string), so every change can be recorded and undone:

* ``space-before-punct``: ``"July 21 , 2004"`` -> ``"July 21, 2004"``;
* ``split-word``: a word cut in two, ``"all ow"`` -> ``"allow"``, ``"MANP ADs"`` -> ``"MANPADs"``;
* ``split-compound``: ``"eighty- five"`` -> ``"eighty-five"`` (hyphen kept);
* ``run-together``: ``"EdinburghOSCE"`` -> ``"Edinburgh OSCE"``, ``"fromyou"`` -> ``"from you"``;
* ``stray-punct``: ``"the . Helsinki"`` -> ``"the Helsinki"``, ``"institutions.,"`` -> ``"institutions,"``,
  and punctuation at the very start of a value (``", K. Marksa"`` -> ``"K. Marksa"``).

``dehyphenate_edits`` joins words hyphenated across a line end (``"compre- hensive"`` ->
``"comprehensive"``); ``spacing_edits`` only closes the gap of real compounds.  Both use
the same decision, so the two never claim the same span.

Word decisions use the lexicon of :mod:`docparse.wordscore` (wordfreq Zipf frequencies
and a real-word list): a join needs the joined form to be a real word and one part not to
be; a split needs the run-together form to be unknown and both parts to be common words.
Numbers, abbreviations ("M.C.", "Dr."), URLs, e-mail addresses, ellipses, dashes used as
dashes and "'78"-style years are never touched.
"""

from __future__ import annotations

import functools
import re

import regex

from .edits import Edit
from .wordscore import completions, is_word, zipf

__all__ = ["dehyphenate_edits", "spacing_edits"]

# Words that cannot end a sentence: a lone "." after one of them is stray OCR dirt
# ("signed the . Helsinki Accords"), not a sentence end typed with a space before it.
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for from with into onto upon and or nor but as than that "
    "this these those their our your my his her its whose which who whom whether if".split()
)
# Common abbreviations that legitimately take a period before a comma ("etc.,").
_ABBREVIATIONS = frozenset(
    "etc co inc ltd jr sr st dr mr mrs ms messrs esq no nos vol vols pp ed eds dept gov govt "
    "gen col capt lt sgt rev hon prof jan feb mar apr jun jul aug sep sept oct nov dec "
    "viz cf al ibid op cit ult inst prox am pm".split()
)

# (an e-mail address is looked for from the start of a token only: from every position
# of a long token ``\S+@`` ran to its end and back, quadratic; the matches are the same,
# as the leftmost start of an address is its token's start)
_URLISH = regex.compile(r"(?:https?://|www\.|(?<!\S)\S+@\S+\.\S+)\S*", regex.IGNORECASE)
# A run of letters preceded by a space and then 1+ spaces before , ; : ! ? or a single "."
_SPACE_PUNCT = regex.compile(r"(?<=[\p{L}\p{N}\)\]\"'’”.])( +)([,;:!?]|\.(?!\.))(?=\s|$|[\"'’”\)])")
_SPACED_PUNCT = re.compile(r" [,;:!?.]")  # a cheap first look for _SPACE_PUNCT (re: faster for this)
_LONE_DOT = regex.compile(r"(?:(?<=\s)|^)(\.)( +)(?=[\p{L}\"“‘(])")
_DOT_COMMA = regex.compile(r"(?<![\p{L}.])(\p{L}{2,})(\.)(?=[,;])")
_LEADING_PUNCT = regex.compile(r"^([,;:.]+) +(?=\S)")
_TOKEN = regex.compile(r"\S+")
_WORD_PAIR = regex.compile(r"(?<![\p{L}\p{N}'’\-.@/\[])(\p{L}+) (\p{L}+)(?![\p{L}\p{N}'’@/\]]|-\p{L}|\.\p{L})")
_HYPHEN_GAP = regex.compile(r"(?<![\p{L}\p{N}\-'’\[])(\p{L}+)- (\p{L}+)(?![\p{L}\p{N}\-])")
_CAMEL = regex.compile(r"(?<![\p{L}\p{N}'’\-.@/\[])(\p{Lu}\p{Ll}{2,})(\p{Lu}{2,}s?|\p{Lu}\p{Ll}{2,})(?![\p{L}\p{N}'’@/\]]|\.\p{L})")
_I_RUN = regex.compile(r"(?<![\p{L}\p{N}'’\-.@/\[])I(\p{Ll}{3,})(?![\p{L}\p{N}'’@/\]]|-|\.\p{L})")
_LOWER_RUN = regex.compile(r"(?<![\p{L}\p{N}'’\-.@/\[])(\p{Lu}?\p{Ll}{3,}(?<=\p{L}{4}))(?![\p{L}\p{N}'’@/\]]|-|\.\p{L})")

_COMMON = 3.5  # Zipf of a word common enough to stand alone in a split ("from", "war")
_VERY_COMMON = 5.5  # one part of a run-together pair is a very common word ("the", "from")
# Words that writers glue onto others to make (or misspell) one word: "tenantless",
# "cheerfull", "goodlooking", "outlived".  A run that ends with one of the first set or
# starts with one of the second is not split ("likean" is still "like an").
_SUFFIX_WORDS = frozenset(
    "less full ness ship ward wards wise like some hood self selves looking out over "
    "under up down back fore after mill men man".split()
)
_PREFIX_WORDS = frozenset("out over under up down back fore after self".split())
# Function words so common that a run-together with one of them is clear even when the
# other word is only fairly common ("outburstof", "alsoa"): Zipf of "of", "and", "a".
_GLUE = 6.3
_FAIR = 3.0

# Kinds of spacing damage that writers practically never make (used to judge OCR).
HARD_SIGNS = frozenset({"space-before-punct", "stray-punct", "split-word", "split-compound", "run-together-case"})


def _protected_spans(text: str) -> list[tuple[int, int]]:
    if "@" not in text and "://" not in text and "ww." not in text and "WW." not in text:
        return []  # the URL pattern scans every position: skip it when it cannot match
    return [m.span() for m in _URLISH.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def hyphen_decision(left: str, right: str) -> str:
    """Decide how ``left- right`` (a hyphen followed by a line-join space) is written.

    Returns ``"join"`` when the closed form is a real word and one part is only a
    fragment (``compre- hensive`` -> ``comprehensive``), otherwise ``"hyphen"`` (keep the
    writer's hyphen: ``far- reaching`` -> ``far-reaching``, ``to- day`` -> ``to-day``).
    """
    joined = left + right
    if (left.isupper() and right.isupper()) or not joined.isalpha():
        return "hyphen"
    if is_word(joined) and not (is_word(left) and is_word(right)):
        return "join"
    return "hyphen"


# What is left of a contraction whose apostrophe was lost ("he s", "she d", "we ll",
# "don t"): the writer's, not a word the OCR cut.
_PRONOUNS = frozenset("i you he she we they it that who there what".split())


def _contraction(left: str, right: str) -> bool:
    """Whether ``left right`` is a word and the tail of a contraction or possessive
    written without its apostrophe."""
    low = left.lower()
    if right == "s":
        return is_word(left)  # "paper s", "Andrew s"
    if right == "t":
        return low.endswith("n")  # "don t", "didn t", "can t"
    if right in ("d", "ll", "m", "ve", "re"):
        return low in _PRONOUNS
    return False


def _split_join(left: str, right: str) -> str | None:
    """The joined form when ``left right`` looks like one word cut by the OCR, else None."""
    if len(left) == 1 and len(right) == 1:
        return None  # "P M", "N J": initials, not a cut word
    if _contraction(left, right):
        return None  # "he s", "she d", "don t", "paper s": an apostrophe left out
    if len(right) == 1 and zipf(left) >= _GLUE:
        return None  # "to p. 5", "the m s": a letter standing for a word, after a glue word
    if len(left) == 1 and zipf(right) >= _GLUE:
        return None  # "r and", "w is": an initial or abbreviation before a glue word
    joined = left + right
    if left.isupper() and len(left) >= 2 and right[:1].isupper() and not right.isupper():
        # a cut acronym with a plural/lower tail: "MANP ADs" -> "MANPADs"
        if zipf(left) < 1.0 and zipf(joined) >= 1.5:
            return joined
        return None
    if not right.islower():
        return None  # the second half of a cut word is lower-case
    if not (left.islower() or left.istitle()):
        return None
    if not is_word(joined) or zipf(joined) < 3.0:
        return None
    left_ok, right_ok = is_word(left), is_word(right)
    if len(left) == 1 and left.isupper():
        left_ok = True  # an initial: "Mrs. B and all"
    if left_ok and right_ok:
        return None
    # A fragment that is nonetheless a common token ("ce", "ly") is still a fragment,
    # but the joined word must then be clearly more common than the fragment itself.
    # (Unless the other part is a fragment the web has never seen: "va lued", "pi cket".)
    if not left_ok and zipf(left) >= zipf(joined) and len(left) > 1 and zipf(right) >= 1.0:
        return None
    if not right_ok and zipf(right) >= zipf(joined) and len(right) > 1 and zipf(left) >= 1.0:
        return None
    return joined


_LETTER_RUN = regex.compile(r"\p{L}+")


def _odd_tokens(text: str) -> set[str]:
    """The runs of letters in ``text`` that are not real words (names, fragments,
    damage): every word-level rule needs one of them, so a value without any is done
    after one pass of a simple pattern. Cached: the OCR evidence, ``spacing`` and
    ``ocr-spelling`` ask about the same values (do not change the set returned)."""
    return _cached_odd(text)[0]


def _odd_by_token(text: str) -> dict[str, tuple[str, ...]]:
    """The whitespace-separated tokens of ``text`` that hold a run of :func:`_odd_tokens`,
    each with its odd runs (``"Pryce:"`` -> ``("Pryce",)``). A part of ``text`` (a line, a
    block) can hold an odd run only if it holds one of these tokens: a substring test
    finds the parts of a whole letter that the word rules need to look at. Cached with
    :func:`_odd_tokens` (do not change the mapping returned)."""
    return _cached_odd(text)[1]


def _punctuation_tokens(text: str) -> tuple[str, ...]:
    """The whitespace-separated tokens of ``text`` where a punctuation rule of
    :func:`_spacing_edits` may start (:func:`_punctuation_rule_may_apply`: a token that
    starts with ``, ; : ! ? .``, ends with a hyphen, or holds ``.,`` or ``.;``). A value
    made of lines of ``text`` joined with spaces can meet that test only if it holds one
    of these tokens (the test reads within a token and at a token's start or end).
    Cached with :func:`_odd_tokens`."""
    return _cached_odd(text)[2]


def _starts_a_punctuation_rule(token: str) -> bool:
    """Whether a punctuation rule may start at or inside the whitespace-separated ``token``."""
    return token[0] in ",;:!?." or token[-1] == "-" or ".," in token or ".;" in token


@functools.lru_cache(maxsize=2048)
def _cached_odd(text: str) -> tuple[set[str], dict[str, tuple[str, ...]], tuple[str, ...]]:
    # Runs of letters never cross whitespace, so the runs of the text are those of its
    # whitespace-separated tokens; a token seen before with only real words in it and
    # nothing a punctuation rule reads ("the", "letter,") is skipped by one set
    # difference, in C.
    rest = set(text.split()) - _PLAIN_TOKENS  # (difference_update would walk the memo)
    odd: set[str] = set()
    by_token: dict[str, tuple[str, ...]] = {}
    punctuation: list[str] = []
    for raw in rest:
        info = _TOKEN_INFO.get(raw)
        if info is None:
            found = tuple(t for t in _LETTER_RUN.findall(raw) if not is_word(t))
            info = (found, _starts_a_punctuation_rule(raw))
            if not found and not info[1]:
                _PLAIN_TOKENS.add(raw)
                continue
            _TOKEN_INFO[raw] = info
        if info[0]:
            odd.update(info[0])
            by_token[raw] = info[0]
        if info[1]:
            punctuation.append(raw)
    if len(_PLAIN_TOKENS) > 500_000 or len(_TOKEN_INFO) > 200_000:
        _PLAIN_TOKENS.clear()
        _TOKEN_INFO.clear()
    return odd, by_token, tuple(punctuation)


#: whitespace-separated token -> its runs of letters that are not real words (maybe
#: none), and whether a punctuation rule may start in it; for the tokens not plain
_TOKEN_INFO: dict[str, tuple[tuple[str, ...], bool]] = {}
#: whitespace-separated tokens whose runs of letters are all real words and where no
#: punctuation rule starts
_PLAIN_TOKENS: set[str] = set()


def _pair_starts(text: str, odd: set[str]) -> list[int]:
    """Where a pair of words with an odd one (see :func:`_odd_tokens`) may start: at each
    whole occurrence of an odd token, and at the word before it (one space apart).
    The pair pattern is then tried at these few places only, not at every word."""
    n = len(text)
    at: set[int] = set()
    singles = "".join(sorted(t for t in odd if len(t) == 1))
    for t in odd:
        if len(t) == 1:
            continue
        i = text.find(t)
        while i != -1:
            end = i + len(t)
            if (i == 0 or not text[i - 1].isalpha()) and (end == n or not text[end].isalpha()):
                at.add(i)
            i = text.find(t, i + 1)
    if singles:  # a lone letter ("P A", "m ixed"): one pattern, not a search per letter
        at.update(m.start() for m in _single_letters(singles).finditer(text))
    starts: set[int] = set()
    for i in at:
        starts.add(i)
        if i >= 2 and text[i - 1] == " " and text[i - 2].isalpha():
            j = i - 2
            while j > 0 and text[j - 1].isalpha():
                j -= 1
            starts.add(j)
    return sorted(starts)


@functools.lru_cache(maxsize=256)
def _single_letters(letters: str) -> regex.Pattern[str]:
    return regex.compile(rf"(?<!\p{{L}})[{regex.escape(letters)}](?!\p{{L}})")


def _pick_splits(text: str, odd: set[str] | None = None) -> list[tuple[int, str, str, str]]:
    """Find words cut in two; when two candidate joins share a word, keep the better one.

    In ``"the m ixed"`` both ``the|m`` ("them") and ``m|ixed`` ("mixed") join to words;
    the second leaves no fragment behind, so it wins.
    """
    found: list[tuple[int, int, str, str, str]] = []  # (left start, gap, left, right, joined)
    if odd is None:
        odd = _odd_tokens(text)
    if not odd:
        return []  # a cut word leaves at least one part that is not a word
    for pos in _pair_starts(text, odd):
        m = _WORD_PAIR.match(text, pos)
        if m is None:
            continue
        left, right = m.group(1), m.group(2)
        if left not in odd and right not in odd:
            continue
        if m.start() > 0 and text[m.start() - 1] in "&[]":
            continue  # "&c are": the writer's et cetera; "V[ermon]t on": an editor's brackets
        if text[m.end():m.end() + 1] in ("[", "]") and m.end() < len(text):
            continue
        if len(left) == 1 and is_word(right) and _tail_of_previous(text, m.start(), left):
            continue  # "Jeff s in town", "I don t know": the apostrophe left out
        joined = _split_join(left, right)
        if joined is not None:
            found.append((m.start(1), m.end(1), m.group(1), m.group(2), joined))
    chosen: list[tuple[int, str, str, str]] = []
    i = 0
    while i < len(found):
        cand = found[i]
        if i + 1 < len(found) and found[i + 1][0] == cand[1] + 1:
            nxt = found[i + 1]
            # cand joins (w0, w1), nxt joins (w1, w2): which leaves a real word alone?
            w0_ok, w2_ok = is_word(cand[2]), is_word(nxt[3])
            if w0_ok and not w2_ok:
                chosen.append(nxt[1:])
                i += 2
                continue
            if w2_ok and not w0_ok:
                chosen.append(cand[1:])
                i += 2
                continue
            if zipf(nxt[4]) > zipf(cand[4]):
                chosen.append(nxt[1:])
            else:
                chosen.append(cand[1:])
            i += 2
            continue
        chosen.append(cand[1:])
        i += 1
    return chosen


def _word_before(text: str, at: int, *, strip: bool = False) -> str:
    """``text[:at].rsplit(" ", 1)[-1]`` (``text[:at].rstrip().rsplit(" ", 1)[-1]`` with
    ``strip``) in time proportional to that word, not to ``at``: the rules ask for the
    word before each place they match, and a copy of the text up to it made each time
    was quadratic on a long line ("the m ixed " * 10,000 took over 10 s)."""
    j = at
    if strip:
        while j > 0 and text[j - 1].isspace():
            j -= 1
    return text[text.rfind(" ", 0, j) + 1 : j]


def _tail_of_previous(text: str, at: int, letter: str) -> bool:
    """Whether the lone ``letter`` at ``at`` ends the word before it (a contraction or a
    possessive without its apostrophe: "Jeff s in", "don t go", "I d rather")."""
    prev = _word_before(text, at, strip=True)
    if not prev.isalpha():
        return False
    if letter == "s":
        return True  # "Oconer s it": a possessive, whatever the name
    return _contraction(prev, letter)


#: longer than two of the longest words of the lexicon (28 letters; see _split_run)
_LONGEST_RUN = 60


@functools.lru_cache(maxsize=16384)
def _split_run(word: str) -> tuple[str, str] | None:
    """Split an unknown lower-case run ``fromyou`` into two common words, or None.

    Not when one dropped letter or a lost ending explains the run as well
    (``"abot"`` is ``"about"`` read badly, not ``"a bot"``; ``"beteen"``, ``"nothi"``):
    :mod:`docparse.spelling` corrects those.
    """
    if len(word) > _LONGEST_RUN or is_word(word) or zipf(word) >= 3.0:
        # (a run longer than two of the longest words cannot be two words: its splits are
        # not tried, each a copy of the run, nor its near words made, which took memory
        # the square of its length: gigabytes for a run-on line of 60 KB)
        return None
    # a run the web has seen (typos such as "inthe") is split only into two glue words
    seen = zipf(word) > 0
    best: tuple[float, str, str] | None = None
    for i in range(1, len(word)):
        left, right = word[:i], word[i:]
        if len(left) == 1 and left not in ("a", "i"):
            continue
        if len(right) < 2 and right != "a":
            continue
        if not (is_word(left) and is_word(right)):
            continue
        if left in _PREFIX_WORDS or right in _SUFFIX_WORDS:
            continue
        zl, zr = zipf(left), zipf(right)
        if (seen or zipf(word) > 0) and min(zl, zr) < _VERY_COMMON:
            continue  # a form the web knows ("sorest", "pigmy", "camerado"): two glue words only
        if right == "a" and zl < 5.0:
            continue  # "...a" is a real ending more often than a lost space
        score = min(zl, zr)
        if max(zl, zr) < _VERY_COMMON:
            continue
        if score < _COMMON and not (max(zl, zr) >= _GLUE and score >= _FAIR):
            continue
        if max(zl, zr) < _GLUE and (score < 4.0 or zipf(word) >= 1.0):
            continue  # two content words: a compound the writer closed ("twopenny")
        if best is None or score > best[0]:
            if best is not None and score - best[0] < 0.3:
                return None  # two splits about as good: ambiguous
            best = (score, left, right)
        elif abs(score - best[0]) < 0.3:
            return None  # two splits about as good: ambiguous
    if best is None or _one_letter_off(word) or _one_edit_off(word):
        return None
    return best[1], best[2]


@functools.lru_cache(maxsize=16384)
def _one_edit_off(word: str) -> bool:
    """Whether ``word`` is one substitution, transposition or extra letter away from a
    fairly common word (``"togather"``, ``"cheif"``, ``"annother"``): a writer's
    spelling of one word, not two words run together."""
    n = len(word)
    cands: set[str] = set()
    if n >= 5:  # two letters swapped ("cheif")
        cands.update(word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(n - 1))
    if n < 6:
        cands.discard(word)
        return any(is_word(c) and zipf(c) >= 3.5 for c in cands)  # short runs are near many words
    for i in range(n):
        if 0 < i < n - 1:  # (a letter more at an end is a one-letter word: "alsoa")
            cands.add(word[:i] + word[i + 1:])
        if i + 1 < n:
            cands.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
        if word[i] in "aeiou":  # a vowel for a vowel: how writers misspell
            for c in "aeiou":
                cands.add(word[:i] + c + word[i + 1:])
    cands.discard(word)
    return any(is_word(c) and zipf(c) >= 3.0 for c in cands)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _one_letter_off(word: str) -> bool:
    """Whether ``word`` is a fairly common word with one letter dropped, or a common
    word's start (1-3 letters short): then it is damage to one word, not two words run
    together."""
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        for c in _ALPHABET:
            cand = head + c + tail
            if is_word(cand) and zipf(cand) >= 3.0:
                return True
    if len(word) >= 4:
        if any(zipf(c) >= 4.5 for c in completions(word)):
            return True
    if len(word) >= 6 and any(is_word(word + c) for c in "sde"):
        return True  # a word's form without its ending ("hereabout"), however rare
    return False


def spacing_edits(text: str, *, ocr: bool | None = None) -> list[Edit]:
    """Return spacing repairs for one value, sorted and non-overlapping (see
    :func:`_spacing_edits`; results are cached: the OCR evidence and the ``spacing``
    plugin ask about the same values).

    Most values of a clean letter have nothing any rule starts from (no run of letters
    that is not a word, no punctuation a rule reads): they are done after one look."""
    if not _odd_tokens(text) and not _punctuation_rule_may_apply(text):
        return []
    return list(_cached_edits(text, ocr))


def _punctuation_rule_may_apply(text: str) -> bool:
    """Whether a punctuation rule of :func:`_spacing_edits` can start anywhere in
    ``text`` (each rule's own first look, taken together): punctuation opening the
    value, a space before punctuation, a full stop before a comma or semicolon, a
    hyphen before a space. (Substring looks: one alternation pattern is slower.)"""
    return bool(
        (text and text[0] in ",;:.")
        or ".," in text
        or ".;" in text
        or "- " in text
        or _SPACED_PUNCT.search(text) is not None
    )


@functools.lru_cache(maxsize=1024)
def _cached_edits(text: str, ocr: bool | None) -> tuple[Edit, ...]:
    return tuple(_spacing_edits(text, ocr=ocr))


def _spacing_edits(text: str, *, ocr: bool | None = None) -> list[Edit]:
    """Return spacing repairs for one value, sorted and non-overlapping.

    ``ocr`` gates the one rule that writers' own habits also trigger: splitting a
    lower-case run of two common words (``"fromyou"``; but a writer's ``"somuch"``
    looks the same).  True splits them, False never does, None splits them only when
    the value itself shows at least two hard signs of OCR (see ``HARD_SIGNS``); pass the
    document's verdict (:func:`docparse.spelling.ocr_evidence`) where you have it.

    ``"July 21 , 2004"`` -> ``[Edit(7, 9, " ,", ",", ...)]`` ("July 21, 2004");
    ``"hear fromyou"`` -> ``"hear from you"``; ``"m ixed"`` -> ``"mixed"``.
    """
    protected = _protected_spans(text)
    edits: list[Edit] = []

    def add(start: int, end: int, after: str, confidence: float, reason: str) -> None:
        if not _inside(protected, start, end):
            edits.append(Edit(start, end, text[start:end], after, confidence, reason))

    m = _LEADING_PUNCT.match(text) if not text.startswith((". .", "..")) else None  # (an ellipsis)
    if m:
        add(m.start(), m.end(), "", 0.8, "stray-punct")
    for m in _LONE_DOT.finditer(text) if " ." in text or text.startswith(".") else ():
        if m.start() == 0:
            continue  # handled by the leading-punctuation rule
        prev = _word_before(text, m.start(), strip=True)
        if prev.lower() in _FUNCTION_WORDS:
            # "the . Helsinki": drop the dot and its space
            add(m.start(), m.end(), "", 0.8, "stray-punct")
    for m in _SPACE_PUNCT.finditer(text) if _SPACED_PUNCT.search(text) else ():
        start, end = m.span(1)
        mark = text[m.start(2)]
        if start > 0 and text[start - 1] in ".?!" and (mark in ".?!"):
            continue  # ". . ." or "? ?": the writer's spaced marks
        if mark in ".?!" and text[m.end(2):m.end(2) + 2] == " " + mark:
            continue  # the first mark of a spaced ellipsis or of "? ?"
        if mark == "." and text[m.end(2):m.end(2) + 1] == ".":
            continue
        if mark == ".":
            prev = _word_before(text, start)
            if prev.lower() in _FUNCTION_WORDS:
                continue  # a stray dot, handled above
        add(start, end, "", 0.9, "space-before-punct")
    for m in _DOT_COMMA.finditer(text) if ".," in text or ".;" in text else ():
        word = m.group(1)
        if word.lower() in _ABBREVIATIONS or not word.islower() or not is_word(word):
            continue
        add(m.start(2), m.end(2), "", 0.7, "stray-punct")
    for m in _HYPHEN_GAP.finditer(text) if "- " in text else ():
        if hyphen_decision(m.group(1), m.group(2)) == "hyphen":
            gap = m.end(1) + 1
            add(gap, gap + 1, "", 0.8, f"split-compound:{m.group(1)}-{m.group(2)}")
    # every word-level rule below needs a run of letters that is not a word
    odd = _odd_tokens(text)
    for gap, left, right, joined in _pick_splits(text, odd) if odd else ():
        add(gap, gap + 1, "", 0.75, f"split-word:{left} {right}->{joined}")
    camel = any(not (t.islower() or t.isupper() or t.istitle()) for t in odd)
    for m in _CAMEL.finditer(text) if camel else ():
        whole, left, right = m.group(), m.group(1), m.group(2)
        if zipf(whole) >= 2.0 or not is_word(left) or zipf(left) < 3.0:
            continue
        if not (right.rstrip("s").isupper() or (is_word(right) and zipf(right) >= 3.0)):
            continue
        at = m.end(1)
        add(at, at, " ", 0.7, f"run-together-case:{whole}->{left} {right}")
    if ocr is None:
        ocr = sum(e.reason.split(":", 1)[0] in HARD_SIGNS for e in edits) >= 2
    if not ocr or not odd:
        return _non_overlapping(edits)
    for m in _LOWER_RUN.finditer(text):
        # a run in lower case, or capitalised as 19th-century writers did ("Artand")
        run = m.group(1)
        if run not in odd:
            continue
        parts = _split_run(run.lower())
        if parts is not None and not run.islower() and zipf(parts[1]) < _GLUE:
            parts = None  # capitalised: a name ("Littlebill") unless a function word ends it
        if parts is not None:
            k = len(parts[0])
            at = m.start() + k
            add(at, at, " ", 0.6, f"run-together:{run}->{run[:k]} {run[k:]}")
    for m in _I_RUN.finditer(text):
        # "Ifeel" -> "I feel": the pronoun run into a common word
        rest = m.group(1)
        if is_word(m.group()) or zipf(m.group()) >= 2.0 or not is_word(rest) or zipf(rest) < 4.0:
            continue
        add(m.start() + 1, m.start() + 1, " ", 0.6, f"run-together:{m.group()}->I {rest}")
    return _non_overlapping(edits)


def dehyphenate_edits(text: str) -> list[Edit]:
    """Join words hyphenated across a line end: ``"compre- hensive"`` -> ``"comprehensive"``.

    Only when the closed form is a real word and one part is a mere fragment; real
    compounds (``"co- signed"``, ``"far- reaching"``, ``"to- day"``) are left to
    :func:`spacing_edits`, which keeps their hyphen.
    """
    protected = _protected_spans(text)
    edits: list[Edit] = []
    for m in _HYPHEN_GAP.finditer(text):
        left, right = m.group(1), m.group(2)
        if hyphen_decision(left, right) == "join" and not _inside(protected, *m.span()):
            start, end = m.end(1), m.end(1) + 2
            edits.append(Edit(start, end, "- ", "", 0.8, f"dehyphenate:{left}-{right}->{left + right}"))
    return edits


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    """Sort, and drop any edit that touches one already kept (the earlier rule wins)."""
    kept: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if kept and (e.start < kept[-1].end or e.start == kept[-1].start):
            continue
        if kept and e.start == kept[-1].end and (e.start == e.end or kept[-1].start == kept[-1].end):
            continue  # an insertion touching another edit: ambiguous order
        kept.append(e)
    return kept
