"""Offline assets: every CDN script and stylesheet a map names, served from node_modules instead.

folium and its plugins name their scripts as CDN URLs. Each URL is resolved by one rule or one
table row to ``(npm package, version, path in the package)``; the package must be pinned at
exactly that version in ``package.json`` and installed (``npm ci``). The file, and every file
its CSS points at with ``url(...)``, is copied to ``<out>/assets/NAME@VERSION/PATH`` and the page
links to that relative path. A URL nothing resolves fails the build: a map that quietly reached
for a CDN would break offline.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from branca.element import Element, Figure

from geo import settings
from geo._io import digest, write_atomic
from geo.errors import GeoError

ASSETS_DIR = "assets"

# jsdelivr's npm path names the package and version outright.
_JSDELIVR_NPM = re.compile(
    r"^https?://cdn\.jsdelivr\.net/npm/(?P<name>(?:@[^/@]+/)?[^/@]+)@(?P<version>[^/]+)/(?P<path>.+)$"
)
# The other CDNs: a pattern giving version and file, the npm package that ships the same
# release, and the folder inside that package holding the CDN's files.
_TABLE: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(
            r"^https?://cdn\.jsdelivr\.net/gh/ljagis/leaflet-measure@(?P<version>[^/]+)/(?P<path>.+)$"
        ),
        "leaflet-measure",
        "",
    ),
    (
        re.compile(
            r"^https?://cdnjs\.cloudflare\.com/ajax/libs/leaflet-minimap/(?P<version>[^/]+)/(?P<path>.+)$"
        ),
        "leaflet-minimap",
        "dist/",
    ),
    (
        re.compile(
            r"^https?://cdnjs\.cloudflare\.com/ajax/libs/leaflet-groupedlayercontrol/(?P<version>[^/]+)/(?P<path>.+)$"
        ),
        "leaflet-groupedlayercontrol",
        "dist/",
    ),
    (
        re.compile(
            r"^https?://cdnjs\.cloudflare\.com/ajax/libs/leaflet\.markercluster/(?P<version>[^/]+)/(?P<path>.+)$"
        ),
        "leaflet.markercluster",
        "dist/",
    ),
    (
        re.compile(
            r"^https?://cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/(?P<version>[^/]+)/(?P<path>.+)$"
        ),
        "leaflet.awesome-markers",
        "dist/",
    ),
    (
        re.compile(
            r"^https?://code\.jquery\.com/(?P<path>jquery-(?P<version>[\d.]+)(?:\.min)?\.js)$"
        ),
        "jquery",
        "dist/",
    ),
    (
        re.compile(
            r"^https?://cdnjs\.cloudflare\.com/ajax/libs/jquery/(?P<version>[^/]+)/(?P<path>.+)$"
        ),
        "jquery",
        "dist/",
    ),
    (
        re.compile(
            r"^https?://cdnjs\.cloudflare\.com/ajax/libs/moment\.js/(?P<version>[^/]+)/(?P<path>.+)$"
        ),
        "moment",
        "min/",
    ),
]
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


class AssetError(GeoError, LookupError):
    """A script or stylesheet URL has no pinned, installed npm package file to serve it offline."""


@dataclass(frozen=True)
class Asset:
    """One file served offline: where it came from and where it goes under the output folder."""

    package: str
    version: str
    path: str  # inside the package, POSIX
    source: Path | None
    data: bytes | None = None  # generated content (theatre layers, the map runtime)

    def content(self) -> bytes:
        """The bytes written under the output folder."""
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()

    @property
    def relpath(self) -> str:
        """The path relative to the output folder, as pages link to it."""
        return f"{ASSETS_DIR}/{self.package}@{self.version}/{self.path}"


def _package_json() -> dict:
    path = settings.NPM_PINS
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssetError(f"{path}: cannot read the npm pins ({exc})") from None


@lru_cache(maxsize=1)
def pinned_packages() -> dict[str, str]:
    """``package.json`` dependencies: name -> exact version."""
    return dict(_package_json().get("dependencies", {}))


def _package_dir(name: str, version: str, url: str) -> Path:
    pinned = pinned_packages().get(name)
    if pinned is None:
        raise AssetError(f"{url}: npm package {name!r} is not pinned in package.json")
    if pinned != version:
        raise AssetError(f"{url}: wants {name}@{version} but package.json pins {name}@{pinned}")
    root = settings.NODE_MODULES / name
    try:
        installed = json.loads((root / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        raise AssetError(f"{url}: {root} is not installed: run `make setup` (npm ci)") from None
    if installed != version:
        raise AssetError(f"{url}: {name} {installed} is installed, {version} is pinned: run npm ci")
    return root


def _inside(root: Path, rel: str, url: str) -> Path:
    clean = PurePosixPath(rel)
    if clean.is_absolute() or ".." in clean.parts:
        raise AssetError(f"{url}: path {rel!r} leaves its package")
    return root.joinpath(*clean.parts)


def _existing(root: Path, rel: str, url: str) -> str:
    """The file's path in the package; CDNs minify on the fly, so fall back to the plain file."""
    candidates = [rel]
    for ext in (".js", ".css"):
        if rel.endswith(".min" + ext):
            candidates.append(rel[: -len(".min" + ext)] + ext)
        elif rel.endswith(ext):
            candidates.append(rel[: -len(ext)] + ".min" + ext)
    for cand in candidates:
        if _inside(root, cand, url).is_file():
            return cand
    raise AssetError(f"{url}: no file {candidates[0]!r} in {root}")


def resolve_url(url: str) -> Asset:
    """The pinned npm file that serves ``url`` offline; AssetError when there is none."""
    match = _JSDELIVR_NPM.match(url)
    if match:
        name, version, rel = match["name"], match["version"], match["path"]
    else:
        for pattern, name, folder in _TABLE:
            match = pattern.match(url)
            if match:
                version, rel = match["version"], folder + match["path"]
                if name == "jquery" and folder == "dist/" and rel.startswith("dist/jquery-"):
                    rel = "dist/jquery.min.js" if ".min." in rel else "dist/jquery.js"
                break
        else:
            raise AssetError(f"{url}: no rule maps this URL to a pinned npm package")
    rel = rel.split("?", 1)[0].split("#", 1)[0]
    root = _package_dir(name, version, url)
    rel = _existing(root, rel, url)
    return Asset(name, version, rel, _inside(root, rel, url))


# Files a package's script asks for by name, next to a file its stylesheet points at: Leaflet's
# default marker (which the measure tool's invisible capture marker uses) loads its shadow and
# its high-density icon that way, never through CSS.
SCRIPT_FILES = {"leaflet": ("dist/images/marker-shadow.png", "dist/images/marker-icon-2x.png")}


def css_dependencies(asset: Asset) -> list[Asset]:
    """Files a stylesheet points at with ``url(...)`` (images, fonts), from the same package,
    and those its package's script loads by name (``SCRIPT_FILES``)."""
    if not asset.path.endswith(".css") or asset.source is None:
        return []
    text = asset.source.read_text(encoding="utf-8", errors="replace")
    root = asset.source.parents[len(PurePosixPath(asset.path).parts) - 1]
    found: dict[str, Asset] = {}
    for _, ref in _CSS_URL.findall(text):
        ref = ref.strip()
        if ref.startswith(("data:", "#")) or not ref:
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref, re.I):
            raise AssetError(f"{asset.source}: stylesheet reaches for remote {ref!r}")
        target = ref.split("?", 1)[0].split("#", 1)[0]
        joined = os.path.normpath(str(PurePosixPath(asset.path).parent / target)).replace(
            os.sep, "/"
        )
        if joined.startswith("..") or not (root / joined).is_file():
            raise AssetError(f"{asset.source}: {ref!r} is not a file in the package")
        found[joined] = Asset(asset.package, asset.version, joined, root / joined)
    for extra in SCRIPT_FILES.get(asset.package, ()):
        if (root / extra).is_file():
            found[extra] = Asset(asset.package, asset.version, extra, root / extra)
    return [found[k] for k in sorted(found)]


def generated(package: str, path: str, data: bytes) -> Asset:
    """An asset made by the build, named by a hash of its bytes.

    Pages link to ``assets/PACKAGE@HASH/PATH``: a changed file gets a new name, so a browser
    never mixes an old page with new data, and identical content is written once for all pages.
    """
    return Asset(package, digest(data)[:16], path, None, data)


STATIC_DIR = Path(__file__).resolve().parent / "static"


@lru_cache(maxsize=16)
def static_asset(name: str) -> Asset:
    """A file of ``geo/render/static`` as a content-hashed asset."""
    return generated("geo", name, (STATIC_DIR / name).read_bytes())


def _walk(element: Element) -> list[Element]:
    out = [element]
    for child in element._children.values():
        out.extend(_walk(child))
    return out


@lru_cache(maxsize=256)
def _offline(url: str) -> tuple[Asset, tuple[Asset, ...]]:
    """``resolve_url`` and the stylesheet's dependencies, once per URL and process: every page
    links the same few files, and reading a stylesheet for its ``url(...)``s is not free."""
    asset = resolve_url(url)
    return asset, tuple(css_dependencies(asset))


def localize(root: Element) -> list[Asset]:
    """Point every element's ``default_js``/``default_css`` at ``assets/...``; return the assets.

    Call before rendering, on the Figure or Map; the returned assets (CSS dependencies included)
    are what :func:`copy_assets` must place next to the page.
    """
    figure = root.get_root() if not isinstance(root, Figure) else root
    assets: dict[str, Asset] = {}
    for element in _walk(figure):
        for extra in getattr(element, "geo_assets", ()):
            assets[extra.relpath] = extra
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if not links:
                continue
            rewritten = []
            for name, url in links:
                if not re.match(r"^(https?:)?//", url):
                    rewritten.append((name, url))
                    continue
                asset, deps = _offline(url)
                assets[asset.relpath] = asset
                for dep in deps:
                    assets[dep.relpath] = dep
                rewritten.append((name, asset.relpath))
            setattr(element, attr, rewritten)
    return [assets[k] for k in sorted(assets)]


def copy_assets(assets: list[Asset], out_dir: Path) -> int:
    """Copy assets under ``out_dir`` (atomically, skipping identical files); how many changed."""
    changed = 0
    for asset in assets:
        if write_atomic(Path(out_dir) / asset.relpath, asset.content()):
            changed += 1
    return changed


class _RemoteRefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("script", "link"):
            return
        for key, value in attrs:
            if (
                key in ("src", "href")
                and value
                and re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", value, re.I)
            ):
                self.remote.append(value)


def remote_references(page: str) -> list[str]:
    """``src``/``href`` values of script and link tags that leave the page's folder."""
    parser = _RemoteRefs()
    parser.feed(page)
    parser.close()
    return parser.remote


def check_offline(page: str, name: str = "page") -> None:
    """Fail when a rendered page still names a remote script or stylesheet."""
    remote = remote_references(page)
    if remote:
        raise AssetError(f"{name}: remote script or stylesheet left in the page: {remote[0]}")
