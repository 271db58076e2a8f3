"""Learn how an OCR engine reads Cyrillic letters as Latin ones, from the dev half of the
real-OCR set, and write the table the look-alike decoder reads.

    python scripts/realocr.py -o /tmp/realocr           # once
    python scripts/learn_lookalikes.py [--set /tmp/realocr] [--write]

Each ``ru-as-eng`` page of the ``dev`` split (never ``test``) is paired with what was typed:
lines, then words, are paired where their counts agree, and each word pair is aligned
letter by letter (a Cyrillic letter read as zero, one or two Latin glyphs; a stray glyph
costs extra) by dynamic programming, starting from the readings the decoder already
knows (:data:`docparse.cyrillic._READINGS`) and re-aligning once with what was counted.
A reading seen at least ``--min`` times and for at least 4% of its Cyrillic letter's
occurrences is kept, with a cost of ``-ln(share)`` scaled as the decoder's costs
(0 = the usual reading, 2 = rare, the lexicon must confirm it).

Prints the table; ``--write`` writes it to ``docparse/_learned_readings.py`` (data, not
code: the decoder adds the readings it does not already have).
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docparse" / "_learned_readings.py"
_CYR = re.compile(r"[а-яё]")


def _align(clean: str, ocr: str, known: dict[tuple[str, str], float]) -> list[tuple[str, str]] | None:
    """(Latin unit, Cyrillic letter) pairs of the cheapest alignment of one word."""
    n, m = len(clean), len(ocr)
    inf = float("inf")
    dp = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = dp[i][j]
            if here == inf:
                continue
            if j < m and here + 2.5 < dp[i][j + 1]:  # a stray glyph
                dp[i][j + 1], back[i][j + 1] = here + 2.5, (i, j, "")
            if i == n:
                continue
            c = clean[i]
            for k in (0, 1, 2):
                if j + k > m:
                    break
                unit = ocr[j:j + k]
                cost = known.get((unit, c), {0: 2.5, 1: 1.0, 2: 1.8}[k])
                if here + cost < dp[i + 1][j + k]:
                    dp[i + 1][j + k], back[i + 1][j + k] = here + cost, (i, j, unit)
    if dp[n][m] > 1.2 * n + 2:
        return None  # not the same word
    out: list[tuple[str, str]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        prev = back[i][j]
        assert prev is not None
        pi, pj, unit = prev
        if pi < i:
            out.append((unit, clean[pi]))
        i, j = pi, pj
    return out[::-1]


def _pairs(set_dir: Path) -> list[tuple[str, str]]:
    """(typed Cyrillic word, OCR word) of the dev pages, where lines and words pair up."""
    items = json.loads((set_dir / "index.json").read_text("utf-8"))
    out: list[tuple[str, str]] = []
    for it in items:
        if it["kind"] != "ru-as-eng" or it["split"] != "dev":
            continue
        ocr = (set_dir / it["kind"] / f"{it['name']}.txt").read_text("utf-8")
        clean = (set_dir / it["kind"] / f"{it['name']}.clean.txt").read_text("utf-8")
        a = [x.split() for x in clean.splitlines() if x.strip()]
        b = [x.split() for x in ocr.replace("\f", "").splitlines() if x.strip()]
        if len(a) != len(b):
            continue
        for la, lb in zip(a, b):
            if len(la) != len(lb):
                continue
            for wa, wb in zip(la, lb):
                wa = wa.lower().strip(".,;:!?()«»\"'—-")
                wb = wb.strip(".;:!?()\"'—-")
                if wa and wb and _CYR.search(wa) and wa.isalpha():
                    out.append((wa.replace("ё", "е"), wb))
    return out


def learn(set_dir: Path, minimum: int) -> list[tuple[str, str, float, int]]:
    from docparse.cyrillic import _READINGS

    known = {(r[0], r[1]): float(r[2]) for r in _READINGS}
    pairs = _pairs(set_dir)
    counts: Counter[tuple[str, str]] = Counter()
    for _round in range(2):
        counts = Counter()
        for wa, wb in pairs:
            al = _align(wa, wb, known)
            if al is not None:
                counts.update(al)
        per_letter: Counter[str] = Counter()
        for (_unit, c), k in counts.items():
            per_letter[c] += k
        known = dict(known)
        for (unit, c), k in counts.items():
            if k >= minimum:
                known[(unit, c)] = min(known.get((unit, c), 9.0), 0.3 * -math.log(k / per_letter[c]))
    per_letter = Counter()
    for (_unit, c), k in counts.items():
        per_letter[c] += k
    table = []
    for (unit, c), k in sorted(counts.items(), key=lambda x: (x[0][1], -x[1])):
        share = k / per_letter[c]
        if unit and k >= minimum and share >= 0.04:
            table.append((unit, c, round(min(2.0, 0.5 * -math.log(share)), 1), k))
    print(f"{len(pairs)} word pairs from the dev pages")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=Path("/tmp/realocr"))
    parser.add_argument("--min", type=int, default=3, help="least count of a kept reading")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    table = learn(args.set, args.min)
    for unit, c, cost, k in table:
        print(f"  {unit!r:6} -> {c}  cost {cost:.1f}  ({k})")
    if args.write:
        rows = "".join(f"    ({unit!r}, {c!r}, {cost}),  # {k}\n" for unit, c, cost, k in table)
        OUT.write_text(
            '"""Readings of Cyrillic letters as Latin glyphs learned from real OCR (generated by\n'
            "scripts/learn_lookalikes.py from the dev half of the Tesseract set that\n"
            "scripts/realocr.py builds; do not edit by hand). Rows: (Latin, Cyrillic, cost),\n"
            '# how often seen."""\n\n'
            "LEARNED_READINGS: tuple[tuple[str, str, float], ...] = (\n" + rows + ")\n",
            "utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
