"""The files beside each map: its places as GeoJSON and CSV, and the review list.

One row per place (not per mention), with what the map shows about it, so the map can be checked
or re-used in a GIS. The review list holds every low-confidence resolution with its runner-up
candidates, for a person to confirm or correct.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from geo.render.places import Place, _label
from geo.safe_text import csv_cell

COLUMNS = [
    "id",
    "name",
    "kind",
    "country",
    "lat",
    "lon",
    "mentions",
    "score",
    "low_confidence",
    "control",
    "backers",
    "routes",
]
REVIEW_COLUMNS = [
    "id",
    "name",
    "country",
    "kind",
    "score",
    "reason",
    "mentions",
    "rank",
    "candidate_id",
    "candidate_name",
    "candidate_country",
    "candidate_kind",
    "candidate_score",
    "sentence",
]


def _labels(values: Sequence[Any]) -> str:
    return ";".join(v for v in (_label(x) for x in values) if v)


def place_record(place: Place) -> dict[str, Any]:
    """The exported properties of one place, in column order."""
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "country": place.country,
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
        "mentions": place.count,
        "score": round(place.score, 4),
        "low_confidence": place.low_confidence,
        "control": _label(place.control) or None,
        "backers": _labels(place.backers),
        "routes": _labels(place.routes),
    }


def places_geojson(places: Sequence[Place]) -> str:
    """A FeatureCollection of the map's places (points; sorted keys for stable diffs)."""
    return "".join(geojson_chunks(places))


def geojson_chunks(places: Sequence[Place]) -> Iterator[str]:
    """``places_geojson`` piece by piece, feature by feature, for a writer to stream.

    ``json.dumps`` of the whole collection with ``indent`` builds it from millions of small
    strings (20,000 places took about 100 MB for an 8 MB file), and even the joined text is
    17 MB when a name is not Latin-1; the pieces make the same text."""
    if not places:
        yield _dumps({"type": "FeatureCollection", "features": []}) + "\n"
        return
    yield '{\n "features": [\n'
    for i, p in enumerate(places):
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
            "properties": place_record(p),
        }
        # nested two levels deep: each line of the feature indented by two more spaces
        yield (
            "  " + _dumps(feature).replace("\n", "\n  ") + (",\n" if i < len(places) - 1 else "\n")
        )
    yield ' ],\n "type": "FeatureCollection"\n}\n'


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


def places_csv(places: Sequence[Place]) -> str:
    """The places as CSV, one row per place."""
    return "".join(csv_chunks(places))


def csv_chunks(places: Sequence[Place]) -> Iterator[str]:
    """``places_csv`` a few hundred rows at a time, for a writer to stream."""
    return _csv_text(
        COLUMNS, ({k: csv_cell(v) for k, v in place_record(p).items()} for p in places)
    )


def review_csv(places: Sequence[Place], extra: Sequence[Mapping[str, Any]] = ()) -> str:
    """Low-confidence resolutions, one row per runner-up candidate (rank 0: the chosen one),
    then ``extra`` rows (claims the theatre data contradicts, see geo.render.claims)."""
    return "".join(review_chunks(places, extra))


def review_chunks(
    places: Sequence[Place], extra: Sequence[Mapping[str, Any]] = ()
) -> Iterator[str]:
    """``review_csv`` a few hundred rows at a time, for a writer to stream."""
    return _csv_text(
        REVIEW_COLUMNS,
        itertools.chain(
            ({k: csv_cell(row.get(k)) for k in REVIEW_COLUMNS} for row in extra),
            (
                {k: csv_cell(v) for k, v in row.items()}
                for p in places
                if p.low_confidence
                for row in _review_rows(p)
            ),
        ),
    )


def _review_rows(p: Place) -> Iterator[dict[str, Any]]:
    """A low-confidence place's rows: the chosen candidate (rank 0), then each runner-up."""
    base = {
        "id": p.id,
        "name": p.name,
        "country": p.country,
        "kind": p.kind,
        "score": round(p.score, 4),
        # Why the resolver sent it to review (geo.resolve), from its first mention saying so.
        "reason": p.review,
        "mentions": p.count,
        "sentence": p.mentions[0].get("sentence", "") if p.mentions else "",
    }
    yield {
        **base,
        "rank": 0,
        "candidate_id": p.id,
        "candidate_name": p.name,
        "candidate_country": p.country,
        "candidate_kind": p.kind,
        "candidate_score": round(p.score, 4),
    }
    for rank, alt in enumerate(p.alternatives, start=1):
        score = alt.get("score")
        yield {
            **base,
            "rank": rank,
            "candidate_id": alt.get("id"),
            "candidate_name": alt.get("name"),
            "candidate_country": alt.get("country"),
            "candidate_kind": alt.get("kind"),
            "candidate_score": round(float(score), 4) if isinstance(score, (int, float)) else score,
        }


CSV_CHUNK_ROWS = 500


def _csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """CSV text (header first) of ``rows``, ``CSV_CHUNK_ROWS`` rows per piece."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for i, row in enumerate(rows, start=1):
        writer.writerow(row)
        if i % CSV_CHUNK_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
