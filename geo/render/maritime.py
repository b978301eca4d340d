"""Maritime zones: territorial sea, search-and-rescue region, treaty lines, operation areas."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import mapping

from geo.render.elements import (
    FeatureLayer,
    css_class,
    esc,
    popup_row,
    round_coords,
    sources_row,
    text_of,
)
from geo.render.legend import Entry

KIND_STYLE: dict[str, dict[str, Any]] = {
    "territorial-sea": {
        "color": "#0284c7",
        "weight": 1,
        "fillColor": "#38bdf8",
        "fillOpacity": 0.18,
    },
    "search-and-rescue-region": {
        "color": "#d97706",
        "weight": 2,
        "dashArray": "6 4",
        "fillOpacity": 0.04,
        "fillColor": "#f59e0b",
    },
    "maritime-boundary": {"color": "#dc2626", "weight": 4},
    "operation-area": {
        "color": "#4f46e5",
        "weight": 1.5,
        "dashArray": "2 5",
        "fillOpacity": 0.05,
        "fillColor": "#6366f1",
    },
}
DEFAULT_STYLE = {"color": "#0f766e", "weight": 1.5, "fillOpacity": 0.06}


def maritime_features(items: gpd.GeoDataFrame) -> list[dict]:
    """Each maritime item with its kind's style and an escaped popup."""
    features = []
    for _, item in items.iterrows():
        geom = item.geometry
        if geom is None or geom.is_empty:
            continue
        geom = geom.simplify(0.01)
        kind = text_of(item.get("kind")) or "maritime"
        valid = " – ".join(
            x for x in (text_of(item.get("valid_from")), text_of(item.get("valid_to"))) if x
        )
        size = ""
        if text_of(item.get("km")):
            size = f"{float(item['km']):,.0f} km"
        elif text_of(item.get("area_km2")):
            size = f"{float(item['area_km2']):,.0f} km²"
        popup = (
            '<div class="geo-popup">'
            f'<div class="geo-popup-title">{esc(text_of(item.get("name")) or item.get("id"))}</div>'
            f'<div class="geo-popup-kind">{esc(kind)}{" · " + esc(size) if size else ""}</div>'
            + (f'<div class="geo-row">In force: {esc(valid)}</div>' if valid else "")
            + popup_row(item.get("certainty"), "Certainty: ")
            + popup_row(item.get("note"), note=True)
            + sources_row(item.get("source"))
            + "</div>"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": round_coords(mapping(geom), 3),
                "properties": {
                    "_class": f"geo-maritime geo-maritime-{css_class(kind)}",
                    "_style": KIND_STYLE.get(kind, DEFAULT_STYLE),
                    "_popup": popup,
                    "_tooltip": esc(text_of(item.get("name")) or ""),
                },
            }
        )
    return features


def maritime_layer(items: gpd.GeoDataFrame) -> FeatureLayer:
    """The 'Maritime zones' overlay."""
    return FeatureLayer(maritime_features(items), name="Maritime zones", key="maritime")


def maritime_legend(items: gpd.GeoDataFrame) -> list[Entry]:
    kinds = sorted({str(k) for k in items.get("kind", [])})
    rows = []
    for kind in kinds:
        style = KIND_STYLE.get(kind, DEFAULT_STYLE)
        symbol = "line" if kind == "maritime-boundary" else "area"
        rows.append(Entry(symbol, style["color"], kind.replace("-", " ")))
    return rows
