"""XML for the readers, parsed safely with lxml: no entities expanded, no network, no DTD."""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError

#: a DOCTYPE that declares entities (external ones, or a "billion laughs" payload)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)


def parse_xml(data: bytes, label: str, *, html: bool = False) -> Any:
    """The root element of ``data``; :class:`InputError` in one line for XML that is
    malformed or declares entities (refused, never expanded)."""
    from lxml import etree

    doctype = _DOCTYPE.search(data)
    if doctype is not None and _ENTITY.search(data, doctype.start()):
        raise InputError(f"{label}: XML with a DOCTYPE declaring entities (refused: entities "
                         "are never expanded, external ones never fetched)")
    if html:
        parser: Any = etree.HTMLParser(no_network=True, remove_comments=True, huge_tree=False)
    else:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False, remove_comments=True, dtd_validation=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise InputError(f"{label}: malformed XML ({message})") from None
    except ValueError as exc:  # (lxml refuses some inputs this way, e.g. an encoding clash)
        raise InputError(f"{label}: malformed XML ({exc})") from None
    if root is None:
        raise InputError(f"{label}: malformed XML (no root element)")
    return root


def local(tag: Any) -> str:
    """An element's name without its namespace (``{ns}TextLine`` -> ``TextLine``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: Any) -> str:
    """An element's namespace URI ('' for none)."""
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def number(value: str | None, label: str, what: str) -> float:
    """An attribute read as a number; a missing or malformed one is a one-line error."""
    if value is None:
        raise InputError(f"{label}: {what} is missing")
    try:
        out = float(value)
    except ValueError:
        raise InputError(f"{label}: {what} is not a number ({value[:40]!r})") from None
    if out != out or out in (float("inf"), float("-inf")):
        raise InputError(f"{label}: {what} is not a finite number ({value[:40]!r})")
    return int(out) if out.is_integer() else out
