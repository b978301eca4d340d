"""UCDP Georeferenced Event Dataset (GED) CSV rows read into :class:`ImportedEvent` rows.

GED (CC BY 4.0, Uppsala Conflict Data Program) records events with at least one death between
``side_a`` and ``side_b``; it has no territory field, so an imported UCDP theatre carries events
only: no control, zones or frontlines. ``where_prec`` (1 exact place ... 7 country or sea) is
folded to the project's three levels of location precision.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.theatres.importers._model import (
    ImportedEvent,
    ImportRowError,
    cell,
    coordinates,
    export_date,
    parse_int,
    required_cell,
    slugify,
)

REQUIRED = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "country",
    "where_prec",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "best",
    "source_headline",
)
VIOLENCE = {"1": "state-based", "2": "non-state", "3": "one-sided"}
# where_prec: 1 exact, 2 within 25 km, 3 second-order admin, 4 first-order admin, 5 linear
# feature or between places, 6 only the country, 7 international waters or airspace.
PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 2, 6: 3, 7: 3}


def event_from_row(row: Mapping[str, str], line: int) -> ImportedEvent:
    """One GED row as an ImportedEvent; ImportRowError names the line and the problem."""
    side_a = required_cell(row, "side_a", line)
    event_id = required_cell(row, "id", line)
    violence = VIOLENCE.get(cell(row, "type_of_violence"), "violence")
    where = (row.get("where_description") or row.get("adm_2") or row.get("adm_1") or "").strip()
    start = export_date(row.get("date_start", ""), "date_start", line)
    end = export_date(row.get("date_end", ""), "date_end", line)
    if end < start:
        raise ImportRowError(f"line {line}: date_end {end} is before date_start {start}")
    headline = cell(row, "source_headline")
    article = cell(row, "source_article")
    url = next((part for part in article.split() if part.startswith(("http://", "https://"))), "")
    precision = parse_int(row.get("where_prec", ""), "where_prec", line) or 7
    lat, lon = coordinates(row, line)
    return ImportedEvent(
        line=line,
        id=slugify(f"ucdp-{event_id}"),
        date=start,
        end=end if end != start else None,
        kind=violence,
        type_label=f"{violence.capitalize()} violence",
        actor1=side_a,
        actor2=cell(row, "side_b"),
        actor1_state=side_a.lower().startswith("government of"),
        actor2_state=(row.get("side_b") or "").lower().startswith("government of"),
        location=where or cell(row, "country") or "unnamed place",
        country=cell(row, "country"),
        lat=lat,
        lon=lon,
        precision=PRECISION.get(precision, 3),
        fatalities=parse_int(row.get("best", ""), "best", line),
        source_title=headline or article or f"UCDP GED event {event_id}",
        source_url=url,
        notes=article if article and article != headline else "",
    )
