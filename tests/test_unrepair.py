"""Recording and undoing repairs (docparse.repair).

The trees here are built by hand from source text (``build``), the way the parser
builds them: a leaf's value is its source lines stripped and joined with one space
(`` / `` for a running header), its position spans its text. So these tests do not
depend on the parser.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docparse.edits import Edit
from docparse.nodes import Document, Leaf, Letter, Node, PageBreak, PageHeader, Paragraph, Repair
from docparse.plugin import RepairContext
from docparse.repair import (
    RepairError,
    apply_edits,
    join_leaves,
    join_record,
    skeleton,
    source_span,
    undo_leaf,
    unrepair,
)
from docparse.source import LineIndex, source_info

# ---------------------------------------------------------------- tree builder

Block = tuple[str, Sequence[str]]  # ("p", lines) or ("header", lines) or ("break", [])


def build(blocks: Sequence[Block], indent: str = "", blank: str = "\n") -> Document:
    """A document with one letter from ``blocks``: paragraphs ("p", lines), running
    headers ("header", lines, each preceded by a form feed) and bare form feeds
    ("break", ()). Blocks are separated by ``blank``; paragraph lines carry ``indent``."""
    text = ""
    spans: list[tuple[str, list[tuple[int, int]]]] = []
    for k, (kind, lines) in enumerate(blocks):
        if k:
            text += blank
        if kind in ("header", "break"):
            start = len(text)
            text += "\f"
            spans.append(("break", [(start, start + 1)]))
            if kind == "break":
                text += "\n"
                continue
        line_spans = []
        for line in lines:
            pad = indent if kind == "p" else "  "
            text += pad
            line_spans.append((len(text), len(text) + len(line)))
            text += line + "  \n"
        spans.append((kind, line_spans))
    index = LineIndex(text)
    children: list[Node] = []
    page = 1
    for kind, line_spans in spans:
        position = index.position(line_spans[0][0], line_spans[-1][1])
        parts = [text[s:e].strip() for s, e in line_spans]
        if kind == "p":
            children.append(Paragraph(value=" ".join(parts), position=position))
        elif kind == "break":
            children.append(PageBreak(position=position))
        else:
            page += 1
            children.append(PageHeader(value=" / ".join(parts), position=position, page=page))
    letter = Letter(language="en", children=children, position=index.position(0, len(text)))
    return Document(children=(letter,), source=source_info(text, "built.txt", "utf-8"))


def leaves(doc: Node) -> list[Leaf]:
    return [n for n in doc.walk() if isinstance(n, Leaf)]


def replace_leaf(doc: Document, old: Leaf, new: Leaf) -> Document:
    def swap(node: Node) -> Node:
        if node is old:
            return new
        if hasattr(node, "children"):
            kids = tuple(swap(c) for c in node.children)  # type: ignore[attr-defined]
            if any(a is not b for a, b in zip(kids, node.children)):  # type: ignore[attr-defined]
                return node.evolve(children=kids)
        return node

    result = swap(doc)
    assert isinstance(result, Document)
    return result


# ------------------------------------------------------------------ unit tests


def test_repair_records_source_offsets_and_value_offset() -> None:
    doc = build([("p", ["Thank yuo for", "your   letter of May 3."])], indent="   ")
    para = leaves(doc)[0]
    src = doc.source.text
    assert src is not None
    at = para.value.index("yuo")
    fixed = apply_edits(para, [Edit(at, at + 3, "yuo", "you", 0.9)], "spelling", src)
    assert fixed.value == "Thank you for your   letter of May 3."
    (r,) = fixed.repairs
    assert (r.plugin, r.before, r.after, r.confidence, r.value_offset) == ("spelling", "yuo", "you", 0.9, at)
    assert src[r.start : r.end] == "yuo"
    assert para.repairs == ()  # the input is untouched


def test_join_space_maps_to_the_whole_line_break() -> None:
    doc = build([("p", ["one two", "three"])], indent="    ")
    para = leaves(doc)[0]
    src = doc.source.text
    at = para.value.index(" three")
    fixed = apply_edits(para, [Edit(at, at + 1, " ", "-", 0.5)], "x", src)
    r = fixed.repairs[0]
    assert src[r.start : r.end] == "  \n    "


def test_repair_over_earlier_repair_undoes_in_order() -> None:
    doc = build([("p", ["Y Ba2KaeMbIH", "fOCIIO,IHH!"])])
    para = leaves(doc)[0]
    src = doc.source.text
    one = apply_edits(para, [Edit(0, 12, "Y Ba2KaeMbIH", "Уважаемый", 0.8)], "cyrillic", src)
    two = apply_edits(one, [Edit(0, 3, "Ува", "ува", 0.4), Edit(9, 9, "", ",", 0.3)], "case", src)
    assert two.value == "уважаемый, fOCIIO,IHH!"
    # the second repair lies inside text the first inserted: its source span is the first's
    assert src[two.repairs[1].start : two.repairs[1].end] == "Y Ba2KaeMbIH"
    assert undo_leaf(two).value == para.value
    assert undo_leaf(two).repairs == ()


def test_insertion_at_end_and_empty_before() -> None:
    doc = build([("p", ["abc def"])])
    para = leaves(doc)[0]
    out = apply_edits(para, [Edit(7, 7, "", ".", 1.0)], "p", doc.source.text)
    r = out.repairs[0]
    assert (r.start, r.end) == (r.start, r.start)
    assert doc.source.text[r.start - 3 : r.start] == "def"
    assert undo_leaf(out).value == "abc def"


def test_edit_that_does_not_match_the_value_is_refused() -> None:
    para = Paragraph(value="abc def")
    with pytest.raises(RepairError, match="expects 'xyz'"):
        apply_edits(para, [Edit(0, 3, "xyz", "q", 1.0)], "p")
    with pytest.raises(RepairError, match="overlap"):
        apply_edits(para, [Edit(0, 3, "abc", "q", 1.0), Edit(2, 5, "c d", "q", 1.0)], "p")


def test_no_op_edits_leave_the_leaf_itself() -> None:
    para = Paragraph(value="abc")
    assert apply_edits(para, [Edit(0, 1, "a", "a", 1.0)], "p") is para


def test_without_source_the_node_span_is_recorded() -> None:
    doc = build([("p", ["abc def"])])
    para = leaves(doc)[0]
    out = apply_edits(para, [Edit(4, 7, "def", "xyz", 1.0)], "p", None)
    assert para.position is not None
    assert (out.repairs[0].start, out.repairs[0].end) == (para.position.start.offset, para.position.end.offset)
    bare = Paragraph(value="abc")
    assert apply_edits(bare, [Edit(0, 1, "a", "b", 1.0)], "p").repairs[0].start == 0


def test_tampered_value_is_detected() -> None:
    para = apply_edits(Paragraph(value="abc def"), [Edit(0, 3, "abc", "xyz", 1.0)], "p")
    tampered = para.evolve(value="qqq def")
    with pytest.raises(RepairError, match="without a recorded repair"):
        undo_leaf(tampered)


def test_repair_without_value_offset_undone_when_unique() -> None:
    para = Paragraph(
        value="abc xyz",
        repairs=(Repair(plugin="hand", start=0, end=3, before="def", after="xyz", confidence=1.0),),
    )
    assert undo_leaf(para).value == "abc def"
    ambiguous = para.evolve(value="xyz xyz")
    with pytest.raises(RepairError, match="not unique"):
        undo_leaf(ambiguous)


def test_join_and_unrepair_across_a_running_header() -> None:
    doc = build(
        [
            ("p", ["We hope that you will join us", "in the"]),
            ("header", ["Mr. X", "July 21, 2004", "Page 2"]),
            ("p", ["search for talent."]),
        ]
    )
    letter = doc.children[0]
    p1, brk, hdr, p2 = letter.children  # type: ignore[attr-defined]
    src = doc.source.text
    p1 = apply_edits(p1, [Edit(0, 2, "We", "WE", 1.0)], "a", src)
    p2 = apply_edits(p2, [Edit(0, 6, "search", "SEARCH", 1.0)], "a", src)
    joined, after = join_leaves([p1, p2], [[brk, hdr]], "paragraphs")
    assert joined.value == "WE hope that you will join us in the SEARCH for talent."
    assert after == [brk, hdr]
    assert joined.position.start == p1.position.start and joined.position.end == p2.position.end
    assert join_record(joined) is not None
    # a repair on the joined value maps across the header to the right source text
    at = joined.value.index("talent")
    again = apply_edits(joined, [Edit(at, at + 6, "talent", "TALENT", 1.0)], "b", src)
    assert src[again.repairs[-1].start : again.repairs[-1].end] == "talent"
    at = again.value.index(" SEARCH")
    spanned = source_span(again, at, at + 1, src)
    assert "Page 2" in src[spanned[0] : spanned[1]]
    repaired = doc.evolve(children=(letter.evolve(children=(again, *after)),))
    assert skeleton(unrepair(repaired)) == skeleton(doc)
    assert unrepair(repaired) == doc


def test_nested_joins_flatten() -> None:
    doc = build(
        [
            ("p", ["one and"]),
            ("header", ["- 2 -"]),
            ("p", ["two and"]),
            ("break", []),
            ("p", ["three."]),
        ]
    )
    a, b1, h1, b, b2, c = doc.children[0].children  # type: ignore[attr-defined]
    ab, moved = join_leaves([a, b], [[b1, h1]], "paragraphs")
    abc, moved2 = join_leaves([ab, c], [[*moved, b2]], "paragraphs")
    rec = join_record(abc)
    assert rec is not None and len(rec["parts"]) == 3 and list(rec["moved"]) == [2, 1]
    repaired = doc.evolve(children=(doc.children[0].evolve(children=(abc, *moved2)),))
    assert unrepair(repaired) == doc


def test_context_edit_records_under_the_plugin_name() -> None:
    doc = build([("p", ["abc"])])
    ctx = RepairContext(plugin="mine", source=doc.source.text)
    out = ctx.edit(leaves(doc)[0], [Edit(0, 1, "a", "A", 0.5)])
    assert out.repairs[0].plugin == "mine"


def test_repairs_json_round_trip_keeps_value_offset() -> None:
    import docparse

    doc = build([("p", ["abc def"])])
    para = leaves(doc)[0]
    fixed = apply_edits(para, [Edit(4, 7, "def", "xyz", 1.0)], "p", doc.source.text)
    tree = replace_leaf(doc, para, fixed)
    assert docparse.loads(docparse.dumps(tree)) == tree
    assert docparse.to_dict(tree)["children"][0]["children"][0]["data"]["repairs"][0]["value_offset"] == 4


# -------------------------------------------------------------------- property

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzАБВгдеё0123456789.,;!?'\"-", min_size=1, max_size=8)
_LINE = st.lists(_WORD, min_size=1, max_size=6).flatmap(
    lambda ws: st.lists(st.sampled_from([" ", "  ", "\t"]), min_size=len(ws) - 1, max_size=len(ws) - 1).map(
        lambda seps: "".join(w + s for w, s in zip(ws, [*seps, ""]))
    )
)
_BLOCK = st.one_of(
    st.tuples(st.just("p"), st.lists(_LINE, min_size=1, max_size=4)),
    st.tuples(st.just("header"), st.lists(st.sampled_from(["- 2 -", "Page 3", "Mr. X", "July 21, 2004"]), min_size=1, max_size=3)),
    st.tuples(st.just("break"), st.just(())),
)


@st.composite
def built_docs(draw: st.DrawFn) -> Document:
    blocks = draw(st.lists(_BLOCK, min_size=1, max_size=6))
    if not any(kind == "p" for kind, _ in blocks):
        blocks.append(("p", draw(st.lists(_LINE, min_size=1, max_size=3))))
    indent = draw(st.sampled_from(["", "  ", "\t"]))
    blank = draw(st.sampled_from(["\n", "", "\n\n"]))
    return build(blocks, indent=indent, blank=blank)


@st.composite
def random_edits(draw: st.DrawFn, value: str) -> list[Edit]:
    cuts = sorted(draw(st.lists(st.integers(0, len(value)), max_size=6)))
    edits = []
    prev_end = -1
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a <= prev_end:
            continue
        after = draw(st.text(alphabet="xyzЖ ё/.", max_size=4))
        edits.append(Edit(a, b, value[a:b], after, draw(st.floats(0, 1))))
        prev_end = b
    return edits


@given(st.data())
def test_unrepair_of_random_repairs_gives_back_the_parse(data: st.DataObject) -> None:
    """For random letter-like texts and rounds of random edits by different plugins
    (with paragraphs joined across page breaks in between), unrepair(repaired) has
    exactly the nodes, positions and values of the unrepaired tree, and every repair
    of the first round on text without spaces points at that text in the source."""
    from docparse.plugins.paragraphs import plugin as paragraphs

    doc = data.draw(built_docs())
    src = doc.source.text
    tree = doc
    for round_no in range(data.draw(st.integers(1, 4))):
        if data.draw(st.booleans()):
            tree = paragraphs.run(tree, RepairContext(plugin="paragraphs", source=src))
        for leaf in leaves(tree):
            edits = data.draw(random_edits(leaf.value))
            new = apply_edits(leaf, edits, f"plugin-{round_no}", src)
            if round_no == 0 and not leaf.repairs and join_record(leaf) is None:
                for r in new.repairs:
                    # (a running header's " / " joins its lines: that "/" is not in the source)
                    separator = leaf.type == "page_header" and "/" in r.before
                    if r.before and not any(c.isspace() for c in r.before) and not separator:
                        assert src[r.start : r.end] == r.before
            tree = replace_leaf(tree, leaf, new)
    assert skeleton(unrepair(tree)) == skeleton(doc)
    assert unrepair(tree) == doc
