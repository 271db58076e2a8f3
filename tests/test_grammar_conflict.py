"""A third-party grammar plugin that does not compose (an LALR conflict) is left out with
a one-line warning, and every command that parses keeps working; ``--strict`` makes it
an error (exit code 3); ``--no-grammar NAME`` leaves a plugin out on every such command.

The plugin is written here and installed the way a third party's is: a module and an
entry point (``docparse.grammars``) in a ``*.dist-info`` folder on ``PYTHONPATH``; each
command runs in a fresh interpreter, as a user runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docparse.grammar import GrammarPlugin, compose, discover

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "helsinki-2004" / "letter.txt"

#: a date run in the opener read by a second rule: a reduce/reduce conflict with `date`
POSTCARD = '''\
from docparse.grammar import GrammarPlugin

plugin = GrammarPlugin(
    name="postcard",
    description="Postcards (a broken format: its stamp rule conflicts with the date).",
    grammar="%extend _opener_part: stamp\\nstamp: DATE_LINE+ _END\\n",
)
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the third-party plugin and its distribution's entry point."""
    root = tmp_path_factory.mktemp("site")
    (root / "docparse_postcard.py").write_text(POSTCARD, encoding="utf-8")
    info = root / "docparse_postcard-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: docparse-postcard\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[docparse.grammars]\npostcard = docparse_postcard:plugin\n",
                                          encoding="utf-8")
    return root


def _docparse(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "DOCPARSE_DEBUG": ""}
    return subprocess.run([sys.executable, "-m", "docparse.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT, timeout=300)


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "grammar plugin 'postcard'" in line]


def test_compose_leaves_a_conflicting_plugin_out_unless_strict() -> None:
    """``compose(strict=False)`` keeps the plugins that compose and names the one it left out."""
    broken = GrammarPlugin(name="postcard", description="x", grammar="%extend _opener_part: stamp\nstamp: DATE_LINE+ _END\n")
    good = discover()
    composed = compose([*good, broken], strict=False)
    assert [p.name for p in composed.plugins] == [p.name for p in good]
    assert [name for name, _ in composed.refused] == ["postcard"]
    assert "conflict" in composed.refused[0][1]
    assert composed.text == compose(good).text


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["parse", "--no-repairs", str(SEED)], id="parse"),
        pytest.param(["repairs", str(SEED)], id="repairs"),
        pytest.param(["explain", str(SEED)], id="explain"),
        pytest.param(["render", "--no-repairs", str(SEED)], id="render"),
        pytest.param(["validate", "--no-repairs", "--select", "DP001", str(SEED)], id="validate"),
        pytest.param(["eval", "--no-repairs", str(SEED.parent)], id="eval"),
        pytest.param(["batch", "-j", "1", "--no-repairs", str(SEED), "-o", "{tmp}"], id="batch"),
    ],
)
def test_every_command_works_with_one_warning(site: Path, tmp_path: Path, args: list[str]) -> None:
    """Each command that parses succeeds with the broken plugin installed, saying so in
    one line; with --no-grammar postcard it says nothing."""
    args = [a.replace("{tmp}", str(tmp_path / "out")) for a in args]
    run = _docparse(site, *args)
    assert run.returncode in (0, 1), run.stderr  # (eval and validate: 1 is a finding, not a crash)
    assert "Traceback" not in run.stderr
    warned = _warnings(run.stderr)
    assert len(warned) == 1, run.stderr
    assert warned[0].startswith("docparse: warning: grammar plugin 'postcard' left out (")
    assert "conflict" in warned[0]
    quiet = _docparse(site, *args[:1], "--no-grammar", "postcard", *args[1:])
    assert quiet.returncode == run.returncode and _warnings(quiet.stderr) == [], quiet.stderr
    assert quiet.stdout == run.stdout  # (the same parse: the plugin was left out either way)


def test_the_parse_is_the_core_parse_without_the_broken_plugin(site: Path) -> None:
    """With the broken plugin left out, the seed parses exactly as without it installed."""
    broken = _docparse(site, "parse", "--no-repairs", str(SEED))
    clean = _docparse(site.parent / "nowhere", "parse", "--no-repairs", str(SEED))
    assert broken.returncode == clean.returncode == 0
    assert broken.stdout == clean.stdout


def test_strict_makes_a_broken_grammar_plugin_fatal(site: Path) -> None:
    """``--strict``: one line naming the plugin and the conflict, exit code 3, no output."""
    run = _docparse(site, "parse", "--strict", str(SEED))
    assert run.returncode == 3 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "postcard" in lines[0] and "conflict" in lines[0], run.stderr


def test_no_grammar_leaves_a_builtin_format_out_and_refuses_an_unknown_name(site: Path, tmp_path: Path) -> None:
    """``--no-grammar memo`` parses a memo without the memo format; an unknown name is a
    usage error (exit code 2) naming the installed plugins."""
    memo = tmp_path / "memo.txt"
    memo.write_text("MEMORANDUM\n\nTO: All staff\nFROM: The Director\nDATE: 3 May 2004\n"
                    "SUBJECT: Office move\n\nThe office moves to the third floor on Monday.\n",
                    encoding="utf-8")
    with_memo = _docparse(site, "parse", "--no-repairs", "--no-grammar", "postcard", str(memo))
    without = _docparse(site, "parse", "--no-repairs", "--no-grammar", "postcard", "--no-grammar", "memo", str(memo))
    assert with_memo.returncode == without.returncode == 0
    assert '"memo' in with_memo.stdout and '"memo' not in without.stdout
    unknown = _docparse(site, "validate", "--no-grammar", "nonesuch", str(memo))
    assert unknown.returncode == 2 and "nonesuch" in unknown.stderr and "memo" in unknown.stderr


def test_the_grammar_command_lists_the_plugin_as_left_out(site: Path) -> None:
    """``docparse grammar`` prints the grammar without it (one warning); ``--list`` says why."""
    run = _docparse(site, "grammar")
    assert run.returncode == 0 and "// from postcard" not in run.stdout and "// from memo" in run.stdout
    assert len(_warnings(run.stderr)) == 1
    listed = _docparse(site, "grammar", "--list")
    line = next(x for x in listed.stdout.splitlines() if x.startswith("postcard "))
    assert "(left out: does not compose: LALR reduce/reduce conflict" in line
