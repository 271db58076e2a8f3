"""Measure docparse.dates against the corpus golds, and against dateparser used directly.

For every ``letters/*.gold.json`` of the corpus, the gold ``date`` (the dateline text) is
read with :func:`docparse.dates.to_iso` and compared with ``date_iso``. A result counts as
right when it equals the gold ISO date exactly, or is None where the gold is None.

Two settings are reported, per language:

* ``strict``: no hints. Two-digit years ("'89") and dates written without a year give
  None by design, so the editors' ISO date (which they know from context) counts as missed.
* ``century``: ``century=`` the gold year's century, as a caller that knows the period of a
  collection (or found a four-digit year elsewhere in the letter) would pass.
* ``default_year``: ``default_year=`` the gold year, an upper bound that shows how well the
  day and month are read when the year is missing from the line.

Baselines, on the same lines: ``dateparser.parse`` on the whole line and
``dateparser.search.search_dates`` (first result), both with the letter's language. Times are
wall-clock figures for information only, after one warm-up pass.

It also prints how many lines of the letters ``has_date`` flags, and its speed.

Usage::

    python scripts/measure_dates.py [--corpus ../shared/corpus] [--failures]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from docparse import dates
from docparse.dates import find_dates, has_date, to_iso

Reader = Callable[[str, str], "str | None"]


def _load(corpus: Path) -> list[tuple[str, str, str | None, str | None]]:
    """(letter id, language, gold dateline, gold iso) for every letter gold."""
    rows = []
    for path in sorted((corpus / "letters").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        rows.append(
            (path.name.removesuffix(".gold.json"), gold["language"], gold["date"], gold["date_iso"])
        )
    return rows


def _century(iso: str | None) -> int | None:
    return int(iso[:4]) // 100 * 100 if iso else None


def _dateparser_parse(line: str, language: str) -> str | None:
    import dateparser  # type: ignore[import-untyped]

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    result = dateparser.parse(line, languages=[language], settings=settings)
    return result.date().isoformat() if result else None


def _dateparser_search(line: str, language: str) -> str | None:
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    found = search_dates(line, languages=[language], settings=settings)
    return found[0][1].date().isoformat() if found else None


def _score(
    rows: list[tuple[str, str, str | None, str | None]],
    read: Callable[[str, str, str | None], str | None],
    after_warm_up: Callable[[], None] = lambda: None,
) -> tuple[dict[str, list[int]], list[tuple[str, str | None, str | None, str | None]], float]:
    """Per-language [right, total], the failures, and the seconds taken (second pass)."""
    for _, language, line, gold in rows:  # warm-up: imports, caches of dateparser
        if line:
            read(line, language, gold)
    after_warm_up()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    start = time.perf_counter()
    for letter, language, line, gold in rows:
        got = read(line, language, gold) if line else None
        counts[language][1] += 1
        if got == gold:
            counts[language][0] += 1
        else:
            failures.append((letter, line, got, gold))
    return counts, failures, time.perf_counter() - start


def _report(name: str, counts: dict[str, list[int]], seconds: float, lines: int) -> None:
    parts = [f"{lang} {r}/{t} = {r / t:.1%}" for lang, (r, t) in sorted(counts.items())]
    right = sum(r for r, _ in counts.values())
    total = sum(t for _, t in counts.values())
    print(
        f"{name:<26} all {right}/{total} = {right / total:.1%}   "
        + "   ".join(parts)
        + f"   ({seconds * 1000 / max(lines, 1):.3f} ms/line)"
    )


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=here.parent / "shared" / "corpus")
    parser.add_argument("--failures", action="store_true", help="list every failure")
    args = parser.parse_args(argv)
    if not (args.corpus / "letters").is_dir():
        print(f"error: no letters/ folder in corpus {args.corpus}", file=sys.stderr)
        return 2
    rows = _load(args.corpus)
    lines = sum(1 for row in rows if row[2])
    print(
        f"{len(rows)} letters, {lines} with a dateline, "
        f"{sum(1 for r in rows if r[3])} with a gold ISO date\n"
    )
    warnings.simplefilter("ignore")  # dateparser's deprecation chatter

    readers: list[tuple[str, Callable[[str, str, str | None], str | None]]] = [
        ("to_iso strict", lambda line, lang, gold: to_iso(line, lang)),
        (
            "to_iso century hint",
            lambda line, lang, gold: to_iso(line, lang, century=_century(gold)),
        ),
        (
            "to_iso default_year hint",
            lambda line, lang, gold: to_iso(
                line, lang, default_year=int(gold[:4]) if gold else None
            ),
        ),
        ("dateparser.parse", lambda line, lang, gold: _dateparser_parse(line, lang)),
        ("dateparser search_dates", lambda line, lang, gold: _dateparser_search(line, lang)),
    ]
    all_failures = {}
    for name, read in readers:
        # the result cache would make the timed pass free: time the reader, not the cache
        clear = dates._find_cached.cache_clear if name.startswith("to_iso") else (lambda: None)
        counts, failures, seconds = _score(rows, read, clear)
        _report(name, counts, seconds, lines)
        all_failures[name] = failures

    # why to_iso misses, with the century hint: the year or the day is not in the dateline,
    # or the editors' date differs from what the dateline says
    failures = all_failures["to_iso century hint"]
    no_year = [f for f in failures if f[1] and f[3] and f[2] is None]
    wrong = [f for f in failures if f[2] is not None]
    print(
        f"\nto_iso century hint: {len(failures)} misses: {len(no_year)} None where the gold has a "
        f"date, {len(wrong)} a different date, "
        f"{len([f for f in failures if f[3] is None])} a date where the gold has none"
    )
    if args.failures:
        for name in ("to_iso strict", "to_iso century hint"):
            print(f"\n{name} failures (letter | dateline | got | gold):")
            for letter, line, got, gold in all_failures[name]:
                print(f"  {letter} | {line!r} | {got} | {gold}")

    # has_date over every line of the letters
    texts = [p.read_text(encoding="utf-8") for p in sorted((args.corpus / "letters").glob("*.txt"))]
    all_lines = [
        line for text in texts for line in text.replace("\r\n", "\n").split("\n") if line.strip()
    ]
    start = time.perf_counter()
    flagged = sum(1 for line in all_lines if has_date(line))
    seconds = time.perf_counter() - start
    recall = sum(1 for row in rows if row[2] and row[3] and has_date(row[2]))
    if args.failures:
        for row in rows:
            if row[2] and row[3] and not has_date(row[2]):
                print(f"  has_date false on {row[0]} | {row[2]!r}")
    print(
        f"\nhas_date: flags {flagged}/{len(all_lines)} non-blank letter lines "
        f"({seconds * 1e6 / len(all_lines):.1f} us/line); true on {recall}/"
        f"{sum(1 for r in rows if r[2] and r[3])} datelines with a gold ISO date"
    )
    start = time.perf_counter()
    found = sum(len(find_dates(text)) for text in texts)
    seconds = time.perf_counter() - start
    print(
        f"find_dates over whole letters: {found} full dates in {len(texts)} letters "
        f"({seconds * 1000 / len(texts):.2f} ms/letter, first call, no cache)"
    )

    # three-line running headers of layouts/ ("Mr. X / July 21, 2004 / Page 2")
    headers = []
    for path in sorted((args.corpus / "layouts").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for letter in gold.get("letters", [gold]):
            for header in letter.get("running_headers", []):
                if " / " in header["text"]:
                    headers.append((header["text"], letter["language"], letter["date_iso"]))
    right = sum(1 for text, lang, iso in headers if [d[2] for d in find_dates(text, lang)] == [iso])
    print(
        f"find_dates on running headers with a date: {right}/{len(headers)} give exactly the gold date"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
