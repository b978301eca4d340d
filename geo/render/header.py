"""The header over each map: title, date, source, a link back to the index, and data credits."""

from __future__ import annotations

import re

from geo.render.elements import BodyHtml, esc

CREDITS = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) · '
    'Basemap: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain) · '
    'Tiles: &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors (ODbL)"
)

PAGE_CSS = """
<style>
.leaflet-container.folium-map { background: #d4e4ee; }
.geo-header { position: absolute; top: 10px; left: 50%; transform: translateX(-50%);
  z-index: 1000; max-width: min(560px, 60vw); background: rgba(255,255,255,.94);
  padding: 8px 12px; border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,.3);
  font: 13px/1.35 system-ui, sans-serif; color: #111827; }
.geo-header h1 { font-size: 15px; margin: 0 0 3px; font-weight: 650; }
.geo-header .geo-meta { color: #4b5563; }
.geo-header .geo-credits { color: #6b7280; font-size: 11px; margin-top: 4px; }
.geo-header a { color: #1d4ed8; }
.geo-popup { font: 12.5px/1.4 system-ui, sans-serif; }
.geo-popup-title { font-weight: 650; font-size: 14px; }
.geo-popup-kind { color: #6b7280; margin-bottom: 4px; }
.geo-row { margin: 2px 0; }
.geo-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 4px; vertical-align: -1px; border: 1px solid rgba(0,0,0,.3); }
.geo-low { background: #fef3c7; border-left: 3px solid #d97706; padding: 3px 6px; margin: 4px 0; }
.geo-low ul { margin: 2px 0 0 16px; padding: 0; }
.geo-quotes-head { margin-top: 6px; font-weight: 600; color: #374151; }
.geo-quotes { margin: 2px 0 0 18px; padding: 0; }
.geo-quotes li { margin: 3px 0; }
.geo-quotes mark { background: #fde68a; padding: 0 1px; }
.geo-legend, .geo-timebar { background: rgba(255,255,255,.94); padding: 6px 9px;
  border-radius: 5px; box-shadow: 0 1px 5px rgba(0,0,0,.3);
  font: 12px/1.35 system-ui, sans-serif; color: #111827; }
.geo-legend { max-height: 42vh; overflow-y: auto; max-width: 300px; }
.geo-legend summary { font-weight: 650; cursor: pointer; }
.geo-legend h2 { font-size: 12px; margin: 4px 0 2px; font-weight: 650; }
.geo-legend .geo-item { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
.geo-legend svg { flex: none; }
.geo-timebar input[type=range] { width: 220px; vertical-align: middle; }
.geo-timebar output { font-weight: 650; margin-left: 6px; font-variant-numeric: tabular-nums; }
.geo-label { background: rgba(255,255,255,.85); border: 0; box-shadow: none;
  font: 11px system-ui, sans-serif; padding: 1px 4px; }
</style>
"""


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s); anything else (javascript:, data:) is not linked."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), re.I):
        return url.strip()
    return None


def header_html(
    title: str | None,
    date: str | None,
    source: str | None,
    url: str | None,
    index_href: str | None = "index.html",
) -> str:
    """The header box as HTML; every article value is escaped, only http(s) URLs are linked."""
    meta = []
    if date:
        meta.append(f'<time datetime="{esc(date)}">{esc(date)}</time>')
    if source:
        meta.append(f'<span class="geo-source">{esc(source)}</span>')
    link = safe_url(url)
    if link:
        meta.append(f'<a href="{esc(link)}" rel="noopener noreferrer nofollow">original</a>')
    if index_href:
        meta.append(f'<a href="{esc(index_href)}">all maps</a>')
    return (
        '<div class="geo-header" id="geo-header">'
        f"<h1>{esc(title or 'Untitled article')}</h1>"
        f'<div class="geo-meta">{" · ".join(meta)}</div>'
        f'<div class="geo-credits">{CREDITS}</div></div>'
    )


def header(
    title: str | None,
    date: str | None,
    source: str | None,
    url: str | None,
    index_href: str | None = "index.html",
) -> BodyHtml:
    """The header as an element for the map's figure."""
    return BodyHtml(PAGE_CSS + header_html(title, date, source, url, index_href))
