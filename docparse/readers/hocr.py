"""hOCR (Tesseract and others): HTML whose elements carry ``class="ocr_line"`` and a
``title`` of properties (``bbox x0 y0 x1 y1; x_wconf 95``)."""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from ._model import Box, Line, Page, Word, clamp_confidence

#: the classes of hOCR lines (ocr_line and its kin: headers, captions, floating text)
LINE_CLASSES = frozenset({"ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat",
                          "ocr_footer"})
_BBOX = re.compile(r"\bbbox\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")
_WCONF = re.compile(r"\bx_wconf\s+(-?\d+(?:\.\d+)?)")


def looks_like_hocr(head: bytes) -> bool:
    """Whether the start of a file is hOCR: HTML naming an OCR system or holding OCR classes."""
    low = head.lower()
    return (b"<html" in low or b"<!doctype html" in low) and (
        b"ocr-system" in low or b"ocr_page" in low or b"ocr-capabilities" in low)


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _bbox(el: Any) -> Box | None:
    m = _BBOX.search(el.get("title") or "")
    if m is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    if x1 < x0 or y1 < y0:
        return None
    return tuple(int(v) if v.is_integer() else v for v in (x0, y0, x1, y1))  # type: ignore[return-value]


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def read(root: Any, label: str, file: str | None = None) -> list[Page]:
    """The pages of an hOCR document (``root``: its ``html`` element)."""
    pages = []
    for page in root.iter():
        if not isinstance(page.tag, str) or "ocr_page" not in _classes(page):
            continue
        box = _bbox(page)
        lines = []
        for el in page.iter():
            if not isinstance(el.tag, str) or not (_classes(el) & LINE_CLASSES):
                continue
            words = []
            for w in el.iter():
                if isinstance(w.tag, str) and "ocrx_word" in _classes(w):
                    text = _text(w)
                    if not text:
                        continue
                    m = _WCONF.search(w.get("title") or "")
                    conf = clamp_confidence(float(m.group(1)) / 100) if m else None
                    words.append(Word(text=text, box=_bbox(w), confidence=conf))
            text = " ".join(w.text for w in words) if words else _text(el)
            if not text:
                continue
            confs = [w.confidence for w in words if w.confidence is not None]
            lines.append(Line(text=text, box=_bbox(el), words=tuple(words),
                              confidence=sum(confs) / len(confs) if confs else None))
        pages.append(Page(width=box[2] if box else 0, height=box[3] if box else 0,
                          lines=tuple(lines), file=file))
    if not pages:
        raise InputError(f"{label}: hOCR without an ocr_page element")
    if not any(p.lines for p in pages):
        raise InputError(f"{label}: hOCR without text (no ocr_line holds a word)")
    return pages
