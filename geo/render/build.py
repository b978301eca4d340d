"""``geo build``: articles -> maps, incremental, parallel, atomic and deterministic.

- Incremental: each article's outputs are keyed by a hash of its bytes, the code (the ``geo``
  package sources and the npm lockfile), the gazetteer index and the theatre files that decide
  which places a theatre reaches (``REACH_FILES``); the other files of a theatre (control,
  events, maritime, sources...) are recorded per article only for the theatres its map used, so
  editing one control row rebuilds that theatre's articles and no others. An unchanged article
  with its files present is skipped; the check is one pass over the articles (linear).
- Parallel: articles are geoparsed and rendered in worker processes (``workers``) or on a Dask
  cluster (``scheduler``); each returns its files and the parent writes them, so output is the
  same bytes whatever the number of workers or the order they finish in.
- Atomic: every file is written to a temp file and moved into place with ``os.replace``, and a
  lock on the folder serialises concurrent builds; temp files a killed build left are removed.
- Resilient: an article that fails is reported with its reason; the rest still build.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo import settings
from geo._io import StagedFiles, digest, files_fingerprint, write_atomic
from geo.errors import ConfigurationError, GeoError, InputError
from geo.render.article_files import ArticleFile, find_articles, read_article_bytes

STATE_FILE = ".build-state.json"
SAVE_EVERY_SECONDS = 5.0
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_TEMP_RE = re.compile(r"^\..+\.tmp$")  # what write_atomic names its temp files
# Names an article page cannot take: the index, the assets folder, the default corpus map.
RESERVED = frozenset({"index", "assets", "corpus"})
# Theatre files that decide which places (so which articles) a theatre reaches: its countries,
# its routes and waypoints (places within reach of a route), and actors and backers (roles of
# the countries they come from). A change to one of these may touch any article.
REACH_FILES = frozenset(
    {"theatre.yaml", "routes.csv", "waypoints.csv", "actors.csv", "backers.csv"}
)
_THEATRE_SUFFIXES = (".csv", ".yaml", ".yml", ".json", ".geojson")


@dataclass
class BuildReport:
    """What a build did: built, skipped (unchanged), failed and passed-over inputs, and the
    files it wrote (relative to the output folder, only those whose bytes changed)."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


# --------------------------------------------------------------------------- versions and keys


def _hash_files(files: Sequence[Path], root: Path) -> str:
    return files_fingerprint(sorted(files), lambda f: str(f.relative_to(root)))


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code that shapes a map: geo's sources and static files, the npm lockfile."""
    root = settings.PACKAGE_DIR
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and "_npm" not in p.parts  # an installed package's npm files: the lockfile covers them
        and p.suffix in (".py", ".js", ".css", ".html")
    ]
    lock = settings.NPM_LOCK
    hashes = _hash_files(files, root)
    if lock.exists():
        hashes += digest(lock.read_bytes())
    return digest(hashes)


def _theatre_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in _THEATRE_SUFFIXES]


def _theatre_id(folder: Path) -> str:
    import yaml

    try:
        meta = yaml.safe_load((folder / "theatre.yaml").read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return folder.name
    return str(meta.get("id") or folder.name) if isinstance(meta, dict) else folder.name


def theatre_versions() -> tuple[str, dict[str, str]]:
    """(reach, {theatre id: content}) hashes of every theatre, bundled and the user's
    (``GEO_THEATRES``).

    ``reach`` covers ``REACH_FILES`` of every theatre (and which theatres exist); each content
    hash covers the rest of one theatre's files.
    """
    from geo.theatres import theatre_folders

    reach: list[str] = []
    content: dict[str, str] = {}
    for folder in theatre_folders():
        files = _theatre_files(folder)
        theatre = _theatre_id(folder)
        reach.append(
            f"{theatre}:{_hash_files([f for f in files if f.name in REACH_FILES], folder)}"
        )
        content[theatre] = _hash_files([f for f in files if f.name not in REACH_FILES], folder)
    return digest("|".join(reach)), content


def gazetteer_version() -> str:
    """The gazetteer index's size and time: a rebuilt index may resolve places differently."""
    try:
        st = settings.gazetteer_path().stat()
    except OSError:
        return "none"
    return f"{st.st_size}:{st.st_mtime_ns}"


def article_key(data: bytes, shared: str) -> str:
    """The rebuild key of one article: its bytes plus everything shared by all articles."""
    return digest(data + b"\0" + shared.encode())


# --------------------------------------------------------------------------- the output folder


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself (a second build waits for the first).

    Locking the folder, not a file in it, leaves nothing behind to clean up or ignore.
    """
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_RDONLY)
    _LOCKS.add(fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        _LOCKS.discard(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


_LOCKS: set[int] = set()  # lock descriptors this process holds (closed in forked workers)


def remove_stale_temp_files(out: Path) -> list[Path]:
    """Remove the temp files of writes that never finished (a killed build); call under the lock.

    Every writer into the folder (``geo build``, ``geo corpus-map``) holds the lock, so a temp
    file found while holding it belongs to no running write.
    """
    removed = []
    folders = [out, *(p for p in (out / "assets").rglob("*") if p.is_dir())]
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _TEMP_RE.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _load_state(out: Path) -> dict[str, Any]:
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
        if isinstance(state, dict) and isinstance(state.get("maps"), dict):
            return state
    except (OSError, ValueError):
        pass
    return {"maps": {}}


def _save_state(out: Path, state: dict[str, Any]) -> None:
    text = json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(out / STATE_FILE, text.encode("utf-8"))


def _forget_deleted(out: Path, state: dict[str, Any]) -> None:
    """Drop the maps of articles whose file is gone: their pages and data files, and index rows."""
    for key in [k for k in state["maps"] if not Path(k).exists()]:
        slug = state["maps"].pop(key)["slug"]
        for name in _outputs(slug):
            with contextlib.suppress(OSError):
                (out / name).unlink()


def safe_slug(slug: str | None, fallback: str, reserved: frozenset[str] = RESERVED) -> str:
    """A slug that names a file inside the output folder and nothing else (never a reserved
    name such as the index or a corpus map)."""
    from geo.articles import slugify

    value = slug if slug and _SLUG_RE.match(slug) else slugify(slug or fallback)
    if value in reserved:
        value += "-map"
    return value


def _outputs(slug: str) -> list[str]:
    return [f"{slug}.html", f"{slug}.geojson", f"{slug}.csv", f"{slug}.review.csv"]


# --------------------------------------------------------------------------- one article


def decode_article(data: bytes, name: str):
    """An ``Article`` from a file's bytes: UTF-8 text (a BOM allowed), never a binary file."""
    from geo.articles import article_from_text

    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start})") from None
    return article_from_text(text, name)


def _theatres_used(inputs: Any) -> list[str]:
    """The theatres this map drew on: those that apply to the article (``geo.join``'s one rule),
    which are also the only ones whose data joined its places."""
    return sorted({t.id for t in (inputs.theatre.theatres if inputs.theatre else [])})


def render_article(
    name: str, data: bytes, slug: str, files: StagedFiles | None = None
) -> dict[str, Any]:
    """Geoparse, enrich and render one article: its index entry, files and assets.

    With ``files`` (a local build) each file is written there as soon as it is made, and
    dropped: a text of 20,000 towns makes a 9 MB GeoJSON file and a 4 MB page, which need not
    all be held at once, twice once encoded. Without (a Dask worker) the files come back as
    text under ``"files"``. Nothing is put in place here: the caller commits the files.
    """
    from geo.build_places import gather, places_of
    from geo.memory import forget_many_lookups, release_freed
    from geo.places import Document
    from geo.render import article_map, claims, tables

    article = decode_article(data, name)
    # Geoparsed window by window into a tally per place: memory grows with places, not mentions.
    gathered = gather(article)
    forget_many_lookups()
    inputs = article_map.prepare(Document(article.path, article, gathered.rows), reuse_rows=True)
    inputs.slug = slug
    inputs.claims = gathered.claims
    inputs.places = found = places_of(gathered, inputs.rows)
    del gathered
    release_freed()  # each stage drops what it built; the next starts from what is kept
    out = files if files is not None else _Collected()
    # The data files first (they list the places and claims the map is drawn from), the page
    # last: the map appears only once its data files are in place.
    out.add(f"{slug}.geojson", tables.geojson_chunks(found))
    out.add(f"{slug}.csv", tables.csv_chunks(found))
    out.add(f"{slug}.review.csv", tables.review_chunks(found, claims.review_rows(inputs)))
    names = sorted({str(p.name) for p in found if getattr(p, "name", None)})
    entry = {
        "slug": slug,
        "title": inputs.title,
        "date": inputs.date,
        "source": inputs.source,
        "places": len(found),
        "mentions": sum(p.count for p in found),
        "low": sum(1 for p in found if p.low_confidence),
        "place_names": names[:40],
        "theatre_names": sorted({t.name for t in inputs.theatre.theatres})
        if inputs.theatre
        else [],
    }
    # Listed, the places the page does not draw go (19,000 of 20,000 different towns), and so
    # do the rows (the places and claims hold what the page shows).
    inputs.places = article_map.drawn_places(found, settings.MAX_PLACES_DRAWN)
    inputs.place_count = len(found)
    inputs.rows = []
    del found, names
    release_freed()
    m = article_map.build_map(inputs)
    release_freed()
    page, assets = article_map.render_page(m, name)
    del m
    release_freed()
    out.add(f"{slug}.html", _pieces(page))
    del page
    rendered = {"entry": entry, "assets": assets, "theatres": _theatres_used(inputs)}
    if isinstance(out, _Collected):
        rendered["files"] = out.files
    return rendered


class _Collected:
    """Files held as text, for a build whose workers cannot write into the output folder."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def add(self, name: str, chunks: Iterable[str]) -> None:
        self.files[name] = "".join(chunks)


def _pieces(text: str, size: int = 1 << 20) -> Iterator[str]:
    """``text`` a megabyte at a time (encoded piece by piece, never all at once)."""
    for at in range(0, len(text), size):
        yield text[at : at + size]


def _failure(name: str, exc: BaseException) -> str:
    if isinstance(exc, GeoError):
        return str(exc)
    last = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"


Task = tuple[str, bytes, str]  # (name, bytes, slug)
Outcome = tuple[dict[str, Any] | None, str | None]  # (rendered, error)


def render_task(task: Task, files: StagedFiles | None = None) -> Outcome:
    """``render_article`` for a pool or a cluster: failures come back as text, never raised."""
    name, data, slug = task
    try:
        return render_article(name, data, slug, files), None
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
        return None, _failure(name, exc)


# --------------------------------------------------------------------------- where tasks run


def render_and_write(out: Path, task: Task, assets_done: set[str] | None = None) -> Outcome:
    """``render_task`` that also writes the article's files into ``out``: each as it is made,
    all put in place once the article is done (a failure midway leaves its previous files as
    they were), the page last. ``assets_done``: assets already written in this build (a
    worker's own set by default). In a worker, the pages need not travel back through a pipe
    and the parent's loop does not wait on each file's sync, so two workers keep two cores
    busy."""
    done = _WRITTEN_ASSETS if assets_done is None else assets_done
    try:
        with StagedFiles(out) as staged:
            rendered, error = render_task(task, staged)
            if rendered is None:
                return rendered, error
            written = _write_assets(out, rendered["assets"], done) + staged.commit()
    except OSError as exc:
        return None, _failure(task[0], exc)
    kept = {k: v for k, v in rendered.items() if k != "assets"}
    return kept | {"written": written}, None


_WRITTEN_ASSETS: set[str] = set()  # assets this worker process has written in this build


def warm() -> None:
    """Load what every article needs (gazetteer, theatres, map code) once, before forking."""
    from geo import join
    from geo.gazetteer.index import open_index
    from geo.render import article_map  # noqa: F401 - imported to be inherited

    open_index()
    join.warm()
    from geo.render.theatre_layers import shared_layers
    from geo.theatres import load_all

    for theatre in load_all():  # computed once here, not once in every worker after a fork
        shared_layers(theatre.id)


def _worker_init() -> None:
    """A forked worker: its own gazetteer connection (SQLite handles must not cross a fork);
    the theatres and caches the parent loaded come with the fork. Ctrl-C is the parent's."""
    import signal

    from geo.gazetteer import index

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker must never keep the folder lock alive: a flock lasts while any copy of its
    # descriptor is open, so a killed build's workers would block every later build.
    for fd in list(_LOCKS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _LOCKS.clear()
    _die_with_parent()
    index._OPEN.clear()
    index.open_index()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the build that forked it dies (a kill -9 included)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _in_process(tasks: Iterator[Task], out: Path) -> Iterator[tuple[Task, Outcome]]:
    done: set[str] = set()  # assets written so far
    for task in tasks:
        yield task, render_and_write(out, task, done)


def _local_pool(tasks: Iterator[Task], workers: int, out: Path) -> Iterator[tuple[Task, Outcome]]:
    """Run tasks on forked worker processes that write their articles' files into ``out``, a
    few in flight per worker; yield as they end."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    warm()
    first = next(tasks, None)
    if first is None:
        return
    # The first article renders here: every cache a page fills (imports, theatre layers,
    # labels, templates) is then inherited by each worker instead of filled once per worker,
    # and so is the set of assets it wrote.
    _WRITTEN_ASSETS.clear()
    yield first, render_and_write(out, first)
    gc.freeze()  # objects inherited by the workers: keep their pages shared, not copied
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_worker_init,
    )
    pending: dict[Any, Task] = {}
    try:
        for task in tasks:
            pending[pool.submit(render_and_write, out, task)] = task
            while len(pending) >= workers * 3:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield pending.pop(fut), _pool_outcome(fut)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield pending.pop(fut), _pool_outcome(fut)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_dask(tasks: Iterator[Task], scheduler: str, workers: int) -> Iterator[tuple[Task, Outcome]]:
    """Run tasks on a Dask cluster (``geo corpus``'s client: an address, or ``local``)."""
    from distributed import as_completed

    from geo.corpus.runners import dask_client

    with dask_client(scheduler, workers) as client:
        pending: dict[Any, Task] = {}
        finished = as_completed()
        for task in tasks:
            fut = client.submit(render_task, task, pure=False)
            pending[fut] = task
            finished.add(fut)
        for fut in finished:
            yield pending.pop(fut), _pool_outcome(fut)


def _pool_outcome(fut: Any) -> Outcome:
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - a dead worker fails its article, not the build
        return None, f"worker failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"


# --------------------------------------------------------------------------- the build


@dataclass
class _Todo:
    name: str
    state_key: str
    file: ArticleFile
    key: str
    slug: str


def _plan(
    articles: Sequence[ArticleFile],
    out: Path,
    state: dict[str, Any],
    shared: str,
    theatres: dict[str, str],
    reserved: frozenset[str],
    force: bool,
    report: BuildReport,
) -> list[_Todo]:
    """One pass over the articles: skip the unchanged ones, give the rest their slugs."""
    maps = state["maps"]
    current = {str(a.path.resolve()) for a in articles}
    # Slugs of maps kept from other inputs, and of the unchanged maps kept here, are taken.
    taken = set(reserved) | {e["slug"] for k, e in maps.items() if k not in current}
    wanted: list[tuple[ArticleFile, str, str, str]] = []
    for article in articles:
        name, state_key = str(article.path), str(article.path.resolve())
        try:
            data = read_article_bytes(article, settings.MAX_ARTICLE_BYTES)
        except GeoError as exc:
            report.failed.append((name, str(exc)))
            continue
        key = article_key(data, shared)
        previous = maps.get(state_key)
        if (
            not force
            and previous
            and previous.get("key") == key
            and previous["slug"] not in taken
            and all(theatres.get(t) == h for t, h in (previous.get("theatres") or {}).items())
            and all((out / f).exists() for f in _outputs(previous["slug"]))
        ):
            taken.add(previous["slug"])
            report.skipped.append(name)
            continue
        try:
            slug = decode_article(data, name).slug
        except GeoError as exc:
            report.failed.append((name, str(exc)))
            continue
        wanted.append((article, state_key, key, safe_slug(slug, article.path.stem, reserved)))
    todo = []
    for article, state_key, key, slug in wanted:
        base, n = slug, 2
        while slug in taken:
            slug = f"{base[:75]}-{n}"
            n += 1
        taken.add(slug)
        todo.append(_Todo(str(article.path), state_key, article, key, slug))
    return todo


def _tasks(todo: Sequence[_Todo], report: BuildReport) -> Iterator[Task]:
    """Each article's bytes, read again as it is handed out (only a few held at a time)."""
    for item in todo:
        try:
            data = read_article_bytes(item.file, settings.MAX_ARTICLE_BYTES)
        except GeoError as exc:
            report.failed.append((item.name, str(exc)))
            continue
        yield item.name, data, item.slug


def write_index(out: Path, state: dict[str, Any]) -> bool:
    """Rewrite ``index.html`` from the build state (maps whose page is on disk)."""
    from geo.render.index_page import corpus_maps_in, write_index_page

    entries = [e for e in state["maps"].values() if (out / f"{e['slug']}.html").exists()]
    return write_index_page(out, entries, corpus_maps_in(out))


def _runner(
    scheduler: str | None, workers: int, count: int, out: Path
) -> Callable[[Iterator[Task]], Iterator[tuple[Task, Outcome]]]:
    if scheduler:
        return lambda tasks: _on_dask(tasks, scheduler, workers)
    if workers > 1 and count > 1:
        return lambda tasks: _local_pool(tasks, min(workers, count), out)
    return lambda tasks: _in_process(tasks, out)


def build(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    force: bool = False,
    progress: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    follow_symlinks: bool = False,
) -> BuildReport:
    """Build a map (and its data files) for every article under ``paths`` into ``out``.

    ``workers`` processes render articles side by side, or the workers of the Dask cluster at
    ``scheduler`` (an address, or ``local`` for a LocalCluster of ``workers`` processes); the
    output is the same whatever their number.
    """
    from tqdm import tqdm

    if workers < 1:
        raise ConfigurationError("--workers must be at least 1")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out must be a folder, and this is a file")
    articles, ignored = find_articles(paths, follow_symlinks=follow_symlinks)
    report = BuildReport(ignored=ignored)
    by_name: dict[str, _Todo] = {}
    with build_lock(out):
        remove_stale_temp_files(out)
        state = _load_state(out)
        _forget_deleted(out, state)
        reach, theatres = theatre_versions()
        shared = "|".join([code_version(), reach, gazetteer_version()])
        from geo.render.index_page import corpus_maps_in

        reserved = RESERVED | {Path(m["file"]).stem for m in corpus_maps_in(out)}
        todo = _plan(articles, out, state, shared, theatres, reserved, force, report)
        if todo and not scheduler:
            from geo.gazetteer.index import open_index

            open_index()  # an unusable cache folder is one error, not one per article
        by_name = {t.name: t for t in todo}
        order = {t.name: i for i, t in enumerate(todo)}
        built: list[str] = []
        copied: set[str] = set()
        saved = time.monotonic()
        run = _runner(scheduler, workers, len(todo), out)
        bar = tqdm(
            total=len(todo),
            desc="geo build",
            unit="article",
            file=sys.stderr,
            disable=not (progress and todo and sys.stderr.isatty()),
            dynamic_ncols=True,
        )
        try:
            for (name, _, _), (rendered, error) in run(_tasks(todo, report)):
                bar.update(1)
                if rendered is None:
                    report.failed.append((name, error or "failed"))
                    continue
                item = by_name[name]
                if "written" in rendered:  # a local worker wrote them
                    fresh = [n for n in rendered["written"] if n not in copied]
                    copied.update(n for n in fresh if n.startswith("assets/"))
                    report.written.extend(fresh)
                else:
                    report.written.extend(_write_outputs(out, rendered, copied))
                entry = rendered["entry"] | {
                    "key": item.key,
                    "path": name,
                    "theatres": {t: theatres.get(t, "") for t in rendered["theatres"]},
                }
                state["maps"][item.state_key] = entry
                built.append(name)
                if time.monotonic() - saved > SAVE_EVERY_SECONDS:
                    # A build killed later still keeps what it finished (and skips it next time).
                    _save_state(out, state)
                    saved = time.monotonic()
        finally:
            bar.close()
            _save_state(out, state)
            if write_index(out, state):
                report.written.append("index.html")
        report.built = sorted(built, key=order.__getitem__)
        report.failed.sort(key=lambda f: order.get(f[0], -1))
    return report


def _write_outputs(out: Path, rendered: dict[str, Any], copied: set[str]) -> list[str]:
    """Write one article's assets (each once per build) and files sent back as text (a Dask
    build); the names that changed."""
    written = _write_assets(out, rendered["assets"], copied)
    for name, text in rendered["files"].items():
        if write_atomic(out / name, text.encode("utf-8")):
            written.append(name)
    return written


def _write_assets(out: Path, assets: Sequence[Any], copied: set[str]) -> list[str]:
    """Write the assets not yet in ``copied`` (each once per build); the names that changed."""
    written = []
    for asset in assets:
        if asset.relpath in copied:
            continue
        copied.add(asset.relpath)
        if write_atomic(out / asset.relpath, asset_bytes(asset)):
            written.append(asset.relpath)
    return written


def asset_bytes(asset: Any) -> bytes:
    """An asset's bytes: generated content it carries, or the installed file it names."""
    data = getattr(asset, "data", None)
    return data if isinstance(data, bytes) else Path(asset.source).read_bytes()
