"""ALTO (v2, v3, v4; Tesseract, ABBYY, library digitisation): pages of TextLines of Strings."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ._model import Box, Line, Page, Word, clamp_confidence, union
from ._xml import local, namespace, number

#: the ALTO namespaces read (v1 had none; its files are read as the same elements)
NAMESPACES = frozenset(
    [f"http://www.loc.gov/standards/alto/ns-v{v}#" for v in (2, 3, 4)]
    + ["http://schema.ccs-gmbh.com/ALTO", ""]
)


def is_alto(root: Any) -> bool:
    return local(root.tag) == "alto" and namespace(root.tag) in NAMESPACES


def _box(el: Any, label: str) -> Box | None:
    if el.get("HPOS") is None or el.get("VPOS") is None:
        return None
    x = number(el.get("HPOS"), label, f"{local(el.tag)} HPOS")
    y = number(el.get("VPOS"), label, f"{local(el.tag)} VPOS")
    w = number(el.get("WIDTH", "0"), label, f"{local(el.tag)} WIDTH")
    h = number(el.get("HEIGHT", "0"), label, f"{local(el.tag)} HEIGHT")
    return (x, y, x + max(w, 0), y + max(h, 0))


def read(root: Any, label: str, file: str | None = None) -> list[Page]:
    """The pages of an ALTO document (``root``: its ``alto`` element)."""
    ns = namespace(root.tag)
    q = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    pages = []
    for page in root.iter(q("Page")):
        width = number(page.get("WIDTH", "0"), label, "Page WIDTH")
        height = number(page.get("HEIGHT", "0"), label, "Page HEIGHT")
        lines = []
        for tl in page.iter(q("TextLine")):
            words: list[Word] = []
            parts: list[str] = []
            for child in tl:
                name = local(child.tag)
                if name == "String":
                    content = child.get("CONTENT")
                    if content is None:
                        raise InputError(f"{label}: a String without CONTENT")
                    wc = child.get("WC")
                    conf = clamp_confidence(number(wc, label, "String WC")) if wc is not None else None
                    words.append(Word(text=content, box=_box(child, label), confidence=conf))
                    parts.append(content)
                elif name == "SP":
                    parts.append(" ")
                elif name == "HYP":  # (the hyphen of a word broken at the line's end)
                    hyphen = child.get("CONTENT", "-")
                    if parts and parts[-1] != " ":
                        parts[-1] += hyphen
                    else:
                        parts.append(hyphen)
            text = "".join(_spaced(parts))
            if not text.strip():
                continue
            box = _box(tl, label)
            if box is None:
                boxes = [w.box for w in words if w.box is not None]
                box = union(boxes) if boxes else None
            confs = [w.confidence for w in words if w.confidence is not None]
            lines.append(Line(text=text, box=box, words=tuple(words),
                              confidence=sum(confs) / len(confs) if confs else None))
        pages.append(Page(width=width, height=height, lines=tuple(lines), file=file))
    if not pages:
        raise InputError(f"{label}: ALTO without a Page element (no Layout/Page)")
    return pages


def _spaced(parts: list[str]) -> list[str]:
    """Strings with one space between words where the file left out its ``SP`` elements."""
    out: list[str] = []
    for part in parts:
        if out and part != " " and out[-1] != " ":
            out.append(" ")
        out.append(part)
    return out
