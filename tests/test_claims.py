"""Claims read from articles: the seed's claims, dates, actors, and the offset invariant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import geo
from geo.claims import FIELDS, claims_for
from geo.claims.dates import find_dates
from geo.claims.extract import find_triggers, trigger_pattern
from geo.claims.gate import first_letters

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"


@pytest.fixture(scope="module")
def seed_claims() -> list[dict]:
    doc = geo.places_from_file(SEED)
    return claims_for(doc.article.text, doc.places, doc.article.date, doc.article.body_start)


def _find(claims: list[dict], kind: str, words: str) -> dict:
    found = [c for c in claims if c["kind"] == kind and words in c["sentence"]]
    assert found, f"no {kind} claim from the sentence with {words!r}"
    return found[0]


def test_seed_claims_the_article_makes(seed_claims):
    advance = _find(seed_claims, "advance", "closing in on the capital Tripoli")
    assert advance["actor"] == "lna" and advance["mention"] == "Tripoli"
    assert advance["place_relation"] == "toward"
    clash = _find(seed_claims, "clash", "outskirts of Tripoli")
    assert clash["mention"] == "Tripoli"
    offensive = _find(seed_claims, "advance", "launched an offensive")
    assert offensive["actor"] == "lna"
    assert (offensive["date"], offensive["date_precision"]) == ("2019-04-01", "month")
    boarded = _find(seed_claims, "interception", "cargo ship")
    assert boarded["actor"] == "lna" and boarded["place_relation"] == "off"
    assert boarded["date"] == "2019-12-15" and boarded["date_text"] == "last week"
    promise = _find(seed_claims, "deployment", "promised on December 10 to send troops")
    assert promise["hedged"] and promise["actor"] == "turkey"


def test_seed_no_claim_from_sentences_that_assert_nothing(seed_claims):
    sentences = {c["sentence"] for c in seed_claims}
    assert len(sentences) == 5
    for c in seed_claims:
        assert "may be captured" not in c["sentence"]
        assert "chaos" not in c["sentence"]


def test_claims_have_exactly_the_fields_and_keep_offsets(seed_claims):
    text = SEED.read_text(encoding="utf-8")
    for c in seed_claims:
        assert tuple(c) == FIELDS
        assert text[c["start"] : c["end"]] == c["mention"]
        assert c["sentence"] and text[c["sentence_start"] :].startswith(c["sentence"].split()[0])
        assert 0 <= c["confidence"] <= 1


ARTICLE_DATE = dt.date(2023, 11, 15)  # a Wednesday


@pytest.mark.parametrize(
    ("phrase", "date", "precision"),
    [
        ("on Monday", "2023-11-13", "day"),
        ("on Wednesday", "2023-11-15", "day"),
        ("last Wednesday", "2023-11-08", "day"),
        ("yesterday", "2023-11-14", "day"),
        ("overnight", "2023-11-15", "day"),
        ("last week", "2023-11-08", "week"),
        ("since October", "2023-10-01", "month"),
        ("in April", "2023-04-01", "month"),
        ("in December", "2022-12-01", "month"),
        ("on December 10", "2022-12-10", "day"),
        ("on 3 November", "2023-11-03", "day"),
        ("in March 2019", "2019-03-01", "month"),
        ("two weeks ago", "2023-11-01", "week"),
        ("last month", "2023-10-01", "month"),
        ("in 2021", "2021-01-01", "year"),
    ],
)
def test_time_expressions_resolve_against_the_article_date(phrase, date, precision):
    text = f"Rebels seized the town {phrase}, residents said."
    found = find_dates(text, ARTICLE_DATE)
    assert len(found) == 1, found
    assert (found[0].date.isoformat(), found[0].precision) == (date, precision)
    assert text[found[0].start : found[0].end] == found[0].text


def test_may_the_verb_is_no_month():
    assert find_dates("Troops may withdraw from the town.", ARTICLE_DATE) == []
    assert find_dates("They left in May.", ARTICLE_DATE)[0].date == dt.date(2023, 5, 1)


def test_event_relative_dates_count_from_the_previous_event():
    text = (
        "Rebels seized Goma on Monday. A day after, the army shelled Goma. "
        "They entered Bukavu two days later."
    )
    places = [
        {"mention": "Goma", "start": i, "end": i + 4, "lat": -1.68, "lon": 29.22, "id": "goma"}
        for i in (text.index("Goma"), text.index("Goma", 30))
    ] + [{"mention": "Bukavu", "start": text.index("Bukavu"), "end": text.index("Bukavu") + 6,
          "lat": -2.5, "lon": 28.86, "id": "bukavu"}]  # fmt: skip
    claims = claims_for(text, places, "2025-01-29", theatres=[])
    assert [(c["kind"], c["date"]) for c in claims] == [
        ("capture", "2025-01-27"),
        ("attack", "2025-01-28"),
        ("capture", "2025-01-30"),
    ]
    assert claims[1]["actor_text"] == "the army"
    assert claims[2]["actor_text"] == "the army"  # "They": the last actor named


def test_negated_and_speculative_sentences():
    text = "The army denied that its troops had entered Kidal. Kidal could fall to the rebels."
    places = [
        {"mention": "Kidal", "start": i, "end": i + 5, "lat": 18.44, "lon": 1.41, "id": "kidal"}
        for i in (text.index("Kidal"), text.rindex("Kidal"))
    ]
    claims = claims_for(text, places, "2023-11-15", theatres=[])
    assert len(claims) == 1 and claims[0]["negated"] and claims[0]["kind"] == "capture"


def test_gate_finds_what_the_full_pattern_finds():
    text = SEED.read_text(encoding="utf-8") + (
        " Rebels recaptured Kidal; a boat capsized off Pylos; air-strikes hit Sanaa and the "
        "coast guard intercepted 120 people. Thousands fled into Chad."
    )
    assert [m.span() for m in find_triggers(text)] == [
        m.span() for m in trigger_pattern().finditer(text)
    ]
    assert all(len(p) == 3 for p in first_letters(trigger_pattern().pattern))


def test_off_a_town_is_at_sea_beside_it():
    from shapely.geometry import Point

    from geo.claims.score import km
    from geo.gazetteer.naturalearth import country_shape

    doc = geo.places_from_text(
        "---\ndate: 2023-09-18\n---\nThe coast guard intercepted 612 people off Sfax on Sunday."
    )
    (claim,) = claims_for(doc.article.text, doc.places, doc.article.date, doc.article.body_start)
    sfax = next(p for p in doc.places if p["mention"] == "Sfax")
    assert claim["place_relation"] == "off" and claim["place_id"] == sfax["id"]
    assert not country_shape("TN").contains(Point(claim["lon"], claim["lat"]))
    assert 1 < km(claim["lat"], claim["lon"], sfax["lat"], sfax["lon"]) < 30


@pytest.mark.parametrize(
    ("sentence", "date", "actor", "check"),
    [
        ("Forces loyal to the GNA retook Tarhuna on Friday.", "2020-06-06", "gna", "agrees"),
        ("Haftar's forces seized Tripoli on Monday.", "2020-06-10", "lna", "disagrees"),
        ("The LNA withdrew from Tarhuna on Friday.", "2020-06-06", "lna", "agrees"),
    ],
)
def test_theatre_check_against_control_data(sentence, date, actor, check):
    doc = geo.places_from_text(f"---\ndate: {date}\n---\n{sentence}")
    (claim,) = claims_for(doc.article.text, doc.places, doc.article.date, doc.article.body_start)
    assert (claim["actor"], claim["theatre_check"]) == (actor, check)


def test_actors_outside_a_theatre_keep_no_id():
    doc = geo.places_from_text(
        "---\ndate: 2024-02-17\n---\nRussian forces captured Avdiivka on Saturday."
    )
    (claim,) = claims_for(doc.article.text, doc.places, doc.article.date, doc.article.body_start)
    assert claim["actor"] is None and claim["actor_text"] == "Russian forces"
    assert claim["theatre_check"] == "unknown"
