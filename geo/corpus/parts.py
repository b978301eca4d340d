"""The parts store: each finished batch of a corpus run as one Parquet file in ``<out>.parts/``.

A rerun skips every article already in a part of the same pipeline version.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from geo import settings
from geo.corpus.worker import Result

PARTS_SUFFIX = ".parts"
_META_KEY = b"geo:corpus"


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
        if not rows:
            continue
        columns["article_key"].extend([key] * len(rows["start"]))
        for name in _PART_TYPES:
            if name != "article_key":
                columns[name].extend(rows[name])
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


def read_part(part: Path | None):
    """A part's rows as an Arrow table in the part schema (``None``: an empty table)."""
    import pyarrow.parquet as pq

    if part is None:
        return _part_schema().empty_table()
    return pq.read_table(part, schema=_part_schema())
