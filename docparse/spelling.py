"""Conservative correction of OCR misspellings in English text.

OCR damage to a word is mostly mechanical: a letter dropped (``corrption``,
``Belars``, ``Anual``) or read as a look-alike (``Wodd`` for ``World``: ``rl`` -> ``d``;
``rn`` <-> ``m``).  A writer's own misspellings look just the same to a lexicon
(``sufered``, ``tierd``, ``seige`` in a 19th-century letter), so correction runs only
where the text shows other signs of OCR (:func:`ocr_evidence`), and even then changes a
word only when:

* the word is not a real word, not ALL CAPS, has no digits or apostrophes, is not an
  abbreviation (a short capitalised word before a period: ``Jany.``), and is used only
  once in the document (a name used twice is the writer's);
* one dropped letter or one look-alike confusion away there is a real word that is
  common (Zipf >= 3) and clearly more common (10x) than any other candidate, or that
  occurs elsewhere in the same document (``Belars`` beside ``Belarus``).

``spelling_edits(..., ocr=False)`` makes only the in-document corrections, and only when
the variant is used at least twice elsewhere: a writer who spells a word one way twice
and another way once is usually not being corrected by an OCR engine, but the single
odd form is then a slip either way.  Case is kept (``Wodd`` -> ``World``).
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Sequence

import attrs
import regex

from . import spacing as _spacing
from .edits import Edit
from .wordscore import (
    _WORD_RE,
    _load_freqs,
    _load_lexicon,
    completions,
    count_words,
    is_word,
    words,
    zipf,
)

__all__ = ["OcrEvidence", "ocr_evidence", "spelling_edits", "word_counts", "writer_habit"]

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# Longer than any form the lexicon or the frequency list knows (34 letters): a token this
# long has no correction (every candidate is about as long as it), so its candidates are
# not made (their number and size grow with the token's length: the square of it in memory;
# a run-on word line of 60 KB took gigabytes). Outputs are the same (tests/test_hardening.py).
_LONGEST = 40
# Look-alike readings seen in OCR output: the clean string -> what the OCR read.
_LOOKALIKES: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("m", "rn"), ("rl", "d"), ("cl", "d"), ("d", "cl"), ("li", "h"), ("h", "li"),
    ("w", "vv"), ("vv", "w"), ("u", "ii"), ("ii", "u"), ("n", "ri"), ("ri", "n"), ("e", "c"),
    ("c", "e"), ("l", "i"), ("i", "l"), ("t", "f"), ("f", "t"), ("h", "b"), ("b", "h"),
    ("o", "c"), ("a", "o"), ("in", "m"), ("m", "in"), ("ni", "m"),
)
# Confusions that only a machine makes (a writer does not write "m" for "rn"): evidence.
_TELLTALE: tuple[tuple[str, str], ...] = (("rn", "m"), ("m", "rn"), ("rl", "d"), ("cl", "d"), ("w", "vv"), ("u", "ii"))
_TOKEN = regex.compile(r"(?<![\p{L}\p{N}'’\-@/\[\]])\p{L}+(?![\p{L}\p{N}'’@/\[\]]|-\p{L})")
_GLUE_SIGN = 6.0  # two words this common run together ("inthe") are a machine's sign
_MIN_ZIPF = 3.0  # a correction's target must be at least this common ...
_MARGIN = 0.8  # ... and clearly ahead of the next candidate (Zipf units, after penalties)
_IN_DOC_BONUS = 2.0
_MAX_FORM_ZIPF = 3.8  # a non-word at least this common is a spelling of its own
# A real word the OCR made by dropping a letter ("hae" for "have", "tat" for "that")
# is corrected only when it is rare (below _RARE_WORD) and the word it came from is
# very common (at least _REAL_TARGET, and _REAL_GAP above the form).
_RARE_WORD = 3.4
_REAL_TARGET = 5.0
_REAL_GAP = 2.5


@attrs.frozen
class OcrEvidence:
    """Counts of signs that a text went through OCR, and the verdict drawn from them.

    ``machine_signs`` counts the signs only a machine leaves: spaces before punctuation,
    stray punctuation, split words, words run together, look-alike glyphs (``rn`` read as
    ``m``). ``likely_ocr`` needs two of them, or one backed by a letter dropped the way
    an OCR engine drops it (:func:`_machine_drop`) or by a lost quotation mark (an odd
    number of straight double quotes: ``unbalanced_quotes``), or one sign that writers
    practically never leave (``strong_signs``): a word split off one letter or off its
    last two ("W hitman", "gon e", "nearl y"), a full stop or semicolon set off by a space
    after a word ("the Library ."), a comma so set off between words ("the letter ,
    which") or after a number ("May 2 , 1872"), a comma or colon spaced off at a line's
    end, a stray full stop ("the . Helsinki", "institutions.,", one opening a line). In the
    3,949 clean corpus letters each of these shows in at most 2 files; in their OCR'd
    copies, in hundreds. Misspellings alone never make a letter OCR'd, since writers
    misspell too.
    It is withheld from a text full of
    lower-case non-words that no OCR-style edit explains (at least ``WRITER_MIN`` of
    them and ``WRITER_RATE`` per 1,000 words: "acanser", "maryed", "prepreration"):
    such a text shows the writer's own spelling. ``score`` is all signs per 1,000 words
    (split words and case run-togethers weigh double, an in-document variant half): a
    report, not the verdict.
    Measured (scripts/measure_ocr_detector.py): all 3,947 clean corpus letters judged
    clean; OCR'd letters with modelled damage judged OCR 65.8% (``ocr/``) and 61.5%
    (``wide/ocr``) of the time, 85.8% / 81.8% of those whose damage a reader can see (a
    split or merged word, spaced or stray punctuation, confused letters): the rest carry
    only dropped letters or words, or no damage at all.
    """

    THRESHOLD = 4.0
    WRITER_MIN = 5
    WRITER_RATE = 25.0

    words: int = 0
    space_before_punct: int = 0
    split_words: int = 0
    run_together: int = 0
    lookalikes: int = 0
    dropped_letters: int = 0
    stray_punct: int = 0
    in_document_variants: int = 0
    unexplained_nonwords: int = 0
    unbalanced_quotes: int = 0
    machine_signs: float = 0.0
    strong_signs: int = 0
    score: float = 0.0
    likely_ocr: bool = False

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-able mapping."""
        return attrs.asdict(self)


def ocr_evidence(text: str) -> OcrEvidence:
    """Count OCR signs in ``text`` (a letter's whole text, or one value).

    ``ocr_evidence("We are writing in response to the declaration of July 3 , 2004 ...")``
    counts one space before punctuation; a clean modern letter counts none.
    """
    counts: Counter[str] = Counter()
    # The runs of letters that are not words are those of the whole text (blocks are its
    # lines joined with spaces: the same whitespace-separated tokens). A block gets a
    # spacing edit only if it holds a token with such a run or a token where a
    # punctuation rule may start: most blocks of a clean letter hold neither, and are
    # not cut into tokens one by one.
    odd = _spacing._odd_tokens(text)
    looks = [*_spacing._odd_by_token(text), *_spacing._punctuation_tokens(text)]
    if looks:
        seen: set[str] = set()
        for block in _blocks_holding(_blocks(text), looks):
            for e in _spacing.spacing_edits(block, ocr=False):
                rule, _, what = e.reason.partition(":")
                if what and what in seen:
                    continue  # the same word cut the same way twice is the writer's ("Kinder garten")
                seen.add(what)
                if rule == "split-compound":
                    left, _, right = what.partition("-")
                    if not right[:1].islower() or f"{left}- {right}" not in text:
                        continue  # a hyphen at a line end, or a dash before a name ("New Haven- Conn")
                if rule == "split-word":
                    left, _, right = what.partition("->")[0].partition(" ")
                    if ((len(left) == 1 and left.lower() != "x") or len(right) <= 2 and len(left) >= 3
                            or _short_word_split(left, right)):
                        # "W hitman", "gon e", "nearl y", "wi th", "bo ard": no writer's split
                        counts["strong"] += 1
                elif rule == "stray-punct":
                    word = _spacing._word_before(block, e.start)
                    if e.start == 0 or e.before != "." or len(word) >= 6 or (
                            word.islower() and block[e.end:e.end + 1] == "," and zipf(word) >= _STRAY_DOT_ZIPF):
                        counts["strong"] += 1  # ". The", "the . Helsinki", "institutions.,", "you.,"
                elif rule == "space-before-punct":
                    prev = _spacing._word_before(block, e.start)
                    mark = block[e.end:e.end + 1]
                    after = block[e.end + 1:e.end + 3]
                    if (prev[:1].isalpha() and (mark in ".;" or (
                            mark == "," and prev[:1].islower() and after[:1] == " " and after[1:].isalpha()))
                            or (mark in ",:" and not after.strip())  # at a line's end: "Sir ,"
                            or (mark == "," and prev[:1].isdigit())  # "May 2 , 1872"
                            or (mark == "," and prev.isalpha() and prev.islower() and len(prev) >= 2
                                and after[:1] == " " and after[1:2] in "&\"'")  # "me , & I", "morning , \"Have"
                            or (mark == "." and not after.strip() and _WHOLE_NUMBER.fullmatch(prev))  # "1880 ."
                            or (mark == ":" and after[:1] == " " and after[1:2].isdigit()
                                and prev.lower().rstrip(".") in _MONTH_ABBREVIATIONS)):  # "Oct : 9"
                        counts["strong"] += 1  # "the letter , which", "the Library ." (not "Feb 16 .")
                if rule == "run-together-case" and not what.rpartition(" ")[2].rstrip("s").isupper():
                    rule = "run-together-camel"  # "ArchivesSpace", "JavaScript": a name's own case
                counts[rule] += 1
    lower_vocab: Counter[str] | None = None  # the letter's words, when a token needs them
    by_length: dict[int, list[str]] = {}  # the document's words by length, when needed
    unexplained = 0
    # a candidate is never a real word: look at the few runs of letters that are not
    for tok in sorted(odd):
        if not _candidate_token(tok):
            continue
        count = len(_occurrences(text, tok))
        if not count:
            continue  # only inside a longer token ("Walt's", "co-op")
        if lower_vocab is None:
            lower_vocab = word_counts(text)
        low = tok.lower()
        best = _best(low, lower_vocab, capitalised=False) if tok.islower() else None
        if tok.islower() and best is None:
            parts = _spacing._split_run(low) if len(low) >= 4 else None
            if (parts is not None and parts[1] != "not"  # "couldnot", as "cannot": the writer's
                    and min(zipf(parts[0]), zipf(parts[1])) >= _GLUE_SIGN):
                counts["run-together-glue"] += 1  # "inthe", "andthe": two glue words
            elif parts is not None:
                counts["run-together"] += 1  # "thelast", "itwill"
            else:
                unexplained += count
        if (_telltale(low) and (best is None or best[2] != "dropped")) or (
                best is not None and best[2] in ("lookalike", "lookalike2")
                and zipf(low) == 0 and zipf(best[0]) >= 5.0):
            # (not "hom": a final e dropped, "home", explains it better than "horn")
            counts["lookalike"] += 1  # "Wodd", "thc": a glyph misread in a common word
        elif _has_insertion(low, _by_length(lower_vocab, by_length).get(len(low) + 1, ())):
            counts["variant"] += 1
        elif best is not None and _machine_drop(low, best[0], best[2]):
            counts["dropped"] += 1
    # (the word count alone needs no Counter of the words)
    n_words = sum(lower_vocab.values()) if lower_vocab is not None else count_words(text)
    signs = (
        counts["space-before-punct"]
        + counts["stray-punct"]
        + 0.5 * counts["variant"]
        + 2 * (counts["split-word"] + counts["split-compound"] + counts["run-together-case"])
        + counts["run-together-camel"]
        + counts["lookalike"]
        + counts["dropped"]
        + counts["run-together"] + counts["run-together-glue"]
    )
    score = 1000.0 * signs / n_words if n_words else 0.0
    writer = (
        unexplained >= OcrEvidence.WRITER_MIN
        and 1000.0 * unexplained / max(1, n_words) >= OcrEvidence.WRITER_RATE
    )
    # an ordinal whose ending the OCR cut ("the 13t inst"): no writer's form
    counts["cut-ordinal"] = len(_ordinal_edits(text)) if _DIGIT_LETTER.search(text) else 0
    # Signs only a machine leaves: spaces before punctuation, stray punctuation, words
    # cut or run together, look-alike glyphs. A misspelling ("dropped" letters, variants)
    # never decides alone: writers misspell; it only backs one such sign.
    machine = (
        counts["space-before-punct"] + counts["stray-punct"] + counts["split-word"]
        + counts["split-compound"] + counts["run-together-case"] + counts["lookalike"]
        + counts["run-together-glue"] + counts["cut-ordinal"]
        # writers run words together too ("couldnot"), names have inner capitals
        + 0.25 * (counts["run-together"] + counts["run-together-camel"])
    )
    # Signs that writers practically never leave, one of which is enough: a comma,
    # semicolon or full stop set off by spaces between words ("the letter , which",
    # "signed the . Helsinki"), a stray full stop opening a line, and the "strong" spacing
    # signs counted above (a word split off one letter, "W hitman" ...)
    strong = counts["strong"]
    strong += len(_SPACED_MARK.findall(text)) if " , " in text or " . " in text or " ; " in text else 0
    strong += len(_LINE_DOT.findall(text)) if "\n. " in text or text.startswith(". ") else 0
    # a quotation mark lost: an odd number of straight double quotes (writers close theirs)
    unbalanced = text.count('"') % 2 == 1
    # A writer's own spelling withholds the verdict, even from a word cut the way only a
    # machine cuts it ("h ave"): in such a letter (an OCR'd letter of an unschooled
    # writer) the corrections would mostly undo the writer's own forms ("ihave", "afew").
    likely = (
        machine >= 2 or strong >= 1 or (machine >= 1 and (counts["dropped"] >= 1 or unbalanced))
    ) and not writer
    return OcrEvidence(
        words=n_words,
        space_before_punct=counts["space-before-punct"],
        split_words=counts["split-word"] + counts["split-compound"],
        run_together=(counts["run-together-case"] + counts["run-together"] + counts["run-together-camel"]
                      + counts["run-together-glue"]),
        lookalikes=counts["lookalike"],
        dropped_letters=counts["dropped"],
        stray_punct=counts["stray-punct"],
        in_document_variants=counts["variant"],
        unexplained_nonwords=unexplained,
        unbalanced_quotes=int(unbalanced),
        machine_signs=machine,
        strong_signs=strong,
        score=round(score, 2),
        likely_ocr=likely,
    )


#: a split word is a machine's when the word is this common (Zipf) and a part is a
#: two-letter fragment that is no word ("wi th", "gi ve", "bo ard", "ra ther")
_SPLIT_COMMON = 5.0
#: a stray full stop before a comma after a word this common is no abbreviation ("you.,")
_STRAY_DOT_ZIPF = 5.5
_WHOLE_NUMBER = regex.compile(r"\d{4}|\d{1,2}/\d{2,4}|\d+(?:st|nd|rd|th|d)")
_MONTH_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june "
    "july august september october november december".split())


def _short_word_split(left: str, right: str) -> bool:
    """Whether ``left right`` is a common word cut by an OCR engine: the joined word is
    common (Zipf >= ``_SPLIT_COMMON``), lower-case after its first letter, and a part of
    at most two letters is no word (``"wi th"``, ``"gi ve"``, ``"he ar"``; not a writer's
    ``"to day"`` or ``"now adays"``)."""
    joined = left + right
    if not (right.islower() and left[1:].islower()) or zipf(joined.lower()) < _SPLIT_COMMON:
        return False
    short = [p for p in (left.lower(), right) if len(p) <= 2]
    return any(not is_word(p) for p in short) and min(len(left), len(right)) <= 2


_LINE_DOT = regex.compile(r"(?m)^[ \t]*\. (?=\p{L})")
_DIGIT_LETTER = regex.compile(r"\d[tnr](?![\p{L}\p{N}])")
_SPACED_MARK = regex.compile(
    r"(?<=(?<!\p{L})\p{Ll}{2,}) [,;.](?= \p{L})|(?<=\p{L}\p{Ll}) [,;](?= \p{Ll}{2})"
)


@functools.lru_cache(maxsize=64)
def word_counts(text: str) -> Counter[str]:
    """Counts of :func:`docparse.wordscore.words` of ``text``, cached (the OCR evidence
    and ``ocr-spelling``'s vocabulary read the same letter text). Do not change it."""
    return Counter(words(text))


@functools.lru_cache(maxsize=16384)
def _telltale(low: str) -> bool:
    """Whether ``low`` reads as a common word with a confusion only a machine makes
    (``"wodd"``: ``rl`` read as ``d``)."""
    if len(low) > _LONGEST:
        return False  # no candidate can be a word (see _LONGEST)
    return any(is_word(c) and zipf(c) >= _MIN_ZIPF for c in _lookalike_candidates(low, _TELLTALE))


def writer_habit(low: str, target: str) -> str | None:
    """The writer's habit that explains ``low`` as ``target`` with one letter left out,
    or None when the letter lost is one an OCR engine loses but writers keep.

    Writers simplify doubled letters ("arest", "shal", "supose"), drop the e of "-ed"
    ("utterd", "detaind"), a silent final e ("welcom", "purchas"), a word's first letter
    or a final y ("materiall"); an OCR engine drops a letter anywhere inside a word,
    whatever its neighbours ("corrption", "Belars"). A correction that only undoes such a
    habit is suggested, not made (the letter may be OCR'd and still spelled its
    writer's way)."""
    if len(target) != len(low) + 1:
        return None
    for i in range(len(target)):
        if target[:i] + target[i + 1:] != low:
            continue
        c = target[i]
        if (i > 0 and target[i - 1] == c) or (i + 1 < len(target) and target[i + 1] == c):
            return "doubled-letter"
        if i == 0:
            return "first-letter"
        if i == len(target) - 1 and c in "ey":
            return "final-" + c
        if c == "e" and i == len(target) - 2 and target.endswith("ed"):
            return "-d-for-ed"
        return None
    return None


def _machine_drop(low: str, target: str, kind: str) -> bool:
    """Whether ``low`` -> ``target`` looks like a machine's damage rather than a writer's
    slip: a letter lost or misread that is not one of a doubled pair (writers simplify
    "suffered" to "sufered"; an OCR engine drops any letter), in a form the web has
    (almost) never seen (writers' misspellings recur: "alwas", "generaly"), of a
    common word."""
    if zipf(low) >= 1.5 or zipf(target) < 3.5:
        return False
    if kind == "dropped":
        for i in range(len(target)):
            if target[:i] + target[i + 1 :] == low:
                c = target[i]
                if (i > 0 and target[i - 1] == c) or (i + 1 < len(target) and target[i + 1] == c):
                    return False
                if c == "e" and i == len(target) - 1:
                    return False  # a silent final e: "humbl", "welcom"
        return True
    return kind in ("lookalike", "lookalike2")


def _occurrences(text: str, tok: str) -> list[regex.Match[str]]:
    """The matches of :data:`_TOKEN` that are exactly ``tok`` (found with str.find: far
    cheaper than tokenizing the whole text for the few tokens that need it)."""
    out = []
    i = text.find(tok)
    while i != -1:
        m = _TOKEN.match(text, i)
        if m is not None and m.end() == i + len(tok):
            out.append(m)
        i = text.find(tok, i + 1)
    return out


def _odd_matches(text: str, odd: set[str]) -> list[regex.Match[str]]:
    """The :data:`_TOKEN` matches of the tokens in ``odd``, in text order."""
    found = [m for tok in odd for m in _occurrences(text, tok)]
    found.sort(key=lambda m: m.start())
    return found


def _blocks(text: str) -> list[str]:
    """Paragraph values of a whole text: blocks between blank lines, lines joined by spaces."""
    out: list[str] = []
    cur: list[str] = []
    lines = text.split("\n") if "\r" not in text else regex.split(r"\r\n|\r|\n", text)
    for line in lines:
        if line.strip():
            cur.append(line.strip())
        elif cur:
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out


def _blocks_holding(blocks: list[str], tokens: Sequence[str]) -> list[str]:
    """The blocks (in order) in which one of ``tokens`` occurs, as a substring: one
    search per occurrence in the blocks joined by line breaks (a token has no
    whitespace, so it never spans two blocks), not a test per block and token."""
    joined = "\n".join(blocks)
    starts: list[int] = []
    at = 0
    for block in blocks:
        starts.append(at)
        at += len(block) + 1
    hit: set[int] = set()
    find = joined.find
    for tok in tokens:
        i = find(tok)
        while i != -1:
            k = bisect.bisect_right(starts, i) - 1
            hit.add(k)
            i = find(tok, starts[k + 1] if k + 1 < len(starts) else len(joined))  # next block
    return [blocks[k] for k in sorted(hit)]


@functools.lru_cache(maxsize=65536)
def _candidate_token(tok: str) -> bool:
    """A token that may be corrected at all (see the module docstring).

    A non-word the web has seen often (Zipf >= 3.8: "thru", "cuz") is a spelling of its
    own; rarer non-words ("thc", "tis", "lok") are candidates, and the correction must
    still be far more common than the form (:func:`_best`).
    """
    if len(tok) < 3 or tok.isupper():
        return False
    if not (tok.islower() or tok.istitle()):
        return False
    if is_word(tok) or zipf(tok) >= _MAX_FORM_ZIPF:
        return False
    return True


def _insert_candidates(low: str) -> set[str]:
    return {low[:i] + c + low[i:] for i in range(len(low) + 1) for c in _ALPHABET}


def _lookalike_candidates(
    low: str, pairs: tuple[tuple[str, str], ...] = _LOOKALIKES
) -> set[str]:
    out: set[str] = set()
    for clean, read in pairs:
        start = low.find(read)
        while start != -1:
            out.add(low[:start] + clean + low[start + len(read) :])
            start = low.find(read, start + 1)
    return out


def _keep_case(model: str, word: str) -> str:
    if model.istitle():
        return word.capitalize()
    return word


# (moved to docparse.wordscore, beside the lexicon it indexes; spacing.py uses it too)
_completions = completions


# How much less likely each kind of damage is than a dropped letter (Zipf units): the
# corpus of OCR damage behind this module has ~12 dropped letters per look-alike swap.
_PENALTY = {"dropped": 0.0, "lookalike2": 0.5, "truncated": 0.7, "lookalike": 1.0}


@functools.lru_cache(maxsize=16384)
def _lexicon_candidates(low: str) -> tuple[tuple[str, str, float, bool], ...]:
    """Every correction of ``low`` the lexicon could ever accept, whatever the document:
    ``(candidate, kind, zipf, is_word)`` for one dropped letter, one look-alike reading or
    a lost ending, keeping only real words and forms the web has seen (Zipf >= 2).
    Cached: tokens recur across letters (names, writers' forms), and the document-
    dependent part of :func:`_best` is then a pass over a handful of candidates."""
    if len(low) > _LONGEST:
        return ()  # no candidate can be a known form (see _LONGEST)
    dropped = _insert_candidates(low)
    looks = [
        (c, "lookalike" if len(clean) == len(read) else "lookalike2")
        for clean, read in _LOOKALIKES
        for c in _lookalike_candidates(low, ((clean, read),))
    ]
    truncated = _completions(low)
    every = dropped | {c for c, _ in looks} | truncated
    # set intersections run in C: only the few known forms are looked at one by one
    hits = (_load_freqs().keys() & every) | (_load_lexicon() & every)
    if not hits:
        return ()
    kinds: dict[str, str] = {}
    for c in dropped & hits:
        kinds[c] = "dropped"
    for c, kind in looks:
        if c in hits:
            kinds.setdefault(c, kind)
    for c in truncated & hits:
        kinds.setdefault(c, "truncated")
    out = []
    for c, kind in kinds.items():
        z = zipf(c)
        w = is_word(c)
        if w or z >= 2.0:
            out.append((c, kind, z, w))
    return tuple(sorted(out))


def _best(low: str, doc: Counter[str], *, capitalised: bool,
          prefer: frozenset[str] = frozenset()) -> tuple[str, float, str] | None:
    """The correction of ``low`` with its confidence and kind, or None if not clear.
    A candidate in ``prefer`` (the vocabulary of the line's kind, e.g. office titles)
    counts as if the document used it."""
    scored: list[tuple[float, str, str]] = []
    for c, kind, z, real in _lexicon_candidates(low):
        in_doc = doc.get(c, 0) > 0 or c in prefer
        if not (real or (in_doc and z >= 2.0) or (capitalised and z >= 3.5)):
            continue
        if z < _MIN_ZIPF and not in_doc:
            continue
        scored.append((z - _PENALTY[kind] + (_IN_DOC_BONUS if in_doc else 0.0), c, kind))
    if not scored:
        return None
    scored.sort(reverse=True)
    top = scored[0]
    margin = top[0] - scored[1][0] if len(scored) > 1 else 3.0
    if margin < _MARGIN:
        return None
    # The damaged form must itself be rare next to its correction (a web-seen short
    # form such as "shd" is a writer's abbreviation of another word, not "shed").
    if zipf(low) > zipf(top[1]) - 2.5:
        return None
    confidence = round(min(0.95, 0.5 + 0.15 * margin), 2)
    return top[1], confidence, top[2]


def spelling_edits(
    text: str, *, vocabulary: Counter[str] | None = None, ocr: bool | None = None,
    prefer: frozenset[str] = frozenset(), suggest: list[Edit] | None = None,
) -> list[Edit]:
    """Return corrections of OCR-misspelled words in ``text`` (one value), sorted.

    ``vocabulary``: word counts of the whole document (as from
    :func:`docparse.wordscore.words`), so a name used elsewhere is left alone and a
    variant spelled right elsewhere is preferred; defaults to the words of ``text``.
    ``ocr``: True corrects with the lexicon; False makes only in-document corrections
    (the right form used at least twice elsewhere); None decides with
    :func:`ocr_evidence` on ``text`` (weak for one paragraph: pass the document's verdict).
    ``prefer``: words expected in this kind of text (a signatory's title: "ranking",
    "member", "chairman" ...), which win a tie the lexicon alone cannot break
    ("Raning Member": ranking or ranging).
    ``suggest``: where given, the corrections of OCR'd text that only undo a writer's
    habit (:func:`writer_habit`: "arest", "utterd", "welcom") go there instead of into
    the result: evidence too weak to change the writer's text.

    ``spelling_edits("renewed efforts to combat corrption.", ocr=True)`` ->
    ``[Edit(29, 38, "corrption", "corruption", ...)]``.
    """
    doc = vocabulary if vocabulary is not None else Counter(words(text))  # read only
    if ocr is None:
        ocr = ocr_evidence(text).likely_ocr
    edits: list[Edit] = []
    if ocr:
        edits.extend(_ordinal_edits(text))
    odd = _spacing._odd_tokens(text)
    if not ocr and not odd:
        return []  # outside OCR'd text only a token that is not a word may change
    near: list[str] | None = None  # words used twice or more in the document
    # OCR'd text: every token (a rare real word may be damage too); else the odd ones
    matches = _TOKEN.finditer(text) if ocr else _odd_matches(text, {t for t in odd if _candidate_token(t)})
    for m in matches:
        tok = m.group()
        if tok not in odd or not _candidate_token(tok):
            if ocr and tok.islower() and doc.get(tok, 0) <= 1:
                real = _real_word_best(tok)
                prev = _spacing._word_before(text, m.start(), strip=True).lower()
                if prev in ("and", "&", "or"):
                    real = None  # "to and fro": a real word in a pair is meant
                if real is not None and doc.get(real, 0) >= 1:  # spelled right elsewhere
                    e = Edit(m.start(), m.end(), tok, real, 0.6, f"real-word:{tok}->{real}")
                    if suggest is None or writer_habit(tok, real) is None:
                        edits.append(e)
                    else:
                        suggest.append(e)
            continue
        low = tok.lower()
        if not ocr and zipf(low) >= 3.0:
            continue  # outside OCR'd text a web-seen short form is the writer's ("tha")
        if doc.get(low, 0) >= 2 and not any(
            doc.get(c, 0) > doc[low] for c in _variants_in(low, doc)
        ):
            continue  # used more than once, and no commoner variant here: the writer's word
        nxt = text[m.end() : m.end() + 1]
        if nxt == "." and tok.istitle() and len(tok) <= 4:
            continue  # an abbreviation such as "Jany." or "Thos."
        capitalised = tok.istitle()
        if capitalised and m.start() > 0 and zipf(low) >= 2.0 and not _sentence_start(text, m.start()):
            continue  # a rare capitalised token the web has seen: likely a name
        if not ocr:
            # only a variant spelled right twice elsewhere can win: look for one first
            if near is None:
                near = [w for w, n in doc.items() if n >= 2]
            if not _has_variant(low, near):
                continue
        best = _best(low, doc, capitalised=capitalised, prefer=prefer)
        if best is None:
            continue
        target, confidence, kind = best
        if not ocr and doc.get(target, 0) < 2:
            continue
        after = _keep_case(tok, target)
        e = Edit(m.start(), m.end(), tok, after, confidence, f"lexicon:{low}->{target}")
        mid_capital = capitalised and not _sentence_start(text, m.start())
        if ocr and suggest is not None and (
            (writer_habit(low, target) is not None and not mid_capital)
            or (mid_capital and kind in ("dropped", "truncated")
                and not (doc.get(target, 0) > 0 or target in prefer))
        ):
            # a writer's habit ("arest"), or a capitalised word in mid-sentence (a name:
            # "Fancis", "Toled") whose correction the document itself does not use
            suggest.append(e)
        else:
            edits.append(e)
    return sorted(edits, key=lambda e: e.start)


@functools.lru_cache(maxsize=16384)
def _real_word_best(low: str) -> str | None:
    """The very common word that a rare real word ``low`` is with one letter dropped
    (``"hae"`` -> ``"have"``, ``"tat"`` -> ``"that"``), or None. The caller also asks
    for the word to be spelled right elsewhere in the document ("I sate down" stays).

    Only for text judged OCR'd, only lower-case words of 3+ letters, and only when one
    candidate stands clearly ahead of every other (``"hoe"`` could be ``"home"`` or
    ``"hope"``: left alone).
    """
    if len(low) < 3 or not is_word(low):
        return None
    z = zipf(low)
    if z >= _RARE_WORD:
        return None

    lexicon = _load_lexicon()
    scored = sorted(((zipf(c), c) for c in _insert_candidates(low) if c in lexicon), reverse=True)
    if not scored:
        return None
    top_z, top = scored[0]
    if top_z < _REAL_TARGET or top_z - z < _REAL_GAP:
        return None
    if len(scored) > 1 and top_z - scored[1][0] < 1.0:
        return None
    return top


def _by_length(vocab: Counter[str], memo: dict[int, list[str]]) -> dict[int, list[str]]:
    """``vocab``'s words grouped by length, filled into ``memo`` on first use."""
    if not memo:
        for w in vocab:
            memo.setdefault(len(w), []).append(w)
    return memo


def _has_insertion(low: str, longer: Sequence[str]) -> bool:
    """Whether one of ``longer`` (words one letter longer than ``low``) is ``low`` with
    one letter put back."""
    from rapidfuzz.distance import Levenshtein

    return any(Levenshtein.distance(low, w, score_cutoff=1) <= 1 for w in longer)


@functools.lru_cache(maxsize=8192)
def _variant_set(low: str) -> frozenset[str]:
    """Every form ``low`` could be with one letter put back or one look-alike read right."""
    return frozenset(_insert_candidates(low) | _lookalike_candidates(low))


def _variants_in(low: str, doc: Counter[str]) -> set[str]:
    """The words of ``doc`` in :func:`_variant_set` of ``low``; for a token longer than any
    word (see ``_LONGEST``), found without making the variants: by comparing ``low`` with
    the few words of ``doc`` about as long as it (:func:`_is_variant`)."""
    n = len(low)
    if n <= _LONGEST:
        return doc.keys() & _variant_set(low)
    return {c for c in doc if n - 2 <= len(c) <= n + 1 and c != low and _is_variant(low, c)}


def _is_variant(low: str, c: str) -> bool:
    """Whether ``c`` is in :func:`_variant_set` of ``low`` (``low`` with one letter put
    back, or one look-alike read right), in time linear in their length."""
    import os.path

    n = len(low)
    p = len(os.path.commonprefix((low, c)))
    q = len(os.path.commonprefix((low[::-1], c[::-1])))
    # one letter put back: the letter after the common start is the one more
    if len(c) == n + 1 and c[p] in _ALPHABET and c[p + 1:] == low[p:]:
        return True
    for clean, read in _LOOKALIKES:
        if len(c) != n - len(read) + len(clean):
            continue
        # c == low[:s] + clean + low[s + len(read):]: s within the common start, and the
        # rest within the common end
        for s in range(max(0, n - len(read) - q), min(p, n - len(read)) + 1):
            if low.startswith(read, s) and c.startswith(clean, s):
                return True
    return False


def _has_variant(low: str, near: list[str]) -> bool:
    """Whether one of ``near`` could be ``low`` undamaged: at most two edits away (a
    dropped letter, a look-alike reading) or ``low`` is its start (a lost ending)."""
    from rapidfuzz.distance import Levenshtein

    n = len(low)
    for w in near:
        if n - 2 <= len(w) <= n + 3 and (
            w.startswith(low) or Levenshtein.distance(low, w, score_cutoff=2) <= 2
        ):
            return True
    return False


_ORDINAL = regex.compile(r"(?<![\p{L}\p{N}.,])(\d+)([tnr])(?![\p{L}\p{N}])")


def _ordinal_edits(text: str) -> list[Edit]:
    """Complete an ordinal whose ending the OCR cut: ``"the 13t inst"`` -> ``"the 13th inst"``.

    Only when the kept letter starts the number's own suffix (1st, 2nd, 3rd, 4th...);
    ``"1s"`` (shillings) and the old ``"2d"``/``"3d"`` are left alone.
    """
    out: list[Edit] = []
    for m in _ORDINAL.finditer(text):
        n, letter = int(m.group(1)), m.group(2)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        if suffix[0] != letter:
            continue
        at = m.end(2)
        out.append(Edit(at, at, "", suffix[1:], 0.8, f"ordinal:{m.group()}->{m.group(1)}{suffix}"))
    return out


def _sentence_start(text: str, at: int) -> bool:
    j = at  # (text[:at].rstrip(), without copying the text up to ``at``)
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return j == 0 or text[j - 1] in ".!?\"“"
