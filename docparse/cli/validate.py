"""``docparse validate``: the click command over :mod:`docparse.validate`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

import click

from ..errors import DocparseError, PluginError, UsageError
from ..validate import (
    FORMATS,
    SEVERITIES,
    STATISTICS_FORMATS,
    FileReport,
    Rule,
    Validator,
    _Active,
    _summary,
    available_rules,
    collect_files,
    load_validate_config,
    render,
    render_statistics,
    select_rules,
)
from ._grammars import grammar_options

__all__ = ["validate_command"]


def _split(values: Sequence[str]) -> list[str]:
    return [t.strip() for v in values for t in v.split(",") if t.strip()]



def _rules_table(active: Sequence[_Active], rules: Sequence[Rule]) -> str:
    on = {a.rule.id: a for a in active}
    lines = []
    for r in rules:
        a = on.get(r.id)
        state = a.severity if a else "off"
        opts = ", ".join(f"{k}={v!r}" for k, v in (a.options if a else r.options).items())
        lines.append(f"{r.id:<7} {r.name:<28} {state:<8} {r.doc}" + (f" [{opts}]" if opts else ""))
    return "\n".join(lines) + "\n"


_EPILOG = """\b
Examples:
  docparse validate letters/                     every *.txt below letters/
  docparse validate a.txt --format github        annotations in a GitHub workflow
  docparse validate letters --format sarif > docparse.sarif
  docparse validate a.txt --select DP1 --ignore DP103 --fail-on warning
  docparse validate --list-rules

  docparse validate letters --exclude drafts --exclude '*.old.txt'
  docparse validate letters --statistics         problems per rule

\b
Per file: a line "% docparse: disable=DP101,part-order" turns rules off; per line,
"  % docparse: disable-line=DP501" at the end of the line.
Exit codes: 0 clean, 1 a problem at or above --fail-on, 2 usage or input error."""


@click.command(
    "validate",
    epilog=_EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: path:line:col: RULE message; json; github (workflow annotations); sarif 2.1.0; junit XML.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Check only these rules (ids, id prefixes, names or ALL; comma-separated or repeated).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Never check these rules.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out the files GLOB matches (a name, a folder or a path; * crosses /). Repeatable.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that fails the run (default: error, or the configuration's).")
@click.option("--no-repairs", is_flag=True, help="Check the tree as parsed, without the repair plugins.")
@click.option("--set", "settings", multiple=True, metavar="PLUGIN.OPTION=VALUE",
              help="Set an option of a repair plugin, over the configuration file "
              "(--set dates.century=1800). Repeatable.")
@click.option("--config", "config_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="Read settings from FILE (docparse.toml or pyproject.toml) instead of searching for one.")
@click.option("-o", "--output", metavar="OUT", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to OUT instead of stdout.")
@click.option("--list-rules", is_flag=True, help="Print the rules (id, name, severity or off, doc, options) and exit.")
@click.option("--statistics", is_flag=True,
              help="Print the number of problems of each rule instead of the problems (text or json).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@grammar_options
def validate_command(
    paths: Sequence[str],
    fmt: str,
    select: Sequence[str],
    ignore: Sequence[str],
    exclude: Sequence[str],
    fail_on: str | None,
    no_repairs: bool,
    settings: Sequence[str],
    config_path: str | None,
    output: str | None,
    list_rules: bool,
    statistics: bool,
    quiet: bool,
) -> None:
    """Check the layout of letters: required parts, their order, dates, page headers,
    salutation vs addressee, unclassified text and unrepaired OCR damage.

    PATH is a letter file or a directory (its *.txt files, recursively).
    """
    def say(message: str) -> None:
        click.echo(f"docparse: {' '.join(message.split())}", err=True)

    # lazy: start-up, as in docparse.cli
    from ..config import parse_settings

    try:
        config = load_validate_config(config_path).merge_cli(
            select=_split(select), ignore=_split(ignore), fail_on=fail_on, no_repairs=no_repairs,
            options=parse_settings(settings), exclude=list(exclude),
        )
        if statistics and fmt not in STATISTICS_FORMATS:
            raise UsageError(f"--statistics prints text or json, not {fmt}")
        notice = config.repair_config.notice if config.repair_config is not None else None
        if notice:
            say(notice)
        if list_rules:
            rules = available_rules()
            click.echo(_rules_table(select_rules(config, rules), rules), nl=False)
            return
        if not paths:
            raise click.UsageError("give at least one PATH (a letter file or a directory)")
        validator = Validator(config, say=say)
    except (UsageError, PluginError) as exc:
        say(str(exc))
        sys.exit(2)

    reports: list[FileReport] = []
    base = config.path.parent if config.path is not None else None
    for path, problem in collect_files(paths, config.exclude, base):
        if problem is not None:
            say(problem)
            reports.append(FileReport(path=path, error=problem))
            continue
        try:
            reports.append(validator.file(path))
        except DocparseError as exc:
            say(str(exc))
            reports.append(FileReport(path=path, error=" ".join(str(exc).split())))
        except Exception as exc:  # noqa: BLE001 - a bug: one line, the other files go on
            say(f"{path}: internal error: {type(exc).__name__}: {exc}")
            reports.append(FileReport(path=path, error=f"internal error: {type(exc).__name__}: {exc}"))

    text_out = render_statistics(reports, fmt) if statistics else render(reports, fmt, validator.rules)
    _write(text_out, output, say)
    summary = _summary(reports)
    if not quiet:
        parts = [f"{summary[s]} {s}{'s' if summary[s] != 1 else ''}" for s in reversed(SEVERITIES) if summary[s]]
        where = f"in {summary['files_with_problems']} of {summary['files']} file{'s' if summary['files'] != 1 else ''}"
        line = f"{', '.join(parts)} {where}" if parts else f"no problems in {summary['files']} file{'s' if summary['files'] != 1 else ''}"
        if summary["input_errors"]:
            line += f"; {summary['input_errors']} could not be checked"
        click.echo(f"docparse validate: {line}", err=True)
    if summary["input_errors"]:
        sys.exit(2)
    if any(r.failed(config.fail_on) for r in reports):
        sys.exit(1)


def _write(text: str, output: str | None, say: Callable[[str], None]) -> None:
    if output in (None, "-"):
        # bytes, so the report is UTF-8 whatever the locale
        stream: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            stream.write(text.encode("utf-8"))
            stream.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        say(f"{output}: cannot write ({exc.strerror or exc})")
        sys.exit(2)
