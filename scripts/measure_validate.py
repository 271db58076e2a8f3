#!/usr/bin/env python3
"""Acceptance figures for docparse validate on the corpus (run from the repo root)."""
from __future__ import annotations

import json
from pathlib import Path

from docparse import validate as V
from docparse.api import parse_file

CORPUS = Path("../shared/corpus")
PART = {"DP101": "date", "DP102": "salutation", "DP103": "closing", "DP104": "signatories"}

def has(gold, part):
    v = gold.get(part)
    return bool(v)

def main():
    rules = V.available_rules()
    cfg = V.ValidateConfig(select=tuple(PART))
    active = V.select_rules(cfg, rules)
    rep = V._Repairer(None)
    files = sorted((CORPUS / "letters").glob("*.txt")) + sorted((CORPUS / "layouts").glob("*.txt"))
    false = []
    letters_with = {p: 0 for p in PART.values()}
    nletters = 0
    true_viol = 0
    for f in files:
        gold = json.loads(Path(str(f)[:-4] + ".gold.json").read_text())
        golds = gold["letters"] if "letters" in gold else [gold]
        nletters += len(golds)
        for g in golds:
            for p in PART.values():
                letters_with[p] += has(g, p)
        text = f.read_text(encoding="utf-8")

        report = V.validate_text(
            text, active, path=str(f), repair=lambda d: rep(d, print), rules=rules
        )
        doc = None
        for d in report.diagnostics:
            part = PART[d.rule]
            if len(golds) == 1:
                i = 0
            else:
                if doc is None:
                    doc = parse_file(f)
                spans = [(L.position.start.line, L.position.end.line) for L in doc.letters]
                i = next((k for k, (a, b) in enumerate(spans) if a <= d.line <= b), len(spans) - 1)
                i = min(i, len(golds) - 1)
            if has(golds[i], part):
                false.append((str(f), d.line, d.rule, part))
            else:
                true_viol += 1
    print(f"files {len(files)}, gold letters {nletters}; letters whose gold has: {letters_with}")
    print(f"required-part diagnostics where gold lacks the part (true): {true_viol}")
    print(f"false required-part violations: {len(false)} in {len({x[0] for x in false})} files")
    by = {}
    for x in false:
        by.setdefault(x[2], []).append(x)
    for r, xs in sorted(by.items()):
        print(f"  {r} ({PART[r]}): {len(xs)}")
    Path("/tmp/h8/false.txt").write_text(
        "\n".join(f"{a}:{b}: {c} ({d})" for a, b, c, d in false) + "\n"
    )


if __name__ == "__main__":
    main()
