"""Where batches run: a local process pool (forked, warm) or a ``dask.distributed`` cluster.

Either way results come back batch by batch as they finish, so each can be stored at once.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from geo.corpus.inputs import CorpusItem
from geo.corpus.worker import Result, Task, _warm, _worker_init, geoparse_batch
from geo.errors import ConfigurationError


def _batches(items: Sequence[CorpusItem], size: int) -> list[list[CorpusItem]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _task(batch: Sequence[CorpusItem]) -> list[Task]:
    return [(i.key, i.source, i.text, i.date) for i in batch]


def default_batch_size(count: int, workers: int) -> int:
    """Big enough to amortise a task's overhead, small enough to balance and to resume finely."""
    return max(1, min(64, math.ceil(count / max(1, workers * 8))))


def _pool(workers: int) -> ProcessPoolExecutor:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)


WORKER_DIED = "a worker process died on this batch twice (out of memory, or killed)"


def _submit(pool: ProcessPoolExecutor, batch: list[CorpusItem], alone: bool, pending: dict) -> bool:
    """Submit ``batch``; False when the pool is already broken (a worker died meanwhile)."""
    try:
        pending[pool.submit(geoparse_batch, _task(batch))] = (batch, alone)
    except BrokenProcessPool:
        return False
    return True


def _fill(pool, queue: deque, suspects: deque, pending: dict, workers: int) -> bool:
    """Submit what may run now: one suspect alone, else up to two batches a worker. False when
    the pool refused (a worker died since the last wait); the refused batch is put back."""
    if suspects:
        if not pending:  # a suspect runs alone
            batch = suspects.popleft()
            if not _submit(pool, batch, True, pending):
                suspects.appendleft(batch)
                return False
        return True
    while queue and len(pending) < 2 * workers:
        batch = queue.popleft()
        if not _submit(pool, batch, False, pending):
            queue.appendleft(batch)  # it never ran: not a suspect
            return False
    return True


def _local_results(
    batches: list[list[CorpusItem]], workers: int
) -> Iterator[tuple[list[CorpusItem], list[Result]]]:
    """Run batches on a local process pool; yield each as it finishes.

    Forked where the platform allows it, so workers start with the theatre data the parent
    has already loaded. At most two batches a worker are in flight, so results never pile up.
    When a worker dies (killed, out of memory) the pool breaks and every batch in flight with
    it: the pool is restarted and those batches retried one at a time, alone, so the one that
    kills its worker again is known; its articles are reported failed, the run goes on. On
    Ctrl-C, batches already running finish and are yielded first.
    """
    _warm_parent()
    queue = deque(batches)
    suspects: deque[list[CorpusItem]] = deque()  # in flight when a worker died
    pool = _pool(workers)
    pending: dict[Future, tuple[list[CorpusItem], bool]] = {}  # -> (batch, retried alone)
    try:
        while queue or suspects or pending:
            refused = not _fill(pool, queue, suspects, pending, workers)
            if refused and not pending:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(workers)
                continue
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in finished:
                batch, alone = pending.pop(fut)
                if not isinstance(fut.exception(), BrokenProcessPool):
                    yield batch, _outcome(fut, batch)
                elif alone:
                    broken = True
                    yield batch, [(item.key, None, WORKER_DIED) for item in batch]
                else:
                    broken = True
                    suspects.append(batch)
            if broken:
                for fut, (batch, _) in pending.items():
                    if fut.done() and not isinstance(fut.exception(), BrokenProcessPool):
                        yield batch, _outcome(fut, batch)
                    else:
                        suspects.append(batch)
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(workers)
    except KeyboardInterrupt:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True)
        for fut, (batch, _) in pending.items():
            if fut.done() and not fut.cancelled():
                yield batch, _outcome(fut, batch)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(fut: Any, batch: Sequence[CorpusItem]) -> list[Result]:
    """A finished task's results; a task that crashed as a whole fails each of its articles."""
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - reported per article, the run goes on
        reason = f"worker failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        return [(item.key, None, reason) for item in batch]


def _warm_parent() -> None:
    """Load theatres (and their gazetteer lookups) in the parent so forked workers inherit them."""
    _warm()


SCHEDULER_PROBE_SECONDS = 10.0


def probe_scheduler(address: str, timeout: float = SCHEDULER_PROBE_SECONDS) -> None:
    """Check that a ``tcp://`` address answers like a Dask scheduler, within ``timeout``.

    A Dask comm greets every new connection at once with a framed message: 8 bytes of total
    length, 8 of frame count, then the frames. A service that stays silent (an HTTP server
    waiting for its request) or greets otherwise (SSH, SMTP) would leave the client waiting or
    reading a nonsense length; either is one ConfigurationError here instead.
    """
    import socket
    import struct
    from urllib.parse import urlsplit

    if "://" not in address:
        address = f"tcp://{address}"
    parts = urlsplit(address)
    if parts.scheme != "tcp":
        return  # tls, ucx, inproc: left to distributed
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host or not port:
        raise ConfigurationError(f"--scheduler {address!r} is not tcp://host:port")
    greeting = b""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            while len(greeting) < 16:
                chunk = sock.recv(16 - len(greeting))
                if not chunk:
                    break
                greeting += chunk
    except TimeoutError:
        pass
    except OSError as exc:
        raise ConfigurationError(
            f"cannot reach the Dask scheduler {address!r} ({exc.strerror or exc})"
        ) from None
    if len(greeting) < 16:
        raise ConfigurationError(
            f"{address} did not greet as a Dask scheduler within {timeout:.0f} s"
        )
    total, frames = struct.unpack("<QQ", greeting)
    if not (1 <= frames <= 64 and 16 <= total <= 1 << 20):
        raise ConfigurationError(f"{address} answered, but not as a Dask scheduler")


@contextlib.contextmanager
def dask_client(scheduler: str, workers: int) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler`` (``local`` starts a LocalCluster of ``workers``
    processes), closed with its cluster on exit; used by ``geo corpus`` and ``geo build``."""
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigurationError("--scheduler needs dask[distributed] (make setup)") from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            probe_scheduler(scheduler)
            client = Client(scheduler, timeout="10s")
    except ConfigurationError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the far end does, one line, no traceback
        if cluster is not None:
            cluster.close()
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ConfigurationError(
            f"cannot use the Dask scheduler {scheduler!r} ({reason})"
        ) from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _dask_results(
    batches: list[list[CorpusItem]], scheduler: str, workers: int
) -> Iterator[tuple[list[CorpusItem], list[Result]]]:
    """Run batches on a Dask cluster (``local`` starts a LocalCluster); yield each as it ends."""
    from distributed import as_completed

    with dask_client(scheduler, workers) as client:
        futures = {client.submit(geoparse_batch, _task(b), pure=False): b for b in batches}
        for fut in as_completed(futures):
            yield futures[fut], _outcome(fut, futures[fut])
