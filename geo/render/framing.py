"""The first view of a map: the article's focus, not the bounding box of every name.

A country named once or a capital quoted for a statement is context; a town the article keeps
returning to, inside the theatre it is about, is focus. Places are weighted by mentions (double
inside the map's theatres), and those far beyond the weighted middle are left out before
fitting. The padding around the focus is set in the browser, from the viewport and controls.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from geo.render.places import Place

MIN_KEEP_KM = 400.0  # places this close to the focus centre always stay in the view
SPREAD = 3.0  # ... and those within this many weighted-median distances
THEATRE_WEIGHT = 2.0
THEATRE_MAX_KM = 1500.0  # a theatre town farther than this from the centre is still an outlier
PAD_DEG = 0.15  # a single town still gets a little ground around it


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


def focus_places(found: Sequence[Place], theatre_countries: Collection[str] = ()) -> list[Place]:
    """The places the first view must show: towns and sites near the weighted centre.

    Countries, continents and seas are used only when the article names no town.
    """
    points = [p for p in found if not p.is_area] or list(found)
    if len(points) <= 1:
        return points
    weights = [
        len(p.mentions) * (THEATRE_WEIGHT if p.country in theatre_countries else 1.0)
        for p in points
    ]
    centre = (
        _weighted_median([p.lon for p in points], weights),
        _weighted_median([p.lat for p in points], weights),
    )
    dists = [_km(centre, (p.lon, p.lat)) for p in points]
    limit = max(MIN_KEEP_KM, SPREAD * _weighted_median(dists, weights))
    # Towns of the theatre the article is about are its ground; elsewhere only the near ones.
    return [
        p
        for p, d in zip(points, dists, strict=True)
        if d <= limit or (p.country in theatre_countries and d <= THEATRE_MAX_KM)
    ]


def focus_bounds(
    focus: Sequence[Place], default: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the focus places, or ``default`` when there are none."""
    if not focus:
        return default
    lons = [p.lon for p in focus]
    lats = [p.lat for p in focus]
    return (
        min(lons) - PAD_DEG,
        min(lats) - PAD_DEG,
        max(lons) + PAD_DEG,
        max(lats) + PAD_DEG,
    )
