"""Rules added to the claim extractor, each with sentences written for it (not from the test set).

Places are given by hand, so these test the rules, not the gazetteer.
"""

from __future__ import annotations

import pytest

from geo.claims import claims_for
from geo.claims.extract import find_triggers, trigger_pattern

# name -> (lat, lon): approximate points, enough for a claim to carry a place.
POINTS = {
    "Kufra": (24.18, 23.29),
    "Mopti": (14.49, -4.19),
    "Marib": (15.46, 45.32),
    "Kassala": (15.45, 36.40),
    "Sevastopol": (44.61, 33.52),
    "Mogadishu": (2.05, 45.32),
    "Geneva": (46.20, 6.14),
    "Kismayo": (-0.36, 42.55),
    "Eyl": (7.98, 49.82),
    "Strait of Hormuz": (26.57, 56.25),
    "Kalehe": (-2.10, 28.91),
    "Lampedusa": (35.51, 12.60),
    "Bossaso": (11.28, 49.18),
    "Quissanga": (-12.43, 40.49),
    "Tobruk": (32.08, 23.96),
    "Macomia": (-12.24, 40.12),
    "Pemba": (-12.97, 40.52),
    "Sake": (-1.57, 29.04),
    "Goma": (-1.68, 29.22),
    "Porto Empedocle": (37.29, 13.53),
    "Lanzarote": (29.05, -13.6),
    "Kinshasa": (-4.33, 15.31),
    "Kigali": (-1.95, 30.06),
    "Rwanda": (-2.0, 30.0),
    "Bunia": (1.56, 30.25),
    "Moscow": (55.75, 37.62),
    "Kharkiv": (49.99, 36.23),
    "Sudzha": (51.19, 35.27),
}


def claims_of(sentence: str, date: str = "2024-06-20") -> list[dict]:
    places = []
    for name, (lat, lon) in POINTS.items():
        at = sentence.find(name)
        if at >= 0:
            places.append(
                {"mention": name, "start": at, "end": at + len(name), "lat": lat, "lon": lon,
                 "id": name.lower(), "kind": "city"}
            )  # fmt: skip
    return claims_for(sentence, places, date, theatres=[])


def kinds(sentence: str) -> list[tuple[str, str]]:
    return [(c["kind"], c["mention"]) for c in claims_of(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "May" the month is no "may" of speculation.
        ("Militia fighters overran the garrison at Kufra in mid-May.", [("capture", "Kufra")]),
        ("Rebel units entered Mopti on May 3 after a short fight.", [("capture", "Mopti")]),
        ("Rebel units may enter Mopti before the rains.", []),
        # Weapons fired, with a few words between the verb and the weapon.
        (
            "Insurgents fired four long-range rockets at a fuel depot outside Marib.",
            [("attack", "Marib")],
        ),
        ("Soldiers opened fire on marchers in Kassala on Sunday.", [("attack", "Kassala")]),
        # Stormed: any object, not only a named one; "stormed out" is no attack.
        ("Gunmen stormed a hotel in Mogadishu late on Friday.", [("attack", "Mogadishu")]),
        ("The delegation stormed out of the talks in Geneva.", []),
        # Deployments with a longer phrase before the force.
        (
            "The government dispatched several thousand freshly trained police to Kismayo.",
            [("deployment", "Kismayo")],
        ),
        # A vessel seized or hijacked is stopped at sea, not a place captured.
        ("Pirates hijacked a fishing dhow off Eyl on Monday.", [("interception", "Eyl")]),
        (
            "Naval commandos seized an oil tanker in the Strait of Hormuz.",
            [("interception", "Strait of Hormuz")],
        ),
        ("Rebels seized the town of Kalehe at dawn.", [("capture", "Kalehe")]),
        # Boats that arrive are landings, whatever the boat is called.
        ("Two overcrowded dinghies arrived at Lampedusa overnight.", [("landing", "Lampedusa")]),
        (
            "A boat carrying 61 exhausted asylum seekers reached Lampedusa at dawn.",
            [("landing", "Lampedusa")],
        ),
        # Burning houses, markets, churches: an attack.
        ("Gunmen torched dozens of houses in Macomia overnight.", [("attack", "Macomia")]),
        ("Rebels set fire to the market in Pemba.", [("attack", "Pemba")]),
        ("Farmers burned stubble near Pemba.", []),
        # A death toll after an event is that event's, not another attack.
        (
            "A dinghy capsized near Pemba on Thursday, killing at least 12 people.",
            [("shipwreck", "Pemba")],
        ),
        ("Clashes broke out in Sake, killing five people.", [("clash", "Sake")]),
        ("Gunmen killed 14 villagers near Goma on Monday.", [("attack", "Goma")]),
    ],
)
def test_new_rules(sentence, expected):
    assert kinds(sentence) == expected


def test_hit_by_a_weapon_the_weapon_acts():
    (claim,) = claims_of("A ferry was hit by a naval drone off Sevastopol on Tuesday.")
    assert claim["kind"] == "attack" and claim["place_relation"] == "off"
    assert claim["actor_text"] == "a naval drone" and claim["target_text"] != "a naval drone"


def test_a_participle_after_before_shares_the_main_subject():
    claims = claims_of("Militants raided Quissanga on Monday before withdrawing into the forest.")
    assert [(c["kind"], c["actor_text"]) for c in claims] == [
        ("attack", "Militants"),
        ("withdrawal", "Militants"),
    ]


@pytest.mark.parametrize(
    ("sentence", "kind", "mention"),
    [
        # "after launching" behind a date expression still shares the main subject.
        (
            "M23 fighters entered Sake on Friday, two days after launching a new offensive "
            "from their base near Goma.",
            "advance",
            "Goma",
        ),
        # "and were airlifted to": the subject of the first verb moves again.
        ("Mercenaries withdrew from Marib and were airlifted to Kismayo.", "deployment", "Kismayo"),
        # "and brought": an irregular past shares its subject like a regular one.
        (
            "A navy patrol boat picked up 40 people near Lampedusa and brought them to "
            "Porto Empedocle.",
            "landing",
            "Porto Empedocle",
        ),
    ],
)
def test_a_second_verb_keeps_the_first_verbs_subject(sentence, kind, mention):
    claims = claims_of(sentence)
    first = claims[0]["actor_text"]
    (claim,) = [c for c in claims if c["kind"] == kind]
    assert first and claim["mention"] == mention and claim["actor_text"] == first


def test_a_destination_the_gazetteer_does_not_know_gives_no_claim_elsewhere():
    claims = claims_of(
        "A charity boat picked up 70 people off Lanzarote and brought them to Playa Blanca."
    )
    assert [(c["kind"], c["mention"]) for c in claims] == [("rescue", "Lanzarote")]
    (flown,) = claims_of("Mercenaries were flown to Kismayo on Friday.")
    assert (flown["kind"], flown["mention"]) == ("deployment", "Kismayo")


def test_an_actor_that_keeps_doing_something():
    (claim,) = claims_of("Rebel gunboats kept attacking ferries near Eyl.")
    assert claim["actor_text"] == "Rebel gunboats" and claim["mention"] == "Eyl"


def test_an_actor_qualified_by_a_direction_keeps_its_head():
    (claim,) = claims_of("Coast guard units in the west intercepted 150 migrants off Tobruk.")
    assert claim["actor_text"] == "Coast guard units" and claim["place_relation"] == "off"


@pytest.mark.parametrize(
    ("sentence", "date", "precision"),
    [
        # Under way on the article's date, with an adverb or "have been" before the verb.
        ("The rebels are now advancing toward Goma.", "2024-06-20", "day"),
        ("Government troops have been pushing toward Sake for days.", "2024-06-20", "day"),
        # The start of the month or year is that month or year.
        ("Families have fled Kismayo since the start of the month.", "2024-06-01", "month"),
        ("Rebels have captured Kalehe since the beginning of the year.", "2024-01-01", "year"),
    ],
)
def test_more_dates(sentence, date, precision):
    (claim,) = claims_of(sentence)
    assert (claim["date"], claim["date_precision"]) == (date, precision)


def test_a_dated_claim_in_may_keeps_its_date():
    (claim,) = claims_of("Rebel units entered Mopti on May 3 after a short fight.")
    assert (claim["date"], claim["actor_text"]) == ("2024-05-03", "Rebel units")


def test_the_gate_still_finds_what_the_pattern_finds():
    text = (
        "Pirates hijacked a dhow off Bossaso. Commandos seized a tanker. Gunmen stormed a hotel. "
        "A ferry was hit by a drone. Militants fired two rockets at the base and opened fire on "
        "guards. Rebels seized Kalehe."
    )
    assert [m.span() for m in find_triggers(text)] == [
        m.span() for m in trigger_pattern().finditer(text)
    ]


def test_an_accusation_is_the_accused_partys_claim_hedged_and_never_at_the_speakers_city():
    """ "X accused Y of ...": Y is the actor and the event is only alleged; a capital that
    speaks ("a charge Kigali denies", "Moscow said") is a government, not where it happened."""
    got = claims_of(
        "Kinshasa accused Rwanda of sending troops to help the rebels, a charge Kigali denies."
    )
    assert got == []  # where the troops went is not said: no place, no claim on the map
    (claim,) = claims_of("The army accused the rebels of shelling Bunia on Friday.")
    assert (claim["kind"], claim["mention"], claim["actor_text"]) == (
        "attack",
        "Bunia",
        "the rebels",
    )
    assert claim["hedged"]
    (claim,) = claims_of("Moscow said its forces shelled Kharkiv overnight.")
    assert claim["mention"] == "Kharkiv"


def test_an_event_denied_later_in_its_sentence_is_hedged():
    (claim,) = claims_of("Rebels captured Sake on Monday, but the army denied it.")
    assert claim["kind"] == "capture" and claim["hedged"] and not claim["negated"]
    (claim,) = claims_of("Rebels captured Sake on Monday.")
    assert not claim["hedged"]


def test_a_partys_word_about_its_own_forces_is_hedged():
    (claim,) = claims_of("Moscow said its forces had recaptured two villages near Sudzha.")
    assert claim["kind"] == "capture" and claim["mention"] == "Sudzha" and claim["hedged"]
    (claim,) = claims_of("The army said its elite units had retaken Sake on 3 June.")
    assert claim["hedged"] and str(claim["date"]) == "2024-06-03"
    (claim,) = claims_of("Residents said rebels had retaken Sake on 3 June.")
    assert not claim["hedged"]  # witnesses, not a party speaking of itself
