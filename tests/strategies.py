"""Hypothesis strategies: random but plausible letter trees, and random texts.

Trees are built in the shape the parser gives (see ``docs/format.md``): a
document of 1-3 letters, each ``date? address? reference? salutation
paragraph+ (closing signature?)? postscript* enclosure* copy*``, with page
breaks (and running headers after them) between paragraphs. Letters are
English or Russian; their words come from small vocabularies of plain words
that never look like a letter part on their own (no "Dear", "Page", "cc:" in a
paragraph), so that a rendered tree has one reading.

* :func:`documents` - trees (``extras=True`` adds random ``data``, repairs and
  positions, to exercise the codec);
* :func:`letter_texts` - rendered trees (letter-like text);
* :func:`arbitrary_texts` - any text: form feeds, ``\\r``, ``\\r\\n``, control
  characters, Cyrillic, huge lines;
* :func:`texts` - either.
"""

from __future__ import annotations

import datetime as _dt
import functools
from typing import Any

import attrs
from hypothesis import strategies as st

from docparse.nodes import (
    Address,
    AddressLine,
    Closing,
    Copy,
    Date,
    Document,
    Enclosure,
    Leaf,
    Letter,
    Name,
    Node,
    PageBreak,
    PageHeader,
    Paragraph,
    Parent,
    Point,
    Position,
    Postscript,
    Reference,
    Repair,
    Salutation,
    Signatory,
    Signature,
    Source,
    SourceLine,
    SourcePage,
    SourceWord,
    Title,
)
from docparse.rendering import render

__all__ = [
    "addresses",
    "arbitrary_texts",
    "dates",
    "documents",
    "json_values",
    "letter_texts",
    "letters",
    "paragraph_values",
    "sentences",
    "texts",
    "words",
]

# -- vocabularies -------------------------------------------------------------

_EN_WORDS = ["we", "have", "been", "asked", "to", "send", "you", "the", "report", "on", "our", "work", "this", "year", "and", "hope", "it", "will", "be", "useful", "for", "the", "committee", "all", "members", "agreed", "that", "the", "new", "plan", "should", "go", "ahead", "after", "careful", "study", "of", "costs", "schedule", "office", "staff", "travel", "meeting", "budget", "program", "question", "answer", "matter", "proposal", "support", "progress", "council", "public", "library", "river", "garden", "house", "family", "friend", "summer", "winter", "morning", "evening", "weather", "health", "journey", "book", "news", "letter", "copy", "order", "time", "place", "reason", "interest", "hope", "help", "thanks", "kindness", "visit", "trip", "soon", "again", "always", "never", "often", "already", "still", "however", "therefore", "indeed", "perhaps", "glad", "sorry", "happy", "able", "ready", "sure", "pleased", "grateful", "certain", "important", "difficult"]
_RU_WORDS = ["мы", "получили", "ваше", "письмо", "и", "благодарим", "за", "внимание", "к", "нашей", "работе", "в", "этом", "году", "комитет", "решил", "что", "новый", "план", "следует", "принять", "после", "обсуждения", "расходов", "отчёт", "вопрос", "ответ", "предложение", "поддержка", "совет", "библиотека", "река", "сад", "дом", "семья", "друг", "лето", "зима", "утро", "вечер", "погода", "здоровье", "поездка", "книга", "новости", "время", "место", "причина", "интерес", "надежда", "помощь", "доброта", "визит", "скоро", "снова", "всегда", "часто", "уже", "ещё", "однако", "поэтому", "рад", "готов", "уверен", "важный", "трудный", "хороший", "новый", "старый", "большой"]

_EN_FIRST = ("John", "Mary", "Robert", "Alice", "Thomas", "Helen", "George", "Ann", "William", "Ruth")
_EN_LAST = ("Smith", "Brown", "Clark", "Walker", "Harris", "Miller", "Baker", "Turner", "Hughes", "Reed")
_EN_HONORIFIC = ("Mr.", "Mrs.", "Ms.", "Dr.", "Professor")
_EN_TITLES = (
    "Chairman", "Secretary", "Director", "Treasurer", "Ranking Member",
    "Head of Research", "Vice President, Operations", "Co-Chairman",
)
_EN_CLOSINGS = (
    "Yours truly,", "Sincerely,", "Sincerely yours,", "Yours faithfully,",
    "Yours sincerely,", "Respectfully,", "Best regards,", "Very truly yours,",
)
_EN_STREETS = ("Mill Road", "High Street", "Elm Avenue", "Church Lane", "Park Place", "K Street NW")
_EN_CITIES = ("Boston, MA 02108", "London W1 2AB", "Springfield, IL 62701", "Washington, DC 20515")
_EN_PLACES = ("London", "Boston", "Washington, D.C.", "Camden, N.J.", "New York")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)

#: (first names, patronymics, surname ending) by grammatical gender
_RU_MALE = (("Иван", "Пётр", "Николай", "Сергей"), ("Петрович", "Иванович", "Николаевич"), "")
_RU_FEMALE = (("Мария", "Анна", "Елена", "Ольга"), ("Петровна", "Ивановна", "Николаевна"), "а")
_RU_LAST = ("Петров", "Иванов", "Соколов", "Лебедев", "Кузнецов", "Попов")
_RU_TITLES = ("Председатель комитета", "Секретарь", "Директор", "Главный редактор")
_RU_CLOSINGS = ("С уважением,", "Искренне Ваш,", "С глубоким уважением,", "Ваш друг,")
_RU_STREETS = ("ул. Ленина, д. 5", "пр. Мира, д. 12, кв. 3", "ул. Садовая, д. 1")
_RU_CITIES = ("г. Москва, 101000", "г. Минск, 220016", "г. Тула, 300000")
_RU_PLACES = ("Москва", "Тула", "Ясная Поляна", "Санкт-Петербург")
_RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля",
    "августа", "сентября", "октября", "ноября", "декабря",
)


def _vocabulary(language: str) -> tuple[str, ...]:
    return tuple(_RU_WORDS if language == "ru" else _EN_WORDS)


# -- text pieces --------------------------------------------------------------


@functools.cache
def words(language: str, min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[str]:
    """A few plain words of ``language``, single-spaced, lower case."""
    return st.lists(
        st.sampled_from(_vocabulary(language)), min_size=min_size, max_size=max_size
    ).map(" ".join)


@functools.cache
def sentences(language: str) -> st.SearchStrategy[str]:
    """One sentence: capitalised, 3-14 plain words, ending in ``.``, ``?`` or ``!``."""
    return st.tuples(
        words(language, 3, 14), st.sampled_from((".", ".", ".", "?", "!"))
    ).map(lambda p: p[0][0].upper() + p[0][1:] + p[1])


def _reads_as_closing(value: str) -> bool:
    """``value`` is a complimentary close by the grammar's own lexicon ("We we friend."
    reads as "Your friend."): typed alone as a letter's last paragraph, nothing tells it
    from a closing, so the generated paragraphs leave such values out."""
    from docparse.parser import _lexicon, grammar_text

    return _lexicon(grammar_text()).match("LEX_CLOSING", value) is not None


@functools.cache
def paragraph_values(language: str, max_sentences: int = 5) -> st.SearchStrategy[str]:
    """A paragraph value: 1-``max_sentences`` sentences joined by single spaces (never one
    that reads as a closing)."""
    return (st.lists(sentences(language), min_size=1, max_size=max_sentences).map(" ".join)
            .filter(lambda v: not _reads_as_closing(v)))


@functools.cache
def dates(language: str) -> st.SearchStrategy[Date]:
    """A date line with its ISO date, optionally after a place:
    ``July 21, 2004``, ``21 July 2004``, ``London, 5 March 1890``, ``5 марта 1890 г.``."""

    def build(args: tuple[_dt.date, int, bool, int]) -> Date:
        day, style, with_place, place_i = args
        if language == "ru":
            text = f"{day.day} {_RU_MONTHS[day.month - 1]} {day.year}" + (" г." if style % 2 else "")
            place = _RU_PLACES[place_i % len(_RU_PLACES)]
        else:
            month = _EN_MONTHS[day.month - 1]
            text = f"{month} {day.day}, {day.year}" if style % 2 else f"{day.day} {month} {day.year}"
            place = _EN_PLACES[place_i % len(_EN_PLACES)]
        if with_place:
            text = f"{place}, {text}"
        return Date(value=text, iso=day.isoformat())

    return st.tuples(
        st.dates(min_value=_dt.date(1800, 1, 1), max_value=_dt.date(2030, 12, 31)),
        st.integers(0, 1),
        st.booleans(),
        st.integers(0, 10),
    ).map(build)


_Person = tuple[str, str, str, str]


def _signer_name(signatory: Signatory) -> str:
    return next((c.value for c in signatory.children if c.type == "name"), "")


@functools.cache
def _person(language: str) -> st.SearchStrategy[_Person]:
    """``(address name, salutation name, header name, signature name)`` of one person,
    e.g. ``("Mr. John Smith", "Mr. Smith", "Mr. Smith", "John Smith")``."""
    if language == "ru":

        def ru(gender: tuple[tuple[str, ...], tuple[str, ...], str]) -> st.SearchStrategy[_Person]:
            firsts, patronymics, ending = gender
            return st.tuples(
                st.sampled_from(firsts), st.sampled_from(patronymics), st.sampled_from(_RU_LAST)
            ).map(
                lambda p: (
                    f"{p[0]} {p[1]} {p[2]}{ending}",
                    f"{p[0]} {p[1]}",
                    f"{p[0][0]}. {p[2]}{ending}",
                    f"{p[0]} {p[2]}{ending}",
                )
            )

        return ru(_RU_MALE) | ru(_RU_FEMALE)
    return st.tuples(
        st.sampled_from(_EN_HONORIFIC), st.sampled_from(_EN_FIRST), st.sampled_from(_EN_LAST)
    ).map(lambda p: (f"{p[0]} {p[1]} {p[2]}", f"{p[0]} {p[2]}", f"{p[0]} {p[2]}", f"{p[1]} {p[2]}"))


def addresses(language: str, person: _Person | None = None) -> st.SearchStrategy[Address]:
    """A recipient's address block of 2-4 lines (name, street, city, country);
    the name is ``person``'s when given."""
    streets, cities = (_RU_STREETS, _RU_CITIES) if language == "ru" else (_EN_STREETS, _EN_CITIES)
    country = ("Россия", "Беларусь") if language == "ru" else ("USA", "United Kingdom")

    def build(args: tuple[_Person, int, str, str, str | None]) -> Address:
        person, number, street, city, land = args
        street_line = street if language == "ru" else f"{number} {street}"
        lines = [person[0], street_line, city] + ([land] if land else [])
        return Address(role="recipient", children=[AddressLine(value=v) for v in lines])

    return st.tuples(
        _person(language) if person is None else st.just(person),
        st.integers(1, 999),
        st.sampled_from(streets),
        st.sampled_from(cities),
        st.none() | st.sampled_from(country),
    ).map(build)


def _salutation(language: str, person: _Person) -> st.SearchStrategy[Salutation]:
    if language == "ru":
        female = person[1].endswith("на")
        forms = (
            f"{'Уважаемая' if female else 'Уважаемый'} {person[1]}!",
            f"{'Дорогая' if female else 'Дорогой'} {person[1].split()[0]}!",
            f"{'Многоуважаемая' if female else 'Многоуважаемый'} {person[1]}!",
        )
    else:
        forms = (f"Dear {person[1]}:", f"Dear {person[1]},", f"My dear {person[1].split()[-1]},")
    return st.sampled_from(forms).map(lambda v: Salutation(value=v))


@functools.cache
def _signatory(language: str, titled: bool = False) -> st.SearchStrategy[Signatory]:
    """A signatory: a name and up to two titles (at least one when ``titled``)."""
    titles = _RU_TITLES if language == "ru" else _EN_TITLES
    return st.tuples(
        _person(language), st.lists(st.sampled_from(titles), min_size=int(titled), max_size=2, unique=True)
    ).map(
        lambda p: Signatory(
            children=[Name(value=p[0][3]), *(Title(value=t) for t in p[1])]
        )
    )


def _page_header(language: str, page: int, addressee: str, date: Date | None) -> st.SearchStrategy[PageHeader]:
    forms = [f"- {page} -", f"-{page}-"]
    if language == "ru":
        forms.append(f"{page}-я страница")
    else:
        forms.append(f"Page {page}")
        if date is not None:
            forms.append(f"{addressee} / {date.value} / Page {page}")
    return st.sampled_from(forms).map(lambda v: PageHeader(value=v, page=page))


@st.composite
def letters(draw: st.DrawFn, language: str | None = None) -> Letter:
    """One letter: ``date? address? reference? salutation paragraph+ (closing
    signature?)? postscript* enclosure* copy*``, with page breaks (each followed,
    usually, by a running header numbered from 2) between paragraphs."""
    lang = language or draw(st.sampled_from(("en", "ru")))
    person = draw(_person(lang))
    children: list[Node] = []
    date = draw(st.none() | dates(lang))
    if date is not None:
        children.append(date)
    if draw(st.booleans()):
        children.append(draw(addresses(lang, person)))
    if lang == "en" and draw(st.integers(0, 3)) == 0:
        children.append(Reference(value="Re: " + draw(words(lang, 2, 6))))
    children.append(draw(_salutation(lang, person)))
    page = 2
    for i in range(draw(st.integers(1, 4))):
        if i and draw(st.integers(0, 4)) == 0:
            children.append(PageBreak())
            if draw(st.integers(0, 3)):
                children.append(draw(_page_header(lang, page, person[2], date)))
            page += 1
        children.append(Paragraph(value=draw(paragraph_values(lang))))
    if draw(st.integers(0, 4)):
        closings = _RU_CLOSINGS if lang == "ru" else _EN_CLOSINGS
        children.append(Closing(value=draw(st.sampled_from(closings))))
        if draw(st.integers(0, 4)):
            # several signers are different people, and none of them is the addressee; they
            # carry titles (a bare name in a block under a bare name reads as the writer's
            # address: "Walt Whitman" / "Washington D C")
            addressee = {w.strip(".,").lower() for w in person[0].split()}
            several = draw(st.booleans())
            signers = draw(
                st.lists(_signatory(lang, titled=several), min_size=1 + several, max_size=1 + several,
                         unique_by=_signer_name).filter(
                    lambda ss: all(not (set(_signer_name(x).lower().split()) & addressee) for x in ss)
                )
            )
            children.append(Signature(children=signers))
    marker = "P.S." if lang == "en" else draw(st.sampled_from(("P.S.", "P. S.")))
    for _ in range(draw(st.integers(0, 2) if draw(st.booleans()) else st.just(0))):
        children.append(Postscript(value=f"{marker} " + draw(paragraph_values(lang, 2))))
    if lang == "en":
        for _ in range(draw(st.integers(0, 2) if draw(st.integers(0, 3)) == 0 else st.just(0))):
            children.append(Enclosure(value="Enclosure: " + draw(words(lang, 1, 4))))
        if draw(st.integers(0, 3)) == 0:
            children.append(Copy(value="cc: " + draw(_person(lang))[3]))
    return Letter(language=lang, children=children)


# -- extras for the codec -----------------------------------------------------
# (the strategies below are built once and cached: building a recursive strategy
# anew for every node makes generation many times slower)

_RESERVED_DATA_KEYS = frozenset({"repairs", "language", "iso", "role", "page", "box"})


@functools.cache
def json_values() -> st.SearchStrategy[Any]:
    """JSON-shaped values orjson can write: finite floats, 64-bit ints, str keys."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=20)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=8,
    )


#: plugin names used as ``data`` keys and in repairs
_PLUGIN_NAMES = ("cyrillic-lookalikes", "dehyphenate", "layout-check", "spacing", "x", "my-plugin-2")


@functools.cache
def _plugin_data() -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(_PLUGIN_NAMES) | st.text(min_size=1, max_size=8).filter(
        lambda k: k not in _RESERVED_DATA_KEYS
    )
    return st.dictionaries(keys, json_values(), min_size=1, max_size=3)


@functools.cache
def _positions() -> st.SearchStrategy[Position]:
    return st.tuples(
        st.integers(1, 500), st.integers(1, 200), st.integers(0, 10**6),
        st.integers(0, 20), st.integers(1, 200), st.integers(0, 5000),
    ).map(
        lambda p: Position(
            Point(line=p[0], column=p[1], offset=p[2]),
            Point(line=p[0] + p[3], column=p[4], offset=p[2] + p[5]),
        )
    )


@functools.cache
def _repairs() -> st.SearchStrategy[tuple[Repair, ...]]:
    one = st.tuples(
        st.sampled_from(_PLUGIN_NAMES),
        st.integers(0, 10**6),
        st.integers(0, 50),
        st.text(max_size=10),
        st.text(max_size=10),
        st.floats(0.0, 1.0),
        st.none() | st.integers(0, 10**4),
    ).map(
        lambda r: Repair(
            plugin=r[0], start=r[1], end=r[1] + r[2], before=r[3], after=r[4],
            confidence=r[5], value_offset=r[6],
        )
    )
    return st.lists(one, max_size=2).map(tuple)


_EXTRAS = st.integers(0, 15)


def _decorate(draw: st.DrawFn, node: Any) -> Any:
    """``node`` (and its subtree) with random data, repairs and positions."""
    changes: dict[str, Any] = {}
    if isinstance(node, Parent):
        changes["children"] = tuple(_decorate(draw, c) for c in node.children)
    # one draw decides which extras this node gets, to keep trees cheap to generate
    extras = draw(_EXTRAS)
    if extras & 1:
        changes["data"] = draw(_plugin_data())
    if extras & 2:
        changes["repairs"] = draw(_repairs())
    if extras & 4:
        changes["position"] = draw(_positions())
        if isinstance(node, Leaf) and extras & 8:  # (the geometry a reader gives a leaf)
            geo: dict[str, Any] = {"box": list(draw(boxes()))}
            if "page" not in node.data_fields:
                geo["page"] = draw(st.integers(1, 9))
            changes["data"] = {**changes.get("data", {}), **geo}
    return node.evolve(**changes)


@functools.cache
def boxes() -> st.SearchStrategy[tuple[float, float, float, float]]:
    """A box ``(x0, y0, x1, y1)`` in page coordinates: integers (pixels) or floats (PDF points)."""
    coord = st.integers(0, 5000) | st.floats(0, 5000, allow_nan=False, allow_infinity=False)
    size = st.integers(0, 3000) | st.floats(0, 3000, allow_nan=False, allow_infinity=False)
    return st.tuples(coord, coord, size, size).map(lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3]))


_CONFIDENCES = st.none() | st.floats(0, 1) | st.sampled_from((0, 1))


@functools.cache
def source_lines() -> st.SearchStrategy[SourceLine]:
    """The geometry of one source line, as a reader keeps it."""
    word = st.builds(SourceWord, text=st.text(min_size=1, max_size=12), box=boxes(),
                     confidence=_CONFIDENCES)
    return st.builds(SourceLine, line=st.integers(1, 500), page=st.integers(1, 9), box=boxes(),
                     confidence=_CONFIDENCES, words=st.lists(word, max_size=4).map(tuple))


@functools.cache
def _geometry() -> st.SearchStrategy[dict[str, Any]]:
    page = st.builds(SourcePage, number=st.integers(1, 9), width=st.integers(0, 5000),
                     height=st.integers(0, 7000), file=st.none() | st.text(min_size=1, max_size=12))
    return st.fixed_dictionaries({}, optional={
        "format": st.sampled_from(("alto", "page", "hocr", "pdf", "text")),
        "pages": st.lists(page, max_size=3).map(tuple),
        "lines": st.lists(source_lines(), max_size=4).map(tuple),
    })


@functools.cache
def _sources() -> st.SearchStrategy[Source]:
    return st.builds(
        Source,
        name=st.none() | st.text(min_size=1, max_size=20),
        sha256=st.just("") | st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
        encoding=st.sampled_from(("utf-8", "cp1251", "koi8-r", "utf-16")),
        length=st.integers(0, 10**6),
        text=st.none() | st.text(max_size=50),
    ).flatmap(lambda src: _geometry().map(lambda geo: attrs.evolve(src, **geo)))


@st.composite
def documents(draw: st.DrawFn, *, extras: bool = False, language: str | None = None) -> Document:
    """A document of 1-3 letters (each English or Russian unless ``language`` is given).

    With ``extras``, every node may also carry plugin ``data``, repairs and a
    position, and the source record is random: trees the codec must carry
    unchanged, though they do not come from any real parse.
    """
    doc = Document(children=draw(st.lists(letters(language), min_size=1, max_size=3)))
    if extras:
        decorated: Document = _decorate(draw, doc)
        return decorated.evolve(source=draw(_sources()))
    return doc


# -- texts --------------------------------------------------------------------


def letter_texts() -> st.SearchStrategy[str]:
    """Letter-like text: a rendered random document."""
    return documents().map(render)


_AWKWARD = "\f\r\n\t\v\x00\x01\x07\x1b\x7f\x85\u2028\u2029\ufeff \u00a0"


def arbitrary_texts() -> st.SearchStrategy[str]:
    """Any text at all: random characters weighted towards line and page breaks and
    control characters, Cyrillic and letter-ish words, and lines of up to 100,000
    characters."""
    pieces = st.one_of(
        st.text(max_size=30),
        st.text(alphabet=_AWKWARD, max_size=10),
        st.sampled_from(("\r\n", "\r", "\n", "\f", "\n\n", "\f\n", "\r\n\r\n")),
        st.sampled_from(("Dear Sir,", "Yours truly,", "P.S.", "- 2 -", "Page 3", "cc:", "Re:",
                         "С уважением,", "Уважаемый", "JIYKameHKo", "July 21, 2004")),
        words("en"),
        words("ru"),
    )
    huge = st.tuples(st.sampled_from(("x", "word ", "\t", "Я", ". ")), st.integers(1_000, 100_000)).map(
        lambda p: p[0] * (p[1] // len(p[0]))
    )
    return st.one_of(
        st.text(),
        st.lists(pieces, max_size=40).map("".join),
        st.lists(pieces | huge, min_size=1, max_size=4).map("".join),
    )


def texts() -> st.SearchStrategy[str]:
    """Letter-like or arbitrary text."""
    return letter_texts() | arbitrary_texts()
