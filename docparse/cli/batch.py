"""``docparse batch``: the click command over :func:`docparse.batch.run_batch`."""

from __future__ import annotations

from collections.abc import Sequence

import click

from ..batch import _one_line, run_batch
from ..errors import DocparseError, PluginError, UsageError
from ._grammars import grammar_options

__all__ = ["batch_command"]


@click.command(
    "batch",
    epilog="""\b
Examples:
  docparse batch archive/ -o parsed/              every archive/**/*.txt
  docparse batch 'scans/*/*.txt' -o parsed/ -j 8
  docparse batch --files-from list.txt -o parsed/ --format jsonl
  docparse batch archive/ -o edition/ --format tei --set dates.century=1800
  docparse batch archive/ -o parsed/ --scheduler tcp://head:8786

\b
OUT gets one JSON (or, --format tei, TEI) file per input, mirroring the input
tree, or documents.jsonl, plus _manifest.jsonl (what each output was made
from), _errors.jsonl (inputs that failed, with the reason) and _summary.json.
Rerunning the same command skips inputs whose output is up to date (same input
sha256, docparse and plugin versions), so an interrupted run continues where
it stopped.

\b
Exit codes: 0 every input parsed; 1 some inputs failed (see _errors.jsonl);
2 usage error; 3 plugin error.""",
)
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("-o", "--output", "out", required=True, metavar="OUT", help="Output folder (created if needed).")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
    help="Worker processes (default: all cores; 1: no pool).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl", "tei"]), default="json", show_default=True,
    help="json: one file per input; jsonl: one document per line of OUT/documents.jsonl; "
    "tei: one TEI P5 file per input (.xml, see docparse render --format tei).",
)
@click.option(
    "--files-from", metavar="LIST", default=None,
    help="Read more inputs from LIST, one per line (- for stdin).",
)
@click.option(
    "--glob", "pattern", default="*.txt", show_default=True, metavar="PATTERN",
    help="Which files to take from a directory INPUT (searched recursively).",
)
@click.option("--no-repairs", is_flag=True, help="Parse only; run no repair plugin.")
@click.option(
    "--set", "settings", multiple=True, metavar="PLUGIN.OPTION=VALUE",
    help="Set an option of a repair plugin, over the configuration file (VALUE as in TOML: "
    "1800, 0.6, true; other text is a string). Repeatable. A changed option redoes the "
    "outputs it affects on a rerun.",
)
@click.option(
    "--scheduler", metavar="local|tcp://HOST:PORT", default=None,
    help="Run on Dask: a local cluster, or the scheduler at that address (pip install 'docparse-letters[dask]').",
)
@click.option("--fsync", is_flag=True, help="Flush each output to disk before recording it (slower).")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symlinks that leave an input folder (by default each is reported and passed over).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@grammar_options
def batch_command(
    inputs: Sequence[str],
    out: str,
    jobs: int | None,
    fmt: str,
    files_from: str | None,
    pattern: str,
    no_repairs: bool,
    settings: Sequence[str],
    scheduler: str | None,
    fsync: bool,
    progress: bool | None,
    follow_symlinks: bool,
) -> None:
    """Parse every INPUT (files, directories, globs) into OUT, in parallel and resumably."""
    if not inputs and files_from is None:
        raise click.UsageError("give at least one INPUT or --files-from LIST")
    if scheduler is not None and jobs is not None:
        raise click.UsageError("--jobs is for the local process pool; a Dask cluster has its own workers")
    # lazy: start-up, as in docparse.cli
    from ..config import load_config, parse_settings

    try:
        config = load_config().merge_cli(options=parse_settings(settings))
        if config.notice:
            click.echo(f"docparse: {config.notice}", err=True)
        summary = run_batch(
            inputs,
            out,
            jobs=jobs,
            fmt=fmt,
            files_from=files_from,
            pattern=pattern,
            config=config,
            repairs=not no_repairs,
            scheduler=scheduler,
            progress=progress,
            fsync=fsync,
            echo=lambda text: click.echo(text, err=True),
            follow_symlinks=follow_symlinks,
        )
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except PluginError as exc:
        click.echo(f"docparse: {_one_line(str(exc))}", err=True)
        raise SystemExit(exc.exit_code) from None
    except DocparseError as exc:
        click.echo(f"docparse: {_one_line(str(exc))}", err=True)
        raise SystemExit(exc.exit_code) from None
    if summary.exit_code:
        raise SystemExit(summary.exit_code)

