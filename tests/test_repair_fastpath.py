"""The shortcuts that make the default repairs cheap on clean letters give the answers
of the full computations they skip (issue 5: same outputs, less work)."""

from __future__ import annotations

import regex
from docparse.plugins import spacing as spacing_plugin
from hypothesis import example, given
from hypothesis import strategies as st

import docparse
from docparse.nodes import Leaf, Letter, Paragraph
from docparse.repair import leaves
from docparse.spacing import _spacing_edits, spacing_edits
from docparse.wordscore import words

# words, fragments, names, initials and the punctuation the spacing rules read
_PIECES = st.sampled_from(
    ["the", "letter", "all", "ow", "fromyou", "Mr", "Dr.", "MANP", "ADs", "Edinburgh", "OSCE",
     "compre-", "hensive", "far-", "reaching", "etc.,", "institutions.,", "P", "A", ",", ".",
     ";", ":", "!", "?", "-", "- ", " ", "  ", "\t", "'s", "2004", "www.x.org", "Ifeel"]
)
_VALUES = st.lists(_PIECES, max_size=12).map(lambda parts: " ".join(parts) if len(parts) % 2 else "".join(parts))


@given(_VALUES)
@example("the far- reaching plan")  # each punctuation rule's first look, with no odd word
@example("on July 21 , 2004")
@example("who signed the . Helsinki Accords")
@example(", and then the town")
@example("the institutions., and the town")
@example("the institutions.; and the town")
@example("all ow the fromyou")
def test_spacing_edits_shortcut_gives_the_full_pass_edits(text: str) -> None:
    for ocr in (None, True, False):
        assert spacing_edits(text, ocr=ocr) == _spacing_edits(text, ocr=ocr)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_words_are_the_runs_of_letters(text: str) -> None:
    assert words(text) == regex.findall(r"\p{L}[\p{L}\p{M}]*", text.lower())


def test_leaves_are_the_leaves_of_walk_and_follow_a_new_tree() -> None:
    doc = docparse.parse("Dear Ann,\n\nAll is well here.\n\nYours truly,\nBen\n")
    assert list(leaves(doc)) == [n for n in doc.walk() if isinstance(n, Leaf)]
    assert leaves(doc) is leaves(doc)  # remembered for the same (frozen) node
    letter = next(c for c in doc.children if isinstance(c, Letter))
    changed = letter.evolve(children=(*letter.children, Paragraph(value="P.S. More soon.")))
    assert [n.value for n in leaves(changed)][-1] == "P.S. More soon."
    assert len(leaves(changed)) == len(leaves(letter)) + 1


_LETTERS = [
    "Dear Ann,\n\nAll is well here and we hope to see you soon.\n\nYours truly,\nBen\n",
    "Dear Ann,\n\nWe met on July 21 , 2004 in the town hall.\n\nYours truly,\nBen\n",
    "Dear Ann,\n\nThe council will all ow the plan, as Mr Pryce said.\n\nYours truly,\nBen\n",
    "Dear Ann,\n\nThe compre- hensive plan is far- reaching.\n\nYours truly,\nBen\n",
]


def test_spacing_skips_only_letters_whose_values_need_nothing() -> None:
    for text in _LETTERS:
        doc = docparse.parse(text)
        for letter in (c for c in doc.children if isinstance(c, Letter)):
            if spacing_plugin._clean_by_evidence(letter):
                assert not spacing_plugin._needs_work(letter, False, True)
    clean = next(c for c in docparse.parse(_LETTERS[0]).children if isinstance(c, Letter))
    assert spacing_plugin._clean_by_evidence(clean)
    damaged = next(c for c in docparse.parse(_LETTERS[1]).children if isinstance(c, Letter))
    assert not spacing_plugin._clean_by_evidence(damaged)


def test_spacing_reads_values_the_evidence_did_not_see_as_they_stand() -> None:
    letter = next(c for c in docparse.parse(_LETTERS[0]).children if isinstance(c, Letter))
    for odd in (" padded value", "two\nlines", "carriage\rreturn"):
        bent = letter.evolve(children=(*letter.children, Paragraph(value=odd)))
        assert not spacing_plugin._clean_by_evidence(bent)
