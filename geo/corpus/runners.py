"""Where batches run: a local process pool (forked, warm) or a ``dask.distributed`` cluster.

Either way results come back batch by batch as they finish, so each can be stored at once.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
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


def _local_results(
    batches: list[list[CorpusItem]], workers: int
) -> Iterator[tuple[list[CorpusItem], list[Result]]]:
    """Run batches on a local process pool; yield each as it finishes.

    Forked where the platform allows it, so workers start with the theatre data the parent
    has already loaded. On Ctrl-C, batches already running finish and are yielded first.
    """
    _warm_parent()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)
    pending: dict[Future, list[CorpusItem]] = {}
    try:
        for batch in batches:
            pending[pool.submit(geoparse_batch, _task(batch))] = batch
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                batch = pending.pop(fut)
                yield batch, _outcome(fut, batch)
    except KeyboardInterrupt:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True)
        for fut, batch in pending.items():
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


def _dask_results(
    batches: list[list[CorpusItem]], scheduler: str, workers: int
) -> Iterator[tuple[list[CorpusItem], list[Result]]]:
    """Run batches on a Dask cluster (``local`` starts a LocalCluster); yield each as it ends."""
    import logging

    try:
        from distributed import Client, LocalCluster, as_completed
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
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise ConfigurationError(f"cannot reach the Dask scheduler {scheduler!r} ({exc})") from None
    try:
        futures = {client.submit(geoparse_batch, _task(b), pure=False): b for b in batches}
        for fut in as_completed(futures):
            yield futures[fut], _outcome(fut, futures[fut])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
