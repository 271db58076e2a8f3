"""The JSON codec: unist shape, typed fields under ``data``, exact round trips, clear errors."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest

from docparse.codec import dumps, from_dict, loads, to_dict
from docparse.errors import FormatError
from docparse.nodes import (
    SCHEMA_VERSION,
    Address,
    AddressLine,
    Closing,
    Copy,
    Date,
    Document,
    Enclosure,
    Letter,
    Name,
    PageBreak,
    PageHeader,
    Paragraph,
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


def _pos(start: int, end: int) -> Position:
    # one-line source: line 1, column = offset + 1
    return Position(Point(line=1, column=start + 1, offset=start), Point(line=1, column=end + 1, offset=end))


def _full_tree() -> Document:
    """A document using every built-in node type, typed field, repair field and data."""
    repair = Repair(plugin="cyrillic-lookalikes", start=3, end=13, before="JIYKameHKo",
                    after="Лукашенко", confidence=0.9, value_offset=0)
    letter = Letter(
        language="en",
        position=_pos(0, 400),
        data={"layout-check": {"style": "block", "warnings": []}},
        children=[
            Date(value="London, July 21, 2004", iso="2004-07-21", position=_pos(0, 21)),
            Address(role="recipient", children=[AddressLine(value="Mr. A. Smith"), AddressLine(value="1 Mill Road")]),
            Reference(value="Re: your letter"),
            Salutation(value="Dear Mr. Лукашенко:", repairs=[repair]),
            Paragraph(value="We write to you.", data={"spacing": {"merged": 2, "ratio": 0.5}}),
            PageBreak(),
            PageHeader(value="Mr. Smith / July 21, 2004 / Page 2", page=2),
            Paragraph(value="More text."),
            Closing(value="Yours truly,"),
            Signature(children=[
                Signatory(children=[Name(value="Ann Roe"), Title(value="Chair")]),
                Signatory(children=[Name(value="Ben Doe")]),
            ]),
            Postscript(value="P.S. Hello."),
            Enclosure(value="Enclosure: report"),
            Copy(value="cc: Ms. Brown"),
            Text(value="???"),
        ],
    )
    return Document(
        source=Source(name="x.txt", sha256="0" * 64, encoding="utf-8", length=400, text="x" * 400),
        children=[letter],
    )


def test_round_trip_keeps_every_field() -> None:
    """``loads(dumps(t)) == t`` for a tree that uses every node type and field."""
    tree = _full_tree()
    assert loads(dumps(tree)) == tree
    assert loads(dumps(tree, indent=True)) == tree
    assert from_dict(to_dict(tree)) == tree


def test_unist_shape() -> None:
    """Leaves have ``value``, parents ``children``, a page break neither; typed fields live in ``data``."""
    obj = to_dict(_full_tree())
    assert obj["type"] == "document" and obj["schema"] == SCHEMA_VERSION
    assert obj["source"]["text"] == "x" * 400
    letter = obj["children"][0]
    assert letter["data"] == {"language": "en", "layout-check": {"style": "block", "warnings": []}}
    by_type = {c["type"]: c for c in letter["children"]}
    assert by_type["date"]["data"] == {"iso": "2004-07-21"}
    assert by_type["date"]["position"]["start"] == {"line": 1, "column": 1, "offset": 0}
    assert by_type["address"]["data"] == {"role": "recipient"}
    assert [c["value"] for c in by_type["address"]["children"]] == ["Mr. A. Smith", "1 Mill Road"]
    assert by_type["page_header"]["data"] == {"page": 2}
    assert set(by_type["page_break"]) == {"type"}
    assert "children" not in by_type["paragraph"] and "value" not in by_type["signature"]
    repairs = by_type["salutation"]["data"]["repairs"]
    assert repairs == [{"plugin": "cyrillic-lookalikes", "start": 3, "end": 13, "before": "JIYKameHKo",
                        "after": "Лукашенко", "confidence": 0.9, "value_offset": 0}]


def test_unset_fields_are_left_out() -> None:
    """No ``position``/``data`` keys for nodes without them; no ``source.text`` when not kept."""
    obj = to_dict(Document(children=[Letter(children=[Date(value="1 May 1890")])]))
    date = obj["children"][0]["children"][0]
    assert date == {"type": "date", "value": "1 May 1890"}
    assert "text" not in obj["source"]
    assert "data" not in obj["children"][0]


def test_dumps_is_utf8_json_without_escapes() -> None:
    """Cyrillic is written as itself, and ``indent`` only changes whitespace."""
    tree = Document(children=[Letter(children=[Closing(value="С уважением,")])])
    flat, pretty = dumps(tree), dumps(tree, indent=True)
    assert "С уважением," in flat
    assert orjson.loads(flat) == orjson.loads(pretty)
    assert "\n" in pretty and "\n" not in flat


def _doc_dict() -> dict[str, Any]:
    return to_dict(_full_tree())


def _set(path: list[Any], value: Any) -> Any:
    def change(obj: dict[str, Any]) -> None:
        target: Any = obj
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


def _drop(path: list[Any]) -> Any:
    def change(obj: dict[str, Any]) -> None:
        target: Any = obj
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
    return change


LETTER = ["children", 0]

BAD = {
    "missing-type": (_drop(LETTER + ["type"]), "$.children[0]: missing 'type'"),
    "unknown-type": (_set(LETTER + ["type"], "letterhead"), "unknown node type 'letterhead'"),
    "wrong-schema": (_set(["schema"], "docparse/2"), "unsupported schema 'docparse/2'"),
    "missing-value": (_drop(LETTER + ["children", 0, "value"]), "$.children[0].children[0]: missing 'value'"),
    "value-not-string": (_set(LETTER + ["children", 0, "value"], 5), "'value' has the wrong type"),
    "children-not-list": (_set(LETTER + ["children"], {}), "'children' has the wrong type"),
    "bad-iso": (_set(LETTER + ["children", 0, "data", "iso"], "21/07/2004"), "$.children[0].children[0] (date)"),
    "bad-page": (_set(LETTER + ["children", 6, "data", "page"], 0), "(page_header)"),
    "position-backwards": (
        _set(LETTER + ["children", 0, "position"],
                 {"start": {"line": 1, "column": 5, "offset": 4}, "end": {"line": 1, "column": 1, "offset": 0}}),
        "$.children[0].children[0].position: position ends",
    ),
    "point-line-zero": (
        _set(LETTER + ["children", 0, "position", "start", "line"], 0),
        "$.children[0].children[0].position.start",
    ),
    "point-offset-bool": (
        _set(LETTER + ["children", 0, "position", "start", "offset"], True),
        "'offset' has the wrong type",
    ),
    "repairs-not-list": (_set(LETTER + ["children", 3, "data", "repairs"], {}), "data.repairs: must be a list"),
    "repair-confidence": (
        _set(LETTER + ["children", 3, "data", "repairs", 0, "confidence"], 1.5),
        "$.children[0].children[3].data.repairs",
    ),
    "data-not-object": (_set(LETTER + ["data"], []), "$.children[0].data: must be an object"),
    "source-not-object": (_set(["source"], "x.txt"), "'source' has the wrong type"),
    "source-length-negative": (_set(["source", "length"], -1), "$.source"),
    "node-not-object": (_set(LETTER + ["children", 1], "Mr. Smith"), "$.children[0].children[1]: a node must be an object"),
}


@pytest.mark.parametrize("change,expected", list(BAD.values()), ids=list(BAD))
def test_invalid_json_is_a_one_line_format_error(change: Any, expected: str) -> None:
    """Every malformed tree is a :class:`FormatError` naming where the problem is, on one line."""
    obj = copy.deepcopy(_doc_dict())
    change(obj)
    with pytest.raises(FormatError) as info:
        from_dict(obj)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize("text", ["", "{", "[1, 2", "nul", b"\xff\xfe"], ids=["empty", "brace", "list", "word", "bytes"])
def test_malformed_json_text(text: str | bytes) -> None:
    """Text that is not JSON at all is a :class:`FormatError`, not an orjson exception."""
    with pytest.raises(FormatError, match="malformed JSON"):
        loads(text)


def test_json_that_is_not_a_node() -> None:
    with pytest.raises(FormatError, match=r"\$: a node must be an object, not list"):
        loads("[]")


def test_plugin_data_survives_unchanged() -> None:
    """Keys other than typed fields and ``repairs`` are kept as they are, nested values included."""
    data = {"my-plugin": {"scores": [0.5, 1, None, True], "note": "ок"}, "other": "x"}
    tree = Document(children=[Letter(children=[Paragraph(value="x", data=data)])])
    back = loads(dumps(tree))
    assert back.children[0].children[0].data == data  # type: ignore[attr-defined]


def test_typed_field_in_data_becomes_the_field() -> None:
    """``data.iso`` read from JSON sets :attr:`Date.iso`; it is not left in ``data`` as well."""
    obj = {"type": "date", "value": "5 May 1890", "data": {"iso": "1890-05-05", "x-y": 1}}
    node = from_dict(obj)
    assert isinstance(node, Date)
    assert node.iso == "1890-05-05" and dict(node.data) == {"x-y": 1}
    assert to_dict(node) == obj


def test_bad_node_data_is_refused_naming_its_path() -> None:
    """Node data must be JSON: a non-finite number, a non-string key or an object that
    JSON cannot hold is refused, and the message names where it sits in ``data``."""
    import math

    from docparse.nodes import Paragraph

    with pytest.raises(ValueError, match=r"data\.scores\[1\]: nan is not a finite number"):
        Paragraph(value="x", data={"scores": [1.0, math.nan]})
    with pytest.raises(TypeError, match=r"data\.ocr: key 3 is not a string"):
        Paragraph(value="x", data={"ocr": {3: "three"}})
    with pytest.raises(TypeError, match=r"data\.when: set .* cannot be stored as JSON"):
        Paragraph(value="x", data={"when": {1, 2}})
    ok = Paragraph(value="x", data={"scores": (1, 2.5), "ocr": {"a": None, "b": True}})
    assert ok.data == {"scores": [1, 2.5], "ocr": {"a": None, "b": True}}
