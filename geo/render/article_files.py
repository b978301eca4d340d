"""Which files ``geo build`` reads, and reading each one within the size limit.

A folder contributes its regular files with an article suffix, and nothing else: symbolic links
(unless ``follow_symlinks``), link loops, dangling links, FIFOs, devices and sockets are skipped,
each with a reason, so a link to ``/dev/zero`` or to a file outside the folder is never read. A
file named directly is the user's choice and may be a link, but it must lead to a regular file.
Reading opens the file once (never following a link that was not allowed, never blocking on a
FIFO), checks it is a regular file under the limit with ``fstat``, and reads at most the limit.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.errors import InputError

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass(frozen=True)
class ArticleFile:
    """An article to read; ``follow`` allows its path to be a symbolic link."""

    path: Path
    follow: bool = False


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _link_target_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed to a regular file, or None when it can."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop, skipped"
        if exc.errno == errno.ENOENT:
            return "dangling symbolic link, skipped"
        return f"symbolic link cannot be followed ({exc.strerror or exc}), skipped"
    if not stat.S_ISREG(mode):
        return f"symbolic link to {_kind(mode)}, skipped"
    return None


def _from_folder(
    folder: Path, follow_symlinks: bool
) -> tuple[list[ArticleFile], list[tuple[str, str]]]:
    found: list[ArticleFile] = []
    skipped: list[tuple[str, str]] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"{folder}: cannot list ({exc.strerror or exc})") from None
    for entry in entries:
        path = Path(entry.path)
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError:
            continue  # gone while listing
        if stat.S_ISLNK(mode):
            problem = _link_target_problem(path)
            if problem is None and path.is_dir():
                continue
            if problem is None and not follow_symlinks:
                problem = "symbolic link, skipped (--follow-symlinks reads it)"
            if problem is not None:
                skipped.append((str(path), problem))
            elif path.suffix.lower() in ARTICLE_SUFFIXES:
                found.append(ArticleFile(path, follow=True))
        elif stat.S_ISREG(mode):
            if path.suffix.lower() in ARTICLE_SUFFIXES:
                found.append(ArticleFile(path))
        elif not stat.S_ISDIR(mode):
            skipped.append((str(path), f"{_kind(mode)}, skipped"))
    return found, skipped


def find_articles(
    paths: Sequence[str | Path], follow_symlinks: bool = False
) -> tuple[list[ArticleFile], list[tuple[str, str]]]:
    """Article files named directly or found (sorted) in the folders named, and what was skipped.

    A name that does not exist is an InputError; skipped entries come back as (path, reason).
    """
    found: list[ArticleFile] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            more, passed = _from_folder(path, follow_symlinks)
            found.extend(more)
            skipped.extend(passed)
        elif path.is_symlink():
            problem = _link_target_problem(path)
            if problem is not None:
                skipped.append((str(path), problem))
            else:
                found.append(ArticleFile(path, follow=True))
        elif path.exists():
            mode = path.stat().st_mode
            if stat.S_ISREG(mode):
                found.append(ArticleFile(path))
            else:
                skipped.append((str(path), f"{_kind(mode)}, skipped"))
        else:
            raise InputError(f"{raw}: no such file or folder")
    return found, skipped


def read_article_bytes(article: ArticleFile, max_bytes: int) -> bytes:
    """The file's bytes; refused (InputError) before reading when it is not a regular file
    or is over ``max_bytes``, and never more than ``max_bytes`` read if it grows meanwhile."""
    name = str(article.path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not article.follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(article.path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{name}: is a symbolic link, not read") from None
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: {_kind(info.st_mode)}, not an article file")
        if info.st_size > max_bytes:
            raise InputError(
                f"{name}: {info.st_size / 1e6:.0f} MB is over the {max_bytes / 1e6:.0f} MB limit"
                " (set GEO_MAX_ARTICLE_BYTES to raise it)"
            )
        os.set_blocking(fd, True)
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise InputError(f"{name}: grew over the {max_bytes / 1e6:.0f} MB limit while read")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
