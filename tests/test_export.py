"""Export: every format reads back with geopandas with the same rows and CRS."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo import cli, export
from geo.errors import ConfigurationError
from geo.join import theatre_layers
from geo.theatres import load_theatre

SEED = Path(__file__).resolve().parent.parent / "seeds" / "libya-2019-12.md"


@pytest.fixture(scope="module")
def layers():
    libya = load_theatre("libya")
    records = []
    for place in ("tripoli", "sirte", "zuwara", "derna"):
        p = libya.places.loc[place]
        records.append(
            {
                "name": p["name"],
                "lat": float(p["lat"]),
                "lon": float(p["lon"]),
                "kind": "city",
                "id": p["gazetteer"],
                "country": "LY",
            }
        )
    records.append({"name": "Turkey", "lat": 39.0, "lon": 35.0, "kind": "country", "id": "TR",
                    "country": "TR"})  # fmt: skip
    records.append({"name": None, "lat": None, "lon": None, "kind": "unknown", "id": None,
                    "country": None})  # fmt: skip
    return theatre_layers(records, "2019-12-22")


KEYS = {
    "places": "name",
    "zones": "actor",
    "frontlines": "side_b",
    "routes": "route",
    "events": "id",
    "maritime": "id",
}


def _counts(layers) -> dict[str, int]:
    return {name: len(gdf) for name, gdf in layers.items() if len(gdf)}


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_round_trip(layers, tmp_path, fmt):
    out = export.write_layers(layers, tmp_path / f"layers.{fmt}", fmt)
    back = export.read_layers(out, fmt)
    assert {n: len(g) for n, g in back.items()} == _counts(layers)
    for name, gdf in back.items():
        assert gdf.crs.to_epsg() == 4326, name
        original = export.flatten(layers[name])
        key = KEYS[name]
        assert list(gdf[key].fillna("")) == list(original[key].fillna("")), name
        same = [  # GeoPackage may store a Polygon as a MultiPolygon; GeoJSON keeps 7 decimals
            a.hausdorff_distance(b) < 1e-6 if a is not None and b is not None else a is b
            for a, b in zip(gdf.geometry, original.geometry, strict=True)
        ]
        assert all(same), name
    assert not list(tmp_path.glob(".geo-export-*"))


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_plain_read_file_gets_rows_and_crs(layers, tmp_path, fmt):
    out = export.write_layers(layers, tmp_path / f"layers.{fmt}", fmt)
    back = gpd.read_file(out)
    assert len(back) == sum(_counts(layers).values())
    assert back.crs.to_epsg() == 4326


def test_geojson_is_rfc7946_with_a_layer_property(layers, tmp_path):
    out = export.write_layers(layers, tmp_path / "layers.geojson", "geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    kinds = {f["properties"]["layer"] for f in doc["features"]}
    assert kinds == set(_counts(layers))
    tripoli = next(f for f in doc["features"] if f["properties"].get("name") == "Tripoli")
    assert tripoli["properties"]["control"] == "gna"
    assert tripoli["properties"]["backers"] == "turkey;italy"
    assert gpd.read_file(out).crs.to_epsg() == 4326


def test_geopackage_has_one_layer_per_kind(layers, tmp_path):
    out = export.write_layers(layers, tmp_path / "layers.gpkg", "gpkg")
    names = [name for name, _ in pyogrio.list_layers(out)]
    assert names == [n for n in export.LAYER_ORDER if n in _counts(layers)]
    zones = gpd.read_file(out, layer="zones")
    assert zones.crs.to_epsg() == 4326 and set(zones["actor"]) >= {"gna", "lna"}


def test_unknown_format_writes_nothing(layers, tmp_path):
    with pytest.raises(ConfigurationError):
        export.write_layers(layers, tmp_path / "x.kml", "kml")
    assert list(tmp_path.iterdir()) == []


def test_cli_export(tmp_path, capsys):
    out = tmp_path / "seed.gpkg"
    assert cli.main(["export", str(SEED), "--format", "gpkg", "-o", str(out)]) == 0
    back = export.read_layers(out, "gpkg")
    assert {"places", "zones", "frontlines", "routes", "maritime"} <= set(back)
    tripoli = back["places"][back["places"]["name"] == "Tripoli"]
    assert set(tripoli["control"]) == {"gna"}
    assert "geo export:" in capsys.readouterr().err


def test_cli_export_to_a_missing_folder_fails_cleanly(tmp_path, capsys):
    out = tmp_path / "missing" / "seed.csv"
    assert cli.main(["export", str(SEED), "--format", "csv", "-o", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not out.parent.exists()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_cli_format_follows_the_extension(tmp_path, capsys, suffix):
    out = tmp_path / f"seed{suffix}"
    assert cli.main(["export", str(SEED), "-o", str(out)]) == 0
    head = out.read_bytes()[:16]
    if suffix == ".gpkg":
        assert head == b"SQLite format 3\x00"  # a real GeoPackage, not GeoJSON in disguise
        assert pyogrio.read_info(out, layer="places")["driver"] == "GPKG"
    elif suffix == ".geojson":
        assert json.loads(out.read_text())["type"] == "FeatureCollection"
    else:
        assert head.startswith(b"layer,")


def test_cli_unknown_extension_is_a_one_line_error(tmp_path, capsys):
    assert cli.main(["export", str(SEED), "-o", str(tmp_path / "seed.kml")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--format" in err
    assert list(tmp_path.iterdir()) == []


def _with_alternatives(layers):
    places = layers["places"].copy()
    alts = [[{"name": "Tripoli", "id": "geonames:276781", "country": "LB"}]] + [[]] * (
        len(places) - 1
    )
    places["alternatives"] = alts
    return {**layers, "places": places}


def test_one_type_per_property_in_geojson(layers, tmp_path):
    out = export.write_layers(_with_alternatives(layers), tmp_path / "x.geojson", "geojson")
    features = json.loads(out.read_text())["features"]
    for key in ("alternatives", "backers", "route_roles", "events", "date", "as_of"):
        types = {type(f["properties"][key]) for f in features if f["properties"].get(key)}
        types |= {type(f["properties"][key]) for f in features if key in f["properties"]} - {
            type(None)
        }
        assert len(types) <= 1, (key, types)
    alts = [
        f["properties"]["alternatives"] for f in features if f["properties"]["layer"] == "places"
    ]
    assert all(isinstance(a, str) for a in alts)
    assert json.loads(alts[0])[0]["country"] == "LB" and "[]" in alts


def test_coordinates_have_six_decimals(layers, tmp_path):
    out = export.write_layers(layers, tmp_path / "x.geojson", "geojson")
    coords = [c for f in json.loads(out.read_text())["features"] for c in _numbers(f["geometry"])]
    assert coords and all(round(c, 6) == c for c in coords)
    gpkg = export.write_layers(layers, tmp_path / "x.gpkg", "gpkg")
    zones = gpd.read_file(gpkg, layer="zones")
    xy = shapely.get_coordinates(zones.geometry)
    assert (xy.round(6) == xy).all()


def _numbers(geometry) -> list[float]:
    if geometry is None:
        return []
    out: list[float] = []
    stack = [geometry.get("coordinates", geometry.get("geometries"))]
    while stack:
        item = stack.pop()
        if isinstance(item, float | int):
            out.append(float(item))
        elif isinstance(item, dict):
            stack.append(item.get("coordinates"))
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _field_types(path, layer=None) -> dict[str, str]:
    info = pyogrio.read_info(path, layer=layer)
    return dict(zip(info["fields"], info["ogr_types"], strict=True))


def test_geopackage_fields_are_typed(layers, tmp_path):
    out = export.write_layers(layers, tmp_path / "x.gpkg", "gpkg")
    events = _field_types(out, "events")
    assert events["date"] == "OFTDate" and events["end_date"] == "OFTDate"
    assert events["title"] == "OFTString"
    routes = _field_types(out, "routes")
    assert routes["leg"] == "OFTInteger64" and routes["km"] == "OFTReal"
    back = pyogrio.read_dataframe(out, layer="events")
    assert str(back["date"].dtype).startswith("datetime64")


def test_csv_with_csvt_reads_typed_through_gdal(layers, tmp_path):
    out = export.write_layers(layers, tmp_path / "x.csv", "csv")
    types = out.with_suffix(".csvt").read_text().strip().split(",")
    header = out.read_text().splitlines()[0].split(",")
    assert len(types) == len(header) and types[-1] == '"WKT"'
    back = pyogrio.read_dataframe(out)  # what QGIS and ogr2ogr see: GDAL's CSV driver
    assert back.crs.to_epsg() == 4326
    assert str(back["date"].dtype).startswith("datetime64")
    assert str(back["km"].dtype) == "float64"
    fields = _field_types(out)
    assert fields["leg"] == "OFTInteger64" and fields["name"] == "OFTString"
    assert len(back) == sum(_counts(layers).values())
