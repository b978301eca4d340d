"""Rendering: article places and theatre data -> layered, offline folium maps.

- ``article_map``: one article -> one ``folium.Map`` (``map_article``) and its offline HTML.
- ``build``: ``geo build`` (incremental, atomic, deterministic), with ``index_page`` and ``tables``.
- ``assets``: CDN script and stylesheet URLs -> pinned npm files copied next to the maps.
- ``basemap``, ``places``, ``control``, ``support``, ``routes``, ``maritime``, ``events``: one
  module per layer kind; ``theatre_layers`` joins the theatre stage to them.
- ``widgets``, ``legend``, ``header``: controls, the legend and the header.
- ``elements``: safe embedding of untrusted text, stable element ids, the feature runtime.
"""

from __future__ import annotations

__all__ = ["build_maps", "map_article"]


def __getattr__(name: str):
    # Lazy: importing geo.render must not pull in folium and geopandas for the CLI's other commands.
    if name == "map_article":
        from geo.render.article_map import map_article

        return map_article
    if name == "build_maps":
        from geo.render.build import build

        return build
    raise AttributeError(f"module 'geo.render' has no attribute {name!r}")
