"""PAGE-XML (2013 and 2019; Transkribus, eScriptorium, OCR-D): regions of TextLines."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ._model import Box, Line, Page, Word, clamp_confidence, union
from ._xml import local, namespace, number

NAMESPACES = frozenset(
    f"http://schema.primaresearch.org/PAGE/gts/pagecontent/{v}"
    for v in ("2009-03-16", "2010-01-12", "2010-03-19", "2013-07-15", "2016-07-15",
              "2017-07-15", "2018-07-15", "2019-07-15")
)


def is_page(root: Any) -> bool:
    return local(root.tag) == "PcGts" and namespace(root.tag) in NAMESPACES


def _points_box(el: Any, q: Any, label: str) -> Box | None:
    coords = el.find(q("Coords"))
    if coords is None:
        return None
    points = coords.get("points")
    if points is None:  # (2009-2010: Point children)
        xy = [(number(p.get("x"), label, "Point x"), number(p.get("y"), label, "Point y"))
              for p in coords.iter(q("Point"))]
    else:
        xy = []
        for pair in points.split():
            x, _, y = pair.partition(",")
            xy.append((number(x, label, "Coords points"), number(y, label, "Coords points")))
    if not xy:
        return None
    return (min(x for x, _ in xy), min(y for _, y in xy), max(x for x, _ in xy), max(y for _, y in xy))


def _text_equiv(el: Any, q: Any, label: str) -> tuple[str | None, float | None]:
    """The text of ``el``'s first TextEquiv (the best reading), and its confidence."""
    for equiv in el.findall(q("TextEquiv")):
        unicode = equiv.find(q("Unicode"))
        if unicode is None:
            continue
        conf = equiv.get("conf")
        return (unicode.text or "",
                clamp_confidence(number(conf, label, "TextEquiv conf")) if conf is not None else None)
    return None, None


def _regions_in_order(page: Any, q: Any) -> list[Any]:
    """The page's TextRegions in its ReadingOrder where it has one, else in file order."""
    regions = [r for r in page.iter(q("TextRegion"))]
    by_id = {r.get("id"): r for r in regions}
    order = page.find(q("ReadingOrder"))
    if order is None:
        return regions
    refs: list[tuple[int, str]] = []
    for ref in order.iter(q("RegionRefIndexed")):
        try:
            refs.append((int(ref.get("index", "0")), ref.get("regionRef", "")))
        except ValueError:
            continue
    if not refs:
        refs = [(k, ref.get("regionRef", "")) for k, ref in enumerate(order.iter(q("RegionRef")))]
    ordered = [by_id[r] for _, r in sorted(refs) if r in by_id]
    seen = {id(r) for r in ordered}
    return ordered + [r for r in regions if id(r) not in seen]


def read(root: Any, label: str, file: str | None = None) -> list[Page]:
    """The pages of a PAGE document (``root``: its ``PcGts`` element)."""
    ns = namespace(root.tag)

    def q(name: str) -> str:
        return f"{{{ns}}}{name}"

    pages = []
    for page in root.findall(q("Page")):
        width = number(page.get("imageWidth"), label, "Page imageWidth")
        height = number(page.get("imageHeight"), label, "Page imageHeight")
        lines: list[Line] = []
        for region in _regions_in_order(page, q):
            for tl in region.findall(q("TextLine")):
                words = []
                for w in tl.findall(q("Word")):
                    text, conf = _text_equiv(w, q, label)
                    if text:
                        words.append(Word(text=text, box=_points_box(w, q, label), confidence=conf))
                text, conf = _text_equiv(tl, q, label)
                if text is None:
                    text = " ".join(w.text for w in words)
                text = " ".join(text.split("\n"))
                if not text.strip():
                    continue
                box = _points_box(tl, q, label)
                if box is None:
                    boxes = [w.box for w in words if w.box is not None]
                    box = union(boxes) if boxes else None
                lines.append(Line(text=text, box=box, confidence=conf, words=tuple(words)))
        pages.append(Page(width=width, height=height, lines=tuple(lines),
                          file=file or page.get("imageFilename")))
    if not pages:
        raise InputError(f"{label}: PAGE-XML without a Page element")
    return pages
