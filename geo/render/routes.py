"""Migration routes: each leg drawn with arrowheads in its travel direction, coloured by
who holds the ground it crosses, with the leg's length and the route's 2019 figures in its popup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
from shapely.geometry import mapping

from geo.render.control import AS_OF
from geo.render.elements import FeatureLayer, css_class, esc, round_coords, safe_color, text_of
from geo.render.legend import Entry

SEA_COLOR = "#1d4ed8"
OPEN_COLOR = "#78716c"  # land legs outside the theatre or before recorded control


def leg_features(
    legs: gpd.GeoDataFrame,
    routes: gpd.GeoDataFrame | None,
    actors: Mapping[str, Mapping[str, Any]],
    place_name: Callable[[str], str | None] = str,
) -> list[dict]:
    """One directed line per leg part, with an escaped popup."""
    totals: dict[str, dict] = {}
    if routes is not None and len(routes):
        for _, r in routes.iterrows():
            totals[str(r["route"])] = {"km": r.get("km"), "figures": text_of(r.get("figures"))}
    features = []
    for _, leg in legs.iterrows():
        geom = leg.geometry
        if geom is None or geom.is_empty or geom.geom_type != "LineString":
            continue
        geom = geom.simplify(0.005)
        route = str(leg["route"])
        actor = text_of(leg.get("control"))
        over = text_of(leg.get("over")) or text_of(leg.get("mode")) or "land"
        info = actors.get(actor or "", {})
        if actor:
            color = safe_color(info.get("colour") or info.get("color"), OPEN_COLOR)
        else:
            color = SEA_COLOR if over in ("sea", "air") else OPEN_COLOR
        held = (
            f"held by {esc(info.get('name') or actor)} (as of {AS_OF})"
            if actor
            else (
                "at sea" if over == "sea" else "by air" if over == "air" else "no recorded control"
            )
        )
        start = place_name(str(leg["from_place"])) or leg["from_place"]
        end = place_name(str(leg["to_place"])) or leg["to_place"]
        total = totals.get(route, {})
        figures = total.get("figures")
        fig_html = ""
        if figures:
            items = "".join(f"<li>{esc(x.strip())}</li>" for x in figures.split(" | ") if x.strip())
            fig_html = f'<div class="geo-row">2019 figures:<ul>{items}</ul></div>'
        popup = (
            '<div class="geo-popup">'
            f'<div class="geo-popup-title">{esc(text_of(leg.get("route_name")) or route)}</div>'
            f'<div class="geo-popup-kind">{esc(text_of(leg.get("kind")) or "route")}</div>'
            f'<div class="geo-row">Leg {esc(leg.get("leg"))}: {esc(start)} → {esc(end)}'
            f" ({esc(text_of(leg.get('mode')) or '')})</div>"
            f'<div class="geo-row">This stretch: {float(leg["km"]):,.0f} km, {held}</div>'
            + (
                f'<div class="geo-row">Whole route: {float(total["km"]):,.0f} km</div>'
                if total.get("km") == total.get("km") and total.get("km") is not None
                else ""
            )
            + fig_html
            + "</div>"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": round_coords(mapping(geom), 3),
                "properties": {
                    "_class": f"geo-route geo-route-{css_class(route)}",
                    "_style": {"color": color, "weight": 3.5, "opacity": 0.85},
                    "_popup": popup,
                    "_arrow": "repeat",
                    **({"_actor": actor} if actor else {}),
                },
            }
        )
    return features


def routes_layer(
    legs: gpd.GeoDataFrame,
    routes: gpd.GeoDataFrame | None,
    actors: Mapping[str, Mapping[str, Any]],
    place_name: Callable[[str], str | None] = str,
) -> FeatureLayer:
    """The 'Migration routes' overlay."""
    return FeatureLayer(
        leg_features(legs, routes, actors, place_name), name="Migration routes", key="routes"
    )


def routes_legend() -> list[Entry]:
    return [
        Entry("ant", OPEN_COLOR, "route leg; arrowheads point in travel direction"),
        Entry("ant", SEA_COLOR, "sea or air leg"),
        Entry("line", OPEN_COLOR, "land leg: coloured by who holds it, grey when no one recorded"),
    ]
