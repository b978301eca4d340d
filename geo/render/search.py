"""What the map's search box finds: the article's places under every name a reader might type.

An article place is found by the words the article uses for it, its GeoNames name and GeoNames'
alternate names ("Sabratha", "Şabrātah", "Sabratah"); a theatre's town the article does not
name ("Sirte", "Afrin") is found too and opens a short note saying so. Entries are data only:
the page builds the result list and notes with text nodes, never markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from geo.render.places import Place, display_name

MAX_ALTERNATES = 12  # per place: enough for the usual spellings, not every language's
_LATIN = re.compile(r"^[a-z0-9' .-]+$")


def _plain(name: str) -> str:
    """A name as typed on a plain keyboard: no accents, straight apostrophes."""
    text = unicodedata.normalize("NFKD", name.translate({0x2018: "'", 0x2019: "'", 0x02BF: "'"}))
    return "".join(c for c in text if not unicodedata.combining(c))


def _alternates(place_id: str) -> list[str]:
    """GeoNames' other names for a place, from the gazetteer index (empty when unavailable)."""
    try:
        from geo.gazetteer.index import open_index

        keys = open_index().names_of(place_id)
    except Exception:  # a map without the index still searches the article's own words
        return []
    names = [k.title() for k in keys if _LATIN.match(k) and len(k) > 2]
    return names[:MAX_ALTERNATES]


def search_entries(found: Sequence[Place], theatres: Sequence[Any] = ()) -> list[dict]:
    """One entry per name: ``t`` the text matched and listed, ``id`` the article place it opens
    (None for a theatre town), ``lat``/``lon`` and ``note`` (what the name stands for)."""
    out: dict[str, dict] = {}

    def add(text: str, entry: dict) -> None:
        text = " ".join(text.split())
        if text and text.lower() not in out:
            out[text.lower()] = {"t": text, **entry}

    for p in found:
        shown = display_name(p)
        entry = {"id": p.id, "lat": p.lat, "lon": p.lon, "note": ""}
        add(shown, entry)
        other = {"note": f"= {shown}"}
        for word in p.words:
            add(word, {**entry, **other})
        add(p.name, {**entry, **other})
        add(_plain(p.name), {**entry, **other})
        if not p.is_area:
            for alt in _alternates(p.id):
                add(alt, {**entry, **other})
    for name, entry in _town_entries(tuple(theatres)):
        add(name, entry)
    return sorted(out.values(), key=lambda e: e["t"].lower())


@lru_cache(maxsize=32)
def _town_entries(theatres: tuple[Any, ...]) -> tuple[tuple[str, dict], ...]:
    """(name, entry) of the theatres' towns, once per process: every map of them lists them."""
    # A town is listed under the theatre it lies in (Afrin under Syria, not under Libya, whose
    # data names it as the home of fighters flown there).
    towns = [(th, t) for th in theatres for _, t in th.places.iterrows()]
    towns.sort(key=lambda pair: pair[1].get("country") not in pair[0].countries)
    out = []
    for th, t in towns:
        g = t.geometry
        name = str(t.get("name") or "")
        if g is None or g.is_empty or g.geom_type != "Point" or not name:
            continue
        label = th.id.replace("-", " ").title()
        note = f"town of the {label} theatre, not named in the article"
        out.append((name, {"id": None, "lat": round(g.y, 5), "lon": round(g.x, 5), "note": note}))
    return tuple(out)
