"""TEI export (``docparse.to_tei``, ``docparse render --format tei``): well-formed TEI P5
whose text, read through each ``<choice>``, is the tree's text: the ``<corr>`` reading
gives every leaf's value, the ``<sic>`` reading its unrepaired value."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_PATH
from hypothesis import given
from hypothesis import strategies as st
from strategies import arbitrary_texts

import docparse
from docparse.cli import cli
from docparse.edits import Edit
from docparse.nodes import Document, Leaf, Letter, Paragraph
from docparse.pipeline import run_repairs
from docparse.repair import apply_edits, undo_leaf
from docparse.tei import TEI_NS, _pieces, to_tei

T = f"{{{TEI_NS}}}"
#: the TEI elements that hold one leaf's text each
LEAF_ELEMENTS = {T + n for n in ("dateline", "addrLine", "seg", "salute", "p", "persName", "roleName", "note", "fw")}

LETTER = """\
Washington, March 3, 1962.

Mrs. Ann Holloway
12 Mill Road

Re: your letter of February 20

Dear Mrs. Holloway:

We write in reply to your letter of February 20 , 1962 , which reached us after
some delay . The committee has studied the question of corrption with care.
\f
- 2 -

We hope to send our answer in a few weeks.

Sincerely,
John Baxter
Chairman

P.S. The report is enclosed.

Enclosure: report
"""


#: elements that may stand inside another leaf's element (a page turn inside a paragraph)
NESTED = {T + "pb", T + "fw", T + "note"}


def reading(elem: ET.Element, corr: bool) -> str:
    """The text of ``elem`` with each ``<choice>`` read as its corr (or sic), ``<lb/>`` as
    " / "; a page break, header or note inside it is not part of its text."""
    out = [elem.text or ""]
    for child in elem:
        if child.tag in NESTED:
            pass
        elif child.tag == T + "choice":
            (sic,) = child.findall(T + "sic")
            (fix,) = child.findall(T + "corr")
            out.append((fix if corr else sic).text or "")
        elif child.tag == T + "lb":
            out.append(" / ")
        else:
            out.append(reading(child, corr))
        out.append(child.tail or "")
    return "".join(out)


def leaf_readings(xml: str, corr: bool = True) -> list[str]:
    root = ET.fromstring(xml.encode("utf-8"))
    body = root.find(f"{T}text/{T}body")
    assert body is not None
    found: list[str] = []

    def walk(elem: ET.Element) -> None:
        for child in elem:
            if child.tag in LEAF_ELEMENTS:
                found.append(reading(child, corr))
                # a page break and running header inside a paragraph follow it in the tree
                walk(ET.Element("x", {}) if child.tag in NESTED else _nested(child))
            elif child.tag != T + "choice":
                walk(child)

    walk(body)
    return found


def _nested(elem: ET.Element) -> ET.Element:
    holder = ET.Element("x")
    holder.extend(child for child in elem if child.tag in NESTED)
    return holder


def leaf_values(doc: Document, *, as_read: bool = False) -> list[str]:
    """Each leaf's value, or its value with its repairs undone (a paragraph joined across
    a page break stays one: TEI writes it as one ``<p>``)."""
    return [
        (undo_leaf(n) if as_read else n).value for n in doc.walk() if isinstance(n, Leaf) and n.value
    ]


def test_a_letter_in_tei() -> None:
    doc = run_repairs(docparse.parse(LETTER, name="holloway.txt")).doc
    xml = to_tei(doc)
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == T + "TEI"
    div = root.find(f"{T}text/{T}body/{T}div")
    assert div is not None and div.get("type") == "letter"
    assert div.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [c.tag[len(T):] for c in div] == ["opener", "p", "pb", "fw", "p", "closer", "postscript", "note"]
    opener = div.find(T + "opener")
    assert [c.tag[len(T):] for c in opener] == ["dateline", "address", "seg", "salute"]
    date = opener.find(f"{T}dateline/{T}date")
    assert date.get("when") == "1962-03-03" and date.text == "March 3, 1962"
    assert opener.find(T + "dateline").text == "Washington, "
    assert div.find(T + "pb").get("n") == "2" and div.find(T + "fw").get("n") == "2"
    signed = div.find(f"{T}closer/{T}signed")
    assert signed.find(T + "persName").text == "John Baxter" and signed.find(T + "roleName").text == "Chairman"
    assert div.find(T + "note").get("type") == "enclosure"
    # the repairs, each a choice naming its plugin, defined in the header
    choices = div.iter(T + "choice")
    fixes = {(c.find(T + "sic").text, c.find(T + "corr").text) for c in choices}
    assert ("corrption", "corruption") in fixes and (" ", None) in fixes
    ids = {r.get("{http://www.w3.org/XML/1998/namespace}id") for r in root.iter(T + "respStmt")}
    for corr in div.iter(T + "corr"):
        assert {ref.lstrip("#") for ref in corr.get("resp").split()} <= ids
        assert 0 <= float(corr.get("cert")) <= 1
    # the header: where the text came from, who wrote to whom and when
    assert root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title").text == "holloway.txt"
    assert doc.source.sha256 in root.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc/{T}p").text
    sent = root.find(f"{T}teiHeader/{T}profileDesc/{T}correspDesc/{T}correspAction[@type='sent']")
    assert sent.find(T + "persName").text == "John Baxter" and sent.find(T + "date").get("when") == "1962-03-03"
    received = root.find(f"{T}teiHeader/{T}profileDesc/{T}correspDesc/{T}correspAction[@type='received']")
    assert [a.text for a in received.iter(T + "addrLine")] == ["Mrs. Ann Holloway", "12 Mill Road"]
    # read through the choices, the TEI holds the tree's text, repaired or as read
    assert leaf_readings(xml) == leaf_values(doc)
    assert leaf_readings(xml, corr=False) == leaf_values(doc, as_read=True)


def test_a_paragraph_joined_across_a_page_break_holds_the_page_turn() -> None:
    text = LETTER.replace("reached us after\nsome delay .", "reached us after\n\f\n- 2 -\n\nsome delay .").replace(
        "\f\n- 2 -\n\nWe hope", "\f\n- 3 -\n\nWe hope")
    doc = run_repairs(docparse.parse(text, name="joined.txt")).doc
    xml = to_tei(doc)
    div = ET.fromstring(xml.encode("utf-8")).find(f"{T}text/{T}body/{T}div")
    first = div.find(T + "p")
    assert [c.tag[len(T):] for c in first if c.tag != T + "choice"] == ["pb", "fw"]
    pb = first.find(T + "pb")
    assert pb.get("n") == "2" and (pb.tail or "") == ""
    assert reading(first, True).startswith("We write in reply") and "reached us after some delay." in reading(first, True)
    # the page turns where the second page starts: after "after ", before "some delay"
    before = reading(first, True).split("some delay")[0]
    assert before.endswith("after ")
    assert first.find(T + "fw").tail.startswith("some delay")
    assert [c.tag[len(T):] for c in div][:4] == ["opener", "p", "pb", "fw"]  # the next page's break: between paragraphs
    assert leaf_readings(xml) == leaf_values(doc)
    assert leaf_readings(xml, corr=False) == leaf_values(doc, as_read=True)


def test_a_paragraph_over_three_pages_turns_twice() -> None:
    text = (
        "Dear Tom,\n\n"
        "The weather held all week and the road to the mill was dry enough for the\n"
        "carts, so that we brought in the whole of the\n"
        "\f\n                              Page 2\n\n"
        "barley before the rain, and the men were paid on Saturday as we had\n"
        "promised them, which pleased everyone in the\n"
        "\f\n                              Page 3\n\n"
        "village more than I can say.\n\n"
        "Yours ever,\nAnne\n"
    )
    doc = docparse.parse(text, name="three.txt")
    xml = to_tei(doc)
    div = ET.fromstring(xml.encode("utf-8")).find(f"{T}text/{T}body/{T}div")
    (p,) = div.findall(T + "p")
    assert [(c.tag[len(T):], c.get("n")) for c in p] == [("pb", "2"), ("fw", "2"), ("pb", "3"), ("fw", "3")]
    assert p.text.endswith("the whole of the ")
    assert p.findall(T + "fw")[0].tail.startswith("barley") and p.findall(T + "fw")[1].tail == "village more than I can say."
    assert leaf_readings(xml) == leaf_values(doc)


@pytest.mark.skipif(not SEED_PATH.is_file(), reason=f"the seed document is absent ({SEED_PATH})")
def test_seed_in_tei() -> None:
    doc = run_repairs(docparse.parse_file(SEED_PATH)).doc
    xml = to_tei(doc)
    assert leaf_readings(xml) == leaf_values(doc)
    assert leaf_readings(xml, corr=False) == leaf_values(doc, as_read=True)
    root = ET.fromstring(xml.encode("utf-8"))
    _, ru = root.iter(T + "div")
    assert ru.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert [fw.get("n") for fw in ru.iter(T + "fw")] == ["3", "4"]
    # the Russian letter is dated by its running headers
    (_, ru_desc) = root.iter(T + "correspDesc")
    assert ru_desc.find(f"{T}correspAction[@type='sent']/{T}date").get("when") == "2004-07-21"
    assert any(c.find(T + "corr").text == "Лукашенко" for c in ru.iter(T + "choice"))


_TEXT = st.text(st.sampled_from("ab cdé\u0301-."), min_size=1, max_size=20)


@st.composite
def repaired_leaves(draw: st.DrawFn) -> Paragraph:
    """A paragraph with 0-4 rounds of real repairs (each round non-overlapping edits of the
    value as it then is), recorded as the plugins record them: repairs of repairs, runs
    that touch, insertions and deletions included."""
    leaf = Paragraph(value=draw(_TEXT))
    for round_ in range(draw(st.integers(0, 4))):
        value = leaf.value
        cuts = sorted(draw(st.sets(st.integers(0, len(value)), max_size=6)))
        edits = []
        for a, b in zip(cuts[::2], cuts[1::2]):
            if draw(st.booleans()):
                b = a  # an insertion
            edits.append(Edit(start=a, end=b, before=value[a:b], after=draw(st.text("xyz ", max_size=3)),
                              confidence=draw(st.floats(0.1, 1.0))))
        leaf = apply_edits(leaf, edits, f"plugin-{round_}")
    return leaf


@given(repaired_leaves())
def test_pieces_give_back_the_value_and_the_text_as_read(leaf: Paragraph) -> None:
    pieces = _pieces(leaf)
    assert "".join(p.after for p in pieces) == leaf.value
    assert "".join(p.after if p.before is None else p.before for p in pieces) == undo_leaf(leaf).value
    for p in pieces:
        if p.before is not None:
            assert p.before != p.after or p.plugins  # a piece marked repaired was repaired
            assert p.plugins and all(name.startswith("plugin-") for name in p.plugins)


@given(repaired_leaves())
def test_tei_of_repaired_text_reads_both_ways(leaf: Paragraph) -> None:
    doc = Document(children=(Letter(children=(leaf,)),))
    xml = to_tei(doc)
    assert leaf_readings(xml) == [leaf.value]
    assert leaf_readings(xml, corr=False) == [undo_leaf(leaf).value]


def test_render_command(tmp_path: Path) -> None:
    path = tmp_path / "holloway.txt"
    path.write_text(LETTER, encoding="utf-8")
    text = CliRunner().invoke(cli, ["render", str(path)])
    assert text.exit_code == 0 and "question of corruption" in " ".join(text.stdout.split())
    assert text.stdout == docparse.render(run_repairs(docparse.parse(LETTER)).doc)
    out = tmp_path / "holloway.xml"
    tei = CliRunner().invoke(cli, ["render", "--format", "tei", str(path), "-o", str(out)])
    assert tei.exit_code == 0 and tei.stdout == ""
    assert ET.parse(out).getroot().tag == T + "TEI"
    saved = tmp_path / "holloway.json"
    saved.write_text(CliRunner().invoke(cli, ["parse", "--no-repairs", str(path)]).stdout, encoding="utf-8")
    raw = CliRunner().invoke(cli, ["render", "--format", "tei", str(saved)])
    assert raw.exit_code == 0 and "<choice>" not in raw.stdout  # the JSON as written: no repairs
    piped = CliRunner().invoke(cli, ["render", "--format", "tei", "-"], input=saved.read_text(encoding="utf-8"))
    assert piped.stdout == raw.stdout
    for args, code in ((["render", "--width", "40", "--format", "tei", str(path)], 2),
                       (["render", str(tmp_path / "missing.txt")], 1)):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == code and "Traceback" not in result.output


@given(arbitrary_texts())
def test_tei_of_any_text_is_well_formed(text: str) -> None:
    doc = docparse.parse(text, name="any.txt")  # (repaired text: the tests above and below)
    root = ET.fromstring(to_tei(doc).encode("utf-8"))
    body = root.find(f"{T}text/{T}body")
    assert body is not None and len(body)  # a TEI body is never empty
    for div in body.iter(T + "div"):
        kinds = [c.tag for c in div]
        # the closing parts of a letter come after some body text, as TEI wants
        bottom = [i for i, k in enumerate(kinds) if k in (T + "closer", T + "postscript")]
        if bottom:
            assert T + "p" in kinds[: bottom[0]]


@pytest.mark.parametrize("seed", range(3))
def test_tei_of_repaired_ocr_letters(seed: int) -> None:
    """Letters damaged as the seed was (Russian read as Latin look-alikes, English OCR
    errors), repaired: every leaf reads back both ways."""
    from test_windowed import _bench_letters

    letters = _bench_letters()
    xmls = []
    for text in (letters.ocr_russian(seed), letters.english_letter(seed)):
        doc = run_repairs(docparse.parse(text, name="ocr.txt")).doc
        xml = to_tei(doc)
        assert leaf_readings(xml) == leaf_values(doc)
        assert leaf_readings(xml, corr=False) == leaf_values(doc, as_read=True)
        xmls.append(xml)
    assert xmls[0].count("<choice>") > 20  # the decoded Russian: many repairs to read both ways
