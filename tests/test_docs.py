"""The documentation runs: every ```python block of docs/*.md is executed.

The blocks of one page run in order, in one namespace (a later block may use what an
earlier one defined), in a fresh interpreter whose working directory holds nothing but a
link to the repository's ``examples/`` folder: blocks that need a letter use the bundled
``examples/helsinki-2004/letter.txt``, and whatever a block writes is left in a scratch
folder. A block that is not meant to run is preceded by the line ``<!-- no-run -->``;
:data:`NO_RUN` lists them, so a new one is a decision made here too.

The ``toml`` blocks are read with :mod:`tomllib` (a configuration example that does not
parse is a bug too).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = sorted((REPO / "docs").glob("*.md"))

#: (page, first line of the block) of the blocks marked ``<!-- no-run -->``
NO_RUN: set[tuple[str, int]] = set()

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
_NO_RUN = "<!-- no-run -->"


def blocks(page: Path, lang: str) -> list[tuple[int, str, bool]]:
    """``(line, code, runs)`` of each ``lang`` block of ``page``; ``line``: the block's
    first line of code (1-based); ``runs``: no ``<!-- no-run -->`` line above it."""
    text = page.read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        if m.group(1) != lang:
            continue
        line = text.count("\n", 0, m.start()) + 2
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        out.append((line, m.group(2), before != _NO_RUN))
    return out


def _program(page: Path) -> str | None:
    parts = []
    for line, code, runs in blocks(page, "python"):
        if not runs:
            continue
        # each block compiled with its page and line, so a failure points into the docs
        parts.append(f"exec(compile({code!r}, {f'{page.name}:{line}'!r}, 'exec'), ns)")
    if not parts:
        return None
    return "ns = {'__name__': '__main__'}\n" + "\n".join(parts) + "\n"


def test_no_run_marks_are_the_listed_ones() -> None:
    """Each ``<!-- no-run -->`` mark is listed in :data:`NO_RUN`, and the other way round."""
    marked = {(p.name, line) for p in DOCS for line, _, runs in blocks(p, "python") if not runs}
    assert marked == NO_RUN


def test_docs_have_python_blocks() -> None:
    """The runner finds the blocks it is meant to run (a fence typo would skip them)."""
    assert sum(len(blocks(p, "python")) for p in DOCS) >= 10


@pytest.mark.parametrize("page", [p for p in DOCS if blocks(p, "python")], ids=lambda p: p.name)
def test_python_blocks_run(page: Path, tmp_path: Path) -> None:
    program = _program(page)
    if program is None:
        pytest.skip("every block of this page is marked no-run")
    (tmp_path / "examples").symlink_to(REPO / "examples", target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCPARSE_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    run = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{page.name}:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"


@pytest.mark.parametrize("page", [p for p in DOCS if blocks(p, "toml")], ids=lambda p: p.name)
def test_toml_blocks_parse(page: Path) -> None:
    for line, code, _ in blocks(page, "toml"):
        try:
            tomllib.loads(code)
        except tomllib.TOMLDecodeError as exc:
            pytest.fail(f"{page.name}:{line}: {exc}")


def test_cli_page_documents_every_command() -> None:
    """docs/cli.md has a row in its command table and a section for each command."""
    import click

    from docparse.cli import cli

    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.list_commands(click.Context(cli)):
        rows = [ln for ln in text.splitlines() if ln.startswith(f"| `docparse {name}")]
        assert rows, f"docs/cli.md: no row for docparse {name}"
        section = re.search(rf"^## `docparse {name}`", text, re.M)
        assert section or "(see [" in rows[0], f"docs/cli.md: no section for docparse {name}"
