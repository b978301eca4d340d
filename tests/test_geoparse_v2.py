"""Geoparsing v2: one test per error class, on sentences written for these tests."""

from __future__ import annotations

import pytest
from pyproj import Geod

from geo.places import places_from_text

_GEOD = Geod(ellps="WGS84")


def km(lat1, lon1, lat2, lon2):
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000


def places(text: str) -> list[dict]:
    return places_from_text(text).places


def first(text: str, mention: str) -> dict:
    for p in places(text):
        if p["mention"] == mention:
            return p
    raise AssertionError(f"{mention!r} not found in {[p['mention'] for p in places(text)]}")


# Reference points: GeoNames' own points for countries and first-level regions.


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Australia", -25.0, 135.0),  # not on its Timor Sea islets
        ("Canada", 60.1, -113.6),
        ("Ontario", 49.25, -84.5),  # not at the middle of its southern cities
        ("British Columbia", 54.0, -125.0),
    ],
)
def test_reference_points_are_geonames_points(gazetteer, query, lat, lon):
    best = gazetteer.lookup(query)[0]
    assert km(best.lat, best.lon, lat, lon) < 50


def test_sudanese_state_known_by_its_english_name(gazetteer):
    p = first("Fighting spread from Khartoum into Gezira state on Monday.", "Gezira")
    assert p["country"] == "SD"
    assert p["kind"] == "region"
