"""What the test articles of the geoparsing rules read as: one helper for every rule's tests."""

from __future__ import annotations

from geo.places import places_from_text


def places(text: str) -> list[dict]:
    """The text's place records, in text order."""
    return places_from_text(text).places


def mentions(text: str) -> list[str]:
    """The words of the text read as places."""
    return [p["mention"] for p in places(text)]


def found(text: str) -> dict[str, dict]:
    """Each place's record by its words (the last one, where a name is written twice)."""
    return {p["mention"]: p for p in places(text)}


def first(text: str, mention: str) -> dict:
    """The first record of ``mention``; the failure names what was read instead."""
    for p in places(text):
        if p["mention"] == mention:
            return p
    raise AssertionError(f"{mention!r} not found in {mentions(text)}")
