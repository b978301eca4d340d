"""The combined output of a corpus run: one GeoParquet file, one row per place mention.

Built in Arrow from the parts, never as Python objects per row: a corpus of huge articles made
of nothing but place names has millions of rows, and pandas object columns of them took about
2.8 KB a row (issue 17). The file follows GeoParquet 1.1: WKB points, EPSG:4326 as PROJJSON,
the bounding box, and a ``bbox`` covering column (xmin, ymin, xmax, ymax per row), so
``geopandas.read_parquet(path, bbox=...)``, DuckDB and GDAL can skip what lies outside an area.
Dates (``date``, ``control_as_of``) are Parquet dates, text columns are strings even when every
value is missing, and row groups of ``ROW_GROUP_ROWS`` rows give Dask one partition each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from geo._io import atomic_path
from geo.corpus.inputs import CorpusItem
from geo.corpus.parts import read_part

# Columns of the output, in order; geometry (a point, EPSG:4326) is added last.
COLUMNS = (
    "article_id", "article_key", "source", "date", "title", "url", "mention", "start", "end",
    "place_id", "name", "kind", "country", "score", "control", "control_status",
    "control_as_of",
)  # fmt: skip
_META_COLUMNS = ("article_id", "source", "date", "title", "url")  # from the CorpusItem
DATE_COLUMNS = ("date", "control_as_of")
# Rows per row group: a Dask partition each (dask.dataframe.read_parquet splits on row groups);
# about 10 MB of a corpus in memory, small enough for a worker, large enough to be worth a task.
ROW_GROUP_ROWS = 100_000
_COVERING = {"bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}}


def _geo_metadata(lon, lat) -> bytes:
    """GeoParquet's file metadata for a WKB point column in EPSG:4326, with its bbox."""
    import pyarrow.compute as pc
    from pyproj import CRS

    column = {
        "encoding": "WKB",
        "crs": CRS.from_epsg(4326).to_json_dict(),
        "geometry_types": ["Point"],
        "covering": _COVERING,
    }
    bounds = [pc.min(lon).as_py(), pc.min(lat).as_py(), pc.max(lon).as_py(), pc.max(lat).as_py()]
    if None not in bounds:
        column["bbox"] = bounds
    meta = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    return json.dumps(meta).encode()


def _wkb_points(lon, lat):
    """Little-endian WKB points as an Arrow binary column, null where a coordinate is
    missing: 21 bytes a row written by numpy, no geometry object per row."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(lon)
    valid = pc.and_(pc.is_valid(lon), pc.is_valid(lat))
    wkb = np.zeros(n, dtype=[("order", "u1"), ("kind", "<u4"), ("x", "<f8"), ("y", "<f8")])
    wkb["order"], wkb["kind"] = 1, 1
    wkb["x"] = pc.fill_null(lon, 0.0).to_numpy()
    wkb["y"] = pc.fill_null(lat, 0.0).to_numpy()
    offsets = np.arange(0, 21 * (n + 1), 21, dtype=np.int64)
    mask = pa.array(valid, pa.bool_()).buffers()[1] if n else None
    return pa.Array.from_buffers(
        pa.large_binary(),
        n,
        [mask, pa.py_buffer(offsets), pa.py_buffer(wkb.tobytes())],
        null_count=n - pc.sum(valid).as_py() if n else 0,
    ).cast(pa.binary())


def _bbox(lon, lat):
    """GeoParquet 1.1's covering column: a point's box is the point, null where it is."""
    import pyarrow as pa
    import pyarrow.compute as pc

    x, y = (
        (c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c).cast(pa.float64())
        for c in (lon, lat)
    )
    missing = pc.invert(pc.and_(pc.is_valid(x), pc.is_valid(y)))
    return pa.StructArray.from_arrays(
        [x, y, x, y], names=["xmin", "ymin", "xmax", "ymax"], mask=pa.array(missing, pa.bool_())
    )


def _dates(column):
    """ISO ``YYYY-MM-DD`` text as Parquet dates; anything else is null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = column.cast(pa.string())
    parsed = pc.strptime(column, format="%Y-%m-%d", unit="s", error_is_null=True)
    return parsed.cast(pa.date32())


def rows_from_parts(
    items: Sequence[CorpusItem], done: dict[str, Path], read: Callable[[Path | None], Any]
) -> Any:
    """The rows of the finished ``items``, part by part (``read`` verifies each one; given
    None it returns the empty table), each part kept to those articles' keys."""
    import pyarrow as pa
    import pyarrow.compute as pc

    by_part: dict[Path, set[str]] = {}
    for item in items:
        if item.key in done:
            by_part.setdefault(done[item.key], set()).add(item.key)
    tables = []
    for part, keys in sorted(by_part.items()):
        table = read(part)
        mask = pc.is_in(table["article_key"], value_set=pa.array(sorted(keys), pa.string()))
        # Kept whole when every row is wanted (as in a run from start to end): filtering
        # copies the part, which doubled the memory of combining a large corpus.
        tables.append(table if pc.all(mask).as_py() else table.filter(mask))
    return pa.concat_tables(tables) if tables else read(None)


def combine(items: Sequence[CorpusItem], done: dict[str, Path], out: Path) -> int:
    """Write the GeoParquet of ``items`` from their parts (atomic); return the row count.

    Each part is read through ``read_part``, which checks it against what was recorded when
    it was written, so nothing unverified reaches the output.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = rows_from_parts(items, done, read_part)
    # The article's own fields, by the row's key: index_in + take, all in Arrow.
    keys = pa.array([i.key for i in items], pa.string())
    at = pc.index_in(rows["article_key"], value_set=keys)
    meta = {
        "article_id": pa.array([i.id for i in items], pa.string()),
        "source": pa.array([i.source for i in items], pa.string()),
        "date": pa.array([i.date for i in items], pa.string()),
        "title": pa.array([i.title for i in items], pa.string()),
        "url": pa.array([i.url for i in items], pa.string()),
    }
    columns = {name: meta[name].take(at) if name in meta else rows[name] for name in COLUMNS}
    for name in DATE_COLUMNS:
        columns[name] = _dates(columns[name])
    table = pa.table(columns)
    lon, lat = rows["lon"], rows["lat"]
    del rows, columns, at
    order = pc.sort_indices(
        table,
        sort_keys=[(c, "ascending") for c in ("article_id", "article_key", "start", "end")],
    )
    return write_points(table, lon, lat, out, order)


def write_points(table: Any, lon: Any, lat: Any, out: Path, order: Any = None) -> int:
    """Write ``table`` with point geometries at ``lon``/``lat`` (and their bbox and GeoParquet
    metadata) to ``out``, atomically; the row count.

    ``order`` (row indices) is the order of the rows in the file. The file is written one row
    group at a time, each taken, with its geometries, as it is written: a sorted copy of the
    whole table and its geometries at once doubled a large corpus's memory (issue 17)."""
    import pyarrow.parquet as pq

    metadata = {b"geo": _geo_metadata(lon, lat)}
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:
        writer = None
        try:
            for start in range(0, max(table.num_rows, 1), ROW_GROUP_ROWS):
                if order is None:
                    rows = table.slice(start, ROW_GROUP_ROWS)
                    x, y = lon.slice(start, ROW_GROUP_ROWS), lat.slice(start, ROW_GROUP_ROWS)
                else:
                    at = order.slice(start, ROW_GROUP_ROWS)
                    rows, x, y = table.take(at), lon.take(at), lat.take(at)
                rows = rows.append_column("geometry", _wkb_points(x, y))
                rows = rows.append_column("bbox", _bbox(x, y))
                rows = rows.replace_schema_metadata(metadata)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, rows.schema, compression="zstd")
                writer.write_table(rows, row_group_size=ROW_GROUP_ROWS)
                del rows, x, y
        finally:
            if writer is not None:
                writer.close()
    return table.num_rows
