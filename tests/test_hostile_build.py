"""``geo build`` keeps a tally per place, not a record per mention (issue 17).

The page and data files of an article must be what they were when every mention was kept
(the reference below renders from every mention, as the build did before), and the data files
of a text naming places thousands of times must still count every mention. Inputs are generated
here, never stored.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from pathlib import Path

import pytest

from geo import build_places
from geo.places import places_from_article
from geo.render import article_map, build, claims, tables
from geo.render.places import group_places

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
NAMES = ["Tripoli", "Misrata", "Sirte", "Benghazi", "Tobruk", "Derna", "Sabha", "Zawiya"]
HEAD = "---\ntitle: Names\ndate: 2019-06-01\nslug: names\n---\n"


def _every_mention_files(name: str, data: bytes, slug: str) -> dict[str, str]:
    """The article's files rendered from every mention record (the reference)."""
    inputs = article_map.prepare(
        places_from_article(build.decode_article(data, name)), reuse_rows=True
    )
    inputs.slug = slug
    page, _ = article_map.render_page(article_map.build_map(inputs), name)
    found = group_places(inputs.rows)
    return {
        f"{slug}.geojson": tables.places_geojson(found),
        f"{slug}.csv": tables.places_csv(found),
        f"{slug}.review.csv": tables.review_csv(found, claims.review_rows(inputs)),
        f"{slug}.html": page,
    }


def _names(size: int, seed: int = 1, separator: str = ", ") -> str:
    rng = random.Random(seed)
    words: list[str] = []
    while sum(len(w) + len(separator) for w in words) < size:
        words.append(rng.choice(NAMES))
    return separator.join(words)


@pytest.mark.parametrize("seed", ["libya-2019-12.md", "syria-2019-12-idlib.md"])
def test_a_seed_page_and_files_are_the_same_as_from_every_mention(seed, gazetteer):
    data = (SEEDS / seed).read_bytes()
    rendered = build.render_article(seed, data, "s")
    assert rendered["files"] == _every_mention_files(seed, data, "s")


def test_a_text_of_names_renders_as_from_every_mention(gazetteer):
    # 6,000 characters: every place in fewer sentences than a page quotes, so all are kept.
    data = (
        HEAD + _names(6_000) + ".\nSeparately, fighters moved from Sirte to Misrata.\n"
    ).encode()
    rendered = build.render_article("names.md", data, "names")
    assert rendered["files"] == _every_mention_files("names.md", data, "names")


def test_the_data_files_count_every_mention_of_a_long_text_of_names(gazetteer):
    # 120,000 characters: each town named about 1,800 times in 120 sentences of names.
    text = HEAD + _names(120_000, seed=2)
    article = build.decode_article(text.encode(), "long.md")
    every = places_from_article(article).places
    expected = Counter(str(r["id"]) for r in every if r["id"] is not None)
    assert max(expected.values()) > 500

    gathered = build_places.gather(article)
    kept = sum(len(k.mentions) for k in gathered.kept.values())
    assert gathered.mentions == len(every)
    assert kept < 0.6 * len(every)  # counted, and kept only for the first sentences

    files = build.render_article("long.md", text.encode(), "long")["files"]
    rows = list(csv.DictReader(io.StringIO(files["long.csv"])))
    assert {r["id"]: int(r["mentions"]) for r in rows} == dict(expected)
    geojson = files["long.geojson"]
    for place_id, n in expected.items():
        assert f'"id": "{place_id}"' in geojson and f'"mentions": {n},' in geojson
    # The popup says how many times the place is named, not how many mentions were kept.
    top = max(expected.values())
    assert f"{top} mentions" in files["long.html"]


def test_a_tally_counts_sentences_words_roles_and_the_first_review(gazetteer):
    text = (
        HEAD + "Tripoli was shelled. The Tripoli Bar Association met. Fighting reached Tripoli.\n"
    )
    article = build.decode_article(text.encode(), "t.md")
    gathered = build_places.gather(article)
    every = places_from_article(article).places
    (pid,) = {str(r["id"]) for r in every if r["id"] is not None}
    tally = gathered.kept[pid].tally
    assert tally.count == len(every)
    assert tally.words == dict(Counter(r["mention"] for r in every))
    assert tally.in_name is all(r["role"] == "in-name" for r in every)
    assert tally.review == next((r["review"] for r in every if r.get("review")), "")
    assert tally.sentences == 3
