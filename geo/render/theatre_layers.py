"""The theatre overlays of a map: control zones and frontline, support, routes, maritime, events.

This module is the one seam between the theatre stage (``geo.theatres``, ``geo.control``,
``geo.routes``, ``geo.maritime``) and the layer modules, which take plain GeoDataFrames.
"""

from __future__ import annotations

from typing import Any


def actors_for(doc: Any) -> dict[str, dict[str, Any]]:
    """Actor display data (id -> name, colour) for the theatres the document touches."""
    return {}


def layers_for(doc: Any) -> Any:
    """The theatre layers for the document, or None when no theatre data applies."""
    return None
