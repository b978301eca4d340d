"""One article -> one layered folium map.

``map_article(path)`` is the notebook entry point (it returns the ``folium.Map``);
``render_page`` turns a map into offline HTML plus the asset files it needs, which is what
``geo build`` writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium

from geo.render import basemap, claims, legend, places, widgets
from geo.render.assets import Asset, check_offline, localize
from geo.render.elements import deterministic_ids, esc
from geo.render.header import header

LEAFLET_JS = ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
DEFAULT_BOUNDS = (-20.0, 0.0, 50.0, 50.0)  # west, south, east, north: when nothing resolved


@dataclass
class MapInputs:
    """Everything a map is drawn from: the article, its place rows, and optional theatre layers."""

    title: str | None
    date: str | None
    source: str | None
    url: str | None
    slug: str
    text: str | None
    body_start: int
    rows: list[dict]
    actors: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    theatre: Any = None  # theatre layers (see geo.render.theatre_layers) when available


def inputs_from_document(doc: Any) -> MapInputs:
    """MapInputs from a ``geo.places.Document`` (article plus place rows)."""
    article = doc.article
    return MapInputs(
        title=article.title,
        date=article.date,
        source=article.source,
        url=article.url,
        slug=article.slug or "article",
        text=article.text,
        body_start=article.body_start,
        rows=list(doc.places),
    )


def _bounds(found: list[places.Place]) -> tuple[float, float, float, float]:
    """The view: towns and sites when there are any; countries and seas only otherwise."""
    points = [p for p in found if not p.is_area]
    found = points or found
    if not found:
        return DEFAULT_BOUNDS
    lons = [p.lon for p in found]
    lats = [p.lat for p in found]
    return (min(lons), min(lats), max(lons), max(lats))


def build_map(inputs: MapInputs, index_href: str | None = "index.html") -> folium.Map:
    """The folium map of one article, with ids that are the same on every build."""
    with deterministic_ids():
        return _build_map(inputs, index_href)


def blank_map(bounds: tuple[float, float, float, float], title: str) -> folium.Map:
    """An empty map centred on ``bounds`` (west, south, east, north), with no tiles."""
    west, south, east, north = bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=5,
        tiles=None,
        control_scale=True,
        min_zoom=2,
        max_zoom=14,
        world_copy_jump=True,
    )
    # Only Leaflet itself: folium's defaults (jQuery, Bootstrap, Font Awesome, awesome-markers)
    # weigh about 1.5 MB and nothing on these maps uses them.
    m.default_js = [LEAFLET_JS]
    m.default_css = [LEAFLET_CSS]
    m.get_root().title = esc(title)
    return m


def _build_map(inputs: MapInputs, index_href: str | None) -> folium.Map:
    found = places.group_places(inputs.rows)
    west, south, east, north = _bounds(found)
    m = blank_map((west, south, east, north), inputs.title or inputs.slug)
    m.add_child(header(inputs.title, inputs.date, inputs.source, inputs.url, index_href))

    region = basemap.region_box((west, south, east, north))
    base = basemap.add_base_layers(m, region)

    place_layer = places.places_layer(
        found,
        text=inputs.text,
        body_start=inputs.body_start,
        actors=inputs.actors,
        date=inputs.date,
    )
    m.add_child(place_layer)

    groups: dict[str, list[folium.map.Layer]] = {"Article": [place_layer]}
    sections: dict[str, list[legend.Entry]] = {"Places": places_legend(found, inputs.actors)}
    if inputs.theatre is not None:
        extra_groups, extra_sections = inputs.theatre.add_to(m, found)
        for name, layers in extra_groups.items():
            groups.setdefault(name, []).extend(layers)
        sections.update(extra_sections)
    claims.add_claims(m, inputs, groups, sections)

    m.add_child(widgets.GroupedLayers([base, base.osm], groups))
    m.add_child(widgets.PlaceSearch(place_layer))
    widgets.add_tools(m)
    m.add_child(widgets.OfflineMiniMap(basemap.minimap_features()))
    m.add_child(legend.Legend(sections))
    if found:
        pad = 0.3 if (east - west) + (north - south) > 0.5 else 0.5
        # Keep the places clear of the legend (left), the header (top) and the layer control.
        m.fit_bounds(
            [[south - pad, west - pad], [north + pad, east + pad]],
            padding_top_left=(320, 150),
            padding_bottom_right=(250, 30),
            max_zoom=9,
        )
    return m


def places_legend(found: list[places.Place], actors: Mapping[str, Mapping[str, Any]]) -> list:
    """Legend rows for the places layer: the controlling actors present, sizes, confidence."""
    rows: list[legend.Entry] = []
    seen: set[str] = set()
    for p in found:
        key = places._key(p.control)
        if key and key not in seen:
            seen.add(key)
            rows.append(
                legend.Entry(
                    "circle",
                    places.actor_color(key, actors),
                    f"held by {places.actor_label(key, actors)}",
                )
            )
    rows.append(legend.Entry("circle", places.UNCONTROLLED, "control unknown or not in a theatre"))
    rows.append(legend.Entry("ring", places.UNCONTROLLED, "low-confidence resolution"))
    rows.append(legend.Entry("area", places.COUNTRY_COLOR, "country named in the article"))
    rows.append(legend.Entry("area", places.SEA_COLOR, "sea named in the article (water nearby)"))
    rows.append(legend.Entry("circle", "#ffffff", "size: number of mentions"))
    return rows


def render_page(m: folium.Map, name: str = "map") -> tuple[str, list[Asset]]:
    """The map as offline HTML and the assets it links to (relative ``assets/...`` paths)."""
    assets = localize(m)
    page = m.get_root().render()
    check_offline(page, name)
    return page, assets


def prepare(doc: Any, theatres: bool = True) -> MapInputs:
    """MapInputs for a document, its places joined with the theatres they fall in."""
    from geo.render import theatre_layers

    inputs = inputs_from_document(doc)
    if not theatres:
        return inputs
    inputs.rows = enrich_rows(inputs.rows, inputs.date)
    layers = theatre_layers.layers_for(inputs.rows, inputs.date)
    if layers is not None:
        inputs.theatre = layers
        inputs.actors = theatre_layers.actors_of(layers.theatres)
        inputs.rows = theatre_layers.with_names(inputs.rows, layers.theatres)
    return inputs


def enrich_rows(rows: list[dict], date: str | None) -> list[dict]:
    """Place rows with control, backers and routes from the enrichment stage, when present."""
    if any("control" in r for r in rows):
        return rows  # already joined (geo places does it too)
    try:
        from geo.join import enrich_records
    except ImportError:
        return rows
    return enrich_records(rows, date)


def map_article(path: str | Path, index_href: str | None = "index.html") -> folium.Map:
    """Geoparse an article file and return its layered map (shows inline in a notebook)."""
    from geo.places import places_from_file

    return build_map(prepare(places_from_file(path)), index_href)
