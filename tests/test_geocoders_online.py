"""Online geocoders: geopy's real Nominatim client against a fake server on loopback.

Every request here is real HTTP on 127.0.0.1 (ephemeral port); nothing reaches the internet.
Pauses are set to zero and client timeouts well under a second, so the file runs in seconds.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo import settings
from geo.errors import ConfigurationError, GazetteerError
from geo.geocoders import _cache, _nominatim, get_geocoder, online
from geo.geocoders.fallback import FallbackGeocoder

try:  # tests/ on sys.path (pytest's default rootdir-less import)
    from fakes.nominatim import FakeNominatim
except ImportError:  # pragma: no cover - tests/ imported as a package
    from tests.fakes.nominatim import FakeNominatim

CLIENT_TIMEOUT = 0.3  # seconds; the fake's "timeout" fault sleeps longer than this
SLOW_SECONDS = 1.0
RAW_KEYS = {"id", "name", "kind", "country", "population", "score"}


@pytest.fixture(autouse=True)
def _fast_isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Cache in tmp, no pauses, short timeouts, and no default that points off loopback."""
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(settings, "MIN_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(settings, "TIMEOUT_SECONDS", CLIENT_TIMEOUT)
    monkeypatch.setattr(settings, "ONLINE_ERROR_WAIT_SECONDS", 0.0)
    monkeypatch.setattr(settings, "ONLINE_MAX_RETRIES", 2)
    monkeypatch.setattr(settings, "ONLINE_SUSPEND_SECONDS", 60.0)
    # A closed loopback port: a test that forgets to pass the fake's URL fails, offline.
    monkeypatch.setattr(settings, "NOMINATIM_URL", "http://127.0.0.1:9")
    online.reset_endpoints()
    yield
    online.reset_endpoints()


@pytest.fixture
def fake() -> Iterator[FakeNominatim]:
    with FakeNominatim(slow_seconds=SLOW_SECONDS) as server:
        yield server


def cache_file() -> Path:
    return Path(settings.CACHE_DIR) / "online-cache.sqlite"


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


class StubGazetteer(Geocoder):
    """The offline gazetteer's contract in miniature, standing in until the real one lands."""

    PLACES = [
        ("Tripoli", 32.8872, 13.1913, "geonames:2210247", "city", "LY", 1150989, 0.9),
        ("Tripoli", 34.4367, 35.8497, "geonames:266826", "city", "LB", 229398, 0.6),
        ("Tobruk", 32.0836, 23.9764, "geonames:2210221", "city", "LY", 121052, 0.8),
        ("Libya", 26.8234, 18.1236, "ne:LBY", "country", "LY", 6678567, 0.95),
        ("Mediterranean Sea", 35.0, 18.0, "geo:mediterranean-sea", "sea", None, None, 0.9),
    ]

    def __init__(self) -> None:
        super().__init__(adapter_factory=URLLibAdapter)
        self.calls: list[str] = []

    def geocode(  # type: ignore[override]
        self,
        query: str,
        exactly_one: bool = True,
        limit: int | None = None,
        country: str | Sequence[str] | None = None,
    ) -> Location | list[Location] | None:
        self.calls.append(query)
        key = " ".join(query.split()).casefold()
        codes = (
            {country.upper()} if isinstance(country, str) else {c.upper() for c in country or []}
        )
        found = [
            Location(
                name,
                (lat, lon),
                {
                    "id": ident,
                    "name": name,
                    "kind": kind,
                    "country": cc,
                    "population": pop,
                    "score": score,
                },
            )
            for name, lat, lon, ident, kind, cc, pop, score in self.PLACES
            if name.casefold() == key and (not codes or cc in codes)
        ]
        if not found:
            return None
        return found[0] if exactly_one else found[:limit]


class GeocoderContract:
    """What every registered geocoder promises; each adapter's tests subclass this.

    A subclass provides the ``geocoder`` fixture; the answers are the real world's, so the
    offline gazetteer, each online service and each wrapper can share these tests.
    """

    @pytest.fixture
    def geocoder(self) -> Geocoder:
        raise NotImplementedError

    def test_is_a_geopy_geocoder(self, geocoder: Geocoder) -> None:
        assert isinstance(geocoder, Geocoder)

    def test_known_name_gives_a_location_with_gazetteer_raw(self, geocoder: Geocoder) -> None:
        loc = geocoder.geocode("Tripoli")
        assert isinstance(loc, Location)
        assert RAW_KEYS <= set(loc.raw)
        assert isinstance(loc.raw["id"], str) and loc.raw["id"]
        assert loc.raw["kind"] == "city"
        assert loc.raw["country"] == "LY"  # the capital of Libya outranks Lebanon's Tripoli
        assert abs(loc.latitude - 32.89) < 0.2 and abs(loc.longitude - 13.19) < 0.2

    def test_list_is_ranked_and_limited(self, geocoder: Geocoder) -> None:
        found = geocoder.geocode("Tripoli", exactly_one=False, limit=5)
        countries = [loc.raw["country"] for loc in found]
        assert 2 <= len(found) <= 5
        assert countries[0] == "LY" and "LB" in countries  # others may share the name
        one = geocoder.geocode("Tripoli", exactly_one=False, limit=1)
        assert [loc.raw["country"] for loc in one] == ["LY"]

    def test_country_restricts(self, geocoder: Geocoder) -> None:
        loc = geocoder.geocode("Tripoli", country="LB")
        assert loc.raw["country"] == "LB"

    def test_kinds(self, geocoder: Geocoder) -> None:
        assert geocoder.geocode("Libya").raw["kind"] == "country"
        sea = geocoder.geocode("Mediterranean Sea")
        assert sea.raw["kind"] == "sea" and sea.raw["country"] is None

    def test_case_and_spaces_do_not_matter(self, geocoder: Geocoder) -> None:
        assert geocoder.geocode("  tOBRUK ").raw["id"] == geocoder.geocode("Tobruk").raw["id"]

    def test_unknown_name_is_none(self, geocoder: Geocoder) -> None:
        assert geocoder.geocode("Xyzzy Nowhere") is None


class TestStubGazetteerContract(GeocoderContract):
    """The stand-in keeps the contract, so fallback tests mean what they say."""

    @pytest.fixture
    def geocoder(self) -> Geocoder:
        return StubGazetteer()


class TestNominatimContract(GeocoderContract):
    @pytest.fixture
    def geocoder(self, fake: FakeNominatim) -> Geocoder:
        return online.NominatimGeocoder(fake.url)


class TestFallbackOnlineContract(GeocoderContract):
    """The wrapper passes the online answers through while the service works."""

    @pytest.fixture
    def geocoder(self, fake: FakeNominatim) -> Geocoder:
        return FallbackGeocoder(online.NominatimGeocoder(fake.url), StubGazetteer())


class TestFallbackOfflineContract(GeocoderContract):
    """With the service failing on every request, the fallback keeps the same contract."""

    @pytest.fixture
    def geocoder(self, fake: FakeNominatim) -> Geocoder:
        fake.always = "500"
        return FallbackGeocoder(online.NominatimGeocoder(fake.url), StubGazetteer())


# -- the online adapter -------------------------------------------------------------------


def test_query_goes_over_http_with_the_usage_policy(fake: FakeNominatim) -> None:
    loc = online.NominatimGeocoder(fake.url).geocode("Tripoli")

    assert fake.count() == 1
    sent = fake.requests[0]
    assert sent["user_agent"] == settings.USER_AGENT
    assert sent["params"]["q"] == "Tripoli"
    assert sent["params"]["format"] == "json"
    assert sent["params"]["addressdetails"] == "1"
    assert loc.raw["id"] == "osm:relation:9001"
    assert loc.raw["name"] == "Tripoli"
    assert loc.raw["population"] == 1150989
    assert loc.raw["source"] == "nominatim"
    assert loc.raw["score"] == pytest.approx(0.71)
    assert loc.raw["nominatim"]["osm_id"] == 9001
    assert loc.address == "Tripoli, Libya"
    assert "OpenStreetMap" in _nominatim.ATTRIBUTION and "ODbL" in _nominatim.ATTRIBUTION
    assert loc.raw["attribution"] == _nominatim.ATTRIBUTION


def test_identical_query_is_sent_once_ever(
    fake: FakeNominatim, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="geo")
    first = online.NominatimGeocoder(fake.url).geocode("Tripoli")
    again = online.NominatimGeocoder(fake.url)  # a later run: a new instance, same disk cache
    assert again.geocode("Tripoli").raw == first.raw
    assert again.geocode(" tripoli ", exactly_one=False, limit=1)[0].raw == first.raw
    assert len(again.geocode("Tripoli", exactly_one=False, limit=5)) == 2

    assert fake.count() == 1
    assert cache_file().is_file()
    assert any("cache hit" in r.getMessage() for r in caplog.records)
    assert any("cache miss" in r.getMessage() for r in caplog.records)


def test_cache_is_read_before_the_rate_limit_pause(fake: FakeNominatim) -> None:
    geocoder = online.NominatimGeocoder(fake.url, min_delay_seconds=1.0, error_wait_seconds=1.0)
    clock = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    geocoder.rate_limiter._clock = lambda: clock[0]  # type: ignore[method-assign]
    geocoder.rate_limiter._sleep = sleep  # type: ignore[method-assign]

    geocoder.geocode("Tripoli")
    geocoder.geocode("Tripoli")  # cached: no pause
    assert sleeps == []
    geocoder.geocode("Tobruk")  # a new query within the second waits its turn
    assert sleeps == [pytest.approx(1.0)]
    assert fake.count() == 2


def test_pacing_is_shared_by_instances_of_one_service(fake: FakeNominatim) -> None:
    a = online.NominatimGeocoder(fake.url, min_delay_seconds=1.0)
    b = online.NominatimGeocoder(fake.url, min_delay_seconds=1.0)
    assert a.rate_limiter is b.rate_limiter


def test_empty_answer_is_cached_as_empty(fake: FakeNominatim) -> None:
    geocoder = online.NominatimGeocoder(fake.url)
    assert geocoder.geocode("Atlantis") is None
    assert geocoder.geocode("Atlantis") is None
    assert geocoder.geocode("Atlantis", exactly_one=False) is None
    assert fake.count() == 1
    assert len(_cache.RequestCache()) == 1


def test_rate_limited_then_success_is_retried_and_nothing_bad_cached(
    fake: FakeNominatim, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("429")
    geocoder = FallbackGeocoder(online.NominatimGeocoder(fake.url), StubGazetteer())

    loc = geocoder.geocode("Tobruk")

    assert loc.raw["id"] == "osm:node:9003" and "fallback_from" not in loc.raw
    assert fake.count() == 2
    assert warnings_in(caplog) == []  # a retry that worked is no news
    assert len(_cache.RequestCache()) == 1
    geocoder.geocode("Tobruk")
    assert fake.count() == 2


@pytest.mark.parametrize("fault", ["500", "malformed", "garbage-records", "timeout"])
def test_failure_falls_back_with_one_warning_and_caches_nothing(
    fake: FakeNominatim, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    fake.always = fault
    stub = StubGazetteer()
    geocoder = FallbackGeocoder(online.NominatimGeocoder(fake.url, max_retries=1), stub)
    loc = geocoder.geocode("Tripoli")

    assert loc.raw["id"] == "geonames:2210247"
    assert loc.raw["fallback_from"] == "nominatim"
    assert fake.count() == 2  # the first try and one retry with back-off
    (warning,) = warnings_in(caplog)
    message = warning.getMessage()
    assert "nominatim" in message
    reason = {"timeout": "TimedOut", "500": "ServiceError"}.get(fault, "ParseError")
    assert reason in message
    assert len(_cache.RequestCache()) == 0

    # The same outage gives no second warning and no second wait on the service.
    assert geocoder.geocode("Tobruk").raw["id"] == "geonames:2210221"
    assert len(warnings_in(caplog)) == 1
    assert fake.count() == 2
    assert stub.calls == ["Tripoli", "Tobruk"]


def test_service_is_asked_again_after_the_suspension(
    fake: FakeNominatim, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "ONLINE_SUSPEND_SECONDS", 0.0)
    geocoder = FallbackGeocoder(online.NominatimGeocoder(fake.url, max_retries=0), StubGazetteer())
    fake.fail_next("500")
    assert geocoder.geocode("Tripoli").raw["fallback_from"] == "nominatim"
    assert geocoder.geocode("Tripoli").raw["id"] == "osm:relation:9001"
    assert fake.count() == 2
    assert len(_cache.RequestCache()) == 1


def test_rejected_query_is_not_retried_and_does_not_suspend_the_service(
    fake: FakeNominatim, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("400")
    geocoder = FallbackGeocoder(online.NominatimGeocoder(fake.url), StubGazetteer())
    assert geocoder.geocode("Tripoli").raw["fallback_from"] == "nominatim"
    assert fake.count() == 1
    assert "QueryError" in warnings_in(caplog)[0].getMessage()
    assert geocoder.geocode("Tobruk").raw["id"] == "osm:node:9003"
    assert fake.count() == 2
    assert len(_cache.RequestCache()) == 1


def test_connection_refused_falls_back(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    geocoder = FallbackGeocoder(
        online.NominatimGeocoder(f"http://127.0.0.1:{port}", max_retries=1), StubGazetteer()
    )
    assert geocoder.geocode("Tobruk").raw["id"] == "geonames:2210221"
    (warning,) = warnings_in(caplog)
    assert "nominatim" in warning.getMessage() and "Unavailable" in warning.getMessage()


def test_without_a_fallback_the_failure_is_a_geopy_error(fake: FakeNominatim) -> None:
    fake.always = "500"
    with pytest.raises(GeocoderServiceError):
        online.NominatimGeocoder(fake.url, max_retries=0).geocode("Tripoli")
    assert len(_cache.RequestCache()) == 0


def test_cached_answers_still_served_while_the_service_fails(fake: FakeNominatim) -> None:
    geocoder = FallbackGeocoder(online.NominatimGeocoder(fake.url), StubGazetteer())
    geocoder.geocode("Tripoli")
    fake.always = "500"
    assert geocoder.geocode("Tripoli").raw["source"] == "nominatim"
    assert fake.count() == 1


# -- the cache ------------------------------------------------------------------------------


def test_corrupt_cache_file_is_rebuilt(
    fake: FakeNominatim, caplog: pytest.LogCaptureFixture
) -> None:
    cache_file().parent.mkdir(parents=True)
    cache_file().write_bytes(b"\x00garbage, not SQLite\xff" * 200)

    loc = online.NominatimGeocoder(fake.url).geocode("Tripoli")

    assert loc.raw["id"] == "osm:relation:9001"
    assert any("rebuilding" in r.getMessage() for r in warnings_in(caplog))
    with sqlite3.connect(cache_file()) as db:
        assert db.execute("SELECT count(*) FROM answers").fetchone() == (1,)


def test_truncated_cache_file_is_rebuilt(
    fake: FakeNominatim, caplog: pytest.LogCaptureFixture
) -> None:
    geocoder = online.NominatimGeocoder(fake.url)
    for name in ("Tripoli", "Tobruk", "Libya", "Atlantis"):
        geocoder.geocode(name)
    data = cache_file().read_bytes()
    cache_file().write_bytes(data[: len(data) // 2])

    again = online.NominatimGeocoder(fake.url)
    assert again.geocode("Tripoli").raw["id"] == "osm:relation:9001"
    assert again.geocode("Tripoli").raw["id"] == "osm:relation:9001"
    assert any("rebuilding" in r.getMessage() for r in warnings_in(caplog))
    assert fake.count() == 5  # the lost answers are fetched again, once
    assert len(_cache.RequestCache()) == 1


def test_unusable_cache_folder_costs_speed_not_answers(
    fake: FakeNominatim,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "a-file")
    geocoder = online.NominatimGeocoder(fake.url)
    assert geocoder.geocode("Tripoli").raw["id"] == "osm:relation:9001"
    assert geocoder.geocode("Tobruk").raw["id"] == "osm:node:9003"
    (warning,) = warnings_in(caplog)
    assert "continuing without it" in warning.getMessage()


def test_cache_key_is_canonical() -> None:
    key = _cache.request_key
    params = {"limit": 10, "countrycodes": None}
    assert key("nominatim", "http://h/search", "Tripoli", params) == key(
        "nominatim", "http://h/search/", " tripoli ", {"countrycodes": None, "limit": 10}
    )
    assert key("nominatim", "http://h/search", "Tripoli", params) != key(
        "nominatim", "http://h/search", "Tripoli", {"limit": 10, "countrycodes": "lb"}
    )
    assert key("nominatim", "http://h/search", "Tripoli", params) != key(
        "nominatim", "http://other/search", "Tripoli", params
    )


def test_cache_follows_settings_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = _cache.RequestCache()
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "elsewhere")
    cache.put("nominatim", "http://h/search", "x", {}, [])
    assert (tmp_path / "elsewhere" / "online-cache.sqlite").is_file()


# -- registry and settings ------------------------------------------------------------------


def test_registry_selects_nominatim_with_fallback(
    fake: FakeNominatim, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "NOMINATIM_URL", fake.url)
    geocoder = get_geocoder("nominatim")
    assert isinstance(geocoder, FallbackGeocoder)
    assert isinstance(geocoder.primary, Nominatim)  # geopy's real client
    assert geocoder.primary.api == f"{fake.url}/search"
    found = geocoder.geocode("Tripoli", exactly_one=False, limit=5)
    assert [loc.raw["id"] for loc in found] == ["osm:relation:9001", "osm:node:9002"]
    assert get_geocoder("NOMINATIM").primary.api == f"{fake.url}/search"


def test_unknown_geocoder_lists_the_valid_names() -> None:
    with pytest.raises(ConfigurationError) as info:
        get_geocoder("googlemaps")
    message = str(info.value)
    assert "googlemaps" in message and "gazetteer" in message and "nominatim" in message


def test_public_service_defaults_follow_the_usage_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    # Construction only: no request is made.
    monkeypatch.setattr(settings, "NOMINATIM_URL", "https://nominatim.openstreetmap.org")
    monkeypatch.setattr(settings, "MIN_DELAY_SECONDS", 1.0)
    geocoder = online.NominatimGeocoder()
    assert geocoder.api == "https://nominatim.openstreetmap.org/search"
    assert geocoder.headers["User-Agent"] == settings.USER_AGENT
    assert geocoder.rate_limiter.min_delay_seconds == 1.0
    assert geocoder.rate_limiter.error_wait_seconds >= 1.0


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://127.0.0.1:8080", ("http", "127.0.0.1:8080")),
        ("https://example.org/nominatim/", ("https", "example.org/nominatim")),
        ("https://example.org/search", ("https", "example.org")),
    ],
)
def test_service_url_is_parsed(url: str, expected: tuple[str, str]) -> None:
    assert online.parse_service_url(url) == expected


@pytest.mark.parametrize("url", ["ftp://example.org", "example.org", "https://", "http://h/?q=1"])
def test_bad_service_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError):
        online.parse_service_url(url)


@pytest.mark.parametrize(
    "record, kind",
    [
        ({"class": "boundary", "type": "administrative", "addresstype": "country"}, "country"),
        ({"class": "boundary", "type": "administrative", "addresstype": "state"}, "region"),
        ({"class": "boundary", "type": "administrative", "addresstype": "city"}, "city"),
        ({"class": "place", "type": "town", "addresstype": "town"}, "city"),
        ({"class": "natural", "type": "bay", "addresstype": "bay"}, "sea"),
        ({"class": "place", "type": "island", "addresstype": "island"}, "island"),
        ({"class": "aeroway", "type": "aerodrome", "addresstype": "aeroway"}, "airport"),
        ({"class": "amenity", "type": "cafe", "addresstype": "amenity"}, "other"),
    ],
)
def test_kind_from_nominatim(record: dict[str, Any], kind: str) -> None:
    assert _nominatim.kind_from_nominatim(record) == kind


def test_record_without_coordinates_is_rejected() -> None:
    with pytest.raises((KeyError, ValueError, TypeError)):
        _nominatim.location_from_nominatim({"name": "x"})
    with pytest.raises((KeyError, ValueError, TypeError)):
        _nominatim.location_from_nominatim({"lat": "95", "lon": "0"})


def test_cli_geocode_uses_nominatim(
    fake: FakeNominatim, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo import cli

    monkeypatch.setattr(settings, "NOMINATIM_URL", fake.url)
    code = cli.main(["geocode", "Tripoli", "--geocoder", "nominatim", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["id"] for c in out["candidates"]] == ["osm:relation:9001", "osm:node:9002"]
    assert out["candidates"][0]["country"] == "LY" and out["candidates"][0]["kind"] == "city"


FALLBACK_SCRIPT = """
from geopy.adapters import URLLibAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geo.geocoders import get_geocoder

class Offline(Geocoder):
    def __init__(self):
        super().__init__(adapter_factory=URLLibAdapter)

    def geocode(self, query, exactly_one=True, limit=None, country=None):
        loc = Location("Tobruk", (32.08, 23.98), {"id": "geonames:2210221"})
        return loc if exactly_one else [loc]

geocoder = get_geocoder("nominatim", Offline())
for name in ("Tobruk", "Tripoli", "Libya"):
    print(geocoder.geocode(name).raw["id"])
"""


def test_outage_prints_one_warning_line_on_stderr(fake: FakeNominatim, tmp_path: Path) -> None:
    # A real process with logging left unconfigured, as the CLI runs: geopy's own per-retry
    # warnings (with tracebacks) must not reach stderr, only the one fallback line.
    fake.always = "500"
    env = {
        **os.environ,
        "GEO_NOMINATIM_URL": fake.url,
        "GEO_CACHE_DIR": str(tmp_path / "cache"),
        "GEO_MIN_DELAY_SECONDS": "0",
        "GEO_TIMEOUT_SECONDS": str(CLIENT_TIMEOUT),
        "GEO_ONLINE_ERROR_WAIT_SECONDS": "0",
        "GEO_ONLINE_MAX_RETRIES": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", FALLBACK_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["geonames:2210221"] * 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "nominatim" in lines[0] and "GeocoderServiceError" in lines[0]
    assert fake.count() == 2  # one try and one retry, then the outage is remembered


def test_fallback_that_cannot_load_is_one_geo_error(
    fake: FakeNominatim, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.geocoders

    def broken() -> Geocoder:
        raise ImportError("No module named 'geo.geocoders.gazetteer'")

    monkeypatch.setitem(geo.geocoders.REGISTRY, "gazetteer", geo.geocoders.Entry(broken))
    monkeypatch.setattr(settings, "NOMINATIM_URL", fake.url)
    fake.always = "500"
    with pytest.raises(GazetteerError, match="offline gazetteer"):
        get_geocoder("nominatim").geocode("Tripoli")
