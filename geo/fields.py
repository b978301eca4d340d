"""The theatre fields of a place: who backs an actor, which routes and events lie within
``NEAR_KM``, and what role a foreign country plays, at a date.

``geo.join`` decides which theatres apply to an article and calls these for its places.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import geopandas as gpd
import shapely
from shapely.geometry import Point

from geo.control import to_date
from geo.routes import route_waypoints
from geo.theatres import Theatre
from geo.theatres.state import state_of


def backers_of(theatre: Theatre, actor: str | None, date: str | dt.date | None) -> list[str]:
    """Ids of the actors backing ``actor`` at ``date`` (all recorded backers when no date)."""
    return state_of(theatre).backers_of(actor, to_date(date))


def country_roles(
    theatre: Theatre, iso2: str | None, date: str | dt.date | None
) -> tuple[list[str], list[str]]:
    """What a country is in this theatre: (roles as text, actor ids its state backs)."""
    return state_of(theatre).country_roles(iso2, to_date(date))


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
    found = state_of(theatre).route_roles(place.x, place.y)
    return [{"route": r, "role": role} for r, role in found]


def events_near(theatre: Theatre, place: Point, date: str | dt.date | None) -> list[str]:
    """Ids of the theatre's events within NEAR_KM of a place, on or before ``date``."""
    return state_of(theatre).events_near(place.x, place.y, to_date(date))


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
