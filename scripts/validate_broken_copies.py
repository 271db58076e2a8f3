#!/usr/bin/env python3
"""Deliberately broken copies of corpus letters: does docparse validate report each break at the right line?"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from docparse import validate as V
from docparse.api import parse_file
from docparse.nodes import Closing, Date, PageBreak, PageHeader, Paragraph, Salutation, Signature

CORPUS = Path("../shared/corpus")
NL = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
rules = V.available_rules()

def lines_of(text):
    return NL.findall(text)

def run(text, select, tmp, name):
    p = Path(tmp) / name
    p.write_text(text, encoding="utf-8", newline="")
    active = V.select_rules(V.ValidateConfig(select=tuple(select)), rules)
    return V.validate_text(text, active, path=str(p), rules=rules).diagnostics

def salutation_case(f, tmp):
    doc = parse_file(f)
    text = f.read_text(encoding="utf-8")
    for L in doc.letters[:1]:
        sal = next((c for c in L.children if isinstance(c, Salutation)), None)
        para = next((c for c in L.children if isinstance(c, Paragraph)), None)
        if sal is None or para is None or para.position.start.line <= sal.position.end.line:
            return None
        ls = lines_of(text)
        a, b = sal.position.start.line, sal.position.end.line
        broken = "".join(ls[: a - 1] + ls[b:])
        expected = para.position.start.line - (b - a + 1)
        diags = [d for d in run(broken, ["DP102"], tmp, f.name) if d.line >= a - 2]
        got = [d.line for d in diags]
        return expected, got
    return None

def part_case(f, tmp, kind):
    """The first letter's date, closing or signature removed (its lines dropped): the
    rule's diagnostic must point where the part belongs (see docparse/rules/parts.py):
    a missing date at the letter's first line, a missing closing at the signature, a
    missing signature at the closing's last line."""
    node_type, rule_id = {"date": (Date, "DP101"), "closing": (Closing, "DP103"), "signature": (Signature, "DP104")}[kind]
    doc = parse_file(f)
    text = f.read_text(encoding="utf-8")
    if len(doc.letters) != 1:
        return None
    L = doc.letters[0]
    kids = list(L.children)
    nodes = [c for c in kids if isinstance(c, node_type)]
    if len(nodes) != 1:
        return None
    node = nodes[0]
    ls = lines_of(text)
    a, b = node.position.start.line, node.position.end.line
    removed = b - a + 1
    broken = "".join(ls[: a - 1] + ls[b:])
    if kind == "date":
        if node is not kids[0]:
            return None  # a date inside or at the end of the letter: no single right place
        rest = lines_of(broken)
        expected = next(i + 1 for i, ln in enumerate(rest) if ln.strip())
    elif kind == "closing":
        sig = next((c for c in kids if isinstance(c, Signature)), None)
        if sig is None or sig.position.start.line < b:
            return None
        expected = sig.position.start.line - removed
    else:
        closing = next((c for c in kids if isinstance(c, Closing)), None)
        if closing is None or closing.position.end.line > a:
            return None
        expected = closing.position.end.line
    got = [d.line for d in run(broken, [rule_id], tmp, f.name)]
    return expected, got


def page_case(f, tmp):
    doc = parse_file(f)
    text = f.read_text(encoding="utf-8")
    ls = lines_of(text)
    for L in doc.letters[:1]:
        kids = list(L.children)
        heads = [(i, c) for i, c in enumerate(kids) if isinstance(c, PageHeader) and c.page is not None]
        if len(heads) < 2 or heads[0][1].page != 2 or heads[1][1].page != 3:
            return None
        def start(i, kids=kids):
            j = i
            while j > 0 and isinstance(kids[j - 1], PageBreak):
                j -= 1
            return min(kids[j].position.start.line, kids[i].position.start.line)
        s2, s3 = start(heads[0][0]), start(heads[1][0])
        s4 = start(heads[2][0]) if len(heads) > 2 else len(ls) + 1
        page2, page3 = ls[s2 - 1 : s3 - 1], ls[s3 - 1 : s4 - 1]
        if not page3[-1].endswith(("\n", "\r")):
            page3[-1] += "\n"
        broken = "".join(ls[: s2 - 1] + page3 + page2 + ls[s4 - 1 :])
        h2, h3 = heads[0][1].position.start.line, heads[1][1].position.start.line
        new_h3 = s2 + (h3 - s3)
        new_h2 = s2 + len(page3) + (h2 - s2)
        got = [d.line for d in run(broken, ["DP401"], tmp, f.name)]
        return (new_h3, new_h2), got
    return None

def removed(files, label, case):
    """Run ``case`` (file -> (expected line, reported lines) or None) on every file; print the
    counts and the copies not reported at the expected line."""
    n = right = reported = 0
    wrong = []
    for f in files:
        r = case(f)
        if r is None:
            continue
        n += 1
        exp, got = r
        reported += bool(got)
        right += exp in got
        if exp not in got:
            wrong.append((f.name, exp, got))
    print(f"{label} removed: {n} copies; reported in {reported}; at the right line in {right}")
    for w in wrong[:15]:
        print("   ", w)


def main():
    files = [
        f
        for d in ("letters", "layouts")
        for f in sorted((CORPUS / d).glob("*.txt"))
        if not f.name.startswith("bundle")
    ]
    with tempfile.TemporaryDirectory() as tmp:
        removed(files, "salutation", lambda f: salutation_case(f, tmp))
        for kind in ("date", "closing", "signature"):
            removed(files, kind, lambda f, kind=kind: part_case(f, tmp, kind))
        n = right = both = 0
        wrong = []
        for f in files:
            r = page_case(f, tmp)
            if r is None:
                continue
            n += 1
            (e3, e2), got = r
            right += e3 in got
            both += e3 in got and e2 in got
            if not (e3 in got and e2 in got):
                wrong.append((f.name, (e3, e2), got))
        print(
            f"pages 2 and 3 swapped: {n} copies; DP401 at the first misplaced header in {right}; at both headers in {both}"
        )
        for w in wrong[:15]:
            print("   ", w)


main()
