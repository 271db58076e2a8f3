"""Tests of the measuring instrument (``docparse.evaluate``).

The instrument is checked on hand-built trees and invented letters (so that a
known error gives a known score), with a property over random trees (a gold made
from the tree itself scores perfectly), and on the real corpus with a "perfect
parser" built from the gold files (every score must be exactly 1.0, which checks
the line arithmetic of running headers and bundles on real files).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from strategies import documents

from docparse import nodes as N
from docparse.errors import InputError
from docparse.evaluate import (
    LIST_FIELDS,
    SINGLE_FIELDS,
    GoldError,
    Report,
    evaluate_dir,
    evaluate_document,
    find_gold_files,
    format_text,
    header_lines,
    letter_fields,
    load_gold,
    normalize,
)
from docparse.source import LineIndex, decode, source_info

# --------------------------------------------------------------------------- helpers


def _doc(text: str, letters: list[N.Letter], extra: list[N.Node] = ()) -> N.Document:  # type: ignore[assignment]
    return N.Document(children=[*letters, *extra], source=source_info(text, "t.txt", "utf-8"))


def _gold_of(letter: N.Letter) -> dict[str, Any]:
    """A gold mapping that says exactly what ``letter_fields`` reads from ``letter``."""
    return dict(letter_fields(letter))


def _write_pair(folder: Path, name: str, text: str | bytes, gold: Any) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / f"{name}.txt").write_bytes(data)
    (folder / f"{name}.gold.json").write_bytes(orjson.dumps(gold))


def _lines_span(text: str, first: int, last: int) -> N.Position:
    """The position covering LF-counted lines ``first``..``last`` (1-based, inclusive)."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    end = starts[last] if last < len(starts) else len(text)
    return LineIndex(text).position(starts[first - 1], end)


def _report(doc: N.Document | None, gold: dict[str, Any], tmp_path: Path) -> Report:
    _write_pair(tmp_path, "x", doc.source.text if doc and doc.source.text else "x\n", gold)
    report = Report()
    evaluate_document(doc, load_gold(tmp_path / "x.txt", tmp_path / "x.gold.json"), report)
    return report


FULL_LETTER = N.Letter(
    language="en",
    children=[
        N.Date(value="Paris, 3 May 1901", iso="1901-05-03"),
        N.Address(
            children=[N.AddressLine(value="Mr A. Reader"), N.AddressLine(value="12 Elm Row")]
        ),
        N.Salutation(value="Dear Mr Reader,"),
        N.Paragraph(value="The parcel came."),
        N.Paragraph(value="Thank you for it."),
        N.Closing(value="Yours truly,"),
        N.Signature(
            children=[
                N.Signatory(children=[N.Name(value="Ada Writer"), N.Title(value="Secretary")]),
                N.Signatory(children=[N.Name(value="Bo Clerk")]),
            ]
        ),
        N.Address(children=[N.AddressLine(value="4 Quay Street")]),
        N.Postscript(value="P.S. One more thing."),
        N.Postscript(value="And another."),
    ],
)


# --------------------------------------------------------------------------- mapping nodes to fields


def test_letter_fields_reads_every_gold_field() -> None:
    """Each gold field comes from its node type; lines of a field join with one space."""
    fields = letter_fields(FULL_LETTER)
    assert fields == {
        "date": "Paris, 3 May 1901",
        "date_iso": "1901-05-03",
        "language": "en",
        "salutation": "Dear Mr Reader,",
        "closing": "Yours truly,",
        "signatories": ["Ada Writer Secretary", "Bo Clerk"],
        "postscript": "P.S. One more thing. And another.",
        "address": ["Mr A. Reader", "12 Elm Row"],
        "closer_address": ["4 Quay Street"],
        "paragraphs": ["The parcel came.", "Thank you for it."],
    }


def test_letter_fields_of_an_empty_letter_are_none_and_empty() -> None:
    fields = letter_fields(N.Letter())
    assert [k for k, v in fields.items() if v not in (None, [])] == []


def test_address_after_the_salutation_is_a_closer_address() -> None:
    """Only an address before the body is the opener ``address``."""
    letter = N.Letter(
        children=[
            N.Salutation(value="Dear Ann,"),
            N.Address(children=[N.AddressLine(value="1 Main St")]),
            N.Paragraph(value="Hello."),
        ]
    )
    fields = letter_fields(letter)
    assert fields["address"] == [] and fields["closer_address"] == ["1 Main St"]


def test_normalize() -> None:
    assert normalize("  Dear\u00a0 SIR,\n") == "dear sir,"
    assert normalize("E\u0301") == normalize("\u00c9")  # NFC
    assert normalize("") is None and normalize(" \n") is None and normalize(None) is None


# --------------------------------------------------------------------------- scores


@given(documents())
def test_a_gold_made_from_the_tree_scores_perfectly(doc: N.Document) -> None:
    """For any tree, a gold that states what the tree holds scores 1.0 everywhere, with no cases."""
    golds = [_gold_of(letter) for letter in doc.letters]
    report = Report()
    gold_file = _gold_file(golds)
    evaluate_document(doc, gold_file, report)
    assert report.cases == []
    assert report.paired == len(golds) and report.missing == report.extra == 0
    for scores in report.single.values():
        for s in scores.values():
            assert s.strict == s.normalized == s.n
    for lscores in report.lists.values():
        for ls in lscores.values():
            assert ls.strict == ls.normalized == ls.gold == ls.got


def _gold_file(golds: list[dict[str, Any]]) -> Any:
    from docparse.evaluate import GoldFile

    return GoldFile(
        name="t",
        text_path=Path("t.txt"),
        gold_path=Path("t.gold.json"),
        language=golds[0].get("language") if golds else None,
        letters=tuple(golds),
        spans=None,
        running_headers=None,
    )


def test_single_field_rates_strict_and_normalized(tmp_path: Path) -> None:
    """A case/space-only difference fails strict but passes normalized; a real one fails both."""
    text = "x\n"
    letters = [
        N.Letter(language="en", children=[N.Salutation(value="Dear  ann,")]),
        N.Letter(language="en", children=[N.Salutation(value="Dear Bob,")]),
        N.Letter(language="en", children=[N.Salutation(value="Hi Cy,")]),
        N.Letter(language="en", children=[N.Salutation(value="Dear Di,")]),
    ]
    gold = {
        "language": "en",
        "letters": [
            {"language": "en", "salutation": "Dear Ann,"},
            {"language": "en", "salutation": "Dear Bob,"},
            {"language": "en", "salutation": "Dear Cy,"},
            {"language": "en", "salutation": "Dear Di,"},
        ],
    }
    report = _report(_doc(text, letters), gold, tmp_path)
    s = report.single["salutation"]["en"]
    assert (s.n, s.strict, s.normalized) == (4, 2, 3)
    by_letter = {c.letter: c for c in report.cases}
    assert set(by_letter) == {1, 3}
    assert by_letter[1].strict_only and not by_letter[3].strict_only
    assert by_letter[3].badness > by_letter[1].badness
    assert report.worst(1)[0].letter == 3


def test_missing_field_in_gold_is_not_scored_and_null_means_none(tmp_path: Path) -> None:
    """A key the gold leaves out is not scored; ``null`` asks the parse to find nothing."""
    letter = N.Letter(language="en", children=[N.Closing(value="Yours,")])
    report = _report(_doc("x\n", [letter]), {"language": "en", "closing": None}, tmp_path)
    assert set(report.single) == {"language", "closing"}
    assert report.single["closing"]["en"].strict == 0


def test_date_iso_is_scored_only_where_the_gold_has_one(tmp_path: Path) -> None:
    letter = N.Letter(language="en", children=[N.Date(value="May 1901", iso="1901-05-01")])
    report = _report(_doc("x\n", [letter]), {"date": "May 1901", "date_iso": None}, tmp_path)
    assert "date_iso" not in report.single
    report = _report(
        _doc("x\n", [letter]), {"date": "May 1901", "date_iso": "1901-05-02"}, tmp_path
    )
    assert report.single["date_iso"]["?"].strict == 0


def test_signatories_strict_by_item_normalized_by_words(tmp_path: Path) -> None:
    """A title given by the gold as its own item matches a signatory with a title only when normalized."""
    letter = N.Letter(
        children=[
            N.Signature(
                children=[N.Signatory(children=[N.Name(value="Al Roe"), N.Title(value="(Editor)")])]
            )
        ]
    )
    report = _report(_doc("x\n", [letter]), {"signatories": ["Al Roe", "(Editor)"]}, tmp_path)
    s = report.single["signatories"]["?"]
    assert (s.strict, s.normalized) == (0, 1)
    report = _report(_doc("x\n", [letter]), {"signatories": ["(Editor) Al Roe"]}, tmp_path)
    assert report.single["signatories"]["?"].normalized == 0


def test_list_field_precision_recall_f1(tmp_path: Path) -> None:
    """Items match as a multiset: 2 of 4 found items are right, 2 of 3 gold items are found."""
    letter = N.Letter(
        language="ru",
        children=[N.Paragraph(value=v) for v in ("Один.", "ДВА.", "Четыре.", "Один.")],
    )
    gold = {"language": "ru", "paragraphs": ["Один.", "Два.", "Три."]}
    report = _report(_doc("x\n", [letter]), gold, tmp_path)
    ls = report.lists["paragraphs"]["ru"]
    assert (ls.gold, ls.got, ls.strict, ls.normalized) == (3, 4, 1, 2)
    p, r, f = ls.prf(ls.normalized)
    assert (p, r) == (0.5, 2 / 3) and f == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    case = next(c for c in report.cases if c.field == "paragraphs")
    assert case.expected == ["Три."] and case.got == ["Четыре.", "Один."]


def test_empty_lists_on_both_sides_are_perfect(tmp_path: Path) -> None:
    report = _report(_doc("x\n", [N.Letter()]), {"address": []}, tmp_path)
    ls = report.lists["address"]["?"]
    assert ls.prf(ls.strict) == (1.0, 1.0, 1.0)


# --------------------------------------------------------------------------- letters and bundles

BUNDLE = (
    "Dear Ann,\n"  # 1
    "First letter.\n"  # 2
    "Yours, Ben\n"  # 3
    "\n"  # 4
    "Dear Cal,\n"  # 5
    "Second letter.\n"  # 6
    "Yours, Dot\n"  # 7
    "\n"  # 8
    "Dear Eve,\n"  # 9
    "Third letter.\n"  # 10
    "Yours, Fay\n"  # 11
)
BUNDLE_GOLD = {
    "language": "en",
    "letters": [
        {
            "language": "en",
            "salutation": s,
            "paragraphs": [p],
            "bundle_lines": {"start": a, "end": b},
        }
        for s, p, a, b in (
            ("Dear Ann,", "First letter.", 1, 3),
            ("Dear Cal,", "Second letter.", 5, 7),
            ("Dear Eve,", "Third letter.", 9, 11),
        )
    ],
}


def _bundle_letter(first: int, last: int, salutation: str, paragraphs: list[str]) -> N.Letter:
    return N.Letter(
        language="en",
        position=_lines_span(BUNDLE, first, last),
        children=[N.Salutation(value=salutation), *(N.Paragraph(value=p) for p in paragraphs)],
    )


def test_bundle_letters_pair_by_lines_so_a_merge_does_not_shift_later_letters(
    tmp_path: Path,
) -> None:
    """Letters 1 and 2 parsed as one: letter 2 is missing, letters 1 and 3 still score."""
    doc = _doc(
        BUNDLE,
        [
            _bundle_letter(1, 7, "Dear Ann,", ["First letter.", "Dear Cal,", "Second letter."]),
            _bundle_letter(9, 11, "Dear Eve,", ["Third letter."]),
        ],
    )
    report = _report(doc, BUNDLE_GOLD, tmp_path)
    assert (report.paired, report.missing, report.extra) == (2, 1, 0)
    sal = report.single["salutation"]["en"]
    assert (sal.n, sal.strict) == (3, 2)
    par = report.lists["paragraphs"]["en"]
    assert (par.gold, par.got, par.strict) == (3, 4, 2)
    missing = [c for c in report.cases if c.field == "letter"]
    assert [c.letter for c in missing] == [2] and "lines 5-7" in missing[0].expected


def test_an_extra_letter_counts_as_misses(tmp_path: Path) -> None:
    doc = _doc(
        BUNDLE,
        [
            _bundle_letter(1, 3, "Dear Ann,", ["First letter."]),
            _bundle_letter(5, 6, "Dear Cal,", ["Second letter."]),
            _bundle_letter(7, 7, "", ["Yours, Dot"]),
            _bundle_letter(9, 11, "Dear Eve,", ["Third letter."]),
        ],
    )
    report = _report(doc, BUNDLE_GOLD, tmp_path)
    assert (report.paired, report.missing, report.extra) == (3, 0, 1)
    sal = report.single["salutation"]["en"]
    assert (sal.n, sal.strict) == (4, 3)
    par = report.lists["paragraphs"]["en"]
    assert (par.gold, par.got, par.strict) == (3, 4, 3)


def test_without_positions_letters_pair_in_order(tmp_path: Path) -> None:
    letters = [N.Letter(children=[N.Salutation(value=s)]) for s in ("Dear Ann,", "Dear Cal,")]
    report = _report(_doc(BUNDLE, letters), BUNDLE_GOLD, tmp_path)
    assert (report.paired, report.missing, report.extra) == (2, 1, 0)
    assert report.single["salutation"]["en"].strict == 2


def test_an_unparsed_file_misses_every_letter(tmp_path: Path) -> None:
    report = _report(None, BUNDLE_GOLD, tmp_path)
    assert (report.files, report.gold_letters, report.missing) == (1, 3, 3)
    assert report.single["salutation"]["en"].strict == 0
    assert report.lists["paragraphs"]["en"].gold == 3


# --------------------------------------------------------------------------- running headers

HEADED = (
    "Dear Ann,\r\n"  # 1
    "The first page ends\r\n"  # 2
    "\r\n"  # 3
    "\f                 - 2 -\r\n"  # 4: form feed on the header line
    "\r\n"  # 5
    "and the letter goes on.\r\n"  # 6
    "\f\r\n"  # 7: form feed on a line of its own
    "Ann Reader\r\n"  # 8: a three-line header
    "3 May 1901\r\n"  # 9
    "Page 3\r\n"  # 10
    "Yours, Ben\r\n"  # 11
)


def test_running_headers_match_by_the_line_of_their_first_visible_character(tmp_path: Path) -> None:
    """A header node may start on the blank line or form feed before it; it still counts on its line."""
    headers = [
        N.PageHeader(value="- 2 -", page=2, position=_lines_span(HEADED, 3, 4)),
        N.PageHeader(
            value="Ann Reader / 3 May 1901 / Page 3", page=3, position=_lines_span(HEADED, 7, 10)
        ),
    ]
    doc = _doc(HEADED, [N.Letter(children=headers)])
    assert header_lines(doc) == [4, 8]
    gold = {"running_headers": [{"line": 4, "end_line": 4}, {"line": 8, "end_line": 10}]}
    report = _report(doc, gold, tmp_path)
    ls = report.lists["running_headers"]["?"]
    assert (ls.gold, ls.got, ls.strict) == (2, 2, 2)
    gold = {"running_headers": [{"line": 5, "end_line": 5}]}
    report = _report(doc, gold, tmp_path)
    ls = report.lists["running_headers"]["?"]
    assert (ls.gold, ls.got, ls.strict) == (1, 2, 0)


def test_running_headers_of_a_bundle_are_scored_per_file(tmp_path: Path) -> None:
    """Headers outside any letter still count: headers belong to pages, not letters."""
    doc = _doc(
        HEADED, [N.Letter()], [N.PageHeader(value="- 2 -", position=_lines_span(HEADED, 4, 4))]
    )
    gold = {"letters": [{"running_headers": []}, {"running_headers": [{"line": 4}]}]}
    report = _report(doc, gold, tmp_path)
    ls = report.lists["running_headers"]["?"]
    assert (ls.gold, ls.got, ls.strict) == (1, 1, 1)


# --------------------------------------------------------------------------- gold files


def test_gold_files_are_found_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    _write_pair(tmp_path, "z", "x\n", {})
    _write_pair(tmp_path / "b", "a", "x\n", {})
    (tmp_path / "notes.txt").write_text("no gold: ignored")
    assert [t.relative_to(tmp_path).as_posix() for t, _ in find_gold_files(tmp_path)] == [
        "b/a.txt",
        "z.txt",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "malformed JSON"),
        (b"[]", "must be a JSON object"),
        (b'{"salutation": 3}', "'salutation' must be a string or null"),
        (b'{"paragraphs": "one"}', "'paragraphs' must be a list of strings"),
        (b'{"letters": {}}', "'letters' must be a list"),
        (b'{"letters": [1]}', "letters[0]: a letter's gold must be an object"),
        (b'{"running_headers": [{"page": 2}]}', "'running_headers' must be a list of objects"),
        (b'{"bundle_lines": {"start": 5, "end": 2}}', "'bundle_lines' must be"),
    ],
)
def test_a_bad_gold_is_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "x.txt").write_text("x\n")
    (tmp_path / "x.gold.json").write_bytes(content)
    with pytest.raises(GoldError) as info:
        evaluate_dir(
            tmp_path, parse=lambda p: pytest.fail("must not parse before golds are checked")
        )
    text = str(info.value)
    assert message in text and "x.gold.json" in text and "\n" not in text


def test_a_gold_without_its_text_and_an_empty_folder_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no \\*.gold.json files"):
        find_gold_files(tmp_path)
    with pytest.raises(InputError, match="no such directory"):
        find_gold_files(tmp_path / "absent")
    (tmp_path / "x.gold.json").write_text("{}")
    with pytest.raises(GoldError, match="no x.txt beside it"):
        find_gold_files(tmp_path)


# --------------------------------------------------------------------------- whole runs


def test_evaluate_dir_goes_on_after_parse_failures(tmp_path: Path) -> None:
    """A file that fails to parse is listed and its letters are missing; the others are scored."""
    _write_pair(tmp_path, "a", "Dear Ann,\n", {"language": "en", "salutation": "Dear Ann,"})
    _write_pair(tmp_path, "b", "", {"language": "en", "salutation": "Dear Bob,"})
    _write_pair(tmp_path, "c", "Dear Cy,\n", {"language": "en", "salutation": "Dear Cy,"})

    def parse(path: Path) -> N.Document:
        text = path.read_text()
        if not text:
            raise InputError(f"{path.name}: empty (no text to parse)")
        if path.name == "c.txt":
            raise RuntimeError("parser bug")
        return _doc(text, [N.Letter(language="en", children=[N.Salutation(value=text.strip())])])

    report = evaluate_dir(tmp_path, parse=parse)
    assert report.errors == [
        ("b.txt", "b.txt: empty (no text to parse)"),
        ("c.txt", "internal error: RuntimeError: parser bug"),
    ]
    s = report.single["salutation"]["en"]
    assert (s.n, s.strict, report.missing, report.paired) == (3, 1, 2, 1)


def test_report_json_and_text(tmp_path: Path) -> None:
    letters = [
        N.Letter(language="en", children=[N.Salutation(value="Dear Ann,"), N.Paragraph(value=p)])
        for p in ("A" * 300 + " end one.", "Short.")
    ]
    gold = {
        "language": "en",
        "letters": [
            {"language": "en", "salutation": "Dear Ann,", "paragraphs": ["A" * 300 + " end two."]},
            {"language": "en", "salutation": "Dear Ann!", "paragraphs": ["Short."]},
        ],
    }
    report = _report(_doc("x\n", letters), gold, tmp_path)
    data = json.loads(orjson.dumps(report.to_dict(worst=1)))
    assert data["letters"] == {"gold": 2, "parsed": 2, "paired": 2, "missing": 0, "extra": 0}
    assert data["single"]["salutation"]["en"]["strict_rate"] == 0.5
    assert data["lists"]["paragraphs"]["all"]["normalized"]["recall"] == 0.5
    assert len(data["worst"]) == 1
    text = format_text(report, worst=5)
    assert "salutation" in text and "paragraphs" in text and "worst cases (2 of 2)" in text
    # a long value is cut around its first difference, so the difference shows
    line = next(x for x in text.splitlines() if x.strip().startswith("missing:"))
    assert "end two" in line and len(line) < 100
    assert "worst cases" not in format_text(report, worst=0)


def test_fields_tables_name_every_field() -> None:
    assert set(SINGLE_FIELDS) >= {"date", "salutation", "closing", "signatories", "postscript"}
    assert set(LIST_FIELDS) >= {"address", "paragraphs", "running_headers"}


# --------------------------------------------------------------------------- the real corpus


def _perfect_parse(path: Path) -> N.Document:
    """A tree built from the gold itself, with letter and header positions found from its line numbers."""
    data = path.read_bytes()
    text, encoding = decode(data, str(path))
    gold = orjson.loads(path.with_name(path.name[: -len(".txt")] + ".gold.json").read_bytes())
    golds = gold.get("letters", [gold])
    index = LineIndex(text)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    letters = []
    for g in golds:
        if "bundle_lines" in g:
            position = _lines_span(text, g["bundle_lines"]["start"], g["bundle_lines"]["end"])
        else:
            position = index.position(0, len(text))
        kids: list[N.Node] = []
        if g.get("date") is not None:
            kids.append(N.Date(value=g["date"], iso=g.get("date_iso")))
        if g.get("address"):
            kids.append(N.Address(children=[N.AddressLine(value=v) for v in g["address"]]))
        if g.get("salutation") is not None:
            kids.append(N.Salutation(value=g["salutation"]))
        kids += [N.Paragraph(value=p) for p in g["paragraphs"]]
        for h in g.get("running_headers", []):
            start = starts[h["line"] - 1]
            before = starts[h["line"] - 2] if h["line"] > 1 else start
            if not text[before:start].strip():
                start = before  # begin on the blank line before, as a parser may
            kids.append(
                N.PageHeader(
                    value=h["text"], position=index.position(start, starts[h["end_line"]] - 1)
                )
            )
        if g.get("closing") is not None:
            kids.append(N.Closing(value=g["closing"]))
        if g["signatories"]:
            kids.append(
                N.Signature(
                    children=[N.Signatory(children=[N.Name(value=s)]) for s in g["signatories"]]
                )
            )
        if g.get("closer_address"):
            kids.append(N.Address(children=[N.AddressLine(value=v) for v in g["closer_address"]]))
        if g.get("postscript") is not None:
            kids.append(N.Postscript(value=g["postscript"]))
        letters.append(N.Letter(language=g.get("language"), position=position, children=kids))
    return N.Document(children=letters, source=source_info(text, str(path), encoding, data))


@pytest.mark.parametrize("split", ["letters", "layouts"])
def test_a_perfect_parse_of_the_corpus_scores_exactly_one(corpus_dir: Path, split: str) -> None:
    """Golds turned into trees score 1.0 on every field: the instrument adds no error of its own."""
    report = evaluate_dir(corpus_dir / split, parse=_perfect_parse)
    assert report.errors == [] and report.cases == []
    assert report.gold_letters == report.paired > 0
    assert set(report.languages()) == {"en", "ru"}
    for field in SINGLE_FIELDS:
        total = report.total_single(field)
        assert total.strict == total.normalized == total.n > 0, field
    for field in ("paragraphs",) + (("running_headers",) if split == "layouts" else ()):
        lt = report.total_list(field)
        assert lt.strict == lt.gold == lt.got > 0, field
