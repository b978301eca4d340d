"""The one event shape every importer reads its export into, and the rules shared by them.

An importer (ACLED, UCDP) only maps its columns onto :class:`ImportedEvent`; everything after
that (actors, places, control over time, sources, the folder written) is the same code, in
``geo.theatres.importers.build``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from geo.errors import InputError


class ImportRowError(InputError):
    """One row of an export cannot be used; the import reports it with its line and skips it."""


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """One row of an event export, in the project's terms.

    ``precision`` is the export's location precision folded to 1 (the named place itself),
    2 (near it, or a small area) or 3 (a larger area: district, province, country).
    ``territory`` is True for rows that record a transfer of territory, and then ``actor1`` is
    the actor that holds the place after it; ``clash`` marks armed clashes (fighting between two
    armed sides), which make a held place ``contested``.
    """

    line: int
    id: str
    date: str  # YYYY-MM-DD
    end: str | None
    kind: str  # a slug of the export's own type ("armed-clash", "air-drone-strike")
    type_label: str
    actor1: str
    actor2: str
    actor1_state: bool
    actor2_state: bool
    location: str
    country: str  # the export's country name
    lat: float
    lon: float
    precision: int
    fatalities: int | None
    source_title: str
    source_url: str
    notes: str
    territory: bool = False
    clash: bool = False


_PAREN = re.compile(r"\s*\([^)]*\)\s*")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "x") -> str:
    """A lowercase ASCII slug: accents folded, years in brackets dropped ("(2021-)")."""
    text = _PAREN.sub(" ", text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    return slug[:60].strip("-") or fallback


_STATE_ALIASES = (
    (re.compile(r"^military forces of ", re.I), "army"),
    (re.compile(r"^police forces of ", re.I), "police"),
    (re.compile(r"^government of ", re.I), "government"),
)


def aliases_for(name: str) -> list[str]:
    """Short names a news text uses for an actor: "army" for a state's military forces, and the
    acronym of a long name ("Rapid Support Forces" -> "RSF")."""
    plain = _PAREN.sub(" ", name).strip()
    out = [alias for pattern, alias in _STATE_ALIASES if pattern.match(plain)]
    words = [w for w in re.split(r"[\s\-:]+", plain) if w]
    capitals = [w[0] for w in words if w[0].isupper()]
    if len(capitals) >= 3 and not out:
        out.append("".join(capitals))
    if plain != name.strip():
        out.append(plain)
    return list(dict.fromkeys(a for a in out if a and a.lower() != name.strip().lower()))


def export_date(value: str, field: str, line: int) -> str:
    """A date cell as YYYY-MM-DD (ISO, with or without a time, or "15 April 2023")."""
    from geo.dates import parse_export_day

    try:
        day = parse_export_day(value)
    except ValueError:
        day = None
    if day is None:
        raise ImportRowError(f"line {line}: {field} {(value or '')[:40]!r} is not a date")
    return day.isoformat()


def parse_int(value: str, field: str, line: int) -> int | None:
    """An integer cell, empty as None."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise ImportRowError(f"line {line}: {field} {value[:40]!r} is not a number") from None


def parse_coordinate(value: str, field: str, line: int, limit: float) -> float:
    """A latitude or longitude cell within +-limit."""
    try:
        number = float((value or "").strip())
    except ValueError:
        raise ImportRowError(f"line {line}: {field} {value[:40]!r} is not a number") from None
    if not -limit <= number <= limit or number != number:
        raise ImportRowError(f"line {line}: {field} {number} is out of range")
    return number


def cell(row: Mapping[str, str], field: str) -> str:
    """A text cell, stripped; missing or empty as ""."""
    return (row.get(field) or "").strip()


def required_cell(row: Mapping[str, str], field: str, line: int) -> str:
    """A text cell that must not be empty."""
    value = cell(row, field)
    if not value:
        raise ImportRowError(f"line {line}: {field} is empty")
    return value


def coordinates(row: Mapping[str, str], line: int) -> tuple[float, float]:
    """(lat, lon) from the ``latitude`` and ``longitude`` cells both exports use."""
    return (
        parse_coordinate(row.get("latitude", ""), "latitude", line, 90),
        parse_coordinate(row.get("longitude", ""), "longitude", line, 180),
    )
