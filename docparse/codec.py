"""The JSON codec for ``docparse/1``: nodes to unist-shaped JSON and back.

Typed fields (``Date.iso``, ``PageHeader.page``, ``Letter.language``,
``Address.role``) and recorded ``repairs`` live under ``data``; everything else
in ``data`` is kept as it is. ``loads(dumps(tree)) == tree`` for every tree.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

import orjson

from .errors import FormatError
from .nodes import (
    SCHEMA_VERSION,
    Document,
    Leaf,
    Node,
    Parent,
    Point,
    Position,
    Repair,
    Source,
    SourceLine,
    SourcePage,
    SourceWord,
    find_node_class,
    node_class,
)

__all__ = ["dump", "dumpb", "dumps", "from_dict", "iter_dumpb", "loads", "to_dict"]


def _point(p: Point) -> dict[str, int]:
    return {"line": p.line, "column": p.column, "offset": p.offset}


def _position(pos: Position) -> dict[str, Any]:
    return {"start": _point(pos.start), "end": _point(pos.end)}


def _page_dict(page: SourcePage) -> dict[str, Any]:
    out: dict[str, Any] = {"number": page.number, "width": page.width, "height": page.height}
    if page.file is not None:
        out["file"] = page.file
    return out


def _line_dict(line: SourceLine) -> dict[str, Any]:
    return {"line": line.line, "page": line.page, "box": list(line.box),
            "confidence": line.confidence,
            "words": [{"text": w.text, "box": list(w.box), "confidence": w.confidence}
                      for w in line.words]}


def _read_geometry(src: dict[str, Any], where: str) -> dict[str, Any]:
    """The optional ``format``, ``pages`` and ``lines`` of ``document.source``."""
    out: dict[str, Any] = {}
    if src.get("format") is not None:
        out["format"] = _req(src, "format", str, where)
    try:
        if "pages" in src:
            pages = _req(src, "pages", list, where)
            out["pages"] = tuple(SourcePage(**p) for p in pages)
        if "lines" in src:
            lines = _req(src, "lines", list, where)
            out["lines"] = tuple(
                SourceLine(**{**line, "words": tuple(SourceWord(**w) for w in line.get("words", ()))})
                for line in lines
            )
    except (TypeError, ValueError, AttributeError) as exc:
        raise FormatError(f"{where}: {exc}") from None
    return out


def to_dict(node: Node) -> dict[str, Any]:
    """The JSON-shaped dict of ``node`` and its subtree."""
    return _to_dict(node, True)


def _to_dict(node: Node, children: bool) -> dict[str, Any]:
    """:func:`to_dict`; without ``children``, a parent's ``children`` list is left empty."""
    out: dict[str, Any] = {"type": node.type}
    if isinstance(node, Document):
        out["schema"] = node.schema
        src = node.source
        out["source"] = {
            "name": src.name,
            "sha256": src.sha256,
            "encoding": src.encoding,
            "length": src.length,
        }
        if src.text is not None:
            out["source"]["text"] = src.text
        if src.format is not None:
            out["source"]["format"] = src.format
        if src.pages:
            out["source"]["pages"] = [_page_dict(p) for p in src.pages]
        if src.lines:
            out["source"]["lines"] = [_line_dict(line) for line in src.lines]
    if node.position is not None:
        out["position"] = _position(node.position)
    data = dict(node.data)
    for field in node.data_fields:
        value = getattr(node, field)
        if value is not None:
            data[field] = value
    if node.repairs:
        data["repairs"] = [r.to_dict() for r in node.repairs]
    if data:
        out["data"] = data
    if isinstance(node, Leaf):
        out["value"] = node.value
    elif isinstance(node, Parent):
        out["children"] = [_to_dict(c, True) for c in node.children] if children else []
    return out


def dumps(node: Node, *, indent: bool = False) -> str:
    """Serialize a tree to JSON text (``indent`` for pretty output)."""
    return dumpb(node, indent=indent).decode("utf-8")


def dumpb(node: Node, *, indent: bool = False) -> bytes:
    """Serialize a tree to UTF-8 JSON bytes (``indent`` for pretty output): what
    :func:`dumps` returns, without decoding it to a ``str`` (half the memory when the
    bytes go straight to a file).

    A long document (over :data:`_LEAN_CHARS` code points of source) is serialized
    without its dict form, piece by piece (:func:`iter_dumpb`), into one buffer of the
    exact size (counted by a first pass), which ``getvalue`` hands over without a copy:
    the JSON's bytes are the only large thing made. (Growing a buffer instead would, at
    times, hold two copies.) To write JSON to a file, :func:`dump` needs no buffer at all.
    """
    option = orjson.OPT_INDENT_2 if indent else 0
    if not isinstance(node, Document) or node.source.length <= _LEAN_CHARS:
        return _json(to_dict(node), option)
    size = sum(len(piece) for piece in iter_dumpb(node, indent=indent))
    buffer = io.BytesIO()
    buffer.seek(size - 1)
    buffer.write(b"\0")  # (one allocation of the whole size)
    buffer.seek(0)
    written = dump(node, buffer, indent=indent)
    if written != size:  # pragma: no cover - the pieces are the same both times
        raise RuntimeError(f"dumpb(): {written} bytes written, {size} counted")
    return buffer.getvalue()


#: documents whose source is longer than this (code points) are serialized piece by piece
_LEAN_CHARS = 1 << 20


#: the indentation orjson gives a node in its parent's ``children`` (OPT_INDENT_2)
_CHILD_INDENT = b"\n    "


def iter_dumpb(node: Node, *, indent: bool = False) -> Iterator[bytes]:
    """The UTF-8 JSON of ``node`` (the bytes :func:`dumpb` returns, exactly) in pieces:
    the node without its children, then one piece per child.

    The dict form of a whole document (:func:`to_dict`) takes several times the memory
    of the JSON itself; one child at a time it is never more than one letter's. Write
    the pieces to a file as they come (:func:`dump`) and the JSON is never whole in
    memory either.
    """
    option = orjson.OPT_INDENT_2 if indent else 0
    if not isinstance(node, Parent) or not node.children:
        yield from _shell(node, option, True)
        return
    # the node with an empty list of children (its last key), which the children then fill
    close = b"]\n}" if indent else b"]}"
    last = b""
    for piece in _shell(node, option, False):
        if last:
            yield last
        last = piece
    assert last.endswith(b"[" + close), "the children must be the node's last key"
    yield last[: -len(close)]
    del last
    for k, child in enumerate(node.children):
        piece = _json(to_dict(child), option)
        if indent:
            # nested two levels deeper (JSON strings hold no raw line breaks)
            yield _CHILD_INDENT + piece.replace(b"\n", _CHILD_INDENT)
            yield b"," if k + 1 < len(node.children) else b"\n  "
        else:
            yield b"," + piece if k else piece
    yield close


#: stands for a long ``source.text`` in the JSON of a document's shell (see :func:`_shell`)
_TEXT_MARK = "\x00docparse:source.text\x00"
#: a long ``source.text`` is written this many code points at a time
_TEXT_CHUNK = 1 << 20


def _shell(node: Node, option: int, children: bool) -> Iterator[bytes]:
    """The JSON of ``node`` (with its children, or with an empty list of them) in pieces:
    a document's long source text is written a chunk at a time (JSON escapes each
    character on its own, so the chunks' JSON joined is the text's), never whole."""
    shell = _to_dict(node, children)
    source = shell.get("source") if isinstance(node, Document) else None
    text = source.get("text") if isinstance(source, dict) else None
    if not isinstance(text, str) or len(text) <= _TEXT_CHUNK:
        yield _json(shell, option)
        return
    source["text"] = _TEXT_MARK  # type: ignore[index]
    head = _json(shell, option)
    mark = orjson.dumps(_TEXT_MARK)
    at = head.find(mark)
    if at < 0 or head.find(mark, at + 1) >= 0:  # (the mark found elsewhere, say in a name)
        source["text"] = text  # type: ignore[index]
        yield _json(shell, option)
        return
    yield head[: at + 1]
    for k in range(0, len(text), _TEXT_CHUNK):
        yield _json(text[k : k + _TEXT_CHUNK], 0)[1:-1]
    yield head[at + len(mark) - 1 :]


def _json(obj: Any, option: int) -> bytes:
    """``orjson.dumps(obj, option=option)``; text holding lone surrogates (which
    ``docparse.parse`` keeps: any ``str`` is a source) is written by the standard
    library instead, each surrogate as its JSON escape (``\\ud800``), which
    :func:`loads` reads back to the same code point."""
    try:
        return orjson.dumps(obj, option=option)
    except orjson.JSONEncodeError as exc:
        if "surrogate" not in str(exc):
            raise
    import json

    indent = 2 if option & orjson.OPT_INDENT_2 else None
    text = json.dumps(obj, ensure_ascii=False, indent=indent, separators=(",", ": ") if indent else (",", ":"))
    # only a lone surrogate cannot be encoded, and only inside a string: its
    # backslash escape is the JSON escape of the code point
    return text.encode("utf-8", "backslashreplace")


def dump(node: Node, stream: IO[bytes], *, indent: bool = False) -> int:
    """Write the UTF-8 JSON of ``node`` to the binary ``stream`` piece by piece
    (:func:`iter_dumpb`), never holding the whole JSON in memory; returns the bytes written."""
    total = 0
    for piece in iter_dumpb(node, indent=indent):
        stream.write(piece)
        total += len(piece)
    return total


def _req(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise FormatError(f"{where}: missing {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise FormatError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _read_point(obj: Any, where: str) -> Point:
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: a point must be an object")
    try:
        return Point(
            line=_req(obj, "line", int, where),
            column=_req(obj, "column", int, where),
            offset=_req(obj, "offset", int, where),
        )
    except ValueError as exc:
        raise FormatError(f"{where}: {exc}") from None


def _read_position(obj: Any, where: str) -> Position:
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: position must be an object")
    try:
        return Position(
            _read_point(obj.get("start"), f"{where}.start"),
            _read_point(obj.get("end"), f"{where}.end"),
        )
    except ValueError as exc:
        raise FormatError(f"{where}: {exc}") from None


def from_dict(obj: Any, where: str = "$") -> Node:
    """Build a node (and its subtree) from its JSON-shaped dict; :class:`FormatError` if invalid."""
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: a node must be an object, not {type(obj).__name__}")
    type_name = _req(obj, "type", str, where)
    try:
        cls = node_class(type_name)
    except KeyError as exc:
        found = find_node_class(type_name)
        if found is None:
            raise FormatError(f"{where}: {exc.args[0]}") from None
        cls = found
    kwargs: dict[str, Any] = {}
    if "position" in obj and obj["position"] is not None:
        kwargs["position"] = _read_position(obj["position"], f"{where}.position")
    data = obj.get("data")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FormatError(f"{where}.data: must be an object")
    data = dict(data)
    for field in cls.data_fields:
        if field in data:
            kwargs[field] = data.pop(field)
    if "repairs" in data:
        raw = data.pop("repairs")
        if not isinstance(raw, list):
            raise FormatError(f"{where}.data.repairs: must be a list")
        try:
            kwargs["repairs"] = tuple(Repair(**r) for r in raw)
        except (TypeError, ValueError) as exc:
            raise FormatError(f"{where}.data.repairs: {exc}") from None
    kwargs["data"] = data
    if issubclass(cls, Leaf):
        kwargs["value"] = _req(obj, "value", str, where)
    elif issubclass(cls, Parent):
        children = _req(obj, "children", list, where)
        kwargs["children"] = tuple(
            from_dict(c, f"{where}.children[{i}]") for i, c in enumerate(children)
        )
    if cls is Document:
        schema = _req(obj, "schema", str, where)
        if schema != SCHEMA_VERSION:
            raise FormatError(f"{where}: unsupported schema {schema!r} (this is {SCHEMA_VERSION})")
        kwargs["schema"] = schema
        src = _req(obj, "source", dict, where)
        try:
            kwargs["source"] = Source(
                name=src.get("name"),
                sha256=src.get("sha256", ""),
                encoding=src.get("encoding", "utf-8"),
                length=src.get("length", 0),
                text=src.get("text"),
                **_read_geometry(src, f"{where}.source"),
            )
        except (TypeError, ValueError) as exc:
            raise FormatError(f"{where}.source: {exc}") from None
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise FormatError(f"{where} ({type_name}): {exc}") from None


def loads(text: str | bytes) -> Node:
    """Parse JSON text written by :func:`dumps`; malformed input raises :class:`FormatError`."""
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "surrogate" not in str(exc):
            raise FormatError(f"malformed JSON: {exc}") from None
        obj = _loads_surrogates(text, exc)
    return from_dict(obj)


def _loads_surrogates(text: str | bytes, error: Exception) -> Any:
    """JSON holding escapes of lone surrogates (as :func:`dumps` writes the text of a
    source that has them), which orjson refuses: read by the standard library."""
    import json

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(text, parse_constant=constant)
    except (ValueError, UnicodeDecodeError):
        raise FormatError(f"malformed JSON: {error}") from None

