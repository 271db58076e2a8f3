"""Print the README's accuracy table: the raw parse (``docparse eval --no-repairs``) of each
set, per language, as Markdown.

    python scripts/accuracy_table.py [SET ...]

SET is a folder of letters with gold files; the default is every set of
``../shared/corpus`` and the repository's own ``tests/data/modern``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docparse.evaluate import evaluate_dir

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT = [CORPUS / s for s in ("letters", "layouts", "ocr", "wide/letters", "wide/layouts", "wide/ocr",
                                "de/letters", "de/layouts")] + [ROOT / "tests" / "data" / "modern"]
SINGLE = ("date", "salutation", "closing", "signatories", "postscript")
LISTS = ("paragraphs", "address", "closer_address", "running_headers")


def rows(folder: Path) -> list[str]:
    report = evaluate_dir(folder).to_dict()  # (the raw parse: no repair runs)
    name = str(folder.relative_to(CORPUS)) if folder.is_relative_to(CORPUS) else str(folder.relative_to(ROOT))
    langs = sorted({lang for f in SINGLE for lang in report["single"][f] if lang != "all"})
    out = []
    for lang in langs + (["all"] if len(langs) > 1 else []):
        n = report["single"]["date"][lang]["n"]
        cells = [f"`{name}`", lang, str(n)]
        cells += [f"{report['single'][f][lang]['strict_rate']:.3f}" for f in SINGLE]
        for f in LISTS:
            entry = report["lists"].get(f, {}).get(lang)
            if entry is None or not entry["gold"]:
                cells.append("—" if entry is None or not entry["got"] else f"({entry['got']} false)")
            else:
                cells.append(f"{entry['strict']['f1']:.3f}")
        out.append("| " + " | ".join(cells) + " |")
    return out


def main() -> None:
    sets = [Path(a).resolve() for a in sys.argv[1:]] or [s for s in DEFAULT if s.is_dir()]
    print("| set | lang | letters | date | salutation | closing | signatories | postscript "
          "| paragraphs F1 | address F1 | closer address F1 | running headers F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for folder in sets:
        for row in rows(folder):
            print(row, flush=True)


if __name__ == "__main__":
    main()
