"""A reproducible generator of benchmark letters (English, Russian, OCR'd Russian).

Every letter is built from a seeded random generator, so a given ``(kind, seed)``
always gives the same text, on every machine. Letters are about 4 KB: an address
block, a date, a salutation, paragraphs of ordinary prose, a closing and a
signature; about one in three runs over a page break with a running header
(``Mr. X / date / Page 2``), as typed letters do.

The prose is written for this benchmark (no corpus text). OCR'd Russian is the
Russian letter as an English-only OCR reads it: each Cyrillic letter replaced by
the Latin glyphs that look like it (``Лукашенко`` -> ``JIykameHko``), which is the
damage the ``cyrillic`` decoder repairs.

>>> english_letter(1)[:30]                                   # doctest: +SKIP
'14 Harbour Street\\nLeeds LS2 7HJ'
"""

from __future__ import annotations

import random

__all__ = ["TARGET_BYTES", "english_letter", "lookalike", "ocr_russian", "russian_letter"]

#: the size a generated letter grows to (UTF-8 bytes of its text, roughly)
TARGET_BYTES = 4000

_EN_FIRST = ["Anne", "Robert", "Margaret", "Thomas", "Helen", "George", "Alice", "Edward", "Mary", "John"]
_EN_LAST = ["Hart", "Whitfield", "Barlow", "Grant", "Ellison", "Carver", "Moss", "Pryce", "Lambert", "Doyle"]
_EN_STREETS = ["Harbour Street", "Mill Lane", "Queen's Road", "Church Walk", "Station Road", "Elm Grove"]
_EN_TOWNS = ["Leeds LS2 7HJ", "Bristol BS1 4DJ", "Hull HU1 2BQ", "York YO1 7EP", "Bath BA1 1LZ"]
_EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
_EN_SUBJECTS = [
    "the committee", "our small museum", "the new library", "my brother", "the printer",
    "the town council", "your sister", "the school board", "the harbour master", "our society",
]
_EN_VERBS = [
    "has agreed to consider", "will gladly receive", "asked me to thank you for", "is still waiting for",
    "has written at length about", "cannot yet decide on", "was delighted by", "will report on",
]
_EN_OBJECTS = [
    "the maps you lent us", "the proposal for the autumn exhibition", "the accounts of last year",
    "the question of insurance", "your kind invitation", "the photographs of the old bridge",
    "the plans for the reading room", "the letter of June 30", "the cost of the new roof",
]
_EN_TAILS = [
    "before the end of the month", "as soon as the weather allows", "at the next meeting",
    "without any further delay", "once the printer has finished", "in the course of the summer",
    "when the members return from the coast", "if the funds can be found",
]
_EN_OPENERS = [
    "I am writing to tell you that", "You will be glad to hear that", "I must report that",
    "It seems to me that", "As you may remember,", "I am sorry to say that", "At last",
]
_EN_CLOSINGS = ["Yours sincerely,", "Yours faithfully,", "With kind regards,", "Yours truly,"]

_RU_FIRST = ["Анна", "Борис", "Мария", "Сергей", "Елена", "Николай", "Ольга", "Павел", "Татьяна", "Иван"]
_RU_LAST = ["Петров", "Смирнов", "Орлов", "Волков", "Кузнецов", "Соколов", "Лебедев", "Морозов"]
_RU_PATR = ["Иванович", "Петрович", "Сергеевич", "Николаевич", "Андреевич"]
_RU_STREETS = ["ул. Садовая, д. 12", "пр. Мира, д. 5", "ул. Лесная, д. 31", "Невский пр., д. 88"]
_RU_TOWNS = ["Москва", "Тула", "Казань", "Самара", "Омск", "Пермь"]
_RU_MONTHS = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]
_RU_SUBJECTS = [
    "наш комитет", "городская библиотека", "мой брат", "редакция журнала", "правление общества",
    "директор музея", "ваша сестра", "школьный совет", "типография",
]
_RU_VERBS = [
    "согласился рассмотреть", "с благодарностью получил", "просит передать вам", "всё ещё ждёт",
    "подробно написал о", "пока не решил вопрос о", "очень обрадовался", "обещает сообщить о",
]
_RU_OBJECTS = [
    "вашем предложении", "плане осенней выставки", "отчёте за прошлый год", "вопросе о страховке",
    "вашем любезном приглашении", "фотографиях старого моста", "новом читальном зале",
    "письме от тридцатого июня", "стоимости новой крыши",
]
_RU_TAILS = [
    "до конца месяца", "как только позволит погода", "на следующем заседании",
    "без всякой задержки", "когда типография закончит работу", "в течение лета",
    "если найдутся средства", "после возвращения всех членов общества",
]
_RU_OPENERS = [
    "Спешу сообщить вам, что", "Вы будете рады узнать, что", "Должен признаться, что",
    "Мне кажется, что", "Как вы помните,", "К сожалению,", "Наконец",
]
_RU_CLOSINGS = ["С уважением,", "Искренне ваш,", "С глубоким уважением,", "Ваш"]


def _wrap(text: str, width: int = 72) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def _sentence(rng: random.Random, lang: str) -> str:
    if lang == "en":
        s = (
            f"{rng.choice(_EN_OPENERS)} {rng.choice(_EN_SUBJECTS)} {rng.choice(_EN_VERBS)} "
            f"{rng.choice(_EN_OBJECTS)} {rng.choice(_EN_TAILS)}."
        )
    else:
        s = (
            f"{rng.choice(_RU_OPENERS)} {rng.choice(_RU_SUBJECTS)} {rng.choice(_RU_VERBS)} "
            f"{rng.choice(_RU_OBJECTS)} {rng.choice(_RU_TAILS)}."
        )
    return s[0].upper() + s[1:]


def _letter(seed: int, lang: str) -> str:
    rng = random.Random(f"{lang}-{seed}")
    if lang == "en":
        sender = f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
        to_last = rng.choice(_EN_LAST)
        title = rng.choice(["Mr.", "Mrs.", "Dr.", "Miss"])
        date = f"{rng.choice(_EN_MONTHS)} {rng.randint(1, 28)}, {rng.randint(1890, 2010)}"
        head = [
            f"{rng.randint(1, 120)} {rng.choice(_EN_STREETS)}", rng.choice(_EN_TOWNS), "", date, "",
            f"{title} {rng.choice(_EN_FIRST)} {to_last}", f"{rng.randint(1, 90)} {rng.choice(_EN_STREETS)}",
            rng.choice(_EN_TOWNS), "", f"Dear {title} {to_last}:", "",
        ]
        header = f"{title} {to_last}"
        closing = rng.choice(_EN_CLOSINGS)
        page_word = "Page"
    else:
        sender = f"{rng.choice(_RU_FIRST)} {rng.choice(_RU_PATR)} {rng.choice(_RU_LAST)}"
        to_first, to_patr = rng.choice(_RU_FIRST), rng.choice(_RU_PATR)
        date = f"{rng.randint(1, 28)} {rng.choice(_RU_MONTHS)} {rng.randint(1890, 2010)} г."
        head = [
            f"{rng.choice(_RU_TOWNS)}, {rng.choice(_RU_STREETS)}", "", date, "",
            f"Уважаемый {to_first} {to_patr}!", "",
        ]
        header = f"{to_first} {to_patr}"
        closing = rng.choice(_RU_CLOSINGS)
        page_word = "страница"
    with_header = rng.random() < 0.35
    lines = list(head)
    size = sum(len(x.encode("utf-8")) + 1 for x in lines)
    page = 1
    since_break = 0
    while size < TARGET_BYTES - 250:
        paragraph = _wrap(" ".join(_sentence(rng, lang) for _ in range(rng.randint(2, 5))))
        if with_header and since_break > 30:
            page += 1
            lines += ["", "\f" + header, date, f"{page_word} {page}", ""]
            since_break = 0
        lines += paragraph + [""]
        since_break += len(paragraph) + 1
        size += sum(len(x.encode("utf-8")) + 1 for x in paragraph) + 1
    lines += [closing, "", sender, ""]
    return "\n".join(lines)


def english_letter(seed: int) -> str:
    """A ~4 KB English letter; the same ``seed`` always gives the same letter."""
    return _letter(seed, "en")


def russian_letter(seed: int) -> str:
    """A ~4 KB Russian letter (about 2,300 characters of Cyrillic)."""
    return _letter(seed, "ru")


# Each Cyrillic letter as an English-only OCR typically reads it (lower case; capitals
# are handled by reading the lower-case form and taking its upper-case look-alike).
_LOOKALIKE = {
    "а": "a", "б": "6", "в": "B", "г": "r", "д": ",D", "е": "e", "ё": "e", "ж": ")K", "з": "3",
    "и": "u", "й": "u", "к": "k", "л": "JI", "м": "M", "н": "H", "о": "o", "п": "n", "р": "p",
    "с": "c", "т": "T", "у": "y", "ф": "4?", "х": "x", "ц": "IJ", "ч": "q", "ш": "m", "щ": "m;",
    "ъ": "'b", "ы": "bI", "ь": "b", "э": "3", "ю": "IO", "я": "5I",
}
_UPPER = {"а": "A", "в": "B", "е": "E", "к": "K", "м": "M", "н": "H", "о": "O", "р": "P", "с": "C",
          "т": "T", "у": "Y", "х": "X", "и": "I1", "п": "II", "л": "JI", "д": ",D", "б": "6", "г": "r"}


def lookalike(text: str) -> str:
    """``text`` with every Cyrillic letter replaced by its Latin look-alike glyphs.

    ``Лукашенко`` -> ``JIykameHko``
    """
    out = []
    for ch in text:
        low = ch.lower()
        if low in _LOOKALIKE:
            out.append(_UPPER.get(low, _LOOKALIKE[low].upper()) if ch != low else _LOOKALIKE[low])
        else:
            out.append(ch)
    return "".join(out)


def ocr_russian(seed: int) -> str:
    """A Russian letter as an English-only OCR read it (see :func:`lookalike`)."""
    return lookalike(russian_letter(seed))
