"""Release plumbing: the distribution name, the one version source, the changelog, and
plugin packages that install against this project (never PyPI's unrelated ``docparse``)."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import docparse

REPO = Path(__file__).resolve().parent.parent
#: the distribution name (PyPI's "docparse" is an unrelated project)
DIST = "docparse-letters"
EXAMPLES = sorted(p.parent for p in (REPO / "examples").glob("*/pyproject.toml"))


def _version_file() -> str:
    text = (REPO / "docparse" / "_version.py").read_text(encoding="utf-8")
    (found,) = re.findall(r'^__version__ = "([^"]+)"$', text, re.M)
    return found


def _requirement_name(spec: str) -> str:
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert m, spec
    return re.sub(r"[-_.]+", "-", m.group(1)).lower()


def test_pyproject_names_the_distribution_and_reads_the_version_file() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == DIST
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "docparse._version.__version__"}
    assert project["project"]["scripts"] == {"docparse": "docparse._launch:main"}


def test_one_version_everywhere() -> None:
    """`docparse --version`, the installed metadata, docparse.__version__ and the version
    file agree (the console script's fast path and click's --version both)."""
    from click.testing import CliRunner

    from docparse.cli import cli

    written = _version_file()
    assert written == "0.2.0"
    assert importlib.metadata.version(DIST) == written
    assert docparse.__version__ == written
    script = shutil.which("docparse", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "docparse._launch"]
    fast = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert fast.stdout == f"docparse {written}\n"
    assert CliRunner().invoke(cli, ["--version"]).output == f"docparse {written}\n"


def test_changelog_has_this_version() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.M)
    assert headings[0] == _version_file(), headings
    assert "0.1.0" in headings


def test_examples_depend_on_the_distribution_name() -> None:
    """Every example plugin package depends on docparse-letters (a dependency on plain
    "docparse" installs PyPI's unrelated project), with a version this checkout satisfies."""
    assert len(EXAMPLES) >= 2
    for folder in EXAMPLES:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        deps = project.get("dependencies", [])
        names = [_requirement_name(d) for d in deps]
        assert DIST in names, (folder.name, deps)
        assert "docparse" not in names, (folder.name, deps)
        try:
            from packaging.requirements import Requirement
        except ImportError:  # pragma: no cover - packaging comes with pip's usual companions
            continue
        (spec,) = [d for d in deps if _requirement_name(d) == DIST]
        assert Requirement(spec).specifier.contains(_version_file()), spec


_BARE_INSTALL = re.compile(r"pip install\s+['\"]?docparse(?![-\w])")


def test_no_install_of_the_unrelated_distribution() -> None:
    """No doc, example or hook tells anyone to `pip install docparse` (the other project)."""
    files = [*REPO.glob("docs/*"), *REPO.glob("examples/*/README.md"), REPO / "README.md",
             REPO / ".pre-commit-hooks.yaml", *REPO.glob("docparse/*.py")]
    found = [f"{f.relative_to(REPO)}: {m.group(0)}" for f in files if f.is_file()
             for m in _BARE_INSTALL.finditer(f.read_text(encoding="utf-8"))]
    assert not found
    workflow = (REPO / "docs" / "ci-example.yml").read_text(encoding="utf-8")
    assert re.search(r"pip install \"?docparse-letters", workflow)


def test_third_party_example_keeps_the_default_repairs() -> None:
    """The example's `repairs = [...]` replaces the defaults: it must name them all, or it
    would silently turn off the OCR repairs."""
    from docparse.pipeline import available_plugins

    text = (REPO / "examples" / "third-party-plugin" / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", text, re.S)
    listed = tomllib.loads(block)["tool"]["docparse"]["repairs"]
    defaults = {i.name for i in available_plugins() if i.enabled}
    assert defaults <= set(listed), defaults - set(listed)
    assert "straight-quotes" in listed


def test_example_plugins_resolve_against_this_project(tmp_path: Path) -> None:
    """The example plugin packages install into a fresh venv with their dependencies
    resolved offline (`--no-index`): `docparse-letters` is found as this project (installed
    here, visible to the venv), so pip neither fetches nor needs PyPI's `docparse`."""
    # the examples as wheels (built from copies: the build leaves nothing in the checkout)
    wheels = tmp_path / "wheels"
    sources = []
    for folder in EXAMPLES:
        copy = tmp_path / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        sources.append(str(copy))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *_build_isolation(),
                            "-w", str(wheels), *sources], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    # a fresh venv that sees this environment's packages (docparse-letters among them)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    here = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "_parent_env.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in here), encoding="utf-8")
    names = []
    for wheel in wheels.glob("*.whl"):
        names.append(wheel.name.split("-")[0].replace("_", "-"))
    assert len(names) == len(EXAMPLES), names
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-index",
         "--find-links", str(wheels), *names],
        capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    probe = (
        "import importlib.metadata as m, docparse\n"
        "from docparse.grammar import discover\n"
        "from docparse.pipeline import available_plugins\n"
        f"assert m.version({DIST!r}) == docparse.__version__\n"
        "try:\n"
        "    m.distribution('docparse')\n"
        "    raise SystemExit('the unrelated docparse distribution is installed')\n"
        "except m.PackageNotFoundError:\n"
        "    pass\n"
        "assert 'telegram' in [p.name for p in discover()]\n"
        "assert 'straight-quotes' in [i.name for i in available_plugins()]\n"
        "print('ok')\n"
    )
    run = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stdout[-2000:] + run.stderr[-2000:]


def _build_isolation() -> list[str]:
    """``--no-build-isolation`` when this environment's setuptools can build the examples
    (the test extra installs one that can: seconds instead of a fresh build environment
    per example), else nothing."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return []
    return ["--no-build-isolation"] if major >= 77 else []


def test_a_dependency_on_plain_docparse_would_not_resolve_here(tmp_path: Path) -> None:
    """The control for the test above: with `--no-index`, a requirement of plain `docparse`
    finds nothing (this project is not that distribution)."""
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-index",
                          "--find-links", str(tmp_path), "-q", "docparse"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "docparse" in run.stderr
