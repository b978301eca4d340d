"""Toponym recognition: spans of running text that name places, with their gazetteer candidates.

The method is gazetteer matching over runs of capitalised words, with rules that tell a place
from the people and organisations whose names contain one ("Libyan National Army", "Khalifa
Haftar", "University of Washington"). Rules rather than a statistical NER model because they
run over ten times faster than spaCy's small model and, measured on GeoWebNews (docs/
geoparsing.md), find more toponyms; every rule below is a named word list or one check.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.gazetteer.build import (
    ABBREVIATION,
    ACRONYM,
    ALTERNATE,
    DEMONYM,
    OUTRANKED,
    PRIMARY,
    TRANSLIT,
)
from geo.gazetteer.fold import fold
from geo.gazetteer.index import Entry, GazetteerIndex
from geo.gazetteer.words import (
    ADMIN_PHRASES,
    COMPASS,
    CONNECTORS,
    DISEASE_QUALIFIERS,
    DISEASE_WORDS,
    FEATURE_SUFFIXES,
    FUNCTION_WORDS,
    GENERIC_AREA_WORDS,
    GIVEN_NAMES,
    GREEK_LETTERS,
    LOOSE_DISEASE_WORDS,
    NOT_PLACES,
    ORG_HEADS,
    PERSON_TITLES,
    REGION_SUFFIXES,
    SPLITTERS,
    STATE_HEADS,
    SURNAMES,
    TRANSLIT_COUNTRIES,
    UNIONS,
    VARIANT_WORDS,
)

# Words: letters, with inner apostrophes and ayn/hamza marks of transliterations kept
# ("Ma'arrat", "Nu'man", "A'zaz") except before an English ending ("Libya's" -> "Libya"; but
# "Ra's al-Ain" is one word before an Arabic article),
# dotted abbreviations kept whole ("U.S.", "W.Va.", "D.C."). Hyphens split words but may sit
# inside a run.
_TOKEN = re.compile(
    r"(?:[^\W\d_]{1,2}\.){2,}"
    r"|[^\W\d_]+(?:[ʿʾ'’‘`](?!(?:s(?![ -](?:al|el|as|ash|ar|an|ad|at|az)\b)|t|re|ll|ve|d|m)\b)"
    r"[^\W\d_]+)*"
)
_MAX_NAME_TOKENS = 7
# Big places are kept even when their name is also a common word.
_BIG = 1e6


class Token:
    """A word of the text, with what the rules ask of it many times computed once (a plain
    slotted class: every word of every text is one, so it is built cheaply)."""

    __slots__ = ("start", "end", "text", "sentence_start", "lower", "is_cap", "is_upper")

    def __init__(self, start: int, end: int, text: str, sentence_start: bool) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.sentence_start = sentence_start
        first = text[0]
        self.lower = text.lower()
        self.is_cap = first.isupper() if first.isalpha() else text.lstrip("ʿʾ'’‘`")[:1].isupper()
        letters = text.replace(".", "") if "." in text else text
        self.is_upper = letters.isupper() and len(letters) >= 2

    def _key(self) -> tuple[int, int, str, bool]:
        return (self.start, self.end, self.text, self.sentence_start)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Token(start={self.start}, end={self.end}, text={self.text!r}, "
            f"sentence_start={self.sentence_start})"
        )


@dataclass(frozen=True)
class Mention:
    """A recognised toponym: ``text[start:end]`` with its gazetteer candidates."""

    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...]
    demonym: bool = False
    feature: str | None = None  # e.g. "street" when the name is a feature named after a place
    # "literal" (a place), "demonym" ("Turkish") or "in-name" (inside an organisation's name:
    # "Kentucky National Guard", "the Washington Post"): corpora count all three as toponyms,
    # maps may draw the last faintly or not at all.
    role: str = "literal"
    # A frequent English word ('Man', 'Reading'), or a name found only through the
    # transliteration key, that names a place only when the rest of the document supports
    # that place's country.
    weak: bool = False


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


_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday".split()
)


def _joined(text: str, a: Token, b: Token) -> bool:
    """Two words belong to one run when only a space or a hyphen separates them, and they are
    written alike: 'LONDON The Latest' and 'NAFTA Mexican' are two runs, and so is
    'Moscow, Russia Thursday' at the weekday."""
    if a.lower in _DATE_WORDS or b.lower in _DATE_WORDS:
        return False
    # 'U.S. Virgin Islands' is one name; 'in the U.S. The next day' is two.
    dotted = a.text.count(".") >= 2 and b.lower not in FUNCTION_WORDS
    if a.is_cap and b.is_cap and a.is_upper != b.is_upper and not dotted:
        return False
    gap = text[a.end : b.start]
    if gap == ". " and len(a.text) == 1 and a.is_cap and b.is_cap:
        return True  # a middle initial: 'Gino D. Bassett' is one name
    if gap[:1] in _HYPHENS and gap[1:] in _AYN_MARKS:
        gap = gap[:1]  # "al-'Ayn", "ash-Shaʿb": the ayn or hamza mark begins the word
    return gap in (" ", "-", "\u00a0", "‐", "–") or (gap == ". " and a.lower in {"st", "mt", "ft"})


_AYN_MARKS = frozenset("ʿʾ'’‘`")


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
        elif cur and tok.lower in CONNECTORS and (tok.lower != "the" or cur[-1].lower == "of"):
            cur.append(tok)  # 'the' only as in 'Republic of the Congo'; 'Tripoli the GNA' is two
        elif cur and _hyphen_particle(text, tokens, i):
            cur.append(tok)  # 'Port-au-Prince', 'Stratford-upon-Avon': one hyphenated name
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


_HYPHENS = frozenset("-‐‑")


def _hyphen_particle(text: str, tokens: list[Token], i: int) -> bool:
    """A short lower-case word hyphenated on both sides between capitalised words ('au' in
    'Port-au-Prince', 'sur' in 'Boulogne-sur-Mer'): a particle of one name, whatever its
    language, so no list of particles is needed."""
    tok = tokens[i]
    if len(tok.text) > 4 or i + 1 >= len(tokens) or not tokens[i - 1].is_cap:
        return False
    nxt = tokens[i + 1]
    return (
        text[tokens[i - 1].end : tok.start] in _HYPHENS
        and text[tok.end : nxt.start] in _HYPHENS
        and nxt.is_cap
    )


_GENERIC_KINDS = frozenset({"city", "region", "county"})
_AREA_KINDS = frozenset({"country", "region"})
_ACRONYM_KINDS = frozenset({"country", "region", "continent", "county", "subregion"})


_CAMEL = re.compile(r"[a-z][A-Z]")


def _miscased(written: str, name: str) -> bool:
    """'Noma (not her real name)' is no 'NoMa': a name with a capital inside a word is
    written with it ('McAllen', 'DeKalb'), or in capitals ('MCALLEN, Texas')."""
    return (
        _CAMEL.search(name) is not None
        and not written.isupper()
        and _CAMEL.search(written) is None
        and fold(written) == fold(name)
    )


def _usable(
    entries: tuple[Entry, ...],
    span: list[Token],
    common: dict[str, int],
    dotted: bool = False,
    unit: bool = False,
    dateline: bool = False,
) -> tuple[Entry, ...]:
    """Drop candidates the surface form cannot mean.

    Acronyms must be written in capitals and name a country or region (US, UAE, BC) or a big
    city (NYC): GeoNames' alternate names carry airport codes that would match 'APC' or 'TTC'.
    A name made only of common words ('White House', 'Garden City') must be the place's own
    name, not one of its alternate names.
    """
    if not entries:
        return ()
    letters = "".join(t.text for t in span).replace(".", "")
    # One word in capitals, or single capitals ('T&T' is read as two letters).
    # A dateline's town is written in capitals whatever its length ('KYIV, Ukraine —').
    upper = (
        (len(span) == 1 or all(len(t.text) == 1 for t in span))
        and (letters.isupper() and len(letters) <= 4)
        and not dateline
    )
    all_common = len(span) > 1 and all(t.lower in common for t in span)
    entries = _generic_names(entries, span, unit)
    # 'Man', 'MoD': a common word, or a word with capitals inside, is never a place's
    # alternate name.
    inner = span[0].text[1:]
    mixed = any(c.isupper() for c in inner) and any(c.islower() for c in inner)
    word = len(span) == 1 and (span[0].lower in common or mixed)
    primary = [e.population for e in entries if e.flags & PRIMARY and e.kind == "city"]
    best_primary = max(primary, default=0)
    country_named = any(e.kind == "country" and e.flags & (PRIMARY | ALTERNATE) for e in entries)
    demonym = any(e.kind in _AREA_KINDS and e.flags & DEMONYM for e in entries)
    keep = []
    written = " ".join(t.text for t in span)
    for e in entries:
        if _miscased(written, e.name) or (
            country_named and e.kind == "city" and not e.flags & PRIMARY
        ):
            continue  # 'Mexico', 'Guatemala': the country, not its capital's other name
        if demonym and e.kind == "city" and e.population < 1e5:
            continue  # 'English', 'Welsh': England and Wales, not a village of that name
        if e.flags & ABBREVIATION and dotted:
            keep.append(e)  # 'Calif.', 'Mo.'
            continue
        if e.flags & ~ABBREVIATION == 0:
            continue  # 'Man' is not 'Man.' (Manitoba), 'Miss' not 'Miss.'
        if e.flags & ACRONYM and "." in span[-1].text:
            keep.append(e)  # 'D.C.', 'U.K.': written as an abbreviation on purpose
            continue
        alternate_only = not e.flags & (PRIMARY | DEMONYM) and not _abbreviated(written, e.name)
        if alternate_only and e.kind == "city" and word and not (upper and e.flags & ACRONYM):
            continue  # 'Man' is not Amman, 'Part' not Perth; 'NYC' is New York City
        if (
            alternate_only
            and e.kind == "city"
            and e.population < 100 * best_primary
            and not (best_primary < _HAMLET and e.population >= 10 * best_primary)
        ):
            # 'Venice' is the Italian city before a place that also answers to that name,
            # unless that place is far bigger; the article may still choose it ('Palmyra').
            # A hamlet does not outrank a town ten times its size: 'Jenin' is the West Bank
            # city's English name before it is a Polish hamlet's own.
            e = replace(e, flags=e.flags | OUTRANKED)
        if upper:
            if e.flags & ACRONYM and (
                e.kind in _ACRONYM_KINDS
                or e.id.startswith("geo:")
                or (e.population >= 1e6 and _abbreviates(letters, e.name))
            ):
                keep.append(e)
        elif e.flags & ACRONYM and not e.flags & ~ACRONYM & (PRIMARY | DEMONYM):
            continue
        elif all_common and e.kind == "city" and alternate_only:
            continue
        else:
            keep.append(e)
    return tuple(keep)


_SHORT_FORMS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "port"}


def _abbreviated(written: str, name: str) -> bool:
    """'St. Paul' for Saint Paul, 'Ft. Myers' for Fort Myers: the place's own name with its
    first word shortened, not another name (so a village called 'St. Paul' does not outrank
    Minnesota's capital)."""
    words = fold(written).split()
    if len(words) < 2 or words[0] not in _SHORT_FORMS:
        return False
    return " ".join([_SHORT_FORMS[words[0]], *words[1:]]) == fold(name)


def _generic_names(entries: tuple[Entry, ...], span: list[Token], unit: bool) -> tuple[Entry, ...]:
    """A name made only of compass and area words ('West', 'Central', 'West Coast') names
    no particular place unless it is curated; with its unit word ('Eastern Province', 'Far
    North Region') it names a region, which stands only where the article names its
    country (see Mention.weak)."""
    if _generic_unit(span, unit):
        return tuple(e for e in entries if e.kind in _AREA_KINDS)
    if all(t.lower in GENERIC_AREA_WORDS for t in span):
        return tuple(e for e in entries if e.id.startswith("geo:") or e.kind not in _GENERIC_KINDS)
    return entries


def _generic_unit(span: list[Token], unit: bool = False) -> bool:
    """A name made of compass and area words that ends in a unit word, or that one follows
    (``unit``), written with capitals: 'Eastern Province', 'Far North Region'."""
    return (unit or (len(span) > 1 and span[-1].lower in REGION_SUFFIXES)) and all(
        t.lower in GENERIC_AREA_WORDS and t.is_cap for t in span
    )


def _abbreviates(letters: str, name: str) -> bool:
    """Whether capitals stand for a city as news abbreviates it: two letters ('LA', 'HK'), or
    the initials of its words ('NYC', 'HCMC'). GeoNames gives big cities their airport codes
    as other names ('CAN' Guangzhou, 'SIN' Singapore, 'ADD' Addis Ababa, 'TNA' Jinan), and
    those are words, acronyms of something else, or initials of other bodies in the news."""
    if len(letters) <= 2:
        return True
    return letters.lower() == "".join(w[0] for w in fold(name).split() if w)


def _match(
    index: GazetteerIndex, run: list[Token], i: int, text: str = ""
) -> tuple[int, tuple[Entry, ...]]:
    """Longest gazetteer name starting at run[i]: (number of tokens, candidates)."""
    if not run[i].is_cap:
        return 0, ()
    for n in range(min(_MAX_NAME_TOKENS, len(run) - i), 0, -1):
        span = run[i : i + n]
        if not span[-1].is_cap:
            continue
        key = _span_key(text, span)
        if key in NOT_PLACES:
            return (0, ()) if n == 1 else (n, ())
        last = span[-1]
        dotted = last.text.endswith(".") or text[last.end : last.end + 1] == "."
        unit = i + n < len(run) and run[i + n].is_cap and run[i + n].lower in REGION_SUFFIXES
        dateline = n == 1 and span[0].is_upper and _at_dateline(text, span[0])
        found = _usable(index.lookup_key(key), span, index.common_words, dotted, unit, dateline)
        if _other_names_only(found) and len(key) >= 5 and not span[0].is_upper:
            # Another romanisation of a known name ('Garabulli', 'Maarat al-Numan'); also
            # where the written name is only another place's other name ('Ras al Ayn' is
            # an old name of Rosh HaAyin, 'Hodeidah' the short name of its airport).
            raw = text[span[0].start : span[-1].end] if text else " ".join(t.text for t in span)
            seen = {e.id for e in found}
            found += tuple(
                e
                for e in _usable(index.lookup_translit(raw), span, index.common_words, dotted)
                if e.country in TRANSLIT_COUNTRIES and e.id not in seen
            )
        if not found and n > 1 and _hyphenated(text, span):
            # 'Pétion-Ville' for the gazetteer's 'Pétionville'
            joined = fold("".join(t.text for t in span))
            found = _usable(index.lookup_key(joined), span, index.common_words, dotted)
        if not found and _after_the(text, span[0]):
            found = _usable(index.lookup_key("the " + key), span, index.common_words, dotted)
        whole = i + n == len(run) or not run[i + n].is_cap  # no capitalised word follows
        if not found and n <= 2 and whole and not span[0].is_upper and _splittable(index, span):
            found = _usable(_marked(index, key), span, index.common_words, dotted)
        if found:
            return n, found
    return 0, ()


_DATELINE_AFTER = re.compile(r"\**\s*(?:,\s*\w|\((?:AP|AFP|Reuters|dpa|Xinhua|UPI)\)|[—–])")


def _at_dateline(text: str, word: Token) -> bool:
    """A word in capitals first on its line and followed by a comma and a word, a news
    agency in brackets or a dash: a dateline ('KYIV, Ukraine —', 'GAZA (Reuters) -')."""
    if not text:
        return False
    line = text.rfind("\n", 0, word.start) + 1
    if text[line : word.start].strip(" \t\"'“‘*_>#"):
        return False
    return _DATELINE_AFTER.match(text, word.end) is not None


def _after_the(text: str, first: Token) -> bool:
    """Whether 'the' is written right before the name: some names are only names with it
    ('the Gulf' is the Persian Gulf; 'Gulf' alone begins many other names)."""
    return bool(text) and text[max(0, first.start - 4) : first.start].lower() == "the "


def _other_names_only(found: tuple[Entry, ...]) -> bool:
    """No candidate, or none by its own name or demonym: only other names of places."""
    return not any(e.flags & (PRIMARY | DEMONYM) for e in found)


_POSSESSIVE = frozenset({"'s ", "’s "})


def _span_key(text: str, span: list[Token]) -> str:
    """The folded name of a span; a possessive inside it is part of the name ('Cox's
    Bazar', "People's Republic of China")."""
    if text and any(
        text[a.end : b.start] in _POSSESSIVE for a, b in zip(span, span[1:], strict=False)
    ):
        return fold(text[span[0].start : span[-1].end])
    return fold(" ".join(t.text for t in span))


def _possessive_names(
    index: GazetteerIndex, text: str, runs: list[list[Token]]
) -> list[list[Token]]:
    """Runs joined across a possessive where a known name spans it ("People's Republic of
    China", "Democratic People's Republic of Korea", "Cox's Bazar"): read apart, the second
    half is another place ('Republic of China' is Taiwan). "Libya's Tripoli" stays two."""
    out: list[list[Token]] = []
    for run in runs:
        prev = out[-1] if out else None
        if prev is None or text[prev[-1].end : run[0].start] not in _POSSESSIVE:
            out.append(run)
            continue
        keys = {
            fold(text[prev[i].start : run[j].end]): (i, j)
            for i in range(max(0, len(prev) - 3), len(prev))
            for j in range(min(5, len(run)))
            if prev[i].is_cap and run[j].is_cap
        }
        if index.existing_keys(list(keys)):
            out[-1] = prev + run
        else:
            out.append(run)
    return [_possessive_end(index, text, run) for run in out]


_POSSESSIVE_END = re.compile(r"['’]s(?![\w'’])")


def _possessive_end(index: GazetteerIndex, text: str, run: list[Token]) -> list[Token]:
    """A run whose last word keeps its possessive where a known name ends with it ("St.
    John's", "St John’s"): read without it, 'St. John' is another place."""
    last = run[-1]
    if not _POSSESSIVE_END.match(text, last.end):
        return run
    keys = [
        fold(text[run[i].start : last.end + 2])
        for i in range(max(0, len(run) - 3), len(run))
        if run[i].is_cap
    ]
    if len(last.text) < 3 or not index.existing_keys([k for k in keys if " " in k]):
        return run
    whole = Token(last.start, last.end + 2, text[last.start : last.end + 2], last.sentence_start)
    return [*run[:-1], whole]


_MARK_IN_NAME = re.compile(r"[ʿʾ'’‘`´ʼ]")


def _hyphenated(text: str, span: list[Token]) -> bool:
    """Whether the words of a span are joined by hyphens only."""
    return bool(text) and all(
        text[a.end : b.start] in _HYPHENS for a, b in zip(span, span[1:], strict=False)
    )


def _splittable(index: GazetteerIndex, span: list[Token]) -> bool:
    """Whether a name might be a marked name written without its mark: English words are
    never ('Royal Street'), so the guesses are asked only of the other words."""
    return any(
        len(t.text) >= 4
        and t.lower not in index.english_words
        and t.lower not in index.common_words
        for t in span
    )


@lru_cache(maxsize=20_000)
def _marked(index: GazetteerIndex, key: str) -> tuple[Entry, ...]:
    """Places whose name carries an apostrophe, ʼ or ʿ inside a word ('Debre Mark’os',
    'Ta’izz') written without it ('Debre Markos'): the gazetteer's key splits the word at the
    mark, so every split of one word is asked (in one query), and a place counts only when its
    own name, marks dropped, is the article's spelling."""
    words = key.split()
    joined = key.replace(" ", "")
    splits = [
        " ".join([*words[:w], word[:p], word[p:], *words[w + 1 :]])
        for w, word in enumerate(words)
        for p in range(1, len(word))
    ]
    for split in index.existing_keys(splits):
        found = tuple(
            e
            for e in index.lookup_key(split)
            if (_MARK_IN_NAME.search(e.name) and fold(_MARK_IN_NAME.sub("", e.name)) == key)
            or fold(e.name).replace(" ", "") == joined  # 'Portsudan' for 'Port Sudan'
        )
        if found:
            return found
    return ()


_NATIONAL = frozenset({"country", "continent"})


def _is_common_word(tok: Token, entries: tuple[Entry, ...], common: dict[str, int]) -> bool:
    """A capitalised common word ('Both', 'Police', 'Western') that only names small places."""
    rank = common.get(tok.lower)
    if tok.is_upper or rank is None or any(e.kind in _NATIONAL or e.prior >= _BIG for e in entries):
        return False
    if tok.sentence_start:
        return not any(e.prior >= _BIG for e in entries)
    if rank < 3000:
        return not any(
            e.kind == "city" and e.flags & PRIMARY and e.population >= 1e5 for e in entries
        )
    return not any(e.prior >= 1e4 for e in entries)


_HAMLET = 5_000

_CHUNK = 200_000


def text_windows(text: str, start: int, end: int, size: int = _CHUNK) -> list[tuple[int, int]]:
    """Windows of about ``size`` characters ending at line breaks, to bound memory."""
    out = []
    while start < end:
        stop = min(end, start + size)
        if stop < end:
            nl = text.find("\n", stop, min(end, stop + size))
            stop = nl + 1 if nl >= 0 else stop
        out.append((start, stop))
        start = stop
    return out


def find_mentions(
    index: GazetteerIndex, text: str, start: int = 0, end: int | None = None
) -> list[Mention]:
    """Toponym mentions in ``text[start:end]``, in order, with offsets into ``text``."""
    end = len(text) if end is None else end
    mentions: list[Mention] = []
    names: set[str] = set()
    for a, b in text_windows(text, start, end):
        tokens = _tokens(text, a, b)
        prev_word = {tok.start: tokens[k - 1].lower for k, tok in enumerate(tokens) if k}
        for run in _possessive_names(index, text, _runs(text, tokens)):
            before = prev_word.get(run[0].start, "")
            found = _mentions_in_run(index, text, run, before, names)
            mentions.extend(_admin_units(index, text, run, found))
    mentions = _without_diseases(text, mentions)
    # A word seen inside a person's name ('Mark Zuckerberg') names that person when it stands
    # alone later ('Zuckerberg said'), unless it is a big place.
    return [_facility(index, text, m) for m in mentions if _not_a_known_name(m, names)]


_ADMIN_AFTER = re.compile(
    r"[ \u00a0]+("
    + "|".join(p.replace(" ", r"[ \u00a0]+") for p in ADMIN_PHRASES)
    + r")\b(?![-'’])"
)
_ADMIN_PLURAL = re.compile(
    r"[ \u00a0]+(provinces|governorates|counties|parishes|regions|districts|states|oblasts"
    r"|prefectures|departments|municipalities|health zones)\b"
)
# "the US state of Georgia", "the province of Idlib", "the county of Kent"
_ADMIN_BEFORE = re.compile(
    r"\b(?:state|province|governorate|county|region|prefecture|oblast|department|district)"
    r"[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+)?$"
)
_UNIT_KINDS = frozenset({"region", "county"})
_COUNTY_WORDS = {"counties": "county", "parishes": "parish"}


def _admin_units(
    index: GazetteerIndex, text: str, run: list[Token], found: list[Mention]
) -> list[Mention]:
    """Places named with the word of an administrative unit ('Kano State', 'Equateur
    province', 'Beni health zone', 'Edo and Ondo states', 'the US state of Georgia',
    'Dallas and Tarrant counties') are
    that unit: where the gazetteer holds a region or county of that name, only those are
    its candidates ('Kano State' is not the city of Kano). Where it holds none, the town
    the unit is named after stands for it ('Kailahun District'). Written in capitals the
    unit word is part of the mention, as the recogniser reads 'Idlib Province'; in lower
    case it stays out of it ('Gezira state'), as it may be an adjective ('Kentucky state
    police')."""
    if not found:
        return found
    after = _ADMIN_PLURAL.match(text, run[-1].end)
    plural = after is not None
    county_word = _COUNTY_WORDS.get(after.group(1), "") if after else ""
    out = []
    for m in found:
        if county_word and m.role == "literal" and not m.demonym:
            # "Dallas and Tarrant counties": the counties the gazetteer names in full
            named = tuple(
                e
                for e in index.lookup_key(f"{fold(m.text)} {county_word}")
                if e.kind == "county" and e.flags & PRIMARY
            )
            if named:
                out.append(replace(m, candidates=named))
                continue
        unit = m.feature in REGION_SUFFIXES or (
            m.feature is None
            and m.role == "literal"
            and (
                _ADMIN_AFTER.match(text, m.end)
                or _ADMIN_BEFORE.search(text, max(0, m.start - 40), m.start)
            )
        )
        if (unit or plural) and not m.demonym:
            units = tuple(e for e in m.candidates if e.kind in _UNIT_KINDS)
            if units:
                m = replace(m, candidates=units)
            elif _other_names_only(m.candidates) and _local_unit_after(text, m):
                continue  # 'Merion township': a unit the gazetteer lacks
        out.append(m)
    return out


def _local_unit_after(text: str, m: Mention) -> bool:
    """Whether a local unit's word ('township', 'borough', 'county', 'parish') follows."""
    found = _ADMIN_AFTER.match(text, m.end)
    return found is not None and found.group(1).lower() in _LOCAL_UNITS


_WORD_AFTER = re.compile(r"[ \u00a0-]+([^\W\d_]+(?:-[^\W\d_]+)?)")
_NATIONAL_OR_BIG = frozenset({"country", "continent", "region"})


def _disease_name(text: str, m: Mention) -> bool:
    """Whether the place-like name of ``m`` begins the name of a disease, a pathogen or a
    variant ('Lassa fever', 'Marburg virus', 'Japanese encephalitis', 'Middle East
    respiratory syndrome', 'the Delta variant', 'Sudan virus disease', 'Zaire ebolavirus').
    A big place before 'virus' or 'flu' alone stays a place ('the Wuhan virus', 'Texas flu
    season')."""
    pos, qualified = m.end, False
    for _ in range(3):
        nxt = _WORD_AFTER.match(text, pos)
        if not nxt:
            return False
        word = nxt.group(1).lower()
        if fold(m.text) in GREEK_LETTERS and word in VARIANT_WORDS:
            return True
        if word in DISEASE_WORDS:
            if qualified or word not in LOOSE_DISEASE_WORDS or m.demonym:
                return True
            then = _WORD_AFTER.match(text, nxt.end())
            if then and then.group(1).lower() in DISEASE_WORDS:
                return True  # "Sudan virus disease": the disease, not the country's virus
            return not any(
                e.kind in _NATIONAL_OR_BIG or (e.kind == "city" and e.population >= _BIG)
                for e in m.candidates
            )
        if word not in DISEASE_QUALIFIERS:
            return False
        pos, qualified = nxt.end(), True
    return False


def _without_diseases(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions that are no disease's name. One sense per article: a town's name that
    the article gives a disease ('Marburg virus') is that disease where it stands alone too
    ('two cases of Marburg'), unless written as an administrative unit; so is a Greek
    letter's ('Delta')."""
    diseases = {fold(m.text) for m in mentions if _disease_name(text, m)}
    if not diseases:
        return mentions
    return [
        m
        for m in mentions
        if fold(m.text) not in diseases
        or (not _disease_name(text, m) and (_named_as_place(text, m) or _not_a_town(m)))
    ]


def _named_as_place(text: str, m: Mention) -> bool:
    """Written as an administrative unit ('Delta state', 'Marburg District')."""
    return m.feature in REGION_SUFFIXES or _ADMIN_AFTER.match(text, m.end) is not None


def _not_a_town(m: Mention) -> bool:
    """A demonym, country or region: the article means the area itself where it stands alone
    ('Spanish flu' and 'Spanish authorities'); not a Greek letter ('Delta')."""
    return fold(m.text) not in GREEK_LETTERS and (
        m.demonym or any(e.kind in _NATIONAL_OR_BIG for e in m.candidates)
    )


_FACILITY = re.compile(r"\s+(air ?base|airport|airfield|air field|airstrip)\b", re.IGNORECASE)


def _facility(index: GazetteerIndex, text: str, m: Mention) -> Mention:
    """'Jufra air base', 'Mitiga airport' written in lower case: the airfield, when known."""
    after = _FACILITY.match(text, m.end)
    if not after:
        return m
    key = fold(f"{m.text} {after.group(1)}")
    found = [e for e in index.lookup_key(key) if e.kind in ("airport", "airbase")]
    big = [c for c in m.candidates if c.kind == "city" and c.prior >= _BIG]
    if big:
        # 'Amsterdam airport' is the big city's airport: a namesake airfield far from that
        # city is not meant, and the city is the better answer than it.
        found = [e for e in found if any(_near_km(e, c) < _AIRPORT_KM for c in big)]
    if not found:
        return m
    return replace(m, end=after.end(), text=text[m.start : after.end()], candidates=tuple(found))


_AIRPORT_KM = 100.0


def _near_km(a: Entry, b: Entry) -> float:
    """Rough distance (equirectangular), enough to tell a city's airport from a namesake's."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return 6371.0 * math.hypot(x, y)


def _not_a_known_name(m: Mention, names: set[str]) -> bool:
    return (
        " " in m.text or m.text.lower() not in names or any(e.prior >= _BIG for e in m.candidates)
    )


def _leading_common(run: list[Token], common: dict[str, int]) -> int:
    """How many words at the start of a run are capitalised only by position ('In the U.S.',
    'Troops of Libyan'): common words at a sentence start, or very common words anywhere."""
    i = 0
    while i < len(run):
        tok = run[i]
        rank = common.get(tok.lower)
        if (
            tok.is_cap
            and not tok.is_upper
            and rank is not None
            and (rank < _VERY_COMMON or (i == 0 and tok.sentence_start))
        ):
            i += 1
        elif i and not tok.is_cap:
            i += 1
        else:
            break
    return i


_VERY_COMMON = 1500


_Found = tuple[int, int, tuple[Entry, ...]]  # (first token, number of tokens, candidates)


def _mentions_in_run(
    index: GazetteerIndex, text: str, run: list[Token], before: str, names: set[str]
) -> list[Mention]:
    """The place mentions of one run; words of the people's names it holds go into ``names``."""
    stripped = _strip_leading(index, text, run, before, names)
    if stripped is None:
        return []
    run, before = stripped
    found = _drop_adjacent_small(_places_in(index, text, run), run, names)
    found = _drop_fragments(text, found, run)
    covered = {j for s, n, _ in found for j in range(s, s + n)}
    words = [t.lower for t in run]
    _note_person_words(found, run, words, covered, names, index.english_words)
    out = []
    for f in found:
        m = _mention(index, text, run, words, covered, before, f)
        if m is not None:
            out.append(m)
    return out


def _strip_leading(
    index: GazetteerIndex, text: str, run: list[Token], before: str, names: set[str]
) -> tuple[list[Token], str] | None:
    """The run without the words capitalised only by position ('In the U.S.'), and the word
    before what is left; None when nothing is left or a person's name begins the run."""
    lead = _leading_common(run, index.common_words)
    for j in range(lead):
        n, entries = _match(index, run, j, text)
        if n > 1 or any(e.kind in _NATIONAL or e.prior >= _BIG for e in entries):
            # 'Gulf of Sirte', 'New York', 'Russia': the word begins a name after all.
            lead = j
            break
    if not lead:
        return run, before
    before = run[lead - 1].lower
    glued = (
        lead < len(run)
        and run[lead - 1].is_cap
        and run[lead - 1].lower not in FUNCTION_WORDS
        and _joined(text, run[lead - 1], run[lead])
    )
    run = run[lead:]
    while run and not run[0].is_cap:
        run = run[1:]
    if not run:
        return None
    n, entries = _match(index, run, 0, text)
    if glued and n == 1 and not any(e.prior >= 1e5 for e in entries):
        # 'Mark Zuckerberg': a first name that is also a word, then a small place.
        names.add(run[0].lower)
        return None
    return run, before


def _places_in(index: GazetteerIndex, text: str, run: list[Token]) -> list[_Found]:
    """The longest gazetteer names of the run, from the left."""
    found: list[_Found] = []
    i = 0
    while i < len(run):
        n, entries = _match(index, run, i, text)
        if n and entries:
            found.append((i, n, entries))
        i += n or 1  # a name that is not a place ('White House') is skipped whole
    return found


def _is_small(f: _Found) -> bool:
    """A one-word small place, which may be a person's name; a demonym never is ('Syrian
    Kurdish', 'Iraqi Kurdish')."""
    return (
        f[1] == 1
        and not any(e.prior >= 1e5 for e in f[2])
        and not all(e.flags & DEMONYM for e in f[2])
    )


def _drop_adjacent_small(found: list[_Found], run: list[Token], names: set[str]) -> list[_Found]:
    """Separate places side by side with nothing between them ('Mark Zuckerberg' when both
    words are villages) are a person's name unless each is a big place."""
    if len(found) < 2:
        return found
    adjacent = {
        f for a, b in zip(found, found[1:], strict=False) if a[0] + a[1] == b[0] for f in (a, b)
    }
    person = [f for f in found if f in adjacent and _is_small(f)]
    for f in person:
        names.add(run[f[0]].lower)
    return [f for f in found if f not in person]


# Arabic articles and name particles, as they join the words of one longer name; the
# assimilated articles ('ad-', 'as-', 'at-') only when hyphenated, since they are English words.
_NAME_PARTICLES = frozenset("al el il ul ash esh az ez ibn bin bint abu bani beni".split())
_HYPHENED_ARTICLES = frozenset("ad ed ar er as es at et an en".split())


def _drop_fragments(text: str, found: list[_Found], run: list[Token]) -> list[_Found]:
    """A small place whose name is only the first or last word of a longer name the gazetteer
    does not know ('Wad al-Noura', 'Umm as-Sahrij'): the article joins its words into one
    name, so the fragment is not that place. Big places stay ('Aleppo al-Jadida' is Aleppo)."""

    def particle(j: int) -> bool:
        tok = run[j]
        return tok.lower in _NAME_PARTICLES or (
            tok.lower in _HYPHENED_ARTICLES and text[tok.end : tok.end + 1] in _HYPHENS
        )

    out = []
    for f in found:
        s, n, entries = f
        after = s + n
        glued_after = after + 1 < len(run) and particle(after) and run[after + 1].is_cap
        glued_before = s >= 2 and particle(s - 1) and run[s - 2].is_cap
        if (glued_after or glued_before) and not any(e.prior >= 1e5 for e in entries):
            continue
        out.append(f)
    return out


def _note_person_words(
    found: list[_Found],
    run: list[Token],
    words: list[str],
    covered: set[int],
    names: set[str],
    english: frozenset[str] = frozenset(),
) -> None:
    """Capitalised words no place explains, in a part of the run with no organisation or
    feature word, make a person's name: its words (and its small places) go into ``names``.
    Each part between 'and'/'or' on its own: in 'Zuwara and Garabulli' an unknown second
    name says nothing about the first. Frequent English words alone make no person's name
    after a place ('The Allendale Woman's Club', 'Nenagh Municipal District'); before one,
    they may be a first name ('Charles Barkley')."""
    small = {s for s, n, es in found if _is_small((s, n, es))}
    lo = 0
    for hi in [j for j, w in enumerate(words) if w in SPLITTERS] + [len(run)]:
        part = range(lo, hi)
        lo = hi + 1
        caps = [j for j in part if run[j].is_cap and words[j] not in PERSON_TITLES]
        if len(caps) < 2 or any(
            words[j] in ORG_HEADS or words[j] in FEATURE_SUFFIXES for j in part
        ):
            continue
        unknown = [j for j in caps if j not in covered]
        if unknown and min(unknown) > min(covered & set(part), default=hi):
            if all(words[j] in english for j in unknown):
                continue  # a place, then words: 'The Allendale Woman's Club'

        if unknown and len(unknown) < len(caps):
            names.update(words[j] for j in caps if j not in covered or j in small)


def _segment(words: list[str], s: int, n: int) -> tuple[int, int]:
    """The bounds of the part of the run, split at 'and'/'or', that holds tokens s..s+n."""
    lo, hi = s, s + n
    while lo > 0 and words[lo - 1] not in SPLITTERS:
        lo -= 1
    while hi < len(words) and words[hi] not in SPLITTERS:
        hi += 1
    return lo, hi


# US and British local units: a name before one of these that the gazetteer knows only as
# another place's other name is a unit it lacks ('Lower Merion Township' is not Marion).
_LOCAL_UNITS = frozenset({"township", "borough", "county", "parish"})


def _mention(
    index: GazetteerIndex,
    text: str,
    run: list[Token],
    words: list[str],
    covered: set[int],
    before: str,
    f: _Found,
) -> Mention | None:
    """The mention of one place found in the run, or None when it is part of a person's name
    or a common word."""
    s, n, entries = f
    span = run[s : s + n]
    if n == 1 and _is_common_word(span[0], entries, index.common_words):
        return None
    seg_lo, seg_hi = _segment(words, s, n)
    others = [j for j in range(seg_lo, seg_hi) if j not in covered and run[j].is_cap]
    # "Northern Syria", "East Yorkshire": compass words just before the place belong to it.
    k = s
    while k > seg_lo and words[k - 1] in COMPASS and k - 1 not in covered:
        k -= 1
    others = [j for j in others if not k <= j < s]
    if others:
        kept = _role_among_others(words, run, seg_lo, seg_hi, f, others, index.common_words)
        if kept is None:
            return None  # part of a person's name
        feature, role = kept
    elif (
        s == seg_lo
        and (before in PERSON_TITLES or before in _VESSELS)
        and not any(e.prior >= _BIG for e in entries)
    ):
        return None  # "envoy Salame", "the tanker Fano"
    else:
        feature, role = None, "literal"
    if role == "in-name" and n == 1 and span[0].lower in index.common_words and not _known(entries):
        return None  # 'Democratic Alliance Army', 'Liberty Mutual': a word, not a small town
    if feature in _LOCAL_UNITS and _other_names_only(entries):
        return None  # 'Merion Township': a unit the gazetteer lacks, not Marion's other name
    m_start, m_end = run[k].start, span[-1].end
    if feature:
        m_end = run[s + n].end
    demonym = all(e.flags & DEMONYM for e in entries)
    if demonym and role == "literal":
        role = "demonym"
    elif all(e.id in UNIONS for e in entries):
        role = "in-name"  # "the European Union said": an organisation of states
    weak = (
        _by_other_romanisation(entries)
        or (
            n == 1
            and k == s
            and not span[0].is_upper
            and span[0].lower in index.english_words
            and all(e.kind == "city" and e.prior < _BIG for e in entries)
        )
        or _common_words_name(span, entries, index)
        or _generic_unit(span, feature in REGION_SUFFIXES)
    )
    return Mention(m_start, m_end, text[m_start:m_end], entries, demonym, feature, role, weak)


def _by_other_romanisation(entries: tuple[Entry, ...]) -> bool:
    """Found through the transliteration key, and otherwise only as other places' other
    names in other countries ('Ras al Ayn' in Israel and Syria): the article must name a
    place in its country, or a person's name ('Salah', 'Maraga') would be a town. Where the
    other name and the key agree on the country ('Misrata', 'Hodeidah'), it stands alone."""
    if not any(e.flags & TRANSLIT for e in entries) or any(
        e.flags & (PRIMARY | DEMONYM) and not e.flags & TRANSLIT for e in entries
    ):
        return False
    by_key = {e.country for e in entries if e.flags & TRANSLIT}
    return not any(e.country in by_key for e in entries if not e.flags & TRANSLIT)


def _common_words_name(
    span: list[Token], entries: tuple[Entry, ...], index: GazetteerIndex
) -> bool:
    """A name made only of common English words ('Red Cross', 'Green Line') that only a small
    town bears: more often an organisation or a phrase than that town, so it names the town
    only when the rest of the document supports the town's country."""
    return (
        len(span) > 1
        and all(len(t.text) > 2 and t.lower in index.common_words for t in span)
        and all(e.kind == "city" and e.population < _SMALL_TOWN for e in entries)
    )


_SMALL_TOWN = 10_000


# A name right after one of these is a ship's: "the tanker Fano", "the frigate Garibaldi".
_VESSELS = frozenset(
    """ship ships vessel vessels boat tanker tankers freighter cargo ferry frigate corvette
    destroyer cruiser carrier submarine trawler tug yacht dinghy liner steamer""".split()
)


def _role_among_others(
    words: list[str],
    run: list[Token],
    seg_lo: int,
    seg_hi: int,
    f: _Found,
    others: list[int],
    common: dict[str, int],
) -> tuple[str | None, str] | None:
    """(feature, role) of a place written with other capitalised words, or None when those
    words make it part of a person's name."""
    s, n, entries = f
    after = words[s + n] if s + n < len(run) else ""
    of_at = s - 2 if s - 2 >= seg_lo and words[s - 1] == "the" else s - 1  # "of the Congo"
    of_place = of_at >= seg_lo and words[of_at] == "of" and s + n == seg_hi
    if of_place and not any(w in ORG_HEADS for w in words[seg_lo:s]):
        return None, "literal"  # "President Emmanuel Macron of France", "Republic of Armenia"
    if words[seg_lo] in PERSON_TITLES and seg_lo < s:
        return None  # "Prime Minister Fayez al-Sarraj": a person's name
    if after in REGION_SUFFIXES and others == [s + n]:
        return after, "literal"  # "Idlib Province", "Orange County", "Kano State"
    if (after in PERSON_TITLES or after in STATE_HEADS) and (s == seg_lo or _known(entries)):
        # "Turkish President Erdogan", "the Syrian army": the place qualifies a title or a
        # state's body; a small town's name in the middle of a longer name does not ('the
        # Myanmar National Democratic Alliance Army': no town of Alliance, Ohio).
        return None, "literal"
    if after in FEATURE_SUFFIXES and others == [s + n]:
        return after, "literal"  # "Royal Street", "Mississippi River"
    if _given_name_and_surname(words, run, s, n, others):
        return None  # "Jackson Smith", "Charlotte M. Brown": a person
    if _in_organisation(words, run, seg_lo, seg_hi, s, n, entries, common):
        return None, "in-name"  # "Kentucky National Guard", "Jamaica Cancer Society"
    return None


def _known(entries: tuple[Entry, ...]) -> bool:
    """A country, a region or a big town: a name that qualifies what follows it anywhere."""
    return any(e.kind in _NATIONAL_OR_BIG or e.prior >= 1e5 for e in entries)


def _given_name_and_surname(
    words: list[str], run: list[Token], s: int, n: int, others: list[int]
) -> bool:
    """A one-word place that is also a given name, then a surname (perhaps after a middle
    initial) and nothing else: 'Jackson Smith', 'Madison Lee', 'Charlotte M. Brown'."""
    if n != 1 or words[s] not in GIVEN_NAMES or not others or others[0] != s + 1:
        return False
    rest = [j for j in others if not (len(run[j].text) == 1 and j < others[-1])]
    return len(rest) == 1 and rest[0] == others[-1] and words[rest[0]] in SURNAMES


def _in_organisation(
    words: list[str],
    run: list[Token],
    seg_lo: int,
    seg_hi: int,
    s: int,
    n: int,
    entries: tuple[Entry, ...],
    common: dict[str, int],
) -> bool:
    """True when a place sits inside an organisation's name rather than a person's.

    An organisation's name holds a head word ('University', 'Guard', 'Times'), or begins with
    a well-known place followed by common words ('Washington Post', 'Jamaica Cancer Society');
    a person's name is capitalised words that are not common words ('Paris Hilton')."""
    segment = words[seg_lo:seg_hi]
    if any(w in ORG_HEADS for w in segment):
        return True
    if s != seg_lo:
        return False
    known = _known(entries)
    rest = [j for j in range(s + n, seg_hi) if run[j].is_cap]
    return known and bool(rest) and all(words[j] in common for j in rest)


def match_span(index: GazetteerIndex, text: str, start: int, end: int) -> tuple[Entry, ...]:
    """Candidates for a span known to name a place (a gold span): its whole name as the
    recogniser would match it, else the longest place name inside it."""
    return match_span_part(index, text, start, end)[0]


def match_span_part(
    index: GazetteerIndex, text: str, start: int, end: int
) -> tuple[tuple[Entry, ...], bool]:
    """``match_span``'s candidates, and whether they name only a part of the span (the
    place inside 'Carnegie Library' or 'Kilburn Estate', not the span's own place)."""
    tokens = [t for t in _tokens(text, start, end) if t.lower != "the"]
    if not tokens:
        return (), False
    key = fold(" ".join(t.text for t in tokens))
    dotted = text[end - 1 : end] == "." or text[end : end + 1] == "."
    found = _usable(index.lookup_key(key), tokens, index.common_words, dotted)
    if not found and _after_the(text, tokens[0]):
        found = _usable(index.lookup_key("the " + key), tokens, index.common_words, dotted)
    if not found and len(key) >= 5:
        found = tuple(
            e
            for e in _usable(index.lookup_translit(text[start:end]), tokens, index.common_words)
            if e.country in TRANSLIT_COUNTRIES
        )
    best: tuple[int, tuple[Entry, ...]] = (0, found)
    best_demonym = False
    if not found:
        for i in range(len(tokens)):
            n, entries = _match(index, tokens, i, text)
            if (
                n == 1
                and tokens[i].lower in index.english_words | index.common_words.keys()
                and all(e.kind == "city" and e.prior < _BIG for e in entries)
            ):
                continue  # 'Royal Street' is not a town called Street
            if n > 1 and _generic_unit(tokens[i : i + n]):
                continue  # 'Seoul Central District Court' names Seoul, not a Central District
            # The longest name; a place before a demonym of the same length: the place says
            # where an embassy or a branch is ('British Embassy Tokyo').
            demonym = bool(entries) and all(e.flags & DEMONYM for e in entries)
            if entries and (n > best[0] or (n == best[0] and best_demonym and not demonym)):
                best, best_demonym = (n, entries), demonym
        return best[1], bool(best[1])
    return found, False
