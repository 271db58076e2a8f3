"""Parse accuracy from Tesseract's plain text against its ALTO and hOCR of the same pages.

    python scripts/measure_readers.py OUT [--json]

OUT is what ``scripts/ocr_pages.py`` wrote: ``OUT/<layout>/<letter>/`` with ``ocr.txt``,
``ocr.xml`` (ALTO), ``ocr.hocr`` and ``letter.gold.json``. The three files come from one
Tesseract run, so they hold the same words: what differs is only the page geometry the
readers keep (the plain text has every line at the margin and a blank line between
Tesseract's blocks). Each is parsed raw (no repairs) and scored against the gold with
``docparse.evaluate`` (single fields: exact match after normalisation; list fields: F1 of
normalised items). The OCR'd words differ from the gold's here and there, which costs
every input the same; a lenient score (``~``: difflib similarity of the normalised texts
of at least 0.8) shows the layout decisions with the OCR errors forgiven.

Prints one table per layout and one for all, per field, and the fields where the
geometry helped (ALTO or hOCR better than the plain text by the lenient score).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

import docparse
from docparse.evaluate import (
    SINGLE_FIELDS,
    Report,
    _letters,
    evaluate_document,
    letter_fields,
    load_gold,
    normalize,
)

INPUTS = (("text", "ocr.txt"), ("alto", "ocr.xml"), ("hocr", "ocr.hocr"))
LIST_FIELDS = ("address", "closer_address", "paragraphs")
SINGLES = tuple(f for f in SINGLE_FIELDS if f not in ("language",))


def _similar(a: str | None, b: str | None) -> bool:
    na, nb = normalize(a) or "", normalize(b) or ""
    if not na or not nb:
        return na == nb
    return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio() >= 0.8


def _lenient(gold: dict, got: dict | None, counts: dict) -> None:
    for field in SINGLES:
        if field not in gold or (field == "date_iso" and gold[field] is None):
            continue
        g = gold[field]
        v = got.get(field) if got else None
        if isinstance(g, list):
            g = " ".join(g)
        if isinstance(v, list):
            v = " ".join(v)
        n, k = counts.setdefault(field, [0, 0])
        counts[field] = [n + 1, k + (_similar(g, v) if field != "date_iso" else g == v)]
    for field in LIST_FIELDS:
        if field not in gold:
            continue
        items = list(gold[field])
        found = list(got.get(field) or []) if got else []
        matched = 0
        left = list(found)
        for item in items:
            hit = next((x for x in left if _similar(item, x)), None)
            if hit is not None:
                left.remove(hit)
                matched += 1
        c = counts.setdefault(field, [0, 0, 0])
        counts[field] = [c[0] + len(items), c[1] + len(found), c[2] + matched]


def _f1(gold: int, got: int, matched: int) -> float:
    p = matched / got if got else 1.0
    r = matched / gold if gold else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def measure(dirs: list[Path]) -> dict:
    out: dict = {}
    for kind, name in INPUTS:
        report = Report()
        counts: dict = {}
        errors = 0
        for d in dirs:
            gold = load_gold(d / "letter.txt", d / "letter.gold.json")
            try:
                doc = docparse.parse_file(d / name, format=kind)
            except docparse.DocparseError:
                doc = None
                errors += 1
            evaluate_document(doc, gold, report, label=str(d))
            letters = _letters(doc) if doc is not None else []
            got = letter_fields(letters[0]) if len(letters) >= 1 else None
            _lenient(dict(gold.letters[0]), got, counts)
        row: dict = {"errors": errors, "letters": len(dirs)}
        for field in SINGLES:
            s = report.total_single(field)
            if s.n:
                row[field] = s.normalized / s.n
                n, k = counts[field]
                row["~" + field] = k / n
        for field in LIST_FIELDS:
            s = report.total_list(field)
            if s.gold or s.got:
                row[field] = s.prf(s.normalized)[2]
                row["~" + field] = _f1(*counts[field])
                if not s.gold:  # (nothing to find: the false items found, as the README's table)
                    row[field + "#false"] = s.got
        out[kind] = row
    return out


def _table(title: str, result: dict) -> str:
    fields = [f for f in (*SINGLES, *LIST_FIELDS) if f in result["text"]]
    lines = [f"### {title} ({result['text']['letters']} letters)", "",
             "| input | " + " | ".join(fields) + " |", "|---|" + "---:|" * len(fields)]
    for kind, _ in INPUTS:
        row = result[kind]
        cells = [f"({row[f + '#false']} false)" if f + "#false" in row
                 else f"{row[f]:.3f} (~{row['~' + f]:.3f})" for f in fields]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    fields = [f for f in fields if f + "#false" not in result["text"]]
    helped = [f for f in fields if max(result["alto"]["~" + f], result["hocr"]["~" + f]) > result["text"]["~" + f] + 1e-9]
    worse = [f for f in fields if min(result["alto"]["~" + f], result["hocr"]["~" + f]) < result["text"]["~" + f] - 1e-9]
    lines += ["", f"geometry helped (lenient score): {', '.join(helped) or 'none'}; worse than plain "
              f"text: {', '.join(worse) or 'none'}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    root = Path(args.out)
    layouts = sorted(p.name for p in root.iterdir() if p.is_dir())
    results = {}
    every = []
    for layout in layouts:
        dirs = sorted(d for d in (root / layout).iterdir()
                      if (d / "ocr.xml").exists() and (d / "letter.gold.json").exists())
        every += dirs
        results[layout] = measure(dirs)
    results["all"] = measure(every)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("Single fields: exact match after normalisation; list fields: F1. In brackets (~): "
          "the lenient score (similarity >= 0.8).\n")
    for name, result in results.items():
        print(_table(name, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
