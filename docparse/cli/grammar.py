"""``docparse grammar``: print the composed letter grammar (:mod:`docparse.grammar`)."""

from __future__ import annotations

import warnings

import click

from ..errors import PluginError
from ..grammar import GrammarPluginWarning, compose, discover, listing

__all__ = ["grammar_command"]


@click.command("grammar", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--exclude", "-x", multiple=True, metavar="NAME",
              help="Leave out this grammar plugin (repeatable).")
@click.option("--core-only", is_flag=True, help="Leave out every grammar plugin.")
@click.option("--list", "list_only", is_flag=True,
              help="List the installed grammar plugins instead of the grammar.")
def grammar_command(exclude: tuple[str, ...], core_only: bool, list_only: bool) -> None:
    """Print the composed letter grammar, each rule marked with its origin.

    The grammar is the core grammar (grammars/letter.lark) composed with every
    installed grammar plugin (entry point group docparse.grammars); each definition
    ends with a comment naming where it comes from ("core" or the plugin's name).
    """
    try:
        with warnings.catch_warnings(record=True) as failed:
            warnings.simplefilter("always", GrammarPluginWarning)
            found = discover(strict=False)  # (one that cannot be loaded: left out, said below)
        for w in failed:
            click.echo(f"docparse: warning: {w.message}", err=True)
        names = {p.name for p in found}
        unknown = sorted(set(exclude) - names)
        if unknown:
            raise click.UsageError(
                f"no installed grammar plugin named {', '.join(map(repr, unknown))} "
                f"(installed: {', '.join(sorted(names)) or 'none'})"
            )
        chosen = [] if core_only else [p for p in found if p.name not in exclude]
        composed = compose(chosen, strict=False)
        refused = {name: _why(name, reason) for name, reason in composed.refused}
        for name, reason in refused.items():
            click.echo(f"docparse: warning: grammar plugin {name!r} left out ({reason})", err=True)
        if list_only:
            for p in found:
                state = "" if p in chosen else "  (excluded)"
                state = f"  (left out: {refused[p.name]})" if p.name in refused else state
                click.echo(f"{p.name} {p.version}: {p.description}{state}")
            return
        click.echo(listing(composed), nl=False)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from None


def _why(name: str, reason: str) -> str:
    """``reason`` without its leading ``grammar plugin 'name'`` (said once already)."""
    head = f"grammar plugin {name!r}"
    return reason[len(head):].lstrip(": ") if reason.startswith(head) else reason
