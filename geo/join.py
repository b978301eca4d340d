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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.control import (
    Answer,
    as_of,
    cell_tree,
    control_lookup,
    frontlines_at,
    theatre_shape,
    zones_at,
)
from geo.fields import (
    NEAR_KM,
    backers_of,
    country_roles,
    events_at,
    events_near,
    route_roles,
    route_surfaces,
)
from geo.maritime import aeqd_crs, maritime_at
from geo.routes import route_legs
from geo.theatres import Theatre, load_all
from geo.vocab import AREA_KINDS

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


def places_frame(places: gpd.GeoDataFrame | Sequence[dict]) -> gpd.GeoDataFrame:
    """Places as a GeoDataFrame in EPSG:4326, one point (or None) per row."""
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


def place_point(record: dict) -> Point | None:
    """A place record's point (lon, lat), or None when it has no coordinates."""
    lat, lon = record.get("lat"), record.get("lon")
    if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
        return None
    return Point(float(lon), float(lat))


def _kind(value: Any) -> str:
    return str(value) if value is not None and not pd.isna(value) else "unknown"


# --------------------------------------------------------------------------- the one rule


@lru_cache(maxsize=16)
def theatre_area(theatre: Theatre):
    """Where a place makes this theatre apply: its countries, and land and sea routes ±25 km.

    Prepared once for fast point tests; kept on disk for the next process (``_stored``)."""
    area = _stored(theatre, "area", _theatre_area)
    shapely.prepare(area)
    return area


def _theatre_area(theatre: Theatre):
    parts = [theatre_shape(theatre)]
    for surface in route_surfaces(theatre):
        if surface is not None:
            crs = aeqd_crs(*surface.centroid.coords[0])
            belt = gpd.GeoSeries([surface], crs=4326).to_crs(crs).buffer(NEAR_KM * 1000)
            parts.append(belt.to_crs(4326).iloc[0])
    return shapely.union_all(parts)


@lru_cache(maxsize=16)
def _prepared_shape(theatre: Theatre):
    shape = _stored(theatre, "shape", theatre_shape)
    shapely.prepare(shape)
    return shape


# The code that derives the stored theatre geometries (with the theatre's files, their key).
_AREA_CODE = ("join.py", "control.py", "fields.py", "routes.py", "maritime.py")


def _stored(theatre: Theatre, name: str, compute):
    """A theatre geometry from the cache folder (WKB, exact), or computed and stored there.

    The union of a theatre's countries and route belts takes a second or more (projections,
    buffers, the Natural Earth read); ``geo places`` needs it in every new process. The key
    covers the theatre's files, the code above, the Natural Earth source and shapely."""
    from pathlib import Path

    from geo import settings
    from geo._io import files_fingerprint, fingerprint, write_atomic
    from geo.gazetteer.naturalearth import source_key

    folder = getattr(theatre, "path", None)
    if not folder or not Path(folder).is_dir():
        return compute(theatre)  # a theatre made in memory: nothing to key it by
    here = Path(__file__).resolve().parent
    files = [f for f in sorted(Path(folder).rglob("*")) if f.is_file()]
    key_hash = fingerprint(
        shapely.__version__,
        files_fingerprint([*files, *(here / n for n in _AREA_CODE)], lambda p: p.name),
        source_key("countries-*.json"),
    )
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", str(theatre.id))
    path = Path(settings.CACHE_DIR) / "join" / f"{stem}-{name}-{key_hash[:20]}.wkb"
    try:
        return shapely.from_wkb(path.read_bytes())
    except (OSError, shapely.errors.GEOSException):
        pass
    geom = compute(theatre)
    try:
        write_atomic(path, shapely.to_wkb(geom))
    except OSError:
        pass  # a read-only cache only costs time
    return geom


def warm(theatres: Iterable[Theatre] | None = None) -> None:
    """Load the theatres and build what the join looks up, once per process (before a fork)."""
    for theatre in theatres if theatres is not None else load_all():
        theatre_area(theatre)
        _prepared_shape(theatre)
        for day in theatre.dates:
            cell_tree(theatre, day)


def _points(geoms: Iterable) -> list:
    return [g for g in geoms if g is not None and not g.is_empty]


def active_theatres(
    places: gpd.GeoDataFrame | Sequence[dict], theatres: Iterable[Theatre] | None = None
) -> list[Theatre]:
    """The theatres that apply to an article with these places (see ``_applying``)."""
    if isinstance(places, gpd.GeoDataFrame):
        points, kinds = list(places.geometry), list(places["kind"])
    else:
        points, kinds = [place_point(p) for p in places], [p.get("kind") for p in places]
    pool = list(theatres) if theatres is not None else load_all()
    return _applying(points, kinds, pool)


def _applying(points: Sequence[Point | None], kinds: Sequence[Any], pool: list[Theatre]) -> list:
    """The one rule: a theatre applies when one of the article's sites (towns, ports, islands)
    lies in its ``theatre_area``; its areas (countries, seas) count only when it names no site,
    so a Libyan article naming Syria as where fighters came from brings no Syrian front."""
    located = [(g, _kind(k)) for g, k in zip(points, kinds, strict=True)]
    located = [(g, k) for g, k in located if g is not None and not g.is_empty]
    pts = [g for g, k in located if k not in AREA_KINDS] or [g for g, _ in located]
    if not pts:
        return []
    return [t for t in pool if shapely.covers(theatre_area(t), pts).any()]


def control_many(
    docs: Sequence[tuple[Sequence[Point | None], Sequence[Any], Sequence[Any], Any]],
    theatres: Iterable[Theatre] | None = None,
) -> list[list[tuple[Theatre, Answer] | None]]:
    """For each article (points, kinds, countries, date): the theatre and control cell holding
    each place, or None. One bulk lookup per theatre and recorded date for the whole batch."""
    pool = list(theatres) if theatres is not None else load_all()
    out: list[list[tuple[Theatre, Answer] | None]] = [[None] * len(d[0]) for d in docs]
    # (theatre, recorded date) -> [(doc, place, point)], theatres in load order
    wanted: dict[tuple[Theatre, dt.date], list[tuple[int, int, Point]]] = {}
    for d, (points, kinds, countries, date) in enumerate(docs):
        sites = [
            i
            for i, g in enumerate(points)
            if g is not None and not g.is_empty and _kind(kinds[i]) not in AREA_KINDS
        ]
        if not sites:
            continue
        for theatre in _applying(points, kinds, pool):
            day = as_of(theatre, date)
            if day is None:
                continue
            inside = shapely.covers(_prepared_shape(theatre), [points[i] for i in sites])
            for i, covered in zip(sites, inside, strict=True):
                # a site of the theatre's own countries just off the coastline still gets a cell
                if covered or countries[i] in theatre.countries:
                    wanted.setdefault((theatre, day), []).append((d, i, points[i]))
    for theatre in pool:
        for (t, day), where in wanted.items():
            if t is not theatre:
                continue
            found = control_lookup(theatre, day, [(p.x, p.y) for _, _, p in where])
            for (d, i, _), answer in zip(where, found, strict=True):
                if answer is not None and answer[1] is not None:
                    out[d][i] = (theatre, answer)
    return out


# --------------------------------------------------------------------------- one article


def _fields(gdf: gpd.GeoDataFrame, date: Any, active: list[Theatre]) -> dict[str, list]:
    """The ``ADDED`` columns for these places from the applying theatres."""
    n = len(gdf)
    cols: dict[str, list] = {c: [None] * n for c in _SCALAR}
    for c in ADDED[len(_SCALAR) :]:
        cols[c] = [[] for _ in range(n)]
    kinds = [_kind(k) for k in gdf["kind"]]
    points = list(gdf.geometry)
    held = control_many([(points, kinds, list(gdf["country"]), date)], active)[0]
    backer_memo: dict[tuple[str, str], list[str]] = {}
    for i, hit in enumerate(held):
        if hit is None:
            continue
        theatre, (town, actor, _, status, certainty, day) = hit
        for c, v in zip(_SCALAR, (theatre.id, actor, status, certainty, day, town), strict=True):
            cols[c][i] = v
        if (theatre.id, actor) not in backer_memo:
            backer_memo[(theatre.id, actor)] = backers_of(theatre, actor, date)
        cols["backers"][i] = list(backer_memo[(theatre.id, actor)])
    sites = [i for i, g in enumerate(points) if g is not None and not g.is_empty]
    sites = [i for i in sites if kinds[i] not in AREA_KINDS]
    for theatre in active:
        memo: dict[tuple[float, float], tuple[list, list]] = {}
        for i in sites:
            point = points[i]
            key = (round(point.x, 6), round(point.y, 6))  # an article names the same town often
            if key not in memo:
                memo[key] = (route_roles(theatre, point), events_near(theatre, point, date))
            near, events = [dict(r) for r in memo[key][0]], list(memo[key][1])
            if near or events:
                cols["theatre"][i] = cols["theatre"][i] or theatre.id
            cols["route_roles"][i] += near
            cols["routes"][i] += [r["route"] for r in near if r["route"] not in cols["routes"][i]]
            cols["events"][i] += events
        country_memo: dict[str, tuple[list[str], list[str]]] = {}
        for i, kind in enumerate(kinds):
            if kind == "country":
                iso2 = gdf["country"].iloc[i]
                if iso2 not in country_memo:
                    country_memo[iso2] = country_roles(theatre, iso2, date)
                roles, backs = country_memo[iso2]
                cols["roles"][i] += roles
                cols["backs"][i] += [b for b in backs if b not in cols["backs"][i]]
                if roles and cols["theatre"][i] is None:
                    cols["theatre"][i] = theatre.id
    return cols


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return gpd.GeoDataFrame(geometry=[], crs=4326)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)


@lru_cache(maxsize=16)
def _sea_area(theatre: Theatre):
    """The envelope of the theatre's maritime items: a place there makes them relevant."""
    sea = maritime_at(theatre)
    return sea.union_all().envelope if len(sea) else shapely.Polygon()


@dataclass
class Joined:
    """One article's places joined with the theatres that apply to it at its date."""

    theatres: list[Theatre]
    places: gpd.GeoDataFrame  # the input columns plus ``ADDED``
    date: str | dt.date | None

    def records(self, records: Sequence[dict]) -> list[dict]:
        """``records`` (the places joined) with the JSON-ready ``RECORD_FIELDS`` added; the
        input records are not modified."""
        out = []
        for rec, (_, row) in zip(records, self.places.iterrows(), strict=True):
            out.append(dict(rec) | {c: row[c] for c in RECORD_FIELDS})
        return out

    @cached_property
    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every map layer at the date: places (joined), zones, frontlines, routes (legs split
        by control), events and maritime, from the theatres that apply."""
        date, places, active = self.date, self.places, self.theatres
        # Ground layers only for theatres a place falls in: a route's far end (Afrin, where the
        # fighters Turkey moved to Libya were recruited) does not bring Libya's zones along.
        pts = _points(places.geometry)
        grounded = [t for t in active if any(theatre_shape(t).covers(p) for p in pts)]
        at_sea = [t for t in active if t in grounded or any(_sea_area(t).covers(p) for p in pts)]
        layers = {"places": places}
        layers["zones"] = _concat([zones_at(t, date) for t in grounded])
        layers["frontlines"] = _concat([frontlines_at(t, date) for t in grounded])
        # Elsewhere only what touches the places: the routes they lie on, events near them.
        on_routes = {r for rs in places["routes"] for r in rs}
        near_events = {e for es in places["events"] for e in es}

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
    theatres: Iterable[Theatre] | None = None,
) -> Joined:
    """Join an article's places with the theatres that apply to it, at ``date``.

    ``places`` is a GeoDataFrame or records with at least name, lat, lon, kind, id, country (the
    JSON of ``geo places``); rows without coordinates are kept and get empty fields. ``date``
    is an ISO date, ``datetime.date`` or None (no control then; backers, routes and events are
    not time-filtered). ``theatres``: those to consider, all bundled ones by default.
    """
    gdf = places_frame(places)
    active = active_theatres(gdf, theatres)
    cols = _fields(gdf, date, active)
    for c in ADDED:  # object dtype keeps None as None (a string dtype would turn it into NaN)
        gdf[c] = pd.Series(cols[c], index=gdf.index, dtype=object)
    return Joined(active, gdf, date)


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
