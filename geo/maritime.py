"""Lines and areas at sea: territorial sea, search-and-rescue region, treaty lines, EU operations.

The territorial sea is computed, not drawn: the country's Natural Earth coastline is buffered by
the claimed breadth in an azimuthal equidistant projection centred on the country (so 12 nm is
12 nm everywhere in it) and land is cut away. Drawn areas can be clipped to the sea and have other
items removed (an EU operation on the high seas leaves territorial waters out).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import geopandas as gpd
import shapely
from pyproj import CRS
from shapely.geometry.polygon import orient

from geo.control import GEOD, to_date
from geo.errors import TheatreDataError
from geo.gazetteer import naturalearth
from geo.theatres import Theatre

NAUTICAL_MILE_M = 1852.0
RESOLUTION = "10m"
COLUMNS = [
    "theatre", "id", "name", "kind", "valid_from", "valid_to", "certainty", "source", "note",
    "km", "area_km2", "geometry",
]  # fmt: skip


def aeqd_crs(lon: float, lat: float) -> CRS:
    """An azimuthal equidistant CRS centred on (lon, lat): true distances from its centre."""
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"
    )


@lru_cache(maxsize=1)
def land_parts() -> tuple[list, shapely.STRtree]:
    """Natural Earth land polygons (lon/lat) with a spatial index, read once.

    Country outlines stand in for the land layer: the same coastlines, and already loaded for
    the control zones (reading the separate land file costs seconds more).
    """
    parts = list(shapely.get_parts(naturalearth.countries(RESOLUTION).geometry.to_numpy()))
    return parts, shapely.STRtree(parts)


def land_near(geom):
    """Natural Earth land (all countries) within half a degree of ``geom``'s envelope."""
    frame = geom.envelope.buffer(0.5)
    parts, tree = land_parts()
    near = [parts[i].intersection(frame) for i in tree.query(frame)]
    return shapely.union_all(near) if near else shapely.Polygon()


def territorial_sea(iso2: str, distance_nm: float = 12.0):
    """The sea within ``distance_nm`` of a country's coast (shapely, lon/lat)."""
    country = naturalearth.country_shape(iso2, RESOLUTION)
    if country is None:
        raise TheatreDataError(f"country {iso2!r} has no Natural Earth outline")
    c = country.centroid
    crs = aeqd_crs(c.x, c.y)
    projected = gpd.GeoSeries([country], crs=4326).to_crs(crs).iloc[0]
    belt = projected.buffer(distance_nm * NAUTICAL_MILE_M, quad_segs=16)
    belt_ll = gpd.GeoSeries([belt], crs=crs).to_crs(4326).iloc[0]
    land_p = gpd.GeoSeries([land_near(belt_ll)], crs=4326).to_crs(crs).iloc[0]
    sea = shapely.make_valid(belt.difference(land_p.union(projected)))
    return gpd.GeoSeries([sea], crs=crs).to_crs(4326).iloc[0]


@lru_cache(maxsize=8)
def _geometries(theatre: Theatre) -> dict:
    out: dict = {}
    for item in theatre.maritime:  # derived items first, so others can exclude them
        if "derive" in item:
            d = item["derive"]
            out[item["id"]] = territorial_sea(d["country"], float(d["distance_nm"]))
    for item in theatre.maritime:
        if "derive" in item:
            continue
        geom = item["geometry"]
        if item.get("clip_to_sea") and geom.geom_type in ("Polygon", "MultiPolygon"):
            geom = shapely.make_valid(geom.difference(land_near(geom)))
        out[item["id"]] = geom
    for item in theatre.maritime:
        for other in item.get("exclude") or []:
            out[item["id"]] = shapely.make_valid(out[item["id"]].difference(out[other]))
    return out


def _area_km2(geom) -> float | None:
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    # orient: exterior counter-clockwise, holes clockwise, so holes subtract
    parts = shapely.get_parts(geom)
    area = sum(GEOD.geometry_area_perimeter(orient(p, 1.0))[0] for p in parts)
    return round(abs(area) / 1e6, 1)


def maritime_at(theatre: Theatre, date: str | dt.date | None = None) -> gpd.GeoDataFrame:
    """The theatre's maritime items in force at ``date`` (all of them when ``date`` is None)."""
    day = to_date(date)
    geoms = _geometries(theatre)
    rows = []
    for item in theatre.maritime:
        start, end = item.get("valid_from"), item.get("valid_to")
        if day is not None and ((start and day < start) or (end and day > end)):
            continue
        geom = geoms[item["id"]]
        is_line = geom.geom_type in ("LineString", "MultiLineString")
        rows.append(
            {
                "theatre": theatre.id,
                "id": item["id"],
                "name": item["name"],
                "kind": item["kind"],
                "valid_from": str(start) if start else None,
                "valid_to": str(end) if end else None,
                "certainty": item["certainty"],
                "source": str(item["source"]),
                "note": " ".join(str(item.get("note") or "").split()),
                "km": round(GEOD.geometry_length(geom) / 1000, 1) if is_line else None,
                "area_km2": _area_km2(geom),
                "geometry": geom,
            }
        )
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in COLUMNS[:-1]}, geometry=[], crs=4326)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)[COLUMNS]
