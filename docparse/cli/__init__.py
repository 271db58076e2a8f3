"""The ``docparse`` command line: ``parse``, ``repairs``, ``plugins``, ``schema``,
``eval``, and (loaded on first use) ``batch`` and ``validate``.

Exit codes (also in ``docparse --help`` and ``docs/cli.md``):

====  ==================================================================
0     success
1     input problem: some input could not be read or parsed (the others
      were still processed)
2     usage error: unknown option, bad option value, wrong arguments
3     plugin error (the repair-plugin pipeline)
70    internal error: a bug in docparse (``--debug`` shows the traceback)
====  ==================================================================

When a run meets several kinds of failure, the highest code wins.

docparse's own errors (:class:`~docparse.errors.DocparseError`) are printed as one
line, ``docparse: <message>``, never as a traceback. Start-up is kept short: the
parser, Lark, dateparser, wordfreq and jsonschema are imported inside the
commands that need them, never when this module is imported; so are the modules
of the ``batch`` and ``validate`` commands (:class:`_DocparseGroup` loads a
command's module only when that command is run or listed in ``--help``).

Repairs: ``parse``, ``repairs`` and ``eval`` run the repair plugins configured in
``docparse.toml`` / ``[tool.docparse]`` (:func:`docparse.config.load_config`),
overridden by ``--no-repairs``, ``--repair NAME``, ``--no-repair NAME``,
``--plugin SPEC``, ``--strict`` and ``--ocr/--no-ocr``. A plugin that fails on a
document is reported on stderr, one line naming the file and the plugin, and its
changes are dropped; with ``--strict`` the failure is fatal for that document
(exit code 3).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from .. import __version__
from ..errors import DocparseError, InputError, PluginError, UsageError
from ._grammars import grammar_options

if TYPE_CHECKING:
    from ..config import Config
    from ..nodes import Document

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_PLUGIN",
    "EXIT_USAGE",
    "ParseContext",
    "cli",
    "main",
]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_PLUGIN = 3
EXIT_INTERNAL = 70

_EXIT_CODES_HELP = """\b
Exit codes:
  0   success
  1   input problem (some input could not be read or parsed;
      the other files were still processed)
  2   usage error
  3   plugin error
  70  internal error (a bug; --debug shows the traceback)
When several kinds of failure occur, the highest code wins."""

_MAIN_HELP = f"""Parse letters (typed, scanned, OCR'd) into a lossless docparse/1 JSON tree.

\b
Examples:
  docparse parse letter.txt                 pretty JSON on stdout (repaired)
  docparse parse --no-repairs letter.txt    the raw parse
  docparse parse a.txt b.txt -o out.jsonl   one line per letter (streamed)
  cat letter.txt | docparse parse -         read stdin
  docparse parse --encoding cp1251 old.txt  say the encoding
  docparse repairs scan.txt                 what the repairs changed
  docparse plugins                          the repair plugins, in run order
  docparse schema > docparse-1.schema.json  the JSON Schema
  docparse eval corpus/letters --worst 20   accuracy against gold files
  docparse batch archive/ -o parsed/        many files, in parallel
  docparse validate letters/                check letter layout

{_EXIT_CODES_HELP}
"""


def _one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces collapsed (errors are one line)."""
    return " ".join(str(text).split())


def _debug_enabled() -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        root = ctx.find_root()
        if root.params.get("debug"):
            return True
    return os.environ.get("DOCPARSE_DEBUG", "") not in ("", "0")


def _say_error(message: str) -> None:
    click.echo(f"docparse: {_one_line(message)}", err=True)


def _say_internal(exc: BaseException, where: str | None = None) -> None:
    """One line for an unexpected exception; the traceback too with ``--debug``."""
    if _debug_enabled():
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
        hint = ""
    else:
        hint = " (run with --debug for the traceback)"
    prefix = f"{where}: " if where else ""
    detail = _one_line(str(exc))
    name = type(exc).__name__
    _say_error(f"internal error: {prefix}{name}{': ' + detail if detail else ''}{hint}")


def _binary_stdout() -> IO[bytes]:
    """The byte stream under stdout (JSON is written as UTF-8 whatever the locale)."""
    return sys.stdout.buffer


def _binary_stdin() -> IO[bytes]:
    """The byte stream under stdin (input is decoded by docparse, not by the locale)."""
    return sys.stdin.buffer


def _is_broken_pipe(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


class _DocparseGroup(click.Group):
    """A click group that turns docparse's errors into one line and an exit code, and
    loads the commands of :data:`_LAZY_COMMANDS` from their modules only when needed
    (the lazy-group pattern of click's documentation), so start-up stays fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in _LAZY_COMMANDS:
            return command
        import importlib

        module_name, _, attr = _LAZY_COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module_name), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{_LAZY_COMMANDS[cmd_name]} is not a click command")
        self.add_command(command, cmd_name)  # load once
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except DocparseError as exc:
            _say_error(str(exc))
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            if _is_broken_pipe(exc):
                raise  # click's main handles a closed pipe quietly
            _say_internal(exc)
            ctx.exit(EXIT_INTERNAL)


#: commands defined in other modules: name -> "module:attribute", imported on first use
_LAZY_COMMANDS = {
    "grammar": "docparse.cli.grammar:grammar_command",
    "batch": "docparse.cli.batch:batch_command",
    "validate": "docparse.cli.validate:validate_command",
}


@click.group(
    name="docparse",
    cls=_DocparseGroup,
    help=_MAIN_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(
    __version__, "-V", "--version", prog_name="docparse", message="%(prog)s %(version)s"
)
@click.option(
    "--debug",
    is_flag=True,
    help="Show the traceback of an internal error (or set DOCPARSE_DEBUG=1).",
)
def cli(debug: bool) -> None:
    """The ``docparse`` command group."""


# --------------------------------------------------------------------------- parse


class ParseContext:
    """What one ``docparse parse`` (``repairs``, ``eval``) run asks of every document.

    ``config``: the repair configuration (None: run no repairs); ``explain``: print
    each document's repairs to ``err``; ``err``: the run's diagnostics stream
    (stderr by default). :func:`_process` reads it. (A plain class, not a dataclass:
    importing :mod:`dataclasses` would cost ``docparse --version`` some 20 ms.)
    """

    __slots__ = ("config", "encoding", "err", "explain", "plugin_failures", "seen", "source_format",
                 "trace")

    def __init__(
        self,
        *,
        encoding: str | None = None,
        config: Config | None = None,
        explain: bool = False,
        err: IO[str] | None = None,
    ) -> None:
        self.encoding = encoding
        #: ``--from``: the input format (None: detected from each input's content)
        self.source_format: str | None = None
        self.config = config
        self.explain = explain
        #: record the layout analysis's rule on every leaf (``parse --trace``)
        self.trace = False
        self.err: IO[str] = err if err is not None else sys.stderr
        #: how many plugin failures were reported (not fatal: without --strict)
        self.plugin_failures = 0
        #: how many documents were repaired
        self.seen = 0

    def __repr__(self) -> str:
        return (f"ParseContext(encoding={self.encoding!r}, explain={self.explain!r}, "
                f"repairs={self.config is not None and not self.config.no_repairs!r})")


def _process(doc: Document, ctx: ParseContext) -> Document:
    """The per-document work after parsing: the repairs; returns the (possibly new) tree.

    Each plugin failure is one line on ``ctx.err`` naming the file and the plugin
    (the plugin's changes are dropped, the others kept). With ``--strict`` a failure
    raises :class:`~docparse.errors.PluginError` (exit code 3) instead, which stops
    that document only; the other files are still processed.
    """
    if ctx.trace:
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..decisions import trace_layout

        doc = trace_layout(doc)
    config = ctx.config
    if config is None or config.no_repairs:
        return doc
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..pipeline import explain, run_repairs

    name = doc.source.name or "<document>"
    try:
        result = run_repairs(doc, config, check="full" if _debug_enabled() else None)
    except PluginError as exc:
        raise PluginError(f"{name}: {_one_line(str(exc))}", plugin=exc.plugin) from None
    for failure in result.failures:
        ctx.plugin_failures += 1
        click.echo(f"docparse: {name}: {_one_line(failure.message)}", file=ctx.err)
    ctx.seen += 1
    if ctx.explain:
        text = explain(result.doc)
        click.echo(f"== {name}: {_count(text)} ==", file=ctx.err)
        if text:
            click.echo(text, file=ctx.err, nl=False)
    return result.doc


def _count(explained: str) -> str:
    """``"3 changes"`` (repairs and joins) from the text of :func:`docparse.pipeline.explain`."""
    n = sum(1 for line in explained.splitlines() if line and not line.startswith(" "))
    return "no changes" if n == 0 else f"{n} change{'s' if n != 1 else ''}"


def _repair_options(func: Any) -> Any:
    """The repair options shared by ``parse``, ``repairs``, ``eval`` and ``plugins``."""
    options = [
        click.option("--no-repairs", is_flag=True,
                     help="Run no repair plugin: the raw parse."),
        click.option("--repair", "repair", multiple=True, metavar="NAME",
                     help="Run plugin NAME too (even if off by default or disabled in the "
                     "configuration). Repeatable."),
        click.option("--no-repair", "no_repair", multiple=True, metavar="NAME",
                     help="Do not run plugin NAME. Repeatable."),
        click.option("--plugin", "plugin_specs", multiple=True, metavar="SPEC",
                     help="Load repair plugins from SPEC: path/to/file.py or package.module:object. "
                     "Repeatable."),
        click.option("--strict", is_flag=True, default=None,
                     help="A failing plugin is fatal for its document (exit code 3) "
                     "instead of a warning; checks each plugin's output against the JSON Schema."),
        click.option("--ocr/--no-ocr", "ocr", default=None,
                     help="Say whether the input is OCR output (default: judged per letter from "
                     "the signs of OCR in it): OCR-aware plugins (ocr-spelling, spacing, "
                     "dehyphenate) correct as OCR'd text, or leave the typed text as it is "
                     "and only suggest (data.suggestions)."),
        click.option("--set", "settings", multiple=True, metavar="PLUGIN.OPTION=VALUE",
                     callback=_check_settings,
                     help="Set an option of a repair plugin, over the configuration file "
                     "(VALUE as in TOML: 1800, 0.6, true, [\"en\", \"ru\"]; other text is a "
                     "string). Repeatable. `docparse plugins` lists the options."),
        click.option("--isolation", type=click.Choice(["inline", "process"]), default=None,
                     help="How third-party plugins run: inline (default), or each call in a "
                     "forked process, killed at the time budget (a hard limit)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _check_settings(
    ctx: click.Context, param: click.Parameter, value: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """``--set`` read once (plugin name -> {option: value}); a malformed one is a usage
    error (exit code 2) before any work."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..config import parse_settings

    try:
        return parse_settings(value)
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="'--set'") from None


def _repair_config(
    *,
    no_repairs: bool,
    repair: Sequence[str],
    no_repair: Sequence[str],
    plugin_specs: Sequence[str],
    strict: bool | None,
    ocr: bool | None,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    check: bool = True,
    isolation: str | None = None,
) -> Config:
    """The configuration file's settings overridden by the command line, checked once
    up front (unknown plugin names, bad options, cycles: one line, exit code 3)."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..config import load_config

    if set(repair) & set(no_repair):
        both = min(set(repair) & set(no_repair))
        raise click.UsageError(f"--repair {both} and --no-repair {both} contradict each other")
    try:
        config = load_config()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if config.notice:
        click.echo(f"docparse: {config.notice}", err=True)
    config = config.merge_cli(
        repair=repair,
        no_repair=no_repair,
        no_repairs=no_repairs,
        plugin=plugin_specs,
        strict=strict or None,
        ocr=ocr,
        options=settings,
        isolation=isolation,
    )
    if check and not config.no_repairs:
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..pipeline import available_plugins

        available_plugins(config)  # raises PluginError: reported by the group, exit 3
    return config


def _read(file: str, ctx: ParseContext) -> Document:
    """Parse one command-line FILE (``-`` is stdin, read as bytes)."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from .. import api

    if file == "-":
        return api.parse_bytes(_stdin_bytes(), "<stdin>", encoding=ctx.encoding,
                               format=ctx.source_format)
    return api.parse_file(file, encoding=ctx.encoding, format=ctx.source_format)


#: the formats ``--from`` takes (docparse.readers.FORMATS, written out: importing the
#: readers at start-up would cost every command)
FROM_FORMATS = ("text", "alto", "page", "hocr", "pdf")


def _from_option(func: Any) -> Any:
    """``--from FORMAT``: read every input as FORMAT instead of detecting it."""
    return click.option(
        "--from", "source_format", type=click.Choice(FROM_FORMATS), default=None,
        help="Read the input as FORMAT (text, alto, page, hocr, pdf) instead of detecting "
        "it from the content (see docs/readers.md).",
    )(func)


def _paged(file: str, ctx: ParseContext) -> bool:
    """Whether FILE is read by a reader other than the text reader (a directory of page
    files, OCR XML, a PDF): parsed whole, not streamed."""
    if ctx.source_format not in (None, "text"):
        return True
    if ctx.source_format == "text" or file == "-":
        return False
    path = Path(file)
    if path.is_dir():
        return True
    if not path.is_file():  # (a FIFO or device is never opened here: opening one may block)
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # (the streamed read reports it)
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..readers import detect

    return detect(head, file) != "text"


def _stdin_bytes() -> bytes:
    """All of stdin, up to the input size limit."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from .. import api

    # read one byte past the limit, never more: an endless stdin is refused, not swallowed
    data = _binary_stdin().read(api.MAX_BYTES + 1)
    if len(data) > api.MAX_BYTES:
        raise InputError(f"<stdin>: too large (more than the limit of {api.MAX_BYTES:,} bytes)")
    return data


class _SinkError(DocparseError):
    """The output could not be written (exit code 1): the run stops."""


class _Sink:
    """Where output goes: stdout, or a file written atomically (temp file, then rename).

    The temp file sits in the target's directory so the rename never crosses file
    systems; readers of the target see the old file or the whole new one, never a
    half-written one.
    """

    def __init__(self, output: str | None) -> None:
        self.target = output if output not in (None, "-") else None
        self.label = self.target or "<stdout>"
        self.tmp: str | None = None
        self.direct = False
        self.stream: IO[bytes]
        if self.target is None:
            self.stream = _binary_stdout()
            return
        target = Path(self.target)
        if target.is_dir():
            raise DocparseError(f"{self.target}: is a directory; -o takes a file name")
        if target.exists() and not target.is_file():
            # a device or a pipe (-o /dev/null): it cannot be replaced, so write to it directly
            try:
                self.stream = open(target, "wb")  # noqa: SIM115 - closed in commit/discard
            except OSError as exc:
                raise DocparseError(
                    f"{self.target}: cannot write ({exc.strerror or exc})"
                ) from None
            self.direct = True
            return
        # rename onto the real file, so that a symlinked OUT stays a symlink
        self.target = os.path.realpath(target)
        directory = Path(self.target).parent
        import tempfile

        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        except FileNotFoundError:
            raise DocparseError(
                f"{output}: cannot write (no such directory: {directory})"
            ) from None
        except OSError as exc:
            raise DocparseError(f"{output}: cannot write ({exc.strerror or exc})") from None
        self.stream = os.fdopen(fd, "wb")

    def write(self, text: str) -> None:
        try:
            self.stream.write(text.encode("utf-8", "backslashreplace"))
            if self.target is None:
                self.stream.flush()
        except OSError as exc:
            raise self._failed(exc) from None

    def write_json(self, node: Any, *, indent: bool) -> None:
        """``node``'s JSON and a line break, written piece by piece as the codec makes them
        (:func:`docparse.codec.dump`): neither a ``str`` nor the whole JSON is ever built."""
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..codec import dump

        try:
            dump(node, self.stream, indent=indent)
            self.stream.write(b"\n")
            if self.target is None:
                self.stream.flush()
        except OSError as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: OSError) -> Exception:
        """A write that failed (a full disk, a quota): the one-line error naming the output
        (exit code 1), the temp file removed; a closed pipe is left to click, as ever."""
        if exc.errno == errno.EPIPE or _is_broken_pipe(exc):
            return exc
        self.discard()
        return _SinkError(f"{self.label}: cannot write ({exc.strerror or exc})")

    def commit(self) -> None:
        """Finish: flush stdout, or move the temp file over the target."""
        try:
            self._commit()
        except OSError as exc:
            raise self._failed(exc) from None

    def _commit(self) -> None:
        if self.direct:
            self.stream.close()
            return
        if self.tmp is None or self.target is None:
            self.stream.flush()
            return
        self.stream.close()
        # mkstemp makes the file 0600: keep the mode of the file being replaced, or
        # give a new file the usual mode (0666 less the umask)
        try:
            mode = os.stat(self.target).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.tmp, mode)
        os.replace(self.tmp, self.target)
        self.tmp = None

    def discard(self) -> None:
        """Give up: the target (if any) is left as it was."""
        if self.direct:
            with contextlib.suppress(OSError):  # (what could not be written is lost anyway)
                self.stream.close()
            return
        if self.tmp is None:
            return
        try:
            with contextlib.suppress(OSError):
                self.stream.close()
        finally:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None


def _write_out(output: str | None, text: str) -> None:
    """Write ``text`` to OUT (atomically) or stdout; nothing of OUT changes on a failure."""
    sink = _Sink(output)
    try:
        sink.write(text)
    except BaseException:
        sink.discard()
        raise
    sink.commit()


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        info = codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(
            f"unknown encoding {value!r} (try utf-8, cp1251, koi8-r)"
        ) from None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: not bytes -> text
        raise click.BadParameter(
            f"{value!r} is not a text encoding (try utf-8, cp1251, koi8-r)"
        )
    return value


@cli.command(
    "parse",
    epilog="""\b
Examples:
  docparse parse letter.txt
  docparse parse --compact letter.txt
  docparse parse letters/*.txt -o all.jsonl
  docparse parse --format jsonl archive.txt -o archive.jsonl   one line per letter
  docparse parse - < letter.txt
  docparse parse --no-repairs letter.txt        the raw parse
  docparse parse --explain scan.txt > scan.json the repairs as a diff on stderr
  docparse parse --no-repair ocr-spelling --plugin tools/fix.py letter.txt
  docparse parse --set dates.century=1800 letter.txt   '78 read as 1878""",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "-o",
    "--output",
    metavar="OUT",
    help="Write to OUT instead of stdout (atomically: a temp file, then a rename).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default=None,
    help="json: one pretty document (one FILE only, up to 64 MiB); jsonl: one line per "
    "part of each FILE, a part being one letter (a file of one letter: its whole document), "
    "streamed in bounded memory, for files up to 4 GiB. Default: json for one FILE, jsonl "
    "for several.",
)
@click.option(
    "--encoding",
    metavar="ENC",
    callback=_check_encoding,
    help="Decode the input with ENC instead of detecting it (utf-8, cp1251, koi8-r, ...).",
)
@click.option("--compact", is_flag=True, help="No indentation in json output.")
@_repair_options
@click.option("--explain", is_flag=True,
              help="Print each document's repairs to stderr as a readable diff "
              "(line:column, node, plugin, confidence, - before, + after).")
@click.option("--trace", is_flag=True,
              help="Record on every leaf, under data.layout, the rule of the layout analysis "
              "that decided its first line, with the evidence (as docparse explain prints it).")
@_from_option
@click.pass_context
@grammar_options
def parse_cmd(
    click_ctx: click.Context,
    files: Sequence[str],
    output: str | None,
    fmt: str | None,
    encoding: str | None,
    compact: bool,
    explain: bool,
    trace: bool,
    source_format: str | None,
    **repair: Any,
) -> None:
    """Parse each FILE (- for stdin) into a docparse/1 JSON document, repaired by
    the default repair plugins (see `docparse plugins`).

    A file that cannot be read or parsed gets a one-line error on stderr and the
    other files are still processed; the exit code is then 1. A repair plugin
    that fails on a document is reported (one line naming it) and its changes are
    dropped; with --strict the document is not written and the exit code is 3.

    With --format jsonl (the default for several FILEs) each FILE is streamed: it is
    read a block at a time and written one line per part as it goes, a part being a
    letter (with any unclassified text after it) whose positions are those of the
    whole file and whose data.part says which part it is (index, last, text); a FILE
    of one letter is written as its whole document, as with --format json.
    """
    if list(files).count("-") > 1:
        raise click.UsageError("stdin (-) can be given only once")
    if fmt == "json" and len(files) > 1:
        raise click.UsageError("--format json takes one FILE; use --format jsonl for several")
    lines = fmt == "jsonl" or len(files) > 1
    config = _repair_config(**repair)
    ctx = ParseContext(encoding=encoding, config=config, explain=explain)
    ctx.trace = trace
    ctx.source_format = source_format
    sink = _Sink(output)
    codes: list[int] = []
    written = 0
    try:
        for file in files:
            if lines:
                done, code = _stream_file(file, ctx, sink)
                written += done
                if code:
                    codes.append(code)
                continue
            try:
                doc = _process(_read(file, ctx), ctx)
            except DocparseError as exc:
                _say_error(str(exc))
                codes.append(exc.exit_code)
                continue
            except Exception as exc:
                if _is_broken_pipe(exc):
                    raise
                _say_internal(exc, "<stdin>" if file == "-" else file)
                codes.append(EXIT_INTERNAL)
                continue
            sink.write_json(doc, indent=not (lines or compact))
            written += 1
    except BaseException:
        sink.discard()
        raise
    if written or sink.target is None or sink.direct:
        sink.commit()
    else:
        sink.discard()  # nothing parsed: leave OUT as it was
    if codes:
        click_ctx.exit(max(codes))


def _stream_file(file: str, ctx: ParseContext, sink: _Sink) -> tuple[int, int]:
    """Write FILE as JSON lines, one per part (:func:`docparse.stream.iter_parts`), as it
    is parsed; returns ``(lines written, exit code or 0)``.

    Input problems are found before the first line (the whole file is checked to
    decode first). A part whose repairs fail with ``--strict`` is left out (its error
    names the file and the part) and the next parts are still written.
    """
    import attrs

    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..codec import dumps
    from ..stream import iter_parts

    label = "<stdin>" if file == "-" else file
    written = 0
    code = 0
    if _paged(file, ctx) or (file == "-" and ctx.source_format not in (None, "text")):
        try:
            doc = _process(_read(file, ctx), ctx)
        except DocparseError as exc:
            _say_error(str(exc))
            return 0, exc.exit_code
        except Exception as exc:
            if _is_broken_pipe(exc):
                raise
            _say_internal(exc, label)
            return 0, EXIT_INTERNAL
        sink.write(dumps(doc) + "\n")
        return 1, 0
    try:
        parts = iter_parts(_binary_stdin() if file == "-" else file,
                           name="<stdin>" if file == "-" else None, encoding=ctx.encoding)
        for part in parts:
            try:
                if part.whole:
                    doc = _process(part.doc, ctx)  # one letter: the whole document, as --format json
                else:
                    local = part.doc.evolve(
                        source=attrs.evolve(part.doc.source, name=f"{label} (part {part.index})")
                    )
                    doc = part.finish(_process_part(local, part.base.line - 1, ctx))
            except DocparseError as exc:
                _say_error(str(exc))
                code = max(code, exc.exit_code)
                continue
            sink.write(dumps(doc) + "\n")
            written += 1
    except _SinkError:
        raise  # (the output is gone: no other file can be written either)
    except DocparseError as exc:
        _say_error(str(exc))
        code = max(code, exc.exit_code)
    except Exception as exc:
        if _is_broken_pipe(exc):
            raise
        _say_internal(exc, label)
        code = EXIT_INTERNAL
    return written, code


def _process_part(doc: Document, lines: int, ctx: ParseContext) -> Document:
    """:func:`_process` for a streamed part, whose positions are still local to the part:
    the ``--explain`` diff is printed with the file's line numbers (``lines`` added)."""
    if not ctx.explain:
        return _process(doc, ctx)
    ctx.explain = False
    try:
        result = _process(doc, ctx)
    finally:
        ctx.explain = True
    if ctx.config is None or ctx.config.no_repairs:
        return result
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..pipeline import explain

    text = _shift_explained(explain(result), lines)
    click.echo(f"== {result.source.name}: {_count(text)} ==", file=ctx.err)
    if text:
        click.echo(text, file=ctx.err, nl=False)
    return result


def _shift_explained(text: str, lines: int) -> str:
    """The text of :func:`docparse.pipeline.explain` with its line numbers moved by ``lines``
    (``12:5  paragraph ...`` headers and ``starting on lines 3, 9``)."""
    import re

    if not lines:
        return text

    def head(m: re.Match[str]) -> str:
        return f"{int(m.group(1)) + lines}:{m.group(2)}"

    def joined(m: re.Match[str]) -> str:
        return m.group(1) + ", ".join(str(int(n) + lines) for n in m.group(2).split(", "))

    text = re.sub(r"(?m)^(\d+):(\d+)(?=  )", head, text)
    return re.sub(r"(?m)^(  joined \d+ parts starting on lines )(\d+(?:, \d+)*)$", joined, text)


# --------------------------------------------------------------------------- explain


@cli.command(
    "explain",
    epilog="""\b
Each line: its number, its letter, its role, the rule that decided it, its text,
and under it the evidence the rule went by (rule names: docs/explain.md).""",
)
@click.argument("file", metavar="FILE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format (json: a list of line records).")
@click.option("--facts", is_flag=True, help="Show each line's facts too (indent, length, lexicons ...).")
@click.option("--blank", is_flag=True, help="List blank lines too.")
@_from_option
@click.option("--encoding", metavar="ENC", default=None, callback=_check_encoding,
              help="Decode the input with ENC instead of detecting it.")
@grammar_options
def explain_cmd(file: str, fmt: str, facts: bool, blank: bool, encoding: str | None,
                source_format: str | None = None) -> None:
    """Print, for each line of FILE, its role and the rule of the layout analysis that
    decided it, with the evidence (FILE may be - for stdin)."""
    import orjson

    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from .. import api
    from ..decisions import explain_layout, format_decisions
    from ..source import decode

    label = "<stdin>" if file == "-" else file
    text = ""
    if file != "-" and source_format != "text" and Path(file).is_dir():
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..readers import read_directory

        text = read_directory(file, source_format, api.MAX_BYTES)[0].text
        data = b""
    else:
        data = _stdin_bytes() if file == "-" else api.read_input(file)
    kind = source_format
    if data and kind is None:
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..readers import detect

        kind = detect(data, label)
    if data and kind not in (None, "text"):
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..readers import read_bytes

        text = read_bytes(data, label, kind).text  # the text the reader lays out
    elif data:
        text, _used = decode(data, label, encoding)
    if not text or text.isspace():
        raise InputError(f"{label}: empty (no text to parse)")
    decisions = explain_layout(text)
    out = _binary_stdout()
    if fmt == "json":
        out.write(orjson.dumps([d.to_dict() for d in decisions], option=orjson.OPT_INDENT_2) + b"\n")
    else:
        out.write(format_decisions(decisions, facts=facts, blank=blank).encode("utf-8"))
    out.flush()


# --------------------------------------------------------------------------- schema


@cli.command("schema")
@click.option("--compact", is_flag=True, help="No indentation.")
def schema_cmd(compact: bool) -> None:
    """Print the JSON Schema of the docparse/1 format."""
    import orjson

    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..schema import load_schema

    option = 0 if compact else orjson.OPT_INDENT_2
    out = _binary_stdout()
    out.write(orjson.dumps(load_schema(), option=option) + b"\n")
    out.flush()


# --------------------------------------------------------------------------- eval


@cli.command(
    "eval",
    epilog="""\b
DIR holds NAME.txt files, each with NAME.gold.json beside it (searched
recursively); the gold format is described in docs/gold-format.md.
Parse failures are counted as misses and listed; the exit code is 0
whenever the measurement ran (1 if DIR or a gold file cannot be read).""",
)
@click.argument("directory", metavar="DIR")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Report format."
)
@click.option(
    "--worst",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    metavar="N",
    help="How many of the worst cases to list (expected vs got).",
)
@click.option(
    "--encoding",
    metavar="ENC",
    callback=_check_encoding,
    help="Decode the letters with ENC instead of detecting it.",
)
@_repair_options
@grammar_options
def eval_cmd(directory: str, fmt: str, worst: int, encoding: str | None, **repair: Any) -> None:
    """Measure parsing accuracy on DIR against its gold files.

    Single-valued fields (date, salutation, closing, signatories, postscript, ...)
    score the exact-match rate; list fields (address lines, paragraphs, running
    headers) precision, recall and F1 over items; both strictly and after
    whitespace/case normalization, per language. The letters are repaired as
    `docparse parse` repairs them (--no-repairs: measure the raw parse).
    """
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..evaluate import evaluate_dir, format_text

    ctx = ParseContext(encoding=encoding, config=_repair_config(**repair))

    def parse(path: Path) -> Document:
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..api import parse_file

        try:
            return _process(parse_file(path, encoding=ctx.encoding), ctx)
        except DocparseError:
            raise
        except Exception as exc:
            # evaluate_dir records the failure and goes on; --debug also shows where it came from
            if _debug_enabled():
                import traceback

                click.echo(f"docparse: internal error while parsing {path}:", err=True)
                traceback.print_exception(exc, file=sys.stderr)
            raise

    progress = None
    if sys.stderr.isatty() and fmt == "text":
        from tqdm import tqdm

        def progress(items: Any) -> Any:
            return tqdm(items, desc="docparse eval", unit="file", leave=False, file=sys.stderr)

    report = evaluate_dir(directory, parse=parse, progress=progress)
    out = _binary_stdout()
    if fmt == "json":
        import orjson

        out.write(orjson.dumps(report.to_dict(worst), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        out.write(format_text(report, worst).encode("utf-8"))
    out.flush()


# --------------------------------------------------------------------------- repairs


@cli.command(
    "repairs",
    epilog="""\b
Examples:
  docparse repairs scan.txt
  docparse repairs --format json scan.txt > repairs.json
  docparse repairs --repair straight-quotes --no-repair spacing letter.txt
  docparse repairs parsed.json          a tree written by docparse parse""",
)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: a readable diff; json: one object per repair (file, line, column, node, "
    "plugin, confidence, before, after, start, end).",
)
@click.option(
    "--encoding", metavar="ENC", callback=_check_encoding,
    help="Decode the input with ENC instead of detecting it.",
)
@_repair_options
@_from_option
@click.pass_context
@grammar_options
def repairs_cmd(
    click_ctx: click.Context, files: Sequence[str], fmt: str, encoding: str | None,
    source_format: str | None, **repair: Any
) -> None:
    """Print the repairs made to each FILE: where (line:column), which node, which
    plugin with what confidence, and the text before and after.

    FILE is a letter (parsed and repaired here, with the same options as
    `docparse parse`) or a .json document written by `docparse parse` (its
    recorded repairs are shown as they are).
    """
    import orjson

    config = _repair_config(**repair)
    ctx = ParseContext(encoding=encoding, config=config)
    ctx.source_format = source_format
    out = _binary_stdout()
    codes: list[int] = []
    for file in files:
        try:
            doc = _load_or_parse(file, ctx)
        except DocparseError as exc:
            _say_error(str(exc))
            codes.append(exc.exit_code)
            continue
        except Exception as exc:
            if _is_broken_pipe(exc):
                raise
            _say_internal(exc, file)
            codes.append(EXIT_INTERNAL)
            continue
        if fmt == "json":
            for row in _repair_rows(doc, file):
                out.write(orjson.dumps(row) + b"\n")
        else:
            # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
            from ..pipeline import explain

            text = explain(doc)
            if len(files) > 1:
                out.write(f"== {file}: {_count(text)} ==\n".encode())
            out.write(text.encode("utf-8", "backslashreplace"))
        out.flush()
    if codes:
        click_ctx.exit(max(codes))


def _load_or_parse(file: str, ctx: ParseContext, *, json_stdin: bool = False) -> Document:
    """A ``.json`` document as written (its repairs are the record), else parse and repair.

    With ``json_stdin``, stdin (``-``) is read as a document too when its first
    character other than whitespace is ``{`` (``docparse parse x.txt | docparse render -``).
    """
    if file != "-" and file.lower().endswith(".json") and Path(file).is_file():
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{file}: cannot read ({exc})") from None
        return _document_from_json(text, file)
    if file == "-" and json_stdin:
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from .. import api

        data = _stdin_bytes()
        if data.lstrip()[:1] == b"{":
            try:
                return _document_from_json(data.decode("utf-8"), "<stdin>")
            except UnicodeDecodeError as exc:
                raise InputError(f"<stdin>: JSON that is not UTF-8 ({exc})") from None
        return _process(api.parse_bytes(data, "<stdin>", encoding=ctx.encoding), ctx)
    return _process(_read(file, ctx), ctx)


def _document_from_json(text: str, label: str) -> Document:
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..codec import loads
    from ..nodes import Document

    try:
        tree = loads(text)
    except DocparseError as exc:
        raise type(exc)(f"{label}: {_one_line(str(exc))}") from None
    if not isinstance(tree, Document):
        raise InputError(f"{label}: holds a {tree.type} node, not a docparse document")
    return tree


# --------------------------------------------------------------------------- render


@cli.command(
    "render",
    epilog="""\b
Examples:
  docparse render scan.txt                      the repaired letter, laid out afresh
  docparse render --format tei scan.txt -o scan.xml
  docparse render --format tei parsed.json      a tree written by docparse parse
  docparse render --no-repairs --width 60 letter.txt
  docparse render --format csv scan.txt -o letters.csv   one row per letter
  docparse render --format cmif parsed.json             correspDesc per letter
  docparse render --format page scan.alto.xml -o scan.page.xml""",
)
@click.argument("file", metavar="FILE")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "tei", "csv", "jsonl-flat", "cmif", "alto", "page"]),
    default="text", show_default=True,
    help="text: the letters in a conventional layout (docparse.render); tei: TEI P5 XML, "
    "each repair a <choice> of the text as read and as repaired (docparse.to_tei); "
    "csv / jsonl-flat: one row per letter (date, place, recipient, salutation, closing, "
    "signatories ...: docparse.fields); cmif: the Correspondence Metadata Interchange "
    "Format (docparse.cmif); alto, page: ALTO 4.4 or PAGE-XML 2019, the source's lines "
    "with their boxes, each part of the letter a TextBlock or TextRegion of its type "
    "(see docs/readers.md).",
)
@click.option("--width", type=click.IntRange(min=20), default=None, metavar="N",
              help="text: wrap paragraphs at N columns (default 72).")
@click.option("-o", "--output", metavar="OUT",
              help="Write to OUT instead of stdout (atomically: a temp file, then a rename).")
@click.option(
    "--encoding", metavar="ENC", callback=_check_encoding,
    help="Decode the input with ENC instead of detecting it.",
)
@_repair_options
@grammar_options
@_from_option
def render_cmd(file: str, fmt: str, width: int | None, output: str | None, encoding: str | None,
               source_format: str | None = None, **repair: Any) -> None:
    """Write FILE's letters as text or as TEI.

    FILE is a letter (parsed and repaired here, with the same options as `docparse
    parse`) or a .json document written by `docparse parse` (written as it is); -
    reads stdin, a document if it starts with "{", else a letter. The output is a
    view for reading and editions: the lossless record is the JSON, which keeps the
    source text.
    """
    if width is not None and fmt != "text":
        raise click.UsageError("--width is for --format text")
    ctx = ParseContext(encoding=encoding, config=_repair_config(**repair))
    ctx.source_format = source_format
    doc = _load_or_parse(file, ctx, json_stdin=True)
    if fmt == "tei":
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..tei import to_tei

        text = to_tei(doc)
    elif fmt in ("csv", "jsonl-flat"):
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..fields import to_csv, to_jsonl_flat

        text = to_csv(doc) if fmt == "csv" else to_jsonl_flat(doc)
    elif fmt == "cmif":
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..cmif import to_cmif

        text = to_cmif(doc)
    elif fmt == "alto":
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..writers import to_alto

        text = to_alto(doc)
    elif fmt == "page":
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..writers.page import to_page_files

        files = to_page_files(doc)
        if len(files) > 1:
            if output is None:
                raise click.UsageError(f"the document has {len(files)} pages and a PAGE-XML file "
                                       "holds one: give -o DIR to write one file a page")
            _write_pages(output, files)
            return
        text = files[0]
    else:
        # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
        from ..rendering import WIDTH, render

        text = render(doc, width=width or WIDTH)
    _write_out(output, text)


def _write_pages(folder: str, files: list[str]) -> None:
    """PAGE-XML files ``page-0001.xml`` ... into ``folder`` (made if missing), each atomically."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot make the folder ({exc.strerror or exc})") from None
    for k, xml in enumerate(files, 1):
        sink = _Sink(str(Path(folder) / f"page-{k:04d}.xml"))
        try:
            sink.write(xml)
        except BaseException:
            sink.discard()
            raise
        sink.commit()
# --------------------------------------------------------------------------- view


@cli.command(
    "view",
    epilog="""\b
Examples:
  docparse view scan.txt -o scan.html           the page, to open in a browser
  docparse view parsed.json -o parsed.html      a tree written by docparse parse
  docparse view --no-repairs letter.txt -o raw.html""",
)
@click.argument("file", metavar="FILE")
@click.option("-o", "--output", metavar="OUT",
              help="Write to OUT instead of stdout (atomically: a temp file, then a rename).")
@click.option(
    "--encoding", metavar="ENC", callback=_check_encoding,
    help="Decode the input with ENC instead of detecting it.",
)
@_repair_options
@grammar_options
@_from_option
def view_cmd(file: str, output: str | None, encoding: str | None, source_format: str | None = None,
             **repair: Any) -> None:
    """Write one self-contained HTML page to look at FILE's parse.

    The source with each part coloured and labelled beside the repaired letter, each
    repair's text as read and as repaired on hover or focus, the layout diagnostics of
    `docparse validate`, keyboard navigation (j/k parts, n/p repairs, [/] letters) and,
    for OCR input with page geometry, each page's boxes. FILE is a letter or a .json
    document written by `docparse parse`, as for `docparse render`.
    """
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..validate import load_validate_config, select_rules, validate_document
    from ..view import to_html

    ctx = ParseContext(encoding=encoding, config=_repair_config(**repair))
    ctx.source_format = source_format
    doc = _load_or_parse(file, ctx, json_stdin=True)
    source = _json_source(file)
    diagnostics = validate_document(doc, select_rules(load_validate_config()), path=file)
    text = to_html(doc, source=source, diagnostics=diagnostics)
    _write_out(output, text)


def _json_source(file: str) -> dict[str, Any] | None:
    """The ``source`` object of a ``.json`` input as written (page geometry included, which
    a document read by this version may not keep), or None for other inputs."""
    if file == "-" or not file.lower().endswith(".json") or not Path(file).is_file():
        return None
    import json

    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # (the document itself was read: its own error would have been raised)
    source = data.get("source") if isinstance(data, dict) else None
    return source if isinstance(source, dict) else None


def _repair_rows(doc: Document, file: str) -> list[dict[str, Any]]:
    """One JSON-able row per recorded repair, in document order."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..nodes import Leaf
    from ..source import LineIndex

    text = doc.source.text
    index = LineIndex(text) if text is not None else None
    rows: list[dict[str, Any]] = []
    for node in doc.walk():
        if not isinstance(node, Leaf):
            continue
        for r in node.repairs:
            line = column = None
            if index is not None and r.start <= len(index.text):
                point = index.point(r.start)
                line, column = point.line, point.column
            rows.append({
                "file": file, "line": line, "column": column, "node": node.type,
                "plugin": r.plugin, "confidence": r.confidence, "before": r.before,
                "after": r.after, "start": r.start, "end": r.end,
            })
    return rows


# --------------------------------------------------------------------------- plugins


@cli.command(
    "plugins",
    epilog="""\b
Examples:
  docparse plugins
  docparse plugins --plugin tools/fix.py --no-repair spacing
  docparse plugins --format json""",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: a table; json: one object per plugin.",
)
@_repair_options
def plugins_cmd(fmt: str, **repair: Any) -> None:
    """List the repair plugins installed (and loaded with --plugin), in the order
    they run, with whether this configuration runs them, their version, options,
    origin and description."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..pipeline import available_plugins

    config = _repair_config(**repair, check=False)
    infos = available_plugins(config)
    out = _binary_stdout()
    if fmt == "json":
        import orjson

        rows = [
            {
                "name": i.name, "enabled": i.enabled, "version": i.version,
                "description": i.description, "reads": list(i.plugin.reads),
                "after": list(i.plugin.after), "before": list(i.plugin.before),
                "default": i.plugin.default, "tags": list(i.plugin.tags),
                "options": {k: list(v) if isinstance(v, tuple) else v for k, v in i.options.items()},
                "origin": i.origin,
            }
            for i in infos
        ]
        out.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        out.flush()
        return
    if not infos:
        out.write(b"no repair plugins are installed\n")
        out.flush()
        return
    width = max(len(i.name) for i in infos)
    lines = [f"  #  {'plugin'.ljust(width)}  run  version  description"]
    for n, i in enumerate(infos, 1):
        run = "yes" if i.enabled else "no"
        lines.append(f"{n:>3}  {i.name.ljust(width)}  {run:<3}  {i.version:<7}  {i.description}")
        pad = " " * (5 + width + 2)
        if i.options:
            shown = ", ".join(f"{k}={_show_option(v)}" for k, v in i.options.items())
            lines.append(f"{pad}options: {shown}")
        lines.append(f"{pad}from: {i.origin}")
    if config.no_repairs:
        lines.append("(--no-repairs: none of them runs)")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
    out.flush()


def _show_option(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


# --------------------------------------------------------------------------- config


@cli.command(
    "config",
    epilog="""\b
Examples:
  docparse config
  docparse config --format json""",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: one setting a line; json: one object.",
)
def config_cmd(fmt: str) -> None:
    """Show which configuration file the commands read here (the first docparse.toml,
    or pyproject.toml with [tool.docparse], from the current directory upwards) and
    its settings. Such a file sets options only: its `load` is never run."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..config import load_config

    try:
        config = load_config()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    settings = {
        "file": str(config.path) if config.path is not None else None,
        "repairs": list(config.repairs) if config.repairs is not None else None,
        "disable": list(config.disable),
        "not-loaded": list(config.refused),
        "strict": config.strict,
        "ocr": config.ocr,
        "time-budget": config.time_budget,
        "isolation": config.isolation,
        "memory-limit": config.memory_limit,
        "plugins": {name: dict(values) for name, values in config.options.items()},
    }
    out = _binary_stdout()
    if fmt == "json":
        import orjson

        out.write(orjson.dumps(settings, option=orjson.OPT_INDENT_2) + b"\n")
        out.flush()
        return
    lines = [f"file: {settings['file'] or f'none (no docparse.toml or [tool.docparse] from {Path.cwd()} upwards)'}"]
    lines.append(f"repairs: {', '.join(config.repairs) if config.repairs is not None else 'each plugin by its default'}")
    lines.append(f"disable: {', '.join(config.disable) or '-'}")
    if config.refused:
        lines.append(f"not loaded (code is loaded only with --plugin or an entry point): {', '.join(config.refused)}")
    lines.append(f"strict: {_show_option(config.strict)}")
    lines.append(f"ocr: {'judged per letter' if config.ocr is None else _show_option(config.ocr)}")
    lines.append(f"time-budget: {config.time_budget:g} s{' (no limit)' if not config.time_budget else ''}")
    lines.append(f"isolation: {config.isolation}"
                 + (f", memory-limit: {config.memory_limit} MiB" if config.memory_limit else ""))
    for name, values in config.options.items():
        for key, value in values.items():
            lines.append(f"{name}.{key} = {_show_option(tuple(value) if isinstance(value, list) else value)}")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
    out.flush()


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``docparse`` console script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="docparse")
    raise SystemExit(EXIT_OK)  # pragma: no cover - click's main always exits
