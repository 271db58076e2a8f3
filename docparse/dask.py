"""The Dask backend: batch runs on a Dask cluster, and a ``dask.bag`` API.

Install with ``pip install 'docparse-letters[dask]'``. Two ways in:

* ``docparse batch ... --scheduler local`` (a :class:`distributed.LocalCluster` on this
  machine) or ``--scheduler tcp://HOST:8786`` (a running cluster): the same outputs,
  manifest, resumability and error handling as the local process pool
  (:mod:`docparse.batch`). Inputs are read here and sent to the workers with their
  sha256, and the JSON comes back here to be written, so the workers need neither
  the archive nor OUT mounted. When a worker dies, Dask runs its tasks again on
  another worker; the writer takes the first result for each input, so no output is
  lost or written twice.
* :func:`parse_bag` turns a bag of paths, texts or bytes into a bag of documents
  (``docparse/1`` dicts), for users who already run Dask::

      >>> import dask.bag as db                                   # doctest: +SKIP
      >>> docs = parse_bag(db.from_sequence(paths, npartitions=64))
      >>> docs.pluck("children").map(len).sum().compute()

Dask is imported only inside these functions: ``import docparse`` never pays for it.
(This module is ``docparse.dask``; it imports the ``dask`` package by absolute name.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from .api import parse, parse_bytes, parse_file
from .codec import to_dict
from .config import Config
from .errors import DocparseError, UsageError
from .pipeline import run_repairs

if TYPE_CHECKING:
    import dask.bag

    from .batch import Task, TaskResult

__all__ = ["connect", "dask_executor", "parse_bag", "parse_item"]

_INSTALL_HINT = "the Dask backend needs dask and distributed: pip install 'docparse-letters[dask]'"


def _require() -> None:
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(_INSTALL_HINT) from None


def parse_item(
    item: str | bytes | os.PathLike[str],
    *,
    kind: Literal["auto", "path", "text"] = "auto",
    config: Config | None = None,
    repairs: bool = True,
    on_error: Literal["raise", "record"] = "raise",
) -> dict[str, Any]:
    """One bag element as a ``docparse/1`` dict.

    ``item`` is a path (``os.PathLike``, or a ``str`` with ``kind="path"``), a text
    (``str`` with ``kind="text"``) or raw bytes (decoded like a file). With
    ``kind="auto"`` a ``str`` is a path when it has no line break and names an
    existing file, otherwise a text. ``repairs`` runs the repair pipeline
    (``config``: which plugins; default: their defaults). ``on_error="record"`` returns
    ``{"type": "error", "input": ..., "reason": ...}`` for a bad input instead of
    raising :class:`~docparse.errors.DocparseError`.
    """

    label = "<text>"
    try:
        if isinstance(item, bytes):
            label = "<bytes>"
            doc = parse_bytes(item)
        elif isinstance(item, os.PathLike) or (
            isinstance(item, str)
            and (kind == "path" or (kind == "auto" and "\n" not in item and "\r" not in item and os.path.isfile(item)))
        ):
            label = os.fspath(item)
            doc = parse_file(item)
        elif isinstance(item, str):
            doc = parse(item)
        else:
            raise TypeError(f"parse_bag() elements are paths, str or bytes, not {type(item).__name__}")
        if repairs:
            doc = run_repairs(doc, config).doc
    except DocparseError as exc:
        if on_error == "record":
            return {"type": "error", "input": label, "reason": " ".join(str(exc).split())}
        raise
    return to_dict(doc)


def parse_bag(
    bag: dask.bag.Bag,
    *,
    kind: Literal["auto", "path", "text"] = "auto",
    config: Config | None = None,
    repairs: bool = True,
    on_error: Literal["raise", "record"] = "raise",
) -> dask.bag.Bag:
    """A bag of documents (``docparse/1`` dicts, as :func:`docparse.to_dict` makes them)
    from a bag of paths, texts or bytes; lazy, like every bag operation.

    The options are those of :func:`parse_item`; ``config`` travels to the workers
    with the task, so it must be picklable (a :class:`~docparse.config.Config` is).
    """
    _require()
    import dask.bag as db

    if not isinstance(bag, db.Bag):
        raise TypeError(f"parse_bag() takes a dask.bag.Bag, not {type(bag).__name__}")
    return bag.map(parse_item, kind=kind, config=config, repairs=repairs, on_error=on_error)


def connect(scheduler: str) -> tuple[Any, Any]:
    """``(client, cluster)`` for ``local`` (a new LocalCluster, one single-threaded
    worker process per core: parsing holds the GIL) or a scheduler address
    (``cluster`` is then None). A scheduler that cannot be reached is a one-line
    :class:`UsageError`."""
    _require()
    from distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
        return Client(cluster), cluster
    if not scheduler.startswith(("tcp://", "tls://", "ucx://", "inproc://")):
        raise UsageError(f"--scheduler {scheduler!r}: give 'local' or an address such as tcp://HOST:8786")
    if scheduler.startswith("tcp://"):
        _probe(scheduler)
    try:
        return Client(scheduler, timeout="20s"), None
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})") from None


def _probe(address: str) -> None:
    """Fail fast (one line) when nothing listens at a ``tcp://HOST:PORT`` address,
    instead of letting the client retry until its timeout."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise UsageError(f"--scheduler {address}: give the address as tcp://HOST:PORT")
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(f"--scheduler {address}: cannot reach the Dask scheduler ({reason})") from None


def dask_executor(
    scheduler: str | Any,
    *,
    work: Callable[[list[Task], Config | None], list[TaskResult]],
    failed: Callable[[Task, str], TaskResult],
    retries: int = 2,
) -> Any:
    """A :mod:`docparse.batch` backend that runs chunks of tasks on Dask.

    ``work`` runs one chunk on a worker (a module-level function, so that Dask can send
    it); ``failed`` is the result of a task whose chunk failed for good, with the reason.
    (:mod:`docparse.batch` passes both: this module never imports it.)

    ``scheduler`` is ``local``, an address, or a :class:`distributed.Client` already
    connected (left open). At most ``4 x workers`` chunks are in flight. A chunk whose
    worker died is run again by Dask (its ``allowed-failures``), and up to
    ``retries`` more times by us; the writer keeps the first result of each input.
    """
    _require()

    def run(chunks: Iterator[list[Task]], config: Config | None) -> Iterator[TaskResult]:
        from distributed import Client, as_completed

        if isinstance(scheduler, Client):
            client, cluster, own = scheduler, None, False
        else:
            client, cluster = connect(scheduler)
            own = True
        try:
            workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
            limit = 4 * workers
            ac = as_completed()
            meta: dict[Any, tuple[list[Task], int]] = {}
            source = iter(chunks)
            exhausted = False

            def submit(chunk: list[Task], attempt: int) -> None:
                fut = client.submit(work, chunk, config, pure=False, retries=0)
                meta[fut] = (chunk, attempt)
                ac.add(fut)

            def top_up() -> None:
                nonlocal exhausted
                while not exhausted and len(meta) < limit:
                    try:
                        submit(next(source), 0)
                    except StopIteration:
                        exhausted = True

            top_up()
            while meta:
                fut = next(ac)
                chunk, attempt = meta.pop(fut)
                try:
                    results = fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost connection...
                    if attempt < retries:
                        submit(chunk, attempt + 1)
                    else:
                        reason = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
                        for t in chunk:
                            yield failed(t, f"{t.rel}: the Dask task failed ({reason})")
                else:
                    yield from results
                finally:
                    fut.release()
                top_up()
        finally:
            if own:
                client.close()
                if cluster is not None:
                    cluster.close()

    return run
