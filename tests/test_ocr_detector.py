"""Issue 13: the OCR detector, corrections that need OCR evidence, no start-up cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docparse
from docparse.nodes import Letter
from docparse.pipeline import run_repairs

FIXTURES = Path(__file__).parent / "fixtures"


def test_lookalike_index_not_loaded_for_an_english_letter() -> None:
    """A one-page English letter, parsed and repaired with the default plugins, never
    loads the look-alike index (nor pymorphy3): a fresh interpreter shows it."""
    code = (
        "import sys, docparse, docparse.cyrillic as c\n"
        "from docparse.pipeline import run_repairs\n"
        f"run_repairs(docparse.parse_file({str(FIXTURES / 'business_letter.txt')!r}))\n"
        "assert c._index.cache_info().currsize == 0, 'index loaded'\n"
        "assert c._morph.cache_info().currsize == 0, 'morphology loaded'\n"
        "assert 'pymorphy3' not in sys.modules, 'pymorphy3 imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_long_lookalike_run_does_not_recurse() -> None:
    """A look-alike 'word' of 2,100 characters is decoded without a RecursionError."""
    doc = docparse.parse("HIOJl5I" * 300)
    result = run_repairs(doc)
    assert not result.failures
    assert any(isinstance(c, Letter) for c in result.doc.children) or result.doc.children
