"""Show that ``docparse parse --format jsonl`` streams: its memory does not grow with the file.

For each size (default 200 MB and 20 MB) it writes a file of many generated English
letters (``bench/letters.py``'s ``english_letter(seed)``, about 4 KB each, joined by a
form feed as the benchmark joins them), runs

    docparse parse FILE --format jsonl -o OUT.jsonl

in a subprocess and prints the child's peak RSS (``ru_maxrss`` of that child, from
``os.wait4``: the figure ``resource.getrusage(RUSAGE_CHILDREN)`` gives, but per run),
the input size, the largest letter, the wall time, and the lines (letters) written.
With ``--whole`` it also runs ``--format json`` on the sizes within the whole-file
limit (64 MiB), for contrast. A script, not a test: figures vary with the machine.

Usage::

    python scripts/stream_memory.py [--sizes 200,20] [--no-repairs] [--whole] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from letters import english_letter

MB = 1_000_000


def write_letters(path: Path, size: int) -> tuple[int, int]:
    """Write letters until ``size`` bytes; returns ``(letters, largest letter in bytes)``."""
    count = largest = written = 0
    with path.open("wb") as out:
        while written < size:
            data = english_letter(count).encode("utf-8")
            if count:
                data = b"\n\f" + data
            out.write(data)
            written += len(data)
            largest = max(largest, len(data))
            count += 1
    return count, largest


def run(args: list[str]) -> tuple[int, float, int]:
    """Run ``args``; returns ``(exit code, seconds, peak RSS in bytes)`` of that child."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdin=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, seconds, usage.ru_maxrss * 1024  # Linux: kilobytes


def count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,20", help="input sizes in MB, comma-separated")
    parser.add_argument("--no-repairs", action="store_true", help="pass --no-repairs (the raw parse)")
    parser.add_argument("--whole", action="store_true",
                        help="also run --format json on the sizes within the 64 MiB whole-file limit")
    parser.add_argument("--keep", metavar="DIR", help="write the files into DIR and keep them")
    options = parser.parse_args()
    docparse = shutil.which("docparse", path=str(Path(sys.executable).parent)) or "docparse"
    folder = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="stream-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    extra = ["--no-repairs"] if options.no_repairs else []
    print(f"docparse parse FILE --format jsonl -o OUT {' '.join(extra)}".rstrip())
    print(f"{'input':>10} {'letters':>8} {'largest':>9} {'format':>6} {'time':>8} {'peak RSS':>10} "
          f"{'lines out':>10} {'RSS/input':>9}")
    failed = False
    try:
        for size_mb in (float(s) for s in options.sizes.split(",")):
            big = folder / f"letters-{size_mb:g}MB.txt"
            letters, largest = write_letters(big, int(size_mb * MB))
            size = big.stat().st_size
            formats = ["jsonl"] + (["json"] if options.whole and size <= 64 * 1024 * 1024 else [])
            for fmt in formats:
                out = folder / f"out-{size_mb:g}MB.{fmt}"
                code, seconds, rss = run([docparse, "parse", str(big), "--format", fmt, "-o", str(out), *extra])
                lines = count_lines(out) if code == 0 and fmt == "jsonl" else 0
                failed = failed or code != 0 or (fmt == "jsonl" and lines != letters)
                print(f"{size / MB:>8.1f}MB {letters:>8} {largest / 1000:>7.1f}KB {fmt:>6} {seconds:>7.1f}s "
                      f"{rss / MB:>8.1f}MB {lines if fmt == 'jsonl' else '-':>10} {rss / size:>9.2f}"
                      + ("" if code == 0 else f"  (exit code {code})"), flush=True)
                if not options.keep:
                    out.unlink(missing_ok=True)
            if not options.keep:
                big.unlink()
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
