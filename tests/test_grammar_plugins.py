"""Grammar plugins: the built-in formats (memo, german, french, letterhead), composition
errors, ``docparse grammar``, and the third-party example in ``examples/custom-format``.

Fixtures: ``tests/fixtures/formats/<plugin>/<case>.txt`` beside ``<case>.json``, parsed
with the core grammar composed with the built-in format plugins (never whatever else is
installed) and compared with the expected JSON exactly. Only ``pytest
--update-fixtures`` rewrites the expected files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

import docparse
from docparse.codec import to_dict
from docparse.errors import PluginError
from docparse.cli.grammar import grammar_command
from docparse.grammar import GrammarPlugin, LineClass, compose, finish_document
from docparse.nodes import Leaf
from docparse.schema import validate

REPO = Path(__file__).resolve().parent.parent
FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
CASES = sorted(FORMATS.glob("*/*.txt"))
BUILTIN = ("french", "german", "letterhead", "memo")
#: node types and marks each plugin adds; without the plugin none may appear
OWN_TYPES = {"memo": {"memo_header", "memo_title", "memo_field"}, "letterhead": {"contact"}}


def _builtin(exclude: tuple[str, ...] = ()) -> list[GrammarPlugin]:
    import importlib

    return [importlib.import_module(f"docparse.plugins.{n}").plugin for n in BUILTIN if n not in exclude]


def _parse(path: Path, exclude: tuple[str, ...] = ()) -> Any:
    composed = compose(_builtin(exclude))
    doc = docparse.parse_bytes(path.read_bytes(), path.relative_to(FORMATS).as_posix(), grammar=composed)
    # the parser runs the finish steps when wired to; running them again is a no-op
    return finish_document(doc, composed)


def _json(doc: Any) -> str:
    obj = to_dict(doc)
    validate(obj)
    obj["source"].pop("text", None)
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_there_are_format_fixtures() -> None:
    """Each built-in format has fixtures (a moved folder would pass silently)."""
    for name in BUILTIN:
        assert len(list((FORMATS / name).glob("*.txt"))) >= 2, f"no fixtures for {name}"


@pytest.mark.parametrize("case", CASES, ids=[c.relative_to(FORMATS).with_suffix("").as_posix() for c in CASES])
def test_format_fixture(case: Path, update_fixtures: bool) -> None:
    """The built-in formats parse each fixture exactly as its expected JSON says."""
    expected_path = case.with_suffix(".json")
    text = _json(_parse(case))
    if update_fixtures:
        if not expected_path.exists() or expected_path.read_text(encoding="utf-8") != text:
            expected_path.write_text(text, encoding="utf-8")
        return
    if not expected_path.exists():
        pytest.fail(f"{expected_path} is missing; run `pytest tests/test_grammar_plugins.py --update-fixtures`")
    assert text == expected_path.read_text(encoding="utf-8"), f"{case.name}: parse differs from {expected_path.name}"


@pytest.mark.parametrize("case", CASES, ids=[c.relative_to(FORMATS).with_suffix("").as_posix() for c in CASES])
def test_without_its_plugin_the_fixture_falls_back(case: Path) -> None:
    """Without the fixture's plugin the parse still succeeds, is valid, keeps every word of
    the source, and holds none of the plugin's node types or marks."""
    plugin = case.parent.name
    with_it = _parse(case)
    without = _parse(case, exclude=(plugin,))
    validate(to_dict(without))
    source = case.read_bytes().decode("utf-8")
    kept = [w for n in without.walk() if isinstance(n, Leaf) for w in _words(n.value)]
    assert sorted(kept) == sorted(_words(source)), "a word of the source was lost"
    types = {n.type for n in without.walk()}
    assert not types & OWN_TYPES.get(plugin, set())
    assert without != with_it, f"the {plugin} plugin changes nothing in {case.name}"
    if plugin in ("german", "french"):
        assert {L.language for L in without.letters} == {"en"}
        assert {L.language for L in with_it.letters} == {"de" if plugin == "german" else "fr"}
    if plugin == "letterhead":
        assert not any("letterhead" in n.data for n in without.walk())


def test_plugin_trees_round_trip() -> None:
    """Plugin node types survive the JSON codec: loads(dumps(t)) == t."""
    for case in CASES:
        doc = _parse(case)
        assert docparse.loads(docparse.dumps(doc)) == doc


def test_memo_header_fields() -> None:
    """A memo's header is a memo_header whose fields name what they hold; its date is read."""
    doc = _parse(FORMATS / "memo" / "interoffice_memo.txt")
    header = doc.letters[0].children[0]
    assert header.type == "memo_header"
    fields = {c.field: c for c in header.children if c.type == "memo_field"}
    assert set(fields) == {"to", "from", "date", "subject"}
    assert fields["date"].iso == "1998-10-14"


def test_a_lone_subject_line_is_no_memo() -> None:
    """An ordinary letter opening with "Re: ..." keeps its reference (no memo_header)."""
    text = ("Re: the garden wall\n\n                              3 May 1999\n\nDear Sir,\n\n"
            "Thank you for your letter about the wall between our gardens, which I read\n"
            "with care. I agree that it must be mended before the winter.\n\nYours faithfully,\nJohn Smith\n")
    doc = docparse.parse(text, grammar=compose(_builtin()))
    types = [n.type for n in doc.letters[0].children]
    assert "memo_header" not in types
    assert types[:2] == ["reference", "date"]


def test_finish_steps_are_idempotent() -> None:
    """Running the finish steps again changes nothing."""
    composed = compose(_builtin())
    for case in CASES:
        doc = _parse(case)
        assert finish_document(doc, composed) == doc


# ---- composition errors ---------------------------------------------------------------

def _broken(grammar: str, **kw: Any) -> GrammarPlugin:
    return GrammarPlugin(name="broken-format", description="a deliberately broken plugin", grammar=grammar, **kw)


@pytest.mark.parametrize(
    ("grammar", "kw", "names"),
    [
        pytest.param("salutation: SALUTATION_LINE _END\n", {}, ["salutation", "more than once"], id="collision"),
        pytest.param("%extend _opener_part: stamp\nstamp: STAMP_LINE+ _END bogus\n%declare STAMP_LINE\n", {},
                     ["bogus", "stamp"], id="unknown-rule"),
        pytest.param("%extend nonesuch: DATE_LINE\n", {}, ["nonesuch"], id="extend-unknown-rule"),
        pytest.param("%extend _opener_part: stamp\nstamp: DATE_LINE+ _END\n", {}, ["stamp", "date", "conflict"],
                     id="lalr-reduce-reduce"),
        pytest.param("%extend _body_part: stamp\nstamp: PARA_LINE+\n", {}, ["stamp", "conflict"],
                     id="lalr-shift-reduce"),
        pytest.param("%extend _opener_part: stamp\nstamp: STAMP_LINE+ _END\n%declare STAMP_LINE\n",
                     {"builders": {"stamps": lambda b, i: None}}, ["stamps"], id="builder-unknown-rule"),
        pytest.param("%extend _opener_part: stamp\nstamp: STAMP_LINE+ _END\n%declare STAMP_LINE\n",
                     {"line_classes": [LineClass(token="SEAL_LINE", lexicon="LEX_REFERENCE")]}, ["SEAL_LINE"],
                     id="undeclared-line-token"),
    ],
)
def test_broken_plugins_are_refused_naming_plugin_and_rule(grammar: str, kw: dict[str, Any], names: list[str]) -> None:
    """A plugin whose grammar does not compose is refused with one line naming it and the rule."""
    with pytest.raises(PluginError) as info:
        compose([*_builtin(), _broken(grammar, **kw)])
    message = str(info.value)
    assert "\n" not in message
    assert "'broken-format'" in message and info.value.plugin == "broken-format"
    for name in names:
        assert name in message


def test_two_plugins_cannot_build_the_same_rule() -> None:
    """A second plugin claiming a rule another plugin builds is refused, naming both."""
    other = GrammarPlugin(name="zz-letterhead", description="x", grammar="%override reference: REF_LINE+ _END\n",
                          builders={"reference": lambda build, items: None})
    with pytest.raises(PluginError, match=r"'zz-letterhead'.*'reference'.*'letterhead'"):
        compose([*_builtin(), other])


# ---- docparse grammar -----------------------------------------------------------------

def test_grammar_command_marks_origins() -> None:
    """`docparse grammar` prints the composed grammar with each definition's origin."""
    out = CliRunner().invoke(grammar_command, [])
    assert out.exit_code == 0, out.output
    assert re.search(r"^letter: .*// from core$", out.output, re.M)
    assert re.search(r"^memo_header: .*// from memo$", out.output, re.M)
    assert re.search(r"^%extend LEX_CLOSING: .*// from german$", out.output, re.M)
    excluded = CliRunner().invoke(grammar_command, ["--exclude", "memo"])
    assert excluded.exit_code == 0 and "memo_header" not in excluded.output
    assert "// from german" in excluded.output


def test_grammar_command_unknown_plugin_is_a_usage_error() -> None:
    """Excluding a plugin that is not installed is a one-line usage error (exit 2)."""
    out = CliRunner().invoke(grammar_command, ["--exclude", "no-such-format"])
    assert out.exit_code == 2
    assert "no-such-format" in out.output and "Traceback" not in out.output


# ---- the third-party example ----------------------------------------------------------

EXAMPLE = REPO / "examples" / "custom-format"


def test_example_plugin_own_tests_pass() -> None:
    """The example package's own tests pass (run against this checkout; CI runs `pytest`)."""
    env = {**os.environ, "PYTHONPATH": str(EXAMPLE / "src")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
                         cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_example_plugin_installs_in_a_fresh_venv(tmp_path: Path) -> None:
    """`pip install examples/custom-format` in a fresh venv (sharing this environment's
    packages) registers the plugin, and it changes the parse of its fixture."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # the fresh venv sees docparse (installed editable here) and its dependencies through a
    # .pth line that adds this environment's site-packages as a site directory (so its own
    # .pth files, such as the editable install's finder, run too); only the example is
    # installed into the fresh venv (fast)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    here = [p for p in sys.path if p.endswith("site-packages")]
    lines = [f"import site; site.addsitedir({p!r})" for p in here]
    Path(site, "_parent_env.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(py)] if _pip_has_python_option() else None
    if pip is None:
        pytest.fail("pip is too old for --python; upgrade pip in the project venv")
    # a copy, so that the build leaves nothing in the checkout
    package = tmp_path / "custom-format"
    shutil.copytree(EXAMPLE, package, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    install = subprocess.run([*pip, "install", "--no-deps", "-q", str(package)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    probe = (
        "import docparse, sys\n"
        "from docparse.grammar import discover, compose, finish_document\n"
        "names = [p.name for p in discover()]\n"
        "assert 'telegram' in names, names\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "full = compose(discover())\n"
        "with_it = finish_document(docparse.parse(text, grammar=full), full)\n"
        "without = docparse.parse(text, grammar=compose(discover(exclude=['telegram'])))\n"
        "types = {n.type for n in with_it.walk()}\n"
        "assert 'telegram_header' in types and 'telegram_text' in types, types\n"
        "assert 'telegram_header' not in {n.type for n in without.walk()}\n"
        "print('ok')\n"
    )
    fixture = EXAMPLE / "tests" / "fixtures" / "night_letter.txt"
    run = subprocess.run([str(py), "-c", probe, str(fixture)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and run.stdout.strip().endswith("ok"), run.stdout[-2000:] + run.stderr[-2000:]


def _pip_has_python_option() -> bool:
    out = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True)
    m = re.search(r"pip (\d+)\.(\d+)", out.stdout)
    return bool(m) and (int(m.group(1)), int(m.group(2))) >= (22, 3)


def test_language_hints_are_cheap_signs_that_can_fail() -> None:
    """The german and french plugins skip the language detector on a letter showing no
    sign of their language; a sign is an accented letter or a common word, punctuation
    around it or not."""
    from docparse.plugins.french import looks_french
    from docparse.plugins.german import looks_german

    english = "We write about the clocks of the museum, and the work that remains to be done."
    assert not looks_german(english) and not looks_french(english)
    assert looks_german("Wir danken Ihnen für den Brief")  # an umlaut
    assert looks_german("Wir danken Ihnen, und senden Ihnen die Unterlagen")
    assert looks_german("Bitte schicken Sie (und zwar bald) die Liste,")
    assert looks_german("Old soldiers never die.")  # a sign, not a proof: the detector decides
    assert looks_french("Nous vous remercions de votre lettre et de l'intérêt")
    assert not looks_french("Nous vous remercions de votre lettre")  # no accent: no sign


_KEYWORDS = ["Tel", "tel.", "Telephone", "Telefon", "Fax", "Telefax", "E-mail", "email", "mail", "Courriel",
             "Web", "Website", "Internet", "homepage", "URL", "Phone", "ph.", "Fon", "Téléphone", "Tél.",
             "Mobile", "mob.", "Handy", "Telegrams", "Cable address", "Telex", "Télécopie", "fac-simile", "Street"]
_CONTACT_PIECE = st.tuples(
    st.sampled_from(_KEYWORDS + ["", "www.example.org", "http://a.org", "ann@example.org"]),
    st.sampled_from(["", " ", ": ", ". ", " No. "]),
    st.sampled_from(["", "030 1234 5678", "+44 (0)20 7946 0018", "Helsinki", "x1"]),
).map("".join)


@given(st.lists(_CONTACT_PIECE, min_size=1, max_size=4).flatmap(
    lambda parts: st.sampled_from([" · ", "   ", " | ", " "]).map(lambda sep: sep.join(parts))))
@settings(max_examples=300)
def test_letterhead_prefilter_keeps_every_contact_line(text: str) -> None:
    """The letterhead plugin skips lines without any word a contact kind starts with; a
    line that holds a contact must never be skipped."""
    from docparse.plugins.letterhead import _MAYBE_CONTACT, _SEPARATOR, contact_kind

    pieces = [p for p in _SEPARATOR.split(text) if p.strip()]
    if any(contact_kind(" ".join(p.split())) for p in pieces):
        assert _MAYBE_CONTACT.search(text) is not None
