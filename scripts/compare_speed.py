"""Compare the parse + JSON speed of two docparse installs, interleaved.

    python scripts/compare_speed.py OLD_PYTHON NEW_PYTHON [--rounds 5] [--letters 200]

Each round runs, for each install in turn (order alternating), a fresh process that
measures (CPU time, best of 3) the benchmark's baseline (read, split, regex-classify) and
parse + JSON over the same generated English letters (bench/letters.py), and prints the
ratio parse+JSON / baseline -- the figure of bench/run.py -- for each round, then the
median per install. Interleaving keeps a busy spell of a shared machine from favouring
one install.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
sys.path.insert(0, {bench!r})
from run import baseline
import docparse
from pathlib import Path
paths = sorted(Path({folder!r}).glob("*.txt"))
def best(fn):
    times = []
    for _ in range(3):
        t = time.process_time()
        for p in paths:
            fn(p)
        times.append(time.process_time() - t)
    return min(times)
for p in paths[:20]:
    docparse.dumps(docparse.parse_file(p))
b = best(baseline)
j = best(lambda p: docparse.dumps(docparse.parse_file(p)))
print(json.dumps({{"baseline": b, "parse_json": j, "n": len(paths)}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--letters", type=int, default=200)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from letters import english_letter

    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.letters):
            (Path(tmp) / f"en-{i:05d}.txt").write_text(english_letter(i), encoding="utf-8")
        code = CHILD.format(bench=str(ROOT / "bench"), folder=tmp)
        ratios: dict[str, list[float]] = {"old": [], "new": []}
        for r in range(args.rounds):
            order = [("old", args.old), ("new", args.new)]
            if r % 2:
                order.reverse()
            for name, python in order:
                out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                                     cwd=tmp).stdout  # (not the repository: its docparse/ would shadow the install)
                fig = json.loads(out.strip().splitlines()[-1])
                ratio = fig["baseline"] / fig["parse_json"]
                ratios[name].append(ratio)
                print(f"round {r + 1} {name}: parse+JSON {fig['n'] / fig['parse_json']:.0f} letters/s, "
                      f"baseline {fig['n'] / fig['baseline']:.0f} letters/s, ratio {ratio:.4f}", flush=True)
        for name in ("old", "new"):
            print(f"{name}: median ratio {statistics.median(ratios[name]):.4f} "
                  f"(rounds {', '.join(f'{x:.4f}' for x in ratios[name])})")


if __name__ == "__main__":
    main()
