"""``maritime.yaml``: sea zones and lines, each item checked (keys, sources, dates, one of
geometry or derive) and its GeoJSON geometry validated as lon/lat WGS84."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import shapely
from shapely.geometry import shape

from geo.errors import TheatreDataError
from geo.theatres._csv import _ISO2, _SLUG, _fail
from geo.theatres._yaml import _key_line, _read_yaml
from geo.vocab import CERTAINTY

MARITIME_KEYS = (
    "id",
    "name",
    "kind",
    "certainty",
    "source",
    "valid_from",
    "valid_to",
    "note",
    "geometry",
    "clip_to_sea",
    "exclude",
    "derive",
)


# GeoJSON is lon/lat WGS84 (RFC 7946); an old-style "crs" member may only say so.
WGS84_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "EPSG:4326",
        "CRS84",
        "OGC:CRS84",
    }
)


def _maritime(path: Path, sources: set[str]) -> list[dict]:
    """The items of ``maritime.yaml``, checked; excluded ids must name other items."""
    node, data = _read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise _fail(path, 1, None, "must be a list of items")
    items = []
    seen: set[str] = set()
    for i, item in enumerate(data):
        item_node = node.value[i]
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            raise _fail(path, line, None, "each item must be a mapping")

        def fail(key: str, problem: str, item_node=item_node, line=line) -> TheatreDataError:
            return _fail(path, _key_line(item_node, key) or line, key, problem)

        _check_item(item, fail, seen, sources)
        seen.add(item["id"])
        out = dict(item, line=line)
        if "geometry" in item:
            out["geometry"] = _geometry(item["geometry"], lambda problem: fail("geometry", problem))
        else:
            _check_derive(item["derive"], fail)
        items.append(out)
    for out in items:
        for ref in out.get("exclude", []) or []:
            if ref not in seen:
                raise _fail(path, out["line"], "exclude", f"unknown maritime item {ref!r}")
    return items


Fail = Callable[[str, str], TheatreDataError]


def _check_item(item: dict, fail: Fail, seen: set[str], sources: set[str]) -> None:
    """One item's keys, id, certainty and sources, then its options."""
    for key in item:
        if key not in MARITIME_KEYS:
            # a "crs" key among them: coordinates are lon/lat WGS84, there is no other CRS
            raise fail(str(key), f"unknown key (expected {', '.join(MARITIME_KEYS)})")
    for key in ("id", "name", "kind", "certainty", "source"):
        if not item.get(key):
            raise fail(key, "is missing or empty")
    if not _SLUG.match(str(item["id"])):
        raise fail("id", f"{item['id']!r} is not a lowercase slug")
    if item["id"] in seen:
        raise fail("id", f"duplicate id {item['id']!r}")
    if item["certainty"] not in CERTAINTY:
        raise fail("certainty", f"{item['certainty']!r} is not one of {', '.join(CERTAINTY)}")
    for sid in str(item["source"]).split(";"):
        if sid.strip() not in sources:
            raise fail("source", f"unknown source {sid.strip()!r}")
    _check_options(item, fail)


def _check_options(item: dict, fail: Fail) -> None:
    """Validity dates, excluded items, clipping, and one of geometry or derive."""
    for key in ("valid_from", "valid_to"):
        value = item.get(key)
        # a datetime is a date too, but does not compare with one
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise fail(key, f"{str(value)!r} is not a date (YYYY-MM-DD)")
    exclude = item.get("exclude")
    if exclude is not None and (
        not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude)
    ):
        raise fail("exclude", "must be a list of maritime item ids")
    if not isinstance(item.get("clip_to_sea", False), bool):
        raise fail("clip_to_sea", "must be true or false")
    if item.get("valid_from") and item.get("valid_to") and item["valid_to"] < item["valid_from"]:
        raise fail("valid_to", "is before valid_from")
    if ("geometry" in item) == ("derive" in item):
        raise fail("geometry", "give exactly one of geometry or derive")


def _check_derive(derive: object, fail: Fail) -> None:
    """A derived zone: the coastline of a country buffered by a distance in nautical miles."""
    if not isinstance(derive, dict) or derive.get("method") != "coastline-buffer":
        raise fail("derive", "only method: coastline-buffer is known")
    if not _ISO2.match(str(derive.get("country", ""))):
        raise fail("derive", "country must be an ISO 3166 alpha-2 code")
    if not isinstance(derive.get("distance_nm"), int | float):
        raise fail("derive", "distance_nm must be a number")


def _geometry(value: object, fail: Callable[[str], TheatreDataError]):
    """A valid lon/lat shape from a GeoJSON geometry mapping; anything else fails."""
    if isinstance(value, str):
        raise fail("is text (WKT?); give a GeoJSON mapping with type and coordinates")
    if not isinstance(value, dict):
        raise fail("must be a GeoJSON mapping with type and coordinates")
    crs = value.get("crs")
    if crs is not None:
        name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
        if not isinstance(name, str) or name not in WGS84_NAMES:
            raise fail(f"unknown CRS {name or crs!r}: coordinates must be lon/lat WGS84 (RFC 7946)")
    try:
        geom = shape(value)
    except Exception as exc:  # shapely raises many kinds on malformed coordinates
        raise fail(f"is not valid GeoJSON ({exc})") from None
    if geom.is_empty:
        raise fail("is empty")
    if not geom.is_valid:
        raise fail(f"is not valid GeoJSON ({shapely.is_valid_reason(geom)})")
    west, south, east, north = geom.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise fail(
            f"bounds {tuple(round(b, 4) for b in geom.bounds)} are not lon/lat: coordinates "
            "must be WGS84 degrees (RFC 7946), not a projected CRS"
        )
    return geom
