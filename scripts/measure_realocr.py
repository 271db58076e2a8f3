"""Measure the default repairs on real OCR output: the set ``scripts/realocr.py`` builds.

    python scripts/realocr.py -o /tmp/realocr          # once: render, scan, Tesseract
    python scripts/measure_realocr.py [--set /tmp/realocr] [--split test|dev|all] [--quiet]

Each OCR text goes through ``docparse.parse`` and the default repairs, as ``docparse parse``
does; its repaired text (``scripts/measure_repairs.py``'s ``document_text``) is scored
word by word against what was typed (:mod:`docparse.wordscore`). Reported per kind:

* ``en``: English letters read with ``-l eng``: word-error reduction and new errors per
  2,000 words (issue 13: >= 0.40 with <= 1 new error per 2,000 words);
* ``ru-as-eng``: Russian pages read with the English model alone (look-alike text): the
  share of Russian words restored, i.e. word accuracy after the repairs (goal >= 90%);
* ``ru-rus``: Russian pages read with ``-l rus`` (the control): words made worse (goal 0).

The ``dev`` half is the one the confusion tables may be learned from; report on ``test``
(the default). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path
from typing import Any

import docparse
from docparse.pipeline import run_repairs
from docparse.wordscore import Scores, score

ROOT = Path(__file__).resolve().parents[1]


def _measure_repairs() -> Any:
    path = ROOT / "scripts" / "measure_repairs.py"
    spec = importlib.util.spec_from_file_location("_measure_repairs", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=Path("/tmp/realocr"), help="the output of realocr.py")
    parser.add_argument("--split", choices=["test", "dev", "all"], default="test")
    parser.add_argument("--quiet", action="store_true", help="figures only, not the cases")
    parser.add_argument("--show", type=int, default=25)
    args = parser.parse_args(argv)
    index = args.set / "index.json"
    if not index.is_file():
        print(f"no real-OCR set at {args.set}: run scripts/realocr.py -o {args.set} first")
        return 1
    document_text = _measure_repairs().document_text
    items = json.loads(index.read_text("utf-8"))
    t0 = time.perf_counter()
    totals: dict[str, Scores] = {}
    counts: dict[str, int] = {}
    for it in items:
        if args.split != "all" and it["split"] != args.split:
            continue
        txt = args.set / it["kind"] / f"{it['name']}.txt"
        if not txt.is_file():
            continue
        ocr = txt.read_text("utf-8")
        clean = txt.with_name(f"{it['name']}.clean.txt").read_text("utf-8")
        doc = run_repairs(docparse.parse(ocr, name=txt.name)).doc
        s = score(document_text(doc, repaired=False), document_text(doc), clean)
        totals[it["kind"]] = totals.get(it["kind"], Scores()) + s
        counts[it["kind"]] = counts.get(it["kind"], 0) + 1
    goals = {"en": "goal: reduction >= 0.40, <= 1 new error per 2,000 words",
             "ru-as-eng": "goal: >= 90% of the words restored (accuracy after)",
             "ru-rus": "goal: no word made worse (0 new errors)"}
    print(f"real OCR (Tesseract), split {args.split}, {args.set}")
    for kind in ("en", "ru-as-eng", "ru-rus"):
        if kind not in totals:
            continue
        t = totals[kind]
        print(f"  {kind} ({counts[kind]} pages; {goals[kind]}): {t.clean_words} clean words")
        print(f"    word accuracy   {t.accuracy_before:.2%} -> {t.accuracy_after:.2%}")
        print(f"    WER             {t.wer_before:.2%} -> {t.wer_after:.2%} "
              f"(errors {t.errors_before} -> {t.errors_after})")
        print(f"    relative WER reduction {t.reduction:.3f}")
        print(f"    new errors      {len(t.new_errors)} = {t.new_errors_per(2000):.2f} per 2,000 words")
        if not args.quiet:
            for e in t.new_errors[: args.show]:
                print(f"      {e.clean!r} -> {e.after!r}   ({e.context})")
    print(f"(ran in {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
