"""Datelines in capitals, towns heading a region of their name, and lakes: our own sentences."""

from __future__ import annotations

import pytest

from tests.geoparsed import first, found, mentions


@pytest.mark.parametrize(
    ("text", "mention", "name", "country"),
    [
        (
            "KYIV, Ukraine — Drones hit two districts overnight, officials said.",
            "KYIV",
            "Kyiv",
            "UA",
        ),
        ("GAZA (Reuters) - Families queued for water on Tuesday.", "GAZA", "Gaza", "PS"),
        ("DOHA, Qatar — Negotiators met again on Sunday.", "DOHA", "Doha", "QA"),
        ("**GOMA**, Congo — Rebels held the airport on Monday.", "GOMA", "Goma", "CD"),
        ("ADEN — Shelling resumed near the port at dawn.", "ADEN", "Aden", "YE"),
    ],
)
def test_a_short_dateline_in_capitals_is_the_town(text, mention, name, country):
    place = first(text, mention)
    assert (place["name"], place["country"]) == (name, country)


@pytest.mark.parametrize("word", ["NATO", "ISIS", "IDF", "RSF", "HTS", "PKK", "WFP", "UNSC"])
def test_an_acronym_first_on_its_line_stays_no_place(word):
    assert mentions(f"{word}, the group said on Monday, would not comment.") == []


def test_capitals_inside_a_sentence_are_still_read_as_acronyms():
    assert "LIMA" not in mentions("Officials cited the LIMA report, which the army rejected.")


def test_a_town_that_heads_a_region_of_its_name_is_the_town_unless_the_region_is_meant():
    got = found("Fighting broke out around Kidal in northern Mali on Sunday.")
    assert got["Kidal"]["kind"] == "city"
    got = found("Troops patrolled across northern Kidal, in Mali, for a week.")
    assert got["Kidal"]["kind"] == "region"
    got = found("Jihadists attacked Gao at dawn, Mali's army said.")
    assert got["Gao"]["kind"] == "city"


def test_the_great_lakes_of_east_and_central_africa_are_lakes():
    got = found("Families crossed Lake Kivu by boat to Bukavu; others fled across Lake Albert.")
    assert got["Lake Kivu"]["kind"] == got["Lake Albert"]["kind"] == "lake"
    assert got["Lake Albert"]["country"] is None  # not the Australian town of that name
    assert found("Boats sank on Lake Tanganyika near Kalemie.")["Lake Tanganyika"]["kind"] == "lake"
