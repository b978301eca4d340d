"""The combined output of a corpus run: one GeoParquet file, one row per place mention."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from geo.corpus.inputs import CorpusItem
from geo.corpus.parts import _part_schema

# Columns of the output, in order; geometry (a point, EPSG:4326) is added last.
COLUMNS = (
    "article_id", "article_key", "source", "date", "title", "url", "mention", "start", "end",
    "place_id", "name", "kind", "country", "score", "control", "control_status",
    "control_as_of",
)  # fmt: skip


def combine(items: Sequence[CorpusItem], done: dict[str, Path], out: Path) -> int:
    """Write the GeoParquet of ``items`` from their parts (atomic); return the row count."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    by_part: dict[Path, set[str]] = {}
    for item in items:
        if item.key in done:
            by_part.setdefault(done[item.key], set()).add(item.key)
    tables = []
    for part, keys in sorted(by_part.items()):
        table = pq.read_table(part, schema=_part_schema())
        mask = pc.is_in(table["article_key"], value_set=pa.array(sorted(keys)))
        tables.append(table.filter(mask))
    frame = (
        pa.concat_tables(tables).to_pandas() if tables else _part_schema().empty_table().to_pandas()
    )
    meta = pd.DataFrame(
        [(i.key, i.id, i.source, i.date, i.title, i.url) for i in items],
        columns=["article_key", "article_id", "source", "date", "title", "url"],
    )
    frame = frame.merge(meta, on="article_key", how="left", validate="many_to_one")
    frame = frame.sort_values(["article_id", "article_key", "start", "end"], kind="stable")
    frame = frame.reset_index(drop=True)
    has_point = frame["lon"].notna() & frame["lat"].notna()
    geometry = gpd.GeoSeries.from_xy(frame["lon"], frame["lat"], crs=4326)
    geometry[~has_point] = None
    gdf = gpd.GeoDataFrame(frame[list(COLUMNS)], geometry=geometry, crs=4326)
    for col in COLUMNS:
        if col not in ("start", "end", "score"):
            gdf[col] = gdf[col].astype(object).where(gdf[col].notna(), None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        gdf.to_parquet(tmp, index=False, compression="zstd")
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return len(gdf)
