"""The Python API: parse text, bytes or files into a :class:`~docparse.nodes.Document`."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from . import readers, stream
from .errors import InputError, unreadable
from .geometry import annotate
from .nodes import Document, Source
from .parser import parse_text
from .source import MAX_BYTES, decode, open_input, source_info

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
                grammar: Any = None, format: str | None = None) -> Document:
    """Decode ``data`` (detecting its encoding unless given) and parse it.

    ``format``: ``text``, ``alto``, ``page``, ``hocr`` or ``pdf`` (see docs/readers.md);
    None detects it from the content. OCR XML and PDFs keep their page geometry in
    ``source.pages``/``source.lines`` and each leaf's ``data.page``/``data.box``.
    """
    label = name or "<input>"
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{label}: too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})"
        )
    if format is not None and format not in readers.FORMATS:
        raise ValueError(f"unknown format {format!r} (one of {', '.join(readers.FORMATS)})")
    kind = format or readers.detect(data, name)
    if kind != "text":
        reading = readers.read_bytes(data, label, kind)
        return _parse_reading(reading, name, data, grammar)
    text, used = decode(data, label, encoding)
    if not text or text.isspace():  # (not text.strip(): that copies a long text)
        raise InputError(f"{label}: empty (no text to parse)")
    source = source_info(text, name, used, data)
    del data  # (the caller may hold the bytes; this function no longer needs them)
    return _parse_text(text, source, grammar)


def _parse_reading(reading: Any, name: str | None, raw: bytes, grammar: Any) -> Document:
    """The parse of a reader's text, with its geometry on the source and the leaves."""
    import attrs

    source = attrs.evolve(source_info(reading.text, name, "utf-8", raw), format=reading.format,
                          pages=reading.pages, lines=reading.lines)
    doc = _parse_text(reading.text, source, grammar)
    return annotate(doc.evolve(source=source))


def _parse_text(text: str, source: Source, grammar: Any) -> Document:
    """The parse of a whole text: a long one (over
    :data:`~docparse.stream.WINDOW_THRESHOLD` code points) window by window
    (:func:`~docparse.stream.parse_windowed`: the same document, in a fraction of the
    memory), a short one at once."""

    if len(text) > stream.WINDOW_THRESHOLD:
        doc = stream.parse_windowed(text, source, grammar)
    else:
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


def parse_file(path: str | os.PathLike[str], *, encoding: str | None = None, grammar: Any = None,
               format: str | None = None) -> Document:
    """Read, decode and parse a file. :class:`InputError` names the file and the problem.

    ``format`` as for :func:`parse_bytes`. A directory of page files (ALTO, PAGE-XML,
    hOCR or PDF) is one document, its pages in the natural order of the file names.
    """
    label = str(path)
    if format != "text" and Path(path).is_dir():
        reading, raw = readers.read_directory(path, format, MAX_BYTES)
        return _parse_reading(reading, label, raw, grammar)
    data = read_input(path)
    return parse_bytes(data, label, encoding=encoding, grammar=grammar, format=format)
