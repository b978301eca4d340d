"""The worker side of a corpus run: geoparse a batch of articles into Parquet rows.

Runs in a pool process or a Dask worker; one bad article fails alone, with its reason. An
article's places are taken one context window at a time, cut down at once to the columns of
a corpus row and written as Parquet row groups into bytes (``rowgroups``), so a huge article
of nothing but place names holds one window's records and a few bytes a row, not all of its
rows as Python objects (issue 17: memory bounded by the input's size).
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from geo.corpus.claims_table import CLAIM_TYPES
from geo.corpus.inputs import _split
from geo.corpus.lookup import control_at_many, warm_theatres
from geo.corpus.rowgroups import GroupWriter, schema_of
from geo.errors import GeoError
from geo.memory import release_freed

Task = tuple[str, str, str, str | None]  # key, source, text, date
# Arrow types of an article's row (one per place mention), in order.
ROW_TYPES = {
    "mention": "string", "start": "int64", "end": "int64", "place_id": "string",
    "name": "string", "kind": "string", "country": "string", "score": "float64",
    "lon": "float64", "lat": "float64", "control": "string", "control_status": "string",
    "control_as_of": "string",
}  # fmt: skip
_FROM_RECORD = {"place_id": "id"}  # row column -> place record key, where they differ
_CONTROL = ("control", "control_status", "control_as_of")  # from the control lookup


class Rows(NamedTuple):
    """An article's rows as Parquet bytes (``rowgroups.read_groups``): its places
    (``ROW_TYPES``) and its claims (``claims_table.CLAIM_TYPES``); ``b""`` when none."""

    places: bytes
    claims: bytes


Result = tuple[str, Rows | None, str | None]  # key, rows, error


@lru_cache(maxsize=1)
def _warm() -> bool:
    """Load what every batch needs, once per process: gazetteer, theatres, control cells, and
    the Parquet writer (loaded in the parent before the pool forks, a worker shares its ~40 MB
    instead of loading its own)."""
    import pyarrow.parquet  # noqa: F401

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


def _article_rows(text: str, source: str, date: str | None) -> Rows:
    """One article's rows, its places taken a context window at a time and written as they
    come; its claims (``geo.claims``, read window by window as ``geo places`` does) beside."""
    import pyarrow as pa

    from geo.articles import article_from_text
    from geo.claims import FIELDS, claims_for
    from geo.places import iter_place_batches

    article = article_from_text(text, source)
    date = date or article.date
    place_schema, claim_schema = schema_of(ROW_TYPES), schema_of(CLAIM_TYPES)
    places, claims = GroupWriter(place_schema), GroupWriter(claim_schema)
    from_record = [(c, _FROM_RECORD.get(c, c)) for c in ROW_TYPES if c not in _CONTROL]
    for batch in iter_place_batches(article):
        columns = {column: [p[key] for p in batch] for column, key in from_record}
        control = control_at_many([(batch, date)])[0]
        for i, column in enumerate(_CONTROL):
            columns[column] = [c[i] for c in control]
        places.add(pa.table(columns, schema=place_schema))
        del columns, control
        found = claims_for(article.text, batch, date, article.body_start)
        claims.add(pa.table({n: [c[n] for c in found] for n in FIELDS}, schema=claim_schema))
    return Rows(places.close(), claims.close())


def geoparse_batch(batch: Sequence[Task]) -> list[Result]:
    """Geoparse a batch of articles: (key, rows, None) each, or (key, None, reason).

    Runs in a worker (a pool process or a Dask worker); what travels back to the parent is
    each article's rows as compressed Parquet bytes.
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
        release_freed()  # an article's windows are gone: their pages go back to the system
    return results
