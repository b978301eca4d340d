"""An online geocoder that falls back to the offline gazetteer when the service fails.

A map built while the network is down should still be a map: a timeout, 429/5xx after
retries, or a malformed answer from the online service is reported once on stderr (naming
the service and the reason) and the query is answered by the fallback geocoder instead.
While the service stays suspended after a failure, further fallbacks are logged at INFO, so
one outage gives one warning, not one per place name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.errors import GazetteerError
from geo.geocoders.online import ServiceSuspended, describe_failure

log = logging.getLogger(__name__)

GeocoderSource: TypeAlias = Geocoder | Callable[[], Geocoder]


def _offline_gazetteer() -> Geocoder:
    from geo.geocoders import get_geocoder

    try:
        return get_geocoder("gazetteer")
    except ImportError as exc:
        # One line at the CLI edge rather than a traceback in the middle of an outage.
        raise GazetteerError(f"the offline gazetteer geocoder cannot be loaded: {exc}") from exc


class FallbackGeocoder(Geocoder):
    """Answer from ``primary``; on a service failure, from ``fallback`` with a warning.

    Parameters
    ----------
    primary
        The online geocoder; its failures are geopy ``GeocoderServiceError``\\ s.
    fallback
        A geocoder, or a callable making one on first need (default: the offline gazetteer
        from the registry, opened only if the online service fails).
    service
        The name used in the warning; default ``primary.service`` or its class name.
    """

    def __init__(
        self,
        primary: Geocoder,
        fallback: GeocoderSource | None = None,
        *,
        service: str | None = None,
    ) -> None:
        # The wrapped geocoders own the network; this one only needs geopy's base fields.
        super().__init__(
            user_agent=getattr(primary, "headers", {}).get("User-Agent"),
            adapter_factory=URLLibAdapter,
        )
        self.primary = primary
        self._fallback_source: GeocoderSource = fallback or _offline_gazetteer
        self._fallback: Geocoder | None = (
            self._fallback_source if isinstance(self._fallback_source, Geocoder) else None
        )
        self.service = service or getattr(primary, "service", type(primary).__name__)
        self.fallback_name = (
            "offline gazetteer" if fallback is None else getattr(fallback, "__name__", None)
        ) or type(fallback).__name__
        self.fallbacks = 0

    @property
    def fallback(self) -> Geocoder:
        """The fallback geocoder, built on first use."""
        if self._fallback is None:
            assert callable(self._fallback_source)
            self._fallback = self._fallback_source()
        return self._fallback

    def geocode(  # type: ignore[override]
        self,
        query: str,
        *,
        exactly_one: bool = True,
        limit: int | None = None,
        country: str | Sequence[str] | None = None,
        **kwargs: Any,
    ) -> Location | list[Location] | None:
        """Candidates from the online service, or from the fallback when it fails.

        Same call and results as the gazetteer's ``geocode``; a fallback answer's ``raw``
        carries ``fallback_from`` naming the service that failed.
        """
        try:
            return self.primary.geocode(
                query, exactly_one=exactly_one, limit=limit, country=country, **kwargs
            )
        except GeocoderServiceError as exc:
            self._report(exc)
        self.fallbacks += 1
        found = self.fallback.geocode(query, exactly_one=exactly_one, limit=limit, country=country)
        if found is None:
            return None
        if isinstance(found, Location):
            return self._mark(found)
        return [self._mark(loc) for loc in found]

    def _report(self, exc: GeocoderServiceError) -> None:
        name = self.fallback_name
        if isinstance(exc, ServiceSuspended):
            log.info("%s still suspended (%s); using the %s", self.service, exc, name)
        else:
            log.warning(
                "geocoder %s failed (%s); falling back to the %s",
                self.service,
                describe_failure(exc),
                name,
            )

    def _mark(self, loc: Location) -> Location:
        raw = dict(loc.raw) if isinstance(loc.raw, dict) else {"raw": loc.raw}
        raw["fallback_from"] = self.service
        return Location(loc.address, loc.point, raw)
