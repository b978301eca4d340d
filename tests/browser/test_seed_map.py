"""The seed map in headless chromium, network blocked: layers, popups, the date switch."""

from __future__ import annotations

import pytest

from geo.theatres import load_theatre

pytestmark = pytest.mark.browser

# Layer-control label -> CSS class every drawn element of that overlay carries.
OVERLAYS = {
    "Places in the article": "geo-place",
    "Control zones": "geo-zone",
    "Frontline": "geo-frontline",
    "Foreign support": "geo-support",
    "Migration routes": "geo-route",
    "Maritime zones": "geo-maritime",
    "Events": "geo-event",
}
SIRTE = (31.2089, 16.5887)  # lat, lon


def _count(page: object, cls: str) -> int:
    return page.evaluate(f"document.querySelectorAll('.leaflet-pane .{cls}').length")


def _checkbox(page: object, label: str) -> object:
    return page.locator(".leaflet-control-layers label", has_text=label).locator("input")


def test_loads_offline_without_console_errors(seed_page):
    seed_page.page.wait_for_timeout(300)
    assert seed_page.blocked == []
    assert seed_page.errors == []
    assert _count(seed_page.page, "geo-land") > 0, "the offline basemap is drawn"


def test_every_overlay_is_in_the_layer_control(seed_page):
    labels = seed_page.page.locator(".leaflet-control-layers label").all_inner_texts()
    text = " | ".join(labels)
    for name in OVERLAYS:
        assert name in text
    assert "Natural Earth (offline)" in text and "OpenStreetMap (online)" in text


@pytest.mark.parametrize("label", list(OVERLAYS))
def test_unticking_a_layer_removes_its_drawing(seed_page, label):
    page, cls = seed_page.page, OVERLAYS[label]
    assert _count(page, cls) > 0, f"{label} draws something"
    _checkbox(page, label).uncheck()
    assert _count(page, cls) == 0
    _checkbox(page, label).check()
    assert _count(page, cls) > 0


def _click_place(page: object, name: str) -> None:
    point = page.evaluate(
        """(name) => {
            let found = null;
            GEO.layers.places.eachLayer(g => g.eachLayer && g.eachLayer(l => {
                if (l.feature && l.feature.properties.name === name && l.getLatLng) { found = l; }
            }));
            const map = found._map;
            const p = map.latLngToContainerPoint(found.getLatLng());
            const r = map.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }""",
        name,
    )
    page.mouse.click(point[0], point[1])


def test_clicking_tripoli_names_the_gna_and_quotes_the_article(seed_page, artifact):
    page = seed_page.page
    _click_place(page, "Tripoli")  # places sit above every other overlay
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_timeout(400)  # let the fade-in finish before the screenshot
    text = popup.inner_text()
    assert "Tripoli" in text
    assert "GNA" in text
    marks = popup.locator("mark").all_inner_texts()
    assert marks and all(m == "Tripoli" for m in marks)
    assert "closing in on the capital Tripoli" in text
    page.screenshot(path=str(artifact("seed-map-tripoli-popup.png")))


def test_date_switch_shows_sirte_in_the_lna_zone_on_2020_01_07(seed_page):
    page = seed_page.page
    dates = page.evaluate("GEO.controls.time.dates")
    assert dates == [str(d) for d in load_theatre("libya").dates]  # every recorded date
    assert "2020-01-07" in dates and "2020-10-31" in dates
    assert page.evaluate("GEO.controls.time.date") == "2019-12-22"  # opens on the article date
    slider = page.locator("input.geo-time-input")
    slider.fill(str(dates.index("2020-01-07")))
    assert page.locator("output.geo-time-output").inner_text() == (
        "Ground control on 2020-01-07 (16 days after the article)"
    )
    classes = page.evaluate(
        """([lat, lon]) => {
            const map = GEO.layers.zones._map;
            map.setView([lat, lon], 7, {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            const r = map.getContainer().getBoundingClientRect();
            return document.elementsFromPoint(p.x + r.left, p.y + r.top)
                .map(e => e.getAttribute('class') || '')
                .filter(c => c.includes('geo-zone'));
        }""",
        list(SIRTE),
    )
    assert classes, "a control zone is drawn under Sirte"
    assert any("geo-actor-lna" in c for c in classes), classes


def test_screenshots(browser, built_maps, opener, artifact):
    watched = opener(browser, (built_maps / "libya-2019-12.html").as_uri())
    page = watched.page
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifact("seed-map.png")))
    index = open_page_index(browser, built_maps)
    index.screenshot(path=str(artifact("index.png")))
    assert watched.errors == [] and watched.blocked == []
    page.close()
    index.close()


def open_page_index(browser: object, built_maps) -> object:
    page = browser.new_page(viewport={"width": 1100, "height": 500})
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort()
    )
    page.goto((built_maps / "index.html").as_uri())
    return page


def test_index_links_to_the_map_and_back(browser, built_maps):
    page = open_page_index(browser, built_maps)
    link = page.locator("a", has_text="Haftar")
    assert link.count() == 1
    link.click()
    page.wait_for_function("window.GEO && GEO.controls && GEO.controls.layers")
    page.locator("#geo-header a", has_text="all maps").click()
    page.wait_for_load_state()
    assert page.url.endswith("index.html")
    page.close()


def test_map_controls_are_present(seed_page):
    page = seed_page.page
    for selector in (
        ".leaflet-control-search",
        ".leaflet-control-zoom-fullscreen",
        ".leaflet-control-measure",
        ".leaflet-control-minimap",
        ".leaflet-control-scale",
        "#geo-legend",
        "#geo-header",
    ):
        assert page.locator(selector).count() == 1, selector
    credits = page.locator("#geo-header .geo-credits").inner_text()
    for credit in ("GeoNames", "CC BY 4.0", "Natural Earth", "OpenStreetMap", "ODbL"):
        assert credit in credits
    assert page.locator(".leaflet-control-minimap path").count() > 0  # drawn offline, no tiles


def test_search_finds_a_place_and_opens_its_popup(seed_page):
    page = seed_page.page
    page.locator(".leaflet-control-search .search-button").click()
    page.locator(".leaflet-control-search input").press_sequentially("Tobr", delay=40)
    tip = page.locator(".leaflet-control-search .search-tip", has_text="Tobruk")
    tip.wait_for()
    tip.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Tobruk" in popup.inner_text()


def test_measuring_a_distance_loads_every_image_it_needs(browser, built_maps, opener):
    watched = opener(browser, (built_maps / "libya-2019-12.html").as_uri(), (1600, 1000))
    page = watched.page
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.hover(".leaflet-control-measure")
    page.click(".leaflet-control-measure .js-start")
    page.mouse.click(800, 500)
    page.mouse.click(900, 600)
    page.click(".leaflet-control-measure .js-finish")
    popup = page.locator(".leaflet-popup-content", has_text="Linear measurement")
    popup.wait_for()
    assert "Kilometers" in popup.inner_text()
    page.wait_for_timeout(200)
    assert failed == [] and watched.errors == [], (failed, watched.errors)
    page.close()


def test_desert_far_from_any_town_is_hatched_and_leaves_clicks_to_the_zone(seed_page):
    page = seed_page.page
    got = page.evaluate(
        """() => Array.from(document.querySelectorAll('.leaflet-pane path.geo-remote')).map(
            el => [getComputedStyle(el).fill, el.classList.contains('leaflet-interactive')])"""
    )
    assert got, "the Libyan desert far from towns is drawn as low-certainty ground"
    assert all("geo-hatch" in fill and not interactive for fill, interactive in got), got[:3]
    legend = page.locator("#geo-legend").inner_text()
    assert "hatched: over 100 km from any listed town" in legend


def test_backers_without_a_colour_of_their_own_are_dashed_grey_and_named_in_the_legend(
    seed_page,
):
    page = seed_page.page
    greys = page.evaluate(
        """() => Array.from(document.querySelectorAll('path.geo-support'))
            .filter(e => e.getAttribute('stroke') === GEO.FALLBACK)
            .map(e => e.getAttribute('stroke-dasharray'))"""
    )
    assert greys and all(greys), greys  # every grey arrow is dashed
    legend = page.locator("#geo-legend").inner_text()
    assert "other backers (dashed grey): Egypt" in legend, legend
