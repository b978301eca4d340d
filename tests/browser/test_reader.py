"""What a reader sees on the seed and two other articles (Syria, a sea rescue), desktop and phone.

One page load per article and screen size; each load checks many things: the first view shows
the article's focus places, at least five labels that do not overlap, controls leave most of the
map free, clicking each kind of theatre feature opens that feature's own popup, and nothing
logs an error. The Syria map must open with no Libyan layer; the time bar's play must step
dates and recolour places.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLES = ["libya-2019-12", "syria-2019-12-idlib", "med-2019-10-rescue"]
SIZES = {"desktop": (1600, 1000), "phone": (390, 844), "tablet": (768, 1024)}
MIN_FOCUS = {"desktop": 0.8, "phone": 0.6, "tablet": 0.6}
MIN_FREE = {"desktop": 0.8, "phone": 0.65, "tablet": 0.65}
MIN_FILL = 0.3  # the focus spans at least this share of the free view's width or height


@pytest.fixture(scope="module")
def reader_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geo.render.build import build

    out = tmp_path_factory.mktemp("reader")
    report = build([SEEDS / f"{a}.md" for a in ARTICLES], out, progress=False)
    assert report.ok, report.failed
    return out


FOCUS_JS = """() => {
    const map = GEO.map, box = map.getContainer().getBoundingClientRect();
    const ids = new Set(GEO.focus), seen = [], inside = [];
    GEO.layers.places.eachLayer(g => g.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (!p || !ids.has(p.id) || !l.getLatLng) return;
        seen.push(p.id);
        const pt = map.latLngToContainerPoint(l.getLatLng());
        if (pt.x >= 0 && pt.y >= 0 && pt.x <= box.width && pt.y <= box.height) inside.push(p.id);
    }));
    // How much of the view left free by the controls the focus spans (a small cluster lost
    // in the middle of a wide view is not a first view of the story).
    const pad = GEO.controls.frame.padding, xs = [], ys = [];
    inside.forEach(id => GEO.layers.places.eachLayer(g => g.eachLayer(l => {
        if (l.feature && l.feature.properties.id === id && l.getLatLng) {
            const pt = map.latLngToContainerPoint(l.getLatLng()); xs.push(pt.x); ys.push(pt.y);
        }
    })));
    const fw = box.width - pad.left - pad.right, fh = box.height - pad.top - pad.bottom;
    const fill = xs.length ? Math.max((Math.max(...xs) - Math.min(...xs)) / fw,
                                      (Math.max(...ys) - Math.min(...ys)) / fh) : 0;
    return {focus: GEO.focus.length, seen: seen.length, inside: inside.length, fill: fill};
}"""

LABELS_JS = """() => {
    const rects = [];
    document.querySelectorAll('.geo-label').forEach(el => {
        if (el.style.display === 'none') return;
        const r = el.firstChild.getBoundingClientRect();
        if (r.width < 8 || r.right < 0 || r.bottom < 0) return;
        if (r.left > innerWidth || r.top > innerHeight) return;
        const style = getComputedStyle(el.firstChild);
        if (parseFloat(style.fontSize) < 10) return;
        rects.push([r.left, r.top, r.right, r.bottom, el.textContent]);
    });
    let overlaps = 0;
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i], b = rects[j];
        if (a[0] < b[2] - 1 && b[0] < a[2] - 1 && a[1] < b[3] - 1 && b[1] < a[3] - 1) overlaps++;
    }
    const pairs = [];
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i], b = rects[j];
        if (a[0] < b[2] - 1 && b[0] < a[2] - 1 && a[1] < b[3] - 1 && b[1] < a[3] - 1)
            pairs.push([a, b]);
    }
    return {count: rects.length, overlaps: overlaps, pairs: pairs};
}"""

# The share of the map's pixels (sampled on a grid) not covered by any control or header.
FREE_JS = """() => {
    const box = GEO.map.getContainer().getBoundingClientRect();
    let free = 0, n = 0;
    for (let x = 4; x < box.width; x += 12) for (let y = 4; y < box.height; y += 12) {
        n++;
        const el = document.elementFromPoint(box.left + x, box.top + y);
        if (el && !el.closest('.leaflet-control, .geo-header')) free++;
    }
    return free / n;
}"""

# Click each sampled feature of a theatre layer where it is drawn and report whose popup opened.
# A feature is clicked at the first point where it is the topmost element; when it is covered
# everywhere by a feature of a higher pane (a place, an event, a line) that is right and it is
# skipped; covered by anything else (a country, a bigger area) counts as a swallowed click.
CLICK_JS = """async ([key, sample]) => {
    const map = GEO.map, group = GEO.layers[key];
    if (!group || !map.hasLayer(group)) return {tried: 0, ok: 0, wrong: []};
    map._fadeAnimated = false;  // a closing popup would linger 200 ms over the next click
    const leaves = [];
    // Features that take clicks (the hatch over low-certainty ground leaves them to its zone).
    const walk = l => { if (l.feature && (l.getLatLng || l.getLatLngs)) {
                            if (l.options.interactive !== false) leaves.push(l); }
                        else if (l.eachLayer) l.eachLayer(walk); };
    walk(group);
    const step = Math.max(1, Math.floor(leaves.length / sample));
    const picked = leaves.filter((l, i) => i % step === 0).slice(0, sample);
    const higher = ['places', 'events', 'claims', 'lines', 'labels'];
    const box = map.getContainer().getBoundingClientRect();
    // Two frames and 20 ms: the map has drawn what the last move or click changed, however
    // busy the machine (a fixed 20 ms alone could end before a loaded machine's next frame).
    const settle = () => new Promise(r => requestAnimationFrame(() =>
        requestAnimationFrame(() => setTimeout(r, 20))));
    let tried = 0, ok = 0; const wrong = [];
    for (const l of picked) {
        map.closePopup();
        map.stop();  // a popup's auto-pan may still be moving the map
        if (l.getLatLng) map.setView(l.getLatLng(), Math.max(map.getZoom(), 7), {animate: false});
        else map.fitBounds(l.getBounds(), {animate: false, padding: [80, 80]});
        await settle();
        const own = el => el && (el === l._path || (l._icon && l._icon.contains(el)));
        const candidates = [];
        if (l._icon) {
            const r = l._icon.getBoundingClientRect();
            candidates.push([(r.left + r.right) / 2, (r.top + r.bottom) / 2]);
        } else if (l instanceof L.Polygon) {
            const b = l.getBounds();
            for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) {
                const ll = L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * i / 8,
                                    b.getWest() + (b.getEast() - b.getWest()) * j / 8);
                if (l._containsPoint(map.latLngToLayerPoint(ll))) {
                    const p = map.latLngToContainerPoint(ll);
                    candidates.push([box.left + p.x, box.top + p.y]);
                }
            }
        } else {
            // Points along the line as drawn (after Leaflet's simplification), where a reader
            // would click it: from its middle outwards.
            const path = l._path, len = path ? path.getTotalLength() : 0;
            const ctm = path ? path.getScreenCTM() : null;
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
                if (!ctm) break;
                const q = path.getPointAtLength(len * t);
                candidates.push([ctm.a * q.x + ctm.c * q.y + ctm.e,
                                 ctm.b * q.x + ctm.d * q.y + ctm.f]);
            }
        }
        const inView = candidates.filter(([x, y]) => x > box.left && y > box.top &&
            x < box.right && y < box.bottom);
        let hit = null, first = null;
        for (const [x, y] of inView) {
            const el = document.elementFromPoint(x, y);
            if (!first) first = el;
            if (own(el)) { hit = [x, y, el]; break; }
        }
        if (!hit) {
            const pane = first && first.closest('.leaflet-pane');
            const name = pane ? pane.className : '';
            if (!first || first.closest('.leaflet-control, .geo-header') ||
                higher.some(h => name.includes('leaflet-' + h + '-pane'))) continue;
            tried++; wrong.push('swallowed by ' + (first.getAttribute('class') || first.tagName));
            continue;
        }
        tried++;
        hit[2].dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: hit[0],
                                                       clientY: hit[1]}));
        await settle();
        const open = document.querySelectorAll('.leaflet-popup-content');  // closing ones fade
        const popup = open.length ? open[open.length - 1].cloneNode(true) : null;
        if (popup) popup.querySelectorAll('.geo-asof').forEach(e => { e.textContent = ''; });
        const want = document.createElement('div');
        want.innerHTML = l.feature.properties._popup || '';
        if (popup && want.innerHTML && popup.innerHTML === want.innerHTML) ok++;
        else wrong.push(popup ? popup.textContent.slice(0, 60) : 'no popup');
    }
    map.closePopup();
    return {tried: tried, ok: ok, wrong: wrong};
}"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("article", ARTICLES)
def test_reader_first_view(browser, reader_maps, opener, artifact, article, size):
    watched = opener(browser, (reader_maps / f"{article}.html").as_uri(), SIZES[size])
    page = watched.page
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifact(f"reader-{article}-{size}.png")))

    focus = page.evaluate(FOCUS_JS)
    assert focus["focus"] >= 2, focus
    assert focus["inside"] >= MIN_FOCUS[size] * focus["focus"], focus
    assert focus["fill"] >= MIN_FILL, focus

    labels = page.evaluate(LABELS_JS)
    assert labels["count"] >= 5, labels
    assert labels["overlaps"] == 0, labels

    free = page.evaluate(FREE_JS)
    assert free >= MIN_FREE[size], free

    ticked = page.evaluate(
        """() => Array.from(document.querySelectorAll('.leaflet-control-layers-overlays input'))
             .filter(i => i.checked).map(i => i.parentElement.textContent.trim())"""
    )
    layer_keys = page.evaluate("Object.keys(GEO.layers)")
    if article.startswith("syria"):
        # Libya's layers may be offered (Syrian fighters were flown there) but none is ticked,
        # and Libya's dates do not drive the time bar.
        assert not any("Libya" in t for t in ticked), ticked
        libya = [k for k in layer_keys if k.endswith("-libya")]
        assert not any(page.evaluate(f"GEO.map.hasLayer(GEO.layers['{k}'])") for k in libya)
        assert "Control zones (Syria" in " ".join(ticked), ticked
    if article.startswith("med"):
        assert "Foreign support" not in ticked, ticked  # no backer arrows on a rescue story
        assert "Migration routes" in ticked and "Maritime zones" in ticked, ticked
        text = page.locator("output.geo-time-output").inner_text()
        got = re.fullmatch(
            r"Ground control: latest data before the article: (\S+), (\d+) days? earlier", text
        )
        assert got, text
        gap = dt.date(2019, 10, 5) - dt.date.fromisoformat(got[1])
        assert gap.days == int(got[2]) > 0, text

    if size == "desktop":
        for key in ("zones", "frontline", "events", "routes", "maritime", "support"):
            if key not in layer_keys:
                continue
            got = page.evaluate(CLICK_JS, [key, 8])
            if got["tried"]:
                assert got["ok"] >= 0.9 * got["tried"], (key, got)

    assert watched.errors == [], watched.errors
    assert watched.blocked == [], watched.blocked
    page.close()


def test_play_steps_dates_and_recolours_places(browser, reader_maps, opener):
    watched = opener(browser, (reader_maps / "med-2019-10-rescue.html").as_uri(), SIZES["desktop"])
    page = watched.page
    colours = """() => { const out = {};
        GEO.layers.places.eachLayer(g => g.eachLayer(l => {
            const p = l.feature.properties; if (p._held) out[p.id] = l.options.fillColor; }));
        return out; }"""
    page.evaluate("GEO.time.show(0)")
    first = page.evaluate(colours)
    assert first, "places carry their holder by date"
    page.evaluate("GEO.time.show(0); GEO.time.play()")
    page.wait_for_function(
        "GEO.time.index === GEO.time.dates.length - 1", timeout=GEO_PLAY_TIMEOUT_MS
    )
    last = page.evaluate(colours)
    label = page.locator("output.geo-time-output").inner_text()
    assert label.startswith("Ground control on 2020-"), label
    assert first != last, (first, last)  # Sabratha changes hands in the spring of 2020

    # The story panel: a sentence flies to its place and opens that place's popup.
    page.click(".geo-story-toggle")
    item = page.locator(".geo-story-item").filter(has_text="Lampedusa").first
    item.click()
    page.wait_for_function("document.querySelector('.leaflet-popup-content')", timeout=5000)
    assert (
        page.locator(".leaflet-popup-content .geo-popup-title")
        .first.inner_text()
        .startswith("Lampedusa")
    )
    # An event from the list opens its popup; its source codes open the source list.
    page.evaluate("GEO.map.closePopup()")
    page.locator(".geo-story-events .geo-story-item").first.click()
    page.wait_for_function("document.querySelector('.leaflet-popup-content .geo-src')")
    code = page.locator(".leaflet-popup-content .geo-src").first.inner_text()
    page.locator(".leaflet-popup-content .geo-src").first.click()
    entry = page.locator("#geo-sources li.geo-src-on")
    assert entry.count() == 1 and entry.inner_text().startswith(code)
    assert entry.locator("a").first.get_attribute("href").startswith("http")
    assert watched.errors == []
    page.close()


LEGEND_ROWS_JS = """() => Array.from(document.querySelectorAll('#geo-legend .geo-item'))
    .filter(e => e.offsetParent).map(e => e.textContent)"""


def test_legend_lists_only_what_is_drawn_and_follows_the_layer_control(
    browser, reader_maps, opener
):
    watched = opener(browser, (reader_maps / "syria-2019-12-idlib.html").as_uri(), (1600, 1000))
    page = watched.page
    rows = page.evaluate(LEGEND_ROWS_JS)
    assert any("Hayat Tahrir al-Sham" in r for r in rows), rows
    assert not any("Government of National Accord" in r for r in rows), rows  # Libya unticked
    assert not any("sea named" in r for r in rows), rows  # the article names no sea
    page.locator(
        ".leaflet-control-layers-overlays label", has_text="Control zones (Libya)"
    ).locator("input").check()
    rows = page.evaluate(LEGEND_ROWS_JS)
    assert any("Government of National Accord" in r for r in rows), rows
    page.locator(".leaflet-control-layers-overlays label", has_text="Events (Syria)").locator(
        "input"
    ).uncheck()
    rows = page.evaluate(LEGEND_ROWS_JS)
    assert not any(r.startswith("event") for r in rows), rows
    headings = page.evaluate(
        """() => Array.from(document.querySelectorAll('#geo-legend h2'))
            .filter(e => e.offsetParent).map(e => e.textContent)"""
    )
    assert "Events" not in headings, headings
    assert watched.errors == []
    page.close()


def _search(page: object, text: str, pick: str) -> str:
    page.evaluate("GEO.map.closePopup()")
    page.locator(".leaflet-control-search .search-button").click()
    box = page.locator(".leaflet-control-search input")
    box.fill("")
    box.press_sequentially(text, delay=30)
    tip = page.locator(".leaflet-control-search .search-tip", has_text=pick).first
    tip.wait_for()
    tip.click()
    popup = page.locator(".leaflet-popup-content").last
    popup.wait_for()
    return popup.inner_text()


@pytest.mark.parametrize(
    "article, typed, pick, opens",
    [
        # a GeoNames alternate name the article does not use opens the article's place
        ("med-2019-10-rescue", "Sabratah", "Sabratah", "Sabratha (Şabrātah)"),
        # a word of the article
        ("syria-2019-12-idlib", "Maarat", "Maarat al-Numan", "Maarat al-Numan"),
        # theatre towns the article does not name
        ("med-2019-10-rescue", "Sirte", "Sirte", "not named in the article"),
        ("syria-2019-12-idlib", "Afrin", "Afrin", "Syria theatre, not named in the article"),
    ],
)
def test_search_finds_mentions_alternate_names_and_theatre_towns(
    browser, reader_maps, opener, article, typed, pick, opens
):
    watched = opener(browser, (reader_maps / f"{article}.html").as_uri(), SIZES["desktop"])
    # the search index is data, never drawn (Leaflet's default blue would show it)
    assert (
        watched.page.evaluate("document.querySelectorAll('path[stroke=\"#3388ff\"]').length") == 0
    )
    text = _search(watched.page, typed, pick)
    assert opens in text, text
    assert watched.errors == []
    watched.page.close()


GEO_PLAY_TIMEOUT_MS = 20000  # play lasts at most 8 s plus the page's own work


ONE_DATE_ARTICLE = """---
title: "Fighting reaches Omdurman"
date: 2024-04-20
source: Test desk
slug: one-date
---
The army and the Rapid Support Forces fought in Omdurman this week. The RSF still holds Nyala.
"""


def test_a_theatre_with_one_date_shows_that_date_not_a_slider(browser, opener, tmp_path):
    import csv
    import os
    import subprocess
    import sys

    from geo.theatres.importers import ImportOptions, import_export

    exports = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
    folder = tmp_path / "theatres" / "sudan-one-date"
    import_export(exports / "acled-sudan.csv", ImportOptions(source="acled", name="Sudan"), folder)
    with (folder / "control.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    last = max(r["date"] for r in rows)
    with (folder / "control.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(r for r in rows if r["date"] == last)
    article = tmp_path / "one-date.md"
    article.write_text(ONE_DATE_ARTICLE, encoding="utf-8")
    out = tmp_path / "maps"
    done = subprocess.run(
        [sys.executable, "-m", "geo", "build", str(article), "--out", str(out)],
        env=dict(os.environ, GEO_THEATRES=str(folder.parent)),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    watched = opener(browser, (out / "one-date.html").as_uri(), SIZES["desktop"])
    page = watched.page
    bar = page.locator(".geo-timebar")
    assert bar.locator("input[type=range]").count() == 0  # one date: no slider, no play
    assert bar.locator("button.geo-play").count() == 0
    text = bar.locator("output.geo-time-output").inner_text()
    assert last in text and "before the article" in text, text
    assert watched.errors == []
    page.close()


BRIEFING_ARTICLE = """---
title: The week in conflicts
date: 2024-05-10
---
In Haiti, armed gangs burned a police station in Port-au-Prince on Tuesday. Troops in Burkina
Faso pulled back from Djibo after an ambush. In Sudan, shelling hit El Fasher again. Rebels in
Myanmar said they had taken Lashio's airport. A dinghy from Sfax in Tunisia reached Lampedusa
with 40 people on board. In Mozambique, insurgents raided Macomia.
"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_world_briefing_frames_every_war_and_leaves_far_ground_off(
    browser, opener, tmp_path, size
):
    """Each war named once stays in the first view, however far apart; a theatre reached only
    by a boat's route (Libya, through Sfax and Lampedusa) shows that route, not its 2020
    ground control, and drives no time bar."""
    from geo.render.build import build

    (tmp_path / "briefing.md").write_text(BRIEFING_ARTICLE, encoding="utf-8")
    report = build([tmp_path / "briefing.md"], tmp_path / "maps", progress=False)
    assert report.ok, report.failed
    watched = opener(browser, (tmp_path / "maps" / "briefing.html").as_uri(), SIZES[size])
    page = watched.page
    focus = page.evaluate(FOCUS_JS)
    assert focus["focus"] >= 6 and focus["inside"] == focus["focus"], focus
    seen = page.evaluate(
        """() => { const out = []; GEO.layers.places.eachLayer(g => g.eachLayer(l => {
            if (!l.getLatLng || !l.feature) return;
            const p = GEO.map.latLngToContainerPoint(l.getLatLng());
            const el = document.elementFromPoint(p.x, p.y);
            if (!el || el.closest('.leaflet-control, .geo-header')) return;
            out.push(l.feature.properties.name); })); return out; }"""
    )
    assert "Port-au-Prince" in seen and "Lashio" in seen, seen  # not under a panel
    ticked = page.evaluate(
        """() => Array.from(document.querySelectorAll('.leaflet-control-layers-overlays input'))
             .filter(i => i.checked).map(i => i.parentElement.textContent.trim())"""
    )
    assert "Migration routes" in ticked, ticked
    assert not {"Control zones", "Frontline", "Foreign support"} & set(ticked), ticked
    assert page.locator(".geo-timebar").count() == 0
    assert watched.errors == [] and watched.blocked == []
    page.close()


def test_on_a_phone_an_open_popup_is_never_under_the_corner_buttons(browser, reader_maps, opener):
    """A popup is nearly as wide as a phone: while it is open the corner buttons step aside,
    so every line of it can be read where it is drawn; they come back when it closes."""
    watched = opener(browser, (reader_maps / "libya-2019-12.html").as_uri(), SIZES["phone"])
    page = watched.page
    page.evaluate(
        """() => { let t = null; GEO.layers.places.eachLayer(g => g.eachLayer(l => {
            if (l.feature && l.feature.properties.name === 'Tripoli') t = l; }));
            GEO.map.setView(t.getLatLng(), 8, {animate: false});
            GEO.map.panBy([GEO.map.getSize().x * 0.35, 0], {animate: false});
            t.openPopup(); }"""
    )
    page.wait_for_selector(".leaflet-popup-content")
    page.wait_for_timeout(800)  # the popup's auto-pan (clear of the header) has ended
    covered = page.evaluate(
        """() => { const r = document.querySelector('.leaflet-popup-content')
                       .getBoundingClientRect(), out = [];
            for (let x = r.left + 2; x < r.right; x += 10)
              for (let y = r.top + 2; y < r.bottom; y += 10) {
                const el = document.elementFromPoint(x, y);
                if (el && !el.closest('.leaflet-popup')) out.push(el.className || el.tagName);
              }
            return out; }"""
    )
    assert covered == [], covered[:5]
    page.evaluate("GEO.map.closePopup()")
    assert page.locator(".leaflet-control-zoom").is_visible()
    assert watched.errors == []
    page.close()
