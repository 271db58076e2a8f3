"""ALTO 4.4 out: the source's lines and words with their boxes, each part of the letter a
``TextBlock`` whose ``TAGREFS`` names a ``StructureTag`` of its docparse type."""

from __future__ import annotations

from typing import Any

from .._version import __version__
from ..nodes import Document
from ._blocks import blocks, union, words_of, xml_text

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XLINK = "http://www.w3.org/1999/xlink"


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _pos(el: Any, box: tuple[float, float, float, float]) -> None:
    el.set("HPOS", _n(box[0]))
    el.set("VPOS", _n(box[1]))
    el.set("WIDTH", _n(box[2] - box[0]))
    el.set("HEIGHT", _n(box[3] - box[1]))


def to_alto(doc: Document) -> str:
    """The ALTO 4.4 XML of ``doc`` (see :mod:`docparse.writers`)."""
    from lxml import etree

    q = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    root = etree.Element(q("alto"), nsmap={None: NS, "xlink": XLINK})
    root.set("SCHEMAVERSION", "4.4")
    desc = etree.SubElement(root, q("Description"))
    etree.SubElement(desc, q("MeasurementUnit")).text = "pixel"
    info = etree.SubElement(desc, q("sourceImageInformation"))
    etree.SubElement(info, q("fileName")).text = xml_text(doc.source.name or "")
    processing = etree.SubElement(desc, q("Processing"), ID="docparse")
    software = etree.SubElement(processing, q("processingSoftware"))
    etree.SubElement(software, q("softwareName")).text = "docparse"
    etree.SubElement(software, q("softwareVersion")).text = __version__
    pages = blocks(doc)
    kinds = sorted({b.kind for p in pages for b in p.blocks})
    if kinds:
        tags = etree.SubElement(root, q("Tags"))
        for kind in kinds:
            etree.SubElement(tags, q("StructureTag"), ID=f"TAG_{kind}", TYPE="docparse",
                             LABEL=kind)
    layout = etree.SubElement(root, q("Layout"))
    count = 0
    for page in pages:
        el = etree.SubElement(layout, q("Page"), ID=f"P{page.number}",
                              PHYSICAL_IMG_NR=str(page.number))
        el.set("WIDTH", _n(page.width))
        el.set("HEIGHT", _n(page.height))
        space = etree.SubElement(el, q("PrintSpace"))
        _pos(space, (0, 0, page.width, page.height))
        for block in page.blocks:
            count += 1
            tb = etree.SubElement(space, q("TextBlock"), ID=f"B{count}", TAGREFS=f"TAG_{block.kind}")
            _pos(tb, union([entry.box for _, entry in block.lines]))
            for k, (text, entry) in enumerate(block.lines, 1):
                tl = etree.SubElement(tb, q("TextLine"), ID=f"B{count}_L{k}")
                _pos(tl, entry.box)
                for j, word in enumerate(words_of(text, entry)):
                    if j:
                        etree.SubElement(tl, q("SP"))
                    s = etree.SubElement(tl, q("String"), ID=f"B{count}_L{k}_W{j + 1}",
                                         CONTENT=xml_text(word.text))
                    _pos(s, word.box)
                    if word.confidence is not None:
                        s.set("WC", f"{word.confidence:.4g}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
