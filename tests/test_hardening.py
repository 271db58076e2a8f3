"""Regression tests for the hardening of issue 14: each test names the item it covers."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import docparse
from docparse.cli import cli


def _run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


# ---------------------------------------------------------------- 1: lone surrogates


def test_parse_keeps_reports_and_escapes_lone_surrogates(tmp_path: Path) -> None:
    text = "a\ud800b\n\nDear Sir,\n\nhello \udfff there\n"
    doc = docparse.parse(text)
    assert doc.source.text == text
    warnings = doc.data["docparse"]["warnings"]
    assert len(warnings) == 1 and "2 lone surrogates" in warnings[0] and "offset 1" in warnings[0]
    for indent in (False, True):
        out = docparse.dumps(doc, indent=indent)
        assert "\\ud800" in out and "\\udfff" in out
        out.encode("utf-8")  # escaped: valid UTF-8 JSON
        assert json.loads(out)["source"]["text"] == text
        assert docparse.loads(out) == doc
        assert docparse.loads(out.encode()) == doc
    repaired = docparse.run_repairs(doc).doc
    assert docparse.loads(docparse.dumps(repaired)) == repaired
    # the CLI writes such a document (read back from its JSON) without an internal error
    path = tmp_path / "s.json"
    path.write_text(docparse.dumps(doc), encoding="utf-8")
    for args in (["render", str(path)], ["repairs", str(path)], ["render", "--format", "tei", str(path)]):
        result = _run(*args)
        assert result.exit_code == 0, result.output


def test_plain_text_has_no_warning() -> None:
    assert "docparse" not in docparse.parse("Dear Sir,\n\nhello\n").data


# ---------------------------------------------------------------- 3: siblings in order


def test_page_breaks_are_in_source_order() -> None:
    from docparse.nodes import order_problem

    doc = docparse.parse("x\f\n\n\f\n\n-2-")
    assert order_problem(doc) is None
    starts = [n.position.start.offset for n in doc.children[0].children]
    assert starts == sorted(starts)


def test_validation_catches_siblings_out_of_order() -> None:
    from docparse.nodes import order_problem
    from docparse.pipeline import _schema_problem, _structure_problem

    doc = docparse.parse("Dear Sir,\n\nfirst\n\nsecond\n")
    letter = doc.children[0]
    swapped = doc.evolve(children=(letter.evolve(children=letter.children[::-1]),))
    assert order_problem(doc) is None and _schema_problem(doc) is None
    assert "out of source order" in (order_problem(swapped) or "")
    # the checks of a plugin's result, the full one and the fast one
    assert "out of source order" in (_schema_problem(swapped) or "")
    assert "out of source order" in (_structure_problem(swapped, {}) or "")


# ---------------------------------------------------------------- 4: unrepair and language


@pytest.mark.parametrize("text", [
    "12 May 1901\n\nI1cKpeHHe\n",
    "Mbl IIoJIyqHJIH IIocbIJIKy\n\nThank you for the parcel which came on Tuesday.\n\n"
    "12 May 1901\n\ncTpaHHIJa\n\n6JIaro,IIapIO Bac\n",
])
def test_unrepair_gives_back_the_parsed_language(text: str) -> None:
    from docparse.repair import unrepair

    doc = docparse.parse(text)
    assert [letter.language for letter in doc.letters] == ["en"]
    repaired = docparse.run_repairs(doc).doc
    assert [letter.language for letter in repaired.letters] == ["ru"]
    assert unrepair(repaired) == doc
    again = docparse.run_repairs(repaired).doc  # repairs run twice: the first record stays
    assert unrepair(again) == doc
    assert unrepair(docparse.loads(docparse.dumps(repaired))) == doc


# ---------------------------------------------------------------- 5: TEI page numbers in linear time


class _Counting(list):  # type: ignore[type-arg]
    """A list that counts the items read through it (indexing, slicing, iterating)."""

    reads = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        got = super().__getitem__(key)
        _Counting.reads += len(got) if isinstance(key, slice) else 1
        return got

    def __iter__(self):  # type: ignore[no-untyped-def]
        for item in super().__iter__():
            _Counting.reads += 1
            yield item


def test_tei_page_numbers_read_each_node_a_bounded_number_of_times() -> None:
    from docparse.nodes import PageBreak, PageHeader, Paragraph
    from docparse.tei import _page_numbers

    n = 3000
    children = _Counting([Paragraph(value="a"), *(PageBreak() for _ in range(n)), PageHeader(value="- 9 -", page=9)])
    _Counting.reads = 0
    pages = _page_numbers(children)
    assert _Counting.reads <= 4 * len(children)  # the search from every break read ~n*n/2
    assert set(pages.values()) == {9}
    # the numbering itself is unchanged: a header's number, else one more than the page before
    small = [PageBreak(), Paragraph(value="a"), PageBreak(), PageHeader(value="7", page=7), PageBreak()]
    assert list(_page_numbers(small).values()) == [2, 7, 8]


def test_tei_page_turns_read_the_siblings_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 5 (found again by scripts/growth.py: 100,000 page breaks took 70 s in
    ``to_tei``): the page turns of each paragraph are looked for in the siblings after it
    read one by one, not in a copy of the rest of the letter made for every paragraph."""
    from docparse import tei

    seen = {"copies": 0, "read": 0}
    real = tei._page_turns

    def counting(node, after, source):  # type: ignore[no-untyped-def]
        if isinstance(after, list | tuple):
            seen["copies"] += 1

        def each():  # type: ignore[no-untyped-def]
            for sibling in after:
                seen["read"] += 1
                yield sibling

        return real(node, each(), source)

    monkeypatch.setattr(tei, "_page_turns", counting)
    n = 2000
    doc = docparse.parse("\n".join(f"Some text on page {i}.\f" for i in range(n)))
    xml = docparse.to_tei(doc)
    assert xml.count("<pb") >= n - 1
    assert seen["copies"] == 0
    assert seen["read"] <= 2 * n


# ---------------------------------------------------------------- 8: numeric configuration


@pytest.mark.parametrize("value", ["1e400", "nan", "inf", "-1", "1e9"])
def test_time_budget_out_of_range_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   value: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.docparse]\ntime-budget = {value}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Dear Sir,\n\nhello\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = _run("parse", "a.txt")
    assert result.exit_code == 2, result.output
    assert "'time-budget' must be" in result.output
    assert "internal error" not in result.output and "failed" not in result.output


def test_config_refuses_a_non_finite_budget() -> None:
    from docparse.config import Config

    with pytest.raises(ValueError, match="finite"):
        Config(time_budget=float("nan"))
    assert Config(time_budget=0).time_budget == 0


# ---------------------------------------------------------------- 12: no implicit code


EVIL = "import pathlib\npathlib.Path(__file__).with_name('EXECUTED').write_text('yes')\n"


@pytest.mark.parametrize("config_name", ["pyproject.toml", "docparse.toml"])
@pytest.mark.parametrize("command", [["validate", "a.txt"], ["parse", "a.txt"], ["plugins"],
                                     ["repairs", "a.txt"], ["batch", "in", "-o", "out"]])
def test_a_configuration_found_by_searching_runs_no_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config_name: str, command: list[str]
) -> None:
    table = "[tool.docparse]\n" if config_name == "pyproject.toml" else ""
    (tmp_path / config_name).write_text(table + 'load = ["evil.py", "evil_module:plugin"]\n', encoding="utf-8")
    (tmp_path / "evil.py").write_text(EVIL, encoding="utf-8")
    (tmp_path / "evil_module.py").write_text(EVIL, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Dear Sir,\n\nhello\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.txt").write_text("Dear Sir,\n\nhello\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = _run(*command)
    assert not (tmp_path / "EXECUTED").exists()
    assert result.exit_code in (0, 1), result.output  # (validate: problems found in the letter)
    assert "not loaded" in result.output


def test_docparse_config_shows_the_file_and_what_it_did_not_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("config")
    assert result.exit_code == 0 and result.output.startswith("file: none")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docparse]\nload = ["evil.py"]\ndisable = ["dates"]\n[tool.docparse.plugins.spacing]\nocr = "yes"\n',
        encoding="utf-8")
    (tmp_path / "evil.py").write_text(EVIL, encoding="utf-8")
    result = _run("config", "--format", "json")
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["file"] == str(tmp_path / "pyproject.toml")
    assert shown["not-loaded"] == [str(tmp_path / "evil.py")] and shown["disable"] == ["dates"]
    assert shown["plugins"] == {"spacing": {"ocr": "yes"}}
    assert "not loaded" in _run("config").output
    assert not (tmp_path / "EXECUTED").exists()


def test_validate_config_named_explicitly_loads_its_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.docparse]\nload = ["evil.py"]\n', encoding="utf-8")
    (tmp_path / "evil.py").write_text(EVIL, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Dear Sir,\n\nhello\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _run("validate", "--config", "pyproject.toml", "a.txt")
    assert (tmp_path / "EXECUTED").exists()  # asked for: --config names the file


# ---------------------------------------------------------------- 9: special files


def _cli(*args: str, cwd: Path | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The command line in a subprocess (a hang fails the test after ``timeout`` s)."""
    return subprocess.run([sys.executable, "-c", "from docparse.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_in_one_line_and_the_other_files_are_parsed(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("Dear Sir,\n\nhello\n", encoding="utf-8")
    run = _cli("parse", "--format", "jsonl", str(fifo), str(good))
    assert run.returncode == 1
    assert run.stderr.strip() == f"docparse: {fifo}: is a FIFO (named pipe), not a regular file " \
        "(to read a stream, give - and redirect it to stdin)"
    assert len(run.stdout.splitlines()) == 1 and json.loads(run.stdout)["source"]["name"] == str(good)
    with pytest.raises(docparse.InputError, match="FIFO"):
        docparse.parse_file(fifo)


@pytest.mark.skipif(not Path("/dev/stdin").exists() or sys.platform != "linux", reason="no /dev/stdin")
def test_a_pipe_already_open_is_still_read() -> None:
    run = subprocess.run([sys.executable, "-c", "from docparse.cli import main; main()", "parse", "/dev/stdin"],
                         input=LETTER, capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["source"]["text"] == LETTER


def test_a_device_is_refused() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(docparse.InputError, match="character device"):
        docparse.parse_file("/dev/zero")


# ---------------------------------------------------------------- batch inputs: 9, 11, 13, 14


LETTER = "Dear Sir,\n\nhello\n"


def _batch(inputs: list[Path], out: Path, **kw: object) -> tuple[object, list[str]]:
    from docparse.batch import run_batch

    said: list[str] = []
    summary = run_batch([str(i) for i in inputs], out, jobs=1, progress=False, echo=said.append, **kw)  # type: ignore[arg-type]
    return summary, said


def test_batch_output_names_that_collide_are_made_unique_and_reported(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "a.txt", "a.txt.txt"):
        (src / name).write_text(LETTER + name + "\n", encoding="utf-8")
    summary, said = _batch([src], tmp_path / "out", pattern="*")
    assert summary.written == 3 and summary.failed == 0  # type: ignore[attr-defined]
    outputs = sorted(p.name for p in (tmp_path / "out").glob("*.json") if not p.name.startswith("_"))
    assert outputs == ["a.json", "a.txt.json", "a.txt~2.json"]
    names = {docparse.loads((tmp_path / "out" / o).read_bytes()).source.name for o in outputs}
    assert names == {"a", "a.txt", "a.txt.txt"}  # nothing lost
    assert any("a.txt.txt: written as a.txt~2.json" in line for line in said)


def test_batch_does_not_follow_symlinks_out_of_the_input_tree(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "b.txt").write_text(LETTER, encoding="utf-8")
    outside = tmp_path / "elsewhere" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(LETTER, encoding="utf-8")
    (src / "sub" / "link.txt").symlink_to(outside)
    summary, said = _batch([src], tmp_path / "out")
    assert summary.inputs == 1  # type: ignore[attr-defined]
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.json")
                  if not p.name.startswith("_")) == ["sub/b.json"]  # under the same root as before
    assert any("link.txt: not followed" in line and "--follow-symlinks" in line for line in said)
    summary, said = _batch([src], tmp_path / "out2", follow_symlinks=True)
    assert summary.written == 2  # type: ignore[attr-defined]
    assert (tmp_path / "out2" / "sub" / "link.json").is_file() and (tmp_path / "out2" / "sub" / "b.json").is_file()


def test_batch_follow_symlinks_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "x.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "in" / "l.txt").symlink_to(tmp_path / "x.txt")
    monkeypatch.chdir(tmp_path)
    result = _run("batch", "in", "-o", "out", "-j", "1", "--follow-symlinks")
    assert result.exit_code == 0 and (tmp_path / "out" / "l.json").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_batch_reports_a_fifo_in_an_input_folder_and_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    os.mkfifo(src / "a.txt")
    (src / "b.txt").write_text(LETTER, encoding="utf-8")
    summary, _ = _batch([src], tmp_path / "out")
    assert summary.written == 1 and summary.failed == 1  # type: ignore[attr-defined]
    assert "FIFO" in (tmp_path / "out" / "_errors.jsonl").read_text(encoding="utf-8")


def test_batch_takes_inputs_named_like_its_temp_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / ".docparse-tmp-notes.txt").write_text(LETTER, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".docparse-tmp-keep.txt").write_text("mine", encoding="utf-8")  # not one of ours
    summary, _ = _batch([src], out)
    assert summary.written == 1  # type: ignore[attr-defined]
    assert (out / ".docparse-tmp-notes.json").is_file() and (out / ".docparse-tmp-keep.txt").exists()


def test_batch_refuses_the_input_folder_as_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(LETTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for out in ("in", "./in/", str(tmp_path / "in"), "."):
        result = _run("batch", "in", "-o", out, "-j", "1")
        assert result.exit_code == 2, (out, result.output)
        assert "is the input folder" in result.output


# ---------------------------------------------------------------- 10: a full disk


class _FullDisk(io.FileIO):
    """A file on a disk that is full: every write fails with ENOSPC."""

    def write(self, data):  # type: ignore[no-untyped-def, override]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _full_fdopen(fd: int, mode: str = "r", *args: object, **kw: object) -> io.FileIO:
    return _FullDisk(fd, "wb")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_parse_output_on_a_full_disk_exits_1_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    (tmp_path / "a.txt").write_text(LETTER, encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "fdopen", _full_fdopen)
    result = CliRunner().invoke(cli, ["parse", "--format", fmt, "a.txt", "-o", "out.json"])
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == ["docparse: out.json: cannot write (No space left on device)"]
    assert out.read_text(encoding="utf-8") == "old"  # left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "out.json"]  # no temp file left


@pytest.mark.parametrize("fill", [0.0, 0.1, 0.3, 0.45])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_batch_on_a_full_disk_names_the_file_removes_temps_and_keeps_the_manifest_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, fill: float
) -> None:
    from docparse import batch

    src = tmp_path / "in"
    src.mkdir()
    for k in range(6):
        (src / f"l{k}.txt").write_text(LETTER + f"letter {k}\n", encoding="utf-8")
    out = tmp_path / "out"
    batch.run_batch([str(src)], out, jobs=1, fmt=fmt, progress=False)  # a first, full run
    for k in range(3, 6):  # three inputs change: their outputs must be written again
        (src / f"l{k}.txt").write_text(LETTER + f"changed {k}\n", encoding="utf-8")

    # the disk fills up during the second run: at its start (fill 0: the manifest's
    # rewrite), or part way through the outputs it writes again (half of the first run's)
    manifest = (out / "_manifest.jsonl").stat().st_size
    outputs = sum(p.stat().st_size for p in out.iterdir() if not p.name.startswith("_"))
    room = manifest + int(fill * outputs) if fill else 0
    real_write = os.write
    budget = {"bytes": room}

    def full_write(fd: int, data: bytes) -> int:
        if budget["bytes"] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = min(len(data), budget["bytes"])
        budget["bytes"] -= n
        return real_write(fd, bytes(data[:n]))

    class FullFile(io.FileIO):
        def write(self, data):  # type: ignore[no-untyped-def, override]
            view = memoryview(data)
            while view:  # (as a buffered file does: all of it, or an error)
                view = view[full_write(self.fileno(), view):]
            return len(data)

    real_open = open

    def full_open(file, mode="r", *args, **kw):  # type: ignore[no-untyped-def]
        if "w" in mode and Path(file).name.startswith(".docparse-tmp-"):
            return FullFile(file, "wb")
        return real_open(file, mode, *args, **kw)

    monkeypatch.setattr(batch.os, "write", full_write)
    monkeypatch.setattr("builtins.open", full_open)
    monkeypatch.chdir(tmp_path)
    said: list[str] = []
    try:
        summary = batch.run_batch([str(src)], out, jobs=1, fmt=fmt, progress=False, echo=said.append)
    except batch.WriteError as exc:  # the manifest (at the start) or the summary (at the end)
        assert str(exc).startswith(str(out)) and str(exc).endswith(": cannot write (No space left on device)")
        failed = [line for line in said if line.startswith("docparse batch: failed: ")]
    else:
        assert summary.exit_code == 1
        failed = [reason for _, reason in summary.errors]
    if room:  # some outputs could not be written: each is named, with its file
        assert failed and all("cannot write (No space left on device)" in line for line in failed)
        assert any(".json: cannot write" in line or "documents.jsonl: cannot write" in line
                   or "_manifest.jsonl: cannot write" in line for line in failed)
    monkeypatch.undo()
    assert not [p for p in out.rglob(".docparse-tmp-*")]  # no temp file left
    lines = (out / "_manifest.jsonl").read_bytes().splitlines()
    assert all(json.loads(line)["input"] for line in lines)  # no torn line
    # and a rerun on a disk with room again makes every output
    again = batch.run_batch([str(src)], out, jobs=1, fmt=fmt, progress=False)
    assert again.failed == 0 and again.written + again.skipped == 6


def test_a_batch_worker_that_cannot_write_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docparse import batch

    monkeypatch.setattr(batch.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    dest = tmp_path / "a.json"
    task = batch.Task(rel="a.txt", out="a.json", data=LETTER.encode(), sha256="0", dest=str(dest), fsync=False, fmt="json")
    result = batch.process_task(task, None)
    assert result.error == f"a.txt: {dest}: cannot write (No space left on device)"
    assert list(tmp_path.iterdir()) == []  # the temp file is gone


# ---------------------------------------------------------------- 14: encodings


FRENCH = ("Paris, le 3 mai 1901\n\nTrès cher ami,\n\nJe vous écris enfin après un très long été passé à la "
          "campagne. Votre lettre m'a fait grand plaisir, et je me réjouis de vous revoir bientôt à Genève.\n\n"
          "Votre dévoué,\nÉmile\n")
RUSSIAN = ("Москва, 3 мая 1901\n\nДорогой Иван Петрович!\n\nПосылку получил, благодарю Вас от всей души. "
           "Пишу вам из Москвы.\n\nВаш Николай\n")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_french_is_not_read_as_cp1250(encoding: str) -> None:
    from docparse.source import decode

    text, used = decode(FRENCH.encode(encoding))
    assert text == FRENCH and "Trčs" not in text
    assert used in ("cp1252", "iso8859-15", "latin-1")


def test_czech_in_cp1250_stays_cp1250() -> None:
    from docparse.source import decode

    czech = "Vážený pane, děkuji Vám za Váš dopis. Těším se na setkání v Praze příští týden.\n" * 3
    assert decode(czech.encode("cp1250")) == (czech, "cp1250")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_russian_without_a_bom_is_read(encoding: str) -> None:
    doc = docparse.parse_bytes(RUSSIAN.encode(encoding))
    assert doc.source.text == RUSSIAN and doc.source.encoding == encoding


def test_binary_with_nul_bytes_is_still_refused() -> None:
    data = bytes(range(256)) * 8
    with pytest.raises(docparse.InputError, match="binary"):
        docparse.parse_bytes(data)


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib"])
def test_an_encoding_that_is_no_text_encoding_is_a_usage_error(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "a.txt").write_text(LETTER, encoding="utf-8")
    result = _run("parse", "--encoding", encoding, str(tmp_path / "a.txt"))
    assert result.exit_code == 2 and "not a text encoding" in result.output


# ---------------------------------------------------------------- 7: plugin isolation


BROKEN_PLUGINS = '''\
import os, sys
from docparse.plugin import repair_plugin

class Mine(BaseException):
    pass

@repair_plugin(name="own-base", description="raises its own BaseException", default=True)
def own_base(doc, ctx):
    raise Mine("boom")

@repair_plugin(name="mutator", description="empties its input in place", default=True)
def mutator(doc, ctx):
    object.__setattr__(doc, "children", ())
    doc.data["mutated"] = True
    return doc

@repair_plugin(name="printer", description="prints", default=True)
def printer(doc, ctx):
    print("hello from a plugin")
    return doc

@repair_plugin(name="exiter", description="sys.exit", default=True)
def exiter(doc, ctx):
    sys.exit(0)
'''

HARD_PLUGINS = '''\
import os
from docparse.plugin import repair_plugin

@repair_plugin(name="hard-exit", description="os._exit", default=True)
def hard_exit(doc, ctx):
    os._exit(0)

@repair_plugin(name="catch-all", description="catches every exception, for ever", default=True)
def catch_all(doc, ctx):
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass

@repair_plugin(name="fd-printer", description="writes to file descriptor 1", default=True)
def fd_printer(doc, ctx):
    os.write(1, b"garbage on stdout")
    return doc
'''

OCR_LETTER = "Dear Sir,\n\nthe  letter , here\n\nYours truly,\nAda\n"


def _isolation_run(tmp_path: Path, plugins: str, *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:  # type: ignore[type-arg]
    (tmp_path / "plugs.py").write_text(plugins, encoding="utf-8")
    (tmp_path / "a.txt").write_text(OCR_LETTER, encoding="utf-8")
    run = _cli("parse", "--compact", "--plugin", "plugs.py", *args, "a.txt", cwd=tmp_path, timeout=60)
    return run, (json.loads(run.stdout) if run.stdout.strip() else {})


def _failed_lines(stderr: str) -> dict[str, str]:
    return {line.split("'")[1]: line for line in stderr.splitlines() if line.startswith("docparse: a.txt: plugin '")}


def test_a_broken_plugin_is_one_line_and_the_others_changes_are_kept(tmp_path: Path) -> None:
    run, doc = _isolation_run(tmp_path, BROKEN_PLUGINS)
    assert run.returncode == 0, run.stderr
    failed = _failed_lines(run.stderr)
    assert set(failed) == {"own-base", "mutator", "exiter"}
    assert "failed: Mine: boom; its changes were dropped" in failed["own-base"]
    assert "failed: SystemExit: 0" in failed["exiter"]
    assert "without a recorded repair" in failed["mutator"]
    assert "hello from a plugin" in run.stderr  # printed, but not into the JSON
    ran = [p["name"] for p in doc["data"]["docparse"]["plugins"]]
    assert "printer" in ran and "spacing" in ran and "mutator" not in ran
    assert doc["children"] and "mutated" not in doc.get("data", {})
    assert "letter," in json.dumps(doc)  # spacing's repair is there
    strict, _ = _isolation_run(tmp_path, BROKEN_PLUGINS, "--strict")
    assert strict.returncode == 3 and len(_failed_lines(strict.stderr)) == 1 and not strict.stdout


def test_a_plugin_changing_its_input_in_place_cannot_reach_the_caller(tmp_path: Path) -> None:
    from docparse.pipeline import load_spec, run_plugin

    (tmp_path / "plugs.py").write_text(BROKEN_PLUGINS, encoding="utf-8")
    mutator = next(p for p in load_spec(str(tmp_path / "plugs.py")) if p.name == "mutator")
    doc = docparse.parse(OCR_LETTER)
    before = docparse.dumps(doc)
    out, failure = run_plugin(mutator, doc)
    assert failure is not None and failure.kind == "invalid"
    assert out is doc and docparse.dumps(doc) == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs fork")
def test_process_isolation_stops_what_a_thread_cannot(tmp_path: Path) -> None:
    (tmp_path / "docparse.toml").write_text("time-budget = 1.0\n", encoding="utf-8")
    run, doc = _isolation_run(tmp_path, HARD_PLUGINS, "--isolation", "process")
    assert run.returncode == 0, run.stderr
    failed = _failed_lines(run.stderr)
    assert set(failed) == {"hard-exit", "catch-all"}
    assert "ended its process without a result (it exited with code 0)" in failed["hard-exit"]
    assert "took longer than its budget of 1 s (its process was killed)" in failed["catch-all"]
    assert "garbage on stdout" not in run.stdout and "garbage on stdout" in run.stderr
    ran = [p["name"] for p in doc["data"]["docparse"]["plugins"]]
    assert "fd-printer" in ran and "spacing" in ran


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs fork")
def test_process_isolation_limits_memory() -> None:
    from docparse._isolate import ProcessFailure, call_in_process

    with pytest.raises(ProcessFailure, match="memory limit of 200 MiB"):
        call_in_process(lambda: bytearray(400 * 1024 * 1024), 20, memory_mib=200)
    assert call_in_process(lambda: 41 + 1, 20) == 42


def test_isolation_and_memory_limit_are_validated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docparse.config import load_config

    monkeypatch.chdir(tmp_path)
    (tmp_path / "docparse.toml").write_text('isolation = "process"\nmemory-limit = 512\n', encoding="utf-8")
    cfg = load_config()
    assert cfg.isolation == "process" and cfg.memory_limit == 512
    for bad in ('isolation = "jail"\n', "memory-limit = -1\n", "memory-limit = 1.5\n"):
        (tmp_path / "docparse.toml").write_text(bad, encoding="utf-8")
        with pytest.raises(docparse.UsageError):
            load_config()


# ---------------------------------------------------------------- found by scripts/fuzz.py


def test_repairs_of_a_memo_are_kept() -> None:
    """A grammar plugin's node (the memo's ``memo_header``) stands in a letter as an
    extension node: a repair plugin that changes such a letter is not failed for it
    (the check took every registered type for a built-in one, and dropped the repairs)."""
    text = ("INTER-OFFICE MEMORANDUM\nTO:       All department heads\n"
            "FROM:     Ruth Abernathy, Director of Finance\nDATE:     October 14, 1998\n"
            "SUBJECT:  Budget requests\n\nPlease use the revised forms , which your office "
            "managers received last week .\n")
    doc = docparse.parse(text)
    assert "memo_header" in [n.type for n in doc.walk()]
    result = docparse.run_repairs(doc)
    assert result.failures == ()
    assert "forms, which" in next(n.value for n in result.doc.walk() if n.type == "paragraph")


@pytest.mark.parametrize("unit", ["word", "wordsmith", "rnrnrn"])
def test_a_run_on_word_line_makes_no_candidates(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    """Item 6: a run-on word line (one token of thousands of letters) gets no correction
    candidates made, whose number and size grew with its length (gigabytes for 60 KB)."""
    from docparse import spelling

    made: list[int] = []
    insert = spelling._insert_candidates

    def counted(low: str) -> set[str]:
        made.append(len(low))
        return insert(low)

    monkeypatch.setattr(spelling, "_insert_candidates", counted)
    spelling._lexicon_candidates.cache_clear()
    spelling._variant_set.cache_clear()
    text = unit * 2000 + "\n\n" + unit * 2000 + " " + unit * 2000 + "x\n"
    result = docparse.run_repairs(docparse.parse(text))
    assert result.failures == ()
    assert all(n <= spelling._LONGEST for n in made), max(made)
    # a long token and one letter more are still variants of each other (no set made)
    assert spelling._variants_in(unit * 2000, {unit * 2000 + "x": 3, unit * 2000: 2}) == {unit * 2000 + "x"}


def test_a_surrogate_pair_is_read_as_its_character() -> None:
    """A high and a low surrogate in turn (found by scripts/fuzz.py) are one character:
    kept apart, the document's JSON read back held that character and was not the same
    document (``loads(dumps(d)) != d``, its positions one code point off)."""
    text = "\ud869\udc1b\nI sent the revised copy.\n\ud800 and \udc1b\ud869 stay\n"
    doc = docparse.parse(text)
    assert doc.source.text == "\U0002a41b" + text[2:]
    assert docparse.loads(docparse.dumps(doc)) == doc
    warnings = doc.data["docparse"]["warnings"]
    assert "1 surrogate pair" in warnings[0] and "3 lone surrogates" in warnings[1]


def test_a_long_line_of_cut_words_is_repaired_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 6 (found by scripts/fuzz.py: "the m ixed " * 10,000 took the spacing plugin
    over 10 s): the edits of a value are compared with each other a number of times
    linear in their number (the plugin searched a list once per edit)."""
    from docparse.edits import Edit

    calls = 0
    eq = Edit.__eq__

    def counted(self: Edit, other: object) -> bool:
        nonlocal calls
        calls += 1
        return eq(self, other)

    monkeypatch.setattr(Edit, "__eq__", counted)
    counts = []
    for n in (500, 1000):
        calls = 0
        result = docparse.run_repairs(docparse.parse("Dear Sir,\n\n" + "the m ixed " * n + "\n"))
        assert result.failures == ()
        counts.append(calls)
    assert counts[1] <= 2.3 * max(counts[0], 1), counts


def test_repairs_of_many_alike_lines_are_aligned_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 6 (30,000 look-alike lines took 2.4 GB with repairs; 400 took 75 s): the
    source spans of the repairs of a paragraph of many alike lines are found matching
    each line about once (the alignment's states grew as the square of the lines)."""
    from docparse import repair

    calls = 0
    match = repair._match_line

    def counted(*args):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return match(*args)

    monkeypatch.setattr(repair, "_match_line", counted)
    counts = []
    for n in (300, 600):
        calls = 0
        repair._align.cache_clear()
        result = docparse.run_repairs(docparse.parse("HIOJl5I JIYKameHKo cTpaHHIJa\n" * n))
        assert result.failures == ()
        assert "Лукашенко" in result.doc.children[0].children[0].value
        repairs = [r for leaf in result.doc.walk() for r in leaf.repairs]
        assert len(repairs) >= n and all(r.end - r.start < 40 for r in repairs)  # aligned, not the whole span
        counts.append(calls)
    assert counts[1] <= 2.3 * counts[0], counts


def test_an_address_is_looked_for_from_a_token_start_only() -> None:
    """Item 6 (found by scripts/fuzz.py: a 100,000-letter word in a letter holding an
    e-mail address took the spacing plugin 40 s): the address pattern starts at a token's
    start only, so a long token is not scanned to its end from each of its letters; the
    protected spans are those it always found."""
    from docparse.spacing import _URLISH, _protected_spans

    assert _URLISH.search("xa@b.c", 1) is None  # not from inside a token
    assert _protected_spans("write to ann@example.org or see www.example.org/x today") == [(9, 24), (32, 49)]
    assert _protected_spans("(see <http://example.org>)") == [(6, 26)]
    text = "w" * 50_000 + " mail me: ann@example.org"
    assert _protected_spans(text) == [(50_010, 50_025)]


def test_a_long_lookalike_line_is_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by scripts/fuzz.py: a line of 100,000 X's (look-alikes of Х) hung the parse,
    the search of a token's readings growing as the square of its length. A token longer
    than any look-alike word is not searched; shorter ones are, as before."""
    from docparse import cyrillic

    searched: list[int] = []
    paths = cyrillic._paths

    def counted(core: str, *args):  # type: ignore[no-untyped-def]
        searched.append(len(core))
        return paths(core, *args)

    monkeypatch.setattr(cyrillic, "_paths", counted)
    cyrillic._decode_word.cache_clear()
    doc = docparse.parse("X" * 5_000 + "\n\nJIYKameHKo\n")
    assert doc.source.text.startswith("XXX")
    assert searched and max(searched) <= cyrillic._LONGEST_CORE
    assert cyrillic._decode_word("JIYKameHKo") is not None


def test_a_salutation_never_runs_on_into_the_next_letter() -> None:
    """Found by scripts/fuzz.py: "\\fDear Sir,\\n\\fDear Sir,\\n\\nAll is well here.\\n" -- the
    first letter's vocative ran on over the page turn into the second letter's salutation, so
    that line stood in both letters. No two leaves share a character of the source."""
    text = "\fDear Sir,\n\fDear Sir,\n\nAll is well here.\n"
    doc = docparse.parse(text)
    spans = sorted((n.position.start.offset, n.position.end.offset)
                   for n in doc.walk() if isinstance(n, docparse.Leaf) and n.position is not None)
    assert all(b[0] >= a[1] for a, b in zip(spans, spans[1:])), spans
    assert [len(letter.children) > 0 for letter in doc.children] == [True, True]
