"""The online geocoder against a hostile server on loopback: every answer is bounded (issue 17).

A drip-feeding server, a gzip bomb, an endless body, deep JSON, a non-list answer and a
redirect to another host each end in a geopy service error within the request's deadline,
never in a hang, a memory blow-up, a RecursionError, or a failure cached as "no such place".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut

from geo import settings
from geo.geocoders import _cache, online
from geo.geocoders._http import MAX_JSON_DEPTH, json_depth, loads_bounded

try:  # tests/ on sys.path (pytest's default rootdir-less import)
    from fakes.hostile_http import HostileHTTP
except ImportError:  # pragma: no cover - tests/ imported as a package
    from tests.fakes.hostile_http import HostileHTTP

TIMEOUT = 1.0


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(settings, "MIN_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(settings, "ONLINE_ERROR_WAIT_SECONDS", 0.0)
    online.reset_endpoints()
    yield
    online.reset_endpoints()


@pytest.fixture(scope="module")
def server() -> Iterator[HostileHTTP]:
    with HostileHTTP() as s:
        yield s


def geocoder(url: str) -> online.NominatimGeocoder:
    return online.NominatimGeocoder(url, timeout=TIMEOUT, max_retries=0)


def _fails(url: str, error: type[Exception], match: str) -> float:
    started = time.monotonic()
    with pytest.raises(error, match=match):
        geocoder(url).geocode("Tripoli")
    assert len(_cache.RequestCache()) == 0, "a failure is never cached as an answer"
    return time.monotonic() - started


def test_a_dripping_server_is_cut_off_at_the_total_deadline(server):
    elapsed = _fails(server.url("drip"), GeocoderTimedOut, "timed out")
    assert elapsed < TIMEOUT * 5  # the deadline, not a byte every 0.2 s forever


def test_a_gzip_bomb_is_refused_while_inflating(server):
    _fails(server.url("bomb"), GeocoderServiceError, "answer over")


def test_a_huge_body_is_refused(server):
    _fails(server.url("big"), GeocoderServiceError, "answer over")


def test_deeply_nested_json_is_a_parse_error_not_a_recursion_error(server):
    _fails(server.url("deep"), GeocoderParseError, "nested deeper")


def test_an_answer_that_is_not_a_list_is_not_cached_as_no_place(server):
    _fails(server.url("object"), GeocoderParseError, "not a list")


def test_a_redirect_to_another_host_is_refused(server):
    before = len(server.requests)
    _fails(server.url("away"), GeocoderServiceError, "another host")
    assert not any(p.startswith("/object") for p in server.requests[before:])


def test_a_redirect_on_the_same_host_is_followed(server):
    before = len(server.requests)
    _fails(server.url("here"), GeocoderParseError, "not a list")
    assert any(p.startswith("/object") for p in server.requests[before:])


def test_json_depth_is_measured_without_recursion():
    assert json_depth('{"a": [1, {"b": "[[[[[["}]}') == 3
    assert json_depth("[" * 200_000) == 200_000
    assert loads_bounded('[{"lat": "1"}]') == [{"lat": "1"}]
    with pytest.raises(GeocoderParseError):
        loads_bounded("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))


def test_the_fallback_answers_when_the_service_is_hostile(server, gazetteer, caplog):
    from geo.geocoders.fallback import FallbackGeocoder

    coder = FallbackGeocoder(geocoder(server.url("deep")))
    found = coder.geocode("Tripoli")
    assert found is not None and found.raw.get("fallback_from") == "nominatim"
    assert "Traceback" not in caplog.text
