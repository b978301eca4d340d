"""A corpus run from start to end: read, skip what is done, run the rest, store, combine."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.corpus.claims_table import claims_path, combine_claims
from geo.corpus.geoparquet import combine
from geo.corpus.inputs import CorpusItem, read_corpus
from geo.corpus.parts import done_parts, parts_dir, pipeline_version, prune_parts, write_part
from geo.corpus.runners import _batches, _dask_results, _local_results, default_batch_size
from geo.corpus.worker import Result
from geo.errors import ConfigurationError, InputError
from geo.memory import release_freed


@dataclass
class CorpusReport:
    """What a run did; ``failed`` holds (source, reason) pairs, one per bad article."""

    out: Path
    total: int = 0
    done: int = 0
    skipped: int = 0
    rows: int = 0
    claims: int = 0  # rows of the claims table
    claims_out: Path | None = None
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False
    damaged: list[str] = field(default_factory=list)  # parts found damaged and redone

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


def geoparse_corpus(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    batch_size: int | None = None,
    limit: int | None = None,
    progress: bool = True,
    on_failure: Callable[[str, str], None] | None = None,
    claims_out: str | Path | None = None,
) -> CorpusReport:
    """Geoparse every article under ``inputs`` into the GeoParquet file ``out``.

    Parameters
    ----------
    inputs
        Files, folders or glob patterns (see the module docstring for formats).
    out
        The GeoParquet file to write; finished batches are kept in ``<out>.parts/``.
    workers
        Local worker processes (default: one per CPU), or Dask workers for ``local``.
    scheduler
        A Dask scheduler address (``tcp://host:8786``), or ``local`` for a LocalCluster.
    batch_size
        Articles per task (default: from corpus size and workers, at most 64).
    limit
        Geoparse at most this many not-yet-done articles in this run (the rest wait for a rerun).
    progress
        Show a progress bar on stderr.
    on_failure
        Called with (source, reason) for each bad article as soon as it is known.
    claims_out
        The claims GeoParquet (default: beside ``out``, ``<name>.claims.parquet``).

    Returns
    -------
    CorpusReport. On Ctrl-C the finished batches are kept and the report says ``interrupted``.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    out = Path(out)
    if out.exists() and out.is_dir():
        raise InputError(f"{out}: is a folder; --out names the GeoParquet file to write")
    if workers is not None and workers < 1:
        raise ConfigurationError("--workers must be at least 1")
    workers = workers or os.cpu_count() or 1
    items, failed = read_corpus(inputs)
    report = CorpusReport(out=out, total=len(items) + len(failed))
    report.claims_out = Path(claims_out) if claims_out is not None else claims_path(out)
    notify = on_failure or (lambda source, reason: None)
    for source, reason in failed:
        report.failed.append((source, reason))
        notify(source, reason)

    folder = parts_dir(out)
    version = pipeline_version()

    def damaged(part: Path, reason: str) -> None:
        report.damaged.append(str(part))
        notify(str(part), f"damaged part ({reason}); its articles are redone")

    done = done_parts(folder, version, damaged)
    todo = [i for i in items if i.key not in done]
    report.skipped = len(items) - len(todo)
    if limit is not None:
        todo = todo[: max(0, limit)]
    batches = _batches(todo, batch_size or default_batch_size(len(todo), workers))
    runner = _runner(batches, scheduler, workers)
    bar = tqdm(
        total=len(todo),
        desc="geo corpus",
        unit="article",
        file=sys.stderr,
        disable=not progress or not todo,
        dynamic_ncols=True,
    )
    try:
        for batch, results in runner:
            try:
                part = write_part(folder, results, version)
            except OSError as exc:
                raise InputError(f"{folder}: cannot write ({exc.strerror or exc})") from None
            _tally(report, batch, results, part, done, notify)
            bar.update(len(batch))
            del results
            release_freed()  # a batch's rows are on disk: their pages go back to the system
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        bar.close()
        if hasattr(runner, "close"):
            runner.close()  # stops the pool or cluster even when the loop ended early
    if not report.interrupted:
        try:
            prune_parts(folder, version)
            report.rows = combine(items, done, out)
            report.claims = combine_claims(items, done, report.claims_out)
        except OSError as exc:
            raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    report.seconds = time.perf_counter() - started
    return report


def _runner(batches: list[list[CorpusItem]], scheduler: str | None, workers: int) -> Iterable:
    """Batches with their results as they finish: Dask for a scheduler, else local processes."""
    if not batches:
        return ()
    if scheduler:
        return _dask_results(batches, scheduler, workers)
    return _local_results(batches, workers)


def _tally(
    report: CorpusReport,
    batch: Sequence[CorpusItem],
    results: Sequence[Result],
    part: Path | None,
    done: dict[str, Path],
    notify: Callable[[str, str], None],
) -> None:
    """Count one finished batch: failures reported at once, successes kept with their part."""
    sources = {i.key: i.source for i in batch}
    for key, rows, error in results:
        if rows is None:
            report.failed.append((sources[key], error or "failed"))
            notify(sources[key], error or "failed")
        else:
            report.done += 1
            if part is not None:
                done[key] = part
