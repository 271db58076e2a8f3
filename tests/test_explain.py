"""``docparse explain``: the layout analysis names the rule behind every line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import docparse
from docparse.cli import cli
from docparse.decisions import LineDecision, explain_layout, trace_layout
from docparse.schema import validate

BODY = (
    "We write about the clocks of the museum and the work that remains to be done\n"
    "on the cases, the dials and the chimes before the rooms open in the spring.\n"
)
LETTER = (
    "March 3, 1899\n\nDear Mr. Vance,\n\n" + BODY + "\n" + BODY + "\n"
    "Yours truly,\nAnn Benedict\n"
)


def _at(decisions: list[LineDecision], line: int) -> LineDecision:
    return next(d for d in decisions if d.line == line)


def test_every_line_of_the_seed_has_a_named_rule(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    decisions = explain_layout(text)
    assert len(decisions) == len(text.splitlines())
    unnamed = [d for d in decisions if not d.rule or d.rule.startswith("grammar.")]
    assert unnamed == []
    # each rule is stage.rule, and the stages are the documented ones
    stages = {d.rule.split(".", 1)[0] for d in decisions}
    assert stages <= {"pages", "letters", "opener", "salutation", "body", "closer", "signature", "tail"}
    # the seed's two letters: the Russian translation starts a letter of its own, and the
    # rule that started it is given
    assert {d.letter for d in decisions if d.role != "blank"} == {1, 2}
    first_ru = min(d.line for d in decisions if d.letter == 2 and d.role != "blank")
    assert "starts letter 2" in _at(decisions, first_ru).evidence
    roles = {d.role for d in decisions}
    assert {"date", "salutation", "paragraph", "signatory-name", "signatory-title", "page-header"} <= roles


def test_changing_one_line_changes_its_explanation() -> None:
    before = explain_layout(LETTER)
    line = LETTER.splitlines().index("Yours truly,") + 1
    assert _at(before, line).role == "closing"
    assert _at(before, line).rule.startswith("closer.")
    assert _at(before, line + 1).role == "signatory-name"
    # the same line made the first line of a paragraph, wrapped at the margin
    changed = LETTER.replace(
        "Yours truly,", "We send the plans for the cases and the estimates of the joiners, and the\n"
        "locks of the west wing.")
    after = explain_layout(changed)
    assert _at(after, line).role == "paragraph"
    assert _at(after, line).rule != _at(before, line).rule
    assert (_at(after, line).text, _at(after, line).role) != (_at(before, line).text, _at(before, line).role)
    # the lines the change did not touch keep their decisions
    assert _at(after, 1) == _at(before, 1)


def test_facts_are_the_lines_own() -> None:
    decisions = explain_layout(LETTER)
    date = _at(decisions, 1)
    assert date.role == "date" and date.facts["date_like"] is True
    name = _at(decisions, len(LETTER.splitlines()))
    assert name.facts["name_like"] is True and name.facts["blank_below"] is True
    assert "closing" in _at(decisions, name.line - 1).facts["lexicons"]


def test_explain_command_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "closer.close-above-signature" in result.output
    assert "because:" in result.output
    result = runner.invoke(cli, ["explain", "--format", "json", str(path)])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["line"] for r in rows] == list(range(1, len(LETTER.splitlines()) + 1))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(cli, ["explain", str(empty)])
    assert result.exit_code == 1
    assert "empty" in result.output


def test_every_rule_the_analysis_names_is_documented() -> None:
    import re

    root = Path(__file__).resolve().parent.parent
    code = (root / "docparse" / "layout.py").read_text(encoding="utf-8")
    code += (root / "docparse" / "decisions.py").read_text(encoding="utf-8")
    named = set(re.findall(r'"((?:pages|letters|opener|salutation|body|closer|signature|tail)\.[a-z-]+)', code))
    assert len(named) > 30
    doc = (root / "docs" / "explain.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z]+\.[a-z-]+)`", doc))
    assert named - documented == set()


def test_parse_trace_records_the_rule_of_every_leaf(tmp_path: Path) -> None:
    """``docparse parse --trace``: each leaf carries the rule that decided its first line,
    the same rule ``docparse explain`` names; the document stays valid docparse/1 and reads
    back as it was written; without --trace no leaf has it."""
    text = ("July 21, 2004\n\nDear Ann,\n\nAll is well here, and the garden is green again.\n\n"
            "Yours truly,\nBen\n")
    path = tmp_path / "ann.txt"
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(cli, ["parse", "--no-repairs", "--trace", str(path)])
    assert out.exit_code == 0, out.output
    tree = json.loads(out.output)
    validate(tree)
    rules = {d.line: d.rule for d in explain_layout(text)}
    leaves = []

    def walk(node):
        if "value" in node:
            leaves.append(node)
        for child in node.get("children", ()):
            walk(child)

    walk(tree)
    assert leaves and all(
        leaf["data"]["layout"]["rule"] == rules[leaf["position"]["start"]["line"]] for leaf in leaves)
    assert {leaf["type"]: leaf["data"]["layout"]["rule"] for leaf in leaves}["closing"] == \
        "closer.close-above-signature"
    assert docparse.loads(json.dumps(tree)).children == trace_layout(docparse.parse(text)).children
    plain = json.loads(CliRunner().invoke(cli, ["parse", "--no-repairs", str(path)]).output)
    leaves.clear()
    walk(plain)
    assert not any("layout" in leaf.get("data", {}) for leaf in leaves)
