"""Scoring claims against a gold file: precision and recall by kind and place (and actor), and
how often the date is right.

A predicted claim matches a gold claim of the same kind whose place lies within ``PLACE_KM``
(or has the same name, for countries and seas whose points differ between sources); with
actors, the theatre ids must agree or one actor phrase must hold all the other's content words
("M23 rebels" and "the M23 rebels"). Matching is one-to-one, nearest first. A matched claim's
date is right when it agrees with the gold date at the gold's precision (week: within 3 days).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import InputError

PLACE_KM = 50.0
_STOP = frozenset(
    "the a an of its their his her and more than at least about some most many".split()
)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _words(text: str | None) -> frozenset[str]:
    found = re.findall(r"[^\W\d_][\w-]*", (text or "").lower().replace("’", "'"))
    return frozenset(w.removesuffix("'s") for w in found if w not in _STOP)


def place_matches(gold: dict, pred: dict) -> float | None:
    """Distance in km when the places match, else None (a same-name match counts as 0)."""
    if pred.get("lat") is None:
        return None
    if gold.get("place") and pred.get("mention", "").casefold() == gold["place"].casefold():
        return 0.0
    d = km(gold["lat"], gold["lon"], pred["lat"], pred["lon"])
    return d if d <= PLACE_KM else None


def actor_matches(gold: dict, pred: dict) -> bool:
    """Same theatre actor id, or phrases where one holds all the other's content words."""
    if gold.get("actor") and pred.get("actor") == gold["actor"]:
        return True
    texts = gold.get("actor_text") or []
    if not texts and not gold.get("actor"):
        return not pred.get("actor_text") and not pred.get("actor")
    said = _words(pred.get("actor_text"))
    if not said:
        return False
    return any((w := _words(t)) and (w <= said or said <= w) for t in texts)


def date_matches(gold: dict, pred: dict) -> bool:
    """The predicted date agrees with the gold date at the gold's precision."""
    if not pred.get("date"):
        return False
    g, p = dt.date.fromisoformat(gold["date"]), dt.date.fromisoformat(pred["date"])
    precision = gold.get("date_precision") or "day"
    if precision == "week":
        return abs((g - p).days) <= 3
    if precision == "month":
        return (g.year, g.month) == (p.year, p.month)
    if precision == "year":
        return g.year == p.year
    return g == p


def match(
    gold: Sequence[dict], pred: Sequence[dict], with_actor: bool = False
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, nearest place first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if p["kind"] != g["kind"] or (with_actor and not actor_matches(g, p)):
                continue
            d = place_matches(g, p)
            if d is not None:
                pairs.append((d, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in sorted(pairs):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return sorted(out)


@dataclass
class Counts:
    """Running totals for one group of articles."""

    gold: int = 0
    predicted: int = 0
    place: int = 0  # matched on (kind, place)
    actor: int = 0  # matched on (kind, actor, place)
    dated: int = 0  # matched gold claims with a date
    date_right: int = 0
    gold_dated: int = 0
    articles: list[dict] = field(default_factory=list)

    def add(self, path: str, gold: Sequence[dict], pred: Sequence[dict]) -> None:
        places = match(gold, pred)
        actors = match(gold, pred, with_actor=True)
        dated = [(g, p) for g, p in places if gold[g].get("date")]
        right = sum(date_matches(gold[g], pred[p]) for g, p in dated)
        self.gold += len(gold)
        self.predicted += len(pred)
        self.place += len(places)
        self.actor += len(actors)
        self.dated += len(dated)
        self.date_right += right
        self.gold_dated += sum(1 for g in gold if g.get("date"))
        missed = [gold[i] for i in range(len(gold)) if i not in {g for g, _ in places}]
        extra = [pred[i] for i in range(len(pred)) if i not in {p for _, p in places}]
        self.articles.append(
            {
                "path": path,
                "gold": len(gold),
                "predicted": len(pred),
                "matched": len(places),
                "missed": [f"{c['kind']} {c['place']}" for c in missed],
                "extra": [f"{c['kind']} {c['mention']}" for c in extra],
            }
        )

    def as_dict(self) -> dict:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "articles": len(self.articles),
            "gold": self.gold,
            "predicted": self.predicted,
            "kind_place": {
                "precision": ratio(self.place, self.predicted),
                "recall": ratio(self.place, self.gold),
            },
            "kind_actor_place": {
                "precision": ratio(self.actor, self.predicted),
                "recall": ratio(self.actor, self.gold),
            },
            "date_accuracy": ratio(self.date_right, self.dated),
            "dated_matched": self.dated,
            "dated_gold": self.gold_dated,
            "per_article": self.articles,
        }


def load_gold(path: str | Path) -> list[dict]:
    """The gold file's articles, their paths made absolute; a bad file is an InputError."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        articles = data["articles"]
        for a in articles:
            a["path"] = str((p.parent / a["path"]).resolve())
            for c in a["claims"]:
                c["kind"], c["lat"], c["lon"] = str(c["kind"]), float(c["lat"]), float(c["lon"])
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON gold file ({exc})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a claims gold file (missing or bad {exc})") from None
    return articles


def score(gold_articles: Sequence[dict], predict: Callable[[str], list[dict]]) -> dict:
    """Scores for the development articles, the held-out ones, and all together."""
    groups = {"development": Counts(), "heldout": Counts(), "all": Counts()}
    for article in gold_articles:
        pred = predict(article["path"])
        name = "heldout" if article.get("heldout") else "development"
        for group in (groups[name], groups["all"]):
            group.add(Path(article["path"]).name, article["claims"], pred)
    return {name: c.as_dict() for name, c in groups.items() if c.articles}


def as_text(report: dict) -> str:
    """The report as a few aligned lines per group."""
    lines = []
    for name, r in report.items():
        kp, kap = r["kind_place"], r["kind_actor_place"]
        lines.append(
            f"{name}: {r['articles']} articles, {r['gold']} gold claims, {r['predicted']} predicted"
        )
        lines.append(f"  (kind, place)         precision {kp['precision']}  recall {kp['recall']}")
        lines.append(
            f"  (kind, actor, place)  precision {kap['precision']}  recall {kap['recall']}"
        )
        lines.append(
            f"  date right            {r['date_accuracy']} of {r['dated_matched']} matched dated"
            f" claims ({r['dated_gold']} dated in the gold)"
        )
    return "\n".join(lines) + "\n"
