"""Resolution in the article's context: buildings, streets and names inside names placed
where the story is, on sentences written for these tests."""

from __future__ import annotations

from pyproj import Geod

from geo.evaluate import GoldArticle, GoldToponym, gold_mentions
from geo.places import places_from_text
from geo.resolve import Resolution, resolve_mentions
from tests.geoparsed import found

_GEOD = Geod(ellps="WGS84")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000


def given(gazetteer, text: str, *names: str) -> dict[str, Resolution]:
    """Resolve the named spans of ``text`` as gold spans (``geo eval --resolution-only``)."""
    spans, at = [], 0
    for name in names:
        start = text.index(name, at)
        spans.append(GoldToponym(start, start + len(name), name, 0.0, 0.0, True))
        at = start + len(name)
    mentions = gold_mentions(gazetteer, GoldArticle(text, tuple(spans)))
    return {r.mention.text: r for r in resolve_mentions(mentions, text=text)}


def near(r: Resolution, lat: float, lon: float, within: float = 50) -> bool:
    return r.entry is not None and km(r.entry.lat, r.entry.lon, lat, lon) < within


# A building or a street written just before its town lies in that town.


def test_a_building_before_in_and_a_town_lies_in_that_town(gazetteer):
    # Not Loyola, California, nor the story's main place in Wisconsin.
    text = (
        "A chemist at Loyola University in Chicago said the samples came from Milwaukee, "
        "Madison and Green Bay."
    )
    got = given(
        gazetteer, text, "Loyola University", "Chicago", "Milwaukee", "Madison", "Green Bay"
    )
    assert near(got["Loyola University"], 41.88, -87.63)


def test_a_street_before_a_comma_and_a_town_lies_in_that_town(gazetteer):
    text = "The bakery on Collins Avenue, Miami Beach, sold out; buyers drove from Hialeah."
    got = given(gazetteer, text, "Collins Avenue", "Miami Beach", "Hialeah")
    assert near(got["Collins Avenue"], 25.79, -80.13, 10)


def test_a_building_the_gazetteer_lacks_lies_in_the_town_written_after_it(gazetteer):
    # Without "in Tacoma" it would go to the story's main place, Spokane.
    text = (
        "Spokane and Cheney bakers came, and a cook from Ridgeline Cake Studio in Tacoma "
        "judged the pies in Spokane."
    )
    got = given(gazetteer, text, "Spokane", "Cheney", "Ridgeline Cake Studio", "Tacoma")
    assert near(got["Ridgeline Cake Studio"], 47.25, -122.44, 10)
    assert got["Ridgeline Cake Studio"].review == (
        "not-in-gazetteer: placed in the town written after it, Tacoma (US)"
    )


def test_a_place_inside_an_organisation_name_is_not_moved_by_a_town_after_it():
    # The recogniser reports the state inside the name; the state stays the state.
    text = "A professor at the University of Kentucky in Lexington spoke in Louisville."
    ky = next(p for p in places_from_text(text).places if p["mention"] == "Kentucky")
    assert ky["kind"] == "region" and ky["name"] == "Kentucky"


def test_a_street_after_a_far_namesake_of_its_town_lies_in_the_story_s_town():
    # Hampton, Virginia lies near Virginia Beach, but the avenue is in St. Louis.
    text = (
        "Police closed Hampton Avenue in St. Louis after a crash near Kirkwood; drivers "
        "heading to Virginia Beach were stuck."
    )
    avenue = next(p for p in places_from_text(text).places if p["mention"] == "Hampton Avenue")
    assert km(avenue["lat"], avenue["lon"], 38.63, -90.20) < 30


# Names inside names may vouch for one another, not for the story's place.


def test_names_inside_names_near_each_other_but_far_from_the_story_go_to_its_town(gazetteer):
    # French villages (Marigny, Rue, Chartres) lie near each other; the plantation, the
    # canal and the old street name are in a story about New Orleans.
    text = (
        "In New Orleans, the Marigny Plantation once reached the river, and Rue Bienville "
        "Nord was the old name of a street near the Marigny Canal, at the corner of "
        "Chartres. Metairie and Kenner grew later."
    )
    got = given(
        gazetteer,
        text,
        "New Orleans",
        "Marigny Plantation",
        "Rue Bienville Nord",
        "Marigny Canal",
        "Chartres",
        "Metairie",
        "Kenner",
    )
    for name in ("Marigny Plantation", "Rue Bienville Nord", "Marigny Canal"):
        assert near(got[name], 29.95, -90.07), name
        assert (got[name].review or "").startswith("not-in-gazetteer"), name


def test_a_name_inside_a_name_in_a_state_the_story_names_stays(gazetteer):
    text = (
        "Reporters in Sacramento and Fresno said a student of California State "
        "University San Marcos won."
    )
    got = given(gazetteer, text, "Sacramento", "Fresno", "California State University San Marcos")
    r = got["California State University San Marcos"]
    assert r.entry is not None and r.entry.country == "US"
    assert r.review is None or not r.review.startswith("not-in-gazetteer")


def test_gold_spans_ending_in_a_feature_word_are_read_as_features(gazetteer):
    text = "Crowds filled Hampton Avenue and Idlib Province."
    spans = tuple(
        GoldToponym(text.index(n), text.index(n) + len(n), n, 0.0, 0.0, True)
        for n in ("Hampton Avenue", "Idlib Province")
    )
    avenue, province = gold_mentions(gazetteer, GoldArticle(text, spans))
    assert (avenue.feature, avenue.role) == ("avenue", "literal")
    assert province.role == "literal"  # the gazetteer knows the whole name


# A small far town gives way to its namesake near the article's other places.


def test_a_small_far_town_gives_way_to_its_namesake_near_the_story():
    # The United States named twice favours Venice, Florida; but it lies over 2,000 km from
    # the article's towns, and Italy's Venice lies near them.
    text = (
        "U.S. diplomats and envoys from Kyiv, Lviv and Odesa met in Venice, where the "
        "United States and Ukraine signed the deal."
    )
    venice = next(p for p in places_from_text(text).places if p["mention"] == "Venice")
    assert venice["country"] == "IT"
    assert venice["review"].startswith("far-from-others: the likelier Venice (US)")
    assert venice["score"] < 0.5


def test_a_big_far_city_keeps_its_name_and_goes_to_review():
    # Sydney, Australia is no small town: it stays, flagged, though Sydney, Nova Scotia lies
    # within 2,000 km of Ohio.
    text = (
        "Farmers from Dayton, Cincinnati, Columbus and Toledo sold their grain to a buyer "
        "in Sydney."
    )
    sydney = next(p for p in places_from_text(text).places if p["mention"] == "Sydney")
    assert sydney["country"] == "AU" and sydney["score"] < 0.5
    assert sydney["review"].startswith("far-from-others: over 2,000 km")


# The dateline names the story's main place; words that name a small far town name
# something of that place.


def test_a_dateline_sets_the_main_place(gazetteer):
    # The small Tennessee town of White House, said twice, would otherwise be the story's
    # main place, and the Oval Office would go there.
    text = (
        "WASHINGTON (AP) — Aides said the Oval Office was quiet. The White House said the "
        "bill was dead, and the White House press office said Texas had sued."
    )
    got = given(gazetteer, text, "WASHINGTON", "Oval Office", "White House", "White House")
    assert near(got["Oval Office"], 38.90, -77.04, 10)
    assert near(got["White House"], 38.90, -77.04, 10)


def test_common_words_naming_a_far_small_town_name_something_of_the_story(gazetteer):
    text = (
        "Lawmakers in Congress argued as officials in Richmond and Norfolk counted the "
        "storm's damage."
    )
    got = given(gazetteer, text, "Congress", "Richmond", "Norfolk")
    congress = got["Congress"]
    assert congress.entry is not None and congress.entry.admin1 == "Virginia"
    assert (congress.review or "").startswith("not-in-gazetteer")


def test_common_words_name_the_small_town_in_a_state_the_story_names(gazetteer):
    text = (
        "Firefighters reached Congress on Monday; crews from Prescott and Wickenburg in "
        "Arizona helped."
    )
    got = given(gazetteer, text, "Congress", "Prescott", "Wickenburg", "Arizona")
    congress = got["Congress"]
    assert congress.entry is not None and congress.entry.name == "Congress"
    assert congress.entry.admin1 == "Arizona" and congress.review is None


def test_a_homonym_of_a_big_city_follows_its_neighbours_state():
    # Jacksonville, Florida is 35 times bigger; Conway is also a town near Orlando, which the
    # Florida reading pulls in at first. Both neighbours are in Arkansas, near its Jacksonville.
    text = "Jacksonville police said on Monday that residents of Hot Springs and Conway had called."
    jacksonville = next(p for p in places_from_text(text).places if p["mention"] == "Jacksonville")
    assert km(jacksonville["lat"], jacksonville["lon"], 34.87, -92.11) < 20


# A street, a district or a mall named after a country, a continent or an ocean lies in the
# story's town.


def test_a_street_named_after_a_country_lies_in_the_story_s_town():
    text = "Bands played on Frenchmen Street as tourists from Baton Rouge reached New Orleans."
    street = next(p for p in places_from_text(text).places if p["mention"] == "Frenchmen Street")
    assert street["name"] == "New Orleans" and street["review"].startswith("not-in-gazetteer")


def test_a_district_or_a_mall_named_after_an_area_lies_in_the_story_s_town(gazetteer):
    text = (
        "Crowds filled the Bayside Mall of Asia on Sunday; commuters from Pasay and Makati "
        "were stuck, and the Latin Quarter of Manila was calm."
    )
    got = given(gazetteer, text, "Bayside Mall of Asia", "Pasay", "Makati", "Manila")
    assert near(got["Bayside Mall of Asia"], 14.55, 121.0, 20)


def test_an_organisation_named_after_a_country_keeps_the_country(gazetteer):
    text = "The Bank of Japan held rates; traders in Osaka and Kobe shrugged."
    got = given(gazetteer, text, "Bank of Japan", "Osaka", "Kobe")
    assert got["Bank of Japan"].entry is not None
    assert got["Bank of Japan"].entry.kind == "country"


# A name that is also a state's, listed with another state, is that state.


def test_a_name_listed_with_a_state_is_the_state():
    text = "Tech firms are moving jobs from western states such as California or Washington."
    washington = next(p for p in places_from_text(text).places if p["mention"] == "Washington")
    assert washington["kind"] == "region" and washington["name"] == "Washington"


def test_a_town_before_a_comma_and_its_state_is_still_the_town():
    text = "He grew up in Salem, Oregon and moved to Portland, Maine."
    places = found(text)
    assert places["Salem"]["kind"] == "city"
    assert km(places["Salem"]["lat"], places["Salem"]["lon"], 44.94, -123.04) < 20


def test_a_story_of_states_only_places_what_the_gazetteer_lacks_in_its_main_state(gazetteer):
    # No town: the river the gazetteer lacks goes to the state the story names most.
    text = (
        "Karnataka and Tamil Nadu argued again over the Hosakere Weir waters; Tamil Nadu "
        "said Karnataka had released too little, and Kerala stayed out."
    )
    got = given(
        gazetteer, text, "Karnataka", "Tamil Nadu", "Hosakere Weir", "Tamil Nadu", "Karnataka"
    )
    weir = got["Hosakere Weir"]
    assert weir.entry is not None and weir.entry.kind == "region"
    assert (weir.review or "").startswith("not-in-gazetteer")


# A roundup of several wars has no one main place: a country it names speaks for its towns.


def test_a_roundup_keeps_small_towns_of_the_countries_it_names():
    text = (
        "A nurse from Charlotte, North Carolina, flew to Goma after weeks of fighting. "
        "In Chad, aid workers counted new arrivals near Adre. In Syria, families fled "
        "Maarat al-Numan for camps near the Turkish border. Charlotte's mayor praised her."
    )
    places = found(text)
    assert places["Adre"]["country"] == "TD" and not places["Adre"]["review"]
    assert places["Maarat al-Numan"]["country"] == "SY"
    assert not places["Maarat al-Numan"]["review"]


def test_a_country_named_only_inside_a_name_does_not_speak_for_a_far_village():
    # 'the Isle of Man Steam Packet Company' names a company, not the story's ground: 'Peel'
    # among Toronto's suburbs is not the Manx town.
    text = (
        "Shares of the Isle of Man Steam Packet Company rose in Toronto on Monday. Downtown "
        "Toronto, Mississauga and Brampton reported heavy traffic near Peel after the storm."
    )
    places = found(text)
    assert places["Isle of Man"]["role"] == "in-name"
    assert places["Peel"]["country"] == "CA"


def test_a_citys_english_name_beats_a_hamlet_bearing_it_in_a_roundup():
    # 'Jenin' is the English name of the West Bank city (GeoNames: Janin) and the own name of
    # a Polish hamlet; a roundup splits its places between countries, so the city's
    # country is only a small share of them.
    text = (
        "Clashes around Kidal in northern Mali sent people into Niger. In Haiti, gangs "
        "attacked a prison in Port-au-Prince. Israeli strikes hit Rafah and Khan Younis, "
        "while in the West Bank troops raided Jenin. Fighting near Gondar and Bahir Dar in "
        "Ethiopia went on, and boats left Sfax in Tunisia for Lampedusa."
    )
    places = found(text)
    assert places["Jenin"]["country"] == "PS" and not places["Jenin"]["review"]


def test_a_city_and_its_canton_of_one_name_need_no_review():
    # The city of Geneva and the canton of Geneva share the mention's shares; either puts it
    # on the same ground, so nothing is left for a person to check.
    text = "GENEVA (Reuters) - Aid agencies said on Friday that fighting near Kidal had ended."
    geneva = next(p for p in places_from_text(text).places if p["mention"] == "GENEVA")
    assert geneva["country"] == "CH" and geneva["review"] is None
