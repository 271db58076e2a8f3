"""Readers: OCR-engine output and PDFs turned into a letter's source text and geometry.

A reader knows nothing of letters: it yields pages of lines with boxes
(:mod:`._model`), which :func:`._text.lay_out` turns into source text whose spaces,
blank lines and form feeds show the page, with the geometry of each line kept beside it
(``Source.pages``, ``Source.lines``). See docs/readers.md.

The formats: ``alto`` (ALTO v2-v4), ``page`` (PAGE-XML 2013/2019 and earlier), ``hocr``,
``pdf`` (a text layer; needs the ``pdf`` extra, pypdfium2) and ``text`` (plain text, read
by :func:`docparse.parse_bytes` as always). :func:`detect` tells them apart by content.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import attrs

from ..errors import InputError, unreadable
from ..nodes import SourceLine, SourcePage
from . import _text, alto, hocr, page, pdf
from ._model import Page
from ._xml import local, namespace, parse_xml

__all__ = ["FORMATS", "Reading", "detect", "read_bytes", "read_directory"]

#: the input formats, in the order ``--from`` lists them
FORMATS = ("text", "alto", "page", "hocr", "pdf")

#: the formats' names in messages
_NAMES = {"alto": "ALTO", "page": "PAGE-XML", "hocr": "hOCR", "pdf": "PDF", "text": "text"}

#: how much of a file's start :func:`detect` looks at
_HEAD = 65536
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


@attrs.frozen(kw_only=True)
class Reading:
    """What a reader made of an input: the source text and its geometry."""

    format: str
    text: str
    pages: tuple[SourcePage, ...]
    lines: tuple[SourceLine, ...]


def _strip_prolog(data: bytes) -> bytes:
    """The start of ``data`` after a byte-order mark, white space, the XML declaration,
    comments, processing instructions and a DOCTYPE (with its internal subset)."""
    head = data[:_HEAD].lstrip(b"\xef\xbb\xbf").lstrip()
    while head.startswith(b"<?") or head.startswith(b"<!"):
        if head.startswith(b"<!--"):
            at, end = head.find(b"-->"), b"-->"
        elif head.startswith(b"<?"):
            at, end = head.find(b"?>"), b"?>"
        else:  # <!DOCTYPE name [ ... ]>: the subset holds '>' of its own
            bracket, close = head.find(b"["), head.find(b">")
            if 0 <= bracket < close:
                at = head.find(b"]", bracket)
                at, end = (head.find(b">", at), b">") if at >= 0 else (-1, b">")
            else:
                at, end = close, b">"
        if at < 0:
            return head
        head = head[at + len(end):].lstrip()
    return head


def detect(data: bytes, name: str | None = None) -> str:
    """The format of ``data``, from its content: ``%PDF-``; an XML root ``alto`` or
    ``PcGts``; HTML naming an OCR system or its classes (hOCR); else ``text``. The
    extension only breaks a tie: an ``.xml`` file whose root is none of these is text."""
    start = data[:1024].lstrip(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"%PDF-") or (b"%PDF-" in data[:1024]
                                      and (name or "").lower().endswith(".pdf")):
        return "pdf"
    if not start.startswith(b"<"):
        return "text"
    head = data[:_HEAD]
    if hocr.looks_like_hocr(head):
        return "hocr"
    root = _ROOT.match(_strip_prolog(data))
    if root is not None:
        tag = root.group(2)
        if tag == b"alto":
            return "alto"
        if tag == b"PcGts":
            return "page"
    return "text"


def read_bytes(data: bytes, label: str, fmt: str, *, file: str | None = None) -> Reading:
    """Read ``data`` as ``fmt`` (not ``text``); :class:`InputError` in one line for input
    that is not that format, malformed, or refused (entities)."""
    pages = _pages(data, label, fmt, file)
    text, source_pages, lines = _text.lay_out(pages)
    if not text.strip():
        raise InputError(f"{label}: {_NAMES[fmt]} without text (no line holds a word)")
    return Reading(format=fmt, text=text, pages=tuple(source_pages), lines=tuple(lines))


def _pages(data: bytes, label: str, fmt: str, file: str | None) -> list[Page]:
    if fmt == "pdf":
        return pdf.read(data, label, file)
    if fmt not in ("alto", "page", "hocr"):
        raise ValueError(f"no reader for {fmt!r}")
    root = parse_xml(data, label, html=fmt == "hocr")
    if fmt == "alto":
        if not alto.is_alto(root):
            raise InputError(f"{label}: not ALTO (the root is {_name(root)}, not alto in an "
                             "ALTO namespace)")
        return alto.read(root, label, file)
    if fmt == "page":
        if not page.is_page(root):
            raise InputError(f"{label}: not PAGE-XML (the root is {_name(root)}, not PcGts in a "
                             "PAGE namespace)")
        return page.read(root, label, file)
    if local(root.tag).lower() != "html" and not namespace(root.tag):
        raise InputError(f"{label}: not hOCR (no html root)")
    return hocr.read(root, label, file)


def _name(root: object) -> str:
    tag = getattr(root, "tag", "")
    ns = namespace(tag)
    return f"{local(tag)!r}" + (f" in {ns!r}" if ns else "")


_NUMBER = re.compile(r"(\d+)")


def _natural(name: str) -> list[object]:
    """A sort key putting ``page2`` before ``page10``."""
    return [int(part) if part.isdigit() else part.lower() for part in _NUMBER.split(name)]


def read_directory(path: str | os.PathLike[str], fmt: str | None, limit: int) -> tuple[Reading, bytes]:
    """A directory of page files of one letter (ALTO, PAGE, hOCR or PDF, one format), read
    in the natural order of their names (``p2`` before ``p10``) as one document; also
    returns the bytes the source digest is taken of (the files joined in that order)."""
    label = str(path)
    files = sorted((p for p in Path(path).iterdir() if p.is_file() and not p.name.startswith(".")),
                   key=lambda p: _natural(p.name))
    if not files:
        raise InputError(f"{label}: is a directory without page files")
    datas = []
    total = 0
    for p in files:
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise unreadable(str(p), exc) from None
        total += len(data)
        if total > limit:
            raise InputError(f"{label}: too large (over the limit of {limit:,} bytes)")
        datas.append(data)
    kinds = [fmt or detect(d, p.name) for d, p in zip(datas, files)]
    if "text" in kinds:
        bad = files[kinds.index("text")]
        raise InputError(f"{label}: is a directory, not a file (and {bad.name} in it is no page "
                         "file: ALTO, PAGE-XML, hOCR or PDF)")
    if len(set(kinds)) > 1:
        raise InputError(f"{label}: page files of several formats ({', '.join(sorted(set(kinds)))}); "
                         "a letter's pages must be of one")
    pages = []
    for data, p, kind in zip(datas, files, kinds):
        pages.extend(_pages(data, str(p), kind, p.name))
    text, source_pages, lines = _text.lay_out(pages)
    if not text.strip():
        raise InputError(f"{label}: page files without text")
    return (Reading(format=kinds[0], text=text, pages=tuple(source_pages), lines=tuple(lines)),
            b"".join(datas))
