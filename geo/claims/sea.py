"""Where an event "off" a place happened: at sea, a few kilometres beyond the nearest coast.

"Intercepted off Sfax", "capsized off Pylos": the place names the shore, the event is on the
water. The claim's point moves from the place to just past the nearest coastline of its
country's Natural Earth outline (50m), when that coast is within reach; a place far inland, or
a country without an outline, keeps its own point.
"""

from __future__ import annotations

import math
from functools import lru_cache

OFFSHORE_KM = 6.0
REACH_KM = 60.0  # a coast farther than this from the place is not the one the article means


@lru_cache(maxsize=64)
def _shape(iso2: str):
    from geo.outlines import country_outline  # WKB per country: no geopandas to read one

    return country_outline(iso2)


def offshore(lat: float, lon: float, country: str | None) -> tuple[float, float] | None:
    """A point at sea off (lat, lon), or None when no coast of ``country`` is near enough."""
    if not country:
        return None
    shape = _shape(country.upper())
    if shape is None or shape.is_empty:
        return None
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    place = Point(lon, lat)
    near = nearest_points(place, shape.boundary)[1]
    kx = 111.32 * max(0.1, math.cos(math.radians(lat)))  # km per degree of longitude here
    ky = 110.57
    dx, dy = (near.x - lon) * kx, (near.y - lat) * ky
    dist = math.hypot(dx, dy)
    if dist > REACH_KM:
        return None
    if dist < 0.05:
        return None  # exactly on the outline: no direction to go
    inland = shape.contains(place)
    # Inland: walk to the coast and past it. Already off the outline: keep going away from it.
    ux, uy = (dx / dist, dy / dist) if inland else (-dx / dist, -dy / dist)
    out = OFFSHORE_KM if inland else max(0.0, OFFSHORE_KM - dist)
    x = (near.x if inland else lon) + ux * out / kx
    y = (near.y if inland else lat) + uy * out / ky
    return round(y, 5), round(x, 5)
