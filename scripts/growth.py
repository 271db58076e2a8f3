"""The growth curve of docparse on adversarial inputs: time and peak memory at 1x, 10x and
100x, and the slope of each on a log-log scale (1.0 is linear; the hardening issue asks for
at most 1.2, and for a peak of at most 10x the input). Each measurement runs in a fresh
process.

    python scripts/growth.py [--base N] [--families a,b,...] [--factors 1,10,100]

Families: dates (repeated date lines), salutations, pairs (date and salutation in turn),
letters (short letters one under another), lines (short lines), lines1m (the same short
line, ten times as many: 1,000,000 lines, 13 MB, at 100x), runon (one run-on word line,
parsed with the default repairs), lookalike (Latin look-alike Russian lines, with the
default repairs), tei (page breaks written as TEI).

How it is measured, in a child process per point:

* *time* is the CPU time of the measured work alone (parse, and the repairs or the TEI
  writing of the family);
* *peak memory* is the child's peak resident set size during that work minus its resident
  set size just before it: after the imports and a warm-up run of the same stage over the
  same family at a small size (10 units), so that lexicons and caches loaded on first use
  are not counted. The peak is reset before the work (``/proc/self/clear_refs``, Linux)
  and read from ``VmHWM``; without it, ``ru_maxrss`` is used, which may include the
  warm-up's own peak;
* *input* is the input's size in UTF-8 bytes; *ratio* is peak / input.

The slopes are taken between the first and the last factor; the memory slope is also
printed over the last step alone (at 1x the peak may be too small for the resident set
size to show it: pages the warm-up freed are used again).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys

#: family -> (the input as an expression of n, the stage measured, units per base)
FAMILIES = {
    "dates": ("'July 21, 2004\\n' * n", "parse", 1),
    "salutations": ("'Dear Sir,\\n\\n' * n", "parse", 1),
    "pairs": ("'July 21, 2004\\nDear Sir,\\n' * n", "parse", 1),
    "letters": ("'July 21, 2004\\n\\nDear Sir,\\n\\nWe write to you.\\n\\nYours truly,\\nAnn\\n\\n' * n", "parse", 1),
    "lines": ("'a short line\\n' * n", "parse", 1),
    "lines1m": ("'a short line\\n' * n", "parse", 10),
    "runon": ("'word' * (n // 2)", "repairs", 1),
    "lookalike": ("'HIOJl5I JIYKameHKo cTpaHHIJa\\n' * n", "repairs", 1),
    "tei": ("'\\n'.join(f'Some text on page {i}.\\f' for i in range(n))", "tei", 1),
}

CHILD = """
import gc, resource, time
import docparse
from docparse.config import Config
from docparse.pipeline import run_repairs

def rss(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

def work(text):
    doc = docparse.parse(text)
    if "{stage}" == "repairs":
        doc = run_repairs(doc, Config(time_budget=3600)).doc
    elif "{stage}" == "tei":
        docparse.to_tei(doc)
    return doc

work("July 21, 2004\\n\\nDear Sir,\\n\\nA warm-up letter.\\n\\nYours truly,\\nAnn\\n")
n = 10
work({expr})
n = {n}
text = {expr}
size = len(text.encode("utf-8", "surrogatepass"))
gc.collect()
base = rss("VmRSS")
try:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak (VmHWM) to the present size
except OSError:
    pass
t = time.process_time()
doc = work(text)
elapsed = time.process_time() - t
peak = rss("VmHWM") - base
print(elapsed, peak, size)
"""


def measure(family: str, n: int) -> tuple[float, int, int]:
    expr, stage, _ = FAMILIES[family]
    out = subprocess.run([sys.executable, "-c", CHILD.format(n=n, expr=expr, stage=stage)],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def _slope(a: float, b: float, s1: int, s2: int, floor: float) -> float:
    return math.log(max(b, floor) / max(a, floor)) / math.log(s2 / s1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=1000, help="the 1x size in repeated units (default 1000)")
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--factors", default="1,10,100", help="sizes measured, in multiples of the base")
    args = ap.parse_args()
    factors = [int(f) for f in args.factors.split(",")]
    rows = []
    print(f"{'family':12} {'units':>9} {'input B':>11} {'CPU s':>8} {'peak MB':>9} {'peak/input':>10}")
    for family in args.families.split(","):
        points = []
        for factor in factors:
            n = args.base * FAMILIES[family][2] * factor
            seconds, peak, size = measure(family, n)
            points.append((size, seconds, peak))
            print(f"{family:12} {n:>9} {size:>11} {seconds:>8.2f} {peak / 2**20:>9.1f} {peak / size:>10.2f}",
                  flush=True)
        (s1, t1, m1), (s3, t3, m3) = points[0], points[-1]
        rows.append({
            "family": family,
            "time_slope": round(_slope(t1, t3, s1, s3, 1e-3), 2),
            # (a floor of 64 KiB: below it the peak is the allocator's noise)
            "memory_slope": round(_slope(m1, m3, s1, s3, 2**16), 2),
            # the same over the last step alone: at 1x the peak may be below what the
            # resident set size can show (the warm-up's freed pages are used again)
            "memory_slope_last": round(_slope(points[-2][2], m3, points[-2][0], s3, 2**16), 2)
            if len(points) > 2 else None,
            "input_bytes": s3, "peak_bytes": m3, "peak_over_input": round(m3 / s3, 2),
        })
    print()
    for r in rows:
        ok = r["time_slope"] <= 1.2 and r["memory_slope"] <= 1.2 and r["peak_over_input"] <= 10
        print(f"{r['family']:12} time slope {r['time_slope']:>5}  memory slope {r['memory_slope']:>5} "
              f"(last step {r['memory_slope_last']})  "
              f"at {factors[-1]}x: {r['input_bytes'] / 2**20:.1f} MB in, peak {r['peak_bytes'] / 2**20:.1f} MB "
              f"({r['peak_over_input']}x)  {'ok' if ok else 'OVER'}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
