"""Write map layers to files GIS tools open: GeoJSON (RFC 7946), GeoPackage, CSV (WKT).

- GeoJSON: one FeatureCollection; each feature's ``layer`` property names its layer (places,
  zones, frontlines, routes, events, maritime). RFC 7946: lon/lat WGS84, no ``crs`` member.
- GeoPackage: one table per layer, EPSG:4326.
- CSV: one row per feature, a ``layer`` column and the geometry as WKT in ``WKT``, with a
  ``.prj`` beside it saying EPSG:4326 (GDAL-based readers pick both up).

Lists become ``;``-joined text (route roles as ``route:role``), other records JSON text, so
every format holds the same values.
Files are written to a temporary name and moved into place, so a failure writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from geo.errors import ConfigurationError, InputError

FORMATS = ("geojson", "gpkg", "csv")
LAYER_ORDER = ("places", "zones", "frontlines", "routes", "events", "maritime")


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, dict) and set(v) == {"route", "role"} for v in value):
            return ";".join(f"{v['route']}:{v['role']}" for v in value)
        if any(isinstance(v, dict) for v in value):
            return json.dumps(list(value), ensure_ascii=False, sort_keys=True)
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def flatten(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with only plain scalar columns (text, numbers, None) besides the geometry."""
    out = gdf.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        # nullable dtypes keep integers and booleans typed when layers are stacked with gaps
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype("boolean")
        elif pd.api.types.is_integer_dtype(out[col]):
            out[col] = out[col].astype("Int64")
        elif out[col].dtype == object or str(out[col].dtype).startswith(("str", "string")):
            out[col] = pd.Series(
                [None if _missing(v) else _cell(v) for v in out[col]], index=out.index, dtype=object
            )
    if out.crs is None:
        out = out.set_crs(4326)
    elif out.crs.to_epsg() != 4326:
        out = out.to_crs(4326)
    return out


def _missing(value: object) -> bool:
    if isinstance(value, list | tuple | dict):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _ordered(layers: Mapping[str, gpd.GeoDataFrame]) -> list[tuple[str, gpd.GeoDataFrame]]:
    names = [n for n in LAYER_ORDER if n in layers] + sorted(set(layers) - set(LAYER_ORDER))
    return [(n, flatten(layers[n])) for n in names]


def combined(layers: Mapping[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """All layers in one GeoDataFrame with a leading ``layer`` column (EPSG:4326)."""
    frames = []
    for name, gdf in _ordered(layers):
        if len(gdf):
            frames.append(gdf.assign(layer=name))
    if not frames:
        return gpd.GeoDataFrame({"layer": []}, geometry=[], crs=4326)
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    cols = ["layer"] + [c for c in out.columns if c not in ("layer", "geometry")] + ["geometry"]
    return out[cols]


def _write_atomic(target: Path, write) -> Path:
    target = Path(target)
    if target.parent and not target.parent.exists():
        raise InputError(f"{target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".geo-export-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # the drivers create the file themselves
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def write_layers(layers: Mapping[str, gpd.GeoDataFrame], out: str | Path, fmt: str) -> Path:
    """Write ``layers`` to ``out`` in ``fmt`` (geojson, gpkg or csv); returns the path."""
    if fmt not in FORMATS:
        raise ConfigurationError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    if fmt == "gpkg":

        def write(tmp: Path) -> None:
            for name, gdf in _ordered(layers):
                if len(gdf):
                    gdf.to_file(tmp, layer=name, driver="GPKG")

        return _write_atomic(Path(out), write)
    table = combined(layers)
    if fmt == "geojson":
        name = Path(out).stem
        return _write_atomic(
            Path(out),
            lambda tmp: table.to_file(tmp, driver="GeoJSON", layer=name, RFC7946="YES"),
        )

    def write_csv(tmp: Path) -> None:
        frame = pd.DataFrame(table.drop(columns="geometry"))
        frame["WKT"] = [g.wkt if g is not None else None for g in table.geometry]
        frame.to_csv(tmp, index=False, lineterminator="\n")

    # GDAL (and so geopandas and QGIS) reads a .prj beside a CSV as its CRS
    _write_atomic(
        Path(out).with_suffix(".prj"), lambda tmp: tmp.write_text(CRS.from_epsg(4326).to_wkt())
    )
    return _write_atomic(Path(out), write_csv)


def read_layers(path: str | Path, fmt: str) -> dict[str, gpd.GeoDataFrame]:
    """Read back what ``write_layers`` wrote, as layer name → GeoDataFrame (EPSG:4326)."""
    path = Path(path)
    if fmt == "gpkg":
        import pyogrio

        return {name: gpd.read_file(path, layer=name) for name, _ in pyogrio.list_layers(path)}
    if fmt == "geojson":
        table = gpd.read_file(path)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        geoms = gpd.GeoSeries.from_wkt(frame.pop("WKT").replace("", None), crs=4326)
        table = gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)
    return {
        str(name): gpd.GeoDataFrame(part.drop(columns="layer"), geometry="geometry", crs=table.crs)
        for name, part in table.groupby("layer", sort=False)
    }
