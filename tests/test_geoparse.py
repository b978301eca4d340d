"""Recognition and resolution on the seed article and on small texts that test one rule each."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyproj import Geod

from geo.places import places_from_file, places_from_text

SEED = Path(__file__).resolve().parent.parent / "seeds" / "libya-2019-12.md"
_GEOD = Geod(ellps="WGS84")


def km(lat1, lon1, lat2, lon2):
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000


@pytest.fixture(scope="module")
def seed(gazetteer):
    return places_from_file(SEED)


def by_name(doc):
    out = {}
    for p in doc.places:
        out.setdefault(p["name"], p)
    return out


def test_seed_finds_every_expected_place(seed):
    names = by_name(seed)
    for expected in [
        "Tripoli",
        "Tobruk",
        "Libya",
        "Syria",
        "Turkey",
        "Ankara",
        "Russia",
        "Egypt",
        "United Arab Emirates",
        "Europe",
        "Mediterranean Sea",
    ]:
        assert expected in names, expected
    t = names["Tripoli"]
    assert t["country"] == "LY" and km(t["lat"], t["lon"], 32.89, 13.19) < 20


def test_seed_mediterranean_is_a_point_in_the_sea(seed):
    from shapely.geometry import Point

    from geo.gazetteer import naturalearth

    med = by_name(seed)["Mediterranean Sea"]
    land = naturalearth.land("50m").geometry.union_all()
    assert med["kind"] == "sea" and not land.contains(Point(med["lon"], med["lat"]))


def _spans(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    for name in names:
        start = 0
        while (i := text.find(name, start)) >= 0:
            spans.append((i, i + len(name), name))
            start = i + 1
    return spans


def test_seed_has_no_place_inside_a_person_and_only_in_name_places_inside_organisations(seed):
    text = seed.article.text
    people = [
        "Khalifa Haftar",
        "Fayez al-Sarraj",
        "Muammar Gaddafi",
        "Recep Tayyip Erdogan",
        "Salame",
        "Mohamed Syala",
    ]
    organisations = [
        "ISIS",
        "European Union",
        "Libyan National Army",
        "UN-recognized",
        "UN envoy",
        "United Nations",
    ]
    for p in seed.places:
        for s, e, name in _spans(text, people):
            assert not (p["start"] < e and s < p["end"]), f"{p['mention']} inside {name}"
        for s, e, name in _spans(text, organisations):
            if p["start"] < e and s < p["end"]:
                assert p["role"] == "in-name", f"{p['mention']} inside {name}"


def test_seed_demonyms_stand_for_their_countries(seed):
    demonyms = {p["mention"]: p["name"] for p in seed.places if p.get("demonym")}
    assert demonyms["Russians"] == "Russia"
    assert demonyms["Turkish"] == "Turkey"
    assert demonyms["Libyan"] == "Libya"


def test_offsets_index_the_whole_file(seed):
    text = SEED.read_text(encoding="utf-8")
    assert seed.places
    for p in seed.places:
        assert text[p["start"] : p["end"]] == p["mention"]
        assert p["mention"] in p["sentence"]


def test_tripoli_in_lebanon_when_the_article_is_about_lebanon(gazetteer):
    doc = places_from_text(
        "Clashes broke out in Tripoli, Lebanon's second city, as the army deployed in northern "
        "Lebanon. Residents of Tripoli fled towards Beirut and Akkar."
    )
    tripoli = [p for p in doc.places if p["mention"] == "Tripoli"]
    assert tripoli and all(p["country"] == "LB" for p in tripoli)


def test_countries_land_on_an_interior_point_not_the_capital(gazetteer):
    doc = places_from_text("Turkey and Russia signed a deal.")
    turkey = by_name(doc)["Turkey"]
    assert km(turkey["lat"], turkey["lon"], 39, 35) < 100
    assert km(turkey["lat"], turkey["lon"], 39.92, 32.85) > 100  # not Ankara


def test_us_states_resolve_as_regions(gazetteer):
    doc = places_from_text(
        "Storms hit Texas and Georgia, then Florida, officials in the U.S. said."
    )
    names = {p["mention"]: p for p in doc.places}
    assert names["Texas"]["kind"] == "region" and names["Texas"]["country"] == "US"
    assert names["Florida"]["kind"] == "region"
    assert names["Georgia"]["country"] == "US"  # the state, as the other places are American
    assert names["U.S."]["name"] == "United States"


def test_multi_word_names_and_common_words(gazetteer):
    doc = places_from_text(
        "Both sides met in the United Arab Emirates. March was cold in New York City. "
        "Police said the Gulf of Sirte was calm."
    )
    mentions = [p["mention"] for p in doc.places]
    assert "United Arab Emirates" in mentions and "Gulf of Sirte" in mentions
    assert "New York City" in mentions or "New York" in mentions
    assert not {"Both", "March", "Police"} & set(mentions)


def test_people_named_like_places_are_not_places(gazetteer):
    doc = places_from_text(
        "Mark Zuckerberg testified. Zuckerberg said the firm erred. President Emmanuel Macron "
        "of France spoke, and Macron left for Paris."
    )
    mentions = [p["mention"] for p in doc.places]
    assert "Zuckerberg" not in mentions
    assert "France" in mentions and "Paris" in mentions


def test_empty_and_placeless_text(gazetteer):
    assert places_from_text("").places == []
    assert places_from_text("nothing here at all.").places == []
