"""The claims of a corpus run: a second GeoParquet table beside the places, one row per claim.

Each claim (``geo.claims``: kind, actor, place, date, the sentence...) is read by the worker
with the article's places, stored in the same part as them (its own Parquet file, checked
against the part's record like the places), and combined at the end like the places are, so a
resumed run gives the same claims as one run. ``date`` is the claim's date; ``article_date``
the article's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from geo.corpus.inputs import CorpusItem

CLAIMS_SUFFIX = ".claims.parquet"
# Arrow types of a claim's fields (geo.claims.FIELDS), in that order.
CLAIM_TYPES = {
    "kind": "string", "actor": "string", "actor_text": "string", "target": "string",
    "target_text": "string", "mention": "string", "start": "int64", "end": "int64",
    "place_relation": "string", "lat": "float64", "lon": "float64", "place_id": "string",
    "date": "string", "date_text": "string", "date_precision": "string", "sentence": "string",
    "sentence_start": "int64", "confidence": "float64", "negated": "bool", "hedged": "bool",
    "theatre_check": "string",
}  # fmt: skip
_META = ("article_id", "article_key", "source", "article_date", "title", "url")
# Columns of the combined table, in order; geometry and bbox are added last.
CLAIM_COLUMNS = _META + tuple(k for k in CLAIM_TYPES if k not in ("lat", "lon"))


def claims_path(out: str | Path) -> Path:
    """The claims table beside the places file: ``news.parquet`` -> ``news.claims.parquet``."""
    out = Path(out)
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    return out.with_name(stem + CLAIMS_SUFFIX)


def claims_schema():
    """A part's claims: the article's key and each claim's fields."""
    from geo.corpus.rowgroups import schema_of

    return schema_of({"article_key": "string", **CLAIM_TYPES})


def combine_claims(items: Sequence[CorpusItem], done: dict[str, Path], out: Path) -> int:
    """Write the claims GeoParquet of ``items`` from their verified parts (atomic); the row
    count. Rows are in article, then text order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.corpus.geoparquet import _dates, rows_from_parts, write_points
    from geo.corpus.parts import read_claims_part

    rows = rows_from_parts(items, done, read_claims_part)
    at = pc.index_in(rows["article_key"], value_set=pa.array([i.key for i in items], pa.string()))
    meta = {
        "article_id": [i.id for i in items],
        "source": [i.source for i in items],
        "article_date": [i.date for i in items],
        "title": [i.title for i in items],
        "url": [i.url for i in items],
    }
    columns = {
        name: pa.array(meta[name], pa.string()).take(at) if name in meta else rows[name]
        for name in CLAIM_COLUMNS
    }
    for name in ("date", "article_date"):
        columns[name] = _dates(columns[name])
    table = pa.table(columns)
    lon, lat = rows["lon"], rows["lat"]
    del rows, columns, at
    order = pc.sort_indices(
        table,
        sort_keys=[
            (c, "ascending") for c in ("article_id", "article_key", "sentence_start", "start")
        ],
    )
    return write_points(table, lon, lat, out, order)
