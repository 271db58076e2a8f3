"""`docparse parse` of an English letter does not load the look-alike index (issue 13).

Each case runs the real console entry point in a fresh interpreter and reports, at exit,
whether the look-alike index (:func:`docparse.cyrillic._index`) was built or loaded and
whether pymorphy3 (the Russian dictionary the decoder reads) was imported. The seed,
which holds a Russian letter read as Latin look-alikes, is the control: there the index
must load, so the probe itself is shown to work.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "helsinki-2004" / "letter.txt"

_PROBE = """
import atexit, json, sys
def report():
    import docparse.cyrillic as c
    info = {"index_calls": c._index.cache_info().misses,
            "morph_calls": c._morph.cache_info().misses,
            "pymorphy3": "pymorphy3" in sys.modules}
    with open(sys.argv[1], "w") as f:
        json.dump(info, f)
atexit.register(report)
from docparse.cli import main
main(["parse", sys.argv[2]])
"""

ENGLISH = """May 3, 1880

Dear Walt,

I write to thank you for the book, which came today. We have all read it, and my
mother asks me to send you her kindest regards. The weather here is fine at last.

Yours truly,
John Smith
"""


def _probe(tmp_path: Path, letter: Path) -> dict[str, object]:
    out = tmp_path / "probe.json"
    res = subprocess.run([sys.executable, "-c", _PROBE, str(out), str(letter)],
                         capture_output=True, text=True, check=False, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    data: dict[str, object] = json.loads(out.read_text("utf-8"))
    return data


def test_english_letter_does_not_load_the_lookalike_index(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(ENGLISH, "utf-8")
    info = _probe(tmp_path, letter)
    assert info == {"index_calls": 0, "morph_calls": 0, "pymorphy3": False}


def test_lookalike_letter_loads_it(tmp_path: Path) -> None:
    info = _probe(tmp_path, SEED)
    assert info["index_calls"] == 1
    assert info["pymorphy3"] is True
