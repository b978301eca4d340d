"""Event claims read from the article itself: who did what, where and when, with the sentence.

``claims_for`` is the pipeline stage (after places): extraction (``extract``), time expressions
(``dates``), actors and their theatre ids (``actors``), and the check against theatre control
(``check``). See docs/claims.md for the method and its measured accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.claims.extract import FIELDS, extract_claims
from geo.claims.lexicon import KINDS

__all__ = [
    "FIELDS",
    "KINDS",
    "claims_for",
    "claims_frame",
    "claims_from_file",
    "claims_of_document",
    "extract_claims",
    "theatres_for",
]


def theatres_for(places: Sequence[dict], theatres: Sequence | None = None) -> list:
    """The theatres whose countries hold one of the article's places (of ``theatres``, else
    every theatre's compiled state, ``geo.theatres.state``)."""
    if theatres is None:
        from geo.theatres.state import load_states

        theatres = load_states()
    countries = {p.get("country") for p in places}
    return [t for t in theatres if countries & set(t.countries)]


def claims_for(
    text: str,
    places: Sequence[dict],
    article_date: str | None = None,
    body_start: int = 0,
    theatres: Sequence | None = None,
) -> list[dict]:
    """The article's claims with exactly ``FIELDS``, actors and checks from its theatres
    (their compiled states: no theatre tables are read to check a claim)."""
    from geo.claims.check import check_claim
    from geo.claims.sea import offshore
    from geo.theatres.state import state_of

    active = [state_of(t) for t in theatres_for(places, theatres)]
    aliases: dict[str, str] = {}
    for state in active:
        for alias, actor in state.aliases.items():
            aliases.setdefault(alias, actor)
    country = {p["start"]: p.get("country") for p in places if isinstance(p.get("start"), int)}
    out = []
    for claim in extract_claims(text, places, article_date, body_start, aliases):
        claim["theatre_check"] = check_claim(
            claim, country.get(claim["start"]), active, article_date
        )
        if claim["place_relation"] == "off" and claim["lat"] is not None:
            # "off Sfax": on the water beside the town, not in it.
            at_sea = offshore(claim["lat"], claim["lon"], country.get(claim["start"]))
            if at_sea is not None:
                claim["lat"], claim["lon"] = at_sea
        out.append({k: claim[k] for k in FIELDS})
    return out


def claims_of_document(doc) -> list[dict]:
    """The claims of a geoparsed ``geo.places.Document``."""
    a = doc.article
    return claims_for(a.text, doc.places, a.date, a.body_start)


def claims_from_file(path: str) -> list[dict]:
    """Geoparse one article file and read its claims (for scoring and library use)."""
    from geo.places import places_from_file

    return claims_of_document(places_from_file(path))


def claims_frame(claims: Sequence[dict]):
    """Claims as a GeoDataFrame (EPSG:4326), one point per claim, for ``geo export``."""
    import geopandas as gpd
    from shapely.geometry import Point

    rows = [{k: c[k] for k in FIELDS} for c in claims]
    geoms = [Point(c["lon"], c["lat"]) if c["lat"] is not None else None for c in rows]
    if not rows:
        return gpd.GeoDataFrame({k: [] for k in FIELDS}, geometry=[], crs=4326)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)
