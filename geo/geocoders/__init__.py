"""Geocoders behind one registry: the offline gazetteer and online geopy services.

Every entry is a ``geopy.geocoders.base.Geocoder`` subclass, so callers (and tests) treat them
alike; ``get_geocoder`` is the one place a name becomes an instance.
"""

from __future__ import annotations

from collections.abc import Callable

from geopy.geocoders.base import Geocoder

from geo.errors import ConfigurationError


def _gazetteer() -> Geocoder:
    from geo.geocoders.gazetteer import Gazetteer

    return Gazetteer()


def _nominatim() -> Geocoder:
    # Online, cached and rate-limited; falls back to the gazetteer when the service fails.
    from geo.geocoders.fallback import online_with_fallback

    return online_with_fallback("nominatim")


REGISTRY: dict[str, Callable[[], Geocoder]] = {
    "gazetteer": _gazetteer,
    "nominatim": _nominatim,
}


def get_geocoder(name: str = "gazetteer") -> Geocoder:
    """The geocoder registered under ``name``; an unknown name lists the valid ones."""
    try:
        factory = REGISTRY[name.lower()]
    except KeyError:
        valid = ", ".join(sorted(REGISTRY))
        raise ConfigurationError(f"unknown geocoder {name!r} (choose from: {valid})") from None
    return factory()
