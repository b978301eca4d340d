"""Write map layers to files GIS tools open: GeoJSON (RFC 7946), GeoPackage, CSV (WKT).

- GeoJSON: one FeatureCollection; each feature's ``layer`` property names its layer (places,
  zones, frontlines, routes, events, maritime). RFC 7946: lon/lat WGS84, no ``crs`` member.
- GeoPackage: one table per layer, EPSG:4326, dates as Date fields.
- CSV: one row per feature, a ``layer`` column and the geometry as WKT in ``WKT``, with a
  ``.prj`` (EPSG:4326) and a ``.csvt`` (the column types) beside it, which GDAL-based readers
  (QGIS, ogr2ogr, geopandas) pick up, so numbers and dates are read as numbers and dates.

Every property has one type in every feature and every format: lists of names are ``;``-joined
text (route roles as ``route:role``), records (``alternatives``) are JSON text, even when empty;
dates are dates where the format has them (GeoPackage) and ISO text elsewhere. Coordinates
keep 6 decimals (about 0.1 m), as RFC 7946 suggests.
Files are written to a temporary name and moved into place, so a failure writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geo._io import atomic_path
from geo.dates import DAY, parse_day
from geo.errors import ConfigurationError, InputError

if TYPE_CHECKING:
    import geopandas as gpd

FORMATS = ("geojson", "gpkg", "csv")
SUFFIXES = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv"}
_BY_SUFFIX = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}
LAYER_ORDER = ("places", "zones", "frontlines", "routes", "events", "maritime")
DECIMALS = 6


def format_for(out: str | Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` when given, else the one ``out``'s extension names.

    Standard output (``-``) has no extension and gets GeoJSON.
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise ConfigurationError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
        return fmt
    if str(out) == "-":
        return "geojson"
    suffix = Path(out).suffix.lower()
    if suffix not in _BY_SUFFIX:
        known = ", ".join(_BY_SUFFIX)
        raise ConfigurationError(
            f"{out}: cannot tell the format from {suffix or 'no extension'!r} "
            f"(use {known}, or --format)"
        )
    return _BY_SUFFIX[suffix]


# -- one type per column ----------------------------------------------------------------------


def _is_date(value: object) -> bool:
    if isinstance(value, dt.datetime):
        return False
    return isinstance(value, dt.date) or (
        isinstance(value, str) and DAY.fullmatch(value) is not None
    )


def _as_date(value: object) -> dt.date:
    day = parse_day(value, time=False)
    assert day is not None  # _is_date said so
    return day


def _is_route_roles(value: object) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(v, dict) and set(v) == {"route", "role"} for v in value
    )


def _column_kind(values: Sequence[object]) -> str:
    """How a whole column is written: ``date``, ``routes``, ``json``, ``list`` or ``text``.

    Decided once per column (not per value), so an empty list and a full one come out as the
    same type.
    """
    present = [v for v in values if not _missing(v)]
    if not present:
        return "text"
    if all(_is_date(v) for v in present):
        return "date"
    containers = [v for v in present if isinstance(v, list | tuple | dict)]
    if not containers:
        return "text"
    if all(_is_route_roles(v) for v in containers) and any(containers):
        return "routes"
    if any(isinstance(v, dict) for v in containers) or any(
        isinstance(x, dict | list) for v in containers for x in v
    ):
        return "json"
    return "list"


def _cell(value: object, kind: str) -> object:
    if _missing(value):
        return None
    if kind == "date":
        return _as_date(value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if kind == "routes" and isinstance(value, Iterable):
        return ";".join(f"{v['route']}:{v['role']}" for v in value)
    if kind == "list" and isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _rounded(geoms):
    import numpy as np
    import shapely

    return shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, DECIMALS))


def flatten(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with one plain type per column besides the geometry (EPSG:4326, 6 decimals).

    Text, numbers and booleans (nullable), and dates as Arrow ``date32`` columns.
    """
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa

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
            kind = _column_kind(list(out[col]))
            cells = [_cell(v, kind) for v in out[col]]
            dtype = pd.ArrowDtype(pa.date32()) if kind == "date" else object
            out[col] = pd.Series(cells, index=out.index, dtype=dtype)
    if out.crs is None:
        out = out.set_crs(4326)
    elif out.crs.to_epsg() != 4326:
        out = out.to_crs(4326)
    return out.set_geometry(gpd.GeoSeries(_rounded(out.geometry), index=out.index, crs=4326))


def _missing(value: object) -> bool:
    if isinstance(value, list | tuple | dict):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _ordered(layers: Mapping[str, gpd.GeoDataFrame]) -> list[tuple[str, gpd.GeoDataFrame]]:
    names = [n for n in LAYER_ORDER if n in layers] + sorted(set(layers) - set(LAYER_ORDER))
    return [(n, flatten(layers[n])) for n in names]


def combined(layers: Mapping[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """All layers in one GeoDataFrame with a leading ``layer`` column (EPSG:4326)."""
    import geopandas as gpd
    import pandas as pd

    frames = []
    for name, gdf in _ordered(layers):
        if len(gdf):
            frames.append(gdf.assign(layer=name))
    if not frames:
        return gpd.GeoDataFrame({"layer": []}, geometry=[], crs=4326)
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    cols = ["layer"] + [c for c in out.columns if c not in ("layer", "geometry")] + ["geometry"]
    return out[cols]


def _check_folder(target: Path) -> None:
    """Refuse, naming ``target``, a folder that cannot take it: the writers fail on their temp
    file, whose name means nothing to the user."""
    if target.parent and not target.parent.exists():
        raise InputError(f"{target.parent} does not exist")
    probe = target.with_name(f".{target.name[:80]}.{os.getpid()}.probe.tmp")
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.unlink(probe)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None


def _write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    target = Path(target)
    _check_folder(target)
    with atomic_path(target) as tmp:  # the drivers create the file themselves
        with warnings.catch_warnings():
            # GDAL warns that a GeoPackage's temp name does not end in .gpkg; the final one does
            warnings.filterwarnings("ignore", "File .* non conformant file extension")
            warnings.filterwarnings("ignore", "The filename extension should be")
            write(tmp)
    return target


def _dates_as_text(frame):
    """Dates as ISO text, for formats with no date type of their own (GeoJSON, CSV)."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.ArrowDtype) and "date" in str(out[col].dtype):
            out[col] = pd.Series(
                [None if pd.isna(v) else v.isoformat() for v in out[col]],
                index=out.index,
                dtype=object,
            )
    return out


def csv_types(frame) -> list[str]:
    """GDAL's ``.csvt`` types for the columns of ``frame`` (the geometry last, as ``WKT``)."""
    import pandas as pd

    types = []
    for col in frame.columns:
        s = frame[col]
        if col == "geometry":
            types.append("WKT")
        elif isinstance(s.dtype, pd.ArrowDtype) and "date" in str(s.dtype):
            types.append("Date")
        elif pd.api.types.is_bool_dtype(s):
            types.append("Integer(Boolean)")
        elif pd.api.types.is_integer_dtype(s):
            types.append("Integer64")
        elif pd.api.types.is_float_dtype(s):
            types.append("Real")
        else:
            types.append("String")
    return types


def _write_gpkg(layers: Mapping[str, gpd.GeoDataFrame], tmp: Path) -> None:
    for name, gdf in _ordered(layers):
        if len(gdf):
            # through Arrow so that date columns become GeoPackage Date fields
            gdf.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", use_arrow=True)


def _write_geojson(table: gpd.GeoDataFrame, tmp: Path, name: str) -> None:
    _dates_as_text(table).to_file(
        tmp,
        driver="GeoJSON",
        layer=name,
        RFC7946="YES",
        COORDINATE_PRECISION=DECIMALS,
        # JSON text stays text: GDAL would otherwise turn '[...]' into an array in some
        # features while '' stays a string in others
        AUTODETECT_JSON_STRINGS="NO",
    )


def _write_csv(table: gpd.GeoDataFrame, tmp: Path) -> None:
    import pandas as pd

    from geo.safe_text import csv_frame

    frame = pd.DataFrame(_dates_as_text(table).drop(columns="geometry"))
    frame["WKT"] = [g.wkt if g is not None else None for g in table.geometry]
    csv_frame(frame).to_csv(tmp, index=False, lineterminator="\n", float_format=None)


def write_layers(layers: Mapping[str, gpd.GeoDataFrame], out: str | Path, fmt: str) -> Path:
    """Write ``layers`` to ``out`` in ``fmt`` (geojson, gpkg or csv); returns the path."""
    from pyproj import CRS

    format_for(out, fmt)  # an unknown format is refused before anything is written
    out = Path(out)
    _check_folder(out)  # before the sidecar files of a CSV
    if fmt == "gpkg":
        return _write_atomic(out, lambda tmp: _write_gpkg(layers, tmp))
    table = combined(layers)
    if fmt == "geojson":
        return _write_atomic(out, lambda tmp: _write_geojson(table, tmp, out.stem))
    # GDAL (and so geopandas and QGIS) reads a .prj beside a CSV as its CRS and a .csvt as
    # its column types
    _write_atomic(out.with_suffix(".prj"), lambda tmp: tmp.write_text(CRS.from_epsg(4326).to_wkt()))
    types = ",".join(f'"{t}"' for t in csv_types(table))
    _write_atomic(out.with_suffix(".csvt"), lambda tmp: tmp.write_text(types + "\n"))
    return _write_atomic(out, lambda tmp: _write_csv(table, tmp))


def read_layers(path: str | Path, fmt: str) -> dict[str, gpd.GeoDataFrame]:
    """Read back what ``write_layers`` wrote, as layer name → GeoDataFrame (EPSG:4326)."""
    import geopandas as gpd
    import pandas as pd

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
