"""``docparse batch`` redoes what an upgrade changes: each output's fingerprint holds the
package version, a hash of the composed grammar, and each plugin's version and code hash.

Runs are inline (``jobs=1``), so what a test changes in this process is what the run sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import docparse
import docparse.grammar
from docparse.batch import code_hash, fingerprint, run_batch
from docparse.config import Config

_LETTER = "March 3, 1901\n\nDear Ann,\n\nThank you for your note {i}.\n\nYours sincerely,\n\nBen\n"


def _archive(root: Path, n: int = 3) -> Path:
    archive = root / "archive"
    archive.mkdir()
    for i in range(n):
        (archive / f"letter{i}.txt").write_text(_LETTER.format(i=i), encoding="utf-8")
    return archive


_PLUGIN = (
    "from docparse.plugin import repair_plugin\n\n"
    "@repair_plugin(name='noop', description='Changes nothing.')\n"
    "def plugin(tree, ctx):\n    return tree{tail}\n"
)


def test_fingerprint_names_version_grammar_and_plugin_code() -> None:
    fp = fingerprint(Config())
    assert fp["docparse"] == docparse.__version__
    assert len(fp["grammar"]) == 16
    assert {g["name"] for g in fp["grammars"]} >= {"memo", "german", "french", "letterhead"}
    assert all(g["code"] for g in fp["grammars"])
    assert fp["plugins"] and all(p["code"] and p["version"] for p in fp["plugins"])
    assert fingerprint(None)["plugins"] == [] and fingerprint(None)["grammar"] == fp["grammar"]


def test_an_upgrade_redoes_every_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, out = _archive(tmp_path), tmp_path / "out"
    assert run_batch([archive], out, jobs=1, progress=False).written == 3
    assert run_batch([archive], out, jobs=1, progress=False).skipped == 3
    monkeypatch.setattr(docparse, "__version__", "99.0.0")
    again = run_batch([archive], out, jobs=1, progress=False)
    assert (again.written, again.skipped) == (3, 0)


def test_a_changed_grammar_redoes_every_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, out = _archive(tmp_path), tmp_path / "out"
    assert run_batch([archive], out, jobs=1, progress=False, repairs=False).written == 3
    before = fingerprint(None)["grammar"]
    changed = docparse.grammar.compose(docparse.grammar.discover(),
                                       core=docparse.grammar.core_grammar() + "\n// a changed rule\n")
    monkeypatch.setattr(docparse.grammar, "installed", lambda exclude=(): changed)
    assert fingerprint(None)["grammar"] != before
    again = run_batch([archive], out, jobs=1, progress=False, repairs=False)
    assert (again.written, again.skipped) == (3, 0)


def test_a_plugin_whose_code_changed_is_redone_though_its_version_is_not(tmp_path: Path) -> None:
    archive, out = _archive(tmp_path), tmp_path / "out"
    source = tmp_path / "noop.py"
    source.write_text(_PLUGIN.format(tail=""), encoding="utf-8")
    config = Config(load=(str(source),))
    assert run_batch([archive], out, jobs=1, progress=False, config=config).written == 3
    assert run_batch([archive], out, jobs=1, progress=False, config=config).skipped == 3
    source.write_text(_PLUGIN.format(tail="  # a fix"), encoding="utf-8")
    again = run_batch([archive], out, jobs=1, progress=False, config=config)
    assert (again.written, again.skipped) == (3, 0)


def test_code_hash_of_what_has_no_file() -> None:
    assert code_hash(len) is None
    assert code_hash(code_hash) == code_hash(fingerprint)  # one module, one hash
