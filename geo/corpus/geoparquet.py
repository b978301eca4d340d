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
from geo.corpus.parts import open_part, part_schema
from geo.memory import release_freed

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


def _bounds(lon, lat) -> list | None:
    """[xmin, ymin, xmax, ymax] of the points at ``lon``/``lat``; None when there are none."""
    import pyarrow.compute as pc

    bounds = [pc.min(lon).as_py(), pc.min(lat).as_py(), pc.max(lon).as_py(), pc.max(lat).as_py()]
    return None if None in bounds else bounds


def _union(a: list | None, b: list | None) -> list | None:
    """The box holding boxes ``a`` and ``b`` (either may be None: no points)."""
    if a is None or b is None:
        return a or b
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def _geo_metadata(bounds: list | None) -> bytes:
    """GeoParquet's file metadata for a WKB point column in EPSG:4326, with its bbox."""
    from pyproj import CRS

    column = {
        "encoding": "WKB",
        "crs": CRS.from_epsg(4326).to_json_dict(),
        "geometry_types": ["Point"],
        "covering": _COVERING,
    }
    if bounds is not None:
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


def _ordered_articles(items: Sequence[CorpusItem], done: dict[str, Path]) -> list[CorpusItem]:
    """The finished articles in the file's order: by article id, then key (the first item of
    a key gives its fields; code-point order is UTF-8 byte order, Arrow's string order)."""
    first: dict[str, CorpusItem] = {}
    for item in items:
        if item.key in done:
            first.setdefault(item.key, item)
    return sorted(first.values(), key=lambda i: (i.id, i.key))


_INDEX_COLUMNS = ["article_key", "start", "end", "lon", "lat"]  # what pass one reads of a part


def _row_index(ordered: Sequence[CorpusItem], done: dict[str, Path]) -> tuple[Any, list[Path], Any]:
    """Pass one over the parts, each verified once and read a row group at a time: a thin
    table of every wanted row (article rank, start, end, part, row in part) sorted into the
    file's order, the parts, and the bounds of the rows' coordinates for the file's metadata."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = sorted({done[i.key] for i in ordered})
    number_of = {part: number for number, part in enumerate(parts)}
    keys = pa.array([i.key for i in ordered], pa.string())  # an article's rank is its place here
    part_of = pa.array([number_of[done[i.key]] for i in ordered], pa.int32())
    thin, bounds = [], None
    for number, part in enumerate(parts):
        file = open_part(part)
        first = 0  # the part's row number of the group's first row
        for group in range(file.num_row_groups):
            table = file.read_row_group(group, columns=_INDEX_COLUMNS)
            count = table.num_rows
            at = pc.index_in(table["article_key"], value_set=keys)
            # A key's rows are those of the part recorded for it (a rerun may leave a copy in
            # another part, as the old combine read each key from its own part only).
            wanted = pc.fill_null(pc.equal(pc.take(part_of, at), number), False)
            rows = pa.table(
                {
                    # Offsets fit 32 bits (inputs are capped far below 2 GB): 4 bytes a row
                    # each instead of 8 in an index of every row of the corpus.
                    "rank": at.cast(pa.int32()),
                    "start": table["start"].cast(pa.int32()),
                    "end": table["end"].cast(pa.int32()),
                    "part": pa.array(np.full(count, number, np.int32)),
                    "row": pa.array(np.arange(first, first + count, dtype=np.int64)),
                    "lon": table["lon"],
                    "lat": table["lat"],
                }
            ).filter(wanted)
            del table
            bounds = _union(bounds, _bounds(rows["lon"], rows["lat"]))
            thin.append(rows.drop_columns(["lon", "lat"]))
            first += count
    index = pa.concat_tables(thin) if thin else None
    del thin
    if index is not None:
        order = pc.sort_indices(
            index, sort_keys=[(c, "ascending") for c in ("rank", "start", "end")]
        ).to_numpy()
        # Parts hold an article's rows in text order, so a corpus in file order (one huge
        # article, say) often needs no sorted copy of its index.
        if len(order) and not (np.diff(order.astype(np.int64)) == 1).all():
            index = index.take(pa.array(order))
    return index, parts, bounds


def combine(items: Sequence[CorpusItem], done: dict[str, Path], out: Path) -> int:
    """Write the GeoParquet of ``items`` from their parts (atomic); return the row count.

    Each part is opened through ``open_part``, which checks it against what was recorded
    when it was written, so nothing unverified reaches the output. Memory is a row group of
    a part and one of the output at a time, not the corpus: a first pass sorts a thin index
    of the rows (article, start, end, where it lies), then each row group of the output
    takes its rows from the row groups of the parts that hold them.
    """
    import pyarrow as pa

    ordered = _ordered_articles(items, done)
    index, parts, bounds = _row_index(ordered, done)
    if index is None or index.num_rows == 0:
        return write_points(
            _empty_output(), pa.array([], pa.float64()), pa.array([], pa.float64()), out
        )
    meta = {
        "article_id": pa.array([i.id for i in ordered], pa.string()),
        "article_key": pa.array([i.key for i in ordered], pa.string()),
        "source": pa.array([i.source for i in ordered], pa.string()),
        "date": pa.array([i.date for i in ordered], pa.string()),
        "title": pa.array([i.title for i in ordered], pa.string()),
        "url": pa.array([i.url for i in ordered], pa.string()),
    }
    metadata = {b"geo": _geo_metadata(bounds)}
    groups = _row_groups(index, parts, meta)
    return _write_groups(groups, metadata, out)


def _empty_output():
    """The output table with no rows (its columns' types as a run with rows writes them)."""
    import pyarrow as pa

    rows = part_schema().empty_table()
    columns = {}
    for name in COLUMNS:
        if name in _META_COLUMNS:
            columns[name] = pa.array([], pa.string())
        else:
            columns[name] = rows[name]
    for name in DATE_COLUMNS:
        columns[name] = _dates(columns[name])
    return pa.table(columns)


def _row_groups(index: Any, parts: list[Path], meta: dict[str, Any]):
    """(rows, lon, lat) for each row group of the file, in order: the group's rows taken from
    the row groups of each part that hold them (the last part opened is kept for the next
    group), in index order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    held: tuple[int, Any] | None = None
    for start in range(0, index.num_rows, ROW_GROUP_ROWS):
        group = index.slice(start, ROW_GROUP_ROWS)
        numbers = group["part"].combine_chunks()
        pieces, positions = [], []
        for number in pc.unique(numbers).to_pylist():
            if held is None or held[0] != number:
                held = None  # the previous part is let go before the next is opened
                held = (number, open_part(parts[number]))
            where = pc.indices_nonzero(pc.equal(numbers, number))
            pieces.append(_take_rows(held[1], pc.take(group["row"], where)))
            positions.append(where)
        taken = pa.concat_tables(pieces)
        # Put the pieces back into the group's order.
        back = pc.sort_indices(pa.concat_arrays(positions))
        taken = taken.take(back)
        ranks = group["rank"].combine_chunks()
        columns = {
            name: meta[name].take(ranks) if name in meta else taken[name] for name in COLUMNS
        }
        for name in DATE_COLUMNS:
            columns[name] = _dates(columns[name])
        yield pa.table(columns), taken["lon"], taken["lat"]
        del taken, columns, pieces
        release_freed()


def _take_rows(file: Any, rows: Any) -> Any:
    """Rows of a part (``file``, a ParquetFile) by their numbers in it, reading only the row
    groups that hold them."""
    import numpy as np
    import pyarrow as pa

    meta = file.metadata
    sizes = np.array([meta.row_group(g).num_rows for g in range(meta.num_row_groups)], np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])  # each group's first row, then the total
    rows = rows.to_numpy()
    groups = np.searchsorted(starts, rows, side="right") - 1
    needed = np.unique(groups)
    table = file.read_row_groups(needed.tolist())
    # Where each needed group begins in ``table`` (the needed groups one after another).
    begins = np.cumsum(sizes[needed]) - sizes[needed]
    at = rows - starts[groups] + begins[np.searchsorted(needed, groups)]
    return table.take(pa.array(at))


def write_points(table: Any, lon: Any, lat: Any, out: Path, order: Any = None) -> int:
    """Write ``table`` with point geometries at ``lon``/``lat`` (and their bbox and GeoParquet
    metadata) to ``out``, atomically; the row count.

    ``order`` (row indices) is the order of the rows in the file. The file is written one row
    group at a time, each taken, with its geometries, as it is written: a sorted copy of the
    whole table and its geometries at once doubled a large corpus's memory (issue 17)."""

    metadata = {b"geo": _geo_metadata(_bounds(lon, lat))}

    def groups():
        for start in range(0, max(table.num_rows, 1), ROW_GROUP_ROWS):
            if order is None:
                rows = table.slice(start, ROW_GROUP_ROWS)
                yield rows, lon.slice(start, ROW_GROUP_ROWS), lat.slice(start, ROW_GROUP_ROWS)
            else:
                at = order.slice(start, ROW_GROUP_ROWS)
                yield table.take(at), lon.take(at), lat.take(at)

    _write_groups(groups(), metadata, out)
    return table.num_rows


def _write_groups(groups: Any, metadata: dict[bytes, bytes], out: Path) -> int:
    """Write row groups of (rows, lon, lat), each with its WKB points and bbox column, to
    ``out`` atomically; the row count."""
    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with atomic_path(out) as tmp:
        writer = None
        try:
            for rows, x, y in groups:
                rows = rows.append_column("geometry", _wkb_points(x, y))
                rows = rows.append_column("bbox", _bbox(x, y))
                rows = rows.replace_schema_metadata(metadata)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, rows.schema, compression="zstd")
                writer.write_table(rows, row_group_size=ROW_GROUP_ROWS)
                count += rows.num_rows
                del rows, x, y
        finally:
            if writer is not None:
                writer.close()
    return count
