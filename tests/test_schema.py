"""The ``docparse/1`` JSON Schema: well-formed, complete, and strict where it should be."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import attrs
import jsonschema  # type: ignore[import-untyped]
import pytest

from docparse import nodes
from docparse.codec import from_dict, to_dict
from docparse.errors import FormatError
from docparse.nodes import (
    Address,
    AddressLine,
    Closing,
    Date,
    Document,
    Leaf,
    Letter,
    Name,
    PageBreak,
    PageHeader,
    Paragraph,
    Parent,
    Repair,
    Salutation,
    Signatory,
    Signature,
    Title,
    register_node_type,
)
from docparse.schema import load_schema, validate

#: the node classes docparse itself defines (plugins may register more)
BUILTIN: dict[str, type[nodes.Node]] = {
    obj.type: obj
    for obj in vars(nodes).values()
    if isinstance(obj, type) and issubclass(obj, nodes.Node) and obj.__module__ == "docparse.nodes"
    and obj.type != "node"
}


@register_node_type
@attrs.frozen(kw_only=True)
class _Footnote(Leaf):
    """A node type a plugin might register."""

    type: ClassVar[str] = "test_footnote"


def _doc() -> dict[str, Any]:
    letter = Letter(language="ru", children=[
        Date(value="5 марта 1890 г.", iso="1890-03-05"),
        Address(role="recipient", children=[AddressLine(value="г. Тула")]),
        Salutation(value="Уважаемый Иван Петрович!"),
        Paragraph(value="Текст.", repairs=[Repair(plugin="p", start=0, end=1, before="T", after="Т", confidence=1)]),
        PageBreak(),
        PageHeader(value="- 2 -", page=2),
        Closing(value="С уважением,"),
        Signature(children=[Signatory(children=[Name(value="Лев Толстой"), Title(value="Граф")])]),
    ])
    return to_dict(Document(children=[letter]))


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]


def test_every_definition_is_described() -> None:
    defs = load_schema()["$defs"]
    undescribed = sorted(name for name, d in defs.items() if not d.get("description"))
    assert undescribed == []


def test_one_definition_per_node_type() -> None:
    """Each built-in node class has a definition whose ``type`` is that class's type,
    shaped as a leaf (``value``), a parent (``children``) or neither, like the class."""
    defs = load_schema()["$defs"]
    assert len(BUILTIN) >= 19
    for name, cls in BUILTIN.items():
        assert name in defs, f"no schema definition for node type {name!r}"
        props = defs[name]["properties"]
        assert props["type"] == {"const": name}
        assert ("value" in props) == issubclass(cls, Leaf), name
        assert ("children" in props) == issubclass(cls, Parent), name


def test_allowed_children_are_node_types() -> None:
    defs = load_schema()["$defs"]
    for name, cls in BUILTIN.items():
        if issubclass(cls, Parent):
            allowed = defs[name]["properties"]["children"]["items"]["properties"]["type"]["anyOf"][0]["enum"]
            assert allowed and set(allowed) <= set(BUILTIN), name


def test_typed_fields_are_in_the_schema() -> None:
    """Every typed field a node class stores under ``data`` is described in that type's ``data``."""
    defs = load_schema()["$defs"]
    for name, cls in BUILTIN.items():
        for field in cls.data_fields:
            assert field in defs[name]["properties"]["data"].get("properties", {}), (name, field)


def test_valid_document() -> None:
    validate(_doc())


def test_load_schema_returns_a_copy() -> None:
    """Changing what :func:`load_schema` returns does not change what :func:`validate` checks."""
    schema = load_schema()
    schema["$defs"]["date"]["properties"]["value"] = {"type": "integer"}
    validate(_doc())
    assert load_schema()["$defs"]["date"]["properties"]["value"] == {"type": "string"}


def _letter_child(obj: dict[str, Any], i: int) -> dict[str, Any]:
    child: dict[str, Any] = obj["children"][0]["children"][i]
    return child


def _mutations() -> dict[str, tuple[Any, str]]:
    def at(i: int, key: str, value: Any) -> Any:
        return lambda o: _letter_child(o, i).__setitem__(key, value)

    def data(i: int, key: str, value: Any) -> Any:
        return lambda o: _letter_child(o, i).setdefault("data", {}).__setitem__(key, value)

    def append(node: dict[str, Any], path: tuple[int, ...] = ()) -> Any:
        def change(o: dict[str, Any]) -> None:
            target = o["children"][0]
            for i in path:
                target = target["children"][i]
            target["children"].append(node)
        return change

    return {
        "iso-not-iso": (data(0, "iso", "5.3.1890"), "$.children[0].children[0].data.iso (date)"),
        "role-unknown": (data(1, "role", "landlord"), "$.children[0].children[1].data.role (address)"),
        "page-zero": (data(5, "page", 0), "$.children[0].children[5].data.page (page_header)"),
        "language-bad": (lambda o: o["children"][0]["data"].__setitem__("language", "русский"),
                         "$.children[0].data.language (letter)"),
        "value-missing": (lambda o: _letter_child(o, 2).pop("value"), "$.children[0].children[2] (salutation)"),
        "value-number": (at(2, "value", 7), "$.children[0].children[2].value (salutation)"),
        "leaf-with-children": (at(2, "children", []), "$.children[0].children[2] (salutation)"),
        "page-break-with-value": (at(4, "value", "\f"), "$.children[0].children[4] (page_break)"),
        "unknown-key": (at(2, "parent", 0), "$.children[0].children[2] (salutation)"),
        "repair-incomplete": (
            lambda o: _letter_child(o, 3)["data"]["repairs"][0].pop("after"),
            "$.children[0].children[3].data.repairs[0] (paragraph)",
        ),
        "position-line-zero": (
            at(0, "position", {"start": {"line": 0, "column": 1, "offset": 0},
                               "end": {"line": 1, "column": 2, "offset": 1}}),
            "$.children[0].children[0].position.start.line (date)",
        ),
        "name-in-letter": (append({"type": "name", "value": "X"}),
                           "a 'name' node cannot be a child of a 'letter'"),
        "paragraph-in-address": (append({"type": "paragraph", "value": "X"}, (1,)),
                                 "a 'paragraph' node cannot be a child of a 'address'"),
        "letter-in-letter": (append({"type": "letter", "children": []}),
                             "a 'letter' node cannot be a child of a 'letter'"),
        "plugin-type-upper-case": (append({"type": "Footnote", "value": "X"}),
                                   "$.children[0].children[8].type (Footnote)"),
        "plugin-node-value-and-children": (append({"type": "footnote", "value": "X", "children": []}),
                                           "not both"),
        "schema-version": (lambda o: o.__setitem__("schema", "docparse/2"), "$.schema (document)"),
        "sha256-not-hex": (lambda o: o["source"].__setitem__("sha256", "xyz"), "$.source.sha256 (document)"),
        "source-missing": (lambda o: o.pop("source"), "$ (document): 'source' is a required property"),
    }


MUTATIONS = _mutations()


@pytest.mark.parametrize("change,where", list(MUTATIONS.values()), ids=list(MUTATIONS))
def test_invalid_documents_name_the_first_problem(change: Any, where: str) -> None:
    """Each kind of invalid document fails with a one-line error naming the JSON path and node type."""
    obj = copy.deepcopy(_doc())
    change(obj)
    with pytest.raises(FormatError) as info:
        validate(obj)
    assert where in str(info.value)
    assert "\n" not in str(info.value)


def test_first_problem_in_document_order() -> None:
    """With two problems, the one earlier in the document is reported."""
    obj = _doc()
    _letter_child(obj, 5)["data"]["page"] = -1
    _letter_child(obj, 0)["data"]["iso"] = "later"
    with pytest.raises(FormatError, match=r"^\$\.children\[0\]\.children\[0\]\.data\.iso"):
        validate(obj)


def test_not_an_object() -> None:
    with pytest.raises(FormatError, match=r"^\$: .*not list"):
        validate([])  # type: ignore[arg-type]


def test_plugin_node_types_are_accepted() -> None:
    """A node type registered by a plugin may appear among any parent's children,
    as a leaf, a parent of any nodes, or neither; the codec reads it back."""
    obj = _doc()
    obj["children"][0]["children"].insert(4, {"type": "test_footnote", "value": "1. See above.", "data": {"n": 1}})
    obj["children"][0]["children"][1]["children"].append({"type": "test_footnote", "value": "x"})
    obj["children"][0]["children"].append({"type": "marginal_note", "children": [{"type": "text", "value": "?"}]})
    obj["children"][0]["children"].append({"type": "ornament"})
    validate(obj)
    del obj["children"][0]["children"][-2:]  # types nobody registered: the codec refuses them
    node = from_dict(obj)
    assert isinstance(node.children[0].children[4], _Footnote)  # type: ignore[attr-defined]
    assert to_dict(node) == obj

