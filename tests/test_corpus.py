"""Corpus scale: synthetic articles, parallel geoparsing (local and Dask), resuming, the map."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import corpus
from geo.cli import main
from geo.synthetic import synthetic_corpus, write_csv, write_files, write_jsonl

N = 40


@pytest.fixture(scope="module")
def articles(gazetteer):
    return synthetic_corpus(N, seed=7)


@pytest.fixture(scope="module")
def jsonl(articles, tmp_path_factory) -> Path:
    return write_jsonl(articles, tmp_path_factory.mktemp("corpus") / "news.jsonl")


@pytest.fixture(scope="module")
def one_shot(jsonl, tmp_path_factory) -> gpd.GeoDataFrame:
    """The corpus geoparsed in one run on two local workers."""
    out = tmp_path_factory.mktemp("one-shot") / "places.parquet"
    report = corpus.geoparse_corpus([jsonl], out, workers=2, progress=False)
    assert report.ok and report.done == N and report.skipped == 0
    return gpd.read_parquet(out)


def _frame(path: Path) -> pd.DataFrame:
    return pd.DataFrame(gpd.read_parquet(path).to_wkt())


# --------------------------------------------------------------------------- synthetic corpus


def test_synthetic_corpus_is_deterministic(articles):
    again = synthetic_corpus(N, seed=7)
    assert again == articles
    assert synthetic_corpus(N, seed=8) != articles
    assert len({a.id for a in articles}) == N
    assert all("2019-04-03" <= a.date <= "2020-12-31" for a in articles)
    assert all(a.title and len(a.text) > 200 for a in articles)


def test_synthetic_writers_round_trip(articles, tmp_path):
    files = write_files(articles[:5], tmp_path / "files")
    write_jsonl(articles[:5], tmp_path / "a.jsonl")
    write_csv(articles[:5], tmp_path / "a.csv")
    for spec in (tmp_path / "files", tmp_path / "a.jsonl", tmp_path / "a.csv"):
        items, failed = corpus.read_corpus([spec])
        assert not failed
        assert [(i.id, i.date, i.title) for i in items] == [
            (a.id, a.date, a.title) for a in articles[:5]
        ]
    assert len(files) == 5
    # A glob works as well as a folder.
    items, _ = corpus.read_corpus([str(tmp_path / "files" / "*.md")])
    assert len(items) == 5


# --------------------------------------------------------------------------- rows


def test_rows_are_one_per_mention_with_offsets_and_control(one_shot, articles):
    from geo.places import places_from_text

    assert one_shot.crs.to_epsg() == 4326
    assert list(one_shot.columns) == list(corpus.COLUMNS) + ["geometry"]
    by_id = {a.id: a for a in articles}
    for article_id, rows in one_shot.groupby("article_id"):
        a = by_id[article_id]
        expected = places_from_text(a.text).places
        assert len(rows) == len(expected)
        assert {str(d) for d in rows["date"]} == {a.date} and set(rows["title"]) == {a.title}
        for row in rows.itertuples():
            assert a.text[row.start : row.end] == row.mention
    resolved = one_shot[one_shot.geometry.notna()]
    assert len(resolved) > 0.9 * len(one_shot)
    assert {"gna", "lna"} <= set(one_shot["control"].dropna())


def test_control_is_what_enrich_says(one_shot, articles):
    """The corpus computes control in bulk; it must agree with the article-level join."""
    from geo.join import enrich
    from geo.places import places_from_text

    for a in articles[:4]:
        places = places_from_text(a.text).places
        enriched = enrich(places, a.date)
        ours = one_shot[one_shot["article_id"] == a.id].sort_values("start")
        assert list(ours["control"].fillna("-")) == list(enriched["control"].fillna("-"))


def test_dask_gives_the_same_rows_as_local(jsonl, one_shot, tmp_path):
    out = tmp_path / "dask.parquet"
    report = corpus.geoparse_corpus([jsonl], out, scheduler="local", workers=2, progress=False)
    assert report.ok and report.done == N
    expected = pd.DataFrame(one_shot.to_wkt())
    pd.testing.assert_frame_equal(_frame(out), expected)


# --------------------------------------------------------------------------- resuming


def test_rerun_skips_done_articles(jsonl, one_shot, tmp_path):
    out = tmp_path / "places.parquet"
    first = corpus.geoparse_corpus([jsonl], out, workers=2, limit=12, progress=False)
    assert (first.done, first.skipped) == (12, 0)
    assert gpd.read_parquet(out)["article_id"].nunique() <= 12
    parts = {p: p.stat().st_mtime_ns for p in corpus.parts_dir(out).glob("part-*.parquet")}
    assert parts

    second = corpus.geoparse_corpus([jsonl], out, workers=2, progress=False)
    assert (second.done, second.skipped) == (N - 12, 12)
    for part, mtime in parts.items():
        assert part.stat().st_mtime_ns == mtime  # finished parts are never rewritten
    pd.testing.assert_frame_equal(_frame(out), pd.DataFrame(one_shot.to_wkt()))

    third = corpus.geoparse_corpus([jsonl], out, workers=2, progress=False)
    assert (third.done, third.skipped) == (0, N)


def test_interrupted_run_keeps_finished_parts(jsonl, one_shot, tmp_path, monkeypatch):
    out = tmp_path / "places.parquet"
    real = corpus.write_part
    calls = []

    def write_then_interrupt(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C while the third batch is being saved
        return real(*args, **kwargs)

    monkeypatch.setattr(corpus.run, "write_part", write_then_interrupt)
    report = corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=5, progress=False)
    assert report.interrupted and not report.ok
    assert report.done == 10
    assert not out.exists()  # no combined file from a half run
    monkeypatch.setattr(corpus.run, "write_part", real)

    rerun = corpus.geoparse_corpus([jsonl], out, workers=2, progress=False)
    assert (rerun.done, rerun.skipped) == (N - 10, 10)
    pd.testing.assert_frame_equal(_frame(out), pd.DataFrame(one_shot.to_wkt()))


def test_changed_article_is_redone(articles, tmp_path):
    src = tmp_path / "news.jsonl"
    write_jsonl(articles[:6], src)
    out = tmp_path / "places.parquet"
    corpus.geoparse_corpus([src], out, workers=1, progress=False)
    lines = src.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    record["text"] += "\nMore shelling was reported in Sirte.\n"
    lines[2] = json.dumps(record)
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = corpus.geoparse_corpus([src], out, workers=1, progress=False)
    assert (report.done, report.skipped) == (1, 5)
    rows = gpd.read_parquet(out)
    assert "Sirte" in set(rows[rows["article_id"] == record["id"]]["mention"])


# --------------------------------------------------------------------------- bad input, CLI


def test_bad_articles_are_one_line_each_and_the_run_goes_on(tmp_path, capsys, gazetteer):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_text(
        '{"id": "ok1", "date": "2019-05-01", "text": "Fighting in Tripoli and Misrata."}\n'
        '{"id": "nodate", "text": "Shelling in Sirte."}\n'
        "not json\n"
        '{"id": "baddate", "date": "2019-13-45", "text": "Clashes in Zawiya."}\n'
        '{"id": "ok2", "date": "2020-01-10T08:00:00Z", "text": "Clashes near Zawiya."}\n',
        encoding="utf-8",
    )
    (src / "b.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    (src / "c.md").write_text("---\ntitle: [broken\n---\nTripoli.\n", encoding="utf-8")
    (src / "d.txt").write_bytes(b"\x00\x01binary")
    (src / "e.md").write_bytes(b"caf\xe9 in Tripoli")
    out = tmp_path / "places.parquet"
    code = main(["corpus", str(src), "--out", str(out), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    bad = [
        line for line in err.splitlines() if line.startswith("geo corpus: ") and "->" not in line
    ]
    assert len(bad) == 7, err
    assert any("a.jsonl:2: no date" in line for line in bad)
    assert any("a.jsonl:3: not valid JSON" in line for line in bad)
    assert any("a.jsonl:4: date '2019-13-45'" in line for line in bad)
    assert any("b.csv: no 'text' or 'date' column" in line for line in bad)
    assert any("c.md" in line and "YAML" in line for line in bad)
    assert any("d.txt" in line and "binary" in line for line in bad)
    assert any("e.md" in line and "UTF-8" in line for line in bad)
    rows = gpd.read_parquet(out)
    assert set(rows["article_id"]) == {"ok1", "ok2"}
    assert {str(d) for d in rows.loc[rows["article_id"] == "ok2", "date"]} == {"2020-01-10"}


def test_cli_usage_errors_are_one_line(tmp_path, capsys):
    assert main(["corpus", str(tmp_path / "none" / "*.jsonl"), "--out", "x.parquet"]) == 2
    assert "matches no file" in capsys.readouterr().err
    code = main(["corpus", str(tmp_path), "--out", "x.parquet", "--workers", "0"])
    assert code == 2 and "--workers" in capsys.readouterr().err
    code = main(
        ["corpus-map", str(tmp_path / "missing.parquet"), "--out", str(tmp_path / "m.html")]
    )
    assert code == 2 and "no such file" in capsys.readouterr().err
    (tmp_path / "junk.parquet").write_text("not parquet", encoding="utf-8")
    code = main(["corpus-map", str(tmp_path / "junk.parquet"), "--out", str(tmp_path / "m.html")])
    err = capsys.readouterr().err
    assert code == 2 and "not a GeoParquet file" in err and "Traceback" not in err


# --------------------------------------------------------------------------- the map

HOSTILE = '<script>alert("x")</script>{{ 7*7 }}</li><img src=x onerror=alert(1)>'


def test_corpus_map_escapes_titles_and_links_safely(tmp_path, capsys, gazetteer):
    src = tmp_path / "a.jsonl"
    records = [
        {"id": "safe-1", "date": "2019-05-01", "title": HOSTILE, "text": "Shelling in Misrata."},
        {
            "id": "js",
            "date": "2019-06-01",
            "title": "JS link",
            "url": "javascript:alert(1)",
            "text": "Clashes in Gharyan.",
        },
        {
            "id": "web",
            "date": "2019-07-01",
            "title": "Web link",
            "url": "https://example.org/a?b=1&c=2",
            "text": "Fighting in Zawiya.",
        },
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    parquet = tmp_path / "places.parquet"
    assert main(["corpus", str(src), "--out", str(parquet), "--workers", "1", "--quiet"]) == 0
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "safe-1.html").write_text("<html></html>", encoding="utf-8")  # as geo build leaves it
    html_out = maps / "corpus.html"
    assert main(["corpus-map", str(parquet), "--out", str(html_out)]) == 0
    assert "3 articles" in capsys.readouterr().err
    page = html_out.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "{{ 7*7 }}" not in page and "49" not in page.split("safe-1.html")[1][:200]
    assert "safe-1.html" in page  # the article's own map, built next to the corpus map
    assert "javascript:alert" not in page
    assert "https://example.org/a?b=1\\u0026amp;c=2" in page
    assert (maps / "assets").is_dir()
    assert not corpus_remote_refs(page)


def corpus_remote_refs(page: str) -> list[str]:
    from geo.render.assets import remote_references

    return remote_references(page)


def test_corpus_data_counts_and_months(one_shot):
    from geo.render.corpus_map import corpus_data

    data = corpus_data(one_shot)
    points = one_shot[one_shot.geometry.notna()]
    assert data.months == sorted({str(d)[:7] for d in points["date"]})
    assert 0 < data.mentions <= len(points)
    assert len(data.articles) <= N
    assert all(p["refs"] for p in data.places)


def test_corpus_map_is_listed_in_the_index(one_shot, tmp_path):
    from geo.render.corpus_map import write_corpus_map

    parquet = tmp_path / "places.parquet"
    one_shot.to_parquet(parquet)
    maps = tmp_path / "maps"
    maps.mkdir()
    # What geo build leaves: a page and its entry in the build state.
    (maps / "syn-000001.html").write_text("<html></html>", encoding="utf-8")
    state = {"maps": {"/x/syn-000001.md": {"slug": "syn-000001", "title": "One article"}}}
    (maps / ".build-state.json").write_text(json.dumps(state), encoding="utf-8")
    write_corpus_map(parquet, maps / "corpus.html", title="War <b>news</b>")
    write_corpus_map(parquet, maps / "corpus.html", title="War <b>news</b>")  # listed once
    index = (maps / "index.html").read_text(encoding="utf-8")
    assert index.count('href="corpus.html"') == 1
    assert "War &lt;b&gt;news&lt;/b&gt;" in index
    assert 'href="syn-000001.html"' in index  # the article rows are kept
    page = (maps / "corpus.html").read_text(encoding="utf-8")
    assert "syn-000001.html" in page  # the corpus map links to the article's own map


HOSTILE_ARTICLES = Path(__file__).resolve().parent / "hostile" / "articles"


@pytest.mark.skipif(not HOSTILE_ARTICLES.is_dir(), reason="no hostile article set")
def test_hostile_articles_never_crash_the_corpus_or_its_map(tmp_path, capsys, gazetteer):
    parquet = tmp_path / "places.parquet"
    code = main(["corpus", str(HOSTILE_ARTICLES), "--out", str(parquet), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert all(line.startswith("geo corpus: ") for line in lines)
    assert main(["corpus-map", str(parquet), "--out", str(tmp_path / "maps" / "c.html")]) == 0
    page = (tmp_path / "maps" / "c.html").read_text(encoding="utf-8")
    # Payload text may appear, escaped; markup from it never does.
    for raw in ("<script>alert", "<img", "<svg", "<iframe", "javascript:alert"):
        assert raw not in page


def test_new_pipeline_version_redoes_everything_and_drops_old_parts(
    articles, tmp_path, monkeypatch
):
    src = write_jsonl(articles[:6], tmp_path / "news.jsonl")
    out = tmp_path / "places.parquet"
    corpus.geoparse_corpus([src], out, workers=1, progress=False)
    old = set(corpus.parts_dir(out).glob("part-*.parquet"))
    monkeypatch.setattr(corpus.run, "pipeline_version", lambda: "another-gazetteer")
    report = corpus.geoparse_corpus([src], out, workers=1, progress=False)
    assert (report.done, report.skipped) == (6, 0)
    assert not old & set(corpus.parts_dir(out).glob("part-*.parquet"))


def test_reading_csv_leaves_the_csv_field_limit_alone(articles, tmp_path):
    import csv

    before = csv.field_size_limit()
    items, failed = corpus.read_corpus([write_csv(articles[:3], tmp_path / "a.csv")])
    assert len(items) == 3 and not failed
    assert csv.field_size_limit() == before  # process-wide: other readers rely on it


def test_combined_file_is_the_same_whatever_the_parts(articles, one_shot, tmp_path):
    """The combine step reads one part at a time into row groups: parts of one article each,
    read out of their order (ids sorted across parts), with a duplicate article and a row
    group smaller than a part, still give the rows of the one-batch run, in its order."""
    import pyarrow.parquet as pq

    from geo.corpus import geoparquet

    shuffled = list(reversed(articles)) + [articles[3]]  # article 3 twice: its rows once
    src = write_jsonl(shuffled, tmp_path / "shuffled.jsonl")
    out = tmp_path / "small-parts.parquet"
    rows = geoparquet.ROW_GROUP_ROWS
    geoparquet.ROW_GROUP_ROWS = 7  # many row groups, each needing rows of several parts
    try:
        corpus.geoparse_corpus([src], out, workers=1, batch_size=1, progress=False)
    finally:
        geoparquet.ROW_GROUP_ROWS = rows
    again = gpd.read_parquet(out)
    cols = ["article_id", "article_key", "start", "end", "place_id", "title", "date"]
    pd.testing.assert_frame_equal(
        again[cols].reset_index(drop=True), one_shot[cols].reset_index(drop=True)
    )
    assert (again.geometry.x.round(6) == one_shot.geometry.x.round(6)).all()
    assert pq.ParquetFile(out).metadata.num_row_groups > 1


def test_the_corpus_map_gives_every_holder_a_colour_of_its_own():
    """Two theatres' own colours can clash (the LNA's red beside the Syrian government's): the
    corpus map takes one palette for all its holders, clear of the grey and the clusters' blue."""
    import itertools

    import geopandas as gpd
    from shapely.geometry import Point

    from geo.render.corpus_map import CLUSTER, corpus_data
    from geo.render.palette import MIN_DELTA_E, delta_e
    from geo.render.places import UNCONTROLLED

    held = ["lna", "syrian-government", "gna", "hts", "sdf", "sna", None]
    rows = [
        {"place_id": f"p{i}", "kind": "city", "name": f"Town {i}", "article_id": "a",
         "date": "2020-01-05", "title": "T", "control": c, "country": "LY",
         "geometry": Point(13 + i, 32)}
        for i, c in enumerate(held)
    ]  # fmt: skip
    data = corpus_data(gpd.GeoDataFrame(rows, geometry="geometry", crs=4326))
    colours = [info["colour"] for info in data.actors.values()]
    assert len(data.actors) == 6
    for a, b in itertools.combinations([*colours, UNCONTROLLED, CLUSTER], 2):
        assert delta_e(a, b) > MIN_DELTA_E, (a, b)
