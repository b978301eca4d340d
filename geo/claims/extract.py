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
from dataclasses import dataclass, field
from functools import lru_cache

from geo.claims import dates as claim_dates
from geo.claims.actors import (
    SHARED,
    Token,
    phrase_after,
    phrase_before,
    resolve_actor,
    speaker_of,
    tokens,
)
from geo.claims.gate import gated_matches
from geo.claims.lexicon import (
    ACTOR_HEADS,
    HEDGES,
    IDIOMS,
    KINDS,
    NEGATIONS,
    PARTICIPLE_LINKS,
    PARTY_NOUNS,
    PRONOUNS,
    SPEAKS_AFTER,
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
_UNDER_WAY_ADVERBS = frozenset("now still already reportedly steadily slowly again".split())
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


def find_triggers(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    """Event words in ``text[start:end]``, as ``trigger_pattern().finditer`` finds them, faster."""
    return gated_matches(trigger_pattern(), text, start, end)


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
    brk = _CLAUSE_BREAK.search(text, at, s_end)
    if brk:
        right = brk.start()
    later = [o for o in others if o > at]
    if later:
        right = min(right, min(later))
    return left, right


_AREA_KINDS = frozenset(
    {"continent", "country", "region", "subregion", "admin1", "admin2", "unknown"}
)
# A name after the event word that the gazetteer did not resolve: the event is there, not at
# some other place of the sentence ("attacked the SDF in Tal Rifaat").
_UNRESOLVED = re.compile(
    r"\b(?:in|at|near|off|outside|around|toward|towards|into|of|from)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|port|camp|district|region|province|base|area)\s+of\s+)?"
    r"(?-i:(?P<name>[A-Z][\w'’-]+))",
    re.I,
)
# An event word ending in a preposition of place ("brought them to", "were flown to").
_ENDS_IN_PLACE_WORD = re.compile(r"\b(?:to|into|at|in|toward|towards)$", re.I)
_NAMED_OBJECT = re.compile(
    r"\s+(?:the\s+)?(?:(?:town|city|village|port|district|base|airport)\s+(?:of\s+)?)?"
    r"(?-i:(?P<name>[A-Z][\w'’-]+))"
)
_NOT_NAMES = frozenset(
    """The A An In On At His Her Its Their This That Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday January February March April May June July August September October November
    December""".split()
)
_PARTY_AFTER = re.compile(r"[-\s]+(?:" + "|".join(sorted(PARTY_NOUNS)) + r")\b", re.I)
_SPEAKS_AFTER = re.compile(SPEAKS_AFTER, re.I)
# The accused is a party, not a place ("accused Rwanda of sending troops").
_ACCUSED_BEFORE = re.compile(r"\b(?:accus(?:ed|es|ing)|blam(?:ed|es|ing))\s+(?:the\s+)?$", re.I)
_DESTINATION = re.compile(r"\b(?:toward|towards|to|into|for|across)\b[^.;,]{0,25}$", re.I)
_AT = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
# How fine a place is: a town beats a province, a province a country.
_SPECIFIC = {"continent": 0, "subregion": 0, "country": 1, "region": 2, "admin1": 2, "admin2": 2}
_MOVE_KINDS = frozenset({"displacement", "advance", "deployment", "departure"})
# After a capture word these are people or things taken, not places ("captured 300 soldiers").
_TAKEN_THINGS = re.compile(
    r"\s+(?:\d|several|dozens|hundreds|thousands|prisoners|soldiers|fighters|weapons|hostages|"
    r"equipment|tanks|vehicles|ammunition|(?:a|an|the|two|three)\s+(?:soldiers?|fighters?|tanks?|"
    r"vehicles?|drones?|ships?|vessels?|boats?))",
    re.I,
)


def _unresolved_name(text: str, start: int, end: int, places: Sequence[dict]) -> bool:
    """A capitalised name after a preposition in ``text[start:end]`` that is no resolved place."""
    spans = [(p["start"], p["end"]) for p in places]
    for m in _UNRESOLVED.finditer(text, start, end):
        name = m.group("name")
        if name in _NOT_NAMES or any(s <= m.start("name") < e for s, e in spans):
            continue
        return True
    return False


def _pick_place(
    text: str,
    places: Sequence[dict],
    trigger: tuple[int, int],
    clause: tuple[int, int],
    blocked: list[tuple[int, int]],
    sent: tuple[int, int],
    kind: str,
) -> tuple[list[dict], bool]:
    """The claim's places and whether they came before the event word (a weaker reading).

    First choice: the first place after the event word in its clause, with the places
    coordinated to it ("Goma and Bukavu"); a country or province is passed over for a town
    named right after it ("into Chad at Adre"). Else, unless the clause names a place the
    gazetteer did not resolve, the nearest place before the event word. Demonyms ("the
    Libyan government") only after the event word and as a last resort.
    """

    def ok(p: dict) -> bool:
        return (
            p.get("lat") is not None
            and not any(s <= p["start"] < e for s, e in blocked)
            and (p.get("demonym") or not _PARTY_AFTER.match(text, p["end"]))
            and not _SPEAKS_AFTER.match(text, p["end"])
            and not _ACCUSED_BEFORE.search(text, max(0, p["start"] - 30), p["start"])
        )

    usable = [p for p in places if ok(p)]
    real = [p for p in usable if not p.get("demonym") and p.get("role") != "in-name"]
    after = [p for p in real if trigger[1] <= p["start"] < clause[1]]
    word_end = len(text[: trigger[1]].rstrip())  # "brought them to " ends at "to"
    named = _NAMED_OBJECT.match(text, word_end)
    if (
        named
        and kind not in ("capture", "siege")
        and not re.match(r"\s+(?:the\s+)?\w+\s+of\s", text[word_end : named.start("name")])
        and not _ENDS_IN_PLACE_WORD.search(text, trigger[0], word_end)
    ):
        named = None  # "brought them to Arguineguin": a name right after "to" is the place
    if named and named.group("name") not in _NOT_NAMES:
        at = named.start("name")
        if not any(p["start"] <= at < p["end"] for p in places) and not any(
            s <= at < e for s, e in blocked
        ):
            return [], False  # the object is a name the gazetteer does not know
    if after:
        first = after[0]
        if first.get("kind") in _AREA_KINDS:
            # "into Chad at Adre", "into Somalia's Bakool region": the finer place is meant.
            finer = [
                p
                for p in after[1:]
                if _SPECIFIC.get(str(p.get("kind")), 3) > _SPECIFIC.get(str(first.get("kind")), 3)
                and (
                    _AT.search(text, max(first["end"], p["start"] - 12), p["start"])
                    or re.fullmatch(r"['’]s\s+", text[first["end"] : p["start"]])
                )
            ]
            if finer:
                first = finer[0]
        chosen = [first]
        for p in after[after.index(first) + 1 :]:
            prev = chosen[-1]
            if prev["end"] > p["start"] or not _COORD.match(text[prev["end"] : p["start"]]):
                break
            chosen.append(p)
        return chosen, False
    if _unresolved_name(text, trigger[1], clause[1], places):
        return [], False
    before = [p for p in real if clause[0] <= p["start"] < trigger[0]]
    if before:
        return [before[-1]], True
    before = [p for p in real if sent[0] <= p["start"] < trigger[0]]
    if before:
        return [before[-1]], True
    if kind != "deployment":
        return [], False
    # "promised to send troops if the Libyan government asked": where troops would go.
    late = [p for p in usable if p.get("demonym") and p["start"] >= trigger[1]]
    return late[:1], False


def _destinations(text: str, places: Sequence[dict], chosen: dict, end: int) -> list[dict]:
    """Places a movement heads for after its origin: "fled Tarhuna toward Bani Walid"."""
    out = []
    for p in places:
        if p.get("demonym") or p is chosen or p.get("lat") is None:
            continue
        if chosen["end"] <= p["start"] < end:
            if _DESTINATION.search(text, chosen["end"], p["start"]):
                out.append(p)
                break
    return out


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
    found: list[claim_dates.DateExpr],
    at: int,
    clause: tuple[int, int],
    anchor: dt.date | None,
    dated_here: list[tuple[int, dt.date]],
) -> tuple[dt.date | None, str | None, str]:
    """The time expression nearest the event word (in its clause if one is), resolved;
    "a day after" counts from an event dated earlier in the sentence, else the one before."""
    if not found:
        return None, None, "unknown"
    inside = [d for d in found if clause[0] <= d.start < clause[1]] or found
    best = min(inside, key=lambda d: abs(d.start - at))
    if best.after_event is not None:
        earlier = [d for s, d in dated_here if s < best.start]
        anchor = earlier[-1] if earlier else anchor
    date, precision = claim_dates.resolve_relative(best, anchor)
    return date, best.text, precision if date else "unknown"


def _flags(
    text: str, clause: tuple[int, int], trigger: tuple[int, int], sent: tuple[int, int]
) -> tuple[bool, bool, bool]:
    """(negated, hedged, speculative) for the event word at ``trigger``."""
    near = text[max(clause[0], trigger[0] - 40) : trigger[1]]  # "were not leaving" inside
    before = text[sent[0] : trigger[0]]
    negated = bool(_NEGATION.search(near)) or bool(_DENIAL.search(before))
    speculative = bool(_SPECULATION.search(text[clause[0] : trigger[0]])) or bool(
        _SPECULATION.search(near)
    )
    hedged = (
        bool(_HEDGE.search(text[clause[0] : trigger[0]]))
        or bool(
            re.search(
                r"\b(?:reportedly|allegedly|according\s+to|claimed|purportedly)\b",
                text[sent[0] : sent[1]],
                re.I,
            )
        )
        # denied later in its sentence: "..., a charge Kigali denies" (disputed, so hedged)
        or bool(_DENIAL.search(text[trigger[1] : sent[1]]))
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


_DEATHS = re.compile(r"(?:killed|killing)\b", re.I)
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
    if not ordered:
        return []
    # Only the stretch of text around these places: a long file comes in windows.
    lo, hi = _region(text, body_start, ordered[0]["start"], ordered[-1]["end"])
    spans = sentence_spans(text, lo, hi)
    sent_starts = [s for s, _ in spans]
    matches = find_triggers(text, lo, hi)
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


_REGION_SLACK = 4000


def _region(text: str, body_start: int, first: int, last: int) -> tuple[int, int]:
    """From the sentence break before ``first`` to the one after ``last`` (within reach)."""
    lo = max(body_start, first - _REGION_SLACK)
    if lo > body_start:
        breaks = list(_SENTENCE_END.finditer(text, lo, first))
        lo = breaks[-1].end() if breaks else lo
    hi = min(len(text), last + _REGION_SLACK)
    if hi < len(text):
        m = _SENTENCE_END.search(text, last, hi)
        hi = m.start() if m else hi
    return lo, hi


Span = tuple[int, int] | None
Reading = tuple[re.Match, str, int, int, Span, Span]
Actor = tuple[str | None, str | None]  # (theatre actor id, the phrase as written)


def _readings(
    text: str,
    toks: list[Token],
    found: list[re.Match],
    sent: tuple[int, int],
    date_spans: list[tuple[int, int]],
    places: list[dict],
) -> list[Reading]:
    """The event words of a sentence that can assert an event, each with its parties:
    (match, kind, first token, end token, actor span, target span)."""
    readings: list[Reading] = []
    for m in found:
        kind = m.lastgroup or ""
        if kind == "clash" and _IDIOM.match(text, m.start()):
            continue
        if any(s <= m.start() < e for s, e in date_spans):
            continue  # "March" the month, "May" read as a verb, inside a date
        if _REFERENCE.search(text, max(sent[0], m.start() - 20), m.start()):
            continue  # "before the sinking": an event already told, not a new one
        if kind == "capture" and _TAKEN_THINGS.match(text, m.end()):
            continue
        if readings and _DEATHS.match(m.group()):
            continue  # "capsized near X, killing 12": the toll of the event told before
        ti = _token_at(toks, m.start())
        te = _token_at(toks, m.end() - 1) + 1
        actor_span, target_span = _parties(toks, ti, te, kind, date_spans, sent[0], m.group())
        readings.append((m, kind, ti, te, _not_a_place(toks, actor_span, places), target_span))
    return readings


def _actor_of(
    text: str,
    toks: list[Token],
    span: tuple[int, int] | None,
    date_spans: list[tuple[int, int]],
    aliases: dict[str, str],
    shared: Actor,
    last: Actor,
) -> Actor:
    """The claim's actor: the phrase's theatre id; the previous verb's subject when shared;
    for "it"/"they" the speaker ("X said it had"), else the last actor named."""
    if span == SHARED:
        return shared
    actor_text = _text_of(text, toks, span)
    if span is not None and actor_text and actor_text.lower() in PRONOUNS:
        speaker = speaker_of(toks, span[0], date_spans)
        if speaker is None:
            return last
        actor_text = _text_of(text, toks, speaker)
        return resolve_actor(actor_text, aliases), actor_text
    actor = resolve_actor(actor_text, aliases)
    if actor is None and span and toks[span[0]].lower in ("its", "their"):
        # "HTS said its fighters ...": the fighters are the speaker's.
        speaker = speaker_of(toks, span[0], date_spans)
        actor = resolve_actor(_text_of(text, toks, speaker), aliases)
    return actor, actor_text


def _target_of(
    toks: list[Token], span: tuple[int, int] | None, places: list[dict]
) -> tuple[int, int] | None:
    """The target span, unless it is a place ("on the port of Odesa"), not a party."""
    if span and any(toks[span[0]].start <= p["start"] < toks[span[1] - 1].end for p in places):
        return None
    return span


@dataclass
class _Sentence:
    """What the claims of one sentence share while it is read."""

    text: str
    sent: tuple[int, int]
    toks: list[Token]
    date_exprs: list
    date_spans: list[tuple[int, int]]
    day: dt.date | None
    out: list[dict] = field(default_factory=list)
    seen: set[tuple[str, int]] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    dated: list[tuple[int, dt.date]] = field(default_factory=list)
    actor: Actor = (None, None)


def _sentence_claims(
    text: str,
    sent: tuple[int, int],
    found: list[re.Match],
    places: list[dict],
    day: dt.date | None,
    anchor: dt.date | None,
    last_actor: Actor,
    aliases: dict[str, str],
) -> tuple[list[dict], dt.date | None, Actor]:
    s_start, s_end = sent
    toks = tokens(text, s_start, s_end)
    date_exprs = claim_dates.find_dates(text, day, s_start, s_end)
    date_spans = [(d.start, d.end) for d in date_exprs]
    here = _Sentence(text, sent, toks, date_exprs, date_spans, day)
    trigger_starts = [m.start() for m in found]
    readings = _readings(text, toks, found, sent, date_spans, places)
    spans_of = [
        (toks[a[0]].start, toks[a[1] - 1].end) for *_, a, _ in readings if a and a != SHARED
    ]
    for m, kind, ti, _te, actor_span, target_span in readings:
        clause = _clause(
            text, s_start, s_end, m.start(), [o for o in trigger_starts if o != m.start()]
        )
        negated, hedged, speculative = _flags(text, clause, m.span(), sent)
        if speculative and not hedged:
            continue
        target_span = _target_of(toks, target_span, places)
        actor, actor_text = _actor_of(
            text, toks, actor_span, date_spans, aliases, here.actor, last_actor
        )
        blocked = list(spans_of)
        if target_span and kind not in ("rescue", "interception"):
            blocked.append((toks[target_span[0]].start, toks[target_span[1] - 1].end))
        chosen, fallback = _pick_place(text, places, m.span(), clause, blocked, sent, kind)
        if not chosen or (fallback and kind in here.kinds):
            continue
        if fallback and here.out:
            chosen = [next(p for p in places if p["start"] == here.out[0]["start"])]
        if kind in _MOVE_KINDS:
            chosen += [
                p for p in _destinations(text, places, chosen[-1], clause[1]) if p not in chosen
            ]
        if actor_text:
            last_actor = here.actor = (actor, actor_text)
        when = _date_for(date_exprs, m.start(), clause, anchor, here.dated)
        if when[0] is None and _progressive(toks, ti) and day is not None:
            when = (day, None, "day")
        if when[0] is not None:
            here.dated.append((m.start(), when[0]))
        here.kinds.add(kind)
        target_text = _text_of(text, toks, target_span)
        base = {
            "kind": kind,
            "actor": actor,
            "actor_text": actor_text,
            "target": resolve_actor(target_text, aliases),
            "target_text": target_text,
            "date": when[0],
            "date_text": when[1],
            "date_precision": when[2],
            "negated": negated,
            "hedged": hedged,
        }
        generic = bool(_GENERIC.match(m.group()))
        _add_claims(here, base, chosen, generic, fallback)
    if here.dated:
        anchor = here.dated[-1][1]
    return here.out, anchor, last_actor


def _add_claims(
    here: _Sentence, base: dict, chosen: list[dict], generic: bool, fallback: bool
) -> None:
    """One claim per place of the event (never the same kind twice at one place)."""
    s_start, s_end = here.sent
    sentence = " ".join(here.text[s_start:s_end].split())
    date = base["date"]
    for place in chosen:
        if (base["kind"], place["start"]) in here.seen:
            continue
        here.seen.add((base["kind"], place["start"]))
        relation = _relation(here.text, place, base["kind"])
        confidence = _confidence(
            generic, base["actor_text"], date, base["hedged"], fallback, relation
        )
        claim = {
            **base,
            "mention": place["mention"],
            "start": place["start"],
            "end": place["end"],
            "place_relation": relation,
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "place_id": place.get("id"),
            "date": date.isoformat() if date else None,
            "sentence": sentence,
            "sentence_start": s_start,
            "confidence": confidence,
            "theatre_check": "unknown",
        }
        here.out.append({k: claim[k] for k in FIELDS})


def _not_a_place(
    toks: list[Token], span: tuple[int, int] | None, places: Sequence[dict]
) -> tuple[int, int] | None:
    """No actor when the phrase is a town alone ("near Jilib killed 13"): towns don't act,
    states do ("Burundi has deployed")."""
    if span is None or span == SHARED:
        return span
    start, end = toks[span[0]].start, toks[span[1] - 1].end
    for p in places:
        if p["start"] <= start and end <= p["end"] and p.get("kind") not in _AREA_KINDS:
            return None
    return span


_REFERENCE = re.compile(
    r"\b(?:(?:before|after|since|during|following)\s+the|those|the\s+(?:newly|recently))\s+$"
    r"|\b(?:over|newly|recently)\s+$",
    re.I,
)
_IRREGULAR_PAST = frozenset(
    """took fled fell sank struck fought retook overran withdrew left sent went began drove set
    hit shot ran flew came brought led held caught swept lost won threw""".split()
)


def _progressive(toks: list[Token], ti: int) -> bool:
    """ "are closing in", "is besieging": an event under way on the article's date."""
    word = toks[ti].lower
    k = ti - 1
    while k > 0 and toks[k].lower in _UNDER_WAY_ADVERBS:
        k -= 1  # "are now advancing", "have still been pushing"
    prev = toks[k].lower if k >= 0 else ""
    if prev == "been" and k > 0 and toks[k - 1].lower in ("have", "has"):
        prev = "is"  # "have been pushing": under way still
    return word.endswith("ing") and prev in _PROGRESSIVE


def _parties(
    toks: list[Token],
    ti: int,
    te: int,
    kind: str,
    date_spans: list[tuple[int, int]],
    s_start: int,
    trigger: str,
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(actor, target) token spans around the event word at tokens ``ti:te``; the actor may be
    ``SHARED`` (the previous verb's subject)."""
    head = toks[ti].bare
    if head in ACTOR_HEADS or head.rstrip("s") in ACTOR_HEADS:
        # The pattern starts at its subject ("boats leaving", "troops crossed").
        before = phrase_before(toks, ti + 1, date_spans, s_start)
        return before, None
    verbal = (
        head.endswith("ed")
        or head in _IRREGULAR_PAST
        or (head.endswith("ing") and ti > 0 and toks[ti - 1].lower in _PASSIVE)
        or (head.endswith("ing") and ti > 0 and toks[ti - 1].lower in PARTICIPLE_LINKS)
        or head in _PASSIVE  # "and were flown to": the event word starts at the auxiliary
    )
    before = phrase_before(toks, ti, date_spans, s_start)
    if before == SHARED and not verbal:
        before = None
    prev = toks[ti - 1].lower if ti > 0 else ""
    passive = prev in _PASSIVE or (
        ti > 1 and prev in ("reportedly", "allegedly") and toks[ti - 2].lower in _PASSIVE
    )
    if kind == "capture" and toks[te - 1].lower in ("to", "of") and te < len(toks):
        if toks[te - 1].lower == "of":
            return before, None  # "the fall of Kidal"
        return phrase_after(toks, te, date_spans), None  # "fell to M23"
    agent = _agent(toks, te, date_spans)
    if kind == "clash":
        return _clash_parties(toks, te, before, agent, date_spans)
    if kind in _MOVER_KINDS:
        return before or agent, None
    if (passive or before is None) and agent is not None and kind in _PASSIVE_SWAP:
        return agent, before if passive else None
    target_words = {"capture": ("from",), "attack": ("against", "on"), "siege": ("against",)}
    target = _after_word(toks, te, target_words.get(kind, ()), date_spans)
    if kind in ("rescue", "interception") and before and not passive:
        return before, phrase_after(toks, te, date_spans) or target
    return before or agent, target


def _agent(toks: list[Token], te: int, date_spans: list[tuple[int, int]]) -> Span:
    """The agent of a passive: the phrase after "by" in the clause ("was seized by M23")."""
    for k in range(te, min(len(toks), te + 8)):
        if toks[k].lower == "by" and k + 1 < len(toks):
            return phrase_after(toks, k + 1, date_spans)
        if toks[k].text in ".;:":
            break
    return None


def _clash_parties(
    toks: list[Token], te: int, before: Span, agent: Span, date_spans: list[tuple[int, int]]
) -> tuple[Span, Span]:
    """The two sides of a clash: "between A and B", "A and B clashed", "A fought with B"."""
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
    if before and before != SHARED:
        words = [t.lower for t in toks[before[0] : before[1]]]
        if "and" in words:
            cut = before[0] + words.index("and")
            return (before[0], cut), (cut + 1, before[1])
    with_ = _after_word(toks, te, ("with", "against"), date_spans)
    return before or agent, with_


def _after_word(
    toks: list[Token], te: int, words: Iterable[str], blocked: list[tuple[int, int]]
) -> tuple[int, int] | None:
    for k in range(te, min(len(toks), te + 10)):
        if toks[k].text in ".;:":
            return None
        if toks[k].lower in words and k + 1 < len(toks):
            return phrase_after(toks, k + 1, blocked)
    return None
