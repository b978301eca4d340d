"""Writing files so that a reader, or a run killed mid-way, sees the old file or the new one and
never half of one; and the one content fingerprint (SHA-256) the caches and part files key on."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` for a writer (Parquet, SQLite, a GDAL driver) to fill;
    moved over ``target`` when the block ends normally, removed when it raises.

    The name is ``.<target>.<token>.<pid>.tmp``: hidden, unique per writer, and it says which
    process made it, so a cleanup can tell a live writer's file from a dead one's.
    """
    target = Path(target)
    tmp = _temp_name(target)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def replace_folder(new: Path, target: Path) -> None:
    """Put the finished folder ``new`` in place of ``target`` by two renames (the old folder
    aside, the new one in), then remove the old: a reader never sees a half-written folder."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def write_atomic(path: Path, data: bytes, *, skip_unchanged: bool = True) -> bool:
    """Write ``data`` to ``path`` through a temporary file (synced, mode 644) and ``os.replace``;
    False, and no write, when the file already holds exactly ``data``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if skip_unchanged:
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
        except OSError:
            pass
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    return True


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name[:80]}.{secrets.token_hex(4)}.{os.getpid()}.tmp")


def _same_bytes(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (read a chunk at a time); False if either is
    missing."""
    try:
        if os.stat(a).st_size != os.stat(b).st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


class StagedFiles:
    """Files written one at a time, each as soon as it is made, and put in place together.

    ``add`` streams a file's text to a temporary file beside its target (so a large file is
    never held whole, nor twice once encoded); ``commit`` moves them over their targets in the
    order they were added and says which changed. Until then no target is touched: a failure
    midway (``discard``, or leaving the ``with`` block by an exception) removes the temporary
    files and leaves the previous files as they were.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._staged: list[tuple[str, Path]] = []

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, name: str, chunks: Iterable[str]) -> None:
        """Write ``chunks`` (UTF-8) to a temporary file for ``name`` (relative to the folder)."""
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_name(target)
        self._staged.append((name, tmp))
        with open(tmp, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)

    def commit(self) -> list[str]:
        """Move every staged file over its target, in order; the names whose bytes changed (a
        file already holding the same bytes is left alone)."""
        changed = []
        staged, self._staged = self._staged, []
        try:
            for name, tmp in staged:
                target = self.folder / name
                if _same_bytes(tmp, target):
                    tmp.unlink()
                else:
                    os.replace(tmp, target)
                    changed.append(name)
        finally:
            for _, tmp in staged:
                tmp.unlink(missing_ok=True)
        return changed

    def discard(self) -> None:
        """Remove the files staged and not committed."""
        staged, self._staged = self._staged, []
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)


def _bytes(data: bytes | str) -> bytes:
    # surrogatepass: text decoded with surrogateescape (undecodable input) still hashes
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def digest(data: bytes | str) -> str:
    """The SHA-256 (hex) of ``data`` (text as UTF-8): the content hash in asset names and keys."""
    return hashlib.sha256(_bytes(data)).hexdigest()


def fingerprint(*parts: bytes | str) -> str:
    """The SHA-256 (hex) of the parts, each followed by a NUL so that ("ab", "c") and ("a", "bc")
    differ."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(_bytes(part))
        hasher.update(b"\0")
    return hasher.hexdigest()


def files_fingerprint(files: Iterable[Path], name: Callable[[Path], str]) -> str:
    """The fingerprint of files in the order given: each file's ``name(file)``, then its bytes."""
    return fingerprint(*(part for f in files for part in (name(f), f.read_bytes())))


def file_fingerprint(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) of a file's bytes, read in chunks, and its size."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
