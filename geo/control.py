"""Who holds the ground at a date: town control → Voronoi cells → zones and frontlines.

Town-level control is what sources report; areas are not. Each controlled town gets the part of
the country nearer to it than to any other listed town (a Voronoi cell, computed in an equal-area
projection centred on the theatre), cells are dissolved by actor and status, and a frontline is a
shared cell edge between actors of different sides. Zones of one date tile the country exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import CRS, Geod
from shapely.geometry import MultiPoint

from geo.dates import parse_day
from geo.errors import TheatreDataError
from geo.gazetteer import naturalearth
from geo.theatres import Theatre
from geo.theatres.state import Answer, TheatreState, state_of

GEOD = Geod(ellps="WGS84")
RESOLUTION = "10m"  # Natural Earth scale for the country outline
REACH_KM = 100.0  # ground farther than this from the town of its cell is low-certainty

CELL_COLUMNS = [
    "theatre", "date", "as_of", "place", "name", "actor", "actor_name", "side", "status",
    "certainty", "source", "note", "colour", "geometry",
]  # fmt: skip
ZONE_COLUMNS = [
    "theatre", "date", "as_of", "actor", "actor_name", "side", "status", "colour", "towns",
    "area_km2", "geometry",
]  # fmt: skip
FRONT_COLUMNS = ["theatre", "date", "as_of", "side_a", "side_b", "km", "geometry"]
REMOTE_COLUMNS = [
    "theatre", "date", "as_of", "actor", "actor_name", "side", "colour", "reach_km", "area_km2",
    "geometry",
]  # fmt: skip


def to_date(value: str | dt.date | dt.datetime | None) -> dt.date | None:
    """A calendar date from an ISO string, date or datetime; None stays None."""
    try:
        return parse_day(value)
    except ValueError as exc:
        raise TheatreDataError(str(exc)) from None


def as_of(theatre: Theatre, date: str | dt.date | None) -> dt.date | None:
    """The latest date with recorded control on or before ``date`` (None before the first)."""
    day = to_date(date)
    if day is None:
        return None
    earlier = [d for d in theatre.dates if d <= day]
    return earlier[-1] if earlier else None


def local_crs(geom) -> CRS:
    """An equal-area (Lambert azimuthal) CRS centred on ``geom`` (lon/lat), for areas and cells."""
    c = geom.centroid
    return CRS.from_proj4(
        f"+proj=laea +lat_0={c.y:.4f} +lon_0={c.x:.4f} +datum=WGS84 +units=m +no_defs"
    )


@lru_cache(maxsize=16)
def _shape(countries: tuple[str, ...], resolution: str):
    parts = []
    for iso in countries:
        geom = naturalearth.country_shape(iso, resolution)
        if geom is None:
            raise TheatreDataError(f"country {iso!r} has no Natural Earth outline")
        parts.append(geom)
    return shapely.union_all(parts)


def theatre_shape(theatre: Theatre, resolution: str = RESOLUTION):
    """The union of the theatre's countries (shapely, lon/lat)."""
    return _shape(tuple(theatre.countries), resolution)


@lru_cache(maxsize=16)
def _actor_columns(theatre: Theatre) -> tuple[dict, dict, dict]:
    """Per theatre, once: actor id -> name, side, colour (a table lookup per control row cost
    most of a date's cells)."""
    actors = theatre.actors
    return actors["name"].to_dict(), actors["side"].to_dict(), actors["colour"].to_dict()


def control_table(theatre: Theatre, date: str | dt.date | None) -> gpd.GeoDataFrame:
    """The control rows in force at ``date`` joined with their places and actors (points)."""
    day = as_of(theatre, date)
    rows = theatre.control[theatre.control["date"] == day] if day else theatre.control.iloc[:0]
    places = theatre.places.loc[rows["place"]] if len(rows) else theatre.places.iloc[:0]
    actor_ids = list(rows["actor"])
    names, sides, colours = _actor_columns(theatre)
    out = gpd.GeoDataFrame(
        {
            "theatre": theatre.id,
            "date": str(to_date(date)) if date else None,
            "as_of": str(day) if day else None,
            "place": rows["place"].to_numpy(),
            "name": places["name"].to_numpy(),
            "actor": rows["actor"].to_numpy(),
            "actor_name": [names[a] for a in actor_ids],
            "side": [sides[a] for a in actor_ids],
            "status": rows["status"].to_numpy(),
            "certainty": rows["certainty"].to_numpy(),
            "source": [";".join(s) for s in rows["source"]],
            "note": rows["note"].to_numpy(),
            "colour": [colours[a] for a in actor_ids],
        },
        geometry=places.geometry.to_numpy(),
        crs=4326,
    )
    return out


@lru_cache(maxsize=64)
def projected_cells(theatre: Theatre, day: dt.date) -> tuple:
    """The Voronoi cells of one recorded date, in the theatre's equal-area projection.

    Returns (control table, CRS, country polygon, raw cells, cells clipped to the country); the
    cells are in control-table order. Cached: every layer of a date shares one computation.
    """
    table = control_table(theatre, day)
    country = theatre_shape(theatre)
    crs = local_crs(country)
    pts = table.to_crs(crs).geometry
    country_p = gpd.GeoSeries([country], crs=4326).to_crs(crs).iloc[0]
    seen: dict[tuple[float, float], str] = {}
    for place, p in zip(table["place"], pts, strict=True):
        key = (round(p.x), round(p.y))
        if key in seen:
            raise TheatreDataError(
                f"{theatre.path}/control.csv: places {seen[key]!r} and {place!r} share a point "
                f"on {day}; control cells need distinct towns"
            )
        seen[key] = place
    frame = country_p.envelope.buffer(country_p.envelope.length)
    raw = shapely.voronoi_polygons(MultiPoint(list(pts)), extend_to=frame, ordered=True)
    raw_cells = list(raw.geoms)
    clipped = [shapely.make_valid(c.intersection(country_p)) for c in raw_cells]
    return table, crs, country_p, raw_cells, clipped


def _empty(columns: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in columns if c != "geometry"}, geometry=[], crs=4326)


def cells_at(theatre: Theatre, date: str | dt.date | None) -> gpd.GeoDataFrame:
    """One polygon per listed town: the ground nearest to it, with its controller and status."""
    day = as_of(theatre, date)
    if day is None:
        return _empty(CELL_COLUMNS)
    table, crs, _, _, clipped = projected_cells(theatre, day)
    out = table.copy()
    out["date"] = str(to_date(date))
    out = out.set_geometry(gpd.GeoSeries(clipped, crs=crs).to_crs(4326).to_numpy())
    return out[CELL_COLUMNS].reset_index(drop=True)


def zones_at(theatre: Theatre, date: str | dt.date | None) -> gpd.GeoDataFrame:
    """Control zones at ``date``: cells dissolved by actor and status; they tile the country.

    Uses the latest recorded date on or before ``date``; empty before the first one.
    """
    day = as_of(theatre, date)
    if day is None:
        return _empty(ZONE_COLUMNS)
    table, crs, _, _, clipped = projected_cells(theatre, day)
    rows = []
    keys = table[["actor", "status"]].astype(str).agg("|".join, axis=1)
    for key in sorted(set(keys)):
        mask = (keys == key).to_numpy()
        geom = shapely.union_all([g for g, m in zip(clipped, mask, strict=True) if m])
        first = table[mask].iloc[0]
        rows.append(
            {
                "theatre": theatre.id,
                "date": str(to_date(date)),
                "as_of": str(day),
                "actor": first["actor"],
                "actor_name": first["actor_name"],
                "side": first["side"],
                "status": first["status"],
                "colour": first["colour"],
                "towns": sorted(table.loc[mask, "place"]),
                "area_km2": round(geom.area / 1e6, 1),
                "geometry": geom,
            }
        )
    zones = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs).to_crs(4326)
    return zones[ZONE_COLUMNS]


def remote_at(
    theatre: Theatre, date: str | dt.date | None, km: float = REACH_KM
) -> gpd.GeoDataFrame:
    """The parts of the zones farther than ``km`` from the town whose cell they are in, by actor.

    A cell reaches across empty desert to the next listed town; no source reports who holds
    that ground, so maps draw these parts as low-certainty (docs/theatres.md, "Zones").
    """
    day = as_of(theatre, date)
    if day is None:
        return _empty(REMOTE_COLUMNS)
    table, crs, _, _, clipped = projected_cells(theatre, day)
    towns = table.to_crs(crs).geometry.to_numpy()
    far = [c.difference(t.buffer(km * 1000, 64)) for c, t in zip(clipped, towns, strict=True)]
    rows = []
    for actor in sorted(set(table["actor"])):
        mask = (table["actor"] == actor).to_numpy()
        geom = shapely.union_all([g for g, m in zip(far, mask, strict=True) if m])
        if geom.is_empty:
            continue
        first = table[mask].iloc[0]
        rows.append(
            {
                "actor": actor,
                "actor_name": first["actor_name"],
                "side": first["side"],
                "colour": first["colour"],
                "area_km2": round(geom.area / 1e6, 1),
                "geometry": geom,
            }
        )
    if not rows:
        return _empty(REMOTE_COLUMNS)
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs).to_crs(4326)
    out["theatre"], out["date"], out["as_of"] = theatre.id, str(to_date(date)), str(day)
    out["reach_km"] = km
    return out[REMOTE_COLUMNS]


def frontlines_at(theatre: Theatre, date: str | dt.date | None) -> gpd.GeoDataFrame:
    """Frontlines at ``date``: cell edges shared by towns of different sides, inside the country.

    Actors without a side (local or neutral authorities) make no frontline.
    """
    day = as_of(theatre, date)
    if day is None:
        return _empty(FRONT_COLUMNS)
    table, crs, country_p, raw_cells, _ = projected_cells(theatre, day)
    sides = [s if isinstance(s, str) and s else None for s in table["side"]]
    tree = shapely.STRtree(raw_cells)
    pieces: dict[tuple[str, str], list] = {}
    for i, cell in enumerate(raw_cells):
        for j in tree.query(cell, predicate="intersects"):
            if j <= i or sides[i] is None or sides[j] is None or sides[i] == sides[j]:
                continue
            edge = cell.intersection(raw_cells[j])
            edge = edge.intersection(country_p)
            lines = [g for g in shapely.get_parts(edge) if g.geom_type == "LineString"]
            if lines:
                key = tuple(sorted((sides[i], sides[j])))
                pieces.setdefault(key, []).extend(lines)
    rows = []
    for (a, b), lines in sorted(pieces.items()):
        merged = shapely.line_merge(shapely.union_all(lines))
        rows.append({"side_a": a, "side_b": b, "geometry": merged})
    if not rows:
        return _empty(FRONT_COLUMNS)
    fronts = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs).to_crs(4326)
    fronts["theatre"] = theatre.id
    fronts["date"] = str(to_date(date))
    fronts["as_of"] = str(day)
    fronts["km"] = [round(GEOD.geometry_length(g) / 1000, 1) for g in fronts.geometry]
    return fronts[FRONT_COLUMNS]


POINT_COLUMNS = ["place", "actor", "side", "status", "certainty", "as_of"]


def control_lookup(
    theatre: Theatre | TheatreState,
    date: str | dt.date | None,
    points: Sequence[tuple[float, float]],
) -> list[Answer | None]:
    """The cell holding each (lon, lat) point at ``date``: one place or a million.

    The cell a point lies in, or the nearest one within ``COAST_KM`` (ports and gazetteer points
    sit just off the coastline); None farther out or before the theatre's first date. Answered
    by the theatre's compiled state (``geo.theatres.state``), memoised per recorded date.
    """
    state = state_of(theatre)
    day = state.as_of(to_date(date))
    if day is None or not len(points):
        return [None] * len(points)
    return state.control(day, [(float(x), float(y)) for x, y in points])


def control_of_points(
    theatre: Theatre, date: str | dt.date | None, points: gpd.GeoSeries
) -> pd.DataFrame:
    """For each point (lon/lat), the cell it holds: place, actor, side, status, certainty, as_of
    (see ``control_lookup``); rows of nulls for empty points and points outside every cell."""
    valid = [g is not None and not g.is_empty for g in points]
    xy = [(g.x, g.y) for g, ok in zip(points, valid, strict=True) if ok]
    found = iter(control_lookup(theatre, date, xy))
    empty = (None,) * len(POINT_COLUMNS)
    rows = [(next(found) or empty) if ok else empty for ok in valid]
    return pd.DataFrame(rows, columns=POINT_COLUMNS, index=points.index, dtype=object)
