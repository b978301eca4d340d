"""Resolution: pick each mention's place in the context of the whole document.

Score of a candidate = log prior (population or kind, capitals up) + country coherence (the
share of the document's confident mentions in that country) + proximity (near another
confident place). Two passes: the first resolves by prior, the second with the context the
first produced. The confidence reported is the candidate's softmax share of the scores.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from pyproj import Geod

from geo.gazetteer.index import Entry
from geo.recognize import Mention

COUNTRY_WEIGHT = 6.0
NEAR_WEIGHT = 1.5
NEAR_KM = 300.0
# A mention whose best candidate scores below this is dropped: a tiny village named like a
# word, with nothing in the document to support it.
MIN_SCORE = math.log(1000)
_GEOD = Geod(ellps="WGS84")
_BROAD = {"country", "continent", "ocean", "sea", "subregion"}


@dataclass(frozen=True)
class Resolution:
    """A mention with its chosen place, confidence, and the runners-up."""

    mention: Mention
    entry: Entry | None
    score: float
    alternatives: tuple[tuple[Entry, float], ...] = ()


def _softmax(values: list[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def _km(a: Entry, b: Entry) -> float:
    return _GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000.0


def _score(c: Entry, shares: Counter, anchors: list[Entry]) -> float:
    s = c.log_prior
    if c.country:
        s += COUNTRY_WEIGHT * shares.get(c.country, 0.0)
    if c.kind not in _BROAD and anchors:
        near = any(
            a.name != c.name and a.kind not in _BROAD and _km(a, c) < NEAR_KM for a in anchors
        )
        if near:
            s += NEAR_WEIGHT
    return s


def _context(chosen: list[tuple[Entry, float]], leave_out: str) -> tuple[Counter, list[Entry]]:
    """Country shares and anchor places of the other names in the document.

    A name's own mentions are left out, so that 'Tripoli' said three times does not vote for
    the Libyan Tripoli in an article about Lebanon.
    """
    shares: Counter = Counter()
    anchors: list[Entry] = []
    total = 0.0
    for entry, conf, key in chosen:
        if key == leave_out:
            continue
        if entry.country:
            shares[entry.country] += conf
            total += conf
        if conf >= 0.8 and entry.kind not in _BROAD:
            anchors.append(entry)
    if total:
        for k in shares:
            shares[k] /= total
    seen: dict[str, Entry] = {a.id: a for a in anchors}
    return shares, list(seen.values())[:200]


def _key(m: Mention) -> str:
    return m.candidates[0].id if m.demonym else m.text.lower()


def resolve_mentions(mentions: list[Mention], max_candidates: int = 25) -> list[Resolution]:
    """Resolve every mention; mentions left without any plausible place are dropped."""
    cands = [m.candidates[:max_candidates] for m in mentions]
    # Pass 1: prior only.
    first = []
    for m, cs in zip(mentions, cands, strict=True):
        probs = _softmax([c.log_prior for c in cs])
        best = max(range(len(cs)), key=lambda i: (probs[i], -i))
        first.append((cs[best], probs[best], _key(m)))
    contexts: dict[str, tuple[Counter, list[Entry]]] = {}
    out: list[Resolution] = []
    for m, cs in zip(mentions, cands, strict=True):
        key = _key(m)
        if key not in contexts:
            contexts[key] = _context(first, key)
        shares, anchors = contexts[key]
        scores = [_score(c, shares, anchors) for c in cs]
        probs = _softmax(scores)
        order = sorted(range(len(cs)), key=lambda i: (-scores[i], cs[i].id))
        best = order[0]
        if scores[best] < MIN_SCORE and not m.demonym:
            continue
        alts = tuple((cs[i], round(probs[i], 4)) for i in order[1:4])
        out.append(Resolution(m, cs[best], round(probs[best], 4), alts))
    return out
