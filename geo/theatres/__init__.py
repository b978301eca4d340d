"""Theatres: who holds the ground, who backs whom, routes and sea lines, as sourced plain files.

One folder per theatre under this package (``libya/``, ``syria/``); ``load_theatre`` validates a
folder and returns a :class:`Theatre` of DataFrames. The format is documented in docs/theatres.md.
"""

from __future__ import annotations

from geo.theatres.load import (
    CERTAINTY,
    MODES,
    ROLES,
    STATUS,
    THEATRES_DIR,
    Resolved,
    Resolver,
    Theatre,
    load_all,
    load_theatre,
    resolve_name,
    theatre_folders,
)

__all__ = [
    "CERTAINTY",
    "MODES",
    "ROLES",
    "STATUS",
    "THEATRES_DIR",
    "Resolved",
    "Resolver",
    "Theatre",
    "load_all",
    "load_theatre",
    "resolve_name",
    "theatre_folders",
]
