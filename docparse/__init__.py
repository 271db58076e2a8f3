"""docparse: letters into a lossless, versioned JSON tree.

>>> import docparse
>>> doc = docparse.parse("Dear Ann,\n\nAll is well.\n\nYours truly,\nBen\n")
>>> [n.type for n in doc.children[0].children]
['salutation', 'paragraph', 'closing', 'signature']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

_LAZY = {
    "parse": "api",
    "parse_bytes": "api",
    "parse_file": "api",
    "iter_parse": "stream",
    "join_parts": "stream",
    "dumps": "codec",
    "dumpb": "codec",
    "dump": "codec",
    "from_dict": "codec",
    "loads": "codec",
    "to_dict": "codec",
    "DocparseError": "errors",
    "FormatError": "errors",
    "InputError": "errors",
    "PluginError": "errors",
    "UsageError": "errors",
    "SCHEMA_VERSION": "nodes",
    "Address": "nodes",
    "AddressLine": "nodes",
    "Closing": "nodes",
    "Copy": "nodes",
    "Date": "nodes",
    "Document": "nodes",
    "Enclosure": "nodes",
    "Leaf": "nodes",
    "Letter": "nodes",
    "Name": "nodes",
    "Node": "nodes",
    "PageBreak": "nodes",
    "PageHeader": "nodes",
    "Paragraph": "nodes",
    "Parent": "nodes",
    "Point": "nodes",
    "Position": "nodes",
    "Postscript": "nodes",
    "Quote": "nodes",
    "EmailSignature": "nodes",
    "Reference": "nodes",
    "Repair": "nodes",
    "Salutation": "nodes",
    "Signatory": "nodes",
    "Signature": "nodes",
    "Source": "nodes",
    "Text": "nodes",
    "Title": "nodes",
    "REMOVE": "visitor",
    "Transformer": "visitor",
    "Visitor": "visitor",
    "walk": "visitor",
    "repair_plugin": "plugin",
    "RepairPlugin": "plugin",
    "run_repairs": "pipeline",
    "available_plugins": "pipeline",
    "explain": "pipeline",
    "unrepair": "repair",
    "Config": "config",
    "load_config": "config",
    "render": "rendering",
    "to_tei": "tei",
    "load_schema": "schema",
    "to_iso": "dates",
    "detect_language": "lang",
}


def __getattr__(name: str) -> Any:
    """Import the public API on first use, so that ``docparse --version`` starts fast."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'docparse' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .api import parse, parse_bytes, parse_file
    from .codec import dump, dumpb, dumps, from_dict, loads, to_dict
    from .errors import DocparseError, FormatError, InputError, PluginError, UsageError
    from .nodes import (
        SCHEMA_VERSION,
        Address,
        AddressLine,
        Closing,
        Copy,
        Date,
        Document,
        EmailSignature,
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
        Quote,
        Reference,
        Repair,
        Salutation,
        Signatory,
        Signature,
        Source,
        Text,
        Title,
    )
    from .stream import iter_parse, join_parts
    from .visitor import REMOVE, Transformer, Visitor, walk

__all__ = [
    "__version__",
    "SCHEMA_VERSION",
    "parse",
    "parse_bytes",
    "parse_file",
    "iter_parse",
    "join_parts",
    "dumps",
    "dumpb",
    "dump",
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
    "Quote",
    "EmailSignature",
    "Enclosure",
    "Copy",
    "PageHeader",
    "PageBreak",
    "Text",
    "repair_plugin",
    "RepairPlugin",
    "run_repairs",
    "available_plugins",
    "explain",
    "unrepair",
    "Config",
    "load_config",
    "render",
    "to_tei",
    "load_schema",
    "to_iso",
    "detect_language",
]
