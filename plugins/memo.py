"""Built-in grammar plugin ``memo``: the office memorandum.

A memo opens with a header of labelled fields instead of a dateline, addresses and a
salutation; this plugin reads it as a ``memo_header`` node holding a ``memo_title``
(the "MEMORANDUM" line, when there is one) and one ``memo_field`` per field line, with
``data.field`` naming the field (``to``, ``from``, ``date``, ``subject``, ``cc``,
``bcc``, ``through``, ``attention``) and, for the date, ``data.iso``::

    MEMORANDUM                      memo_header
    TO: All staff                   ->  memo_title "MEMORANDUM"
    FROM: The Director                  memo_field "TO: All staff"          field=to
    DATE: March 3, 1999                 memo_field "FROM: The Director"     field=from
    SUBJECT: Budget                     memo_field "DATE: March 3, 1999"    field=date iso=1999-03-03
                                        memo_field "SUBJECT: Budget"        field=subject

The body, initials, ``cc:`` and enclosure lines after the header are read by the core
grammar. A header needs the title, or two fields of which one is ``to`` or ``from``:
an ordinary letter that opens with a lone "Re: ..." or "Date: ..." line is no memo, and
such lines are given the core nodes (``reference``, ``date``, ``copy``, ``address``).
Without this plugin a memo's header lines are read by the core grammar (as date,
reference, address or ``text`` nodes), never an error.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import attrs

from docparse.dates import to_iso
from docparse.grammar import GrammarPlugin, LineClass, TeiMapping
from docparse.nodes import Leaf, Node, Parent, register_node_type

__all__ = ["MemoHeader", "MemoTitle", "MemoField", "FIELDS", "field_of", "plugin"]

#: label (lower case, without the colon) -> the field's name in ``data.field``
FIELDS: dict[str, str] = {
    "to": "to",
    "from": "from",
    "date": "date",
    "subject": "subject",
    "subj": "subject",
    "subj.": "subject",
    "re": "subject",
    "cc": "cc",
    "c.c.": "cc",
    "c. c.": "cc",
    "copy to": "cc",
    "copies to": "cc",
    "bcc": "bcc",
    "thru": "through",
    "through": "through",
    "via": "through",
    "attn": "attention",
    "attn.": "attention",
    "attention": "attention",
}
_LABEL = re.compile(r"^\s*([^:]+?)\s*:")


def _field_name(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        raise ValueError(f"memo_field.field must be a lower-case word, not {value!r}")
    return value


@register_node_type
@attrs.frozen(kw_only=True)
class MemoHeader(Parent):
    """A memorandum's header: an optional ``memo_title`` and its ``memo_field`` lines."""

    type: ClassVar[str] = "memo_header"


@register_node_type
@attrs.frozen(kw_only=True)
class MemoTitle(Leaf):
    """The memo's title line ("MEMORANDUM", "INTER-OFFICE MEMO")."""

    type: ClassVar[str] = "memo_title"


@register_node_type
@attrs.frozen(kw_only=True)
class MemoField(Leaf):
    """One header field; ``value`` is the whole line ("TO: All staff"), ``field`` its
    name ("to"), ``iso`` the date of a ``date`` field when it is readable."""

    type: ClassVar[str] = "memo_field"
    data_fields: ClassVar[tuple[str, ...]] = ("field", "iso")
    field: str = attrs.field(converter=_field_name)
    iso: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.matches_re(r"\d{4}-\d{2}-\d{2}"))
    )


def field_of(line: str) -> str:
    """The field a header line fills, from its label.

    >>> field_of("SUBJ: Budget"), field_of("Copies to: J. Smith"), field_of("RE: Budget")
    ('subject', 'cc', 'subject')
    """
    m = _LABEL.match(line)
    label = " ".join(m.group(1).lower().split()) if m else ""
    return FIELDS.get(label, label.replace(" ", "_").strip(".") or "field")


def _lines(items: list[Any], kind: str) -> list[Any]:
    return [t for t in items if getattr(t, "type", "") == kind]


def _field(build: Any, tok: Any) -> MemoField:
    text = " ".join(ln.text for ln in tok.value.lines)
    name = field_of(text)
    iso = to_iso(text.split(":", 1)[1], build.language) if name == "date" else None
    return build.leaf(MemoField, [tok], field=name, iso=iso)


def _core_node(build: Any, tok: Any) -> Any:
    """A lone field line outside a memo, built as the grammar's own rule would build it
    (through ``build``, so another plugin's builder for that rule applies too)."""
    name = field_of(" ".join(ln.text for ln in tok.value.lines))
    if name == "date":
        return build.date([tok])
    if name in ("cc", "bcc"):
        return build.copy([tok])
    if name == "from":
        return build.sender_address([tok])
    if name in ("to", "attention", "through"):
        return build.recipient_address([tok])
    if name == "subject":
        return build.reference([tok])
    return build.text([tok])


def memo_header(build: Any, items: list[Any]) -> Node | list[Node]:
    """``memo_header`` -> a MemoHeader, or the core nodes of header-like lines that are no memo."""
    titles = _lines(items, "MEMO_TITLE_LINE")
    fields = _lines(items, "MEMO_FIELD_LINE")
    names = {field_of(" ".join(ln.text for ln in t.value.lines)) for t in fields}
    if not titles and (len(fields) < 2 or not names & {"to", "from"}):
        out: list[Node] = []
        for t in fields:
            made = _core_node(build, t)
            out.extend(made if isinstance(made, list) else [made])
        return out
    kids: list[Node] = [build.leaf(MemoTitle, [t]) for t in titles]
    kids += [_field(build, t) for t in fields]
    return build.parent(MemoHeader, kids)


def tei_header(tei: Any, opener: Any, node: Any) -> None:
    """The TEI of a ``memo_header`` (the plugin's :class:`~docparse.grammar.TeiMapping`,
    zone ``opener``): its lines in the letter's ``<opener>``, the date field a
    ``<dateline>``, the others ``<seg>``s typed by field::

        <opener>
          <seg type="memo-title">MEMORANDUM</seg>
          <seg type="memo-field" subtype="to">TO: All staff</seg>
          <dateline><date when="1999-03-03">DATE: March 3, 1999</date></dateline>
        </opener>

    (so that the body after the header is the letter's ``<p>``s, as in any letter).
    """
    for child in node.children:
        if isinstance(child, MemoField) and child.field == "date":
            tei.dateline(opener, child)
        elif isinstance(child, MemoField):
            tei.text(tei.element(opener, "seg", type="memo-field", subtype=child.field), child)
        elif isinstance(child, Leaf):
            tei.text(tei.element(opener, "seg", type="memo-title"), child)


plugin = GrammarPlugin.from_resource(
    "docparse.plugins",
    "memo.lark",
    name="memo",
    description="The office memorandum: MEMORANDUM, TO:, FROM:, DATE:, SUBJECT:/RE:, CC: header fields.",
    line_classes=[
        LineClass(token="MEMO_TITLE_LINE", lexicon="LEX_MEMO_TITLE", zone="opener", starts_letter=True),
        LineClass(token="MEMO_FIELD_LINE", lexicon="LEX_MEMO_FIELD", zone="opener"),
    ],
    builders={"memo_header": memo_header},
    tei={"memo_header": TeiMapping(zone="opener", write=tei_header)},
    version="1",
)
