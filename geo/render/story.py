"""The story panel: the article's sentences that name places, in order, each linked to its places.

The browser lists them with the theatre's events by date; clicking one flies to the place and
opens its popup. Sentences arrive as HTML escaped here, with the place names marked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geo.render.elements import esc
from geo.render.places import Place

MAX_SENTENCES = 200


def story_items(
    found: Sequence[Place], text: str | None, claims: Sequence[Mapping[str, Any]] = ()
) -> list[dict]:
    """[{html, places: [ids], claims: [{html, icon, claim}]}] for every sentence naming a
    place, in article order; each sentence lists the claims read from it (``claim`` is the
    claim's index, which the claims layer carries too)."""
    by_sentence: dict[tuple[int, str], dict] = {}
    areas = {p.id: p.is_area for p in found}
    for place in found:
        for row in place.mentions:
            sentence = str(row.get("sentence") or "")
            mention = str(row.get("mention") or "")
            raw = row.get("start")
            start = raw if isinstance(raw, int) else 0
            at = sentence.find(mention) if mention else -1
            key = (start - max(at, 0), sentence)  # the sentence's own offset in the article
            item = by_sentence.setdefault(key, {"sentence": sentence, "places": [], "marks": []})
            if place.id not in item["places"]:
                item["places"].append(place.id)
            if mention and mention not in item["marks"]:
                item["marks"].append(mention)
    out: list[dict] = []
    for (start, sentence), item in sorted(by_sentence.items(), key=lambda kv: kv[0][0]):
        if len(out) == MAX_SENTENCES:
            break  # the rest would be marked up only to be dropped (a text of names has 20,000)
        if not sentence.strip():
            continue
        # Towns first: a click flies to the town the sentence names, not to its country.
        ids = sorted(item["places"], key=lambda pid: areas.get(pid, False))
        entry: dict = {"html": _marked(sentence, item["marks"]), "places": ids}
        said = _claims_in(claims, start, len(sentence))
        if said:
            entry["claims"] = said
        out.append(entry)
    return out


def _claims_in(claims: Sequence[Mapping[str, Any]], start: int, length: int) -> list[dict]:
    """The claims whose place mention lies in the sentence at ``start``, as story entries."""
    from geo.render.claims import icon_of

    out = []
    for n, c in enumerate(claims):
        at = c.get("start")
        if c.get("lat") is None or not isinstance(at, int) or not start <= at < start + length:
            continue
        relation = c.get("place_relation") or "at"
        flags = [w for w in ("negated", "hedged") if c.get(w)]
        words = [str(c.get("kind")) + (f" ({', '.join(flags)})" if flags else "")]
        words += [str(c.get("actor_text") or ""), f"{relation} {c.get('mention')}"]
        if c.get("date"):
            cut = {"month": 7, "year": 4}.get(str(c.get("date_precision")), 10)
            words.append(f"({str(c['date'])[:cut]})")
        out.append(
            {
                "html": esc(" ".join(w for w in words if w)),
                "icon": icon_of(c.get("kind")),
                "claim": n,
            }
        )
    return out


def _marked(sentence: str, marks: list[str]) -> str:
    spans: list[tuple[int, int]] = []
    for word in sorted(marks, key=len, reverse=True):
        at = sentence.find(word)
        while at >= 0:
            if not any(a < at + len(word) and at < b for a, b in spans):
                spans.append((at, at + len(word)))
            at = sentence.find(word, at + 1)
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(esc(sentence[pos:a]))
        out.append(f"<mark>{esc(sentence[a:b])}</mark>")
        pos = b
    out.append(esc(sentence[pos:]))
    return "".join(out).strip()
