"""The built-in OCR repair plugins: cyrillic-lookalikes, spacing, dehyphenate, ocr-spelling.

The letters here are written for these tests (never copied from the corpus). The
look-alike Russian letter is made from a Russian letter by a small deterministic
reading of each Cyrillic letter as the Latin glyphs an English-only OCR gives it.
The seed acceptance test reads ``../shared/seed`` and skips when it is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import SEED_PATH

import docparse
from docparse.config import Config
from docparse.nodes import Document, Leaf, Node, Paragraph, Signature
from docparse.pipeline import (
    PluginInfo,
    available_plugins,
    clear_plugin_cache,
    run_plugin,
    run_repairs,
)
from docparse.plugin import RepairContext, repair_plugin
from docparse.repair import skeleton, unrepair
from docparse.wordscore import words

# --------------------------------------------------------------------- material

_LOOKALIKE = {
    "а": "a", "б": "6", "в": "B", "г": "r", "д": ",I", "е": "e", "ж": "2K", "з": "3", "и": "H",
    "й": "H", "к": "K", "л": "JI", "м": "M", "н": "H", "о": "o", "п": "II", "р": "p", "с": "c",
    "т": "T", "у": "y", "ф": "4?", "х": "x", "ц": "IJ", "ч": "tI", "ш": "m", "щ": "m;", "ы": "bI",
    "ь": "b", "э": "3", "ю": "IO", "я": "5I",
}


def ocr_as_latin(text: str) -> str:
    """Read Russian ``text`` as an English-only OCR would (capitals as capitals)."""
    out = []
    for ch in text:
        latin = _LOOKALIKE.get(ch.lower())
        if latin is None:
            out.append(ch)
        elif ch.isupper():
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


RUSSIAN = """\
Уважаемый Иван Петрович!

Мы получили ваше письмо и благодарим вас за подробный ответ.
Надеемся на скорую встречу в нашем городе.

С уважением,
Николай
"""

ENGLISH_OCR = """\
March 3 , 1962

Dear Mrs. Holloway:

We write in reply to your letter of February 20 , 1962 , which reached us after
some delay . The committee has studied the question of corrption in the award of
contracts with great care, and its report will be sent to you next week.

The members of the committee thank you for your help in this matter . They hope to
meet you when the goverment has read it.

Sincerely,
John Baxter
"""

ENGLISH_CLEAN = """\
May 4, 1910

Dear Ann,

I have sufered much from the cold this winter, but the spring is near and I am
better now. The children send their love and ask when you will come to see them.

Your loving sister,
Mary
"""


def _plugin(name: str) -> PluginInfo:
    return {i.name: i for i in available_plugins(Config())}[name]


def _run(name: str, doc: Document, **options: Any) -> Document:
    info = _plugin(name)
    opts = {**info.options, **options}
    new, failure = run_plugin(info, doc, options=opts)
    assert failure is None, failure
    return new


def _values(node: Node, kind: str | None = None) -> list[str]:
    return [n.value for n in node.walk() if isinstance(n, Leaf) and (kind is None or n.type == kind)]


# ------------------------------------------------------------------------ order


def test_default_order_is_cyrillic_spacing_dehyphenate_spelling_paragraphs_dates() -> None:
    names = [i.name for i in available_plugins(Config()) if i.enabled]
    built_in = ["cyrillic-lookalikes", "spacing", "dehyphenate", "ocr-spelling", "paragraphs", "dates"]
    assert [n for n in names if n in built_in] == built_in


def test_plugin_cache_is_cleared_and_refilled() -> None:
    first = [i.name for i in available_plugins()]
    clear_plugin_cache()
    assert [i.name for i in available_plugins()] == first


# -------------------------------------------------------------- cyrillic-lookalikes


def test_lookalike_russian_letter_is_decoded_and_becomes_russian() -> None:
    damaged = ocr_as_latin(RUSSIAN)
    assert "Mbl" not in damaged and "MbI" in damaged  # the reading works as intended
    doc = docparse.parse(damaged, name="ru.txt")
    new = _run("cyrillic-lookalikes", doc)
    letter = new.letters[0]
    assert letter.language == "ru"
    got = words("\n".join(_values(letter)))
    want = words(RUSSIAN)
    right = sum(1 for a, b in zip(got, want) if a == b)
    assert len(got) == len(want) and right >= 0.9 * len(want), (got, want)
    assert any("уважаемый" in v.lower() for v in _values(letter, "salutation"))
    # every change is recorded under the plugin's name, with a confidence
    repairs = [r for n in letter.walk() for r in n.repairs]
    assert repairs and {r.plugin for r in repairs} == {"cyrillic-lookalikes"}
    assert all(0.0 <= r.confidence <= 1.0 for r in repairs)
    assert skeleton(unrepair(new)) == skeleton(doc)


def test_english_letter_and_genuine_cyrillic_are_left_alone() -> None:
    for text in (ENGLISH_OCR, RUSSIAN):
        doc = docparse.parse(text, name="x.txt")
        assert _run("cyrillic-lookalikes", doc) is doc


def test_threshold_option_can_switch_the_decoder_off() -> None:
    doc = docparse.parse(ocr_as_latin(RUSSIAN), name="ru.txt")
    assert _run("cyrillic-lookalikes", doc, threshold=1.01) is doc


# ---------------------------------------------------------------------- spacing


def test_spacing_removes_spaces_before_punctuation_with_source_offsets() -> None:
    doc = docparse.parse(ENGLISH_OCR, name="en.txt")
    new = _run("spacing", doc)
    values = "\n".join(_values(new))
    assert "March 3, 1962" in values and "February 20, 1962, which" in values
    assert "after some delay." in values and "this matter. They" in values
    src = doc.source.text
    assert src is not None
    for node in new.walk():
        for r in node.repairs:
            assert r.plugin == "spacing"
            assert src[r.start : r.end] == r.before  # the recorded span is the removed space
    assert "corrption" in values  # spelling is not spacing's business
    assert skeleton(unrepair(new)) == skeleton(doc)


def test_spacing_leaves_a_letter_in_another_language_alone() -> None:
    text = "Cher ami,\n\nQuelle joie de vous lire ! Venez donc nous voir ; nous serons là .\n\nBien à vous,\nJean\n"
    doc = docparse.parse(text, name="fr.txt")
    letter = doc.letters[0]
    doc = doc.evolve(children=(letter.evolve(language="fr"),))
    assert _run("spacing", doc) is doc
    assert _run("spacing", doc, languages=["fr"]) is not doc


# ------------------------------------------------------------------ dehyphenate


def test_dehyphenate_joins_broken_words_and_keeps_compounds() -> None:
    text = ("Dear Sir,\n\nWe have made a compre-\nhensive study of the far-\nreaching plans of the "
            "committee.\n\nYours truly,\nA. Smith\n")
    doc = docparse.parse(text, name="en.txt")
    new = _run("dehyphenate", doc)
    body = " ".join(_values(new, "paragraph"))
    assert "comprehensive study" in body
    assert "far- reaching" in body  # a real compound: spacing's business, hyphen kept
    (r,) = [r for n in new.walk() for r in n.repairs]
    assert r.plugin == "dehyphenate" and r.before == "- " and r.after == ""
    assert doc.source.text is not None and doc.source.text[r.start : r.end] == "-\n"
    both = run_repairs(doc, Config(repairs=("spacing", "dehyphenate"))).doc
    assert "far-reaching" in " ".join(_values(both, "paragraph"))


# ----------------------------------------------------------------- ocr-spelling


def test_ocr_spelling_corrects_an_ocrd_letter_and_records_the_evidence() -> None:
    doc = run_repairs(docparse.parse(ENGLISH_OCR, name="en.txt"), Config(repairs=("spacing",))).doc
    new = _run("ocr-spelling", doc)
    body = " ".join(_values(new, "paragraph"))
    assert "question of corruption" in body and "when the government has" in body
    evidence = new.letters[0].data["ocr-spelling"]
    assert evidence["likely_ocr"] is True and evidence["space_before_punct"] >= 4
    assert evidence["corrected_as_ocr"] is True
    changed = {(r.before, r.after) for n in new.walk() for r in n.repairs if r.plugin == "ocr-spelling"}
    assert changed == {("corrption", "corruption"), ("goverment", "government")}
    assert _run("ocr-spelling", new) == new  # idempotent


def test_ocr_spelling_keeps_a_writers_own_spelling_unless_told_it_is_ocr() -> None:
    doc = docparse.parse(ENGLISH_CLEAN, name="en.txt")
    assert _run("ocr-spelling", doc) is doc  # no sign of OCR: nothing changed, nothing recorded
    forced = _run("ocr-spelling", doc, ocr="yes")
    assert "suffered" in " ".join(_values(forced, "paragraph"))
    assert forced.letters[0].data["ocr-spelling"]["ocr"] == "yes"
    ocr_doc = docparse.parse(ENGLISH_OCR, name="en.txt")
    told_not = _run("ocr-spelling", ocr_doc, ocr="no")
    assert "corrption" in " ".join(_values(told_not, "paragraph"))


def test_ocr_spelling_never_touches_names_or_russian_letters() -> None:
    text = ENGLISH_OCR.replace("John Baxter", "John Bakster")
    doc = docparse.parse(text, name="en.txt")
    new = _run("ocr-spelling", doc, ocr="yes")
    assert "John Bakster" in _values(new, "name") or "John Bakster" in "\n".join(_values(new))
    ru = docparse.parse(RUSSIAN, name="ru.txt")
    assert _run("ocr-spelling", ru, ocr="yes") is ru


def test_global_ocr_setting_reaches_the_plugins_options() -> None:
    for ocr, value in ((True, "yes"), (False, "no"), (None, "auto")):
        infos = {i.name: i for i in available_plugins(Config(ocr=ocr))}
        assert infos["ocr-spelling"].options["ocr"] == value
        assert infos["spacing"].options["ocr"] == value


# ------------------------------------------------------------- the whole pipeline


def test_default_repairs_are_undone_exactly() -> None:
    for text in (ENGLISH_OCR, ENGLISH_CLEAN, ocr_as_latin(RUSSIAN), RUSSIAN):
        doc = docparse.parse(text, name="x.txt")
        result = run_repairs(doc)
        assert result.failures == ()
        assert skeleton(unrepair(result.doc)) == skeleton(doc)


def _bad(change: Callable[[Document], Document]) -> Any:
    @repair_plugin(name="bad-structure", description="Breaks the tree.")
    def plugin(tree: Document, ctx: RepairContext) -> Document:
        return change(tree)

    return plugin


def _first_letter(tree: Document, **changes: Any) -> Document:
    letter = tree.letters[0]
    return tree.evolve(children=(letter.evolve(**changes), *tree.children[1:]))


def _signed_then_paragraph() -> Document:
    """letter > [signature > signatory > name, paragraph], positions into a real source."""
    from docparse.nodes import Letter, Name, Signatory
    from docparse.source import LineIndex, source_info

    text = "John Smith\nA late word.\n"
    index = LineIndex(text)
    name = Name(value="John Smith", position=index.position(0, 10))
    para = Paragraph(value="A late word.", position=index.position(11, 23))
    letter = Letter(language="en", position=index.position(0, 24), children=(
        Signature(position=name.position, children=(Signatory(position=name.position, children=(name,)),)),
        para,
    ))
    return Document(children=(letter,), source=source_info(text, "built.txt", "utf-8"))


def _paragraph_into_signature(tree: Document) -> Document:
    # the same nodes in the same document order (so text and structure "look" kept),
    # but a paragraph where the schema allows none
    signature, para = tree.letters[0].children
    assert isinstance(signature, Signature)
    return _first_letter(tree, children=(signature.evolve(children=(*signature.children, para)),))


@pytest.mark.parametrize(
    ("change", "message", "schema_refuses"),
    [
        (lambda t: _first_letter(t, language="not a language!"), "is not a BCP-47 code", True),
        (_paragraph_into_signature, "a paragraph cannot be a child of a signature", True),
        # these two pass the JSON Schema but would not survive loads(dumps(tree)) == tree
        (lambda t: _first_letter(t, data={"repairs": []}), "data key 'repairs' is reserved", False),
        (lambda t: _first_letter(t, data={"language": "en"}), "data key 'language' is reserved", False),
    ],
)
@pytest.mark.parametrize("check", ["structure", "full"])
def test_an_invalid_tree_is_caught_by_the_fast_check_too(
    change: Callable[[Document], Document], message: str, schema_refuses: bool, check: str
) -> None:
    """The cheap structural check (built-in plugins) refuses what the JSON Schema
    (third-party plugins, --strict) refuses, and a little more."""
    doc = _signed_then_paragraph()
    new, failure = run_plugin(_bad(change), doc, check=check)
    if check == "full" and not schema_refuses:
        assert failure is None
        return
    assert new is doc and failure is not None and failure.kind == "invalid", failure
    assert "not valid docparse/1" in failure.reason
    if check == "structure":
        assert message in failure.reason, failure.reason


def test_builtins_get_the_fast_check_and_others_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    from docparse import pipeline

    calls: list[str] = []
    monkeypatch.setattr(pipeline, "_schema_problem", lambda tree: calls.append("schema"))
    doc = docparse.parse(ENGLISH_OCR, name="en.txt")
    run_repairs(doc)
    assert calls == []  # only built-ins ran
    run_repairs(doc, Config(strict=True))
    assert calls  # strict: every changed tree is checked against the schema


# ----------------------------------------------------------------------- the seed


@pytest.mark.skipif(not SEED_PATH.is_file(), reason=f"the seed document is absent ({SEED_PATH})")
def test_seed_acceptance() -> None:
    """The issue's acceptance on the founding document, with the default repairs."""
    doc = docparse.parse_file(SEED_PATH)
    result = run_repairs(doc)
    assert result.failures == ()
    en, ru = result.doc.letters[:2]
    # the Russian letter reads as Russian, with its parts found
    ru_text = "\n".join(_values(ru)).lower()
    for phrase in ("уважаемый господин лукашенко!", "искренне", "3-я страница", "21 июля 2004 г."):
        assert phrase in ru_text, phrase
    assert ru.language == "ru"
    assert [v.lower() for v in _values(ru, "salutation")] == ["уважаемый господин лукашенко!"]
    assert [v.lower() for v in _values(ru, "closing")] == ["искренне"]
    headers = [n for n in ru.walk() if n.type == "page_header"]
    assert len(headers) == 2 and all(getattr(h, "page", None) for h in headers)
    assert "3-я страница" in headers[0].value  # type: ignore[attr-defined]
    # both letters dated 2004-07-21, the Russian one from its running headers
    assert [n.iso for n in en.walk() if n.type == "date"] == ["2004-07-21"]  # type: ignore[attr-defined]
    assert ru.data["dates"]["iso"] == "2004-07-21" and ru.data["dates"]["from"] == "page_header"
    # the English OCR errors are fixed (not 'Raning': as near 'ranging' as 'ranking')
    en_words = words("\n".join(_values(en)))
    for bad, good in [("wodd", "world"), ("corrption", "corruption"), ("tortre", "torture"),
                      ("belars", "belarus"), ("anual", "annual")]:
        assert bad not in en_words and good in en_words, bad
    # and no correct English word is changed: every word-changing repair fixes a non-word
    from docparse.wordscore import is_word

    for node in en.walk():
        for r in node.repairs:
            for w in words(r.before):
                if r.plugin == "ocr-spelling":
                    assert not is_word(w), (r.before, r.after)
    assert skeleton(unrepair(result.doc)) == skeleton(doc)


def test_letters_without_a_letter_node_are_not_a_problem() -> None:
    doc = Document()
    result = run_repairs(doc)
    assert result.failures == () and result.doc.children == ()
