"""Claims: what reading event claims costs on top of ``geo places``.

``geo places`` joins each article's places with the theatres (``places.joined_batches``); the
claims step then reads the sentences around those places (``claims.claims_for``). Both run
over the same synthetic articles (``geo.synthetic``, seed 0) in one warmed process, best of
rounds each; the throughput kept is places time / (places time + claims time), and the issue
asks for at least 1/3. Then the claims' accuracy on the gold set (tests/claims/gold.json),
development and held-out articles apart, and on the second blind set (tests/claims/blind).
"""

from __future__ import annotations

import time
from pathlib import Path

ARTICLES = 150
SEED = 0
TARGET = 1 / 3
GOLD = Path(__file__).resolve().parent.parent / "tests" / "claims" / "gold.json"
BLIND = GOLD.parent / "blind" / "gold.json"  # written and annotated after the second round


def _articles():
    from geo.articles import article_from_text
    from geo.synthetic import synthetic_corpus

    return [
        article_from_text(f"---\ndate: {a.date}\n---\n{a.text}", a.id)
        for a in synthetic_corpus(ARTICLES, SEED)
    ]


def _places(articles) -> tuple[float, list]:
    from geo import places

    t0 = time.perf_counter()
    batches = [list(places.joined_batches(a)) for a in articles]
    return time.perf_counter() - t0, batches


def _claims(articles, batches) -> tuple[float, int]:
    from geo.claims import claims_for

    t0 = time.perf_counter()
    n = 0
    for a, doc in zip(articles, batches, strict=True):
        for batch in doc:
            n += len(claims_for(a.text, batch, a.date, a.body_start))
    return time.perf_counter() - t0, n


def run() -> None:
    from geo.claims import claims_from_file
    from geo.claims.score import as_text, load_gold, score

    articles = _articles()
    _, warm = _places(articles[:10])
    _claims(articles[:10], warm)  # gazetteer, theatres, lexicon and aliases loaded
    place_runs = [_places(articles) for _ in range(2)]
    batches = place_runs[0][1]
    claim_runs = [_claims(articles, batches) for _ in range(3)]
    t_places = min(t for t, _ in place_runs)
    t_claims = min(t for t, _ in claim_runs)
    kept = t_places / (t_places + t_claims)
    print(
        f"{ARTICLES} synthetic articles: geo places {ARTICLES / t_places:.1f} articles/s, "
        f"claims alone {ARTICLES / t_claims:.0f} articles/s ({claim_runs[0][1]} claims); with "
        f"claims geo places keeps {kept:.2f} of its throughput (target >= {TARGET:.2f}: "
        f"{'met' if kept >= TARGET else 'NOT met'})"
    )
    print(as_text(score(load_gold(GOLD), claims_from_file)), end="")
    print("second blind set (tests/claims/blind):")
    print(as_text(score(load_gold(BLIND), claims_from_file)), end="")
