"""Join an article's places with the theatres: who holds each place, who backs them, which routes
and events lie within reach, and what role each foreign country plays, at the article's date.

Theatres are chosen per article: a theatre joins in when one of the article's places falls in
its countries or within ``NEAR_KM`` of one of its routes. An article outside every theatre gets
empty fields, never an error.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.control import as_of, control_of_points, frontlines_at, theatre_shape, to_date, zones_at
from geo.maritime import aeqd_crs, maritime_at
from geo.routes import route_legs, route_waypoints
from geo.theatres import Theatre, load_all

NEAR_KM = 25.0
# Places that are areas, not sites: they get no control cell, routes or events of their own.
AREA_KINDS = frozenset(
    {"continent", "country", "region", "subregion", "admin1", "admin2", "sea", "ocean", "gulf",
     "strait", "desert", "peninsula", "unknown"}
)  # fmt: skip
PLACE_FIELDS = ("name", "lat", "lon", "kind", "id", "country")
ADDED = (
    "theatre", "control", "control_status", "control_certainty", "control_as_of", "control_town",
    "backers", "routes", "route_roles", "events", "roles", "backs",
)  # fmt: skip


def _frame(places: gpd.GeoDataFrame | Sequence[dict]) -> gpd.GeoDataFrame:
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
    geoms = [
        Point(float(p["lon"]), float(p["lat"]))
        if p.get("lat") is not None and p.get("lon") is not None
        else None
        for p in records
    ]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)


@lru_cache(maxsize=16)
def theatre_area(theatre: Theatre):
    """Where a place makes this theatre relevant: its countries, and land and sea routes ±25 km."""
    _, surfaces, _, _, _ = _route_index(theatre)
    parts = [theatre_shape(theatre)]
    for surface in surfaces:
        if surface is not None:
            crs = aeqd_crs(*surface.centroid.coords[0])
            belt = gpd.GeoSeries([surface], crs=4326).to_crs(crs).buffer(NEAR_KM * 1000)
            parts.append(belt.to_crs(4326).iloc[0])
    return shapely.union_all(parts)


def active_theatres(
    places: gpd.GeoDataFrame, theatres: Iterable[Theatre] | None = None
) -> list[Theatre]:
    """The theatres at least one of these places falls in (see ``theatre_area``)."""
    pool = list(theatres) if theatres is not None else load_all()
    pts = [g for g in places.geometry if g is not None and not g.is_empty]
    return [t for t in pool if pts and any(theatre_area(t).covers(p) for p in pts)]


def backers_of(theatre: Theatre, actor: str | None, date: str | dt.date | None) -> list[str]:
    """Ids of the actors backing ``actor`` at ``date`` (all recorded backers when no date)."""
    if not actor:
        return []
    day = to_date(date)
    rows = theatre.backers[theatre.backers["backs"] == actor]
    out = []
    for _, r in rows.iterrows():
        if _active(r, day) and r["backer"] not in out:
            out.append(r["backer"])
    return out


def _active(row: pd.Series, day: dt.date | None) -> bool:
    """True when a dated row (start, optional end) is in force on ``day`` (always without one)."""
    if day is None:
        return True
    end = row["end"]
    return row["start"] <= day and (end is None or pd.isna(end) or day <= end)


def country_roles(
    theatre: Theatre, iso2: str | None, date: str | dt.date | None
) -> tuple[list[str], list[str]]:
    """What a country is in this theatre: (roles as text, actor ids its state backs)."""
    if not iso2:
        return [], []
    day = to_date(date)
    roles, backs = [], []
    if iso2 in theatre.countries:
        roles.append(f"theatre ({theatre.id})")
    actors = theatre.actors[theatre.actors["country"] == iso2]
    for _, a in actors.iterrows():
        for _, b in theatre.backers[theatre.backers["backer"] == a["id"]].iterrows():
            if not _active(b, day):
                continue
            if a["kind"] == "state":
                roles.append(f"backer of {b['backs']} ({theatre.id})")
                if b["backs"] not in backs:
                    backs.append(b["backs"])
            else:
                roles.append(f"home of {a['id']}, backing {b['backs']} ({theatre.id})")
    return roles, backs


def _near(place: Point, geoms: Sequence) -> list[float]:
    """Distances in km from ``place`` to each geometry (azimuthal equidistant on the place)."""
    if not len(geoms):
        return []
    crs = aeqd_crs(place.x, place.y)
    projected = gpd.GeoSeries(list(geoms), crs=4326).to_crs(crs)
    return [d / 1000 for d in projected.distance(Point(0, 0))]


@lru_cache(maxsize=16)
def _route_index(theatre: Theatre) -> tuple[list[str], list, list[str], list[str], list]:
    """Per theatre, once: waypoint (route, role, point) lists and each route's surface legs."""
    wp = route_waypoints(theatre)
    route_ids = list(theatre.routes.index)
    surfaces = []
    for rid in route_ids:
        pts = wp[wp["route"] == rid].sort_values("order")
        legs = [
            shapely.LineString([a, b])
            for a, b, mode in zip(pts.geometry[:-1], pts.geometry[1:], pts["mode"][1:], strict=True)
            if mode != "air"  # a town under a flight path is not on the route
        ]
        surfaces.append(shapely.MultiLineString(legs) if legs else None)
    return route_ids, surfaces, list(wp["route"]), list(wp["role"]), list(wp.geometry)


def _route_roles(theatre: Theatre, place: Point) -> list[dict]:
    """Routes within NEAR_KM of a place, with the role of the nearest waypoint (else transit)."""
    route_ids, surfaces, wp_route, wp_role, wp_geom = _route_index(theatre)
    with_line = [i for i, g in enumerate(surfaces) if g is not None]
    dists = _near(place, wp_geom + [surfaces[i] for i in with_line])
    wp_km, line_km = dists[: len(wp_geom)], dict(zip(with_line, dists[len(wp_geom) :], strict=True))
    out = []
    for n, rid in enumerate(route_ids):
        near = [(d, role) for d, r, role in zip(wp_km, wp_route, wp_role, strict=True) if r == rid]
        near = [x for x in near if x[0] <= NEAR_KM]
        if near:
            out.append({"route": rid, "role": min(near)[1]})
        elif line_km.get(n, float("inf")) <= NEAR_KM:
            out.append({"route": rid, "role": "transit"})
    return out


def _events(theatre: Theatre, place: Point, date: str | dt.date | None) -> list[str]:
    ev = theatre.events
    day = to_date(date)
    if day is not None:
        ev = ev[ev["date"] <= day]
    if ev.empty:
        return []
    dists = _near(place, ev.geometry)
    return [eid for eid, d in zip(ev["id"], dists, strict=True) if d <= NEAR_KM]


EVENT_COLUMNS = [
    "theatre", "id", "date", "end_date", "title", "places", "actors", "kind", "certainty",
    "source", "note", "geometry",
]  # fmt: skip


def events_at(theatre: Theatre, date: str | dt.date | None) -> gpd.GeoDataFrame:
    """The theatre's events on or before ``date`` (all without one), as points."""
    day = to_date(date)
    ev = theatre.events if day is None else theatre.events[theatre.events["date"] <= day]
    ev = ev.assign(theatre=theatre.id).rename(columns={"end": "end_date"})
    return gpd.GeoDataFrame(ev[EVENT_COLUMNS], geometry="geometry", crs=4326)


def enrich(
    places: gpd.GeoDataFrame | Sequence[dict],
    date: str | dt.date | None,
    theatres: Iterable[Theatre] | None = None,
) -> gpd.GeoDataFrame:
    """The places with theatre fields added, at ``date`` (the article's date).

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
    gdf = _frame(places)
    n = len(gdf)
    cols: dict[str, list] = {c: [None] * n for c in ADDED[:6]}
    for c in ADDED[6:]:
        cols[c] = [[] for _ in range(n)]
    active = active_theatres(gdf, theatres)
    kinds = [str(k) if k is not None and not pd.isna(k) else "unknown" for k in gdf["kind"]]
    for theatre in active:
        shape = theatre_shape(theatre)
        sites = [
            i
            for i, g in enumerate(gdf.geometry)
            if g is not None and not g.is_empty and kinds[i] not in AREA_KINDS
        ]
        # a site of the theatre's own countries just off the coastline still gets a cell
        inside = [
            i
            for i in sites
            if shape.covers(gdf.geometry.iloc[i]) or gdf["country"].iloc[i] in theatre.countries
        ]
        backer_memo: dict[str, list[str]] = {}
        if inside and as_of(theatre, date) is not None:
            found = control_of_points(theatre, date, gdf.geometry.iloc[inside])
            for i, (_, row) in zip(inside, found.iterrows(), strict=True):
                if row["actor"] is None:
                    continue
                cols["theatre"][i] = theatre.id
                cols["control"][i] = row["actor"]
                cols["control_status"][i] = row["status"]
                cols["control_certainty"][i] = row["certainty"]
                cols["control_as_of"][i] = row["as_of"]
                cols["control_town"][i] = row["place"]
                if row["actor"] not in backer_memo:
                    backer_memo[row["actor"]] = backers_of(theatre, row["actor"], date)
                cols["backers"][i] = list(backer_memo[row["actor"]])
        memo: dict[tuple[float, float], tuple[list, list]] = {}
        for i in sites:
            point = gdf.geometry.iloc[i]
            key = (round(point.x, 6), round(point.y, 6))  # an article names the same town often
            if key not in memo:
                memo[key] = (_route_roles(theatre, point), _events(theatre, point, date))
            roles, events = [dict(r) for r in memo[key][0]], list(memo[key][1])
            if roles or events:
                cols["theatre"][i] = cols["theatre"][i] or theatre.id
            cols["route_roles"][i] += roles
            cols["routes"][i] += [r["route"] for r in roles if r["route"] not in cols["routes"][i]]
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
    for c in ADDED:  # object dtype keeps None as None (a string dtype would turn it into NaN)
        gdf[c] = pd.Series(cols[c], index=gdf.index, dtype=object)
    return gdf


def enrich_records(records: Sequence[dict], date: str | dt.date | None) -> list[dict]:
    """``geo places`` records with JSON-ready ``control``, ``backers`` and ``routes`` added.

    Each record gains: control (str|None), backers [str], routes [str], and the detail fields
    control_status, route_roles, events, roles. The input records are not modified.
    """
    enriched = enrich(records, date)
    out = []
    for rec, (_, row) in zip(records, enriched.iterrows(), strict=True):
        new = dict(rec)
        for c in (
            "control",
            "control_status",
            "backers",
            "routes",
            "route_roles",
            "events",
            "roles",
        ):
            new[c] = row[c]
        out.append(new)
    return out


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


def theatre_layers(
    places: gpd.GeoDataFrame | Sequence[dict],
    date: str | dt.date | None,
    theatres: Iterable[Theatre] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Every map layer for these places at ``date``: places (enriched), zones, frontlines,
    routes (legs split by control), events and maritime, from the theatres they fall in."""
    enriched = enrich(places, date, theatres)
    active = active_theatres(enriched, theatres)
    # Ground layers only for theatres a place falls in: a route's far end (Afrin, where the
    # fighters Turkey moved to Libya were recruited) does not bring Libya's zones along.
    pts = [g for g in enriched.geometry if g is not None and not g.is_empty]
    grounded = [t for t in active if any(theatre_shape(t).covers(p) for p in pts)]
    at_sea = [t for t in active if t in grounded or any(_sea_area(t).covers(p) for p in pts)]
    layers = {"places": enriched}
    layers["zones"] = _concat([zones_at(t, date) for t in grounded])
    layers["frontlines"] = _concat([frontlines_at(t, date) for t in grounded])
    # Elsewhere only what touches the article's places: the routes they lie on, events near them.
    on_routes = {r for rs in enriched["routes"] for r in rs}
    near_events = {e for es in enriched["events"] for e in es}

    def keep(frame: gpd.GeoDataFrame, t: Theatre, col: str, ids: set[str]) -> gpd.GeoDataFrame:
        return frame if t in grounded else frame[frame[col].isin(ids)]

    layers["routes"] = _concat([keep(route_legs(t, date), t, "route", on_routes) for t in active])
    layers["events"] = _concat([keep(events_at(t, date), t, "id", near_events) for t in active])
    layers["maritime"] = _concat([maritime_at(t, date) for t in at_sea])
    return layers


class _CallableModule(types.ModuleType):
    """``geo.enrich(places, date)`` calls :func:`enrich`: the package exposes the function
    under the module's own name, and once the module is imported the name is the module."""

    def __call__(self, *args: Any, **kwargs: Any) -> gpd.GeoDataFrame:
        return enrich(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
