"""ACLED exports (CSV, one row per event) read into :class:`ImportedEvent` rows.

The columns are ACLED's documented export layout (event_id_cnty, event_date, ..., sub_event_type,
actor1, inter1, actor2, inter2, ..., location, latitude, longitude, geo_precision, source, notes,
fatalities, ...). Only the columns read here are required; others are ignored.

Territory rows are ACLED's three transfer sub-event types; in each, ``actor1`` is the actor that
holds the location afterwards (ACLED codes the actor taking over territory as actor 1; for a
"Non-violent transfer of territory" the same convention is assumed).
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.theatres.importers._model import (
    ImportedEvent,
    cell,
    coordinates,
    export_date,
    parse_int,
    required_cell,
    slugify,
)

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
TRANSFERS = frozenset(
    {
        "non-state actor overtakes territory",
        "government regains territory",
        "non-violent transfer of territory",
    }
)
CLASHES = frozenset({"armed clash"})
STATE_INTER = "1"  # ACLED's inter code for state forces


def event_from_row(row: Mapping[str, str], line: int) -> ImportedEvent:
    """One ACLED row as an ImportedEvent; ImportRowError names the line and the problem."""
    sub = cell(row, "sub_event_type")
    actor1 = required_cell(row, "actor1", line)
    location = required_cell(row, "location", line)
    event_id = required_cell(row, "event_id_cnty", line)
    lat, lon = coordinates(row, line)
    precision = parse_int(row.get("geo_precision", ""), "geo_precision", line) or 3
    return ImportedEvent(
        line=line,
        id=slugify(event_id),
        date=export_date(row.get("event_date", ""), "event_date", line),
        end=None,
        kind=slugify(sub or row.get("event_type", ""), "event"),
        type_label=sub or cell(row, "event_type"),
        actor1=actor1,
        actor2=cell(row, "actor2"),
        actor1_state=cell(row, "inter1") == STATE_INTER,
        actor2_state=cell(row, "inter2") == STATE_INTER,
        location=location,
        country=cell(row, "country"),
        lat=lat,
        lon=lon,
        precision=min(max(precision, 1), 3),
        fatalities=parse_int(row.get("fatalities", ""), "fatalities", line),
        source_title=f"{(row.get('source') or 'unnamed source').strip()} (ACLED {event_id})",
        source_url="",
        notes=cell(row, "notes"),
        territory=sub.lower() in TRANSFERS,
        clash=sub.lower() in CLASHES,
    )
