"""Resolution: pick each mention's place in the context of the whole document.

Score of a candidate = log prior (population or kind, capitals up)
  + country coherence (the share of the document's confident mentions in that country)
  + admin-1 coherence (the share in that state or province: 'Springfield' in an article that
    names Illinois)
  + nearness (close to another confident place of the document)
  + containment ('Gainesville, Va.', 'COLUMBIA, Mo. (AP)': a place followed by its state or
    country is in it)
  + a state cue ('New York's attorney general', 'a Delaware company' mean the state)
  + a theatre's own place (its towns and bases, from the theatre folders' places.csv) when
    the article names a place in that theatre's country.
Passes: the first resolves by prior, each of three more with the context the one before
produced. The confidence reported is the candidate's softmax share of the scores. A place
thousands of km from all the document's other places, when a candidate near them exists, is
sent to review (its confidence lowered below the threshold); a small town is then replaced by
that namesake.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo import settings
from geo.gazetteer.build import PRIMARY
from geo.gazetteer.fold import fold
from geo.gazetteer.index import Entry
from geo.gazetteer.words import REGION_SUFFIXES
from geo.recognize import Mention

COUNTRY_WEIGHT = 6.0
ADMIN1_WEIGHT = 4.0
NEAR_WEIGHT = 1.5
NEAR_KM = 300.0
CLOSE_KM = 30.0
CONTAINED_WEIGHT = 8.0
THEATRE_WEIGHT = 2.0
STATE_CUE_WEIGHT = 4.0
FAR_KM = 2000.0
# A one-word mention whose best candidate scores below this is dropped: a tiny village named
# like a word, with nothing in the document to support it.
MIN_SCORE = math.log(1000)
_EARTH_KM = 6371.0088
_BROAD = {"country", "continent", "ocean", "sea", "subregion"}
_AREAS = {"country", "region", "county"}
# Words after a name that make it the state, not its city of the same name.
STATE_CUES = frozenset(
    """governor gov legislature lawmakers legislator legislators attorney senator senators
    statehouse state company companies corporation corp llc inc law laws voters residents
    primary delegation supreme legislative court courts judge jury""".split()
)
_NEXT_WORD = re.compile(r"\s*(?:['’]s\s+)?([A-Za-z]+)")
_BETWEEN_CONTAINED = re.compile(r"\s*(?:,|\()\s*")


@dataclass(frozen=True)
class Resolution:
    """A mention with its chosen place, confidence, and the runners-up."""

    mention: Mention
    entry: Entry | None
    score: float
    alternatives: tuple[tuple[Entry, float], ...] = ()
    review: str | None = None  # why a person should check this resolution


def softmax(values: list[float]) -> list[float]:
    """Each value's share of the exponentials: log scores as probabilities that sum to 1."""
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def _km(a: Entry, b: Entry) -> float:
    """Great-circle distance on a sphere: within 0.5% of the ellipsoid's, far more than the
    thresholds here need, and several times cheaper than a geodesic per pair."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _admin1_of(e: Entry) -> tuple[str, str] | None:
    """The (country, state or province) a place lies in; a region is its own."""
    if not e.country:
        return None
    if e.kind == "region" and e.id.startswith("admin1:"):
        return (e.country, e.name)
    return (e.country, e.admin1) if e.admin1 else None


class _Spread:
    """Places, each with the name it was written under, in a grid over the unit sphere: what
    lies within some distance of a place is asked of the places in its cell and the cells
    around it (a cell as wide as that distance's chord), not of every place of a text that
    may name thousands."""

    def __init__(self, places: list[tuple[Entry, str]]) -> None:
        self.places = places
        self.names = Counter(k for _, k in places)
        self._grids: dict[float, tuple[float, dict[tuple[int, int, int], list[int]]]] = {}

    def __len__(self) -> int:
        return len(self.places)

    @staticmethod
    def _cell(e: Entry, size: float) -> tuple[int, int, int]:
        lat, lon = math.radians(e.lat), math.radians(e.lon)
        x, y, z = math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)
        return math.floor(x / size), math.floor(y / size), math.floor(z / size)

    def band(self, c: Entry, km: float) -> Iterator[int]:
        """Positions of the places that may lie within ``km`` of ``c`` (a superset)."""
        if km not in self._grids:
            size = 2.0 * math.sin(min(km / (2 * _EARTH_KM), math.pi / 2)) * 1.001 + 1e-9
            grid: dict[tuple[int, int, int], list[int]] = {}
            for i, (e, _) in enumerate(self.places):
                grid.setdefault(self._cell(e, size), []).append(i)
            self._grids[km] = (size, grid)
        size, grid = self._grids[km]
        x, y, z = self._cell(c, size)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    yield from grid.get((x + dx, y + dy, z + dz), ())

    def near(self, c: Entry, km: float) -> Iterator[Entry]:
        return (self.places[i][0] for i in self.band(c, km))

    def others(self, name: str) -> int:
        """How many places were written under another name."""
        return len(self.places) - self.names[name]

    def within(self, c: Entry, km: float, leave_out: str, skip: int = -1) -> bool:
        """Whether a place written under another name than ``leave_out`` (and not at position
        ``skip``) lies within ``km`` of ``c``."""
        return any(
            i != skip and self.places[i][1] != leave_out and _km(c, self.places[i][0]) <= km
            for i in self.band(c, km)
        )


@dataclass
class _Context:
    shares: _Shares
    admin1: _Shares
    anchors: _Spread


def _score(
    c: Entry,
    ctx: _Context,
    container: Entry | None = None,
    state_cue: bool | str = False,
    holds: Entry | None = None,
) -> float:
    s = c.log_prior
    if c.country:
        s += COUNTRY_WEIGHT * ctx.shares.get(c.country, 0.0)
    a1 = _admin1_of(c)
    if a1 and c.kind != "country":
        s += ADMIN1_WEIGHT * ctx.admin1.get(a1, 0.0)
    if c.kind not in _BROAD and ctx.anchors:
        nearest = min(
            (
                _km(a, c)
                for a in ctx.anchors.near(c, NEAR_KM)
                if a.name != c.name and a.kind not in _BROAD
            ),
            default=NEAR_KM,
        )
        if nearest < NEAR_KM:
            s += NEAR_WEIGHT
        if nearest < CLOSE_KM:
            s += NEAR_WEIGHT  # the same district: Thornhill beside Dewsbury, not near Cardiff
    if container is not None and _inside(c, container):
        s += CONTAINED_WEIGHT
    if holds is not None and c.id == holds.id:
        s += CONTAINED_WEIGHT  # the area a place written before it lies in
    if state_cue == TOWN_CUE and c.kind == "region":
        s -= STATE_CUE_WEIGHT  # 'clashes around Kidal': the town, not the region it heads
    elif state_cue and c.kind == "region":
        s += STATE_CUE_WEIGHT
    site_country = theatre_sites().get(c.id)
    if site_country and ctx.shares.get(site_country, 0.0) > 0:
        s += THEATRE_WEIGHT  # a theatre's own town or base, in an article about that country
    return s


@lru_cache(maxsize=1)
def theatre_sites() -> dict[str, str]:
    """Gazetteer ids of the theatres' own places (towns, bases, crossings), with their country.

    Read straight from each theatre's places.csv (name or lookup, country), resolved as the
    theatre loader resolves them: the best site of that name in that country."""
    from geo.gazetteer.index import open_index

    index = open_index()
    out: dict[str, str] = {}
    for path in sorted(p for root in _theatre_roots() for p in root.glob("*/places.csv")):
        try:
            with path.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # the theatre loader reports a bad file; resolution goes on without it
        for row in rows:
            country = (row.get("country") or "").strip().upper()
            name = (row.get("lookup") or row.get("name") or "").strip()
            if not country or not name:
                continue
            hits = index.lookup(name, country=country, limit=10)
            sites = [e for e in hits if e.kind not in _AREAS and e.kind not in _BROAD]
            if sites or hits:
                out.setdefault((sites or hits)[0].id, country)
    return out


def _theatre_roots() -> list[Path]:
    from geo import settings as s

    return [Path(__file__).resolve().parent / "theatres", *s.theatre_dirs()]


def _inside(c: Entry, container: Entry) -> bool:
    if c.id == container.id:
        return container.kind == "city"  # 'Washington, D.C.': the second name is the city
    if not c.country or c.country != container.country:
        return False
    if container.kind == "country":
        return True
    a1 = _admin1_of(container)
    return a1 is not None and _admin1_of(c) == a1 and container.kind == "region"


class _Shares:
    """Each country's (or state's) share of the document's confident mentions, less one
    name's own: the document's sums and that name's are added up once, so a text of
    thousands of distinct names costs a lookup per name, not a pass over the text."""

    __slots__ = ("_all", "_own", "_total", "_names", "_leave_out")

    def __init__(
        self, all_: dict, own: dict, total: float, names: dict[Any, set[str]], leave_out: str
    ) -> None:
        self._all, self._own, self._total = all_, own, total
        self._names, self._leave_out = names, leave_out

    def get(self, key, default: float = 0.0) -> float:
        if key not in self._all or not self._total:
            return default
        return (self._all[key] - self._own.get(key, 0.0)) / self._total

    def __iter__(self) -> Iterator:
        """The countries (or states) of the other names' places."""
        return (k for k, names in self._names.items() if names - {self._leave_out})


class _Contexts:
    """The context of each name in the document: every other name's current choice.

    A name's own mentions are left out, so that 'Tripoli' said three times does not vote for
    the Libyan Tripoli in an article about Lebanon.
    """

    def __init__(self, chosen: list[tuple[Entry, float, str]]) -> None:
        self.shares: dict[str, float] = {}
        self.admin1: dict[tuple[str, str], float] = {}
        self.total = 0.0
        self.names: tuple[dict, dict] = ({}, {})  # country or state -> the names in it
        # name -> (its country sums, its admin-1 sums, [its total])
        self.own: dict[str, tuple[dict, dict, list[float]]] = {}
        self.anchors: dict[str, tuple[Entry, set[str]]] = {}  # id -> (place, names), in order
        for entry, conf, key in chosen:
            own = self.own.setdefault(key, ({}, {}, [0.0]))
            if entry.country:
                self.shares[entry.country] = self.shares.get(entry.country, 0) + conf
                self.names[0].setdefault(entry.country, set()).add(key)
                own[0][entry.country] = own[0].get(entry.country, 0) + conf
                self.total += conf
                own[2][0] += conf
                a1 = _admin1_of(entry)
                if a1:
                    self.admin1[a1] = self.admin1.get(a1, 0) + conf
                    self.names[1].setdefault(a1, set()).add(key)
                    own[1][a1] = own[1].get(a1, 0) + conf
            if conf >= 0.8 and entry.kind not in _BROAD:
                self.anchors.setdefault(entry.id, (entry, set()))[1].add(key)
        # Most names leave the first anchors as they are: those share one set of anchors (a
        # set per name held 200 anchors for each of thousands of distinct names).
        first = list(self.anchors.values())[:_MAX_ANCHORS]
        self.sole = {next(iter(keys)) for _, keys in first if len(keys) == 1}
        self.first = _Spread([(a, a.name) for a, _ in first])

    def leaving_out(self, key: str) -> _Context:
        """Country and admin-1 shares and anchor places (the first 200) of the other names."""
        countries, admin1, (own_total,) = self.own.get(key, ({}, {}, [0.0]))
        total = self.total - own_total
        anchors = self.first
        if key in self.sole:
            kept = []
            for entry, keys in self.anchors.values():
                if keys != {key}:
                    kept.append(entry)
                    if len(kept) == _MAX_ANCHORS:
                        break
            anchors = _Spread([(a, a.name) for a in kept])
        return _Context(
            _Shares(self.shares, countries, total, self.names[0], key),
            _Shares(self.admin1, admin1, total, self.names[1], key),
            anchors,
        )


_MAX_ANCHORS = 200


def _one_word(m: Mention) -> bool:
    return not any(ch in m.text for ch in " -")


def _key(m: Mention) -> str:
    return m.candidates[0].id if m.demonym else m.text.lower()


def _containers(
    mentions: list[Mention], first: list[tuple[Entry, float, str]], text: str
) -> tuple[list[Entry | None], list[Entry | None]]:
    """For each mention, the state or country written right after it ('Gainesville, Va.'),
    and for each mention that is such a container, the area it then names ('Ithaca, New
    York' is the state of New York, not its city). One sense per document: a name written
    once with its state ('Parkland, Florida') keeps that state where it is written alone."""
    out: list[Entry | None] = [None] * len(mentions)
    held: list[Entry | None] = [None] * len(mentions)
    if not text:
        return out, held
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if b.start - a.end > 4 or not _BETWEEN_CONTAINED.fullmatch(text[a.end : b.start]):
            continue
        entry = first[i + 1][0]
        if any(c.id == entry.id for c in a.candidates):
            out[i] = entry  # 'Washington, D.C.' names the city itself
            continue
        areas = [c for c in b.candidates if c.kind in ("country", "region")]
        holding = [c for c in areas if _inside(first[i][0], c)]
        if holding:
            out[i] = held[i + 1] = holding[0]  # 'Ithaca, New York': the state that holds it
        elif entry.kind in ("country", "region"):
            out[i] = held[i + 1] = entry  # 'Gainesville, Va.'
    by_key: dict[str, Entry] = {}
    for m, c in zip(mentions, out, strict=True):
        if c is not None and c.kind in ("country", "region") and not _a_country(m):
            by_key.setdefault(_key(m), c)  # 'Washington, D.C.' says nothing of 'Washington'
    out = [c if c is not None else by_key.get(_key(m)) for m, c in zip(mentions, out, strict=True)]
    return out, held


def _a_country(m: Mention) -> bool:
    """A name that is also a country's: 'Georgia, US' says nothing of the country Georgia
    written elsewhere in the article."""
    return any(c.kind == "country" for c in m.candidates)


def _state_cue(m: Mention, text: str) -> bool:
    if not text:
        return False
    nxt = _NEXT_WORD.match(text, m.end)
    before = text[max(0, m.start - 3) : m.start].lower()
    if before.endswith(("a ", "an ")) and nxt and nxt.group(1).lower() in STATE_CUES:
        return True  # 'a Delaware company'
    return nxt is not None and nxt.group(1).lower() in STATE_CUES and "'" in text[m.end : m.end + 2]


TOWN_CUE = "town"
# Before a name, words that make it the region: 'southern Idlib', 'across Kidal', 'most of Gao'.
_REGION_BEFORE = re.compile(
    r"(?:\b(?:northern|southern|eastern|western|central|north-eastern|north-western|"
    r"south-eastern|south-western|northeastern|northwestern|southeastern|southwestern|across|"
    r"throughout|(?:all|most|much|parts?|rest)\s+of))\s+(?:the\s+)?$",
    re.I,
)


def _town_cue(m: Mention, text: str) -> str:
    """TOWN_CUE when the name is both a region's and the town that heads it ('Kidal', 'Gao'),
    written with nothing that makes it the region: the news means the town (a region's
    suffix, 'Kidal region', is read as the region before this)."""
    towns = [c for c in m.candidates if c.kind == "city"]
    # an administrative unit named after its seat, not a cultural region ('Appalachia')
    regions = [c for c in m.candidates if c.kind == "region" and c.id.startswith("admin1:")]
    if not towns or not regions or not text:
        return ""
    if _REGION_BEFORE.search(text, max(0, m.start - 30), m.start):
        return ""
    for r in regions:
        for t in towns:
            if t.country == r.country and fold(t.name) == fold(r.name) and _km(t, r) <= 250:
                return TOWN_CUE
    return ""


# Between two names of a list: 'Oregon and Washington', 'California or Washington'; a comma
# only after the state ('California, Washington'), since 'Salem, Oregon' is a town in a state.
_AND_OR = re.compile(r"\s*,?\s+(?:and|or)\s+")
_COMMA = re.compile(r"\s*,\s*")


def _listed_with_a_state(
    n: int, mentions: list[Mention], first: list[tuple[Entry, float, str]], text: str
) -> bool:
    """Whether a name that is also a state's ('Washington', 'New York', 'Georgia') is listed
    with another state of its country ('western states such as California or Washington',
    'New York and New Jersey'): then it is that state, not its city."""
    m = mentions[n]
    if not text or not any(c.kind == "region" and c.country for c in m.candidates):
        return False
    countries = {c.country for c in m.candidates if c.kind == "region"}
    for j in (n - 1, n + 1):
        if not 0 <= j < len(mentions):
            continue
        o = mentions[j]
        gap = text[o.end : m.start] if j < n else text[m.end : o.start]
        if not (_AND_OR.fullmatch(gap) or (j < n and _COMMA.fullmatch(gap))):
            continue
        e = first[j][0]
        if e.kind == "region" and e.id.startswith("admin1:") and e.country in countries:
            return True
    return False


def resolve_mentions(
    mentions: list[Mention], max_candidates: int = 25, text: str = ""
) -> list[Resolution]:
    """Resolve every mention; mentions left without any plausible place are dropped.

    ``text`` is the text the mentions' offsets index into: with it, a place followed by its
    state ('Gainesville, Va.') and a state named before 'governor' or 'company' are read. A
    mention without candidates (a span known to be a place, such as a street or a building the
    gazetteer does not hold) is placed at the article's main place and sent to review."""
    known = _short_forms([_street_in_a_list(m, text) for m in mentions if m.candidates])
    out = _resolve_known(known, max_candidates, text)
    unknown = [m for m in mentions if not m.candidates]
    strays = _strays(out, text)
    if unknown or strays:
        out = _to_main_place(out, unknown, strays, text)
    return _held_by_what_follows(out, unknown, text)


# 'Bourbon and Dauphine streets', 'the corner of State and Hubbard streets', 'Elm, Oak and
# Pine avenues', 'the Elm/Main intersection': names listed before a plural street word, or
# joined before 'intersection', are streets, each named after something (a town's name among
# them is a street's, not the town).
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
_STREETS_AFTER = re.compile(
    rf"(?:\s*,\s*{_NAME})*\s*,?\s+(?:and|&|or)\s+{_NAME}\s+"
    r"(?:streets|avenues|roads|boulevards|lanes|drives)\b"
    r"|\s+(?:streets|avenues|roads|boulevards|lanes|drives)\b"
    # 'the Chartres/Franklin intersection': two streets that cross
    rf"|\s*/\s*{_NAME}\s+intersection\b|\s+intersection\b"
)


def _street_in_a_list(m: Mention, text: str) -> Mention:
    """A name written in a list that ends in a plural street word is a street's name, unless
    it is a big place's or an area's ('Tehran and Mashhad streets' are those cities')."""
    if m.feature is not None or not text or not _STREETS_AFTER.match(text, m.end):
        return m
    if any(c.kind != "city" or c.population >= _FAR_SMALL for c in m.candidates):
        return m
    return replace(m, feature="street")


def _to_main_place(
    out: list[Resolution], unknown: list[Mention], strays: list[Resolution], text: str
) -> list[Resolution]:
    """Spans the gazetteer does not know, and the strays, placed at the article's main place
    (kept unresolved in an article with no town)."""
    stray = {id(r) for r in strays}
    kept = [r for r in out if r.entry is not None and id(r) not in stray]
    focus = _main_of(kept, text)
    if focus is None:
        return out
    score = round(settings.LOW_CONFIDENCE * 0.5, 4)
    reason = f"{NOT_IN_GAZETTEER}: placed at the article's main place, {_label(focus)}"
    moved = [Resolution(r.mention, focus, score, (), reason) for r in strays]
    out = [r for r in out if id(r) not in stray] + moved
    out.extend(Resolution(m, focus, score, (), reason) for m in unknown)
    out.sort(key=lambda r: (r.mention.start, r.mention.end))
    return out


# Between a building or a street and the town that holds it: 'Collins Avenue in Miami Beach',
# 'Washington University in St. Louis', 'the Carnegie Library at Bozeman', 'Fifth Avenue, Naples'.
_HELD_BY = re.compile(r"\s*(?:,|,?\s+(?:in|at|near|outside)\s+(?:the\s+)?)\s*")


def _a_building(m: Mention) -> bool:
    """Whether the mention names a building, a street or an organisation's seat rather than
    a place: a span the gazetteer does not know, a feature named after a place ('Hampton
    Avenue'), or a name longer than the place named inside it ('Loyola University')."""
    if not m.candidates:
        return True
    if m.feature is not None and m.feature not in REGION_SUFFIXES:
        return True
    # Longer than its shortest candidate's name: a candidate of more words ('Aţ Ţīrah') must
    # not make 'Terra Kulture' the place named inside it.
    return m.role == "in-name" and len(m.text.split()) > min(
        len(c.name.split()) for c in m.candidates
    )


def _held_by_what_follows(
    out: list[Resolution], unknown: list[Mention], text: str
) -> list[Resolution]:
    """A building or a street written just before a town ('Collins Avenue in Miami Beach',
    'Loyola University in Los Angeles') lies in that town, not at a namesake of the name
    inside it nor at the article's main place: the text says where it is. The gazetteer
    still lacks the building itself, so it goes to review as one it does not know."""
    if not text:
        return out
    resolved = {(r.mention.start, r.mention.end): r for r in out}
    spans = sorted(
        [(r.mention, r) for r in out]
        + [(m, None) for m in unknown if (m.start, m.end) not in resolved],
        key=lambda p: (p[0].start, p[0].end),
    )
    changed: dict[tuple[int, int], Resolution] = {}
    for (m, _), (nxt, held) in zip(spans, spans[1:], strict=False):
        if held is None or held.entry is None or held.entry.kind not in _LOCAL_KINDS:
            continue
        if not _a_building(m) or nxt.start - m.end > 12:
            continue
        if not _HELD_BY.fullmatch(text[m.end : nxt.start]):
            continue
        reason = f"{NOT_IN_GAZETTEER}: placed in the town written after it, {_label(held.entry)}"
        score = round(min(held.score, settings.LOW_CONFIDENCE * 0.5), 4)
        changed[(m.start, m.end)] = Resolution(m, held.entry, score, (), reason)
    if not changed:
        return out
    placed = [changed.pop((r.mention.start, r.mention.end), r) for r in out]
    placed.extend(changed.values())
    placed.sort(key=lambda r: (r.mention.start, r.mention.end))
    return placed


_STREETS = frozenset(
    "street st avenue ave road rd boulevard blvd square lane drive parade terrace".split()
)
_SMALL = 30_000


def _strays(out: list[Resolution], text: str = "") -> list[Resolution]:
    """The resolutions ``_stray`` picks out (the gazetteer most likely lacks their place),
    each distinct place and name judged once: a text naming the same towns thousands of times
    must not compare every mention with every other."""
    placed = [r for r in out if r.entry is not None]
    main = _main_of(placed, text)
    if main is None:
        return []
    distinct = list({(r.entry.id if r.entry else None, r.mention.text): r for r in out}.values())
    others = _Spread(
        [(r.entry, r.mention.text) for r in distinct if r.entry and r.entry.kind not in _BROAD]
    )
    # Its country counts only through a place near the main one, or a big one.
    support: dict[str | None, set[str]] = {}
    states: dict[tuple[str, str], set[str]] = {}
    state_places: dict[tuple[str, str], set[str]] = {}  # the places' ids, for names in names
    # A far small town named with common or street words ('Washington Square') vouches for no
    # name inside a name in its state ('Carnegie Library'): both are the story's own.
    worded = {r.entry.id for r in distinct if _word_town(r.mention, r.entry) and r.entry}
    for o, text in others.places:
        if o.kind != "city" or o.population >= _SMALL or _km(o, main) <= FAR_KM:
            support.setdefault(o.country, set()).add(text)
        a1 = _admin1_of(o)
        if a1 is not None:
            states.setdefault(a1, set()).add(text)
            if o.id not in worded or _km(o, main) <= NEAR_KM:
                state_places.setdefault(a1, set()).add(o.id)
    # The places named as themselves: a name inside a name ('Carnegie Library') does not make
    # its state the story's for a town named with common or street words.
    own_states: dict[tuple[str, str], set[str]] = {}
    for r in distinct:
        if r.entry and r.entry.kind not in _BROAD and not _named_after(r.mention):
            a1 = _admin1_of(r.entry)
            if a1 is not None:
                own_states.setdefault(a1, set()).add(r.entry.id)
    # A country the article names ('In Syria, families fled ...') supports its towns: a
    # roundup of several wars has no single main place that speaks for all of them.
    for r in distinct:
        if r.entry and r.entry.kind == "country" and r.mention.role != "in-name":
            support.setdefault(r.entry.country, set()).add(r.mention.text)
    verdicts: dict[tuple, bool] = {}
    strays = []
    for r in out:
        asked = (r.entry.id if r.entry else None, r.mention.text, r.mention.feature)
        if asked not in verdicts:
            verdicts[asked] = _stray(r, others, support, (states, state_places, own_states), main)
        if verdicts[asked]:
            strays.append(r)
    return strays


def _named_after(m: Mention) -> bool:
    """Whether the mention is a place's name inside a longer name (an organisation's, a
    building's, a feature's: 'Carnegie Library', 'Stonewall Golf Club', 'Elysian Fields'),
    as opposed to the place itself or its region ('Idlib Province')."""
    return m.role == "in-name" or (m.feature is not None and m.feature not in REGION_SUFFIXES)


def _far_in_name(e: Entry, text: str, others: _Spread, states: dict) -> bool:
    """'the Carnegie Library', 'Stonewall Golf Club' in a story of other towns: a building or a
    feature named after a person or a far village lies in the story's town, so a small town
    of that name over NEAR_KM from every other place, in a state or province the story does
    not name, is not meant ('San Marcos' in a story that names California is). ``states``:
    the names written for the other places in each state or province."""
    if e.kind != "city" or e.population >= _FAR_SMALL:
        return False
    a1 = _admin1_of(e)
    return not others.within(e, NEAR_KM, text) and (
        a1 is None or not states.get(a1, set()) - {text}
    )


def _in_name_off_main(e: Entry, state_places: dict, main: Entry) -> bool:
    """A small town named inside a name, over NEAR_KM from the article's main place, in a
    state or province no other place of the article is in: names inside names may vouch for
    one another ('Marigny Plantation', 'Rue Casa Calvo' and 'Champs-Élysées' as French
    villages near each other in a story about New Orleans) but not for the story's place. A
    state counts as named when another place lies in it (``state_places``: their ids)."""
    if e.kind != "city" or e.population >= _FAR_SMALL or e.id == main.id:
        return False
    a1 = _admin1_of(e)
    return _km(e, main) > NEAR_KM and (a1 is None or not state_places.get(a1, set()) - {e.id})


def _word_town_alone(
    m: Mention, e: Entry, others: _Spread, state_places: dict, main: Entry
) -> bool:
    """A small town named with common English words ('White House', 'Congress', 'Valley',
    'Turtle Rock') over NEAR_KM from the article's other places and its main place, in a
    state or province none of them is in: the words name something of the story's own place
    (a building, a body, a neighbourhood, a winery), not a far town the story would have
    written with its state."""
    if e.id == main.id or not _word_town(m, e):
        return False
    a1 = _admin1_of(e)
    if a1 is not None and state_places.get(a1, set()) - {e.id}:
        return False
    return _km(e, main) > NEAR_KM and not others.within(e, NEAR_KM, m.text)


def _word_town(m: Mention, e: Entry | None) -> bool:
    """Whether a small town is named with frequent English words only ('White House'), or
    with a street's last word ('Washington Square', a village of Pennsylvania and a square
    of many towns)."""
    if e is None or e.kind != "city" or e.population >= _SMALL:
        return False
    words = m.text.split()
    return _common_words_only(m.text) or (len(words) > 1 and words[-1].lower() in _STREETS)


@lru_cache(maxsize=8192)
def _common_words_only(name: str) -> bool:
    """Whether every word of a name is among the most frequent English words (a text that
    names the same towns thousands of times asks once per name)."""
    from geo.gazetteer.index import open_index

    words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    english = open_index().english_words
    return bool(words) and all(w in english for w in words)


# A district or a mall, like a street, lies in a town ('the French Quarter', 'Mall of Asia').
_QUARTERS = _STREETS | {"quarter", "mall"}


def _street_of_an_area(m: Mention) -> bool:
    """A street, a district or a mall named after a country, a continent or an ocean
    ('Frenchmen Street', 'the French Quarter', 'Mall of Asia', 'Avenue of the Americas')
    lies in the story's town, not at the area's reference point."""
    words = [w.strip(".,").lower() for w in m.text.split()]
    return m.feature in _STREETS or (len(words) > 1 and any(w in _QUARTERS for w in words))


def _stray(
    r: Resolution,
    others: _Spread,
    support: dict[str | None, set[str]],
    states: tuple[dict[tuple[str, str], set[str]], ...],
    main: Entry,
) -> bool:
    """A street named after a place far from the article's other places ('Hampton Avenue' in
    an article about Toronto), or a town of under 30,000 people over FAR_KM from the article's
    main place whose country nothing near that place supports ('Peel' of the Isle of Man among
    Toronto, Mississauga and Brampton; 'Rockingham' and 'Cheshire' of New England in a list of
    English race tracks): the gazetteer does not hold the place meant; the article's own town
    is the better guess, for a person to check."""
    e, text = r.entry, r.mention.text
    if e is None or not others.others(text):
        return False
    if e.kind in _BROAD:
        return _street_of_an_area(r.mention)
    if e.kind == "district":
        # A city's district named like the streets of many towns ('Broadway'): in a story far
        # from its city, with no other place near it, the story's own street is meant.
        return not others.within(e, NEAR_KM, text) and e.id != main.id and _km(e, main) > NEAR_KM
    if r.mention.feature in _STREETS:
        # A street lies in the story's town: one named after a town far from the others, or
        # from the story's main place ('Hampton Avenue' in St. Louis, not Hampton, Virginia,
        # whatever else the story names in Virginia), is placed there.
        return not others.within(e, NEAR_KM, text) or (e.id != main.id and _km(e, main) > NEAR_KM)
    if _named_after(r.mention) and (
        _far_in_name(e, text, others, states[0]) or _in_name_off_main(e, states[1], main)
    ):
        return True
    if _word_town_alone(r.mention, e, others, states[2], main):
        return True
    if e.kind != "city" or e.population >= _SMALL or _km(e, main) <= FAR_KM:
        return False
    return not support.get(e.country, set()) - {text}


def _resolve_known(mentions: list[Mention], max_candidates: int, text: str) -> list[Resolution]:
    cands = [m.candidates[:max_candidates] for m in mentions]
    # Pass 1: prior only.
    first = []
    for m, cs in zip(mentions, cands, strict=True):
        probs = softmax([c.log_prior for c in cs])
        best = max(range(len(cs)), key=lambda i: (probs[i], -i))
        first.append((cs[best], probs[best], _key(m)))
    containers, held = _containers(mentions, first, text)
    cues: list[bool | str] = [
        _state_cue(m, text) or _listed_with_a_state(n, mentions, first, text) or _town_cue(m, text)
        for n, m in enumerate(mentions)
    ]
    # Then with the context of the pass before, three times: the second pass settles the
    # towns a county or a homonym needs ('Red Oak' and 'Clarinda' in Iowa before 'Montgomery
    # County'); the third lets a big city's namesake see the neighbours that the city's own
    # first reading pulled into its state ('Jacksonville' among Arkansas towns, one of which
    # is also a Florida town).
    context = first
    for _ in range(CONTEXT_PASSES):
        scored = _scored(mentions, cands, context, containers, held, cues)
        context = [
            (cands[n][order[0]], probs[order[0]], _key(mentions[n]))
            for n, order, scores, probs, ctx in scored
            if _stands(mentions[n], cands[n][order[0]], scores[order[0]], ctx, held[n])
        ]
    chosen = [
        (n, order, scores, probs)
        for n, order, scores, probs, ctx in scored
        if _stands(mentions[n], cands[n][order[0]], scores[order[0]], ctx, held[n])
    ]
    out: list[Resolution] = []
    # Each place once: a text that names the same towns thousands of times must not compare
    # every mention with every other (the answer depends only on the distinct places).
    places = list(
        {
            (cands[n][order[0]].id, _key(mentions[n])): (cands[n][order[0]], _key(mentions[n]))
            for n, order, _, _ in chosen
        }.values()
    )
    countries: dict[str | None, set[str]] = {}
    for e, k in places:
        countries.setdefault(e.country, set()).add(k)
    spread = _Spread([(e, k) for e, k in places if e.kind not in _BROAD])
    reviews: dict[tuple, str | None] = {}
    for n, order, _scores, probs in chosen:
        m, cs = mentions[n], cands[n]
        best = order[0]
        score = round(probs[best], 4)
        alts = tuple((cs[i], round(probs[i], 4)) for i in order[1:4])
        asked = (cs[best].id, _key(m), tuple(c.id for c in cs))
        if asked not in reviews:
            reviews[asked] = _far_from_the_rest(cs[best], cs, _key(m), spread, countries)
        review = reviews[asked]
        if _armed_group(m, text) and (
            (review and review.startswith(_SMALL_FAR))
            or _far_from_its_sentence(m, cs[best], text, mentions, cands, chosen)
        ):
            continue  # 'Fano militiamen': a group named after a people, not a far port
        if review and review.startswith(_NAMESAKE_NEAR) and cs[best].population < _FAR_SMALL:
            # A small far town, when a namesake lies near the article's other places: the
            # namesake is meant ('Venice' in a story of Kyiv and Strasbourg is not Florida's).
            far = cs[best]
            near_ids = {c.id for c in _nearer_namesakes(far, cs, _key(m), spread)}
            best = next(i for i in order if cs[i].id in near_ids)
            review = (
                f"{FAR_FROM_OTHERS}: the likelier {_label(far)} lies over {FAR_KM:,.0f} km "
                "from the article's other places; its namesake near them is taken"
            )
            score = round(probs[best], 4)
            alts = tuple((cs[i], round(probs[i], 4)) for i in order if i != best)[:3]
        if review:
            score = min(score, round(settings.LOW_CONFIDENCE * 0.98, 4))
        elif score < settings.LOW_CONFIDENCE and not _same_ground(cs, probs, best):
            review = _low_score_reason(cs[best], score, alts)
        out.append(Resolution(m, cs[best], score, alts, review))
    return out


def _same_ground(cs: tuple[Entry, ...] | list[Entry], probs: list[float], best: int) -> bool:
    """Whether the candidates within CLOSE_KM of the chosen one hold enough of the shares
    between them: a city and its canton or district of one name ('GENEVA (Reuters)') split
    the shares, but either puts the mention on the same ground, so there is nothing to check."""
    near = sum(p for c, p in zip(cs, probs, strict=True) if _km(c, cs[best]) <= CLOSE_KM)
    return near >= settings.LOW_CONFIDENCE


# Words after a name that make it an armed group's ('Fano militiamen', 'Wagner fighters').
_ARMED = frozenset(
    """fighters fighter militia militias militiaman militiamen rebels rebel gunmen insurgents
    insurgent forces guerrillas paramilitaries""".split()
)


def _armed_group(m: Mention, text: str) -> bool:
    """Whether an armed-group word follows the mention ('Fano fighters')."""
    nxt = _NEXT_WORD.match(text, m.end) if text else None
    return nxt is not None and nxt.group(1).lower() in _ARMED


_SENTENCE_END = re.compile(r"[.!?\n]\s")


def _far_from_its_sentence(
    m: Mention,
    e: Entry,
    text: str,
    mentions: list[Mention],
    cands: list[tuple[Entry, ...]],
    chosen: list[tuple[int, list[int], list[float], list[float]]],
) -> bool:
    """A small town named before an armed group's word, while the other places of its own
    sentence (two or more) lie over FAR_KM away in other countries: 'In Ethiopia, Fano
    militiamen clashed near Bahir Dar' is the militia, even where the story names Italy
    elsewhere (a roundup that also reports Lampedusa)."""
    if e.kind != "city" or e.population >= _FAR_SMALL:
        return False
    starts = [x.end() for x in _SENTENCE_END.finditer(text, 0, m.start)]
    begin = starts[-1] if starts else 0
    stop = _SENTENCE_END.search(text, m.end)
    end = stop.start() if stop else len(text)
    others = [
        cands[n][order[0]]
        for n, order, _, _ in chosen
        if mentions[n] is not m and begin <= mentions[n].start < end
    ]
    # Two far places with nothing else to go by are left alone ('Fano fighters held Lalibela').
    return len(others) > 1 and all(o.country != e.country and _km(o, e) > FAR_KM for o in others)


def _short_forms(mentions: list[Mention]) -> list[Mention]:
    """A bare name the article also writes in full as a county ('Suffolk County ... the
    Suffolk Times') may be that county: its candidates are added to the bare name's."""
    counties: dict[str, tuple[Entry, ...]] = {}
    for m in mentions:
        words = m.text.split()
        if len(words) == 2 and words[1].lower() == "county":
            found = tuple(c for c in m.candidates if c.kind == "county")
            if found:
                counties.setdefault(words[0].lower(), found)
    if not counties:
        return mentions
    out = []
    for m in mentions:
        extra = counties.get(m.text.lower())
        if extra:
            have = {c.id for c in m.candidates}
            m = replace(m, candidates=m.candidates + tuple(c for c in extra if c.id not in have))
        out.append(m)
    return out


CONTEXT_PASSES = 3
_Scored = tuple[int, list[int], list[float], list[float], "_Context"]


def _scored(
    mentions: list[Mention],
    cands: list[tuple[Entry, ...]],
    context: list[tuple[Entry, float, str]],
    containers: list[Entry | None],
    held: list[Entry | None],
    cues: list[bool | str],
) -> list[_Scored]:
    """Each mention's candidates scored in the context of the others' current choices:
    (mention number, candidate order, scores, softmax shares, context)."""
    document = _Contexts(context)
    contexts: dict[str, _Context] = {}
    # A name said again with the same candidates and neighbours scores the same: a text that
    # names a few towns thousands of times scores each of them once.
    done: dict[tuple, tuple[list[int], list[float], list[float]]] = {}
    out: list[_Scored] = []
    for n, (m, cs) in enumerate(zip(mentions, cands, strict=True)):
        key = _key(m)
        if key not in contexts:
            contexts[key] = document.leaving_out(key)
        asked = (key, cs, containers[n], cues[n], held[n])
        if asked not in done:
            scores = [_score(c, contexts[key], containers[n], cues[n], held[n]) for c in cs]
            order = sorted(range(len(cs)), key=lambda i: (-scores[i], cs[i].id))
            done[asked] = (order, scores, softmax(scores))
        order, scores, probs = done[asked]
        out.append((n, order, scores, probs, contexts[key]))
    return out


def _stands(
    m: Mention, best: Entry, score: float, ctx: _Context, after_place: Entry | None = None
) -> bool:
    """Whether a mention's best candidate is worth reporting at all."""
    if score < MIN_SCORE and not m.demonym and _one_word(m):
        return False  # a name of several words ('Tal Abyad') is specific enough
    if _postal_code(m, best) and after_place is None and not _state_named(best, ctx):
        # 'CT' (Central Time, a scan), 'CO2', 'voter ID', 'PA' (press agency): a state's two
        # capitals name it after a town ('Hartford, CT') or where the story names the state
        # or a place in it.
        return False
    if _shared_code(m, best) and after_place is None and not ctx.shares.get(best.country or ""):
        # 'SA' for South Africa is also Saudi Arabia's code (and a company's suffix): it
        # names the country where the story names a place in it.
        return False
    # 'The Man who came to dinner': a word, nothing supports the place.
    return not (m.weak and not ctx.shares.get(best.country or "", 0.0))


def _state_named(region: Entry, ctx: _Context) -> bool:
    """Whether the story's other places support a state or province: one of them lies in it,
    or they lie in its country and in no other state of it (a town the gazetteer knows no
    province of)."""
    own = _admin1_of(region)
    if own is not None and ctx.admin1.get(own):
        return True
    country = region.country or ""
    return bool(ctx.shares.get(country)) and not any(c == country for c, _ in ctx.admin1)


def _shared_code(m: Mention, best: Entry) -> bool:
    """A country's two-capital short form that is another country's ISO code ('SA' for South
    Africa, Saudi Arabia's code); 'UK' and 'US' are no other country's."""
    return (
        len(m.text) == 2
        and m.text.isupper()
        and best.kind == "country"
        and m.text != best.country
        and m.text in _country_codes()
    )


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    from geo.gazetteer.build import _read_csv

    return frozenset(r["country"].strip().upper() for r in _read_csv("country_points.csv"))


def _postal_code(m: Mention, best: Entry) -> bool:
    """A state's or province's two-letter code ('CT', 'BC'), written as the code."""
    return len(m.text) == 2 and m.text.isupper() and best.kind == "region" and bool(best.country)


# Why a resolution went to review: the reason starts with one of these codes.
FAR_FROM_OTHERS = "far-from-others"
_SMALL_FAR = f"{FAR_FROM_OTHERS}: a small town"
LOW_SCORE = "low-score"
NOT_IN_GAZETTEER = "not-in-gazetteer"
_LOCAL_KINDS = frozenset({"city", "airport", "airbase", "county", "island"})
_MAIN_PLACE_KM = 100.0


def _label(e: Entry) -> str:
    return f"{e.name} ({e.country})" if e.country else e.name


def _low_score_reason(entry: Entry, score: float, alts: tuple[tuple[Entry, float], ...]) -> str:
    if alts:
        alt, p = alts[0]
        return f"{LOW_SCORE}: {score:.2f}, against {p:.2f} for {_label(alt)}"
    return f"{LOW_SCORE}: {score:.2f}, little in the article supports {_label(entry)}"


def _main_of(resolved: list[Resolution], text: str) -> Entry | None:
    """The article's main place: its dateline's town ('WASHINGTON (AP) —', 'CALAMBA CITY,
    Laguna'), where the story was filed, else ``main_place`` of its resolved places."""
    placed = [r for r in resolved if r.entry is not None]
    lead = len(text) - len(text.lstrip(" \t\r\n\"'“‘"))
    for r in placed:
        m = r.mention
        if m.start > lead:
            break
        if m.start == lead and r.entry and r.entry.kind in _LOCAL_KINDS and _capitals(m.text):
            return r.entry
    # A small town named with common words ('White House', 'Congress') is the main place
    # only when nothing else is: said often, it would draw the story's other spans to it.
    worded: set[str] = set()
    other: set[str] = set()
    for r in placed:
        if r.entry is not None:
            (worded if _word_town(r.mention, r.entry) else other).add(r.entry.id)
    worded -= other
    entries = [r.entry for r in placed if r.entry]
    return main_place(entries, [r.score for r in placed], worded)


def _capitals(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def main_place(
    entries: list[Entry], scores: list[float] | None = None, unlikely: set[str] | None = None
) -> Entry | None:
    """The article's main place: of its towns (and airfields, islands, counties), the one with
    the most of the article's resolved places within 100 km, each mention counted by its
    confidence (three unsure 'Franklin's do not outweigh one sure town), plus the mentions of
    the state or province it lies in; the bigger place on a tie; a place whose id is in
    ``unlikely`` only when no other town can be. A street or a building the gazetteer does
    not know is most likely there."""
    weights = scores if scores is not None else [1.0] * len(entries)
    counts: dict[str, float] = defaultdict(float)
    states: dict[tuple[str, str], float] = defaultdict(float)
    regions: dict[tuple[str, str], Entry] = {}
    for e, w in zip(entries, weights, strict=True):
        if e.kind in _LOCAL_KINDS:
            counts[e.id] += w
        elif e.kind == "region" and e.id.startswith("admin1:"):
            a1 = _admin1_of(e)
            if a1:
                states[a1] += w
                regions.setdefault(a1, e)
    if not counts:
        # A story of states and provinces only: its most named one (the bigger on a tie).
        best = max(states, key=lambda a: (round(states[a], 6), regions[a].log_prior), default=None)
        return regions[best] if best is not None else None
    distinct = list({e.id: e for e in entries if e.id in counts}.values())
    spread = _Spread([(e, e.id) for e in distinct])
    # Places only named with common words count for the places near them but are the main
    # place only when no other town is.
    if unlikely and any(e.id not in unlikely for e in distinct):
        distinct = [e for e in distinct if e.id not in unlikely]

    def support(e: Entry) -> tuple[float, float]:
        near = sum(
            counts[o.id] for o in spread.near(e, _MAIN_PLACE_KM) if _km(e, o) < _MAIN_PLACE_KM
        )
        a1 = _admin1_of(e)
        return round(near + (states[a1] if a1 else 0.0), 6), e.log_prior

    return max(distinct, key=support)


def _far_from_the_rest(
    entry: Entry,
    candidates: list[Entry] | tuple[Entry, ...],
    key: str,
    places: _Spread,
    countries: dict[str | None, set[str]],
) -> str | None:
    """A reason to review a place that lies over FAR_KM from every other place of the
    document while another candidate of the same name lies near one of them.

    ``places`` are the document's places but the broad ones (countries, seas), each with the
    name it was written under; ``countries``, the names written for places in each country."""
    if entry.kind in _BROAD or not places.others(key):
        return None
    if places.within(entry, FAR_KM, key):
        return None
    nearer = _nearer_namesakes(entry, candidates, key, places)
    if nearer:
        return f"{_NAMESAKE_NEAR}; a namesake lies near them: {_label(nearer[0])}"

    # A small town alone in its country, far from the places the rest of the article names
    # together: the word more likely names a person, a group or a ship ('Fano fighters' in a
    # story of Ethiopian towns). Two far places with nothing else to go by are left alone.
    if (
        entry.kind == "city"
        and entry.population < _FAR_SMALL
        and not countries.get(entry.country, set()) - {key}
        and any(
            k != key and places.within(a, FAR_KM, key, skip=i)
            for i, (a, k) in enumerate(places.places)
        )
    ):
        return (
            f"{_SMALL_FAR} over {FAR_KM:,.0f} km from the article's other "
            "places, in a country none of them is in"
        )
    return None


_FAR_SMALL = 100_000
_NAMESAKE_NEAR = f"{FAR_FROM_OTHERS}: over {FAR_KM:,.0f} km from the article's other places"


def _nearer_namesakes(
    entry: Entry, candidates: list[Entry] | tuple[Entry, ...], key: str, places: _Spread
) -> list[Entry]:
    """The candidates other than ``entry`` within FAR_KM of the article's other places, by
    their own name ('Alaska' is also an old name of a village in West Virginia)."""
    return [
        c
        for c in candidates
        if c.id != entry.id
        and c.kind not in _BROAD
        and c.flags & PRIMARY
        and places.within(c, FAR_KM, key)
    ]
