"""The claims layer as a reader meets it: markers beside the places, a popup per claim with
the sentence (event words and place marked), the date and the theatre check, nothing run."""

from __future__ import annotations

import pytest

VIEWPORTS = [(1600, 1000), (390, 844)]


def _claim_point(page: object, kind: str) -> list[float]:
    """Bring the first claim of ``kind`` to a free spot low on the left (clear of the header,
    the layer control and the collapsed legend), and return where its badge is on the page."""
    return page.evaluate(
        """(kind) => {
            let found = null;
            GEO.layers.claims.eachLayer(function walk(l) {
                const c = l.feature && l.feature.properties._class;
                if (c && c.split(' ').includes('geo-claim-' + kind)) { found = found || l; }
                else if (l.eachLayer) { l.eachLayer(walk); }
            });
            const map = found._map;
            map.setView(found.getLatLng(), Math.max(map.getZoom(), 6), {animate: false});
            const size = map.getSize();
            const at = map.latLngToContainerPoint(found.getLatLng());
            map.panBy([at.x - size.x * 0.3, at.y - size.y * 0.62], {animate: false});
            const r = found._icon.getBoundingClientRect();  // the badge, beside its place
            return [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
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


def test_a_claim_the_theatre_data_contradicts_is_marked(browser, opener, contradicting_maps):
    out = contradicting_maps
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


ICON_JS = """() => Array.from(document.querySelectorAll('.geo-claim')).map(el => {
    const i = el.querySelector('i');
    const box = el.getBoundingClientRect();
    const glyph = getComputedStyle(i, '::before');
    return {
        cls: el.getAttribute('class'), icon: i.getAttribute('class'),
        font: glyph.fontFamily, content: glyph.content, w: box.width, h: box.height,
        iw: i.getBoundingClientRect().width,
        bg: getComputedStyle(el.querySelector('.geo-icon-badge')).backgroundColor,
        round: getComputedStyle(el.querySelector('.geo-icon-badge')).borderRadius,
    };
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_each_claim_shows_its_kinds_icon_from_the_offline_font(
    browser, built_maps, opener, artifact, viewport
):
    watched = opener(browser, (built_maps / "libya-2019-12.html").as_uri(), viewport)
    page = watched.page
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('900 12px \"Font Awesome 7 Free\"')")
    badges = page.evaluate(ICON_JS)
    assert len(badges) == 5
    kinds, colour = {}, {}
    for b in badges:
        kind = next(c for c in b["cls"].split() if c.startswith("geo-claim-") and "-n" not in c)
        kinds[kind], colour[kind] = b["icon"], b["bg"]
        assert "Font Awesome" in b["font"], b
        assert b["content"] not in ("none", "normal", '""'), b  # a glyph is drawn
        assert b["iw"] > 5 and b["w"] >= 20 and b["h"] >= 20, b
        assert b["round"] == "50%", b  # round badges, unlike the events' squares
    # One icon per kind: the seed's four kinds have four different icons.
    assert set(kinds) == {
        "geo-claim-advance",
        "geo-claim-clash",
        "geo-claim-interception",
        "geo-claim-deployment",
    }
    assert len(set(kinds.values())) == 4
    # Coloured by actor: the LNA's claims share one colour, unlike the claim with no theatre
    # actor (the clash names none).
    assert colour["geo-claim-interception"] != colour["geo-claim-clash"]
    # Place markers are plain SVG circles (no icon), events white or yellow squares with a dark
    # icon: a claim (a round badge with a white icon on a colour) looks like neither.
    others = page.evaluate(
        """() => ({
            places: Array.from(document.querySelectorAll('.leaflet-places-pane .geo-place'))
                .map(e => [e.tagName.toLowerCase(), e.querySelectorAll('i').length]),
            events: Array.from(document.querySelectorAll('.geo-event-icon')).map(e => {
                const s = getComputedStyle(e); return [s.borderRadius, s.backgroundColor]; }),
        })"""
    )
    assert others["places"] and all(tag == "path" and n == 0 for tag, n in others["places"])
    assert others["events"], "the seed map draws the theatre's events"
    for radius, background in others["events"]:
        assert radius != "50%" and background not in {b["bg"] for b in badges}
    # The legend says what is drawn: one row per kind with its icon, the actors' colours.
    if not page.locator(".geo-legend details[open]").count():
        page.click(".geo-legend summary")  # folded on phones
    legend = page.locator(".geo-legend").inner_text()
    for kind in ("advance", "clash", "interception", "deployment"):
        assert f"claim: {kind}" in legend, legend
    assert page.locator(".geo-legend .geo-legend-claim i.fa-flag, .geo-legend-claim i").count() >= 4
    assert "claim by" in legend
    page.wait_for_timeout(200)
    page.screenshot(path=str(artifact(f"claims-icons-{viewport[0]}.png")))
    assert watched.blocked == [] and watched.errors == []
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_the_story_panel_lists_a_sentences_claims_and_opens_one(
    browser, built_maps, opener, viewport
):
    watched = opener(browser, (built_maps / "libya-2019-12.html").as_uri(), viewport)
    page = watched.page
    page.click(".geo-story-toggle")
    sentence = page.locator(".geo-story-item").filter(has_text="boarded a Turkish cargo ship")
    claim = sentence.locator(".geo-story-claim")
    assert claim.count() == 1
    assert "interception" in claim.inner_text() and "off Libya" in claim.inner_text()
    assert claim.locator("i.fa-solid").count() == 1
    assert page.locator(".geo-story-claim").count() == 5
    claim.click()
    popup = page.locator(".leaflet-popup-content .geo-claim-popup")
    popup.wait_for(timeout=5000)
    text = popup.inner_text()
    assert "interception" in text and "boarded a Turkish cargo ship" in text
    # The map flew to the claim: its marker is on screen.
    inside = page.evaluate(
        """() => { let hit = null;
            GEO.layers.claims.eachLayer(function walk(l) {
                if (l.isPopupOpen && l.isPopupOpen()) { hit = l; }
                else if (l.eachLayer) { l.eachLayer(walk); } });
            return hit && GEO.map.getBounds().contains(hit.getLatLng()); }"""
    )
    assert inside
    # The reader sees the popup: nothing (the story sheet on phones) lies over its middle.
    covered = page.evaluate(
        """() => { const el = document.querySelector('.leaflet-popup-content');
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit && !el.contains(hit) ? hit.className : null; }"""
    )
    assert covered is None, covered
    # From the keyboard too: Enter on a claim of the list opens its popup.
    page.evaluate("GEO.map.closePopup()")
    page.locator(".geo-story-claim").filter(has_text="advance").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('.leaflet-popup-content .geo-claim-popup')", timeout=5000
    )
    assert "advance" in page.locator(".leaflet-popup-content .geo-claim-popup").inner_text()
    assert watched.blocked == [] and watched.errors == []
    page.close()


BESIDE_JS = """() => {
    const map = GEO.map, box = map.getContainer().getBoundingClientRect(), out = [];
    const labels = Array.from(document.querySelectorAll('.geo-label'))
        .filter(el => el.style.display !== 'none' && el.firstChild)
        .map(el => el.firstChild.getBoundingClientRect()).filter(r => r.width > 0);
    GEO.layers.claims.eachLayer(function walk(l) {
        if (!l._icon) { if (l.eachLayer) l.eachLayer(walk); return; }
        const at = map.latLngToContainerPoint(l.getLatLng());
        const r = l._icon.getBoundingClientRect();
        const dx = (r.left + r.right) / 2 - box.left - at.x;
        const dy = (r.top + r.bottom) / 2 - box.top - at.y;
        const onLabel = labels.some(q => r.left < q.right - 1 && q.left < r.right - 1 &&
                                         r.top < q.bottom - 1 && q.top < r.bottom - 1);
        out.push({d: Math.hypot(dx, dy), onLabel: onLabel});
    });
    return out;
}"""

SPREAD_ARTICLE = """---
title: Rebels take a lakeside city
date: 2025-01-27
---
Rebels captured Goma on Monday after clashes in Sake, residents said. Thousands fled from Goma
into Gisenyi. In Kinshasa, protesters attacked several embassies the next day.
"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_claim_badges_stand_beside_their_places_at_every_zoom(browser, opener, tmp_path, viewport):
    """A badge is a fixed number of pixels from its place's marker, clear of the place's
    label, whether the view shows the lake's towns or the whole country down to Kinshasa."""
    from geo.render.build import build

    (tmp_path / "spread.md").write_text(SPREAD_ARTICLE, encoding="utf-8")
    assert build([tmp_path / "spread.md"], tmp_path / "maps", progress=False).ok
    watched = opener(browser, (tmp_path / "maps" / "spread.html").as_uri(), viewport)
    page = watched.page
    for zoom_out in (0, 3):
        if zoom_out:
            page.evaluate(f"GEO.map.setZoom(GEO.map.getZoom() - {zoom_out}, {{animate: false}})")
            page.wait_for_timeout(200)
        badges = page.evaluate(BESIDE_JS)
        assert len(badges) >= 3, badges
        assert all(20 <= b["d"] <= 60 for b in badges), (zoom_out, badges)
        assert not any(b["onLabel"] for b in badges), (zoom_out, badges)
    assert watched.errors == [] and watched.blocked == []
    page.close()
