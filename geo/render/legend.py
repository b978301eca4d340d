"""The legend: one row per colour and symbol the map actually uses, grouped by layer.

Each row names the layers that draw it; the page hides a row while none of them is shown, and a
section while all its rows are hidden, so the legend lists what is on the map, not what could be.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from branca.element import MacroElement
from folium.template import Template

from geo.render.elements import esc, safe_json


@dataclass(frozen=True)
class Entry:
    """A legend row: a symbol (circle, ring, area, line, dash, arrow, ant, event, claim) and
    its meaning."""

    symbol: str
    color: str
    label: str
    icon: str = ""  # a Font Awesome class, for event and claim rows
    layers: tuple[str, ...] = ()  # keys of the layers that draw it (none: always shown)


def tagged(entries: Iterable[Entry], *layers: str) -> list[Entry]:
    """The rows, marked as drawn by ``layers``."""
    return [replace(e, layers=tuple(dict.fromkeys(e.layers + layers))) for e in entries]


def merge(sections: dict[str, list[Entry]], title: str, entries: Sequence[Entry]) -> None:
    """Add rows to a section; a row two layers share (two theatres' frontlines) is listed once,
    shown while either layer is."""
    rows = sections.setdefault(title, [])
    for entry in entries:
        same = next(
            (
                n
                for n, e in enumerate(rows)
                if (e.symbol, e.color, e.label, e.icon)
                == (entry.symbol, entry.color, entry.label, entry.icon)
            ),
            None,
        )
        if same is None:
            rows.append(entry)
        else:
            rows[same] = replace(
                rows[same], layers=tuple(dict.fromkeys(rows[same].layers + entry.layers))
            )


def _svg(entry: Entry) -> str:
    c = esc(entry.color)
    if entry.symbol == "event":
        inner = f'<i class="fa-solid {esc(entry.icon)}"></i>' if entry.icon else ""
        return f'<span class="geo-legend-event" style="background:{c}">{inner}</span>'
    if entry.symbol == "claim":
        inner = f'<i class="fa-solid {esc(entry.icon)}"></i>' if entry.icon else ""
        return f'<span class="geo-legend-claim" style="background:{c}">{inner}</span>'

    shapes = {
        "circle": f'<circle cx="9" cy="7" r="5" fill="{c}" stroke="#1f2937" stroke-width="1.2"/>',
        "ring": f'<circle cx="9" cy="7" r="5" fill="{c}" fill-opacity=".25" stroke="{c}" '
        'stroke-width="1.5" stroke-dasharray="2 2"/>',
        "area": f'<rect x="2" y="2" width="14" height="10" fill="{c}" fill-opacity=".35" '
        f'stroke="{c}"/>',
        "line": f'<line x1="1" y1="7" x2="17" y2="7" stroke="{c}" stroke-width="3"/>',
        "dasharrow": f'<path d="M1 11 Q9 1 16 7" fill="none" stroke="{c}" stroke-width="2" '
        'stroke-dasharray="3 2"/>'
        f'<path d="M12 4 L17 7 L12 10 Z" fill="{c}"/>',
        "hatch": f'<rect x="2" y="2" width="14" height="10" fill="{c}" fill-opacity=".35"/>'
        '<path d="M2 8 L8 2 M2 14 L14 2 M8 14 L16 6" stroke="#fff" stroke-width="2"/>',
        "dash": f'<line x1="1" y1="7" x2="17" y2="7" stroke="{c}" stroke-width="2" '
        'stroke-dasharray="4 3"/>',
        "arrow": f'<path d="M1 11 Q9 1 16 7" fill="none" stroke="{c}" stroke-width="2"/>'
        f'<path d="M12 4 L17 7 L12 10 Z" fill="{c}"/>',
        "ant": f'<line x1="1" y1="7" x2="17" y2="7" stroke="{c}" stroke-width="3" '
        'stroke-dasharray="5 3"/><path d="M13 4 L17 7 L13 10" fill="none" stroke="#111" '
        'stroke-width="1"/>',
    }
    body = shapes.get(entry.symbol, shapes["circle"])
    return f'<svg width="18" height="14" aria-hidden="true">{body}</svg>'


def legend_html(sections: dict[str, list[Entry]]) -> str:
    """Legend markup; labels (which may come from theatre data) are escaped."""
    parts = ['<div class="geo-legend" id="geo-legend"><details open><summary>Legend</summary>']
    for title, entries in sections.items():
        if not entries:
            continue
        parts.append(f'<section class="geo-legend-section"><h2>{esc(title)}</h2>')
        for entry in entries:
            keys = f' data-layers="{esc(" ".join(entry.layers))}"' if entry.layers else ""
            parts.append(
                f'<div class="geo-item"{keys}>{_svg(entry)}<span>{esc(entry.label)}</span></div>'
            )
        parts.append("</section>")
    parts.append("</details></div>")
    return "".join(parts)


class Legend(MacroElement):
    """The legend as a Leaflet control (bottom left), so it moves with fullscreen."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "");
                div.innerHTML = {{ this.markup }};
                L.DomEvent.disableScrollPropagation(div);
                return div.firstChild;
            };
            legend.addTo({{ this._parent.get_name() }});
            GEO.controls.legend = legend;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, sections: dict[str, list[Entry]]) -> None:
        super().__init__()
        self._name = "Legend"
        self.markup = safe_json(legend_html(sections))
