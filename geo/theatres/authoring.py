"""Tools for people who write theatres: a skeleton to start from, a check that says what to fix
(the loader's one error, plus warnings the loader does not enforce), and the list of theatres."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from geo.errors import InputError, TheatreDataError
from geo.theatres.load import THEATRES_DIR, load_theatre, resolve_name, theatre_folders

SKELETON = {
    "theatre.yaml": (
        "# A theatre: who holds which places at which dates, sourced row by row.\n"
        "# Format and rules: docs/theatres.md. Check it with: geo theatre check THIS_FOLDER\n"
        "id: {id}\n"
        "name: {name}\n"
        "countries: [{countries}]  # ISO 3166 alpha-2: zones are drawn inside these\n"
        "description: What this theatre covers, and from which sources.\n"
    ),
    "sources.csv": "id,title,url,more_urls\n",
    "actors.csv": "id,name,side,kind,colour,seat,leaders,country,source,note,aliases\n",
    "places.csv": "id,name,lookup,country,kind,lat,lon,certainty,source,note\n",
    "control.csv": "date,place,actor,status,certainty,source,note\n",
    "events.csv": "id,date,end,title,places,actors,kind,certainty,source,note,fatalities\n",
}
FAR_KM = 10.0


def new_theatre(folder: str | Path, name: str, countries: list[str]) -> Path:
    """Write an empty, documented theatre folder; refuse to touch an existing non-empty one."""
    from geo.theatres.importers._model import slugify

    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise InputError(f"{folder}: exists and is not empty; choose a new folder")
    codes = [c.strip().upper() for c in countries if c.strip()]
    if not codes or not all(len(c) == 2 and c.isalpha() for c in codes):
        raise InputError("--country needs ISO 3166 alpha-2 codes, e.g. --country SD")
    folder.mkdir(parents=True, exist_ok=True)
    values = {"id": slugify(name, "theatre"), "name": name, "countries": ", ".join(codes)}
    for file, text in SKELETON.items():
        (folder / file).write_text(text.format(**values), encoding="utf-8")
    return folder


@dataclass
class CheckResult:
    """The loader's error (None when the folder loads) and the warnings worth a look."""

    error: str | None
    warnings: list[str]


def check_theatre(folder: str | Path) -> CheckResult:
    """Load ``folder`` as the maps would; on success, look for what a reviewer would question."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such theatre folder")
    try:
        theatre = load_theatre(folder, resolver=resolve_name)
    except TheatreDataError as exc:
        return CheckResult(str(exc), [])
    warnings = [*_weak_sources(theatre), *_places_to_resolve(theatre), *_date_gaps(theatre)]
    warnings += _shared_colours(theatre)
    return CheckResult(None, warnings)


def _where(theatre, file: str, line: int) -> str:
    return f"{theatre.path / file}:{line}"


def _weak_sources(theatre) -> list[str]:
    """Rows whose every source lacks a URL: a reader cannot check them."""
    no_url = {
        sid for sid, url in zip(theatre.sources["id"], theatre.sources["url"], strict=True)
        if not url
    }  # fmt: skip
    out = []
    for file, frame in (("control.csv", theatre.control), ("events.csv", theatre.events),
                        ("backers.csv", theatre.backers)):  # fmt: skip
        if frame is None or frame.empty or not no_url:
            continue
        lines = [
            line
            for line, ids in zip(frame["line"], frame["source"], strict=True)
            if ids and all(s in no_url for s in ids)
        ]
        if lines:
            out.append(
                f"{_where(theatre, file, lines[0])}: {len(lines)} of {len(frame)} rows cite only "
                "sources without a URL (readers cannot check them)"
            )
    return out


def _places_to_resolve(theatre) -> list[str]:
    """Places given by coordinates that the gazetteer knows elsewhere, or knows exactly."""
    from geo.evaluate import error_km as km_between

    out = []
    places = theatre.places
    for line, (pid, row) in enumerate(places.iterrows(), start=2):
        if row.get("lookup") or row.get("lat") is None or row.get("lat") != row.get("lat"):
            continue
        found = resolve_name(str(row["name"]), row.get("country") or None)
        if found is None:
            continue
        km = km_between(float(row["lat"]), float(row["lon"]), found.lat, found.lon)
        where = _where(theatre, "places.csv", line)
        if km > FAR_KM:
            out.append(f"{where}: {pid!r} is {km:.0f} km from the gazetteer's {row['name']!r}")
    return out[:50]


def _date_gaps(theatre) -> list[str]:
    """A control date series with a gap over twice its usual step: the slider jumps there."""
    dates = sorted(set(theatre.control["date"])) if not theatre.control.empty else []
    if len(dates) < 3:
        return []
    steps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    usual = statistics.median(steps)
    return [
        f"{theatre.path / 'control.csv'}: {steps[i]} days between {dates[i]} and {dates[i + 1]} "
        f"(usually {usual:.0f})"
        for i in range(len(steps))
        if steps[i] > 2 * usual and steps[i] > 31
    ]


def _shared_colours(theatre) -> list[str]:
    seen: dict[str, str] = {}
    out = []
    for aid, colour in zip(theatre.actors["id"], theatre.actors["colour"], strict=True):
        key = str(colour).lower()
        if key in seen:
            out.append(
                f"{theatre.path / 'actors.csv'}: {aid!r} has {seen[key]!r}'s colour {colour}"
            )
        seen.setdefault(key, aid)
    return out


@dataclass
class TheatreInfo:
    """One line of ``geo theatre list``."""

    id: str
    name: str
    folder: str
    origin: str  # bundled | user
    first: str | None
    last: str | None
    dates: int
    places: int
    control: int
    events: int
    error: str | None = None


def list_theatres() -> list[TheatreInfo]:
    """Every theatre the maps use, bundled first, with its date range and row counts."""
    out = []
    for folder in theatre_folders():
        origin = "bundled" if folder.parent == THEATRES_DIR else "user"
        try:
            t = load_theatre(folder)
        except TheatreDataError as exc:
            out.append(TheatreInfo(folder.name, "", str(folder), origin, None, None, 0, 0, 0, 0,
                                   str(exc)))  # fmt: skip
            continue
        dates = sorted({d.isoformat() for d in t.control["date"]}) if len(t.control) else []
        out.append(
            TheatreInfo(
                t.id,
                t.name,
                str(folder),
                origin,
                dates[0] if dates else None,
                dates[-1] if dates else None,
                len(dates),
                len(t.places),
                len(t.control),
                len(t.events),
            )  # fmt: skip
        )
    return out
