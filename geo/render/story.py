"""The story panel: the article's sentences that name places, in order, each linked to its places.

The browser lists them with the theatre's events by date; clicking one flies to the place and
opens its popup. Sentences arrive as HTML escaped here, with the place names marked.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.render.elements import esc
from geo.render.places import Place

MAX_SENTENCES = 200


def story_items(found: Sequence[Place], text: str | None) -> list[dict]:
    """[{html, places: [ids]}] for every sentence naming a place, in article order."""
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
    out = []
    for (_, sentence), item in sorted(by_sentence.items(), key=lambda kv: kv[0][0]):
        if not sentence.strip():
            continue
        # Towns first: a click flies to the town the sentence names, not to its country.
        ids = sorted(item["places"], key=lambda pid: areas.get(pid, False))
        out.append({"html": _marked(sentence, item["marks"]), "places": ids})
    return out[:MAX_SENTENCES]


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
