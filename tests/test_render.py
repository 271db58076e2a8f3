"""The renderer: a conventional semi-block letter from a tree (first lines of paragraphs
indented five spaces)."""

from __future__ import annotations

import pytest
from hypothesis import given
from strategies import documents, paragraph_values

from docparse.nodes import (
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
    Postscript,
    Reference,
    Salutation,
    Signatory,
    Signature,
    Text,
    Title,
)
from docparse.rendering import WIDTH, render

P = " " * 5  # a paragraph's first-line indent

LONG = " ".join(f"word{i}" for i in range(60))


def _letter() -> Letter:
    return Letter(children=[
        Date(value="July 21, 2004"),
        Address(role="recipient", children=[AddressLine(value="Mr. A. Smith"), AddressLine(value="1 Mill Road")]),
        Reference(value="Re: the report"),
        Salutation(value="Dear Mr. Smith:"),
        Paragraph(value=LONG),
        Paragraph(value="Short one."),
        Closing(value="Yours truly,"),
        Signature(children=[
            Signatory(children=[Name(value="Ann Roe"), Title(value="Chair"), Title(value="Committee")]),
            Signatory(children=[Name(value="Ben Doe")]),
        ]),
        Postscript(value="P.S. One more thing."),
        Enclosure(value="Enclosure: report"),
        Copy(value="cc: Ms. Brown"),
    ])


def _blocks(text: str) -> list[list[str]]:
    """The text's runs of non-blank lines."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def test_layout_of_a_business_letter() -> None:
    """Date at the top, then address, reference, salutation, paragraphs, closing with
    the signatories right under it, postscript, enclosure and copy lines, each part
    a block of its own."""
    text = render(Document(children=[_letter()]))
    blocks = _blocks(text)
    assert blocks[0] == ["July 21, 2004"]
    assert blocks[1] == ["Mr. A. Smith", "1 Mill Road"]
    assert blocks[2] == ["Re: the report"]
    assert blocks[3] == ["Dear Mr. Smith:"]
    assert blocks[4][0].startswith(P) and " ".join(blocks[4]).strip() == LONG and len(blocks[4]) > 1
    assert blocks[5] == [P + "Short one."]
    assert blocks[6] == ["Yours truly,", "Ann Roe", "Chair", "Committee"]
    assert blocks[7] == ["Ben Doe"]
    assert blocks[8] == ["P.S. One more thing."]
    assert blocks[9] == ["Enclosure: report", "cc: Ms. Brown"]
    assert len(blocks) == 10
    assert text.endswith("cc: Ms. Brown\n") and "\n\n\n" not in text


@given(paragraph_values("en", 8) | paragraph_values("ru", 8))
def test_paragraphs_wrap_at_72_columns(value: str) -> None:
    """A paragraph's lines are at most 72 columns (unless one word is longer) and
    joining them with single spaces gives back its value."""
    text = render(Letter(children=[Paragraph(value=value)]))
    lines = text.rstrip("\n").split("\n")
    assert lines[0].startswith(P) and not lines[0].startswith(P + " ")
    assert " ".join(line.strip() for line in lines) == value
    for line in lines:
        assert len(line) <= WIDTH or " " not in line


def test_width_option() -> None:
    text = render(Letter(children=[Paragraph(value=LONG)]), width=30)
    assert max(len(line) for line in text.splitlines()) <= 30
    with pytest.raises(ValueError, match="width must be at least 1"):
        render(Letter(children=[]), width=0)


def test_a_word_longer_than_the_width_is_not_split() -> None:
    word = "x" * 100
    assert render(Letter(children=[Paragraph(value=f"a {word} b")])) == f"{P}a\n{word}\nb\n"


def test_page_header_after_page_break() -> None:
    """A page break is a form-feed line; a running header follows it, one line per
    `` / `` part, with no second form feed."""
    letter = Letter(children=[
        Paragraph(value="One."), PageBreak(), PageHeader(value="Mr. X / July 21, 2004 / Page 3", page=3),
        Paragraph(value="Two."),
    ])
    assert render(letter) == f"{P}One.\n\n\f\nMr. X\nJuly 21, 2004\nPage 3\n\n{P}Two.\n"


def test_page_header_without_page_break_gets_a_form_feed() -> None:
    letter = Letter(children=[Paragraph(value="One."), PageHeader(value="- 2 -", page=2), Paragraph(value="Two.")])
    assert render(letter) == f"{P}One.\n\n\f\n- 2 -\n\n{P}Two.\n"


def test_bare_page_break() -> None:
    letter = Letter(children=[Paragraph(value="One."), PageBreak(), Paragraph(value="Two.")])
    assert render(letter) == f"{P}One.\n\n\f{P}Two.\n"  # the form feed opens the new page's first line


def test_letters_are_separated_by_blank_lines_and_a_form_feed() -> None:
    doc = Document(children=[
        Letter(children=[Salutation(value="Dear Ann,"), Paragraph(value="Hi.")]),
        Letter(children=[Salutation(value="Dear Ben,"), Paragraph(value="Ho.")]),
    ])
    assert render(doc) == f"Dear Ann,\n\n{P}Hi.\n\n\n\f\nDear Ben,\n\n{P}Ho.\n"


def test_no_second_form_feed_at_a_letter_edge() -> None:
    """Where a letter already ends (or the next begins) with a page break, that
    form feed separates the letters; no second one is added."""
    ends = Document(children=[
        Letter(children=[Paragraph(value="Hi."), PageBreak()]),
        Letter(children=[Paragraph(value="Ho.")]),
    ])
    begins = Document(children=[
        Letter(children=[Paragraph(value="Hi.")]),
        Letter(children=[PageHeader(value="- 2 -", page=2), Paragraph(value="Ho.")]),
    ])
    assert render(ends) == f"{P}Hi.\n\n\f\n\n\n{P}Ho.\n"
    assert render(begins) == f"{P}Hi.\n\n\n\f\n- 2 -\n\n{P}Ho.\n"


def test_one_line_values_stay_on_one_line() -> None:
    """A line break inside a one-line part (a date, a name) becomes a space, so the
    part is not split into two."""
    letter = Letter(children=[Date(value="Boston,\nMay 1, 1890"), Text(value="a\r\nb")])
    assert render(letter) == "Boston, May 1, 1890\n\na b\n"


def test_empty_trees_render_to_nothing() -> None:
    assert render(Document()) == ""
    assert render(Document(children=[Letter(), Letter()])) == ""


def test_render_takes_a_letter() -> None:
    assert render(_letter()) == render(Document(children=[_letter()]))


def test_render_refuses_other_things() -> None:
    with pytest.raises(TypeError, match="render\\(\\) takes a Document or a Letter, not str"):
        render("Dear Ann,")  # type: ignore[arg-type]


@given(documents())
def test_every_value_is_rendered(doc: Document) -> None:
    """Every leaf value of a generated document appears in the rendering (wrapped
    values with their line breaks turned into spaces) and nothing else does."""
    text = render(doc)
    flat = " ".join(text.split())
    expected_words: list[str] = []
    for node in doc.walk():
        value = getattr(node, "value", None)
        if value is not None:
            expected_words.extend(value.replace(" / ", " ").split())
    assert flat.split() == [w for w in expected_words]
