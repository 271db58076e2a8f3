"""The JSON Schema of the ``docparse/1`` format, and validation against it.

The schema (``docparse-1.schema.json``, JSON Schema draft 2020-12) is packaged
data, read with :mod:`importlib.resources`. It has one definition per node type,
says which children each parent may hold, and admits node types registered by
plugins through a generic ``extension_node`` definition.

:func:`validate` reports the *first* problem (in document order) as a one-line
:class:`~docparse.errors.FormatError` naming its JSON path and the node type
there, e.g.::

    $.children[0].children[1].data.iso (date): '2004-7-21' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'

``jsonschema`` is imported only when validation is first asked for, so importing
docparse stays fast.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

from ..errors import FormatError

__all__ = ["SCHEMA_FILE", "load_schema", "validate"]

#: the file name of the packaged schema
SCHEMA_FILE = "docparse-1.schema.json"

#: longest message text kept from jsonschema (its messages can quote whole subtrees)
_MAX_MESSAGE = 300


@functools.cache
def _schema() -> dict[str, Any]:
    text = resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def load_schema() -> dict[str, Any]:
    """The ``docparse/1`` JSON Schema as a dict (read once; each call returns a fresh copy).

    A copy, so that a caller changing it cannot change what :func:`validate` checks.
    """
    return copy.deepcopy(_schema())


@functools.cache
def _validator() -> Any:
    import jsonschema  # type: ignore[import-untyped]

    cls = jsonschema.Draft202012Validator
    return cls(_schema())


def _path_key(path: Any) -> tuple[tuple[int, Any], ...]:
    """Sort key putting errors in document order (array items by index, keys by name)."""
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path)


def _node_type_at(obj: Any, path: Any) -> str | None:
    """The ``type`` of the innermost node on ``path`` inside ``obj`` (for the message)."""
    found: str | None = None
    current = obj
    for step in (None, *path):
        if step is not None:
            try:
                current = current[step]
            except (KeyError, IndexError, TypeError):
                break
        if isinstance(current, dict) and isinstance(current.get("type"), str):
            found = current["type"]
    return found


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 3] + "..."
    return text


def validate(obj: dict[str, Any]) -> None:
    """Check ``obj`` (a JSON-shaped dict, e.g. from :func:`docparse.to_dict`) against the schema.

    Raises :class:`~docparse.errors.FormatError` whose one-line message starts
    with the JSON path of the first problem in document order, e.g.
    ``$.children[0].data.language (letter): 'english!' does not match ...``.
    Returns ``None`` when ``obj`` is a valid ``docparse/1`` document.
    """
    if not isinstance(obj, dict):
        raise FormatError(f"$: a docparse/1 document must be a JSON object, not {type(obj).__name__}")
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

    errors = list(_validator().iter_errors(obj))
    if not errors:
        return
    first = min(errors, key=lambda e: _path_key(e.absolute_path))
    # best_match descends into anyOf/oneOf contexts to the most telling sub-error
    error = best_match([first])
    node_type = _node_type_at(obj, error.absolute_path)
    where = error.json_path + (f" ({node_type})" if node_type else "")
    raise FormatError(f"{where}: {_one_line(_message(first, error, obj))}")


def _message(first: Any, error: Any, obj: Any) -> str:
    """jsonschema's message, or a plainer one where its message would quote the schema."""
    path = list(first.absolute_path)
    if first.validator == "anyOf" and len(path) >= 3 and path[-1] == "type" and path[-3] == "children":
        parent_type = _node_type_at(obj, path[:-3]) or "node"
        items = _schema()["$defs"].get(parent_type, {}).get("properties", {}).get("children", {})
        allowed = items.get("items", {}).get("properties", {}).get("type", {}).get("anyOf", [{}])[0]
        names = ", ".join(allowed.get("enum", []))
        return (
            f"a {first.instance!r} node cannot be a child of a {parent_type!r} "
            f"(allowed: {names}, or a plugin's own node type)"
        )
    if error.validator == "not" and error.validator_value == {"required": ["value", "children"]}:
        return "a node has either 'value' (a leaf) or 'children' (a parent), not both"
    return str(error.message)
