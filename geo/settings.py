"""Settings in one place: folders, network manners and thresholds.

Every value can be overridden by an environment variable of the same name prefixed
``GEO_`` (for example ``GEO_CACHE_DIR``); tests point these at their own folders.

- ``CACHE_DIR``: where the gazetteer index and the online geocoder cache live.
- ``NODE_MODULES``: the npm packages installed from ``package-lock.json`` (map data and
  front-end assets for offline maps): ``node_modules`` in a checkout, the copy inside the
  package (``geo/_npm``, made when the wheel is built) in an installed package.
- ``USER_AGENT``: sent to online geocoders; public Nominatim requires a real one.
- ``MIN_DELAY_SECONDS``: pause between online geocoder requests (Nominatim asks for 1 s).
- ``TIMEOUT_SECONDS``: per-request timeout for online geocoders.
- ``NOMINATIM_URL``: the Nominatim service, scheme and host (and optional path prefix);
  default the public OpenStreetMap instance, whose usage policy asks for a real user agent
  and at most one request a second.
- ``NOMINATIM_LANGUAGE``: names come back from Nominatim in this language.
- ``ONLINE_MAX_RETRIES``: retries of an online geocoder request after the first try.
- ``ONLINE_ERROR_WAIT_SECONDS``: back-off before each retry.
- ``ONLINE_SUSPEND_SECONDS``: how long a failed online service is skipped (cache misses fall
  back at once meanwhile).
- ``LOW_CONFIDENCE``: resolutions scoring below this go to the review list.
- ``MAX_ARTICLE_BYTES``: the largest article or archive file read (a bigger one is one error).
- ``MAX_PLACES_DRAWN``: a map draws at most this many places, the most-mentioned (the data
  files beside it list every place, and its header says how many are left out).
- ``THEATRES``: extra theatre folders' parents (a path list, ``:``-separated), searched after
  the bundled theatres and before ``~/.local/share/geo/theatres`` (``$XDG_DATA_HOME/geo/theatres``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
# A built wheel or sdist carries package.json, its lockfile and the npm files maps use here;
# a checkout has none of it and uses its own files beside the package.
NPM_DIR = PACKAGE_DIR / "_npm" if (PACKAGE_DIR / "_npm").is_dir() else PROJECT_DIR
NPM_PINS = NPM_DIR / "package.json"
NPM_LOCK = NPM_DIR / "package-lock.json"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"GEO_{name}", default)


def _default_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "geo")


CACHE_DIR: Path = Path(_env("CACHE_DIR", _default_cache()))
NODE_MODULES: Path = Path(_env("NODE_MODULES", str(NPM_DIR / "node_modules")))
USER_AGENT: str = _env("USER_AGENT", "geo-conflict-maps/0.1 (https://example.invalid/geo)")
MIN_DELAY_SECONDS: float = float(_env("MIN_DELAY_SECONDS", "1.0"))
TIMEOUT_SECONDS: float = float(_env("TIMEOUT_SECONDS", "10"))
NOMINATIM_URL: str = _env("NOMINATIM_URL", "https://nominatim.openstreetmap.org")
NOMINATIM_LANGUAGE: str = _env("NOMINATIM_LANGUAGE", "en")
ONLINE_MAX_RETRIES: int = int(_env("ONLINE_MAX_RETRIES", "2"))
ONLINE_ERROR_WAIT_SECONDS: float = float(_env("ONLINE_ERROR_WAIT_SECONDS", "5.0"))
ONLINE_SUSPEND_SECONDS: float = float(_env("ONLINE_SUSPEND_SECONDS", "60"))
LOW_CONFIDENCE: float = float(_env("LOW_CONFIDENCE", "0.5"))
MAX_ARTICLE_BYTES: int = int(_env("MAX_ARTICLE_BYTES", str(64 * 1024 * 1024)))
MAX_PLACES_DRAWN: int = int(_env("MAX_PLACES_DRAWN", "1000"))


def theatre_dirs() -> list[Path]:
    """User theatre folders' parents, read at call time: ``GEO_THEATRES`` then the data home."""
    listed = [Path(p).expanduser() for p in _env("THEATRES", "").split(os.pathsep) if p.strip()]
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return [*listed, Path(home) / "geo" / "theatres"]


def gazetteer_path() -> Path:
    """The gazetteer index file; read at call time so tests can move CACHE_DIR."""
    return CACHE_DIR / "gazetteer.sqlite"
