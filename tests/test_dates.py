"""docparse.dates: reading date lines into ISO dates, finding dates in text, has_date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import arbitrary_texts

import docparse
from docparse.dates import find_dates, has_date, julian_weekday, month_of, to_iso, weekdays_in
from docparse.errors import UsageError
from docparse.nodes import Date

# (date line, language, expected ISO date): datelines with place, letterhead, weekday and
# time around the date, as letters write them
DATELINES = [
    ("Washington, March 3, 1962.", None, "1962-03-03"),
    ("July 21 , 2004", "en", "2004-07-21"),
    ("St. Louis, July 31st 1885", "en", "1885-07-31"),
    ("OFFICE OF WATER COMMISSIONER. St. Louis, July 31st 1885", "en", "1885-07-31"),
    ("Tuesday evening, Sept. 3d, 1872", "en", "1872-09-03"),
    ("Boston, 22d April 1889.", "en", "1889-04-22"),
    ("Hartford, Conn. Mch 6th 1874,", "en", "1874-03-06"),
    ("Middletown Jany. 12, 1873", "en", "1873-01-12"),
    ("Leeds 8 Decr. 1867", "en", "1867-12-08"),
    ("Bath, Septr 3 1860", "en", "1860-09-03"),
    ("Springfield October the 16/1868", "en", "1868-10-16"),
    ("Salem Oct 31 st 1868", "en", "1868-10-31"),
    ("Portland February the 1 1875", "en", "1875-02-01"),
    ("Plymouth— March•9•1891•", "en", "1891-03-09"),
    ("Albany, N.Y., 12 of May, 1901", "en", "1901-05-12"),
    ("NEW YORK, DEC 6TH, 1867", "en", "1867-12-06"),
    ("21 июля 2004 г.", "ru", "2004-07-21"),
    ("3 июля 2004 г.", "ru", "2004-07-03"),
    ("15 Сентября / 1852.", "ru", "1852-09-15"),
    ("15 Сентября\n1852.", "ru", "1852-09-15"),
    ("1855, 24 Февраля.", "ru", "1855-02-24"),
    ("Москва, 3-го мая 1850 г.", "ru", "1850-05-03"),
    ("Тифлис. 5-е ноября 1851-го года.", "ru", "1851-11-05"),
    ("Казань, 7 Іюля 1847", "ru", "1847-07-07"),
    ("Пятигорскъ, 9 Сент. 1853", "ru", "1853-09-09"),
    ("Berlin, den 3. März 1890", "de", "1890-03-03"),
    ("Paris, le 1er juillet 1889", "fr", "1889-07-01"),
    ("Madrid, 3 de mayo de 1890", "es", "1890-05-03"),
    ("7/21/2004", "en", "2004-07-21"),
    ("21.07.2004", "ru", "2004-07-21"),
    ("2004-07-21", None, "2004-07-21"),
    ("Trenton, 12/18, 1877.", "en", "1877-12-18"),
]


@pytest.mark.parametrize(("line", "language", "iso"), DATELINES, ids=[d[0][:40] for d in DATELINES])
def test_datelines(line: str, language: str | None, iso: str) -> None:
    """Each dateline gives its date, with the language given and without it."""
    assert to_iso(line, language) == iso
    if language in (None, "en", "ru", "de", "fr") and "/" not in line.replace(" / ", ""):
        assert to_iso(line) == iso


NO_DATE = [
    "Dear Sir,",
    "Monday morning",
    "Friday. A.M.",
    "New-Ipswich July",
    "Camden Thursday 4 afternoon",
    "Mrs. Newton Benedict. 1633 Q St. N.W.",
    "Established, 1844. Telephone Call: 916",
    "Page 3",
    "Room 12, 1990 Broadway",
    "Feb 30 1888",
    "Feb 29 1900",
    "31 июня 1850",
    "",
]


@pytest.mark.parametrize("line", NO_DATE)
def test_lines_without_a_full_date_give_none(line: str) -> None:
    """No day, month and year (or no real calendar day): None, never a guess."""
    assert to_iso(line) is None
    assert to_iso(line, "en", century=1800) is None


def test_leap_day() -> None:
    assert to_iso("Feb 29 1888") == "1888-02-29"
    assert to_iso("Feb 29 1889") is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Camden New Jersey / April 29 '78", "1878-04-29"),
        ("Jan 1 '89", "1889-01-01"),
        ("West Park, N.Y. June 11, 88.", "1888-06-11"),
        ("Easton Pen. Sept 30. 71.", "1871-09-30"),
        ("Home July 24/88", "1888-07-24"),
        ("9th Nov. 82", "1882-11-09"),
        ("England: 14. 6. 91", "1891-06-14"),
        ("Camden Jan: 9 night '91", "1891-01-09"),
        ("Camden NJ— Sept: 16 1 P M '91", "1891-09-16"),
        ("Belmont June 8 '90 Sund. eve 5 ½ o'c.", "1890-06-08"),
    ],
)
def test_two_digit_years_need_a_hint(line: str, iso: str) -> None:
    """'78 could be 1878 or 1978: None without a hint, the hinted century with one."""
    assert to_iso(line) is None
    assert to_iso(line, century=1800) == iso
    assert to_iso(line, century=1900) == "19" + iso[2:]
    assert to_iso(line, default_year=1880) == iso


def test_default_year_picks_the_nearest_century_and_fills_a_missing_year() -> None:
    assert to_iso("May 3 '95", default_year=1905) == "1895-05-03"
    assert to_iso("May 3 '05", default_year=1895) == "1905-05-03"
    assert to_iso("Brooklyn, August 12.") is None
    assert to_iso("Brooklyn, August 12.", default_year=1870) == "1870-08-12"
    assert to_iso("26 декабря.", "ru", default_year=1852) == "1852-12-26"
    # a written four-digit year wins over the hint
    assert to_iso("August 12, 1871", default_year=1870) == "1871-08-12"


@pytest.mark.parametrize(
    ("line", "language", "iso"),
    [
        ("3/4/2004", "en", "2004-03-04"),
        ("3/4/2004", "ru", "2004-04-03"),
        ("3/4/2004", "de", "2004-04-03"),
        ("3/4/2004", None, None),  # no convention known, two readings
        ("4/4/2004", None, "2004-04-04"),  # both readings agree
        ("21/7/2004", "en", "2004-07-21"),  # only one reading is a date
        ("7/21/2004", "ru", "2004-07-21"),
        ("3.4.2004", "en", "2004-04-03"),  # dots are day-first everywhere
        ("3.4.04", "en", None),
    ],
)
def test_numeric_dates_follow_the_language(
    line: str, language: str | None, iso: str | None
) -> None:
    assert to_iso(line, language) == iso


def test_first_full_date_wins() -> None:
    assert to_iso("Established, 1844. New York, Sept 23 1890") == "1890-09-23"
    assert to_iso("Written June 5, 1881; posted June 7, 1881") == "1881-06-05"


def test_find_dates_gives_offsets_into_the_text() -> None:
    """text[start:end] is the date as written; dates do not overlap and come in order."""
    text = "Mr. X / July 21, 2004 / Page 3\nSee my note of 3 March 1999 and the 4.5.2001 memo."
    found = find_dates(text)
    assert [iso for _, _, iso in found] == ["2004-07-21", "1999-03-03", "2001-05-04"]
    assert [text[s:e] for s, e, _ in found] == ["July 21, 2004", "3 March 1999", "4.5.2001"]


def test_find_dates_in_running_header_and_russian_text() -> None:
    text = "Н. А. Некрасову / 3 июля 1852 г. / 2-я страница"
    [(start, end, iso)] = find_dates(text, "ru")
    assert iso == "1852-07-03"
    assert text[start:end] == "3 июля 1852"
    assert find_dates("Page 2 / - 2 -") == []


def test_find_dates_keeps_offsets_with_old_letters_and_bullets() -> None:
    text = "x• Писано 7 Іюля 1847 •y"
    [(start, end, _)] = find_dates(text)
    assert text[start:end] == "7 Іюля 1847"


@pytest.mark.parametrize(
    ("word", "month"),
    [("Sept.", 9), ("SEPT", 9), ("Septem", 9), ("Jany", 1), ("Mch", 3), ("Decr.", 12),
     ("Novr", 11), ("Feby", 2), ("Іюля", 7), ("сент", 9), ("Февраля", 2), ("März", 3),
     ("juillet", 7), ("Ju", None), ("Ma", None), ("Mrs", None), ("Dear", None),
     ("Junior", None), ("Marshall", None), ("Augusta", None)],
)  # fmt: skip
def test_month_of(word: str, month: int | None) -> None:
    """Locale forms, unique prefixes and English contractions; nothing ambiguous."""
    assert month_of(word) == month


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("July 21 , 2004", True),
        ("15 Сентября", True),
        ("Broadway nr Sheffield 1. July.", True),
        ("Camden Aug: 6 '90", True),
        ("in the year 1633", True),
        ("7/21/04", True),
        ("Dear Sir,", False),
        ("Page 3", False),
        ("We met at 10 and left at 12.", False),
        ("Monday morning", False),
        ("", False),
    ],
)
def test_has_date(line: str, expected: bool) -> None:
    assert has_date(line) is expected


@given(st.dates(min_value=dt.date(1500, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(
    ["%B %d, %Y", "%b. %d %Y", "%d %B %Y", "%d %b, %Y", "%A, %B %d, %Y", "%d.%m.%Y", "%Y-%m-%d"]
))  # fmt: skip
def test_formatted_dates_round_trip(date: dt.date, pattern: str) -> None:
    """Any date written in a common English or numeric form, inside a dateline, reads back."""
    written = date.strftime(pattern).replace(" 0", " ")
    line = f"Camden, N.J. {written}. Evening"
    assert to_iso(line, "en") == date.isoformat()
    [(start, end, iso)] = find_dates(line, "en")
    assert iso == date.isoformat()
    assert written.endswith(line[start:end]) and date.strftime("%Y") in line[start:end]


@given(arbitrary_texts())
def test_never_raises_on_any_text(text: str) -> None:
    """Arbitrary text: no exception, results are real dates inside the text."""
    iso = to_iso(text)
    assert iso is None or dt.date.fromisoformat(iso)
    has_date(text)
    for start, end, found in find_dates(text, century=1800):
        assert 0 <= start < end <= len(text)
        dt.date.fromisoformat(found)


def test_bad_arguments_are_one_line_errors() -> None:
    for call in (
        lambda: to_iso("May 3 '89", century=1850),
        lambda: to_iso("May 3 '89", century=True),
        lambda: to_iso("May 3 '89", default_year="1889"),  # type: ignore[arg-type]
        lambda: to_iso("3/4/2004", "Klingon"),
        lambda: to_iso("3/4/2004", "xx"),
    ):
        with pytest.raises(UsageError) as info:
            call()
        assert "\n" not in str(info.value)
    with pytest.raises(TypeError, match="must be text"):
        to_iso(b"July 4 1776")  # type: ignore[arg-type]


def test_corpus_datelines(corpus_dir: Path) -> None:
    """The corpus golds: never a date where the gold has none; right where one is read.

    Gold ISO dates are the editors' (they know the year from context), so only part of them
    can be read from the dateline alone; see scripts/measure_dates.py for the full figures.
    """
    rows = []
    for path in sorted((corpus_dir / "letters").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["date"]:
            rows.append((path.name, gold["language"], gold["date"], gold["date_iso"]))
    assert rows, "no datelines in the corpus golds"
    hinted = []
    for name, language, line, gold_iso in rows:
        century = int(gold_iso[:4]) // 100 * 100 if gold_iso else None
        got = to_iso(line, language, century=century)
        if gold_iso is None:
            assert got is None, f"{name}: {line!r} gave {got}, gold has no date"
        hinted.append((name, line, got, gold_iso))
    read = [h for h in hinted if h[2] is not None]
    right = [h for h in read if h[2] == h[3]]
    assert len(right) / len(rows) >= 0.80, f"only {len(right)}/{len(rows)} datelines read right"
    wrong = [h for h in read if h[2] != h[3]]
    assert len(right) / len(read) >= 0.95, f"dates read differ from gold: {wrong}"


# ------------------------------------------------------------------ the dates plugin

TWO_DIGIT_LETTER = """\
Camden New Jersey
April 29 '78

Dear Sir,

Your book came this morning, and I thank you for it.

Yours truly,
John Smith
"""

UNDATED_WITH_HEADER = """\
Dear Sir,

Your book came this morning, and I thank you for it. It will be read through
by all of us before the week is out.
\f
Mr. Smith
April 30 '78
Page 2

We shall write again soon.

Yours truly,
John Smith
"""


def _repaired(text: str, **options: object) -> docparse.Document:
    from docparse.config import Config
    from docparse.pipeline import run_repairs

    config = Config(repairs=("dates",), options={"dates": options}, strict=True)
    return run_repairs(docparse.parse(text, name="letter.txt"), config).doc


def _date_nodes(doc: docparse.Document) -> list[Date]:
    return [n for n in doc.walk() if isinstance(n, Date)]


def test_plugin_never_guesses_a_century_unless_told() -> None:
    (date,) = _date_nodes(_repaired(TWO_DIGIT_LETTER))
    assert date.iso is None and "dates" not in date.data
    (date,) = _date_nodes(_repaired(TWO_DIGIT_LETTER, century=1800))
    assert date.iso == "1878-04-29" and date.data["dates"] == {"century": 1800}
    (date,) = _date_nodes(_repaired(TWO_DIGIT_LETTER, century=1900))
    assert date.iso == "1978-04-29"
    (date,) = _date_nodes(_repaired(TWO_DIGIT_LETTER, default_year=1885))
    assert date.iso == "1878-04-29" and date.data["dates"] == {"default_year": 1885}


def test_plugin_hint_is_recorded_only_when_the_date_needed_it() -> None:
    doc = _repaired(TWO_DIGIT_LETTER.replace("'78", "1878"), century=1900)
    (date,) = _date_nodes(doc)
    assert date.iso == "1878-04-29" and "dates" not in date.data
    # the result is still lossless JSON, and a second run changes nothing
    assert docparse.loads(docparse.dumps(doc)) == doc
    assert _repaired(docparse.dumps(doc), century=1900) is not None


def test_plugin_default_year_completes_a_date_without_a_year() -> None:
    text = TWO_DIGIT_LETTER.replace("April 29 '78", "April 29")
    assert _date_nodes(_repaired(text, century=1800))[0].iso is None  # a century gives no year
    (date,) = _date_nodes(_repaired(text, default_year=1878))
    assert date.iso == "1878-04-29" and date.data["dates"] == {"default_year": 1878}


def test_plugin_dates_a_letter_by_its_header_with_the_same_hints() -> None:
    (letter,) = _repaired(UNDATED_WITH_HEADER).letters
    assert "dates" not in letter.data
    (letter,) = _repaired(UNDATED_WITH_HEADER, century=1800).letters
    entry = letter.data["dates"]
    assert entry["iso"] == "1878-04-30" and entry["from"] == "page_header" and entry["century"] == 1800


def test_plugin_options_are_checked_up_front() -> None:
    from docparse.errors import PluginError

    with pytest.raises(PluginError, match="'century' must be one of 0, 1000"):
        _repaired(TWO_DIGIT_LETTER, century=1850)
    with pytest.raises(PluginError, match="'default_year' must be at least 0"):
        _repaired(TWO_DIGIT_LETTER, default_year=-5)


# ------------------------------------------------------------------ weekdays


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Camden Sunday Evn'g: Oct: 3 '91", "en", [(7, 13, 6)]),
        ("Belmont June 8 '90 Sund. eve", "en", [(19, 23, 6)]),
        ("Thurs 3d", "en", [(0, 5, 3)]),
        ("Mar 3, Friday.", "en", [(7, 13, 4)]),  # "Mar" is March, not mardi
        ("Sam Jones, Sat.", "en", [(11, 14, 5)]),  # French "sam." is not read in an English letter
        ("Monsieur, Monday", "en", [(10, 16, 0)]),  # "Monsieur" is no prefix of Monday
        ("Москва, вторник, 3 мая", "ru", [(8, 15, 1)]),
        ("Dear Sir,", "en", []),
    ],
)
def test_weekdays_in(text: str, language: str, expected: list[tuple[int, int, int]]) -> None:
    assert weekdays_in(text, language) == expected


@given(st.dates(min_value=dt.date(1600, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_weekday_names_read_back(date: dt.date) -> None:
    line = f"{date:%A}, {date:%B} {date.day}, {date.year}"
    assert [w for _, _, w in weekdays_in(line, "en")] == [date.weekday()]
    assert to_iso(line, "en") == date.isoformat()


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 2, 27)))
def test_julian_weekday_is_thirteen_days_on_in_this_era(date: dt.date) -> None:
    # between 1 March 1900 and 28 February 2100 the Julian calendar runs 13 days behind
    assert julian_weekday(date.isoformat()) == (date + dt.timedelta(days=13)).weekday()


def test_julian_weekday_of_known_old_style_dates() -> None:
    # 25 October 1917 (Old Style) was 7 November (New Style), a Wednesday
    assert julian_weekday("1917-10-25") == dt.date(1917, 11, 7).weekday() == 2
    # the Julian calendar's last day in Britain, Wednesday 2 September 1752
    assert julian_weekday("1752-09-02") == 2
