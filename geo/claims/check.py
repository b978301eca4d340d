"""Claims against the theatre data: does the ground the data records agree with the article?

A capture of a place by an actor agrees when the data's next recorded control of that place,
on or after the claim's date, is held by the actor's side, and disagrees when another side
holds it; a withdrawal is the reverse. Other kinds, actors no theatre knows, places outside a
theatre and dates past its records are ``unknown``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from geo.claims.dates import parse_article_date

CHECKED_KINDS = frozenset({"capture", "withdrawal"})


def _side(state, actor: str) -> str | None:
    """The side of a theatre actor (its own id when it has none); None for an unknown actor."""
    if actor not in state.sides:
        return None
    side = state.sides[actor]
    return side if isinstance(side, str) and side else actor


def _holder(state, day: dt.date, lon: float, lat: float) -> str | None:
    """The side holding the point at the first recorded date on or after ``day`` (the
    theatre's compiled state answers, as it does for ``geo places``)."""
    later = [d for d in state.dates if d >= day]
    if not later:
        return None
    answer = state.control(later[0], [(lon, lat)])[0]
    if answer is None or answer[1] is None:
        return None
    return _side(state, answer[1])


def check_claim(
    claim: dict, country: str | None, theatres: Sequence, article_date: str | None
) -> str:
    """``agrees``, ``disagrees`` or ``unknown`` for one claim (see the module docstring)."""
    actor = claim.get("actor")
    if claim["kind"] not in CHECKED_KINDS or not actor or claim.get("lat") is None:
        return "unknown"
    relation = claim.get("place_relation")
    if relation in ("toward", "off") or (relation == "from" and claim["kind"] == "capture"):
        return "unknown"  # a direction or the sea: not a claim about who holds the place
    day = parse_article_date(claim.get("date")) or parse_article_date(article_date)
    if day is None:
        return "unknown"
    for theatre in theatres:
        if country not in theatre.countries:
            continue
        side = _side(theatre, actor)
        if side is None:
            continue
        holder = _holder(theatre, day, claim["lon"], claim["lat"])
        if holder is None:
            return "unknown"
        held = holder == side
        if claim["kind"] == "withdrawal":
            held = not held
        if claim.get("negated"):
            held = not held
        return "agrees" if held else "disagrees"
    return "unknown"
