"""One article -> one layered folium map.

``map_article(path)`` is the notebook entry point (it returns the ``folium.Map``);
``render_page`` turns a map into offline HTML plus the asset files it needs, which is what
``geo build`` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium

from geo import settings
from geo.render import (
    basemap,
    claims,
    framing,
    labels,
    legend,
    places,
    search,
    story,
    widgets,
)
from geo.render.assets import Asset, check_offline, localize
from geo.render.elements import (
    RawScript,
    Runtime,
    deterministic_ids,
    esc,
    figure_of,
    rendered_as_text,
)
from geo.render.header import header
from geo.render.palette import assign
from geo.vocab import AREA_KINDS

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
    claims: list[dict] | None = None  # the article's claims, once read (the map and review.csv)
    places: list | None = None  # the rows grouped by place, when the caller grouped them
    # how many places the article names, when ``places`` holds only those drawn (a build lets
    # go of the others once its data files list them)
    place_count: int | None = None


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
        zoom_snap=0.25,  # the first view fits the focus closely, not to the next whole zoom down
    )
    # Only Leaflet itself: folium's defaults (jQuery, Bootstrap, Font Awesome, awesome-markers)
    # weigh about 1.5 MB and nothing on these maps uses them.
    m.default_js = [LEAFLET_JS]
    m.default_css = [LEAFLET_CSS]
    figure_of(m).title = esc(title)
    m.add_child(Runtime())
    return m


# A page draws at most ``settings.MAX_PLACES_DRAWN`` places (1,000 unless set), the
# most-mentioned (ties: the first named). Every distinct place is a marker, a popup, a label
# candidate and search entries: 15,000 towns made a 40 MB page no reader can use and a build
# of about 900 MB. The data files beside the page (.csv, .geojson) keep every place; the
# header says how many are not drawn.


def drawn_places(found: list[places.Place], limit: int) -> list[places.Place]:
    """The ``limit`` most-mentioned places (ties: in order of first mention), in the order of
    first mention; all of them when there are no more than ``limit``."""
    if len(found) <= limit:
        return found
    ranked = sorted(range(len(found)), key=lambda i: (-found[i].count, i))[:limit]
    return [found[i] for i in sorted(ranked)]


def drawn_note(drawn: int, total: int, slug: str) -> str | None:
    """The header's line on places left out, or None when every place is drawn."""
    if drawn >= total:
        return None
    return (
        f"Drawn: the {drawn:,} most-mentioned of {total:,} places; "
        f"every place is listed in {slug}.csv and {slug}.geojson."
    )


def _build_map(inputs: MapInputs, index_href: str | None) -> folium.Map:
    every = inputs.places if inputs.places is not None else places.group_places(inputs.rows)
    found = drawn_places(every, settings.MAX_PLACES_DRAWN)
    total = inputs.place_count if inputs.place_count is not None else len(every)
    note = drawn_note(len(found), total, inputs.slug)
    del every
    theatre = inputs.theatre
    countries = {c for th in (theatre.theatres if theatre else []) for c in th.countries}
    focus = framing.focus_places(found, countries, inputs.title)
    west, south, east, north = framing.focus_bounds(focus, DEFAULT_BOUNDS)
    m = blank_map((west, south, east, north), inputs.title or inputs.slug)
    m.add_child(header(inputs.title, inputs.date, inputs.source, inputs.url, index_href, note))

    ground = framing.ground_places(found, countries)
    drawn = framing.focus_bounds(ground + focus, DEFAULT_BOUNDS)
    region = basemap.region_box(drawn)
    # City labels come from the places' own box (whole degrees), not the basemap's coarser
    # grid: the grid is for sharing one basemap script, and would only add far-off cities.
    label_region = basemap.region_box(drawn, grid=1)
    base, osm = basemap.add_base_layers(m, region)

    order = [a for p in found if (a := places._key(p.control))]
    if theatre is not None:
        order = theatre.palette_order() + order
    palette = assign(order, reserved=[places.UNCONTROLLED])
    actors = {
        k: {**dict(v), "colour": palette.get(k, places.UNCONTROLLED)}
        for k, v in inputs.actors.items()
    }
    held = theatre.held_by_date(found) if theatre is not None else {}
    place_layer = places.places_layer(
        found,
        text=inputs.text,
        body_start=inputs.body_start,
        actors=actors,
        date=inputs.date,
        held=held,
    )
    m.add_child(RawScript("GEO.palette = {{ this.palette }};", palette=palette))
    m.add_child(place_layer)

    groups: dict[str, list[folium.map.Layer]] = {"Article": [place_layer]}
    sections: dict[str, list[legend.Entry]] = {"Places": places_legend(found, actors)}
    if theatre is not None:
        extra_groups, extra_sections = theatre.add_to(m, found, palette)
        for name, layers in extra_groups.items():
            groups.setdefault(name, []).extend(layers)
        sections.update(extra_sections)
    found_claims = claims.add_claims(m, inputs, actors, groups, sections)
    if sections.get("Claims"):
        sections["Claims"] = legend.tagged(sections["Claims"], "claims")

    m.add_child(widgets.GroupedLayers([base, osm], groups))
    m.add_child(
        widgets.PlaceSearch(search.search_entries(found, theatre.theatres if theatre else []))
    )
    widgets.add_tools(m)
    m.add_child(widgets.OfflineMiniMap(basemap.minimap_features()))
    m.add_child(legend.Legend(sections))
    m.add_child(RawScript(f"GEO.recolorPlaces({place_layer.get_name()});"))
    dates = theatre.dates() if theatre is not None else []
    if len(dates) > 1:
        steps = sorted(set(dates) | ({inputs.date} if inputs.date else set()))
        start = steps.index(inputs.date) if inputs.date else len(steps) - 1
    else:
        steps = [inputs.date or (dates[0] if dates else "")]
        start = 0
    m.add_child(
        RawScript(
            "GEO.labels({{ this._parent.get_name() }}, {{ this.items }});",
            items=map_labels(
                found, theatre, label_region, claims.badge_spots(found_claims), inputs.title
            ),
        )
    )
    if dates:
        m.add_child(
            RawScript(
                "GEO.timeBar({{ this._parent.get_name() }}, {{ this.cfg }});",
                cfg={
                    "dates": steps,
                    "start": start,
                    "article": inputs.date,
                    "control_dates": dates,
                },
            )
        )
    else:
        m.add_child(RawScript("GEO.staticTime({{ this.day }});", day=inputs.date))
    m.add_child(
        RawScript(
            "GEO.story({{ this._parent.get_name() }}, {{ this.items }});",
            items=story.story_items(found, inputs.text, found_claims),
        )
    )
    m.add_child(
        RawScript(
            "GEO.compact({{ this._parent.get_name() }});"
            "GEO.focus = {{ this.focus }};"
            "GEO.frame({{ this._parent.get_name() }}, {{ this.bounds }}, 9);"
            "GEO.syncLegend({{ this._parent.get_name() }});",
            focus=[p.id for p in focus],
            bounds=[[south, west], [north, east]] if found else None,
        )
    )
    return m


def map_labels(
    found: list[places.Place],
    theatre: Any,
    region: tuple[int, int, int, int],
    badges: Sequence[tuple[float, float, int, int]] = (),
    title: str | None = None,
) -> list[dict]:
    """Label data for the article's places (the most named first, the headline's first among
    equals), the theatre's towns, cities and countries; only the article's places may cover a
    claim's badge (``badges``: lon, lat, pixel offset)."""
    cands: list[labels.Label] = [
        labels.Label("", lon, lat, "badge", labels.BADGE_IMPORTANCE, dx, dy)
        for lon, lat, dx, dy in badges
    ]
    seen: set[str] = set()
    shown = [p for p in found if not p.is_area and not p.in_name_only]
    names = [places.display_name(p) for p in shown]
    for p, name in zip(shown, names, strict=True):
        seen.add(p.name.lower())
        importance = 1000.0 + p.count + (0.5 if title and framing.named_in(p, title) else 0.0)
        if p.kind.lower() in AREA_KINDS:  # a region's point is only a reference: towns first
            importance = 1000.0 + p.count / 1000
            if names.count(name) > 1:
                name = f"{name} ({p.kind.lower()})"  # "Idlib" the town and "Idlib (region)"
        cands.append(labels.Label(name, p.lon, p.lat, "place", importance))
    for th in theatre.theatres if theatre is not None else []:
        for key, label in _theatre_towns(th):
            if key not in seen:
                seen.add(key)
                cands.append(label)
    for key, label in _keyed(labels.city_labels, region):
        if key not in seen:
            seen.add(key)
            cands.append(label)
    cands += labels.country_labels((-180, -85, 180, 85))
    return labels.label_items(cands)


@lru_cache(maxsize=16)
def _theatre_towns(th: Any) -> tuple[tuple[str, labels.Label], ...]:
    """(lower-case name, label) of a theatre's towns, once per process (every map of it labels
    them)."""
    towns = []
    for _, t in th.places.iterrows():
        g = t.geometry
        if g is not None and not g.is_empty and g.geom_type == "Point":
            name = str(t.get("name") or "")
            towns.append((name.lower(), labels.Label(name, g.x, g.y, "town", 100)))
    return tuple(towns)


@lru_cache(maxsize=256)
def _keyed(
    find: Callable[[Any], list[labels.Label]], region: tuple
) -> tuple[tuple[str, labels.Label], ...]:
    """(lower-case text, label) of the labels ``find`` gives for a region, once per region."""
    return tuple((label.text.lower(), label) for label in find(region))


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
    points = [p for p in found if not p.is_area]
    if any(places._key(p.control) is None for p in points):
        rows.append(
            legend.Entry("circle", places.UNCONTROLLED, "control unknown or not in a theatre")
        )
    if any(p.in_name_only for p in points):
        rows.append(
            legend.Entry(
                "ring", "#9ca3af", "named only inside an organisation's name (drawn faintly)"
            )
        )
    if any(p.low_confidence for p in found):
        rows.append(legend.Entry("ring", places.UNCONTROLLED, "low-confidence resolution"))
    if any(p.is_country for p in found):
        rows.append(legend.Entry("area", places.COUNTRY_COLOR, "country named in the article"))
    if any(p.sea_radius_km for p in found):
        rows.append(
            legend.Entry("area", places.SEA_COLOR, "sea named in the article (water nearby)")
        )
    if points:
        rows.append(legend.Entry("circle", "#ffffff", "size: number of mentions"))
    return legend.tagged(rows, "places")


def render_page(m: folium.Map, name: str = "map") -> tuple[str, list[Asset]]:
    """The map as offline HTML and the assets it links to (relative ``assets/...`` paths)."""
    assets = localize(m)
    with rendered_as_text():
        page = m.get_root().render()
    check_offline(page, name)
    return page, assets


def prepare(doc: Any, theatres: bool = True, *, reuse_rows: bool = False) -> MapInputs:
    """MapInputs for a document, its places joined with the theatres they fall in.

    ``reuse_rows``: the document is the caller's to give away (a build reading a file), so its
    place rows are completed in place rather than copied (a text naming places 20,000 times
    would otherwise hold every row twice at the peak)."""
    from geo.render import theatre_layers

    inputs = inputs_from_document(doc)
    if not theatres:
        return inputs
    inputs.rows = per_place(
        inputs.rows, lambda rows: iter_enriched(rows, inputs.date), in_place=reuse_rows
    )
    layers = theatre_layers.layers_for(inputs.rows, inputs.date)
    if layers is not None:
        inputs.theatre = layers
        inputs.actors = theatre_layers.actors_of(layers.theatres)
        named = layers.theatres
        # the rows are this function's own by now: copied above, or given away
        inputs.rows = per_place(
            inputs.rows,
            lambda rows: _in_parts(rows, lambda part: theatre_layers.with_names(part, named)),
            in_place=True,
        )
    return inputs


PLACE_KEY = ("id", "lat", "lon", "kind")


def per_place(
    rows: list[dict], stage: Callable[[list[dict]], Iterable[dict]], *, in_place: bool = False
) -> list[dict]:
    """``stage`` run on the first mention of each place, what it adds or changes given to
    every mention of that place (the same objects, not copies).

    A text may name Tripoli 20,000 times: the joins cost per place, and the map must not hold
    20,000 copies of what they say about it (issue 17). Later mentions of a place drop their
    alternatives, which the map takes from the first. ``in_place`` completes the given row
    dicts instead of returning new ones (only for rows nobody else holds), each as soon as
    ``stage`` gives its row: a stage that yields its rows one by one (``iter_enriched``) never
    holds a copy of every row (20,000 different towns: 20,000 rows of 24 fields)."""
    first: dict[tuple, int] = {}
    repeated: set[tuple] = set()
    for i, row in enumerate(rows):
        key = tuple(row.get(k) for k in PLACE_KEY)
        if key in first:
            repeated.add(key)
        else:
            first[key] = i
    done = stage([rows[i] for i in first.values()])
    added: dict[tuple, dict] = {}
    for key, i, new in zip(first, first.values(), done, strict=True):
        old = rows[i]
        change = {k: v for k, v in new.items() if k not in old or old[k] is not v}
        if in_place:
            old.update(change)
            if key in repeated:
                added[key] = change
        else:
            added[key] = change
    del done
    if in_place:
        for i, row in enumerate(rows):
            key = tuple(row.get(k) for k in PLACE_KEY)
            if key in repeated and first[key] != i:
                row.pop("alternatives", None)
                row.update(added[key])
        return rows
    out = []
    for i, row in enumerate(rows):
        key = tuple(row.get(k) for k in PLACE_KEY)
        if first[key] == i:
            out.append(row | added[key])
        else:
            out.append({k: v for k, v in row.items() if k != "alternatives"} | added[key])
    return out


def _in_parts(
    rows: list[dict], stage: Callable[[list[dict]], list[dict]], size: int = 500
) -> Iterator[dict]:
    """A stage that treats each row on its own, run ``size`` rows at a time (its copies of
    the rows made and dropped a few hundred at a time)."""
    for at in range(0, len(rows), size):
        yield from stage(rows[at : at + size])


def enrich_rows(rows: list[dict], date: str | None) -> list[dict]:
    """Place rows with control, backers and routes from the enrichment stage, when present."""
    return list(iter_enriched(rows, date))


def iter_enriched(rows: list[dict], date: str | None) -> Iterator[dict]:
    """``enrich_rows`` one row at a time: the places are joined with the theatres all at once
    (which theatres apply depends on every place), each row's copy made only when asked for."""
    if any("control" in r for r in rows):
        yield from rows  # already joined (geo places does it too)
        return
    from geo.join import RECORD_FIELDS, join

    fields = join(rows, date).rows
    for i, row in enumerate(rows):
        yield dict(row) | {c: fields[i][c] for c in RECORD_FIELDS}
        fields[i] = {}  # used: what only this row held goes


def map_article(path: str | Path, index_href: str | None = "index.html") -> folium.Map:
    """Geoparse an article file and return its layered map (shows inline in a notebook,
    offline: the notebook view carries its scripts and styles)."""
    from geo.places import places_from_file
    from geo.render.notebook import offline_in_notebooks

    return offline_in_notebooks(build_map(prepare(places_from_file(path)), index_href))
