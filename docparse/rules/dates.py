"""Rules on the date line: it reads as a full date, and that date is not in the future."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from ..nodes import Date, Letter
from ..validate import Diagnostic, RuleContext, rule
from ._util import short, walk_type

__all__ = ["RULES", "date_of"]


def date_of(node: Date, language: str | None) -> str | None:
    """The ISO date of a date node: its ``iso``, else what :func:`docparse.dates.to_iso` reads."""
    if node.iso is not None:
        return node.iso
    from ..dates import to_iso

    return to_iso(node.value, language)


@rule("DP301", "date-parses", "The date line reads as a full date (day, month and year).", severity="warning")
def date_parses(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in walk_type(letter, Date):
        iso = date_of(node, letter.language)
        if iso is None:
            yield ctx.problem(node, f"the date line {short(node.value)!r} does not read as a full date (day, month, year)")
            continue
        try:
            _dt.date.fromisoformat(iso)
        except ValueError:
            yield ctx.problem(node, f"the date line {short(node.value)!r} names a day that does not exist ({iso})")


@rule(
    "DP302",
    "date-not-future",
    "The letter's date is not later than today.",
    options={"tolerance-days": 0, "today": ""},
)
def date_not_future(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    today = ctx.today
    if ctx.options["today"]:
        try:
            today = _dt.date.fromisoformat(ctx.options["today"])
        except ValueError:
            from ..errors import UsageError

            raise UsageError(f"rule DP302: option 'today' must be YYYY-MM-DD, not {ctx.options['today']!r}") from None
    latest = today + _dt.timedelta(days=ctx.options["tolerance-days"])
    for node in walk_type(letter, Date):
        iso = date_of(node, letter.language)
        if iso is None:
            continue
        try:
            day = _dt.date.fromisoformat(iso)
        except ValueError:
            continue  # an impossible day (2004-02-31) is DP301's matter
        if day > latest:
            yield ctx.problem(node, f"the letter is dated {iso}, later than today ({today.isoformat()})")


RULES = (date_parses, date_not_future)
