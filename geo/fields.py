"""The theatre fields of a place: who backs an actor, which routes and events lie within
``NEAR_KM``, and what role a foreign country plays, at a date.

``geo.join`` decides which theatres apply to an article and calls these for its places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.control import to_date
from geo.maritime import aeqd_crs
from geo.routes import route_waypoints
from geo.theatres import Theatre

NEAR_KM = 25.0


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
    for actor, kind, backing in _backing_by_country(theatre).get(iso2, ()):
        for b in backing:
            if not _active(b, day):
                continue
            if kind == "state":
                roles.append(f"backer of {b['backs']} ({theatre.id})")
                if b["backs"] not in backs:
                    backs.append(b["backs"])
            else:
                roles.append(f"home of {actor}, backing {b['backs']} ({theatre.id})")
    return roles, backs


@lru_cache(maxsize=16)
def _backing_by_country(theatre: Theatre) -> dict[str, list[tuple[str, str, list]]]:
    """Per theatre, once: country -> [(actor id, kind, its backer rows)], in data order (each
    country place of each article would otherwise filter both tables again)."""
    out: dict[str, list[tuple[str, str, list]]] = {}
    for _, a in theatre.actors.iterrows():
        rows = [b for _, b in theatre.backers[theatre.backers["backer"] == a["id"]].iterrows()]
        out.setdefault(a["country"], []).append((a["id"], a["kind"], rows))
    return out


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


def route_surfaces(theatre: Theatre) -> list:
    """Each route's land and sea legs (a MultiLineString, or None for a route flown only)."""
    return _route_index(theatre)[1]


def route_roles(theatre: Theatre, place: Point) -> list[dict]:
    """Routes within NEAR_KM of a place, with the role of the nearest waypoint (else transit)."""
    return [{"route": r, "role": role} for r, role in _route_roles_at(theatre, place.x, place.y)]


@lru_cache(maxsize=8192)
def _route_roles_at(theatre: Theatre, x: float, y: float) -> tuple[tuple[str, str], ...]:
    """``route_roles`` at (x, y), once per process: articles name the same towns again and
    again, and each new point costs a projection."""
    place = Point(x, y)
    route_ids, surfaces, wp_route, wp_role, wp_geom = _route_index(theatre)
    with_line = [i for i, g in enumerate(surfaces) if g is not None]
    dists = _near(place, wp_geom + [surfaces[i] for i in with_line])
    wp_km, line_km = dists[: len(wp_geom)], dict(zip(with_line, dists[len(wp_geom) :], strict=True))
    out = []
    for n, rid in enumerate(route_ids):
        near = [(d, role) for d, r, role in zip(wp_km, wp_route, wp_role, strict=True) if r == rid]
        near = [x for x in near if x[0] <= NEAR_KM]
        if near:
            out.append((rid, min(near)[1]))
        elif line_km.get(n, float("inf")) <= NEAR_KM:
            out.append((rid, "transit"))
    return tuple(out)


def events_near(theatre: Theatre, place: Point, date: str | dt.date | None) -> list[str]:
    """Ids of the theatre's events within NEAR_KM of a place, on or before ``date``."""
    ev = theatre.events
    if ev.empty:
        return []
    day = to_date(date)
    km = _event_km(theatre, place.x, place.y)
    days = ev["date"]
    return [
        eid
        for eid, d, when in zip(ev["id"], km, days, strict=True)
        if d <= NEAR_KM and (day is None or when <= day)
    ]


@lru_cache(maxsize=8192)
def _event_km(theatre: Theatre, x: float, y: float) -> tuple[float, ...]:
    """Distances in km from (x, y) to every event of the theatre, once per process."""
    return tuple(_near(Point(x, y), theatre.events.geometry))


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
