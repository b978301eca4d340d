"""Claims: the events the article itself asserts, one marker per claim at its place.

Each marker is coloured by its actor when the theatre knows it, carries its kind's icon, and
opens a popup with the sentence it was read from (the event words and the place marked), the
date, the flags and the check against the theatre data; a claim the data contradicts is drawn
with a red ring so it shows without opening it. Everything from the article is escaped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from geo.render.elements import FeatureLayer, css_class, esc, marked, safe_color
from geo.render.legend import Entry

NO_ACTOR = "#475569"
DISAGREES = "#dc2626"
# An icon per kind (Font Awesome solid names, for the offline icon font) and a word for people.
KIND_ICONS = {
    "capture": ("fa-flag", "captured"),
    "withdrawal": ("fa-person-walking-arrow-loop-left", "withdrew"),
    "advance": ("fa-angles-right", "advanced"),
    "siege": ("fa-circle-notch", "besieged"),
    "attack": ("fa-burst", "attack"),
    "clash": ("fa-people-arrows", "clash"),
    "deployment": ("fa-person-military-rifle", "deployed"),
    "displacement": ("fa-people-line", "displaced"),
    "departure": ("fa-sailboat", "departed"),
    "interception": ("fa-hand", "intercepted"),
    "rescue": ("fa-life-ring", "rescued"),
    "landing": ("fa-anchor", "landed"),
    "shipwreck": ("fa-water", "shipwreck"),
}
CHECK_TEXT = {
    "agrees": "agrees with the theatre data",
    "disagrees": "disagrees with the theatre data",
    "unknown": "not checked (no theatre data for it)",
}


def _marked_sentence(claim: Mapping[str, Any]) -> str:
    """The sentence, escaped, with the event words and the place wrapped in <mark>."""
    from geo.claims.extract import trigger_pattern

    sentence = str(claim.get("sentence") or "")
    spans: list[tuple[int, int, str]] = []
    for m in trigger_pattern().finditer(sentence):
        if m.lastgroup == claim.get("kind"):
            spans.append((m.start(), m.end(), "geo-claim-word"))
    mention = str(claim.get("mention") or "")
    if mention:
        for m in re.finditer(re.escape(mention), sentence):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), "geo-claim-place"))
                break
    return marked(sentence, spans)


def _when(claim: Mapping[str, Any]) -> str:
    date, precision = claim.get("date"), claim.get("date_precision")
    if not date:
        return "date not stated"
    shown = {"month": str(date)[:7], "year": str(date)[:4]}.get(str(precision), str(date))
    said = f" (“{claim['date_text']}”)" if claim.get("date_text") else ""
    extra = " (that week)" if precision == "week" else ""
    return f"{shown}{extra}{said}"


def claim_popup(claim: Mapping[str, Any], actors: Mapping[str, Mapping[str, Any]]) -> str:
    """The popup HTML of one claim; every value from the article is escaped."""
    kind = str(claim.get("kind"))
    icon, _ = KIND_ICONS.get(kind, ("fa-circle", kind))
    actor = claim.get("actor")
    who = claim.get("actor_text") or "actor not named"
    if actor:
        name = actors.get(str(actor), {}).get("name") or actor
        who = f"{who} → {name}"
    flags = [
        w for w, on in (("denied", claim.get("negated")), ("hedged", claim.get("hedged"))) if on
    ]
    relation = claim.get("place_relation")
    where = str(claim.get("mention") or "")
    if relation and relation != "at":
        where = f"{relation} {where}"
    check = str(claim.get("theatre_check") or "unknown")
    rows = [
        '<div class="geo-popup geo-claim-popup">',
        f'<div class="geo-popup-title"><i class="fa-solid {icon}" aria-hidden="true"></i> '
        f"{esc(kind)}" + (f" ({esc(', '.join(flags))})" if flags else "") + "</div>",
        f'<div class="geo-popup-kind">{esc(who)}</div>',
        f'<div class="geo-claim-where">Where: {esc(where)}</div>',
        f'<div class="geo-claim-when">When: {esc(_when(claim))}</div>',
        f'<div class="geo-claim-check geo-claim-{css_class(check)}">'
        f"Theatre check: {esc(CHECK_TEXT.get(check, check))}</div>",
        f'<blockquote class="geo-claim-sentence">{_marked_sentence(claim)}</blockquote>',
        "</div>",
    ]
    return "".join(rows)


# Where the k-th badge at one point is drawn: (pixels from the point, degrees clockwise from
# north). A ring around the place's marker (its radius is at most 22 px), clear of its label
# (to the east) and of a theatre event's icon (to the north-west); more go to wider rings.
SLOTS = ((28, 30), (28, 160), (28, 220), (54, 10), (54, 50), (54, 130), (54, 170), (54, 210),
         (54, 250))  # fmt: skip


def slot_offset(k: int) -> tuple[int, int]:
    """The k-th badge's centre in pixels from its point (x to the right, y down)."""
    radius, angle = SLOTS[k % len(SLOTS)]
    radius += 52 * (k // len(SLOTS))
    a = math.radians(angle)
    return round(radius * math.sin(a)), round(-radius * math.cos(a))


def _placed(claims: Sequence[Mapping[str, Any]]) -> list[tuple[int, Mapping[str, Any]]]:
    """(index, claim) of the claims that have a place."""
    return [
        (n, c)
        for n, c in enumerate(claims)
        if c.get("lat") is not None and c.get("lon") is not None
    ]


def badge_spots(claims: Sequence[Mapping[str, Any]]) -> list[tuple[float, float, int, int]]:
    """(lon, lat, dx, dy) of each placed claim's badge: its place's point and its pixel offset
    there (the k-th claim at a point takes the k-th slot). The labels keep clear of them."""
    seen: dict[tuple[float, float], int] = {}
    spots = []
    for _, c in _placed(claims):
        lat, lon = float(c["lat"]), float(c["lon"])
        key = (round(lat, 3), round(lon, 3))
        k = seen.get(key, 0)
        seen[key] = k + 1
        spots.append((lon, lat, *slot_offset(k)))
    return spots


def claim_colour(claim: Mapping[str, Any], actors: Mapping[str, Mapping[str, Any]]) -> str:
    """The actor's map colour when the theatre knows the actor, else one neutral slate."""
    actor = claim.get("actor")
    if not actor:
        return NO_ACTOR
    return safe_color(actors.get(str(actor), {}).get("colour"), NO_ACTOR)


def icon_of(kind: str | None) -> str:
    """The Font Awesome icon of a claim kind."""
    return KIND_ICONS.get(str(kind), ("fa-circle-exclamation", ""))[0]


def claim_features(
    claims: Sequence[Mapping[str, Any]],
    actors: Mapping[str, Mapping[str, Any]],
) -> list[dict]:
    """A badge per claim with a place (its kind's icon on its actor's colour), at the place's
    own point and drawn ``_offset`` pixels from it (``badge_spots``), so it stands beside the
    place's marker at every zoom. ``_claim`` is the claim's index, for the story panel."""
    features = []
    for (n, c), (lon, lat, dx, dy) in zip(_placed(claims), badge_spots(claims), strict=True):
        kind = str(c.get("kind"))
        disagrees = c.get("theatre_check") == "disagrees"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "_class": f"geo-claim geo-claim-{css_class(kind)} geo-claim-n{n}"
                    + (" geo-claim-disagrees" if disagrees else ""),
                    "_icon": icon_of(kind),
                    "_color": claim_colour(c, actors),
                    "_claim": n,
                    "_offset": [dx, dy],
                    "_popup": claim_popup(c, actors),
                    "_tooltip": esc(
                        f"{kind}: {c.get('actor_text') or 'actor not named'}"
                        + (" — disagrees with the theatre data" if disagrees else "")
                    ),
                },
            }
        )
    return features


def claims_layer(
    claims: Sequence[Mapping[str, Any]],
    actors: Mapping[str, Mapping[str, Any]],
) -> FeatureLayer:
    """The 'Claims' overlay."""
    # Their own pane, above the places and the theatre's events: a badge beside a town is the
    # article's claim and takes the click even where an event icon of the town is near.
    return FeatureLayer(
        claim_features(claims, actors),
        name="Claims",
        key="claims",
        options={"pane": "claims"},
    )


def claims_legend(
    claims: Sequence[Mapping[str, Any]], actors: Mapping[str, Mapping[str, Any]]
) -> list[Entry]:
    """Legend rows: each kind drawn (its icon), the actors claims are coloured by, the colour
    of claims whose actor the theatre does not know, and disagreements."""
    drawn = [c for c in claims if c.get("lat") is not None]
    kinds = [k for k in KIND_ICONS if any(c.get("kind") == k for c in drawn)]
    rows = [Entry("claim", NO_ACTOR, f"claim: {k}", icon_of(k)) for k in kinds]
    seen: set[str] = set()
    for c in drawn:
        actor = c.get("actor")
        if actor and str(actor) not in seen:
            seen.add(str(actor))
            name = actors.get(str(actor), {}).get("name") or actor
            rows.append(Entry("claim", claim_colour(c, actors), f"claim by {name}"))
    if seen and any(not c.get("actor") for c in drawn):
        rows.append(Entry("claim", NO_ACTOR, "claim by an actor the theatre data does not know"))
    if any(c.get("theatre_check") == "disagrees" for c in drawn):
        rows.append(Entry("ring", DISAGREES, "claim the theatre data contradicts"))
    return rows


def article_claims(inputs: Any) -> list[dict]:
    """The article's claims, read once: the map and its review.csv both need them, and reading
    them (sentences, triggers, theatre checks) costs more than drawing them."""
    from geo.claims import claims_for

    if not inputs.text:
        return []
    if getattr(inputs, "claims", None) is None:
        inputs.claims = claims_for(inputs.text, inputs.rows, inputs.date, inputs.body_start)
    return inputs.claims


def add_claims(
    m: Any, inputs: Any, actors: Mapping[str, Mapping[str, Any]], groups: dict, sections: dict
) -> list[dict]:
    """Read the article's claims and add their layer and legend to the map, if there are any;
    ``actors`` carry the map's colours. Returns the claims (for the story panel)."""
    claims = article_claims(inputs)
    if not claims:
        return []
    layer = claims_layer(claims, actors)
    m.add_child(layer)
    groups.setdefault("Article", []).append(layer)
    sections["Claims"] = claims_legend(claims, actors)
    return claims


def review_rows(inputs: Any) -> list[dict]:
    """Rows for the map's review.csv: each claim the theatre data contradicts, with its
    sentence, so an editor checks the article against the data (or the data against it)."""
    rows = []
    for c in article_claims(inputs):
        if c["theatre_check"] != "disagrees":
            continue
        rows.append(
            {
                "id": c["place_id"],
                "name": c["mention"],
                "kind": f"claim: {c['kind']} disagrees with the theatre data",
                "score": c["confidence"],
                "candidate_id": c["actor"],
                "candidate_name": c["actor_text"],
                "sentence": c["sentence"],
            }
        )
    return rows
