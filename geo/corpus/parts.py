"""The parts store: each finished batch of a corpus run as one Parquet file in ``<out>.parts/``.

A rerun skips every article already in a part of the same pipeline version, but only after
checking the part: next to each ``part-X.parquet`` a ``part-X.json`` records, when the part is
written, its pipeline version, article keys, row count, size and SHA-256. A part whose bytes or
row count no longer match (a disk error, a stray write, a truncated copy), or that has no
record, is damaged: it is deleted, named to the caller, and its articles are redone. The
combine step reads parts only through ``open_part``, which checks them again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from geo import settings
from geo._io import (
    atomic_path,
    digest,
    file_fingerprint,
    files_fingerprint,
    fingerprint,
    write_atomic,
)
from geo.corpus.rowgroups import GroupWriter, read_groups, schema_of
from geo.corpus.worker import ROW_TYPES, Result
from geo.errors import InputError

MANIFEST_SUFFIX = ".json"

PARTS_SUFFIX = ".parts"


def parts_dir(out: str | Path) -> Path:
    """Where finished batches of ``out`` are kept until (and after) the combined file."""
    out = Path(out)
    return out.with_name(out.name + PARTS_SUFFIX)


def pipeline_version() -> str:
    """What besides an article decides its rows: geo's version, the gazetteer index and the
    theatre data. Parts made with another of any of these are not reused.
    """
    from geo import __version__

    try:
        st = settings.gazetteer_path().stat()
        gazetteer = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        gazetteer = "none"
    root = settings.PACKAGE_DIR / "theatres"
    data = sorted(p for p in root.rglob("*") if p.suffix in (".csv", ".yaml"))
    return fingerprint(
        __version__,
        "parts with claims",  # parts from before the claims table are redone
        gazetteer,
        files_fingerprint(data, lambda f: str(f.relative_to(root))),
    )[:32]


def part_schema():
    """A part's rows: the article's key and its row (``worker.ROW_TYPES``)."""
    return schema_of({"article_key": "string", **ROW_TYPES})


class DamagedPart(Exception):
    """A part that does not match what was recorded when it was written."""


def _manifest_path(part: Path) -> Path:
    return part.with_suffix(MANIFEST_SUFFIX)


def _claims_part(part: Path) -> Path:
    """The claims of a part's articles, beside it (``claims-X.parquet`` for ``part-X``)."""
    return part.with_name("claims-" + part.name.removeprefix("part-"))


def write_part(folder: Path, results: Sequence[Result], version: str) -> Path | None:
    """One finished batch as a Parquet file and its record (checksum, rows, keys), atomically;
    its claims as a second file, recorded in the same record.

    Articles with no places are listed too, so a rerun knows they are done. The part is in
    place before its record, so a run killed in between leaves a part without a record: seen
    as damaged, and redone.
    """
    from geo.corpus.claims_table import claims_schema

    keys = sorted(key for key, rows, _ in results if rows is not None)
    if not keys:
        return None
    name = digest("\n".join([version, *keys]))[:24]
    part = folder / f"part-{name}.parquet"
    folder.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {"version": version, "keys": keys}
    record |= _write_rows(part, results, "places", part_schema())
    record["claims"] = _write_rows(_claims_part(part), results, "claims", claims_schema())
    write_atomic(_manifest_path(part), json.dumps(record).encode(), skip_unchanged=False)
    return part


def _write_rows(path: Path, results: Sequence[Result], field: str, schema) -> dict:
    """The ``field`` rows (``places`` or ``claims``) of a batch's articles, each with its
    article's key, written to ``path`` atomically a row group at a time; what the part's
    record keeps of the file (rows, bytes, SHA-256)."""
    import pyarrow as pa

    with atomic_path(path) as tmp:
        writer = GroupWriter(schema, tmp)
        for key, rows, _ in results:
            if rows is None:
                continue
            for table in read_groups(getattr(rows, field)):
                keys = pa.array([key] * table.num_rows, pa.string())
                writer.add(table.add_column(0, "article_key", keys))
        writer.close()
        sha, size = file_fingerprint(tmp)
    return {"rows": writer.rows, "bytes": size, "sha256": sha}


def _verify_file(path: Path, record: dict) -> None:
    """DamagedPart unless the file's bytes and row count are those recorded."""
    import pyarrow.parquet as pq

    try:
        sha, size = file_fingerprint(path)
    except OSError as exc:
        raise DamagedPart(f"cannot read ({exc.strerror or exc})") from None
    if size != record.get("bytes") or sha != record.get("sha256"):
        raise DamagedPart(f"checksum mismatch ({size} bytes, {record.get('bytes')} recorded)")
    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # noqa: BLE001 - any reader error means the same: not usable
        raise DamagedPart(f"not readable as Parquet ({type(exc).__name__})") from None
    if rows != record.get("rows"):
        raise DamagedPart(f"{rows} rows, {record.get('rows')} recorded")


def _record(part: Path) -> dict:
    """The part's record as written with it; DamagedPart when missing or unreadable."""
    try:
        record = json.loads(_manifest_path(part).read_bytes())
    except FileNotFoundError:
        raise DamagedPart("no checksum record") from None
    except (OSError, ValueError) as exc:
        raise DamagedPart(f"unreadable checksum record ({exc})") from None
    if not isinstance(record, dict) or not isinstance(record.get("keys"), list):
        raise DamagedPart("malformed checksum record")
    return record


def verify_part(part: Path, record: dict | None = None) -> dict:
    """The part's record once its bytes and row count, and its claims file's, match it;
    DamagedPart otherwise."""
    record = _record(part) if record is None else record
    _verify_file(part, record)
    claims = record.get("claims")
    if not isinstance(claims, dict):
        raise DamagedPart("no claims record")
    try:
        _verify_file(_claims_part(part), claims)
    except DamagedPart as exc:
        raise DamagedPart(f"claims: {exc}") from None
    return record


def drop_part(part: Path) -> None:
    """Delete a part and its record (its articles are then redone)."""
    part.unlink(missing_ok=True)
    _claims_part(part).unlink(missing_ok=True)
    _manifest_path(part).unlink(missing_ok=True)


def prune_parts(folder: Path, version: str) -> int:
    """Delete parts made by another pipeline version (they are never reused), records left
    without their part, and temporary files of killed runs; how many parts were deleted."""
    removed = 0
    if not folder.is_dir():
        return removed
    for part in sorted(folder.glob("part-*.parquet")):
        try:
            stale = _record(part).get("version") != version
        except DamagedPart:
            stale = False  # done_parts deals with it
        if stale:
            drop_part(part)
            removed += 1
    for record in folder.glob(f"part-*{MANIFEST_SUFFIX}"):
        if not record.with_suffix(".parquet").exists():
            record.unlink(missing_ok=True)
    for claims in folder.glob("claims-*.parquet"):
        if not claims.with_name("part-" + claims.name.removeprefix("claims-")).exists():
            claims.unlink(missing_ok=True)
    for tmp in [*folder.glob(".part-*.tmp"), *folder.glob(".claims-*.tmp")]:
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (a temp file's writer may still be at work)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def done_parts(
    folder: Path, version: str, on_damaged: Callable[[Path, str], None] | None = None
) -> dict[str, Path]:
    """key -> the part holding it, over every verified part of this pipeline version.

    A damaged part is deleted and reported through ``on_damaged(part, reason)``, so its
    articles are redone by this run.
    """
    done: dict[str, Path] = {}
    if not folder.is_dir():
        return done
    for part in sorted(folder.glob("part-*.parquet")):
        try:
            record = _record(part)
            if record.get("version") != version:
                continue  # another pipeline's: pruned, never used
            verify_part(part, record)
        except DamagedPart as exc:
            drop_part(part)
            if on_damaged is not None:
                on_damaged(part, str(exc))
            continue
        for key in record["keys"]:
            done.setdefault(key, part)
    return done


def open_part(part: Path, claims: bool = False):
    """A verified part (or its claims file) as a ``pyarrow.parquet.ParquetFile``, to be read
    a row group at a time.

    Checked against its record first: a part damaged since the run began is deleted and is
    one InputError naming it, never rows in the output.
    """
    import pyarrow.parquet as pq

    try:
        verify_part(part)
        return pq.ParquetFile(_claims_part(part) if claims else part)
    except DamagedPart as exc:
        drop_part(part)
        raise InputError(f"{part}: damaged part ({exc}); rerun to redo its articles") from None


def read_claims_part(part: Path | None):
    """A verified part's claims as an Arrow table (``None``: an empty table); a damaged part
    is deleted and is one InputError naming it, as in ``open_part``."""
    from geo.corpus.claims_table import claims_schema

    if part is None:
        return claims_schema().empty_table()
    return open_part(part, claims=True).read()
