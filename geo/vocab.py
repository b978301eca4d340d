"""The vocabulary of place kinds and route roles, in one place: what the gazetteer emits, what
the theatre data may say, and which kinds are areas rather than sites."""

from __future__ import annotations

# The kinds the gazetteer index gives a place (geo/gazetteer/build.py); the online geocoders map
# their answers onto these too. A mention qualified by a word ("Idlib Province", "Royal Street")
# takes that word as its kind (geo/gazetteer/words.py).
GAZETTEER_KINDS = frozenset(
    {"airbase", "airport", "camp", "city", "continent", "country", "county", "crossing", "desert",
     "district", "gulf", "island", "lake", "mountain", "ocean", "oil-port", "other", "peninsula",
     "port", "region", "river", "sea", "strait"}
)  # fmt: skip
# Places that are areas, not sites: they get no control cell, routes or events of their own, and
# a map does not let them stretch its view. "unknown": a mention that resolved to nothing.
AREA_KINDS = frozenset(
    {"continent", "country", "region", "county", "sea", "ocean", "gulf", "strait", "desert",
     "peninsula", "unknown"}
)  # fmt: skip

# What the theatre data may say (docs/theatres.md).
CERTAINTY = ("reported", "uncertain", "disputed", "approximate")
STATUS = ("controlled", "contested", "besieged")
ROLES = ("origin", "transit", "departure", "destination")
MODES = ("land", "sea", "air")


def plural(count: int, word: str) -> str:
    """``"1 map"``, ``"2 maps"``: a count with its noun, for messages and page text."""
    return f"{count} {word}{'' if count == 1 else 's'}"
