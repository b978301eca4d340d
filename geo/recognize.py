"""Toponym recognition: spans of running text that name places, with their gazetteer candidates.

The method is gazetteer matching over runs of capitalised words, with rules that tell a place
from the people and organisations whose names contain one ("Libyan National Army", "Khalifa
Haftar", "University of Washington"). Rules rather than a statistical NER model because they
run over ten times faster than spaCy's small model and, measured on GeoWebNews (docs/
geoparsing.md), find more toponyms; every rule below is a named word list or one check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.gazetteer.build import ACRONYM, DEMONYM
from geo.gazetteer.fold import fold
from geo.gazetteer.index import Entry, GazetteerIndex
from geo.gazetteer.words import (
    COMMON_WORDS,
    CONNECTORS,
    FEATURE_SUFFIXES,
    NOT_PLACES,
    ORG_HEADS,
    PERSON_TITLES,
    REGION_SUFFIXES,
    SPLITTERS,
)

# Words: letters with inner apostrophes excluded (they end a word: "Libya's" -> "Libya", "s"),
# dotted acronyms kept whole ("U.S."). Hyphens split words but may sit inside a run.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+")
_MAX_NAME_TOKENS = 7
# Big places are kept even when their name is also a common word.
_BIG = 1e6


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    sentence_start: bool

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_upper(self) -> bool:
        letters = self.text.replace(".", "")
        return letters.isupper() and len(letters) >= 2


@dataclass(frozen=True)
class Mention:
    """A recognised toponym: ``text[start:end]`` with its gazetteer candidates."""

    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...]
    demonym: bool = False
    feature: str | None = None  # e.g. "street" when the name is a feature named after a place


def _tokens(text: str, start: int, end: int) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text, start, end):
        s = m.start()
        j = s - 1
        while j >= start and text[j] in " \t\"'“‘(«[":
            j -= 1
        sentence_start = j < start or text[j] in ".!?\n:;"
        out.append(Token(s, m.end(), m.group(), sentence_start))
    return out


def _joined(text: str, a: Token, b: Token) -> bool:
    """Two words belong to one run when only a space or a hyphen separates them."""
    gap = text[a.end : b.start]
    return gap in (" ", "-", "\u00a0", "‐", "–") or (gap == ". " and a.lower in {"st", "mt", "ft"})


def _runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Maximal runs of capitalised words, with lower-case connectors inside them."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for i, tok in enumerate(tokens):
        if cur and not _joined(text, tokens[i - 1], tok):
            runs.append(cur)
            cur = []
        if tok.is_cap:
            cur.append(tok)
        elif cur and tok.lower in CONNECTORS:
            cur.append(tok)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        while run and not run[-1].is_cap:
            run = run[:-1]
        if run:
            out.append(run)
    return out


def _usable(entries: tuple[Entry, ...], span: list[Token]) -> tuple[Entry, ...]:
    """Drop candidates the surface form cannot mean: acronyms must be written in capitals."""
    upper = all(t.is_upper for t in span) and len(span) == 1 and len(span[0].text.replace(".", "")) <= 4
    keep = []
    for e in entries:
        if e.flags & ACRONYM:
            if upper:
                keep.append(e)
        elif not upper:
            keep.append(e)
    return tuple(keep)


def _match(index: GazetteerIndex, run: list[Token], i: int) -> tuple[int, tuple[Entry, ...]]:
    """Longest gazetteer name starting at run[i]: (number of tokens, candidates)."""
    if not run[i].is_cap:
        return 0, ()
    for n in range(min(_MAX_NAME_TOKENS, len(run) - i), 0, -1):
        span = run[i : i + n]
        if not span[-1].is_cap:
            continue
        key = fold(" ".join(t.text for t in span))
        if n == 1 and (key in NOT_PLACES):
            return 0, ()
        found = _usable(index.lookup_key(key), span)
        if found:
            return n, found
    return 0, ()


def _is_common_word(tok: Token, entries: tuple[Entry, ...]) -> bool:
    """A capitalised common word ('Both', 'Police') that only names small places."""
    if tok.is_upper or tok.lower not in COMMON_WORDS:
        return False
    best = max((e.prior for e in entries), default=0.0)
    if tok.sentence_start:
        return best < _BIG
    return best < 1e5


def find_mentions(index: GazetteerIndex, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Toponym mentions in ``text[start:end]``, in order, with offsets into ``text``."""
    end = len(text) if end is None else end
    tokens = _tokens(text, start, end)
    mentions: list[Mention] = []
    prev_word: dict[int, str] = {}
    for i, tok in enumerate(tokens):
        if i:
            prev_word[tok.start] = tokens[i - 1].lower
    for run in _runs(text, tokens):
        mentions.extend(_mentions_in_run(index, text, run, prev_word.get(run[0].start, "")))
    return mentions


def _mentions_in_run(index: GazetteerIndex, text: str, run: list[Token], before: str) -> list[Mention]:
    found: list[tuple[int, int, tuple[Entry, ...]]] = []  # (first token, n tokens, entries)
    i = 0
    while i < len(run):
        n, entries = _match(index, run, i)
        if n:
            found.append((i, n, entries))
            i += n
        else:
            i += 1
    covered = {j for s, n, _ in found for j in range(s, s + n)}
    words = [t.lower for t in run]
    out: list[Mention] = []
    for s, n, entries in found:
        span = run[s : s + n]
        if n == 1 and _is_common_word(span[0], entries):
            continue
        # The words of this run's segment (split at 'and'/'or') that no place covers.
        seg_lo, seg_hi = s, s + n
        while seg_lo > 0 and words[seg_lo - 1] not in SPLITTERS:
            seg_lo -= 1
        while seg_hi < len(run) and words[seg_hi] not in SPLITTERS:
            seg_hi += 1
        others = [j for j in range(seg_lo, seg_hi) if j not in covered and run[j].is_cap]
        after = words[s + n] if s + n < len(run) else ""
        feature = None
        if others:
            if words[seg_lo] in PERSON_TITLES and seg_lo < s:
                continue  # "Prime Minister Fayez al-Sarraj": a person's name
            if after in PERSON_TITLES or after in {"prime", "foreign", "defence", "defense"}:
                pass  # "Turkish President Erdogan": the place qualifies a title
            elif after in REGION_SUFFIXES and others == [s + n]:
                feature = after  # "Idlib Province", "Orange County"
            elif after in FEATURE_SUFFIXES and others == [s + n]:
                feature = after  # "Royal Street", "Mississippi River"
            else:
                continue  # part of a person's or organisation's name
        elif s == seg_lo and before in PERSON_TITLES and not any(e.prior >= _BIG for e in entries):
            continue  # "envoy Salame"
        if any(w in ORG_HEADS for w in words[seg_lo:seg_hi]) and feature is None and others:
            continue
        m_start, m_end = span[0].start, span[-1].end
        if feature:
            m_end = run[s + n].end
        demonym = all(e.flags & DEMONYM for e in entries)
        out.append(Mention(m_start, m_end, text[m_start:m_end], entries, demonym, feature))
    return out
