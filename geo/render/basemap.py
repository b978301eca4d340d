"""Base layers: an offline vector basemap from Natural Earth, and OpenStreetMap tiles when online.

The offline basemap is what a map shows by default, so it must be small: the article's region
comes from the 1:50m data, the rest of the world from 1:110m, both simplified to what the zoom
levels in use can show and rounded to a precision that matches.
"""

from __future__ import annotations

from functools import lru_cache

import folium
import shapely
from shapely.geometry import box, mapping
from shapely.geometry.base import BaseGeometry

from geo.gazetteer import naturalearth
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


def region_box(bounds: tuple[float, float, float, float], pad: float = 8.0) -> tuple[int, ...]:
    """The (west, south, east, north) box drawn in detail: the places' bounds plus a margin.

    Rounded outward to whole degrees so articles about the same area share one cached basemap.
    """
    import math

    west, south, east, north = bounds
    west, east = max(-180, math.floor(west - pad)), min(180, math.ceil(east + pad))
    south, north = max(-85, math.floor(south - pad)), min(85, math.ceil(north + pad))
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


@lru_cache(maxsize=8)
def basemap_features(region: tuple[int, ...]) -> tuple[dict, ...]:
    """Land fill, country borders and coastline as GeoJSON features (cached per region)."""
    detail = box(*region)
    countries50 = naturalearth.countries("50m")
    countries110 = naturalearth.countries("110m")
    land50 = _polygonal(naturalearth.land("50m").geometry.union_all())
    land110 = _polygonal(naturalearth.land("110m").geometry.union_all())

    land = [
        _prepare(land110.difference(detail), *_WORLD),
        _prepare(land50.intersection(detail), *_DETAIL),
    ]
    borders = [
        _prepare(countries110.geometry.boundary.union_all().difference(detail), *_WORLD),
        _prepare(countries50.geometry.boundary.union_all().intersection(detail), *_DETAIL),
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
    return tuple(f for f in features if f is not None)


@lru_cache(maxsize=1)
def minimap_features() -> tuple[dict, ...]:
    """World land, coarse: enough for the overview map in the corner."""
    land = _prepare(naturalearth.land("110m").geometry.union_all(), *_MINIMAP)
    style = {"color": COAST, "weight": 0.6, "fillColor": LAND, "fillOpacity": 1}
    feature = _feature(land, "geo-minimap-land", style, _MINIMAP[1])
    return (feature,) if feature else ()


def add_base_layers(m: folium.Map, region: tuple[int, ...]) -> FeatureLayer:
    """Add the map panes, the offline basemap (shown) and OpenStreetMap tiles (optional)."""
    m.add_child(
        RawScript(
            "{{ this._parent.get_name() }}.createPane({{ this.pane }});"
            "{{ this._parent.get_name() }}.getPane({{ this.pane }}).style.zIndex = 150;"
            "{{ this._parent.get_name() }}.createPane({{ this.top }});"
            "{{ this._parent.get_name() }}.getPane({{ this.top }}).style.zIndex = 450;"
            "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.credit }});",
            pane=PANE,
            top=TOP_PANE,
            credit=NE_ATTRIBUTION,
        )
    )
    basemap = FeatureLayer(
        list(basemap_features(region)),
        name="Natural Earth (offline)",
        key="basemap",
        overlay=False,
        options={"pane": PANE, "interactive": False},
    )
    m.add_child(basemap)
    osm = folium.TileLayer(
        "OpenStreetMap",
        name="OpenStreetMap (online)",
        attr=OSM_ATTRIBUTION,
        show=False,
        overlay=False,
    )
    m.add_child(osm)
    basemap.osm = osm  # type: ignore[attr-defined]
    return basemap
