"""Queries on the offline gazetteer index: name -> ranked candidate places.

Opening is cheap (one SQLite file, read-only); each lookup is an indexed key search, and the
recogniser's repeated lookups are memoised per process.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from shapely import wkb

from geo import settings
from geo.errors import GazetteerError
from geo.gazetteer.build import (
    ALTERNATE,
    DEMONYM,
    OUTRANKED,
    PRIMARY,
    TRANSLIT,
    ensure_index,
    index_is_current,
)
from geo.gazetteer.fold import fold, translit_keys

# How much a kind of place weighs before context is known, as a population-like number.
KIND_PRIOR = {
    "continent": 2e8,
    "country": 1e8,
    "ocean": 1e8,
    "sea": 3e7,
    "gulf": 5e7,
    "region": None,  # its population, scaled by REGION_WEIGHT
    "subregion": 3e8,
    # An airport is named in the news when it matters: worth a sizeable town (its alternate
    # names count 0.15 of that, below a city of the same name over 15,000 people).
    "airport": 1e5,
}
REGION_WEIGHT = 0.3
CAPITAL_BONUS = 5.0
ALTERNATE_PENALTY = 0.15
OUTRANKED_PENALTY = 0.01
# GeoNames lists a town of unknown population among its cities over 500 people only when it is
# the seat of an administrative division ('Tall Abyad'): worth a small town, not a hamlet.
SEAT_PRIOR = 5000.0


@dataclass(frozen=True)
class Entry:
    """One gazetteer place; ``flags`` say how the looked-up name matched it."""

    id: str
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    population: int
    admin1: str | None = None
    capital: bool = False
    source: str = ""
    flags: int = 0
    _index: GazetteerIndex | None = field(default=None, repr=False, compare=False)

    @property
    def geometry(self):
        """The place's shape (shapely) where the gazetteer has one, else None.

        Read on demand: lookups run by the thousand and rarely need shapes."""
        return self._index.geometry_of(self.id) if self._index is not None else None

    @property
    def is_demonym_match(self) -> bool:
        return bool(self.flags & DEMONYM) and not self.flags & (PRIMARY | ALTERNATE)

    @property
    def is_primary_match(self) -> bool:
        return bool(self.flags & PRIMARY)

    @property
    def prior(self) -> float:
        """A population-like importance used before document context is considered."""
        base = KIND_PRIOR.get(self.kind)
        if self.kind == "region":
            base = max(self.population * REGION_WEIGHT, 5e4)
        elif base is None:
            base = float(max(self.population, 0)) or (
                1e5 if self.id.startswith("geo:") else SEAT_PRIOR
            )
            if self.id.startswith("geo:"):
                base = max(base, 1e5)
        if self.capital:
            base *= CAPITAL_BONUS
        if not self.flags & (PRIMARY | DEMONYM) and self.population < 1e5:
            base *= ALTERNATE_PENALTY  # a village's alternate names are mostly noise
        if self.flags & OUTRANKED:
            base *= OUTRANKED_PENALTY
        return base

    @property
    def log_prior(self) -> float:
        return math.log(self.prior + 1.0)


_COLUMNS = (
    "p.id, p.name, p.kind, p.country, p.lat, p.lon, p.population, p.admin1, p.capital, p.source"
)


class GazetteerIndex:
    """A read-only handle on the index file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self._con.execute("SELECT 1 FROM names LIMIT 1")
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index {path} is unreadable ({exc})") from None
        self._lookup = lru_cache(maxsize=50_000)(self._lookup_uncached)
        self._translit = lru_cache(maxsize=20_000)(self._translit_uncached)
        self._common: dict[str, int] | None = None
        self._english: frozenset[str] | None = None
        self._translit_keys: frozenset[str] | None = None

    def _lookup_uncached(self, key: str, table: str = "names") -> tuple[Entry, ...]:
        try:
            rows = self._con.execute(
                f"SELECT {_COLUMNS}, n.flags FROM {table} n "
                "JOIN places p ON p.idx = n.idx WHERE n.key = ?",
                (key,),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(
                f"gazetteer index {self.path} is damaged ({exc}); "
                "rebuild it with `geo setup --force`"
            ) from None
        entries = [self._entry(r[:10], r[10]) for r in rows]
        entries.sort(key=lambda e: (-e.prior, e.id))
        return tuple(entries)

    @property
    def common_words(self) -> dict[str, int]:
        """Frequent English words (with rank) that are not mainly names of big places."""
        if self._common is None:
            import json

            row = self._con.execute("SELECT value FROM meta WHERE key='common_words'").fetchone()
            self._common = json.loads(row[0]) if row else {}
        return self._common

    @property
    def english_words(self) -> frozenset[str]:
        """The most frequent English words, including those that are also big places."""
        if self._english is None:
            import json

            row = self._con.execute("SELECT value FROM meta WHERE key='english_words'").fetchone()
            self._english = frozenset(json.loads(row[0])) if row else frozenset()
        return self._english

    def _translit_uncached(self, key: str) -> tuple[Entry, ...]:
        from dataclasses import replace

        return tuple(
            replace(e, flags=e.flags | TRANSLIT) for e in self._lookup_uncached(key, "translit")
        )

    def lookup_translit(self, name: str) -> tuple[Entry, ...]:
        """Candidates whose name is another romanisation of ``name`` ('Garabulli' for
        Qarabulli), best prior first; asked when the exact name is unknown."""
        if self._translit_keys is None:
            rows = self._con.execute("SELECT DISTINCT key FROM translit").fetchall()
            self._translit_keys = frozenset(r[0] for r in rows)
        found: tuple[Entry, ...] = ()
        for key in translit_keys(name):
            if key in self._translit_keys:
                seen = {e.id for e in found}
                found += tuple(e for e in self._translit(key) if e.id not in seen)
        return found

    def existing_keys(self, keys: list[str]) -> list[str]:
        """Those of ``keys`` that name some place, in one query: many guesses at once cost
        about as much as one lookup."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._con.execute(
            f"SELECT DISTINCT key FROM names WHERE key IN ({marks})", keys
        ).fetchall()
        return sorted((r[0] for r in rows), key=keys.index)

    def lookup_key(self, key: str) -> tuple[Entry, ...]:
        """Candidates for an already folded key, best prior first."""
        return self._lookup(key)

    def lookup(self, name: str, country: str | None = None, limit: int | None = 20) -> list[Entry]:
        """Candidates for a name, best prior first; ``country`` (ISO2) filters them."""
        found = list(self._lookup(fold(name))) or list(self.lookup_translit(name))
        if country:
            found = [e for e in found if (e.country or "").upper() == country.upper()]
        return found[:limit] if limit else found

    def _entry(self, row: tuple, flags: int) -> Entry:
        pid, name, kind, country, lat, lon, pop, admin1, capital, source = row
        return Entry(
            pid, name, kind, country, lat, lon, pop or 0, admin1, bool(capital), source, flags, self
        )

    def get(self, place_id: str) -> Entry | None:
        """The place with this id (e.g. 'geonames:2210247'), or None."""
        row = self._con.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.id = ?", (place_id,)
        ).fetchone()
        return self._entry(row, PRIMARY) if row else None

    def names_of(self, place_id: str) -> list[str]:
        """Every name key the index holds for a place (folded: lower case, no accents)."""
        rows = self._con.execute(
            "SELECT n.key FROM names n JOIN places p ON p.idx = n.idx WHERE p.id = ?",
            (place_id,),
        ).fetchall()
        return sorted({r[0] for r in rows})

    def geometry_of(self, place_id: str):
        """The shape stored for a place (countries, seas, regions), or None."""
        row = self._con.execute("SELECT geometry FROM places WHERE id = ?", (place_id,)).fetchone()
        return wkb.loads(row[0]) if row and row[0] else None


_OPEN: dict[Path, GazetteerIndex] = {}


def _check_folder(folder: Path) -> None:
    """Refuse a cache folder that cannot take the index, in one line that says what to do."""
    import os
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise GazetteerError(
            f"cache folder {folder} cannot hold the gazetteer index "
            f"({exc.strerror or type(exc).__name__}): set GEO_CACHE_DIR to a writable folder"
        ) from None


def open_index(path: Path | None = None) -> GazetteerIndex:
    """The shared index handle, building the index first if it is missing or stale."""
    target = Path(path) if path else settings.gazetteer_path()
    if target not in _OPEN:
        if path is None:
            if not index_is_current(target):
                _check_folder(target.parent)  # before a minute of work and a few hundred MB
            ensure_index()
        elif not target.exists():
            raise GazetteerError(f"gazetteer index {target} does not exist")
        _OPEN[target] = GazetteerIndex(target)
    return _OPEN[target]
