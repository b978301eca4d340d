"""Conflict places in their usual romanisations: each spelling resolves to the one place.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from geo.places import places_from_text
from tests.geoparsed import first


# (spelling, country, lat, lon) of the place meant; the sentence names its country.
@pytest.mark.parametrize(
    ("spelling", "country", "lat", "lon"),
    [
        ("Maarat al-Numan", "SY", 35.65, 36.68),
        ("Ma'arrat al-Nu'man", "SY", 35.65, 36.68),
        ("Maarrat an-Numan", "SY", 35.65, 36.68),
        ("Maarat al Nouman", "SY", 35.65, 36.68),
        ("Tal Abyad", "SY", 36.70, 38.95),
        ("Tell Abyad", "SY", 36.70, 38.95),
        ("Ras al-Ain", "SY", 36.85, 40.07),
        ("Ras al Ayn", "SY", 36.85, 40.07),  # also an old name of Rosh HaAyin in Israel
        ("Ra's al-'Ayn", "SY", 36.85, 40.07),  # 'Ra's' before an article is no possessive
        ("Azaz", "SY", 36.59, 37.05),
        ("A'zaz", "SY", 36.59, 37.05),
        ("Aazaz", "SY", 36.59, 37.05),
    ],
)
def test_syrian_spellings(spelling, country, lat, lon):
    text = f"Families returned to {spelling} in northern Syria after the shelling stopped."
    p = first(text, spelling)
    assert p["country"] == country
    assert abs(p["lat"] - lat) < 0.1 and abs(p["lon"] - lon) < 0.1


@pytest.mark.parametrize("spelling", ["Hodeidah", "Hodeida", "Hudaydah", "Al Hudaydah"])
def test_hodeidah_is_the_city_not_only_its_airport(spelling):
    text = f"Aid ships waited outside {spelling}, Yemen's main Red Sea port, for a week."
    p = first(text, spelling)
    assert p["country"] == "YE"
    assert p["kind"] == "city"


@pytest.mark.parametrize(
    ("spelling", "name_part"),
    [
        ("Zuwara", "Zuwar"),
        ("Zuwarah", "Zuwar"),
        ("Zuara", "Zuwar"),
        ("Garabulli", "Qarab"),
        ("Qarabulli", "Qarab"),
        ("Gasr Garabulli", "Qarab"),
        ("Tarhunah", "Tarhun"),
    ],
)
def test_libyan_spellings(spelling, name_part):
    text = f"The coast guard of Libya stopped two boats off {spelling} before dawn."
    p = first(text, spelling)
    assert p["country"] == "LY"
    assert name_part in p["name"]


def test_a_persons_name_is_no_other_romanisation_of_a_town():
    text = "Salah scored twice for the visitors, and Salah's coach praised him."
    assert [p["mention"] for p in places_from_text(text).places] == []


@pytest.mark.parametrize("sentence", ["Shelling in Misrata.", "Fighting near Misrata overnight."])
def test_a_big_citys_usual_english_name_needs_no_support(sentence):
    # 'Misrata' is one of GeoNames' other names of Misratah (355,000 people): a known city's
    # English spelling stands alone, unlike a chance match of a person's name.
    p = first(sentence, "Misrata")
    assert p["country"] == "LY"


def test_a_citys_usual_other_name_stands_alone():
    # 'Misrata' is GeoNames' other name of Misratah, and its romanisation key agrees
    found = places_from_text("Shelling in Misrata.").places
    assert [(p["mention"], p["country"]) for p in found] == [("Misrata", "LY")]
