"""Country names as event exports write them ("Sudan", "DR Congo (Zaire)") -> ISO 3166 alpha-2,
from the gazetteer's own country names and aliases (one list for the whole project)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from geo.settings import PACKAGE_DIR

_DATA = PACKAGE_DIR / "gazetteer" / "data"
_PAREN = re.compile(r"\s*\([^)]*\)")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for file, column in (("country_points.csv", "name"), ("country_aliases.csv", "alias")):
        with (_DATA / file).open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names.setdefault(row[column].strip().lower(), row["country"].strip().upper())
    return names


@lru_cache(maxsize=4096)
def iso2_for(name: str) -> str | None:
    """The ISO2 code of a country name or alias, None when unknown; "SD" stays "SD"."""
    text = (name or "").strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    names = _names()
    for candidate in (text, _PAREN.sub("", text)):
        code = names.get(candidate.strip().lower())
        if code:
            return code
    return None
