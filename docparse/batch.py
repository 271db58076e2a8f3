"""Batch runs over whole archives: ``docparse batch INPUT... -o OUT``.

Archives hold hundreds of thousands of letters, and users rerun docparse over all
of them whenever a plugin improves. A batch run therefore

* takes files, directories (searched recursively for ``*.txt``, or ``--glob``),
  glob patterns and file lists (``--files-from``);
* parses (and repairs) them in a pool of worker processes (``--jobs``), or on a
  Dask cluster (``--scheduler``, see :mod:`docparse.dask`);
* writes one JSON document per input into ``OUT``, mirroring the input tree below
  the inputs' common folder (``letters/a/b.txt`` -> ``OUT/a/b.json``), or, with
  ``--format jsonl``, one document per line of ``OUT/documents.jsonl``, or with
  ``--format tei`` one TEI P5 file per input (``OUT/a/b.xml``, :func:`docparse.to_tei`);
* is resumable: ``OUT/_manifest.jsonl`` records, for every output, the input's
  sha256, the docparse and schema version and the repair plugins (name, version,
  options) it was made with, plus what the output looked like when written (size
  and mtime, or offset, length and sha256 of its JSONL line). A rerun skips every
  input whose output is up to date and still as written, and redoes the rest;
* writes atomically: a JSON file appears whole (temp file + ``os.replace``) or not
  at all, and the manifest is appended only once the output is in place, so a kill
  at any moment loses at most the documents in flight and never leaves a
  half-written output behind (stale temp files are removed by the next run);
* never stops for a bad file: it is listed in ``OUT/_errors.jsonl`` with its
  reason, and the exit code is 1;
* ends with a summary (counts, failures, time), printed and written to
  ``OUT/_summary.json``.

Local worker processes write the file of each input they parse (atomically, to a
name no other task has) and return what they wrote; the coordinating process records
it in the manifest, and is the only writer of the manifest, the errors file and a
JSONL file. Dask workers return the output instead, and the coordinating process writes
it, so that they can run where ``OUT`` is not mounted and a task Dask retries after its
worker died is written once.

>>> summary = run_batch(["letters/"], "out/", jobs=4)       # doctest: +SKIP
>>> summary.written, summary.skipped, summary.failed          # doctest: +SKIP
(1204, 0, 3)
"""

from __future__ import annotations

import functools
import glob as _glob
import hashlib
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

import docparse as _package

from . import grammar as _grammar
from .api import parse_bytes
from .codec import dumps
from .config import Config
from .errors import DocparseError, UsageError
from .nodes import SCHEMA_VERSION
from .pipeline import available_plugins, run_repairs
from .source import open_input
from .tei import to_tei

__all__ = [
    "ERRORS_NAME",
    "JSONL_NAME",
    "MANIFEST_NAME",
    "SUMMARY_NAME",
    "BatchSummary",
    "Task",
    "TaskResult",
    "collect_inputs",
    "fingerprint",
    "process_task",
    "run_batch",
]

MANIFEST_NAME = "_manifest.jsonl"
ERRORS_NAME = "_errors.jsonl"
SUMMARY_NAME = "_summary.json"
JSONL_NAME = "documents.jsonl"
_TMP_PREFIX = ".docparse-tmp-"
_RESERVED = frozenset({MANIFEST_NAME, ERRORS_NAME, SUMMARY_NAME, JSONL_NAME})
#: inputs per task sent to a worker: amortizes the cost of a round trip
_CHUNK = 16
#: the formats written one file per input
_FILE_FORMATS = ("json", "tei")


# --------------------------------------------------------------------- records


@attrs.frozen(kw_only=True)
class Task:
    """One input to parse: ``rel`` (its path below the inputs' root, POSIX style, also
    the document's ``source.name``), ``out`` (its output path below OUT), the raw bytes
    and their sha256."""

    rel: str
    out: str
    data: bytes = attrs.field(repr=False)
    sha256: str
    #: where the worker writes the output itself (an absolute path; None: it returns
    #: the output for the batch process to write), and whether to flush it to disk first
    dest: str | None = None
    fsync: bool = False
    #: the output: ``json`` (compact docparse/1 JSON) or ``tei`` (TEI P5 XML)
    fmt: str = "json"


@attrs.frozen(kw_only=True)
class TaskResult:
    """What a worker made of a :class:`Task`: its output (compact JSON, or TEI with
    ``fmt="tei"``; in ``json``), or the reason it failed.
    ``plugin_failures`` lists repair plugins whose changes were dropped (one line each)."""

    rel: str
    out: str
    sha256: str
    json: bytes | None = attrs.field(default=None, repr=False)
    error: str | None = None
    plugin_failures: tuple[str, ...] = ()
    #: for a task with a ``dest``: the written file's size and mtime (ns)
    stat: tuple[int, int] | None = None


@attrs.frozen(kw_only=True)
class BatchSummary:
    """The outcome of a batch run.

    ``inputs``: inputs found; ``written``: outputs written by this run; ``skipped``:
    inputs whose output was already up to date; ``failed``: inputs that could not be
    parsed (see ``OUT/_errors.jsonl``); ``plugin_failures``: documents written without
    the changes of some failed repair plugin; ``seconds``: wall time; ``backend``:
    ``processes`` or the Dask scheduler; ``jobs``: worker processes (pool only).
    """

    inputs: int
    written: int
    skipped: int
    failed: int
    plugin_failures: int
    seconds: float
    out: str
    format: str
    backend: str
    jobs: int | None
    docparse: str
    errors: tuple[tuple[str, str], ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when every input has its output, 1 when some failed."""
        return 1 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written to ``OUT/_summary.json``."""
        rate = self.written / self.seconds if self.seconds > 0 else None
        return {
            "inputs": self.inputs,
            "written": self.written,
            "skipped": self.skipped,
            "failed": self.failed,
            "plugin_failures": self.plugin_failures,
            "seconds": round(self.seconds, 3),
            "letters_per_second": round(rate, 1) if rate is not None else None,
            "out": self.out,
            "format": self.format,
            "backend": self.backend,
            "jobs": self.jobs,
            "docparse": self.docparse,
            "errors_file": ERRORS_NAME,
        }

    def text(self) -> str:
        """The one-paragraph summary printed at the end of a run."""
        rate = ""
        if self.seconds > 0 and self.written:
            per_s = self.written / self.seconds
            rate = f", {per_s:,.0f} files/s" if per_s >= 10 else f", {per_s:.2g} files/s"
        line = (
            f"docparse batch: {self.inputs:,} inputs: {self.written:,} written, "
            f"{self.skipped:,} up to date, {self.failed:,} failed in {self.seconds:,.1f} s{rate}"
        )
        if self.plugin_failures:
            line += f"; {self.plugin_failures:,} written without a failed repair plugin's changes"
        if self.failed:
            line += f"\nfailures are listed in {os.path.join(self.out, ERRORS_NAME)}"
        return line


class WriteError(DocparseError):
    """An output, the manifest or the summary could not be written (a full disk): the
    message names the file (exit code 1)."""


# ---------------------------------------------------------------------- inputs


def _has_magic(text: str) -> bool:
    return _glob.has_magic(text)


def collect_inputs(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    files_from: str | os.PathLike[str] | None = None,
    pattern: str = "*.txt",
    follow_symlinks: bool = False,
    skipped: list[tuple[str, str]] | None = None,
) -> tuple[Path, list[Path]]:
    """The input files named by ``inputs`` (and the lines of ``files_from``), with the
    folder they are mirrored from.

    A file is taken as is; a directory is searched recursively for ``pattern``; any
    other argument with ``*``, ``?`` or ``[`` is a glob (``**`` recurses). Returns
    ``(root, files)``: ``files`` sorted and without duplicates, ``root`` their common
    folder (a single directory argument is its own root). A name that matches
    nothing is a :class:`UsageError`, so a typo does not pass for an empty archive.

    In a directory, a symlink whose target lies outside it is not followed (unless
    ``follow_symlinks``; a followed one keeps its name in the tree): each is added to
    ``skipped`` as ``(path, reason)``. A FIFO, socket or device found there is taken, to
    be refused (in one line) when it is read, rather than passed over in silence.

    >>> collect_inputs(["corpus/letters"])              # doctest: +SKIP
    (PosixPath('/data/corpus/letters'), [PosixPath('/data/corpus/letters/a.txt'), ...])
    """
    names = [os.fspath(i) for i in inputs]
    if files_from is not None:
        names.extend(_read_list(files_from))
    if not names:
        raise UsageError("no inputs: give files, directories or globs (or --files-from LIST)")
    found: dict[Path, None] = {}
    dirs: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            top = path.resolve()
            dirs.append(top)
            for p in path.rglob(pattern):
                if not (p.is_file() or _is_special(p)):
                    continue
                real = p.resolve()
                if _is_below(real, top):
                    found[real] = None
                elif follow_symlinks:
                    found[top / p.relative_to(path)] = None  # (its place in the tree)
                elif skipped is not None:
                    skipped.append((str(p), f"a symlink to {real}, outside {path}"))
        elif path.is_file():
            found[path.resolve()] = None
        elif _has_magic(name):
            matches = [Path(m) for m in _glob.glob(name, recursive=True)]
            files = [m for m in matches if m.is_file()]
            if not files:
                raise UsageError(f"{name}: the pattern matches no file")
            for m in files:
                found[m.resolve()] = None
        elif path.exists():
            raise UsageError(f"{name}: not a regular file or directory")
        else:
            raise UsageError(f"{name}: no such file or directory")
    files = sorted(found)
    if len(dirs) == 1 and all(_is_below(f, dirs[0]) for f in files):
        root = dirs[0]
    elif files:
        root = Path(os.path.commonpath([str(f.parent) for f in files]))
    else:
        root = dirs[0] if dirs else Path.cwd()
    return root, files


def _is_special(path: Path) -> bool:
    """A FIFO, socket or device (``is_file()`` is False for them, as for a directory)."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _is_below(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _read_list(files_from: str | os.PathLike[str]) -> list[str]:
    """The non-blank lines of a file list (``-`` is stdin)."""
    label = os.fspath(files_from)
    try:
        if label == "-":
            text = sys.stdin.read()
        else:
            text = Path(label).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--files-from {label}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--files-from {label}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _output_names(root: Path, files: Sequence[Path], suffix: str = ".json",
                  renamed: list[tuple[str, str, str]] | None = None) -> list[tuple[str, str]]:
    """``(rel, out)`` for each file: ``a/b.txt`` -> ``a/b.json`` (``suffix``); a name that
    would collide (``b.txt`` beside ``b.md``) keeps its suffix: ``b.md.json``; one that
    still collides (also ignoring case) is numbered, ``a.txt~2.json``, and added to
    ``renamed`` as ``(rel, out, the input that has the name)``."""
    rels = [f.relative_to(root).as_posix() for f in files]
    stems = [r.removesuffix(".txt") for r in rels]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    out = []
    for rel, stem in zip(rels, stems):
        name = (stem if counts[stem] == 1 else rel) + suffix
        if name in _RESERVED:  # a letter called _summary.txt must not overwrite the summary
            name = rel + suffix
        out.append((rel, name))
    # the rules above can still give two inputs one name (a, a.txt and a.txt.txt: the
    # last two are both a.txt.json): a later one gets a numbered name no input has
    taken: dict[str, str] = {}
    names = {name.casefold() for _, name in out}
    for k, (rel, name) in enumerate(out):
        key = name.casefold()  # (a case-insensitive file system holds one of A.json, a.json)
        if key in taken:
            base = name[: -len(suffix)] if name.endswith(suffix) else name
            n = 2
            while f"{base}~{n}{suffix}".casefold() in names:
                n += 1
            new = f"{base}~{n}{suffix}"
            names.add(new.casefold())
            if renamed is not None:
                renamed.append((rel, new, taken[key]))
            out[k] = (rel, new)
            key = new.casefold()
        taken[key] = rel
    return out


# ------------------------------------------------------------------- fingerprint


def fingerprint(config: Config | None) -> dict[str, Any]:
    """What an output depends on besides its input: docparse's version, the schema, the
    grammar it is parsed with (a hash of the composed text, and each grammar plugin's
    name, version and code), and each repair plugin that runs (name, version, a hash of
    its code, options), in run order.

    ``config=None`` means no repairs. An output whose recorded fingerprint differs from
    the current one is redone by the next run: an upgrade of docparse, a changed grammar
    plugin, or a repair plugin whose code changed (even one that kept its declared
    version) redoes what it may have changed.
    """

    plugins: list[dict[str, Any]] = []
    if config is not None and not config.no_repairs:
        plugins = [
            {"name": i.name, "version": i.version, "code": code_hash(i.plugin.run), "options": dict(i.options)}
            for i in available_plugins(config)
            if i.enabled
        ]
    import orjson

    found = {"docparse": _package.__version__, "schema": SCHEMA_VERSION, **_grammar_fingerprint(), "plugins": plugins}
    # compared with what the manifest read back from JSON: tuples must become lists
    return orjson.loads(orjson.dumps(found))


def code_hash(obj: Any) -> str | None:
    """A short hash of the source file that defines ``obj`` (a plugin's function, say):
    it changes when the plugin's code changes, declared version or not. None when there
    is no file to read (a function made at run time)."""
    import inspect

    target = inspect.unwrap(obj) if callable(obj) else obj
    module = sys.modules.get(getattr(target, "__module__", "") or "")
    path = getattr(module, "__file__", None)
    if not path:
        try:
            path = inspect.getsourcefile(target)
        except TypeError:
            path = None
    if not path:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest()[:16]


def _grammar_fingerprint() -> dict[str, Any]:
    """``grammar``: a hash of the composed grammar text the parse uses (the core grammar
    and every installed grammar plugin); ``grammars``: each grammar plugin's name,
    version and code hash (its builders and finish step are code, not grammar text)."""

    try:
        composed = _grammar.installed()
    except DocparseError as exc:  # every parse fails the same way: the outputs are not written
        return {"grammar": f"error: {_one_line(str(exc))}", "grammars": []}
    grammars = []
    for p in composed.plugins:
        code = p.finish if p.finish is not None else next(iter(p.builders.values()), None)
        grammars.append({"name": p.name, "version": p.version, "code": code_hash(code) if code else None})
    return {"grammar": hashlib.sha256(composed.text.encode("utf-8")).hexdigest()[:16], "grammars": grammars}


# ---------------------------------------------------------------------- workers

_worker_config: Config | None = None


def _init_worker(config: Config | None, grammars: tuple[tuple[str, ...], bool] = ((), False)) -> None:
    """Pool initializer: each worker keeps the configuration (and imports the parser
    once, before the first task, so that import time is not charged to a letter), and
    ends itself when the run that started it is gone."""
    global _worker_config
    _worker_config = config
    exclude, strict = grammars  # the run's grammar plugins (--no-grammar), told once already
    _grammar.use_grammars(exclude=exclude, strict=strict)
    warnings.simplefilter("ignore", _grammar.GrammarPluginWarning)
    from . import parser  # noqa: F401 - lazy on purpose: the worker loads the parser before its first task

    _exit_with_parent()


def _exit_with_parent() -> None:
    """End this worker when the batch process dies (killed, out of memory): a pool
    worker blocked on the task queue never notices on its own, as each holds the
    queue's write end (CPython issue 111873), and would stay alive, holding its
    memory, for good. Its parent is the forkserver, so a parent-death signal cannot
    tell; the process object of the run that asked for it can."""
    import multiprocessing
    import threading

    run = multiprocessing.parent_process()
    if run is None:
        return

    def watch() -> None:
        run.join()
        os._exit(1)

    threading.Thread(target=watch, name="docparse-parent-watch", daemon=True).start()


def process_task(task: Task, config: Config | None) -> TaskResult:
    """Parse (and, unless ``config`` is None, repair) one input; never raises for a bad
    input: the reason is returned instead, one line."""

    try:
        doc = parse_bytes(task.data, task.rel)
        failures: tuple[str, ...] = ()
        if config is not None and not config.no_repairs:
            result = run_repairs(doc, config)
            doc = result.doc
            failures = tuple(f.message for f in result.failures)
        if task.fmt == "tei":
            payload = to_tei(doc).encode("utf-8").rstrip(b"\n")
        else:
            payload = dumps(doc).encode("utf-8")
        if task.dest is not None:
            # (writing is work of its own, a file created per input: done here, in
            # parallel, the batch process only records it)
            try:
                st = _atomic_write(Path(task.dest), payload + b"\n", fsync=task.fsync)
            except OSError as exc:
                return TaskResult(rel=task.rel, out=task.out, sha256=task.sha256,
                                  error=f"{task.rel}: {_cannot_write(task.dest, exc)}")
            return TaskResult(rel=task.rel, out=task.out, sha256=task.sha256,
                              stat=(st.st_size, st.st_mtime_ns), plugin_failures=failures)
    except DocparseError as exc:
        return TaskResult(rel=task.rel, out=task.out, sha256=task.sha256, error=_one_line(str(exc)))
    except RecursionError:
        return TaskResult(rel=task.rel, out=task.out, sha256=task.sha256, error=f"{task.rel}: internal error: RecursionError")
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch: report it as this input's failure
        detail = _one_line(str(exc))
        return TaskResult(
            rel=task.rel,
            out=task.out,
            sha256=task.sha256,
            error=f"{task.rel}: internal error: {type(exc).__name__}" + (f": {detail}" if detail else ""),
        )
    return TaskResult(rel=task.rel, out=task.out, sha256=task.sha256, json=payload, plugin_failures=failures)


def _process_chunk(chunk: Sequence[Task]) -> list[TaskResult]:
    """Pool entry point: a chunk of tasks with the worker's configuration."""
    return [process_task(t, _worker_config) for t in chunk]


def _run_chunk(chunk: Sequence[Task], config: Config | None,
               grammars: tuple[tuple[str, ...], bool] = ((), False)) -> list[TaskResult]:
    """Dask entry point: a chunk of tasks with the run's configuration and its choice of
    grammar plugins (``--no-grammar``; a refused one was reported by the batch process)."""
    exclude, strict = grammars
    _grammar.use_grammars(exclude=exclude, strict=strict)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", _grammar.GrammarPluginWarning)
        return [process_task(t, config) for t in chunk]


def _failed_task(task: Task, reason: str) -> TaskResult:
    """The result of a task that no worker could run (``reason``: why)."""
    return TaskResult(rel=task.rel, out=task.out, sha256=task.sha256, error=reason)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# --------------------------------------------------------------------- backends

Executor = Callable[[Iterator[list[Task]], "Config | None"], Iterator[TaskResult]]


def _run_inline(chunks: Iterator[list[Task]], config: Config | None) -> Iterator[TaskResult]:
    for chunk in chunks:
        for task in chunk:
            yield process_task(task, config)


def _run_pool(jobs: int) -> Executor:
    """A backend running chunks in ``jobs`` worker processes, at most ``4 * jobs``
    chunks in flight (memory stays bounded however large the archive).

    A worker that dies (killed, out of memory, a crash in C code) breaks the pool.
    A new pool takes over, and runs the tasks that were in flight one at a time,
    alone: one that breaks the pool again on its own is reported as failed, so a
    poison input costs one pool restart and its own output, nothing else.
    """

    def run(chunks: Iterator[list[Task]], config: Config | None) -> Iterator[TaskResult]:
        import concurrent.futures as cf
        import multiprocessing
        from concurrent.futures.process import BrokenProcessPool

        ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        suspects: list[Task] = []  # in flight when a pool broke: retried one by one
        source = iter(chunks)
        exhausted = False
        while True:
            pool = cf.ProcessPoolExecutor(
                max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(config, _grammar.grammar_choice())
            )
            pending: dict[cf.Future[list[TaskResult]], list[Task]] = {}
            broken = False
            try:
                while not broken:
                    if suspects:
                        if not pending:
                            pending[pool.submit(_process_chunk, [suspects[-1]])] = [suspects[-1]]
                    else:
                        while len(pending) < 4 * jobs and not exhausted:
                            try:
                                chunk = next(source)
                            except StopIteration:
                                exhausted = True
                                break
                            pending[pool.submit(_process_chunk, chunk)] = chunk
                    if not pending:
                        return
                    done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                    for fut in done:
                        chunk = pending.pop(fut)
                        try:
                            results = fut.result()
                        except BrokenProcessPool:
                            broken = True
                            if len(chunk) == 1 and suspects and chunk[0] is suspects[-1]:
                                t = suspects.pop()
                                yield TaskResult(
                                    rel=t.rel, out=t.out, sha256=t.sha256,
                                    error=f"{t.rel}: the worker process parsing it died (killed, or crashed)",
                                )
                            else:
                                suspects.extend(chunk)
                            continue
                        if suspects and len(chunk) == 1 and chunk[0] is suspects[-1]:
                            suspects.pop()
                        yield from results
                    if broken:
                        for chunk in pending.values():
                            suspects.extend(t for t in chunk if t not in suspects)
                        pending.clear()
            finally:
                pool.shutdown(wait=not broken, cancel_futures=True)

    return run


# ---------------------------------------------------------------------- writing


def _atomic_write(path: Path, data: bytes, *, fsync: bool) -> os.stat_result:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename,
    so readers (and a rerun after a kill) see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{_TMP_PREFIX}{path.name}.{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        # (a full disk, a quota, a kill: no temp file is left behind)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return os.stat(path)


def _cannot_write(path: Path | str, exc: OSError) -> str:
    return f"{path}: cannot write ({exc.strerror or exc})"


def _append_line(fh: IO[bytes], line: bytes) -> None:
    """Append ``line`` to the unbuffered ``fh`` whole or not at all: a write that fails
    part way (a full disk) is cut off again, so the file never holds a torn line."""
    fd = fh.fileno()
    start = os.lseek(fd, 0, os.SEEK_END)
    try:
        view = memoryview(line)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except BaseException:
        try:
            os.ftruncate(fd, start)
        except OSError:
            pass
        raise


def _remove_stale_temps(out: Path) -> int:
    """Delete temp files a killed run left behind; returns how many."""
    import re

    ours = re.compile(re.escape(_TMP_PREFIX) + r".+\.[0-9]+")  # (as _atomic_write names them)
    n = 0
    for p in out.rglob(f"{_TMP_PREFIX}*"):
        if not ours.fullmatch(p.name) or p.is_symlink() or not p.is_file():
            continue
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n


def _read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """The last entry for each input; a torn last line (a kill mid-append) is ignored."""
    import orjson

    entries: dict[str, dict[str, Any]] = {}
    try:
        with open(path, "rb") as fh:
            for line in fh:
                try:
                    entry = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(entry, dict) and isinstance(entry.get("input"), str):
                    entries[entry["input"]] = entry
    except FileNotFoundError:
        pass
    return entries


class _Writer:
    """The one writer of OUT: outputs, the manifest, the errors file."""

    def __init__(self, out: Path, fmt: str, fp: dict[str, Any], *, fsync: bool) -> None:
        import orjson

        self._orjson = orjson
        self.out = out
        self.fmt = fmt
        self.fp = fp
        self.fsync = fsync
        out.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(out)
        self.manifest_path = out / MANIFEST_NAME
        previous = _read_manifest(self.manifest_path)
        self.entries = self._verified(previous)
        try:
            self._compact()
        except OSError as exc:
            raise WriteError(_cannot_write(self.manifest_path, exc)) from None
        # unbuffered: each line is appended whole by one write, or cut off again (_append_line)
        self.manifest: IO[bytes] = open(self.manifest_path, "ab", buffering=0)  # noqa: SIM115 - closed in close()
        self.errors: IO[bytes] = open(out / ERRORS_NAME, "wb", buffering=0)  # noqa: SIM115
        self.jsonl: IO[bytes] | None = None
        if fmt == "jsonl":
            self.jsonl = open(out / JSONL_NAME, "ab", buffering=0)  # noqa: SIM115
        self.done: set[str] = set()
        self.unwritten_errors = 0

    # -- resuming

    def _verified(self, entries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Entries whose output is still exactly as written (and of this format)."""
        keep: dict[str, dict[str, Any]] = {}
        if self.fmt in _FILE_FORMATS:
            for rel, e in entries.items():
                if e.get("format") != self.fmt:
                    continue
                try:
                    st = os.stat(self.out / e["out"])
                except (OSError, KeyError, TypeError):
                    continue
                if st.st_size == e.get("size") and st.st_mtime_ns == e.get("mtime_ns"):
                    keep[rel] = e
            return keep
        try:
            data = (self.out / JSONL_NAME).read_bytes()
        except FileNotFoundError:
            return keep
        for rel, e in entries.items():
            if e.get("format") != "jsonl":
                continue
            start, size = e.get("offset"), e.get("size")
            if not isinstance(start, int) or not isinstance(size, int):
                continue
            line = data[start : start + size]
            if len(line) == size and hashlib.sha256(line).hexdigest() == e.get("sha256_out"):
                keep[rel] = e
        return keep

    def _compact(self) -> None:
        """Rewrite the manifest (and the JSONL file) to hold only verified entries.

        For JSONL the kept lines are copied in order to a new file, so that lines of
        a killed run's tail, or of entries no longer valid, are not left in it.
        """
        orjson = self._orjson
        if self.fmt == "jsonl":
            path = self.out / JSONL_NAME
            if path.exists():
                data = path.read_bytes()
                ordered = sorted(self.entries.values(), key=lambda e: e["offset"])
                chunks: list[bytes] = []
                pos = 0
                contiguous = True
                for e in ordered:
                    if e["offset"] != pos:
                        contiguous = False
                    line = data[e["offset"] : e["offset"] + e["size"]]
                    e["offset"] = pos
                    chunks.append(line)
                    pos += len(line)
                if contiguous and pos == len(data):
                    pass  # nothing to drop
                elif contiguous:
                    with open(path, "r+b") as fh:
                        fh.truncate(pos)
                else:
                    _atomic_write(path, b"".join(chunks), fsync=self.fsync)
        body = b"".join(orjson.dumps(e) + b"\n" for e in self.entries.values())
        _atomic_write(self.manifest_path, body, fsync=self.fsync)

    def up_to_date(self, rel: str, sha256: str) -> bool:
        e = self.entries.get(rel)
        return e is not None and e.get("sha256") == sha256 and e.get("fingerprint") == self.fp

    def claim(self, rel: str) -> bool:
        """True the first time ``rel`` is written in this run (a retried task that
        returns twice is written once)."""
        if rel in self.done:
            return False
        self.done.add(rel)
        return True

    # -- writing

    def write(self, result: TaskResult) -> None:
        """Record ``result``, writing its output first unless its worker did."""
        assert result.json is not None or (result.stat is not None and self.fmt in _FILE_FORMATS)
        entry: dict[str, Any] = {
            "input": result.rel,
            "out": result.out if self.fmt in _FILE_FORMATS else JSONL_NAME,
            "format": self.fmt,
            "sha256": result.sha256,
            "fingerprint": self.fp,
        }
        if self.fmt in _FILE_FORMATS:
            if result.stat is not None:
                entry["size"], entry["mtime_ns"] = result.stat
            else:
                assert result.json is not None
                try:
                    st = _atomic_write(self.out / result.out, result.json + b"\n", fsync=self.fsync)
                except OSError as exc:
                    raise WriteError(f"{result.rel}: {_cannot_write(self.out / result.out, exc)}") from None
                entry["size"] = st.st_size
                entry["mtime_ns"] = st.st_mtime_ns
        else:
            assert result.json is not None
            assert self.jsonl is not None
            line = result.json + b"\n"
            offset = self.jsonl.seek(0, os.SEEK_END)
            try:
                _append_line(self.jsonl, line)
                if self.fsync:
                    os.fsync(self.jsonl.fileno())
            except OSError as exc:
                raise WriteError(f"{result.rel}: {_cannot_write(self.out / JSONL_NAME, exc)}") from None
            entry["offset"] = offset
            entry["size"] = len(line)
            entry["sha256_out"] = hashlib.sha256(line).hexdigest()
        try:
            _append_line(self.manifest, self._orjson.dumps(entry) + b"\n")
        except OSError as exc:
            # (the output is there, unrecorded: the next run makes it again)
            raise WriteError(f"{result.rel}: {_cannot_write(self.manifest_path, exc)}") from None
        self.entries[result.rel] = entry

    def error(self, rel: str, reason: str) -> None:
        try:
            _append_line(self.errors, self._orjson.dumps({"input": rel, "reason": reason}) + b"\n")
        except OSError:
            self.unwritten_errors += 1  # (the summary still counts and names it)

    def close(self) -> None:
        """Close the files and rewrite the manifest with one line per output (the
        run appended a line for each output it wrote, superseding older ones). On a full
        disk the appended manifest stays as it is: whole lines, the last one per input
        counts, so it is just as valid."""
        for fh in (self.manifest, self.errors, self.jsonl):
            if fh is not None:
                fh.close()
        body = b"".join(self._orjson.dumps(e) + b"\n" for e in self.entries.values())
        try:
            _atomic_write(self.manifest_path, body, fsync=self.fsync)
        except OSError:
            pass


# ------------------------------------------------------------------------- run


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _on_sigterm() -> Any:
    """Turn SIGTERM into SystemExit while a batch runs (main thread only), so that the
    worker pool is shut down and the open files closed: what was written stays valid,
    and no worker process outlives the run. Returns the handler to restore, or None."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _terminated)


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_batch(
    inputs: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    fmt: str = "json",
    files_from: str | os.PathLike[str] | None = None,
    pattern: str = "*.txt",
    config: Config | None = None,
    repairs: bool = True,
    scheduler: str | Any = None,
    progress: bool | None = None,
    fsync: bool = False,
    echo: Callable[[str], None] | None = None,
    follow_symlinks: bool = False,
) -> BatchSummary:
    """Parse every input into ``out``; see the module docstring for the layout.

    ``jobs``: worker processes (default: every core this process may use; 1 runs in
    this process); ``fmt``: ``json`` (one file per input), ``jsonl`` or ``tei`` (one TEI
    P5 file per input); ``config``:
    the repair configuration (default: each plugin's defaults); ``repairs=False``:
    parse only; ``scheduler``: run on Dask instead (``local``, ``tcp://HOST:PORT``, or a
    connected ``distributed.Client``);
    ``progress``: a tqdm bar on stderr (default: only when stderr is a terminal);
    ``fsync``: flush every output to disk before recording it (slower; survives a
    power cut, not only a kill); ``follow_symlinks``: follow symlinks that leave an
    input folder (by default they are reported and passed over). Bad inputs are
    recorded, not raised; a usage problem (no inputs, OUT is a file or an input
    folder) raises :class:`UsageError`.
    """

    if fmt not in ("json", "jsonl", "tei"):
        raise UsageError(f"unknown format {fmt!r} (json, jsonl or tei)")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    out_path = Path(out)
    if out_path.exists() and not out_path.is_dir():
        raise UsageError(f"{out}: is a file; -o takes a folder for a batch run")
    started = time.perf_counter()
    out_abs = out_path.resolve()
    for name in inputs:
        if Path(name).is_dir() and _is_below(Path(name).resolve(), out_abs):
            raise UsageError(f"{out}: -o is the input folder {os.fspath(name)} (or holds it); "
                             "give an output folder outside the inputs")
    not_followed: list[tuple[str, str]] = []
    root, files = collect_inputs(inputs, files_from=files_from, pattern=pattern,
                                 follow_symlinks=follow_symlinks, skipped=not_followed)
    files = [f for f in files if not _is_below(f, out_abs)]  # never read our own outputs
    renamed: list[tuple[str, str, str]] = []
    names = _output_names(root, files, ".xml" if fmt == "tei" else ".json", renamed)
    if echo is not None:
        for path, why in not_followed:
            echo(f"docparse batch: {path}: not followed ({why}; --follow-symlinks follows it)")
        for rel, new, holder in renamed:
            echo(f"docparse batch: {rel}: written as {new} ({holder} has the name it would get)")
    effective = (config or Config()) if repairs else None
    fp = fingerprint(effective)
    if scheduler is None:
        jobs = jobs or _default_jobs()
        backend = "processes"
        executor: Executor = _run_inline if jobs == 1 else _run_pool(jobs)
    else:
        # lazy: the Dask backend is an extra, loaded when asked for
        from .dask import dask_executor

        backend = scheduler if isinstance(scheduler, str) else "dask"
        work = functools.partial(_run_chunk, grammars=_grammar.grammar_choice())
        executor = dask_executor(scheduler, work=work, failed=_failed_task)
        jobs = None
    writer = _Writer(out_path, fmt, fp, fsync=fsync)
    # local worker processes write their JSON files themselves (a Dask worker may not
    # see OUT, and one JSONL file has one writer): the batch process only records them
    workers_write = fmt in _FILE_FORMATS and executor is not _run_inline and scheduler is None
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        import shutil

        from tqdm import tqdm

        # a terminal that reports no size (a bare pty: CI, editors, `script`) gets an
        # empty bar from tqdm; give it a size then
        size = shutil.get_terminal_size((0, 0))
        sized = size.columns > 0 and size.lines > 0
        bar = tqdm(
            total=len(files), desc="docparse batch", unit="file", file=sys.stderr, smoothing=0.05,
            ncols=None if sized else 100, nrows=None if sized else 24,
        )
    counts = {"written": 0, "skipped": 0, "failed": 0, "plugin_failures": 0}
    errors: list[tuple[str, str]] = []

    def fail(rel: str, reason: str) -> None:
        counts["failed"] += 1
        errors.append((rel, reason))
        writer.error(rel, reason)

    def chunks() -> Iterator[list[Task]]:
        chunk: list[Task] = []
        for path, (rel, name) in zip(files, names):
            try:
                if _is_special(path):  # (opening a FIFO with no writer would block)

                    open_input(path, rel, 0).close()  # raises the one-line InputError
                data = path.read_bytes()
            except DocparseError as exc:
                fail(rel, _one_line(str(exc)))
                if bar is not None:
                    bar.update(1)
                continue
            except OSError as exc:
                fail(rel, f"{rel}: cannot read ({exc.strerror or exc})")
                if bar is not None:
                    bar.update(1)
                continue
            digest = hashlib.sha256(data).hexdigest()
            if writer.up_to_date(rel, digest):
                writer.claim(rel)
                counts["skipped"] += 1
                if bar is not None:
                    bar.update(1)
                continue
            chunk.append(Task(rel=rel, out=name, data=data, sha256=digest,
                              dest=str((out_path / name).absolute()) if workers_write else None, fsync=fsync,
                              fmt="tei" if fmt == "tei" else "json"))
            if len(chunk) >= _CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    previous = _on_sigterm()
    try:
        for result in executor(chunks(), effective):
            if not writer.claim(result.rel):
                continue
            if result.error is not None:
                fail(result.rel, result.error)
            else:
                try:
                    writer.write(result)
                except WriteError as exc:
                    fail(result.rel, str(exc))
                    if bar is not None:
                        bar.update(1)
                    continue
                counts["written"] += 1
                if result.plugin_failures:
                    counts["plugin_failures"] += 1
            if bar is not None:
                bar.update(1)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if bar is not None:
            bar.close()
        writer.close()
    summary = BatchSummary(
        inputs=len(files),
        written=counts["written"],
        skipped=counts["skipped"],
        failed=counts["failed"],
        plugin_failures=counts["plugin_failures"],
        seconds=time.perf_counter() - started,
        out=str(out_path),
        format=fmt,
        backend=backend,
        jobs=jobs,
        docparse=_package.__version__,
        errors=tuple(errors),
    )
    import orjson

    try:
        _atomic_write(out_path / SUMMARY_NAME, orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2) + b"\n",
                      fsync=fsync)
    except OSError as exc:
        if echo is not None:
            echo(summary.text())
            for _rel, reason in errors:  # (the errors file may not have them all either)
                echo(f"docparse batch: failed: {reason}")
        raise WriteError(_cannot_write(out_path / SUMMARY_NAME, exc)) from None
    if echo is not None:
        echo(summary.text())
        if writer.unwritten_errors:
            for _rel, reason in errors:
                echo(f"docparse batch: failed: {reason}")
    return summary
