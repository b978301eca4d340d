"""The vocabulary of place kinds and route roles, in one place: what the gazetteer emits, what
the theatre data may say, and which kinds are areas rather than sites."""

from __future__ import annotations

# Places that are areas, not sites: they get no control cell, routes or events of their own.
AREA_KINDS = frozenset(
    {"continent", "country", "region", "subregion", "admin1", "admin2", "sea", "ocean", "gulf",
     "strait", "desert", "peninsula", "unknown"}
)  # fmt: skip

# What the theatre data may say (docs/theatres.md).
CERTAINTY = ("reported", "uncertain", "disputed", "approximate")
STATUS = ("controlled", "contested", "besieged")
ROLES = ("origin", "transit", "departure", "destination")
MODES = ("land", "sea", "air")
