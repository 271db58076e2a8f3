"""Validate docparse's TEI of corpus letters (raw and repaired) against TEI P5's
tei_all.rng (tests/fixtures/tei/tei_all.rng.gz) and print the figures.

    python scripts/validate_tei.py ../shared/corpus --sample 50

Each set (letters, layouts, ocr, wide/letters, de/letters) gives ``--sample`` letters
(default: all of them), chosen with a fixed seed; the first problems are printed.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from pathlib import Path

from lxml import etree

import docparse
from docparse.pipeline import run_repairs
from docparse.tei import to_tei

ROOT = Path(__file__).resolve().parents[1]
SETS = ("letters", "layouts", "ocr", "wide/letters", "de/letters")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--sample", type=int, default=0, help="letters per set (0: all)")
    args = ap.parse_args()
    started = time.perf_counter()
    with gzip.open(ROOT / "tests" / "fixtures" / "tei" / "tei_all.rng.gz") as f:
        schema = etree.RelaxNG(etree.parse(f))
    print(f"tei_all.rng compiled in {time.perf_counter() - started:.1f} s")
    rnd = random.Random(15)
    total = invalid = 0
    for name in SETS:
        files = sorted((args.corpus / name).glob("*.txt"))
        if args.sample:
            files = rnd.sample(files, min(args.sample, len(files)))
        bad = 0
        t0 = time.perf_counter()
        for path in files:
            doc = docparse.parse_file(path)
            for label, tree in (("raw", doc), ("repaired", run_repairs(doc).doc)):
                total += 1
                if not schema.validate(etree.fromstring(to_tei(tree).encode("utf-8"))):
                    bad += 1
                    if bad <= 3:
                        print(f"  INVALID {label} {path}: {list(schema.error_log)[0]}")
        invalid += bad
        print(f"{name}: {len(files)} letters, {2 * len(files) - bad} of {2 * len(files)} TEI files valid "
              f"({time.perf_counter() - t0:.0f} s)")
    print(f"all: {total - invalid} of {total} valid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
