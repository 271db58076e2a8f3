"""The shortcuts that make the default repairs cheap on clean letters give the answers
of the full computations they skip (issue 5: same outputs, less work)."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import Any

import regex
from docparse.plugins import spacing as spacing_plugin
from hypothesis import example, given
from hypothesis import strategies as st

import docparse
from docparse import spacing
from docparse.config import Config
from docparse.nodes import Document, Leaf, Letter, Name, Paragraph
from docparse.plugin import RepairContext, RepairPlugin, repair_plugin
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


# ----------------------------------------------------- whole-letter evidence, timer

#: letter-like texts: lines of the pieces above, blank lines between blocks, odd spacing
_TEXTS = st.lists(
    st.tuples(_VALUES, st.sampled_from(["\n", "\n\n", "\n \n", "\r\n", "\n\t\n", " \n"])),
    max_size=8,
).map(lambda parts: "".join(value + sep for value, sep in parts))


@given(_TEXTS)
@example("Dear Ann,\n\nWe met on July 21\n, 2004 in the far-\nreaching hall.\n")
@example("Mr Pryce\n\nthe etc.,\nand - the . Helsinki\n\n, K. Marksa\n")
def test_the_whole_text_finds_the_blocks_spacing_edits_reads(text: str) -> None:
    from docparse import spelling

    blocks = spelling._blocks(text)
    looks = [*spacing._odd_by_token(text), *spacing._punctuation_tokens(text)]
    held = spelling._blocks_holding(blocks, looks)
    assert held == [b for b in blocks if any(tok in b for tok in looks)]
    # every block that the rules read holds one of the tokens found in the whole text
    for block in blocks:
        if spacing._odd_tokens(block) or spacing._punctuation_rule_may_apply(block):
            assert block in held
    every = [e for b in blocks for e in spacing_edits(b, ocr=False)]
    assert [e for b in held for e in spacing_edits(b, ocr=False)] == every
    runs: set[str] = set()
    for block in blocks:
        runs |= spacing._odd_tokens(block)
    assert spacing._odd_tokens(text) == runs


@given(st.text(max_size=80))
@example("Hello, Wodd! 2004 Ёлка")
@example("")
@example("Ça va? naïve café")
def test_count_words_is_the_number_of_words(text: str) -> None:
    from docparse.wordscore import count_words

    assert count_words(text) == len(words(text))


@given(_TEXTS)
def test_the_evidence_counts_every_word(text: str) -> None:
    from docparse.spelling import ocr_evidence, word_counts

    assert ocr_evidence(text).words == sum(word_counts(text).values())


def test_ocr_spelling_looks_at_the_values_it_would_correct() -> None:
    from collections import Counter

    from docparse.plugins import ocr_spelling

    from docparse.spelling import spelling_edits

    texts = [
        *_LETTERS,
        "Dear Ann,\n\nThe counsel said the counsil and the counsel met, the counsel agreed.\n\nYours,\nBen\n",
    ]
    asked: list[str] = []

    def asking(text: str, vocabulary: Counter[str]) -> Callable[[], Counter[str]]:
        def counts() -> Counter[str]:
            asked.append(text)
            return vocabulary

        return counts

    for text in texts:
        doc = docparse.parse(text)
        vocabulary = ocr_spelling._vocabulary(doc)
        for letter in (c for c in doc.children if isinstance(c, Letter)):
            full = any(
                spelling_edits(n.value, vocabulary=vocabulary, ocr=False)
                for n in leaves(letter)
                if n.value and not isinstance(n, Name)
            )
            assert ocr_spelling._needs_work(letter, asking(text, vocabulary)) == full
    assert _LETTERS[0] not in asked  # no candidate token: the vocabulary is not built


def _sleeps(name: str, seconds: float) -> RepairPlugin:
    def run(tree: Document, ctx: RepairContext) -> Document:
        time.sleep(seconds)  # (resumed after a signal handler that does not raise)
        return tree

    return repair_plugin(name=name, description="Sleeps.", default=True)(run)


def _spins(tree: Document, ctx: RepairContext) -> Document:
    while True:
        pass


def test_one_timer_per_run_gives_each_plugin_its_own_budget(monkeypatch: Any) -> None:
    """Two plugins that each use most of the budget both finish (the run's timer goes
    off during the second and waits for what it has left); a plugin that never ends
    after them is stopped; the plugins after it still run."""
    from docparse import pipeline

    plugins = [
        (_sleeps("a-slow", 0.3), "test"),
        (_sleeps("b-slow", 0.3), "test"),
        (repair_plugin(name="c-spins", description="Spins.")(_spins), "test"),
        (_sleeps("d-quick", 0.0), "test"),
    ]
    monkeypatch.setattr(pipeline, "_load_entry_points", lambda: list(plugins))
    doc = docparse.parse("Dear Ann,\n\nAll is well.\n\nYours,\nBen\n")
    result = pipeline.run_repairs(doc, Config(time_budget=0.5))
    assert result.ran == ("a-slow", "b-slow", "d-quick")
    assert [(f.plugin, f.kind) for f in result.failures] == [("c-spins", "timeout")]
    assert signal.getsignal(signal.SIGALRM) is not pipeline._raise_timeout  # handler restored
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nothing left armed


def test_an_outer_timer_is_given_back_after_a_run(monkeypatch: Any) -> None:
    from docparse import pipeline

    monkeypatch.setattr(pipeline, "_load_entry_points", lambda: [(_sleeps("a-quick", 0.0), "test")])
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        pipeline.run_repairs(docparse.parse("Dear Ann,\n\nAll is well.\n"), Config(time_budget=5.0))
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0.0 < left <= 30.0  # the outer timer runs on
        assert signal.getsignal(signal.SIGALRM) is not pipeline._raise_timeout
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired
