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
    note: str | None = None,
) -> str:
    """The header box as HTML; every article value is escaped, only http(s) URLs are linked.
    ``note``: a line about what the map leaves out (plain text, escaped)."""
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
        + (f'<div class="geo-meta geo-note" id="geo-note">{esc(note)}</div>' if note else "")
        + f'<div class="geo-credits">{CREDITS}</div></div>'
    )


def header(
    title: str | None,
    date: str | None,
    source: str | None,
    url: str | None,
    index_href: str | None = "index.html",
    note: str | None = None,
) -> BodyHtml:
    """The header as an element for the map's figure."""
    return BodyHtml(header_html(title, date, source, url, index_href, note))
