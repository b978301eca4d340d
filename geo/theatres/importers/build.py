"""Event exports -> a theatre folder in the project's own format (docs/theatres.md).

The export is read as a stream: events and their sources go straight to disk, and only what
control needs stays in memory (each location once, its territory transfers and the dates of its
armed clashes), so a million-row export imports in bounded memory. Control at each snapshot date
(month ends by default) is the actor of the location's latest transfer on or before it;
``contested`` when armed clashes were recorded there after that transfer and within
``contested_days`` of the snapshot. The folder is written beside its destination, validated by
the same loader as every theatre, and only then swapped in, so a failed import writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import shutil
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geo._io import replace_folder
from geo.errors import InputError
from geo.theatres.importers import acled, ucdp
from geo.theatres.importers._model import (
    ImportedEvent,
    ImportRowError,
    aliases_for,
    slugify,
)
from geo.theatres.importers.colours import distinct_colours
from geo.theatres.importers.countries import iso2_for
from geo.vocab import plural

log = logging.getLogger(__name__)

FORMATS: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, str], int], ImportedEvent]]] = {
    "acled": (acled.REQUIRED, acled.event_from_row),
    "ucdp": (ucdp.REQUIRED, ucdp.event_from_row),
}
CREDITS = {
    "acled": "Armed Conflict Location & Event Data (ACLED) export; ACLED's terms forbid "
    "redistributing its data, so keep this folder to yourself.",
    "ucdp": "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, CC BY 4.0.",
}
MAX_ERRORS_SHOWN = 20
VALIDATE_ROWS = 50_000  # events per slice when a large import is checked by the loader
_ORD0 = dt.date(1, 1, 1).toordinal()


@dataclass
class ImportOptions:
    """What to import: the export's format, the theatre's name, and the filters."""

    source: str  # acled | ucdp
    name: str
    country: str | None = None  # ISO 3166 alpha-2
    since: str | None = None
    until: str | None = None
    step: str = "month"  # month, week, or a number of days
    contested_days: int = 30
    skip_bad_rows: bool = False


@dataclass
class ImportReport:
    """What an import wrote, for the command's summary line and for tests."""

    folder: Path
    rows: int = 0
    events: int = 0
    places: int = 0
    actors: int = 0
    control_rows: int = 0
    dates: list[str] = field(default_factory=list)
    bad_rows: list[str] = field(default_factory=list)
    pinned_sources: set[str] = field(default_factory=set)  # cited by actors, places, control


@dataclass
class _Place:
    id: str
    name: str
    country: str | None
    lat: float
    lon: float
    precision: int
    source: str
    transfers: list[tuple[int, str, int, str]] = field(default_factory=list)
    clashes: array = field(default_factory=lambda: array("i"))


@dataclass
class _Actor:
    id: str
    name: str
    state: bool
    country: str | None
    source: str
    events: int = 0


class _Collector:
    """Everything but events and sources, which are streamed to disk as rows arrive."""

    def __init__(self) -> None:
        self.places: dict[tuple[float, float], _Place] = {}
        self.place_ids: set[str] = set()
        self.actors: dict[str, _Actor] = {}
        self.actor_ids: set[str] = set()
        self.event_ids: set[str] = set()
        self.countries: Counter[str] = Counter()
        self.last_day = 0

    def place(self, ev: ImportedEvent, source: str) -> _Place:
        key = (round(ev.lat, 4), round(ev.lon, 4))
        found = self.places.get(key)
        if found is None:
            pid = _unique(slugify(ev.location, "place"), self.place_ids)
            found = _Place(
                pid, ev.location, iso2_for(ev.country), ev.lat, ev.lon, ev.precision, source
            )
            self.places[key] = found
        return found

    def actor(self, name: str, state: bool, country: str | None, source: str) -> str:
        found = self.actors.get(name)
        if found is None:
            aid = _unique(slugify(name, "actor"), self.actor_ids)
            found = _Actor(aid, name, state, country, source)
            self.actors[name] = found
        found.events += 1
        return found.id


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """The export's rows with their line numbers; InputError when the file is not such an export."""
    try:
        fh = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        reader = csv.DictReader(fh)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"{path}: not a CSV export ({exc})") from None
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(f"{path}:1: missing columns {', '.join(missing)}")
        try:
            for row in reader:
                yield reader.line_num, row
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"{path}:{reader.line_num}: unreadable row ({exc})") from None


def import_export(path: str | Path, options: ImportOptions, out: str | Path) -> ImportReport:
    """Import an ACLED or UCDP export into the theatre folder ``out`` (replaced atomically)."""
    if options.source not in FORMATS:
        raise InputError(f"unknown export format {options.source!r} (expected acled or ucdp)")
    path, out = Path(path), Path(out)
    required, convert = FORMATS[options.source]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.import-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        report = _write(path, options, tmp, required, convert)
        report.folder = out
        if report.bad_rows and not options.skip_bad_rows:
            raise InputError(_bad_rows_message(path, report.bad_rows))
        if not report.events:
            raise InputError(f"{path}: no events to import (after the filters)")
        _validate(tmp, report.pinned_sources)
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def _bad_rows_message(path: Path, bad: list[str]) -> str:
    shown = "; ".join(bad[:MAX_ERRORS_SHOWN])
    more = f" (and {len(bad) - MAX_ERRORS_SHOWN} more)" if len(bad) > MAX_ERRORS_SHOWN else ""
    return (
        f"{path}: {len(bad)} bad rows, nothing written: {shown}{more} (--skip-bad-rows skips them)"
    )


def _in_range(ev: ImportedEvent, options: ImportOptions) -> bool:
    if options.since and ev.date < options.since:
        return False
    if options.until and ev.date > options.until:
        return False
    return not (options.country and iso2_for(ev.country) != options.country)


def _write(path, options, tmp, required, convert) -> ImportReport:
    report = ImportReport(folder=tmp)
    col = _Collector()
    with (
        (tmp / "events.csv").open("w", newline="", encoding="utf-8") as ev_fh,
        (tmp / "sources.csv").open("w", newline="", encoding="utf-8") as src_fh,
    ):
        events = csv.writer(ev_fh, lineterminator="\n")
        sources = csv.writer(src_fh, lineterminator="\n")
        events.writerow(["id", "date", "end", "title", "places", "actors", "kind", "certainty",
                         "source", "note", "fatalities"])  # fmt: skip
        sources.writerow(["id", "title", "url", "more_urls"])
        for line, row in _rows(path, required):
            report.rows += 1
            try:
                ev = convert(row, line)
            except ImportRowError as exc:
                report.bad_rows.append(str(exc))
                continue
            if not _in_range(ev, options):
                continue
            if ev.id in col.event_ids:
                report.bad_rows.append(f"line {line}: event id {ev.id!r} repeats an earlier row")
                continue
            col.event_ids.add(ev.id)
            _add_event(ev, col, events, sources)
            report.events += 1
            if report.rows % 200_000 == 0 and sys.stderr.isatty():
                print(f"\rimport: {report.rows:,} rows", end="", file=sys.stderr)
    _write_tables(tmp, options, col, report)
    return report


def _add_event(ev: ImportedEvent, col: _Collector, events, sources) -> None:
    sid = f"s-{ev.id}"
    sources.writerow([sid, ev.source_title[:500], ev.source_url, ""])
    country = iso2_for(ev.country)
    if country:
        col.countries[country] += 1
    place = col.place(ev, sid)
    a1 = col.actor(ev.actor1, ev.actor1_state, country, sid)
    actors = [a1]
    if ev.actor2:
        actors.append(col.actor(ev.actor2, ev.actor2_state, country, sid))
    day = dt.date.fromisoformat(ev.date).toordinal() - _ORD0
    col.last_day = max(col.last_day, day)
    if ev.territory:
        place.transfers.append((day, a1, ev.precision, sid))
    elif ev.clash:
        place.clashes.append(day)
    title = f"{ev.type_label}: {ev.actor1}" + (f" v {ev.actor2}" if ev.actor2 else "")
    note = ev.notes
    if ev.precision > 1:
        note = f"location approximate (precision {ev.precision} of 3: near {ev.location}). {note}"
    events.writerow([
        ev.id, ev.date, ev.end or "", f"{title} at {ev.location}"[:300], place.id,
        ";".join(dict.fromkeys(actors)), ev.kind,
        "reported" if ev.precision == 1 else "approximate", sid, note.strip()[:2000],
        "" if ev.fatalities is None else ev.fatalities,
    ])  # fmt: skip


def snapshot_days(first: int, last: int, step: str) -> list[int]:
    """Snapshot dates (day numbers) from ``first`` to ``last``: month ends, weeks or N days."""
    if first > last:
        return []
    start = dt.date.fromordinal(first + _ORD0)
    end = dt.date.fromordinal(last + _ORD0)
    out: list[dt.date] = []
    if step == "month":
        y, m = start.year, start.month
        while True:
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            out.append(nxt - dt.timedelta(days=1))
            if nxt > end:
                break
            y, m = nxt.year, nxt.month
    else:
        days = 7 if step == "week" else int(step)
        if days < 1:
            raise InputError(f"--step {step!r} must be month, week or a positive number of days")
        d = start
        while True:
            out.append(d)
            if d >= end:
                break
            d += dt.timedelta(days=days)
    return [d.toordinal() - _ORD0 for d in out]


def control_rows(
    places: list[_Place], days: list[int], contested_days: int, countries: set[str]
) -> list[list[str]]:
    """control.csv rows: each place's last transfer at each snapshot, contested by later clashes."""
    rows: list[list[str]] = []
    for day in days:
        iso = dt.date.fromordinal(day + _ORD0).isoformat()
        for p in places:
            if not p.transfers or p.country not in countries:
                continue
            held = [t for t in p.transfers if t[0] <= day]
            if not held:
                continue
            since, actor, precision, source = held[-1]
            fought = any(since < c <= day and day - c <= contested_days for c in p.clashes)
            rows.append([
                iso, p.id, actor, "contested" if fought else "controlled",
                "reported" if precision == 1 else "uncertain", source,
                f"last transfer {dt.date.fromordinal(since + _ORD0).isoformat()}",
            ])  # fmt: skip
    return rows


def _write_tables(tmp: Path, options: ImportOptions, col: _Collector, report: ImportReport):
    countries = (
        [options.country] if options.country else [c for c, _ in col.countries.most_common()]
    )
    if not countries:
        raise InputError("no row names a country this project knows (use --country ISO2)")
    places = sorted(col.places.values(), key=lambda p: p.id)
    for p in places:
        p.transfers.sort(key=lambda t: t[0])  # stable: same-day transfers keep file order
    firsts = [p.transfers[0][0] for p in places if p.transfers]
    days = snapshot_days(min(firsts), col.last_day, options.step) if firsts else []
    control = control_rows(places, days, options.contested_days, set(countries))
    report.places, report.actors, report.control_rows = len(places), len(col.actors), len(control)
    report.dates = sorted({r[0] for r in control})
    report.pinned_sources = {r[5] for r in control} | {p.source for p in places}
    report.pinned_sources |= {a.source for a in col.actors.values()}
    _csv(tmp / "places.csv", PLACE_COLUMNS, (_place_row(p) for p in places))
    _csv(tmp / "control.csv", CONTROL_COLUMNS, control)
    actors = sorted(col.actors.values(), key=lambda a: (-a.events, a.id))
    colours = distinct_colours(len(actors))
    rows = (_actor_row(a, colour) for a, colour in zip(actors, colours, strict=True))
    _csv(tmp / "actors.csv", ACTOR_COLUMNS, rows)
    theatre_id = slugify(options.name, "theatre")
    meta = {
        "id": theatre_id,
        "name": options.name,
        "countries": countries,
        "description": f"Imported from {options.source.upper()} export. {CREDITS[options.source]}",
    }
    import yaml

    (tmp / "theatre.yaml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))


PLACE_COLUMNS = ["id", "name", "lookup", "country", "kind", "lat", "lon", "certainty", "source",
                 "note"]  # fmt: skip
CONTROL_COLUMNS = ["date", "place", "actor", "status", "certainty", "source", "note"]
ACTOR_COLUMNS = ["id", "name", "side", "kind", "colour", "seat", "leaders", "country", "source",
                 "note", "aliases"]  # fmt: skip


def _place_row(p: _Place) -> list[str]:
    certainty = "reported" if p.precision == 1 else "approximate"
    return [p.id, p.name, "", p.country or "", "site", f"{p.lat:.5f}", f"{p.lon:.5f}", certainty,
            p.source, ""]  # fmt: skip


def _actor_row(a: _Actor, colour: str) -> list[str]:
    civilians = a.name.lower().startswith("civilians")
    kind = "state" if a.state else ("civilians" if civilians else "armed-group")
    side = "" if civilians else _side(a)  # civilians hold no ground: no frontline
    events = f"{plural(a.events, 'event')} in the export"
    return [a.id, a.name, side, kind, colour, "", "", a.country or "", a.source, events,
            ";".join(aliases_for(a.name))]  # fmt: skip


def _side(actor: _Actor) -> str:
    """States' forces of one country share a side; every other actor is its own side."""
    if actor.state:
        return slugify("state " + (actor.country or actor.name))
    return actor.id


def _csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _validate(folder: Path, pinned: set[str]) -> None:
    """Load the written folder with the theatre loader, as every map will.

    A large export is checked in slices of ``VALIDATE_ROWS`` events (with their sources and
    every small table), so the check stays within the import's memory bound; ``pinned`` are the
    sources the small tables cite.
    """
    from geo.errors import TheatreDataError
    from geo.theatres.load import load_theatre, resolve_name

    with (folder / "events.csv").open(newline="", encoding="utf-8") as fh:
        small = sum(1 for _ in zip(range(VALIDATE_ROWS + 2), fh, strict=False)) <= VALIDATE_ROWS + 1
    if small:
        load_theatre(folder, resolver=resolve_name)
        return
    for first, part in _slices(folder, pinned):
        try:
            load_theatre(part, resolver=resolve_name)
        except TheatreDataError as exc:
            raise TheatreDataError(f"{exc} (events {first}-{first + VALIDATE_ROWS - 1})") from None
        finally:
            shutil.rmtree(part, ignore_errors=True)


def _slices(folder: Path, pinned: set[str]) -> Iterator[tuple[int, Path]]:
    """Folders holding every small table plus one slice of events.csv and of sources.csv."""
    with (
        (folder / "events.csv").open(newline="", encoding="utf-8") as ev_fh,
        (folder / "sources.csv").open(newline="", encoding="utf-8") as src_fh,
    ):
        events, sources = csv.reader(ev_fh), csv.reader(src_fh)
        ev_header, src_header = next(events), next(sources)
        pinned_rows = [r for r in csv.reader((folder / "sources.csv").open(encoding="utf-8"))
                       if r and r[0] in pinned]  # fmt: skip
        first = 1
        while True:
            ev_rows = [r for _, r in zip(range(VALIDATE_ROWS), events, strict=False)]
            if not ev_rows:
                return
            own = [r for _, r in zip(range(len(ev_rows)), sources, strict=False)]
            part = folder.parent / f"{folder.name}.check-{first}"
            shutil.rmtree(part, ignore_errors=True)
            part.mkdir()
            for name in ("theatre.yaml", "actors.csv", "places.csv", "control.csv"):
                shutil.copyfile(folder / name, part / name)
            cited = {r[0] for r in own}
            _csv(part / "events.csv", ev_header, ev_rows)
            _csv(part / "sources.csv", src_header, own + [r for r in pinned_rows
                                                          if r[0] not in cited])  # fmt: skip
            yield first, part
            first += len(ev_rows)


def _swap(tmp: Path, out: Path) -> None:
    """Replace the theatre folder ``out`` by ``tmp``; any other folder is left alone."""
    if out.exists() and not (out / "theatre.yaml").is_file() and any(out.iterdir()):
        raise InputError(f"{out}: exists and is not a theatre folder; not replaced")
    replace_folder(tmp, out)
