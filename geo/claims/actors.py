"""Who did it: actor phrases around an event word, and theatre actor ids for them.

An actor phrase is read back from the event word over auxiliaries ("had reportedly seized") to
the noun phrase before it, or forward after "by" ("was seized by M23 fighters"). It names a
theatre actor when it contains one of that actor's aliases: its id ("LNA"), its name ("Libyan
National Army"), the words in brackets in its name ("Haftar"), its leaders' names, an
``aliases`` column when the data has one, and for states the country's names and demonyms.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.claims.lexicon import (
    ACTOR_HEADS,
    AUXILIARIES,
    OBJECT_STARTS,
    PARTICIPLE_LINKS,
    PHRASE_BOUNDARY,
    PHRASE_INNER,
    PRONOUNS,
    SENTENCE_OPENERS,
    SPEECH_VERBS,
    WEAPON_HEADS,
)

WORD = re.compile(r"\d[\d,.]*\d|[^\W_][\w'’.\-]*[^\W_]|[^\W_]|[^\w\s]")
_ALIASES_CSV = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / "country_aliases.csv"
# Between an actor and its event word: intentions and their "to" ("promised to send").
_DIRECTIONS = frozenset(
    "north south east west northeast northwest southeast southwest centre center".split()
)
_SKIP_BACK = AUXILIARIES | frozenset(
    """not never n't to would will could can shall promised vowed pledged threatened plans
    planned intends intended wants wanted agreed decided began started continued tried managed
    helped sought seeks offered ready prepared expected set went keep keeps kept continue
    continues resumed""".split()
)
_CLOSING = ',;:()[]"“”—–'
_LOYAL = frozenset({"loyal", "allied", "close", "aligned", "linked", "affiliated"})


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def bare(self) -> str:
        """Lower case without a possessive ending ("Haftar's" -> "haftar")."""
        word = self.text.lower()
        for tail in ("'s", "’s", "'", "’"):
            if word.endswith(tail):
                return word[: -len(tail)]
        return word


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Words and punctuation of ``text[start:end]`` with their offsets."""
    return [Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, end)]


def _looks_like_actor(words: list[Token], first_of_sentence: int) -> bool:
    for t in words:
        if t.bare in ACTOR_HEADS or t.bare.rstrip("s") in ACTOR_HEADS:
            return True
        if t.bare in WEAPON_HEADS or t.bare.removesuffix("s") in WEAPON_HEADS:
            return True
        letters = t.text.replace(".", "").replace("-", "")
        if t.text[0].isupper() and t.bare not in PHRASE_INNER and t.bare not in SENTENCE_OPENERS:
            return True
        if letters.isupper() and len(letters) >= 2:
            return True
    return False


def _trim(words: list[Token]) -> list[Token]:
    """Drop joining words at either end ("and Russian forces" -> "Russian forces")."""
    while words and words[0].bare in {"of", "and", "to", "loyal", "allied", "aligned", "by"}:
        words = words[1:]
    if words and words[0].bare.endswith(("backed", "supported")) and len(words) > 2:
        if words[1].bare == "by":
            words = words[2:]  # "backed by Russian air strikes" -> "Russian"
    while words and (words[-1].bare in PHRASE_INNER or words[-1].text in _CLOSING):
        words = words[:-1]
    return words


SHARED = (-1, -1)  # the subject is the previous verb's ("seized X and advanced on Y")


def _is_verb(toks: list[Token], i: int) -> bool:
    """A lower-case -ed/-ing word followed by a determiner or number is a verb, not an
    adjective: "spotted eleven boats", "carrying 40 migrants" (but "armed gangs")."""
    t = toks[i]
    if not t.text[:1].islower() or not t.lower.endswith(("ed", "ing")) or len(t.text) < 5:
        return False
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is not None and (nxt.lower in OBJECT_STARTS or nxt.text[:1].isdigit())


def _phrase_end(
    toks: list[Token], index: int, in_blocked: Callable[[Token], bool]
) -> int | tuple[int, int]:
    """The last token of the actor phrase before ``toks[index]`` (past auxiliaries, a place
    in the way, an apposition), or ``SHARED`` after "and", "but", "then"."""
    i = index - 1
    if i >= 0 and toks[i].lower in PARTICIPLE_LINKS and toks[index].lower.endswith("ing"):
        return SHARED  # "attacked Macomia two days after launching": the same subject
    while i >= 0 and (toks[i].lower in _SKIP_BACK or in_blocked(toks[i])):
        i -= 1
    if i >= 0 and toks[i].lower in {"on", "in", "at"} and i + 1 < index and in_blocked(toks[i + 1]):
        i -= 1
    while i >= 0 and toks[i].lower in _SKIP_BACK:
        i -= 1
    if i >= 0 and toks[i].lower in {"and", "but", "then"}:
        return SHARED
    if (
        i >= 2
        and toks[i].lower in _DIRECTIONS
        and [t.lower for t in toks[i - 2 : i]]
        == [
            "in",
            "the",
        ]
    ):
        i -= 3  # "the authorities in the east intercepted": read on past the qualifier
    if i >= 0 and toks[i].text == ",":
        # An apposition: "The soldiers, supported by Wagner fighters, advanced" -> "The soldiers".
        k = i - 1
        while k >= 0 and toks[k].text not in _CLOSING:
            k -= 1
        if k > 0 and toks[k].text == "," and i - k <= 12:
            i = k - 1
    return i


def _ends_phrase_before(toks: list[Token], i: int) -> bool:
    """Whether ``toks[i]`` is a boundary reading back: a preposition or conjunction (but not
    "loyal to", "Turkish-backed by"), a speech verb, a verb."""
    t = toks[i]
    if t.lower in PHRASE_BOUNDARY and t.lower not in PHRASE_INNER:
        loyal = t.lower == "to" and i > 0 and toks[i - 1].lower in _LOYAL
        backed = t.lower == "by" and i > 0 and toks[i - 1].lower.endswith("backed")
        if not (loyal or backed):
            return True
    return t.lower in SPEECH_VERBS or _is_verb(toks, i)


def phrase_before(
    toks: list[Token], index: int, blocked: list[tuple[int, int]], first_of_sentence: int
) -> tuple[int, int] | None:
    """The actor phrase ending before ``toks[index]``: (token start index, token end index),
    ``SHARED`` when the verb shares the previous verb's subject, or None."""

    def in_blocked(t: Token) -> bool:
        return any(s <= t.start < e for s, e in blocked)

    i = _phrase_end(toks, index, in_blocked)
    if isinstance(i, tuple):
        return i
    end = i + 1
    while i >= 0 and end - i <= 10:
        t = toks[i]
        if t.text in _CLOSING or in_blocked(t) or _ends_phrase_before(toks, i):
            break
        i -= 1
    words = _trim(toks[i + 1 : end])
    if not words:
        return None
    if len(words) == 1 and words[0].lower in PRONOUNS:
        s = toks.index(words[0])
        return s, s + 1
    if not _looks_like_actor(words, first_of_sentence):
        return None
    s = toks.index(words[0])
    return s, s + len(words)


def speaker_of(
    toks: list[Token], pronoun: int, blocked: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """Who "it" or "they" is when a speech verb comes just before: "the LNA said it had"."""
    k = pronoun - 1
    if k >= 0 and toks[k].lower == "that":
        k -= 1
    if k < 1 or toks[k].lower not in SPEECH_VERBS:
        return None
    found = phrase_before(toks, k, blocked, -1)
    return None if found in (None, SHARED) else found


def phrase_after(
    toks: list[Token], index: int, blocked: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The noun phrase starting at ``toks[index]`` (after "by", "to", "between")."""
    i = index
    while i < len(toks) and i - index < 10:
        t = toks[i]
        if t.text in _CLOSING or any(s <= t.start < e for s, e in blocked):
            break
        if t.lower in PHRASE_BOUNDARY and t.lower not in PHRASE_INNER:
            if not (t.lower == "to" and i > index and toks[i - 1].lower in _LOYAL):
                break
        if t.lower == "and" and i > index:
            break
        i += 1
    words = _trim(toks[index:i])
    if not words or not _looks_like_actor(words, -1):
        return None
    s = toks.index(words[0])
    return s, s + len(words)


# -- theatre actor ids -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    with _ALIASES_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            alias = (row.get("alias") or "").strip()
            if alias and len(alias) > 3:
                names.setdefault(row["country"], []).append(alias)
    return names


def _split(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]


def actor_aliases(actors) -> dict[str, str]:
    """Alias (lower case) -> actor id, from a theatre's actors table (indexed by id)."""
    out: dict[str, str] = {}

    def add(alias: str, actor: str) -> None:
        alias = " ".join(alias.lower().split())
        if len(alias) >= 3 and alias not in out:
            out[alias] = actor

    for actor, row in actors.iterrows():
        actor = str(actor)
        for alias in _split(row.get("aliases")):
            add(alias, actor)
        if "-" not in actor and actor != "local":
            add(actor, actor)
        name = str(row.get("name") or "")
        for inside in re.findall(r"\(([^)]*)\)", name):
            add(re.sub(r"-led$", "", inside.strip()), actor)
        plain = re.sub(r"\s*\([^)]*\)", "", name)
        plain = re.sub(r"\s+and\s+(?:aligned|allied|the)\b.*$", "", plain).strip()
        if plain and row.get("kind") != "state":
            add(plain, actor)
        for leader in _split(row.get("leaders")):
            add(leader, actor)
            last = leader.split()[-1]
            add(last, actor)
            if last.lower().startswith(("al-", "el-")):
                add(last[3:], actor)
        if row.get("kind") == "state" and isinstance(row.get("country"), str):
            for alias in _country_names().get(row["country"], []):
                add(alias, actor)
            if plain:
                add(plain, actor)
            if isinstance(row.get("seat"), str) and row["seat"]:
                add(row["seat"].replace("-", " "), actor)
    return out


@lru_cache(maxsize=64)
def theatre_aliases(theatre) -> dict[str, str]:
    """``actor_aliases`` of a theatre, computed once per loaded theatre."""
    return actor_aliases(theatre.actors)


@lru_cache(maxsize=32)
def _alias_pattern(aliases: tuple[str, ...]) -> re.Pattern:
    ordered = sorted(aliases, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in ordered) + r")(?![\w])")


def resolve_actor(text: str | None, aliases: dict[str, str]) -> str | None:
    """The theatre actor id a phrase names, by its longest alias; None when none matches."""
    if not text or not aliases:
        return None
    lowered = text.lower().replace("’", "'")
    best: tuple[int, int, str] | None = None
    for m in _alias_pattern(tuple(aliases)).finditer(lowered):
        key = (-(m.end() - m.start()), m.start(), aliases[m.group()])
        best = key if best is None or key < best else best
    return best[2] if best else None
