"""Read and validate one theatre folder; every problem is one TheatreDataError naming file, line
and field, so a user who adds a theatre learns exactly which cell to fix.

A theatre folder holds plain files (see docs/theatres.md): ``theatre.yaml``, ``sources.csv``,
``actors.csv``, ``places.csv``, ``control.csv`` and optionally ``backers.csv``, ``events.csv``,
``routes.csv``, ``waypoints.csv``, ``figures.csv`` and ``maritime.yaml``. Towns are stored by
name and resolved through the gazetteer, so a typo fails here rather than landing in the sea.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely.geometry import MultiPoint, Point

from geo.errors import GeoError
from geo.theatres._csv import _ISO2, _SLUG, Col, _check_refs, _check_unique, _fail, _Row, read_csv
from geo.theatres._maritime import _maritime
from geo.theatres._yaml import _key_line, _read_yaml
from geo.vocab import AREA_KINDS, CERTAINTY, MODES, ROLES, STATUS

if TYPE_CHECKING:  # the tables are pandas; the join reads compiled states (geo.theatres.state)
    import geopandas as gpd
    import pandas as pd

THEATRES_DIR = Path(__file__).resolve().parent


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


def resolve_name(name: str, country: str | None = None) -> Resolved | None:
    """The gazetteer's best site for ``name`` in ``country``, or None when it knows none."""
    hits = _index().lookup(name, country=country, limit=20)
    if not hits:
        return None
    sites = [e for e in hits if e.kind not in AREA_KINDS]
    e = (sites or hits)[0]
    return Resolved(id=e.id, lat=float(e.lat), lon=float(e.lon), kind=getattr(e, "kind", None))


# -- one column's rule ---------------------------------------------------------------------------


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


def _frame() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame()


def _geoframe() -> gpd.GeoDataFrame:
    import geopandas as gpd

    return gpd.GeoDataFrame()


@dataclass(eq=False)  # compared and hashed by identity: derived layers are cached per object
class Theatre:
    """One theatre's validated tables; geometry is EPSG:4326 lon/lat."""

    id: str
    name: str
    countries: tuple[str, ...]
    path: Path
    description: str = ""
    sources: pd.DataFrame = field(default_factory=_frame)
    actors: pd.DataFrame = field(default_factory=_frame)
    places: gpd.GeoDataFrame = field(default_factory=_geoframe)
    control: pd.DataFrame = field(default_factory=_frame)
    backers: pd.DataFrame = field(default_factory=_frame)
    events: gpd.GeoDataFrame = field(default_factory=_geoframe)
    routes: pd.DataFrame = field(default_factory=_frame)
    waypoints: pd.DataFrame = field(default_factory=_frame)
    figures: pd.DataFrame = field(default_factory=_frame)
    maritime: list[dict] = field(default_factory=list)

    @property
    def dates(self) -> list[dt.date]:
        """The dates control is recorded for, ascending."""
        return sorted(set(self.control["date"])) if len(self.control) else []


# -- reading -------------------------------------------------------------------------------------


# -- cross-references ----------------------------------------------------------------------------


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
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame.from_records(records)
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    ).set_index("id", drop=False)


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


def _signature(folder: Path | str) -> tuple:
    """Names, sizes and times of a folder's files: a re-imported theatre is loaded afresh.
    Checked at every join, so one directory scan and one stat per file."""
    try:
        with os.scandir(folder) as entries:
            return tuple(
                sorted(
                    (e.name, s.st_size, s.st_mtime_ns)
                    for e in entries
                    if e.is_file() and (s := e.stat())
                )
            )
    except OSError:
        return ()


@lru_cache(maxsize=16)
def _load_cached(folder: str, signature: tuple = ()) -> Theatre:
    return _load(Path(folder), resolve_name)


def _load(folder: Path, resolve: Resolver) -> Theatre:
    import geopandas as gpd
    import pandas as pd

    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise _fail(folder / name, None, None, "is missing (every theatre needs it)")
    meta = _meta(folder / "theatre.yaml")
    tables = _tables(folder, list(meta["countries"]))
    maritime = (
        _maritime(folder / "maritime.yaml", {r["id"] for r in tables["sources.csv"]})
        if (folder / "maritime.yaml").is_file()
        else []
    )
    # Gazetteer look-ups last: every cheap check has passed by now.
    places_gdf = _places_frame(folder / "places.csv", tables["places.csv"], resolve)
    _check_distinct_points(folder / "control.csv", tables["control.csv"], places_gdf)

    def frame(schema: str) -> pd.DataFrame:
        cols = [c.name for c in SCHEMAS[schema]]
        return pd.DataFrame.from_records(
            [dict(r, line=r.line) for r in tables[schema]], columns=cols + ["line"]
        )

    ev = frame("events.csv")
    ev_geom = [_multi([places_gdf.geometry[pid] for pid in ids]) for ids in ev["places"]]
    return Theatre(
        id=str(meta["id"]),
        name=str(meta["name"]),
        countries=tuple(str(c) for c in meta["countries"]),
        path=folder,
        description=str(meta.get("description") or ""),
        sources=frame("sources.csv").set_index("id", drop=False),
        actors=frame("actors.csv").set_index("id", drop=False),
        places=places_gdf,
        control=frame("control.csv"),
        backers=frame("backers.csv"),
        events=gpd.GeoDataFrame(ev, geometry=ev_geom, crs=4326),
        routes=frame("routes.csv").set_index("id", drop=False),
        waypoints=frame("waypoints.csv").sort_values(["route", "order"]),
        figures=frame("figures.csv"),
        maritime=maritime,
    )


def _meta(meta_path: Path) -> dict[str, Any]:
    """``theatre.yaml``: id, name, countries (ISO codes) and a description, nothing else."""
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
    return meta


def _tables(folder: Path, countries: list[str]) -> dict[str, list[_Row]]:
    """Every CSV file of the folder read and checked, with its references to the others."""

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
    _check_in_countries(p["control.csv"], control, places, countries)

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
    waypoints = table("waypoints.csv")
    _check_routes(p["routes.csv"], p["waypoints.csv"], routes, waypoints, place_ids, source_ids)

    figures = table("figures.csv")
    _check_unique(p["figures.csv"], figures, ("id",), "figure")
    _check_refs(p["figures.csv"], figures, "routes", {r["id"] for r in routes}, "route")
    _check_refs(p["figures.csv"], figures, "source", source_ids, "source")

    return {
        "sources.csv": sources,
        "actors.csv": actors,
        "places.csv": places,
        "control.csv": control,
        "backers.csv": backers,
        "events.csv": events,
        "routes.csv": routes,
        "waypoints.csv": waypoints,
        "figures.csv": figures,
    }


def _check_in_countries(
    path: Path, control: list[_Row], places: list[_Row], countries: list[str]
) -> None:
    """Zones are drawn inside the theatre's countries only."""
    place_country = {r["id"]: r["country"] for r in places}
    for r in control:
        if place_country[r["place"]] not in countries:
            raise _fail(
                path,
                r.line,
                "place",
                f"{r['place']!r} is in {place_country[r['place']] or 'no country'}, outside the "
                f"theatre's countries ({', '.join(countries)})",
            )


def _check_routes(
    routes_path: Path,
    waypoints_path: Path,
    routes: list[_Row],
    waypoints: list[_Row],
    place_ids: set[str],
    source_ids: set[str],
) -> None:
    """Routes and their waypoints: known places, one order each, a mode after the first."""
    _check_unique(routes_path, routes, ("id",), "route")
    _check_refs(routes_path, routes, "source", source_ids, "source")
    _check_refs(waypoints_path, waypoints, "route", {r["id"] for r in routes}, "route")
    _check_refs(waypoints_path, waypoints, "place", place_ids, "place")
    _check_refs(waypoints_path, waypoints, "source", source_ids, "source")
    _check_unique(waypoints_path, waypoints, ("route", "order"), "waypoint")
    for r in waypoints:
        first = r["order"] == min(w["order"] for w in waypoints if w["route"] == r["route"])
        if not first and r["mode"] is None:
            raise _fail(waypoints_path, r.line, "mode", "is empty (land, sea or air)")
    for r in routes:
        if sum(1 for w in waypoints if w["route"] == r["id"]) < 2:
            raise _fail(routes_path, r.line, "id", "a route needs at least two waypoints")


def _check_distinct_points(path: Path, control: list[_Row], places_gdf: gpd.GeoDataFrame) -> None:
    """Control cells are drawn around places: two places at one point on one date cannot both
    hold."""
    at_point: dict[tuple, tuple[str, int]] = {}
    # each place's point once (indexing the frame per control row cost 0.3 s for Libya)
    xy = {pid: (round(g.x, 5), round(g.y, 5)) for pid, g in places_gdf.geometry.items()}
    for r in control:
        key = (r["date"], *xy[r["place"]])
        if key in at_point and at_point[key][0] != r["place"]:
            other, other_line = at_point[key]
            raise _fail(
                path,
                r.line,
                "place",
                f"{r['place']!r} is at the same point as {other!r} (line {other_line}) on "
                f"{r['date']}; control needs distinct places",
            )
        at_point[key] = (r["place"], r.line)


def _multi(points: list[Point]):
    return points[0] if len(points) == 1 else MultiPoint(points)


def theatre_roots() -> list[Path]:
    """Where theatres are found: the bundled ones first, then the user's (``settings.THEATRES``)."""
    return [Path(r) for r in _roots(*_roots_env())]


def _roots_env() -> tuple[str | None, ...]:
    """The variables ``settings.theatre_dirs`` reads: the roots change only with them."""
    env = os.environ
    return env.get("GEO_THEATRES"), env.get("XDG_DATA_HOME"), env.get("HOME")


@lru_cache(maxsize=8)
def _roots(*_env: str | None) -> tuple[str, ...]:
    """The roots as text, once per value of the variables they come from."""
    from geo import settings

    return tuple(str(r) for r in [THEATRES_DIR, *settings.theatre_dirs()])


def theatre_folders(root: Path | None = None) -> list[Path]:
    """Every folder holding a theatre.yaml under ``root`` (default: every theatre root).

    A theatre id found twice keeps its first folder (bundled before user), so a user copy
    cannot silently replace curated data.
    """
    return [Path(f) for f in _folders(root)]


def _folders(root: Path | str | None = None) -> list[str]:
    """``theatre_folders`` as text: asked at every join, so one directory scan per root."""
    seen: dict[str, str] = {}
    for base in [str(root)] if root is not None else _roots(*_roots_env()):
        try:
            with os.scandir(base) as entries:
                names = sorted(e.name for e in entries if e.is_dir())
        except OSError:
            continue
        for name in names:
            folder = os.path.join(base, name)
            if name not in seen and os.path.isfile(os.path.join(folder, "theatre.yaml")):
                seen[name] = folder
    return list(seen.values())


def load_all(root: Path | None = None) -> list[Theatre]:
    """Every theatre (bundled and the user's), validated."""
    return [load_theatre(folder) for folder in theatre_folders(root)]
