"""The repair options of the command line: ``parse``/``eval`` flags, ``docparse repairs``,
``docparse plugins``, plugin failures, and the lazily loaded ``batch``/``validate``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import docparse
from docparse.cli import EXIT_PLUGIN, EXIT_USAGE, cli

LETTER = """\
March 3 , 1962

Dear Mrs. Holloway:

We write in reply to your letter of February 20 , 1962 , which reached us after
some delay . The committee has studied the question of corrption with care.

Sincerely,
John Baxter
"""

SHOUT = """\
from docparse.edits import Edit
from docparse.nodes import Leaf
from docparse.plugin import repair_plugin
from docparse.visitor import Transformer


class _Up(Transformer):
    def __init__(self, ctx):
        self.ctx = ctx

    def generic_leave(self, original, updated):
        if isinstance(updated, Leaf) and "committee" in updated.value:
            at = updated.value.index("committee")
            return self.ctx.edit(updated, [Edit(at, at + 9, "committee", "COMMITTEE", 0.75)])
        return updated


@repair_plugin(name="shout", description="Shout one word.", default=False)
def shout(tree, ctx):
    return _Up(ctx).transform(tree)


@repair_plugin(name="boom", description="Always fails.", default=False)
def boom(tree, ctx):
    raise KeyError("boom")
"""


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no docparse.toml / pyproject.toml of ours is found
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    (tmp_path / "shout.py").write_text(SHOUT, encoding="utf-8")
    return path


def _ran(doc: docparse.Document) -> list[str]:
    return [e["name"] for e in doc.data.get("docparse", {}).get("plugins", [])]


def _values(doc: docparse.Document) -> str:
    return "\n".join(n.value for n in doc.walk() if isinstance(n, docparse.Leaf))


def test_parse_runs_the_default_repairs(letter: Path) -> None:
    result = _run("parse", str(letter))
    assert result.exit_code == 0 and result.stderr == ""
    doc = docparse.loads(result.stdout)
    assert _ran(doc)[:4] == ["cyrillic-lookalikes", "spacing", "dehyphenate", "ocr-spelling"]
    text = _values(doc)
    assert "March 3, 1962" in text and "question of corruption" in text


def test_no_repairs_gives_the_raw_parse(letter: Path) -> None:
    result = _run("parse", "--no-repairs", str(letter))
    assert result.exit_code == 0
    assert docparse.loads(result.stdout) == docparse.parse_file(letter)


def test_no_repair_and_repair_choose_plugins(letter: Path) -> None:
    doc = docparse.loads(_run("parse", "--no-repair", "spacing", str(letter)).stdout)
    assert "spacing" not in _ran(doc) and "March 3 , 1962" in _values(doc)
    doc = docparse.loads(_run("parse", "--plugin", "shout.py", "--repair", "shout", str(letter)).stdout)
    assert "shout" in _ran(doc) and "COMMITTEE" in _values(doc)
    doc = docparse.loads(_run("parse", "--plugin", "shout.py", str(letter)).stdout)
    assert "shout" not in _ran(doc)  # off by default


def test_unknown_or_contradictory_names_are_one_line_errors(letter: Path) -> None:
    result = _run("parse", "--repair", "ghost", str(letter))
    assert result.exit_code == EXIT_PLUGIN and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "unknown plugin 'ghost'" in result.stderr
    result = _run("parse", "--repair", "spacing", "--no-repair", "spacing", str(letter))
    assert result.exit_code == EXIT_USAGE and "contradict" in result.stderr
    result = _run("parse", "--plugin", "missing.py", str(letter))
    assert result.exit_code == EXIT_PLUGIN and "no such file" in result.stderr


def test_a_failing_plugin_is_reported_and_strict_makes_it_fatal(letter: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Dear Ann,\n\nAll is well.\n\nYours,\nBen\n", encoding="utf-8")
    result = _run("parse", "--plugin", "shout.py", "--repair", "boom", str(letter), str(other))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all("plugin 'boom' failed: KeyError" in line for line in lines)
    assert lines[0].startswith(f"docparse: {letter}: ")
    docs = [docparse.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) == 2 and all("spacing" in _ran(d) and "boom" not in _ran(d) for d in docs)

    strict = _run("parse", "--strict", "--plugin", "shout.py", "--repair", "boom", str(letter), str(other))
    assert strict.exit_code == EXIT_PLUGIN and strict.stdout == ""
    assert len(strict.stderr.splitlines()) == 2 and "boom" in strict.stderr


def test_ocr_flags_reach_the_plugins(letter: Path) -> None:
    for flag, value in (("--ocr", "yes"), ("--no-ocr", "no")):
        doc = docparse.loads(_run("parse", flag, str(letter)).stdout)
        options = {e["name"]: e["options"] for e in doc.data["docparse"]["plugins"]}
        assert options["ocr-spelling"]["ocr"] == value and options["spacing"]["ocr"] == value
    told_not = docparse.loads(_run("parse", "--no-ocr", str(letter)).stdout)
    assert "corrption" in _values(told_not)


def test_explain_prints_the_diff_on_stderr(letter: Path) -> None:
    result = _run("parse", "--explain", str(letter))
    assert result.exit_code == 0
    docparse.loads(result.stdout)  # stdout is still the JSON
    assert result.stderr.startswith(f"== {letter}: ")
    assert "ocr-spelling (0.95)\n  - corrption\n  + corruption" in result.stderr
    assert "1:8  date  spacing (0.90)" in result.stderr


def test_repairs_command_prints_the_diff_and_json_rows(letter: Path, tmp_path: Path) -> None:
    text = _run("repairs", str(letter))
    assert text.exit_code == 0 and "  - corrption\n  + corruption" in text.stdout
    rows = [json.loads(line) for line in _run("repairs", "--format", "json", str(letter)).stdout.splitlines()]
    fix = [r for r in rows if r["before"] == "corrption"]
    assert len(fix) == 1 and fix[0]["plugin"] == "ocr-spelling" and fix[0]["line"] == 6
    assert LETTER[fix[0]["start"] : fix[0]["end"]] == "corrption"
    # a tree written by docparse parse: its recorded repairs, as they are
    saved = tmp_path / "letter.json"
    saved.write_text(_run("parse", str(letter)).stdout, encoding="utf-8")
    assert _run("repairs", str(saved)).stdout == text.stdout
    assert _run("repairs", "--no-repairs", str(letter)).stdout == ""


def test_plugins_lists_run_order_and_what_runs(letter: Path) -> None:
    result = _run("plugins", "--plugin", "shout.py", "--no-repair", "dates")
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()[1:] if line[:3].strip().isdigit()]
    names = [r[1] for r in rows]
    assert names.index("cyrillic-lookalikes") < names.index("ocr-spelling") < names.index("dates")
    run = {r[1]: r[2] for r in rows}
    assert run["dates"] == "no" and run["spacing"] == "yes" and run["shout"] == "no"
    data = json.loads(_run("plugins", "--format", "json").stdout)
    assert [d["name"] for d in data][:2] == ["cyrillic-lookalikes", "spacing"]
    assert all(d["description"] and isinstance(d["enabled"], bool) for d in data)


def test_eval_takes_the_repair_options() -> None:
    result = _run("eval", "--help")
    for flag in ("--no-repairs", "--repair", "--no-repair", "--plugin", "--strict", "--ocr", "--set"):
        assert flag in result.stdout


def _dates(doc: docparse.Document) -> list[tuple[str | None, dict[str, object]]]:
    return [(n.iso, dict(n.data)) for n in doc.walk() if isinstance(n, docparse.nodes.Date)]


def test_set_gives_a_plugin_option_over_the_configuration_file(letter: Path, tmp_path: Path) -> None:
    letter.write_text(LETTER.replace("March 3 , 1962", "March 3 '62"), encoding="utf-8")
    assert _dates(docparse.loads(_run("parse", str(letter)).stdout)) == [(None, {})]
    doc = docparse.loads(_run("parse", "--set", "dates.century=1800", str(letter)).stdout)
    assert _dates(doc) == [("1862-03-03", {"dates": {"century": 1800}})]
    assert {"name": "dates", "version": "2",
            "options": {"headers": True, "overwrite": False, "century": 1800, "default_year": 0}} in (
        doc.data["docparse"]["plugins"])
    # the file says 1900, the command line 1800: the command line wins, option by option
    (tmp_path / "docparse.toml").write_text("[plugins.dates]\ncentury = 1900\nheaders = false\n")
    doc = docparse.loads(_run("parse", str(letter)).stdout)
    assert _dates(doc)[0][0] == "1962-03-03"
    doc = docparse.loads(_run("parse", "--set", "dates.century=1800", str(letter)).stdout)
    assert _dates(doc)[0][0] == "1862-03-03"
    assert {"headers": False, "century": 1800}.items() <= doc.data["docparse"]["plugins"][-1]["options"].items()


@pytest.mark.parametrize(
    ("setting", "code", "needle"),
    [
        ("dates", EXIT_USAGE, "is not PLUGIN.OPTION=VALUE"),
        ("dates.century", EXIT_USAGE, "is not PLUGIN.OPTION=VALUE"),
        ("dates.nope=1", EXIT_PLUGIN, "plugin 'dates' has no option 'nope'"),
        ("nobody.x=1", EXIT_PLUGIN, "nobody"),
        ("dates.century=1850", EXIT_PLUGIN, "'century' must be one of 0, 1000"),
        ("dates.headers=maybe", EXIT_PLUGIN, "'headers' must be a boolean, not 'maybe'"),
    ],
)
def test_bad_set_is_a_one_line_error(letter: Path, setting: str, code: int, needle: str) -> None:
    result = _run("parse", "--set", setting, str(letter))
    assert result.exit_code == code and result.stdout == ""
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if needle in line]) == 1


def test_batch_and_validate_are_registered_but_loaded_lazily() -> None:
    assert _run("batch", "--help").exit_code == 0
    assert _run("validate", "--help").exit_code == 0
    code = (
        "import sys\n"
        "from docparse.cli import main\n"
        "sys.argv = ['docparse', '--version']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "print([m for m in ('docparse.batch', 'docparse.validate', 'docparse.pipeline', "
        "'docparse.config', 'click.testing') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
