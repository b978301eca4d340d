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
import functools
import html
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
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
_UNSAFE_TABLE = str.maketrans(_UNSAFE_IN_SCRIPT)
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
    text = text.translate(_UNSAFE_TABLE)
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


def sources_row(value: Any) -> str:
    """'Sources: D1, D4' with each code a link to the page's source list (title and URL)."""
    text = text_of(value)
    if not text:
        return ""
    codes = [c.strip() for c in re.split(r"[;,]", text) if c.strip()]
    links = ", ".join(
        f'<a class="geo-src" href="#geo-sources" data-src="{esc(c)}">{esc(c)}</a>' for c in codes
    )
    return f'<div class="geo-row geo-note">Sources: {links}</div>'


def esc(value: object) -> str:
    """HTML-escape any value (quotes too, so it is safe in attributes); None becomes ''."""
    if value is None:
        return ""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def marked(sentence: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``sentence`` as HTML with each (start, end, class) span in a ``<mark>`` (no class when
    it is ""); a span overlapping an earlier one is left unmarked."""
    out, pos = [], 0
    for start, end, cls in sorted(spans):
        if start < pos:
            continue
        attr = f' class="{cls}"' if cls else ""
        out.append(esc(sentence[pos:start]))
        out.append(f"<mark{attr}>{esc(sentence[start:end])}</mark>")
        pos = end
    out.append(esc(sentence[pos:]))
    return "".join(out)


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

    Element._generate_id = classmethod(_next_id)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


_JINJA_TAG = re.compile(r"\{[{%#]")


class _RenderedText(Element):
    """Markup a macro already rendered, kept as text: branca wraps each rendered macro in an
    ``Element`` whose text it compiles as a Jinja template again (about half of a page's render
    time). Plain text renders exactly as Jinja would render it: newlines normalised, one
    trailing newline dropped."""

    def __init__(self, template: str | None = None, template_name: str | None = None) -> None:
        super().__init__()
        text = (template or "").replace("\r\n", "\n").replace("\r", "\n")
        self._text = text[:-1] if text.endswith("\n") else text

    def render(self, **kwargs: Any) -> str:
        return self._text


def _rendered_element(template: str | None = None, template_name: str | None = None) -> Element:
    if template is None or template_name is not None or _JINJA_TAG.search(template):
        return Element(template, template_name)  # a real template: Jinja renders it
    return _RenderedText(template)


@functools.lru_cache(maxsize=256)
def _camelify(name: str) -> str:
    """branca's element-name-to-variable step, once per name: templates ask every element for
    its name again and again (``get_name`` redoes it character by character each time)."""
    from branca.utilities import _camelify as camelify

    return camelify(name)


@contextlib.contextmanager
def rendered_as_text() -> Iterator[None]:
    """While a page renders, keep each macro's output as text instead of recompiling it, and
    name elements from a memo (the same names as branca's)."""
    import branca.element as branca_element

    original = branca_element._camelify
    branca_element.Element = _rendered_element  # type: ignore[misc,assignment]
    branca_element._camelify = _camelify
    try:
        yield
    finally:
        branca_element.Element = Element  # type: ignore[misc]
        branca_element._camelify = original


LEAFLET_DECORATOR = (
    "polyline_decorator",
    "https://cdn.jsdelivr.net/npm/leaflet-polylinedecorator@1.6.0/dist/leaflet.polylineDecorator.js",
)
FONTAWESOME = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@7.1.0/css/"


def figure_of(element: Element) -> Figure:
    """The page a map element is drawn on (a folium map always sits in a ``Figure``)."""
    root = element.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"{type(element).__name__} is not on a page")
    return root


class Runtime(JSCSSMixin, MacroElement):
    """The map runtime (``static/geo-map.js`` and ``.css``) and the libraries it draws with.

    Pages carry data only; drawing, framing, labels and the time bar live in the static files,
    which every page links by a content-hashed path.
    """

    default_js = [LEAFLET_DECORATOR]
    default_css = [
        ("fa_core", FONTAWESOME + "fontawesome.min.css"),
        ("fa_solid", FONTAWESOME + "solid.min.css"),
    ]
    _template = Template("")

    def __init__(self) -> None:
        super().__init__()
        self._name = "Runtime"
        from geo.render.assets import static_asset

        self.geo_assets = [static_asset("geo-map.js"), static_asset("geo-map.css")]

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement's
        super().render(**kwargs)
        figure = figure_of(self)
        js, css = self.geo_assets
        figure.header.add_child(JavascriptLink(js.relpath), name="geo_map_js")
        figure.header.add_child(CssLink(css.relpath), name="geo_map_css")


class FeatureLayer(folium.map.Layer):
    """An overlay drawn by ``GEO.featureLayer`` from a FeatureCollection with safe properties.

    Each feature may carry ``_style`` (Leaflet path options), ``_class`` (CSS classes),
    ``_popup`` / ``_tooltip`` (HTML already escaped in Python), ``_actor`` (coloured from the
    map's palette), ``_arrow`` (fixed-pixel arrowheads: "end" or "repeat"), ``_event`` (an event
    kind, drawn as an icon), ``_start`` / ``_end`` (dates, for layers that follow the time bar).

    ``shared=(asset key, layer name)`` draws the features of a shared theatre asset instead of
    embedding them; ``dated`` layers are filled by the time bar.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.js_call }};
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
        shared: tuple[str, str] | None = None,
        dated: bool = False,
    ) -> None:
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self.shared = shared
        self.dated = dated
        self._name = "FeatureLayer"
        self.key = key
        self.features = features
        self.options = dict(options or {})
        self.options.setdefault("className", f"geo-{css_class(key)}")

    @property
    def data_json(self) -> str:
        return safe_json({"type": "FeatureCollection", "features": self.features})

    @property
    def js_call(self) -> str:
        if self.shared:
            key, layer = self.shared
            fn = "GEO.sharedLayer" if self.dated else "GEO.sharedFeatures"
            return f"{fn}({safe_json(key)}, {safe_json(layer)}, {self.options_json})"
        fn = "GEO.datedLayer" if self.dated else "GEO.featureLayer"
        return f"{fn}({self.data_json}, {self.options_json})"

    @property
    def options_json(self) -> str:
        return safe_json(self.options)

    @property
    def key_json(self) -> str:
        return safe_json(self.key)

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


@functools.lru_cache(maxsize=512)
def macro_template(macro: str, body: str) -> Template:
    """A compiled one-macro template, once per source: compiling is most of what building an
    element costs, and a map builds the same few again and again."""
    return Template(f"{{% macro {macro}(this, kwargs) %}}{body}{{% endmacro %}}")


class RawScript(MacroElement):
    """A script block for the map, from a template string plus JSON-safe values only."""

    def __init__(self, template: str, **values: Any) -> None:
        super().__init__()
        self._name = "Script"
        self._template = macro_template("script", template)
        for key, value in values.items():
            setattr(self, key, safe_json(value))


class HeaderHtml(MacroElement):
    """Static markup or CSS for the page header (built from escaped fragments only)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "HeaderHtml"
        self.markup = markup
        self._template = macro_template("header", "{{ this.markup }}")


class BodyHtml(MacroElement):
    """Markup for the page body, after the map div (escaped fragments only)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "BodyHtml"
        self.markup = markup
        self._template = macro_template("html", "{{ this.markup }}")
