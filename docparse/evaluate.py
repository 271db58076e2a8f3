"""Measuring parse accuracy against gold files (``docparse eval``).

A gold file ``NAME.gold.json`` sits beside the letter ``NAME.txt`` it describes
(the format is documented in ``docs/gold-format.md``). Each ``.txt`` is parsed,
every parsed :class:`~docparse.nodes.Letter` is mapped to the gold's fields
(:func:`letter_fields`), and the two are compared:

* single-valued fields (``date``, ``date_iso``, ``language``, ``salutation``,
  ``closing``, ``signatories``, ``postscript``): exact-match rate, strictly and
  after normalization (Unicode NFC, whitespace runs collapsed, case folded);
* list fields (``address``, ``closer_address``, ``paragraphs``, and
  ``running_headers`` per file): precision, recall and F1 over items, matched as
  multisets (an item matches at most one item), strictly and normalized.

Scores are kept per field and per language (the gold's ``language``). Parsed
letters are paired with gold letters by the lines they cover where the gold says
(``bundle_lines``) and in order otherwise; a gold letter with no partner is
*missing* and every one of its fields counts as a miss, a parsed letter with no
partner is *extra* and counts as a miss of every single-valued field and as false
positives for its list items. A file that cannot be parsed is recorded as an error
and all its gold letters are missing.

The instrument never looks at how the parser works: it reads only the node types
of :mod:`docparse.nodes`, so any parser (or a hand-built tree) can be measured.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import orjson

from .api import parse_file
from .errors import DocparseError, InputError
from .nodes import (
    AddressLine,
    Closing,
    Date,
    Document,
    Letter,
    Name,
    Node,
    PageHeader,
    Paragraph,
    Postscript,
    Salutation,
    Signatory,
    Signature,
    Title,
)

__all__ = [
    "LIST_FIELDS",
    "SINGLE_FIELDS",
    "Case",
    "GoldError",
    "GoldFile",
    "ListScore",
    "Report",
    "SingleScore",
    "evaluate_dir",
    "evaluate_document",
    "find_gold_files",
    "format_text",
    "header_lines",
    "letter_fields",
    "load_gold",
    "normalize",
]

#: fields compared as one value per letter, in table order
SINGLE_FIELDS: tuple[str, ...] = (
    "date",
    "date_iso",
    "language",
    "salutation",
    "closing",
    "signatories",
    "postscript",
)
#: fields compared as lists of items; ``running_headers`` is scored per file
LIST_FIELDS: tuple[str, ...] = ("address", "closer_address", "paragraphs", "running_headers")

_LETTER_LIST_FIELDS = ("address", "closer_address", "paragraphs")
_GOLD_SUFFIX = ".gold.json"
#: nodes that start the body: an address after one of them is a closer address
_BODY_TYPES = (Salutation, Paragraph, Closing, Signature, Postscript)


class GoldError(InputError):
    """A gold file that cannot be read or does not have the documented shape."""


# --------------------------------------------------------------------------- gold


@attrs.frozen(kw_only=True)
class GoldFile:
    """One gold file: the letters it describes (one, or several for a bundle).

    ``letters`` are the gold mappings as read; ``spans`` their (first, last)
    LF-counted lines when the gold gives ``bundle_lines``, else None;
    ``running_headers`` the header start lines of the whole file, or None when the
    gold does not annotate headers.
    """

    name: str
    text_path: Path
    gold_path: Path
    language: str | None
    letters: tuple[Mapping[str, Any], ...]
    spans: tuple[tuple[int, int], ...] | None
    running_headers: tuple[int, ...] | None


def find_gold_files(directory: str | Path) -> list[tuple[Path, Path]]:
    """``(text, gold)`` path pairs under ``directory`` (recursively), sorted by path.

    Raises :class:`InputError` if the directory is missing or holds no gold file,
    and :class:`GoldError` if a gold file has no ``.txt`` beside it.
    """
    root = Path(directory)
    if not root.exists():
        raise InputError(f"{directory}: no such directory")
    if not root.is_dir():
        raise InputError(
            f"{directory}: not a directory (eval takes a folder of NAME.txt + NAME.gold.json)"
        )
    pairs = []
    for gold in sorted(root.rglob("*" + _GOLD_SUFFIX)):
        text = gold.with_name(gold.name[: -len(_GOLD_SUFFIX)] + ".txt")
        if not text.is_file():
            raise GoldError(f"{gold}: no {text.name} beside it")
        pairs.append((text, gold))
    if not pairs:
        raise InputError(f"{directory}: no *{_GOLD_SUFFIX} files (see docs/gold-format.md)")
    return pairs


def _check_letter(gold: Any, where: str) -> Mapping[str, Any]:
    """Check the types of the fields docparse scores; other keys are kept as they are."""
    if not isinstance(gold, dict):
        raise GoldError(f"{where}: a letter's gold must be an object, not {type(gold).__name__}")
    for key in ("date", "date_iso", "language", "salutation", "closing", "postscript"):
        if key in gold and gold[key] is not None and not isinstance(gold[key], str):
            raise GoldError(
                f"{where}: {key!r} must be a string or null, not {type(gold[key]).__name__}"
            )
    for key in ("signatories", *_LETTER_LIST_FIELDS):
        if key in gold:
            value = gold[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise GoldError(f"{where}: {key!r} must be a list of strings")
    if "running_headers" in gold:
        headers = gold["running_headers"]
        if not isinstance(headers, list) or not all(
            isinstance(h, dict) and isinstance(h.get("line"), int) and h["line"] >= 1
            for h in headers
        ):
            raise GoldError(
                f"{where}: 'running_headers' must be a list of objects with a 'line' >= 1"
            )
    if "bundle_lines" in gold:
        span = gold["bundle_lines"]
        if not (
            isinstance(span, dict)
            and isinstance(span.get("start"), int)
            and isinstance(span.get("end"), int)
            and 1 <= span["start"] <= span["end"]
        ):
            raise GoldError(
                f"{where}: 'bundle_lines' must be {{'start': int, 'end': int}} with 1 <= start <= end"
            )
    return gold


def load_gold(text_path: str | Path, gold_path: str | Path) -> GoldFile:
    """Read and check one gold file (a letter, or a bundle with ``letters: [...]``)."""
    gpath = Path(gold_path)
    try:
        obj = orjson.loads(gpath.read_bytes())
    except OSError as exc:
        raise GoldError(f"{gpath}: cannot read ({exc.strerror or exc})") from None
    except orjson.JSONDecodeError as exc:
        raise GoldError(f"{gpath}: malformed JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise GoldError(f"{gpath}: the gold must be a JSON object, not {type(obj).__name__}")
    if "letters" in obj:
        raw = obj["letters"]
        if not isinstance(raw, list):
            raise GoldError(f"{gpath}: 'letters' must be a list")
        letters = tuple(_check_letter(g, f"{gpath}: letters[{i}]") for i, g in enumerate(raw))
    else:
        letters = (_check_letter(obj, str(gpath)),)
    language = obj.get("language")
    if language is None and letters:
        language = letters[0].get("language")
    spans: tuple[tuple[int, int], ...] | None = None
    if letters and all("bundle_lines" in g for g in letters):
        spans = tuple((g["bundle_lines"]["start"], g["bundle_lines"]["end"]) for g in letters)
    headers: tuple[int, ...] | None = None
    if any("running_headers" in g for g in letters):
        headers = tuple(sorted(h["line"] for g in letters for h in g.get("running_headers", ())))
    name = gpath.name[: -len(_GOLD_SUFFIX)] if gpath.name.endswith(_GOLD_SUFFIX) else gpath.stem
    return GoldFile(
        name=name,
        text_path=Path(text_path),
        gold_path=gpath,
        language=language if isinstance(language, str) else None,
        letters=letters,
        spans=spans,
        running_headers=headers,
    )


# --------------------------------------------------------------------------- the tree side


def _join(values: Iterable[str]) -> str | None:
    """Values joined with single spaces (empty ones skipped); None if there are none."""
    parts = [v for v in values if v]
    return " ".join(parts) if parts else None


def letter_fields(letter: Letter) -> dict[str, Any]:
    """The gold fields of a parsed letter.

    ``date``, ``salutation``, ``closing`` and ``postscript`` join the values of all
    such nodes in the letter with a space (the gold joins a field's lines that way);
    ``date_iso`` is the first date's ``iso``; ``signatories`` has one item per
    ``signatory`` node (its name and title values joined with a space; a name or
    title outside any signatory is an item of its own); ``address`` holds the
    address lines that come before the body (before the first salutation,
    paragraph, closing, signature or postscript) and ``closer_address`` the ones
    after it; ``paragraphs`` the paragraph values in order.

    >>> from docparse.nodes import Letter, Salutation, Paragraph
    >>> letter_fields(Letter(children=[Salutation(value="Dear Ann,"), Paragraph(value="Hi.")]))["salutation"]
    'Dear Ann,'
    """
    dates: list[Date] = []
    salutations: list[str] = []
    closings: list[str] = []
    postscripts: list[str] = []
    paragraphs: list[str] = []
    signatories: list[str] = []
    address: list[str] = []
    closer_address: list[str] = []
    in_body = False

    def visit(node: Node, in_signatory: bool) -> None:
        nonlocal in_body
        if isinstance(node, _BODY_TYPES):
            in_body = True
        if isinstance(node, Date):
            dates.append(node)
        elif isinstance(node, Salutation):
            salutations.append(node.value)
        elif isinstance(node, Closing):
            closings.append(node.value)
        elif isinstance(node, Postscript):
            postscripts.append(node.value)
        elif isinstance(node, Paragraph):
            paragraphs.append(node.value)
        elif isinstance(node, AddressLine):
            (closer_address if in_body else address).append(node.value)
        elif isinstance(node, Signatory):
            parts = [n.value for n in node.walk() if isinstance(n, (Name, Title))]
            joined = _join(parts)
            if joined is not None:
                signatories.append(joined)
            return
        elif isinstance(node, (Name, Title)) and not in_signatory and node.value:
            signatories.append(node.value)
        for child in getattr(node, "children", ()):
            visit(child, in_signatory)

    for child in letter.children:
        visit(child, False)
    return {
        "date": _join(d.value for d in dates),
        "date_iso": next((d.iso for d in dates if d.iso), None),
        "language": letter.language,
        "salutation": _join(salutations),
        "closing": _join(closings),
        "signatories": signatories,
        "postscript": _join(postscripts),
        "address": address,
        "closer_address": closer_address,
        "paragraphs": paragraphs,
    }


def _lf_starts(text: str) -> list[int]:
    """Offsets where LF-counted lines start (the gold counts lines by LF only)."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _lf_line(starts: Sequence[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)


def _first_ink(text: str, start: int, end: int) -> int:
    """Offset of the first non-whitespace character in ``text[start:end]`` (or ``start``)."""
    for i in range(start, min(end, len(text))):
        if not text[i].isspace():
            return i
    return start


def header_lines(doc: Document) -> list[int]:
    """The LF-counted line of each ``page_header`` node: where its first visible character is.

    The gold numbers lines by LF (a form feed does not start a line). A header node
    whose span begins with blank lines or a form feed is placed on the line of its
    first visible character, so the measure does not depend on where exactly the
    parser starts the node.
    """
    text = doc.source.text
    starts = _lf_starts(text) if text is not None else None
    out = []
    for node in doc.walk():
        if not isinstance(node, PageHeader) or node.position is None:
            continue
        if text is None or starts is None:
            out.append(node.position.start.line)
        else:
            ink = _first_ink(text, node.position.start.offset, node.position.end.offset)
            out.append(_lf_line(starts, ink))
    return sorted(out)


def _letters(doc: Document) -> list[Letter]:
    return [n for n in doc.walk() if isinstance(n, Letter)]


def _letter_span(
    letter: Letter, text: str | None, starts: Sequence[int] | None
) -> tuple[int, int] | None:
    """The (first, last) LF-counted lines of a parsed letter's visible text."""
    pos = letter.position
    if pos is None or text is None or starts is None:
        return None
    first = _first_ink(text, pos.start.offset, pos.end.offset)
    last = pos.end.offset
    while last > first and text[last - 1].isspace():
        last -= 1
    return _lf_line(starts, first), _lf_line(starts, max(first, last - 1))


def _align(
    gold_spans: Sequence[tuple[int, int]] | None,
    got_spans: Sequence[tuple[int, int] | None],
    n_gold: int,
) -> list[tuple[int | None, int | None]]:
    """Pair gold letters with parsed letters, keeping both orders.

    With line spans on both sides, the pairing maximizes the total number of shared
    lines (a letter pairs only with one it overlaps), so one merged or split letter
    does not shift every later pair. Without spans, letters pair in order.
    """
    n_got = len(got_spans)
    if gold_spans is None or any(s is None for s in got_spans):
        pairs: list[tuple[int | None, int | None]] = [(i, i) for i in range(min(n_gold, n_got))]
        pairs += [(i, None) for i in range(n_got, n_gold)]
        pairs += [(None, j) for j in range(n_gold, n_got)]
        return pairs

    def overlap(i: int, j: int) -> int:
        a, b = gold_spans[i]
        span = got_spans[j]
        assert span is not None
        c, d = span
        return max(0, min(b, d) - max(a, c) + 1)

    # best[i][j]: most shared lines pairing gold[i:] with got[j:]
    best = [[0] * (n_got + 1) for _ in range(n_gold + 1)]
    for i in range(n_gold - 1, -1, -1):
        for j in range(n_got - 1, -1, -1):
            o = overlap(i, j)
            take = o + best[i + 1][j + 1] if o > 0 else -1
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs = []
    i = j = 0
    while i < n_gold and j < n_got:
        o = overlap(i, j)
        if o > 0 and best[i][j] == o + best[i + 1][j + 1]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n_gold)]
    pairs += [(None, k) for k in range(j, n_got)]
    return pairs


# --------------------------------------------------------------------------- scoring


def normalize(value: str | None) -> str | None:
    """The normalized form used by the lenient scores: NFC, whitespace collapsed, case folded.

    ``"  Dear  SIR,\\n"`` -> ``"dear sir,"``; None and blank strings -> None.
    """
    if value is None:
        return None
    out = " ".join(unicodedata.normalize("NFC", value).split()).casefold()
    return out or None


def _norm_single(field: str, value: Any) -> Any:
    if field == "signatories":
        # Normalized signatories compare the signature block's words in order, so
        # a title the gold gives as its own item ("W. L. Alden" / "(Associate
        # Editor)") and a parser's signatory with a title score alike; the strict
        # score still asks for the same items.
        return normalize(_join(value or []))
    return normalize(value)


@attrs.define
class SingleScore:
    """Exact-match counts of one single-valued field in one language."""

    n: int = 0
    strict: int = 0
    normalized: int = 0

    def add(self, strict_ok: bool, norm_ok: bool) -> None:
        self.n += 1
        self.strict += strict_ok
        self.normalized += norm_ok

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "strict": self.strict,
            "normalized": self.normalized,
            "strict_rate": _rate(self.strict, self.n),
            "normalized_rate": _rate(self.normalized, self.n),
        }


@attrs.define
class ListScore:
    """Item counts of one list field in one language (micro-averaged over letters)."""

    gold: int = 0
    got: int = 0
    strict: int = 0
    normalized: int = 0

    def add(self, gold: int, got: int, strict: int, normalized: int) -> None:
        self.gold += gold
        self.got += got
        self.strict += strict
        self.normalized += normalized

    def prf(self, matched: int) -> tuple[float, float, float]:
        """Precision, recall, F1; an empty side counts as perfect (nothing to find or nothing wrong)."""
        p = matched / self.got if self.got else 1.0
        r = matched / self.gold if self.gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def to_dict(self) -> dict[str, Any]:
        ps, rs, fs = self.prf(self.strict)
        pn, rn, fn = self.prf(self.normalized)
        return {
            "gold": self.gold,
            "got": self.got,
            "strict": {"matched": self.strict, "precision": ps, "recall": rs, "f1": fs},
            "normalized": {"matched": self.normalized, "precision": pn, "recall": rn, "f1": fn},
        }


def _rate(k: int, n: int) -> float | None:
    return k / n if n else None


@attrs.frozen(kw_only=True)
class Case:
    """One imperfect comparison, for the list of worst cases.

    ``letter`` is the 1-based gold letter index (or the parsed letter's, for an
    extra one; 0 for file-level fields); ``badness`` orders the list: 1 - the
    similarity of the normalized values, or 1 - F1 for a list field; a mismatch
    that normalization forgives scores 0.01.
    """

    file: str
    letter: int
    field: str
    expected: Any
    got: Any
    badness: float
    strict_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "letter": self.letter,
            "field": self.field,
            "expected": self.expected,
            "got": self.got,
            "badness": round(self.badness, 4),
            "strict_only": self.strict_only,
        }


@attrs.define
class Report:
    """The result of an evaluation run; :meth:`to_dict` is the ``--format json`` output."""

    directory: str = ""
    files: int = 0
    gold_letters: int = 0
    parsed_letters: int = 0
    paired: int = 0
    missing: int = 0
    extra: int = 0
    unclassified: int = 0
    errors: list[tuple[str, str]] = attrs.field(factory=list)
    single: dict[str, dict[str, SingleScore]] = attrs.field(factory=dict)
    lists: dict[str, dict[str, ListScore]] = attrs.field(factory=dict)
    cases: list[Case] = attrs.field(factory=list)

    def single_score(self, field: str, lang: str) -> SingleScore:
        return self.single.setdefault(field, {}).setdefault(lang, SingleScore())

    def list_score(self, field: str, lang: str) -> ListScore:
        return self.lists.setdefault(field, {}).setdefault(lang, ListScore())

    def languages(self) -> list[str]:
        """Languages seen, sorted; ``?`` marks letters whose gold gives none."""
        langs: set[str] = set()
        for single in self.single.values():
            langs.update(single)
        for lists in self.lists.values():
            langs.update(lists)
        return sorted(langs)

    def total_single(self, field: str) -> SingleScore:
        total = SingleScore()
        for s in self.single.get(field, {}).values():
            total.n += s.n
            total.strict += s.strict
            total.normalized += s.normalized
        return total

    def total_list(self, field: str) -> ListScore:
        total = ListScore()
        for s in self.lists.get(field, {}).values():
            total.add(s.gold, s.got, s.strict, s.normalized)
        return total

    def worst(self, n: int) -> list[Case]:
        """The ``n`` worst cases: largest badness first, then by file, letter and field."""
        order = {f: i for i, f in enumerate(("file", "letter", *SINGLE_FIELDS, *LIST_FIELDS))}
        ranked = sorted(
            self.cases, key=lambda c: (-c.badness, c.file, c.letter, order.get(c.field, 99))
        )
        return ranked[: max(0, n)]

    def to_dict(self, worst: int = 10) -> dict[str, Any]:
        single: dict[str, Any] = {}
        for field in SINGLE_FIELDS:
            if field in self.single:
                per = {lang: s.to_dict() for lang, s in sorted(self.single[field].items())}
                per["all"] = self.total_single(field).to_dict()
                single[field] = per
        lists: dict[str, Any] = {}
        for field in LIST_FIELDS:
            if field in self.lists:
                lper = {lang: s.to_dict() for lang, s in sorted(self.lists[field].items())}
                lper["all"] = self.total_list(field).to_dict()
                lists[field] = lper
        return {
            "directory": self.directory,
            "files": self.files,
            "letters": {
                "gold": self.gold_letters,
                "parsed": self.parsed_letters,
                "paired": self.paired,
                "missing": self.missing,
                "extra": self.extra,
            },
            "unclassified_text_nodes": self.unclassified,
            "errors": [{"file": f, "error": e} for f, e in self.errors],
            "single": single,
            "lists": lists,
            "worst": [c.to_dict() for c in self.worst(worst)],
        }


def _similarity(a: str | None, b: str | None) -> float:
    return difflib.SequenceMatcher(None, a or "", b or "", autojunk=False).ratio()


def _multiset_matches(gold: Sequence[str], got: Sequence[str]) -> int:
    return sum((Counter(gold) & Counter(got)).values())


def _score_single(
    report: Report, name: str, index: int, lang: str, field: str, expected: Any, got: Any
) -> None:
    strict_ok = expected == got
    ne, ng = _norm_single(field, expected), _norm_single(field, got)
    norm_ok = ne == ng
    report.single_score(field, lang).add(strict_ok, norm_ok)
    if norm_ok and strict_ok:
        return
    if norm_ok:
        badness = 0.01
    else:
        badness = max(0.05, 1.0 - _similarity(ne, ng))
    report.cases.append(
        Case(
            file=name,
            letter=index,
            field=field,
            expected=expected,
            got=got,
            badness=badness,
            strict_only=norm_ok,
        )
    )


def _score_list(
    report: Report,
    name: str,
    index: int,
    lang: str,
    field: str,
    expected: Sequence[str],
    got: Sequence[str],
) -> None:
    strict = _multiset_matches(expected, got)
    ne = [normalize(v) or "" for v in expected]
    ng = [normalize(v) or "" for v in got]
    norm = _multiset_matches(ne, ng)
    report.list_score(field, lang).add(len(expected), len(got), strict, norm)
    if strict == len(expected) == len(got):
        return
    one = ListScore(gold=len(expected), got=len(got), strict=strict, normalized=norm)
    f1 = one.prf(norm)[2]
    if norm == len(expected) == len(got):
        # normalization forgives every difference: show the items that differ strictly
        badness, strict_only = 0.01, True
        missing = list((Counter(expected) - Counter(got)).elements())
        extra = list((Counter(got) - Counter(expected)).elements())
    else:
        badness, strict_only = max(0.05, 1.0 - f1), False
        missing = _unmatched(expected, ne, Counter(ne) - Counter(ng))
        extra = _unmatched(got, ng, Counter(ng) - Counter(ne))
    report.cases.append(
        Case(
            file=name,
            letter=index,
            field=field,
            expected=missing,
            got=extra,
            badness=badness,
            strict_only=strict_only,
        )
    )


def _unmatched(values: Sequence[str], normed: Sequence[str], left: Counter[str]) -> list[str]:
    """The original ``values`` left over after matching, in order.

    Earlier occurrences are taken as the matched ones, so of two equal items
    where the other side has one, the second is reported.
    """
    matched = Counter(normed) - left
    out = []
    for value, key in zip(values, normed):
        if matched[key] > 0:
            matched[key] -= 1
        else:
            out.append(value)
    return out


def evaluate_document(
    doc: Document | None, gold: GoldFile, report: Report, *, label: str | None = None
) -> None:
    """Score one parsed document (None if it could not be parsed) against its gold, into ``report``."""
    name = label or gold.name
    report.files += 1
    report.gold_letters += len(gold.letters)
    file_lang = gold.language or "?"
    letters = _letters(doc) if doc is not None else []
    report.parsed_letters += len(letters)
    if doc is not None:
        report.unclassified += sum(1 for n in doc.walk() if n.type == "text")
    text = doc.source.text if doc is not None else None
    starts = _lf_starts(text) if text is not None else None
    gold_spans = gold.spans
    if gold_spans is None and len(gold.letters) == 1 and starts is not None:
        # a single letter's gold covers the whole file
        gold_spans = ((1, len(starts)),)
    got_spans = [_letter_span(letter, text, starts) for letter in letters]
    fields = [letter_fields(letter) for letter in letters]
    annotated: set[str] = (
        set().union(*(g.keys() for g in gold.letters))
        if gold.letters
        else set(SINGLE_FIELDS) | set(_LETTER_LIST_FIELDS)
    )

    for gi, pi in _align(gold_spans, got_spans, len(gold.letters)):
        if gi is not None:
            g = gold.letters[gi]
            lang = g.get("language") or file_lang
            index = gi + 1
            if pi is None:
                report.missing += 1
                if doc is not None:
                    report.cases.append(
                        Case(
                            file=name,
                            letter=index,
                            field="letter",
                            expected=_describe_gold(g),
                            got=None,
                            badness=1.0,
                        )
                    )
                # every field of a missing letter is a miss (no per-field cases: the letter case says it)
                for field in SINGLE_FIELDS:
                    if field in g and not (field == "date_iso" and g[field] is None):
                        report.single_score(field, lang).add(False, False)
                for field in _LETTER_LIST_FIELDS:
                    if field in g:
                        report.list_score(field, lang).add(len(g[field]), 0, 0, 0)
                continue
            report.paired += 1
            got = fields[pi]
            for field in SINGLE_FIELDS:
                if field in g and not (field == "date_iso" and g[field] is None):
                    _score_single(report, name, index, lang, field, g[field], got[field])
            for field in _LETTER_LIST_FIELDS:
                if field in g:
                    _score_list(report, name, index, lang, field, g[field], got[field])
        else:
            assert pi is not None
            report.extra += 1
            f = fields[pi]
            # an extra letter misses every field the gold annotates (date_iso is only
            # scored where the gold has one, so not here)
            for field in SINGLE_FIELDS:
                if field != "date_iso" and field in annotated:
                    report.single_score(field, file_lang).add(False, False)
            for field in _LETTER_LIST_FIELDS:
                if field in annotated:
                    report.list_score(field, file_lang).add(0, len(f[field]), 0, 0)
            report.cases.append(
                Case(
                    file=name,
                    letter=pi + 1,
                    field="letter",
                    expected=None,
                    got=_describe_parsed(f, got_spans[pi]),
                    badness=1.0,
                )
            )

    if gold.running_headers is not None:
        expected_lines = [str(n) for n in gold.running_headers]
        got_lines = [str(n) for n in header_lines(doc)] if doc is not None else []
        _score_list(report, name, 0, file_lang, "running_headers", expected_lines, got_lines)


def _describe_gold(g: Mapping[str, Any]) -> str:
    span = g.get("bundle_lines")
    where = f"lines {span['start']}-{span['end']}: " if isinstance(span, dict) else ""
    first = g.get("salutation") or next(iter(g.get("paragraphs") or []), "") or g.get("date") or ""
    return f"a letter ({where}{first})"


def _describe_parsed(f: Mapping[str, Any], span: tuple[int, int] | None) -> str:
    where = f"lines {span[0]}-{span[1]}: " if span else ""
    first = f.get("salutation") or next(iter(f.get("paragraphs") or []), "") or f.get("date") or ""
    return f"a letter ({where}{first})"


def _default_parse(path: Path) -> Document:
    return parse_file(path)


def evaluate_dir(
    directory: str | Path,
    *,
    parse: Callable[[Path], Document] | None = None,
    progress: Callable[[Iterable[Any]], Iterator[Any]] | None = None,
) -> Report:
    """Parse every ``NAME.txt`` with a ``NAME.gold.json`` under ``directory`` and score it.

    ``parse`` turns a path into a document (default :func:`docparse.parse_file`; the
    CLI passes its own so that parse options apply). A file whose parse fails is
    recorded in ``Report.errors`` (its letters count as missing) and the run goes on.
    Gold files are all read and checked first, so a broken gold stops the run
    before any parsing, with a :class:`GoldError` naming it.
    """
    root = Path(directory)
    golds = [load_gold(t, g) for t, g in find_gold_files(root)]
    parse = parse or _default_parse
    report = Report(directory=str(directory))
    items: Iterable[GoldFile] = progress(golds) if progress is not None else golds
    for gold in items:
        label = (
            gold.text_path.relative_to(root).as_posix()
            if gold.text_path.is_relative_to(root)
            else str(gold.text_path)
        )
        doc: Document | None
        try:
            doc = parse(gold.text_path)
        except DocparseError as exc:
            report.errors.append((label, str(exc)))
            doc = None
        except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the measurement
            report.errors.append((label, f"internal error: {type(exc).__name__}: {exc}"))
            doc = None
        evaluate_document(doc, gold, report, label=label)
    return report


# --------------------------------------------------------------------------- text output


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:6.2f}%" if n else "     -"


def _fmt(x: float) -> str:
    return f"{x:6.4f}"


def _shorten_pair(expected: Any, got: Any, width: int = 72) -> tuple[str, str]:
    """Both values as one-line text, cut to ``width`` around their first difference."""
    e, g = _show(expected), _show(got)
    if len(e) <= width and len(g) <= width:
        return e, g
    p = 0
    while p < min(len(e), len(g)) and e[p] == g[p]:
        p += 1
    start = max(0, p - width // 3)

    def cut(s: str) -> str:
        piece = s[start : start + width]
        return ("…" if start > 0 else "") + piece + ("…" if start + width < len(s) else "")

    return cut(e), cut(g)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    return repr(value)


def format_text(report: Report, worst: int = 10) -> str:
    """The human-readable report: counts, one table per kind of field, then the worst cases."""
    out = []
    out.append(
        f"docparse eval: {report.directory}: {report.files} files, {report.gold_letters} gold letters, "
        f"{report.parsed_letters} parsed ({report.paired} paired, {report.missing} missing, "
        f"{report.extra} extra), {len(report.errors)} parse errors, "
        f"{report.unclassified} unclassified text nodes"
    )
    langs = report.languages()
    out.append("")
    out.append("single-valued fields: exact-match rate")
    out.append(f"  {'field':<14} {'lang':<4} {'n':>6} {'strict':>8} {'normalized':>11}")
    for field in SINGLE_FIELDS:
        if field not in report.single:
            continue
        rows = [
            (lang, report.single[field][lang]) for lang in langs if lang in report.single[field]
        ]
        if len(rows) > 1:
            rows.append(("all", report.total_single(field)))
        for lang, s in rows:
            out.append(
                f"  {field:<14} {lang:<4} {s.n:>6} {_pct(s.strict, s.n):>8} {_pct(s.normalized, s.n):>11}"
            )
    out.append("")
    out.append("list fields: items matched (precision / recall / F1)")
    out.append(
        f"  {'field':<16} {'lang':<4} {'gold':>6} {'got':>6}  {'strict P':>8} {'R':>6} {'F1':>6}"
        f"  {'norm P':>8} {'R':>6} {'F1':>6}"
    )
    for field in LIST_FIELDS:
        if field not in report.lists:
            continue
        lrows = [(lang, report.lists[field][lang]) for lang in langs if lang in report.lists[field]]
        if len(lrows) > 1:
            lrows.append(("all", report.total_list(field)))
        for lang, ls in lrows:
            ps, rs, fs = ls.prf(ls.strict)
            pn, rn, fn = ls.prf(ls.normalized)
            out.append(
                f"  {field:<16} {lang:<4} {ls.gold:>6} {ls.got:>6}  {_fmt(ps):>8} {_fmt(rs)} {_fmt(fs)}"
                f"  {_fmt(pn):>8} {_fmt(rn)} {_fmt(fn)}"
            )
    if report.errors:
        out.append("")
        out.append("parse errors:")
        for file, error in report.errors:
            out.append(f"  {file}: {error}")
    cases = report.worst(worst)
    if cases:
        out.append("")
        out.append(f"worst cases ({len(cases)} of {len(report.cases)}):")
        for c in cases:
            where = f"{c.file}" + (f" #{c.letter}" if c.letter else "")
            note = " (strict only)" if c.strict_only else ""
            e, g = _shorten_pair(c.expected, c.got)
            out.append(f"  {where}  {c.field}{note}")
            if isinstance(c.expected, list) and c.field in LIST_FIELDS:
                out.append(f"    missing:  {e}")
                out.append(f"    extra:    {g}")
            else:
                out.append(f"    expected: {e}")
                out.append(f"    got:      {g}")
    return "\n".join(out) + "\n"
