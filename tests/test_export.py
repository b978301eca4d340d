"""Export: every format reads back with geopandas with the same rows and CRS."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from geo import cli, export
from geo.enrich import theatre_layers
from geo.errors import ConfigurationError
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
    assert tripoli["properties"]["backers"] == "turkey"
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
