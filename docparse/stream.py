"""Streaming parse: a file of many letters, one letter at a time, in bounded memory.

:func:`docparse.parse_file` reads, decodes and parses a whole file, so its memory
grows with the file (and files over :data:`~docparse.source.MAX_BYTES` are refused).
An archive of correspondence can hold hundreds of thousands of letters in one file;
:func:`iter_parse` reads such a file incrementally and yields one ``docparse/1``
:class:`~docparse.nodes.Document` per *part*: one letter, with the document-level
nodes (unclassified text) that follow it up to the next letter (the first part also
holds those before the first letter). Its memory is bounded by the block it parses
(:data:`BLOCK_CHARS`) plus the largest letter, not by the file.

How:

1. A first, cheap pass reads the bytes once: the SHA-256 of the file, its encoding
   (detected from the first MiB with the rules of :func:`docparse.source.decode`:
   a BOM, strict UTF-8, the Cyrillic code pages, charset-normalizer) and its length
   in code points, checking that the whole file decodes (so a bad byte near the end
   is refused before anything is written, with the same one-line errors as
   :func:`~docparse.source.decode`). A file that fits in the first MiB is decoded
   exactly as :func:`~docparse.api.parse_file` decodes it.
2. A second pass decodes incrementally (a ``\\r\\n`` split between two reads stays one
   line break) and feeds blocks of whole lines to the parser. Of the letters a block
   holds, every one but the last is complete; every one but the last two is also
   final (where a letter ends can depend on how the next one ends: a writer who dates
   at the end). Those are yielded, and the lines from the next-to-last letter's first
   line on are carried into the next block, which is parsed again with more text. A
   block holding fewer than three letters is grown (doubling) until it holds three or
   the file ends.
3. A stretch of more than ``max_part_chars`` (default 64 Mi code points) with no
   letter boundary is cut at its last line break: the letter there is then split
   into two parts, each parsed on its own. This is what bounds memory for a file
   that is not a file of letters at all.

Each part's positions (and its repairs' offsets, and the join records of the
``paragraphs`` plugin) are **global**: line, column and offset in the whole file.
Its ``source`` describes the whole file (``name``, ``sha256``, ``encoding``,
``length``) without the text, its ``position`` spans the part's own stretch of the
file (the parts tile the file: part ``k`` ends where part ``k + 1`` starts), and
``data["part"]`` says which part it is::

    {"index": 3, "last": false, "text": "<the part's source text>"}

so that nothing of the source is lost: the ``text`` of all parts, in order, is the
decoded file, and ``text[node.start.offset - doc.position.start.offset : ...]`` is a
node's source text. A file that is one part (one letter) is yielded as the very
document :func:`~docparse.api.parse_file` returns (``source.text``, no ``part``).
:func:`join_parts` puts the parts of a file back together into one document.

Repairs run per part (``repairs=True`` or a :class:`~docparse.config.Config`), on the
part's own nodes; a plugin that looks at a whole document (``ocr-spelling`` counts
the words spelled right elsewhere in it) sees only the part.

The whole-document API uses the same machinery the other way round:
:func:`parse_windowed` parses a long text (over :data:`WINDOW_THRESHOLD` code points)
window by window and gives exactly the document the plain parse gives (each letter is
parsed once, in the window where it has its context; every cut between windows is
checked), with the layout analysis of one window in memory at a time.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import hashlib
import itertools
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

import attrs

from .config import Config
from .errors import InputError
from .grammar import installed
from .nodes import Document, Letter, Node, PageBreak, PageHeader, Parent, Point, Position, Source
from .parser import parse_text
from .source import _BOMS, MAX_BYTES, LineIndex, decode, open_input

__all__ = [
    "BLOCK_CHARS",
    "MAX_PART_CHARS",
    "MAX_STREAM_BYTES",
    "WINDOW_CHARS",
    "WINDOW_THRESHOLD",
    "Part",
    "iter_parse",
    "iter_parts",
    "join_parts",
    "parse_windowed",
    "shift",
]

#: the largest input :func:`iter_parse` takes (bytes)
MAX_STREAM_BYTES = 4 * 1024**3
#: how much text (code points) is read before a block is parsed
BLOCK_CHARS = 1 << 20
#: the longest stretch without a letter boundary that is kept in one part
MAX_PART_CHARS = MAX_BYTES
#: bytes read at a time
_READ = 1 << 20
#: the encoding is detected from this many first bytes (as decode() looks at 64 KiB for NULs)
_SAMPLE = 1 << 20

_NEWLINE = re.compile(r"\r\n|\r|\n")


# --------------------------------------------------------------------------- shifting positions


_new = object.__new__
_set = object.__setattr__
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls))
    return names


def _copy(obj: Any, changes: Mapping[str, Any]) -> Any:
    """A copy of the frozen attrs instance ``obj`` with ``changes``, without re-running its
    converters and validators (the values are already valid: only numbers move)."""
    cls = type(obj)
    new = _new(cls)
    for name in _fields(cls):
        _set(new, name, changes[name] if name in changes else getattr(obj, name))
    return new


def _point(p: Point, lines: int, columns: int, offset: int) -> Point:
    new = _new(Point)
    _set(new, "line", p.line + lines)
    _set(new, "column", p.column + columns if p.line == 1 else p.column)
    _set(new, "offset", p.offset + offset)
    return new


def _shift_pos_list(pos: Any, lines: int, columns: int, offset: int) -> Any:
    """A join record's ``{"start": [line, column, offset], "end": [...]}``, shifted."""
    if not isinstance(pos, Mapping):
        return pos
    out: dict[str, Any] = {}
    for key in ("start", "end"):
        p = pos.get(key)
        if isinstance(p, list) and len(p) == 3:
            line, column, off = p
            out[key] = [line + lines, column + columns if line == 1 else column, off + offset]
        else:
            out[key] = p
    return out


def _shift_data(data: Mapping[str, Any], lines: int, columns: int, offset: int) -> Mapping[str, Any]:
    """``data`` with the positions of a ``paragraphs`` join record shifted (the only
    positions docparse itself keeps in ``data``; plugins' own data is left as it is)."""
    core = data.get("docparse")
    if not isinstance(core, Mapping) or not isinstance(core.get("join"), Mapping):
        return data
    join = dict(core["join"])
    join["parts"] = [
        {**p, "position": _shift_pos_list(p.get("position"), lines, columns, offset)}
        if isinstance(p, Mapping) else p
        for p in join.get("parts") or ()
    ]
    return {**data, "docparse": {**core, "join": join}}


class _Mover:
    """Moves the points of one tree. Equal points come out as one object (a parent starts
    where its first child starts), as do equal spans and line numbers: a moved tree takes
    less memory than the parser's, which matters for a long document held whole."""

    __slots__ = ("columns", "lines", "numbers", "offset", "points", "spans")

    def __init__(self, lines: int, columns: int, offset: int) -> None:
        self.lines, self.columns, self.offset = lines, columns, offset
        self.points: dict[int, tuple[Point, Point]] = {}  # old offset -> (old, new)
        self.spans: dict[tuple[int, int], Position] = {}
        self.numbers: dict[int, int] = {}

    def point(self, p: Point) -> Point:
        hit = self.points.get(p.offset)
        if hit is not None and hit[0].line == p.line and hit[0].column == p.column:
            return hit[1]
        new = _new(Point)
        line = p.line + self.lines
        _set(new, "line", self.numbers.setdefault(line, line))
        _set(new, "column", p.column + self.columns if p.line == 1 else p.column)
        _set(new, "offset", p.offset + self.offset)
        self.points[p.offset] = (p, new)
        return new

    def position(self, pos: Position) -> Position:
        start, end = self.point(pos.start), self.point(pos.end)
        key = (id(start), id(end))  # (both are kept alive by ``points``)
        span = self.spans.get(key)
        if span is None:
            span = self.spans[key] = _new(Position)
            _set(span, "start", start)
            _set(span, "end", end)
        return span

    def node(self, node: Node) -> Node:
        changes: dict[str, Any] = {}
        offset = self.offset
        if node.position is not None:
            changes["position"] = self.position(node.position)
        if node.repairs:
            changes["repairs"] = tuple(
                _copy(r, {"start": r.start + offset, "end": r.end + offset}) for r in node.repairs
            )
        if node.data:
            data = _shift_data(node.data, self.lines, self.columns, offset)
            if data is not node.data:
                changes["data"] = data
        if isinstance(node, Parent) and node.children:
            changes["children"] = tuple(self.node(c) for c in node.children)
        return _copy(node, changes) if changes else node


def _shift(node: Node, lines: int, columns: int, offset: int) -> Node:
    return _Mover(lines, columns, offset).node(node)


def shift(node: Node, *, lines: int = 0, offset: int = 0, columns: int = 0) -> Node:
    """``node`` and its subtree moved by ``lines`` lines and ``offset`` code points.

    Points on line 1 also move by ``columns`` (the source the node was parsed from
    started mid-line; 0 when it started at a line start, as blocks do). Repairs'
    ``start``/``end`` move by ``offset``; so do the positions a ``paragraphs`` join
    records. Fast: no validation (moving valid positions forward keeps them valid).

    >>> from docparse.nodes import Text
    >>> t = Text(value="x", position=Position(Point(line=1, column=1, offset=0), Point(line=1, column=2, offset=1)))
    >>> shift(t, lines=9, offset=500).position.start
    Point(line=10, column=1, offset=500)
    """
    if lines < 0 or offset < 0 or columns < 0:
        raise ValueError("shift() moves nodes forward only (lines, offset and columns >= 0)")
    if lines == offset == columns == 0:
        return node
    return _shift(node, lines, columns, offset)


# --------------------------------------------------------------------------- reading the input


@attrs.frozen
class _Facts:
    """What the first pass learnt about a file."""

    sha256: str
    encoding: str  # as recorded in source.encoding
    codec: str  # what the second pass decodes with
    length: int  # code points
    text: str | None = None  # the decoded text, when the first pass had to decode it whole


class _Input:
    """A binary input opened for two passes (a pipe is spooled to a temporary file)."""

    def __init__(self, file: str | os.PathLike[str] | IO[bytes], name: str | None, limit: int) -> None:
        self.owned = False
        self.handle: IO[bytes]
        if hasattr(file, "read"):
            handle: IO[bytes] = file  # type: ignore[assignment]
            given = getattr(handle, "name", None)
            self.name = name if name is not None else (given if isinstance(given, str) else None)
            self.label = self.name or "<input>"
            if _seekable(handle):
                self.handle, self.start = handle, handle.tell()
            else:
                self._spool(handle, limit)
            return
        self.name = name if name is not None else str(file)
        self.label = str(file)
        handle = open_input(file, self.label, limit)
        if _seekable(handle):
            self.handle, self.start, self.owned = handle, 0, True
        else:  # a pipe or a device given by name: read it once, never past the limit
            with handle:
                self._spool(handle, limit)

    def _spool(self, handle: IO[bytes], limit: int) -> None:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        total = 0
        try:
            while True:
                chunk = handle.read(_READ)
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise InputError(f"{self.label}: too large (over the limit of {limit:,} bytes)")
                spool.write(chunk)
        except OSError as exc:
            spool.close()
            raise InputError(f"{self.label}: cannot read ({exc.strerror or exc})") from None
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        self.handle, self.start, self.owned = spool, 0, True

    @property
    def size(self) -> int:
        """The input's size in bytes (from where it was opened)."""
        here = self.handle.tell()
        try:
            return self.handle.seek(0, os.SEEK_END) - self.start
        finally:
            self.handle.seek(here)

    def read(self, size: int) -> bytes:
        try:
            return self.handle.read(size)
        except OSError as exc:
            raise InputError(f"{self.label}: cannot read ({exc.strerror or exc})") from None

    def rewind(self) -> None:
        self.handle.seek(self.start)

    def close(self) -> None:
        if self.owned:
            self.handle.close()


def _seekable(handle: IO[bytes]) -> bool:
    try:
        return bool(handle.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _sample_cut(data: bytes) -> int:
    """Where to cut the first read so that it ends at a line break (or at least at a
    character boundary) in whatever encoding it turns out to have."""
    if b"\x00" in data[:65536]:
        # UTF-16 without a BOM: the last line break on an even byte, LE or BE
        p = len(data) - 2
        p -= p % 2
        while p >= 0:
            if data[p : p + 2] in (b"\n\x00", b"\x00\n"):
                return p + 2
            p -= 2
        return len(data) - len(data) % 2
    end = max(data.rfind(b"\n"), data.rfind(b"\r"))
    if end >= 0:
        return end + 1
    for cut in range(len(data) - 1, max(len(data) - 5, 0), -1):
        if not 0x80 <= data[cut] < 0xC0:  # a byte that starts a UTF-8 character
            return cut
    return len(data)


def _detect(first: bytes, label: str, encoding: str | None) -> tuple[str, str, str]:
    """``(codec, recorded name, how)`` for a file whose first read is ``first``;
    ``how`` is ``declared``, ``bom`` or ``detected``."""
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"{label}: unknown encoding {encoding!r}") from None
        return encoding, name, "declared"
    for bom, codec in _BOMS:
        if first.startswith(bom):
            return codec, codec.replace("-sig", ""), "bom"
    _text, used = decode(first[: _sample_cut(first)], label)
    return used, used, "detected"


def _scan(src: _Input, encoding: str | None) -> _Facts:
    """The first pass: hash, encoding, length; the whole file must decode."""
    whole_limit = MAX_BYTES
    label = src.label
    digest = hashlib.sha256()
    first = src.read(_SAMPLE)
    if not isinstance(first, bytes):
        raise TypeError(f"{label}: a binary file is needed (open it with 'rb'), not {type(first).__name__}")
    more = src.read(_READ) if len(first) == _SAMPLE else b""
    if not more:  # the whole file is in hand: decode it exactly as parse_file does
        digest.update(first)
        text, used = decode(first, label, encoding)
        if not text.strip():
            raise InputError(f"{label}: empty (no text to parse)")
        return _Facts(digest.hexdigest(), used, used, len(text), text)
    codec, used, how = _detect(first, label, encoding)
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    length = 0
    total = 0
    blank = True
    chunk: bytes = first
    while True:
        final = not chunk
        digest.update(chunk)
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            where = max(0, total - pending + exc.start)
            if src.size <= whole_limit:
                # a file within the whole-file limit: decode it whole, with every rule of
                # decode(): the same error as parse_file, or the encoding decode() finds
                # (say for a file whose first MiB is ASCII and whose rest is cp1251)
                src.rewind()
                data = src.read(whole_limit + 1)
                text, used = decode(data, label, encoding)
                if not text.strip():
                    raise InputError(f"{label}: empty (no text to parse)") from None
                return _Facts(hashlib.sha256(data).hexdigest(), used, used, len(text), text)
            raise InputError(_decode_error(label, codec, used, how, where, exc.reason)) from None
        length += len(text)
        if blank and text.strip():
            blank = False
        if final:
            break
        total += len(chunk)
        chunk, more = more, b""
        if not chunk:
            chunk = src.read(_READ)
    if blank:
        raise InputError(f"{label}: empty (no text to parse)")
    return _Facts(digest.hexdigest(), used, codec, length)


def _decode_error(label: str, codec: str, used: str, how: str, where: int, reason: str) -> str:
    """The one-line error of :func:`docparse.source.decode` for a bad byte found later."""
    if how == "declared":
        return f"{label}: not valid {codec} at byte {where} ({reason})"
    if how == "bom":
        return f"{label}: invalid {codec} after its byte-order mark at byte {where}"
    if used == "utf-8":
        return (f"{label}: invalid UTF-8 at byte {where} ({reason}); "
                "the file is damaged, or give its encoding with --encoding")
    return (f"{label}: not valid {used} (detected from the start of the file) at byte {where} "
            f"({reason}); give its encoding with --encoding")


def _texts(src: _Input, facts: _Facts) -> Iterator[str]:
    """The second pass: the decoded text, a read at a time."""
    if facts.text is not None:
        yield facts.text
        return
    src.rewind()
    decoder = codecs.getincrementaldecoder(facts.codec)(errors="strict")
    length = 0
    while True:
        chunk = src.read(_READ)
        try:
            text = decoder.decode(chunk, not chunk)
        except UnicodeDecodeError:
            raise InputError(f"{src.label}: changed while being read") from None
        length += len(text)
        if text:
            yield text
        if not chunk:
            break
    if length != facts.length:
        raise InputError(f"{src.label}: changed while being read")


def _slices(texts: Iterable[str], size: int) -> Iterator[str]:
    """``texts`` in pieces of at most ``size`` code points (a block never swallows more
    than it asked for, even when the first pass left the whole text in hand)."""
    for text in texts:
        if len(text) <= size:
            yield text
        else:
            for k in range(0, len(text), size):
                yield text[k : k + size]


# --------------------------------------------------------------------------- parts


@attrs.frozen
class Part:
    """One part of a streamed file, before it is made global.

    ``doc``: the part's nodes with positions local to the block it was parsed from
    (``doc.source.text`` is that block), ready for repairs; ``base``: where the block
    starts in the file; ``span``: the part's stretch of the file (global);
    ``whole``: the part is the whole file (``doc`` is then the whole-file document,
    already global). :meth:`finish` makes the global document.
    """

    doc: Document
    index: int
    last: bool
    whole: bool
    base: Point
    span: Position
    source: Source
    text: str

    def finish(self, doc: Document | None = None) -> Document:
        """The global document of this part (from ``doc``: ``self.doc`` after repairs)."""
        doc = self.doc if doc is None else doc
        if self.whole:
            return doc
        moved = shift(
            doc,
            lines=self.base.line - 1,
            offset=self.base.offset,
            columns=self.base.column - 1,
        )
        assert isinstance(moved, Document)
        data = dict(moved.data)
        data["part"] = {"index": self.index, "last": self.last, "text": self.text}
        return Document(children=moved.children, source=self.source, position=self.span, data=data)


def _unfed(text: str) -> str:
    """``text`` as the parser is to read a part that starts where a letter starts: the
    form feeds opening it (which separate the letter from the one before, and are no
    page of it) read as spaces; offsets are unchanged, and the part's text keeps them."""
    n = len(text) - len(text.lstrip("\f"))
    return " " * n + text[n:] if n else text


def _trim_separators(doc: Document, *, start: bool, end: bool) -> Document:
    """Drop the page break that opens (``start``) or closes (``end``) a part cut at a letter
    boundary: a form feed between two letters separates them and is no page of either, as
    the whole-file parse reads it; the part's text keeps it."""
    children = list(doc.children)
    changed = False
    for at, wanted in ((0, start), (-1, end)):
        letter = children[at] if children else None
        if not wanted or not isinstance(letter, Letter):
            continue
        kids = list(letter.children)
        k = 0 if at == 0 else len(kids) - 1
        if len(kids) < 2 or not isinstance(kids[k], PageBreak):
            continue
        del kids[k]
        spans = [c.position for c in kids if c.position is not None]
        position = letter.position
        if spans:
            position = Position(min(p.start for p in spans), max(p.end for p in spans))
        children[at] = letter.evolve(children=tuple(kids), position=position)
        changed = True
    return doc.evolve(children=tuple(children)) if changed else doc


def _line_start(node: Node) -> int:
    pos = node.position
    assert pos is not None
    return pos.start.offset - (pos.start.column - 1)


def _complete_lines(text: str) -> int:
    """The length of ``text`` up to its last complete line break (a final ``\\r`` may be
    the first half of ``\\r\\n``, so it does not count); 0 if there is none."""
    end = max(text.rfind("\n"), text.rfind("\r"))
    if end == len(text) - 1 and text[end] == "\r":
        end = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end))
    return end + 1


def iter_parts(
    file: str | os.PathLike[str] | IO[bytes],
    *,
    name: str | None = None,
    encoding: str | None = None,
    grammar: Any = None,
    block_chars: int = BLOCK_CHARS,
    max_part_chars: int = MAX_PART_CHARS,
    max_bytes: int = MAX_STREAM_BYTES,
) -> Iterator[Part]:
    """The parts of ``file`` (a path, or a binary file object), one letter each, as
    :class:`Part` records (local positions; :meth:`Part.finish` makes them global).

    :func:`iter_parse` is the usual entry point; this one lets a caller run its own
    per-part work (repairs, reports) on the local tree first. Input problems raise
    :class:`~docparse.errors.InputError` before the first part is yielded.
    """
    if block_chars < 1 or max_part_chars < block_chars:
        raise ValueError("block_chars must be >= 1 and max_part_chars >= block_chars")

    if grammar is None:
        grammar = installed()
    src = _Input(file, name, max_bytes)
    try:
        facts = _scan(src, encoding)
        whole = Source(name=src.name, sha256=facts.sha256, encoding=facts.encoding, length=facts.length)
        chunks = _slices(_texts(src, facts), block_chars)
        pieces: list[str] = []
        have = 0  # code points in pieces
        eof = False
        target = block_chars
        base = Point(line=1, column=1, offset=0)
        index = 0
        cut_at_letter = True  # the next block starts where a letter starts
        while True:
            while not eof and have < target:
                try:
                    piece = next(chunks)
                except StopIteration:
                    eof = True
                    break
                pieces.append(piece)
                have += len(piece)
            text = "".join(pieces)
            end = len(text) if eof else _complete_lines(text)
            limited = len(text) >= max_part_chars  # the block cannot grow any more
            if end > max_part_chars:  # never parse more than the limit at once
                end = _complete_lines(text[:max_part_chars])
            if end == 0:
                if len(text) < max_part_chars:  # no line break yet: read on
                    target = min(max(2 * have, block_chars), max_part_chars)
                    continue
                # one enormous line: cut it (the next block starts mid-line; its columns
                # are shifted), never between the two characters of a \r\n
                end = max_part_chars - (text[max_part_chars - 1] == "\r")
            block, rest = text[:end], text[end:]
            final = eof and not rest
            doc = parse_text(block, Source(name=src.name, sha256=facts.sha256, encoding=facts.encoding,
                                           length=len(block), text=block), grammar)
            children = doc.children
            letters = [i for i, c in enumerate(children) if isinstance(c, Letter) and c.position is not None]
            if len(letters) >= 2 and _line_start(children[letters[-1]]) <= 0:
                letters = letters[:1]  # no line to cut at (cannot happen with whole lines)
            # a letter is kept once the whole letter after it is in the block too (where one
            # letter ends may depend on how the next one ends: a date at the end)
            if final or len(letters) >= 3 or limited:
                if final and index == 0 and len(letters) <= 1 and base.offset == 0:
                    # the whole file is one part: the very document parse_file gives
                    full = doc.evolve(source=attrs.evolve(whole, text=block))
                    yield Part(doc=full, index=0, last=True, whole=True, base=base,
                               span=doc.position or LineIndex(block).position(0, len(block)),
                               source=whole, text=block)
                    return
                if final or len(letters) < 2:
                    upto = len(children)
                else:  # (a block at its size limit keeps all but its last letter)
                    upto = letters[-2] if len(letters) >= 3 else letters[-1]
                carry = len(block) if upto == len(children) else _line_start(children[upto])
                starts = [0] + [i for i in letters[1:] if i < upto]
                cuts = [0] + [_line_start(children[i]) for i in starts[1:]] + [carry]
                lines = LineIndex(block)
                children_count = range(len(children))
                del doc, children  # each part is parsed again on its own
                spans = [(a, b) for a, b in itertools.pairwise(cuts) if a < b]
                for j, (a, b) in enumerate(spans):
                    text_j = block[a:b]
                    opens = j > 0 or (index > 0 and cut_at_letter)
                    local = parse_text(_unfed(text_j) if opens else text_j,
                                       Source(name=src.name, sha256=facts.sha256, encoding=facts.encoding,
                                              length=len(text_j), text=text_j), grammar)
                    local = _trim_separators(
                        local, start=opens, end=j < len(spans) - 1 or upto < len(children_count)
                    )
                    span = lines.position(a, b)
                    yield Part(
                        doc=local,
                        index=index,
                        last=final and j == len(spans) - 1,
                        whole=False,
                        base=_global(span.start, base),
                        span=Position(_global(span.start, base), _global(span.end, base)),
                        source=whole,
                        text=text_j,
                    )
                    index += 1
                if final:
                    return
                cut_at_letter = upto < len(children_count)
                new_base = _global(lines.point(carry), base)
                base = new_base
                pieces = [block[carry:], rest] if carry < len(block) else [rest]
                have = len(block) - carry + len(rest)
                target = have + block_chars
            else:
                # fewer than three letters: grow the block (doubling keeps the work linear)
                pieces = [block, rest]
                have = len(text)
                target = max(min(2 * len(block), max_part_chars), have + 1)
                del doc, children
    finally:
        src.close()


def _global(p: Point, base: Point) -> Point:
    """A block-local point as a point of the file."""
    return Point(
        line=p.line + base.line - 1,
        column=p.column + base.column - 1 if p.line == 1 else p.column,
        offset=p.offset + base.offset,
    )


def iter_parse(
    file: str | os.PathLike[str] | IO[bytes],
    *,
    name: str | None = None,
    encoding: str | None = None,
    grammar: Any = None,
    repairs: Any = False,
    block_chars: int = BLOCK_CHARS,
    max_part_chars: int = MAX_PART_CHARS,
    max_bytes: int = MAX_STREAM_BYTES,
) -> Iterator[Document]:
    """Parse ``file`` (a path, or a binary file object) one letter at a time.

    Yields one schema-valid ``docparse/1`` :class:`~docparse.nodes.Document` per part
    (a letter and the document-level nodes after it) with global positions; see the
    module's documentation. ``repairs``: ``False`` (the raw parse), ``True`` (the
    default repair plugins) or a :class:`~docparse.config.Config`; a plugin that fails
    on a part is reported as a :class:`RuntimeWarning` and its changes dropped (with a
    strict configuration it raises :class:`~docparse.errors.PluginError`).
    Input problems raise :class:`~docparse.errors.InputError` before the first part.

    >>> for doc in iter_parse("archive.txt"):                       # doctest: +SKIP
    ...     print(doc.data["part"]["index"], doc.letters[0].language)
    """
    run: Callable[[Document], Document] | None = None
    if repairs is not False and repairs is not None:
        # lazy: repairs are optional; a parse without them never loads the pipeline
        from .pipeline import run_repairs

        config = Config() if repairs is True else repairs
        if not isinstance(config, Config):
            raise TypeError(f"repairs must be a bool or a Config, not {type(repairs).__name__}")

        def run(doc: Document) -> Document:
            result = run_repairs(doc, config)
            for failure in result.failures:
                warnings.warn(f"{doc.source.name or '<input>'}: {failure.message}", RuntimeWarning, stacklevel=3)
            return result.doc

    for part in iter_parts(file, name=name, encoding=encoding, grammar=grammar, block_chars=block_chars,
                           max_part_chars=max_part_chars, max_bytes=max_bytes):
        yield part.finish(run(part.doc) if run is not None else None)


def join_parts(parts: Iterable[Document]) -> Document:
    """The parts of one file (from :func:`iter_parse`, in order) as one document: their
    children in order, ``source.text`` rebuilt from the parts' texts, ``data`` of the
    first part without ``part``. A whole-file document (one part) is returned as it is.
    Needs the whole file in memory, as :func:`~docparse.api.parse_file` does."""
    docs = list(parts)
    if not docs:
        raise ValueError("join_parts() needs at least one part")
    if len(docs) == 1 and "part" not in docs[0].data:
        return docs[0]
    children: list[Node] = []
    texts: list[str] = []
    for k, doc in enumerate(docs):
        info = doc.data.get("part")
        if not isinstance(info, Mapping) or info.get("index") != k:
            raise ValueError(f"join_parts(): document {k} is not part {k} of a streamed file")
        children.extend(doc.children)
        texts.append(info["text"])
    if not docs[-1].data["part"].get("last"):
        raise ValueError("join_parts(): the last part is missing")
    text = "".join(texts)
    source = attrs.evolve(docs[0].source, text=text)
    data = {k: v for k, v in docs[0].data.items() if k != "part"}
    return Document(children=tuple(children), source=source, data=data,
                    position=LineIndex(text).position(0, len(text)))


# --------------------------------------------------------------------------- the whole text, in windows

#: texts longer than this (code points) are parsed in windows by :func:`docparse.parse`
WINDOW_THRESHOLD = 1 << 19
#: the text one window holds (code points; a window grows when it holds too few letters)
WINDOW_CHARS = 1 << 18
#: how many more letters of context a window whose check failed is given, at most
_RETRIES = 3
#: the lines a window holds after the letters it keeps, at least (the layout rules look a
#: dozen or two lines ahead of a line; the letters after the cut are parsed again anyway)
_MARGIN_LINES = 40


@attrs.define
class WindowStats:
    """What :func:`parse_windowed` did: ``windows`` parsed (retries and growth
    included), ``cuts`` made, ``retries`` of a window whose check failed, and
    ``fallback`` (the text had to be parsed whole after all)."""

    windows: int = 0
    cuts: int = 0
    prefixes: int = 0
    retries: int = 0
    fallback: bool = False


@attrs.frozen
class _Mark:
    """A line start in the text: its offset and its 1-based line number."""

    offset: int
    line: int


def _headers(node: Node) -> Iterator[PageHeader]:
    if isinstance(node, PageHeader):
        yield node
    elif isinstance(node, Parent):
        for child in node.children:
            yield from _headers(child)


def _last_header(nodes: Iterable[Node]) -> PageHeader | None:
    """The last running header (in source order) among ``nodes`` and their subtrees."""
    last = None
    for node in nodes:
        for header in _headers(node):
            if header.position is not None and (last is None or header.position.start.offset
                                                >= last.position.start.offset):  # type: ignore[union-attr]
                last = header
    return last


def _count_lines(text: str) -> int:
    """The number of line breaks in ``text`` (``\\r\\n`` is one)."""
    if "\r" not in text:
        return text.count("\n")
    return sum(1 for _ in _NEWLINE.finditer(text))


def parse_windowed(text: str, source: Source, grammar: Any = None, *,
                   window_chars: int = WINDOW_CHARS) -> Document:
    """Parse the whole ``text`` window by window: the very document
    :func:`~docparse.parser.parse_text` gives for it, in memory bounded by one window's
    layout analysis (plus the tree itself) instead of the whole text's.

    The layout analyser keeps a record of every line of what it analyses (about ten times
    the text); for a file of many letters that is most of a parse's memory. Here the text is
    analysed a window of about ``window_chars`` code points at a time, and each letter is
    taken from the one window in which it is parsed with its full context:

    * a window ends at a line end; the letters it keeps end at the start of its last letter
      that has at least forty lines of the window after it (the letters from there on,
      whose following lines the window may lack, are parsed again by the next window);
      where the window holds too few letters it grows;
    * the next window opens two letters before the first letter it keeps: one is the
      *context letter* (the layout rules look at the lines above a letter, and the first
      letter of a text is read apart), the other is the *check letter*, which must come out
      the same as in the window before; and a letter must start at the cut;
    * the running headers' page count runs through the whole text (a bare "3" is a page
      number only on the page the count expects): the next window's last running header
      before the cut must be the whole text's (same place, same page). When that header lies
      before the window, the window is opened with the letter holding it, parsed in front of
      the context letter, so that the count resumes where the text has it.

    A window whose check fails is parsed again with more letters of context (up to three);
    should that not do, the text is parsed whole. Positions are moved to the whole text
    with :func:`shift`; ``source`` is the document's (``source.text`` is ``text``).
    """
    doc, _stats = _parse_windowed(text, source, grammar, window_chars=window_chars)
    return doc


_GC_LOCK = threading.Lock()
_GC_DEPTH = 0  # windowed parses running (the threshold is restored when the last one ends)
_GC_SAVED: tuple[int, ...] = ()


@contextlib.contextmanager
def _fewer_full_collections() -> Iterator[None]:
    """Run with the collector's oldest generation collected ten times less often.

    A windowed parse makes the objects of one window's analysis (which live until the window
    is done) beside the growing tree it keeps: each window's survivors trigger a full
    collection, which walks the whole kept tree again, so that with the default threshold
    the collector costs about a seventh of the parse of a 10 MB file (the whole-text parse,
    which holds everything to the end, triggers fewer). The few cycles a parse leaves are
    young and still go in the young generations' collections: the peak memory of a 10 MB
    parse is the same either way. The threshold is the process's: it is restored when the
    last windowed parse running ends."""
    global _GC_DEPTH, _GC_SAVED
    with _GC_LOCK:
        if _GC_DEPTH == 0:
            _GC_SAVED = gc.get_threshold()
            if len(_GC_SAVED) >= 3 and _GC_SAVED[0] > 0:  # (0: the collector is off by threshold)
                gc.set_threshold(_GC_SAVED[0], _GC_SAVED[1], max(_GC_SAVED[2], 10 * _GC_SAVED[2]))
        _GC_DEPTH += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_DEPTH -= 1
            if _GC_DEPTH == 0 and gc.get_threshold()[2:3] == (max(_GC_SAVED[2], 10 * _GC_SAVED[2]),):
                gc.set_threshold(*_GC_SAVED)


def _parse_windowed(text: str, source: Source, grammar: Any = None, *,
                    window_chars: int = WINDOW_CHARS) -> tuple[Document, WindowStats]:
    with _fewer_full_collections():
        return _windows(text, source, grammar, window_chars)


def _windows(text: str, source: Source, grammar: Any, window_chars: int) -> tuple[Document, WindowStats]:
    if window_chars < 1:
        raise ValueError("window_chars must be >= 1")
    if grammar is None:
        grammar = installed()
    stats = WindowStats()
    n = len(text)

    def whole() -> tuple[Document, WindowStats]:
        stats.fallback = True
        stats.windows += 1
        return parse_text(text, source, grammar), stats

    kept: list[Node] = []  # the document's children so far (global positions), all before ``cut``
    # the plan of the next window
    start = _Mark(0, 1)  # where its text (after any prefix) opens: a line start
    cut = _Mark(0, 1)  # its children from here on are kept
    check_from = 0  # its children in [check_from, cut) must equal ``expected``
    expected: list[Node] = []
    context: list[_Mark] = []  # earlier letter starts, for a retry with more context
    tries = 0
    size = window_chars
    header_child = -1  # the index in ``kept`` of the child holding the last running header
    last_header: PageHeader | None = None
    end_point: Point | None = None
    while True:
        # ---- the window's text: an optional prefix (the letter holding the last header),
        # then text[start:end] with end at a line end
        prefix = ""
        prefix_at = _Mark(0, 1)
        if last_header is not None and last_header.position is not None \
                and last_header.position.start.offset < start.offset:
            holder = kept[header_child]
            assert holder.position is not None
            prefix_at = _Mark(_line_start(holder), holder.position.start.line)
            upto = _line_start(kept[header_child + 1]) if header_child + 1 < len(kept) else cut.offset
            prefix = text[prefix_at.offset:min(upto, start.offset)]
        end = min(n, cut.offset + size)  # (the letters it keeps start at the cut)
        if end < n:
            end = start.offset + _complete_lines(text[start.offset:end])
            if end == start.offset:  # one line longer than the window
                size *= 2
                continue
        final = end == n
        window = prefix + text[start.offset:end]
        plen = len(prefix)
        stats.prefixes += bool(prefix)
        doc = parse_text(window, Source(name=source.name, sha256=source.sha256, encoding=source.encoding,
                                        length=len(window), text=window), grammar)
        stats.windows += 1
        # local -> global: the prefix by (prefix_at), the rest by (start)
        lines = start.line - 1 - _count_lines(prefix)
        offset = start.offset - plen
        main: list[Node] = []
        before: list[Node] = []  # the prefix's children
        for child in doc.children:
            if child.position is not None and child.position.start.offset < plen:
                before.append(child)
            else:
                main.append(shift(child, lines=lines, offset=offset))
        assert doc.position is not None
        last_line = doc.position.end.line + lines
        if final:
            end_point = _point(doc.position.end, lines, 0, offset)
        del doc
        # ---- the checks (the first window opens the text: nothing to check)
        if cut.offset > 0:
            ok = True
            straddles = [c for c in main if c.position is not None
                         and c.position.start.offset < cut.offset < c.position.end.offset]
            at_cut = [c for c in main if c.position is not None and c.position.start.offset >= cut.offset]
            if straddles or not at_cut or not isinstance(at_cut[0], Letter) or _line_start(at_cut[0]) != cut.offset:
                ok = False
            if ok:
                region = [c for c in main if c.position is not None
                          and check_from <= c.position.start.offset < cut.offset]
                ok = region == expected
            if ok:
                # the page count: the window's last header before the cut is the text's
                moved = [shift(c, lines=prefix_at.line - 1, offset=prefix_at.offset) for c in before]
                mine = _last_header(moved + [c for c in main if c.position is not None
                                             and c.position.start.offset < cut.offset])
                ok = (mine is None and last_header is None) or (
                    mine is not None and last_header is not None and mine == last_header)
            if not ok:
                tries += 1
                stats.retries += 1
                earlier = [m for m in context if m.offset < start.offset]
                if tries > _RETRIES or not earlier:
                    return whole()
                start = earlier[-1]
                size = window_chars
                continue
        # ---- where the next window cuts: at the last letter that the window holds with a
        # margin of lines after it (the layout rules look some lines ahead), with two
        # letters from the cut on before it (the next window's context and check letters)
        letters = [_Mark(_line_start(c), c.position.start.line) for c in main
                   if isinstance(c, Letter) and c.position is not None and _line_start(c) >= cut.offset]
        j = len(letters) - 1
        while j >= 2 and letters[j].line + _MARGIN_LINES > last_line:
            j -= 1
        if not final and j < 2:
            # too few letters: a larger window from the same start (the rest of the text
            # at once when that is not much more)
            size = 2 * size if 4 * size < n - cut.offset else n
            continue
        if any(c.position is None for c in main) and not (final and cut.offset == 0):
            return whole()  # a child without a position cannot be placed: be safe
        if final:
            kept.extend(c for c in main if cut.offset == 0 or c.position.start.offset >= cut.offset)  # type: ignore[union-attr]
            break
        nxt = letters[j]
        check = letters[j - 1]
        take = [c for c in main if cut.offset <= c.position.start.offset < nxt.offset]  # type: ignore[union-attr]
        base = len(kept)
        kept.extend(take)
        for k in range(len(take) - 1, -1, -1):
            found = _last_header([take[k]])
            if found is not None:
                header_child, last_header = base + k, found
                break
        expected = [c for c in take if c.position.start.offset >= check.offset]  # type: ignore[union-attr]
        context = [_Mark(_line_start(c), c.position.start.line) for c in main  # type: ignore[union-attr]
                   if isinstance(c, Letter) and _line_start(c) < letters[j - 2].offset]
        start, cut, check_from = letters[j - 2], nxt, check.offset
        tries = 0
        size = window_chars
        stats.cuts += 1
        del main, take
    if end_point is None:  # pragma: no cover - the loop ends on the final window
        end_point = LineIndex(text).point(n)
    position = Position(Point(line=1, column=1, offset=0), end_point)
    return Document(children=tuple(kept), source=source, position=position), stats
