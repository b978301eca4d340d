"""Outbreak and conflict reports: diseases named after places, and administrative units
named with their unit word. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.geoparsed import first, mentions, places

# Diseases, pathogens and variants named after places are no places.


@pytest.mark.parametrize(
    ("text", "not_places", "still"),
    [
        (
            "Clinics in Nigeria treated more patients with Lassa fever this month than last.",
            ["Lassa"],
            ["Nigeria"],
        ),
        (
            "Uganda confirmed a case of Marburg virus disease near Kasese on Friday.",
            ["Marburg"],
            ["Uganda", "Kasese"],
        ),
        (
            "Farmers in Greece were warned after West Nile virus turned up in mosquito traps.",
            ["West Nile", "Nile"],
            ["Greece"],
        ),
        (
            "Vaccination against Japanese encephalitis began in Assam after the floods.",
            ["Japanese"],
            ["Assam"],
        ),
        (
            "Saudi Arabia reported two cases of Middle East respiratory syndrome in Riyadh.",
            ["Middle East"],
            ["Saudi Arabia", "Riyadh"],
        ),
        (
            "Historians in Madrid compared the epidemic with the Spanish flu of 1918.",
            ["Spanish"],
            ["Madrid"],
        ),
        (
            "A stable near Brisbane lost a horse to Hendra virus, officials in Queensland said.",
            ["Hendra"],
            ["Brisbane", "Queensland"],
        ),
        (
            "Hikers in Connecticut were reminded that Lyme disease is spread by ticks.",
            ["Lyme"],
            ["Connecticut"],
        ),
        (
            "Herders in Iraq caught Crimean-Congo haemorrhagic fever from ticks; Omsk "
            "haemorrhagic fever was studied in Novosibirsk.",
            ["Omsk", "Crimean-Congo", "Congo"],
            ["Iraq", "Novosibirsk"],
        ),
        (
            "In Nigeria's Delta state the clinics reopened, but the Delta variant kept spreading"
            " in Lagos.",
            [],
            ["Delta", "Lagos"],
        ),
        (
            "The Delta variant and later Omicron filled hospitals in Johannesburg.",
            ["Delta", "Omicron"],
            ["Johannesburg"],
        ),
        (
            "Uganda declared an outbreak of Sudan virus disease in Mubende; Zaire ebolavirus "
            "was ruled out, and refugees from Sudan were screened.",
            ["Zaire"],
            ["Uganda", "Mubende", "Sudan"],  # the country, where it stands alone
        ),
        (
            "Zika and Chikungunya cases rose in Pernambuco; an Ebola vaccine reached Mbandaka, "
            "and Candida auris was found in a hospital.",
            ["Zika", "Chikungunya", "Ebola", "Candida"],
            ["Pernambuco", "Mbandaka"],
        ),
    ],
)
def test_disease_named_after_a_place_is_no_place(text, not_places, still):
    found = mentions(text)
    for name in not_places:
        assert name not in found, found
    for name in still:
        assert any(m.startswith(name) for m in found), found


def test_a_town_named_for_a_disease_is_that_disease_when_alone_too():
    text = (
        "Health workers in Uganda traced contacts of a Marburg virus patient. Two more cases "
        "of Marburg were confirmed in Kampala on Sunday."
    )
    found = mentions(text)
    assert "Marburg" not in found
    assert "Kampala" in found


def test_a_big_place_before_virus_or_flu_stays_a_place():
    text = "Texas flu cases doubled, and clinics in Wuhan tracked the Wuhan virus cluster."
    found = mentions(text)
    assert "Texas" in found
    assert found.count("Wuhan") == 2


def test_organisations_of_an_outbreak_report():
    text = (
        "The World Health Organization and the Ministry of Health of Uganda sent teams to "
        "Kasese District."
    )
    found = {p["mention"]: p for p in places(text)}
    assert "Uganda" in found and found["Uganda"]["role"] in ("in-name", "literal")
    assert found["Kasese District"]["country"] == "UG"
    assert not any("World" in m for m in found)


def test_pan_american_is_no_demonym_of_the_united_states():
    text = "The Pan American Health Organization sent teams to Haiti."
    assert mentions(text) == ["Haiti"]


@pytest.mark.parametrize(
    ("mention", "country"),
    [
        ("Guinea", "GN"),
        ("Guinea-Bissau", "GW"),
        ("Equatorial Guinea", "GQ"),
        ("Papua New Guinea", "PG"),
        ("Congo-Brazzaville", "CG"),
        ("Democratic Republic of the Congo", "CD"),
    ],
)
def test_guineas_and_congos_stay_apart(mention, country):
    text = (
        "Guinea declared its outbreak over while Guinea-Bissau, Equatorial Guinea and Papua "
        "New Guinea screened travellers; Congo-Brazzaville and the Democratic Republic of the "
        "Congo shared data."
    )
    assert first(text, mention)["country"] == country


# Administrative units named with their unit word.


@pytest.mark.parametrize(
    ("text", "mention", "country", "kind"),
    [
        (
            "Gunmen raided two villages in Kano State, officials in Nigeria said.",
            "Kano State",
            "NG",
            "state",
        ),
        (
            "Floods reached Lagos state and Ogun on Sunday, Nigeria's agency said.",
            "Lagos",
            "NG",
            "region",
        ),
        ("Relief flights landed in Equateur province of the Congo.", "Equateur", "CD", "region"),
        ("Shelling hit villages of Idlib governorate in Syria.", "Idlib", "SY", "region"),
        ("Cases were confirmed in Edo and Ondo states of Nigeria.", "Edo", "NG", "region"),
        ("Cases were confirmed in Edo and Ondo states of Nigeria.", "Ondo", "NG", "region"),
        ("Teams reached Lofa County in northern Liberia.", "Lofa County", "LR", "county"),
        (
            "Clashes in Jonglei State and Upper Nile state of South Sudan displaced families.",
            "Jonglei State",
            "SS",
            "state",
        ),
        (
            "Clashes in Jonglei State and Upper Nile state of South Sudan displaced families.",
            "Upper Nile",
            "SS",
            "region",
        ),
    ],
)
def test_administrative_unit_is_that_unit(text, mention, country, kind):
    p = first(text, mention)
    assert p["country"] == country
    assert p["kind"] == kind


def test_unit_named_after_its_town_falls_back_to_the_town():
    text = (
        "Sierra Leone reported new infections in Kailahun District and in Kenema district, and "
        "the Congo moved vaccines to the Beni health zone."
    )
    found = {p["mention"]: p for p in places(text)}
    assert found["Kailahun District"]["country"] == "SL"
    assert found["Kenema"]["country"] == "SL"
    assert found["Beni"]["country"] == "CD"


def test_lower_case_state_after_a_us_state_is_the_state():
    p = first("Kentucky state police closed the road near Frankfort.", "Kentucky")
    assert p["kind"] == "region" and p["country"] == "US"


@pytest.mark.parametrize(
    ("mention", "lat", "lon"),
    [
        ("North Kivu", -0.7, 29.3),
        ("Ituri", 2.1, 30.4),
        ("Kasai", -5.0, 21.1),  # the Congo's province, not the Japanese town
        ("Tanganyika", -6.6, 28.4),
    ],
)
def test_congo_provinces_of_2015_and_english_names(mention, lat, lon):
    text = (
        "The Democratic Republic of the Congo sent vaccine to North Kivu province, to Ituri "
        "and to the Kasai region, and cholera teams to Tanganyika province."
    )
    p = first(text, mention)
    assert p["country"] == "CD" and p["kind"] == "region"
    assert abs(p["lat"] - lat) < 1.5 and abs(p["lon"] - lon) < 1.5


def test_somali_region_in_its_usual_english_spelling():
    text = "Troops of Somalia pushed the militants out of villages in the Lower Shabelle region."
    p = first(text, "Lower Shabelle")
    assert p["country"] == "SO" and p["kind"] == "region"


def test_congo_alone_is_the_democratic_republic():
    text = "Experts flew to Congo, where the outbreak spread from Mangina to Beni."
    assert first(text, "Congo")["country"] == "CD"


def test_the_state_of_georgia_is_the_us_state():
    text = "Flu spread in the state of Georgia, officials in Tbilisi and Moscow heard."
    p = first(text, "Georgia")
    assert p["country"] == "US" and p["kind"] == "region"
    text = "Flu spread in Georgia, officials in Tbilisi and Moscow heard."
    assert first(text, "Georgia")["country"] == "GE"


def test_places_inside_health_bodies_are_in_name():
    text = (
        "The Nigeria Centre for Disease Control and the Institut Pasteur de Dakar shared "
        "samples with the Uganda Virus Research Institute."
    )
    found = {p["mention"]: p for p in places(text)}
    for name, country in (("Nigeria", "NG"), ("Dakar", "SN"), ("Uganda", "UG")):
        assert found[name]["role"] == "in-name" and found[name]["country"] == country


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        ("Clashes spread across Oromia, Ethiopia's largest region.", "Oromia", "ET"),
        ("Shelling hit the Zaporizhzhia region of Ukraine overnight.", "Zaporizhzhia", "UA"),
        (
            "Drones struck the Kherson region of Ukraine and the Belgorod region of Russia.",
            "Kherson",
            "UA",
        ),
        ("Rebels crossed into Cabo Delgado province of Mozambique.", "Cabo Delgado", "MZ"),
        ("The army moved into Rakhine state of Myanmar.", "Rakhine", "MM"),
    ],
)
def test_conflict_regions_in_their_english_spellings(text, mention, country):
    p = first(text, mention)
    assert p["country"] == country and p["kind"] == "region"


def test_regions_named_by_compass_and_unit_words_need_their_country():
    text = (
        "Sierra Leone confirmed cases in Eastern Province and in Western Area, and Cameroon "
        "sent troops to the Far North Region."
    )
    found = {p["mention"]: p for p in places(text)}
    assert found["Eastern Province"]["country"] == "SL"
    assert found["Far North Region"]["country"] == "CM"
    # with no place of its country in the article, such a name is no place
    assert mentions("The Eastern Province side won the cup final on Sunday.") == []
