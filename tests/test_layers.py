"""The layers of the package, enforced (issue 15).

The import contract is written in pyproject.toml (``[tool.importlinter]``) and checked by
import-linter's ``lint-imports``: the tree model imports nothing of docparse; the codec
and the schema know only the tree; the layout analysis imports neither the grammar nor a
repair engine; the grammar front end imports no repairs; nothing imports the command
line; the layers hold; and no two modules import each other, function-level imports
included. The built-in plugins live outside the package folder in a checkout (they are
installed as ``docparse.plugins``), so their contract -- the public plugin API only, as a
third party would -- is checked here from their source.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = sorted((ROOT / "plugins").glob("*.py"))
PACKAGE = sorted((ROOT / "docparse").rglob("*.py"))

#: the modules a plugin may import: the public plugin API (docs/plugins.md)
PUBLIC_PLUGIN_API = frozenset({
    "docparse",
    "docparse.plugin",   # the repair-plugin contract and the repair-record helpers
    "docparse.grammar",  # the grammar-plugin contract
    "docparse.nodes",
    "docparse.visitor",
    "docparse.edits",
    "docparse.errors",
    "docparse.ocr",      # the OCR engines: decoder, spelling, spacing, evidence
    "docparse.dates",    # reading dates
})


def _lint_imports() -> Path:
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    return exe


def test_the_import_contract_holds() -> None:
    """Every contract of [tool.importlinter] is kept (the output names a broken one)."""
    run = subprocess.run([str(_lint_imports()), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout
    assert run.stdout.count(" KEPT") >= 7


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """``(line, module, names)`` of each import in ``path`` (relative ones resolved
    against ``docparse.plugins``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = ["docparse", "plugins"][: 3 - node.level]
                module = ".".join([*base, module] if module else base)
            out.append((node.lineno, module, tuple(a.name for a in node.names)))
    return out


@pytest.mark.parametrize("path", PLUGINS, ids=lambda p: p.name)
def test_a_builtin_plugin_uses_only_the_public_plugin_api(path: Path) -> None:
    """A built-in plugin imports docparse only through the public plugin API, and no
    private name of it (nor another plugin: what they share is in docparse.ocr)."""
    wrong = []
    for line, module, names in _imports(path):
        if module != "docparse" and not module.startswith("docparse."):
            continue
        if module not in PUBLIC_PLUGIN_API:
            wrong.append(f"{path.name}:{line}: imports {module}")
        wrong += [f"{path.name}:{line}: imports the private {module}.{n}" for n in names if n.startswith("_")]
    assert not wrong, "\n".join(wrong)


def test_the_plugin_contract_check_finds_a_private_import(tmp_path: Path) -> None:
    """(The check above can fail: a plugin reaching into the parser is caught.)"""
    bad = tmp_path / "bad.py"
    bad.write_text("from docparse.parser import _parser\nfrom . import ocr_spelling\n", encoding="utf-8")
    found = [(m, n) for _, m, n in _imports(bad)]
    assert ("docparse.parser", ("_parser",)) in found and ("docparse.plugins", ("ocr_spelling",)) in found
    assert all(m not in PUBLIC_PLUGIN_API for m, _ in found)


def _function_level_imports(path: Path) -> list[tuple[int, str]]:
    """Function-level imports of docparse modules in ``path``: ``(line, module)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("docparse")):
                out.append((node.lineno, "." * node.level + (node.module or "")))
            elif isinstance(node, ast.Import) and any(a.name.startswith("docparse") for a in node.names):
                out.append((node.lineno, node.names[0].name))
    return sorted(set(out))


def _says_why(lines: list[str], lineno: int) -> bool:
    """Whether the import at ``lineno`` (1-based), or a comment above it in its block of
    imports and comments, says why it is lazy."""
    i = lineno - 1
    if "lazy" in lines[i] or "first use" in lines[i]:
        return True
    i -= 1
    while i >= 0:
        text = lines[i].strip()
        if text.startswith("#"):
            if "lazy" in text or "first use" in text:
                return True
        elif not text.startswith(("from ", "import ")):
            return False
        i -= 1
    return False


def test_every_function_level_import_says_why_it_is_lazy() -> None:
    """A function-level import of docparse hides a cycle from a reader, or costs a
    start-up: each one left says, in a comment, why it is lazy (README: Architecture)."""
    silent = []
    for path in PACKAGE:
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, module in _function_level_imports(path):
            if not _says_why(lines, lineno):
                silent.append(f"{path.relative_to(ROOT)}:{lineno}: from {module} import ... (say why it is lazy)")
    assert not silent, "\n".join(silent)
