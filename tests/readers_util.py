"""Helpers of the reader tests: a PDF with a text layer written by hand, and the XSDs."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
READERS = FIXTURES / "readers"
XSD = FIXTURES / "xsd"


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[list[tuple[float, float, str]]], *, size: float = 11,
             width: float = 595, height: float = 842) -> bytes:
    """A PDF whose pages hold ``(x, y from the top, text)`` lines in Helvetica (a standard
    font: no font file needed); a page without lines has no text layer (a scan's page)."""
    objects: list[bytes] = []
    kids = []
    n_pages = len(pages)
    # objects: 1 catalog, 2 pages, 3 font, then per page: page, contents
    for k, lines in enumerate(pages):
        page_id, content_id = 4 + 2 * k, 5 + 2 * k
        kids.append(f"{page_id} 0 R")
        ops = "".join(f"BT /F1 {size} Tf 1 0 0 1 {x:.2f} {height - y - size:.2f} Tm {_pdf_string(t)} Tj ET\n"
                      for x, y, t in lines)
        stream = ops.encode("latin-1")
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {width} {height}]"
                       f"/Resources<</Font<</F1 3 0 R>>>>/Contents {content_id} 0 R>>".encode())
        objects.append(b"<</Length %d>>\nstream\n" % len(stream) + stream + b"endstream")
    head = [b"<</Type/Catalog/Pages 2 0 R>>",
            f"<</Type/Pages/Kids[{' '.join(kids)}]/Count {n_pages}>>".encode(),
            b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(head + objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


@cache
def schema(name: str) -> Any:
    """The XSD ``alto`` (4.4) or ``page`` (2019), ALTO's XLink import resolved to a local file."""
    from lxml import etree

    class Local(etree.Resolver):
        def resolve(self, url: str, pubid: str, context: Any) -> Any:
            if url.endswith("xlink.xsd"):
                return self.resolve_filename(str(XSD / "xlink.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    path = XSD / ("alto-4-4.xsd" if name == "alto" else "pagecontent-2019-07-15.xsd")
    return etree.XMLSchema(etree.parse(str(path), parser))


def assert_valid(name: str, xml: str) -> None:
    from lxml import etree

    xsd = schema(name)
    ok = xsd.validate(etree.fromstring(xml.encode("utf-8")))
    assert ok, f"{name}: {xsd.error_log.last_error}"
