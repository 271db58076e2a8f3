"""The repair pipeline: declaration, discovery, ordering, configuration, isolation,
the record of what ran, explain(), the built-in plugins, and a third-party plugin
installed from examples/third-party-plugin."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import attrs
import pytest

from docparse.config import Config, load_config
from docparse.edits import Edit
from docparse.errors import PluginError, UsageError
from docparse.nodes import Date, Document, Letter, PageBreak, PageHeader, Paragraph, Position, Point
from docparse.pipeline import (
    available_plugins,
    discover,
    explain,
    load_spec,
    order_plugins,
    run_plugin,
    run_repairs,
)
from docparse.plugin import Option, RepairContext, RepairPlugin, repair_plugin
from docparse.repair import join_record, unrepair

from test_unrepair import build, leaves

REPO = Path(__file__).resolve().parent.parent


def noop(tree: Document, ctx: RepairContext) -> Document:
    return tree


def decl(name: str, **kw: object) -> RepairPlugin:
    return RepairPlugin(name=name, description=f"{name} plugin", run=noop, **kw)  # type: ignore[arg-type]


def write_plugin(tmp_path: Path, body: str, name: str = "my_plugin.py") -> str:
    path = tmp_path / name
    path.write_text(
        "from docparse.plugin import repair_plugin\n"
        "from docparse.edits import Edit\n"
        "from docparse.nodes import Paragraph, Document\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    return str(path)


# ---------------------------------------------------------------- declaration


def test_decorator_declares_a_frozen_plugin() -> None:
    @repair_plugin(name="my-fix", description="Fix things.", reads=("paragraph",), after="dates",
                   options={"level": 2, "words": ["a"], "ratio": Option(0.5, help="how much")})
    def my_fix(tree: Document, ctx: RepairContext) -> Document:
        return tree

    assert isinstance(my_fix, RepairPlugin)
    assert my_fix.after == ("dates",) and my_fix.reads == ("paragraph",)
    assert my_fix.resolve_options({"level": 3, "ratio": 1}) == {"level": 3, "words": ("a",), "ratio": 1.0}
    doc = Document()
    assert my_fix(doc, RepairContext(plugin="my-fix")) is doc
    with pytest.raises(AttributeError):
        my_fix.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Bad_Name"}, "not kebab-case"),
        ({"name": "docparse"}, "reserved"),
        ({"description": "two\nlines"}, "one non-empty line"),
        ({"description": " "}, "one non-empty line"),
        ({"options": {"x": {"a": 1}}}, "use bool, int, float, str or a list"),
        ({"after": ("No Such",)}, "not kebab-case"),
    ],
)
def test_malformed_declarations_are_one_line_errors(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"name": "fine", "description": "Fine."}
    args.update(kwargs)
    with pytest.raises(PluginError, match=message) as info:
        repair_plugin(**args)(noop)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_option_values_are_checked() -> None:
    p = decl("opt", options={"flag": True, "n": 1, "mode": Option("a", choices=("a", "b"))})
    with pytest.raises(PluginError, match="has no option 'nope'.*flag, mode, n"):
        p.resolve_options({"nope": 1})
    with pytest.raises(PluginError, match="'flag' must be a boolean"):
        p.resolve_options({"flag": 1})
    with pytest.raises(PluginError, match="'n' must be an integer"):
        p.resolve_options({"n": True})
    with pytest.raises(PluginError, match="must be one of 'a', 'b'"):
        p.resolve_options({"mode": "c"})


def test_number_options_can_be_bounded() -> None:
    p = decl("opt", options={"year": Option(0, minimum=0, maximum=9999), "ratio": Option(0.5, maximum=1)})
    assert p.resolve_options({"year": 1885, "ratio": 1}) == {"year": 1885, "ratio": 1.0}
    with pytest.raises(PluginError, match=r"'year' must be at least 0 and at most 9999, not -1"):
        p.resolve_options({"year": -1})
    with pytest.raises(PluginError, match=r"'ratio' must be at most 1, not 1.5"):
        p.resolve_options({"ratio": 1.5})
    with pytest.raises(PluginError, match="bounds are for numbers"):
        Option("text", minimum=1)


def test_command_line_settings_override_the_files_option_by_option() -> None:
    from docparse.config import parse_settings

    given = parse_settings(["dates.century=1800", "spacing.ocr=auto", "x-y.langs=[\"en\", \"ru\"]",
                            "dates.headers = false"])
    assert given == {"dates": {"century": 1800, "headers": False}, "spacing": {"ocr": "auto"},
                     "x-y": {"langs": ["en", "ru"]}}
    file = Config(options={"dates": {"headers": True, "overwrite": True}})
    merged = file.merge_cli(options=given)
    assert merged.options["dates"] == {"headers": False, "overwrite": True, "century": 1800}
    assert file.options["dates"] == {"headers": True, "overwrite": True}  # the file's config is untouched
    for bad in ("dates", "century=1800", ".century=1", "dates.=1", "dates.cen tury=1"):
        with pytest.raises(UsageError, match="is not PLUGIN.OPTION=VALUE"):
            parse_settings([bad])


# ------------------------------------------------------------------- ordering


def test_order_is_topological_with_ties_by_name_whatever_the_input_order() -> None:
    plugins = [
        decl("e"),
        decl("a", after=("c",)),
        decl("b"),
        decl("c"),
        decl("d", before=("b",)),
    ]
    expected = ["c", "a", "d", "b", "e"]
    for seed in range(5):
        shuffled = plugins[:]
        random.Random(seed).shuffle(shuffled)
        assert [p.name for p in order_plugins(shuffled)] == expected


def test_cycle_is_an_error_naming_its_plugins() -> None:
    plugins = [decl("a", after=("b",)), decl("b", after=("c",)), decl("c", after=("a",)), decl("d")]
    with pytest.raises(PluginError, match=r"cycle: a -> c -> b -> a") as info:
        order_plugins(plugins)
    assert info.value.exit_code == 3


def test_unknown_constraint_is_an_error_unless_optional() -> None:
    with pytest.raises(PluginError, match="'a' must run after 'ghost', which is not installed"):
        order_plugins([decl("a", after=("ghost",))])
    assert [p.name for p in order_plugins([decl("a", after=("ghost?",)), decl("b")])] == ["a", "b"]


# ------------------------------------------------------------------ discovery


def test_built_ins_are_registered_directly_in_run_order() -> None:
    """The built-ins come from the registry's table (docparse.registry), not from the
    entry-point scan, which is for third-party plugins."""
    infos = available_plugins(Config())
    names = [i.name for i in infos]
    assert {"paragraphs", "dates"} <= set(names)
    assert names.index("paragraphs") < names.index("dates")
    by_name = {i.name: i for i in infos}
    assert by_name["dates"].origin == "built-in docparse.plugins.dates:plugin"
    assert by_name["dates"].options == {"headers": True, "overwrite": False, "century": 0, "default_year": 0}


def test_file_spec_loads_every_plugin_it_defines(tmp_path: Path) -> None:
    spec = write_plugin(
        tmp_path,
        """
        @repair_plugin(name="one", description="One.")
        def one(tree, ctx):
            return tree

        @repair_plugin(name="two", description="Two.", default=False)
        def two(tree, ctx):
            return tree
        alias = one
        """,
    )
    assert sorted(p.name for p in load_spec(spec)) == ["one", "two"]
    infos = {i.name: i for i in available_plugins(Config(load=(spec,)))}
    assert infos["one"].enabled and not infos["two"].enabled
    assert infos["one"].origin == f"--plugin {spec}"


@pytest.mark.parametrize(
    ("body", "spec", "message"),
    [
        ("import no_such_module_xyz\n", None, "cannot be loaded: ModuleNotFoundError"),
        ("x = 1\n", None, "defines no repair plugin"),
        ("raise SystemExit(2)\n", None, "called sys.exit"),
        (None, "docparse.nodes:Paragraph", "is a type, not a repair plugin"),
        (None, "docparse.nodes:nothing_here", "cannot be loaded: AttributeError"),
        (None, "no_such_pkg_xyz.mod:obj", "cannot be loaded: ModuleNotFoundError"),
        (None, "missing/file.py", "no such file"),
    ],
)
def test_malformed_plugins_are_one_line_errors_naming_them(
    tmp_path: Path, body: str | None, spec: str | None, message: str
) -> None:
    if body is not None:
        spec = write_plugin(tmp_path, body, "broken.py")
    assert spec is not None
    with pytest.raises(PluginError, match=message) as info:
        available_plugins(Config(load=(spec,)))
    text = str(info.value)
    assert "\n" not in text and repr(spec) in text


def test_duplicate_plugin_name_names_both_origins(tmp_path: Path) -> None:
    spec = write_plugin(
        tmp_path,
        """
        @repair_plugin(name="dates", description="Impostor.")
        def dates(tree, ctx):
            return tree
        """,
    )
    with pytest.raises(PluginError, match=r"'dates' is defined twice: by built-in docparse.plugins.dates:plugin and by --plugin"):
        discover(Config(load=(spec,)))
    # the same object named twice is not a conflict
    assert "dates" in discover(Config(load=("docparse.plugins.dates:plugin",)))


# -------------------------------------------------------------- configuration


def test_load_config_from_docparse_toml_upwards(tmp_path: Path) -> None:
    (tmp_path / "docparse.toml").write_text(
        'repairs = ["paragraphs"]\ndisable = ["dates"]\nstrict = true\nocr = false\n'
        'time-budget = 2.5\nload = ["extra.py"]\n[plugins.dates]\nheaders = false\n',
        encoding="utf-8",
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    cfg = load_config(deep)
    assert cfg.path == tmp_path / "docparse.toml"
    assert cfg.repairs == ("paragraphs",) and cfg.disable == ("dates",)
    assert cfg.strict is True and cfg.ocr is False and cfg.time_budget == 2.5
    # found by searching: its load is refused (options only); named, it is loaded
    assert cfg.load == () and cfg.refused == (str(tmp_path / "extra.py"),)
    assert load_config(path=tmp_path / "docparse.toml").load == (str(tmp_path / "extra.py"),)
    assert cfg.options == {"dates": {"headers": False}}


def test_pyproject_without_docparse_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.docparse]\ndisable = ["dates"]\n', encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    cfg = load_config(inner)
    assert cfg.path == tmp_path / "pyproject.toml" and cfg.disable == ("dates",)
    # in one directory docparse.toml wins over pyproject.toml
    (tmp_path / "docparse.toml").write_text("strict = true\n", encoding="utf-8")
    assert load_config(inner).strict is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("repairs = [", "invalid TOML"),
        ("colour = 1\n", "unknown docparse setting 'colour'"),
        ("strict = 'yes'\n", "'strict' must be true or false"),
        ("repairs = 'dates'\n", "'repairs' must be a list"),
        ("time-budget = 'long'\n", "'time-budget' must be a number"),
    ],
)
def test_bad_configuration_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "docparse.toml").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message) as info:
        load_config(tmp_path)
    assert info.value.exit_code == 2 and "docparse.toml" in str(info.value)


def test_cli_overrides_the_file() -> None:
    cfg = Config(repairs=("paragraphs",), disable=("dates",), strict=False)
    merged = cfg.merge_cli(repair=("dates",), no_repair=("paragraphs",), plugin=("x.py",), strict=True, ocr=True)
    assert merged.enable == ("dates",) and merged.disable == ("paragraphs",)
    assert merged.load == ("x.py",) and merged.strict is True and merged.ocr is True
    assert cfg.merge_cli().strict is False and cfg.merge_cli(no_repairs=True).no_repairs is True


def test_selection(tmp_path: Path) -> None:
    spec = write_plugin(
        tmp_path,
        """
        @repair_plugin(name="ocr-fix", description="OCR.", default=False, tags=("ocr",))
        def ocr_fix(tree, ctx):
            return tree
        """,
    )

    def enabled(cfg: Config) -> set[str]:
        return {i.name for i in available_plugins(cfg.merge_cli(plugin=(spec,))) if i.enabled}

    assert enabled(Config()) >= {"paragraphs", "dates"} and "ocr-fix" not in enabled(Config())
    assert enabled(Config(repairs=("dates",))) == {"dates"}
    assert "ocr-fix" in enabled(Config(ocr=True))
    assert "dates" not in enabled(Config(disable=("dates",)))
    assert "dates" in enabled(Config(disable=("dates",)).merge_cli(repair=("dates",)))
    assert enabled(Config(no_repairs=True)) == set()
    with pytest.raises(PluginError, match=r"unknown plugin 'nope' in --repair \(available: .*dates"):
        available_plugins(Config(enable=("nope",)))
    with pytest.raises(PluginError, match="unknown plugin 'nope' in .*options"):
        available_plugins(Config(options={"nope": {}}))
    with pytest.raises(PluginError, match="'dates' has no option 'colour'"):
        available_plugins(Config(options={"dates": {"colour": 1}}))


# ------------------------------------------------------------------ isolation

SPLIT = [("p", ["We hope you will join us in the"]), ("header", ["- 2 -"]), ("p", ["search for talent."])]


def _plugin(run: object, name: str = "bad") -> RepairPlugin:
    return RepairPlugin(name=name, description="Test.", run=run)  # type: ignore[arg-type]


def _first_para(doc: Document) -> Paragraph:
    return leaves(doc)[0]  # type: ignore[return-value]


def _swap_first(doc: Document, new: Paragraph) -> Document:
    letter = doc.children[0]
    assert isinstance(letter, Letter)
    return doc.evolve(children=(letter.evolve(children=(new, *letter.children[1:])),))


def _raises(tree: Document, ctx: RepairContext) -> Document:
    raise KeyError("boom")


def _loops(tree: Document, ctx: RepairContext) -> Document:
    while True:
        try:
            pass
        except Exception:  # a plugin that swallows exceptions still stops
            pass


def _wrong_type(tree: Document, ctx: RepairContext) -> Document:
    return tree.children[0]  # type: ignore[return-value]


def _silent_text_change(tree: Document, ctx: RepairContext) -> Document:
    return _swap_first(tree, _first_para(tree).evolve(value="changed"))


def _moves_position(tree: Document, ctx: RepairContext) -> Document:
    p = _first_para(tree)
    return _swap_first(tree, p.evolve(position=Position(Point(1, 1, 0), Point(1, 2, 1))))


def _schema_invalid(tree: Document, ctx: RepairContext) -> Document:
    return _swap_first(tree, _first_para(tree).evolve(data={"repairs": "not a list"}))


def _other_name(tree: Document, ctx: RepairContext) -> Document:
    p = RepairContext(plugin="someone-else", source=ctx.source).edit(_first_para(tree), [Edit(0, 2, "We", "I", 1)])
    return _swap_first(tree, p)


def _exits(tree: Document, ctx: RepairContext) -> Document:
    sys.exit(1)


@pytest.mark.parametrize(
    ("run", "kind", "message"),
    [
        (_raises, "error", "failed: KeyError: 'boom'"),
        (_exits, "error", "failed: SystemExit"),
        (_wrong_type, "invalid", "returned Letter, not a Document"),
        (_silent_text_change, "invalid", "without a recorded repair: paragraph 'We hope"),
        (_moves_position, "invalid", "changed text, positions or structure"),
        (_schema_invalid, "invalid", "not valid docparse/1"),
        (_other_name, "invalid", "under another plugin's name ('someone-else')"),
    ],
)
def test_failing_plugin_is_named_dropped_and_the_rest_runs(run: object, kind: str, message: str) -> None:
    doc = build(SPLIT)
    new, failure = run_plugin(_plugin(run), doc)
    assert new is doc
    assert failure is not None and failure.plugin == "bad" and failure.kind == kind
    assert message in failure.reason, failure.reason
    assert failure.message.startswith("plugin 'bad' ") and "\n" not in failure.message


def _pipeline_with(tmp_path: Path, body: str) -> Config:
    return Config(load=(write_plugin(tmp_path, body),))


BAD_FIRST = """
@repair_plugin(name="aaa-bad", description="Fails.", before=("paragraphs",))
def bad(tree, ctx):
    raise RuntimeError("broken on purpose")
"""


def test_pipeline_goes_on_after_a_failure_and_strict_stops_it(tmp_path: Path) -> None:
    cfg = _pipeline_with(tmp_path, BAD_FIRST)
    doc = build(SPLIT)
    result = run_repairs(doc, cfg)
    assert [f.plugin for f in result.failures] == ["aaa-bad"]
    assert "paragraphs" in result.ran and "aaa-bad" not in result.ran
    assert len([n for n in result.doc.walk() if isinstance(n, Paragraph)]) == 1
    with pytest.raises(PluginError, match="plugin 'aaa-bad' failed: RuntimeError: broken on purpose") as info:
        run_repairs(doc, cfg.merge_cli(strict=True))
    assert info.value.plugin == "aaa-bad"


def test_runaway_plugin_is_stopped_in_the_main_thread() -> None:
    assert threading.current_thread() is threading.main_thread()
    doc = build(SPLIT)
    new, failure = run_plugin(_plugin(_loops), doc, time_budget=0.2)
    assert new is doc and failure is not None and failure.kind == "timeout"
    assert "budget of 0.2 s" in failure.reason


def test_runaway_plugin_is_stopped_in_another_thread() -> None:
    doc = build(SPLIT)
    box: dict[str, object] = {}

    def work() -> None:
        box["result"] = run_plugin(_plugin(_loops), doc, time_budget=0.2)

    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert not t.is_alive()
    new, failure = box["result"]  # type: ignore[misc]
    assert new is doc and failure is not None and failure.kind == "timeout"


def test_plugins_that_ran_are_recorded_with_version_and_options() -> None:
    doc = build(SPLIT)
    result = run_repairs(doc, Config(options={"dates": {"headers": False}}))
    ran = result.doc.data["docparse"]["plugins"]
    assert [e["name"] for e in ran] == list(result.ran)
    assert {"name": "dates", "version": "2",
            "options": {"headers": False, "overwrite": False, "century": 0, "default_year": 0}} in ran
    again = run_repairs(result.doc, Config(options={"dates": {"headers": False}}))
    assert again.doc == result.doc  # nothing recorded twice, nothing joined twice
    assert run_repairs(doc, Config(no_repairs=True)).doc == doc


def _annotates(tree: Document, ctx: RepairContext) -> Document:
    letter = tree.children[0]
    assert isinstance(letter, Letter)
    return tree.evolve(children=(letter.evolve(data={**letter.data, "note": {"seen": True}}),))


def _data_and_silent_change(tree: Document, ctx: RepairContext) -> Document:
    out = _annotates(tree, ctx)
    return _swap_first(out, _first_para(out).evolve(value="We hoped you would join us in the"))


def test_annotation_only_result_is_accepted_and_a_hidden_text_change_is_not() -> None:
    doc = build(SPLIT)
    new, failure = run_plugin(_plugin(_annotates), doc)
    assert failure is None and new.children[0].data["note"] == {"seen": True}
    new, failure = run_plugin(_plugin(_data_and_silent_change), doc)
    assert new is doc and failure is not None and "without a recorded repair" in failure.reason


def test_run_repairs_stops_a_runaway_plugin_and_restores_the_alarm_handler(tmp_path: Path) -> None:
    import signal

    body = """
@repair_plugin(name="aaa-loops", description="Loops.", before=("paragraphs",))
def loops(tree, ctx):
    while True:
        pass
"""
    before = signal.getsignal(signal.SIGALRM)
    cfg = Config(load=(write_plugin(tmp_path, body),), time_budget=0.2)
    result = run_repairs(build(SPLIT), cfg)
    assert [f.kind for f in result.failures] == ["timeout"] and "paragraphs" in result.ran
    assert signal.getsignal(signal.SIGALRM) == before


def test_run_repairs_refuses_a_non_document() -> None:
    with pytest.raises(TypeError, match="takes a Document, not str"):
        run_repairs("text")  # type: ignore[arg-type]


def test_explain_lists_each_repair_with_line_and_plugin(tmp_path: Path) -> None:
    cfg = _pipeline_with(
        tmp_path,
        """
        from docparse.visitor import Transformer
        class T(Transformer):
            def __init__(self, ctx):
                self.ctx = ctx
            def leave_paragraph(self, original, updated):
                at = updated.value.find("talent")
                if at < 0:
                    return updated
                return self.ctx.edit(updated, [Edit(at, at + 6, "talent", "TALENT", 0.75)])

        @repair_plugin(name="shout", description="Shouts.", after=("paragraphs",))
        def shout(tree, ctx):
            return T(ctx).transform(tree)
        """,
    )
    doc = build(SPLIT)
    result = run_repairs(doc, cfg)
    assert result.failures == ()
    text = explain(result.doc)
    src = doc.source.text
    assert src is not None
    line = src[: src.index("talent")].count("\n") + 1
    assert f"{line}:" in text and "shout (0.75)" in text
    assert "  - talent\n  + TALENT" in text
    assert "paragraphs (structure)" in text
    assert explain(doc) == ""
    assert unrepair(result.doc) == doc


# ------------------------------------------------------------ built-in plugins


def _run(name: str, doc: Document, **options: object) -> Document:
    info = {i.name: i for i in available_plugins(Config())}[name]
    opts = info.plugin.resolve_options(options)
    return info.plugin.run(doc, RepairContext(plugin=name, options=opts, source=doc.source.text))


def _types_values(doc: Document) -> list[tuple[str, str | None]]:
    letter = doc.children[0]
    return [(c.type, getattr(c, "value", None)) for c in letter.children]  # type: ignore[attr-defined]


def test_paragraphs_rejoins_a_sentence_split_by_a_header() -> None:
    out = _run("paragraphs", build(SPLIT))
    assert _types_values(out) == [
        ("paragraph", "We hope you will join us in the search for talent."),
        ("page_break", None),
        ("page_header", "- 2 -"),
    ]
    para = _first_para(out)
    assert para.position is not None and para.position.slice(out.source.text or "").startswith("We hope")
    assert para.position.slice(out.source.text or "").endswith("talent.")
    assert _run("paragraphs", out) == out


def test_paragraphs_joins_when_the_next_part_starts_in_lower_case() -> None:
    doc = build([("p", ["It ended, as you know, with the Rev. Mr."]), ("break", []), ("p", ["and went on."])])
    assert [t for t, _ in _types_values(_run("paragraphs", doc))] == ["paragraph", "page_break"]


def test_paragraphs_does_not_join_after_a_short_last_line() -> None:
    """A paragraph whose last line is short ended there, whatever its punctuation."""
    lines = ["This first paragraph has a long line that sets the width", "and a short one"]
    doc = build([("p", lines), ("header", ["Page 2"]), ("p", ["then more."])])
    assert _run("paragraphs", doc) == doc
    # the layout test can be switched off; trees without source text have no layout
    assert len(_types_values(_run("paragraphs", doc, full_line=0.0))) == 3
    bare = doc.evolve(source=attrs.evolve(doc.source, text=None))
    assert len(_types_values(_run("paragraphs", bare))) == 3


def test_paragraphs_keeps_paragraphs_that_end_and_begin_cleanly() -> None:
    doc = build([("p", ["It ended.”"]), ("header", ["Page 2"]), ("p", ["A new one."])])
    assert _run("paragraphs", doc) == doc
    no_break = build([("p", ["It goes on"]), ("p", ["and on."])])
    assert _run("paragraphs", no_break) == no_break


def test_paragraphs_joins_a_chain_over_three_pages_in_one_pass() -> None:
    doc = build([("p", ["one, and on"]), ("header", ["- 2 -"]), ("p", ["two, and on"]), ("break", []),
                 ("p", ["three."]), ("p", ["Next"])])
    out = _run("paragraphs", doc)
    assert _types_values(out) == [
        ("paragraph", "one, and on two, and on three."),
        ("page_break", None),
        ("page_header", "- 2 -"),
        ("page_break", None),
        ("paragraph", "Next"),
    ]
    assert _run("paragraphs", out) == out
    rec = join_record(_first_para(out))
    assert rec is not None and len(rec["parts"]) == 3
    assert unrepair(out) == doc


def test_dates_gives_date_lines_their_iso_date() -> None:
    doc = Document(children=(Letter(language="en", children=(Date(value="Washington, March 3, 1962."),
                                                             Date(value="April 29 '78"))),))
    out = _run("dates", doc)
    dates = [n for n in out.walk() if isinstance(n, Date)]
    assert [d.iso for d in dates] == ["1962-03-03", None]
    assert "dates" not in out.children[0].data  # the letter has a dated date line
    assert _run("dates", out) == out


@pytest.mark.parametrize(
    ("language", "header", "iso", "text"),
    [
        ("ru", "Господину Лукашенко / 21 июля 2004 г. / 2-я страница", "2004-07-21", "21 июля 2004 г."),
        ("en", "Mr. X / July 21, 2004 / Page 2", "2004-07-21", "July 21, 2004"),
    ],
)
def test_dates_takes_an_undated_letters_date_from_its_running_header(
    language: str, header: str, iso: str, text: str
) -> None:
    letter = Letter(language=language, children=(Paragraph(value="Text"), PageBreak(),
                                                 PageHeader(value=header, page=2), Paragraph(value="More")))
    doc = Document(children=(letter,))
    out = _run("dates", doc)
    entry = dict(out.children[0].data["dates"])
    found = entry.pop("text")
    assert entry == {"iso": iso, "from": "page_header", "page": 2}
    # the date as written in the header (how much of "г." it keeps is docparse.dates' call)
    assert found in header and found.startswith(text[:7]) and "2004" in found
    assert _run("dates", out) == out
    assert "dates" not in _run("dates", doc, headers=False).children[0].data


def test_dates_runs_after_the_cyrillic_repair_when_there_is_one() -> None:
    dates = {i.name: i for i in available_plugins(Config())}["dates"].plugin
    assert "cyrillic-lookalikes?" in dates.after


# --------------------------------------------------------- third-party plugin


def test_third_party_plugin_installs_is_discovered_and_runs(tmp_path: Path) -> None:
    """pip-install examples/third-party-plugin into a fresh target directory, then find
    it through its entry point, run it through the pipeline, and run its own tests."""
    example = REPO / "examples" / "third-party-plugin"
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(example)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    sys.path.insert(0, str(target))
    try:
        infos = {i.name: i for i in available_plugins(Config())}
        assert "straight-quotes" in infos and not infos["straight-quotes"].enabled
        assert "docparse-straight-quotes" in infos["straight-quotes"].origin
        doc = build([("p", ["He said “it’s done”."])])
        result = run_repairs(doc, Config(enable=("straight-quotes",)))
        assert result.failures == () and "straight-quotes" in result.ran
        assert _first_para(result.doc).value == "He said \"it's done\"."
        assert unrepair(result.doc) == doc
    finally:
        sys.path.remove(str(target))
        for mod in [m for m in sys.modules if m.startswith("docparse_straight_quotes")]:
            del sys.modules[mod]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")]))
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(example / "tests")],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert tests.returncode == 0, tests.stdout[-2000:]
    assert "3 passed" in tests.stdout
