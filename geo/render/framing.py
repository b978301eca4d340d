"""The first view of a map: the article's focus, not the bounding box of every name.

Two rings. The *ground* is every town the article names that belongs to its story: places are
weighted by mentions (double inside the map's theatres) and those far beyond the weighted middle
(a capital quoted once, a wrong far match) are left out, unless they are named as often as the
most named towns (a world briefing names each of its wars once). The *focus* is the part of the
ground the first view fits: the towns the headline names or the article keeps returning to, and
the towns near them. An article that names a country more often than all of that country's towns
together is about the country, and its focus is the whole ground. The ground sets how much
basemap is drawn; the padding around the focus is set in the browser, from the viewport and the
controls.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence

from geo.claims.lexicon import SPEAKS_AFTER
from geo.render.places import Place

MIN_KEEP_KM = 400.0  # places this close to the ground's centre always stay on the ground
SPREAD = 3.0  # ... and those within this many weighted-median distances
THEATRE_WEIGHT = 2.0
THEATRE_MAX_KM = 1500.0  # a theatre town farther than this from the centre is still an outlier
ANCHOR_SHARE = 0.6  # a town named at least this share as often as the most named one anchors
NEAR_KM = 120.0  # towns this close to an anchor are in the focus
MIN_SPAN_KM = 200.0  # a focus of one town (or a tight cluster) still shows its surroundings
_SPEAKS = re.compile(SPEAKS_AFTER, re.I)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    pairs = sorted(zip(values, weights, strict=True))
    half = sum(weights) / 2
    total = 0.0
    for value, weight in pairs:
        total += weight
        if total >= half:
            return value
    return pairs[-1][0]


def _speaks_only(place: Place) -> bool:
    """Named only as a government speaking ("Moscow said", "a charge Kigali denies"): the
    story does not happen there. Judged from every mention when the place keeps them all."""
    if not place.mentions or place.count > len(place.mentions):
        return False
    for m in place.mentions:
        word, sentence = str(m.get("mention") or ""), str(m.get("sentence") or "")
        hits = [h.end() for h in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", sentence)]
        if not word or not hits or not all(_SPEAKS.match(sentence, end) for end in hits):
            return False
    return True


def ground_places(found: Sequence[Place], theatre_countries: Collection[str] = ()) -> list[Place]:
    """The towns and sites that belong to the article's story (outliers left out).

    Countries, continents and seas are used only when the article names no town; places named
    only inside an organisation's name or only as a government speaking never count.
    """
    found = [p for p in found if not p.in_name_only and not _speaks_only(p)] or list(found)
    points = [p for p in found if not p.is_area] or list(found)
    if len(points) <= 1:
        return points
    weights = [
        p.count * (THEATRE_WEIGHT if p.country in theatre_countries else 1.0) for p in points
    ]
    centre = (
        _weighted_median([p.lon for p in points], weights),
        _weighted_median([p.lat for p in points], weights),
    )
    dists = [_km(centre, (p.lon, p.lat)) for p in points]
    limit = max(MIN_KEEP_KM, SPREAD * _weighted_median(dists, weights))
    # A town named as often as the most named ones is the story wherever it lies (a world
    # briefing names each of its wars once), unless the resolver doubted it.
    top = max(p.count for p in points)
    # Towns of the theatre the article is about are its ground; elsewhere only the near ones.
    return [
        p
        for p, d in zip(points, dists, strict=True)
        if d <= limit
        or (p.country in theatre_countries and d <= THEATRE_MAX_KM)
        or (p.count >= ANCHOR_SHARE * top and not p.review and not p.low_confidence)
    ]


def named_in(place: Place, title: str) -> bool:
    """Whether the headline names the place, in any of the article's words for it."""
    words = set(place.words) | {place.name}
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", title, re.IGNORECASE) for w in words if w)


def _about_a_country(
    found: Sequence[Place], ground: Sequence[Place], theatre_countries: Collection[str]
) -> bool:
    """True when a country of the story is named more often than all its towns together."""
    for country in (p for p in found if p.is_country and p.country):
        towns = [p for p in ground if p.country == country.country]
        if not towns and country.country not in theatre_countries:
            continue  # a country the story only passes through (a backer, a destination)
        if country.count > sum(p.count for p in towns):
            return True
    return False


def focus_places(
    found: Sequence[Place], theatre_countries: Collection[str] = (), title: str | None = None
) -> list[Place]:
    """The places the first view must show: the headline's and most-named towns and their
    neighbours, or the whole ground when the article is about a country rather than its towns."""
    ground = ground_places(found, theatre_countries)
    points = [p for p in ground if not p.is_area]
    if len(points) <= 1 or _about_a_country(found, points, theatre_countries):
        return ground
    top = max(p.count for p in points)
    anchors = [p for p in points if p.count >= ANCHOR_SHARE * top or (title and named_in(p, title))]
    return [
        p for p in points if any(_km((p.lon, p.lat), (a.lon, a.lat)) <= NEAR_KM for a in anchors)
    ]


def focus_bounds(
    focus: Sequence[Place], default: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the places, at least ``MIN_SPAN_KM`` across."""
    if not focus:
        return default
    west, east = min(p.lon for p in focus), max(p.lon for p in focus)
    south, north = min(p.lat for p in focus), max(p.lat for p in focus)
    half_lat = MIN_SPAN_KM / 2 / 111.2
    mid_lat = (south + north) / 2
    half_lon = half_lat / max(0.2, math.cos(math.radians(mid_lat)))
    if north - south < 2 * half_lat:
        south, north = mid_lat - half_lat, mid_lat + half_lat
    if east - west < 2 * half_lon:
        mid_lon = (west + east) / 2
        west, east = mid_lon - half_lon, mid_lon + half_lon
    return (west, max(-85.0, south), east, min(85.0, north))
