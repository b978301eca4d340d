"""``geo build``: articles -> maps, incremental, atomic and deterministic.

- Incremental: each article's outputs are keyed by a hash of its bytes, the theatre data, the
  code (the ``geo`` package sources and the npm lockfile) and the gazetteer index; an unchanged
  key with its files present is skipped.
- Atomic: every file is written to a temp file and moved into place with ``os.replace``, and a
  lock file serialises concurrent builds into one folder, so a killed build leaves each earlier
  map whole and two builds never interleave.
- Resilient: an article that fails is reported with its reason; the rest still build.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo import settings
from geo.articles import slugify
from geo.errors import GeoError, InputError
from geo.render.assets import copy_assets, write_atomic

STATE_FILE = ".build-state.json"
SAVE_EVERY_SECONDS = 5.0
ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
RESERVED = {"index", "assets"}


@dataclass
class BuildReport:
    """What a build did: built, skipped (unchanged) and failed articles with reasons."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def find_articles(paths: Sequence[str | Path]) -> list[Path]:
    """Article files named directly, or found (sorted) in the folders named."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                )
            )
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{raw}: no such file or folder")
    return found


def _hash_files(files: Sequence[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for f in sorted(files):
        digest.update(str(f.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(f.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code that shapes a map: geo's sources and the npm lockfile."""
    root = settings.PACKAGE_DIR
    files = [p for p in root.rglob("*.py") if "__pycache__" not in p.parts]
    lock = settings.PROJECT_DIR / "package-lock.json"
    digest = _hash_files(files, root)
    if lock.exists():
        digest += hashlib.sha256(lock.read_bytes()).hexdigest()
    return hashlib.sha256(digest.encode()).hexdigest()


def theatre_version() -> str:
    """A hash of every theatre's data files, bundled and the user's (``GEO_THEATRES``), so
    editing control or routes, or importing a theatre, rebuilds the maps."""
    from geo.theatres import theatre_folders

    digests = []
    for folder in theatre_folders():
        files = [
            p
            for p in folder.rglob("*")
            if p.is_file() and p.suffix in (".csv", ".yaml", ".yml", ".json", ".geojson")
        ]
        digests.append(f"{folder.name}:{_hash_files(files, folder)}")
    return hashlib.sha256("|".join(digests).encode()).hexdigest() if digests else "none"


def gazetteer_version() -> str:
    """The gazetteer index's size and time: a rebuilt index may resolve places differently."""
    try:
        st = settings.gazetteer_path().stat()
    except OSError:
        return "none"
    return f"{st.st_size}:{st.st_mtime_ns}"


def article_key(path: Path, shared: str) -> str:
    """The rebuild key of one article: its bytes plus everything shared."""
    return hashlib.sha256(path.read_bytes() + b"\0" + shared.encode()).hexdigest()


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself (a second build waits for the first).

    Locking the folder, not a file in it, leaves nothing behind to clean up or ignore.
    """
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


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


def safe_slug(slug: str | None, fallback: str) -> str:
    """A slug that names a file inside the output folder and nothing else."""
    value = slug if slug and _SLUG_RE.match(slug) else slugify(slug or fallback)
    if value in RESERVED:
        value += "-map"
    return value


def _outputs(slug: str) -> list[str]:
    return [f"{slug}.html", f"{slug}.geojson", f"{slug}.csv", f"{slug}.review.csv"]


def build_one(path: Path, out: Path, slug_taken: set[str]) -> dict[str, Any]:
    """Geoparse, enrich and render one article; write its files; return its index entry."""
    from geo.places import places_from_file
    from geo.render import article_map, tables
    from geo.render.places import group_places

    inputs = article_map.prepare(places_from_file(path))
    slug = safe_slug(inputs.slug, path.stem)
    base, n = slug, 2
    while slug in slug_taken:
        slug = f"{base[:75]}-{n}"
        n += 1
    inputs.slug = slug
    m = article_map.build_map(inputs)
    page, assets = article_map.render_page(m, str(path))
    found = group_places(inputs.rows)
    copy_assets(assets, out)
    files = {
        f"{slug}.geojson": tables.places_geojson(found),
        f"{slug}.csv": tables.places_csv(found),
        f"{slug}.review.csv": tables.review_csv(found),
        f"{slug}.html": page,  # last: the map appears only once its data files are in place
    }
    for name, text in files.items():
        write_atomic(out / name, text.encode("utf-8"))
    return {
        "slug": slug,
        "title": inputs.title,
        "date": inputs.date,
        "source": inputs.source,
        "places": len(found),
        "mentions": sum(len(p.mentions) for p in found),
        "low": sum(1 for p in found if p.low_confidence),
    }


def write_index(out: Path, state: dict[str, Any]) -> None:
    """Rewrite ``index.html`` from the build state (maps whose page is on disk)."""
    from geo.render.index_page import corpus_maps_in, index_html

    entries = [e for e in state["maps"].values() if (out / f"{e['slug']}.html").exists()]
    write_atomic(out / "index.html", index_html(entries, corpus_maps_in(out)).encode("utf-8"))


def build(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    force: bool = False,
    progress: bool = True,
) -> BuildReport:
    """Build a map (and its data files) for every article under ``paths`` into ``out``."""
    from tqdm import tqdm

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out must be a folder, and this is a file")
    articles = find_articles(paths)
    report = BuildReport()
    with build_lock(out):
        state = _load_state(out)
        _forget_deleted(out, state)
        shared = "|".join([code_version(), theatre_version(), gazetteer_version()])
        taken = {
            e["slug"]
            for k, e in state["maps"].items()
            if k not in {str(p.resolve()) for p in articles}
        }
        saved = time.monotonic()
        for path in tqdm(
            articles,
            desc="geo build",
            unit="article",
            file=sys.stderr,
            disable=not progress,
            dynamic_ncols=True,
        ):
            name = str(path)
            key_name = str(path.resolve())
            try:
                key = article_key(path, shared)
            except OSError as exc:
                report.failed.append((name, f"cannot read ({exc.strerror or exc})"))
                continue
            previous = state["maps"].get(key_name)
            if (
                not force
                and previous
                and previous.get("key") == key
                and previous["slug"] not in taken
                and all((out / f).exists() for f in _outputs(previous["slug"]))
            ):
                taken.add(previous["slug"])
                report.skipped.append(name)
                continue
            try:
                entry = build_one(path, out, taken)
            except GeoError as exc:
                report.failed.append((name, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
                last = traceback.extract_tb(exc.__traceback__)[-1]
                where = f" ({Path(last.filename).name}:{last.lineno})"
                report.failed.append((name, f"{type(exc).__name__}: {exc}{where}"))
                continue
            entry["key"] = key
            entry["path"] = name
            state["maps"][key_name] = entry
            taken.add(entry["slug"])
            report.built.append(name)
            if time.monotonic() - saved > SAVE_EVERY_SECONDS:
                # A build killed later still keeps what it finished (and skips it next time).
                _save_state(out, state)
                saved = time.monotonic()
        _save_state(out, state)
        write_index(out, state)
    return report


def main_build(paths: Sequence[str], out: str, force: bool = False, quiet: bool = False) -> int:
    """The CLI's ``geo build``: print failures and a summary on stderr; 2 when any failed."""
    report = build(paths, out, force=force, progress=not quiet)
    for name, reason in report.failed:
        print(f"geo build: {name}: {reason}", file=sys.stderr)
    print(
        f"geo build: {len(report.built)} built, {len(report.skipped)} unchanged, "
        f"{len(report.failed)} failed -> {os.fspath(out)}",
        file=sys.stderr,
    )
    return 0 if report.ok else 2
