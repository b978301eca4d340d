"""Geoparsing metrics on a tiny corpus written here in the GeoWebNews format."""

from __future__ import annotations

from geo.evaluate import GoldArticle, GoldToponym, Report, read_gwn, score_article

XML = """<?xml version="1.0" ?><articles><article file="0"><title>t</title><link>l</link>
<text>Tripoli and Paris met in Springfield.</text><toponyms>
<toponym><extractedName>Tripoli</extractedName><type>Literal</type><nonLocational>No</nonLocational>
<start>0</start><end>7</end><latitude>32.88743</latitude><longitude>13.18733</longitude></toponym>
<toponym><extractedName>Paris</extractedName><type>Literal</type><nonLocational>No</nonLocational>
<start>12</start><end>17</end><latitude>48.85341</latitude><longitude>2.3488</longitude></toponym>
<toponym><extractedName>Springfield</extractedName><type>Non_Toponym</type><nonLocational>No</nonLocational>
<start>25</start><end>36</end></toponym>
<toponym><extractedName>x</extractedName><type>Literal</type><nonLocational>No</nonLocational>
<start>-5</start><end>-1</end><latitude>1</latitude><longitude>1</longitude></toponym>
</toponyms></article></articles>"""


def test_reader_skips_negative_offsets(tmp_path):
    path = tmp_path / "c.xml"
    path.write_text(XML)
    (art,) = read_gwn(path)
    assert [t.name for t in art.toponyms] == ["Tripoli", "Paris", "Springfield"]
    assert [t.is_gold for t in art.toponyms] == [True, True, False]


def test_scoring_counts_matches_misses_neutral_and_false_positives():
    art = GoldArticle(
        "Tripoli and Paris met in Springfield. Nowhere",
        (
            GoldToponym(0, 7, "Tripoli", 32.88743, 13.18733, True),
            GoldToponym(12, 17, "Paris", 48.85341, 2.3488, True),
            GoldToponym(25, 36, "Springfield", None, None, True),
        ),
    )
    predicted = [
        {"mention": "Tripoli", "start": 0, "end": 7, "lat": 34.43, "lon": 35.84, "name": "T"},
        {"mention": "Springfield", "start": 25, "end": 36, "lat": 1, "lon": 1, "name": "S"},
        {"mention": "Nowhere", "start": 38, "end": 45, "lat": 1, "lon": 1, "name": "N"},
    ]
    report = Report()
    score_article(art, predicted, report)
    d = report.as_dict()
    assert (report.gold, report.matched, report.neutral, report.predicted) == (2, 1, 1, 3)
    assert d["precision"] == 0.5 and d["recall"] == 0.5
    assert d["accuracy_161km"] == 0.0  # the Lebanese Tripoli is ~2,000 km away
    assert 1900 < d["median_error_km"] < 2200


RESOLUTION_XML = """<?xml version="1.0" ?><articles><article file="0"><title>t</title>
<text>Shelling near Ma'arrat al-Nu'man and the Qwertyuiop plant, northern Syria.</text><toponyms>
<toponym><extractedName>Ma'arrat al-Nu'man</extractedName><nonLocational>No</nonLocational>
<start>14</start><end>32</end><latitude>35.64</latitude><longitude>36.67</longitude></toponym>
<toponym><extractedName>Qwertyuiop</extractedName><nonLocational>No</nonLocational>
<start>41</start><end>51</end><latitude>35.5</latitude><longitude>36.5</longitude></toponym>
<toponym><extractedName>northern Syria</extractedName><nonLocational>No</nonLocational>
<start>59</start><end>73</end><latitude>35.0</latitude><longitude>38.0</longitude></toponym>
</toponyms></article></articles>"""


def test_resolution_only_scores_every_gold_span(tmp_path, gazetteer):
    from geo.evaluate import evaluate_resolution

    path = tmp_path / "r.xml"
    path.write_text(RESOLUTION_XML, encoding="utf-8")
    d = evaluate_resolution(path).as_dict()
    # Every gold span counts; the one no gazetteer knows is placed at the article's main
    # place, the town it names (Ma'arrat al-Nu'man), 20 km from the plant.
    assert d["gold_toponyms"] == d["matched"] == 3
    assert d["accuracy_161km"] == 1.0


NO_TOWN_XML = """<?xml version="1.0" ?><articles><article file="0"><title>t</title>
<text>Talks on the Qwertyuiop plant in Syria.</text><toponyms>
<toponym><extractedName>Qwertyuiop</extractedName><nonLocational>No</nonLocational>
<start>13</start><end>23</end><latitude>35.5</latitude><longitude>36.5</longitude></toponym>
<toponym><extractedName>Syria</extractedName><nonLocational>No</nonLocational>
<start>33</start><end>38</end><latitude>35.0</latitude><longitude>38.0</longitude></toponym>
</toponyms></article></articles>"""


def test_resolution_only_unknown_span_without_a_town_scores_the_maximum_error(tmp_path, gazetteer):
    from geo.evaluate import evaluate_resolution

    path = tmp_path / "r.xml"
    path.write_text(NO_TOWN_XML, encoding="utf-8")
    report = evaluate_resolution(path)
    # A country is no place to put a plant: with no town in the article, nothing is guessed.
    assert report.as_dict()["accuracy_161km"] == 0.5
    assert [name for name, _ in report.misses] == ["Qwertyuiop"]


def test_resolution_only_from_the_command_line(tmp_path, gazetteer):
    import json
    import subprocess
    import sys

    path = tmp_path / "r.xml"
    path.write_text(RESOLUTION_XML, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "geo", "eval", str(path), "--resolution-only", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["gold_toponyms"] == 3


def test_gold_span_named_after_a_place_inside_it_is_read_as_in_name(gazetteer):
    from geo.evaluate import gold_mentions
    from geo.gazetteer.index import open_index

    text = "Crowds filled Bozeman and the Carnegie Library on Monday."
    start = text.index("Carnegie Library")
    gold = GoldArticle(
        text,
        (
            GoldToponym(14, 21, "Bozeman", 45.68, -111.04, True),
            GoldToponym(start, start + 16, "Carnegie Library", 45.68, -111.04, True),
        ),
    )
    town, library = gold_mentions(open_index(), gold)
    assert town.role == "literal"
    assert library.role == "in-name"
    assert any(c.name == "Carnegie" for c in library.candidates)
