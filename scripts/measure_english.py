"""Measure the English OCR repairs (spacing, dehyphenation, spelling) on the corpus.

Runs ``spacing_edits``, ``dehyphenate_edits`` and ``spelling_edits`` paragraph by
paragraph (a paragraph = a block between blank lines, its lines joined with single
spaces) over

* the English letters of ``../shared/corpus/ocr`` (scored against each gold's
  ``clean_text`` with :mod:`docparse.wordscore`): word accuracy before/after, relative
  WER reduction, new errors per 2,000 words, with every case;
* the clean English letters of ``../shared/corpus/letters``: every repair that changes a
  word is a false correction (per 2,000 words, with every case);
* the English part of the seed (its first 115 lines): every change made.

Usage: ``python scripts/measure_english.py [--shared PATH] [--quiet]``.
Targets: reduction >= 0.5 and <= 1 new error per 2,000 words on ocr/; <= 1 word-changing
repair per 2,000 words on letters/.  Prints figures; asserts nothing; times the run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from docparse.edits import Edit, apply_edits
from docparse.spacing import dehyphenate_edits, spacing_edits
from docparse.spelling import ocr_evidence, spelling_edits
from docparse.wordscore import Scores, score, words

_SEED_ENGLISH_LINES = 115


def blocks(text: str) -> list[str]:
    """Split at blank lines; join each block's lines (stripped) with single spaces."""
    out: list[str] = []
    cur: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        if line.strip():
            cur.append(line.strip())
        elif cur:
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out


def repair_block(block: str, vocabulary: Counter[str], ocr: bool) -> tuple[str, list[tuple[str, Edit]]]:
    """Run the three repairs in order on one value; return the result and (value, edit) pairs."""
    steps: Sequence[Callable[[str], list[Edit]]] = (
        lambda s: spacing_edits(s, ocr=ocr),
        dehyphenate_edits,
        lambda s: spelling_edits(s, vocabulary=vocabulary, ocr=ocr),
    )
    applied: list[tuple[str, Edit]] = []
    for step in steps:
        edits = step(block)
        applied.extend((block, e) for e in edits)
        block = apply_edits(block, edits)
    return block, applied


def repair_letter(text: str) -> tuple[list[str], list[str], list[tuple[str, Edit]], bool]:
    """Repair a whole letter: the OCR verdict and vocabulary come from the whole text."""
    evidence = ocr_evidence(text)
    vocabulary = Counter(words(text))
    before = blocks(text)
    after: list[str] = []
    applied: list[tuple[str, Edit]] = []
    for b in before:
        r, a = repair_block(b, vocabulary, evidence.likely_ocr)
        after.append(r)
        applied.extend(a)
    return before, after, applied, evidence.likely_ocr


def changes_words(value: str, edit: Edit) -> bool:
    """True when applying ``edit`` alone to ``value`` changes its words."""
    return words(apply_edits(value, [edit])) != words(value)


def show(value: str, edit: Edit, width: int = 30) -> str:
    left = value[max(0, edit.start - width) : edit.start]
    right = value[edit.end : edit.end + width]
    return f"{edit.reason:<45} ...{left}[{edit.before}->{edit.after}]{right}..."


def measure_ocr(corpus: Path, quiet: bool) -> None:
    total = Scores()
    n_letters = flagged = 0
    for gold_path in sorted(corpus.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        if gold.get("language") != "en":
            continue
        text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text("utf-8")
        before, after, _applied, ocr = repair_letter(text)
        n_letters += 1
        flagged += ocr
        total += score("\n".join(before), "\n".join(after), gold["clean_text"])
    print(f"== ocr/: {n_letters} English letters, {total.clean_words} clean words, {flagged} judged OCR'd")
    print(f"word accuracy   {total.accuracy_before:.4f} -> {total.accuracy_after:.4f}")
    print(f"WER             {total.wer_before:.4f} -> {total.wer_after:.4f}  "
          f"(errors {total.errors_before} -> {total.errors_after})")
    print(f"reduction       {total.reduction:.3f}   (target >= 0.5)")
    print(f"new errors      {len(total.new_errors)} = {total.new_errors_per(2000):.2f} per 2,000 words "
          f"(target <= 1)")
    if not quiet:
        for e in total.new_errors:
            print(f"   {e.before!r} -> {e.after!r}   ({e.context})")


def measure_clean(corpus: Path, quiet: bool) -> None:
    n_words = n_letters = flagged = 0
    false: list[str] = []
    other = 0
    for txt in sorted(corpus.glob("*.txt")):
        gold = json.loads(txt.with_name(txt.name.replace(".txt", ".gold.json")).read_text("utf-8"))
        if gold.get("language") != "en":
            continue
        text = txt.read_text("utf-8")
        _before, _after, applied, ocr = repair_letter(text)
        n_letters += 1
        flagged += ocr
        n_words += len(words(text))
        for value, edit in applied:
            if changes_words(value, edit):
                false.append(f"{txt.stem}: {show(value, edit)}")
            else:
                other += 1
    rate = len(false) * 2000 / n_words if n_words else 0.0
    print(f"== letters/: {n_letters} clean English letters, {n_words} words, {flagged} judged OCR'd")
    print(f"false corrections (word-changing) {len(false)} = {rate:.2f} per 2,000 words (target <= 1); "
          f"punctuation-only changes {other}")
    if not quiet:
        for line in false:
            print("   " + line)


def measure_seed(seed: Path) -> None:
    lines = seed.read_text("utf-8").split("\n")[:_SEED_ENGLISH_LINES]
    text = "\n".join(lines)
    before, after, applied, ocr = repair_letter(text)
    print(f"== seed (first {_SEED_ENGLISH_LINES} lines): judged OCR'd: {ocr}; {ocr_evidence(text).to_dict()}")
    for value, edit in applied:
        print("   " + show(value, edit))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--shared", type=Path, default=root.parent / "shared",
                        help="the shared folder holding corpus/ and seed/ (default: ../shared)")
    parser.add_argument("--quiet", action="store_true", help="print figures only, not the cases")
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    if not corpus.is_dir():
        print(f"error: no corpus at {corpus} (pass --shared)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    measure_ocr(corpus / "ocr", args.quiet)
    measure_clean(corpus / "letters", args.quiet)
    seed = args.shared / "seed" / "000_6d7bea923b489c0f.txt"
    if seed.is_file():
        measure_seed(seed)
    print(f"(ran in {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
