"""What ``geo build`` keeps of an article's mentions: a tally per place, not a record per mention.

A text may name places a million times (10 MB of names and commas). The page draws places, and
the data files beside it list places; what they say of the mentions is a count, the words used,
the first reason for review, and the first sentences (a popup quotes at most
``places.MAX_QUOTES``, the story panel at most ``story.MAX_SENTENCES``). So the article is
geoparsed window by window (``geo.places.iter_place_batches``) and each window's mentions are
folded into:

- one row per place (``PLACE_KEY``), its first mention's, for the theatre joins and layers;
- per place a ``Tally`` of every mention, and the mentions in its first ``MAX_QUOTES`` quoted
  sentences and first ``KEEP_SENTENCES`` story sentences (every mention of an article naming
  each place in fewer, so its page and files are the same as when every mention was kept);
- the claims read from each window.

Memory so grows with the number of places, not of mentions (issue 17).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.articles import Article, Sentences
from geo.render.places import MAX_QUOTES, Tally, quote_key, quoted_sentence
from geo.render.story import MAX_SENTENCES

KEEP_SENTENCES = MAX_SENTENCES  # the story panel's sentences naming each place
PLACE_KEY = ("id", "lat", "lon", "kind")  # a place as the theatre joins see it
# What a kept mention carries (the place's own fields are its row's).
MENTION_FIELDS = ("mention", "start", "end", "sentence", "score", "demonym", "role", "review")


@dataclass
class _Kept:
    """One place's tally and the mentions kept for its quotes and story sentences."""

    tally: Tally
    mentions: list[dict] = field(default_factory=list)
    quotes: dict[Any, None] = field(default_factory=dict)  # first quote sentences, in order
    story: set[tuple[int, str]] = field(default_factory=set)  # first story sentences
    last_quote: Any = None  # the latest quote sentence (they come in text order)
    quoted: set[str] = field(default_factory=set)  # quotes outside any sentence span, counted


@dataclass
class Gathered:
    """An article's places as ``geo build`` keeps them (see the module's docstring)."""

    rows: list[dict] = field(default_factory=list)
    firsts: dict[tuple, dict] = field(default_factory=dict)  # PLACE_KEY -> its row in ``rows``
    kept: dict[str, _Kept] = field(default_factory=dict)
    claims: list[dict] = field(default_factory=list)
    mentions: int = 0  # every mention, resolved or not


def _finite(value: Any) -> bool:
    from geo.render.elements import finite

    return finite(value)


def _story_key(row: Mapping[str, Any]) -> tuple[int, str]:
    """The story panel's key of a mention's sentence (``geo.render.story``)."""
    sentence = str(row.get("sentence") or "")
    mention = str(row.get("mention") or "")
    raw = row.get("start")
    start = raw if isinstance(raw, int) else 0
    at = sentence.find(mention) if mention else -1
    return (start - max(at, 0), sentence)


def _count_quote(kept: _Kept, key: Any, text: str | None) -> None:
    """Count a quote sentence the first time it is seen, as the popup does (blank ones never)."""
    if isinstance(key, tuple):
        if key == kept.last_quote:
            return
        kept.last_quote = key
    elif key in kept.quoted:
        return
    else:
        kept.quoted.add(key)
    if quoted_sentence(key, text).strip():
        kept.tally.sentences += 1


def fold(
    gathered: Gathered,
    batch: Iterable[Mapping[str, Any]],
    text: str | None,
    sentences: Sentences | None,
    military: Any,
) -> None:
    """Add one window's records to ``gathered`` (in text order)."""
    from geo import settings

    for row in sorted(batch, key=lambda r: r.get("start") or 0):
        gathered.mentions += 1
        key = tuple(row.get(k) for k in PLACE_KEY)
        first = gathered.firsts.get(key)
        if first is None:
            first = dict(row)
            best: Any = row.get("score")
            if _finite(best) and float(best) >= settings.LOW_CONFIDENCE:
                first["alternatives"] = []  # never low-confidence: its runners-up are not shown
            gathered.rows.append(first)
            gathered.firsts[key] = first
        elif military.search(str(row.get("sentence") or "")) and not military.search(
            str(first.get("sentence") or "")
        ):
            # The theatre layers ask whether any sentence naming the place speaks of force.
            first["sentence"] = row.get("sentence")
        pid = row.get("id")
        if pid in (None, "") or not _finite(row.get("lat")) or not _finite(row.get("lon")):
            continue  # unresolved: no place on the map (its claims were read with the window)
        pid = str(pid)
        kept = gathered.kept.get(pid)
        score: Any = row.get("score")
        if kept is None:
            kept = _Kept(Tally(score=float(score) if _finite(score) else 0.0))
            gathered.kept[pid] = kept
        elif _finite(score):
            kept.tally.score = max(kept.tally.score, float(score))
        tally = kept.tally
        tally.count += 1
        word = str(row.get("mention") or "")
        tally.words[word] = tally.words.get(word, 0) + 1
        tally.in_name = tally.in_name and row.get("role") == "in-name"
        if not tally.review and row.get("review"):
            tally.review = row["review"]
        quote, _ = quote_key(row, text, sentences)
        _count_quote(kept, quote, text)
        keep = False
        if quote in kept.quotes or len(kept.quotes) < MAX_QUOTES:
            kept.quotes.setdefault(quote)
            keep = True
        story = _story_key(row)
        if story in kept.story or len(kept.story) < KEEP_SENTENCES:
            kept.story.add(story)
            keep = True
        if keep:
            kept.mentions.append({k: row[k] for k in MENTION_FIELDS if k in row})


def gather(article: Article, geocoder: str = "gazetteer") -> Gathered:
    """Geoparse ``article`` window by window into what ``geo build`` keeps of it."""
    from geo.claims import claims_for
    from geo.places import iter_place_batches
    from geo.render.theatre_layers import MILITARY

    text = article.text
    sentences = Sentences(text, article.body_start) if text else None  # the popups' sentences
    gathered = Gathered()
    for batch in iter_place_batches(article, geocoder):
        if text:
            gathered.claims.extend(claims_for(text, batch, article.date, article.body_start))
        fold(gathered, batch, text or None, sentences, MILITARY)
    return gathered


def places_of(gathered: Gathered, rows: list[dict]) -> list[Any]:
    """The map's places: ``rows`` (the gathered rows once joined with the theatres) grouped by
    place, each with its tally and kept mentions."""
    from geo.render.places import group_places

    found = group_places(rows)
    for place in found:
        kept = gathered.kept[place.id]
        place.mentions = kept.mentions
        place.tally = kept.tally
        place.score = kept.tally.score
    return found
