"""A persistent on-disk cache of online geocoder answers, so each query is sent once ever.

Online services ask for at most one request a second and may be down; a run over many articles
repeats the same names. Answers are stored in one SQLite file under ``settings.CACHE_DIR``,
keyed by a hash of the canonical request (service, endpoint, query, parameters).

Only good answers are stored: the caller decides what is good (a list of records, possibly
empty) and never hands a failure to ``put``. A file that is not a readable SQLite database
(garbage bytes, truncated) is detected, moved aside and rebuilt, never a crash.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geo import settings
from geo._io import digest

log = logging.getLogger(__name__)

CACHE_FILENAME = "online-cache.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    request TEXT NOT NULL,
    answer TEXT NOT NULL,
    stored_at REAL NOT NULL
)
"""


def default_cache_path() -> Path:
    """The cache file; ``settings.CACHE_DIR`` is read at call time so tests can move it."""
    return Path(settings.CACHE_DIR) / CACHE_FILENAME


def canonical_query(query: str) -> str:
    """The query as the cache sees it: NFC, trimmed, inner whitespace collapsed, casefolded.

    Nominatim matches names case-insensitively, so ``"Tripoli"`` and ``" tripoli "`` are one
    request and are sent once.
    """
    return " ".join(unicodedata.normalize("NFC", query).split()).casefold()


def request_key(service: str, endpoint: str, query: str, params: Mapping[str, Any]) -> str:
    """A stable hash of the canonical request; equal requests give equal keys across runs."""
    return digest(_canonical_request(service, endpoint, query, params))


def _canonical_request(service: str, endpoint: str, query: str, params: Mapping[str, Any]) -> str:
    payload = {
        "service": service,
        "endpoint": endpoint.rstrip("/"),
        "query": canonical_query(query),
        "params": {k: params[k] for k in sorted(params) if params[k] is not None},
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class RequestCache:
    """Good answers of online geocoders on disk, one row per canonical request.

    Parameters
    ----------
    path
        The SQLite file; ``None`` means ``default_cache_path()`` at each use, so a test that
        moves ``settings.CACHE_DIR`` after construction is still honoured.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self._checked: Path | None = None

    @property
    def path(self) -> Path:
        """The file in use now."""
        return self._path if self._path is not None else default_cache_path()

    def get(
        self, service: str, endpoint: str, query: str, params: Mapping[str, Any]
    ) -> list[dict[str, Any]] | None:
        """The stored answer (a list of records, maybe empty), or ``None`` on a miss."""
        key = request_key(service, endpoint, query, params)
        row = self._run(lambda db: db.execute("SELECT answer FROM answers WHERE key = ?", (key,)))
        if row is None:
            log.info("%s cache miss: %r", service, query)
            return None
        try:
            answer = json.loads(row[0])
            if not isinstance(answer, list):
                raise ValueError("stored answer is not a list")
        except ValueError:
            # A damaged row is a miss; drop it so the next good answer replaces it.
            log.warning("%s cache: dropping an unreadable entry for %r", service, query)
            self._run(lambda db: db.execute("DELETE FROM answers WHERE key = ?", (key,)))
            return None
        log.info("%s cache hit: %r", service, query)
        return answer

    def put(
        self,
        service: str,
        endpoint: str,
        query: str,
        params: Mapping[str, Any],
        answer: list[dict[str, Any]],
    ) -> None:
        """Store a good answer (never a failure); an empty list records "no such place"."""
        if not isinstance(answer, list):
            raise TypeError("only a list of records is a cacheable answer")
        request = _canonical_request(service, endpoint, query, params)
        key = digest(request)
        text = json.dumps(answer, sort_keys=True, ensure_ascii=False)
        self._run(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO answers (key, service, request, answer, stored_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, service, request, text, time.time()),
            )
        )

    def __len__(self) -> int:
        row = self._run(lambda db: db.execute("SELECT count(*) FROM answers"))
        return int(row[0]) if row else 0

    def _run(self, statement: Any) -> tuple[Any, ...] | None:
        """Run one statement in its own connection; rebuild the file once if it is corrupt."""
        for attempt in (1, 2):
            try:
                with self._connect() as db:
                    row = statement(db).fetchone()
                return row
            except sqlite3.DatabaseError as exc:
                # OperationalError covers "database is locked": a busy file is not corrupt.
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise
                if attempt == 2:
                    raise
                self._rebuild(exc)
        return None  # pragma: no cover

    def _connect(self) -> _ClosingConnection:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=10)
        try:
            if self._checked != path:
                # A garbage file opens fine; the first read of the schema is what fails.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                db.execute(_SCHEMA)
                if version != SCHEMA_VERSION:
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("SELECT key, service, request, answer, stored_at FROM answers LIMIT 0")
                db.commit()
                self._checked = path
        except BaseException:
            db.close()
            raise
        return _ClosingConnection(db)

    def _rebuild(self, reason: Exception) -> None:
        path = self.path
        log.warning("online geocoder cache %s is unreadable (%s); rebuilding it", path, reason)
        self._checked = None
        aside = path.with_name(path.name + ".corrupt")
        for suffix in ("-journal", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        try:
            os.replace(path, aside)
        except FileNotFoundError:
            pass


class _ClosingConnection:
    """Commit (or roll back) and close on leaving the ``with`` block.

    ``sqlite3.Connection`` as a context manager only ends the transaction; it leaves the file
    open, which on a long run would leak one handle per lookup.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        return self._db

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self._db.commit()
            else:
                self._db.rollback()
        finally:
            self._db.close()
