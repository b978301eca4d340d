"""Base layers: an offline vector basemap from Natural Earth, and OpenStreetMap tiles when online.

The offline basemap is what a map shows by default, so it must be small: the article's region
comes from the 1:50m data, the rest of the world from 1:110m, both simplified to what the zoom
levels in use can show and rounded to a precision that matches.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
import shapely
from shapely.geometry import box, mapping
from shapely.geometry.base import BaseGeometry

from geo._io import write_atomic
from geo.gazetteer import naturalearth
from geo.memory import release_freed
from geo.render.elements import FeatureLayer, RawScript, round_coords

PANE = "basemap"
TOP_PANE = "places"  # the article's places sit above every theatre overlay
LAND = "#f2efe6"
BORDER = "#a8a294"
COAST = "#6f8fa6"
SEA = "#d4e4ee"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors (ODbL)'
)
NE_ATTRIBUTION = "Natural Earth (public domain)"

# (tolerance in degrees, decimal digits): detail where the article is, coarse elsewhere.
_DETAIL = (0.02, 3)
_WORLD = (0.12, 2)
_MINIMAP = (0.5, 1)
# Degrees the detail box snaps to: articles about the same area share one basemap asset (one
# file in the output folder, computed once per process), instead of one per article.
REGION_GRID = 10


def region_box(
    bounds: tuple[float, float, float, float], pad: float = 8.0, grid: int = REGION_GRID
) -> tuple[int, int, int, int]:
    """The (west, south, east, north) box drawn in detail: the places' bounds plus a margin.

    Rounded outward to multiples of ``grid`` degrees so articles about the same area share one
    cached basemap.
    """
    import math

    west, south, east, north = bounds
    west = max(-180, grid * math.floor((west - pad) / grid))
    east = min(180, grid * math.ceil((east + pad) / grid))
    south = max(-85, grid * math.floor((south - pad) / grid))
    north = min(85, grid * math.ceil((north + pad) / grid))
    return (int(west), int(south), int(east), int(north))


def _prepare(geom: BaseGeometry, tolerance: float, digits: int) -> BaseGeometry:
    geom = geom.simplify(tolerance, preserve_topology=True)
    return shapely.set_precision(geom, 10**-digits)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygons of a geometry (make_valid can leave stray lines in a collection)."""
    parts = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts)


def _feature(geom: BaseGeometry, cls: str, style: dict, digits: int) -> dict | None:
    if geom.is_empty:
        return None
    return {
        "type": "Feature",
        "geometry": round_coords(mapping(geom), digits),
        "properties": {"_class": cls, "_style": style},
    }


@lru_cache(maxsize=4)
def land_union(resolution: str) -> BaseGeometry:
    """All land as one (multi)polygon, computed once per process (it takes seconds)."""
    return _polygonal(naturalearth.land(resolution).geometry.union_all())


@lru_cache(maxsize=4)
def borders_union(resolution: str) -> BaseGeometry:
    """All country borders as one line geometry, computed once per process."""
    return naturalearth.countries(resolution).geometry.boundary.union_all()


@lru_cache(maxsize=8)
def basemap_features(region: tuple[int, ...]) -> tuple[dict, ...]:
    """Land fill, country borders and coastline as GeoJSON features (cached per region)."""
    detail = box(*region)
    land50 = land_union("50m")
    land110 = land_union("110m")

    land = [
        _prepare(land110.difference(detail), *_WORLD),
        _prepare(land50.intersection(detail), *_DETAIL),
    ]
    borders = [
        _prepare(borders_union("110m").difference(detail), *_WORLD),
        _prepare(borders_union("50m").intersection(detail), *_DETAIL),
    ]
    fill = {"stroke": False, "fillColor": LAND, "fillOpacity": 1}
    border = {"color": BORDER, "weight": 0.8, "fill": False}
    coast = {"color": COAST, "weight": 1.0, "fill": False}
    features = []
    for geom, digits in zip(land, (_WORLD[1], _DETAIL[1]), strict=True):
        features.append(_feature(geom, "geo-land", fill, digits))
    for geom, digits in zip(borders, (_WORLD[1], _DETAIL[1]), strict=True):
        features.append(_feature(geom, "geo-border", border, digits))
    # Coastlines are cut from the whole outline, so the detail box's edges never show as coast.
    coasts = [
        _prepare(land110.boundary.difference(detail), *_WORLD),
        _prepare(land50.boundary.intersection(detail), *_DETAIL),
    ]
    for geom, digits in zip(coasts, (_WORLD[1], _DETAIL[1]), strict=True):
        features.append(_feature(geom, "geo-coast", coast, digits))
    release_freed()  # the unions and cuts leave tens of MB of freed pages behind
    return tuple(f for f in features if f is not None)


@lru_cache(maxsize=1)
def minimap_features() -> tuple[dict, ...]:
    """World land, coarse: enough for the overview map in the corner."""
    land = _prepare(naturalearth.land("110m").geometry.union_all(), *_MINIMAP)
    style = {"color": COAST, "weight": 0.6, "fillColor": LAND, "fillOpacity": 1}
    feature = _feature(land, "geo-minimap-land", style, _MINIMAP[1])
    return (feature,) if feature else ()


@lru_cache(maxsize=16)
def basemap_asset(region: tuple[int, ...]) -> tuple[str, Any]:
    """(key, script asset) of a region's basemap: one per region, shared by every article whose
    places fall in it. Cutting and simplifying the land takes a second or more per region, so
    the script is kept in the cache folder for every later process (each build worker, the next
    build), keyed by the region, this code and the Natural Earth source."""
    from geo.render.assets import generated
    from geo.render.theatre_layers import shared_asset

    key = "basemap-" + "_".join(str(v) for v in region)
    path = _stored_script(key)
    try:
        return key, generated(key, "layers.js", path.read_bytes())
    except OSError:
        pass
    asset = shared_asset(key, {"land": list(basemap_features(region))}, package=key)
    try:
        write_atomic(path, asset.data)
    except OSError:
        pass  # a read-only cache only costs time
    return key, asset


def _stored_script(key: str) -> Path:
    """Where a basemap script is cached: named by its region and a hash of what makes it."""
    from geo import settings
    from geo._io import files_fingerprint, fingerprint
    from geo.gazetteer.naturalearth import source_key

    here = Path(__file__).resolve().parent
    code = [here / n for n in ("basemap.py", "elements.py", "theatre_layers.py", "assets.py")]
    key_hash = fingerprint(
        shapely.__version__, files_fingerprint(code, lambda p: p.name), source_key()
    )
    return Path(settings.CACHE_DIR) / "render" / f"{key}-{key_hash[:20]}.js"


@lru_cache(maxsize=1)
def _osm_tiles() -> Any:
    """OpenStreetMap's tile provider, looked up once: folium's lookup by name searches every
    provider xyzservices knows (7 ms a map); the layer it makes from it is the same."""
    import xyzservices

    return xyzservices.providers.query_name("OpenStreetMap Mapnik")


def add_base_layers(
    m: folium.Map, region: tuple[int, ...]
) -> tuple[FeatureLayer, folium.TileLayer]:
    """Add the map panes, the offline basemap (shown) and OpenStreetMap tiles (optional);
    return both base layers for the layer control."""
    m.add_child(
        RawScript(
            "GEO.setupPanes({{ this._parent.get_name() }});"
            "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.credit }});",
            credit=NE_ATTRIBUTION,
        )
    )
    from geo.render.theatre_layers import SharedScript

    key, asset = basemap_asset(region)
    m.add_child(SharedScript(asset))
    basemap = FeatureLayer(
        [],
        name="Natural Earth (offline)",
        key="basemap",
        overlay=False,
        options={"pane": PANE, "interactive": False},
        shared=(key, "land"),
    )
    m.add_child(basemap)
    osm = folium.TileLayer(
        _osm_tiles(),
        name="OpenStreetMap (online)",
        attr=OSM_ATTRIBUTION,
        show=False,
        overlay=False,
    )
    m.add_child(osm)
    m.add_child(RawScript(f"GEO.tileWarning({m.get_name()}, {osm.get_name()});"))
    return basemap, osm
