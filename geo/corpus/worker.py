"""The worker side of a corpus run: geoparse a batch of articles into plain row dicts.

Runs in a pool process or a Dask worker; one bad article fails alone, with its reason.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from functools import lru_cache

from geo.corpus.inputs import _split
from geo.corpus.lookup import control_at_many, warm_theatres
from geo.errors import GeoError

Task = tuple[str, str, str, str | None]  # key, source, text, date
Result = tuple[str, list[dict] | None, str | None]  # key, rows, error


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


def geoparse_batch(batch: Sequence[Task]) -> list[Result]:
    """Geoparse a batch of articles: (key, rows, None) each, or (key, None, reason) on failure.

    Runs in a worker (a pool process or a Dask worker); rows are plain dicts, one per mention.
    """
    from geo.articles import article_from_text
    from geo.places import places_from_article

    _warm()
    parsed: list[tuple[str, list[dict], str | None]] = []
    errors: dict[str, str] = {}
    for key, source, text, date in batch:
        try:
            article = article_from_text(text, source)
            parsed.append((key, places_from_article(article).places, date or article.date))
        except GeoError as exc:
            errors[key] = _split(str(exc), source)[1]
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the corpus
            errors[key] = f"{type(exc).__name__}: {exc}"
    controls = control_at_many([(places, date) for _, places, date in parsed])
    rows_of: dict[str, list[dict]] = {}
    for (key, places, _), control in zip(parsed, controls, strict=True):
        rows_of[key] = [
            {
                "mention": p["mention"],
                "start": p["start"],
                "end": p["end"],
                "place_id": p["id"],
                "name": p["name"],
                "kind": p["kind"],
                "country": p["country"],
                "score": p["score"],
                "lon": p["lon"],
                "lat": p["lat"],
                "control": actor,
                "control_status": status,
                "control_as_of": day,
            }
            for p, (actor, status, day) in zip(places, control, strict=True)
        ]
    return [(key, rows_of.get(key), errors.get(key)) for key, _, _, _ in batch]
