"""A theatre compiled for the join: plain records and shapely geometry, no pandas.

What the join asks of a theatre depends on its data alone, not on the article: where the theatre
applies, each recorded date's control cells, who backs whom, the routes' legs and the events.
``compile_state`` derives all of it once from the loaded tables (pandas, geopandas and pyproj,
a second or more) and ``load_states`` keeps it in the cache folder, keyed by the theatre's files,
the gazetteer, Natural Earth and the code that derives it, so a new process reads it in a few
milliseconds and never imports pandas to join an article. ``TheatreState``'s methods are the
only place the join's answers are computed (``geo.join``, ``geo.control``, ``geo.fields``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from geo.geodesy import Laea, aeqd_forward, haversine_km, segment_distance

if TYPE_CHECKING:
    from geo.theatres.load import Theatre

NEAR_KM = 25.0  # routes and events this close to a place are its own
COAST_KM = 5.0  # a point this close outside the outline still belongs to the nearest cell
BELT_KM = 60.0  # a route's rough surroundings: no place outside them is within NEAR_KM of it

Answer = tuple  # (place, actor, side, status, certainty, as_of) of one cell


@dataclass
class Cells:
    """One recorded date: the clipped Voronoi cells (equal-area metres, as WKB: a process
    decodes only the dates it asks about) and their answers."""

    laea: tuple[float, float]  # the projection's centre (lon, lat)
    wkb: list[bytes]
    answers: list[Answer]


@dataclass(eq=False)  # hashed by identity: lookups are memoised per state
class TheatreState:
    """Everything the join needs of one theatre, as plain Python records and geometry."""

    id: str
    name: str
    countries: tuple[str, ...]
    path: str
    area: Any  # countries plus route belts (``geo.join.theatre_area``)
    shape: Any  # the union of the countries
    dates: tuple[dt.date, ...]
    cells: dict[dt.date, Cells]
    backers: tuple[tuple[str, str, dt.date, dt.date | None], ...]  # backer, backs, start, end
    # country -> [(actor, kind, [(backs, start, end)])], in data order
    by_country: dict[str, list[tuple[str, str, list[tuple[str, dt.date, dt.date | None]]]]]
    sides: dict[str, str | None]  # actor -> side
    aliases: dict[str, str]  # alias -> actor (``geo.claims.actors.actor_aliases``)
    route_ids: tuple[str, ...]
    waypoints: tuple[tuple[int, str, float, float], ...]  # route index, role, lon, lat
    legs: tuple[tuple[int, tuple[float, float], tuple[float, float]], ...]  # land and sea legs
    belts: list  # per route: the ground within BELT_KM of its waypoints and legs
    events: tuple[tuple[str, dt.date, tuple[tuple[float, float], ...]], ...]
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_memo"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _memo={})
        shapely.prepare(self.area)
        shapely.prepare(self.shape)

    # -- control --------------------------------------------------------------------------

    def as_of(self, day: dt.date | None) -> dt.date | None:
        """The latest recorded date on or before ``day`` (None before the first)."""
        if day is None:
            return None
        i = bisect.bisect_right(self.dates, day)
        return self.dates[i - 1] if i else None

    def _tree(self, day: dt.date) -> tuple[shapely.STRtree, Laea]:
        key = ("tree", day)
        if key not in self._memo:
            cells = self.cells[day]
            self._memo[key] = (shapely.STRtree(shapely.from_wkb(cells.wkb)), Laea(*cells.laea))
        return self._memo[key]

    def control(self, day: dt.date, points: Sequence[tuple[float, float]]) -> list[Answer | None]:
        """The cell holding each (lon, lat) point on a recorded date: the one it lies in, or the
        nearest within ``COAST_KM`` (ports sit just off the coastline); None farther out.
        Memoised: a corpus names the same towns again and again."""
        memo = self._memo
        missing = list(dict.fromkeys(p for p in points if ("cell", day, p) not in memo))
        if missing:
            tree, laea = self._tree(day)
            answers = self.cells[day].answers
            xy = [laea.forward(x, y) for x, y in missing]
            hit_point, hit_cell = tree.query_nearest(
                shapely.points(xy), max_distance=COAST_KM * 1000, all_matches=True
            )
            first: dict[int, int] = {}  # equidistant cells (a point on a border): first listed
            for i, c in zip(hit_point.tolist(), hit_cell.tolist(), strict=True):
                first[i] = min(c, first.get(i, c))
            for i, p in enumerate(missing):
                memo[("cell", day, p)] = answers[first[i]] if i in first else None
        return [memo[("cell", day, p)] for p in points]

    # -- backers and roles ----------------------------------------------------------------

    def backers_of(self, actor: str | None, day: dt.date | None) -> list[str]:
        """Ids of the actors backing ``actor`` on ``day`` (every recorded one without a day)."""
        if not actor:
            return []
        out: list[str] = []
        for backer, backs, start, end in self.backers:
            if backs == actor and _active(start, end, day) and backer not in out:
                out.append(backer)
        return out

    def country_roles(self, iso2: str | None, day: dt.date | None) -> tuple[list[str], list[str]]:
        """What a country is in this theatre: (roles as text, actor ids its state backs)."""
        if not iso2:
            return [], []
        roles, backs = [], []
        if iso2 in self.countries:
            roles.append(f"theatre ({self.id})")
        for actor, kind, backing in self.by_country.get(iso2, ()):
            for backed, start, end in backing:
                if not _active(start, end, day):
                    continue
                if kind == "state":
                    roles.append(f"backer of {backed} ({self.id})")
                    if backed not in backs:
                        backs.append(backed)
                else:
                    roles.append(f"home of {actor}, backing {backed} ({self.id})")
        return roles, backs

    # -- routes and events ----------------------------------------------------------------

    def route_roles(self, x: float, y: float) -> tuple[tuple[str, str], ...]:
        """Routes within NEAR_KM of (x, y) with the role of the nearest waypoint within it
        (else transit). Distances are measured as PROJ's azimuthal equidistant projection
        centred on the place (rounded to 1e-4 degree) measures them."""
        key = ("routes", x, y)
        if key in self._memo:
            return self._memo[key]
        point = shapely.Point(x, y)
        near = [n for n, belt in enumerate(self.belts) if belt.covers(point)]
        out = []
        if near:
            lon0, lat0 = float(f"{x:.4f}"), float(f"{y:.4f}")
            for n in near:
                out += self._route_role(n, lon0, lat0)
        self._memo[key] = tuple(out)
        return self._memo[key]

    def _route_role(self, n: int, lon0: float, lat0: float) -> list[tuple[str, str]]:
        def km(lon: float, lat: float) -> float:
            x, y = aeqd_forward(lon0, lat0, lon, lat)
            return (x * x + y * y) ** 0.5 / 1000

        near = [(km(lon, lat), role) for r, role, lon, lat in self.waypoints if r == n]
        near = [w for w in near if w[0] <= NEAR_KM]
        if near:
            return [(self.route_ids[n], min(near)[1])]
        for r, a, b in self.legs:
            if r == n:
                pa, pb = aeqd_forward(lon0, lat0, *a), aeqd_forward(lon0, lat0, *b)
                if segment_distance(pa, pb) / 1000 <= NEAR_KM:
                    return [(self.route_ids[n], "transit")]
        return []

    def events_near(self, x: float, y: float, day: dt.date | None) -> list[str]:
        """Ids of the events within NEAR_KM of (x, y), on or before ``day`` (all without)."""
        key = ("events", x, y)
        if key not in self._memo:
            lon0, lat0 = float(f"{x:.4f}"), float(f"{y:.4f}")
            found = []
            for eid, when, points in self.events:
                close = [
                    p
                    for p in points
                    if abs(p[1] - lat0) < 0.3 and haversine_km(lon0, lat0, *p) <= NEAR_KM + 1
                ]
                if any(_geodesic_km(lon0, lat0, *p) <= NEAR_KM for p in close):
                    found.append((eid, when))
            self._memo[key] = found
        return [eid for eid, when in self._memo[key] if day is None or when <= day]


def _geodesic_km(lon0: float, lat0: float, lon: float, lat: float) -> float:
    x, y = aeqd_forward(lon0, lat0, lon, lat)
    return (x * x + y * y) ** 0.5 / 1000


def _active(start: dt.date, end: dt.date | None, day: dt.date | None) -> bool:
    """True when a dated row is in force on ``day`` (always without a day)."""
    return day is None or (start <= day and (end is None or day <= end))


# --------------------------------------------------------------------------- compiling


def compile_state(theatre: Theatre) -> TheatreState:
    """Derive a theatre's state from its loaded tables (pandas, geopandas, pyproj: once)."""
    from geo.claims.actors import actor_aliases
    from geo.control import projected_cells, theatre_shape
    from geo.fields import _route_index

    shape = theatre_shape(theatre)
    c = shape.centroid
    centre = (float(f"{c.x:.4f}"), float(f"{c.y:.4f}"))  # as geo.control.local_crs writes it
    cells = {}
    for day in theatre.dates:
        table, _, _, _, clipped = projected_cells(theatre, day)
        rows = zip(
            table["place"], table["actor"], table["side"], table["status"], table["certainty"],
            strict=True,
        )  # fmt: skip
        answers = [tuple(_plain(v) for v in row) + (str(day),) for row in rows]
        cells[day] = Cells(centre, [shapely.to_wkb(c) for c in clipped], answers)
    route_ids, surfaces, wp_route, wp_role, wp_geom = _route_index(theatre)
    index = {r: n for n, r in enumerate(route_ids)}
    waypoints = tuple(
        (index[r], role, g.x, g.y) for r, role, g in zip(wp_route, wp_role, wp_geom, strict=True)
    )
    legs = tuple(
        (n, line.coords[0], line.coords[-1])
        for n, surface in enumerate(surfaces)
        if surface is not None
        for line in surface.geoms
    )
    backers = tuple(
        (b["backer"], b["backs"], b["start"], _plain(b["end"]))
        for b in theatre.backers.to_dict("records")
    )
    by_country: dict[str, list] = {}
    for a in theatre.actors.to_dict("records"):
        backing = [
            (backs, start, end) for backer, backs, start, end in backers if backer == a["id"]
        ]
        by_country.setdefault(a["country"], []).append((a["id"], a["kind"], backing))
    return TheatreState(
        id=str(theatre.id),
        name=str(theatre.name),
        countries=tuple(theatre.countries),
        path=str(theatre.path),
        area=_theatre_area(theatre, shape, surfaces),
        shape=shape,
        dates=tuple(theatre.dates),
        cells=cells,
        backers=backers,
        by_country=by_country,
        sides={
            str(a): _plain(s)
            for a, s in zip(theatre.actors.index, theatre.actors["side"], strict=True)
        },
        aliases=actor_aliases(theatre.actors),
        route_ids=tuple(route_ids),
        waypoints=waypoints,
        legs=legs,
        belts=_belts(route_ids, waypoints, surfaces),
        events=tuple(
            (str(eid), when, tuple((p.x, p.y) for p in shapely.get_parts(g)))
            for eid, when, g in zip(
                theatre.events["id"], theatre.events["date"], theatre.events.geometry, strict=True
            )
        ),
    )


def _plain(value: Any) -> Any:
    """A table cell as plain Python: NaN and None are None."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def _buffer_km(geom, km: float):
    """``geom`` buffered by ``km`` in an azimuthal equidistant projection on its centre."""
    import geopandas as gpd

    from geo.maritime import aeqd_crs

    crs = aeqd_crs(*geom.centroid.coords[0])
    return gpd.GeoSeries([geom], crs=4326).to_crs(crs).buffer(km * 1000).to_crs(4326).iloc[0]


def _theatre_area(theatre: Theatre, shape, surfaces: list):
    """Where a place makes the theatre apply: its countries, and land and sea routes ±25 km."""
    parts = [shape] + [_buffer_km(s, NEAR_KM) for s in surfaces if s is not None]
    return shapely.union_all(parts)


def _belts(route_ids: list, waypoints: tuple, surfaces: list) -> list:
    """Per route, the ground within BELT_KM of it: a generous first filter (a straight leg
    differs between projections by a few km), never the answer."""
    out = []
    for n, _ in enumerate(route_ids):
        parts = [shapely.Point(lon, lat) for r, _, lon, lat in waypoints if r == n]
        if surfaces[n] is not None:
            parts.append(surfaces[n])
        out.append(_buffer_km(shapely.GeometryCollection(parts), BELT_KM))
    for belt in out:
        shapely.prepare(belt)
    return out


# --------------------------------------------------------------------------- the cache

# The code a compiled state derives from (relative to the package): a change recompiles.
_CODE = (
    "theatres/state.py", "theatres/load.py", "theatres/_csv.py", "theatres/_maritime.py",
    "control.py", "fields.py", "routes.py", "maritime.py", "geodesy.py", "claims/actors.py",
    "gazetteer/data/country_aliases.csv",
)  # fmt: skip


def _key(folder: Path) -> str:
    """The theatre's files, the gazetteer index, Natural Earth, the code and shapely."""
    from geo import settings
    from geo._io import files_fingerprint, fingerprint

    package = Path(__file__).resolve().parent.parent
    files = [f for f in sorted(folder.rglob("*")) if f.is_file()]
    code = [package / name for name in _CODE]
    atlas = settings.NODE_MODULES / "world-atlas" / "package.json"
    try:
        index = settings.gazetteer_path().stat()
        gazetteer = f"{index.st_size}:{index.st_mtime_ns}"
    except OSError:
        gazetteer = "none"
    return fingerprint(
        shapely.__version__,
        str(pickle.HIGHEST_PROTOCOL),
        files_fingerprint(files, lambda p: str(p.relative_to(folder))),
        files_fingerprint([p for p in code if p.is_file()], lambda p: p.name),
        atlas.read_bytes() if atlas.is_file() else b"none",
        gazetteer,
    )


def _cache_path(folder: Path, key: str) -> Path:
    """``join/<theatre>-<where>-state-<key>.pickle``: ``where`` is the theatre folder and this
    package's location, so two installs sharing a cache folder keep a copy each, and a new key
    replaces only the copies of the same install's same folder."""
    from geo import settings
    from geo._io import fingerprint

    where = fingerprint(str(folder.resolve()), str(Path(__file__).resolve().parent))[:8]
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", folder.name)
    return Path(settings.CACHE_DIR) / "join" / f"{stem}-{where}-state-{key[:20]}.pickle"


def state_for_folder(folder: Path | str) -> TheatreState:
    """A theatre folder's state: from the cache when its key matches, else compiled (from
    ``load_theatre``) and stored atomically, older copies of the same theatre removed."""
    from geo.theatres.load import _signature

    return _state_for_folder(str(folder), _signature(folder))


KEEP_DAYS = 30  # a state no process has read for this long is removed with the next write


@lru_cache(maxsize=16)
def _state_for_folder(folder: str, signature: tuple = ()) -> TheatreState:
    path = _cache_path(Path(folder), _key(Path(folder)))
    try:
        with open(path, "rb") as fh:
            state = pickle.load(fh)
            _touch(fh.fileno())
        if isinstance(state, TheatreState):
            return state
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass
    from geo.theatres.load import load_theatre

    state = compile_state(load_theatre(folder))
    _store(_cache_path(Path(folder), _key(Path(folder))), state)  # the gazetteer may be new
    return state


def _touch(fd: int) -> None:
    """Mark a state read today (at most once a day), so that pruning keeps it."""
    import os
    import time

    try:
        if time.time() - os.fstat(fd).st_mtime > 86400:
            os.utime(fd)
    except OSError:
        pass


def _store(path: Path, state: TheatreState) -> None:
    """Write a state atomically; remove the same install's older copies of the theatre, the
    states nobody read for ``KEEP_DAYS`` (theatre folders that are gone: a test's, a moved
    install's) and the per-geometry files an earlier version kept."""
    import time

    from geo._io import write_atomic

    try:
        write_atomic(path, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        mine = path.name.split("-state-")[0] + "-state-"
        for old in path.parent.glob("*"):
            if old == path or old.name.startswith("."):
                continue
            if old.name.startswith(mine) or old.suffix == ".wkb":
                old.unlink(missing_ok=True)
            elif time.time() - old.stat().st_mtime > KEEP_DAYS * 86400:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache only costs time


@lru_cache(maxsize=16)
def _compiled(theatre: Theatre) -> TheatreState:
    state = compile_state(theatre)
    state._memo["theatre"] = theatre
    return state


@lru_cache(maxsize=64)
def _state_of_theatre(theatre: Theatre) -> TheatreState:
    """Once per loaded theatre (its tables do not change): its folder's cached state when it
    was read from its files as they are (``load_theatre``'s default), else compiled from it."""
    from geo.theatres.load import load_theatre

    folder = Path(theatre.path) if theatre.path else None
    if folder is not None and folder.is_dir() and load_theatre(folder) is theatre:
        state = state_for_folder(folder)
        state._memo.setdefault("theatre", theatre)
        return state
    return _compiled(theatre)


def state_of(theatre: Theatre | TheatreState) -> TheatreState:
    """The compiled state of a theatre (a state is its own)."""
    return theatre if isinstance(theatre, TheatreState) else _state_of_theatre(theatre)


def theatre_of(state: TheatreState) -> Theatre:
    """The loaded tables a state was compiled from (``load_theatre`` of its folder, once)."""
    if "theatre" not in state._memo:
        from geo.theatres.load import load_theatre

        state._memo["theatre"] = load_theatre(state.path)
    return state._memo["theatre"]


def load_states(root: Path | None = None) -> list[TheatreState]:
    """Every theatre's state (bundled and the user's), in ``theatre_folders`` order."""
    from geo.theatres.load import _folders

    return [state_for_folder(folder) for folder in _folders(root)]
