"""Offline assets: every CDN URL the maps use resolves to a pinned npm file, nothing else does."""

from __future__ import annotations

import json

import folium
import pytest
from folium import plugins

from geo import settings
from geo.render import assets
from geo.render.assets import AssetError, remote_references, resolve_url

USED = [
    folium.Map.default_js[0][1],  # leaflet.js
    folium.Map.default_css[0][1],  # leaflet.css
    *(url for cls in (
        plugins.Fullscreen, plugins.MiniMap, plugins.MeasureControl, plugins.Search,
        plugins.GroupedLayerControl, plugins.AntPath, plugins.MarkerCluster,
        plugins.PolyLineTextPath,
    ) for _, url in cls.default_js + cls.default_css),
]  # fmt: skip


def test_npm_pins_match_what_folium_references():
    pins = json.loads((settings.PROJECT_DIR / "package.json").read_text())["dependencies"]
    assert pins["leaflet"] == "1.9.3"
    assert pins["world-atlas"] == "2.0.2"
    for version in pins.values():
        assert version[0].isdigit(), "exact versions only, no ranges"


@pytest.mark.parametrize("url", USED)
def test_every_plugin_url_resolves_to_an_installed_file(url):
    asset = resolve_url(url)
    assert asset.source.is_file()
    assert asset.relpath.startswith(f"assets/{asset.package}@{asset.version}/")
    assert asset.source.is_relative_to(settings.NODE_MODULES / asset.package)


def test_jsdelivr_rule_and_minified_fallback():
    a = resolve_url(
        "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js"
    )
    assert a.path == "Control.FullScreen.js"  # jsdelivr minifies on the fly; npm ships the source


def test_table_rule_for_cdnjs():
    a = resolve_url(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js"
    )
    assert (a.package, a.version, a.path) == (
        "leaflet-minimap",
        "3.6.1",
        "dist/Control.MiniMap.min.js",
    )


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js", "pins leaflet@1.9.3"),
        ("https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css", "not pinned"),
        ("https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css", "no rule"),
        ("https://unpkg.com/leaflet@1.9.3/dist/leaflet.js", "no rule"),
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/../../../etc/passwd", "leaves its package"),
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/nope.js", "no file"),
    ],
)
def test_unresolvable_urls_fail_loudly(url, reason):
    with pytest.raises(AssetError, match=reason):
        resolve_url(url)


def test_stylesheet_images_are_copied_too():
    css = resolve_url("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
    deps = {d.path for d in assets.css_dependencies(css)}
    assert "dist/images/layers.png" in deps


def test_remote_references_are_detected():
    page = (
        '<script src="assets/a.js"></script><link rel="stylesheet" href="assets/b.css">'
        '<script src="https://cdn.example/x.js"></script><link href="//cdn.example/y.css">'
        '<a href="https://example.org/">a link is fine</a>'
    )
    assert remote_references(page) == ["https://cdn.example/x.js", "//cdn.example/y.css"]
    with pytest.raises(AssetError):
        assets.check_offline(page)


def test_localized_map_links_only_to_local_files(tmp_path):
    m = folium.Map(tiles=None)
    m.default_js = folium.Map.default_js[:1]
    m.default_css = folium.Map.default_css[:1]
    plugins.Fullscreen().add_to(m)
    found = assets.localize(m)
    page = m.get_root().render()
    assert remote_references(page) == []
    assert 'src="assets/leaflet@1.9.3/dist/leaflet.js"' in page
    assert "assets/leaflet.fullscreen@3.0.0/icon-fullscreen.svg" in {a.relpath for a in found}


def test_folium_defaults_are_refused_not_silently_left_remote():
    m = folium.Map(tiles=None)
    with pytest.raises(AssetError):
        assets.localize(m)


def test_copy_assets_is_atomic_and_idempotent(tmp_path):
    a = resolve_url("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
    assert assets.copy_assets([a], tmp_path) == 1
    assert assets.copy_assets([a], tmp_path) == 0
    assert (tmp_path / a.relpath).read_bytes() == a.source.read_bytes()
    assert not list(tmp_path.rglob("*.tmp"))
