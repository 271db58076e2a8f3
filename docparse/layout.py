"""The layout analyser: physical lines to the line tokens the grammar sequences.

This is docparse's post-lexer, in the spirit of Lark's ``Indenter``: it reads what
only the page shows -- blank lines, indentation, form feeds, double spacing,
running headers, a change of language between an original and its translation --
and turns each source line into one token whose type names the line's class
(``DATE_LINE``, ``PARA_LINE``, ``HEADER_LINE`` ...), plus zero-width markers
(``_PAR_END``, ``_PAR_CONT``, ``_SIG_BREAK``, ``_LETTER_BREAK``). The line
lexicons (salutations, closings, page numbers ...) are the ``LEX_*`` terminals of
the grammar, so a grammar plugin can extend them; the grammar
(``grammars/letter.lark``) then decides how the lines form the tree.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from .alphabet import FOREIGN_BYTES as _FOREIGN_BYTES
from .alphabet import NOT_LATIN_BYTES as _NOT_LATIN_BYTES
from .source import split_lines

__all__ = ["DEFAULT_PARAMS", "Lexicon", "LayoutParams", "Line", "Tok", "analyse"]

# a sentence ends at the end of a line: the line's last character is one of these
_SENT_END_CHARS = tuple(".!?:;…\"'”»)]")
_DATE_HINT = re.compile(
    r"(?i)\b(?:jan(?:uary|y)?|feb(?:ruary|y)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[яй]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|"
    r"октябр\w*|ноябр\w*|декабр\w*)\b\.?"
)
_YEARISH = re.compile(r"(?<![\d.])(?:1[5-9]\d\d|20\d\d)(?!\d)|'\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_DAYISH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th|d|-?го|-?е)?\b")
# "21 <month> 2004", whatever the month word looks like (e.g. OCR-damaged)
_DAY_WORD_YEAR = re.compile(r"(?<!\d)\d{1,2}(?:st|nd|rd|th|d)?\.?\s+\S{3,12}\.?,?\s+(?:1[5-9]|20)\d\d(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?", re.UNICODE)


_dates_has_date: Callable[[str], bool] | None = None


def has_date(text: str) -> bool:
    """Cheap test: the line holds a date (a month with a day or year, a numeric date),
    or, being very short, just a month ("July")."""
    global _dates_has_date
    if _dates_has_date is None:
        from .dates import has_date as _dates_has_date  # (imported on first use: a parse needs it)
    if _dates_has_date(text):
        return True
    return len(text) <= 12 and bool(_DATE_HINT.fullmatch(text.strip(" ,.")))


_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CLOSER_TOKENS = frozenset({"NAME_LINE", "TITLE_LINE", "CLOSER_ADDR_LINE", "_SIG_BREAK"})


#: line tokens whose runs the grammar closes with ``_END``
RUN_TOKENS = frozenset({
    "DATE_LINE", "SENDER_LINE", "RECIPIENT_LINE", "REF_LINE", "SALUTATION_LINE",
    "TEXT_LINE", "CLOSING_LINE", "END_DATE_LINE", "QUOTE_LINE", "SIGBLOCK_LINE", "LATE_DATE_LINE", "SUBJECT_LINE",
})


def end_runs(toks: list[Tok], run_types: frozenset[str] = RUN_TOKENS) -> list[Tok]:
    """Close each run of same-type line tokens with a zero-width ``_END`` (so that two
    blocks of one kind, such as two addresses, never read as one)."""
    out: list[Tok] = []
    for k, t in enumerate(toks):
        out.append(t)
        if t.type in run_types:
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is None or nxt.type != t.type:
                out.append(Tok("_END"))
    return out


class Line:
    """One physical line and what the analyser learns about it."""

    __slots__ = (
        "index", "start", "end", "next_start", "ff", "text", "indent", "length",
        "lang", "key", "role", "page", "cont", "ff_abs", "ff_after", "blank",
        "_date_like", "_name_like", "_postal",
    )

    def __init__(self, index: int, raw: str, start: int, next_start: int) -> None:
        self.index = index
        self.next_start = next_start
        self.lang: str | None = None
        self.role = ""
        self.page: int | None = None
        self.cont = False
        self._date_like: bool | None = None
        self._name_like: bool | None = None
        self._postal: bool | None = None
        if not raw:
            # an empty line (most blank lines): nothing to measure
            self.ff_after = self.ff_abs = self.ff = -1
            self.text = self.key = ""
            self.blank = True
            self.start = self.end = start
            self.indent = self.length = 0
            return
        ff = raw.find("\f")  # offset of a form feed in the line, -1 if none
        self.ff_after = -1
        if ff < 0:
            content = raw
            self.ff_abs = -1
        elif raw[:ff].strip():
            # a form feed after some of the line's text: the page turns after this line
            self.ff_after, ff, self.ff_abs = start + ff, -1, -1
            content = raw
        else:
            self.ff_abs = start + ff
            content = raw.replace("\f", " ")
        self.ff = ff
        stripped = content.strip()
        if not stripped:
            self.text = ""
        elif "  " in stripped or not stripped.isprintable():
            self.text = " ".join(stripped.split())
        else:
            self.text = stripped  # no run of spaces and no other white space: nothing to join
        self.blank = not self.text
        if stripped:
            lead = content.find(stripped[0])  # (every character before it is white space)
            self.end = start + lead + len(stripped)
        else:
            lead = len(content)
            self.end = start
        self.start = start + lead
        if lead and ff >= 0:
            # a form feed opening the line is a page turn, not a column of indentation
            bare = content[:lead].replace(" ", "", 1) if raw[ff:ff + 1] == "\f" else content[:lead]
            self.indent = len(bare.expandtabs(8))
        elif lead:
            head = content[:lead]
            self.indent = len(head.expandtabs(8)) if "\t" in head else lead
        else:
            self.indent = 0
        self.length = self.indent + len(stripped)
        self.key = self.text  # the text the lexicons are matched against

    # the line's facts, each computed once (the stages ask about a line many times)
    @property
    def date_like(self) -> bool:
        """The line holds a date (:func:`has_date` of its lexicon key)."""
        if self._date_like is None:
            self._date_like = has_date(self.key)
        return self._date_like

    @property
    def postal(self) -> bool:
        """The line holds a postcode or a contact (telephone, e-mail, web address): a line
        of an address or a letterhead, not running text."""
        if self._postal is None:
            self._postal = bool(_POSTCODE.search(self.text) or _CONTACT.search(self.text))
        return self._postal

    @property
    def name_like(self) -> bool:
        """The line reads as a typed name (:func:`_name_like` of its text)."""
        if self._name_like is None:
            self._name_like = _name_like(self.text)
        return self._name_like

    def __repr__(self) -> str:
        return f"<Line {self.index + 1} {self.role or '?'} {self.text[:40]!r}>"


class Tok:
    """A token for the grammar: ``type`` plus the lines it stands for."""

    __slots__ = ("type", "lines", "page", "start", "end")

    def __init__(self, type: str, lines: Sequence[Line] = (), page: int | None = None,
                 start: int | None = None, end: int | None = None) -> None:
        self.type = type
        self.lines = tuple(lines)
        self.page = page
        self.start = start if start is not None else (self.lines[0].start if self.lines else 0)
        self.end = end if end is not None else (self.lines[-1].end if self.lines else self.start)

    @property
    def value(self) -> Tok:
        """The token itself: builders read ``token.value.lines`` as of a Lark ``Token``."""
        return self


_UNKNOWN = object()  # (not in the memo: None is a remembered "no match")


class Lexicon:
    """The grammar's ``LEX_*`` terminals, compiled for whole-line matching."""

    #: how many (lexicon, line) answers :meth:`match` keeps
    MEMO_SIZE = 4096

    def __init__(self, patterns: dict[str, str]) -> None:
        self.patterns = {name: re.compile(p) for name, p in patterns.items()}
        # the analysis of a document asks about the same line again and again (is it a
        # closing? in the opener scan, the paragraph scan, the closer split ...), and some
        # lexicons are slow to refuse a line (``.{0,30}`` before a word list backtracks at
        # every position): answers are kept for the document, the memo emptied when full
        self._memo: dict[tuple[str, str], re.Match[str] | None] = {}

    def match(self, name: str, text: str) -> re.Match[str] | None:
        if not text:
            return None
        key = (name, text)
        memo = self._memo
        found = memo.get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return found  # type: ignore[return-value]
        pat = self.patterns.get(name)
        found = pat.fullmatch(text) if pat is not None else None
        if len(memo) >= self.MEMO_SIZE:
            memo.clear()
        memo[key] = found
        return found

    def forget(self) -> None:
        """Empty the memo of answers (the analysis of a new document begins)."""
        self._memo.clear()

    def page_number(self, text: str) -> int | None:
        m = self.match("LEX_PAGE_NUMBER", text)
        if not m:
            return None
        for group in m.groupdict().values():
            if group:
                return int(group)
        nums = re.findall(r"\d{1,3}", text)
        return int(nums[0]) if nums else None


# ---------------------------------------------------------------------------

def _lines(text: str) -> list[Line]:
    return [Line(i, text[s:e], s, n) for i, (s, e, n) in enumerate(split_lines(text))]


# deleted from an ASCII line: what is left are the letters an English-only OCR makes of Cyrillic
_NOT_NATIVE_BYTES = _NOT_LATIN_BYTES + _FOREIGN_BYTES


# everyday English words: two of them on an ASCII line make it English (an English-only OCR
# of Cyrillic does not spell them; a cheaper test than scoring the line as look-alikes)
_ENGLISH_WORD_SET = frozenset({"the", "and", "of", "to", "that", "you", "for", "with", "is", "in", "it",
                               "we", "have", "be", "was", "will", "this", "my", "your"})
_ENGLISH_WORDS = re.compile(rf"\b(?:{'|'.join(sorted(_ENGLISH_WORD_SET))})\b")


def _english_words(text: str) -> bool:
    """Two everyday English words on the line (:data:`_ENGLISH_WORDS`)."""
    # the words standing between spaces are a cheap first count (each is also a match of
    # the pattern); only a line with fewer is searched with the pattern
    return (len(_ENGLISH_WORD_SET.intersection(text.split())) >= 2
            or len(_ENGLISH_WORDS.findall(text)) >= 2)


def _is_sentence_end(text: str) -> bool:
    text = text.rstrip()
    if text.endswith(("—", "–")):
        text = text[:-1].rstrip()  # ".—": a full stop and a dash, as writers of the day ended sentences
        return text.endswith((".", "!", "?"))
    return text.endswith(_SENT_END_CHARS)


def _starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


# signing on another's behalf, before the name: "i. A.", "i. V.", "p.p.", "ppa.", "per pro"
_ON_BEHALF = re.compile(r"^\s*(?:i\.\s?[AV]\.|p\.\s?p\.|ppa\.|pp\.|per\s+pro\.?|p\.\s?o\.)\s+")
# a dateline that names its place: "Paris, le 4 avril 2025", "Leipzig, 12. März 2025",
# "London, 3 May 1901", "Berlin, den 3. Mai"
# the gap between two columns typed side by side (signatures of two signers)
# the number of an item in a list ("1.)", "2)", "a.")
_ENUMERATED = re.compile(r"\(?(?:\d{1,2}|[a-z])[.)]")
_COLUMN_GAP = re.compile(r"\S( {3,}|\t+)\S")
_PLACE_DATE = re.compile(r"[^\W\d_][^,\d]{1,40},\s*(?:le|den|am|the|ce)?\s*\d")
# a contact line: an e-mail or web address, a telephone or fax number
# a contact named as such (an e-mail or web address, "Tel."), not a run of digits
_CONTACT_WORD = re.compile(r"\S+@\S+\.\w+|\bwww\.|https?://|(?i:\b(?:tel|phone|fax|telefon|tél)\b)")
_CONTACT = re.compile(r"\S+@\S+\.\w+|\bwww\.|https?://|(?i:\b(?:tel|phone|fax|telefon|tél)\b)|\+?\d[\d ()/-]{7,}\d")
# a postcode: five or six digits standing alone (US ZIP, DE, FR, RU), a British postcode
_POSTCODE = re.compile(r"(?<![\d.,/-])\d{5,6}(?:-\d{4})?(?![\d.,/-])|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")
# a sentence ending inside a text (so the text is more than one sentence)
_INNER_SENTENCE_END = re.compile(r"[^\s.][.!?]\s+\S")
# a signature of initials only: "B.S.", "W. W.", "Л. Н."
_INITIALS = re.compile(r"(?:\w{1,2}\.\s*){1,3}[—–-]?")
# a bare page number: "2", "2.", "(2)", "2)"
_BARE_NUMBER = re.compile(r"\(?\d{1,3}[.)]?")
_PARTICLES = frozenset({"de", "van", "von", "der", "da", "di", "la", "le", "du", "del", "&", "and", "y", "St.", "st."})


def _name_like(text: str) -> bool:
    """A typed name: a few capitalized words or initials ("G.H. Whitaker", "Л. Н.", "Walt—")."""
    if len(text) > 45:
        return False
    if text[:1] in "iIpP":
        text = _ON_BEHALF.sub("", text, count=1)
    core = text.strip(" .,;—–-")
    words = core.replace(",", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    if text.rstrip().endswith(("?", ":", ";", "!")):
        return False
    for n, w in enumerate(words):
        w = w.strip("\"'“”‘’()[]")
        if not w or w[0].isupper() or w[0].isdigit() or w in _PARTICLES:
            continue
        if n and w.endswith(".") and len(w) <= 6 and w[:-1].isalpha():
            continue  # an abbreviated degree or title inside a name ("Dr. med.", "Dr. phil.")
        return False
    return any(ch.isalpha() for ch in core)


@attrs.frozen
class LayoutParams:
    """The thresholds of the layout analysis, named and documented in one place.

    Columns count characters of a monospaced page (a tab is 8); widths are fractions of
    the letter's usual line width ``W`` (the 90th percentile of its line lengths).
    ``analyse(..., params=LayoutParams(right_column=30))`` tries other values; the
    defaults are the ones the accuracy figures in the README were measured with.
    """

    #: a line indented this far or more is set at the right (a dateline, a closer block)
    right_column: int = 20
    #: a typed name (signature) is at most this long
    name_width: int = 30
    #: a signature block's last line (a name the eye may not tell: "walt", "LW") at most
    signature_width: int = 35
    #: a dateline (and each line of a dated opener block) is at most this long
    dateline_width: int = 50
    #: a line wider than ``W`` by this factor was never wrapped with the text's lines
    unwrapped_factor: float = 1.1
    #: a blank line after a line short of the wrap width by more than the next word ends
    #: the paragraph; OCR'd text must be short by this fraction of the width to count
    ocr_wrap_room: float = 0.85
    #: a letter's lines of running text are at least this long
    text_width: int = 40
    #: an e-mail signature block ("-- " and the lines under it) has at most this many lines
    #: under its delimiter (RFC 3676 asks for four; mail programs add a few more)
    email_signature_lines: int = 8


DEFAULT_PARAMS = LayoutParams()


class _Analysis:
    def __init__(self, text: str, lexicon: Lexicon, decode: Callable[[str], str] | None,
                 lookalike: Callable[[str], float] | None, params: LayoutParams = DEFAULT_PARAMS) -> None:
        self.p = params
        self.text = text
        self.lex = lexicon
        lexicon.forget()  # (answers about another document's lines are no use here)
        self.lines = _lines(text)
        self.end_ff = -1  # a form feed after the last line's text
        for k, ln in enumerate(self.lines):
            if ln.ff_after >= 0:
                if k + 1 < len(self.lines):
                    nxt = self.lines[k + 1]
                    if nxt.ff < 0:
                        nxt.ff, nxt.ff_abs = 0, ln.ff_after
                else:
                    self.end_ff = ln.ff_after
        self.decode = decode
        self.lookalike = lookalike
        self.salutation_words: set[str] = set()
        self.dbl = False  # the letter being tokenized is double-spaced
        self.letter_end = len(self.lines)  # the end of the letter being tokenized
        self.wrap = 0  # the width the letter being tokenized was wrapped to
        self.line_classes: Sequence[Any] = ()
        #: why each line got its role: line index -> (rule name, evidence); read by
        #: :mod:`docparse.explain`
        self.why: dict[int, tuple[str, str]] = {}
        #: the rule that set each letter's first line as a letter start
        self.starts_why: dict[int, str] = {}
        #: each letter's closer zone: (first line, last line, the rule that found it)
        self.closer_spans: list[tuple[int, int, str]] = []
        #: the rule that began each paragraph: first line -> rule
        self.para_why: dict[int, str] = {}

    def mark(self, toks: Sequence[Tok], rule: str, evidence: str = "") -> None:
        """Record that ``rule`` gave the lines of ``toks`` their role."""
        why = self.why
        for t in toks:
            for ln in t.lines:
                why[ln.index] = (rule, evidence)

    # -- per line ---------------------------------------------------------
    def classify_language(self) -> None:
        for ln in self.lines:
            if ln.blank:
                continue
            t = ln.text
            english = False
            if t.isascii():
                # counting with bytes.translate is much faster than a regex
                raw = t.encode("ascii")
                letters = len(raw.translate(None, _NOT_LATIN_BYTES))
                cyr = 0
                if letters:
                    # a quarter of its letters ones an English-only OCR never makes of
                    # Cyrillic (d f g h i s u v w ...): English, whatever else it holds (the
                    # first test of docparse.cyrillic.lookalike_score, which scores it below 0.5)
                    english = 4 * (letters - len(raw.translate(None, _NOT_NATIVE_BYTES))) > letters + 4
            else:
                letters = len(_LETTER.findall(t))
                cyr = len(_CYRILLIC.findall(t))
            if letters == 0:
                continue
            if cyr / letters > 0.5:
                ln.lang = "ru"
            elif (self.lookalike is not None and letters >= 3
                  and not (cyr == 0 and (english or _english_words(t)))
                  and self.lookalike(t) >= 0.5):
                ln.lang = "ru"
                if self.decode is not None:
                    ln.key = self.decode(t)
            else:
                ln.lang = "en" if letters >= 3 else None

    # -- pages ------------------------------------------------------------
    def find_pages(self) -> None:
        lines = self.lines
        n = len(lines)
        expected = 2
        i = 0
        while i < n:
            ln = lines[i]
            if ln.blank and ln.ff < 0:
                i += 1
                continue
            # a break: a form feed on this line, or a gap of blank lines before it
            gap = 0
            j = i - 1
            while j >= 0 and lines[j].blank and lines[j].ff < 0:
                gap += 1
                j -= 1
            ff = ln.ff >= 0
            if ln.blank and ff:
                # a line holding only a form feed: the header (if any) follows
                k = i + 1
                while k < n and lines[k].blank and lines[k].ff < 0:
                    k += 1
                header = self._header_at(k, expected, strong=True, paged=True) if k < n else None
                ln.role = "BREAK"
                self.why[i] = ("pages.form-feed", "a line holding only a form feed")
                if header:
                    expected = self._mark_header(header, expected)
                    i = header[-1] + 1
                else:
                    i += 1
                continue
            if j < 0 and not ff and expected == 2:
                # the document opens with a continuation page ("Page 2" above its text: the
                # first page is missing): an explicit page line, not a bare number
                header = self._header_at(i, expected, strong=True)
                if (header and len(header) == 1 and not _BARE_NUMBER.fullmatch(ln.text)
                        and self.lex.page_number(ln.key) is not None):
                    expected = self._mark_header(header, expected)
                    i = header[-1] + 1
                    continue
            if ff or (gap >= 2 and j >= 0):
                header = self._header_at(i, expected, strong=ff or gap >= 3, paged=ff)
                if header:
                    expected = self._mark_header(header, expected)
                    if ff:
                        lines[i].cont = True  # the form feed is on the header line
                    i = header[-1] + 1
                    continue
                if ff:
                    ln.cont = True  # a bare form feed on a content line
            i += 1

    def _header_at(self, k: int, expected: int, strong: bool, paged: bool = False) -> list[int] | None:
        """The lines of a running header at line ``k``, if any. ``expected``: the next page
        number; ``strong``: a form feed or a wide gap comes before; ``paged``: a form feed
        (then a bare number is the page's number even out of sequence: pages out of order)."""
        lines = self.lines
        group: list[int] = []
        m = k
        while m < len(lines) and not lines[m].blank and len(group) < 3:
            group.append(m)
            m += 1
        if not group:
            return None
        after = m  # first line after the group
        for size in range(1, len(group) + 1):
            cand = group[:size]
            last = lines[cand[-1]]
            page = self.lex.page_number(last.key)
            if page is None and last.key != last.text:
                page = self.lex.page_number(last.text)
            if page is not None:
                bare = _BARE_NUMBER.fullmatch(last.text) is not None
                if bare and page != expected and page != 2 and not paged:
                    continue  # (a bare "2" restarts the count: the next letter of a bundle)
                if page < 2 or page > expected + 20:
                    continue
                if any(len(lines[c].text) > 60 for c in cand):
                    continue
                return cand
        # name / date header without a page number (e.g. "Mr. X" / "July 21, 2004"): the
        # first line must name the addressee (else it is the next letter's place and date)
        if strong and len(group) >= 2 and all(len(lines[c].text) <= 50 for c in group[:2]):
            if (lines[group[1]].date_like and not lines[group[0]].date_like
                    and self.lex.match("LEX_ADDRESSEE", lines[group[0]].key)):
                if not self._salutation_follows(after):
                    return group[:2]
        return None

    def _salutation_follows(self, k: int) -> bool:
        seen = 0
        while k < len(self.lines) and seen < 4:
            ln = self.lines[k]
            if not ln.blank:
                if self._is_salutation(ln):
                    return True
                seen += 1
            k += 1
        return False

    def _mark_header(self, group: list[int], expected: int) -> int:
        last = self.lines[group[-1]]
        numbered = self.lex.page_number(last.key) or self.lex.page_number(last.text)
        page = numbered or expected
        rule = "pages.page-number-header" if numbered else "pages.addressee-and-date-header"
        for c in group:
            self.lines[c].role = "HEADER"
            self.lines[c].page = page
            self.why[c] = (rule, f"page {page}, after a form feed or a gap")
        return page + 1

    # -- letters ----------------------------------------------------------
    def _is_salutation(self, ln: Line) -> bool:
        if ln.blank or len(ln.text) > 60 or ln.role or len(ln.text.split()) > 8:
            return False
        if (_starts_lower(ln.key) and ln.text.endswith(".") and len(ln.text.split()) >= 4
                and not ln.text.endswith("..")):
            # the lower-case end of a sentence ("dear old mother is busy with domestic
            # duties."): none of the 8,036 salutations of the corpus gold starts lower case and ends in a
            # full stop after four words or more
            return False
        if self.lex.match("LEX_SALUTATION", ln.key):
            return True
        return False

    def letters(self) -> list[tuple[int, int]]:
        """Split the lines into letters: ``(first, end)`` index ranges.

        A letter starts at a salutation, or at a date line standing apart after a
        gap or a form feed, once the letter before it has a body and an end: a
        complimentary close, a signature, or a change of language (an original
        followed by its translation).
        """
        lines = self.lines
        n = len(lines)
        anchors: list[tuple[str, int]] = []
        anchor_rule: dict[int, str] = {}
        openers = self._openers()
        for i, ln in enumerate(lines):
            if ln.blank or ln.role:
                continue
            if len(ln.text) > 60:
                # too long for a salutation or a dateline: only a plugin's opening line
                if openers is not None and openers.fullmatch(ln.key):
                    anchors.append(("date", i))
                    anchor_rule[i] = "letters.format-opener"
                continue
            blank_above = i == 0 or lines[i - 1].blank or ln.ff >= 0  # (or a new page)
            sal = self._is_salutation(ln)
            bang = self._bang_salutation(ln)
            if (sal or bang) and self._in_closer_block(i):
                continue
            if ((sal and self._stands_alone(i)) or (bang and blank_above and self._opener_before(i))) \
                    and self._body_follows(i):
                anchors.append(("sal", i))
                anchor_rule[i] = "letters.salutation-opens-letter"
            elif (len(ln.text) <= 50 and self._after_gap(i, strict=True)
                  and not _starts_lower(ln.key) and not self.lex.match("LEX_POSTSCRIPT", ln.key)
                  and self._dateline_block(i)
                  and self._text_follows(i) and not self._page_turns_after(i)):
                anchors.append(("date", i))
                anchor_rule[i] = "letters.dateline-after-gap"
            elif len(ln.text) <= 50 and self._glued_dateline(i):
                anchors.append(("date", i))
                anchor_rule[i] = "letters.dateline-under-signature"
            elif openers is not None and openers.fullmatch(ln.key):
                anchors.append(("date", i))  # a format plugin's first line (e.g. MEMORANDUM)
                anchor_rule[i] = "letters.format-opener"
        starts = [0]
        for kind, i in anchors:
            if i <= starts[-1]:
                continue
            b = self._date_start(i) if kind == "date" else self._letter_start(i, starts[-1])
            if b is None or b <= starts[-1]:
                continue
            short_opener = all(len(ln.text) <= 50 or self.lex.match("LEX_REFERENCE", ln.key) for ln in lines[b:i])
            if kind == "sal" and not self._body_follows(i, 20) and not (self._page_starts(b) and short_opener):
                continue  # a short line after a salutation-like line: a new letter only on a new page
            if not self._ends_between(starts[-1], b, kind, i):
                continue
            starts.append(b)
            self.starts_why[b] = f"{anchor_rule.get(i, 'letters.anchor')} (line {i + 1}), the letter above has ended"
        starts = self._tail_dates(starts, {i for kind, i in anchors if kind == "sal"})
        for b in starts[1:]:
            self.starts_why.setdefault(b, "letters.date-at-end-closes-letter-above")
        out = []
        for k, a in enumerate(starts):
            e = starts[k + 1] if k + 1 < len(starts) else n
            out.append((a, e))
        return out

    def _tail_dates(self, starts: list[int], salutations: set[int]) -> list[int]:
        """A writer who dates at the end: where a letter opens with nothing but a date above
        its salutation, yet ends with a date line of its own, and the letter before it has
        no date at its top, that first date ends the letter before (it is not the second
        date of this one)."""
        lines = self.lines
        out = list(starts)
        for k in range(1, len(out)):
            a = out[k]
            e = out[k + 1] if k + 1 < len(out) else len(lines)
            sal = next((i for i in range(a, min(e, a + 8)) if i in salutations), None)
            if sal is None or sal == a:
                continue
            head = [i for i in range(a, sal) if not lines[i].blank]
            if not head or len(head) > 3 or not lines[head[-1]].date_like or any(
                    len(lines[i].text) > 50 or lines[i].role for i in head):
                continue
            if not _DATE_HINT.search(" ".join(lines[i].key for i in head)):
                continue  # a calendar date with its month, not a house number that reads as a year
            last = [i for i in range(a, e) if not lines[i].blank and not lines[i].role][-3:]
            tail = [i for i in last if i > sal + 2]
            if not tail or not lines[tail[-1]].date_like or len(lines[tail[-1]].text) > 50:
                continue
            if self._dated_at_top(out[k - 1], a):
                continue
            out[k] = sal
        return out

    def _in_text(self, i: int, floor: int) -> bool:
        """Line ``i`` stands in running text: two lines of 40 characters or more, at the
        margin, come before it since ``floor``."""
        seen = 0
        lines = self.lines
        for k in range(floor, i):
            ln = lines[k]
            if len(ln.text) >= self.p.text_width and ln.indent < 10 and ln.role != "HEADER":
                seen += 1
                if seen >= 2:
                    return True
        return False

    def _text_follows(self, i: int) -> bool:
        """Two long lines (a letter's body) follow within the next dozen lines."""
        long = 0
        for ln in self.lines[i + 1:i + 16]:
            if len(ln.text) >= 40 and ln.role != "HEADER":
                long += 1
                if long >= 2:
                    return True
        return False

    def _dateline_block(self, i: int) -> bool:
        """Line ``i`` opens a block of at most eight short lines that holds a date."""
        lines = self.lines
        k = i
        seen = 0
        while k < len(lines) and seen < 9:
            ln = lines[k]
            if ln.blank:
                if k + 1 < len(lines) and lines[k + 1].blank:
                    break
                k += 1
                continue
            if len(ln.text) > 50 or ln.role:
                return False
            if ln.date_like:
                # (not a note's year: "Enclosure: Fall 2025 Trade Catalog")
                return not self._note_line(ln)
            seen += 1
            k += 1
        return False

    def _openers(self) -> re.Pattern[str] | None:
        """One pattern for the first lines of the format plugins' letters (``starts_letter``)."""
        pats = [self.lex.patterns[c.lexicon] for c in self.line_classes
                if c.starts_letter and c.lexicon in self.lex.patterns]
        if not pats:
            return None
        return re.compile("|".join(f"(?:{p.pattern})" for p in pats))

    def _glued_dateline(self, i: int) -> bool:
        """A place and date (or day and time: "Saturday—just after noon") typed straight
        under the signature of the letter before, with a letter's body after it: a file of
        letters copied one under the other."""
        lines = self.lines
        if i < 2 or lines[i - 1].blank or not lines[i - 1].name_like or lines[i - 1].date_like:
            return False
        above = i - 2
        while above >= 0 and lines[above].blank:
            above -= 1
        # the name must stand apart under a complimentary close, or apart and set at the
        # right under the body (a signature), with its place lines under it
        signed = (above >= 0 and lines[above].indent < self.p.right_column
                  and lines[i - 1].indent >= self.p.right_column and lines[i].indent >= self.p.right_column
                  and not self.lex.match("LEX_CLOSING", lines[i - 1].key))
        if above < 0 or i - 2 - above < 1 or not (self.lex.match("LEX_CLOSING", lines[above].key) or signed):
            return False
        for k in ((i, i + 1, i + 2) if signed else (i, i + 1)):
            if k >= len(lines) or lines[k].blank or len(lines[k].text) > 50:
                return False
            if lines[k].date_like or self.lex.match("LEX_DAY_TIME", lines[k].key):
                return self._text_follows(k)
        return False

    def _page_turns_after(self, i: int) -> bool:
        """The block of lines from ``i`` (its date, a place line or two, single blank lines
        between them) is the last thing on its page: a form feed follows it. A date that
        ends a page closes the letter before (written under the signature); it does not
        open the next one."""
        lines = self.lines
        k = i
        while k < len(lines) and k - i < 12:
            ln = lines[k]
            if k > i and ln.ff >= 0:
                return ln.role != "HEADER"  # (a running header: the letter goes on over the page)
            if len(ln.text) > 50:
                return False  # a line of the body: the block is not the end of its page
            if ln.blank and k + 1 < len(lines) and lines[k + 1].blank:
                break  # the end of the block
            k += 1
        while k < len(lines) and lines[k].blank:
            if lines[k].ff >= 0:
                return True
            k += 1
        return k < len(lines) and lines[k].ff >= 0 and lines[k].role != "HEADER"

    def _dated_at_top(self, a: int, b: int) -> bool:
        """The letter in lines ``a:b`` has a date among its first lines (before its body)."""
        seen = 0
        lines = self.lines
        for i in range(a, b):  # (no slice: the loop stops after a few lines of a long range)
            ln = lines[i]
            if ln.blank or ln.role:
                continue
            if ln.date_like:
                return True
            seen += 1
            if seen >= 8 or len(ln.text) > 60:
                return False
        return False

    def _date_start(self, i: int) -> int:
        """Where a letter whose dateline block begins at line ``i`` starts: at ``i``; but
        when the block first runs through the previous letter's closer (a complimentary
        close, its signature, the writer's address), at the date's own lines (the date, and
        a short place line typed just above it)."""
        lines = self.lines
        d = i
        while d < len(lines) and (lines[d].blank or not lines[d].date_like):
            d += 1
        if d >= len(lines):
            return i
        seg = lines[i:d]
        closed = any(not ln.blank and self.lex.match("LEX_CLOSING", ln.key) for ln in seg)
        # a signature, then the addressee's name ("F. P. Church" / "Mr. Walt Whitman")
        signed = (bool(seg) and seg[0].name_like and not seg[0].date_like
                  and any(not ln.blank and self.lex.match("LEX_ADDRESSEE", ln.key) for ln in seg[1:]))
        if not (closed or signed):
            return i
        up = d - 1
        if (up >= i and not lines[up].blank and len(lines[up].text) <= 30
                and not self.lex.match("LEX_CLOSING", lines[up].key)):
            return up
        return d

    def _page_starts(self, b: int) -> bool:
        """A form feed opens line ``b`` or the blank lines just above it."""
        lines = self.lines
        j = b
        while j >= 0:
            if j < b and not lines[j].blank:
                return False
            if lines[j].ff >= 0:
                return True
            j -= 1
        return False

    def _after_gap(self, i: int, strict: bool = False) -> bool:
        """The line (or, unless ``strict``, its block) follows a form feed or two blank lines."""
        lines = self.lines
        if strict:
            j = i - 1
            blanks = 0
            while j >= 0 and lines[j].blank:
                if lines[j].ff >= 0:
                    return True
                blanks += 1
                j -= 1
            return lines[i].ff >= 0 or (j >= 0 and blanks >= 2)
        k = i
        # up to two lines of the same block above (a place over the date)
        for _ in range(3):
            if lines[k].ff >= 0:
                return True
            j = k - 1
            blanks = 0
            while j >= 0 and lines[j].blank:
                if lines[j].ff >= 0:
                    return True
                blanks += 1
                j -= 1
            if j < 0:
                return False
            if blanks >= 2:
                return True
            if blanks == 1 or len(lines[j].text) > 50:
                return False
            k = j
        return False

    def _ends_between(self, a: int, b: int, kind: str, anchor: int) -> bool:
        """Lines ``a:b`` hold a letter: some body, and an end (closing, signature, language change)."""
        lines = self.lines
        body = [ln for ln in lines[a:b] if not ln.blank and ln.role != "HEADER"]
        # (lines of running text: a letterhead's address and contact lines are no body)
        long = 0
        for ln in body:  # (counted up to 3: the tests below ask no more)
            if len(ln.text) >= 40 and not ln.postal:
                long += 1
                if long >= 3:
                    break
        if (kind == "sal" and body and self._page_starts(b) and all(len(ln.text) <= 50 for ln in lines[b:anchor])
                and (long >= 2 or any(self._is_salutation(ln) or self._bang_salutation(ln) for ln in body))):
            return True  # a new page opening with a dateline or address and a salutation
        if long < 2:
            # a short letter still shows its parts: a salutation and a closing
            if not (len(body) >= 3 and any(self._is_salutation(ln) for ln in body)
                    and any(self.lex.match("LEX_CLOSING", ln.key) for ln in body)):
                return False
        lang = lines[anchor].lang
        if lang and any(ln.lang and ln.lang != lang for ln in body[-6:]):
            return True
        tail = body[-10:]
        if any(len(ln.text) <= 60 and self.lex.match("LEX_CLOSING", ln.key) for ln in tail):
            return True
        last = body[-1]
        if kind == "sal":
            opener = lines[b:anchor]
            if lines[b].ff >= 0:
                return True
            if any(not ln.blank and ln.date_like for ln in opener) and (
                    long >= 3 or last.name_like or last.indent >= self.p.right_column):
                return True  # (a dated opener under a body, not under a letterhead's lines)
            # the letter above ends in a signature: a short name on a line of its own
            return (last.name_like and len(last.text) <= 30 and last.index >= 1
                    and lines[last.index - 1].blank)
        return last.name_like or last.indent >= self.p.right_column

    def _bang_salutation(self, ln: Line) -> bool:
        """A short address ending in "!" ("Сережа!", "Андрей Ильич!", "Dear Friends!")."""
        return (ln.text.endswith("!") and len(ln.text) <= 45 and len(ln.text.split()) <= 6
                and not _starts_lower(ln.key) and not self.lex.match("LEX_POSTSCRIPT", ln.key)
                and not self.lex.match("LEX_CLOSING", ln.key)
                # a name ("Андрей Ильич!") or an address ("Милый друг!"), not a sentence
                and (_name_like(ln.key.rstrip("!")) or bool(self.lex.match("LEX_SALUTATION", ln.key))))

    def _in_closer_block(self, i: int) -> bool:
        """Line ``i`` continues a block that holds a complimentary close."""
        lines = self.lines
        k = i - 1
        while k >= 0 and not lines[k].blank and i - k <= 6:
            if len(lines[k].text) <= 75 and self.lex.match("LEX_CLOSING", lines[k].key):
                return True  # (a close with the name straight under it may run to 75: _closerish)
            k -= 1
        return False

    def _salutation_end(self, i: int) -> int:
        """The last line of a salutation starting at ``i``: a vocative ending in a comma may
        run on to a name line ("Милостивый Государь," / "Николай Алексеевич.")."""
        lines = self.lines
        j = i + 1
        # (never past the letter being read, nor over a page turn)
        if (lines[i].text.endswith(",") and j < min(len(lines), self.letter_end) and not lines[j].blank
                and not lines[j].role and lines[j].ff < 0
                and len(lines[j].text) <= 40 and lines[j].name_like
                and (j + 1 >= len(lines) or lines[j + 1].blank or lines[j + 1].indent > lines[j].indent)):
            return j
        return i

    def _body_follows(self, i: int, min_len: int = 3) -> bool:
        k = self._salutation_end(i) + 1
        while k < len(self.lines) and self.lines[k].blank:
            k += 1
        if k >= len(self.lines):
            return False
        nxt = self.lines[k]
        return not self._is_salutation(nxt) and len(nxt.text) >= min_len

    def _stands_alone(self, i: int) -> bool:
        """A salutation line has a blank or a short line above it and a break below it."""
        lines = self.lines
        above = i == 0 or lines[i - 1].blank or len(lines[i - 1].text) <= 60 or lines[i - 1].role == "HEADER"
        if i + 1 >= len(lines):
            return False
        nxt = lines[i + 1]
        below = nxt.blank or nxt.indent > lines[i].indent or lines[i].text.endswith((",", ":", "!", "—", "-"))
        return above and below

    def _opener_before(self, i: int) -> bool:
        """Nothing, or a block of short lines (an address, a date), comes before line ``i``:
        not the end of a paragraph (whose last line is short, but not the lines above it)."""
        lines = self.lines
        if lines[i].ff >= 0:
            return True  # line ``i`` opens a page
        k = i - 1
        while k >= 0 and lines[k].blank and lines[k].ff < 0:
            k -= 1
        while k >= 0 and not lines[k].blank:
            if len(lines[k].text) > 70:
                return False
            if lines[k].ff >= 0 or lines[k].role:
                break
            k -= 1
        return True

    def _letter_start(self, s: int, floor: int) -> int | None:
        lines = self.lines
        if lines[s].ff >= 0 and not lines[s].role:
            return s  # the salutation opens a new page: what is above it is the page before
        lang = lines[s].lang
        k = s - 1
        opener: list[int] = []
        blanks = 0
        gapped = False  # a blank line inside the opener block
        # (an opener is a few blocks of short lines: the walk up stops after 40 lines, so
        # that a file of thousands of salutations or dates stays linear)
        while k >= max(floor, s - 40):
            ln = lines[k]
            if ln.blank:
                if ln.ff >= 0:
                    break
                blanks += 1
                if blanks >= 2 and opener:
                    break
                gapped = gapped or bool(opener)
                k -= 1
                continue
            if ln.ff >= 0 and not ln.role:
                opener.append(k)
                break
            blanks = 0
            if ln.role == "HEADER":
                break
            if lang and ln.lang and ln.lang != lang:
                break
            if len(ln.text) > 70 or (len(ln.text) <= 60 and self.lex.match("LEX_CLOSING", ln.key)
                                     and not ln.date_like and not self.lex.match("LEX_REFERENCE", ln.key)):
                break
            if len(opener) >= 10 and (gapped or len(ln.text) > 60):
                break  # (a printed letterhead may run longer: one block of short lines)
            opener.append(k)
            k -= 1
        if not opener:
            return s
        opener.reverse()
        # the first block goes on a paragraph above it (a long line running on, one blank
        # line of double spacing between): it is that paragraph's end, not an opener
        up = opener[0] - 1
        if up >= 0 and lines[up].blank and lines[up].ff < 0:
            up -= 1
        if (up >= floor and not lines[up].blank and up < opener[0] - 1 and len(lines[up].text) > 60
                and not _is_sentence_end(lines[up].text) and not lines[up].role
                # (a paragraph: the line sits in a body of text, not at the top of the file
                # under a centred name: a letterhead wider than the body)
                and self._in_text(up, floor)):
            k = 0
            while k + 1 < len(opener) and opener[k + 1] == opener[k] + 1:
                k += 1
            opener = opener[k + 1:]
            if not opener:
                return s
        # a name standing alone under the last paragraph of the letter before, apart from
        # the opener below it, is that letter's signature (signed at the right, unclosed)
        for pos, o in enumerate(opener):
            above = o - 1
            while above >= floor and lines[above].blank and lines[above].ff < 0:
                above -= 1
            below = opener[pos + 1] if pos + 1 < len(opener) else s
            if (below > o + 1 and above >= floor and above < o - 1
                    and len(lines[o].text) <= 30 and lines[o].name_like
                    and not lines[o].date_like and not lines[above].role
                    and len(lines[above].text.split()) >= 5 and not lines[above].name_like
                    and not self._page_starts(o)):
                opener = opener[pos + 1:]
                if not opener:
                    return s  # (the signature of the letter above, then its salutation)
                break
        # lines that merely follow the previous letter's closing without a gap are its signature
        first = opener[0]
        prev = first - 1
        while prev >= 0 and lines[prev].blank and lines[prev].ff < 0:
            prev -= 1
        glued = prev >= 0 and prev == first - 1 and not lines[prev].blank
        if glued:
            dates = [o for o in opener if lines[o].date_like]
            if dates and not self._dated_at_top(floor, first) and not any(
                    self.lex.match("LEX_SALUTATION", lines[o].key) for o in opener):
                # a letter dated under its signature (Tolstoy's habit), the next one glued
                # under that date: the date ends the letter before
                return s
            if dates:
                d = dates[0]
                pos = opener.index(d)
                if lines[d].indent >= self.p.right_column:
                    # a right-aligned place and date under a signature at the margin: the
                    # right-aligned run is the new letter's dateline
                    top, k, taken = d, d - 1, 0
                    while k >= first and taken < 3:
                        if lines[k].blank:
                            if k - 1 < first or lines[k - 1].blank:
                                break
                            k -= 1
                            continue
                        if lines[k].indent < self.p.right_column:
                            if top > first:
                                return top  # (the margin line above is the letter before's)
                            break
                        if abs(lines[k].indent - lines[d].indent) > 12:
                            break
                        top, taken = k, taken + 1
                        k -= 1
                if pos >= 2 and opener[pos - 1] == d - 1 and len(lines[d - 1].text) <= 30:
                    return d - 1
                return d
            langs = {lines[o].lang for o in opener}
            if lang and langs == {lang} and lines[prev].lang and lines[prev].lang != lang:
                return first
            # keep one line for the previous letter's signature
            return opener[1] if len(opener) > 1 else s
        return first

    # -- within a letter --------------------------------------------------
    def plugin_token(self, ln: Line, zone: str) -> str | None:
        """The token a grammar plugin's line class gives ``ln`` in ``zone``, if any."""
        for cls in self.line_classes:
            if cls.zone == zone and self.lex.match(cls.lexicon, ln.key):
                return cls.token
        return None

    def letter_tokens(self, a: int, e: int) -> list[Tok]:
        lines = self.lines
        self.letter_end = e
        content = [i for i in range(a, e) if not lines[i].blank and lines[i].role != "HEADER"]
        if not content:
            return self._merge_pages([], a, e)
        if self.line_classes:
            # a format plugin's header lines (a memo's TO:/FROM: ...) open the letter
            lead: list[Tok] = []
            for i in content:
                token = self.plugin_token(lines[i], "opener")
                if token is None:
                    break
                lead.append(Tok(token, [lines[i]]))
            if lead:
                self.mark(lead, "opener.format-plugin-line", "a grammar plugin's line class")
                rest = lead[-1].lines[0].index + 1
                lead = end_runs(lead, frozenset(t.type for t in lead))
                return self._merge_pages(lead, a, rest) + (self.letter_tokens(rest, e) if rest < e else [])
        quoted = self._quoted_tail(content)
        if quoted:
            content = content[:len(content) - len(quoted)]
            if not content:
                return self._merge_pages(end_runs(self._quote_tokens(quoted)), a, e)
        sigblock = self._email_signature(content)
        if sigblock:
            content = content[:len(content) - len(sigblock)]
        width = sorted(lines[i].length for i in content)
        W = width[int(0.9 * (len(width) - 1))] if width else 70
        W = max(W, 40)
        # the width the text was wrapped to: its longest line, leaving out lines far wider
        # than most (a letterhead, a line never wrapped)
        self.wrap = width[bisect.bisect_right(width, 1.25 * W) - 1] if width[0] <= 1.25 * W else W
        # salutation: a salutation line, or the short line standing alone just before the body
        s = None
        sal_rule = ("", "")
        full = 0  # full-width lines at the left margin passed: the body has begun
        for i in content[:14]:
            ln = lines[i]
            # (a letterhead's address and contact lines may run wider than the body)
            postal = (len(ln.text) > 75 or len(ln.text) >= 0.8 * W) and ln.postal
            if len(ln.text) > 75 and i != content[0] and not postal:
                break
            if full >= 3:
                break
            full += len(ln.text) >= 0.8 * W and ln.indent < self.p.right_column and not postal
            if ln.role:
                continue
            if (self._is_salutation(ln) or self._bang_salutation(ln)) and self._body_follows(i) and self._stands_alone(i):
                s = i
                sal_rule = ("salutation.words-of-address" if self._is_salutation(ln) else "salutation.exclaimed-address",
                            "salutation lexicon, standing alone, body below" if self._is_salutation(ln)
                            else "a short name ending in '!', body below")
                break
        if s is None:
            body_start = self._guess_body_start(content, W, a, self._double_spaced(content, W))
            before = [i for i in content if i < body_start]
            if before:
                cand = before[-1]
                ln = lines[cand]
                alone = (cand - 1 < a or lines[cand - 1].blank) and (lines[cand + 1].blank or lines[cand + 1].indent > ln.indent)
                if (alone and len(ln.text) <= 60 and not ln.date_like and not self.lex.match("LEX_DAY_TIME", ln.key)
                        and ln.indent < self.p.right_column
                        and (ln.text.endswith((",", ":", "!", "—", "–", "-", ".")) or len(before) > 1
                             or (len(ln.text) <= 40 and self.lex.match("LEX_VOCATIVE", ln.key) is not None
                                 and not any(ch.isdigit() for ch in ln.text)))):
                    s = cand
                    sal_rule = ("salutation.alone-above-body", "the short line standing alone above the first paragraph")
        body_start = self._salutation_end(s) + 1 if s is not None else body_start
        self.salutation_words = set()
        if s is not None:
            for j in range(s, body_start):
                self.salutation_words |= {w.strip(".,;:!—-").lower() for w in lines[j].text.split() if len(w) > 2}
        opener = [i for i in content if i < (s if s is not None else body_start)]
        # double spacing: most neighbouring content lines are one blank line apart
        body_lines = [i for i in content if i >= body_start]
        dbl = self._double_spaced(body_lines, W)
        self.dbl = dbl
        # the left margin: first lines of paragraphs may be indented, their other lines are not
        margins = [lines[i].indent for i in body_lines if lines[i].length > 0.5 * W and lines[i].indent < self.p.right_column]
        base_indent = min(margins) if margins else 0
        units = self._paragraphs(body_lines, dbl, base_indent, W)
        body_units, closer, tail = self._split_closer(units, W, base_indent)
        toks: list[Tok] = []
        toks += self._opener_tokens(opener, dbl, a)
        if s is not None:
            sal = [Tok("SALUTATION_LINE", [lines[j]]) for j in range(s, self._salutation_end(s) + 1)]
            self.mark(sal, *sal_rule)
            toks += sal
        if s is not None and len(body_units) >= 2 and self._subject_line(body_units[0], body_units[1], W):
            subject = [Tok("SUBJECT_LINE", [lines[i]]) for i in body_units[0]]
            self.mark(subject, "body.subject-under-salutation", "a heading line standing alone under the salutation")
            toks += subject
            body_units = body_units[1:]
        for unit in body_units:
            toks += self._unit_tokens(unit, "PARA_LINE")
        toks += self._closer_tokens(closer)
        for t, unit in enumerate(tail):
            if self._trailing_date(unit):
                if t == len(tail) - 1:
                    end = [Tok("END_DATE_LINE", [lines[i]]) for i in unit]
                    self.mark(end, "tail.end-date", "a short date block closing the letter")
                    toks += end
                    continue
                if all(self.lex.match("LEX_POSTSCRIPT", lines[u[0]].key) or self._note_line(lines[u[0]])
                       for u in tail[t + 1:]):
                    # a short date block under the signature, with only postscripts and notes
                    # under it ("Marc" / "Lyon, le 2 mai 2025" / "P.-S. : ...")
                    end = [Tok("LATE_DATE_LINE", [lines[i]]) for i in unit]
                    self.mark(end, "tail.date-above-postscript", "a short date block under the signature, postscripts below")
                    toks += end
                    continue
            if (self._note_line(lines[unit[0]]) or (closer and self.lex.match("LEX_INITIALS", lines[unit[0]].key))) and not any(
                    self.lex.match("LEX_POSTSCRIPT", lines[i].key) for i in unit):
                # an enclosure or copy line, and the items listed under it
                kind = "CC_LINE"
                for i in unit:
                    key = lines[i].key
                    if self.lex.match("LEX_INITIALS", key):
                        toks.append(Tok("REF_LINE", [lines[i]]))
                        self.mark(toks[-1:], "tail.typist-initials", "initials lexicon")
                        kind = "CC_LINE"
                        continue
                    if self._note_line(lines[i]):
                        kind = "ENCL_LINE" if self.lex.match("LEX_ENCLOSURE", key) else "CC_LINE"
                    if toks and toks[-1].type == kind:
                        toks.append(Tok("_NOTE_BREAK"))
                    toks.append(Tok(kind, [lines[i]]))
                    self.mark(toks[-1:], "tail.enclosure" if kind == "ENCL_LINE" else "tail.copy",
                              "enclosure or copy lexicon" if self._note_line(lines[i]) else "an item listed under it")
                continue
            ps = self._unit_tokens(unit, "PS_LINE")
            marked = bool(self.lex.match("LEX_POSTSCRIPT", lines[unit[0]].key))
            self.mark(ps, "tail.postscript-marker" if marked else "tail.after-signature",
                      "opens with P.S." if marked else "text after the signature")
            toks += ps
        if sigblock:
            sig_toks = [Tok("SIGBLOCK_LINE", [lines[i]]) for i in sigblock]
            self.mark(sig_toks, "tail.email-signature", 'the "-- " delimiter of an e-mail signature and the lines under it')
            toks += sig_toks
        if quoted:
            toks += self._quote_tokens(quoted)
        return self._merge_pages(end_runs(toks), a, e)

    def _email_signature(self, content: list[int]) -> list[int]:
        """An e-mail's signature block at the end of a letter: a line "-- " (the delimiter of
        RFC 3676, section 4.3) and the few lines under it; none without text above it."""
        lines = self.lines
        for k in range(len(content) - 1, max(0, len(content) - 1 - self.p.email_signature_lines), -1):
            if lines[content[k]].text.strip() == "--":
                return content[k:]
        return []

    def _quoted_tail(self, content: list[int]) -> list[int]:
        """The lines of another message quoted under the letter (an e-mail reply): from a
        line introducing it ("On ..., Sam wrote:") or its first "> " line to the end, all
        of them "> " lines but the introduction."""
        lines = self.lines
        k = len(content)
        while k > 0 and self.lex.match("LEX_QUOTED", lines[content[k - 1]].key):
            k -= 1
        if k == len(content):
            return []
        if k > 0 and self.lex.match("LEX_QUOTE_INTRO", lines[content[k - 1]].key):
            k -= 1
        return content[k:] if k > 0 else []

    def _quote_tokens(self, quoted: list[int]) -> list[Tok]:
        toks = [Tok("QUOTE_LINE", [self.lines[i]]) for i in quoted]
        self.mark(toks, "tail.quoted-message", 'quoted lines ("> ") and the line introducing them')
        return toks

    def _guess_body_start(self, content: list[int], W: int, a: int, dbl: bool = False) -> int:
        """Without a salutation, the body opens at the first long line that is not a
        right-aligned date or address line (a sentence that names a date is body text)."""
        lines = self.lines
        for pos, i in enumerate(content):
            ln = lines[i]
            dated = len(ln.text) <= 60 and len(ln.text.split()) <= 9 and ln.date_like
            if len(ln.text) >= 0.5 * W and ln.indent < self.p.right_column and not dated:
                # a paragraph: this line and the next are long, or this one is a full sentence
                nxt = lines[content[pos + 1]] if pos + 1 < len(content) else None
                near = nxt is not None and nxt.index - i <= 2
                if (near and len(nxt.text) >= 0.5 * W) or nxt is None:
                    return i
                if (nxt.index - i <= (2 if dbl else 1) and len(ln.text) >= 0.9 * W and not nxt.date_like
                        and (nxt.index + 1 >= len(lines) or lines[nxt.index + 1].blank)):
                    return i  # a full line and the short last line of a two-line paragraph
        return content[0]

    def _double_spaced(self, idx: list[int], W: int) -> bool:
        """Double spacing: most lines are one blank line apart, or the lines before single
        blank lines run to the full width (so the blank is no paragraph end)."""
        if len(idx) < 4:
            return False
        pairs = [(x, y) for x, y in zip(idx, idx[1:]) if y - x == 2]
        ones = [x for x, _ in pairs]
        if len(ones) < 3:
            return False
        # a sentence running on across the blank line (no full stop, lower case after it)
        # (a line read through the look-alike decoder has no trustworthy case)
        mid = sum(1 for x, y in pairs
                  if not _is_sentence_end(self.lines[x].text)
                  and (_starts_lower(self.lines[y].key) or self.lines[y].key != self.lines[y].text))
        zeros = sum(1 for x, y in zip(idx, idx[1:]) if y - x == 1)
        if zeros == 0 and len(ones) >= 2 and all(
                y - x == 2 or any(ln.role or ln.ff >= 0 for ln in self.lines[x + 1:y]) for x, y in zip(idx, idx[1:])):
            # every line one blank line apart (but where a page turns), and paragraphs
            # marked by a first-line indent:
            # double spacing (the blank lines mark no paragraph)
            margin = min(self.lines[i].indent for i in idx)
            # (a long line of text not ending a sentence, the next line at the margin)
            runs_on = any(not _is_sentence_end(self.lines[x].text) and self.lines[x].length >= 0.6 * W
                          and self.lines[y].indent <= margin + 1 for x, y in pairs)
            if runs_on and any(margin + 2 <= self.lines[i].indent < self.p.right_column for i in idx):
                return True  # (and a sentence runs on across one of the blank lines)
        if len(idx) < 6:
            # a short letter: every blank line must run on inside a sentence, as most do
            return zeros == 0 and mid >= 0.6 * len(ones)
        if len(ones) >= 0.6 * (len(idx) - 1) and mid >= 0.3 * len(ones) and zeros * 2 < len(ones):
            return True
        lengths = sorted(self.lines[x].length for x in ones)
        return len(ones) >= 6 and lengths[len(lengths) // 2] >= 0.8 * W and mid >= 0.3 * len(ones)

    def _paragraphs(self, idx: list[int], dbl: bool, base: int, W: int) -> list[list[int]]:
        """Group body lines into paragraphs.

        A paragraph ends at a blank line (two in double-spaced text), or where the next
        line is indented (a first-line indent). A blank line inside a sentence (a full
        line, then lower case) is OCR noise. Where double spacing leaves neither blank
        lines nor indents to go by, a short line ending a sentence ends the paragraph.
        Across a page break, the text decides: a paragraph goes on unless the line
        before the break ends a sentence short of the margin.
        """
        lines = self.lines
        indents = sum(1 for i in idx if base + 2 <= lines[i].indent < self.p.right_column)
        units: list[list[int]] = []
        cur: list[int] = []
        for i in idx:
            ln = lines[i]
            if not cur:
                cur = [i]
                continue
            p = lines[cur[-1]]
            if i - cur[-1] > 1:
                between = lines[cur[-1] + 1:i]
                blanks = sum(1 for b in between if b.blank)
                headed = any(b.role == "HEADER" for b in between)
                paged = headed or any(b.role == "BREAK" for b in between) or ln.cont
            else:
                blanks, headed, paged = 0, False, ln.cont
            ends = _is_sentence_end(p.text)
            indented = base < ln.indent < self.p.right_column and (p.indent != ln.indent or (indents > 0 and ends))
            short_end = ends and p.length < 0.8 * W and not _starts_lower(ln.key)
            why = "body.paragraph"
            if paged and not headed and ln.ff >= 0 and blanks >= 1 and not dbl:
                brk = True  # a blank line, then the form feed: the paragraph had ended
                why = "body.blank-before-page-turn"
            elif paged:
                # across a page the blank lines say nothing: a first-line indent, or a line
                # that stops short of the paragraph's margin before a capital, ends it
                lmax = max(lines[c].length for c in cur)
                why = "body.page-turn-ends-paragraph"
                if indents and indented:
                    brk = True
                elif p.length < (0.6 if ends and len(cur) > 1 else 0.35) * max(lmax, 0.8 * W):
                    brk = True  # the line before the page stops far short of the margin
                elif _starts_lower(ln.key):
                    brk = False
                elif len(cur) == 1 and ends:
                    brk = True  # a one-line paragraph: no margin to judge by
                else:
                    brk = p.length < (0.95 if ends else 0.85) * max(lmax, 0.8 * W)
            elif blanks == 0:
                brk = indented and (ends or ln.indent - base >= 3)
                why = "body.first-line-indent"
                if brk and p.indent == ln.indent and len(ln.text) <= 40 and self._in_closer_block(i):
                    brk = False  # the name and address lines of an indented closer block
                if brk and ln.indent > p.indent and self._note_line(p):
                    brk = False  # a copy or enclosure item running on under a hanging indent
            elif dbl and blanks == 1:
                brk = indented and (ends or ln.indent - base >= 3) if indents else short_end
                why = "body.double-spaced-indent" if indents else "body.double-spaced-short-end"
            else:
                why = "body.blank-line"
                # a blank line mid-sentence (a long line, then lower case) is OCR noise; not
                # before a line far wider than the text's lines (it was never wrapped with them)
                brk = not (not ends and _starts_lower(ln.key) and p.length >= 0.6 * W and not indented
                           # (with room to spare: OCR'd lines of a proportional font vary)
                           and not self._hard_break(cur[-1], i, W, wide=False, room=self.p.ocr_wrap_room)
                           and ln.length <= 1.25 * W
                           and not self.lex.match("LEX_CLOSING", ln.key) and not self._note_line(ln)
                           and not self.lex.match("LEX_POSTSCRIPT", ln.key))
            if not brk and self._closing_here(ln, p, base, W):
                brk, why = True, "body.closing-under-paragraph"
            if (not brk and dbl and blanks == 1 and i in idx[-4:] and len(ln.text) <= 40
                    and not _starts_lower(ln.key) and self._hard_break(cur[-1], i, W, wide=False)
                    and self.lex.match("LEX_CLOSING", ln.key)):
                # double-spaced, a sentence running into its close ("... and oblige" / "Your
                # friend,"): the close starts a line of its own, where the text had room
                brk, why = True, "body.closing-runs-on-double-spaced"
            if not brk and blanks and self._note_line(ln):
                brk, why = True, "body.note-line-apart"  # an enclosure or copy line after a blank line stands apart
            if not brk and (p.indent >= self.p.right_column) != (ln.indent >= self.p.right_column) and (blanks or len(p.text) <= 45):
                brk, why = True, "body.alignment-changes"  # from a right-aligned closer line back to the body's margin, or the reverse
            if (not brk and blanks and i in idx[-3:] and len(ln.text) <= 30 and ln.name_like
                    and (i == idx[-1] or self._hard_break(cur[-1], i, W))):
                brk, why = True, "body.name-under-last-paragraph"  # a typed name under the last paragraph
            if brk:
                units.append(cur)
                cur = [i]
                self.para_why[i] = why
            else:
                cur.append(i)
        if cur:
            units.append(cur)
        if units and len(units[-1]) >= 2:
            # a short name typed straight under the last line of the body is the signature
            u = units[-1]
            last, prev = lines[u[-1]], lines[u[-2]]
            if (u[-1] - u[-2] == 1 and len(last.text) <= 30 and last.name_like and self._hard_break(u[-2], u[-1], W)
                    and (_is_sentence_end(prev.text) or prev.text.endswith(("—", "–", "-", ","))
                         or prev.length < 0.8 * W or prev.length > self.p.unwrapped_factor * W)
                    and not self.lex.match("LEX_CLOSING", last.key) and not prev.name_like
                    and not self.lex.match("LEX_POSTSCRIPT", lines[u[0]].key)
                    and not any(lines[i].date_like for i in u[-3:])):
                units[-1:] = [u[:-1], u[-1:]]
                self.para_why[u[-1]] = "body.name-typed-under-text"
        return units

    def _closing_here(self, ln: Line, prev: Line, base: int, W: int) -> bool:
        """A closing or signature line typed straight under the last paragraph line."""
        if len(ln.text) > 60:
            return False
        if ln.indent >= max(15, base + 10) and prev.indent < ln.indent - 5:
            return True
        # (the closing lexicon last: its patterns are the slowest test here)
        return (len(ln.text) <= 40 and (_is_sentence_end(prev.text) or prev.text.endswith(("—", "–")))
                and not _starts_lower(ln.text) and bool(self.lex.match("LEX_CLOSING", ln.key)))

    def _closerish(self, unit: list[int], base: int, W: int, above_name: bool = False) -> str:
        """The name of the rule by which block ``unit`` reads as a closer ("" if none)."""
        lines = self.lines
        texts = [lines[i] for i in unit]
        if self._note_line(texts[0]):
            return ""  # an enclosure or copy line is a note under the letter, whatever its words
        if above_name and len(texts) <= 3 and self.lex.match("LEX_INTO_NAME", texts[-1].key) and len(texts[-1].text) <= 60:
            # closing words that lead into the name (German "Ihr ergebener", "Dein treuer")
            # ending the block above it, the block one sentence leading into them ("Ich nutze den guten Anlass ... und bleibe / mit vielen Grüssen Ihr /
            # aufrichtig ergebener"), or two lines ("Leb wohl, ... tausend Grüße! / Dein treuer")
            joined = " ".join(t.text for t in texts)
            if (len(joined) <= 240 and not _starts_lower(texts[0].key)
                    and (len(texts) <= 2 or not _INNER_SENTENCE_END.search(joined))):
                return "closer.close-leading-to-name"
        if len(texts) > 8 or any(len(t.text) > 75 for t in texts):
            return ""
        # a typed name straight under the first line ("... I remain your sincere friend" /
        # "A. Benedict"): the line is a close, however long
        signed = len(texts) >= 2 and texts[1].name_like and len(texts[1].text) <= 30
        if self.lex.match("LEX_CLOSING", texts[0].key) and len(texts[0].text) <= (75 if signed else 70):
            # ... unless it is a paragraph wrapped at the margin ("Love to you, our friend, who
            # ..." running on): a closer's lines stop short of the full width
            wrapped = len(texts) >= 2 and len(texts[0].text) >= 0.75 * W and texts[0].indent < 15 and not signed
            if not wrapped and not self._runs_on(unit[-1], W):
                return "closer.closing-words"
            joined = " ".join(t.text for t in texts)
            if (above_name and len(texts) <= 3 and len(joined) <= 220 and joined.endswith((".", "!", ","))
                    and not _INNER_SENTENCE_END.search(joined) and self.lex.match("LEX_CLOSING", joined)):
                return "closer.closing-sentence"  # a formula wrapped over lines ("Veuillez agréer, ...")
        if all(t.indent >= max(15, base + 10) for t in texts):
            return "closer.indented-block"
        if len(texts) <= 4 and all(t.name_like or self.lex.match("LEX_TITLE", t.key) for t in texts):
            return "closer.names-and-titles"
        if (2 <= len(texts) <= 6 and len(texts[0].text) <= 30 and texts[0].name_like
                and not texts[0].date_like and all(len(t.text) <= 40 for t in texts[1:])
                and any(any(ch.isdigit() for ch in t.text) or self.lex.match("LEX_ADDRESSEE", t.key) for t in texts[1:])):
            return "closer.name-and-address"  # a typed name, then the writer's or the addressee's address (no close above)
        if self._signed_block(unit, W):
            return "closer.signed-block"
        first = texts[0].key
        if (len(texts) <= 3 and self.lex.match("LEX_SIGNED_BY", first) and _name_like(first.split(None, 1)[1])
                and all(t.name_like or self.lex.match("LEX_ADDRESSEE", t.key) for t in texts[1:])):
            return "closer.signed-by"  # "from Maria Smith" / "to Walt Whitman"
        return ""

    def _runs_on(self, i: int, W: int) -> bool:
        """Line ``i`` is a line of running text wrapped into the next one: it fills the
        width and ends in a word, and a line at the text's margin follows ("Yours rec'd—Many
        thanks—shall be happy to supply you with the" / "Book—the best way is ...")."""
        lines = self.lines
        ln = lines[i]
        if ln.length < 0.9 * W or not ln.text[-1:].isalpha():
            return False
        k = i + 1
        while k < len(lines) and lines[k].blank and k - i <= 2:
            k += 1
        if k >= len(lines) or lines[k].blank:
            return False
        nxt = lines[k]
        return (nxt.length >= 0.5 * W and nxt.indent < self.p.right_column and not nxt.name_like
                and not self._hard_break(i, k, W, wide=False))

    def _hard_break(self, a: int, b: int, W: int, wide: bool = True, room: float = 1.0) -> bool:
        """Line ``b``, straight under line ``a``, starts on a line of its own by the writer's
        choice: the first word of ``b`` would have fitted on ``a`` (a wrapped paragraph
        breaks only where the next word does not fit) within ``room`` of the wrap width;
        with ``wide``, also after a line wider than the text's lines (never wrapped)."""
        p, q = self.lines[a], self.lines[b]
        word = q.text.split(None, 1)[0] if q.text else ""
        # (a line far wider than the text's lines was never wrapped with them either)
        return p.length + 1 + len(word) <= room * max(W, self.wrap) or (wide and p.length > self.p.unwrapped_factor * W)

    def _signed_block(self, unit: list[int], W: int) -> bool:
        """A block of lines each set on a line of its own (no line wrapped into the next),
        ending in a short line that can be a signature: a closer, whatever its words."""
        lines = self.lines
        if not 2 <= len(unit) <= 6:
            return False
        last = lines[unit[-1]]
        if len(last.text) > self.p.signature_width or len(last.text.split()) > 5 or last.text.endswith(("?", ":")):
            return False
        if not last.name_like and last.text.endswith((".", "!", ";")):
            return False  # a phrase ending a sentence, not a name the eye cannot tell ("walt", "LW")
        if last.date_like or self._note_line(last) or self.lex.match("LEX_POSTSCRIPT", last.key):
            return False
        if self.lex.match("LEX_POSTSCRIPT", lines[unit[0]].key):
            return False
        return all(self._hard_break(x, y, W) for x, y in zip(unit, unit[1:]))

    def _note_line(self, ln: Line) -> bool:
        """An enclosure or copy line (the notes under a letter)."""
        return bool(self.lex.match("LEX_ENCLOSURE", ln.key) or self.lex.match("LEX_COPY", ln.key))

    def _notes(self, units: list[list[int]], k: int, base: int, W: int) -> bool:
        """Unit ``k`` is notes under the letter: it opens with an enclosure or copy line, or
        with the typist's initials under a closer ("MLP:jrs" / "cc: ..."); no P.S. in it."""
        lines = self.lines
        unit = units[k]
        if any(self.lex.match("LEX_POSTSCRIPT", lines[i].key) for i in unit):
            return False
        if self._note_line(lines[unit[0]]):
            return True
        return (k >= 2 and bool(self.lex.match("LEX_INITIALS", lines[unit[0]].key))
                and bool(self._closerish(units[k - 1], base, W)))

    def _trailing_date(self, unit: list[int]) -> bool:
        lines = self.lines
        return (len(unit) <= 3 and all(len(lines[i].text) <= 50 for i in unit) and lines[unit[0]].date_like
                and not self._note_line(lines[unit[0]]))

    def _split_closer(self, units: list[list[int]], W: int, base: int):
        lines = self.lines
        # enclosure and copy lines at the very end stand apart from closer and body
        notes: list[list[int]] = []
        while len(units) > 1 and self._notes(units, len(units) - 1, base, W):
            notes.insert(0, units[-1])
            units = units[:-1]
        if notes:
            body, closer, tail = self._split_closer(units, W, base)
            return body, closer, tail + notes
        n = len(units)
        k = n - 1
        end_date = n >= 2 and self._trailing_date(units[-1])
        if end_date:
            k = n - 2  # a date line at the very end (Tolstoy's habit) is no closer
        depth = n
        tail_start = n
        closer_start = closer_end = None
        # postscripts and enclosure lines at the end; the closer before them
        while k >= 1:
            u = units[k]
            first = lines[u[0]]
            zone_rule = self._closerish(u, base, W)
            if zone_rule and not self.lex.match("LEX_POSTSCRIPT", first.key):
                if zone_rule == "closer.closing-words" and not any(lines[i].name_like for i in u):
                    # closing words with no name under them, after a block that ends in a
                    # name: that block is the closer, the words after the signature a
                    # postscript ("Love to you— / Walt Whitman" / "Love to dear boy Logan—")
                    for j in range(k - 1, max(0, k - 3), -1):
                        uj = units[j]
                        tail_line = lines[uj[-1]]
                        if self.lex.match("LEX_POSTSCRIPT", lines[uj[0]].key):
                            break
                        if (tail_line.name_like and len(tail_line.text) <= 30 and not tail_line.date_like
                                and self._closerish(uj, base, W)):
                            k, u, first = j, uj, lines[uj[0]]
                            zone_rule = "closer.signed-before-postscript"
                            break
                closer_end = k + 1
                closer_start = k
                # (whether the closer's blocks hold closing words, kept as it grows upwards:
                # a closer of many blocks is never rescanned; and a closer has at most a
                # handful of blocks, so that a file of thousands of short lines stays linear)
                closed = any(self.lex.match("LEX_CLOSING", lines[i].key) for i in units[k])
                while closer_start - 1 >= max(1, k - 8) and len(units[closer_start - 1]) <= 4 and self._closerish(
                        units[closer_start - 1], base, W,
                        above_name=(closer_start == k or not closed) and not self.lex.match("LEX_CLOSING", lines[units[k][0]].key)):
                    # stop at a unit that looks like a short last paragraph
                    prev = units[closer_start - 1]
                    ln0 = lines[prev[0]]
                    apart = not self._adjacent(prev[-1], units[closer_start][0])  # a paragraph gap
                    if apart and closed:
                        # one complimentary close: a closing-like block a blank line above it
                        # is the last paragraph ("With kind regards to all" / "I am truly yours")
                        break
                    if (len(prev) == 1 and _is_sentence_end(ln0.text) and not self.lex.match("LEX_CLOSING", ln0.key)
                            and ln0.indent < 15 and not ln0.name_like):
                        break
                    if apart and len(prev) == 1 and ln0.indent < 15 and self._farewell_sentence(ln0):
                        # a farewell in a sentence of its own ("Love to Mrs. W. and the sister.",
                        # "God bless you all—") set a paragraph apart from the name: the last
                        # paragraph; a formula ("Sincerely,", "Yours truly.") stays the close
                        break
                    closer_start -= 1
                    closed = closed or any(self.lex.match("LEX_CLOSING", lines[i].key) for i in prev)
                tail_start = closer_end
                prev_u, first_u = units[closer_start - 1], units[closer_start]
                if (closer_start >= 2 and len(prev_u) == 1 and self._adjacent(prev_u[0], first_u[0])
                        and self._glued_close(prev_u[0]) and lines[first_u[0]].name_like):
                    closer_start -= 1  # a close of the writer's own words typed straight above the name
                # a bare name at the very end may be initials under a postscript: a complimentary
                # close a few paragraphs earlier is the letter's real closer
                if not any(self.lex.match("LEX_CLOSING", lines[i].key) for u in units[closer_start:closer_end] for i in u):
                    for j in range(closer_start - 1, max(0, closer_start - 4), -1):
                        uj = units[j]
                        if (self._closerish(uj, base, W) and self.lex.match("LEX_CLOSING", lines[uj[0]].key)
                                and not (len(uj) == 1 and self._farewell_sentence(lines[uj[0]]))):
                            end = j + 1
                            while end < closer_start and len(units[end]) <= 2 and all(
                                    lines[i].name_like or self.lex.match("LEX_FIRM", lines[i].key)
                                    for i in units[end]):
                                end += 1  # the typed name (or the firm signing) under that closing
                            if end == closer_start and lines[units[closer_start][0]].name_like:
                                # nothing but names between the close and the block at the end:
                                # that block is the signature, not initials under a postscript
                                # ("Mit freundlichen Grüßen" / firm / "i. A. Martin Schulte")
                                end = closer_end
                            closer_start, closer_end, tail_start = j, end, end
                            break
                        # or, under a postscript signed with initials ("B.S."), the full name
                        # standing alone a few paragraphs earlier
                        if (closer_end - closer_start == 1 and len(units[closer_start]) == 1
                                and _INITIALS.fullmatch(lines[units[closer_start][0]].text)
                                and len(uj) == 1 and lines[uj[0]].name_like
                                and len(lines[uj[0]].text.split()) >= 2 and not _INITIALS.fullmatch(lines[uj[0]].text)):
                            closer_start, closer_end, tail_start = j, j + 1, j + 1
                            prev_u = units[j - 1]
                            if j >= 2 and self._closerish(prev_u, base, W) and self.lex.match("LEX_CLOSING", lines[prev_u[0]].key):
                                closer_start = j - 1  # with the close above the name
                            break
                break
            if self.lex.match("LEX_POSTSCRIPT", first.key):
                depth = k  # a postscript: the closer is before it
            elif k < depth - 3:
                # a postscript marked as one ("P.S.") among the last dozen blocks: the
                # closer is looked for above it, however many paragraphs it runs to
                marked = next((j for j in range(k - 1, max(0, n - 13), -1)
                               if self.lex.match("LEX_POSTSCRIPT", lines[units[j][0]].key)), None)
                if marked is None:
                    break
                depth, k = marked, marked
            k -= 1
        if closer_start is not None:
            self.closer_spans.append((units[closer_start][0], units[closer_end - 1][-1], zone_rule))
        if closer_start is None:
            # no closer: trailing P.S. paragraphs are still postscripts
            t = n - 1 if end_date else n
            for j in range(max(1, t - 6), t):
                if self.lex.match("LEX_POSTSCRIPT", lines[units[j][0]].key):
                    t = j  # the first "P.S." near the end: it and all after it are postscripts
                    break
            return units[:t], [], units[t:]
        return units[:closer_start], units[closer_start:closer_end], units[tail_start:]

    def _subject_line(self, unit: list[int], nxt: list[int], W: int) -> bool:
        """The first block under the salutation is a subject line: one line standing apart,
        shorter than the text's lines, ending in no punctuation of a sentence or clause, with
        a paragraph of several lines under it ("Property: 27 Clifton Vale Terrace, Bristol")."""
        lines = self.lines
        if len(unit) != 1 or len(nxt) < 2:
            return False
        ln = lines[unit[0]]
        text = ln.text
        return (len(text) <= 0.9 * max(W, max(lines[i].length for i in nxt)) and len(text.split()) >= 2 and not _starts_lower(ln.key)
                and not text.rstrip("\"'”’»)]").endswith((".", "!", "?", ",", ";", ":", "—", "–", "-", "…"))
                and not _INNER_SENTENCE_END.search(text) and not _ENUMERATED.match(text)
                # (indented as the paragraphs' first lines are: a paragraph of its own)
                and not (ln.indent > 0 and ln.indent == lines[nxt[0]].indent)
                and lines[nxt[0]].index - unit[0] >= 2  # (a blank line under it)
                and not ln.name_like and not self.lex.match("LEX_CLOSING", ln.key))

    def _side_by_side(self, rest: list[int]) -> list[Tok]:
        """Signatures typed side by side ("Linda Kowalczyk      Raymond O. Fish" / "President
        and CEO      Chair, Board of Directors"): each line of the signature block splits at
        a run of three or more spaces into two columns that start at the same place on every
        line. The tokens: each column a signatory (its first line the name), left first."""
        lines = self.lines
        if not 1 <= len(rest) <= 4 or any(b - a != 1 for a, b in zip(rest, rest[1:])):
            return []
        cuts = []
        for i in rest:
            ln = lines[i]
            raw = self.text[ln.start:ln.end]
            m = _COLUMN_GAP.search(raw)
            if m is None or _COLUMN_GAP.search(raw, m.end(1)) is not None:
                return []
            cuts.append((ln, raw, m.start(1), m.end(1)))
        columns = [ln.indent + len(raw[:b].expandtabs(8)) for ln, raw, _a, b in cuts]
        if max(columns) - min(columns) > 2 or not cuts[0][0].name_like:
            return []
        halves: list[list[Line]] = [[], []]
        for ln, raw, a, b in cuts:
            halves[0].append(Line(ln.index, raw[:a], ln.start, ln.next_start))
            halves[1].append(Line(ln.index, raw[b:], ln.start + b, ln.next_start))
        if not _name_like(halves[1][0].text):
            return []
        toks: list[Tok] = []
        for half in halves:
            if toks:
                toks.append(Tok("_SIG_BREAK"))
            toks += [Tok("NAME_LINE" if k == 0 else "TITLE_LINE", [part]) for k, part in enumerate(half)]
        self.mark([t for t in toks if t.lines], "signature.side-by-side",
                  "signature lines split into two aligned columns")
        return toks

    def _adjacent(self, a: int, b: int) -> bool:
        """Line ``b`` follows line ``a`` with no paragraph gap: straight under it, or one
        blank line under it in double-spaced text."""
        return b - a <= (2 if self.dbl else 1)

    # -- token makers -----------------------------------------------------
    def _opener_tokens(self, opener: list[int], dbl: bool, a: int) -> list[Tok]:
        lines = self.lines
        if not opener:
            return []
        blocks: list[list[int]] = []
        for i in opener:
            prev = lines[blocks[-1][-1]] if blocks else None
            right = prev is not None and prev.indent >= self.p.right_column and abs(lines[i].indent - prev.indent) <= 2
            if right and lines[i].date_like and _PLACE_DATE.match(lines[i].key) and not any(
                    lines[j].date_like for j in blocks[-1]):
                right = False  # a dateline holding its own place, under an address: a block of its own
            if blocks and (i - blocks[-1][-1] == 1 or ((dbl or right) and i - blocks[-1][-1] == 2)):
                blocks[-1].append(i)
            else:
                blocks.append([i])
        # the dateline: the first block with a date, passing over a letterhead's address
        # whose house number or postcode reads as a year ("P.O. Box 1742, Millbrook, NY
        # 12545") where a later block holds a date without a postcode or contact
        date_block = next((b for b, blk in enumerate(blocks) if any(
            lines[i].date_like and not lines[i].postal
            for i in blk)), None)
        if date_block is None:
            date_block = next((b for b, blk in enumerate(blocks) if any(lines[i].date_like for i in blk)), None)
        if date_block is not None:
            # the sender's postal address or contacts typed straight above the date line
            # (a postcode, a telephone, an e-mail or web address): a block of their own
            blk = blocks[date_block]
            d = next(j for j, i in enumerate(blk) if lines[i].date_like)
            if d and any(lines[i].postal for i in blk[:d]):
                blocks[date_block:date_block + 1] = [blk[:d], blk[d:]]
                date_block += 1
        if date_block is None:
            date_block = next((b for b, blk in enumerate(blocks)
                               if any(self.lex.match("LEX_DAY_TIME", lines[i].key) for i in blk)), None)
        # the recipient's address above the date (DIN 5008, a window envelope): a short block
        # between the date and the salutation is the subject line ("Betreff")
        addressed = date_block is not None and any(
            self.lex.match("LEX_ADDRESSEE", lines[blk[0]].key) or any(_POSTCODE.search(lines[i].text) for i in blk)
            for blk in blocks[:date_block])
        toks: list[Tok] = []
        for b, blk in enumerate(blocks):
            if date_block is None:
                # no date: an addressee's block names someone; otherwise it is the dateline
                head = lines[blk[0]]
                # a postcode marks a postal address (the writer's place lines of an older
                # letter, its dateline, have none)
                postal = any(_POSTCODE.search(lines[i].text) for i in blk)
                if self.lex.match("LEX_ADDRESSEE", head.key) or len(blocks) > 1 or postal:
                    kind, rule = "RECIPIENT_LINE", "opener.undated-address-block"
                else:
                    kind, rule = "DATE_LINE", "opener.lone-line-is-dateline"
            elif b == date_block:
                kind, rule = "DATE_LINE", "opener.date-block"
            elif b < date_block:
                kind, rule = "SENDER_LINE", "opener.block-above-date"
            elif addressed and b == len(blocks) - 1 and len(blk) <= 2 and not any(
                    _POSTCODE.search(lines[i].text) or _CONTACT_WORD.search(lines[i].text) for i in blk):
                kind, rule = "REF_LINE", "opener.subject-under-date"
            else:
                kind, rule = "RECIPIENT_LINE", "opener.block-below-date"
            for i in blk:
                k2, r2 = kind, rule
                if self.lex.match("LEX_REFERENCE", lines[i].key):
                    k2, r2 = "REF_LINE", "opener.reference-line"
                toks.append(Tok(k2, [lines[i]]))
                self.why[i] = (r2, "the opener's blocks: sender, date, recipient, in that order")
        return toks

    def _unit_tokens(self, unit: list[int], kind: str) -> list[Tok]:
        toks = [Tok(kind, [self.lines[i]]) for i in unit]
        if kind == "PARA_LINE":
            # (only a paragraph's first line is marked: the explanation reads the others as
            # body.paragraph-continues, which keeps the marking off the parse's hot path)
            rule = self.para_why.get(unit[0], "body.first-paragraph")
            self.why[unit[0]] = (rule, "begins a paragraph" if unit[0] in self.para_why
                                 else "the first block of the body")
        return toks + [Tok("_PAR_END")] if kind in ("PARA_LINE", "PS_LINE") else toks

    def _closer_tokens(self, units: list[list[int]]) -> list[Tok]:
        lines = self.lines
        if not units:
            return []
        flat = [i for u in units for i in u]
        toks: list[Tok] = []
        if self.line_classes:
            marked = [self.plugin_token(lines[i], "closer") for i in flat]
            if any(marked):
                # a format plugin reads this closer (e.g. a memo's initials line)
                out = [Tok(m or "TEXT_LINE", [lines[i]]) for m, i in zip(marked, flat)]
                self.mark(out, "closer.format-plugin-line", "a grammar plugin's line class")
                return out
        if len(units) > 1 and self._trailing_date(units[0]) and not self.lex.match("LEX_CLOSING", lines[units[0][0]].key):
            # a place and date above the signature ("Gießen, 3. März 2025" / name / title)
            late = [Tok("LATE_DATE_LINE", [lines[i]]) for i in units[0]]
            self.mark(late, "closer.date-above-signature", "a short date block above the signature")
            return late + self._closer_tokens(units[1:])
        # the complimentary close runs up to the first line that reads as a typed name
        pos = 0
        while pos < len(flat):
            ln = lines[flat[pos]]
            if (ln.name_like and not self.lex.match("LEX_CLOSING", ln.key)
                    and not self.lex.match("LEX_SALUTATION", ln.key)):
                break  # (a vocative such as "Милостивый Государь" belongs to the closing)
            if pos > 0 and (self.lex.match("LEX_POSTSCRIPT", ln.key) or self._note_line(ln)):
                break
            if pos > 0 and not self.lex.match("LEX_CLOSING", ln.key) and not lines[flat[pos - 1]].text.endswith((",", "—", "-")) and not _starts_lower(ln.text):
                break
            pos += 1
        # a first block ending in closing words that lead into the name ("... eben dieser
        # Euer alter" / "Hermann"): all of it is the close
        first_block = 1
        while first_block < len(flat) and flat[first_block] - flat[first_block - 1] == 1:
            first_block += 1
        if (pos < first_block < len(flat) and first_block <= 3
                and self.lex.match("LEX_INTO_NAME", lines[flat[first_block - 1]].key)):
            pos = first_block
        # the firm signing, typed between the close and the room left for the signer's
        # signature ("Very truly yours," / "HALVERSON & PIKE LLP" / ... / "Meredith L.
        # Pike"): part of the close (a firm with a name straight under it signs itself)
        # (the firm's name may run over lines: "Wolters & Partner" / "Steuerberatungsgesellschaft mbH")
        while 0 < pos < len(flat) - 1 and self.lex.match("LEX_CLOSING", lines[flat[pos - 1]].key):
            end = pos
            while end < len(flat) - 1 and end - pos < 3 and flat[end + 1] - flat[end] == 1:
                end += 1
            if not (end < len(flat) - 1 and flat[end + 1] - flat[end] > 1  # (room for the signature below it)
                    and self.lex.match("LEX_FIRM", lines[flat[end]].key)):
                break
            pos = end + 1
        # a close of several lines whose last one is closing words straight above the name
        # ("Herzlich" / "Ihr" / "Hugo."): the close runs through it, whatever the lines above
        for j in range(len(flat) - 2, pos - 1, -1):
            if (flat[j + 1] - flat[j] == 1 and self.lex.match("LEX_CLOSING", lines[flat[j]].key)
                    and lines[flat[j + 1]].name_like and not self.lex.match("LEX_CLOSING", lines[flat[j + 1]].key)):
                if all(y - x == 1 for x, y in zip(flat[pos:j], flat[pos + 1:j + 1])):
                    pos = j + 1
                break
        if pos == len(flat) and len(flat) > 1 and not self.lex.match("LEX_CLOSING", lines[flat[-1]].key):
            # no typed name: the last line is the signature (a name the eye cannot tell, e.g.
            # "Han"), unless it is closing words too (then the letter is unsigned)
            pos = len(flat) - 1
        if pos == 0 and len(flat) == 1 and self.lex.match("LEX_CLOSING", lines[flat[0]].key) and not lines[flat[0]].name_like:
            pos = 1
        if pos and not self.lex.match("LEX_CLOSING", lines[flat[0]].key) and not any(
                self.lex.match("LEX_CLOSING", lines[i].key) or self.lex.match("LEX_INTO_NAME", lines[i].key)
                for i in flat[:pos]):
            if not (pos == 1 and len(flat) > 1 and self._glued_close(flat[0])):
                pos = 0
        lone = lines[flat[0]]
        if (pos == 0 and len(flat) == 1 and not lone.name_like and not _name_like(lone.key)
                and lone.key == lone.text and self._glued_close(flat[0])
                and sum(1 for w in lone.text.split() if w[:1].islower()) >= 2):
            pos = 1  # one line of the writer's own words ("Best luck to you") and no name: unsigned
        # every line of the closer above the signature is the close, a sentence of the
        # writer's own words included ("So long! / With love", "God bless you! / Yours"):
        # so the editions mark it (wide/ and de/: moving such a sentence to the body cost
        # 0.3-4 points of closing)
        closing = [Tok("CLOSING_LINE", [lines[i]]) for i in flat[:pos]]
        self.mark(closing, "closer.close-above-signature",
                  "closer lines above the first typed name" if pos < len(flat) else "closing words, unsigned")
        toks += closing
        rest = flat[pos:]
        if not rest:
            return toks
        side = self._side_by_side(rest)
        if side:
            return toks + side
        # signatories: blank-separated groups; a name then titles; other lines are the writer's address
        groups: list[list[int]] = []
        for i in rest:
            if groups and i - groups[-1][-1] == 1:
                groups[-1].append(i)
            else:
                groups.append([i])
        sig: list[Tok] = []
        addr: list[int] = []
        after: list[int] = []
        for g, grp in enumerate(groups):
            if addr:
                addr += grp
                continue
            if g > 0:
                # a block of its own under a signatory: another signatory if it holds a title,
                # or opens with a name under a titled signatory ("Chairman" / "Ranking Member");
                # otherwise the writer's address ("Washington D C" under a bare name)
                first = lines[grp[0]]
                if not (any(self.lex.match("LEX_TITLE", lines[i].key) for i in grp)
                        or (any(t.type == "TITLE_LINE" for t in sig) and self._another_signer(first, sig))):
                    prev_first = lines[groups[g - 1][0]]
                    aligned = first.indent >= self.p.right_column and abs(first.indent - prev_first.indent) <= 4
                    # (a postal address of short lines is the writer's, wherever it is set:
                    # "12 Mill Lane" / "Little Badsey" / "Worcestershire WR11 7HE")
                    postal = all(len(lines[i].text) <= 40 for i in grp) and (
                        any(_POSTCODE.search(lines[i].text) for i in grp)
                        or (len(grp) >= 2 and first.text[:1].isdigit()))
                    if sig and grp[0] - groups[g - 1][-1] > 1 + self.dbl and not aligned and not postal:
                        # a block of its own after the signature, not set in its column: text
                        # after the signature ("Walt Whitman Esq." under it) is a postscript
                        after = [i for gr in groups[g:] for i in gr]
                        break
                    addr += grp
                    continue
                prev_grp = groups[g - 1]
                if not (sig and sig[-1].type == "TITLE_LINE" and all(t.type == "TITLE_LINE" for t in sig[-len(prev_grp):])
                        and lines[prev_grp[-1]].text.endswith(",") and first.name_like
                        and not self.lex.match("LEX_TITLE", first.key)):
                    sig.append(Tok("_SIG_BREAK"))
                # (else a title ending in a comma, room to sign, then the name: one signer,
                # "La présidente," / ... / "Nadia Cazeneuve")
            titled = False
            rank_first = (len(grp) > 1 and bool(self.lex.match("LEX_TITLE", lines[grp[0]].key))
                          and not self.lex.match("LEX_TITLE", lines[grp[1]].key) and lines[grp[1]].name_like)
            for j, i in enumerate(grp):
                ln = lines[i]
                if rank_first and j < 2:
                    # a rank or office typed above the name ("Фейерверкер 4-го класса" / "Граф Лев Толстой")
                    sig.append(Tok("TITLE_LINE" if j == 0 else "NAME_LINE", [ln]))
                    self.mark(sig[-1:], "signature.rank-above-name", "title lexicon above a name")
                    titled = j == 0
                    continue
                if self.lex.match("LEX_TITLE", ln.key) and not (j == 0 and len(grp) > 1):
                    sig.append(Tok("TITLE_LINE", [ln]))
                    self.mark(sig[-1:], "signature.title", "title lexicon")
                    titled = True
                elif j == 0:
                    sig.append(Tok("NAME_LINE", [ln]))
                    self.mark(sig[-1:], "signature.name", "first line of a signature block"
                              + (" (typed name)" if ln.name_like else ""))
                elif (titled and len(ln.text.split()) <= 5 and not any(ch.isdigit() for ch in ln.text)
                      and not self.lex.match("LEX_ADDRESSEE", ln.key)):
                    sig.append(Tok("TITLE_LINE", [ln]))  # a further title under a title
                    self.mark(sig[-1:], "signature.title-under-title", "short line under a title")
                elif self._same_surname(ln, lines[grp[j - 1]]):
                    # a second signer of the family, straight under the first ("Reginald A.
                    # Beckett" / "Katie E. Beckett")
                    sig += [Tok("_SIG_BREAK"), Tok("NAME_LINE", [ln])]
                    self.mark(sig[-1:], "signature.name-sharing-surname", "a name with the surname of the name above")
                else:
                    addr += grp[j:]
                    break
        toks += sig
        caddr = [Tok("CLOSER_ADDR_LINE", [lines[i]]) for i in addr]
        self.mark(caddr, "signature.writer-address", "lines under the signature that name no signer")
        toks += caddr
        if after:
            ps = [Tok("PS_LINE", [lines[i]]) for i in after]
            self.mark(ps, "tail.after-signature", "a block of its own after the signature")
            toks += ps + [Tok("_PAR_END")]
        return toks

    def _farewell_sentence(self, ln: Line) -> bool:
        """A closing-like line that reads as a sentence of the body: it ends as a sentence
        does (".", "!", a dash) and holds no word of a closing formula."""
        text = ln.key.rstrip()
        return (text.endswith((".", "!", "—", "–")) and not self.lex.match("LEX_FORMULA", text)
                and not _INITIALS.fullmatch(text))

    def _glued_close(self, i: int) -> bool:
        """Line ``i`` is a complimentary close in the writer's own words ("Best luck to you",
        "God bless you all—"): a short line standing alone above the typed name, not a
        question, a heading or a note."""
        lines = self.lines
        ln = lines[i]
        right = self.p.right_column
        # (standing alone: a blank line above it, or set at the right under text at the margin)
        alone = i == 0 or lines[i - 1].blank or (ln.indent >= right > lines[i - 1].indent)
        return (alone and not ln.text.endswith(("?", ":"))
                and not ln.name_like and not ln.date_like and not self._note_line(ln)
                and not self.lex.match("LEX_POSTSCRIPT", ln.key) and not self.lex.match("LEX_TITLE", ln.key)
                and not self.lex.match("LEX_SIGNED_BY", ln.key))

    def _same_surname(self, ln: Line, above: Line) -> bool:
        """Line ``ln`` is another person's full name with the surname of the name ``above``."""
        words, names = ln.text.split(), above.text.split()
        if not (2 <= len(words) <= 4 and len(names) >= 2 and ln.name_like and above.name_like):
            return False
        if any(ch.isdigit() for ch in ln.text) or ln.text == above.text or self.lex.match("LEX_ADDRESSEE", ln.key):
            return False
        last, surname = words[-1].strip(".,;:—-"), names[-1].strip(".,;:—-")
        # (not the signer's name again, in capitals: "Joaquin Miller" / "JOAQUIN MILLER.")
        return (len(last) >= 3 and last.lower() == surname.lower()
                and words[0].strip(".,").lower() != names[0].strip(".,").lower())

    def _another_signer(self, ln: Line, sig: list[Tok]) -> bool:
        """A name under a signatory, apart from it, is a second signer -- unless it names the
        addressee (a salutation word, "Mr. ...", "To ...") or repeats the signer in capitals."""
        if not ln.name_like or any(ch.isdigit() for ch in ln.text) or self.lex.match("LEX_ADDRESSEE", ln.key):
            return False
        words = {w.strip(".,;:—-").lower() for w in ln.text.split()}
        names = [t for t in sig if t.type == "NAME_LINE"]
        for t in names:
            if words == {w.strip(".,;:—-").lower() for w in t.lines[0].text.split()}:
                return False  # the signer's name again, typed under the signature
        if self.salutation_words & {w for w in words if len(w) > 2}:
            return False
        return True

    def _merge_pages(self, toks: list[Tok], a: int, e: int) -> list[Tok]:
        """Insert page breaks and running headers at their places among the line tokens;
        a paragraph running across a page gets ``_PAR_CONT`` before the page tokens."""
        lines = self.lines
        pages: list[tuple[int, Tok]] = []  # (line index the token goes before, token)
        i = a
        while i < e:
            ln = lines[i]
            if ln.ff >= 0 and (ln.role in ("BREAK", "HEADER") or ln.cont):
                ffo = self._ff_offset(ln)
                j = i - 1
                while j >= a and lines[j].blank and lines[j].ff < 0:
                    j -= 1
                begin = lines[j].next_start if j >= a else ffo
                pages.append((i, Tok("PAGE_BREAK", start=min(begin, ffo), end=ffo + 1)))
            if ln.role == "HEADER":
                grp = [ln]
                while i + 1 < e and lines[i + 1].role == "HEADER" and lines[i + 1].page == ln.page:
                    i += 1
                    grp.append(lines[i])
                if grp[0].ff < 0 and not (pages and pages[-1][0] >= grp[0].index - 1 and pages[-1][1].type == "PAGE_BREAK"):
                    j = grp[0].index - 1
                    while j >= a and lines[j].blank and lines[j].ff < 0:
                        j -= 1
                    # (a blank line holding a form feed above the header already gave the
                    # page its break: a second one would start inside it, out of order)
                    if j >= a and j + 1 < grp[0].index and not (lines[j].blank and lines[j].ff >= 0):
                        pages.append((grp[0].index, Tok("PAGE_BREAK", start=lines[j].next_start, end=grp[0].start)))
                pages.append((grp[0].index, Tok("HEADER_LINE", grp, page=ln.page)))
            i += 1
        if self.end_ff >= 0 and e == len(lines):
            pages.append((e, Tok("PAGE_BREAK", start=self.end_ff, end=self.end_ff + 1)))
        if not pages:
            return toks
        out: list[Tok] = []
        p = 0
        deferred: list[Tok] = []
        for t in toks:
            if deferred and t.type not in _CLOSER_TOKENS:
                out.extend(deferred)
                deferred = []
            if t.lines:
                first = t.lines[0].index
                pending = []
                while p < len(pages) and pages[p][0] <= first:
                    pending.append(pages[p][1])
                    p += 1
                if pending:
                    inside = bool(out) and out[-1].type == t.type and t.type in ("PARA_LINE", "PS_LINE")
                    if inside:
                        out.append(Tok("_PAR_CONT"))
                        out.extend(pending)
                    elif (t.type in _CLOSER_TOKENS and t.type != "_SIG_BREAK" and len(out) >= 2
                          and out[-1].type == "_END" and out[-2].type == "CLOSING_LINE"):
                        # the page turns between the closing and the signature
                        out.extend(Tok("TURN_BREAK" if x.type == "PAGE_BREAK" else "TURN_HEADER", x.lines,
                                       page=x.page, start=x.start, end=x.end) for x in pending)
                    elif t.type in _CLOSER_TOKENS and out and out[-1].type in _CLOSER_TOKENS | {"CLOSING_LINE"}:
                        # a page turning inside the closer: its nodes follow the signature
                        deferred.extend(pending)
                    else:
                        out.extend(pending)
            out.append(t)
        out.extend(deferred)
        out.extend(tok for _, tok in pages[p:])
        return out

    def _ff_offset(self, ln: Line) -> int:
        if ln.ff_abs >= 0:
            return ln.ff_abs
        line_begin = self.text.rfind("\n", 0, ln.start) + 1
        if ln.blank:
            line_begin = min(line_begin, ln.start)
        pos = self.text.find("\f", line_begin, ln.next_start)
        return pos if pos >= 0 else ln.start


def analyse(text: str, lexicon: Lexicon, *, decode: Callable[[str], str] | None = None,
            lookalike: Callable[[str], float] | None = None,
            line_classes: Sequence[Any] = (), params: LayoutParams = DEFAULT_PARAMS,
            ) -> list[tuple[list[Tok], Any]]:
    """Analyse ``text``: a list of letters, each a list of tokens.

    ``line_classes`` are the grammar plugins' line classes (:class:`docparse.grammar.LineClass`);
    ``params`` the thresholds (:class:`LayoutParams`).
    """
    an = _Analysis(text, lexicon, decode, lookalike, params)
    an.line_classes = tuple(line_classes)
    an.classify_language()
    an.find_pages()
    out = []
    spans = an.letters()
    for k, (a, e) in enumerate(spans):
        toks = an.letter_tokens(a, e)
        if k + 1 < len(spans):
            # a form feed between two letters separates them: it is no page of the first
            while toks and toks[-1].type == "PAGE_BREAK":
                toks.pop()
        if out:
            # nor of the second (the grammar reads page breaks in a letter's body, not
            # above its opener)
            lead = 0
            while lead < len(toks) and toks[lead].type == "PAGE_BREAK":
                lead += 1
            if lead < len(toks):
                del toks[:lead]
        out.append((toks, (a, e, an)))
    return out
