"""Online geocoders behind the same geopy interface as the offline gazetteer.

``NominatimGeocoder`` is geopy's own ``Nominatim`` client (OpenStreetMap) with the manners the
public service asks for and the shape the rest of the pipeline expects:

- every answer is looked up in the on-disk cache first (``geo.geocoders._cache``), *before*
  any rate-limit pause, so each distinct query is sent once ever;
- requests go through geopy's ``RateLimiter``: at most one per ``MIN_DELAY_SECONDS`` (shared
  by every instance that talks to the same service), retried ``ONLINE_MAX_RETRIES`` times with
  ``ONLINE_ERROR_WAIT_SECONDS`` between tries on timeouts, 429, 5xx and malformed answers;
- only good answers are cached (an empty answer is good: "no such place"), never a failure;
- a query the service rejects (HTTP 400/414: too long, bad characters) is not retried and
  does not count as a service failure;
- after a failure the service is left alone for ``ONLINE_SUSPEND_SECONDS``: further cache
  misses fail at once instead of each waiting out its own timeouts and retries;
- each result is a geopy ``Location`` whose ``raw`` has the gazetteer's keys (``id``, ``name``,
  ``kind``, ``country``, ``population``, ``score``) plus ``source`` and the untouched record
  under ``raw["nominatim"]``.

Every request goes through ``geo.geocoders._http.BoundedAdapter``: one total deadline
(``settings.TIMEOUT_SECONDS``), a 4 MB cap on the decompressed answer, redirects on the same
host only, and JSON nested at most 32 deep; an answer that is not a list of places is
malformed. So a hostile or broken service costs a bounded wait and memory, then a fallback.

Failures are raised as geopy's ``GeocoderServiceError`` family; ``geo.geocoders.fallback``
turns them into the offline gazetteer's answer and one warning.

Settings (read from ``geo.settings`` when a geocoder is built, each from an environment
variable): ``NOMINATIM_URL``, ``NOMINATIM_LANGUAGE``, ``ONLINE_MAX_RETRIES``,
``ONLINE_ERROR_WAIT_SECONDS``, ``ONLINE_SUSPEND_SECONDS``, plus ``USER_AGENT``,
``MIN_DELAY_SECONDS`` and ``TIMEOUT_SECONDS``. The public OpenStreetMap instance's usage policy
asks for a real user agent and at most one request a second.

The mapping of a Nominatim record onto the gazetteer's shape is ``geo.geocoders._nominatim``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from timeit import default_timer
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import BaseSyncAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderServiceError,
    GeocoderUnavailable,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL
from geopy.location import Location

from geo import settings
from geo.errors import ConfigurationError
from geo.geocoders._cache import RequestCache
from geo.geocoders._http import BoundedAdapter
from geo.geocoders._nominatim import SERVICE, location_from_nominatim

log = logging.getLogger(__name__)

# One request per distinct query: ask for this many candidates whatever the caller's limit
# (up to Nominatim's own maximum), and slice locally, so limit=1 and limit=5 share an entry.
FETCH_LIMIT = 10
MAX_LIMIT = 40

_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


class ServiceSuspended(GeocoderUnavailable):
    """Raised on a cache miss while the service is being skipped after a recent failure."""


class _DemoteRetryNoise(logging.Filter):
    """Turn geopy RateLimiter's per-retry WARNING (with a traceback) into DEBUG.

    A retry is routine back-off; the one warning a caller sees is the fallback's, naming the
    service and the reason.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and str(record.msg).startswith("RateLimiter "):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


if not any(isinstance(f, _DemoteRetryNoise) for f in logging.getLogger("geopy").filters):
    logging.getLogger("geopy").addFilter(_DemoteRetryNoise())


@dataclass
class _Endpoint:
    """Pacing and failure state shared by every geocoder that talks to one service URL."""

    limiter: RateLimiter
    down_until: float = 0.0
    last_failure: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


_ENDPOINTS: dict[tuple[Any, ...], _Endpoint] = {}
_ENDPOINTS_LOCK = threading.Lock()


def _call(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def _endpoint_state(
    endpoint: str, min_delay: float, max_retries: int, error_wait: float
) -> _Endpoint:
    key = (endpoint, min_delay, max_retries, error_wait)
    with _ENDPOINTS_LOCK:
        state = _ENDPOINTS.get(key)
        if state is None:
            limiter = RateLimiter(
                _call,
                min_delay_seconds=min_delay,
                max_retries=max_retries,
                # RateLimiter insists the back-off is never shorter than the pacing.
                error_wait_seconds=max(error_wait, min_delay),
                swallow_exceptions=False,
            )
            state = _ENDPOINTS[key] = _Endpoint(limiter)
        return state


def reset_endpoints() -> None:
    """Forget shared pacing and suspension state (tests start each case clean)."""
    with _ENDPOINTS_LOCK:
        _ENDPOINTS.clear()


def parse_service_url(url: str) -> tuple[str, str]:
    """Split a service URL into geopy's ``(scheme, domain)``; the domain may carry a path.

    Raises
    ------
    geo.errors.ConfigurationError
        When the URL is not ``http(s)://host[:port][/prefix]``.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"online geocoder URL {url!r} must look like https://host[:port][/path]"
        )
    if parts.query or parts.fragment:
        raise ConfigurationError(f"online geocoder URL {url!r} must not carry a query")
    path = parts.path.rstrip("/")
    if path.endswith("/search"):
        path = path[: -len("/search")]
    return parts.scheme, parts.netloc + path


class NominatimGeocoder(Nominatim):
    """geopy's Nominatim client with a cache, polite pacing and gazetteer-shaped results.

    Parameters
    ----------
    url
        The service; default ``settings.NOMINATIM_URL``.
    user_agent, timeout, min_delay_seconds, max_retries, error_wait_seconds, language
        Defaults come from ``geo.settings``, read now (not at import).
    cache
        Where good answers are kept; default the SQLite file under ``settings.CACHE_DIR``.
    proxies
        As geopy's; default none for a loopback service, the system's otherwise.
    """

    service = SERVICE

    def __init__(
        self,
        url: str | None = None,
        *,
        user_agent: str | None = None,
        timeout: float | None = None,
        min_delay_seconds: float | None = None,
        max_retries: int | None = None,
        error_wait_seconds: float | None = None,
        language: str | None = None,
        cache: RequestCache | None = None,
        proxies: Any = None,
        adapter_factory: Callable[..., BaseSyncAdapter] | None = None,
    ) -> None:
        scheme, domain = parse_service_url(url or settings.NOMINATIM_URL)
        if proxies is None:
            host = urlsplit(f"{scheme}://{domain}").hostname or ""
            proxies = {} if host in _LOOPBACK_HOSTS else DEFAULT_SENTINEL
        super().__init__(
            domain=domain,
            scheme=scheme,
            user_agent=user_agent or settings.USER_AGENT,
            timeout=settings.TIMEOUT_SECONDS if timeout is None else timeout,
            proxies=proxies,
            adapter_factory=adapter_factory or BoundedAdapter,
        )
        self.language = settings.NOMINATIM_LANGUAGE if language is None else language
        self.cache = cache if cache is not None else RequestCache()
        self._cache_broken = False
        self._state = _endpoint_state(
            self.api,
            settings.MIN_DELAY_SECONDS if min_delay_seconds is None else min_delay_seconds,
            settings.ONLINE_MAX_RETRIES if max_retries is None else max_retries,
            settings.ONLINE_ERROR_WAIT_SECONDS
            if error_wait_seconds is None
            else error_wait_seconds,
        )

    def _parse_json(self, places: Any, exactly_one: bool) -> Any:
        # Nominatim answers a search with a list; anything else ({} or an error object) is a
        # malformed answer, retried and never cached as "no such place".
        if not isinstance(places, list):
            raise GeocoderParseError(f"answer is a {type(places).__name__}, not a list of places")
        return super()._parse_json(places, exactly_one)

    @property
    def rate_limiter(self) -> RateLimiter:
        """The shared ``RateLimiter``; tests replace its ``_sleep`` and ``_clock``."""
        return self._state.limiter

    def geocode(  # type: ignore[override]
        self,
        query: str,
        *,
        exactly_one: bool = True,
        limit: int | None = None,
        country: str | Sequence[str] | None = None,
        timeout: Any = DEFAULT_SENTINEL,
    ) -> Location | list[Location] | None:
        """Candidates for a place name, best first, as the gazetteer returns them.

        Parameters
        ----------
        query
            A free-text place name.
        exactly_one
            Return the best ``Location`` (or ``None``) rather than a list.
        limit
            At most this many candidates when ``exactly_one`` is false.
        country
            ISO 3166 alpha-2 code(s) to restrict to.

        Returns
        -------
        A ``Location``, a non-empty list of them, or ``None`` when nothing matches.

        Raises
        ------
        geopy.exc.GeocoderServiceError
            (or a subclass) when the service failed after retries, answered garbage, or is
            suspended after a recent failure. Nothing is cached then.
        """
        if not isinstance(query, str):
            raise TypeError("query must be a place name (str)")
        if limit is not None and int(limit) < 1:
            raise ValueError("limit cannot be less than 1")
        if not query.strip():
            return None
        params = self._params(limit, country)
        records = self._cached(query, params)
        if records is None:
            records = self._fetch(query, params, timeout)
            self._store(query, params, records)
        locations = [location_from_nominatim(r) for r in records]
        if not locations:
            return None
        if exactly_one:
            return locations[0]
        return locations[: int(limit)] if limit is not None else locations

    def _cached(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        if self._cache_broken:
            return None
        try:
            return self.cache.get(SERVICE, self.api, query, params)
        except (OSError, sqlite3.Error) as exc:
            self._cache_failed(exc)
            return None

    def _store(self, query: str, params: Mapping[str, Any], records: list[dict[str, Any]]) -> None:
        if self._cache_broken:
            return
        try:
            self.cache.put(SERVICE, self.api, query, params, records)
        except (OSError, sqlite3.Error) as exc:
            self._cache_failed(exc)

    def _cache_failed(self, exc: BaseException) -> None:
        # An unwritable or locked cache costs speed, not answers: go on without it.
        self._cache_broken = True
        log.warning(
            "%s cache %s unusable (%s); continuing without it", SERVICE, self.cache.path, exc
        )

    def _params(self, limit: int | None, country: str | Sequence[str] | None) -> dict[str, Any]:
        codes = [country] if isinstance(country, str) else list(country or [])
        codes = sorted({c.strip().lower() for c in codes if c and c.strip()})
        fetch = FETCH_LIMIT if limit is None else min(max(int(limit), FETCH_LIMIT), MAX_LIMIT)
        return {
            "limit": fetch,
            "countrycodes": ",".join(codes) or None,
            "accept-language": self.language or None,
            "addressdetails": 1,
            "extratags": 1,
        }

    def _fetch(self, query: str, params: Mapping[str, Any], timeout: Any) -> list[dict[str, Any]]:
        """One paced, retried request; returns validated records or raises."""
        state = self._state
        with state.lock:
            remaining = state.down_until - default_timer()
            if remaining > 0:
                raise ServiceSuspended(
                    f"{SERVICE} skipped for {remaining:.0f} s after: {state.last_failure}"
                )
        request = partial(
            super().geocode,
            query,
            exactly_one=False,
            limit=params["limit"],
            addressdetails=True,
            extratags=True,
            language=params["accept-language"] or False,
            country_codes=params["countrycodes"].split(",") if params["countrycodes"] else None,
            timeout=timeout,
        )
        try:
            records = state.limiter(_checked_request, request)
        except _QueryRejected as rejected:
            # The service works; it refused this one query (too long, bad characters).
            raise rejected.error from None
        except GeocoderServiceError as exc:
            with state.lock:
                state.down_until = default_timer() + settings.ONLINE_SUSPEND_SECONDS
                state.last_failure = describe_failure(exc)
            raise
        with state.lock:
            state.down_until = 0.0
        return records


class _QueryRejected(Exception):
    """Carries a ``GeocoderQueryError`` past ``RateLimiter``: resending the query won't help."""

    def __init__(self, error: GeocoderQueryError) -> None:
        super().__init__(str(error))
        self.error = error


def _checked_request(request: Callable[[], Any]) -> list[dict[str, Any]]:
    """Run the geopy call and vet the answer, so garbage is retried and never cached."""
    try:
        found = request()
        records = [loc.raw for loc in found] if found else []
        for record in records:
            location_from_nominatim(record)
    except GeocoderQueryError as exc:
        log.info("%s rejected the query (%s)", SERVICE, describe_failure(exc))
        raise _QueryRejected(exc) from exc
    except GeocoderServiceError as exc:
        log.info("%s request failed (%s)", SERVICE, describe_failure(exc))
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        log.info("%s answered malformed records (%s)", SERVICE, exc)
        raise GeocoderParseError(f"malformed answer: {exc}") from exc
    return records


def describe_failure(exc: BaseException) -> str:
    """A one-line reason for a failure: the error class and its first line."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
