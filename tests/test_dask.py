"""Tests of the Dask backend (:mod:`docparse.dask`) against a real LocalCluster.

Two worker processes, a small archive generated in ``tmp_path``; every wait has a
timeout, so the file runs in well under a minute. Needs ``pip install '.[dask]'``
(CI installs it); without dask the tests are skipped with that reason.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

pytest.importorskip("dask.bag", reason="the Dask backend needs: pip install 'docparse-letters[dask]'")
distributed = pytest.importorskip("distributed", reason="the Dask backend needs: pip install 'docparse-letters[dask]'")

import dask.bag as db

import docparse
from docparse.batch import MANIFEST_NAME, SUMMARY_NAME, run_batch
from docparse.config import Config
from docparse.dask import dask_executor, parse_bag
from docparse.pipeline import run_repairs

_TOWNS = ["Tula", "Kazan", "Boston", "Leeds", "Omsk"]


def _letter(i: int) -> str:
    town = _TOWNS[i % 5]
    return (
        f"{town}, May {1 + i % 28}, {1880 + i}\n\nDear Friend,\n\n"
        f"Your parcel number {i} reached {town} safely, and the books in it are already\n"
        f"on the shelf. I thank you for them with all my heart.\n\n"
        f"Ever yours,\n\nN. N.\n"
    )


def _archive(root: Path, n: int) -> Path:
    archive = root / "archive"
    for i in range(n):
        folder = archive / f"box{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"l{i:03d}.txt").write_text(_letter(i), encoding="utf-8")
    (archive / "box0" / "broken.txt").write_bytes(b"\x00\x00binary\x00")
    return archive


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.json") if p.name != SUMMARY_NAME}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster, timeout="30s")
    try:
        yield c
    finally:
        c.close(timeout=10)
        cluster.close(timeout=10)


def test_dask_writes_what_the_process_pool_writes(tmp_path: Path, client: Any) -> None:
    """Same outputs, same errors, same resumability as ``--jobs``."""
    archive = _archive(tmp_path, 30)
    pool = run_batch([archive], tmp_path / "pool", jobs=2, progress=False)
    on_dask = run_batch([archive], tmp_path / "dask", scheduler=client, progress=False)
    assert (on_dask.written, on_dask.failed) == (pool.written, pool.failed) == (30, 1)
    assert on_dask.errors == pool.errors
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "pool")
    again = run_batch([archive], tmp_path / "dask", scheduler=client, progress=False)
    assert (again.written, again.skipped, again.failed) == (0, 30, 1)


def test_a_killed_worker_loses_and_duplicates_nothing(tmp_path: Path, client: Any) -> None:
    """One worker process is killed (SIGKILL) while tasks run on it: Dask reruns its
    tasks elsewhere, and every output is written exactly once."""
    archive = _archive(tmp_path, 60)
    plugin = tmp_path / "slow.py"
    # slow enough that the kill lands mid-run, on any machine
    plugin.write_text(
        "import time\nfrom docparse.plugin import repair_plugin\n\n"
        "@repair_plugin(name='slow', description='Sleeps a little.')\n"
        "def plugin(tree, ctx):\n    time.sleep(0.03)\n    return tree\n"
    )
    config = Config(load=(str(plugin),))
    out = tmp_path / "out"
    manifest = out / MANIFEST_NAME
    victim = min(client.scheduler_info()["workers"])
    pid = client.run(os.getpid, workers=[victim])[victim]
    killed = threading.Event()

    def kill_when_started() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if manifest.exists() and manifest.read_bytes().count(b"\n") >= 4:
                os.kill(pid, signal.SIGKILL)
                killed.set()
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_when_started, daemon=True)
    killer.start()
    summary = run_batch([archive], out, scheduler=client, config=config, progress=False)
    killer.join(timeout=5)
    assert killed.is_set(), "the worker was not killed mid-run (the run ended too soon)"
    assert (summary.written, summary.failed) == (60, 1)
    entries = [orjson.loads(line) for line in manifest.read_bytes().splitlines()]
    assert len(entries) == len({e["input"] for e in entries}) == 60
    outputs = _outputs(out)
    assert len(outputs) == 60
    for body in outputs.values():
        assert isinstance(docparse.loads(body), docparse.Document)
    client.wait_for_workers(2, timeout=30)  # the nanny restarts the killed worker


def test_parse_bag_of_paths_texts_and_bytes(tmp_path: Path, client: Any) -> None:
    """``parse_bag`` gives the same dicts as parsing (and repairing) locally."""
    archive = _archive(tmp_path, 4)
    paths = sorted(str(p) for p in archive.rglob("l*.txt"))
    texts = [_letter(i) for i in range(3)]
    docs = parse_bag(db.from_sequence(paths, npartitions=2)).compute()
    expected = [docparse.to_dict(run_repairs(docparse.parse_file(p), Config()).doc) for p in paths]
    assert docs == expected
    from_texts = parse_bag(db.from_sequence(texts, npartitions=2), kind="text", repairs=False).compute()
    assert from_texts == [docparse.to_dict(docparse.parse(t)) for t in texts]
    from_bytes = parse_bag(db.from_sequence([t.encode() for t in texts]), repairs=False).compute()
    assert [d["children"] for d in from_bytes] == [d["children"] for d in from_texts]
    recorded = parse_bag(
        db.from_sequence([str(archive / "box0" / "broken.txt")]), on_error="record"
    ).compute()
    assert recorded[0]["type"] == "error" and "binary" in recorded[0]["reason"]
    with pytest.raises(TypeError):
        parse_bag([1, 2])  # type: ignore[arg-type]


def test_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    """A wrong address gives one line and exit code 2, not a traceback."""
    from click.testing import CliRunner

    from docparse.cli.batch import batch_command

    archive = _archive(tmp_path, 1)
    result = CliRunner().invoke(
        batch_command, [str(archive), "-o", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output
    bad = CliRunner().invoke(batch_command, [str(archive), "-o", str(tmp_path / "o"), "--scheduler", "nowhere"])
    assert bad.exit_code == 2 and "tcp://" in bad.output
    assert dask_executor  # the backend the CLI uses is importable
