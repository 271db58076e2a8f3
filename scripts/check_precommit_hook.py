"""Check the documented pre-commit snippet in a scratch repository, with a `rev` that exists.

    python scripts/check_precommit_hook.py [--rev REV] [--keep]

Steps (all in a scratch folder; nothing in this checkout changes):

1. a virtual environment with pre-commit (``pip install pre-commit``);
2. a scratch git repository with two letters, one without a salutation, and a
   ``.pre-commit-config.yaml`` that is the snippet of docs/validate.md with ``repo:`` this
   repository and ``rev:`` REV (default: this checkout's HEAD, as a full hash: what a
   release commit's hash is);
3. ``pre-commit run --all-files``: pre-commit clones this repository at REV, installs it
   (the distribution docparse-letters) into the hook's environment, and runs
   ``docparse validate`` on the letters. Expected: the hook fails, naming DP102 in the
   broken letter; after the broken letter is fixed, it passes.

Prints each step's outcome and ``OK`` at the end (exit 0), or the failing step (exit 1).
Needs the network (pip installs pre-commit and docparse's dependencies) and takes a
minute or two; it is a release check, not a unit test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CLEAN = """March 3, 1999

Dear Ms. Vance:

Thank you for your letter of February 20 and for the photographs of the clock.
We have studied them with care and shall write again when we have seen it.

Yours sincerely,

Helen Marsh
"""

CONFIG = """repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: docparse-validate
        args: [--fail-on, warning]
"""


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", help="the rev to name (default: HEAD of this checkout, as a full hash)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = ap.parse_args()
    rev = args.rev or run(["git", "rev-parse", "HEAD"], REPO).stdout.strip()
    scratch = Path(tempfile.mkdtemp(prefix="docparse-precommit-"))
    print(f"scratch folder: {scratch}\nrepo: {REPO}\nrev: {rev}")
    try:
        env_dir = scratch / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        pip = run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "pre-commit"], scratch)
        if pip.returncode:
            print("FAIL: pip install pre-commit\n" + pip.stderr[-2000:])
            return 1
        pre_commit = str(env_dir / "bin" / "pre-commit")
        work = scratch / "letters-repo"
        work.mkdir()
        env = {**os.environ, "PRE_COMMIT_HOME": str(scratch / "cache"), "GIT_CONFIG_NOSYSTEM": "1"}
        for cmd in (["git", "init", "-q"], ["git", "config", "user.email", "check@example.invalid"],
                    ["git", "config", "user.name", "check"]):
            run(cmd, work)
        (work / "good.txt").write_text(CLEAN, encoding="utf-8")
        (work / "broken.txt").write_text(CLEAN.replace("Dear Ms. Vance:\n\n", ""), encoding="utf-8")
        (work / ".pre-commit-config.yaml").write_text(CONFIG.format(repo=REPO, rev=rev), encoding="utf-8")
        run(["git", "add", "-A"], work)
        first = run([pre_commit, "run", "--all-files"], work, env)
        print(f"\n$ pre-commit run --all-files   (one letter without a salutation)\nexit {first.returncode}")
        print(first.stdout[-3000:] + first.stderr[-2000:])
        if first.returncode != 1 or "broken.txt" not in first.stdout or "DP102" not in first.stdout:
            print("FAIL: the hook should fail on broken.txt with DP102")
            return 1
        (work / "broken.txt").write_text(CLEAN, encoding="utf-8")
        run(["git", "add", "-A"], work)
        second = run([pre_commit, "run", "--all-files"], work, env)
        print(f"$ pre-commit run --all-files   (fixed)\nexit {second.returncode}")
        print(second.stdout[-2000:] + second.stderr[-2000:])
        if second.returncode != 0:
            print("FAIL: the hook should pass once the letter is fixed")
            return 1
        print("OK: the snippet works with rev", rev)
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
