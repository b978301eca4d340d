"""Maps shown in a notebook draw with no network: every script, stylesheet and image inlined.

A built map links its Leaflet files from ``assets/`` beside the page; a notebook has no such
folder, and folium's own notebook view loads them from CDNs, so with no network nothing draws.
Here the same packaged files (:mod:`geo.render.assets` resolves them) go into the page itself
as ``data:`` URLs, images inside the stylesheets included, and the page is shown in folium's
usual ``srcdoc`` iframe.
"""

from __future__ import annotations

import base64
import os
import re
import types
from pathlib import PurePosixPath

import folium

from geo.render.assets import _CSS_URL, Asset, _walk, css_dependencies, localize

_MIME = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".cur": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
}


def _data_url(data: bytes, suffix: str) -> str:
    mime = _MIME.get(suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _stylesheet(asset: Asset) -> bytes:
    """The stylesheet with each ``url(...)`` it names replaced by the file's data."""
    deps = {dep.path: dep for dep in css_dependencies(asset)}
    folder = PurePosixPath(asset.path).parent

    def inline(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        target = ref.split("?", 1)[0].split("#", 1)[0]
        joined = os.path.normpath(str(folder / target)).replace(os.sep, "/")
        dep = deps.get(joined)
        if dep is None:  # data: URLs and fragments stay as they are
            return match.group(0)
        return f'url("{_data_url(dep.content(), PurePosixPath(dep.path).suffix)}")'

    text = asset.content().decode("utf-8", errors="replace")
    return _CSS_URL.sub(inline, text).encode("utf-8")


def inline_assets(m: folium.Map) -> int:
    """Point every script and stylesheet of ``m``'s page at a ``data:`` URL; how many."""
    root = m.get_root()
    assets = {asset.relpath: asset for asset in localize(root)}
    count = 0
    for element in _walk(root):
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if not links:
                continue
            inlined = []
            for name, url in links:
                asset = assets.get(url)
                if asset is not None:
                    data = _stylesheet(asset) if url.endswith(".css") else asset.content()
                    url = _data_url(data, PurePosixPath(asset.path).suffix)
                    count += 1
                inlined.append((name, url))
            setattr(element, attr, inlined)
    return count


def _own_assets(m: folium.Map) -> dict[str, Asset]:
    """Files geo's own elements link at render time (the map runtime, shared layers)."""
    found: dict[str, Asset] = {}
    for element in _walk(m.get_root()):
        for asset in getattr(element, "geo_assets", None) or []:
            found[asset.relpath] = asset
    return found


def notebook_html(m: folium.Map, **kwargs: object) -> str:
    """What a notebook shows for ``m``: folium's iframe around a page that needs no network."""
    from html import escape

    inline_assets(m)
    own = _own_assets(m)
    page = m.get_root().render()
    for rel, asset in own.items():
        data = _stylesheet(asset) if rel.endswith(".css") else asset.content()
        page = page.replace(f'"{rel}"', f'"{_data_url(data, PurePosixPath(asset.path).suffix)}"')
    return (
        '<div style="width:100%;"><div style="position:relative;width:100%;height:0;'
        'padding-bottom:60%;"><iframe srcdoc="' + escape(page) + '" style="position:absolute;'
        'width:100%;height:100%;left:0;top:0;border:none !important;" allowfullscreen>'
        "</iframe></div></div>"
    )


def offline_in_notebooks(m: folium.Map) -> folium.Map:
    """``m`` itself, shown in Jupyter by :func:`notebook_html` instead of folium's CDN links.

    The map stays a ``folium.Map`` (``save``, ``add_child``... work as before); only its
    notebook representation changes.
    """
    m._repr_html_ = types.MethodType(notebook_html, m)  # type: ignore[method-assign]
    return m
