"""Building blocks every layer shares: safe embedding, stable ids and one feature-drawing runtime.

Article text is hostile, so nothing from it is ever spliced into HTML or JavaScript by string
formatting: HTML fragments are built with :func:`html.escape` in Python, and data reaches the page
only as JSON made safe for a ``<script>`` element by :func:`safe_json`. Popups and tooltips are
such pre-escaped fragments; the browser side never builds markup from raw values.

folium's own ``Popup`` and ``GeoJsonPopup`` embed text in JavaScript template literals or build
markup from raw values, so the layers here use :class:`FeatureLayer` instead.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

# Characters that end a <script> element, start an HTML comment or CDATA, or end a JS string
# literal in old parsers; JSON allows all of them escaped.
_UNSAFE_IN_SCRIPT = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")
# branca re-reads every rendered macro as a Jinja template, so text that opens a Jinja tag
# would run at build time: "{{", "{%" and "{#" never reach the page as they are.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
COORD_DIGITS = 4  # about 11 m: finer than any zoom the maps offer
_CLASS_RE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_json(value: Any) -> str:
    """JSON text that can sit inside ``<script>`` and JS code without ending or escaping it.

    Keys are sorted and floats keep their repr, so the same value always gives the same text.
    Jinja tag openers are escaped too (see ``_JINJA_OPEN``).
    Lone surrogates (possible in hostile JSON input) are replaced rather than crashing the build.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _UNSAFE_RE.sub(lambda m: _UNSAFE_IN_SCRIPT[m.group(0)], text)
    # Outside strings JSON never has "{" before "{", "%" or "#", so this only touches text.
    return _JINJA_OPEN.sub(r"\\u007b", text)


def text_of(value: Any) -> str | None:
    """Data as display text: None and NaN are no text, lists are comma-separated."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def popup_row(value: Any, label: str = "", note: bool = False) -> str:
    """One escaped popup line ('Certainty: reported'), or nothing when there is no value."""
    text = text_of(value)
    if not text:
        return ""
    cls = "geo-row geo-note" if note else "geo-row"
    return f'<div class="{cls}">{esc(label)}{esc(text)}</div>'


def esc(value: object) -> str:
    """HTML-escape any value (quotes too, so it is safe in attributes); None becomes ''."""
    if value is None:
        return ""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


_COLOR_RE = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]{3,20})$")


def safe_color(value: object, default: str = "#6b7280") -> str:
    """A CSS colour from data only when it is a plain hex code or name; else the default."""
    text = str(value).strip() if value is not None else ""
    return text if _COLOR_RE.match(text) else default


def css_class(value: object) -> str:
    """A CSS class name fragment from an id: letters, digits, '-' and '_' only."""
    return _CLASS_RE.sub("-", str(value)).strip("-") or "x"


def round_coords(geometry: Any, digits: int = COORD_DIGITS) -> Any:
    """Round every coordinate of a GeoJSON geometry dict: smaller pages, stable bytes."""

    def _r(c: Any) -> Any:
        if isinstance(c, (list, tuple)):
            if c and isinstance(c[0], (int, float)):
                return [round(float(x), digits) for x in c[:2]]
            return [_r(x) for x in c]
        return c

    out = dict(geometry)
    if "coordinates" in out:
        out["coordinates"] = _r(out["coordinates"])
    if "geometries" in out:
        out["geometries"] = [round_coords(g, digits) for g in out["geometries"]]
    return out


def finite(value: Any) -> bool:
    """True for a real, finite number (coordinates from hostile input can be anything)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


@contextlib.contextmanager
def deterministic_ids(prefix: str = "") -> Iterator[None]:
    """Give every branca element created inside the block a counter id instead of a random one.

    branca draws ids from ``os.urandom``; the maps must be byte-identical from build to build, so
    ids come from a counter that starts afresh for each map.
    """
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]

    def _next_id(cls: type) -> str:
        return f"{prefix}{next(counter):x}"

    Element._generate_id = classmethod(_next_id)  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


RUNTIME_JS = r"""
window.GEO = window.GEO || {layers: {}, controls: {}};
GEO.featureLayer = function (fc, opts) {
  opts = opts || {};
  var pane = opts.pane || 'overlayPane';
  var renderer = opts.canvas ? L.canvas({padding: 0.5, pane: pane}) : undefined;
  var group = L.featureGroup();
  // Pan popups clear of the legend (left) and the layer control (right) on wide screens.
  var wide = window.innerWidth > 1000;
  var popupOptions = {maxWidth: 380, maxHeight: 340,
                      autoPanPaddingTopLeft: wide ? [330, 150] : [10, 10],
                      autoPanPaddingBottomRight: wide ? [250, 40] : [10, 10]};
  function styleOf(p) {
    var s = Object.assign({}, opts.style || {}, p._style || {});
    s.className = [opts.className || '', p._class || ''].join(' ').trim();
    if (opts.pane) { s.pane = opts.pane; }
    if (renderer) { s.renderer = renderer; }
    if (opts.interactive === false) { s.interactive = false; }
    return s;
  }
  function decorate(f, layer) {
    var p = f.properties || {};
    if (p._popup) { layer.bindPopup(p._popup, popupOptions); }
    if (p._tooltip) {
      layer.bindTooltip(p._tooltip, {
        permanent: !!p._label, direction: p._label ? 'center' : 'top',
        className: p._label ? 'geo-label' : 'geo-tip'});
    }
  }
  (fc.features || []).forEach(function (f) {
    var p = f.properties || {};
    var layer;
    if (p._ant && L.polyline.antPath && f.geometry && f.geometry.type === 'LineString') {
      var pts = f.geometry.coordinates.map(function (c) { return [c[1], c[0]]; });
      var ant = Object.assign({delay: 1200, dashArray: [12, 18]}, styleOf(p));
      layer = L.polyline.antPath(pts, ant);
      layer.feature = f;
      decorate(f, layer);
    } else {
      layer = L.geoJSON(f, {
        style: function () { return styleOf(p); },
        pointToLayer: function (g, latlng) {
          return L.circleMarker(latlng, Object.assign({radius: 6}, styleOf(p)));
        },
        onEachFeature: decorate
      });
    }
    group.addLayer(layer);
  });
  return group;
};
"""


def ensure_runtime(element: Element) -> None:
    """Add the runtime to the element's page header unless it is already there."""
    figure = element.get_root()
    if isinstance(figure, Figure) and "geo_runtime" not in figure.header._children:
        figure.header.add_child(Element(f"<script>{RUNTIME_JS}</script>"), name="geo_runtime")


class FeatureLayer(folium.map.Layer):
    """An overlay drawn by ``GEO.featureLayer`` from a FeatureCollection with safe properties.

    Each feature may carry ``_style`` (Leaflet path options), ``_class`` (CSS classes),
    ``_popup`` / ``_tooltip`` (HTML already escaped in Python), ``_label`` (tooltip always shown)
    and ``_ant`` (draw the line as an animated ant path, showing direction).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = GEO.featureLayer({{ this.data_json }}, {{ this.options_json }});
        GEO.layers[{{ this.key_json }}] = {{ this.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(
        self,
        features: list[dict],
        name: str,
        key: str,
        *,
        show: bool = True,
        overlay: bool = True,
        control: bool = True,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "FeatureLayer"
        self.key = key
        self.features = features
        self.options = dict(options or {})
        self.options.setdefault("className", f"geo-{css_class(key)}")

    @property
    def data_json(self) -> str:
        return safe_json({"type": "FeatureCollection", "features": self.features})

    @property
    def options_json(self) -> str:
        return safe_json(self.options)

    @property
    def key_json(self) -> str:
        return safe_json(self.key)

    def render(self, **kwargs: Any) -> None:
        ensure_runtime(self)
        super().render(**kwargs)

    def _get_self_bounds(self) -> list[list[float | None]]:
        lats: list[float] = []
        lons: list[float] = []
        for f in self.features:
            _collect(f.get("geometry", {}).get("coordinates"), lats, lons)
        if not lats:
            return [[None, None], [None, None]]
        return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _collect(coords: Any, lats: list[float], lons: list[float]) -> None:
    if not isinstance(coords, (list, tuple)) or not coords:
        return
    if isinstance(coords[0], (int, float)):
        lons.append(float(coords[0]))
        lats.append(float(coords[1]))
        return
    for c in coords:
        _collect(c, lats, lons)


class RawScript(MacroElement):
    """A script block for the map, from a template string plus JSON-safe values only."""

    def __init__(self, template: str, **values: Any) -> None:
        super().__init__()
        self._name = "Script"
        self._template = Template("{% macro script(this, kwargs) %}" + template + "{% endmacro %}")
        for key, value in values.items():
            setattr(self, key, safe_json(value))


class HeaderHtml(MacroElement):
    """Static markup or CSS for the page header (built from escaped fragments only)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "HeaderHtml"
        self.markup = markup
        self._template = Template("{% macro header(this, kwargs) %}{{ this.markup }}{% endmacro %}")


class BodyHtml(MacroElement):
    """Markup for the page body, after the map div (escaped fragments only)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "BodyHtml"
        self.markup = markup
        self._template = Template("{% macro html(this, kwargs) %}{{ this.markup }}{% endmacro %}")
