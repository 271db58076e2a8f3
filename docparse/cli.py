"""The ``docparse`` command line: ``parse``, ``schema`` and ``eval``.

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
commands that need them, never when this module is imported.
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import DocparseError, InputError

if TYPE_CHECKING:
    from .nodes import Document

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
  docparse parse letter.txt                 pretty JSON on stdout
  docparse parse a.txt b.txt -o out.jsonl   one document per line
  cat letter.txt | docparse parse -         read stdin
  docparse parse --encoding cp1251 old.txt  say the encoding
  docparse schema > docparse-1.schema.json  the JSON Schema
  docparse eval corpus/letters --worst 20   accuracy against gold files

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
    """A click group that turns docparse's errors into one line and an exit code."""

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


@dataclasses.dataclass(kw_only=True)
class ParseContext:
    """What one ``docparse parse`` run asks of every document.

    :func:`_process` reads it. Options that act on the parsed tree (repairs:
    ``--no-repairs``, ``--repair NAME``, ``--no-repair NAME``, ``--plugin SPEC``,
    ``--strict``, ``--explain``, ``--ocr/--no-ocr``) belong here as new fields,
    filled in by :func:`parse_cmd`, and applied in :func:`_process`.
    """

    encoding: str | None = None
    #: the run's diagnostics stream (``--explain`` output and the like go here)
    err: IO[str] = dataclasses.field(default_factory=lambda: sys.stderr)


def _process(doc: Document, ctx: ParseContext) -> Document:
    """The per-document work after parsing; returns the (possibly new) tree.

    Today it returns ``doc`` unchanged. The repair pipeline hooks in here: it may
    raise :class:`~docparse.errors.PluginError` (exit code 3), which stops that
    document only; the other files are still processed.
    """
    return doc


def _read(file: str, ctx: ParseContext) -> Document:
    """Parse one command-line FILE (``-`` is stdin, read as bytes)."""
    from . import api

    if file == "-":
        # read one byte past the limit, never more: an endless stdin is refused, not swallowed
        data = _binary_stdin().read(api.MAX_BYTES + 1)
        if len(data) > api.MAX_BYTES:
            raise InputError(f"<stdin>: too large (more than the limit of {api.MAX_BYTES:,} bytes)")
        return api.parse_bytes(data, "<stdin>", encoding=ctx.encoding)
    return api.parse_file(file, encoding=ctx.encoding)


class _Sink:
    """Where output goes: stdout, or a file written atomically (temp file, then rename).

    The temp file sits in the target's directory so the rename never crosses file
    systems; readers of the target see the old file or the whole new one, never a
    half-written one.
    """

    def __init__(self, output: str | None) -> None:
        self.target = output if output not in (None, "-") else None
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
        self.stream.write(text.encode("utf-8"))
        if self.target is None:
            self.stream.flush()

    def commit(self) -> None:
        """Finish: flush stdout, or move the temp file over the target."""
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
            self.stream.close()
            return
        if self.tmp is None:
            return
        try:
            self.stream.close()
        finally:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(
            f"unknown encoding {value!r} (try utf-8, cp1251, koi8-r)"
        ) from None
    return value


@cli.command(
    "parse",
    epilog="""\b
Examples:
  docparse parse letter.txt
  docparse parse --compact letter.txt
  docparse parse letters/*.txt -o all.jsonl
  docparse parse - < letter.txt""",
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
    help="json: one pretty document (one FILE only); jsonl: one document per line. "
    "Default: json for one FILE, jsonl for several.",
)
@click.option(
    "--encoding",
    metavar="ENC",
    callback=_check_encoding,
    help="Decode the input with ENC instead of detecting it (utf-8, cp1251, koi8-r, ...).",
)
@click.option("--compact", is_flag=True, help="No indentation in json output.")
@click.pass_context
def parse_cmd(
    click_ctx: click.Context,
    files: Sequence[str],
    output: str | None,
    fmt: str | None,
    encoding: str | None,
    compact: bool,
) -> None:
    """Parse each FILE (- for stdin) into a docparse/1 JSON document.

    A file that cannot be read or parsed gets a one-line error on stderr and the
    other files are still processed; the exit code is then 1.
    """
    if list(files).count("-") > 1:
        raise click.UsageError("stdin (-) can be given only once")
    if fmt == "json" and len(files) > 1:
        raise click.UsageError("--format json takes one FILE; use --format jsonl for several")
    from .codec import dumps

    lines = fmt == "jsonl" or len(files) > 1
    ctx = ParseContext(encoding=encoding)
    sink = _Sink(output)
    codes: list[int] = []
    written = 0
    try:
        for file in files:
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
            sink.write(dumps(doc, indent=not (lines or compact)) + "\n")
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


# --------------------------------------------------------------------------- schema


@cli.command("schema")
@click.option("--compact", is_flag=True, help="No indentation.")
def schema_cmd(compact: bool) -> None:
    """Print the JSON Schema of the docparse/1 format."""
    import orjson

    from .schema import load_schema

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
def eval_cmd(directory: str, fmt: str, worst: int, encoding: str | None) -> None:
    """Measure parsing accuracy on DIR against its gold files.

    Single-valued fields (date, salutation, closing, signatories, postscript, ...)
    score the exact-match rate; list fields (address lines, paragraphs, running
    headers) precision, recall and F1 over items; both strictly and after
    whitespace/case normalization, per language.
    """
    from .evaluate import evaluate_dir, format_text

    ctx = ParseContext(encoding=encoding)

    def parse(path: Path) -> Document:
        from .api import parse_file

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
        from tqdm import tqdm  # type: ignore[import-untyped]

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


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``docparse`` console script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="docparse")
    raise SystemExit(EXIT_OK)  # pragma: no cover - click's main always exits
