"""Map controls: grouped layer control, search, minimap, fullscreen, measure.

folium's own Search and MiniMap templates cannot take the options these maps need (a search
list that shows names as text, never markup; a minimap drawn from the offline basemap rather
than online tiles), so those two are written here against the same pinned plugin files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import Fullscreen, MeasureControl, MiniMap, Search
from folium.template import Template

from geo.render.elements import esc, safe_json


class GroupedLayers(JSCSSMixin, MacroElement):
    """Base layers as radio buttons, overlays as checkboxes in named groups."""

    default_js = folium.plugins.GroupedLayerControl.default_js
    default_css = folium.plugins.GroupedLayerControl.default_css

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        GEO.controls.layers = L.control.groupedLayers(
            { {%- for label, layer in this.base %}
                {{ label }}: {{ layer.get_name() }},{% endfor %} },
            { {%- for group, items in this.groups %}{{ group }}: {
                {%- for label, layer in items %}{{ label }}: {{ layer.get_name() }},{% endfor %}
            },{% endfor %} },
            {collapsed: GEO.isPhone(), position: "topright"}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        base: Sequence[folium.map.Layer],
        groups: Mapping[str, Sequence[folium.map.Layer]],
    ) -> None:
        super().__init__()
        self._name = "GroupedLayers"
        # Labels are set as innerHTML by the plugin: escape them, then quote them for JS.
        self.base = [(safe_json(esc(layer.layer_name)), layer) for layer in base]
        self.groups = [
            (safe_json(esc(group)), [(safe_json(esc(la.layer_name)), la) for la in layers])
            for group, layers in groups.items()
            if layers
        ]
        for layer in list(base) + [la for layers in groups.values() for la in layers]:
            layer.control = False


class PlaceSearch(JSCSSMixin, MacroElement):
    """Search over every name of the article's places and the theatres' towns (see
    geo.render.search); matches are listed as text, not markup."""

    default_js = Search.default_js
    default_css = Search.default_css

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        GEO.placeSearch({{ this._parent.get_name() }}, {{ this.entries }});
        {% endmacro %}
        """
    )

    def __init__(self, entries: Sequence[dict]) -> None:
        super().__init__()
        self._name = "PlaceSearch"
        self.entries = safe_json(list(entries))


class OfflineMiniMap(JSCSSMixin, MacroElement):
    """The overview map in the corner, drawn from coarse Natural Earth land, no tiles."""

    default_js = MiniMap.default_js
    default_css = MiniMap.default_css

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        GEO.controls.minimap = new L.Control.MiniMap(
            GEO.sharedFeatures("minimap", "land", {interactive: false}),
            {toggleDisplay: true, position: "bottomright", width: 140, height: 120,
             zoomLevelOffset: -4, aimingRectOptions: {color: "#b91c1c", weight: 1}}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, features: Sequence[dict]) -> None:
        super().__init__()
        self._name = "OfflineMiniMap"
        from geo.render.theatre_layers import SharedScript

        # The same world outline on every page: one shared script, not 26 KB per page.
        self.add_child(SharedScript(_minimap_asset(tuple(features))))


_MINIMAP_ASSETS: dict[int, tuple[tuple[dict, ...], Any]] = {}


def _minimap_asset(features: tuple[dict, ...]) -> Any:
    """The minimap script asset, serialised and hashed once per process for the same features
    (``basemap.minimap_features`` hands every page the same tuple)."""
    from geo.render.theatre_layers import shared_asset

    held = _MINIMAP_ASSETS.get(id(features))
    if held is not None and held[0] is features:
        return held[1]
    asset = shared_asset("minimap", {"land": list(features)}, "minimap")
    _MINIMAP_ASSETS.clear()
    _MINIMAP_ASSETS[id(features)] = (features, asset)
    return asset


def add_tools(m: folium.Map) -> None:
    """Fullscreen and measure controls (folium's own: they embed no article text)."""
    Fullscreen(position="topleft").add_to(m)
    MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="miles",
        primary_area_unit="sqkilometers",
    ).add_to(m)
