"""The geoparsing pipeline's front door: article -> resolved place mentions.

``places_from_text`` and ``places_from_file`` return plain records (the JSON contract of
``geo places``); ``places_frame`` turns them into a GeoDataFrame for library use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.articles import Article, Sentences, article_from_text, load_article
from geo.gazetteer.index import open_index
from geo.recognize import find_mentions, text_windows
from geo.resolve import resolve_mentions

FIELDS = (
    "mention",
    "start",
    "end",
    "sentence",
    "name",
    "lat",
    "lon",
    "country",
    "kind",
    "id",
    "score",
    "role",
    "review",
)


@dataclass
class Document:
    """An article and the places it mentions, in text order."""

    path: str
    article: Article
    places: list[Any] = field(default_factory=list)  # dicts (build_places.gather: joined rows)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "title": self.article.title,
            "date": self.article.date,
            "places": [{k: p[k] for k in FIELDS + EXTRA_FIELDS if k in p} for p in self.places],
        }


# Fields added by later stages (theatre joins) that the JSON output carries when present.
EXTRA_FIELDS = ("control", "control_status", "control_as_of", "backers", "routes")


def _resolve_online(records: list[dict], geocoder: str) -> list[dict]:
    from geo.geocoders import get_geocoder

    coder = get_geocoder(geocoder)
    cache: dict[str, object] = {}
    for rec in records:
        key = rec["name"] if rec["kind"] == "country" else rec["mention"]
        if key not in cache:
            cache[key] = coder.geocode(key, exactly_one=True)
        loc: Any = cache[key]
        # A fallback answer has no document context: the offline resolution is better.
        if loc is not None and not (getattr(loc, "raw", {}) or {}).get("fallback_from"):
            raw = getattr(loc, "raw", {}) or {}
            rec.update(
                lat=round(loc.latitude, 5),
                lon=round(loc.longitude, 5),
                id=raw.get("id", rec["id"]),
                country=raw.get("country", rec["country"]),
                name=raw.get("name", rec["name"]),
            )
    return records


# Mentions are resolved together within a window of this many characters. An article is far
# shorter; a 50 MB file is a corpus, and windows keep its memory bounded (a window of names
# and nothing else holds about 1.5 KB of records per mention until it is written).
CONTEXT_WINDOW = 200_000
# ... and at most this many of a window's mentions at a time. Resolving holds about 4.5 KB a
# mention while it works (every candidate of every name and their scores): 20,000 different
# towns in one window took 97 MB above the rest of a run, 2,000 take 28 MB. An article names
# far fewer places; a text of nothing but names is resolved in runs of this many.
RESOLVE_AT_ONCE = 2_000


def _alternatives(r) -> list[dict]:
    return [
        {
            "name": a.name,
            "id": a.id,
            "country": a.country,
            "kind": a.kind,
            "lat": round(a.lat, 5),
            "lon": round(a.lon, 5),
            "score": s,
        }
        for a, s in r.alternatives
    ]


def _record(r, sentences: Sentences, shared: dict[tuple, list[dict]]) -> dict:
    """A mention's record. Its runners-up are one list for every mention with the same ones
    (``shared``): a text naming a few towns thousands of times held a copy per mention."""
    e, m = r.entry, r.mention
    asked = tuple((a.id, s) for a, s in r.alternatives)
    if asked not in shared:
        shared[asked] = _alternatives(r)
    return {
        "mention": m.text,
        "start": m.start,
        "end": m.end,
        "sentence": sentences.around(m.start, m.end),
        "name": e.name if e else None,
        "lat": round(e.lat, 5) if e else None,
        "lon": round(e.lon, 5) if e else None,
        "country": e.country if e else None,
        "kind": (m.feature or e.kind) if e else "unknown",
        "id": e.id if e else None,
        "score": r.score,
        "demonym": m.demonym,
        "role": m.role,
        "review": r.review,
        "alternatives": shared[asked],
    }


def iter_place_batches(article: Article, geocoder: str = "gazetteer") -> Iterator[list[dict]]:
    """The article's place records, one list per context window (or per run of
    ``RESOLVE_AT_ONCE`` mentions in it), in text order."""
    index = open_index()
    text = article.text
    for start, end in text_windows(text, article.body_start, len(text), CONTEXT_WINDOW):
        mentions = find_mentions(index, article.text, start, end)
        if not mentions:
            continue
        sentences = Sentences(article.text, start, end)
        shared: dict[tuple, list[dict]] = {}
        for at in range(0, len(mentions), RESOLVE_AT_ONCE):
            run = resolve_mentions(mentions[at : at + RESOLVE_AT_ONCE], text=text)
            records = [_record(r, sentences, shared) for r in run]
            del run
            if geocoder != "gazetteer":
                records = _resolve_online(records, geocoder)
            if records:
                yield records


def _join_once_per_place(batch: list[dict], date: str | None) -> list[dict]:
    """Join each distinct place once: an article names Tripoli many times, a long file
    thousands of times, and the theatre joins are the costly part."""
    from geo.join import RECORD_FIELDS, enrich_records

    keys = [(r["id"], r["lat"], r["lon"], r["kind"]) for r in batch]
    first: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    joined = enrich_records([batch[i] for i in first.values()], date)
    by_key = dict(zip(first, joined, strict=True))
    return [
        rec | {k: by_key[key].get(k) for k in RECORD_FIELDS}
        for rec, key in zip(batch, keys, strict=True)
    ]


def joined_batches(article: Article, geocoder: str = "gazetteer") -> Iterable[list[dict]]:
    """The article's place records joined with the theatres at its date, batch by batch.

    An article that fits in one context window is geoparsed whole before this returns, so an
    error in it surfaces before any of it is written; a longer file streams its windows.
    """
    batches = (_join_once_per_place(b, article.date) for b in iter_place_batches(article, geocoder))
    return list(batches) if len(article.text) < CONTEXT_WINDOW else batches


def places_from_article(article: Article, geocoder: str = "gazetteer") -> Document:
    """Recognise and resolve the places of one article (the body, not its front matter)."""
    records = [rec for batch in iter_place_batches(article, geocoder) for rec in batch]
    return Document(article.path, article, records)


def places_from_text(text: str, geocoder: str = "gazetteer") -> Document:
    """Geoparse a string (front matter allowed)."""
    return places_from_article(article_from_text(text), geocoder)


def places_from_file(path: str | Path, geocoder: str = "gazetteer") -> Document:
    """Geoparse one article file; bad files raise ``InputError`` with a one-line reason."""
    return places_from_article(load_article(path), geocoder)


def places_frame(doc: Document):
    """The document's places as a GeoDataFrame (EPSG:4326); unresolved rows have no geometry."""
    import geopandas as gpd
    from shapely.geometry import Point

    rows = [dict(p) for p in doc.places]
    geoms = [Point(p["lon"], p["lat"]) if p["lat"] is not None else None for p in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
