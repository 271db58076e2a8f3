"""A bounded slice of the fuzzing harness (``scripts/fuzz.py``), on every run.

The slice mutates the repository's own letters only (the seed, ``tests/data``,
``tests/fixtures``, ``examples`` and the letters the harness writes itself; CI has no
corpus): a fixed-seed slice, the same inputs every run, and a slice of fresh inputs
drawn from a new seed each run (printed on failure, so that the failing input can be
made again: ``python scripts/fuzz.py --seed SEED --start I --inputs 1``). Every
invariant of the harness is checked on each input; any violation fails the test with
the input's number and the invariant. Random texts and letters from
``tests/strategies.py`` go through the same checks.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from strategies import texts

_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"


def _harness() -> ModuleType:
    module = sys.modules.get("docparse_fuzz")
    if module is None:
        spec = importlib.util.spec_from_file_location("docparse_fuzz", _SCRIPT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["docparse_fuzz"] = module
        spec.loader.exec_module(module)
    return module


fuzz = _harness()

#: inputs per slice (the whole file takes about a minute on one core)
FIXED = 1500
FRESH = 500
CLI = 150


@pytest.fixture(scope="module")
def seeds() -> object:
    return fuzz.Seeds(None)  # the repository's own texts, as CI has them


def _run(seeds: object, seed: str, count: int, start: int = 0) -> Counter[str]:
    counts: Counter[str] = Counter()
    failures = []
    for i in range(start, start + count):
        text = fuzz.make_input(seed, i, seeds)
        try:
            fuzz.check_text(text, counts, schema=i % 5 == 0)
        except fuzz.Violation as v:
            failures.append(f"input {i} of seed {seed!r}: {v}")
    assert not failures, "\n".join(failures[:10])
    return counts


def test_the_mutations_make_inputs_of_every_kind(seeds: object) -> None:
    """The fuzzer's inputs are the same for the same seed and number, and among the
    fixed slice are form feeds, lone surrogates, control characters, Cyrillic, carriage
    returns and huge lines: the slice exercises what it says."""
    inputs = [fuzz.make_input("ci", i, seeds) for i in range(FIXED)]
    assert inputs[:20] == [fuzz.make_input("ci", i, seeds) for i in range(20)]
    joined = "".join(inputs)
    for mark in ("\f", "\r", "\x00", "\x1b", "Я", "\u2028"):
        assert mark in joined, repr(mark)
    assert any(0xD800 <= ord(c) <= 0xDFFF for c in joined)
    assert max(len(t) for t in inputs) >= 10_000
    assert len(set(inputs)) > 0.9 * len(inputs)


def test_a_fixed_slice_keeps_every_invariant(seeds: object) -> None:
    """Every invariant of scripts/fuzz.py holds on a fixed slice of mutated letters,
    raw and with the default repairs."""
    counts = _run(seeds, "ci", FIXED)
    assert counts["no-exception"] == 2 * FIXED
    assert counts["unrepair"] == FIXED and counts["source-slices"] == FIXED
    assert counts["schema"] == 2 * len(range(0, FIXED, 5))


def test_fresh_inputs_keep_every_invariant(seeds: object) -> None:
    """The same, on inputs of a seed drawn for this run (printed when one fails)."""
    seed = os.environ.get("DOCPARSE_FUZZ_SEED") or f"fresh-{random.randrange(10**9)}"
    counts = _run(seeds, seed, FRESH)
    assert counts["tei"] == 2 * FRESH


def test_the_cli_keeps_its_contract_on_mutated_files(seeds: object, tmp_path: Path) -> None:
    """``docparse parse``, ``validate``, ``render --format tei`` and ``repairs`` on mutated
    files (some re-encoded, some damaged bytes): documented exit codes, one-line errors,
    valid JSON and well-formed TEI."""
    counts: Counter[str] = Counter()
    failures = []
    for i in range(CLI):
        data = fuzz.make_cli_input("ci", i, seeds)
        try:
            fuzz.check_cli(data, tmp_path, counts)
        except fuzz.Violation as v:
            failures.append(f"cli input {i}: {v}")
    assert not failures, "\n".join(failures[:10])
    assert counts["cli"] == CLI


@settings(max_examples=60)
@given(texts())
def test_generated_texts_keep_every_invariant(text: str) -> None:
    """The harness's invariants hold on random letters and texts of tests/strategies.py."""
    fuzz.check_text(text)


def test_a_violation_is_caught_and_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness is not blind: a parse whose values no longer match their source is a
    ``source-slices`` violation, saved with a reproducer that ``--replay`` runs again."""
    import docparse
    from docparse.nodes import Leaf

    real = docparse.parse

    def broken(text: str, *args, **kw):  # type: ignore[no-untyped-def]
        doc = real(text, *args, **kw)
        return _Upper().transform(doc)

    class _Upper(docparse.Transformer):
        def generic_leave(self, original, updated):  # type: ignore[no-untyped-def]
            return updated.evolve(value=updated.value.upper()) if isinstance(updated, Leaf) else updated

    monkeypatch.setattr(docparse, "parse", broken)
    with pytest.raises(fuzz.Violation) as caught:
        fuzz.check_text("Dear Sir,\n\nall is well.\n")
    assert caught.value.invariant == "source-slices"
    stem = fuzz.save_failure(tmp_path, "parse", "t", 7, "Dear Sir,\n\nall is well.\n", caught.value)
    assert stem.with_suffix(".txt").is_file() and "source-slices" in stem.with_suffix(".json").read_text()
    assert fuzz.replay(stem.with_suffix(".txt")) == 1
    monkeypatch.setattr(docparse, "parse", real)
    assert fuzz.replay(stem.with_suffix(".txt")) == 0
