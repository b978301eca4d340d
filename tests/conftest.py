"""Shared fixtures: the gazetteer index is built once per machine (``make setup``) and shared."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def gazetteer():
    """The offline gazetteer index (built first if missing or stale)."""
    from geo.gazetteer.index import open_index

    return open_index()
