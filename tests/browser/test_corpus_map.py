"""The corpus map in headless chromium, network blocked: clusters, the month slider, popups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">'
ARTICLES = 40


@pytest.fixture(scope="module")
def corpus_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 synthetic articles, one with a hostile title, geoparsed and mapped."""
    from geo.corpus import geoparse_corpus
    from geo.render.corpus_map import write_corpus_map
    from geo.synthetic import synthetic_corpus

    root = tmp_path_factory.mktemp("corpus-map")
    records = [
        {"id": a.id, "date": a.date, "title": a.title, "text": a.text}
        for a in synthetic_corpus(ARTICLES, seed=3)
    ]
    records[0]["title"] = HOSTILE
    src = root / "news.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    parquet = root / "places.parquet"
    report = geoparse_corpus([src], parquet, workers=2, progress=False)
    assert report.ok
    html, _ = write_corpus_map(parquet, root / "maps" / "corpus.html")
    return html


@pytest.fixture()
def page(browser, opener, corpus_map):
    watched = opener(browser, corpus_map.as_uri())
    watched.page.wait_for_function("GEO.controls.time && GEO.controls.time.shown > 0")
    yield watched
    watched.page.close()


def test_loads_offline_without_console_errors_and_clusters(page, artifact):
    page.page.wait_for_timeout(300)
    assert page.blocked == []
    assert page.errors == []
    assert page.page.locator(".geo-corpus-cluster").count() > 0, "dense areas are clustered"
    total = page.page.evaluate(
        "Array.from(document.querySelectorAll('.geo-corpus-cluster')).map(e => +e.textContent)"
        ".reduce((a, b) => a + b, 0)"
    )
    assert total > 0
    page.page.screenshot(path=str(artifact("corpus-map.png")))


def test_month_slider_changes_the_places_shown(page):
    p = page.page
    months = p.evaluate("GEO.controls.time.months.length")
    assert months > 3
    everything = p.evaluate("GEO.controls.time.shown")
    p.evaluate("GEO.controls.time.show(0)")
    one_month = p.evaluate("GEO.controls.time.shown")
    assert 0 < one_month < everything
    assert p.locator(".geo-time-output").inner_text() == p.evaluate("GEO.controls.time.months[0]")
    p.locator(".geo-cumulative input").check()
    p.evaluate(f"GEO.controls.time.show({months - 1})")
    assert p.evaluate("GEO.controls.time.shown") == everything
    assert p.locator(".geo-time-output").inner_text().startswith("up to ")


def test_popup_lists_articles_with_titles_escaped(page):
    p = page.page
    # Every marker's popup text (the function Leaflet calls when the popup opens).
    html = p.evaluate(
        """() => {
            let out = [];
            GEO.layers.corpus.eachLayer(m => out.push(m.getPopup()._content(m)));
            return out.join('\\n');
        }"""
    )
    assert "&lt;img src=x" in html  # the hostile title is text, not markup
    assert "<img" not in html
    # A real click path: click a cluster until it opens, then click a place and read its popup.
    for _ in range(12):
        if p.locator(".geo-corpus-place").count():
            break
        p.locator(".geo-corpus-cluster").first.click()
        p.wait_for_timeout(400)
    p.locator(".geo-corpus-place").first.click()
    content = p.locator(".leaflet-popup-content")
    content.wait_for()
    assert content.locator(".geo-corpus-articles li").count() > 0
    assert "mention" in content.inner_text()
    assert p.evaluate("window.__pwned") is None
    assert page.errors == []


HOSTILE_ARTICLES = Path(__file__).resolve().parents[1] / "hostile" / "articles"


@pytest.mark.skipif(not HOSTILE_ARTICLES.is_dir(), reason="no hostile article set")
def test_hostile_articles_run_no_script(browser, opener, tmp_path):
    from geo.corpus import geoparse_corpus
    from geo.render.corpus_map import write_corpus_map

    parquet = tmp_path / "places.parquet"
    geoparse_corpus([HOSTILE_ARTICLES], parquet, workers=2, progress=False)
    html, _ = write_corpus_map(parquet, tmp_path / "maps" / "corpus.html")
    watched = opener(browser, html.as_uri())
    p = watched.page
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.wait_for_function("GEO.controls.time && GEO.controls.time.shown > 0")
    # Open every place's popup (where the hostile titles are listed) through Leaflet, one by one;
    # clustered markers are not on the map, so each popup opens on the map at its place.
    opened = p.evaluate(
        """() => {
            const map = GEO.layers.corpus._map;
            let n = 0, markup = 0;
            GEO.layers.corpus.eachLayer(m => {
                L.popup().setLatLng(m.getLatLng()).setContent(m.getPopup()._content(m)).openOn(map);
                n += 1;
                markup += document.querySelectorAll(
                    ".leaflet-popup-content img, .leaflet-popup-content script, " +
                    ".leaflet-popup-content svg, .leaflet-popup-content iframe").length;
            });
            return [n, markup];
        }"""
    )
    assert opened[0] > 0
    assert opened[1] == 0, "markup from an article title reached a popup"
    p.wait_for_timeout(300)
    assert dialogs == []
    assert watched.errors == []
    assert watched.blocked == []
    p.close()
