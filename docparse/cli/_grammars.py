"""``--no-grammar NAME`` and the grammar side of ``--strict``, shared by every command
that parses (``parse``, ``explain``, ``eval``, ``repairs``, ``render``, ``batch``,
``validate``)."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import click

__all__ = ["choose_grammars", "grammar_options"]


def choose_grammars(no_grammar: Sequence[str], strict: bool | None) -> None:
    """Leave out the grammar plugins ``no_grammar`` names for this run, and compose the
    others now: a plugin that does not compose (or cannot be loaded) is left out with one
    line on stderr, or, with ``strict``, stops the run (exit code 3, the group reports
    the :class:`~docparse.errors.PluginError`). An unknown name is a usage error."""
    # lazy: start-up; a command loads only what it runs (tests/test_cli.py)
    from ..grammar import GrammarPluginWarning, installed, installed_names, use_grammars

    if no_grammar:
        names = installed_names()
        unknown = sorted(set(no_grammar) - set(names))
        if unknown:
            raise click.UsageError(
                f"--no-grammar: no installed grammar plugin named {', '.join(map(repr, unknown))} "
                f"(installed: {', '.join(names) or 'none'})"
            )
    use_grammars(exclude=no_grammar, strict=bool(strict))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GrammarPluginWarning)  # said here, once, on one line
        composed = installed()
    for name, reason in composed.refused:
        head = f"grammar plugin {name!r}"
        why = reason[len(head):].lstrip(": ") if reason.startswith(head) else reason
        click.echo(f"docparse: warning: grammar plugin {name!r} left out ({why}); "
                   "--strict makes this an error, --no-grammar "
                   f"{name} silences it", err=True)


def grammar_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--no-grammar NAME`` to a command; before it runs, :func:`choose_grammars`
    (with the command's ``--strict``, where it has one)."""

    @functools.wraps(func)
    def run(*args: Any, no_grammar: Sequence[str] = (), **kwargs: Any) -> Any:
        choose_grammars(no_grammar, kwargs.get("strict"))
        return func(*args, **kwargs)

    option = click.option(
        "--no-grammar", "no_grammar", multiple=True, metavar="NAME",
        help="Leave out grammar plugin NAME (a letter format; `docparse grammar --list` "
        "lists them). Repeatable.",
    )
    return option(run)
