"""geo: from conflict news to layered maps.

The pipeline, stage by stage: ``articles`` (text) → ``recognize`` (toponyms) → ``resolve``
(gazetteer, geopy geocoders) → ``join`` (theatre joins) → ``render`` (folium maps). The
public API is re-exported here, loaded on first use so that ``import geo`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "places_from_text": "geo.places",
    "places_from_file": "geo.places",
    "places_frame": "geo.places",
    "enrich": "geo.join",
    "theatre_layers": "geo.join",
    "map_article": "geo.render.article_map",
    "build_maps": "geo.render.build",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name == "build_maps":
        return import_module("geo.render.build").build
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
