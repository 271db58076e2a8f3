"""The letter tree: one frozen attrs class per node type.

The shape follows unist (https://github.com/syntax-tree/unist): every node has a
``type`` and an optional ``position``; leaves carry ``value``; parents carry
``children``. Meaning lives in typed fields (:attr:`Date.iso`, :attr:`PageHeader.page`,
:attr:`Letter.language`, :attr:`Address.role`); the JSON codec maps them to unist
``data``. Anything else (third-party data, keyed by plugin name) goes in ``data``.

Positions always point into the original source, never into repaired text.
Nodes are compared by value, so ``loads(dumps(tree)) == tree``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, TypeVar

import attrs

__all__ = [
    "Point",
    "Position",
    "Repair",
    "Source",
    "Node",
    "Leaf",
    "Parent",
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
    "Quote",
    "PageHeader",
    "PageBreak",
    "Text",
    "NODE_TYPES",
    "node_class",
    "find_node_class",
    "register_node_type",
    "order_problem",
    "SCHEMA_VERSION",
    "SourceLine",
    "SourcePage",
    "SourceWord",
]

SCHEMA_VERSION = "docparse/1"


def _json_copy(value: Any) -> Any:
    """:func:`_check_json` without the path for the message (the common case: valid data)."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError
            out[key] = _json_copy(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_json_copy(item) for item in value]
    raise TypeError


def _check_json(value: Any, where: str) -> Any:
    """Return a JSON-shaped deep copy of ``value`` (tuples become lists) or raise, naming
    the path of the offending item (found by a second, slower walk)."""
    try:
        return _json_copy(value)
    except (TypeError, ValueError):
        return _check_json_at(value, where)


def _check_json_at(value: Any, where: str) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value!r} is not a finite number; JSON cannot hold it")
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: key {key!r} is not a string")
            out[key] = _check_json_at(item, f"{where}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [_check_json_at(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise TypeError(f"{where}: {type(value).__name__} {value!r} cannot be stored as JSON")


def _data(value: Mapping[str, Any] | None) -> dict[str, Any]:
    if not value:
        return {}  # (most nodes: nothing to check)
    return _check_json(dict(value), "data")


@attrs.frozen(order=True)
class Point:
    """A place in the source: 1-based line and column, 0-based code-point offset."""

    line: int = attrs.field(validator=attrs.validators.ge(1))
    column: int = attrs.field(validator=attrs.validators.ge(1))
    offset: int = attrs.field(validator=attrs.validators.ge(0))


@attrs.frozen
class Position:
    """The span of a node in the source: ``start`` inclusive, ``end`` exclusive."""

    start: Point
    end: Point

    def __attrs_post_init__(self) -> None:
        if self.end.offset < self.start.offset:
            raise ValueError(
                f"position ends (offset {self.end.offset}) before it starts "
                f"(offset {self.start.offset})"
            )

    def slice(self, source: str) -> str:
        """The source text this position covers."""
        return source[self.start.offset : self.end.offset]


@attrs.frozen(kw_only=True)
class Repair:
    """One recorded change: ``before`` at ``start:end`` of the source became ``after``.

    ``start``/``end`` are offsets into the original source. ``before`` is the text
    the node's value held there before the plugin ran (so undoing the repairs of a
    node, last first, gives back its unrepaired value exactly).
    """

    plugin: str
    start: int = attrs.field(validator=attrs.validators.ge(0))
    end: int = attrs.field(validator=attrs.validators.ge(0))
    before: str
    after: str
    confidence: float = attrs.field(
        converter=float, validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)]
    )
    #: where ``after`` was put in the node's value, counted in the value as it was
    #: just before this repair (None for repairs recorded without it). Source offsets
    #: cannot always say this exactly (a repair inside text an earlier repair
    #: inserted has no source offset of its own), so undo relies on it.
    value_offset: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
    )

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"repair by {self.plugin!r} ends ({self.end}) before it starts ({self.start})")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "plugin": self.plugin,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "confidence": self.confidence,
        }
        if self.value_offset is not None:
            out["value_offset"] = self.value_offset
        return out


def _box(value: Any) -> tuple[float, float, float, float]:
    """A box ``[x0, y0, x1, y1]`` in page coordinates (x to the right, y down)."""
    box = tuple(value)
    if len(box) != 4 or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                and math.isfinite(v) for v in box):
        raise ValueError(f"box must be four numbers [x0, y0, x1, y1], not {value!r}")
    if box[2] < box[0] or box[3] < box[1]:
        raise ValueError(f"box {list(box)!r} ends before it starts (x1 < x0 or y1 < y0)")
    return (box[0], box[1], box[2], box[3])


def _confidence(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"confidence must be a number from 0 to 1 or None, not {value!r}")
    return value


def _words(value: Iterable[SourceWord]) -> tuple[SourceWord, ...]:
    return tuple(value)


def _pages(value: Iterable[SourcePage]) -> tuple[SourcePage, ...]:
    return tuple(value)


def _lines(value: Iterable[SourceLine]) -> tuple[SourceLine, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class SourcePage:
    """One page of a paged input: its 1-based ``number``, its size in the engine's units
    (pixels for Tesseract and PAGE, PDF points for a PDF), and the page file it came from."""

    number: int = attrs.field(validator=attrs.validators.ge(1))
    width: float = attrs.field(validator=attrs.validators.ge(0))
    height: float = attrs.field(validator=attrs.validators.ge(0))
    file: str | None = None


@attrs.frozen(kw_only=True)
class SourceWord:
    """One word as the engine read it: its text, box and confidence (0 to 1, or None)."""

    text: str
    box: tuple[float, float, float, float] = attrs.field(converter=_box)
    confidence: float | None = attrs.field(default=None, converter=_confidence)


@attrs.frozen(kw_only=True)
class SourceLine:
    """The geometry of one line of a reader's source text: its 1-based ``line`` number in
    ``Source.text``, its ``page``, its box (the union of the engine's lines put on it),
    its confidence (the mean of its words', or the engine's line confidence) and words."""

    line: int = attrs.field(validator=attrs.validators.ge(1))
    page: int = attrs.field(validator=attrs.validators.ge(1))
    box: tuple[float, float, float, float] = attrs.field(converter=_box)
    confidence: float | None = attrs.field(default=None, converter=_confidence)
    words: tuple[SourceWord, ...] = attrs.field(default=(), converter=_words)


@attrs.frozen(kw_only=True)
class Source:
    """Where a document came from: its name, digest, encoding and length (code points).

    ``text`` is the decoded source itself, kept so that every node's source text can
    be recovered from its position and nothing of the source is ever lost.
    """

    name: str | None = None
    sha256: str = ""
    encoding: str = "utf-8"
    length: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    text: str | None = None
    #: the input's format when a reader other than the text reader made ``text``
    #: (``"alto"``, ``"page"``, ``"hocr"``, ``"pdf"``; ``"text"`` may be given too);
    #: None for plain text, as before readers existed (see docs/readers.md)
    format: str | None = None
    #: the pages of a paged input (OCR XML, PDF), in order; empty for plain text
    pages: tuple[SourcePage, ...] = attrs.field(default=(), converter=_pages)
    #: the geometry of the lines of ``text`` a reader made, keyed by their 1-based line number
    lines: tuple[SourceLine, ...] = attrs.field(default=(), converter=_lines)

    def line_geometry(self) -> dict[int, SourceLine]:
        """``lines`` by line number (1-based, as in :class:`Point`)."""
        return {entry.line: entry for entry in self.lines}


def _repairs(value: Iterable[Repair]) -> tuple[Repair, ...]:
    """``repairs`` as a tuple (a typed converter: mypy reads the argument type from it)."""
    return tuple(value)


@attrs.frozen(kw_only=True)
class Node:
    """Base of all nodes.

    ``data`` holds extra, JSON-shaped data (third-party data keyed by plugin name);
    ``repairs`` the recorded changes made to this node by repair plugins.
    """

    type: ClassVar[str] = "node"
    #: typed fields stored under unist ``data`` in JSON: attribute name -> data key
    data_fields: ClassVar[tuple[str, ...]] = ()

    position: Position | None = None
    data: Mapping[str, Any] = attrs.field(factory=dict, converter=_data)
    repairs: tuple[Repair, ...] = attrs.field(default=(), converter=_repairs)

    def evolve(self, **changes: Any) -> Any:
        """A copy of this node with ``changes`` applied (attrs.evolve)."""
        return attrs.evolve(self, **changes)

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, in document order (pre-order)."""
        yield self


def _children(value: Iterable[Node]) -> tuple[Node, ...]:
    """``children`` as a tuple (a typed converter: mypy reads the argument type from it)."""
    return tuple(value)


def _value(value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"value must be a string, not {type(value).__name__}")
    return value


@attrs.frozen(kw_only=True)
class Leaf(Node):
    """A node with text: ``value``."""

    value: str = attrs.field(default="", converter=_value)


@attrs.frozen(kw_only=True)
class Parent(Node):
    """A node with ``children``."""

    children: tuple[Node, ...] = attrs.field(default=(), converter=_children)

    def __attrs_post_init__(self) -> None:
        for i, child in enumerate(self.children):
            if not isinstance(child, Node):
                raise TypeError(
                    f"{self.type}.children[{i}] is {type(child).__name__}, not a node"
                )

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def order_problem(tree: Node, where: str = "$", *, deep: bool = True) -> str | None:
    """Where siblings of ``tree`` are out of source order, or None: each child with a
    position starts at or after the start of the child with a position before it (a
    node may run over the next, as a paragraph over the page break that follows it).
    Iterative, so any depth of tree is checked; ``deep=False``: ``tree``'s own children only."""
    stack: list[tuple[Node, str]] = [(tree, where)]
    while stack:
        node, path = stack.pop()
        if not isinstance(node, Parent):
            continue
        last = -1
        for i, child in enumerate(node.children):
            pos = child.position
            if pos is not None:
                if pos.start.offset < last:
                    return (f"{path}.children[{i}] ({child.type}) starts at offset {pos.start.offset}, "
                            f"before the sibling above it (offset {last}): siblings out of source order")
                last = pos.start.offset
            if deep:
                stack.append((child, f"{path}.children[{i}]"))
    return None


_N = TypeVar("_N", bound=Node)


def _first(children: tuple[Node, ...], cls: type[_N]) -> _N | None:
    for child in children:
        if isinstance(child, cls):
            return child
    return None


NODE_TYPES: dict[str, type[Node]] = {}


def register_node_type(cls: type[Node]) -> type[Node]:
    """Register a node class under its ``type`` (used by the JSON codec and plugins)."""
    existing = NODE_TYPES.get(cls.type)
    if existing is not None and existing is not cls:
        raise ValueError(
            f"node type {cls.type!r} is already defined by {existing.__module__}.{existing.__qualname__}"
        )
    NODE_TYPES[cls.type] = cls
    return cls


def node_class(type_name: str) -> type[Node]:
    """The class registered for ``type_name``; ``KeyError`` names the unknown type."""
    try:
        return NODE_TYPES[type_name]
    except KeyError:
        raise KeyError(f"unknown node type {type_name!r}") from None


#: entry-point groups of the plugins that define node types (grammar plugins): their
#: modules register their node classes with :func:`register_node_type` when imported
NODE_TYPE_GROUPS: tuple[str, ...] = ("docparse.grammars",)


def find_node_class(type_name: str) -> type[Node] | None:
    """The class registered for ``type_name``, importing the installed plugins' modules
    (entry-point groups :data:`NODE_TYPE_GROUPS`) if it is not registered yet; None
    for a type that no installed plugin defines.

    The registry belongs to the tree model, so that the JSON codec can read a plugin's
    node without knowing grammars: a plugin module that fails to import is passed over
    (reading JSON must not depend on every installed plugin being sound).
    """
    found = NODE_TYPES.get(type_name)
    if found is not None:
        return found
    # lazy: only a plugin's node type needs it
    from importlib.metadata import entry_points

    for group in NODE_TYPE_GROUPS:
        for ep in entry_points(group=group):
            try:
                ep.load()
            except Exception:  # noqa: BLE001, S112 - a broken plugin must not break reading JSON
                continue
    return NODE_TYPES.get(type_name)


@register_node_type
@attrs.frozen(kw_only=True)
class Document(Parent):
    """The root. ``source`` describes the decoded input; children are letters (and text)."""

    type: ClassVar[str] = "document"
    source: Source = attrs.field(factory=Source)
    schema: str = SCHEMA_VERSION

    @property
    def letters(self) -> tuple[Letter, ...]:
        return tuple(c for c in self.children if isinstance(c, Letter))


@register_node_type
@attrs.frozen(kw_only=True)
class Letter(Parent):
    """One letter. ``language`` is a BCP-47 code (``en``, ``ru``) or None if unknown."""

    type: ClassVar[str] = "letter"
    data_fields: ClassVar[tuple[str, ...]] = ("language",)
    language: str | None = None

    # -- field access for programs: each reads the letter's children, nothing is cached

    @property
    def date(self) -> Date | None:
        """The date line (its place included, as written), or None."""
        return _first(self.children, Date)

    @property
    def date_iso(self) -> str | None:
        """The letter's date as ``YYYY-MM-DD``: the date line's ``iso``, else the date the
        ``dates`` repair plugin found elsewhere (a running header) and recorded in
        ``data["dates"]["iso"]``; None when neither is known."""
        date = self.date
        if date is not None and date.iso:
            return date.iso
        entry = self.data.get("dates")
        iso = entry.get("iso") if isinstance(entry, Mapping) else None
        return iso if isinstance(iso, str) else None

    @property
    def salutation(self) -> Salutation | None:
        """The salutation ("Dear Mr. Smith:"), or None."""
        return _first(self.children, Salutation)

    @property
    def closing(self) -> Closing | None:
        """The complimentary close ("Yours truly,"), or None."""
        return _first(self.children, Closing)

    @property
    def signatories(self) -> tuple[Signatory, ...]:
        """Every signer of the letter's signature blocks, in order (each has ``.name`` and
        ``.titles``); empty when the letter is unsigned."""
        return tuple(
            s for sig in self.children if isinstance(sig, Signature)
            for s in sig.children if isinstance(s, Signatory)
        )

    @property
    def recipient(self) -> Address | None:
        """The recipient's address: the first address block marked ``recipient``, else
        the first one above the body that is not marked ``sender`` (the inside address
        of a letter whose layout shows no role); None when there is none."""
        for node in self.children:
            if isinstance(node, Address) and node.role == "recipient":
                return node
        for node in self.children:
            if isinstance(node, (Paragraph, Closing, Signature, Postscript)):
                break
            if isinstance(node, Address) and node.role != "sender":
                return node
        return None

    @property
    def sender(self) -> Address | None:
        """The writer's own address (``role == "sender"``): at the top of the letter or
        under the signature; None when the letter shows none."""
        for node in self.walk():
            if isinstance(node, Address) and node.role == "sender":
                return node
        return None

    @property
    def postscripts(self) -> tuple[Postscript, ...]:
        """The postscript paragraphs, in order ("P.S. ...", marker included)."""
        return tuple(c for c in self.children if isinstance(c, Postscript))

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The body paragraphs, in order."""
        return tuple(c for c in self.children if isinstance(c, Paragraph))


@register_node_type
@attrs.frozen(kw_only=True)
class Date(Leaf):
    """The date line, with its place (TEI's dateline). ``iso`` is YYYY-MM-DD when known."""

    type: ClassVar[str] = "date"
    data_fields: ClassVar[tuple[str, ...]] = ("iso",)
    iso: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            attrs.validators.matches_re(r"\d{4}-\d{2}-\d{2}")
        ),
    )


@register_node_type
@attrs.frozen(kw_only=True)
class Address(Parent):
    """An address block; ``role`` is ``recipient`` or ``sender`` where the layout shows it."""

    type: ClassVar[str] = "address"
    data_fields: ClassVar[tuple[str, ...]] = ("role",)
    role: str | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        """The address's lines, as their values read now."""
        return tuple(c.value for c in self.children if isinstance(c, AddressLine))

    @property
    def text(self) -> str:
        """The lines joined with a newline."""
        return "\n".join(self.lines)


@register_node_type
@attrs.frozen(kw_only=True)
class AddressLine(Leaf):
    type: ClassVar[str] = "address_line"


@register_node_type
@attrs.frozen(kw_only=True)
class Reference(Leaf):
    """A reference or subject line ("Re: ...", "Subject: ...")."""

    type: ClassVar[str] = "reference"


@register_node_type
@attrs.frozen(kw_only=True)
class Salutation(Leaf):
    type: ClassVar[str] = "salutation"


@register_node_type
@attrs.frozen(kw_only=True)
class Paragraph(Leaf):
    """A body paragraph; its lines joined with single spaces."""

    type: ClassVar[str] = "paragraph"


@register_node_type
@attrs.frozen(kw_only=True)
class Closing(Leaf):
    """The complimentary close ("Sincerely,", "Искренне")."""

    type: ClassVar[str] = "closing"


@register_node_type
@attrs.frozen(kw_only=True)
class Signature(Parent):
    """The signature block: one or more signatories."""

    type: ClassVar[str] = "signature"


@register_node_type
@attrs.frozen(kw_only=True)
class Signatory(Parent):
    """One signer: a name and/or titles."""

    type: ClassVar[str] = "signatory"

    @property
    def name(self) -> Name | None:
        """The signer's name, or None (a signatory known only by a title)."""
        return _first(self.children, Name)

    @property
    def titles(self) -> tuple[Title, ...]:
        """The lines under the name: title, office, affiliation."""
        return tuple(c for c in self.children if isinstance(c, Title))


@register_node_type
@attrs.frozen(kw_only=True)
class Name(Leaf):
    type: ClassVar[str] = "name"


@register_node_type
@attrs.frozen(kw_only=True)
class Title(Leaf):
    type: ClassVar[str] = "title"


@register_node_type
@attrs.frozen(kw_only=True)
class Postscript(Leaf):
    """One postscript paragraph ("P.S. ...")."""

    type: ClassVar[str] = "postscript"


@register_node_type
@attrs.frozen(kw_only=True)
class Enclosure(Leaf):
    type: ClassVar[str] = "enclosure"


@register_node_type
@attrs.frozen(kw_only=True)
class Copy(Leaf):
    """A copy line ("cc: ...")."""

    type: ClassVar[str] = "copy"


@register_node_type
@attrs.frozen(kw_only=True)
class Quote(Leaf):
    """Quoted text of another message under a letter: an e-mail reply's "> " lines and the
    line that introduces them ("On Tue, 3 Jun 2025, Sam wrote:"); ``value`` joins the lines
    with a space."""

    type: ClassVar[str] = "quote"


@register_node_type
@attrs.frozen(kw_only=True)
class EmailSignature(Leaf):
    """An e-mail's signature block: the "-- " delimiter line (RFC 3676, section 4.3) and the
    lines under it (name, position, telephone, address) that a mail program appends to
    every message; ``value`` joins the lines with a space. The signatory is the name under
    the close, not this block."""

    type: ClassVar[str] = "email_signature"


@register_node_type
@attrs.frozen(kw_only=True)
class PageHeader(Leaf):
    """A continuation page's running header; ``value`` joins its lines with `` / ``.

    ``page`` is the page number, from the header or, where it has none, by sequence.
    """

    type: ClassVar[str] = "page_header"
    data_fields: ClassVar[tuple[str, ...]] = ("page",)
    page: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(1))
    )


@register_node_type
@attrs.frozen(kw_only=True)
class PageBreak(Node):
    """A page break: a form feed, or the blank lines before a running header."""

    type: ClassVar[str] = "page_break"


@register_node_type
@attrs.frozen(kw_only=True)
class Text(Leaf):
    """Text the grammar could not classify (nothing is ever dropped)."""

    type: ClassVar[str] = "text"
