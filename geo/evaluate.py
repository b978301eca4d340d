"""Geoparsing metrics on a GeoWebNews-format corpus (``geo eval``).

Recognition: predicted spans match gold spans one-to-one when they overlap. Gold = annotated
toponyms that carry coordinates; a prediction that overlaps only annotations without
coordinates (or marked non-locational) counts neither way. Resolution, on matched toponyms:
accuracy within 161 km (100 miles), median and mean error, and the AUC of the scaled log error
(Gritta et al. 2019; lower is better).

``--resolution-only`` scores the resolver alone, the way resolvers such as Mordecai 3 are
scored: every gold span is given, its candidates are looked up as the recogniser would, the
article's gold spans are resolved together, and each one counts (a span the gazetteer does not
know, or that resolves to nothing, scores the maximum error).
"""

from __future__ import annotations

import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from pyproj import Geod

from geo.errors import InputError

_GEOD = Geod(ellps="WGS84")
MAX_ERROR_KM = 20039.0


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    locational: bool

    @property
    def is_gold(self) -> bool:
        return self.lat is not None and self.locational

    @property
    def point(self) -> tuple[float, float]:
        """(lat, lon) of a toponym with coordinates (every gold one has them)."""
        if self.lat is None or self.lon is None:
            raise ValueError(f"{self.name}: no coordinates")
        return self.lat, self.lon


@dataclass(frozen=True)
class GoldArticle:
    text: str
    toponyms: tuple[GoldToponym, ...]


def read_gwn(path: str | Path, limit: int | None = None) -> list[GoldArticle]:
    """Articles of a GeoWebNews XML file; annotations with negative offsets are skipped."""
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except ET.ParseError as exc:
        raise InputError(f"{path}: not valid XML ({exc})") from None
    out = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            start, end = int(t.findtext("start") or -1), int(t.findtext("end") or -1)
            if start < 0 or end < 0:
                continue
            lat, lon = t.findtext("latitude"), t.findtext("longitude")
            tops.append(
                GoldToponym(
                    start,
                    end,
                    t.findtext("extractedName") or "",
                    float(lat) if lat else None,
                    float(lon) if lon else None,
                    (t.findtext("nonLocational") or "No").strip() != "Yes",
                )
            )
        out.append(GoldArticle(text, tuple(tops)))
        if limit and len(out) >= limit:
            break
    return out


def error_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


@dataclass
class Report:
    articles: int = 0
    chars: int = 0
    seconds: float = 0.0
    gold: int = 0
    predicted: int = 0
    neutral: int = 0
    matched: int = 0
    errors: list[float] = field(default_factory=list)
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str]] = field(default_factory=list)
    far: list[tuple[str, float]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        counted = self.predicted - self.neutral
        return self.matched / counted if counted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        errs = self.errors or [MAX_ERROR_KM]
        scaled = sorted(math.log(1 + e) / math.log(MAX_ERROR_KM) for e in errs)
        auc = sum(scaled) / len(scaled)
        return {
            "articles": self.articles,
            "gold_toponyms": self.gold,
            "predicted": self.predicted,
            "neutral_predictions": self.neutral,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "accuracy_161km": round(sum(e <= 161 for e in errs) / len(errs), 4),
            "median_error_km": round(statistics.median(errs), 1),
            "mean_error_km": round(statistics.fmean(errs), 1),
            "auc": round(auc, 4),
            "chars_per_second": round(self.chars / self.seconds) if self.seconds else None,
        }

    def as_text(self) -> str:
        d = self.as_dict()
        width = max(len(k) for k in d)
        return "".join(f"{k.ljust(width)}  {v}\n" for k, v in d.items())


def score_article(gold: GoldArticle, places: list[dict], report: Report) -> None:
    """Add one article's counts to the report."""
    tops = sorted(gold.toponyms, key=lambda t: t.start)
    used: set[int] = set()
    for p in sorted(places, key=lambda p: p["start"]):
        report.predicted += 1
        overlapping = [i for i, t in enumerate(tops) if t.start < p["end"] and p["start"] < t.end]
        golds = [i for i in overlapping if tops[i].is_gold and i not in used]
        if not golds:
            if overlapping and not any(tops[i].is_gold for i in overlapping):
                report.neutral += 1
            elif overlapping:
                report.neutral += 1  # its gold toponym was already matched by another span
            else:
                report.false_positives.append((p["mention"], p.get("name") or ""))
            continue
        i = golds[0]
        used.add(i)
        report.matched += 1
        t = tops[i]
        if p.get("lat") is None:
            err = MAX_ERROR_KM
        else:
            err = error_km(p["lat"], p["lon"], *t.point)
        report.errors.append(err)
        if err > 161:
            report.far.append((f"{t.name} -> {p.get('name')} ({p.get('id')})", round(err)))
    for i, t in enumerate(tops):
        if t.is_gold:
            report.gold += 1
            if i not in used:
                report.misses.append((t.name, gold.text[max(0, t.start - 30) : t.end + 30]))


def evaluate_corpus(path: str | Path, limit: int | None = None, progress: bool = True) -> Report:
    """Geoparse every article of the corpus and score it against the gold annotations."""
    from geo.gazetteer.index import open_index
    from geo.places import places_from_text

    articles = read_gwn(path, limit)
    open_index()
    report = Report()
    iterator = articles
    if progress:
        from tqdm import tqdm

        iterator = tqdm(articles, desc="eval", unit="article", file=sys.stderr)
    for art in iterator:
        t0 = time.perf_counter()
        doc = places_from_text(art.text)
        report.seconds += time.perf_counter() - t0
        report.chars += len(art.text)
        report.articles += 1
        score_article(art, doc.places, report)
    return report


def gold_mentions(index, article: GoldArticle) -> list:
    """The article's gold toponyms as mentions, with the candidates the recogniser would see:
    the whole span's name (or another romanisation of it), else the longest known name inside
    it ('Northern Syria' -> Syria, 'Kilburn Estate' -> Kilburn). A span with no candidate is
    kept: the resolver places it at the article's main place, as it would for a reader."""
    from geo.gazetteer.build import DEMONYM
    from geo.gazetteer.words import FEATURE_SUFFIXES, REGION_SUFFIXES
    from geo.recognize import Mention, match_span_part

    out = []
    for t in sorted(article.toponyms, key=lambda t: t.start):
        if not t.is_gold:
            continue
        candidates, part = match_span_part(index, article.text, t.start, t.end)
        demonym = bool(candidates) and all(e.flags & DEMONYM for e in candidates)
        # A place inside a longer name ('Carnegie Library') is read as the recogniser reads
        # a place inside an organisation's name.
        role = "in-name" if part else "demonym" if demonym else "literal"
        text = article.text[t.start : t.end]
        # ... unless the name ends in a feature's or a region's word ('Hampton Avenue',
        # 'Idlib Province'), which the recogniser reads as a feature named after the place.
        last = text.split()[-1].strip(".").lower() if part else ""
        feature = last if last in FEATURE_SUFFIXES | REGION_SUFFIXES else None
        if feature:
            role = "literal"
        out.append(Mention(t.start, t.end, text, candidates, demonym, feature, role))
    return out


def evaluate_resolution(path: str | Path, limit: int | None = None) -> Report:
    """Resolution alone: gold spans given, each resolved in the context of the others."""
    from geo.gazetteer.index import open_index
    from geo.resolve import resolve_mentions

    index = open_index()
    report = Report()
    for art in read_gwn(path, limit):
        t0 = time.perf_counter()
        mentions = gold_mentions(index, art)
        resolved = {
            (r.mention.start, r.mention.end): r for r in resolve_mentions(mentions, text=art.text)
        }
        report.seconds += time.perf_counter() - t0
        report.chars += len(art.text)
        report.articles += 1
        for t in art.toponyms:
            if not t.is_gold:
                continue
            report.gold += 1
            report.predicted += 1
            report.matched += 1
            r = resolved.get((t.start, t.end))
            if r is None or r.entry is None:
                err = MAX_ERROR_KM
                report.misses.append((t.name, art.text[max(0, t.start - 30) : t.end + 30]))
            else:
                err = error_km(r.entry.lat, r.entry.lon, *t.point)
            report.errors.append(err)
            if err > 161 and r is not None and r.entry is not None:
                report.far.append((f"{t.name} -> {r.entry.name} ({r.entry.id})", round(err)))
    return report
