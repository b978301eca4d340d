"""`geo places --geocoder nominatim`: names resolved over real HTTP (a fake on loopback)."""

from __future__ import annotations

import pytest

from geo import settings
from geo.geocoders import online
from geo.places import places_from_text
from tests.fakes.nominatim import FakeNominatim

TEXT = "Fighting near Tripoli, Libya. Tripoli and Tobruk were calm."


@pytest.fixture
def fake(tmp_path, monkeypatch, gazetteer):
    monkeypatch.setattr(settings, "MIN_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(settings, "TIMEOUT_SECONDS", 0.3)
    monkeypatch.setattr(settings, "ONLINE_ERROR_WAIT_SECONDS", 0.0)
    online.reset_endpoints()
    with FakeNominatim(slow_seconds=1.0) as server:
        monkeypatch.setattr(settings, "NOMINATIM_URL", server.url)
        # The online cache goes to a temporary folder; the gazetteer stays where it was built.
        from geo.geocoders import _cache

        monkeypatch.setattr(_cache, "default_cache_path", lambda: tmp_path / "online.sqlite")
        yield server
    online.reset_endpoints()


def test_online_names_are_sent_once_each(fake):
    doc = places_from_text(TEXT, geocoder="nominatim")
    tripoli = [p for p in doc.places if p["mention"] == "Tripoli"]
    assert tripoli and all(p["id"].startswith("osm:") for p in tripoli)
    assert fake.count() == len({p["mention"] for p in doc.places if p["kind"] != "country"}) + 1


def test_outage_keeps_the_offline_resolution(fake):
    fake.fail_next(*["500"] * 20)
    doc = places_from_text(TEXT, geocoder="nominatim")
    tripoli = [p for p in doc.places if p["mention"] == "Tripoli"]
    assert tripoli and all(p["id"] == "geonames:2210247" for p in tripoli)
