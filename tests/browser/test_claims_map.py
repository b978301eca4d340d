"""The claims layer as a reader meets it: markers beside the places, a popup per claim with
the sentence (event words and place marked), the date and the theatre check, nothing run."""

from __future__ import annotations

import pytest

VIEWPORTS = [(1600, 1000), (390, 844)]


def _claim_point(page: object, kind: str) -> list[float]:
    """Bring the first claim of ``kind`` to a free spot low on the left (clear of the header,
    the layer control and the collapsed legend), and return where it is on the page."""
    return page.evaluate(
        """(kind) => {
            let found = null;
            GEO.layers.claims.eachLayer(g => g.eachLayer && g.eachLayer(l => {
                const c = l.feature && l.feature.properties._class;
                if (c && c.split(' ').includes('geo-claim-' + kind)) { found = found || l; }
            }));
            const map = found._map;
            map.setView(found.getLatLng(), Math.max(map.getZoom(), 6), {animate: false});
            const size = map.getSize();
            const at = map.latLngToContainerPoint(found.getLatLng());
            map.panBy([at.x - size.x * 0.3, at.y - size.y * 0.62], {animate: false});
            const p = map.latLngToContainerPoint(found.getLatLng());
            const r = map.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }""",
        kind,
    )


def _open_claim(page: object, kind: str) -> object:
    legend = page.locator(".geo-legend details[open] > summary")
    if legend.count():
        legend.first.click()  # a reader folds the legend away to see the map
    x, y = _claim_point(page, kind)
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('class')", [x, y])
    assert "geo-claim" in (hit or ""), f"the claim is hidden under {hit!r}"
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content .geo-claim-popup")
    popup.wait_for()
    return popup


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_clicking_a_claim_shows_its_sentence_date_and_check(
    browser, built_maps, opener, artifact, viewport
):
    watched = opener(browser, (built_maps / "libya-2019-12.html").as_uri(), viewport)
    page = watched.page
    assert "Claims" in " ".join(page.locator(".leaflet-control-layers label").all_inner_texts())
    assert page.locator(".geo-claim").count() == 5
    popup = _open_claim(page, "interception")
    text = popup.inner_text()
    assert "interception" in text
    assert "Haftar's troops" in text
    assert "last week" in text and "2019-12-15" in text
    assert "Theatre check" in text
    assert "boarded a Turkish cargo ship" in text
    assert popup.locator("mark.geo-claim-word").all_inner_texts() == ["boarded"]
    assert popup.locator("mark.geo-claim-place").all_inner_texts() == ["Libya"]
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifact(f"claims-popup-{viewport[0]}.png")))
    assert watched.blocked == [] and watched.errors == []
    page.close()


def test_a_claim_popup_runs_nothing_from_the_article(browser, opener, tmp_path):
    from geo.render.build import build

    article = tmp_path / "payload.md"
    article.write_text(
        "---\ntitle: Payload\ndate: 2025-01-29\n---\n"
        'M23 rebels <img src=x onerror="window.__pwned=1"> seized Goma on Monday '
        "<script>window.__pwned=2</script>.\n",
        encoding="utf-8",
    )
    out = tmp_path / "maps"
    assert build([article], out, progress=False).ok
    watched = opener(browser, (out / "payload.html").as_uri())
    page = watched.page
    popup = _open_claim(page, "capture")
    text = popup.inner_text()
    assert "<img" in text and "<script>" in text  # shown as text
    assert page.evaluate("window.__pwned === undefined")
    assert popup.locator("img, script").count() == 0
    page.close()


def test_a_claim_the_theatre_data_contradicts_is_marked(browser, opener, tmp_path):
    from geo.render.build import build

    # In the theatre data the GNA held Tripoli throughout; a capture by the LNA disagrees.
    article = tmp_path / "contradicts.md"
    article.write_text(
        "---\ntitle: Contradiction\ndate: 2020-06-10\n---\n"
        "Haftar's forces seized Tripoli on Monday, a spokesman claimed.\n",
        encoding="utf-8",
    )
    out = tmp_path / "maps"
    assert build([article], out, progress=False).ok
    watched = opener(browser, (out / "contradicts.html").as_uri())
    page = watched.page
    assert page.locator(".geo-claim-disagrees").count() == 1
    popup = _open_claim(page, "capture")
    assert "disagrees with the theatre data" in popup.inner_text()
    page.close()


def test_claims_layer_unticks(browser, built_maps, opener):
    watched = opener(browser, (built_maps / "libya-2019-12.html").as_uri())
    page = watched.page
    box = page.locator(".leaflet-control-layers label", has_text="Claims").locator("input")
    box.uncheck()
    assert page.locator(".geo-claim").count() == 0
    box.check()
    assert page.locator(".geo-claim").count() == 5
    page.close()
