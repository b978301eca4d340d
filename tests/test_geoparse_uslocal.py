"""US local news: datelines, state abbreviations, townships, regions of the country, and
people named like towns. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.geoparsed import found


def test_all_caps_dateline_and_dotted_state():
    text = (
        "LEXINGTON, Ky. (AP) — A Fayette County judge ordered a new hearing on Tuesday. "
        "The defendant, from Winston-Salem, N.C., had moved to Bowling Green."
    )
    p = found(text)
    assert p["LEXINGTON"]["country"] == "US" and abs(p["LEXINGTON"]["lat"] - 38.0) < 0.2
    assert p["Fayette County"]["kind"] == "county" and abs(p["Fayette County"]["lon"] + 84.5) < 0.3
    assert abs(p["Winston-Salem"]["lat"] - 36.1) < 0.2
    assert abs(p["Bowling Green"]["lat"] - 37.0) < 0.2  # Kentucky's, not Ohio's


def test_township_and_pennsylvania_abbreviation():
    text = "Police in Cherry Hill Township, N.J., and Wilkes-Barre, Pa., made arrests."
    p = found(text)
    assert abs(p["Cherry Hill Township"]["lat"] - 39.9) < 0.2
    assert abs(p["Wilkes-Barre"]["lat"] - 41.25) < 0.2


@pytest.mark.parametrize(
    ("mention", "lat", "lon"),
    [
        ("Midwest", 42.0, -92.0),
        ("New England", 43.9, -71.5),
        ("Appalachia", 37.5, -81.5),
        ("Bay Area", 37.8, -122.3),
        ("Southern California", 34.0, -117.8),
        ("Pacific Northwest", 46.0, -121.0),
        ("Twin Cities", 44.96, -93.17),
    ],
)
def test_regions_of_the_united_states(mention, lat, lon):
    text = (
        "Storms crossed the Midwest toward New England while Appalachia dried out; crews in "
        "the Bay Area, Southern California and the Pacific Northwest, and snow plows in the "
        "Twin Cities, stood by."
    )
    p = found(text)[mention]
    assert p["country"] == "US" and p["kind"] == "region"
    assert abs(p["lat"] - lat) < 0.1 and abs(p["lon"] - lon) < 0.1


@pytest.mark.parametrize(
    "person",
    ["Jackson Smith", "Austin Johnson", "Madison Lee", "Charlotte M. Brown", "Tyler Jenkins"],
)
def test_a_given_name_that_is_a_town_before_a_surname_is_a_person(person):
    text = f"{person}, 34, of Metairie, was charged on Monday, police in Louisiana said."
    names = found(text)
    assert not any(person.split()[0] in m for m in names), names
    assert "Metairie" in names


def test_a_town_before_other_words_stays_a_place_in_a_name():
    text = "The Dallas Cowboys and the Charlotte Observer both wrote about Charlotte on Sunday."
    p = found(text)
    assert p["Dallas"]["role"] == "in-name"
    assert p["Charlotte"]["country"] == "US"


def test_a_university_named_like_a_state_is_no_place():
    assert "Penn State" not in found("Fans of Penn State and Ohio State filled the stands.")


def test_saint_written_short_is_the_big_citys_own_name():
    p = found("ST. PAUL, Minn. (AP) — Lawmakers met on Monday.")
    assert p["ST. PAUL"]["country"] == "US" and abs(p["ST. PAUL"]["lat"] - 44.94) < 0.1
    p = found("Farmers near St. Paul, Alberta, waited for rain.")
    assert p["St. Paul"]["country"] == "CA"
    p = found("A storm reached Ft. Myers, Fla., overnight.")
    assert abs(p["Ft. Myers"]["lat"] - 26.6) < 0.1


@pytest.mark.parametrize(
    ("mention", "lat", "lon"),
    [
        ("Dallas", 32.8, -96.8),
        ("Tarrant", 32.8, -97.3),
        ("Orange", 33.7, -117.8),  # California's Orange County, not a town called Orange
        ("Jefferson", 29.7, -90.1),
        ("Orleans", 29.95, -90.1),
    ],
)
def test_names_before_counties_or_parishes_are_those_counties(mention, lat, lon):
    text = (
        "Voters in Dallas and Tarrant counties waited in line; fires burned in Los Angeles and "
        "Orange counties, and rain flooded Jefferson and Orleans parishes."
    )
    p = found(text)[mention]
    assert p["kind"] == "county"
    assert abs(p["lat"] - lat) < 0.2 and abs(p["lon"] - lon) < 0.2
