"""Names with a possessive inside them, read whole. Sentences written for these tests."""

from __future__ import annotations

from geo.places import places_from_text
from tests.geoparsed import found


def test_official_names_with_a_possessive_are_their_countries():
    p = found(
        "Envoys of the People's Republic of China and of the Democratic People's Republic of "
        "Korea met in Geneva."
    )
    assert p["People's Republic of China"]["country"] == "CN"  # not 'Republic of China'
    assert p["Democratic People's Republic of Korea"]["country"] == "KP"  # not the South
    assert "Republic of China" not in p and "Republic of Korea" not in p


def test_a_town_with_a_possessive_in_its_name():
    p = found("Aid agencies in Cox's Bazar, Bangladesh, vaccinated children in the camps.")
    assert p["Cox's Bazar"]["country"] == "BD"


def test_a_possessive_between_two_places_keeps_both():
    p = found("Libya's Tripoli and Syria's Idlib Province saw shelling on Friday.")
    assert p["Libya"]["country"] == "LY" and p["Tripoli"]["country"] == "LY"
    assert p["Syria"]["country"] == "SY" and p["Idlib Province"]["country"] == "SY"


def test_a_small_town_named_by_a_word_inside_an_armed_groups_name_is_no_place():
    # 'Alliance' is a town in Ohio and in Nebraska; here it is a word of the group's name.
    p = found("The Myanmar National Democratic Alliance Army said it had taken Lashio.")
    assert "Alliance" not in p
    assert p["Myanmar"]["role"] == "in-name"
    assert p["Lashio"]["country"] == "MM"


def test_a_state_body_after_a_country_keeps_the_country():
    p = found("The Syrian army and the Free Syrian Army traded fire near Azaz on Monday.")
    assert [q["role"] for q in places_from_text("The Syrian army shelled Azaz.").places][0] == (
        "demonym"
    )
    assert p["Azaz"]["country"] == "SY"
