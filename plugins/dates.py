"""Built-in repair plugin ``dates``: the ISO date of date lines, and of letters
whose only date is in their running headers.

1. Every ``date`` node without ``iso`` gets one from its text, read in its letter's
   language by :func:`docparse.dates.to_iso`::

       date "Washington, March 3, 1962."  ->  date "Washington, March 3, 1962." iso=1962-03-03

   (a date the reader cannot make whole, "April 29 '78", keeps ``iso`` None).

   Two-digit years are never guessed, since '78 may be 1878 or 1978. A collection whose
   century is known says so with the option ``century`` (``1800``), and a set of letters
   all written in one known year with ``default_year`` (``1885``: a two-digit year is
   the one nearest to it, and a date with no year at all, "Brooklyn, August 12.", takes
   it). A date made whole by one of them says which in its data::

       date "Camden April 29 '78"  --century=1800-->  iso=1878-04-29,
                                                      data.dates = {"century": 1800}

   (``docparse parse --set dates.century=1800``, or ``century = 1800`` under
   ``[tool.docparse.plugins.dates]``).
2. A letter with no dated ``date`` node takes its date from the first running header
   that holds a full date (``find_dates``), recorded in the letter's data under the
   plugin's name::

       letter (no date line), page_header "Mr. X / 21 июля 2004 г. / 2-я страница"
       -> letter.data["dates"] = {"iso": "2004-07-21", "from": "page_header",
                                  "page": 2, "text": "21 июля 2004 г."}

   The header must be readable: a Russian header read by an English-only OCR
   ("21 HIOIT 2004 r.") is dated only after the Cyrillic repair, so this plugin runs
   after ``cyrillic`` when that plugin is installed.

Only annotations change (no text), so nothing is recorded as a repair. Idempotent.
"""

from __future__ import annotations

from typing import Any

from docparse.dates import find_dates, to_iso
from docparse.nodes import Date, Document, Letter, Node, PageHeader, Parent
from docparse.plugin import Option, RepairContext, leaves, repair_plugin

__all__ = ["plugin"]


#: the centuries option ``century`` accepts (0: never guess one)
CENTURIES = (0, *range(1000, 2100, 100))


def _hints(options: dict[str, Any]) -> dict[str, int]:
    """The reader's hints (``century``, ``default_year``) the options set; 0 is unset."""
    return {key: options[key] for key in ("century", "default_year") if options.get(key)}


def _iso_of(text: str, language: str | None, hints: dict[str, int]) -> tuple[str | None, dict[str, int]]:
    """The ISO date of ``text``, and the hints it needed to be whole (none if it did not)."""
    iso = to_iso(text, language)
    if iso is not None or not hints:
        return iso, {}
    iso = to_iso(text, language, **hints)
    return iso, (dict(hints) if iso is not None else {})


def _dated(node: Node, language: str | None, options: dict[str, Any]) -> Node:
    overwrite = options["overwrite"]
    if isinstance(node, Date):
        if node.iso is not None and not overwrite:
            return node
        iso, used = _iso_of(node.value, language, _hints(options))
        if iso is None and node.iso is not None:
            return node
        data = dict(node.data)
        if used:
            data["dates"] = used
        else:
            data.pop("dates", None)
        if iso == node.iso and data == node.data:
            return node
        return node.evolve(iso=iso, data=data)
    if isinstance(node, Parent):
        # only dates and the parents of dates can change: other leaves are not visited
        old = node.children
        children: list[Node] | None = None
        for i, child in enumerate(old):
            if isinstance(child, (Date, Parent)):
                new = _dated(child, language, options)
                if new is not child:
                    if children is None:
                        children = list(old)
                    children[i] = new
        if children is not None:
            return node.evolve(children=tuple(children))
    return node


def _header_date(letter: Letter, hints: dict[str, int]) -> dict[str, Any] | None:
    for node in letter.walk():
        if isinstance(node, PageHeader):
            found = find_dates(node.value, letter.language)
            used: dict[str, int] = {}
            if not found and hints:
                found = find_dates(node.value, letter.language, **hints)
                used = dict(hints)
            if found:
                start, end, iso = found[0]
                entry: dict[str, Any] = {
                    "iso": iso,
                    "from": "page_header",
                    "text": node.value[start:end],
                }
                if node.page is not None:
                    entry["page"] = node.page
                if used:
                    entry.update(used)
                return entry
    return None


def _letter(letter: Letter, options: dict[str, Any]) -> Letter:
    dates = [n for n in leaves(letter) if isinstance(n, Date)]
    if not options["overwrite"] and all(n.iso is not None for n in dates):
        updated = letter  # every date line has its date already (as parsed): nothing to walk
    else:
        found = _dated(letter, letter.language, options)
        assert isinstance(found, Letter)
        updated = found
        dates = [n for n in leaves(updated) if isinstance(n, Date)]
    if not options["headers"]:
        return updated
    if any(n.iso for n in dates):
        return updated
    entry = _header_date(updated, _hints(options))
    if entry is None or updated.data.get("dates") == entry:
        return updated
    return updated.evolve(data={**updated.data, "dates": entry})


@repair_plugin(
    name="dates",
    description="Give date lines their ISO date, and undated letters the date in their running headers.",
    reads=("date", "page_header", "letter"),
    after=("cyrillic-lookalikes?", "paragraphs"),
    options={
        "headers": Option(True, "date an undated letter by its running headers"),
        "overwrite": Option(False, "read again date lines that have an ISO date"),
        "century": Option(0, "the century of two-digit years, e.g. 1800 ('78 is 1878); 0: never guess",
                          choices=CENTURIES),
        "default_year": Option(0, "the year of letters written without one, and the nearest "
                               "year for two-digit years; 0: none", minimum=0, maximum=9999),
    },
    version="2",
)
def plugin(tree: Document, ctx: RepairContext) -> Document:
    """Date the tree's date lines and undated letters (see the module docstring)."""
    options = dict(ctx.options)
    children = []
    for child in tree.children:
        if isinstance(child, Letter):
            children.append(_letter(child, options))
        else:
            children.append(_dated(child, None, options))
    if all(a is b for a, b in zip(children, tree.children)):
        return tree
    return tree.evolve(children=tuple(children))
