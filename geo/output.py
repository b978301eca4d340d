"""Turn geoparsed documents into the CLI's output formats (table, JSON, GeoJSON, CSV)."""

from __future__ import annotations

import csv
import io
import json

from geo.places import EXTRA_FIELDS, FIELDS, Document


def format_table(rows: list[dict], columns: list[str]) -> str:
    """An aligned plain-text table; None shows as '-'."""

    def cell(v: object) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.4f}" if abs(v) < 1 else f"{v:.2f}"
        if isinstance(v, list):
            return ",".join(str(x) for x in v) or "-"
        return str(v).replace("\n", " ")

    table = [columns] + [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    return "\n".join(lines) + "\n"


def _json(docs: list[Document]) -> str:
    return (
        json.dumps({"documents": [d.as_dict() for d in docs]}, ensure_ascii=False, indent=2) + "\n"
    )


def _geojson(docs: list[Document]) -> str:
    features = []
    for d in docs:
        for p in d.places:
            props = {k: p.get(k) for k in FIELDS + EXTRA_FIELDS if k in p}
            props["path"] = d.path
            geom = (
                {"type": "Point", "coordinates": [p["lon"], p["lat"]]}
                if p.get("lat") is not None
                else None
            )
            features.append({"type": "Feature", "geometry": geom, "properties": props})
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"
    )


def _csv(docs: list[Document]) -> str:
    buf = io.StringIO()
    cols = ["path", *FIELDS, *EXTRA_FIELDS]
    writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for d in docs:
        for p in d.places:
            row = {k: p.get(k) for k in cols}
            for k in EXTRA_FIELDS:
                if isinstance(row.get(k), list):
                    row[k] = ";".join(row[k])
            row["path"] = d.path
            writer.writerow(row)
    return buf.getvalue()


def _table(docs: list[Document]) -> str:
    parts = []
    cols = ["start", "mention", "name", "kind", "country", "lat", "lon", "score", "id"]
    cols += [k for k in EXTRA_FIELDS if any(k in p for d in docs for p in d.places)]
    for d in docs:
        head = d.path + (f" — {d.article.title}" if d.article.title else "")
        head += f" ({d.article.date})" if d.article.date else ""
        parts.append(head + "\n" + format_table(d.places, cols))
    return "\n".join(parts)


def render_documents(docs: list[Document], fmt: str) -> str:
    """The documents in one of the formats ``table``, ``json``, ``geojson``, ``csv``."""
    return {"json": _json, "geojson": _geojson, "csv": _csv, "table": _table}[fmt](docs)
