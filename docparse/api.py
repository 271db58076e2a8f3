"""The Python API: parse text, bytes or files into a :class:`~docparse.nodes.Document`."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import IO, Any

from .errors import InputError, unreadable
from .nodes import Document, Source
from .source import MAX_BYTES, decode, source_info

__all__ = ["open_input", "parse", "parse_bytes", "parse_file", "read_input"]


def parse(text: str, name: str | None = None, *, encoding: str = "utf-8", grammar: Any = None) -> Document:
    """Parse the text of one document (one or more letters) into a tree.

    Never fails on text: lines the grammar cannot classify become ``text`` nodes.
    ``grammar``: a :func:`docparse.grammar.compose` result (default: the core grammar with
    every installed grammar plugin).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes str, not {type(text).__name__}; use parse_bytes()")
    pairs = len(_PAIR.findall(text)) if "\ud800" <= max(text, default="") else 0
    if pairs:
        # a high surrogate and a low one in turn are the UTF-16 code units of one
        # character: read as it, as JSON reads their escapes (kept apart, the source
        # could not be written to JSON and read back the same; found by scripts/fuzz.py)
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    doc = _parse_text(text, source_info(text, name, encoding), grammar)
    return _report_pairs(doc, pairs) if pairs else doc


def parse_bytes(data: bytes, name: str | None = None, *, encoding: str | None = None,
                grammar: Any = None) -> Document:
    """Decode ``data`` (detecting its encoding unless given) and parse it."""
    label = name or "<input>"
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{label}: too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})"
        )
    text, used = decode(data, label, encoding)
    if not text or text.isspace():  # (not text.strip(): that copies a long text)
        raise InputError(f"{label}: empty (no text to parse)")
    source = source_info(text, name, used, data)
    del data  # (the caller may hold the bytes; this function no longer needs them)
    return _parse_text(text, source, grammar)


def _parse_text(text: str, source: Source, grammar: Any) -> Document:
    """The parse of a whole text: a long one (over
    :data:`~docparse.stream.WINDOW_THRESHOLD` code points) window by window
    (:func:`~docparse.stream.parse_windowed`: the same document, in a fraction of the
    memory), a short one at once."""
    from . import stream

    if len(text) > stream.WINDOW_THRESHOLD:
        doc = stream.parse_windowed(text, source, grammar)
    else:
        from .parser import parse_text

        doc = parse_text(text, source, grammar)
    return _report_surrogates(doc, text)


_SURROGATE = re.compile("[\ud800-\udfff]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _report_pairs(doc: Document, pairs: int) -> Document:
    """``doc`` with a warning that ``pairs`` surrogate pairs were read as the characters
    they encode."""
    warning = (f"{pairs} surrogate pair{'s' if pairs > 1 else ''} (a high surrogate, then a low one) "
               "read as the character each encodes in UTF-16")
    data = dict(doc.data)
    core = dict(data.get("docparse") or {})
    core["warnings"] = [warning, *core.get("warnings", ())]
    data["docparse"] = core
    return doc.evolve(data=data)
#: how many lone surrogates the warning lists by offset
_SHOWN = 5


def _report_surrogates(doc: Document, text: str) -> Document:
    """``doc`` with a warning in ``data["docparse"]["warnings"]`` when ``text`` holds lone
    surrogates (a ``str`` may; no decoded file does): they are kept in the source and the
    nodes, and JSON writes them as escapes (``\\ud800``)."""
    found = _SURROGATE.search(text)
    if found is None:
        return doc
    offsets = [m.start() for m in _SURROGATE.finditer(text)]
    shown = ", ".join(f"U+{ord(text[k]):04X} at offset {k}" for k in offsets[:_SHOWN])
    more = f" and {len(offsets) - _SHOWN} more" if len(offsets) > _SHOWN else ""
    warning = (f"{len(offsets)} lone surrogate{'s' if len(offsets) > 1 else ''} ({shown}{more}): "
               "not Unicode characters; kept, and written as \\u escapes in JSON")
    data = dict(doc.data)
    core = dict(data.get("docparse") or {})
    core["warnings"] = [*core.get("warnings", ()), warning]
    data["docparse"] = core
    return doc.evolve(data=data)


def read_input(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the file at ``path``, never more than :data:`~docparse.source.MAX_BYTES`;
    :class:`InputError` names the file and the problem (missing, a directory, too large ...)."""
    label = str(path)
    # (never more than the limit is read, whatever the size the file reported)
    with open_input(path, label, MAX_BYTES) as handle:
        try:
            data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise unreadable(label, exc) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{label}: too large (over the limit of {MAX_BYTES:,} bytes)")
    return data


def open_input(path: str | os.PathLike[str], label: str, limit: int) -> IO[bytes]:
    """The file at ``path`` opened for reading bytes, after the checks every reader makes:
    a directory, a file over ``limit`` bytes, or one that cannot be opened is an
    :class:`InputError` naming ``label`` and the problem in one line."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{label}: is a directory, not a file")
        info = p.stat()
        if not stat.S_ISREG(info.st_mode) and not _open_pipe(p, info.st_mode):
            # opening a FIFO with no writer blocks for ever; a device may never end
            raise InputError(f"{label}: is {_special_kind(info.st_mode)}, not a regular file "
                             "(to read a stream, give - and redirect it to stdin)")
        size = info.st_size
        if size > limit:
            raise InputError(f"{label}: too large ({size:,} bytes; the limit is {limit:,})")
        return p.open("rb")
    except OSError as exc:
        raise unreadable(label, exc) from None


def _open_pipe(path: Path, mode: int) -> bool:
    """Whether ``path`` is a pipe some process already holds open (``/dev/stdin``, a
    shell's ``<(command)`` as ``/dev/fd/63``): reading it ends when its writer does,
    unlike opening a named FIFO no one writes to, which blocks."""
    return stat.S_ISFIFO(mode) and "/fd/pipe:[" in os.path.realpath(path)


def _special_kind(mode: int) -> str:
    """What a file that is not a regular file is, for an error message."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def parse_file(path: str | os.PathLike[str], *, encoding: str | None = None, grammar: Any = None) -> Document:
    """Read, decode and parse a file. :class:`InputError` names the file and the problem."""
    label = str(path)
    data = read_input(path)
    return parse_bytes(data, label, encoding=encoding, grammar=grammar)
