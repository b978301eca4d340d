"""Migration and transfer routes: lines through ordered waypoints, split by who holds the ground.

A route is drawn as straight segments between its waypoints (the sources give towns, not roads).
Each land leg is cut where it crosses from one town's control cell into another's, so a reader
sees whose checkpoints a stretch of desert road runs through; sea and air legs are not cut.
Lengths are geodesic (WGS84 ellipsoid), in km.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import LineString

from geo.control import GEOD, as_of, local_crs, projected_cells, theatre_shape, to_date
from geo.maritime import land_parts
from geo.theatres import Theatre

SEGMENT_DEGREES = 0.05  # densify straight legs so they keep their shape when projected

LEG_COLUMNS = [
    "theatre", "route", "route_name", "kind", "leg", "part", "from_place", "to_place", "mode",
    "over", "control", "side", "status", "colour", "as_of", "km", "geometry",
]  # fmt: skip
ROUTE_COLUMNS = [
    "theatre", "route", "name", "kind", "certainty", "source", "note", "waypoints", "figures",
    "km", "geometry",
]  # fmt: skip


def _km(geom) -> float:
    return round(GEOD.geometry_length(geom) / 1000, 1)


def route_waypoints(theatre: Theatre) -> gpd.GeoDataFrame:
    """Every waypoint as a point: route, order, place, name, role, mode of the leg arriving."""
    wp = theatre.waypoints
    if wp.empty:
        return gpd.GeoDataFrame(
            {c: [] for c in ("theatre", "route", "kind", "order", "place", "name", "role", "mode")},
            geometry=[],
            crs=4326,
        )
    places = theatre.places.loc[wp["place"]]
    return gpd.GeoDataFrame(
        {
            "theatre": theatre.id,
            "route": wp["route"].to_numpy(),
            "kind": [theatre.routes.at[r, "kind"] for r in wp["route"]],
            "order": wp["order"].to_numpy(),
            "place": wp["place"].to_numpy(),
            "name": places["name"].to_numpy(),
            "role": wp["role"].to_numpy(),
            "mode": wp["mode"].to_numpy(),
        },
        geometry=places.geometry.to_numpy(),
        crs=4326,
    )


def _figures_text(theatre: Theatre, route: str) -> str:
    out = []
    for _, f in theatre.figures.iterrows():
        if route in f["routes"]:
            value = int(f["value"]) if float(f["value"]).is_integer() else f["value"]
            out.append(
                f"{f['indicator']}: {value} {f['unit']} ({f['year']}; {';'.join(f['source'])})"
            )
    return " | ".join(out)


def routes(theatre: Theatre) -> gpd.GeoDataFrame:
    """One line per route through its waypoints, with its 2019 figures and total km."""
    wp = route_waypoints(theatre)
    rows = []
    for rid, r in theatre.routes.iterrows():
        pts = wp[wp["route"] == rid].sort_values("order")
        line = LineString([(p.x, p.y) for p in pts.geometry])
        rows.append(
            {
                "theatre": theatre.id,
                "route": rid,
                "name": r["name"],
                "kind": r["kind"],
                "certainty": r["certainty"],
                "source": ";".join(r["source"]),
                "note": r["note"],
                "waypoints": list(pts["place"]),
                "figures": _figures_text(theatre, rid),
                "km": _km(line),
                "geometry": line,
            }
        )
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in ROUTE_COLUMNS[:-1]}, geometry=[], crs=4326)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)[ROUTE_COLUMNS]


def route_figures(theatre: Theatre) -> pd.DataFrame:
    """The figures table with one row per (figure, route) pair."""
    figs = theatre.figures.explode("routes").rename(columns={"routes": "route"})
    return figs.reset_index(drop=True)


def _split_by_cells(line_p, cells: list, keys: list[tuple], country_p) -> list[tuple]:
    """Pieces of a projected line as (start distance, key, geometry), keys from the cells."""
    pieces: list[tuple] = []
    for cell, key in zip(cells, keys, strict=True):
        if not line_p.intersects(cell):
            continue
        for part in shapely.get_parts(line_p.intersection(cell)):
            if part.geom_type == "LineString" and part.length > 0:
                pieces.append((line_p.project(shapely.Point(part.coords[0])), key, part))
    outside = line_p.difference(country_p)
    for part in shapely.get_parts(outside):
        if part.geom_type == "LineString" and part.length > 0:
            pieces.append((line_p.project(shapely.Point(part.coords[0])), None, part))
    pieces.sort(key=lambda p: p[0])
    merged: list[tuple] = []
    for start, key, geom in pieces:
        if merged and merged[-1][1] == key:
            merged[-1] = (merged[-1][0], key, merged[-1][2] + [geom])
        else:
            merged.append((start, key, [geom]))
    return [(s, k, shapely.line_merge(shapely.union_all(g))) for s, k, g in merged]


def _mostly_on_land(geom) -> bool:
    """True when most of a lon/lat line lies on Natural Earth land."""
    parts, tree = land_parts()
    on_land = sum(geom.intersection(parts[i]).length for i in tree.query(geom))
    return on_land >= 0.5 * geom.length


@lru_cache(maxsize=16)
def _legs_of(theatre: Theatre) -> list[tuple[str, str, str, list[tuple[str, Any, str]]]]:
    """Per theatre, once: each route (id, name, kind) with its waypoints in order as (place,
    point, mode of the leg arriving), read from the tables row by row only here."""
    wp = route_waypoints(theatre)
    routes = theatre.routes
    out = []
    for rid in sorted(set(wp["route"]), key=list(routes.index).index):
        pts = wp[wp["route"] == rid].sort_values("order")
        stops = list(zip(pts["place"], pts.geometry, pts["mode"], strict=True))
        out.append((rid, routes.at[rid, "name"], routes.at[rid, "kind"], stops))
    return out


@lru_cache(maxsize=64)
def _transformers(crs: CRS) -> tuple[Transformer, Transformer]:
    """lon/lat -> ``crs`` and back (what ``GeoSeries.to_crs`` builds at every call)."""
    return (
        Transformer.from_crs(4326, crs, always_xy=True),
        Transformer.from_crs(crs, 4326, always_xy=True),
    )


def _reproject(geoms: list, transformer: Transformer) -> list:
    """``geoms`` through ``transformer``, coordinate for coordinate as ``GeoSeries.to_crs``."""
    data = np.array(geoms, dtype=object)
    xy = shapely.get_coordinates(data)
    moved = np.array(transformer.transform(xy[:, 0], xy[:, 1])).T
    return list(shapely.set_coordinates(data.copy(), moved))


def route_legs(
    theatre: Theatre, date: str | dt.date | None = None, route: str | None = None
) -> gpd.GeoDataFrame:
    """Legs of every route (or one), land legs split by the controlling actor at ``date``.

    Each row is one stretch: ``control`` is the actor holding that ground (None outside the
    theatre's countries, on sea and air legs, or when ``date`` precedes recorded control);
    ``mode`` is how the leg is travelled (land, sea, air) and ``over`` what the stretch crosses
    (a straight land leg can cut across a bay); ``km`` is its geodesic length.
    """
    day = as_of(theatre, date)
    country = theatre_shape(theatre)
    if day is not None:
        table, crs, country_p, _, clipped = projected_cells(theatre, day)
        keys = list(zip(table["actor"], table["side"], table["status"], strict=True))
    else:
        crs = local_crs(country)
        country_p = _reproject([country], _transformers(crs)[0])[0]
        clipped, keys = [country_p], [(None, None, None)]
    to_p, to_ll = _transformers(crs)
    colours = theatre.actors["colour"].to_dict()
    rows = []
    for rid, name, kind, stops in _legs_of(theatre):
        if route is not None and rid != route:
            continue
        for i in range(1, len(stops)):
            (a_place, a_geom, _), (b_place, b_geom, mode) = stops[i - 1], stops[i]
            line = shapely.segmentize(LineString([a_geom, b_geom]), SEGMENT_DEGREES)
            if mode == "land":
                line_p = _reproject([line], to_p)[0]
                parts = _split_by_cells(line_p, clipped, keys, country_p)
                geoms = _reproject([g for _, _, g in parts], to_ll) if parts else []
                split = [(k, g) for (_, k, _), g in zip(parts, geoms, strict=True)]
            else:
                split = [(None, line)]
            for n, (key, geom) in enumerate(split, start=1):
                if mode != "land":
                    over = mode
                elif key is not None:
                    over = "land"
                else:  # outside the theatre: another country, or a bay the straight line cuts
                    over = "land" if _mostly_on_land(geom) else "sea"
                actor, side, status = key if key else (None, None, None)
                rows.append(
                    {
                        "theatre": theatre.id,
                        "route": rid,
                        "route_name": name,
                        "kind": kind,
                        "leg": i,
                        "part": n,
                        "from_place": a_place,
                        "to_place": b_place,
                        "mode": mode,
                        "over": over,
                        "control": actor,
                        "side": side if isinstance(side, str) and side else None,
                        "status": status,
                        "colour": colours[actor] if actor else None,
                        "as_of": str(day) if day else None,
                        "km": _km(geom),
                        "geometry": geom,
                    }
                )
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in LEG_COLUMNS[:-1]}, geometry=[], crs=4326)
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)[LEG_COLUMNS]
    out.attrs["date"] = str(to_date(date)) if date else None
    return out
