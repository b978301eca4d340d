"""Keeping a process's resident memory near what it actually holds (issue 17's budget).

Two allocators keep memory the process has already freed: Arrow's default pool (mimalloc)
holds on to what reading a GeoParquet file used, and glibc's malloc keeps freed pages inside
its heap after GEOS unions and large parses. Both count in the peak RSS that ``geo build``,
``geo places`` and ``geo corpus`` are held to, and neither is needed again.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache


def use_system_allocator() -> None:
    """Arrow allocates with malloc (which ``release_freed`` can trim) unless the user chose
    a pool (``ARROW_DEFAULT_MEMORY_POOL``). Call before pyarrow is imported; after, it sets
    the pool directly."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pa.set_memory_pool(pa.system_memory_pool())


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def release_freed() -> None:
    """Give the pages malloc holds for freed objects back to the system (glibc only; a no-op
    elsewhere). Cheap enough to call after each stage that builds and drops large data."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


# An article of thousands of different names fills the gazetteer's name caches (20,000 towns:
# about 30 MB) with names the next article will hardly ask for; past this many they are emptied.
KEEP_LOOKUPS = 5_000


def forget_many_lookups(limit: int = KEEP_LOOKUPS) -> None:
    """Empty each open gazetteer index's name caches that hold more than ``limit`` names, so
    what they held is free for the rest of the build (an ordinary article fills a few hundred,
    which later articles reuse)."""
    from geo.gazetteer.index import _OPEN

    for index in _OPEN.values():
        for cache in (index._lookup, index._translit):
            if cache.cache_info().currsize > limit:
                cache.cache_clear()
