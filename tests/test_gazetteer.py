"""The offline gazetteer: index lookups and the geopy adapter (same contract as online ones)."""

from __future__ import annotations

import pytest
from geopy.geocoders.base import Geocoder

from geo.gazetteer.fold import fold
from geo.geocoders import get_geocoder
from tests.test_geocoders_online import GeocoderContract


class TestGazetteerContract(GeocoderContract):
    @pytest.fixture
    def geocoder(self, gazetteer) -> Geocoder:
        return get_geocoder("gazetteer")


def test_fold_is_case_accent_and_punctuation_insensitive():
    assert fold("Al-Jufra") == fold("al jufra") == fold("AL JUFRA")
    assert fold("Côte d’Ivoire") == "cote d ivoire"
    assert fold("U.S.") == "u s"


def test_lookup_by_alternate_name_and_accents(gazetteer):
    assert gazetteer.lookup("Misrata")[0].country == "LY"
    assert gazetteer.lookup("misrātah")[0].country == "LY"


def test_raw_carries_id_kind_country_population_and_geometry(gazetteer):
    loc = get_geocoder("gazetteer").geocode("Libya")
    raw = loc.raw
    assert raw["id"] == "ne:LBY" and raw["kind"] == "country" and raw["country"] == "LY"
    assert raw["population"] > 1_000_000
    assert raw["geometry"] is not None and raw["geometry"].contains(
        __import__("shapely").geometry.Point(loc.longitude, loc.latitude)
    )


def test_curated_places_from_the_fact_sheet(gazetteer):
    for name in [
        "Mediterranean Sea",
        "Gulf of Sirte",
        "Cyrenaica",
        "Lampedusa",
        "Mitiga",
        "Ras Lanuf",
    ]:
        assert gazetteer.lookup(name), name
    sea = gazetteer.lookup("Mediterranean Sea")[0]
    assert sea.id == "geo:mediterranean-sea" and sea.geometry is not None


def test_geocode_country_filter_and_limit():
    coder = get_geocoder("gazetteer")
    locs = coder.geocode("Tripoli", exactly_one=False, limit=2)
    assert len(locs) == 2 and locs[0].raw["country"] == "LY"
    assert coder.geocode("Tripoli", country="LB").raw["country"] == "LB"
    assert coder.geocode("Nowhere-at-all-xyz") is None


def test_garbage_index_is_not_current(tmp_path, gazetteer):
    from geo.gazetteer import build

    bad = tmp_path / "gazetteer.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    assert not build.index_is_current(bad)


def test_truncated_index_is_not_current(tmp_path, gazetteer):
    import shutil

    from geo import settings
    from geo.gazetteer import build

    src = settings.gazetteer_path()
    copy = tmp_path / "gazetteer.sqlite"
    shutil.copy(src, copy)
    shutil.copy(src.with_name(src.name + ".size"), tmp_path / "gazetteer.sqlite.size")
    assert build.index_is_current(copy)
    with copy.open("r+b") as fh:
        fh.truncate(copy.stat().st_size // 2)
    assert not build.index_is_current(copy)
