"""Geoparse a whole corpus in parallel into one GeoParquet file, resumably.

A newsroom follows a conflict through thousands of articles, so this stage runs the same
recognise → resolve → control pipeline as ``geo places`` over many articles at once:

- Inputs: article files (``.md``/``.markdown``/``.txt`` with optional front matter), or news
  archive exports: JSON Lines (``.jsonl``/``.ndjson``) or CSV with ``text`` and ``date`` columns
  (``title``, ``id``, ``url`` optional). Folders and glob patterns are expanded.
- Parallel: a local process pool by default (forked after the theatre data is loaded, so a
  worker starts in milliseconds and opens the gazetteer once), or a ``dask.distributed``
  cluster; either way articles travel in batches so each task amortises its overhead.
- Resumable: finished batches are written at once as part files in ``<out>.parts/``, keyed by a
  hash of each article's content; a rerun skips every article already in a part, and an
  interrupted run keeps every part it finished. The combined file is rewritten at the end.
- Rows: one per place mention, with the article's id, date and title, the mention and its
  offsets, the resolved place and the control of the ground at the article's date.

Control is the same answer ``geo.enrich.enrich`` gives (``tests/test_corpus.py`` checks it), but
looked up for a whole batch at once in an STRtree over each snapshot's cells
(``geo.control.cells_at``) and memoised per snapshot: ``enrich`` also joins routes and events,
which costs about 0.23 s per article (measured) and is not part of a corpus row.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import hashlib
import json
import math
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import settings
from geo.articles import load_article, slugify
from geo.errors import ConfigurationError, GeoError, InputError

if TYPE_CHECKING:
    from shapely import STRtree
    from shapely.geometry.base import BaseGeometry

    from geo.theatres import Theatre

FILE_SUFFIXES = (".md", ".markdown", ".txt")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
PARTS_SUFFIX = ".parts"
_META_KEY = b"geo:corpus"
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")

# Columns of the output, in order; geometry (a point, EPSG:4326) is added last.
COLUMNS = (
    "article_id", "article_key", "source", "date", "title", "url", "mention", "start", "end",
    "place_id", "name", "kind", "country", "score", "control", "control_status",
    "control_as_of",
)  # fmt: skip


@dataclass(frozen=True)
class CorpusItem:
    """One article to geoparse, with where it came from and its content hash (``key``)."""

    key: str
    id: str
    source: str
    text: str
    date: str | None
    title: str | None = None
    url: str | None = None


@dataclass
class CorpusReport:
    """What a run did; ``failed`` holds (source, reason) pairs, one per bad article."""

    out: Path
    total: int = 0
    done: int = 0
    skipped: int = 0
    rows: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


# --------------------------------------------------------------------------- reading inputs


def content_key(text: str, date: str | None, title: str | None, article_id: str) -> str:
    """The resume key: a hash of everything that shapes an article's rows."""
    digest = hashlib.sha256()
    for part in (article_id, date or "", title or "", text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _day(value: object, where: str) -> str | None:
    """An ISO day from a date column; timestamps (as archives export them) are cut to the day."""
    if value is None or value == "":
        return None
    match = _ISO_DAY.match(str(value).strip())
    if match:
        try:
            return dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            pass
    raise InputError(f"{where}: date {str(value)[:40]!r} is not YYYY-MM-DD")


def _clean(text: str) -> str:
    """Text with lone surrogates (JSON allows them, UTF-8 does not) as U+FFFD, one for one,
    so offsets still count the same characters and every string can be written to Parquet."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def _opt(value: object) -> str | None:
    return None if value is None or value == "" else _clean(str(value))


def _item_from_record(record: object, where: str, default_id: str) -> CorpusItem:
    """A JSON Lines object or CSV row -> CorpusItem; a missing text or bad date is an error."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: not an object with text and date fields")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no text")
    text = _clean(text)
    date = _day(record.get("date"), where)
    if date is None:
        raise InputError(f"{where}: no date (YYYY-MM-DD)")
    title = _opt(record.get("title"))
    article_id = _opt(record.get("id")) or default_id
    return CorpusItem(
        key=content_key(text, date, title, article_id),
        id=article_id,
        source=where,
        text=text,
        date=date,
        title=title,
        url=_opt(record.get("url")),
    )


def _read_bytes(path: Path) -> str:
    """The file decoded as UTF-8, with the same checks as an article file."""
    try:
        size = path.stat().st_size
        if size > settings.MAX_ARTICLE_BYTES * 64:
            raise InputError(f"{path}: {size / 1e9:.1f} GB is too large for one export file")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data[:65536]:
        raise InputError(f"{path}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from None


def _read_jsonl(path: Path) -> Iterator[CorpusItem | InputError]:
    text = _read_bytes(path)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{where}: not valid JSON ({exc.args[0][:60]})") from None
            yield _item_from_record(record, where, f"{path.stem}-{n}")
        except InputError as exc:
            yield exc


def _read_csv(path: Path) -> list[CorpusItem | InputError]:
    """Rows of a CSV export; its text fields may be as long as an article file may be.

    The csv module's field limit is process-wide, so it is raised only while this file is read.
    """
    import io

    text = _read_bytes(path)
    previous = csv.field_size_limit(max(csv.field_size_limit(), settings.MAX_ARTICLE_BYTES))
    try:
        return list(_csv_rows(path, csv.DictReader(io.StringIO(text, newline=""))))
    finally:
        csv.field_size_limit(previous)


def _csv_rows(path: Path, reader: csv.DictReader) -> Iterator[CorpusItem | InputError]:
    try:
        fields = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(f"{path}: not valid CSV ({exc})") from None
    missing = [c for c in ("text", "date") if c not in fields]
    if missing:
        raise InputError(f"{path}: no {' or '.join(repr(c) for c in missing)} column")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(f"{path}:{reader.line_num}: not valid CSV ({exc})")
            return
        where = f"{path}:{reader.line_num}"
        try:
            yield _item_from_record(row, where, f"{path.stem}-{reader.line_num}")
        except InputError as exc:
            yield exc


def _read_file(path: Path) -> CorpusItem:
    article = load_article(path)
    # Front matter may spell lone surrogates as YAML escapes; the file's text is valid UTF-8.
    article_id = _opt(article.meta.get("id")) or article.slug or slugify(path.stem)
    title = _opt(article.title)
    return CorpusItem(
        key=content_key(article.text, article.date, title, article_id),
        id=article_id,
        source=str(path),
        text=article.text,
        date=_opt(article.date),
        title=title,
        url=_opt(article.url),
    )


def expand_inputs(specs: Sequence[str | Path]) -> list[Path]:
    """Files named, found in folders (sorted, article and export files only) or by glob."""
    found: list[Path] = []
    suffixes = FILE_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
            )
        elif path.exists():
            found.append(path)
        elif glob.has_magic(str(spec)):
            matches = sorted(Path(p) for p in glob.glob(str(spec), recursive=True))
            files = [p for p in matches if p.is_file()]
            if not files:
                raise InputError(f"{spec}: the pattern matches no file")
            found.extend(files)
        else:
            raise InputError(f"{spec}: no such file or folder")
    return found


def read_corpus(specs: Sequence[str | Path]) -> tuple[list[CorpusItem], list[tuple[str, str]]]:
    """Every article under ``specs``, and (source, reason) for each one that cannot be read.

    Articles with the same key (the same id and content twice) are kept once.
    """
    items: list[CorpusItem] = []
    failed: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(item: CorpusItem | InputError, fallback: str) -> None:
        if isinstance(item, InputError):
            failed.append(_split(str(item), fallback))
        elif item.key not in seen:
            seen.add(item.key)
            items.append(item)

    for path in expand_inputs(specs):
        suffix = path.suffix.lower()
        try:
            if suffix in JSONL_SUFFIXES:
                for item in _read_jsonl(path):
                    add(item, str(path))
            elif suffix in CSV_SUFFIXES:
                for item in _read_csv(path):
                    add(item, str(path))
            else:
                add(_read_file(path), str(path))
        except InputError as exc:
            add(exc, str(path))
        except Exception as exc:  # noqa: BLE001 - a parser's surprise is one bad input, not a crash
            add(InputError(f"{path}: {type(exc).__name__}: {str(exc)[:200]}"), str(path))
    return items, failed


def _split(message: str, fallback: str) -> tuple[str, str]:
    """An InputError's 'where: why' as (where, why)."""
    where, sep, why = message.partition(": ")
    return (where, why) if sep else (fallback, message)


# --------------------------------------------------------------------------- the worker side

_CONTROL_MEMO: dict[tuple[Any, dt.date, float, float], tuple] = {}  # (theatre, snapshot, x, y)
_NO_CONTROL = (None, None, None)


@lru_cache(maxsize=1)
def _warm() -> bool:
    """Load what every batch needs, once per process: gazetteer, theatres, control cells."""
    from geo.gazetteer.index import open_index
    from geo.theatres import load_all

    open_index()
    for theatre in load_all():
        _prepared_shape(theatre)
        for day in theatre.dates:
            _cell_index(theatre, day)
    return True


def _worker_init() -> None:
    """Start of a forked pool worker: own gazetteer connection; Ctrl-C is the parent's to handle.

    A SQLite connection must not be used across fork, so the inherited handle is dropped and the
    index reopened (0.1 s); theatre data and shapes come from the parent's memory as they are.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from geo.gazetteer import index

    index._OPEN.clear()
    index.open_index()


@lru_cache(maxsize=16)
def _prepared_shape(theatre: Theatre) -> BaseGeometry:
    """The theatre's outline, prepared once for fast point-in-polygon tests."""
    import shapely

    from geo.control import theatre_shape

    shape = shapely.from_wkb(shapely.to_wkb(theatre_shape(theatre)))
    shapely.prepare(shape)
    return shape


@lru_cache(maxsize=64)
def _cell_index(theatre: Theatre, snapshot: dt.date) -> tuple[STRtree, list[tuple]]:
    """The control cells of one snapshot (``geo.control.cells_at``) in an STRtree, with each
    cell's (actor, status, as-of date): one tree query answers a whole batch of points."""
    import shapely

    from geo.control import cells_at

    cells = cells_at(theatre, snapshot)
    answers = []
    for actor, status, day in zip(cells["actor"], cells["status"], cells["as_of"], strict=True):
        iso = day.isoformat() if hasattr(day, "isoformat") else _opt(day)
        answers.append((_opt(actor), _opt(status), iso) if _opt(actor) else _NO_CONTROL)
    return shapely.STRtree(cells.geometry.to_numpy()), answers


def control_at_many(
    docs: Sequence[tuple[Sequence[dict], str | None]],
) -> list[list[tuple[str | None, str | None, str | None]]]:
    """For each (places, date): (actor, status, as-of date) holding each place at that date.

    The same answer ``geo.enrich.enrich`` gives: areas (countries, seas, regions) and places
    outside every theatre get (None, None, None). Points are looked up once per theatre and
    control snapshot for the whole batch, and memoised: a corpus names the same towns again
    and again, and control only changes at the theatre's recorded dates.
    """
    import shapely

    from geo.control import as_of
    from geo.enrich import AREA_KINDS
    from geo.theatres import load_all

    theatres = load_all()
    out = [[_NO_CONTROL] * len(places) for places, _ in docs]
    # (theatre, snapshot) -> point -> [(doc, place)]
    wanted: dict[tuple, dict[tuple[float, float], list[tuple[int, int]]]] = {}
    for d, (places, date) in enumerate(docs):
        snapshots = [(t, as_of(t, date)) for t in theatres]
        for i, p in enumerate(places):
            kind = p.get("kind") or "unknown"
            if p.get("lat") is None or p.get("lon") is None or kind in AREA_KINDS:
                continue
            xy = (float(p["lon"]), float(p["lat"]))
            for theatre, snapshot in snapshots:
                if snapshot is not None:
                    wanted.setdefault((theatre, snapshot), {}).setdefault(xy, []).append((d, i))
    for (theatre, snapshot), points in wanted.items():
        missing = [xy for xy in points if (theatre, snapshot, *xy) not in _CONTROL_MEMO]
        if missing:
            geoms = shapely.points(missing)
            inside = shapely.covers(_prepared_shape(theatre), geoms)
            tree, answers = _cell_index(theatre, snapshot)
            # As control_of_points' spatial join: the first cell the point lies within.
            hit_point, hit_cell = tree.query(geoms, predicate="within")
            first: dict[int, int] = {}
            for i, c in zip(hit_point.tolist(), hit_cell.tolist(), strict=True):
                first[i] = min(c, first.get(i, c))
            for i, xy in enumerate(missing):
                found = inside[i] and i in first
                _CONTROL_MEMO[(theatre, snapshot, *xy)] = (
                    answers[first[i]] if found else _NO_CONTROL
                )
        for xy, where in points.items():
            answer = _CONTROL_MEMO[(theatre, snapshot, *xy)]
            if answer[0] is not None:
                for d, i in where:
                    out[d][i] = answer
    return out


def control_at(
    places: Sequence[dict], date: str | None
) -> list[tuple[str | None, str | None, str | None]]:
    """(actor, status, as-of date) holding each of one article's places at ``date``."""
    return control_at_many([(places, date)])[0]


Task = tuple[str, str, str, str | None]  # key, source, text, date
Result = tuple[str, list[dict] | None, str | None]  # key, rows, error


def geoparse_batch(batch: Sequence[Task]) -> list[Result]:
    """Geoparse a batch of articles: (key, rows, None) each, or (key, None, reason) on failure.

    Runs in a worker (a pool process or a Dask worker); rows are plain dicts, one per mention.
    """
    from geo.articles import article_from_text
    from geo.places import places_from_article

    _warm()
    parsed: list[tuple[str, list[dict], str | None]] = []
    errors: dict[str, str] = {}
    for key, source, text, date in batch:
        try:
            article = article_from_text(text, source)
            parsed.append((key, places_from_article(article).places, date or article.date))
        except GeoError as exc:
            errors[key] = _split(str(exc), source)[1]
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the corpus
            errors[key] = f"{type(exc).__name__}: {exc}"
    controls = control_at_many([(places, date) for _, places, date in parsed])
    rows_of: dict[str, list[dict]] = {}
    for (key, places, _), control in zip(parsed, controls, strict=True):
        rows_of[key] = [
            {
                "mention": p["mention"],
                "start": p["start"],
                "end": p["end"],
                "place_id": p["id"],
                "name": p["name"],
                "kind": p["kind"],
                "country": p["country"],
                "score": p["score"],
                "lon": p["lon"],
                "lat": p["lat"],
                "control": actor,
                "control_status": status,
                "control_as_of": day,
            }
            for p, (actor, status, day) in zip(places, control, strict=True)
        ]
    return [(key, rows_of.get(key), errors.get(key)) for key, _, _, _ in batch]


# --------------------------------------------------------------------------- part files


def parts_dir(out: str | Path) -> Path:
    """Where finished batches of ``out`` are kept until (and after) the combined file."""
    out = Path(out)
    return out.with_name(out.name + PARTS_SUFFIX)


def pipeline_version() -> str:
    """What besides an article decides its rows: geo's version, the gazetteer index and the
    theatre data. Parts made with another of any of these are not reused.
    """
    from geo import __version__

    digest = hashlib.sha256(__version__.encode() + b"\0")
    try:
        st = settings.gazetteer_path().stat()
        digest.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    except OSError:
        digest.update(b"none")
    root = settings.PACKAGE_DIR / "theatres"
    for f in sorted(p for p in root.rglob("*") if p.suffix in (".csv", ".yaml")):
        digest.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


_PART_TYPES = {
    "article_key": "string",
    "mention": "string",
    "start": "int64",
    "end": "int64",
    "place_id": "string",
    "name": "string",
    "kind": "string",
    "country": "string",
    "score": "float64",
    "lon": "float64",
    "lat": "float64",
    "control": "string",
    "control_status": "string",
    "control_as_of": "string",
}


def _part_schema():
    import pyarrow as pa

    return pa.schema([(name, pa.type_for_alias(t)) for name, t in _PART_TYPES.items()])


def write_part(folder: Path, results: Sequence[Result], version: str) -> Path | None:
    """One finished batch as a Parquet file (atomic); its keys are listed in the metadata.

    Articles with no places are listed too, so a rerun knows they are done.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = sorted(key for key, rows, _ in results if rows is not None)
    if not keys:
        return None
    columns: dict[str, list] = {name: [] for name in _PART_TYPES}
    for key, rows, _ in results:
        for row in rows or ():
            columns["article_key"].append(key)
            for name in _PART_TYPES:
                if name != "article_key":
                    columns[name].append(row[name])
    schema = _part_schema().with_metadata(
        {_META_KEY: json.dumps({"version": version, "keys": keys}).encode()}
    )
    table = pa.table(columns, schema=schema)
    digest = hashlib.sha256("\n".join([version, *keys]).encode()).hexdigest()
    name = f"part-{digest[:24]}.parquet"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, folder / name)
    finally:
        if tmp.exists():
            tmp.unlink()
    return folder / name


def prune_parts(folder: Path, version: str) -> int:
    """Delete parts made by another pipeline version (they are never reused); how many."""
    import pyarrow.parquet as pq

    removed = 0
    for part in sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []:
        try:
            meta = json.loads((pq.read_schema(part).metadata or {})[_META_KEY])
            stale = meta.get("version") != version
        except (OSError, KeyError, ValueError, TypeError):
            stale = False  # not recognisably ours: left alone
        if stale:
            part.unlink(missing_ok=True)
            removed += 1
    return removed


def done_parts(folder: Path, version: str) -> dict[str, Path]:
    """key -> the part holding it, over every readable part of this pipeline version."""
    import pyarrow.parquet as pq

    done: dict[str, Path] = {}
    if not folder.is_dir():
        return done
    for part in sorted(folder.glob("part-*.parquet")):
        try:
            meta = json.loads((pq.read_schema(part).metadata or {})[_META_KEY])
        except (OSError, KeyError, ValueError, TypeError):
            continue  # unreadable or foreign: ignored, its articles are redone
        if meta.get("version") != version:
            continue
        for key in meta.get("keys", []):
            done.setdefault(key, part)
    return done


def combine(items: Sequence[CorpusItem], done: dict[str, Path], out: Path) -> int:
    """Write the GeoParquet of ``items`` from their parts (atomic); return the row count."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    by_part: dict[Path, set[str]] = {}
    for item in items:
        if item.key in done:
            by_part.setdefault(done[item.key], set()).add(item.key)
    tables = []
    for part, keys in sorted(by_part.items()):
        table = pq.read_table(part, schema=_part_schema())
        mask = pc.is_in(table["article_key"], value_set=pa.array(sorted(keys)))
        tables.append(table.filter(mask))
    frame = (
        pa.concat_tables(tables).to_pandas() if tables else _part_schema().empty_table().to_pandas()
    )
    meta = pd.DataFrame(
        [(i.key, i.id, i.source, i.date, i.title, i.url) for i in items],
        columns=["article_key", "article_id", "source", "date", "title", "url"],
    )
    frame = frame.merge(meta, on="article_key", how="left", validate="many_to_one")
    frame = frame.sort_values(["article_id", "article_key", "start", "end"], kind="stable")
    frame = frame.reset_index(drop=True)
    has_point = frame["lon"].notna() & frame["lat"].notna()
    geometry = gpd.GeoSeries.from_xy(frame["lon"], frame["lat"], crs=4326)
    geometry[~has_point] = None
    gdf = gpd.GeoDataFrame(frame[list(COLUMNS)], geometry=geometry, crs=4326)
    for col in COLUMNS:
        if col not in ("start", "end", "score"):
            gdf[col] = gdf[col].astype(object).where(gdf[col].notna(), None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        gdf.to_parquet(tmp, index=False, compression="zstd")
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return len(gdf)


# --------------------------------------------------------------------------- running


def _batches(items: Sequence[CorpusItem], size: int) -> list[list[CorpusItem]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _task(batch: Sequence[CorpusItem]) -> list[Task]:
    return [(i.key, i.source, i.text, i.date) for i in batch]


def default_batch_size(count: int, workers: int) -> int:
    """Big enough to amortise a task's overhead, small enough to balance and to resume finely."""
    return max(1, min(64, math.ceil(count / max(1, workers * 8))))


def _local_results(
    batches: list[list[CorpusItem]], workers: int
) -> Iterator[tuple[list[CorpusItem], list[Result]]]:
    """Run batches on a local process pool; yield each as it finishes.

    Forked where the platform allows it, so workers start with the theatre data the parent
    has already loaded. On Ctrl-C, batches already running finish and are yielded first.
    """
    _warm_parent()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)
    pending: dict[Future, list[CorpusItem]] = {}
    try:
        for batch in batches:
            pending[pool.submit(geoparse_batch, _task(batch))] = batch
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                batch = pending.pop(fut)
                yield batch, _outcome(fut, batch)
    except KeyboardInterrupt:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True)
        for fut, batch in pending.items():
            if fut.done() and not fut.cancelled():
                yield batch, _outcome(fut, batch)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(fut: Any, batch: Sequence[CorpusItem]) -> list[Result]:
    """A finished task's results; a task that crashed as a whole fails each of its articles."""
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - reported per article, the run goes on
        reason = f"worker failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        return [(item.key, None, reason) for item in batch]


def _warm_parent() -> None:
    """Load theatres (and their gazetteer lookups) in the parent so forked workers inherit them."""
    _warm()


def _dask_results(
    batches: list[list[CorpusItem]], scheduler: str, workers: int
) -> Iterator[tuple[list[CorpusItem], list[Result]]]:
    """Run batches on a Dask cluster (``local`` starts a LocalCluster); yield each as it ends."""
    import logging

    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ConfigurationError("--scheduler needs dask[distributed] (make setup)") from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise ConfigurationError(f"cannot reach the Dask scheduler {scheduler!r} ({exc})") from None
    try:
        futures = {client.submit(geoparse_batch, _task(b), pure=False): b for b in batches}
        for fut in as_completed(futures):
            yield futures[fut], _outcome(fut, futures[fut])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def geoparse_corpus(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    batch_size: int | None = None,
    limit: int | None = None,
    progress: bool = True,
    on_failure: Callable[[str, str], None] | None = None,
) -> CorpusReport:
    """Geoparse every article under ``inputs`` into the GeoParquet file ``out``.

    Parameters
    ----------
    inputs
        Files, folders or glob patterns (see the module docstring for formats).
    out
        The GeoParquet file to write; finished batches are kept in ``<out>.parts/``.
    workers
        Local worker processes (default: one per CPU), or Dask workers for ``local``.
    scheduler
        A Dask scheduler address (``tcp://host:8786``), or ``local`` for a LocalCluster.
    batch_size
        Articles per task (default: from corpus size and workers, at most 64).
    limit
        Geoparse at most this many not-yet-done articles in this run (the rest wait for a rerun).
    progress
        Show a progress bar on stderr.
    on_failure
        Called with (source, reason) for each bad article as soon as it is known.

    Returns
    -------
    CorpusReport. On Ctrl-C the finished batches are kept and the report says ``interrupted``.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    out = Path(out)
    if out.exists() and out.is_dir():
        raise InputError(f"{out}: is a folder; --out names the GeoParquet file to write")
    if workers is not None and workers < 1:
        raise ConfigurationError("--workers must be at least 1")
    workers = workers or os.cpu_count() or 1
    items, failed = read_corpus(inputs)
    report = CorpusReport(out=out, total=len(items) + len(failed))
    notify = on_failure or (lambda source, reason: None)
    for source, reason in failed:
        report.failed.append((source, reason))
        notify(source, reason)

    folder = parts_dir(out)
    version = pipeline_version()
    done = done_parts(folder, version)
    todo = [i for i in items if i.key not in done]
    report.skipped = len(items) - len(todo)
    if limit is not None:
        todo = todo[: max(0, limit)]
    size = batch_size or default_batch_size(len(todo), workers)
    batches = _batches(todo, size)
    if not batches:
        runner: Iterable = ()
    elif scheduler:
        runner = _dask_results(batches, scheduler, workers)
    else:
        runner = _local_results(batches, workers)
    bar = tqdm(
        total=len(todo),
        desc="geo corpus",
        unit="article",
        file=sys.stderr,
        disable=not progress or not todo,
        dynamic_ncols=True,
    )
    try:
        for batch, results in runner:
            try:
                part = write_part(folder, results, version)
            except OSError as exc:
                raise InputError(f"{folder}: cannot write ({exc.strerror or exc})") from None
            sources = {i.key: i.source for i in batch}
            for key, rows, error in results:
                if rows is None:
                    report.failed.append((sources[key], error or "failed"))
                    notify(sources[key], error or "failed")
                else:
                    report.done += 1
                    if part is not None:
                        done[key] = part
            bar.update(len(batch))
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        bar.close()
        if hasattr(runner, "close"):
            runner.close()  # stops the pool or cluster even when the loop ended early
    if not report.interrupted:
        try:
            prune_parts(folder, version)
            report.rows = combine(items, done, out)
        except OSError as exc:
            raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    report.seconds = time.perf_counter() - started
    return report
