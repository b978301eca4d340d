"""`import geo` gives the pipeline as GeoDataFrames and folium objects."""

from __future__ import annotations

import importlib
from pathlib import Path

import folium
import geopandas as gpd

import geo

SEED = Path(__file__).resolve().parent.parent / "seeds" / "libya-2019-12.md"


def test_places_enrich_and_map_from_the_package(gazetteer):
    # Once the join module is loaded, geo.enrich is still the function.
    importlib.import_module("geo.join")

    doc = geo.places_from_file(SEED)
    gdf = geo.places_frame(doc)
    assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(doc.places)
    enriched = geo.enrich(gdf, doc.article.date)
    tripoli = enriched[enriched["name"] == "Tripoli"].iloc[0]
    assert tripoli["control"] == "gna"
    assert isinstance(geo.map_article(SEED), folium.Map)
