"""The Correspondence Metadata Interchange Format (CMIF), which correspSearch aggregates.

CMIF (https://github.com/TEI-Correspondence-SIG/CMIF) is a TEI file whose header lists
letters as ``<correspDesc>`` elements: who sent each one, from where, when
(``<correspAction type="sent">``), and to whom (``<correspAction type="received">``).
docparse writes one ``<correspDesc>`` per letter, from its field accessors:

* sent: a ``<persName>`` per signatory with a name (``Unknown`` when none is named, as
  CMIF asks), the place of the date line
  (``<placeName>``), the date (``<date when="YYYY-MM-DD">``, left out when unknown, as
  CMIF asks);
* received: the first line of the recipient's address as ``<persName>`` (``Unknown``
  when the letter shows no recipient's address);
* ``fileDesc``: the title, publisher, the file's URL (``idno type="url"``), the date of the
  file and the CC BY 4.0 licence that CMIF requires, and one ``<bibl>`` describing the
  source, whose ``xml:id`` (a UUID derived from the source's SHA-256, so the same input
  gives the same file) every ``correspDesc/@source`` points to.

Names are as the letter writes them, without authority identifiers (GND, VIAF): an
editor adds ``@ref`` where they are known. The output is valid against CMIF's RELAX NG
schema (``schema/cmi-customization.rng``, version 1.0).
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .fields import place_of
from .nodes import Document, Letter

__all__ = ["to_cmif", "CC_BY", "UNKNOWN"]

_TEI = "http://www.tei-c.org/ns/1.0"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: the licence CMIF requires for the file (it is the index that is licensed, not the letters)
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
#: the name CMIF asks for where the sender or the addressee is not known
UNKNOWN = "Unknown"
#: characters XML 1.0 cannot hold: written as U+FFFD (the JSON keeps them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrib: str) -> ET.Element:
    elem = ET.SubElement(parent, f"{{{_TEI}}}{name}", {k: _clean(v) for k, v in attrib.items()})
    if text is not None:
        elem.text = _clean(text)
    return elem


def _source_id(docs: list[Document]) -> str:
    """A UUID made from the sources' digests (the same input, the same id) that starts with
    a letter: an ``xml:id`` is an XML name, which a digit cannot start."""
    digest = "".join(d.source.sha256 or (d.source.name or "") for d in docs)
    salt = 0
    while True:
        made = str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:docparse:source:{digest}:{salt}"))
        if made[0].isalpha():
            return made
        salt += 1


def to_cmif(
    docs: Iterable[Document] | Document,
    *,
    title: str | None = None,
    publisher: str = "docparse",
    url: str | None = None,
    when: str | None = None,
) -> str:
    """The letters of ``docs`` as one CMIF file (a string of XML, with its declaration).

    ``title``: the index's title (default: the source names); ``publisher``: who publishes
    the index; ``url``: where the CMIF file will be published (default: a ``urn:`` naming
    the source's SHA-256, to be replaced on publication); ``when``: the date of the file,
    ``YYYY-MM-DD`` (default: today, in UTC).
    """
    if isinstance(docs, Document):
        docs = [docs]
    docs = list(docs)
    names = [d.source.name or "untitled" for d in docs]
    source_id = _source_id(docs)
    ET.register_namespace("", _TEI)
    tei = ET.Element(f"{{{_TEI}}}TEI")
    header = _sub(tei, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", title or f"Letters of {', '.join(names)}")
    _sub(title_stmt, "editor", publisher)
    pub = _sub(file_desc, "publicationStmt")
    _sub(pub, "publisher", publisher)
    _sub(pub, "idno", url or f"urn:docparse:cmif:{source_id}", type="url")
    _sub(pub, "date", when=when or _dt.datetime.now(_dt.UTC).date().isoformat())
    availability = _sub(pub, "availability")
    _sub(availability, "licence", "This file is licensed under the terms of the Creative Commons "
         "License CC BY 4.0", target=CC_BY)
    bibl = _sub(_sub(file_desc, "sourceDesc"), "bibl", type="online", **{_XML_ID: source_id})
    bibl.text = _clean("; ".join(
        f"{d.source.name or 'untitled'}" + (f" (SHA-256 {d.source.sha256})" if d.source.sha256 else "")
        for d in docs
    ) + ", parsed by docparse")
    profile = _sub(header, "profileDesc")
    for doc, name in zip(docs, names):
        for number, letter in enumerate(doc.letters, 1):
            _corresp(profile, letter, key=f"{name}#letter-{number}", source=f"#{source_id}")
    _sub(_sub(_sub(tei, "text"), "body"), "p")
    ET.indent(tei, space="  ")
    return ET.tostring(tei, encoding="unicode", xml_declaration=True) + "\n"


def _corresp(profile: ET.Element, letter: Letter, *, key: str, source: str) -> None:

    corresp = _sub(profile, "correspDesc", key=key, source=source)
    sent = _sub(corresp, "correspAction", type="sent")
    names = [s.name.value for s in letter.signatories if s.name is not None and s.name.value.strip()]
    for name in names or [UNKNOWN]:
        _sub(sent, "persName", name)
    date = letter.date
    place = place_of(date, letter.language) if date is not None else None
    if place:
        _sub(sent, "placeName", place)
    iso = letter.date_iso
    if iso:
        _sub(sent, "date", when=iso)
    received = _sub(corresp, "correspAction", type="received")
    recipient = letter.recipient
    lines = [line for line in recipient.lines if line.strip()] if recipient is not None else []
    _sub(received, "persName", lines[0] if lines else UNKNOWN)
