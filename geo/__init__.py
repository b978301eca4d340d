"""geo: from conflict news to layered maps.

The pipeline, stage by stage: ``articles`` (text) → ``recognize`` (toponyms) → ``resolve``
(gazetteer, geopy geocoders) → theatre joins → rendering. The public API is re-exported here.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "places_from_text", "places_from_file", "places_frame"]


def __getattr__(name: str):
    # Lazy so that `import geo` stays cheap for the CLI's start-up time.
    if name in {"places_from_text", "places_from_file", "places_frame"}:
        from geo import places

        return getattr(places, name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
