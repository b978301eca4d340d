"""Resolution of spans the town table alone does not answer: streets listed with a plural
street word, buildings whose inner name has long namesakes, short forms of countries, regions
and counties of the curated table. Sentences written for these tests."""

from __future__ import annotations

from tests.geoparsed import first, found
from tests.test_resolve_context import given, near

# Names listed before a plural street word are streets of the story's town.


def test_names_before_a_plural_street_word_are_streets_of_the_story_s_town(gazetteer):
    # Bourbon is also a town in Indiana; here it is a street of New Orleans.
    text = (
        "In New Orleans, the parade turned from Canal Street down Bourbon and Burgundy "
        "streets before it reached Jackson Square near the French Market in New Orleans."
    )
    got = given(gazetteer, text, "New Orleans", "Bourbon")
    assert near(got["Bourbon"], 29.95, -90.07, 20)
    assert got["Bourbon"].review.startswith("not-in-gazetteer")


def test_the_corner_of_two_streets_lies_in_the_story_s_town(gazetteer):
    # Hubbard is a town in Ohio; at the corner of State and Hubbard streets it is in Chicago.
    text = (
        "A cyclist was hurt at the corner of State and Hubbard streets on Friday, Chicago "
        "police said, and was taken to a hospital in Chicago."
    )
    got = given(gazetteer, text, "Hubbard", "Chicago", "Chicago")
    assert near(got["Hubbard"], 41.88, -87.63, 20)


def test_a_town_before_a_singular_street_word_elsewhere_is_still_the_town(gazetteer):
    text = "Buses left Hubbard and Youngstown for Warren, where the streets were closed."
    got = given(gazetteer, text, "Hubbard", "Youngstown", "Warren")
    assert near(got["Hubbard"], 41.16, -80.57, 20)


# A building whose inner name matches a place of several words is still a building.


def test_a_building_written_before_in_and_a_town_lies_there_whatever_its_inner_name(
    gazetteer,
):
    # 'Terra' is another name of a far capital, and one of its namesakes has two words.
    text = "The novel was launched at Terra Kulture in Lagos, and readers came from Ibadan."
    got = given(gazetteer, text, "Terra Kulture", "Lagos", "Ibadan")
    assert got["Terra Kulture"].mention.role == "in-name"
    assert near(got["Terra Kulture"], 6.45, 3.39, 20)


# Short forms of countries.


def test_t_and_t_is_trinidad_and_tobago(gazetteer):
    text = (
        "The minister said T&T would send doctors, and Port of Spain asked Dominica what "
        "else it needed."
    )
    got = given(gazetteer, text, "T&T", "Port of Spain", "Dominica")
    assert got["T&T"].entry.country == "TT" and got["T&T"].entry.kind == "country"


# Regions and counties the curated table adds.


def test_nagorno_karabakh_is_the_region_not_an_afghan_village():
    p = first(
        "Shelling was reported along the line around Nagorno-Karabakh, Azerbaijan said.",
        "Nagorno-Karabakh",
    )
    assert p["country"] == "AZ"
    assert abs(p["lat"] - 39.9) < 1 and abs(p["lon"] - 46.7) < 1


def test_the_niger_delta_is_the_region_not_the_state_named_niger(gazetteer):
    text = "Militants in the Niger Delta attacked a pipeline near Port Harcourt, Nigeria."
    got = given(gazetteer, text, "Niger Delta", "Port Harcourt", "Nigeria")
    assert near(got["Niger Delta"], 5.0, 6.2, 100)


def test_english_counties_split_into_boroughs_are_known():
    text = (
        "The race series visits Thruxton, Hampshire, then Oulton Park, Cheshire, and ends "
        "in Berkshire near Reading."
    )
    got = found(text)
    assert got["Cheshire"]["country"] == "GB"
    assert got["Berkshire"]["country"] == "GB"


def test_cheshire_in_a_connecticut_story_is_still_the_town():
    text = "Police in Cheshire and Meriden, Connecticut, closed roads after the storm."
    got = found(text)
    assert got["Cheshire"]["country"] == "US"


def test_two_streets_joined_before_intersection_lie_in_the_story_s_town(gazetteer):
    # Chartres is a French town; at the Chartres/Franklin intersection both are streets.
    text = (
        "In New Orleans the old chapel overlooking the Chartres/Franklin intersection "
        "became a gallery, a short walk from the river in New Orleans."
    )
    got = given(gazetteer, text, "New Orleans", "Chartres", "Franklin", "New Orleans")
    assert near(got["Chartres"], 29.95, -90.07, 20)
    assert got["Chartres"].review.startswith("not-in-gazetteer")


# 'the Gulf': a name only with its article.


def test_the_gulf_in_lower_case_is_the_persian_gulf():
    text = "Tankers waited in the Gulf while Qatar and Oman talked to Kuwait."
    assert first(text, "Gulf")["name"] == "Persian Gulf"


def test_gulf_without_the_is_no_place():
    assert "Gulf" not in found("Gulf Air and Emirates cut flights from Kuwait to Doha.")


# 'SA': South Africa's short form is Saudi Arabia's code and a company's suffix.


def test_sa_is_south_africa_where_the_story_names_a_place_in_it():
    text = "Platinum mines near Rustenburg employ thousands, and SA exports most of the metal."
    assert found(text)["SA"]["country"] == "ZA"


def test_sa_after_a_company_name_in_another_country_is_no_place():
    assert "SA" not in found("Nestle SA said sales rose in Vevey and Geneva.")


# An armed group named like a far small town, in a roundup that names the town's country.


def test_a_militia_named_like_a_far_town_is_no_place_in_a_world_roundup():
    text = (
        "In Ethiopia, Fano militiamen clashed with federal troops near Bahir Dar in the "
        "Amhara region. Off Italy, a boat carrying 60 people reached Lampedusa overnight."
    )
    got = found(text)
    assert "Fano" not in got
    assert got["Lampedusa"]["country"] == "IT"


def test_a_town_before_an_armed_group_word_in_its_own_country_stays():
    # The fighters are named after the town they hold: the sentence names its country.
    text = "In Italy, Fano fighters of the partisan brigade marched to Pesaro in 1944."
    assert found(text)["Fano"]["country"] == "IT"


# Broadway: the theatres of Manhattan, not a Virginia village.


def test_broadway_is_the_new_york_theatre_district():
    p = first(
        "After two years on Broadway, the New York hit will tour Chicago and Denver.", "Broadway"
    )
    assert p["country"] == "US"
    assert abs(p["lat"] - 40.76) < 0.1 and abs(p["lon"] + 73.98) < 0.1


# A small town named like a square or a street, far from the story, is the story's square.


def test_a_far_village_named_like_a_square_is_a_square_of_the_story_s_town(gazetteer):
    # Washington Square is also a village in Pennsylvania, 1,700 km from New Orleans.
    text = (
        "The brass band played in Washington Square until dark, and neighbours in New Orleans "
        "and nearby Metairie said it was the best show of the year in New Orleans."
    )
    got = given(gazetteer, text, "Washington Square", "New Orleans", "Metairie", "New Orleans")
    assert near(got["Washington Square"], 29.95, -90.07, 20)
    assert got["Washington Square"].review.startswith("not-in-gazetteer")


# The place named inside a longer name: not a unit made of generic words, not a demonym
# when a place is written beside it.


def test_a_court_named_after_its_city_and_a_district_is_in_the_city(gazetteer):
    text = "The ruling of the Busan Central District Court was appealed."
    got = given(gazetteer, text, "Busan Central District Court")
    assert near(got["Busan Central District Court"], 35.1, 129.04, 30)


def test_an_embassy_with_its_city_in_the_name_is_in_the_city(gazetteer):
    text = "A clerk at the French Embassy Nairobi said visas would resume."
    got = given(gazetteer, text, "French Embassy Nairobi")
    assert near(got["French Embassy Nairobi"], -1.28, 36.82, 30)


def test_broadway_in_a_story_far_from_new_york_is_the_story_s_own_street():
    text = (
        "The honky-tonks on Broadway stayed open late, and fans drove in from Franklin and "
        "Murfreesboro for the Nashville concert."
    )
    p = first(text, "Broadway")
    assert p["name"] == "Nashville"
    assert p["review"].startswith("not-in-gazetteer")


# 'a New York court': state courts carry their state's name.


def test_a_state_named_before_court_is_the_state():
    text = "A New York court fined the landlord on Monday, and tenants in Albany cheered."
    assert first(text, "New York")["kind"] == "region"


def test_a_city_with_a_court_word_later_in_the_sentence_stays_the_city():
    text = "Crowds filled New York after the court case in Albany."
    assert found(text)["New York"]["kind"] == "city"


def test_a_name_inside_a_name_does_not_vouch_for_a_far_square(gazetteer):
    # The Carnegie Library names Carnegie, Pennsylvania; it does not make Pennsylvania's
    # Washington Square the story's.
    text = (
        "Next to the Carnegie Library, the band played in Washington Square until dark, and "
        "neighbours in New Orleans and Metairie said it was the best show in New Orleans."
    )
    got = given(
        gazetteer,
        text,
        "Carnegie Library",
        "Washington Square",
        "New Orleans",
        "Metairie",
        "New Orleans",
    )
    assert near(got["Washington Square"], 29.95, -90.07, 20)
    # ... nor does the far square make Carnegie, Pennsylvania, the library's town.
    assert near(got["Carnegie Library"], 29.95, -90.07, 20)


def test_big_cities_before_streets_are_the_cities():
    text = "Protesters filled Tehran and Mashhad streets on Friday, witnesses in Tehran said."
    got = found(text)
    assert got["Mashhad"]["name"] == "Mashhad" and got["Mashhad"]["review"] is None
