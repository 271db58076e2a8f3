"""The fuzzing harness of docparse: mutated letters through ``docparse.parse`` (raw and with
the default repairs) and through the CLI, every invariant checked on every input.

    python scripts/fuzz.py --hours 1 --jobs 2            # as many inputs as an hour allows
    python scripts/fuzz.py --inputs 20000 --seed 7       # a fixed slice (reproducible)
    python scripts/fuzz.py --cli-inputs 10000 --inputs 0 # the CLI only
    python scripts/fuzz.py --replay fuzz-failures/parse-00001234.txt

Inputs are made from *seed texts* by a mutational fuzzer: the repository's own letters
(the seed letter, ``tests/data/modern``, ``tests/fixtures``, ``examples``, letters written
here) and, when present, the shared corpus beside the repository (``../shared/corpus``,
``--corpus DIR`` for another; ``--no-corpus`` for the repository's texts only, as CI
has). An input is a window of lines of a seed text (sometimes all of it) with one to
five mutations: lines duplicated, deleted, swapped or spliced from another text; form
feeds, blank lines, indentation, control characters, lone surrogates, a byte-order mark
or combining marks inserted; Latin/Cyrillic look-alike letters swapped; huge lines
(up to 100,000 characters); words of other scripts mixed in; letter phrases ("Dear Sir,",
"P.S.", "- 2 -") dropped in; line endings changed; bytes flipped in the UTF-8 encoding;
truncation. Input ``i`` of seed ``S`` is always the same text (it is drawn from a
``random.Random`` seeded with ``(S, i)``), so a failure can be made again from its
number alone.

The invariants (each input counts once for each invariant checked on it):

``no-exception``
    ``parse`` and ``run_repairs`` return, and the document's ``source.text`` is the input.
``json-round-trip``
    ``loads(dumps(d)) == d``, ``loads(dumps(d, indent=True)) == d`` and
    ``from_dict(to_dict(d)) == d``, for the raw and the repaired document.
``source-slices``
    every leaf's value is its source slice (``source.text[start.offset:end.offset]``,
    without the text of the leaves that lie inside it: the page breaks and running
    headers a paragraph runs over) with each run of white space made one space, and
    the lines of a running header joined by `` / `` (docs/format.md, *Nodes*); every
    point's line and column agree with its offset.
``siblings-in-order``
    children start at or after the sibling before them and lie within their parent.
``unrepair``
    ``unrepair(run_repairs(d).doc)`` has the nodes, positions and values of ``d``
    (:func:`docparse.repair.skeleton`) and each letter's parsed language; so does the
    repaired document read back from its JSON.
``schema``
    ``docparse.schema.validate(to_dict(d))`` for the raw and the repaired document.
``tei``
    ``docparse.to_tei(d)`` is well-formed XML, for the raw and the repaired document.

The CLI mode writes each input as a file (some re-encoded as cp1251, UTF-16 or
Latin-1, some with damaged bytes) and runs ``docparse parse``, ``validate``, ``render
--format tei`` and ``repairs`` on it through click's ``CliRunner``: the exit code is one
that docs/cli.md documents for the case (0, or 1 with one line on stderr for a file
that is not text), never 70, never a traceback; the JSON written is valid and the TEI
well-formed (invariant ``cli``).

Each failure is printed on one line and saved under ``--out`` (default
``fuzz-failures/``): the input (``.txt``, UTF-8 with lone surrogates kept, ``.bin`` for
CLI bytes) and a ``.json`` record of the invariant, the message, the seed and the input
number. ``--replay FILE`` checks one saved input again. An input that runs longer than
``--timeout`` seconds, or needs more than ``--memory-mb``, is a failure too (a worker
runs under that address-space limit; the parent kills a worker stuck on one input).
The summary gives the inputs per invariant and the failures; the exit code is 1 when
anything failed.

``check_text`` and ``check_cli`` are the checks themselves, used by
``tests/test_fuzz_slice.py`` (a bounded slice run on every CI run).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

#: the repair plugins' time budget in the checks (seconds)
PLUGIN_BUDGET = 60.0

INVARIANTS = (
    "no-exception", "json-round-trip", "source-slices", "siblings-in-order",
    "unrepair", "schema", "tei",
)


class Violation(Exception):
    """An invariant that does not hold: ``invariant`` names it, the message says how."""

    def __init__(self, invariant: str, message: str) -> None:
        super().__init__(f"{invariant}: {message}")
        self.invariant = invariant
        self.message = message


# ------------------------------------------------------------------ seed texts

#: letters written for the fuzzer (the repository's own; never corpus text)
OWN_LETTERS = (
    "July 21, 2004\n\nMr. John Smith\n12 Mill Road\nBoston, MA 02108\n\nDear Mr. Smith:\n\n"
    "We have been asked to send you the report on our work this year. The committee\n"
    "agreed that the new plan should go ahead after careful study of costs.\n\n"
    "All members hope it will be useful.\n\nYours truly,\n\nAnn Walker\nSecretary\n\n"
    "P.S. The schedule follows.\n\nEnclosure: schedule\ncc: Mary Brown\n",
    "London, 5 March 1890\n\nMy dear Harris,\n\n    Your letter came this morning and I\n"
    "was glad of the news. The weather has been cold and the river high.\n\f\n"
    "- 2 -\n\nWe shall be at home in the summer.\n\n                Ever yours,\n"
    "                      Thomas Reed\n",
    "5 марта 1890 г.\n\nУважаемый Иван Петрович!\n\nМы получили ваше письмо и благодарим\n"
    "за внимание к нашей работе. Комитет решил, что новый план следует принять.\n\n"
    "С уважением,\nМария Соколова\nСекретарь\n",
    "Mbl IIoJIyqHJIH IIocbIJIKy\n\nThank you for the parcel which came on Tuesday.\n\n"
    "12 May 1901\n\ncTpaHHIJa\n\n6JIaro,IIapIO Bac\n",
    "Berlin, den 3. Mai 1901\n\nSehr geehrter Herr Doktor!\n\nIch danke Ihnen für Ihren Brief.\n\n"
    "Mit freundlichen Grüßen\nIhr ergebener\nKarl Weber\n",
    "Paris, le 4 avril 2025\n\nMadame,\n\nJe vous remercie de votre lettre du 2 avril.\n\n"
    "Veuillez agréer, Madame, mes salutations distinguées.\n\nJean Dupont\n",
    "On Tue, 3 Jun 2025, Sam wrote:\n> Hi Anna,\n> are you coming?\n\nDear Sam,\n\nYes, gladly.\n\n"
    "Best,\nAnna\n",
    "Dear Sir,\r\n\r\nI write to ask about the house on Elm Avenue.\r\n\r\nSincerely,\r\nRobert Clark\r\n",
    "Page 2\n\nMr. Smith / July 21, 2004 / Page 3\n\nthe m ixed fromyou all ow July 21 , 2004 "
    "EdinburghOSCE compre- hensive the . Helsinki institutions.,\n",
)


def repo_texts() -> list[str]:
    """The repository's own letters: the seed, tests/data/modern, tests/fixtures,
    examples, and :data:`OWN_LETTERS`."""
    paths: list[Path] = []
    for pattern in ("examples/**/*.txt", "tests/data/**/*.txt", "tests/fixtures/**/*.txt"):
        paths += sorted(REPO.glob(pattern))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    return texts + list(OWN_LETTERS)


def corpus_paths(root: Path) -> list[Path]:
    """The ``*.txt`` files under ``root`` (read lazily: the corpus is large)."""
    return sorted(root.rglob("*.txt")) if root.is_dir() else []


class Seeds:
    """The seed texts: the repository's, plus corpus files read when drawn (and kept)."""

    def __init__(self, corpus: Path | None) -> None:
        self.own = repo_texts()
        self.paths = corpus_paths(corpus) if corpus is not None else []
        self._cache: dict[int, str] = {}

    def draw(self, rng: random.Random) -> str:
        if self.paths and rng.random() < 0.7:
            k = rng.randrange(len(self.paths))
            text = self._cache.get(k)
            if text is None:
                text = self.paths[k].read_text(encoding="utf-8", errors="replace")
                if len(self._cache) < 20_000:
                    self._cache[k] = text
            return text
        return rng.choice(self.own)


# ------------------------------------------------------------------ mutations

LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxyuIl30", "АаВСсЕеНКМОоРрТХхуиІ1ЗО")
BACK = str.maketrans("АаВСсЕеНКМОоРрТХху", "AaBCcEeHKMOoPpTXxy")
PHRASES = (
    "Dear Sir,", "Dear Mr. Smith:", "Yours truly,", "Sincerely,", "P.S.", "P. S. see over",
    "- 2 -", "-3-", "Page 4", "cc: Ann Reed", "Enclosure: list", "Re: your order",
    "July 21, 2004", "21 July 1890", "5 марта 1890 г.", "С уважением,", "Уважаемый Иван Петрович!",
    "> quoted line", "On Tue, 3 Jun 2025, Sam wrote:", "Mr. Smith / July 21, 2004 / Page 3",
    "JIYKameHKo", "HIOJl5I", "Mit freundlichen Grüßen", "Veuillez agréer", "Best,", "1.", "(2)",
)
SCRIPTS = (
    "Москва река", "Ελληνικά γράμματα", "中文字符", "العربية", "עברית", "日本語のテキスト",
    "한국어", "ไทย", "देवनागरी", "😀🎉", "e\u0301\u0302", "\u200b\u200d", "Ǆǅǆ ﬁ ﬂ", "ⅫⅣ", "𝔘𝔫𝔦",
)
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1c\x1d\x1e\x1f\x7f\x85\u2028\u2029\ufeff\u00a0\t\r"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _m_duplicate(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i = rng.randrange(len(lines))
    times = rng.choice((1, 1, 2, 5, 50))
    return lines[: i + 1] + [lines[i]] * times + lines[i + 1:]


def _m_delete(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i = rng.randrange(len(lines))
    return lines[:i] + lines[i + rng.randint(1, 3):]


def _m_swap(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _m_splice(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    other = _lines(seeds.draw(rng))
    a = rng.randrange(len(other))
    piece = other[a: a + rng.randint(1, 15)]
    i = rng.randrange(len(lines) + 1)
    return lines[:i] + piece + lines[i:]


def _at_char(rng: random.Random, lines: list[str], insert: str) -> list[str]:
    i = rng.randrange(len(lines))
    line = lines[i]
    k = rng.randint(0, len(line))
    return lines[:i] + [line[:k] + insert + line[k:]] + lines[i + 1:]


def _m_form_feed(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    if rng.random() < 0.5:
        i = rng.randrange(len(lines) + 1)
        return lines[:i] + [rng.choice(("\f", "\f", "", "\f- 2 -", "\fPage 2"))] + lines[i:]
    return _at_char(rng, lines, "\f")


def _m_blank(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i = rng.randrange(len(lines) + 1)
    return lines[:i] + [rng.choice(("", "   ", "\t"))] * rng.randint(1, 4) + lines[i:]


def _m_indent(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i = rng.randrange(len(lines))
    pad = rng.choice(("    ", "\t", " " * 40, " " * rng.randint(1, 80)))
    return [pad + ln if i <= k < i + rng.randint(1, 8) else ln for k, ln in enumerate(lines)]


def _m_control(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    return _at_char(rng, lines, "".join(rng.choice(CONTROLS) for _ in range(rng.randint(1, 3))))


def _m_surrogate(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    return _at_char(rng, lines, chr(rng.randint(0xD800, 0xDFFF)))


def _m_lookalike(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i = rng.randrange(len(lines))
    table = LOOKALIKES if rng.random() < 0.6 else BACK
    line = lines[i]
    if rng.random() < 0.5:
        words = line.split(" ")
        k = rng.randrange(len(words))
        words[k] = words[k].translate(table)
        line = " ".join(words)
    else:
        line = line.translate(table)
    return lines[:i] + [line] + lines[i + 1:]


def _m_huge(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    unit = rng.choice(("word", "word ", "x", ". ", "Dear Sir, ", "Я", "HIOJl5I ", "the m ixed ", "\t", "-", "a" * 7 + " "))
    n = rng.choice((200, 1_000, 5_000, 20_000, 100_000)) // len(unit)
    i = rng.randrange(len(lines) + 1)
    return lines[:i] + [unit * n] + lines[i:]


def _m_script(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    return _at_char(rng, lines, rng.choice((" ", "")) + rng.choice(SCRIPTS) + rng.choice((" ", "")))


def _m_phrase(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i = rng.randrange(len(lines) + 1)
    new = [rng.choice(PHRASES)]
    if rng.random() < 0.5:
        new = ["", *new, ""]
    return lines[:i] + new + lines[i:]


def _m_truncate(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    text = "\n".join(lines)
    return _lines(text[: rng.randint(0, len(text))])


def _m_bytes(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    data = bytearray("\n".join(lines).encode("utf-8", "surrogatepass"))
    for _ in range(rng.randint(1, 6)):
        if not data:
            break
        k = rng.randrange(len(data))
        op = rng.randrange(3)
        if op == 0:
            data[k] ^= 1 << rng.randrange(8)
        elif op == 1:
            del data[k]
        else:
            data[k:k] = bytes([rng.randrange(256)])
    # damaged bytes come back as lone surrogates (surrogateescape), as a careless caller gives them
    return _lines(bytes(data).decode("utf-8", rng.choice(("surrogateescape", "replace", "ignore"))))


def _m_newlines(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    sep = rng.choice(("\r\n", "\r", "\n\n", "\u2028", "\x85"))
    return _lines(sep.join(lines)) if sep.startswith("\n") else ["\n".join(lines).replace("\n", sep)]


def _m_combining(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    return _at_char(rng, lines, "".join(chr(rng.randint(0x300, 0x36F)) for _ in range(rng.randint(1, 20))))


def _m_case(rng: random.Random, lines: list[str], seeds: Seeds) -> list[str]:
    i = rng.randrange(len(lines))
    fn = rng.choice((str.upper, str.lower, str.title, str.swapcase))
    return lines[:i] + [fn(lines[i])] + lines[i + 1:]


MUTATIONS: dict[str, Callable[[random.Random, list[str], Seeds], list[str]]] = {
    "duplicate": _m_duplicate, "delete": _m_delete, "swap": _m_swap, "splice": _m_splice,
    "form-feed": _m_form_feed, "blank": _m_blank, "indent": _m_indent, "control": _m_control,
    "surrogate": _m_surrogate, "lookalike": _m_lookalike, "huge": _m_huge, "script": _m_script,
    "phrase": _m_phrase, "truncate": _m_truncate, "bytes": _m_bytes, "newlines": _m_newlines,
    "combining": _m_combining, "case": _m_case,
}
#: how often each mutation is drawn (huge lines are slow: rare)
WEIGHTS = {name: 10 for name in MUTATIONS} | {"huge": 1, "truncate": 4, "newlines": 4, "splice": 6}


def make_input(seed: int | str, i: int, seeds: Seeds) -> str:
    """Input number ``i`` of the run seeded ``seed``: a window of a seed text, mutated."""
    rng = random.Random(f"{seed}:{i}")
    lines = _lines(seeds.draw(rng))
    if rng.random() < 0.85 and len(lines) > 3:  # a window of lines: small inputs, many of them
        a = rng.randrange(len(lines))
        lines = lines[a: a + rng.randint(1, 60)]
    names = list(WEIGHTS)
    weights = [WEIGHTS[n] for n in names]
    for name in rng.choices(names, weights, k=rng.choice((0, 1, 1, 2, 2, 3, 5))):
        if not lines:
            lines = [""]
        lines = MUTATIONS[name](rng, lines, seeds)
    return "\n".join(lines)


# ------------------------------------------------------------------ the checks


def _slice_value(text: str, node: Any, inside: list[tuple[int, int]]) -> str:
    """What a leaf's value must be by its source slice (see the module docstring)."""
    from docparse.source import split_lines

    a0, b0 = node.position.start.offset, node.position.end.offset
    s = text[a0:b0]
    if inside:
        chars = list(s)
        for a, b in inside:
            for k in range(max(a, a0), min(b, b0)):
                if chars[k - a0] not in "\r\n":
                    chars[k - a0] = " "
        s = "".join(chars)
    if node.type != "page_header":
        return " ".join(s.split())
    parts = (" ".join(s[a:b].split()) for a, b, _ in split_lines(s))
    return " / ".join(p for p in parts if p)


def check_slices(doc: Any, text: str) -> None:
    """``source-slices`` and ``siblings-in-order`` (see the module docstring)."""
    from docparse.nodes import Leaf, Parent, order_problem
    from docparse.source import LineIndex

    problem = order_problem(doc)
    if problem is not None:
        raise Violation("siblings-in-order", problem)
    index = LineIndex(text)
    leaves: list[Any] = []
    stack: list[tuple[Any, tuple[int, int]]] = [(doc, (0, len(text)))]
    while stack:
        node, (lo, hi) = stack.pop()
        span = (lo, hi)
        pos = node.position
        if pos is not None:
            for point in (pos.start, pos.end):
                if not 0 <= point.offset <= len(text) or index.point(point.offset) != point:
                    raise Violation("source-slices", f"{node.type}: point {point} does not agree with the source")
            span = (pos.start.offset, pos.end.offset)
            if not (lo <= span[0] <= span[1] <= hi):
                raise Violation("siblings-in-order", f"{node.type} at {span} lies outside its parent {(lo, hi)}")
            if isinstance(node, Leaf):
                leaves.append(node)
        if isinstance(node, Parent):
            stack.extend((c, span) for c in reversed(node.children))
    leaves.sort(key=lambda n: (n.position.start.offset, -n.position.end.offset))
    for k, leaf in enumerate(leaves):
        a, b = leaf.position.start.offset, leaf.position.end.offset
        inside = []
        for other in leaves[k + 1:]:
            s, e = other.position.start.offset, other.position.end.offset
            if s >= b:
                break
            if e <= b:
                inside.append((s, e))
        want = _slice_value(text, leaf, inside)
        if leaf.value != want:
            raise Violation("source-slices", f"{leaf.type} at {a}..{b}: value {leaf.value[:60]!r} "
                                             f"but the source slice reads {want[:60]!r}")


def check_round_trip(doc: Any) -> None:
    from docparse.codec import dumps, from_dict, loads, to_dict

    for indent in (False, True):
        if loads(dumps(doc, indent=indent)) != doc:
            raise Violation("json-round-trip", f"loads(dumps(doc, indent={indent})) != doc")
    if from_dict(to_dict(doc)) != doc:
        raise Violation("json-round-trip", "from_dict(to_dict(doc)) != doc")


def check_schema(doc: Any) -> None:
    from docparse.codec import to_dict
    from docparse.errors import FormatError
    from docparse.schema import validate

    try:
        validate(to_dict(doc))
    except FormatError as exc:
        raise Violation("schema", str(exc)) from None


def check_tei(doc: Any) -> None:
    import docparse

    xml = docparse.to_tei(doc)
    try:
        ET.fromstring(xml.encode("utf-8"))
    except (ET.ParseError, UnicodeEncodeError) as exc:
        raise Violation("tei", f"not well-formed XML: {exc}") from None


def check_unrepair(raw: Any, repaired: Any) -> None:
    from docparse.codec import dumps, loads
    from docparse.repair import skeleton, unrepair

    want = skeleton(raw)
    want_lang = [getattr(n, "language", None) for n in raw.walk() if n.type == "letter"]
    for label, tree in (("", repaired), (" (read back from JSON)", loads(dumps(repaired)))):
        back = unrepair(tree)
        got = skeleton(back)
        if got != want:
            first = next((k for k, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
            mine = got[first] if first < len(got) else None
            theirs = want[first] if first < len(want) else None
            raise Violation("unrepair", f"unrepair{label}: node {first} is {mine!r:.120}, parsed {theirs!r:.120}")
        lang = [getattr(n, "language", None) for n in back.walk() if n.type == "letter"]
        if lang != want_lang:
            raise Violation("unrepair", f"unrepair{label}: letter languages {lang} but parsed {want_lang}")


def check_text(text: str, counts: Counter[str] | None = None, *, repairs: bool = True,
               schema: bool = True) -> None:
    """Check every invariant on ``text`` (raw parse, and with the default repairs unless
    ``repairs`` is false; the JSON Schema unless ``schema`` is false: it is the slowest
    check, about 3 ms a document); raise :class:`Violation` on the first that fails.
    ``counts`` gets one per invariant checked."""
    import docparse
    from docparse.config import Config
    from docparse.pipeline import run_repairs

    counts = counts if counts is not None else Counter()
    try:
        doc = docparse.parse(text)
    except Exception as exc:  # noqa: BLE001 - the invariant is that nothing is raised
        raise Violation("no-exception", f"parse: {_exc_line(exc)}") from exc
    # (a surrogate pair is read as the character it encodes: docs/format.md)
    if doc.source.text != text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass"):
        raise Violation("no-exception", "parse: source.text is not the input")
    text = doc.source.text
    counts["no-exception"] += 1
    check_round_trip(doc)
    counts["json-round-trip"] += 1
    check_slices(doc, text)
    counts["source-slices"] += 1
    counts["siblings-in-order"] += 1
    if schema:
        check_schema(doc)
        counts["schema"] += 1
    check_tei(doc)
    counts["tei"] += 1
    if not repairs:
        return
    try:
        # (a budget well over the default 10 s: on a loaded machine a wall-clock budget
        # fails plugins that are merely waiting; the harness's --timeout catches a hang)
        result = run_repairs(doc, Config(time_budget=PLUGIN_BUDGET))
    except Exception as exc:  # noqa: BLE001
        raise Violation("no-exception", f"run_repairs: {_exc_line(exc)}") from exc
    if result.failures:
        f = result.failures[0]
        raise Violation("no-exception", f"a built-in plugin failed: {f.plugin}: {f.message}")
    repaired = result.doc
    counts["no-exception"] += 1
    check_round_trip(repaired)
    counts["json-round-trip"] += 1
    check_unrepair(doc, repaired)
    counts["unrepair"] += 1
    from docparse.nodes import order_problem

    problem = order_problem(repaired)
    if problem is not None:
        raise Violation("siblings-in-order", f"repaired: {problem}")
    counts["siblings-in-order"] += 1
    if schema:
        check_schema(repaired)
        counts["schema"] += 1
    check_tei(repaired)
    counts["tei"] += 1


def _exc_line(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(exc).__name__}: {str(exc)[:200]}{where}"


# ------------------------------------------------------------------ the CLI

ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1251", "koi8-r", "utf-16", "utf-16-le", "latin-1", "cp1252")


def make_cli_input(seed: int | str, i: int, seeds: Seeds) -> bytes:
    """CLI input number ``i``: a mutated text, encoded (sometimes badly), or damaged bytes."""
    text = make_input(f"cli:{seed}", i, seeds)
    rng = random.Random(f"cli-bytes:{seed}:{i}")
    data = text.encode(rng.choice(ENCODINGS), "replace") if rng.random() < 0.9 else text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1 and data:
        k = rng.randrange(len(data))
        data = data[:k] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4))) + data[k:]
    if rng.random() < 0.01:
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
    return data


def _runner() -> Any:
    from click.testing import CliRunner

    return CliRunner()


def _cli(args: list[str]) -> tuple[int, str, str]:
    from docparse.cli import cli

    result = _runner().invoke(cli, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise Violation("cli", f"docparse {' '.join(args[:1])}: {_exc_line(result.exception)}")
    return result.exit_code, result.stdout, result.stderr


def check_cli(data: bytes, workdir: Path, counts: Counter[str] | None = None) -> None:
    """Run ``docparse parse``, ``validate``, ``render --format tei`` and ``repairs`` on
    ``data`` written as a file; raise :class:`Violation` (invariant ``cli``) when an
    exit code is not documented for the case, an error is not one line, or the
    output is not valid."""
    from docparse.codec import loads

    counts = counts if counts is not None else Counter()
    src = workdir / "input.txt"
    out = workdir / "out.json"
    src.write_bytes(data)
    out.unlink(missing_ok=True)

    def fail(cmd: str, code: int, err: str) -> Violation:
        return Violation("cli", f"docparse {cmd}: exit {code}: {err.strip()[:300]!r}")

    def one_line_error(cmd: str, code: int, err: str) -> None:
        # an error is one line "docparse: FILE: problem" (validate adds its summary line,
        # "docparse validate: ..."); never a traceback or an internal error
        if "Traceback" in err or "internal error" in err:
            raise fail(cmd, code, err)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        if not all(ln.startswith("docparse") for ln in lines):
            raise fail(cmd, code, err)
        if code in (1, 2) and cmd != "validate" and not any(ln.startswith("docparse: ") for ln in lines):
            raise fail(cmd, code, err)

    code, _, err = _cli(["parse", str(src), "-o", str(out)])
    one_line_error("parse", code, err)
    if code not in (0, 1):
        raise fail("parse", code, err)
    if code == 1:
        # not text (binary, undecodable, empty): every command refuses it alike, with the
        # code its page documents for an unreadable input (validate: 2, docs/validate.md;
        # or 1 with its rule DP001 for a file with no text)
        for cmd, want in ((["validate", str(src)], (1, 2)), (["render", "--format", "tei", str(src)], (1,)),
                          (["repairs", str(src)], (1,))):
            c2, _, e2 = _cli(cmd)
            one_line_error(cmd[0], c2, e2)
            if c2 not in want:
                raise fail(cmd[0] + " (of a file parse refused)", c2, e2)
        counts["cli"] += 1
        return
    doc = loads(out.read_bytes())
    check_schema(doc)
    code, stdout, err = _cli(["validate", "--format", "json", str(src)])
    one_line_error("validate", code, err)
    if code not in (0, 1):
        raise fail("validate", code, err)
    json.loads(stdout)
    code, stdout, err = _cli(["render", "--format", "tei", str(out)])
    one_line_error("render", code, err)
    if code != 0:
        raise fail("render --format tei", code, err)
    try:
        ET.fromstring(stdout.encode("utf-8"))
    except ET.ParseError as exc:
        raise Violation("cli", f"docparse render --format tei: not well-formed: {exc}") from None
    code, stdout, err = _cli(["repairs", "--format", "json", str(out)])
    one_line_error("repairs", code, err)
    if code != 0:
        raise fail("repairs", code, err)
    counts["cli"] += 1


# ------------------------------------------------------------------ running


def save_failure(out: Path, kind: str, seed: int | str, i: int, payload: str | bytes, v: Violation) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{kind}-{seed}-{i:08d}"
    if isinstance(payload, bytes):
        stem.with_suffix(".bin").write_bytes(payload)
    else:
        stem.with_suffix(".txt").write_bytes(payload.encode("utf-8", "surrogatepass"))
    record = {"kind": kind, "seed": seed, "input": i, "invariant": v.invariant, "message": v.message,
              "replay": f"python scripts/fuzz.py --replay {stem.with_suffix('.bin' if isinstance(payload, bytes) else '.txt')}"}
    stem.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return stem


def _limit_memory(mb: int) -> None:
    if mb > 0:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))


def _check_one(kind: str, seed: int | str, i: int, seeds: Seeds, counts: Counter[str],
               workdir: Path | None, schema_every: int = 1) -> tuple[str | bytes, Violation | None]:
    payload: str | bytes = make_input(seed, i, seeds) if kind == "parse" else make_cli_input(seed, i, seeds)
    try:
        if kind == "parse":
            assert isinstance(payload, str)
            check_text(payload, counts, schema=i % schema_every == 0)
        else:
            assert isinstance(payload, bytes) and workdir is not None
            check_cli(payload, workdir, counts)
    except Violation as v:
        return payload, v
    except MemoryError:
        return payload, Violation("memory", "MemoryError (over the worker's memory limit)")
    except Exception as exc:  # noqa: BLE001 - a check that breaks is a failure too
        return payload, Violation("no-exception", _exc_line(exc))
    return payload, None


def _worker(wid: int, jobs: int, args: dict[str, Any], current: Any, queue: Any) -> None:
    """Check inputs ``start + wid``, ``start + wid + jobs``, ... of one kind until the
    stop time or the count; report counts (and failures) to ``queue``."""
    _limit_memory(args["memory_mb"])
    seeds = Seeds(Path(args["corpus"]) if args["corpus"] else None)
    out = Path(args["out"])
    counts: Counter[str] = Counter()
    last = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="docparse-fuzz-") as tmp:
        for kind, start, total in args["plan"]:
            i = start + wid
            while i < start + total and time.time() < args["stop"]:
                current.value = i if kind == "parse" else -1 - i
                payload, v = _check_one(kind, args["seed"], i, seeds, counts, Path(tmp), args["schema_every"])
                counts[f"inputs:{kind}"] += 1
                if v is not None:
                    counts[f"failed:{v.invariant}"] += 1
                    stem = save_failure(out, kind, args["seed"], i, payload, v)
                    queue.put(("failure", f"{kind} input {i}: {v} [{stem}.*]"))
                i += jobs
                if time.monotonic() - last > 5:
                    queue.put(("counts", dict(counts)))
                    counts.clear()
                    last = time.monotonic()
    queue.put(("counts", dict(counts)))
    queue.put(("done", wid))


def run(*, inputs: int, cli_inputs: int, seed: int | str, jobs: int = 1, corpus: Path | None = None,
        seconds: float | None = None, out: Path = Path("fuzz-failures"), timeout: float = 120.0,
        memory_mb: int = 3000, progress: bool = True, start: int = 0,
        schema_every: int = 1) -> tuple[Counter[str], list[str]]:
    """Run ``inputs`` parse inputs and ``cli_inputs`` CLI inputs (numbered from ``start``)
    in ``jobs`` worker processes, for at most ``seconds``; return the counts (inputs per
    invariant, ``inputs:parse``, ``inputs:cli``, ``failed:<invariant>``) and the failures."""
    stop = time.time() + (seconds if seconds is not None else 10**9)
    args = {"plan": [("parse", start, inputs), ("cli", start, cli_inputs)], "seed": seed, "stop": stop,
            "corpus": str(corpus) if corpus else None, "out": str(out), "memory_mb": memory_mb,
            "schema_every": max(1, schema_every)}
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    totals: Counter[str] = Counter()
    failures: list[str] = []
    workers: dict[int, tuple[Any, Any]] = {}

    def spawn(wid: int, plan: list[tuple[str, int, int]]) -> None:
        current = ctx.Value("q", 0)
        p = ctx.Process(target=_worker, args=(wid, jobs, {**args, "plan": plan}, current, queue), daemon=True)
        p.start()
        workers[wid] = (p, current)

    for wid in range(jobs):
        spawn(wid, args["plan"])
    watch: dict[int, tuple[int, float]] = {}
    t0 = time.monotonic()
    shown = t0
    while workers:
        try:
            kind, item = queue.get(timeout=1.0)
        except Exception:  # noqa: BLE001 - queue.Empty: look at the workers
            kind, item = "", None
        if kind == "counts":
            totals.update(item)
        elif kind == "failure":
            failures.append(item)
            print(item, flush=True)
        elif kind == "done":
            p, _ = workers.pop(item)
            p.join()
        now = time.monotonic()
        for wid, (p, current) in list(workers.items()):
            value = current.value
            at, since = watch.get(wid, (None, now))
            if value != at:
                watch[wid] = (value, now)
                continue
            if (not p.is_alive() and p.exitcode != 0) or now - since > timeout:
                # stuck on one input (or killed by the system): that input is a failure;
                # the worker starts again after it
                p.kill()
                p.join()
                del workers[wid]
                ck, i = ("parse", value) if value >= 0 else ("cli", -1 - value)
                why = "ran over the time-out" if p.exitcode in (-9, None) and now - since > timeout else f"worker died (exit {p.exitcode})"
                v = Violation("timeout" if "time-out" in why else "crash", f"{why} ({timeout:.0f} s)")
                seeds = Seeds(corpus)
                payload = make_input(seed, i, seeds) if ck == "parse" else make_cli_input(seed, i, seeds)
                stem = save_failure(out, ck, seed, i, payload, v)
                totals[f"failed:{v.invariant}"] += 1
                totals[f"inputs:{ck}"] += 1
                msg = f"{ck} input {i}: {v} [{stem}.*]"
                failures.append(msg)
                print(msg, flush=True)
                # resume this worker at its next input (i + jobs), and the CLI inputs after
                # the parse inputs as planned
                plan = []
                for k, s, n in args["plan"]:
                    if k == ck:
                        nxt = i + jobs - wid
                        plan.append((k, nxt, s + n - nxt))
                    elif ck == "parse" and k == "cli":
                        plan.append((k, s, n))
                spawn(wid, plan)
                watch.pop(wid, None)
        if progress and now - shown > 60:
            shown = now
            print(f"[{now - t0:6.0f} s] parse {totals['inputs:parse']:,}  cli {totals['inputs:cli']:,}  "
                  f"failures {len(failures)}", flush=True)
    return totals, failures


def summary(totals: Counter[str], failures: list[str], seconds: float) -> str:
    lines = [f"inputs: parse {totals['inputs:parse']:,} (raw and with the default repairs), "
             f"cli {totals['inputs:cli']:,}; {seconds:,.0f} s",
             "checks per invariant (raw and repaired documents each count once):"]
    for name in (*INVARIANTS, "cli"):
        lines.append(f"  {name:18} {totals[name]:>12,}   failed {totals['failed:' + name]:,}")
    other = {k: v for k, v in totals.items() if k.startswith("failed:") and k[7:] not in (*INVARIANTS, "cli")}
    for k, v in sorted(other.items()):
        lines.append(f"  {k[7:]:18} {'':>12}   failed {v:,}")
    lines.append(f"failures: {len(failures)}")
    return "\n".join(lines)


def replay(path: Path) -> int:
    """Check one saved input again; print the result."""
    counts: Counter[str] = Counter()
    try:
        if path.suffix == ".bin":
            with tempfile.TemporaryDirectory() as tmp:
                check_cli(path.read_bytes(), Path(tmp), counts)
        else:
            check_text(path.read_bytes().decode("utf-8", "surrogatepass"), counts)
    except Violation as v:
        print(f"{path}: {v}")
        return 1
    print(f"{path}: every invariant holds ({sum(counts.values())} checks)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hours", type=float, help="run for this long (over --inputs: as many as fit)")
    ap.add_argument("--inputs", type=int, default=None, help="parse inputs (default 10,000; unbounded with --hours)")
    ap.add_argument("--cli-inputs", type=int, default=None,
                    help="CLI inputs, after the parse inputs in each worker (default: 1 per 100 parse inputs)")
    ap.add_argument("--seed", default="0", help="the run's seed (input i of seed S is always the same)")
    ap.add_argument("--start", type=int, default=0, help="the first input number")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="seed texts beside the repository's own")
    ap.add_argument("--no-corpus", action="store_true", help="the repository's texts only (as in CI)")
    ap.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="where failures are saved")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds one input may take")
    ap.add_argument("--memory-mb", type=int, default=3000, help="address-space limit of a worker")
    ap.add_argument("--schema-every", type=int, default=1,
                    help="check the JSON Schema on every K-th parse input only (it is the slowest check)")
    ap.add_argument("--replay", type=Path, help="check one saved input again")
    a = ap.parse_args(argv)
    if a.replay:
        return replay(a.replay)
    seconds = a.hours * 3600 if a.hours else None
    inputs = a.inputs if a.inputs is not None else (10**12 if seconds else 10_000)
    cli_inputs = a.cli_inputs if a.cli_inputs is not None else (10**12 if seconds else inputs // 100)
    corpus = None if a.no_corpus or not a.corpus.is_dir() else a.corpus
    t0 = time.monotonic()
    if seconds and a.cli_inputs is None:
        # a time-boxed run gives the CLI a fixed share (about a tenth of the time)
        totals_p, fails_p = run(inputs=inputs, cli_inputs=0, seed=a.seed, jobs=a.jobs, corpus=corpus,
                                seconds=seconds * 0.9, out=a.out, timeout=a.timeout, memory_mb=a.memory_mb,
                                start=a.start, schema_every=a.schema_every)
        totals_c, fails_c = run(inputs=0, cli_inputs=cli_inputs, seed=a.seed, jobs=a.jobs, corpus=corpus,
                                seconds=max(seconds - (time.monotonic() - t0), 1), out=a.out,
                                timeout=a.timeout, memory_mb=a.memory_mb, start=a.start,
                                schema_every=a.schema_every)
        totals, failures = totals_p + totals_c, fails_p + fails_c
    else:
        totals, failures = run(inputs=inputs, cli_inputs=cli_inputs, seed=a.seed, jobs=a.jobs, corpus=corpus,
                               seconds=seconds, out=a.out, timeout=a.timeout, memory_mb=a.memory_mb,
                               start=a.start, schema_every=a.schema_every)
    print(summary(totals, failures, time.monotonic() - t0))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
