"""Country outlines (Natural Earth) one file per country in the cache folder, as WKB.

``geo.gazetteer.naturalearth`` reads the whole table through geopandas; a claim "off Sfax" needs
one outline, and ``geo places`` must not import pandas for it (a quarter of a second). The
first ask for a country reads it there and keeps its WKB, keyed by the world-atlas release,
the resolution and shapely; later processes read the few kilobytes back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import shapely


def _key(resolution: str) -> str:
    from geo import settings
    from geo._io import fingerprint

    atlas = settings.NODE_MODULES / "world-atlas"
    package = atlas / "package.json"
    source = atlas / f"countries-{resolution}.json"
    return fingerprint(
        shapely.__version__,
        package.read_bytes() if package.is_file() else b"none",
        str(source.stat().st_size) if source.is_file() else "none",
    )[:16]


@lru_cache(maxsize=512)
def country_outline(iso2: str, resolution: str = "50m"):
    """The shapely (multi)polygon of one country, or None when Natural Earth lacks it (the
    same geometry as ``geo.gazetteer.naturalearth.country_shape``)."""
    from geo import settings
    from geo._io import write_atomic

    code = re.sub(r"[^A-Z]", "_", iso2.upper())
    path = Path(settings.CACHE_DIR) / "outlines" / f"{code}-{resolution}-{_key(resolution)}.wkb"
    try:
        data = path.read_bytes()
        return shapely.from_wkb(data) if data else None
    except (OSError, shapely.errors.GEOSException):
        pass
    from geo.gazetteer.naturalearth import country_shape

    shape = country_shape(iso2, resolution)
    try:
        write_atomic(path, b"" if shape is None else shapely.to_wkb(shape))
    except OSError:
        pass  # a read-only cache only costs time
    return shape
