"""Read and validate one theatre folder; every problem is one TheatreDataError naming file, line
and field, so a user who adds a theatre learns exactly which cell to fix.

A theatre folder holds plain files (see docs/theatres.md): ``theatre.yaml``, ``sources.csv``,
``actors.csv``, ``places.csv``, ``control.csv`` and optionally ``backers.csv``, ``events.csv``,
``routes.csv``, ``waypoints.csv``, ``figures.csv`` and ``maritime.yaml``. Towns are stored by
name and resolved through the gazetteer, so a typo fails here rather than landing in the sea.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from shapely.geometry import MultiPoint, Point, shape

from geo.dates import parse_day
from geo.errors import GeoError, TheatreDataError

THEATRES_DIR = Path(__file__).resolve().parent

CERTAINTY = ("reported", "uncertain", "disputed", "approximate")
STATUS = ("controlled", "contested", "besieged")
ROLES = ("origin", "transit", "departure", "destination")
MODES = ("land", "sea", "air")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Resolved:
    """A gazetteer answer for a theatre place name."""

    id: str
    lat: float
    lon: float
    kind: str | None = None


Resolver = Callable[[str, str | None], "Resolved | None"]


@lru_cache(maxsize=1)
def _index():
    from geo.gazetteer.index import open_index

    return open_index()


# Kinds that name an area, not a site: a theatre place is a point, so a town wins over the
# district or region of the same name (Murzuq town, not Murzuq district).
AREA_KINDS = frozenset(
    {
        "continent",
        "country",
        "region",
        "subregion",
        "admin1",
        "admin2",
        "sea",
        "ocean",
        "gulf",
        "strait",
        "desert",
        "peninsula",
    }
)


def resolve_name(name: str, country: str | None = None) -> Resolved | None:
    """The gazetteer's best site for ``name`` in ``country``, or None when it knows none."""
    hits = _index().lookup(name, country=country, limit=20)
    if not hits:
        return None
    sites = [e for e in hits if e.kind not in AREA_KINDS]
    e = (sites or hits)[0]
    return Resolved(id=e.id, lat=float(e.lat), lon=float(e.lon), kind=getattr(e, "kind", None))


# -- one column's rule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """How one CSV column is checked and converted."""

    name: str
    kind: str = "str"  # str, slug, ids, date, float, int, iso2, colour, enum
    required: bool = True
    choices: tuple[str, ...] = ()


SCHEMAS: dict[str, tuple[Col, ...]] = {
    "sources.csv": (
        Col("id", "str"),
        Col("title"),
        Col("url", required=False),
        Col("more_urls", required=False),
    ),
    "actors.csv": (
        Col("id", "slug"),
        Col("name"),
        Col("side", "slug", required=False),
        Col("kind", "slug"),
        Col("colour", "colour"),
        Col("seat", "slug", required=False),
        Col("leaders", required=False),
        Col("country", "iso2", required=False),
        Col("source", "ids"),
        Col("note", required=False),
        Col("aliases", required=False),  # ;-separated names the news uses ("army", "RSF")
    ),
    "places.csv": (
        Col("id", "slug"),
        Col("name"),
        Col("lookup", required=False),
        Col("country", "iso2", required=False),
        Col("kind", "slug"),
        Col("lat", "float", required=False),
        Col("lon", "float", required=False),
        Col("certainty", "enum", choices=CERTAINTY),
        Col("source", "ids"),
        Col("note", required=False),
    ),
    "control.csv": (
        Col("date", "date"),
        Col("place", "slug"),
        Col("actor", "slug"),
        Col("status", "enum", choices=STATUS),
        Col("certainty", "enum", choices=CERTAINTY),
        Col("source", "ids"),
        Col("note", required=False),
    ),
    "backers.csv": (
        Col("backer", "slug"),
        Col("backs", "slug"),
        Col("support"),
        Col("start", "date"),
        Col("end", "date", required=False),
        Col("bases", "ids", required=False),
        Col("certainty", "enum", choices=CERTAINTY),
        Col("source", "ids"),
        Col("note", required=False),
    ),
    "events.csv": (
        Col("id", "slug"),
        Col("date", "date"),
        Col("end", "date", required=False),
        Col("title"),
        Col("places", "ids"),
        Col("actors", "ids", required=False),
        Col("kind", "slug"),
        Col("certainty", "enum", choices=CERTAINTY),
        Col("source", "ids"),
        Col("note", required=False),
        Col("fatalities", "int", required=False),
    ),
    "routes.csv": (
        Col("id", "slug"),
        Col("name"),
        Col("kind", "slug"),
        Col("certainty", "enum", choices=CERTAINTY),
        Col("source", "ids"),
        Col("note", required=False),
    ),
    "waypoints.csv": (
        Col("route", "slug"),
        Col("order", "int"),
        Col("place", "slug"),
        Col("role", "enum", choices=ROLES),
        Col("mode", "enum", required=False, choices=MODES),
        Col("certainty", "enum", choices=CERTAINTY),
        Col("source", "ids"),
        Col("note", required=False),
    ),
    "figures.csv": (
        Col("id", "slug"),
        Col("routes", "ids"),
        Col("indicator"),
        Col("value", "float"),
        Col("unit"),
        Col("year", "int"),
        Col("certainty", "enum", choices=CERTAINTY),
        Col("source", "ids"),
        Col("note", required=False),
    ),
}
REQUIRED_FILES = ("theatre.yaml", "sources.csv", "actors.csv", "places.csv", "control.csv")
THEATRE_KEYS = ("id", "name", "countries", "description")
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


@dataclass(eq=False)  # compared and hashed by identity: derived layers are cached per object
class Theatre:
    """One theatre's validated tables; geometry is EPSG:4326 lon/lat."""

    id: str
    name: str
    countries: tuple[str, ...]
    path: Path
    description: str = ""
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    actors: pd.DataFrame = field(default_factory=pd.DataFrame)
    places: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    control: pd.DataFrame = field(default_factory=pd.DataFrame)
    backers: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    routes: pd.DataFrame = field(default_factory=pd.DataFrame)
    waypoints: pd.DataFrame = field(default_factory=pd.DataFrame)
    figures: pd.DataFrame = field(default_factory=pd.DataFrame)
    maritime: list[dict] = field(default_factory=list)

    @property
    def dates(self) -> list[dt.date]:
        """The dates control is recorded for, ascending."""
        return sorted(set(self.control["date"])) if len(self.control) else []


# -- reading -------------------------------------------------------------------------------------


class _Row(dict):
    """A parsed CSV row that remembers its line number."""

    line: int = 0


def _fail(path: Path, line: int | None, fld: str | None, problem: str) -> TheatreDataError:
    """The one error of a load: ``file:line: field 'name': problem``, always on one line."""
    where = f"{path}:{line}" if line else str(path)
    # repr() shows a hostile column name (newline, BOM, NUL) instead of printing it raw.
    what = f" field {fld!r}:" if fld is not None else ""
    return TheatreDataError(" ".join(f"{where}:{what} {problem}".splitlines()))


def _convert(path: Path, line: int, col: Col, raw: str):
    value = raw.strip()
    if value == "":
        if col.required:
            raise _fail(path, line, col.name, "is empty but required")
        return [] if col.kind == "ids" else None
    if col.kind == "slug" and not _SLUG.match(value):
        raise _fail(path, line, col.name, f"{value!r} is not a lowercase slug (a-z, 0-9, dashes)")
    if col.kind == "iso2" and not _ISO2.match(value):
        raise _fail(path, line, col.name, f"{value!r} is not an ISO 3166 alpha-2 code")
    if col.kind == "colour" and not _COLOUR.match(value):
        raise _fail(path, line, col.name, f"{value!r} is not a colour like #1a2b3c")
    if col.kind == "enum" and value not in col.choices:
        raise _fail(path, line, col.name, f"{value!r} is not one of {', '.join(col.choices)}")
    if col.kind == "date":
        try:
            return parse_day(value, time=False)
        except ValueError:
            raise _fail(path, line, col.name, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if col.kind in ("float", "int"):
        try:
            number = int(value) if col.kind == "int" else float(value)
        except ValueError:
            what = "an int" if col.kind == "int" else "a float"
            raise _fail(path, line, col.name, f"{value!r} is not {what} number") from None
        if not math.isfinite(number):  # nan and inf parse as floats but mean nothing here
            raise _fail(path, line, col.name, f"{value!r} is not a finite number")
        return number
    if col.kind == "ids":
        parts = [p.strip() for p in value.split(";")]
        if any(p == "" for p in parts):
            raise _fail(path, line, col.name, f"{value!r} has an empty item (use 'a;b')")
        return parts
    return value


def read_csv(path: Path, schema: tuple[Col, ...]) -> list[_Row]:
    """Rows of one CSV checked against ``schema``; the first problem raises TheatreDataError.

    Line numbers are where a record starts (a quoted field may span lines).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, None, None, f"cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")  # tolerate the BOM spreadsheets write
    except UnicodeDecodeError as exc:
        line, fld = _byte_position(data, exc.start)
        raise _fail(
            path, line, fld, f"is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[_Row] = []
    line = 1
    header: list[str] = []
    try:
        first = next(reader, None)
        if first is None:
            raise _fail(path, 1, None, "is empty (a header line is required)")
        header = [h.strip() for h in first]
        known = {c.name for c in schema}
        for i, h in enumerate(header):
            if h not in known:
                raise _fail(path, 1, h, f"unknown column (expected {', '.join(sorted(known))})")
            if h in header[:i]:
                raise _fail(path, 1, h, "column given twice")
        for c in schema:
            if c.name not in header and c.required:
                raise _fail(path, 1, c.name, "required column is missing from the header")
        while True:
            line = reader.line_num + 1
            values = next(reader, None)
            if values is None:
                break
            if not values or all(v.strip() == "" for v in values):
                continue
            if len(values) != len(header):
                # Name the first column without a value, or the last one when there are extras
                # (most often an unquoted comma).
                fld = header[len(values)] if len(values) < len(header) else header[-1]
                hint = "" if len(values) < len(header) else "; quote fields that hold commas"
                raise _fail(
                    path, line, fld, f"has {len(values)} fields, the header has {len(header)}{hint}"
                )
            raw = dict(zip(header, values, strict=True))
            row = _Row()
            row.line = line
            for c in schema:
                row[c.name] = _convert(path, line, c, raw.get(c.name, ""))
            rows.append(row)
    except csv.Error as exc:
        fld, quoting = _csv_trouble(text, line, header)
        what = "bad CSV quoting" if quoting else "is not valid CSV"
        raise _fail(path, line, fld, f"{what} ({exc})") from None
    return rows


def _byte_position(data: bytes, offset: int) -> tuple[int, str | None]:
    """The 1-based line of byte ``offset`` and, on a data line, the column it falls in."""
    line = data.count(b"\n", 0, offset) + 1
    if line == 1:
        return line, None
    header = data.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip().split(",")
    start = data.rfind(b"\n", 0, offset) + 1
    column = data.count(b",", start, offset)  # quotes ignored: a hint, not a parse
    return line, header[column].strip() if column < len(header) else None


def _csv_trouble(text: str, line: int, header: list[str]) -> tuple[str | None, bool]:
    """The column where the csv module gave up on the record starting at ``line``, and whether
    a quote is to blame: a small state machine over the record's first line."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None, False
    raw, column, state, i, field_start = lines[line - 1], 0, "start", 0, 0
    limit = csv.field_size_limit()

    def name(col: int) -> str | None:
        return header[col] if col < len(header) else None

    while i < len(raw):
        ch = raw[i]
        if state == "quoted":
            if ch == '"':
                if raw[i + 1 : i + 2] == '"':
                    i += 1  # an escaped quote
                else:
                    state = "after"
        elif ch == ",":
            if i - field_start > limit:
                return name(column), False
            column, state, field_start = column + 1, "start", i + 1
        elif state == "after":
            return name(column), True  # text after a closing quote
        elif state == "start":
            state = "quoted" if ch == '"' else "plain"
        i += 1
    if state == "quoted":
        return name(column), True
    if i - field_start > limit:
        return name(column), False
    return None, False  # the trouble is not on this line


def _key_line(node, key: str) -> int | None:
    """The 1-based line of ``key`` in a YAML mapping node (None when absent)."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if getattr(k, "value", None) == key:
                return k.start_mark.line + 1
    return None


def _key_at(node, line: int) -> str | None:
    """The mapping key whose entry holds 1-based ``line`` (the innermost), for error messages."""
    found = None
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in pairs]
    for k, v in pairs:
        if k.start_mark.line + 1 <= line <= v.end_mark.line + 1:
            found = str(getattr(k, "value", "")) or None
    for child in children:
        if child.start_mark.line + 1 <= line <= child.end_mark.line + 1:
            found = _key_at(child, line) or found
    return found


def _read_yaml(path: Path):
    """The YAML document as a node tree (for line numbers) and as Python data."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, None, None, f"cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _fail(
            path, line, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    node = None
    try:
        node = yaml.compose(text)
        return node, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        fld = _key_at(node, line) if node is not None and line else None
        raise _fail(
            path, line, fld, f"is not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise plain errors for scalars that look typed but are not,
        # such as the timestamp 2019-13-45; find the scalar to name its line and key.
        line, fld = _bad_scalar(node)
        raise _fail(path, line, fld, f"is not valid YAML ({exc})") from None


def _bad_scalar(node) -> tuple[int | None, str | None]:
    """The line and key of the first scalar that PyYAML's safe constructor refuses."""
    loader = yaml.SafeLoader("")
    stack = [(node, None)]
    while stack:
        current, key = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                loader.construct_object(current, deep=True)
            except Exception:
                return current.start_mark.line + 1, key
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, key) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.append((v, str(getattr(k, "value", key))))
    return None, None


# -- cross-references ----------------------------------------------------------------------------


def _check_refs(
    path: Path, rows: Iterable[_Row], fld: str, known: Iterable[str], what: str
) -> None:
    known = set(known)
    for row in rows:
        value = row[fld]
        for v in value if isinstance(value, list) else [value]:
            if v is not None and v not in known:
                raise _fail(path, row.line, fld, f"unknown {what} {v!r}")


def _check_unique(path: Path, rows: Iterable[_Row], keys: tuple[str, ...], what: str) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key in seen:
            shown = " on ".join(str(k) for k in key[::-1]) if len(key) > 1 else str(key[0])
            raise _fail(
                path, row.line, keys[-1], f"{what} {shown} already given on line {seen[key]}"
            )
        seen[key] = row.line


def _places_frame(path: Path, rows: list[_Row], resolve: Resolver) -> gpd.GeoDataFrame:
    records = []
    for row in rows:
        lat, lon = row["lat"], row["lon"]
        if (lat is None) != (lon is None):
            raise _fail(path, row.line, "lon" if lon is None else "lat", "give both lat and lon")
        gid = None
        if lat is None:
            query = row["lookup"] or row["name"]
            try:
                hit = resolve(query, row["country"])
            except GeoError:
                raise
            except Exception as exc:  # a broken resolver must still name the row
                raise _fail(path, row.line, "name", f"gazetteer lookup failed ({exc})") from None
            if hit is None:
                raise _fail(
                    path,
                    row.line,
                    "lookup" if row["lookup"] else "name",
                    f"unknown place name {query!r} in {row['country'] or 'any country'} "
                    "(not in the gazetteer; fix the spelling, or give lat and lon with a source "
                    "for a site it lacks)",
                )
            lat, lon, gid = hit.lat, hit.lon, hit.id
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _fail(path, row.line, "lat", f"({lat}, {lon}) is not a WGS84 coordinate")
        records.append({**{k: v for k, v in row.items()}, "lat": lat, "lon": lon, "gazetteer": gid})
    frame = pd.DataFrame.from_records(records)
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    ).set_index("id", drop=False)


def _maritime(path: Path, sources: set[str]) -> list[dict]:
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
        seen.add(item["id"])
        if item["certainty"] not in CERTAINTY:
            raise fail("certainty", f"{item['certainty']!r} is not one of {', '.join(CERTAINTY)}")
        for sid in str(item["source"]).split(";"):
            if sid.strip() not in sources:
                raise fail("source", f"unknown source {sid.strip()!r}")
        for key in ("valid_from", "valid_to"):
            value = item.get(key)
            # a datetime is a date too, but does not compare with one
            if value is not None and (
                not isinstance(value, dt.date) or isinstance(value, dt.datetime)
            ):
                raise fail(key, f"{str(value)!r} is not a date (YYYY-MM-DD)")
        exclude = item.get("exclude")
        if exclude is not None and (
            not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude)
        ):
            raise fail("exclude", "must be a list of maritime item ids")
        if not isinstance(item.get("clip_to_sea", False), bool):
            raise fail("clip_to_sea", "must be true or false")
        if (
            item.get("valid_from")
            and item.get("valid_to")
            and item["valid_to"] < item["valid_from"]
        ):
            raise fail("valid_to", "is before valid_from")
        if ("geometry" in item) == ("derive" in item):
            raise fail("geometry", "give exactly one of geometry or derive")
        out = dict(item, line=line)
        if "geometry" in item:
            out["geometry"] = _geometry(item["geometry"], lambda problem: fail("geometry", problem))
        else:
            derive = item["derive"]
            if not isinstance(derive, dict) or derive.get("method") != "coastline-buffer":
                raise fail("derive", "only method: coastline-buffer is known")
            if not _ISO2.match(str(derive.get("country", ""))):
                raise fail("derive", "country must be an ISO 3166 alpha-2 code")
            if not isinstance(derive.get("distance_nm"), int | float):
                raise fail("derive", "distance_nm must be a number")
        items.append(out)
    for out in items:
        for ref in out.get("exclude", []) or []:
            if ref not in seen:
                raise _fail(path, out["line"], "exclude", f"unknown maritime item {ref!r}")
    return items


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


def load_theatre(folder: str | Path, resolver: Resolver | None = None) -> Theatre:
    """Read and validate a theatre folder; raise TheatreDataError on the first problem.

    ``resolver`` maps (name, country) to a Resolved point; the default asks the gazetteer.
    """
    folder = Path(folder)
    if not folder.is_dir():  # a theatre's name: the first root that has it
        named = [root / str(folder) for root in theatre_roots() if (root / str(folder)).is_dir()]
        folder = named[0] if named else folder
    if resolver is None:
        return _load_cached(str(folder.resolve()), _signature(folder))
    return _load(folder, resolver)


def _signature(folder: Path) -> tuple:
    """Names, sizes and times of a folder's files: a re-imported theatre is loaded afresh."""
    try:
        return tuple(
            (p.name, s.st_size, s.st_mtime_ns)
            for p in sorted(folder.iterdir())
            if p.is_file() and (s := p.stat())
        )
    except OSError:
        return ()


@lru_cache(maxsize=16)
def _load_cached(folder: str, signature: tuple = ()) -> Theatre:
    return _load(Path(folder), resolve_name)


def _load(folder: Path, resolve: Resolver) -> Theatre:
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise _fail(folder / name, None, None, "is missing (every theatre needs it)")
    meta_path = folder / "theatre.yaml"
    meta_node, meta = _read_yaml(meta_path)
    if not isinstance(meta, dict):
        raise _fail(meta_path, 1, None, "must be a mapping with id, name and countries")
    for key in meta:
        if key not in THEATRE_KEYS:
            raise _fail(
                meta_path,
                _key_line(meta_node, str(key)),
                str(key),
                f"unknown key (expected {', '.join(THEATRE_KEYS)})",
            )
    for key in ("name", "description"):
        if meta.get(key) is not None and not isinstance(meta[key], str | int | float):
            raise _fail(meta_path, _key_line(meta_node, key), key, "must be text")
    for key in ("id", "name", "countries"):
        if not meta.get(key):
            raise _fail(meta_path, _key_line(meta_node, key) or 1, key, "is missing or empty")
    if not _SLUG.match(str(meta["id"])):
        raise _fail(
            meta_path, _key_line(meta_node, "id"), "id", f"{meta['id']!r} is not a lowercase slug"
        )
    countries = meta["countries"]
    if not isinstance(countries, list) or not all(_ISO2.match(str(c)) for c in countries):
        raise _fail(
            meta_path,
            _key_line(meta_node, "countries"),
            "countries",
            "must be a list of ISO 3166 alpha-2 codes",
        )

    def table(name: str) -> list[_Row]:
        p = folder / name
        return read_csv(p, SCHEMAS[name]) if p.is_file() else []

    p = {name: folder / name for name in SCHEMAS}
    sources = table("sources.csv")
    _check_unique(p["sources.csv"], sources, ("id",), "source")
    source_ids = {r["id"] for r in sources}

    actors = table("actors.csv")
    _check_unique(p["actors.csv"], actors, ("id",), "actor")
    _check_refs(p["actors.csv"], actors, "source", source_ids, "source")
    actor_ids = {r["id"] for r in actors}

    places = table("places.csv")
    if not places:  # control zones, routes and events all hang on places
        raise _fail(p["places.csv"], 2, "id", "has no places (a theatre needs at least one)")
    _check_unique(p["places.csv"], places, ("id",), "place")
    _check_refs(p["places.csv"], places, "source", source_ids, "source")
    place_ids = {r["id"] for r in places}
    _check_refs(p["actors.csv"], actors, "seat", place_ids, "place")

    control = table("control.csv")
    _check_refs(p["control.csv"], control, "place", place_ids, "place")
    _check_refs(p["control.csv"], control, "actor", actor_ids, "actor")
    _check_refs(p["control.csv"], control, "source", source_ids, "source")
    _check_unique(p["control.csv"], control, ("date", "place"), "control of")
    place_country = {r["id"]: r["country"] for r in places}
    for r in control:  # zones are drawn inside the theatre's countries only
        if place_country[r["place"]] not in countries:
            raise _fail(
                p["control.csv"],
                r.line,
                "place",
                f"{r['place']!r} is in {place_country[r['place']] or 'no country'}, outside the "
                f"theatre's countries ({', '.join(countries)})",
            )

    backers = table("backers.csv")
    _check_refs(p["backers.csv"], backers, "backer", actor_ids, "actor")
    _check_refs(p["backers.csv"], backers, "backs", actor_ids, "actor")
    _check_refs(p["backers.csv"], backers, "bases", place_ids, "place")
    _check_refs(p["backers.csv"], backers, "source", source_ids, "source")
    for r in backers:
        if r["end"] is not None and r["end"] < r["start"]:
            raise _fail(p["backers.csv"], r.line, "end", "is before start")

    events = table("events.csv")
    _check_unique(p["events.csv"], events, ("id",), "event")
    _check_refs(p["events.csv"], events, "places", place_ids, "place")
    _check_refs(p["events.csv"], events, "actors", actor_ids, "actor")
    _check_refs(p["events.csv"], events, "source", source_ids, "source")

    routes = table("routes.csv")
    _check_unique(p["routes.csv"], routes, ("id",), "route")
    _check_refs(p["routes.csv"], routes, "source", source_ids, "source")
    waypoints = table("waypoints.csv")
    _check_refs(p["waypoints.csv"], waypoints, "route", {r["id"] for r in routes}, "route")
    _check_refs(p["waypoints.csv"], waypoints, "place", place_ids, "place")
    _check_refs(p["waypoints.csv"], waypoints, "source", source_ids, "source")
    _check_unique(p["waypoints.csv"], waypoints, ("route", "order"), "waypoint")
    for r in waypoints:
        first = r["order"] == min(w["order"] for w in waypoints if w["route"] == r["route"])
        if not first and r["mode"] is None:
            raise _fail(p["waypoints.csv"], r.line, "mode", "is empty (land, sea or air)")
    for r in routes:
        if sum(1 for w in waypoints if w["route"] == r["id"]) < 2:
            raise _fail(p["routes.csv"], r.line, "id", "a route needs at least two waypoints")

    figures = table("figures.csv")
    _check_unique(p["figures.csv"], figures, ("id",), "figure")
    _check_refs(p["figures.csv"], figures, "routes", {r["id"] for r in routes}, "route")
    _check_refs(p["figures.csv"], figures, "source", source_ids, "source")

    maritime = (
        _maritime(folder / "maritime.yaml", source_ids)
        if (folder / "maritime.yaml").is_file()
        else []
    )

    # Gazetteer look-ups last: every cheap check has passed by now.
    places_gdf = _places_frame(p["places.csv"], places, resolve)
    # Control cells are drawn around places: two places at one point on one date cannot both hold.
    at_point: dict[tuple, tuple[str, int]] = {}
    for r in control:
        g = places_gdf.geometry[r["place"]]
        key = (r["date"], round(g.x, 5), round(g.y, 5))
        if key in at_point and at_point[key][0] != r["place"]:
            other, other_line = at_point[key]
            raise _fail(
                p["control.csv"],
                r.line,
                "place",
                f"{r['place']!r} is at the same point as {other!r} (line {other_line}) on "
                f"{r['date']}; control needs distinct places",
            )
        at_point[key] = (r["place"], r.line)

    def frame(rows: list[_Row], schema: str) -> pd.DataFrame:
        cols = [c.name for c in SCHEMAS[schema]]
        return pd.DataFrame.from_records(
            [dict(r, line=r.line) for r in rows], columns=cols + ["line"]
        )

    ev = frame(events, "events.csv")
    ev_geom = [_multi([places_gdf.geometry[pid] for pid in ids]) for ids in ev["places"]]
    return Theatre(
        id=str(meta["id"]),
        name=str(meta["name"]),
        countries=tuple(str(c) for c in countries),
        path=folder,
        description=str(meta.get("description") or ""),
        sources=frame(sources, "sources.csv").set_index("id", drop=False),
        actors=frame(actors, "actors.csv").set_index("id", drop=False),
        places=places_gdf,
        control=frame(control, "control.csv"),
        backers=frame(backers, "backers.csv"),
        events=gpd.GeoDataFrame(ev, geometry=ev_geom, crs=4326),
        routes=frame(routes, "routes.csv").set_index("id", drop=False),
        waypoints=frame(waypoints, "waypoints.csv").sort_values(["route", "order"]),
        figures=frame(figures, "figures.csv"),
        maritime=maritime,
    )


def _multi(points: list[Point]):
    return points[0] if len(points) == 1 else MultiPoint(points)


def theatre_roots() -> list[Path]:
    """Where theatres are found: the bundled ones first, then the user's (``settings.THEATRES``)."""
    from geo import settings

    return [THEATRES_DIR, *settings.theatre_dirs()]


def theatre_folders(root: Path | None = None) -> list[Path]:
    """Every folder holding a theatre.yaml under ``root`` (default: every theatre root).

    A theatre id found twice keeps its first folder (bundled before user), so a user copy
    cannot silently replace curated data.
    """
    roots = [root] if root is not None else theatre_roots()
    seen: dict[str, Path] = {}
    for base in roots:
        for folder in sorted(p.parent for p in base.glob("*/theatre.yaml")):
            seen.setdefault(folder.name, folder)
    return list(seen.values())


def load_all(root: Path | None = None) -> list[Theatre]:
    """Every theatre (bundled and the user's), validated."""
    return [load_theatre(folder) for folder in theatre_folders(root)]
