"""PAGE-XML 2019 out: each part of the letter a ``TextRegion`` of the PAGE type that fits,
its docparse type in ``custom``, in a ``ReadingOrder``; lines and words with their boxes."""

from __future__ import annotations

import datetime
import re
from typing import Any

from .._version import __version__
from ..nodes import Document
from ._blocks import blocks, union, words_of, xml_text

NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"

#: docparse part -> PAGE TextRegion type (TextTypeSimpleType); the rest are "other"
REGION_TYPES = {
    "paragraph": "paragraph",
    "postscript": "paragraph",
    "quote": "paragraph",
    "page_header": "header",
    "signature": "signature-mark",
}


_PAGE_NUMBER = re.compile(r"[\W_]*(?:page|seite|p\.)?\s*\d{1,4}[\W_]*", re.I)


def region_type(kind: str, text: str = "") -> str:
    """The PAGE region type of a docparse part: a running header that is only a page
    number (``- 2 -``, ``Page 3``) is a ``page-number``."""
    if kind == "page_header" and _PAGE_NUMBER.fullmatch(text.strip()):
        return "page-number"
    return REGION_TYPES.get(kind, "other")


def _points(box: tuple[float, float, float, float]) -> str:
    x0, y0, x1, y1 = (max(0, round(v)) for v in box)
    x1, y1 = max(x1, x0), max(y1, y0)
    return f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"


def to_page(doc: Document) -> str:
    """The PAGE-XML (2019-07-15) of ``doc``; one ``Page`` per page (a PAGE file holds one
    page: a document of several pages gives a ``PcGts`` per page, concatenated is not
    XML, so pages after the first go to further ``Page`` files with :func:`to_page_files`)."""
    return to_page_files(doc)[0]


def to_page_files(doc: Document) -> list[str]:
    """One PAGE-XML document per page of ``doc``."""
    from lxml import etree

    q = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "")
    out = []
    count = 0
    for page in blocks(doc):
        root = etree.Element(q("PcGts"), nsmap={None: NS})
        meta = etree.SubElement(root, q("Metadata"))
        etree.SubElement(meta, q("Creator")).text = f"docparse {__version__}"
        etree.SubElement(meta, q("Created")).text = now
        etree.SubElement(meta, q("LastChange")).text = now
        el = etree.SubElement(root, q("Page"), imageFilename=xml_text(
            page.file or f"{doc.source.name or 'letter'}#page={page.number}"))
        el.set("imageWidth", str(max(1, round(page.width))))
        el.set("imageHeight", str(max(1, round(page.height))))
        if page.blocks:
            order = etree.SubElement(el, q("ReadingOrder"))
            group = etree.SubElement(order, q("OrderedGroup"), id=f"ro{page.number}",
                                     caption="Regions reading order")
        regions: list[Any] = []
        for index, block in enumerate(page.blocks):
            count += 1
            rid = f"r{count}"
            etree.SubElement(group, q("RegionRefIndexed"), index=str(index), regionRef=rid)
            joined = " ".join(t for t, _ in block.lines)
            region = etree.Element(q("TextRegion"), id=rid, type=region_type(block.kind, joined),
                                   custom=f"structure {{type:{block.kind};}}")
            etree.SubElement(region, q("Coords"),
                             points=_points(union([e.box for _, e in block.lines])))
            for k, (text, entry) in enumerate(block.lines, 1):
                tl = etree.SubElement(region, q("TextLine"), id=f"{rid}l{k}")
                etree.SubElement(tl, q("Coords"), points=_points(entry.box))
                for j, word in enumerate(words_of(text, entry), 1):
                    w = etree.SubElement(tl, q("Word"), id=f"{rid}l{k}w{j}")
                    etree.SubElement(w, q("Coords"), points=_points(word.box))
                    equiv = etree.SubElement(w, q("TextEquiv"))
                    if word.confidence is not None:
                        equiv.set("conf", f"{word.confidence:.4g}")
                    etree.SubElement(equiv, q("Unicode")).text = xml_text(word.text)
                equiv = etree.SubElement(tl, q("TextEquiv"))
                if entry.confidence is not None:
                    equiv.set("conf", f"{entry.confidence:.4g}")
                etree.SubElement(equiv, q("Unicode")).text = text
            equiv = etree.SubElement(region, q("TextEquiv"))
            etree.SubElement(equiv, q("Unicode")).text = "\n".join(t for t, _ in block.lines)
            regions.append(region)
        for region in regions:
            el.append(region)
        out.append(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                  pretty_print=True).decode("utf-8"))
    return out
