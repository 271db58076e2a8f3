#!/usr/bin/env python3
"""Acceptance check for issue 5: ``docparse batch`` survives a SIGKILL and a rerun finishes the job.

What it does (and checks):

1. builds an input tree of N files (default 20,000) by repeating every ``.txt`` of
   ``../shared/corpus/{letters,layouts,ocr}`` into ``rep-0001/letters/...``,
   ``rep-0002/...`` (hard links, or copies across file systems), so that identical
   contents sit at different paths and each must still get its own output;
2. runs ``docparse batch INPUT -o OUT --jobs 2`` under a pseudo-terminal (so that the
   tqdm bar is drawn), records what the terminal showed, and SIGKILLs the batch's
   coordinating process once about half of the outputs exist; the terminal must
   have shown a progress bar with a rate and an ETA (``[01:02<02:03, 38.1file/s]``);
3. checks the state after the kill: every ``*.json`` in OUT parses (no half-written
   output), and the only other files are the documented ``_manifest.jsonl`` /
   ``_errors.jsonl`` and temp files named ``.docparse-tmp-<name>.<pid>`` (what
   ``docparse.batch._atomic_write`` uses: write to a temp file in the same folder,
   then ``os.replace``);
4. reruns the same command to completion (no terminal) and records its exit code
   and summary line;
5. verifies: exactly one output per input at the mirrored path and nothing else
   besides the manifest, errors and summary files; every output parses with orjson
   and names its own input (``source.name``, ``source.sha256``); a sample also loads
   with ``docparse.loads`` and validates against the packaged JSON Schema
   (``docparse.schema.validate``, as tests/test_schema.py does); the manifest lists
   each input once; the rerun skipped exactly the outputs recorded before the kill
   (and left those files untouched) and wrote the rest; the errors file is empty,
   or lists only inputs whose every copy failed, each with a reason;
6. prints a compact report and exits 0 only if every check holds, 1 otherwise.

Run from the repository root with the project's virtualenv::

    .venv/bin/python scripts/batch_kill_rerun.py                 # 20,000 files, a few minutes on 2 cores
    .venv/bin/python scripts/batch_kill_rerun.py --files 2000    # quick try
    .venv/bin/python scripts/batch_kill_rerun.py --work /tmp/bk --keep   # keep the trees and terminal log

POSIX only (it needs a pseudo-terminal and /proc to find the killed run's workers).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import orjson

REPO = Path(__file__).resolve().parent.parent
SUBDIRS = ("letters", "layouts", "ocr")
TMP_PREFIX = ".docparse-tmp-"  # docparse.batch._TMP_PREFIX
TMP_NAME = re.compile(r"^\.docparse-tmp-(?P<name>.+)\.(?P<pid>\d+)$")
RESERVED = {"_manifest.jsonl", "_errors.jsonl", "_summary.json"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: a tqdm bar with a numeric elapsed<remaining time and a numeric rate (items/s or s/item)
BAR = re.compile(
    r"(?P<n>\d+)/(?P<total>\d+) \[(?P<elapsed>\d[\d:]*)<(?P<eta>\d[\d:]*), *"
    r"(?P<rate>[\d.]+ ?[A-Za-z]+/s|[\d.]+ ?s/[A-Za-z]+)\]"
)
SUMMARY = re.compile(
    r"docparse batch: (?P<inputs>[\d,]+) inputs: (?P<written>[\d,]+) written, "
    r"(?P<skipped>[\d,]+) up to date, (?P<failed>[\d,]+) failed"
)


# ----------------------------------------------------------------------- helpers


@dataclass
class Report:
    """The figures and the checks, printed at the end."""

    figures: list[tuple[str, str]] = field(default_factory=list)
    checks: list[tuple[bool, str]] = field(default_factory=list)

    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def fig(self, name: str, value: object) -> None:
        self.figures.append((name, str(value)))

    def check(self, ok: bool, what: str) -> bool:
        self.checks.append((bool(ok), what))
        return bool(ok)

    @property
    def ok(self) -> bool:
        return all(ok for ok, _ in self.checks)

    def print(self) -> None:
        width = max(len(n) for n, _ in self.figures) if self.figures else 0
        print("\n== batch kill/rerun report ==")
        for name, value in self.figures:
            print(f"  {name:<{width}}  {value}")
        print("-- checks --")
        for ok, what in self.checks:
            print(f"  [{'ok' if ok else 'FAIL'}] {what}")
        for text in self.notes:
            print(f"  [note] {text}")
        passed = sum(ok for ok, _ in self.checks)
        print(f"== {'PASS' if self.ok else 'FAIL'}: {passed}/{len(self.checks)} checks hold ==")


def die(message: str) -> NoReturn:
    """A clear one-line error and exit code 2 (a usage problem, not a failed check)."""
    print(f"batch_kill_rerun: {message}", file=sys.stderr)
    raise SystemExit(2)


def docparse_command() -> list[str]:
    """The ``docparse`` console script of the running interpreter's environment."""
    script = Path(sys.executable).parent / "docparse"
    if script.exists():
        return [str(script)]
    found = shutil.which("docparse")
    if found is None:
        die("no `docparse` console script next to this Python or on PATH; run with the project venv's python")
    return [str(found)]


def build_inputs(corpus: Path, dest: Path, n: int) -> list[tuple[str, str, str]]:
    """Fill ``dest`` with ``n`` files repeating the corpus; returns ``(rel, sha256, source)`` for each."""
    sources = sorted(p for sub in SUBDIRS if (corpus / sub).is_dir() for p in (corpus / sub).glob("*.txt"))
    if not sources:
        die(f"{corpus}: no .txt files in {', '.join(SUBDIRS)}")
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}
    inputs: list[tuple[str, str, str]] = []
    link = True
    for i in range(n):
        src = sources[i % len(sources)]
        rel = f"rep-{i // len(sources) + 1:04d}/{src.parent.name}/{src.name}"
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if link:
            try:
                os.link(src, target)
            except OSError:  # another file system, or links not allowed: copy instead
                link = False
        if not link:
            shutil.copyfile(src, target)
        inputs.append((rel, digests[src], f"{src.parent.name}/{src.name}"))
    return inputs


def walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    """``(posix path below root, path)`` of every file under ``root``."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath, name)
            yield p.relative_to(root).as_posix(), p


def count_outputs(out: Path) -> int:
    """How many finished outputs (``*.json`` other than the summary) exist under ``out``."""
    n = 0
    for _dirpath, _dirs, files in os.walk(out):
        n += sum(1 for f in files if f.endswith(".json") and f != "_summary.json" and not f.startswith(TMP_PREFIX))
    return n


@dataclass
class Scan:
    """What OUT holds: outputs, reserved files, temp files, anything else."""

    outputs: dict[str, Path] = field(default_factory=dict)
    reserved: set[str] = field(default_factory=set)
    temps: list[str] = field(default_factory=list)
    odd_temps: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)


def scan(out: Path) -> Scan:
    s = Scan()
    for rel, p in walk_files(out):
        name = p.name
        if rel in RESERVED:
            s.reserved.add(rel)
        elif name.startswith(TMP_PREFIX):
            (s.temps if TMP_NAME.match(name) else s.odd_temps).append(rel)
        elif name.endswith(".json"):
            s.outputs[rel] = p
        else:
            s.others.append(rel)
    return s


def unparsable(paths: dict[str, Path]) -> list[str]:
    """The outputs that orjson cannot parse (half-written, or not JSON)."""
    bad = []
    for rel, p in paths.items():
        try:
            orjson.loads(p.read_bytes())
        except (orjson.JSONDecodeError, OSError):
            bad.append(rel)
    return bad


def read_manifest(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The manifest's entries and how many lines did not parse (a torn last line)."""
    entries: list[dict[str, Any]] = []
    torn = 0
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return entries, 0
    for line in data.splitlines():
        if not line.strip():
            continue
        try:
            e = orjson.loads(line)
        except orjson.JSONDecodeError:
            torn += 1
            continue
        if isinstance(e, dict):
            entries.append(e)
    return entries, torn


def _ident(path: Path) -> tuple[int, int, int]:
    """What tells a rewritten file from an untouched one: inode, size, mtime."""
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def session_pids(sid: int) -> list[int]:
    """Live processes of session ``sid`` (the killed batch and its workers), from /proc."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path("/proc", d, "stat").read_text()
        except OSError:
            continue
        # fields after the ")" closing the command name: state ppid pgrp session ...
        rest = stat[stat.rfind(")") + 2 :].split()
        if len(rest) > 3 and int(rest[3]) == sid and rest[0] != "Z":
            pids.append(int(d))
    return pids


# ------------------------------------------------------------------ first run


@dataclass
class FirstRun:
    terminal: str
    polled_at_kill: int
    seconds: float
    exit_status: int | None
    finished_early: bool
    survivors: int


def run_under_pty_and_kill(cmd: list[str], out: Path, kill_at: int, timeout: float, cols: int, rows: int) -> FirstRun:
    """Run ``cmd`` with a pseudo-terminal as stdin/stdout/stderr, SIGKILL it once
    ``kill_at`` outputs exist, and return what the terminal showed."""
    import fcntl
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    stop = threading.Event()

    def pump() -> None:
        # the pty must be drained or the child blocks writing its bar
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every holder of the slave side has exited
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    polled = 0
    finished_early = False
    try:
        while True:
            if proc.poll() is not None:
                finished_early = True
                break
            polled = count_outputs(out)
            if polled >= kill_at:
                os.kill(proc.pid, signal.SIGKILL)
                break
            if time.perf_counter() - started > timeout:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.25)
        status = proc.wait()
        seconds = time.perf_counter() - started
        # the workers lose their coordinator: give them a moment to notice, then
        # count and end those still alive (they are this script's grandchildren)
        deadline = time.monotonic() + 10
        left = session_pids(proc.pid)
        while left and time.monotonic() < deadline:
            time.sleep(0.25)
            left = session_pids(proc.pid)
        survivors = len(left)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    finally:
        time.sleep(0.3)  # let the reader take what is still in the pty buffer
        stop.set()
        reader.join(timeout=2)
        os.close(master)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    return FirstRun(terminal, polled, seconds, status, finished_early, survivors)


def last_bar(terminal: str) -> tuple[str | None, int]:
    """The last progress-bar line with a rate and an ETA, and how many bar redraws there were."""
    text = ANSI.sub("", terminal)
    segments = [s.strip() for s in re.split(r"[\r\n]+", text) if s.strip()]
    bars = [s for s in segments if BAR.search(s)]
    return (bars[-1] if bars else None), len(bars)


# ------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=20_000, metavar="N", help="input files to build (default 20000)")
    ap.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus", metavar="DIR",
                    help="corpus with letters/, layouts/, ocr/ (default ../shared/corpus from the repo root)")
    ap.add_argument("--work", type=Path, default=None, metavar="DIR", help="work folder (default: a new temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (inputs, outputs, terminal log)")
    ap.add_argument("--jobs", type=int, default=2, metavar="J", help="docparse batch --jobs (default 2)")
    ap.add_argument("--kill-fraction", type=float, default=0.5, metavar="F", help="kill when F*N outputs exist (default 0.5)")
    ap.add_argument("--sample", type=int, default=500, metavar="K", help="outputs checked with docparse.loads + schema (default 500)")
    ap.add_argument("--seed", type=int, default=5, help="seed for the sample (default 5)")
    ap.add_argument("--require-worker-exit", action="store_true",
                    help="fail if processes of the killed run are still alive 10 s after the kill (default: a note)")
    ap.add_argument("--pty-size", default="120x30", metavar="COLSxROWS",
                    help="the pseudo-terminal's size (default 120x30; 0x0 is a bare pty that reports no size)")
    ap.add_argument("--timeout", type=float, default=3600, metavar="S", help="give up on a run after S seconds (default 3600)")
    args = ap.parse_args(argv)
    if args.files < 2:
        die("--files must be at least 2")
    if not 0 < args.kill_fraction < 1:
        die("--kill-fraction must be between 0 and 1")
    size = re.fullmatch(r"(\d+)x(\d+)", args.pty_size)
    if size is None:
        die(f"--pty-size {args.pty_size!r}: give COLSxROWS, e.g. 120x30")
    args.cols, args.rows = int(size[1]), int(size[2])
    corpus = args.corpus.resolve()
    if not all((corpus / sub).is_dir() for sub in SUBDIRS):
        die(f"{args.corpus}: corpus not found (expected {', '.join(SUBDIRS)} below it); give --corpus DIR")

    if args.work is not None:
        work = args.work.resolve()
        if work.exists() and any(work.iterdir()):
            die(f"{args.work}: not empty; give a new or empty --work folder")
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="docparse-batch-kill-"))
    try:
        return run(args, corpus, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, corpus: Path, work: Path) -> int:
    rep = Report()
    n: int = args.files
    inp, out = work / "input", work / "out"
    cmd = [*docparse_command(), "batch", str(inp), "-o", str(out), "--jobs", str(args.jobs)]

    t = time.perf_counter()
    inputs = build_inputs(corpus, inp, n)
    build_s = time.perf_counter() - t
    expected = {rel.removesuffix(".txt") + ".json": (rel, sha, src) for rel, sha, src in inputs}
    rep.fig("files", f"{n:,} ({len({s for _, _, s in inputs})} distinct corpus letters, built in {build_s:.1f} s)")
    rep.fig("command", " ".join(cmd) + f"  (pty {args.cols}x{args.rows})")
    print(f"built {n:,} inputs in {inp}; running under a pty, kill at {int(n * args.kill_fraction):,} outputs ...", flush=True)

    # -- 1st run, under a terminal, killed halfway
    kill_at = int(n * args.kill_fraction)
    first = run_under_pty_and_kill(cmd, out, kill_at, args.timeout, cols=args.cols, rows=args.rows)
    (work / "terminal-first-run.txt").write_text(first.terminal, encoding="utf-8")
    rep.check(not first.finished_early, f"first run was still running when {kill_at:,} outputs existed (exit status {first.exit_status})")
    rep.check(first.exit_status == -signal.SIGKILL, f"first run ended by SIGKILL (status {first.exit_status})")
    after_kill = scan(out)
    rep.fig("outputs at the kill", f"{first.polled_at_kill:,} when the kill was sent, {len(after_kill.outputs):,} on disk after it "
            f"({first.seconds:.1f} s after start)")
    bar, redraws = last_bar(first.terminal)
    rep.fig("progress bar (last)", bar or "(none)")
    rep.fig("progress bar redraws", f"{redraws:,} (terminal: {len(first.terminal):,} chars)")
    rep.check(bar is not None, "the terminal showed a progress bar with a rate and an ETA (tqdm: N/T [elapsed<eta, rate])")
    rep.fig("processes alive 10 s after kill", f"{first.survivors} (of the killed run's session; ended by this script)")
    if args.require_worker_exit:
        rep.check(first.survivors == 0, "no process of the killed run outlived it by 10 s")
    elif first.survivors:
        rep.note(f"{first.survivors} process(es) of the killed run (pool workers, forkserver, resource tracker) were still "
                 "alive 10 s after the SIGKILL; not part of the acceptance (--require-worker-exit makes it a check)")

    # -- the state after the kill
    bad = unparsable(after_kill.outputs)
    rep.check(not bad, f"after the kill every *.json parses ({len(after_kill.outputs):,} checked; bad: {bad[:3]})")
    rep.fig("temp files after the kill", f"{len(after_kill.temps)} named {TMP_PREFIX}<name>.<pid> {after_kill.temps[:3]}")
    rep.check(not after_kill.odd_temps, f"no temp file outside the {TMP_PREFIX}<name>.<pid> naming ({after_kill.odd_temps[:3]})")
    rep.check(not after_kill.others, f"no other file after the kill ({after_kill.others[:3]})")
    rep.check(set(after_kill.outputs) <= set(expected), f"every output after the kill mirrors an input ({sorted(set(after_kill.outputs) - set(expected))[:3]})")
    entries, torn = read_manifest(out / "_manifest.jsonl")
    recorded = {}
    for e in entries:
        p = out / str(e.get("out", ""))
        try:
            st = p.stat()
        except OSError:
            continue
        if st.st_size == e.get("size") and st.st_mtime_ns == e.get("mtime_ns"):
            recorded[e["input"]] = e
    rep.fig("manifest at the kill", f"{len(entries):,} entries ({len({e.get('input') for e in entries}):,} inputs), "
            f"{torn} torn line(s); {len(recorded):,} outputs recorded as written")
    snapshot = {rel: _ident(p) for rel, p in after_kill.outputs.items()}

    # -- rerun to completion
    t = time.perf_counter()
    try:
        second = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=args.timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        rep.check(False, f"rerun finished within {args.timeout:.0f} s")
        rep.print()
        return 1
    rerun_s = time.perf_counter() - t
    (work / "rerun-output.txt").write_text(second.stdout + second.stderr, encoding="utf-8")
    summary_line = next((ln for ln in (second.stderr + second.stdout).splitlines() if ln.startswith("docparse batch:")), None)
    rep.fig("rerun exit code", second.returncode)
    rep.fig("rerun summary", summary_line or f"(none; stderr ends: {second.stderr.strip()[-200:]!r})")
    rep.fig("wall times", f"first run {first.seconds:.1f} s (killed), rerun {rerun_s:.1f} s")
    m = SUMMARY.search(summary_line or "")
    written = skipped = failed = -1
    if m:
        written, skipped, failed = (int(m[k].replace(",", "")) for k in ("written", "skipped", "failed"))
    rep.check(m is not None and int(m["inputs"].replace(",", "")) == n, f"rerun summary counts {n:,} inputs")

    # -- final state
    final = scan(out)
    errors, torn_err = read_manifest(out / "_errors.jsonl")
    failed_rels = {str(e.get("input")) for e in errors}
    # a genuinely bad input fails in every copy (same content, same reason), and has a reason
    by_src: dict[str, set[str]] = {}
    for rel, _sha, src in inputs:
        by_src.setdefault(src, set()).add(rel)
    bad_srcs = {src for _, _, src in inputs if any(r in failed_rels for r in by_src[src])}
    consistent = all(by_src[s] <= failed_rels for s in bad_srcs) and all(e.get("reason") for e in errors) and torn_err == 0
    rep.fig("errors file", f"{len(errors)} line(s)" + (f", e.g. {errors[0]}" if errors else ""))
    rep.check(consistent, "the errors file is empty or lists only inputs whose every copy fails, each with a reason")
    rep.check(second.returncode == (1 if errors else 0), f"rerun exit code {second.returncode} matches its errors ({len(errors)})")
    rep.check(skipped >= 0 and skipped == len(recorded),
              f"rerun skipped exactly the outputs recorded before the kill ({skipped:,} skipped, {len(recorded):,} recorded)")
    rep.check(written + skipped + failed == n and written == n - len(recorded) - failed,
              f"rerun wrote the rest ({written:,} written + {skipped:,} skipped + {failed:,} failed = {n:,})")
    untouched = sum(1 for rel, st in snapshot.items() if rel in final.outputs and _ident(final.outputs[rel]) == st)
    rep.fig("rerun skipped / wrote", f"{skipped:,} / {written:,} ({untouched:,} pre-kill output files left untouched)")
    rep.check(untouched == skipped,
              f"the rerun left exactly the skipped outputs' files untouched ({untouched:,} untouched, {skipped:,} skipped)")

    want = {o for o, (rel, _, _) in expected.items() if rel not in failed_rels}
    missing = sorted(want - set(final.outputs))
    extra = sorted(set(final.outputs) - want)
    rep.fig("outputs after rerun", f"{len(final.outputs):,} (expected {len(want):,}; missing {len(missing)}, extra/duplicate {len(extra)})")
    rep.check(not missing and not extra, f"exactly one output per input at the mirrored path (missing {missing[:3]}, extra {extra[:3]})")
    rep.check(not final.temps and not final.odd_temps and not final.others,
              f"nothing else in OUT (temps {(final.temps + final.odd_temps)[:3]}, others {final.others[:3]})")
    rep.check(final.reserved >= {"_manifest.jsonl", "_errors.jsonl", "_summary.json"}, f"manifest, errors and summary present ({sorted(final.reserved)})")

    t = time.perf_counter()
    parsed_bad: list[str] = []
    wrong_source: list[str] = []
    for o, p in final.outputs.items():
        try:
            doc = orjson.loads(p.read_bytes())
        except orjson.JSONDecodeError:
            parsed_bad.append(o)
            continue
        rel, sha, _ = expected.get(o, ("?", "?", "?"))
        src = doc.get("source", {}) if isinstance(doc, dict) else {}
        if src.get("name") != rel or src.get("sha256") != sha:
            wrong_source.append(o)
    rep.check(not parsed_bad, f"every output parses with orjson ({len(final.outputs):,}; bad {parsed_bad[:3]})")
    rep.check(not wrong_source, f"every output's source.name/sha256 is its own input's ({wrong_source[:3]})")

    import docparse
    from docparse.errors import DocparseError
    from docparse.schema import validate

    rng = random.Random(args.seed)
    sample = rng.sample(sorted(final.outputs), min(args.sample, len(final.outputs)))
    invalid: list[str] = []
    for o in sample:
        data = final.outputs[o].read_bytes()
        try:
            docparse.loads(data)
            validate(orjson.loads(data))
        except (DocparseError, ValueError) as exc:
            invalid.append(f"{o}: {exc}")
    verify_s = time.perf_counter() - t
    rep.fig("outputs valid", f"{len(final.outputs) - len(parsed_bad):,} parse with orjson; "
            f"{len(sample) - len(invalid)}/{len(sample)} sampled load with docparse.loads and pass the schema ({verify_s:.1f} s)")
    rep.check(not invalid, f"sampled outputs load and validate ({invalid[:2]})")

    entries, torn = read_manifest(out / "_manifest.jsonl")
    rels = [e.get("input") for e in entries]
    dup = len(rels) - len(set(rels))
    all_rels = {rel for rel, _, _ in inputs if rel not in failed_rels}
    sha_of = {rel: sha for rel, sha, _ in inputs}
    wrong = [e.get("input") for e in entries
             if e.get("input") not in all_rels or e.get("sha256") != sha_of.get(str(e.get("input")))
             or e.get("out") != str(e.get("input")).removesuffix(".txt") + ".json"]
    rep.fig("manifest after rerun", f"{len(entries):,} entries, {len(set(rels)):,} inputs, duplicates {dup}, torn {torn}")
    rep.check(set(rels) == all_rels and dup == 0 and torn == 0 and not wrong,
              f"the manifest lists each input once with its output and sha256 (missing {len(all_rels - set(rels))}, wrong {wrong[:3]})")
    try:
        summ = orjson.loads((out / "_summary.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        summ = {}
    rep.check(summ.get("inputs") == n and summ.get("written") == written and summ.get("skipped") == skipped,
              f"_summary.json agrees with the summary line (inputs {summ.get('inputs')}, written {summ.get('written')}, skipped {summ.get('skipped')})")
    rep.fig("duplicates", f"{len(extra) + dup} (extra outputs {len(extra)}, repeated manifest inputs {dup})")
    rep.print()
    if not rep.ok and not args.keep:
        print("rerun with --keep to keep the trees, the terminal log and the rerun's output")
    return 0 if rep.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
