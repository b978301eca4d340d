"""The corpus GeoParquet as other tools read it: GeoParquet 1.1 with a bbox covering column
(``geopandas.read_parquet(bbox=...)``), typed columns, DuckDB's own geometry reader, and row
groups that become Dask partitions."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo import corpus
from geo.corpus import geoparquet
from geo.synthetic import synthetic_corpus, write_jsonl

LIBYA = (9.0, 19.0, 26.0, 34.0)  # west, south, east, north


@pytest.fixture(scope="module")
def parquet(gazetteer, tmp_path_factory):
    folder = tmp_path_factory.mktemp("geoparquet")
    source = folder / "articles.jsonl"
    write_jsonl(synthetic_corpus(24, seed=11), source)
    out = folder / "places.parquet"
    rows = geoparquet.ROW_GROUP_ROWS
    geoparquet.ROW_GROUP_ROWS = 50  # several row groups from a small corpus
    try:
        report = corpus.geoparse_corpus([source], out, workers=1, progress=False)
    finally:
        geoparquet.ROW_GROUP_ROWS = rows
    assert report.ok and report.rows > 100
    return out


def test_geoparquet_1_1_metadata_with_a_bbox_covering(parquet):
    meta = json.loads(pq.read_schema(parquet).metadata[b"geo"])
    assert meta["version"] == "1.1.0"
    covering = meta["columns"]["geometry"]["covering"]["bbox"]
    assert covering == {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}


def test_read_parquet_with_a_bbox_keeps_only_what_lies_inside(parquet):
    everything = gpd.read_parquet(parquet)
    inside = gpd.read_parquet(parquet, bbox=LIBYA)
    assert 0 < len(inside) < len(everything.dropna(subset=["geometry"]))
    west, south, east, north = inside.total_bounds
    assert west >= LIBYA[0] and south >= LIBYA[1] and east <= LIBYA[2] and north <= LIBYA[3]
    expected = everything.cx[LIBYA[0] : LIBYA[2], LIBYA[1] : LIBYA[3]]
    assert sorted(inside["mention"]) == sorted(expected["mention"])


def test_columns_are_typed(parquet):
    schema = pq.read_schema(parquet)
    assert schema.field("date").type == pa.date32()
    assert schema.field("control_as_of").type == pa.date32()
    assert schema.field("url").type == pa.string()  # every url missing, still a string column
    assert schema.field("start").type == pa.int64() and schema.field("score").type == pa.float64()


def test_row_groups_become_dask_partitions(parquet):
    import dask.dataframe as dd

    meta = pq.ParquetFile(parquet).metadata
    assert meta.num_row_groups == math.ceil(meta.num_rows / 50) > 1
    frame = dd.read_parquet(parquet, split_row_groups=True, columns=["article_id", "date"])
    assert frame.npartitions == meta.num_row_groups
    assert len(frame) == meta.num_rows


def test_duckdb_reads_the_geometry(parquet):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    kind, text, xmin = con.execute(
        "SELECT typeof(geometry), ST_AsText(geometry), bbox.xmin FROM read_parquet(?) "
        "WHERE geometry IS NOT NULL LIMIT 1",
        [str(parquet)],
    ).fetchone()
    assert kind.startswith("GEOMETRY") and text.startswith("POINT (")
    assert float(text.split("(")[1].split()[0]) == pytest.approx(xmin)
    (inside,) = con.execute(
        "SELECT count(*) FROM read_parquet(?) WHERE bbox.xmin BETWEEN ? AND ? "
        "AND bbox.ymin BETWEEN ? AND ?",
        [str(parquet), LIBYA[0], LIBYA[2], LIBYA[1], LIBYA[3]],
    ).fetchone()
    assert inside == len(gpd.read_parquet(parquet, bbox=LIBYA))
