"""Tests of ``docparse batch`` (:mod:`docparse.batch`): outputs, resuming, errors, exit codes.

The archive is generated in ``tmp_path`` (small letters written here), so the tests
need no corpus and run in seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

import docparse
from docparse.batch import (
    ERRORS_NAME,
    JSONL_NAME,
    MANIFEST_NAME,
    SUMMARY_NAME,
    collect_inputs,
    fingerprint,
    run_batch,
)
from docparse.cli.batch import batch_command
from docparse.config import Config
from docparse.pipeline import run_repairs

_NAMES = ["Ann Baker", "Boris Petrov", "Clara Diaz", "Dmitri Orlov", "Eve Stone"]
_TOPICS = ["the harvest", "the new school", "your last letter", "the journey north", "the bridge"]


def _letter(i: int) -> str:
    """A small, plain letter that differs from the others by its numbers and names."""
    to, sender = _NAMES[i % 5], _NAMES[(i + 2) % 5]
    topic = _TOPICS[(i * 3) % 5]
    return (
        f"{10 + i % 17} Mill Road\nSpringfield\n\nMarch {1 + i % 28}, {1900 + i}\n\n"
        f"Dear {to.split()[0]},\n\n"
        f"Thank you for your note about {topic}. We spoke of it {i} times at dinner,\n"
        f"and everyone agreed that it deserves a longer answer than this one.\n\n"
        f"I shall write again when the weather turns; until then, my regards to all.\n\n"
        f"Yours sincerely,\n\n{sender}\n"
    )


def _archive(root: Path, n: int = 24, *, bad: bool = True) -> Path:
    """``n`` letters in two sub-folders, plus (with ``bad``) a binary and an empty file."""
    archive = root / "archive"
    for i in range(n):
        folder = archive / ("a" if i % 2 else "b/c")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"letter{i:03d}.txt").write_text(_letter(i), encoding="utf-8")
    (archive / "notes.md").write_text("not a letter: a directory takes *.txt only\n")
    if bad:
        (archive / "a" / "binary.txt").write_bytes(b"\x00\x01\x02\x03 not text")
        (archive / "b" / "empty.txt").write_bytes(b"")
    return archive


def _outputs(out: Path) -> dict[str, bytes]:
    """Every document output below ``out`` (relative POSIX name -> bytes)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*.json")
        if p.name != SUMMARY_NAME
    }


def _expected(archive: Path, rel: str, *, repairs: bool = True) -> bytes:
    data = (archive / rel).read_bytes()
    doc = docparse.parse_bytes(data, rel)
    if repairs:
        doc = run_repairs(doc, Config()).doc
    return docparse.dumps(doc).encode("utf-8") + b"\n"


def test_outputs_mirror_the_tree_and_equal_a_single_parse(tmp_path: Path) -> None:
    """Each good input has one output at its mirrored path, byte-equal to parsing and
    repairing that input alone; the bad ones are in the errors file, not in OUT."""
    archive = _archive(tmp_path)
    out = tmp_path / "out"
    summary = run_batch([archive], out, jobs=2, progress=False)
    assert (summary.inputs, summary.written, summary.skipped, summary.failed) == (26, 24, 0, 2)
    assert summary.exit_code == 1
    outputs = _outputs(out)
    expected_names = {
        f"{'a' if i % 2 else 'b/c'}/letter{i:03d}.json" for i in range(24)
    }
    assert set(outputs) == expected_names
    for name, body in outputs.items():
        assert body == _expected(archive, name[: -len(".json")] + ".txt")
        assert isinstance(docparse.loads(body), docparse.Document)
    errors = [orjson.loads(line) for line in (out / ERRORS_NAME).read_bytes().splitlines()]
    assert sorted(e["input"] for e in errors) == ["a/binary.txt", "b/empty.txt"]
    assert all(e["reason"] and "\n" not in e["reason"] for e in errors)
    written = json.loads((out / SUMMARY_NAME).read_text())
    assert written["written"] == 24 and written["failed"] == 2 and written["inputs"] == 26


def test_one_worker_and_two_workers_write_the_same_bytes(tmp_path: Path) -> None:
    """The pool changes the speed, not the result."""
    archive = _archive(tmp_path, 12, bad=False)
    run_batch([archive], tmp_path / "one", jobs=1, progress=False)
    run_batch([archive], tmp_path / "two", jobs=2, progress=False)
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")
    assert len(_outputs(tmp_path / "one")) == 12


def test_rerun_skips_up_to_date_and_redoes_damaged_outputs(tmp_path: Path) -> None:
    """After a simulated kill (a deleted output, a truncated one, one overwritten with
    garbage, a torn manifest line and a stale temp file), the rerun writes exactly the
    damaged ones, removes the temp file, and every output is present once and valid."""
    archive = _archive(tmp_path, 20, bad=False)
    out = tmp_path / "out"
    first = run_batch([archive], out, jobs=2, progress=False)
    assert first.written == 20
    before = _outputs(out)
    (out / "a/letter001.json").unlink()
    with open(out / "a/letter003.json", "r+b") as fh:
        fh.truncate(50)
    (out / "b/c/letter004.json").write_bytes(b'{"type": "root", "child')
    stale = out / "a" / ".docparse-tmp-letter005.json.4242"
    stale.write_bytes(b'{"half": ')
    with open(out / MANIFEST_NAME, "ab") as fh:
        fh.write(b'{"input": "a/letter00')  # the append a kill interrupted
    second = run_batch([archive], out, jobs=2, progress=False)
    assert (second.written, second.skipped, second.failed) == (3, 17, 0)
    assert not stale.exists()
    assert not list(out.rglob(".docparse-tmp-*"))
    assert _outputs(out) == before
    third = run_batch([archive], out, jobs=2, progress=False)
    assert (third.written, third.skipped) == (0, 20)
    manifest = [orjson.loads(line) for line in (out / MANIFEST_NAME).read_bytes().splitlines()]
    assert sorted(e["input"] for e in manifest) == sorted(
        f"{'a' if i % 2 else 'b/c'}/letter{i:03d}.txt" for i in range(20)
    )


def test_changed_input_or_versions_are_redone(tmp_path: Path) -> None:
    """An edited input is redone alone; another plugin set redoes everything."""
    archive = _archive(tmp_path, 6, bad=False)
    out = tmp_path / "out"
    run_batch([archive], out, jobs=1, progress=False)
    target = archive / "a" / "letter001.txt"
    target.write_text(_letter(1).replace("Mill Road", "Mill Lane"), encoding="utf-8")
    again = run_batch([archive], out, jobs=1, progress=False)
    assert (again.written, again.skipped) == (1, 5)
    assert b"Mill Lane" in (out / "a/letter001.json").read_bytes()
    parse_only = run_batch([archive], out, jobs=1, progress=False, repairs=False)
    assert (parse_only.written, parse_only.skipped) == (6, 0)
    assert (out / "a/letter001.json").read_bytes() == _expected(archive, "a/letter001.txt", repairs=False)
    assert fingerprint(None)["plugins"] == []
    assert [p["name"] for p in fingerprint(Config())["plugins"]]  # the defaults run something


def test_rerun_is_up_to_date_with_tuple_options(tmp_path: Path) -> None:
    """A plugin whose option default is a tuple (JSON has only lists) does not make
    every rerun redo everything: the fingerprint compares as JSON."""
    archive = _archive(tmp_path, 4, bad=False)
    plugin = tmp_path / "tuple_option.py"
    plugin.write_text(
        "from docparse.plugin import repair_plugin\n\n"
        "@repair_plugin(name='tuple-option', description='Has a tuple option.', options={'langs': ('en', 'ru')})\n"
        "def plugin(tree, ctx):\n    return tree\n"
    )
    config = Config(load=(str(plugin),))
    out = tmp_path / "out"
    assert run_batch([archive], out, jobs=1, progress=False, config=config).written == 4
    again = run_batch([archive], out, jobs=1, progress=False, config=config)
    assert (again.written, again.skipped) == (0, 4)


def test_jsonl_holds_each_input_once_after_a_torn_tail(tmp_path: Path) -> None:
    """JSONL: a run, then a half-written last line and an unrecorded whole line (a kill
    between the write and the manifest), then a rerun: each input exactly once."""
    archive = _archive(tmp_path, 10, bad=False)
    out = tmp_path / "out"
    first = run_batch([archive], out, jobs=2, fmt="jsonl", progress=False)
    assert first.written == 10
    path = out / JSONL_NAME
    lines = path.read_bytes().splitlines(keepends=True)
    manifest = (out / MANIFEST_NAME).read_bytes().splitlines(keepends=True)
    # forget the last two records, and tear the very last line in half
    (out / MANIFEST_NAME).write_bytes(b"".join(manifest[:-2]))
    path.write_bytes(b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])
    second = run_batch([archive], out, jobs=2, fmt="jsonl", progress=False)
    assert (second.written, second.skipped) == (2, 8)
    docs = [docparse.loads(line) for line in path.read_bytes().splitlines()]
    names = sorted(d.source.name for d in docs)
    assert names == sorted(f"{'a' if i % 2 else 'b/c'}/letter{i:03d}.txt" for i in range(10))


def test_a_worker_that_dies_fails_only_its_input(tmp_path: Path) -> None:
    """A plugin that kills its worker process (as a crash in C code would) on one
    letter: that letter is listed as failed; every other letter is written."""
    archive = _archive(tmp_path, 10, bad=False)
    (archive / "a" / "poison.txt").write_text(_letter(3).replace("Dear", "POISON\n\nDear"))
    plugin = tmp_path / "killer.py"
    plugin.write_text(
        "import os\n"
        "from docparse.plugin import repair_plugin\n\n"
        "@repair_plugin(name='killer', description='Dies on POISON.')\n"
        "def plugin(tree, ctx):\n"
        "    if 'POISON' in (tree.source.text or ''):\n"
        "        os._exit(9)\n"
        "    return tree\n"
    )
    out = tmp_path / "out"
    summary = run_batch([archive], out, jobs=2, progress=False, config=Config(load=(str(plugin),)))
    assert (summary.written, summary.failed) == (10, 1)
    assert summary.errors[0][0] == "a/poison.txt"
    assert "died" in summary.errors[0][1]
    assert len(_outputs(out)) == 10


def _start_batch(archive: Path, out: Path, outputs: int) -> subprocess.Popen[bytes]:
    """``docparse batch ARCHIVE -o OUT -j 2`` in a new session (its pool in the same one),
    returned once ``outputs`` outputs are recorded in the manifest (or the run ended)."""
    cmd = [
        sys.executable, "-c",
        "import sys; from docparse.cli.batch import batch_command; batch_command.main(sys.argv[1:])",
        str(archive), "-o", str(out), "-j", "2", "--no-progress",
    ]
    proc = subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    manifest = out / MANIFEST_NAME
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= outputs:
            break
        time.sleep(0.02)
    return proc


@pytest.mark.parametrize("how", ["SIGKILL to the process group", "SIGTERM to the main process"])
def test_killed_run_then_rerun_writes_each_output_once(tmp_path: Path, how: str) -> None:
    """A real kill once some outputs exist (SIGKILL to the whole process group, or
    SIGTERM to the main process, which then stops its pool and exits 143); the rerun
    finishes and every output is present exactly once and valid JSON."""
    archive = _archive(tmp_path, 160, bad=False)
    out = tmp_path / "out"
    proc = _start_batch(archive, out, 20)
    killed = proc.poll() is None
    if killed and how.startswith("SIGKILL"):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    elif killed:
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 128 + signal.SIGTERM
        with contextlib.suppress(ProcessLookupError):  # the pool's helpers may still be exiting
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.wait(timeout=30)
    done_before = len(_outputs(out))
    rerun = run_batch([archive], out, jobs=2, progress=False)
    assert rerun.failed == 0
    assert rerun.written + rerun.skipped == 160
    if killed:
        assert rerun.skipped >= 20
    outputs = _outputs(out)
    assert len(outputs) == 160 >= done_before
    for body in outputs.values():
        assert isinstance(docparse.loads(body), docparse.Document)
    assert not list(out.rglob(".docparse-tmp-*"))


def _session(sid: int) -> list[int]:
    """The pids of the live processes in session ``sid`` (Linux /proc)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                pids.append(int(stat.parent.name))
    return pids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_workers_exit_when_the_batch_process_is_killed(tmp_path: Path) -> None:
    """SIGKILL to the batch process alone (as the OOM killer does): its worker processes,
    and the pool's helper processes, end on their own within seconds instead of idling on
    for good with their memory."""
    archive = _archive(tmp_path, 400, bad=False)
    out = tmp_path / "out"
    proc = _start_batch(archive, out, 10)
    try:
        if proc.poll() is not None:
            pytest.fail("the batch finished before it could be killed: give it more inputs")
        assert len(_session(proc.pid)) >= 3  # the batch process and its two workers at least
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _session(proc.pid) == []
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_cli_exit_codes_and_summary(tmp_path: Path) -> None:
    """0 when every input parsed, 1 when some failed, 2 for usage errors."""
    good = _archive(tmp_path / "g", 3, bad=False)
    runner = CliRunner()
    ok = runner.invoke(batch_command, [str(good), "-o", str(tmp_path / "o1"), "-j", "1"])
    assert ok.exit_code == 0, ok.output
    assert "3 written" in ok.output
    again = runner.invoke(batch_command, [str(good), "-o", str(tmp_path / "o1"), "-j", "1"])
    assert again.exit_code == 0 and "3 up to date" in again.output
    bad = _archive(tmp_path / "b", 2)
    some = runner.invoke(batch_command, [str(bad), "-o", str(tmp_path / "o2"), "-j", "1"])
    assert some.exit_code == 1
    assert ERRORS_NAME in some.output
    for args in (
        [str(good)],  # no -o
        [str(tmp_path / "missing"), "-o", str(tmp_path / "o3")],
        [str(good), "-o", str(tmp_path / "o3"), "--jobs", "0"],
        ["-o", str(tmp_path / "o3")],  # no input
        [str(good), "-o", str(good / "a" / "letter001.txt")],  # OUT is a file
        [str(tmp_path / "*.nothing"), "-o", str(tmp_path / "o3")],
    ):
        result = runner.invoke(batch_command, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_cli_set_changes_the_options_and_redoes_the_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--set PLUGIN.OPTION=VALUE`` reaches the plugins, and a rerun with another value
    redoes every output (the options are part of each output's fingerprint)."""
    monkeypatch.chdir(tmp_path)  # no configuration file of ours is found
    good = _archive(tmp_path / "g", 2, bad=False)
    out = tmp_path / "o"
    runner = CliRunner()
    first = runner.invoke(batch_command, [str(good), "-o", str(out), "-j", "1", "--set", "dates.century=1800"])
    assert first.exit_code == 0 and "2 written" in first.output, first.output
    doc = docparse.loads((out / "a" / "letter001.json").read_bytes())
    (ran,) = [p for p in doc.data["docparse"]["plugins"] if p["name"] == "dates"]
    assert ran["options"]["century"] == 1800
    same = runner.invoke(batch_command, [str(good), "-o", str(out), "-j", "1", "--set", "dates.century=1800"])
    assert same.exit_code == 0 and "2 up to date" in same.output
    other = runner.invoke(batch_command, [str(good), "-o", str(out), "-j", "1", "--set", "dates.century=1900"])
    assert other.exit_code == 0 and "2 written" in other.output
    bad = runner.invoke(batch_command, [str(good), "-o", str(out), "--set", "dates.century"])
    assert bad.exit_code == 2 and "is not PLUGIN.OPTION=VALUE" in bad.output
    unknown = runner.invoke(batch_command, [str(good), "-o", str(out), "--set", "dates.nope=1"])
    assert unknown.exit_code == 3 and "has no option 'nope'" in unknown.output


def test_inputs_files_globs_and_lists(tmp_path: Path) -> None:
    """Files, globs and --files-from are gathered without duplicates; the common
    folder is the root of the mirrored tree; a directory takes only --glob files."""
    archive = _archive(tmp_path, 6, bad=False)
    listing = tmp_path / "list.txt"
    listing.write_text(f"{archive / 'a' / 'letter001.txt'}\n\n{archive / 'a' / 'letter003.txt'}\n")
    root, files = collect_inputs(
        [str(archive / "a" / "letter001.txt"), str(archive / "b" / "**" / "*.txt")], files_from=listing
    )
    assert root == archive.resolve()
    assert [f.relative_to(root).as_posix() for f in files] == [
        "a/letter001.txt", "a/letter003.txt", "b/c/letter000.txt", "b/c/letter002.txt", "b/c/letter004.txt",
    ]
    root, files = collect_inputs([archive], pattern="*.md")
    assert [f.name for f in files] == ["notes.md"]


def test_progress_bar_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The bar (with its rate) goes to stderr when asked; nothing when not (as off a terminal)."""
    archive = _archive(tmp_path, 4, bad=False)
    run_batch([archive], tmp_path / "quiet", jobs=1)  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    run_batch([archive], tmp_path / "loud", jobs=1, progress=True)
    err = capsys.readouterr().err
    assert "docparse batch" in err and "4/4" in err and "file/s" in err


@pytest.mark.parametrize("jobs", [1, 2])
def test_tei_format_writes_one_xml_per_input_and_resumes(tmp_path: Path, jobs: int) -> None:
    """``--format tei``: one TEI file per input (``.xml``), as ``to_tei`` writes it; a rerun
    skips them, a rerun in JSON redoes them all, a damaged file is redone."""
    import xml.etree.ElementTree as ET

    archive = _archive(tmp_path, 4, bad=False)
    out = tmp_path / "out"
    first = run_batch([archive], out, jobs=jobs, fmt="tei", progress=False)
    assert (first.written, first.failed) == (4, 0)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xml"))
    assert files == ["a/letter001.xml", "a/letter003.xml", "b/c/letter000.xml", "b/c/letter002.xml"]
    for name in files:
        root = ET.parse(out / name).getroot()
        assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
        rel = name.removesuffix(".xml") + ".txt"
        doc = docparse.run_repairs(docparse.parse_bytes((archive / rel).read_bytes(), rel)).doc
        assert (out / name).read_text(encoding="utf-8") == docparse.to_tei(doc)
    again = run_batch([archive], out, jobs=jobs, fmt="tei", progress=False)
    assert (again.written, again.skipped) == (0, 4)
    (out / files[0]).write_text("<TEI/>", encoding="utf-8")  # damaged
    redone = run_batch([archive], out, jobs=jobs, fmt="tei", progress=False)
    assert (redone.written, redone.skipped) == (1, 3)
    as_json = run_batch([archive], out, jobs=jobs, fmt="json", progress=False)
    assert (as_json.written, as_json.skipped) == (4, 0)
