"""Hostile text in a map: every payload shows as text and none of it runs.

Payloads go into every article-derived field a map shows: title, source, URL, place names,
kinds, countries, mentions, sentences and runner-up candidates. The page is opened with the
network blocked, every popup is opened, the search list is filled, and the test checks that
no payload set ``window.__xss`` or opened a dialog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

RUN = "window.__xss=(window.__xss||0)+1"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f"<svg onload={RUN}>",
    f'"><script>{RUN}</script>',
    f"'><img src=x onerror={RUN}>",
    f"</script><script>{RUN}</script>",
    f"</textarea><script>{RUN}</script>",
    f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
    f"javascript:{RUN}",
    f"${{{RUN}}}",
    f"`+({RUN})+`",
    "{{ 7*7 }}{% for x in [1] %}jinja{% endfor %}",
    f"<details open ontoggle={RUN}>",
    f"<body onload={RUN}>",
    f'<a href="javascript:{RUN}">link</a>',
    f"\u2028{RUN}\u2029",
    "<!--",
    "<![CDATA[",
    f'"; {RUN}; "',
    f"'; {RUN}; '",
    f"</style><script>{RUN}</script>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f"<input autofocus onfocus={RUN}>",
    f'<video><source onerror="{RUN}"></video>',
    f'<object data="javascript:{RUN}"></object>',
    f'<div style="width:expression({RUN})">',
    f'<base href="javascript:{RUN}//">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f'\\"}};{RUN};//',
    f"<scr<script>ipt>{RUN}</script>",
    f"<style>@import 'javascript:{RUN}';</style>",
    f'<form><button formaction="javascript:{RUN}">x</button></form>',
]


def _rows(payloads: list[str]) -> list[dict]:
    rows = []
    for i, p in enumerate(payloads):
        sentence = f"Fighting near {p} continued while {p} was reported."
        at = sentence.index(p)
        rows.append(
            {
                "mention": p,
                "start": None,
                "end": None,
                "sentence": sentence,
                "name": p,
                "lat": 20.0 + (i % 8) * 1.5,
                "lon": 5.0 + (i // 8) * 2.5,
                "country": p[:12],
                "kind": p if i % 2 else "city",
                "id": f"x:{i}:{p}",
                "score": 0.2 if i % 3 == 0 else 0.9,
                "alternatives": [{"name": p, "id": p, "lat": 1.0, "lon": 2.0, "score": 0.1}],
                "demonym": False,
                "control": p if i % 4 == 0 else None,
                "backers": [p],
                "routes": [p],
                "_at": at,
            }
        )
    return rows


@pytest.fixture(scope="module")
def hostile_page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from geo.render.article_map import MapInputs, build_map, render_page
    from geo.render.assets import copy_assets

    out = tmp_path_factory.mktemp("xss")
    inputs = MapInputs(
        title=" ".join(PAYLOADS[:6]),
        date="2019-12-22",
        source=PAYLOADS[7],
        url=f"javascript:{RUN}",
        slug="hostile",
        text=None,
        body_start=0,
        rows=_rows(PAYLOADS),
    )
    page, assets = render_page(build_map(inputs, index_href="index.html"), "hostile")
    copy_assets(assets, out)
    (out / "hostile.html").write_text(page, encoding="utf-8")
    return out / "hostile.html"


def _assert_clean(page: object, dialogs: list[str]) -> None:
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None, "a payload ran"
    assert dialogs == []


def test_no_payload_runs_in_a_map(browser, opener, hostile_page_file):
    watched = opener(browser, hostile_page_file.as_uri())
    page = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert [e for e in watched.errors if "pageerror" in e] == []
    # The title shows as text, exactly.
    assert page.locator("#geo-header h1").inner_text() == " ".join(PAYLOADS[:6])
    assert page.locator("#geo-header a", has_text="original").count() == 0  # javascript: URL
    # Open every popup and tooltip in turn.
    opened = page.evaluate(
        """async () => {
            let n = 0;
            const layers = [];
            GEO.layers.places.eachLayer(g => g.eachLayer ? g.eachLayer(l => layers.push(l))
                                                         : layers.push(g));
            for (const l of layers) {
                if (l.openPopup) { l.openPopup(); n++; }
                if (l.openTooltip) { l.openTooltip(); }
                await new Promise(r => setTimeout(r, 20));
            }
            return n;
        }"""
    )
    assert opened >= len(PAYLOADS)
    text = " ".join(page.locator(".leaflet-popup-content").all_inner_texts())
    assert "Fighting near" in text and "<script>" in text
    # The search list shows names as text.
    page.locator(".leaflet-control-search .search-button").click()
    page.locator(".leaflet-control-search input").press_sequentially("<s", delay=50)
    page.locator(".leaflet-control-search .search-tip").first.wait_for()
    tips = page.locator(".leaflet-control-search .search-tip").all_inner_texts()
    assert any(t.startswith("<") for t in tips)
    _assert_clean(page, dialogs)
    page.close()


def test_no_payload_runs_in_a_built_map_or_the_index(browser, opener, tmp_path):
    from geo.render.build import build

    article = tmp_path / "hostile.md"
    body = "\n".join(f"Fighting reached Tripoli after {p} was said." for p in PAYLOADS)
    article.write_text(
        "---\n"
        f"title: {PAYLOADS[1]!r}\n"
        "date: 2019-12-22\n"
        f"source: {PAYLOADS[0]!r}\n"
        f"url: {'javascript:' + RUN!r}\n"
        "---\n" + body + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "maps"
    report = build([article], out, progress=False)
    assert report.ok, report.failed
    watched = opener(browser, (out / "hostile.html").as_uri())
    page = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert page.locator("#geo-header h1").inner_text() == PAYLOADS[1]
    page.evaluate(
        """() => GEO.layers.places.eachLayer(g => g.eachLayer && g.eachLayer(
            l => l.feature && l.feature.properties.name === 'Tripoli' && l.openPopup()))"""
    )
    page.wait_for_timeout(200)
    assert "Fighting reached" in page.locator(".leaflet-popup-content").last.inner_text()
    _assert_clean(page, dialogs)
    page.goto((out / "index.html").as_uri())
    assert PAYLOADS[1] in page.locator("table").inner_text()
    _assert_clean(page, dialogs)
    page.close()


class _HostileTheatre:
    """Theatre layers whose every text field (names, notes, towns, figures) is a payload,
    drawn through the same shared-asset path as real theatres."""

    theatres: list = []

    def palette_order(self):
        return [PAYLOADS[0]]

    def held_by_date(self, found):
        return {}

    def dates(self):
        return ["2019-12-01", "2019-12-22"]

    def add_to(self, m, found, palette):
        import geopandas as gpd
        from shapely.geometry import LineString, Point, Polygon

        from geo.render import control, events, maritime, routes, support
        from geo.render.elements import FeatureLayer
        from geo.render.legend import Entry
        from geo.render.theatre_layers import SharedScript, shared_asset

        p = PAYLOADS
        square = Polygon([(12, 30), (14, 30), (14, 32), (12, 32)])
        zones = gpd.GeoDataFrame(
            {"actor": [p[0]], "actor_name": [p[1]], "status": [p[2]], "colour": [p[3]],
             "towns": [[p[4], p[5]]], "area_km2": [1.0], "as_of": [p[6]]},
            geometry=[square], crs=4326,
        )  # fmt: skip
        fronts = gpd.GeoDataFrame(
            {"side_a": [p[7]], "side_b": [p[8]], "km": [3.0], "as_of": [p[9]]},
            geometry=[LineString([(12, 30), (14, 32)])], crs=4326,
        )  # fmt: skip
        links = [support.Support(p[12], p[13], p[14], p[15], (30.0, 35.0), (13.0, 31.0), p[16],
                                 p[17], p[18], p[19], p[20])]  # fmt: skip
        legs = gpd.GeoDataFrame(
            {"route": [p[21]], "route_name": [p[22]], "kind": [p[23]], "leg": [1],
             "from_place": [p[24]], "to_place": [p[25]], "mode": ["land"], "over": ["land"],
             "control": [None], "as_of": [p[26]], "km": [5.0]},
            geometry=[LineString([(12, 29), (15, 29)])], crs=4326,
        )  # fmt: skip
        whole = gpd.GeoDataFrame(
            {"route": [p[21]], "km": [9.0], "figures": [p[27]]},
            geometry=[LineString([(12, 29), (15, 29)])],
            crs=4326,
        )
        sea = gpd.GeoDataFrame(
            {"id": [p[28]], "name": [p[29]], "kind": [p[30]], "valid_from": [p[31]],
             "valid_to": [None], "certainty": [p[0]], "source": [p[1]], "note": [p[2]],
             "km": [None], "area_km2": [4.0]},
            geometry=[Polygon([(15, 33), (17, 33), (17, 34), (15, 34)])], crs=4326,
        )  # fmt: skip
        evs = gpd.GeoDataFrame(
            {"id": [p[3]], "date": ["2019-12-01"], "end": [p[4]], "title": [p[5]], "kind": [p[6]],
             "actors": [[p[7]]], "certainty": [p[8]], "source": [[p[9]]], "note": [p[10]]},
            geometry=[Point(13, 31)], crs=4326,
        )  # fmt: skip
        layers = {
            "zones": control.zone_features(zones, {p[4]: p[11]}),
            "frontline": control.front_features(fronts),
            "support": support.support_features(links),
            "routes": routes.leg_features(legs, whole, {}),
            "maritime": maritime.maritime_features(sea),
            "events": events.event_features(evs),
        }
        m.add_child(SharedScript(shared_asset(p[10], layers)))
        drawn = []
        for key in layers:
            layer = FeatureLayer([], name=p[11] + key, key=key, shared=(p[10], key))
            m.add_child(layer)
            drawn.append(layer)
        sections = {
            "Ground control": [Entry("area", p[3], p[1])],
            "Foreign support": support.support_legend(links),
            "Maritime zones": maritime.maritime_legend(sea),
        }
        return {p[12]: drawn}, sections


def test_no_payload_runs_from_theatre_data(browser, opener, tmp_path):
    from geo.render.article_map import MapInputs, build_map, render_page
    from geo.render.assets import copy_assets

    inputs = MapInputs(
        title="theatre payloads", date="2019-12-22", source=None, url=None, slug="t",
        text=None, body_start=0, rows=_rows(PAYLOADS[:3]), theatre=_HostileTheatre(),
    )  # fmt: skip
    page_html, assets = render_page(build_map(inputs), "theatre")
    copy_assets(assets, tmp_path)
    (tmp_path / "t.html").write_text(page_html, encoding="utf-8")
    watched = opener(browser, (tmp_path / "t.html").as_uri())
    page = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert [e for e in watched.errors if "pageerror" in e] == []
    opened = page.evaluate(
        """async () => {
            let n = 0;
            const walk = async (l) => {
                if (l.getPopup && l.getPopup()) {
                    l.openPopup(l.getBounds ? l.getBounds().getCenter() : undefined);
                    n++;
                    await new Promise(r => setTimeout(r, 20));
                } else if (l.eachLayer) {
                    const kids = []; l.eachLayer(k => kids.push(k));
                    for (const k of kids) { await walk(k); }
                }
            };
            for (const key of Object.keys(GEO.layers)) { await walk(GEO.layers[key]); }
            return n;
        }"""
    )
    assert opened >= 7
    legend = page.locator("#geo-legend").inner_text()
    assert PAYLOADS[1] in legend  # actor name shows as text
    _assert_clean(page, dialogs)
    page.close()
