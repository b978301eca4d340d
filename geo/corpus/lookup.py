"""Control of the ground for a whole batch of places: one STRtree query per control snapshot.

The same answer ``geo.enrich.enrich`` gives (``tests/test_corpus.py`` checks it), memoised per
snapshot and point: a corpus names the same towns again and again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geo.corpus.inputs import _opt

if TYPE_CHECKING:
    from shapely import STRtree
    from shapely.geometry.base import BaseGeometry

    from geo.theatres import Theatre


_CONTROL_MEMO: dict[tuple[Any, dt.date, float, float], tuple] = {}  # (theatre, snapshot, x, y)
_NO_CONTROL = (None, None, None)


@lru_cache(maxsize=16)
def _prepared_shape(theatre: Theatre) -> BaseGeometry:
    """The theatre's outline, prepared once for fast point-in-polygon tests."""
    import shapely

    from geo.control import theatre_shape

    shape = shapely.from_wkb(shapely.to_wkb(theatre_shape(theatre)))
    shapely.prepare(shape)
    return shape


@lru_cache(maxsize=64)
def _cell_index(theatre: Theatre, snapshot: dt.date) -> tuple[STRtree, list[tuple]]:
    """The control cells of one snapshot (``geo.control.cells_at``) in an STRtree, with each
    cell's (actor, status, as-of date): one tree query answers a whole batch of points."""
    import shapely

    from geo.control import cells_at

    cells = cells_at(theatre, snapshot)
    answers = []
    for actor, status, day in zip(cells["actor"], cells["status"], cells["as_of"], strict=True):
        iso = day.isoformat() if hasattr(day, "isoformat") else _opt(day)
        answers.append((_opt(actor), _opt(status), iso) if _opt(actor) else _NO_CONTROL)
    return shapely.STRtree(cells.geometry.to_numpy()), answers


def control_at_many(
    docs: Sequence[tuple[Sequence[dict], str | None]],
) -> list[list[tuple[str | None, str | None, str | None]]]:
    """For each (places, date): (actor, status, as-of date) holding each place at that date.

    The same answer ``geo.enrich.enrich`` gives: areas (countries, seas, regions) and places
    outside every theatre get (None, None, None). Points are looked up once per theatre and
    control snapshot for the whole batch, and memoised: a corpus names the same towns again
    and again, and control only changes at the theatre's recorded dates.
    """
    import shapely

    from geo.control import as_of
    from geo.enrich import AREA_KINDS
    from geo.theatres import load_all

    theatres = load_all()
    out = [[_NO_CONTROL] * len(places) for places, _ in docs]
    # (theatre, snapshot) -> point -> [(doc, place)]
    wanted: dict[tuple, dict[tuple[float, float], list[tuple[int, int]]]] = {}
    for d, (places, date) in enumerate(docs):
        snapshots = [(t, as_of(t, date)) for t in theatres]
        for i, p in enumerate(places):
            kind = p.get("kind") or "unknown"
            if p.get("lat") is None or p.get("lon") is None or kind in AREA_KINDS:
                continue
            xy = (float(p["lon"]), float(p["lat"]))
            for theatre, snapshot in snapshots:
                if snapshot is not None:
                    wanted.setdefault((theatre, snapshot), {}).setdefault(xy, []).append((d, i))
    for (theatre, snapshot), points in wanted.items():
        missing = [xy for xy in points if (theatre, snapshot, *xy) not in _CONTROL_MEMO]
        if missing:
            geoms = shapely.points(missing)
            inside = shapely.covers(_prepared_shape(theatre), geoms)
            tree, answers = _cell_index(theatre, snapshot)
            # As control_of_points' spatial join: the first cell the point lies within.
            hit_point, hit_cell = tree.query(geoms, predicate="within")
            first: dict[int, int] = {}
            for i, c in zip(hit_point.tolist(), hit_cell.tolist(), strict=True):
                first[i] = min(c, first.get(i, c))
            for i, xy in enumerate(missing):
                found = inside[i] and i in first
                _CONTROL_MEMO[(theatre, snapshot, *xy)] = (
                    answers[first[i]] if found else _NO_CONTROL
                )
        for xy, where in points.items():
            answer = _CONTROL_MEMO[(theatre, snapshot, *xy)]
            if answer[0] is not None:
                for d, i in where:
                    out[d][i] = answer
    return out


def control_at(
    places: Sequence[dict], date: str | None
) -> list[tuple[str | None, str | None, str | None]]:
    """(actor, status, as-of date) holding each of one article's places at ``date``."""
    return control_at_many([(places, date)])[0]
