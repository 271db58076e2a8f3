"""Measure the OCR detector: how many clean letters it judges OCR'd (false positives) and
how many OCR'd letters it judges clean (misses).

Each file is parsed (no repairs) and each letter judged as the repairs judge it: an English
letter by :func:`docparse.plugins.ocr_spelling.letter_evidence` (``likely_ocr``), any letter
by the look-alike test of ``cyrillic-lookalikes`` (Russian read as Latin look-alikes is OCR
output by definition).

Usage: ``python scripts/measure_ocr_detector.py [--shared PATH] [--show N]``. Material:
``corpus/letters`` and ``corpus/wide/letters`` (clean), ``corpus/ocr`` and
``corpus/wide/ocr`` (OCR'd). Goals (issue 13): >= 99.5% of clean letters judged clean,
>= 99% of OCR'd letters judged OCR. For the OCR'd sets it also prints the share judged
OCR among the letters the damage model damaged, and among those whose damage a reader can
see (``VISIBLE``). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from docparse.plugins.cyrillic import letter_is_lookalike

import docparse
from docparse.nodes import Letter
from docparse.ocr import letter_evidence

ROOT = Path(__file__).resolve().parents[1]


#: kinds of modelled damage (the gold's ``ocr.counts``) that a reader can see in the text;
#: the others (dropped letters or words, a lost ending or punctuation) writers make too
VISIBLE = frozenset({"space_before_punct", "split_word", "merged_words", "stray_punct",
                     "stray_leading_dot", "confused_letters"})


def _damage(txt: Path, i: int) -> dict[str, int]:
    """The gold's damage counts of the ``i``-th letter of ``txt`` (empty without a gold)."""
    gold_path = txt.with_name(txt.name[:-4] + ".gold.json")
    if not gold_path.is_file():
        return {}
    gold = json.loads(gold_path.read_text("utf-8"))
    letters = gold.get("letters", [gold])
    g = letters[i] if i < len(letters) else {}
    counts = (g.get("ocr") or {}).get("counts") or {}
    return {k: int(v) for k, v in counts.items() if k != "words" and v}


def judge(folder: Path) -> tuple[int, list[tuple[str, dict[str, object]]], list[tuple[str, dict[str, object]]]]:
    """(letters, those judged OCR, those judged clean) of the files in ``folder``; each
    record holds the evidence and, under ``damage``, the gold's damage counts."""
    n = 0
    ocr: list[tuple[str, dict[str, object]]] = []
    clean: list[tuple[str, dict[str, object]]] = []
    for txt in sorted(folder.glob("*.txt")):
        doc = docparse.parse_file(txt)
        for i, letter in enumerate(c for c in doc.children if isinstance(c, Letter)):
            n += 1
            name = f"{txt.name}#{i}"
            if letter_is_lookalike(letter, 0.5):
                ocr.append((name, {"lookalike": True, "damage": _damage(txt, i)}))
                continue
            ev = letter_evidence(letter)
            record: dict[str, object] = {k: v for k, v in ev.to_dict().items() if v}
            record["damage"] = _damage(txt, i)
            (ocr if ev.likely_ocr else clean).append((name, record))
    return n, ocr, clean


def _recall(ocr: list[tuple[str, dict[str, object]]], clean: list[tuple[str, dict[str, object]]]) -> str:
    """The share judged OCR among the damaged letters and among those with visible damage."""
    def damage(r: dict[str, object]) -> dict[str, int]:
        d = r.get("damage")
        return d if isinstance(d, dict) else {}

    damaged = [(r, True) for _, r in ocr if damage(r)] + [(r, False) for _, r in clean if damage(r)]
    visible = [(r, ok) for r, ok in damaged if VISIBLE & set(damage(r))]
    undamaged = len(ocr) + len(clean) - len(damaged)
    return (f"      {undamaged} letters hold no damage; {len(damaged)} damaged: "
            f"{sum(ok for _, ok in damaged) / max(1, len(damaged)):.2%} judged OCR; {len(visible)} "
            f"with damage a reader can see ({', '.join(sorted(VISIBLE))}): "
            f"{sum(ok for _, ok in visible) / max(1, len(visible)):.2%} judged OCR")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--show", type=int, default=20, help="list at most N wrong verdicts per set")
    parser.add_argument("--only", choices=["letters", "wide/letters", "ocr", "wide/ocr"], action="append")
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    t0 = time.perf_counter()
    for sub, is_ocr in (("letters", False), ("wide/letters", False), ("ocr", True), ("wide/ocr", True)):
        if args.only and sub not in args.only:
            continue
        folder = corpus / sub
        if not folder.is_dir():
            print(f"{sub}: skipped (no {folder})")
            continue
        n, ocr, clean = judge(folder)
        right, wrong = (ocr, clean) if is_ocr else (clean, ocr)
        what = "judged OCR" if is_ocr else "judged clean"
        print(f"{sub}: {n} letters, {len(right)} {what} ({len(right) / max(1, n):.2%}); "
              f"{len(wrong)} wrong")
        if is_ocr:
            print(_recall(ocr, clean))
        for name, record in wrong[: args.show]:
            print(f"    {name}: {record}")
    print(f"(ran in {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
