"""docparse: letters into a lossless, versioned JSON tree.

>>> import docparse
>>> doc = docparse.parse("Dear Ann,\n\nAll is well.\n\nYours truly,\nBen\n")
>>> [n.type for n in doc.children[0].children]
['salutation', 'paragraph', 'closing', 'signature']
"""

from __future__ import annotations

from .api import parse, parse_bytes, parse_file
from .codec import dumps, from_dict, loads, to_dict
from .errors import DocparseError, FormatError, InputError, PluginError, UsageError
from .nodes import (
    SCHEMA_VERSION,
    Address,
    AddressLine,
    Closing,
    Copy,
    Date,
    Document,
    Enclosure,
    Leaf,
    Letter,
    Name,
    Node,
    PageBreak,
    PageHeader,
    Paragraph,
    Parent,
    Point,
    Position,
    Postscript,
    Reference,
    Repair,
    Salutation,
    Signatory,
    Signature,
    Source,
    Text,
    Title,
)
from .visitor import REMOVE, Transformer, Visitor, walk

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "SCHEMA_VERSION",
    "parse",
    "parse_bytes",
    "parse_file",
    "dumps",
    "loads",
    "to_dict",
    "from_dict",
    "walk",
    "Visitor",
    "Transformer",
    "REMOVE",
    "DocparseError",
    "FormatError",
    "InputError",
    "PluginError",
    "UsageError",
    "Node",
    "Leaf",
    "Parent",
    "Point",
    "Position",
    "Repair",
    "Source",
    "Document",
    "Letter",
    "Date",
    "Address",
    "AddressLine",
    "Reference",
    "Salutation",
    "Paragraph",
    "Closing",
    "Signature",
    "Signatory",
    "Name",
    "Title",
    "Postscript",
    "Enclosure",
    "Copy",
    "PageHeader",
    "PageBreak",
    "Text",
]
