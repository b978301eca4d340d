"""Geoparse a whole corpus in parallel into one GeoParquet file, resumably.

A newsroom follows a conflict through thousands of articles, so this stage runs the same
recognise → resolve → control pipeline as ``geo places`` over many articles at once:

- Inputs (``inputs``): article files (``.md``/``.markdown``/``.txt`` with optional front
  matter), or news archive exports: JSON Lines (``.jsonl``/``.ndjson``) or CSV with ``text`` and
  ``date`` columns (``title``, ``id``, ``url`` optional). Folders and glob patterns are expanded.
- Parallel (``runners``): a local process pool by default (forked after the theatre data is
  loaded, so a worker starts in milliseconds and opens the gazetteer once), or a
  ``dask.distributed`` cluster; either way articles travel in batches so each task amortises
  its overhead. The batch itself is geoparsed by ``worker``.
- Resumable (``parts``): finished batches are written at once as part files in
  ``<out>.parts/``, keyed by a hash of each article's content; a rerun skips every article
  already in a part, and an interrupted run keeps every part it finished. Each part has a
  record of its checksum and row count; a damaged part is named, deleted and redone, and
  the combined file (``geoparquet``) is written from verified parts only, at the end.
- Faults: a worker that dies (killed, out of memory) costs a pool restart; the batches in
  flight are retried one at a time, and only one that kills its worker again fails.
- Memory (``rowgroups``): a worker writes an article's rows window by window as compressed
  Parquet row groups, the parent copies them into the part a row group at a time, and the
  combine step reads parts a row group at a time: what is held is bounded by a window and a
  row group, not by an article's mentions (issue 17).
- Rows: one per place mention, with the article's id, date and title, the mention and its
  offsets, the resolved place and the control of the ground at the article's date.
- Claims (``claims_table``): the events each article asserts (``geo.claims``), stored in the
  same parts and combined into a second GeoParquet beside the places.

Control (``lookup``) is the theatre join's answer (``geo.join.control_many``), looked up for a
whole batch at once in an STRtree over each recorded date's cells and memoised: the full join
also adds routes and events, which costs about 0.23 s per article (measured) and is not part
of a corpus row.
``run.geoparse_corpus`` ties the stages together.
"""

from __future__ import annotations

from geo.corpus.geoparquet import COLUMNS, combine
from geo.corpus.inputs import (
    CSV_SUFFIXES,
    FILE_SUFFIXES,
    JSONL_SUFFIXES,
    CorpusItem,
    content_key,
    expand_inputs,
    read_corpus,
)
from geo.corpus.lookup import control_at_many
from geo.corpus.parts import (
    PARTS_SUFFIX,
    DamagedPart,
    done_parts,
    parts_dir,
    pipeline_version,
    prune_parts,
    verify_part,
    write_part,
)
from geo.corpus.run import CorpusReport, geoparse_corpus
from geo.corpus.runners import default_batch_size
from geo.corpus.worker import Result, Task, geoparse_batch

__all__ = [
    "COLUMNS",
    "CSV_SUFFIXES",
    "FILE_SUFFIXES",
    "JSONL_SUFFIXES",
    "PARTS_SUFFIX",
    "CorpusItem",
    "CorpusReport",
    "DamagedPart",
    "Result",
    "Task",
    "combine",
    "content_key",
    "control_at_many",
    "default_batch_size",
    "done_parts",
    "expand_inputs",
    "geoparse_batch",
    "geoparse_corpus",
    "parts_dir",
    "pipeline_version",
    "prune_parts",
    "read_corpus",
    "verify_part",
    "write_part",
]
