"""Nominatim's records mapped onto the gazetteer's shape (kind, country, id, population).

Kept apart from the client (``geo.geocoders.online``): this is data in, data out, with no
network, so the mapping is read and tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geopy.location import Location
from geopy.point import Point

SERVICE = "nominatim"

ATTRIBUTION = (
    "Geocoding data © OpenStreetMap contributors, available under the Open Database License "
    "(ODbL) 1.0: https://www.openstreetmap.org/copyright"
)


# Nominatim's (class, type) and addresstype mapped onto the gazetteer's feature kinds.
_KIND_BY_ADDRESSTYPE = {
    "country": "country",
    "state": "region",
    "province": "region",
    "region": "region",
    "state_district": "region",
    "county": "region",
    "district": "region",
    "city": "city",
    "town": "city",
    "village": "city",
    "hamlet": "city",
    "municipality": "city",
    "continent": "continent",
    "island": "island",
    "islet": "island",
    "archipelago": "island",
}
_KIND_BY_CLASS_TYPE = {
    ("place", "country"): "country",
    ("place", "continent"): "continent",
    ("place", "ocean"): "sea",
    ("place", "sea"): "sea",
    ("natural", "sea"): "sea",
    ("natural", "bay"): "sea",
    ("natural", "strait"): "sea",
    ("natural", "water"): "water",
    ("natural", "desert"): "region",
    ("natural", "peak"): "mountain",
    ("natural", "mountain_range"): "mountain",
    ("natural", "island"): "island",
    ("place", "island"): "island",
    ("place", "islet"): "island",
    ("place", "archipelago"): "island",
    ("place", "state"): "region",
    ("place", "province"): "region",
    ("place", "region"): "region",
    ("place", "county"): "region",
    ("place", "city"): "city",
    ("place", "town"): "city",
    ("place", "village"): "city",
    ("place", "hamlet"): "city",
    ("place", "suburb"): "district",
    ("place", "quarter"): "district",
    ("place", "neighbourhood"): "district",
    ("aeroway", "aerodrome"): "airport",
    ("aeroway", "airport"): "airport",
    ("military", "airfield"): "airport",
    ("landuse", "harbour"): "port",
    ("landuse", "port"): "port",
    ("industrial", "port"): "port",
    ("harbour", "yes"): "port",
    ("waterway", "river"): "river",
}


def kind_from_nominatim(record: Mapping[str, Any]) -> str:
    """The gazetteer-style kind of a Nominatim record (city, country, region, sea, ...).

    Boundaries are typed by ``addresstype`` (Nominatim's own reading of the admin level);
    other features by ``class``/``type``. Anything unmapped is ``"other"``.
    """
    cls = str(record.get("class") or record.get("category") or "")
    typ = str(record.get("type") or "")
    addresstype = str(record.get("addresstype") or "")
    if (cls, typ) in _KIND_BY_CLASS_TYPE and cls != "boundary":
        return _KIND_BY_CLASS_TYPE[(cls, typ)]
    if addresstype in _KIND_BY_ADDRESSTYPE:
        return _KIND_BY_ADDRESSTYPE[addresstype]
    if cls == "boundary" and typ == "administrative":
        return "region"
    if cls == "place":
        return "city" if typ in ("locality", "borough") else "other"
    return "other"


def location_from_nominatim(record: Mapping[str, Any]) -> Location:
    """A gazetteer-shaped ``Location`` from one Nominatim record (format=json).

    Raises ``ValueError``/``KeyError``/``TypeError`` on a record without usable coordinates,
    which callers treat as a malformed answer.
    """
    if not isinstance(record, Mapping):
        raise TypeError(f"record is a {type(record).__name__}, not an object")
    lat, lon = float(record["lat"]), float(record["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for NaN
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    point = Point(lat, lon)
    display = str(record.get("display_name") or "")
    name = str(record.get("name") or display.split(",")[0]).strip()
    address = record.get("address")
    code = address.get("country_code") if isinstance(address, Mapping) else None
    country = code.upper() if isinstance(code, str) and len(code) == 2 and code.isalpha() else None
    osm_type, osm_id = record.get("osm_type"), record.get("osm_id")
    if osm_type and osm_id is not None:
        ident: str | None = f"osm:{osm_type}:{osm_id}"
    elif record.get("place_id") is not None:
        ident = f"nominatim:{record['place_id']}"
    else:
        ident = None
    tags = record.get("extratags")
    population = _int_or_none(tags.get("population")) if isinstance(tags, Mapping) else None
    raw = {
        "id": ident,
        "name": name or display,
        "kind": kind_from_nominatim(record),
        "country": country,
        "population": population,
        "score": _float_or_none(record.get("importance")),
        "source": SERVICE,
        "attribution": ATTRIBUTION,
        SERVICE: dict(record),
    }
    return Location(display or name, point, raw)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(str(value).replace(",", "").replace(" ", ""))
    except (TypeError, ValueError):
        return None


def _float_or_none(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
