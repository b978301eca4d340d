"""Event claims read from an article's sentences: what happened, who did it, where and when.

Rules, not a model: an event word from the lexicon (``geo.claims.lexicon``) makes a claim when
its sentence also names a resolved place; the actor is the phrase before the word (or after
"by"), the place the first one after the word in its clause (else the nearest before), the date
the time expression nearest to it. Every claim carries its sentence, and ``text[start:end] ==
mention`` holds for its place as for the places it was read from.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from geo.claims import dates as claim_dates
from geo.claims.actors import Token, phrase_after, phrase_before, resolve_actor, tokens
from geo.claims.gate import gated_matches
from geo.claims.lexicon import (
    HEDGES,
    IDIOMS,
    KINDS,
    NEGATIONS,
    PRONOUNS,
    SPECULATION,
    TRIGGERS,
)

FIELDS = (
    "kind", "actor", "actor_text", "target", "target_text", "mention", "start", "end",
    "place_relation", "lat", "lon", "place_id", "date", "date_text", "date_precision",
    "sentence", "sentence_start", "confidence", "negated", "hedged", "theatre_check",
)  # fmt: skip

# Kinds whose subject is the one moving (people, boats), never swapped with a "by" agent.
_MOVER_KINDS = frozenset({"displacement", "departure", "landing", "shipwreck"})
# Kinds done *to* someone: a passive subject is the target, the "by" phrase the actor.
_PASSIVE_SWAP = frozenset(
    {"capture", "attack", "siege", "interception", "rescue", "withdrawal", "deployment"}
)
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+|\n\s*""")
_CLAUSE_BREAK = re.compile(r"[;:—–]|,\s+(?:while|but|whereas|although|and\s+then)\b")
_RELATION = re.compile(
    r"(?:(?P<off>\boff(?:\s+the\s+(?:coast|shores?|island)\s+(?:of|near))?)|"
    r"(?P<toward>\btowards?|\bclos\w+\s+in\s+on|\bon\s+the\s+road\s+to|\boffensive\s+(?:on|against))|"
    r"(?P<near>\bnear|\boutskirts\s+of|\baround|\bedge\s+of|\bnorth\s+of|\bsouth\s+of|\beast\s+of|\bwest\s+of)|"
    r"(?P<from>\bfrom))\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
_PASSIVE = frozenset({"was", "were", "been", "being", "is", "are", "be"})
_PROGRESSIVE = frozenset({"is", "are", "am"})
_NEGATION = re.compile(NEGATIONS, re.I)
_HEDGE = re.compile(HEDGES, re.I)
_SPECULATION = re.compile(SPECULATION, re.I)
_IDIOM = re.compile(IDIOMS, re.I)
_DENIAL = re.compile(r"\b(?:denied|denies|deny|denying|rejected|dismissed|refuted)\b", re.I)


@lru_cache(maxsize=1)
def trigger_pattern() -> re.Pattern:
    """One pattern for all kinds; the name of the group that matched is the kind."""
    parts = [rf"(?P<{k}>\b(?:{'|'.join(TRIGGERS[k])})\b)" for k in KINDS]
    return re.compile("|".join(parts), re.I)


def find_triggers(text: str, start: int = 0) -> list[re.Match]:
    """Event words in ``text[start:]``, as ``trigger_pattern().finditer`` finds them, faster."""
    return gated_matches(trigger_pattern(), text, start)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans as ``geo.articles.Sentences`` cuts them."""
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return spans


def _text_of(text: str, toks: list[Token], span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    s, e = span
    return text[toks[s].start : toks[e - 1].end]


def _token_at(toks: list[Token], offset: int) -> int:
    starts = [t.start for t in toks]
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _clause(text: str, s_start: int, s_end: int, at: int, others: list[int]) -> tuple[int, int]:
    """The clause around offset ``at``: bounded by ; : dashes, and by the next event word."""
    left = s_start
    for m in _CLAUSE_BREAK.finditer(text, s_start, at):
        left = m.end()
    right = s_end
    m = _CLAUSE_BREAK.search(text, at, s_end)
    if m:
        right = m.start()
    later = [o for o in others if o > at]
    if later:
        right = min(right, min(later))
    return left, right


def _pick_place(
    text: str,
    places: Sequence[dict],
    trigger: tuple[int, int],
    clause: tuple[int, int],
    blocked: list[tuple[int, int]],
    sent: tuple[int, int],
) -> list[dict]:
    """The claim's places: first after the event word in its clause (with places coordinated
    to it: "Goma and Bukavu"), else the nearest before it; demonyms only as a last resort."""

    def ok(p: dict) -> bool:
        return p.get("lat") is not None and not any(s <= p["start"] < e for s, e in blocked)

    usable = [p for p in places if ok(p)]
    real = [p for p in usable if not p.get("demonym")]
    after = [p for p in real if trigger[1] <= p["start"] < clause[1]]
    if after:
        chosen = [after[0]]
        for p in after[1:]:
            prev = chosen[-1]
            if prev["end"] > p["start"] or not _COORD.match(text[prev["end"] : p["start"]]):
                break
            chosen.append(p)
        return chosen
    before = [p for p in real if clause[0] <= p["start"] < trigger[0]]
    if before:
        return [before[-1]]
    before = [p for p in real if sent[0] <= p["start"] < trigger[0]]
    if before:
        return [before[-1]]
    rest = [p for p in real if p["start"] >= trigger[1]] + [p for p in usable if p.get("demonym")]
    return rest[:1]


_COORD = re.compile(
    r"^(?:\s*,\s*|\s*,?\s+(?:and|or)\s+)(?:the\s+(?:towns?|cities|villages?)\s+of\s+)?$"
)


def _relation(text: str, place: dict, kind: str) -> str:
    m = _RELATION.search(text, max(0, place["start"] - 40), place["start"])
    if m is None:
        return "at"
    rel = m.lastgroup or "at"
    if rel == "toward" and kind not in (
        "advance",
        "siege",
        "attack",
        "deployment",
        "displacement",
        "departure",
    ):
        return "at"
    return rel


def _date_for(
    found: list[claim_dates.DateExpr], at: int, clause: tuple[int, int], anchor: dt.date | None
) -> tuple[dt.date | None, str | None, str]:
    if not found:
        return None, None, "unknown"
    inside = [d for d in found if clause[0] <= d.start < clause[1]] or found
    best = min(inside, key=lambda d: abs(d.start - at))
    date, precision = claim_dates.resolve_relative(best, anchor)
    return date, best.text, precision if date else "unknown"


def _flags(
    text: str, clause: tuple[int, int], trigger: tuple[int, int], sent: tuple[int, int]
) -> tuple[bool, bool, bool]:
    """(negated, hedged, speculative) for the event word at ``trigger``."""
    near = text[max(clause[0], trigger[0] - 40) : trigger[0]]
    before = text[sent[0] : trigger[0]]
    negated = bool(_NEGATION.search(near)) or bool(_DENIAL.search(before))
    speculative = bool(_SPECULATION.search(text[clause[0] : trigger[0]])) or bool(
        _SPECULATION.search(near)
    )
    hedged = bool(_HEDGE.search(text[clause[0] : trigger[0]])) or bool(
        re.search(
            r"\b(?:reportedly|allegedly|according\s+to|claimed|purportedly)\b",
            text[sent[0] : sent[1]],
            re.I,
        )
    )
    return negated, hedged, speculative


def _confidence(
    kind_generic: bool,
    actor: str | None,
    date: dt.date | None,
    hedged: bool,
    fallback: bool,
    relation: str,
) -> float:
    score = 0.6
    score += 0.15 if actor else 0.0
    score += 0.1 if date else 0.0
    score -= 0.1 if kind_generic else 0.0
    score -= 0.15 if hedged else 0.0
    score -= 0.15 if fallback else 0.0
    score -= 0.05 if relation == "toward" else 0.0
    return round(min(0.95, max(0.05, score)), 2)


_GENERIC = re.compile(
    r"^(?:attack|attacks|attacked|struck|blast|explosion|killed|killing|left|took|entered|fighting|raid|raids)\b",
    re.I,
)


def extract_claims(
    text: str,
    places: Sequence[dict],
    article_date: str | None = None,
    body_start: int = 0,
    aliases: dict[str, str] | None = None,
) -> list[dict]:
    """The claims of one article, in text order.

    ``places`` are the article's resolved place records (``mention``, ``start``, ``end``, ``lat``,
    ``lon``, ``id``, optional ``demonym``); ``aliases`` maps actor aliases to theatre actor ids
    (``geo.claims.actors.actor_aliases``). ``theatre_check`` is left ``unknown`` here; see
    ``geo.claims.check``.
    """
    day = claim_dates.parse_article_date(article_date)
    aliases = aliases or {}
    ordered = sorted(
        (p for p in places if isinstance(p.get("start"), int)), key=lambda p: p["start"]
    )
    starts = [p["start"] for p in ordered]
    spans = sentence_spans(text, body_start, len(text))
    sent_starts = [s for s, _ in spans]
    matches = find_triggers(text, body_start)
    by_sentence: dict[int, list[re.Match]] = {}
    for m in matches:
        i = bisect.bisect_right(sent_starts, m.start()) - 1
        if i >= 0 and m.start() < spans[i][1]:
            by_sentence.setdefault(i, []).append(m)
    claims: list[dict] = []
    anchor: dt.date | None = None
    last_actor: tuple[str | None, str | None] = (None, None)
    for i in sorted(by_sentence):
        s_start, s_end = spans[i]
        lo, hi = bisect.bisect_left(starts, s_start), bisect.bisect_left(starts, s_end)
        sent_places = ordered[lo:hi]
        if not sent_places:
            continue
        new, anchor, last_actor = _sentence_claims(
            text, (s_start, s_end), by_sentence[i], sent_places, day, anchor, last_actor, aliases
        )
        claims.extend(new)
    return claims


def _sentence_claims(
    text: str,
    sent: tuple[int, int],
    found: list[re.Match],
    places: list[dict],
    day: dt.date | None,
    anchor: dt.date | None,
    last_actor: tuple[str | None, str | None],
    aliases: dict[str, str],
) -> tuple[list[dict], dt.date | None, tuple[str | None, str | None]]:
    s_start, s_end = sent
    sentence = " ".join(text[s_start:s_end].split())
    toks = tokens(text, s_start, s_end)
    date_exprs = claim_dates.find_dates(text, day, s_start, s_end)
    date_spans = [(d.start, d.end) for d in date_exprs]
    trigger_starts = [m.start() for m in found]
    out: list[dict] = []
    seen: set[tuple[str, int]] = set()
    for m in found:
        kind = m.lastgroup or ""
        if kind == "clash" and _IDIOM.match(text, m.start()):
            continue
        if any(s <= m.start() < e for s, e in date_spans):
            continue  # "March" the month, "May" read as a verb, inside a date
        clause = _clause(
            text, s_start, s_end, m.start(), [o for o in trigger_starts if o != m.start()]
        )
        negated, hedged, speculative = _flags(text, clause, m.span(), sent)
        if speculative and not hedged:
            continue
        ti = _token_at(toks, m.start())
        te = _token_at(toks, m.end() - 1) + 1
        actor_span, target_span = _parties(text, toks, ti, te, kind, date_spans, s_start)
        actor_text = _text_of(text, toks, actor_span)
        target_text = _text_of(text, toks, target_span)
        if actor_text and actor_text.lower() in PRONOUNS:
            actor_text = last_actor[1]
            actor = last_actor[0]
            actor_span_chars: list[tuple[int, int]] = []
        else:
            actor = resolve_actor(actor_text, aliases)
            actor_span_chars = (
                [(toks[actor_span[0]].start, toks[actor_span[1] - 1].end)] if actor_span else []
            )
        blocked = list(actor_span_chars)
        if target_span and kind not in ("rescue", "interception"):
            blocked.append((toks[target_span[0]].start, toks[target_span[1] - 1].end))
        chosen = _pick_place(text, places, m.span(), clause, blocked, sent)
        if not chosen:
            continue
        if actor_text:
            last_actor = (actor, actor_text)
        date, date_text, precision = _date_for(date_exprs, m.start(), clause, anchor)
        if date is None and _progressive(toks, ti) and day is not None:
            date, date_text, precision = day, None, "day"
        if date is not None:
            anchor = date
        fallback = chosen[0]["start"] < m.start() and not (clause[0] <= chosen[0]["start"])
        for place in chosen:
            if (kind, place["start"]) in seen:
                continue
            seen.add((kind, place["start"]))
            relation = _relation(text, place, kind)
            out.append(
                {
                    "kind": kind,
                    "actor": actor,
                    "actor_text": actor_text,
                    "target": resolve_actor(target_text, aliases),
                    "target_text": target_text,
                    "mention": place["mention"],
                    "start": place["start"],
                    "end": place["end"],
                    "place_relation": relation,
                    "lat": place.get("lat"),
                    "lon": place.get("lon"),
                    "place_id": place.get("id"),
                    "date": date.isoformat() if date else None,
                    "date_text": date_text,
                    "date_precision": precision,
                    "sentence": sentence,
                    "sentence_start": s_start,
                    "confidence": _confidence(
                        bool(_GENERIC.match(m.group())),
                        actor_text,
                        date,
                        hedged,
                        fallback,
                        relation,
                    ),
                    "negated": negated,
                    "hedged": hedged,
                    "theatre_check": "unknown",
                    "_trigger": (m.start(), m.end()),
                }
            )
    return out, anchor, last_actor


def _progressive(toks: list[Token], ti: int) -> bool:
    """ "are closing in", "is besieging": an event under way on the article's date."""
    word = toks[ti].lower
    prev = toks[ti - 1].lower if ti > 0 else ""
    return word.endswith("ing") and prev in _PROGRESSIVE


def _parties(
    text: str,
    toks: list[Token],
    ti: int,
    te: int,
    kind: str,
    date_spans: list[tuple[int, int]],
    s_start: int,
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(actor, target) token spans around the event word at tokens ``ti:te``."""
    before = phrase_before(toks, ti, date_spans, s_start)
    prev = toks[ti - 1].lower if ti > 0 else ""
    passive = prev in _PASSIVE or (
        ti > 1 and prev in ("reportedly", "allegedly") and toks[ti - 2].lower in _PASSIVE
    )
    agent = None
    if toks[te - 1].lower in ("to", "of") and te < len(toks):
        agent = phrase_after(toks, te, date_spans)  # "fell to M23", "the fall of ..."
        if toks[te - 1].lower == "of":
            return before, None
        return agent, None
    for k in range(te, min(len(toks), te + 8)):
        if toks[k].lower == "by" and k + 1 < len(toks):
            agent = phrase_after(toks, k + 1, date_spans)
            break
        if toks[k].text in ".;:":
            break
    if kind == "clash":
        for k in range(te, min(len(toks), te + 6)):
            if toks[k].lower == "between" and k + 1 < len(toks):
                first = phrase_after(toks, k + 1, date_spans)
                if first:
                    nxt = first[1]
                    second = (
                        phrase_after(toks, nxt + 1, date_spans)
                        if nxt < len(toks) and toks[nxt].lower == "and"
                        else None
                    )
                    return first, second
        if before:
            words = [t.lower for t in toks[before[0] : before[1]]]
            if "and" in words:
                cut = before[0] + words.index("and")
                return (before[0], cut), (cut + 1, before[1])
        with_ = _after_word(toks, te, ("with", "against"), date_spans)
        return before or agent, with_
    if kind in _MOVER_KINDS:
        return before or agent, None
    if (passive or before is None) and agent is not None and kind in _PASSIVE_SWAP:
        return agent, before if passive else None
    target_words = {"capture": ("from",), "attack": ("against", "on"), "siege": ("against",)}
    target = _after_word(toks, te, target_words.get(kind, ()), date_spans)
    if kind in ("rescue", "interception") and before and not passive:
        obj = phrase_after(toks, te, date_spans)
        return before, obj or target
    return before or agent, target


def _after_word(
    toks: list[Token], te: int, words: Iterable[str], blocked: list[tuple[int, int]]
) -> tuple[int, int] | None:
    for k in range(te, min(len(toks), te + 10)):
        if toks[k].text in ".;:":
            return None
        if toks[k].lower in words and k + 1 < len(toks):
            return phrase_after(toks, k + 1, blocked)
    return None
