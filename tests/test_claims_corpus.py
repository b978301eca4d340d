"""`geo corpus` writes the articles' claims to a second GeoParquet table beside the places,
from the same resumable, checked parts: a resumed run gives the same claims as one run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import corpus
from geo.claims import claims_from_file
from geo.cli import main
from geo.corpus.claims_table import CLAIM_COLUMNS, claims_path

ARTICLES = sorted((Path(__file__).resolve().parent / "claims").glob("*.md"))


@pytest.fixture(scope="module")
def src(tmp_path_factory, gazetteer) -> Path:
    folder = tmp_path_factory.mktemp("claims-corpus") / "news"
    folder.mkdir()
    for f in ARTICLES:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def one_run_path(src, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one-run") / "news.parquet"
    report = corpus.geoparse_corpus([src], out, workers=2, progress=False)
    assert report.ok and report.done == len(ARTICLES)
    assert report.claims_out == out.with_name("news.claims.parquet")
    assert report.claims == len(_claims(report.claims_out)) > 100
    return report.claims_out


@pytest.fixture(scope="module")
def one_run(one_run_path) -> pd.DataFrame:
    return _claims(one_run_path)


def _claims(path: Path) -> pd.DataFrame:
    return pd.DataFrame(gpd.read_parquet(path).to_wkt())


def test_claims_table_is_geoparquet_with_every_claim_of_every_article(one_run, one_run_path, src):
    import pyarrow.parquet as pq

    assert tuple(pq.read_schema(one_run_path).names) == (*CLAIM_COLUMNS, "geometry", "bbox")
    assert tuple(one_run.columns) == (*CLAIM_COLUMNS, "geometry")
    for f in ARTICLES:
        mine = one_run[one_run["source"].str.endswith(f.name)]
        expected = claims_from_file(str(src / f.name))
        assert len(mine) == len(expected), f.name
        actors = mine["actor_text"].fillna("-")
        got = sorted(zip(mine["kind"], mine["start"], mine["mention"], actors, strict=True))
        assert got == sorted(
            (c["kind"], c["start"], c["mention"], c["actor_text"] or "-") for c in expected
        )


def test_claims_points_and_dates(one_run):
    dated = one_run.dropna(subset=["date"])
    assert len(dated) > 20
    assert all(len(str(d)) == 10 for d in dated["date"])
    assert one_run["geometry"].str.startswith("POINT").all()
    assert set(one_run["theatre_check"]) <= {"agrees", "disagrees", "unknown"}


def test_a_resumed_run_gives_the_same_claims(src, one_run, tmp_path):
    out = tmp_path / "news.parquet"
    first = corpus.geoparse_corpus([src], out, workers=1, batch_size=3, limit=5, progress=False)
    assert first.done == 5 and len(_claims(claims_path(out))) < len(one_run)
    rest = corpus.geoparse_corpus([src], out, workers=2, batch_size=3, progress=False)
    assert (rest.done, rest.skipped) == (len(ARTICLES) - 5, 5)
    pd.testing.assert_frame_equal(_claims(claims_path(out)), one_run)


def test_a_damaged_claims_file_is_named_and_its_articles_redone(src, one_run, tmp_path):
    out = tmp_path / "news.parquet"
    corpus.geoparse_corpus([src], out, workers=1, batch_size=4, progress=False)
    damaged = sorted(corpus.parts_dir(out).glob("claims-*.parquet"))[0]
    damaged.write_bytes(damaged.read_bytes()[:-9] + b"corrupted")
    record = damaged.with_name(damaged.name.replace("claims-", "part-")).with_suffix(".json")
    redo = len(json.loads(record.read_text())["keys"])
    named = []
    again = corpus.geoparse_corpus(
        [src], out, workers=1, progress=False, on_failure=lambda s, r: named.append((s, r))
    )
    assert again.ok and again.done == redo and len(again.damaged) == 1
    assert "claims: checksum mismatch" in named[0][1]
    pd.testing.assert_frame_equal(_claims(claims_path(out)), one_run)


def test_cli_writes_the_claims_table_where_asked(src, one_run, tmp_path, capsys):
    out, claims = tmp_path / "places.parquet", tmp_path / "elsewhere" / "claims.parquet"
    assert (
        main(["corpus", str(src), "-o", str(out), "--claims", str(claims), "--workers", "1"]) == 0
    )
    err = capsys.readouterr().err
    assert f"{len(one_run)} claims -> {claims}" in err
    pd.testing.assert_frame_equal(_claims(claims), one_run)
    assert not claims_path(out).exists()  # only where asked
