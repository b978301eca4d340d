"""Geocoders behind one registry: the offline gazetteer and online geopy services.

Every entry is a ``geopy.geocoders.base.Geocoder`` subclass, so callers (and tests) treat them
alike; ``get_geocoder`` is the one place a name becomes an instance. An online entry is
wrapped so that a failing service falls back to the offline gazetteer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geopy.geocoders.base import Geocoder

from geo.errors import ConfigurationError

if TYPE_CHECKING:
    from geo.geocoders.fallback import GeocoderSource


@dataclass(frozen=True)
class Entry:
    """How a registered geocoder is made; ``online`` ones get the offline fallback."""

    make: Callable[[], Geocoder]
    online: bool = False


def _gazetteer() -> Geocoder:
    from geo.geocoders.gazetteer import Gazetteer

    return Gazetteer()


def _nominatim() -> Geocoder:
    # Cached and rate-limited (geo.geocoders.online).
    from geo.geocoders.online import NominatimGeocoder

    return NominatimGeocoder()


REGISTRY: dict[str, Entry] = {
    "gazetteer": Entry(_gazetteer),
    "nominatim": Entry(_nominatim, online=True),
}


def get_geocoder(name: str = "gazetteer", fallback: GeocoderSource | None = None) -> Geocoder:
    """The geocoder registered under ``name``; an unknown name lists the valid ones.

    An online geocoder answers from ``fallback`` (default: the offline gazetteer, opened on
    first need) when its service fails; an offline one needs no fallback and ignores it.
    """
    try:
        entry = REGISTRY[name.lower()]
    except KeyError:
        valid = ", ".join(sorted(REGISTRY))
        raise ConfigurationError(f"unknown geocoder {name!r} (choose from: {valid})") from None
    if not entry.online:
        return entry.make()
    from geo.geocoders.fallback import FallbackGeocoder

    return FallbackGeocoder(entry.make(), fallback, service=name.lower())
