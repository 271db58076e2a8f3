"""``docparse validate`` for CI users: severity in every format, ``--exclude``,
``per-file-ignores``, the per-line marker, ``--statistics``, and hints in the letter's
language (English, German, French, Russian).

Checked without the repair plugins (``--no-repairs``), so the file runs in a few seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docparse import parse
from docparse.cli.validate import validate_command
from docparse.rules._hints import HINTS, LANGUAGES, hint
from docparse.validate import (
    ValidateConfig,
    Validator,
    available_rules,
    find_markers,
    path_matches,
    render,
    select_rules,
    validate_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
CLEAN = (FIXTURES / "clean.txt").read_text(encoding="utf-8")
MISNAMED = CLEAN.replace("Dear Mr. Oduya:", "Dear Mr. Okafor:")  # DP501 (warning) on that line
UNSIGNED = "Dear Ann,\n\nThank you for the photographs of the clock and for your long letter.\n"


def _check(text: str, *select: str) -> list:
    rules = available_rules()
    active = select_rules(ValidateConfig(select=select or None), rules)
    return list(validate_text(text, active, path="letter.txt", rules=rules).diagnostics)


def _invoke(*args: str):
    return CliRunner().invoke(validate_command, ["--no-repairs", *args])


def _tree(folder: Path) -> Path:
    """letters/a.txt (clean), letters/b.txt (DP501), letters/drafts/c.txt and
    letters/d.old.txt (unsigned: errors)."""
    root = folder / "letters"
    (root / "drafts").mkdir(parents=True)
    (root / "a.txt").write_text(CLEAN, encoding="utf-8")
    (root / "b.txt").write_text(MISNAMED, encoding="utf-8")
    (root / "drafts" / "c.txt").write_text(UNSIGNED, encoding="utf-8")
    (root / "d.old.txt").write_text(UNSIGNED, encoding="utf-8")
    return root


# ----------------------------------------------------------------------------- severity


def test_text_output_shows_the_severity() -> None:
    rules = available_rules()
    active = select_rules(ValidateConfig(), rules)
    report = validate_text(MISNAMED, active, path="b.txt", rules=rules)
    (d,) = [d for d in report.diagnostics if d.rule == "DP501"]
    assert d.text().startswith(f"b.txt:{d.line}:{d.column}: DP501 [warning] ")
    unsigned = validate_text(UNSIGNED, active, path="c.txt", rules=rules)
    assert "DP104 [error] no signature" in render([unsigned], "text", rules)
    # and in every other format
    assert '"severity": "warning"' in render([report], "json", rules)
    assert "::warning file=b.txt" in render([report], "github", rules)
    assert '"level": "warning"' in render([report], "sarif", rules)
    assert 'type="warning"' in render([report], "junit", rules)


# ------------------------------------------------------------------------------ exclude


def test_path_matches_names_folders_and_paths() -> None:
    assert path_matches("letters/drafts/c.txt", "drafts")
    assert path_matches("letters/drafts/c.txt", "drafts/*.txt")
    assert path_matches("letters/d.old.txt", "*.old.txt")
    assert path_matches("letters/a.txt", "letters/a.txt")
    assert path_matches("./letters/a.txt", "letters/*")
    assert not path_matches("letters/a.txt", "drafts")
    assert not path_matches("letters/a.txt", "etters")  # whole components only
    assert not path_matches("letters/a.txt", "")


def test_exclude_leaves_files_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path)
    everything = _invoke("letters")
    assert everything.exit_code == 1 and "4 files" in everything.stderr
    assert "drafts/c.txt" in everything.stdout and "d.old.txt" in everything.stdout
    some = _invoke("letters", "--exclude", "drafts", "--exclude", "*.old.txt")
    assert some.exit_code == 0, some.output  # b.txt's DP501 is a warning
    assert "drafts" not in some.stdout and "d.old.txt" not in some.stdout and "b.txt" in some.stdout
    assert "of 2 files" in some.stderr
    # a file named on the command line is left out too (a pre-commit hook passes files)
    named = _invoke("letters/drafts/c.txt", "letters/a.txt", "--exclude", "drafts")
    assert named.exit_code == 0 and "c.txt" not in named.stdout
    # a folder whose every file is excluded is no input error
    none = _invoke("letters/drafts", "--exclude", "*.txt")
    assert none.exit_code == 0 and "no problems in 0 files" in none.stderr


def test_configured_exclude_and_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.docparse.validate]\n"
        'exclude = ["*.old.txt"]\n'
        "[tool.docparse.validate.per-file-ignores]\n"
        '"letters/drafts/*" = ["signature-present", "DP103", "date-present"]\n'
        '"b.txt" = ["DP5"]\n',
        encoding="utf-8",
    )
    result = _invoke("letters", "--format", "json")
    assert result.exit_code == 0, result.output
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert set(files) == {"letters/a.txt", "letters/b.txt", "letters/drafts/c.txt"}
    assert [d["rule"] for d in files["letters/b.txt"]["diagnostics"]] == []
    assert files["letters/b.txt"]["disabled"] == ["DP501"]
    assert files["letters/drafts/c.txt"]["disabled"] == ["DP101", "DP103", "DP104"]
    assert files["letters/drafts/c.txt"]["diagnostics"] == []
    # the same from Python: the configuration's folder is the base of its globs
    from docparse.validate import load_validate_config

    validator = Validator(load_validate_config(tmp_path / "pyproject.toml"))
    assert validator.ignored(tmp_path / "letters" / "drafts" / "c.txt") == {"DP101", "DP103", "DP104"}
    assert validator.ignored(tmp_path / "letters" / "a.txt") == set()
    # an unknown rule is a usage error naming the glob
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docparse.validate.per-file-ignores]\n"x/*" = ["DP999"]\n', encoding="utf-8")
    bad = _invoke("letters")
    assert bad.exit_code == 2 and "per-file-ignores 'x/*'" in bad.stderr


# ---------------------------------------------------------------------- per-line marker


def test_line_marker_turns_a_rule_off_on_its_line_only() -> None:
    marked = MISNAMED.replace("Dear Mr. Okafor:", "Dear Mr. Okafor:   % docparse: disable-line=DP501")
    assert [d.rule for d in _check(MISNAMED, "DP501")] == ["DP501"]
    assert _check(marked, "DP501") == []
    # another rule named: the problem stays; '#' for '%', names and 'all' work too
    other = MISNAMED.replace("Dear Mr. Okafor:", "Dear Mr. Okafor:  # docparse: disable-line=DP101")
    assert [d.rule for d in _check(other, "DP501")] == ["DP501"]
    for token in ("salutation-addressee", "DP5", "all"):
        text = MISNAMED.replace("Dear Mr. Okafor:", f"Dear Mr. Okafor:  % docparse: disable-line={token}")
        assert _check(text, "DP501") == [], token
    # a marker on another line does not reach it
    elsewhere = MISNAMED.replace("Yours sincerely,", "Yours sincerely,  % docparse: disable-line=DP501")
    assert [d.rule for d in _check(elsewhere, "DP501")] == ["DP501"]


def test_line_marker_is_blanked_and_keeps_the_parse() -> None:
    marked = MISNAMED.replace("Dear Mr. Okafor:", "Dear Mr. Okafor:   % docparse: disable-line=DP501")
    stripped, (marker,) = find_markers(marked)
    assert len(stripped) == len(marked) and "docparse" not in stripped
    assert marker.scope == "line" and marker.tokens == ("DP501",)
    assert marker.column == len("Dear Mr. Okafor:   ") + 1
    def shape(text: str) -> list[tuple]:
        return [(n.type, getattr(n, "value", None), n.position.start.line, n.position.start.column,
                 n.position.end.line)
                for n in parse(text).walk() if n.position]

    assert shape(stripped) == shape(MISNAMED)
    # an unknown name is DP000 at the marker; a 5% in a sentence is no marker
    unknown = MISNAMED.replace("Dear Mr. Okafor:", "Dear Mr. Okafor:  % docparse: disable-line=nonesuch")
    (d,) = [d for d in _check(unknown, "DP501") if d.rule == "DP000"]
    assert (d.line, d.column) == (unknown.split("\n").index("Dear Mr. Okafor:  % docparse: disable-line=nonesuch") + 1,
                                  len("Dear Mr. Okafor:  ") + 1)
    assert find_markers("A rise of 5% docparse users.\n")[1] == []
    # CRLF line endings
    crlf = marked.replace("\n", "\r\n")
    assert _check(crlf, "DP501") == [] and find_markers(crlf)[1][0].tokens == ("DP501",)
    whole = ("% docparse: disable=DP501\n" + MISNAMED).replace("\n", "\r\n")  # a file marker too
    assert _check(whole, "DP501") == [] and find_markers(whole)[1][0].scope == "file"


# --------------------------------------------------------------------------- statistics


def test_statistics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path)
    text = _invoke("letters", "--statistics")
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert lines[0].split()[:3] == ["2", "DP101", "[error]"] and lines[0].endswith("(in 2 files)")
    assert any(ln.split()[:3] == ["2", "DP103", "[error]"] for ln in lines)
    assert any(ln.split()[:3] == ["1", "DP501", "[warning]"] for ln in lines)
    assert ":" not in text.stdout  # no per-problem lines
    rows = json.loads(_invoke("letters", "--statistics", "--format", "json").stdout)
    assert {"rule": "DP501", "name": "salutation-addressee", "severity": "warning", "count": 1, "files": 1} in rows
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    refused = _invoke("letters", "--statistics", "--format", "sarif")
    assert refused.exit_code == 2 and "--statistics" in refused.stderr


# -------------------------------------------------------------------------------- hints

_BODIES = {
    "en": "Thank you for your letter of May 3 and for the papers you sent us with it.\n"
          "We shall look into the matter and write again soon.\n\nJohn Smith\n",
    "de": "Wir danken Ihnen für Ihren Brief vom 3. Mai und für die Unterlagen, die Sie uns geschickt haben.\n"
          "Wir werden die Angelegenheit prüfen und uns bald wieder bei Ihnen melden.\n\nHans Müller\n",
    "fr": "Nous vous remercions de votre lettre du 3 mai et des documents que vous nous avez envoyés.\n"
          "Nous allons étudier la question et nous vous répondrons très bientôt.\n\nJean Dupont\n",
    "ru": "Благодарим Вас за письмо от 3 мая и за документы, которые Вы нам прислали.\n"
          "Мы рассмотрим этот вопрос и скоро ответим Вам.\n\nИван Петров\n",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hints_in_the_letters_language(lang: str) -> None:
    assert parse(_BODIES[lang]).letters[0].language == lang
    found = {d.rule: d.message for d in _check(_BODIES[lang], "DP101", "DP102", "DP103")}
    assert set(found) == {"DP101", "DP102", "DP103"}
    for rule, message in found.items():
        assert f'"{HINTS[rule][lang]}"' in message, (rule, message)


def test_hint_falls_back_to_english() -> None:
    assert hint("DP102", None) == hint("DP102", "it") == "Dear Ms. Vance:"
    assert hint("DP102", "de-AT") == "Sehr geehrte Frau Vance,"
    assert all(set(table) == set(LANGUAGES) for table in HINTS.values())
