"""One flat row per letter, for spreadsheets and data frames: CSV and flat JSON Lines.

The row of a letter is read from the field accessors of :class:`~docparse.nodes.Letter`
(``letter.date``, ``letter.recipient``, ``letter.signatories`` ...): every value is a
string, a whole number, or None (empty in CSV), so that pandas reads either file with
one call (``pandas.read_csv``, ``pandas.read_json(..., lines=True)``).

>>> import docparse
>>> doc = docparse.parse("London, 5 March 1890\\n\\nDear Ann,\\n\\nAll is well.\\n\\nYours truly,\\nBen\\n")
>>> row = letter_row(doc.letters[0], file="ann.txt", index=1)
>>> row["place"], row["date_iso"], row["signatories"]
('London', '1890-03-05', 'Ben')
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from .dates import find_dates
from .errors import UsageError
from .nodes import Date, Document, Leaf, Letter, PageBreak

__all__ = ["COLUMNS", "letter_row", "rows", "place_of", "to_csv", "to_jsonl_flat"]

#: the keys of a row, in the order of the CSV columns
COLUMNS: tuple[str, ...] = (
    "file",
    "letter",
    "language",
    "date",
    "date_iso",
    "place",
    "recipient_name",
    "recipient",
    "salutation",
    "closing",
    "signatories",
    "signatory_titles",
    "sender",
    "postscripts",
    "paragraphs",
    "pages",
    "first_line",
    "last_line",
    "repairs",
)

#: words that stand between a place and its date ("Paris, le 4 avril", "Berlin, den 3. Mai")
_LINKS = frozenset({"le", "den", "am", "the", "this", "ce"})


def place_of(date: Date, language: str | None = None) -> str | None:
    """The place written before the date on a date line ("London, 5 March 1890" ->
    "London"; "Paris, le 4 avril 2025" -> "Paris"), or None when the line holds no full
    date to cut at, or nothing stands before it."""

    try:
        found = find_dates(date.value, language)
    except UsageError:  # a language the date reader has no data for
        found = []
    if not found:
        return None
    head = date.value[: found[0][0]].rstrip(" \t,;:-")
    words = head.split()
    while words and words[-1].lower() in _LINKS:
        words.pop()
    place = " ".join(words).rstrip(",;:-").strip()
    return place or None


def _pages(letter: Letter) -> int:
    """Pages the letter runs over: those its lines' geometry names (``data.page``), else
    one more than its page breaks."""
    seen = {n.data["page"] for n in letter.walk() if isinstance(n.data.get("page"), int)}
    if seen:
        return len(seen)
    return 1 + sum(1 for n in letter.children if isinstance(n, PageBreak))


def letter_row(letter: Letter, *, file: str | None = None, index: int = 1) -> dict[str, Any]:
    """The flat row of ``letter`` (``index``: its number in the file, from 1), keyed by
    :data:`COLUMNS`."""
    date = letter.date
    recipient = letter.recipient
    sender = letter.sender
    signatories = letter.signatories
    names = [s.name.value for s in signatories if s.name is not None]
    titles = [", ".join(t.value for t in s.titles) for s in signatories if s.titles]
    pos = letter.position
    return {
        "file": file,
        "letter": index,
        "language": letter.language,
        "date": date.value if date is not None else None,
        "date_iso": letter.date_iso,
        "place": place_of(date, letter.language) if date is not None else None,
        "recipient_name": recipient.lines[0] if recipient is not None and recipient.lines else None,
        "recipient": " / ".join(recipient.lines) if recipient is not None else None,
        "salutation": letter.salutation.value if letter.salutation is not None else None,
        "closing": letter.closing.value if letter.closing is not None else None,
        "signatories": "; ".join(names) or None,
        "signatory_titles": "; ".join(titles) or None,
        "sender": " / ".join(sender.lines) if sender is not None else None,
        "postscripts": len(letter.postscripts),
        "paragraphs": len(letter.paragraphs),
        "pages": _pages(letter),
        "first_line": pos.start.line if pos is not None else None,
        "last_line": pos.end.line if pos is not None else None,
        "repairs": sum(len(n.repairs) for n in letter.walk() if isinstance(n, Leaf)),
    }


def rows(doc: Document, file: str | None = None) -> list[dict[str, Any]]:
    """One row per letter of ``doc``; ``file`` defaults to the document's source name."""
    name = file if file is not None else doc.source.name
    return [letter_row(letter, file=name, index=i) for i, letter in enumerate(doc.letters, 1)]


def _all_rows(docs: Iterable[Document] | Document) -> list[dict[str, Any]]:
    if isinstance(docs, Document):
        docs = [docs]
    return [row for doc in docs for row in rows(doc)]


def to_csv(docs: Iterable[Document] | Document, columns: Sequence[str] = COLUMNS) -> str:
    """The rows as CSV (RFC 4180 quoting by the :mod:`csv` module, a header line, ``\\r\\n``
    line ends); None is an empty cell."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore",
                            quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in _all_rows(docs):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def to_jsonl_flat(docs: Iterable[Document] | Document) -> str:
    """The rows as JSON Lines: one object per letter with the keys of :data:`COLUMNS`
    (None as ``null``)."""
    # (json, not orjson: a lone surrogate a str may hold stays one, and the writer's
    # backslashreplace makes it the JSON escape "\\ud800")
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in _all_rows(docs))

