"""Write geoparsed documents in the CLI's formats (table, JSON, GeoJSON, CSV), streaming.

Each document's places arrive in batches and are written as they come, so memory stays flat
however many files, or however long a file, ``geo places`` is given.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from geo.articles import Article
from geo.places import EXTRA_FIELDS, FIELDS
from geo.safe_text import csv_row, csv_rows, for_terminal

FORMATS = ("table", "json", "geojson", "csv")


@dataclass
class StreamedDocument:
    """A document whose places are still to come, batch by batch."""

    path: str
    article: Article
    batches: Iterable[list[dict]]


def format_table(rows: list[dict], columns: list[str]) -> str:
    """An aligned plain-text table; None shows as '-'."""

    def cell(v: object) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.4f}" if abs(v) < 1 else f"{v:.2f}"
        if isinstance(v, list):
            return ",".join(str(x) for x in v) or "-"
        return for_terminal(v, one_line=True)

    table = [columns] + [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    return "\n".join(lines) + "\n"


def _place(p: dict) -> dict:
    return {k: p[k] for k in FIELDS + EXTRA_FIELDS if k in p}


def _claims(d: StreamedDocument, batch: list[dict]) -> list[dict]:
    """The claims read from the sentences of one batch of places (``geo.claims``)."""
    from geo.claims import claims_for

    a = d.article
    return claims_for(a.text, batch, a.date, a.body_start)


def _json(docs: Iterable[StreamedDocument], out: TextIO) -> None:
    out.write('{"documents": [')
    for n, d in enumerate(docs):
        head = {"path": d.path, "title": d.article.title, "date": d.article.date}
        out.write(("," if n else "") + "\n  " + json.dumps(head, ensure_ascii=False)[:-1])
        out.write(', "places": [')
        first = True
        claims: list[dict] = []
        for batch in d.batches:
            for p in batch:
                out.write(
                    ("" if first else ",") + "\n    " + json.dumps(_place(p), ensure_ascii=False)
                )
                first = False
            claims.extend(_claims(d, batch))
        out.write("\n  ]" if not first else "]")
        rows = [json.dumps(c, ensure_ascii=False) for c in claims]
        out.write(
            ', "claims": [' + ",".join("\n    " + r for r in rows) + ("\n  ]}" if rows else "]}")
        )
    out.write("\n]}\n")


def _claim_rows(docs: Iterable[StreamedDocument]) -> Iterator[dict]:
    for d in docs:
        for batch in d.batches:
            for c in _claims(d, batch):
                yield {"path": d.path, **c}


def _claims_geojson(docs: Iterable[StreamedDocument], out: TextIO) -> None:
    out.write('{"type": "FeatureCollection", "features": [')
    for n, c in enumerate(_claim_rows(docs)):
        geom = (
            {"type": "Point", "coordinates": [c["lon"], c["lat"]]} if c["lat"] is not None else None
        )
        feature = {"type": "Feature", "geometry": geom, "properties": {"layer": "claims", **c}}
        out.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False))
    out.write("\n]}\n")


def _claims_csv(docs: Iterable[StreamedDocument], out: TextIO) -> None:
    from geo.claims import FIELDS as CLAIM_FIELDS

    writer = csv.DictWriter(out, fieldnames=["path", *CLAIM_FIELDS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(_claim_rows(docs)))


def _claims_table(docs: Iterable[StreamedDocument], out: TextIO) -> None:
    cols = ["path", "kind", "actor_text", "mention", "date", "negated", "hedged", "theatre_check"]
    out.write(format_table(list(_claim_rows(docs)), cols))


def _geojson(docs: Iterable[StreamedDocument], out: TextIO) -> None:
    out.write('{"type": "FeatureCollection", "features": [')
    first = True
    for d in docs:
        for batch in d.batches:
            for p in batch:
                props = _place(p) | {"path": d.path}
                geom = (
                    {"type": "Point", "coordinates": [p["lon"], p["lat"]]}
                    if p.get("lat") is not None
                    else None
                )
                feature = {"type": "Feature", "geometry": geom, "properties": props}
                out.write(("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False))
                first = False
    out.write("\n]}\n")


def _csv(docs: Iterable[StreamedDocument], out: TextIO) -> None:
    cols = ["path", *FIELDS, *EXTRA_FIELDS]
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for d in docs:
        for batch in d.batches:
            for p in batch:
                row = {k: p.get(k) for k in cols}
                for k in EXTRA_FIELDS:
                    value = row.get(k)
                    if isinstance(value, list):
                        row[k] = ";".join(value)
                row["path"] = d.path
                writer.writerow(csv_row(row))


def _table(docs: Iterable[StreamedDocument], out: TextIO) -> None:
    cols = ["start", "mention", "name", "kind", "country", "lat", "lon", "score", "id"]
    for n, d in enumerate(docs):
        head = d.path + (f" — {d.article.title}" if d.article.title else "")
        head += f" ({d.article.date})" if d.article.date else ""
        out.write(("\n" if n else "") + for_terminal(head, one_line=True) + "\n")
        for batch in d.batches:
            extra = [k for k in EXTRA_FIELDS if any(k in p for p in batch)]
            out.write(format_table(batch, cols + extra))


LAYERS = ("places", "claims")


def write_documents(
    docs: Iterable[StreamedDocument], fmt: str, out: TextIO, layer: str = "places"
) -> None:
    """Write the documents to ``out`` in ``fmt`` as their places arrive; JSON carries both
    places and claims, the other formats the one ``layer`` asked for."""
    if layer == "claims" and fmt != "json":
        {"geojson": _claims_geojson, "csv": _claims_csv, "table": _claims_table}[fmt](docs, out)
        return
    {"json": _json, "geojson": _geojson, "csv": _csv, "table": _table}[fmt](docs, out)
