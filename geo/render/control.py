"""Control zones and the frontline, with a date switch over every date the theatre records.

The zones and frontlines of every date travel in the theatre's shared asset, each marked with the
dates it is in force; the time bar fills the two overlay groups for the date it shows.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
from shapely.geometry import mapping

from geo.render.elements import (
    css_class,
    esc,
    round_coords,
    safe_color,
    safe_json,
    text_of,
)
from geo.render.legend import Entry

ZONE_TOLERANCE = 0.01  # degrees (~1 km): zones are Voronoi cells, not surveyed lines
FRONT_COLOR = "#111827"
# Filled in the browser with the control date the time bar shows, so one feature can stand
# for every date on which it is unchanged.
AS_OF = '<span class="geo-asof"></span>'
STATUS_STYLE: dict[str, dict[str, object]] = {
    "controlled": {"fillOpacity": 0.28, "dashArray": None},
    "contested": {"fillOpacity": 0.14, "dashArray": "5 4"},
    "besieged": {"fillOpacity": 0.2, "dashArray": "2 4"},
}


def zone_features(
    zones: gpd.GeoDataFrame, place_names: Mapping[str, str] | None = None
) -> list[dict]:
    """Zones of one date as features with an escaped popup and a class per actor."""
    names = place_names or {}
    features = []
    for _, z in zones.iterrows():
        geom = z.geometry
        if geom is None or geom.is_empty:
            continue
        geom = geom.simplify(ZONE_TOLERANCE, preserve_topology=True)
        actor = text_of(z.get("actor")) or "unknown"
        status = text_of(z.get("status")) or "controlled"
        color = safe_color(z.get("colour"))
        style: dict[str, object] = {"color": color, "weight": 1, "fillColor": color, "opacity": 0.7}
        style.update(STATUS_STYLE.get(status, STATUS_STYLE["controlled"]))
        raw_towns = z.get("towns")
        if isinstance(raw_towns, (list, tuple)):
            towns = ", ".join(names.get(str(t), str(t)) for t in raw_towns) or None
        else:
            towns = text_of(raw_towns)
        area = z.get("area_km2")
        popup = (
            '<div class="geo-popup">'
            f'<div class="geo-popup-title">{esc(text_of(z.get("actor_name")) or actor)}</div>'
            f'<div class="geo-popup-kind">{esc(status)} · as of '
            f"{AS_OF}</div>"
            + (f'<div class="geo-row">Towns: {esc(towns)}</div>' if towns else "")
            + (f'<div class="geo-row">Area: {float(area):,.0f} km²</div>' if area == area else "")
            + '<div class="geo-row geo-note">Zones are drawn from town-level control '
            "(nearest reported town), not surveyed lines.</div></div>"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": round_coords(mapping(geom), 3),
                "properties": {
                    "actor": actor,
                    "_actor": actor,
                    "_class": (
                        f"geo-zone geo-actor-{css_class(actor)} geo-status-{css_class(status)}"
                    ),
                    "_style": style,
                    "_popup": popup,
                },
            }
        )
    return features


def remote_features(remote: gpd.GeoDataFrame) -> list[dict]:
    """Low-certainty ground of one date (``geo.control.remote_at``): drawn over the zones as a
    light hatch that takes no clicks, so the zone beneath still opens its own popup."""
    features = []
    for _, r in remote.iterrows():
        geom = r.geometry
        if geom is None or geom.is_empty:
            continue
        geom = geom.simplify(ZONE_TOLERANCE * 2, preserve_topology=True)
        actor = text_of(r.get("actor")) or "unknown"
        features.append(
            {
                "type": "Feature",
                "geometry": round_coords(mapping(geom), 3),
                "properties": {
                    "actor": actor,
                    "_class": f"geo-remote geo-actor-{css_class(actor)}",
                    "_style": {"stroke": False, "fillOpacity": 1, "interactive": False},
                },
            }
        )
    return features


def front_features(fronts: gpd.GeoDataFrame, names: Mapping[str, str] | None = None) -> list[dict]:
    """Frontline segments of one date."""
    features = []
    for _, f in fronts.iterrows():
        geom = f.geometry
        if geom is None or geom.is_empty:
            continue
        geom = geom.simplify(ZONE_TOLERANCE)
        a, b = text_of(f.get("side_a")), text_of(f.get("side_b"))
        a, b = (names or {}).get(a or "", a), (names or {}).get(b or "", b)
        popup = (
            '<div class="geo-popup"><div class="geo-popup-title">Frontline</div>'
            f'<div class="geo-row">{esc(a or "?")} / {esc(b or "?")}'
            f" · as of {AS_OF}</div>"
            + (
                f'<div class="geo-row">{float(f["km"]):,.0f} km</div>'
                if f.get("km") == f.get("km")
                else ""
            )
            + "</div>"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": round_coords(mapping(geom), 3),
                "properties": {
                    "_class": "geo-frontline",
                    "_style": {
                        "color": FRONT_COLOR,
                        "weight": 3,
                        "dashArray": "8 5",
                        "opacity": 0.9,
                    },
                    "_popup": popup,
                },
            }
        )
    return features


def merge_runs(features: list[dict]) -> list[dict]:
    """Features in date order, each unchanged run of dates folded into one (``_start``..``_end``).

    A zone or route leg that looks the same on consecutive dates is written once, which keeps a
    theatre with many dates small.
    """
    out: list[dict] = []
    last: dict[str, dict] = {}
    for f in features:
        props = f["properties"]
        key = safe_json(
            {
                "g": f["geometry"],
                "p": {k: v for k, v in props.items() if k not in ("_start", "_end")},
            }
        )
        prev = last.get(key)
        if prev is not None and prev["properties"].get("_end") == props.get("_start"):
            if props.get("_end"):
                prev["properties"]["_end"] = props["_end"]
            else:
                prev["properties"].pop("_end", None)
            continue
        last[key] = f
        out.append(f)
    return out


def dated(features: list[dict], start: str | None, end: str | None) -> list[dict]:
    """The features marked as in force from ``start`` up to (not including) ``end``."""
    for f in features:
        if start:
            f["properties"]["_start"] = start
        if end:
            f["properties"]["_end"] = end
    return features


def control_legend(zones_by_date: Mapping[str, gpd.GeoDataFrame]) -> list[Entry]:
    """One row per actor holding ground on any date, plus status and frontline symbols."""
    seen: dict[str, tuple[str, str]] = {}
    for zones in zones_by_date.values():
        for _, z in zones.iterrows():
            actor = text_of(z.get("actor"))
            if actor and actor not in seen:
                seen[actor] = (
                    safe_color(z.get("colour")),
                    text_of(z.get("actor_name")) or actor,
                )
    rows = [Entry("area", color, name) for _, (color, name) in sorted(seen.items())]
    rows.append(Entry("dash", "#6b7280", "dashed edge: contested or besieged"))
    rows.append(Entry("dash", FRONT_COLOR, "frontline"))
    return rows
