"""The theatre join: an article's places and its date in, the theatres that apply, each place's
theatre fields and the theatre layers out. ``geo places``, ``geo export``, the map and
``geo corpus`` all call it, so they agree on which theatres apply and who holds each place.

One rule picks the theatres: a theatre applies to an article when one of its sites (towns,
ports, islands; its countries and seas only when it names no site) falls in the theatre's
countries or within ``NEAR_KM`` of one of its land or sea routes (``theatre_area``). A place
outside every theatre gets empty fields, never an error.

Control: a site (a town, a port, not a country or a sea) of an applying theatre gets the
control cell it lies in, or the nearest within ``geo.control.COAST_KM`` when it sits just off
the coast (``geo.control.control_lookup``), when it is inside the theatre's countries or
belongs to one of them. ``control_many`` answers that for a batch of articles at once (the
corpus); ``join`` for one article, with routes, events and roles added (``geo.fields``).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import shapely

from geo.dates import parse_day
from geo.errors import TheatreDataError
from geo.theatres.state import Answer, TheatreState, load_states, state_of, theatre_of
from geo.vocab import AREA_KINDS

if TYPE_CHECKING:  # the GeoDataFrame API imports geopandas when it is asked for, not before
    import geopandas as gpd
    from shapely.geometry import Point

    from geo.theatres import Theatre


PLACE_FIELDS = ("name", "lat", "lon", "kind", "id", "country")
# The theatre fields every place gets (the GeoDataFrame columns ``join`` adds), in order.
ADDED = (
    "theatre", "control", "control_status", "control_certainty", "control_as_of", "control_town",
    "backers", "routes", "route_roles", "events", "roles", "backs",
)  # fmt: skip
_SCALAR = ADDED[:6]
# The fields a ``geo places`` record and a map row carry (JSON-ready).
RECORD_FIELDS = (
    "control", "control_status", "control_as_of", "backers", "routes", "route_roles", "events",
    "roles",
)  # fmt: skip
XY = tuple[float, float]


def places_frame(places: gpd.GeoDataFrame | Sequence[dict]) -> gpd.GeoDataFrame:
    """Places as a GeoDataFrame in EPSG:4326, one point (or None) per row."""
    import geopandas as gpd
    import pandas as pd

    if isinstance(places, gpd.GeoDataFrame):
        gdf = places.copy()
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            gdf = gdf.to_crs(4326)
        return gdf.reset_index(drop=True)
    records = [dict(p) for p in places]
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    for col in PLACE_FIELDS:
        if col not in frame.columns:
            frame[col] = None
    geoms = [place_point(p) for p in records]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)


def _number(value: Any) -> float | None:
    """A coordinate as a float; None, NaN and pandas' NA are no coordinate."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _xy(record: dict) -> XY | None:
    lat, lon = _number(record.get("lat")), _number(record.get("lon"))
    return None if lat is None or lon is None else (lon, lat)


def place_point(record: dict) -> Point | None:
    """A place record's point (lon, lat), or None when it has no coordinates."""
    xy = _xy(record)
    return None if xy is None else shapely.Point(*xy)


def _kind(value: Any) -> str:
    return str(value) if isinstance(value, str) or _number(value) is not None else "unknown"


def _day(date: Any) -> dt.date | None:
    try:
        return parse_day(date)
    except ValueError as exc:
        raise TheatreDataError(str(exc)) from None


def _is_frame(places: Any) -> bool:
    gpd = sys.modules.get("geopandas")  # not imported: it cannot be a GeoDataFrame
    return gpd is not None and isinstance(places, gpd.GeoDataFrame)


def _located(places: gpd.GeoDataFrame | Sequence[dict]) -> tuple[list, list[str], list]:
    """(points as (lon, lat) or None, kinds, countries) of records or a GeoDataFrame."""
    if _is_frame(places):
        gdf = places_frame(places)
        xy = [None if g is None or g.is_empty else (g.x, g.y) for g in gdf.geometry]
        return xy, [_kind(k) for k in gdf["kind"]], list(gdf["country"])
    return (
        [_xy(p) for p in places],
        [_kind(p.get("kind")) for p in places],
        [p.get("country") for p in places],
    )


# --------------------------------------------------------------------------- the one rule


def _pool(theatres: Iterable[Theatre | TheatreState] | None) -> list[TheatreState]:
    return load_states() if theatres is None else [state_of(t) for t in theatres]


def theatre_area(theatre: Theatre | TheatreState):
    """Where a place makes this theatre apply: its countries, and land and sea routes ±25 km
    (prepared, from the theatre's compiled state)."""
    return state_of(theatre).area


def warm(theatres: Iterable[Theatre | TheatreState] | None = None) -> None:
    """Load the theatres' states and their control trees, once per process (before a fork)."""
    for state in _pool(theatres):
        for day in state.dates:
            state.control(day, [])


def _points(geoms: Iterable) -> list:
    return [g for g in geoms if g is not None and not g.is_empty]


def active_theatres(
    places: gpd.GeoDataFrame | Sequence[dict], theatres: Iterable[Theatre] | None = None
) -> list[Theatre]:
    """The loaded theatres that apply to an article with these places (see ``_applying``)."""
    given = list(theatres) if theatres is not None else None
    xy, kinds, _ = _located(places)
    return _loaded(_applying(xy, kinds, _pool(given)), given)


def _loaded(states: Sequence[TheatreState], given: Sequence | None) -> list[Theatre]:
    """The Theatre objects (tables) of these states: the caller's own, else loaded."""
    own = {id(state_of(t)): t for t in given or () if not isinstance(t, TheatreState)}
    return [own.get(id(s)) or theatre_of(s) for s in states]


def _applying(xy: Sequence[XY | None], kinds: Sequence[str], pool: list[TheatreState]) -> list:
    """The one rule: a theatre applies when one of the article's sites (towns, ports, islands)
    lies in its ``theatre_area``; its areas (countries, seas) count only when it names no site,
    so a Libyan article naming Syria as where fighters came from brings no Syrian front."""
    located = [(p, k) for p, k in zip(xy, kinds, strict=True) if p is not None]
    pts = [p for p, k in located if k not in AREA_KINDS] or [p for p, _ in located]
    if not pts:
        return []
    geoms = shapely.points(pts)
    return [s for s in pool if shapely.covers(s.area, geoms).any()]


Doc = tuple[Sequence[Any], Sequence[Any], Sequence[Any], Any]  # points, kinds, countries, date


def control_many(
    docs: Sequence[Doc], theatres: Iterable[Theatre | TheatreState] | None = None
) -> list[list[tuple[TheatreState, Answer] | None]]:
    """For each article (points, kinds, countries, date): the theatre and control cell holding
    each place, or None. One bulk lookup per theatre and recorded date for the whole batch.
    Points are shapely points or (lon, lat) pairs."""
    pool = _pool(theatres)
    located = []
    for points, kinds, countries, date in docs:
        xy = [_point_xy(g) for g in points]
        located.append((xy, [_kind(k) for k in kinds], list(countries), _day(date)))
    return _control(located, pool)


def _point_xy(g: Any) -> XY | None:
    if g is None:
        return None
    if isinstance(g, tuple):
        return (float(g[0]), float(g[1]))
    return None if g.is_empty else (g.x, g.y)


def _control(
    docs: Sequence[tuple[list, list[str], list, dt.date | None]], pool: list[TheatreState]
) -> list[list[tuple[TheatreState, Answer] | None]]:
    out: list[list[tuple[TheatreState, Answer] | None]] = [[None] * len(d[0]) for d in docs]
    # (theatre, recorded date) -> [(doc, place, point)], theatres in load order
    wanted: dict[tuple[int, dt.date], list[tuple[int, int, XY]]] = {}
    for d, (xy, kinds, countries, day) in enumerate(docs):
        sites = [i for i, p in enumerate(xy) if p is not None and kinds[i] not in AREA_KINDS]
        if not sites:
            continue
        for state in _applying(xy, kinds, pool):
            recorded = state.as_of(day)
            if recorded is None:
                continue
            inside = shapely.covers(state.shape, shapely.points([xy[i] for i in sites]))
            for i, covered in zip(sites, inside.tolist(), strict=True):
                # a site of the theatre's own countries just off the coastline still gets a cell
                if covered or countries[i] in state.countries:
                    wanted.setdefault((pool.index(state), recorded), []).append((d, i, xy[i]))
    for (n, recorded), where in sorted(wanted.items(), key=lambda kv: kv[0][0]):
        found = pool[n].control(recorded, [p for _, _, p in where])
        for (d, i, _), answer in zip(where, found, strict=True):
            if answer is not None and answer[1] is not None:
                out[d][i] = (pool[n], answer)
    return out


# --------------------------------------------------------------------------- one article


def _fields(
    xy: list[XY | None], kinds: list[str], countries: list, date: Any, active: list[TheatreState]
) -> list[dict[str, Any]]:
    """The ``ADDED`` fields of each place from the applying theatres."""
    day = _day(date)
    rows: list[dict[str, Any]] = [
        dict.fromkeys(_SCALAR) | {c: [] for c in ADDED[len(_SCALAR) :]} for _ in xy
    ]
    held = _control([(xy, kinds, countries, day)], active)[0]
    backer_memo: dict[tuple[str, str], list[str]] = {}
    for row, hit in zip(rows, held, strict=True):
        if hit is None:
            continue
        state, (town, actor, _, status, certainty, as_of) = hit
        row.update(zip(_SCALAR, (state.id, actor, status, certainty, as_of, town), strict=True))
        if (state.id, actor) not in backer_memo:
            backer_memo[(state.id, actor)] = state.backers_of(actor, day)
        row["backers"] = list(backer_memo[(state.id, actor)])
    sites = [i for i, p in enumerate(xy) if p is not None and kinds[i] not in AREA_KINDS]
    for state in active:
        for i in sites:
            x, y = xy[i]  # type: ignore[misc]
            near, events = state.route_roles(x, y), state.events_near(x, y, day)
            row = rows[i]
            if near or events:
                row["theatre"] = row["theatre"] or state.id
            row["routes"] += [r for r, _ in near if r not in row["routes"]]
            row["route_roles"] += [{"route": r, "role": role} for r, role in near]
            row["events"] += events
        for i, kind in enumerate(kinds):
            if kind == "country":
                roles, backs = state.country_roles(countries[i], day)
                row = rows[i]
                row["roles"] += roles
                row["backs"] += [b for b in backs if b not in row["backs"]]
                if roles and row["theatre"] is None:
                    row["theatre"] = state.id
    return rows


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    frames = [f for f in frames if not f.empty]
    if not frames:
        return gpd.GeoDataFrame(geometry=[], crs=4326)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)


@lru_cache(maxsize=16)
def _sea_area(theatre: Theatre):
    """The envelope of the theatre's maritime items: a place there makes them relevant."""
    from geo.maritime import maritime_at

    sea = maritime_at(theatre)
    return sea.union_all().envelope if len(sea) else shapely.Polygon()


@dataclass
class Joined:
    """One article's places joined with the theatres that apply to it at its date: the fields
    as plain records (``rows``); the GeoDataFrame and map layers made only when asked for."""

    states: list[TheatreState]
    rows: list[dict[str, Any]]  # the ``ADDED`` fields of each place
    date: str | dt.date | None
    source: Any = None  # the places as given (records or a GeoDataFrame)
    given: list | None = field(default=None, repr=False)  # the caller's theatres, if any

    @cached_property
    def theatres(self) -> list[Theatre]:
        """The applying theatres' tables (``geo.theatres.Theatre``), loaded when first asked."""
        return _loaded(self.states, self.given)

    @cached_property
    def places(self) -> gpd.GeoDataFrame:
        """The input places as a GeoDataFrame with the ``ADDED`` columns."""
        import pandas as pd

        gdf = places_frame(self.source)
        for c in ADDED:  # object dtype keeps None as None (a string dtype would make it NaN)
            gdf[c] = pd.Series([r[c] for r in self.rows], index=gdf.index, dtype=object)
        return gdf

    def records(self, records: Sequence[dict]) -> list[dict]:
        """``records`` (the places joined) with the JSON-ready ``RECORD_FIELDS`` added; the
        input records are not modified."""
        return [
            dict(rec) | {c: row[c] for c in RECORD_FIELDS}
            for rec, row in zip(records, self.rows, strict=True)
        ]

    @cached_property
    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every map layer at the date: places (joined), zones, frontlines, routes (legs split
        by control), events and maritime, from the theatres that apply."""
        from geo.control import frontlines_at, zones_at
        from geo.fields import events_at
        from geo.maritime import maritime_at
        from geo.routes import route_legs

        date, places, active = self.date, self.places, self.theatres
        # Ground layers only for theatres a place falls in: a route's far end (Afrin, where the
        # fighters Turkey moved to Libya were recruited) does not bring Libya's zones along.
        pts = _points(places.geometry)
        shapes = {id(t): s.shape for t, s in zip(active, self.states, strict=True)}
        grounded = [t for t in active if any(shapes[id(t)].covers(p) for p in pts)]
        at_sea = [t for t in active if t in grounded or any(_sea_area(t).covers(p) for p in pts)]
        layers = {"places": places}
        layers["zones"] = _concat([zones_at(t, date) for t in grounded])
        layers["frontlines"] = _concat([frontlines_at(t, date) for t in grounded])
        # Elsewhere only what touches the places: the routes they lie on, events near them.
        on_routes = {r for row in self.rows for r in row["routes"]}
        near_events = {e for row in self.rows for e in row["events"]}

        def keep(frame: gpd.GeoDataFrame, t: Theatre, col: str, ids: set[str]) -> gpd.GeoDataFrame:
            return frame if t in grounded else frame[frame[col].isin(ids)]

        layers["routes"] = _concat(
            [keep(route_legs(t, date), t, "route", on_routes) for t in active]
        )
        layers["events"] = _concat([keep(events_at(t, date), t, "id", near_events) for t in active])
        layers["maritime"] = _concat([maritime_at(t, date) for t in at_sea])
        return layers


def join(
    places: gpd.GeoDataFrame | Sequence[dict],
    date: str | dt.date | None,
    theatres: Iterable[Theatre | TheatreState] | None = None,
) -> Joined:
    """Join an article's places with the theatres that apply to it, at ``date``.

    ``places`` is a GeoDataFrame or records with at least name, lat, lon, kind, id, country (the
    JSON of ``geo places``); rows without coordinates are kept and get empty fields. ``date``
    is an ISO date, ``datetime.date`` or None (no control then; backers, routes and events are
    not time-filtered). ``theatres``: those to consider, all bundled ones by default.
    """
    given = list(theatres) if theatres is not None else None
    xy, kinds, countries = _located(places)
    active = _applying(xy, kinds, _pool(given))
    rows = _fields(xy, kinds, countries, date, active)
    return Joined(active, rows, date, places, given)


def enrich(
    places: gpd.GeoDataFrame | Sequence[dict],
    date: str | dt.date | None,
    theatres: Iterable[Theatre] | None = None,
) -> gpd.GeoDataFrame:
    """The places with theatre fields added, at ``date`` (the article's date): ``join``'s
    places, for library use (``geo.enrich``).

    Parameters
    ----------
    places
        A GeoDataFrame, or records with at least name, lat, lon, kind, id, country (the JSON of
        ``geo places``). Rows without coordinates are kept and get empty fields.
    date
        ISO date, ``datetime.date`` or None. Control uses the latest recorded date on or before
        it; with None there is no control, and backers, routes and events are not time-filtered.
    theatres
        Theatres to consider; all bundled ones by default.

    Returns
    -------
    GeoDataFrame (EPSG:4326) with the input columns plus: ``theatre``; ``control`` (actor id or
    None), ``control_status`` (controlled/contested/besieged), ``control_certainty``,
    ``control_as_of``, ``control_town`` (the listed town whose cell the place is in);
    ``backers`` (ids backing the controlling actor); ``routes`` (route ids within 25 km) and
    ``route_roles`` (``{"route", "role"}`` dicts, role origin/transit/departure/destination);
    ``events`` (event ids within 25 km on or before the date); ``roles`` and ``backs`` for
    countries (e.g. Turkey: "backer of gna (libya)", ["gna"]).
    """
    return join(places, date, theatres).places


def enrich_records(records: Sequence[dict], date: str | dt.date | None) -> list[dict]:
    """``geo places`` records with JSON-ready theatre fields added (``geo.join.RECORD_FIELDS``:
    control, control_status, control_as_of, backers, routes, route_roles, events, roles). The
    input records are not modified."""
    return join(records, date).records(records)


def theatre_layers(
    places: gpd.GeoDataFrame | Sequence[dict],
    date: str | dt.date | None,
    theatres: Iterable[Theatre] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Every map layer for these places at ``date`` (``Joined.layers``)."""
    return join(places, date, theatres).layers
