"""The worker side of a corpus run: geoparse a batch of articles into columns of rows.

Runs in a pool process or a Dask worker; one bad article fails alone, with its reason. An
article's places are taken one context window at a time and cut down at once to the columns
of a corpus row, so a huge article of nothing but place names holds one window's full
records at a time, not all of them (issue 17: memory bounded by the input's size).
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from functools import lru_cache

from geo.corpus.inputs import _split
from geo.corpus.lookup import control_at_many, warm_theatres
from geo.errors import GeoError

Task = tuple[str, str, str, str | None]  # key, source, text, date
# key, rows as columns (ROW_COLUMNS -> one value per mention), error
Result = tuple[str, dict[str, list] | None, str | None]
ROW_COLUMNS = (
    "mention", "start", "end", "place_id", "name", "kind", "country", "score", "lon", "lat",
    "control", "control_status", "control_as_of",
)  # fmt: skip
CLAIM_PREFIX = "claim."  # columns of the article's claims (geo.claims.FIELDS), one per claim
_FROM_RECORD = {"place_id": "id"}  # row column -> place record key, where they differ


@lru_cache(maxsize=1)
def _warm() -> bool:
    """Load what every batch needs, once per process: gazetteer, theatres, control cells."""
    from geo.gazetteer.index import open_index

    open_index()
    warm_theatres()
    return True


def _worker_init() -> None:
    """Start of a forked pool worker: own gazetteer connection; Ctrl-C is the parent's to handle.

    A SQLite connection must not be used across fork, so the inherited handle is dropped and the
    index reopened (0.1 s); theatre data and shapes come from the parent's memory as they are.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from geo.gazetteer import index

    index._OPEN.clear()
    index.open_index()


def _article_rows(text: str, source: str, date: str | None) -> dict[str, list]:
    """One article's rows as columns, its places taken a context window at a time; its claims
    (``geo.claims``, read window by window as ``geo places`` does) as ``CLAIM_PREFIX`` columns."""
    from geo.articles import article_from_text
    from geo.claims import FIELDS, claims_for
    from geo.places import iter_place_batches

    article = article_from_text(text, source)
    date = date or article.date
    columns: dict[str, list] = {name: [] for name in ROW_COLUMNS}
    columns.update({CLAIM_PREFIX + name: [] for name in FIELDS})
    record_columns = [(c, _FROM_RECORD.get(c, c)) for c in ROW_COLUMNS[:10]]
    for places in iter_place_batches(article):
        for column, key in record_columns:
            columns[column].extend(p[key] for p in places)
        for actor, status, day in control_at_many([(places, date)])[0]:
            columns["control"].append(actor)
            columns["control_status"].append(status)
            columns["control_as_of"].append(day)
        for claim in claims_for(article.text, places, date, article.body_start):
            for name in FIELDS:
                columns[CLAIM_PREFIX + name].append(claim[name])
    return {name: _shared(values) for name, values in columns.items()}


def _shared(values: list) -> list:
    """``values`` with equal values as one object (a float by its bits, so -0.0 stays apart
    from 0.0): pickle sends a repeated object once and the parent unpickles one copy, where an
    article naming a few places thousands of times sent and rebuilt a copy per mention (the
    parent of a corpus of 1 MB lines held ~1.2 KB a row)."""
    seen: dict = {}
    return [seen.setdefault((type(v), v.hex() if type(v) is float else v), v) for v in values]


def geoparse_batch(batch: Sequence[Task]) -> list[Result]:
    """Geoparse a batch of articles: (key, columns, None) each, or (key, None, reason).

    Runs in a worker (a pool process or a Dask worker); columns hold one value per mention.
    """
    _warm()
    results: list[Result] = []
    for key, source, text, date in batch:
        try:
            results.append((key, _article_rows(text, source, date), None))
        except GeoError as exc:
            results.append((key, None, _split(str(exc), source)[1]))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the corpus
            results.append((key, None, f"{type(exc).__name__}: {exc}"))
    return results
