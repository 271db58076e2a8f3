"""Rules on the date line: it reads as a full date, that date is not in the future, a
weekday it names is that date's weekday, and the running headers carry the same date."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from ..dates import find_dates, julian_weekday, to_iso, weekdays_in
from ..errors import UsageError
from ..nodes import Date, Letter, PageHeader
from ..rule import Diagnostic, RuleContext, rule
from ._util import short, walk_type

__all__ = ["RULES", "date_of"]


def date_of(node: Date, language: str | None) -> str | None:
    """The ISO date of a date node: its ``iso``, else what :func:`docparse.dates.to_iso` reads."""
    if node.iso is not None:
        return node.iso

    return to_iso(node.value, language)


def _dated(letter: Letter) -> Iterator[tuple[Date, str, _dt.date]]:
    """Each date node of ``letter`` that reads as a real day, with its ISO date and day
    (a date line that does not, or names an impossible day, is DP301's matter)."""
    for node in walk_type(letter, Date):
        iso = date_of(node, letter.language)
        if iso is None:
            continue
        try:
            day = _dt.date.fromisoformat(iso)
        except ValueError:
            continue
        yield node, iso, day


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
            raise UsageError(f"rule DP302: option 'today' must be YYYY-MM-DD, not {ctx.options['today']!r}") from None
    latest = today + _dt.timedelta(days=ctx.options["tolerance-days"])
    for node, iso, day in _dated(letter):
        if day > latest:
            yield ctx.problem(node, f"the letter is dated {iso}, later than today ({today.isoformat()})")


#: the last European change from the Julian to the Gregorian calendar (Greece, 1923): a
#: date before it may be written Old Style (Russia until 1918)
JULIAN_UNTIL = _dt.date(1923, 3, 1)
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@rule(
    "DP303",
    "date-weekday",
    "A weekday named on the date line is the weekday of its date.",
    severity="warning",
)
def date_weekday(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    for node, iso, day in _dated(letter):
        named = weekdays_in(node.value, letter.language)
        if not named:
            continue
        # an Old Style date names the Julian day's weekday
        old_style = julian_weekday(iso) if day < JULIAN_UNTIL else None
        if any(weekday in (day.weekday(), old_style) for _, _, weekday in named):
            continue
        start, end, _ = named[0]
        yield ctx.problem(
            node,
            f"the date line names {node.value[start:end]!r}, but {iso} was a {_DAY_NAMES[day.weekday()]}"
            + (f" (a {_DAY_NAMES[old_style]} if the date is Old Style)" if old_style is not None else ""),
        )


@rule(
    "DP304",
    "header-date",
    "A date in the running headers is the letter's date.",
    severity="warning",
)
def header_date(letter: Letter, ctx: RuleContext) -> Iterator[Diagnostic]:
    first = next(_dated(letter), None)
    if first is None:
        return
    node, iso, _ = first
    for header in walk_type(letter, PageHeader):
        for start, end, found in find_dates(header.value, letter.language):
            if found != iso:
                page = f"page {header.page}" if header.page is not None else "a running header"
                yield ctx.problem(
                    header,
                    f"the header of {page} is dated {header.value[start:end]!r} ({found}), the letter "
                    f"{short(node.value)!r} ({iso})",
                )


RULES = (date_parses, date_not_future, date_weekday, header_date)
