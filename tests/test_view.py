"""``docparse view``: the HTML page, read as HTML (the browser tests are in
test_view_browser.py).

The page of the seed labels every part and every source line of a part, shows each repair
with its text as read and as repaired, lists the diagnostics, loads nothing from the
network; a letter's ``<script>`` is text; page geometry (the readers' contract:
``source.pages`` and ``source.lines``, or ``data.page`` / ``data.box`` on leaves) is drawn.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED_SEED_PATH
from hypothesis import given, settings
from strategies import documents, texts

import docparse
from docparse.nodes import Leaf, Parent
from docparse.view import LABELS, to_html

html = pytest.importorskip("lxml.html", reason="lxml is in the test extra")

HOSTILE = """\
July 21, 2004

Dear <b>Ann</b>,

<script>window.__docparse_pwned = 1;</script> and <img src=x onerror="window.__docparse_pwned=2">

Yours truly,
Ben & "Co" </pre></div><!--
"""

GEOMETRY_LETTER = """\
July 21, 2004

Mrs. Ann Holloway
22 High Street

Dear Mrs. Holloway,

All is well here.

Yours truly,
Ben Baxter
"""


def _tree(page: str) -> Any:
    return html.document_fromstring(page)


@pytest.fixture(scope="module")
def seed() -> docparse.Document:
    return docparse.run_repairs(docparse.parse_file(BUNDLED_SEED_PATH)).doc


@pytest.fixture(scope="module")
def seed_page(seed: docparse.Document) -> Any:
    return _tree(to_html(seed))


def test_every_part_is_labelled(seed: docparse.Document, seed_page: Any) -> None:
    leaves = [n for n in seed.walk() if not isinstance(n, (Parent,)) and n.type != "document"]
    parts = seed_page.cssselect(".part")
    assert len(parts) == len(leaves)
    assert [p.get("data-type") for p in parts] == [n.type for n in leaves]
    for part in parts:
        (tag,) = part.cssselect(":scope > .tag")
        assert tag.text_content().strip(), part.get("id")
    labels = {p.cssselect(":scope > .tag")[0].text_content() for p in parts}
    assert {"date", "recipient address", "salutation", "paragraph", "signatory title",
            "signatory name", "closing", "running header", "page break"} <= labels
    groups = seed_page.cssselect(".group")
    assert {g.get("data-type") for g in groups} == {"address", "signature", "signatory"}
    assert all(g.cssselect(":scope > .tag")[0].text_content() for g in groups)


def test_every_source_line_is_shown_and_labelled(seed: docparse.Document, seed_page: Any) -> None:
    lines = seed.source.text.split("\n")
    shown = seed_page.cssselect(".ln")
    assert [int(ln.get("id")[1:]) for ln in shown] == list(range(1, len(lines) + (lines[-1] != "")))
    for block in seed_page.cssselect(".src-block[data-part]"):
        assert block.cssselect(".tag")[0].text_content() in set(LABELS.values()) | {"recipient address"}
        assert seed_page.get_element_by_id(block.get("data-part")) is not None
    # a line of text outside every part is the exception: blank lines only
    for block in seed_page.cssselect(".src-block.t-none"):
        assert not block.text_content().replace("\n", "").strip(" 0123456789\x0c\u240c")


def test_repairs_show_before_and_after(seed: docparse.Document, seed_page: Any) -> None:
    marks = seed_page.cssselect("mark.repair")
    recorded = sum(len(n.repairs) for n in seed.walk() if isinstance(n, Leaf))
    assert 0 < len(marks) <= recorded
    assert len(marks) > 1000  # the seed's 1,082 repairs, a few merged where they touch
    first = {m.cssselect(".before")[0].text_content(): m.cssselect(".after")[0].text_content()
             for m in marks}
    assert first["Raning"] == "Ranking"
    assert first["JIYKameHKo"] == "Лукашенко"
    for mark in marks:
        assert mark.get("tabindex") == "0"  # reachable by the keyboard
        assert mark.cssselect(".tip .before") and mark.cssselect(".tip .after")


def test_diagnostics_and_letters_are_listed(seed_page: Any) -> None:
    rules = [code.text_content() for code in seed_page.cssselect(".diagnostics code")]
    assert {"DP101", "DP103", "DP104", "DP401"} <= set(rules)
    links = [a.get("href") for a in seed_page.cssselect("nav ul.letters a")]
    assert links == ["#letter-1", "#letter-2"]
    assert [a.get("lang") for a in seed_page.cssselect("article.letter")] == ["en", "ru"]
    help_text = seed_page.get_element_by_id("help").text_content()
    for key in ("j", "k", "n", "p", "[", "]"):
        assert key in help_text


def test_nothing_is_loaded_from_elsewhere(seed: docparse.Document) -> None:
    page = to_html(seed)
    tree = _tree(page)
    assert not tree.cssselect("script[src], link[rel=stylesheet], img[src], iframe")
    assert tree.cssselect("link[rel=icon]")[0].get("href") == "data:,"
    (csp,) = tree.cssselect('meta[http-equiv="Content-Security-Policy"]')
    assert "default-src 'none'" in csp.get("content")
    assert "unsafe-inline" not in csp.get("content")
    assert "http://" not in page.replace("http://www.w3.org/", "") and "https://" not in page


def test_script_in_a_letter_is_text() -> None:
    doc = docparse.parse(HOSTILE, name="<script>alert(1)</script>.txt")
    page = to_html(doc)
    tree = _tree(page)
    assert len(tree.cssselect("script")) == 1  # the page's own
    assert not tree.cssselect("img") and not tree.cssselect("b")
    assert "window.__docparse_pwned = 1" in tree.text_content()
    assert "<script>window.__docparse_pwned" not in page
    assert "&lt;script&gt;window.__docparse_pwned = 1;&lt;/script&gt;" in page
    assert tree.cssselect("title")[0].text_content().startswith("<script>alert(1)</script>.txt")
    assert 'Ben &amp; &#34;Co&#34; &lt;/pre&gt;&lt;/div&gt;&lt;!--' in page


def _geometry_dict() -> dict[str, Any]:
    """The readers' geometry contract on a letter: ``source.pages`` and ``source.lines``
    (line boxes keyed by 1-based source line)."""
    doc = docparse.parse(GEOMETRY_LETTER, name="scan.alto.xml")
    data = docparse.to_dict(doc)
    lines = GEOMETRY_LETTER.split("\n")
    data["source"]["format"] = "alto"
    data["source"]["pages"] = [{"number": 1, "width": 2480, "height": 3508}]
    data["source"]["lines"] = [
        {"line": i, "page": 1, "box": [300 + (1200 if i == 1 else 0), 200 + 60 * i, 1800, 245 + 60 * i],
         "confidence": 0.9, "words": []}
        for i, text in enumerate(lines, 1) if text
    ]
    return data


def test_page_layout_from_line_boxes() -> None:
    data = _geometry_dict()
    doc = docparse.from_dict(data)
    tree = _tree(to_html(doc, source=data["source"]))
    (svg,) = tree.cssselect("section.pages svg")
    assert svg.get("viewbox") == "0 0 2480 3508"  # (lxml.html lower-cases attribute names)
    boxes = svg.cssselect("g.box")
    assert len(boxes) == len(data["source"]["lines"])
    by_label = {b.cssselect("text")[0].text_content() for b in boxes}
    assert {"date", "recipient address", "salutation", "paragraph", "closing", "signatory name"} <= by_label
    date_box = next(b for b in boxes if b.cssselect("text")[0].text_content() == "date")
    assert date_box.cssselect("rect")[0].get("x") == "1500"  # the date set at the right
    assert date_box.cssselect("title")[0].text_content() == "date: July 21, 2004"
    part = tree.get_element_by_id(date_box.get("data-part"))
    assert part.get("data-type") == "date"


def test_page_layout_from_leaf_boxes() -> None:
    data = docparse.to_dict(docparse.parse(GEOMETRY_LETTER))
    for i, node in enumerate(data["children"][0]["children"]):
        node.setdefault("data", {}).update({"page": 2, "box": [100, 100 + 50 * i, 900, 140 + 50 * i]})
    tree = _tree(to_html(docparse.from_dict(data)))
    boxes = tree.cssselect("section.pages g.box")
    leaves = [n for n in data["children"][0]["children"] if "value" in n]
    assert len(boxes) == len(leaves)
    assert tree.cssselect("section.pages figcaption")[0].text_content().startswith("Page 2")


def test_no_geometry_no_page_layout_and_bad_geometry_is_ignored() -> None:
    doc = docparse.parse(GEOMETRY_LETTER)
    assert not _tree(to_html(doc)).cssselect("section.pages")
    source = dict(docparse.to_dict(doc)["source"])
    source["pages"] = [{"number": "one"}, None, {"number": 1, "width": -5, "height": 3}]
    source["lines"] = [{"line": 1, "page": 1, "box": [5, 5, 1, 1]}, {"line": "x"}, 7,
                       {"line": 3, "page": 1, "box": [0, 0, "a", 1]}]
    assert not _tree(to_html(doc, source=source)).cssselect("section.pages")


# ------------------------------------------------------------------------------------ CLI


def _docparse(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "docparse._launch", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=300)


def test_view_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "seed.html"
    run = _docparse("view", str(BUNDLED_SEED_PATH), "-o", str(out))
    assert run.returncode == 0, run.stderr
    tree = _tree(out.read_text(encoding="utf-8"))
    assert len(tree.cssselect("article.letter")) == 2
    assert tree.cssselect("mark.repair")


def test_view_command_keeps_geometry_of_a_json_input(tmp_path: Path) -> None:
    parsed = tmp_path / "scan.json"
    parsed.write_text(json.dumps(_geometry_dict()), encoding="utf-8")
    run = _docparse("view", str(parsed))
    assert run.returncode == 0, run.stderr
    assert _tree(run.stdout).cssselect("section.pages g.box")


@pytest.mark.parametrize("content", [None, b"", b"\x00\x01binary", b'{"type": "document"'])
def test_view_command_bad_input_is_one_line(tmp_path: Path, content: bytes | None) -> None:
    bad = tmp_path / ("bad.json" if content and content.startswith(b"{") else "bad.txt")
    if content is not None:
        bad.write_bytes(content)
    out = tmp_path / "out.html"
    run = _docparse("view", str(bad), "-o", str(out))
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("docparse: ") and run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
    assert not out.exists()


# ----------------------------------------------------------------------------- properties


@given(text=texts())
@settings(max_examples=min(settings().max_examples, 150))
def test_every_source_line_is_on_the_page(text: str) -> None:
    """Whatever the text, the page shows every line of it (control characters as their
    pictures), runs no script but its own, and labels every part it has."""
    doc = docparse.parse(text)
    tree = _tree(to_html(doc, diagnostics=[]))
    shown = [ln.text_content() for ln in tree.cssselect(".ln")]
    expected = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(expected) > 1 and expected[-1] == "":
        expected.pop()
    if text == "":
        expected = []
    pictures = {c: 0x2400 + c for c in range(0x20) if c != 0x09} | {0x7F: 0x2421}
    assert [s.split("\n")[0] for s in shown] == [f"{i}{line.translate(pictures)}" for i, line in enumerate(expected, 1)]
    assert len(tree.cssselect("script")) == 1
    assert all(p.cssselect(":scope > .tag")[0].text_content() for p in tree.cssselect(".part"))


@given(doc=documents(extras=True))
@settings(max_examples=min(settings().max_examples, 100))
def test_any_tree_makes_a_page_rows_and_cmif(doc: docparse.Document) -> None:
    """Trees with random data, repairs and positions (or none): the page, the rows and the
    CMIF are written and read back."""
    from docparse.cmif import to_cmif
    from docparse.fields import COLUMNS, rows

    tree = _tree(to_html(doc, diagnostics=[]))
    assert len(tree.cssselect("article.letter")) == len(doc.letters)
    assert len(tree.cssselect("script")) == 1
    for row in rows(doc):
        assert tuple(row) == COLUMNS
    etree = pytest.importorskip("lxml.etree")
    root = etree.fromstring(to_cmif(doc, when="2026-12-08").encode("utf-8"))
    assert len(root.findall(".//{http://www.tei-c.org/ns/1.0}correspDesc")) == len(doc.letters)
