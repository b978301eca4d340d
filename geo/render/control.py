"""Control zones and the frontline, with a date switch over every date the theatre records.

The zones of all dates travel in the page as JSON; the switch (a slider under the legend) swaps
which date's zones and frontline are inside the two overlay groups, so ticking a group off in the
layer control hides it at every date. The map opens on the article's date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import mapping

from geo.render.elements import (
    FeatureLayer,
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
STATUS_STYLE = {
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
        style = {"color": color, "weight": 1, "fillColor": color, "opacity": 0.7}
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
            f"{esc(text_of(z.get('as_of')))}</div>"
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
                    "_class": (
                        f"geo-zone geo-actor-{css_class(actor)} geo-status-{css_class(status)}"
                    ),
                    "_style": style,
                    "_popup": popup,
                },
            }
        )
    return features


def front_features(fronts: gpd.GeoDataFrame) -> list[dict]:
    """Frontline segments of one date."""
    features = []
    for _, f in fronts.iterrows():
        geom = f.geometry
        if geom is None or geom.is_empty:
            continue
        geom = geom.simplify(ZONE_TOLERANCE)
        a, b = text_of(f.get("side_a")), text_of(f.get("side_b"))
        popup = (
            '<div class="geo-popup"><div class="geo-popup-title">Frontline</div>'
            f'<div class="geo-row">{esc((a or "?").upper())} / {esc((b or "?").upper())}'
            f" · as of {esc(text_of(f.get('as_of')))}</div>"
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


class DateSwitch(MacroElement):
    """A slider over the theatre's dates that fills the zone and frontline groups for one date."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var data = {{ this.data }};
            var zones = {{ this.zones.get_name() }}, fronts = {{ this.fronts.get_name() }};
            var box = L.control({position: "bottomleft"});
            var input, output;
            function show(i) {
                var day = data.dates[i];
                zones.clearLayers();
                fronts.clearLayers();
                zones.addLayer(GEO.featureLayer(data.zones[day] || {features: []}, {}));
                fronts.addLayer(GEO.featureLayer(data.fronts[day] || {features: []}, {}));
                if (output) {
                    output.textContent = day + (day === data.article_as_of ? " (article)" : "");
                }
                if (input && +input.value !== i) { input.value = i; }
                GEO.controls.time.date = day;
            }
            box.onAdd = function () {
                var div = L.DomUtil.create("div", "geo-timebar");
                var label = L.DomUtil.create("label", "", div);
                label.textContent = data.label + " ";
                input = L.DomUtil.create("input", "geo-time-input", label);
                input.type = "range";
                input.min = 0;
                input.max = data.dates.length - 1;
                input.step = 1;
                input.value = data.start;
                input.setAttribute("aria-label", "Date of ground control");
                output = L.DomUtil.create("output", "geo-time-output", div);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(input, "input change", function () { show(+input.value); });
                return div;
            };
            GEO.controls.time = {dates: data.dates, show: show, date: null};
            box.addTo({{ this._parent.get_name() }});
            show(data.start);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        zones: FeatureLayer,
        fronts: FeatureLayer,
        dates: Sequence[str],
        zones_by_date: Mapping[str, list[dict]],
        fronts_by_date: Mapping[str, list[dict]],
        start: int,
        article_as_of: str | None,
        label: str,
    ) -> None:
        super().__init__()
        self._name = "DateSwitch"
        self.zones = zones
        self.fronts = fronts
        self.data = safe_json(
            {
                "dates": list(dates),
                "start": start,
                "article_as_of": article_as_of,
                "label": label,
                "zones": {
                    d: {"type": "FeatureCollection", "features": zones_by_date[d]} for d in dates
                },
                "fronts": {
                    d: {"type": "FeatureCollection", "features": fronts_by_date[d]} for d in dates
                },
            }
        )


def control_layers(
    zones_by_date: Mapping[str, gpd.GeoDataFrame],
    fronts_by_date: Mapping[str, gpd.GeoDataFrame],
    article_date: str | None,
    theatre_name: str = "",
    place_names: Mapping[str, str] | None = None,
) -> tuple[FeatureLayer, FeatureLayer, DateSwitch]:
    """The zone and frontline overlays (empty groups) and the switch that fills them.

    Opens on the latest recorded date on or before the article's date (the first date when the
    article is older than the record).
    """
    dates = sorted(zones_by_date)
    start = 0
    as_of = None
    for i, d in enumerate(dates):
        if article_date and d <= article_date:
            start, as_of = i, d
    zones = FeatureLayer([], name="Control zones", key="zones", options={"className": "geo-zones"})
    fronts = FeatureLayer([], name="Frontline", key="frontline", options={"className": "geo-front"})
    switch = DateSwitch(
        zones,
        fronts,
        dates,
        {d: zone_features(zones_by_date[d], place_names) for d in dates},
        {d: front_features(fronts_by_date.get(d, gpd.GeoDataFrame())) for d in dates},
        start,
        as_of,
        f"Ground control{' (' + theatre_name + ')' if theatre_name else ''} on",
    )
    return zones, fronts, switch


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
