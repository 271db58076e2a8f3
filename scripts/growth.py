"""The growth curve of docparse on adversarial inputs: time and peak memory at 1x, 10x and
100x, and the slope of each on a log-log scale (1.0 is linear; the hardening issue asks for
at most 1.2). Each measurement runs in a fresh process.

    python scripts/growth.py [--base N] [--families a,b,...]

Families: dates (repeated date lines), salutations, pairs (date and salutation in turn),
letters (short letters one under another), lines (short lines), runon (one run-on word line,
parsed with the default repairs), lookalike (Latin look-alike Russian lines), tei (page breaks
written as TEI).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys

FAMILIES = {
    "dates": ("'July 21, 2004\\n' * n", "parse"),
    "salutations": ("'Dear Sir,\\n\\n' * n", "parse"),
    "pairs": ("'July 21, 2004\\nDear Sir,\\n' * n", "parse"),
    "letters": ("'July 21, 2004\\n\\nDear Sir,\\n\\nWe write to you.\\n\\nYours truly,\\nAnn\\n\\n' * n", "parse"),
    "lines": ("'a short line\\n' * n", "parse"),
    "runon": ("'word' * (n // 2)", "repairs"),
    "lookalike": ("'HIOJl5I JIYKameHKo cTpaHHIJa\\n' * n", "repairs"),
    "tei": ("'\\n'.join(f'Some text on page {i}.\\f' for i in range(n))", "tei"),
}

CHILD = """
import resource, time, sys
import docparse
n = {n}
docparse.parse("July 21, 2004\\n\\nDear Sir,\\n\\nA warm-up letter.\\n\\nYours truly,\\nAnn\\n")  # (grammar loads)
text = {expr}
t = time.process_time()
doc = docparse.parse(text)
if "{stage}" == "repairs":
    from docparse.config import Config
    from docparse.pipeline import run_repairs
    doc = run_repairs(doc, Config()).doc
elif "{stage}" == "tei":
    docparse.to_tei(doc)
elapsed = time.process_time() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(elapsed, peak, len(text.encode("utf-8", "surrogatepass")))
"""


def measure(family: str, n: int) -> tuple[float, int, int]:
    expr, stage = FAMILIES[family]
    out = subprocess.run([sys.executable, "-c", CHILD.format(n=n, expr=expr, stage=stage)],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=1000, help="the 1x size in repeated units (default 1000)")
    ap.add_argument("--families", default=",".join(FAMILIES))
    args = ap.parse_args()
    rows = []
    print(f"{'family':12} {'size':>8} {'bytes':>10} {'CPU s':>8} {'peak MB':>8}")
    for family in args.families.split(","):
        points = []
        for factor in (1, 10, 100):
            n = args.base * factor
            seconds, peak, size = measure(family, n)
            points.append((size, seconds, peak))
            print(f"{family:12} {n:>8} {size:>10} {seconds:>8.2f} {peak / 2**20:>8.0f}", flush=True)
        (s1, t1, m1), (s3, t3, m3) = points[0], points[-1]
        slope_t = math.log(max(t3, 1e-3) / max(t1, 1e-3)) / math.log(s3 / s1)
        # memory: the growth over the interpreter's own footprint (the 1x run's peak)
        grown = max(m3 - m1, 1)
        rows.append({"family": family, "time_slope": round(slope_t, 2),
                     "peak_mb_100x": round(m3 / 2**20), "peak_over_input_100x": round(grown / s3, 1)})
    print()
    for r in rows:
        print(f"{r['family']:12} time slope {r['time_slope']:>5}  peak at 100x {r['peak_mb_100x']} MB "
              f"({r['peak_over_input_100x']}x the input over the 1x run)")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
