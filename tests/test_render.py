"""Map rendering without a browser: escaping, grouping, popups, determinism, side files."""

from __future__ import annotations

import csv
import io
import json
import re

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from geo.articles import article_from_text
from geo.render import control, header, index_page, places, support, tables
from geo.render.article_map import MapInputs, build_map, render_page
from geo.render.elements import esc, safe_json

TEXT = (
    "---\ntitle: Test\ndate: 2019-12-22\n---\n"
    "Fighting reached Tripoli on Monday. Tripoli's airport closed, and Tripoli waited.\n"
    "Turkey sent drones. Officials in Springfield denied it.\n"
)


def _row(mention: str, name: str, pid: str, lat: float, lon: float, **extra) -> dict:
    start = extra.pop("start", TEXT.index(mention))
    row = {
        "mention": mention,
        "start": start,
        "end": start + len(mention),
        "sentence": "",
        "name": name,
        "lat": lat,
        "lon": lon,
        "country": extra.pop("country", "LY"),
        "kind": extra.pop("kind", "city"),
        "id": pid,
        "score": extra.pop("score", 0.95),
        "alternatives": extra.pop("alternatives", []),
        "demonym": False,
    }
    row.update(extra)
    return row


def _rows() -> list[dict]:
    t1 = TEXT.index("Tripoli")
    t2 = TEXT.index("Tripoli", t1 + 1)
    t3 = TEXT.index("Tripoli", t2 + 1)
    return [
        _row("Tripoli", "Tripoli", "g:1", 32.887, 13.187, start=t1, control="gna",
             backers=[{"id": "turkey", "name": "Turkey"}], routes=["Central Mediterranean"]),
        _row("Tripoli", "Tripoli", "g:1", 32.887, 13.187, start=t2, control="gna"),
        _row("Tripoli", "Tripoli", "g:1", 32.887, 13.187, start=t3, control="gna"),
        _row("Turkey", "Turkey", "ne:TUR", 39.0, 35.0, country="TR", kind="country"),
        _row("Springfield", "Springfield", "g:2", 39.8, -89.6, country="US", score=0.2,
             alternatives=[{"name": "Springfield", "id": "g:3", "lat": 37.2, "lon": -93.3,
                            "score": 0.15, "country": "US"}]),
        _row("Monday", "Nowhere", None, None, None),
    ]  # fmt: skip


ACTORS = {"gna": {"name": "Government of National Accord", "colour": "#2e8b57"}}


def _inputs(rows: list[dict] | None = None, title: str = "Test") -> MapInputs:
    art = article_from_text(TEXT, "t.md")
    return MapInputs(
        title=title,
        date="2019-12-22",
        source="Wire",
        url="https://example.org/a",
        slug="t",
        text=art.text,
        body_start=art.body_start,
        rows=rows if rows is not None else _rows(),
        actors=ACTORS,
    )


def test_safe_json_cannot_end_a_script_or_open_a_template():
    value = {"a": "</script><!-- \u2028 {{ 7*7 }} {% if %} {# x #} & '\""}
    text = safe_json(value)
    assert json.loads(text) == value
    for bad in ("</", "<!--", "\u2028", "{{", "{%", "{#", "&"):
        assert bad not in text


def test_esc_escapes_markup_quotes_and_template_braces():
    assert (
        esc('<b a="1">{{x}}</b>') == "&lt;b a=&quot;1&quot;&gt;&#123;&#123;x&#125;&#125;&lt;/b&gt;"
    )
    assert esc(None) == ""


def test_one_place_per_id_with_mention_count():
    found = places.group_places(_rows())
    assert [p.id for p in found] == ["g:1", "ne:TUR", "g:2"]  # unresolved row skipped
    assert len(found[0].mentions) == 3


def test_every_sentence_is_quoted_with_each_mention_marked():
    art = article_from_text(TEXT, "t.md")
    tripoli = places.group_places(_rows())[0]
    quotes = places.sentence_quotes(tripoli, art.text, art.body_start)
    assert quotes == [
        "Fighting reached <mark>Tripoli</mark> on Monday.",
        "<mark>Tripoli</mark>&#x27;s airport closed, and <mark>Tripoli</mark> waited.",
    ]


def test_popup_names_actor_backers_routes_and_quotes():
    art = article_from_text(TEXT, "t.md")
    tripoli = places.group_places(_rows())[0]
    html = places.popup_html(tripoli, art.text, art.body_start, ACTORS, "2019-12-22")
    assert "GNA" in html and "Government of National Accord" in html
    assert "Backed by Turkey" in html
    assert "Central Mediterranean" in html
    assert html.count("<li>") == 2


def test_low_confidence_markers_differ_and_list_alternatives():
    markers, areas = places.place_features(places.group_places(_rows()), actors=ACTORS)
    by_id = {f["properties"]["id"]: f for f in markers}
    low, sure = by_id["g:2"]["properties"], by_id["g:1"]["properties"]
    assert "geo-low" in low["_class"] and "geo-low" not in sure["_class"]
    assert low["_style"]["dashArray"] and not sure["_style"]["dashArray"]
    assert "Other candidates" in low["_popup"] and "0.15" in low["_popup"]
    assert sure["_style"]["fillColor"] == "#2e8b57"  # coloured by the controlling actor


def test_countries_are_shapes_not_pins():
    markers, areas = places.place_features(places.group_places(_rows()))
    assert [f["properties"]["id"] for f in areas] == ["ne:TUR"]
    assert areas[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert "ne:TUR" not in {f["properties"]["id"] for f in markers}


def test_map_is_deterministic_and_ids_are_counters():
    page1, _ = render_page(build_map(_inputs()))
    page2, _ = render_page(build_map(_inputs()))
    assert page1 == page2
    assert not re.search(r"_[0-9a-f]{32}\b", page1), "no random branca ids"


def test_hostile_title_is_text_in_the_page():
    page, _ = render_page(build_map(_inputs(title="<script>alert(1)</script>{{ 7*7 }}")))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "49" not in re.findall(r"<h1>(.*?)</h1>", page)[0]


def test_header_links_only_http_urls():
    assert header.safe_url("https://example.org/x") == "https://example.org/x"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//evil", 'https://x"onmouseover=1'):
        assert header.safe_url(bad) is None
    assert "javascript" not in header.header_html("t", None, None, "javascript:alert(1)")


def test_review_csv_lists_low_confidence_with_runners_up_and_defuses_formulas():
    rows = _rows()
    rows[4]["name"] = "=HYPERLINK(1)"
    found = places.group_places(rows)
    review = list(csv.DictReader(io.StringIO(tables.review_csv(found))))
    assert [r["rank"] for r in review] == ["0", "1"]
    assert review[0]["name"] == "'=HYPERLINK(1)"
    assert review[1]["candidate_id"] == "g:3"
    assert review[0]["reason"] == ""  # these rows carry no reason from the resolver


def test_review_csv_says_why_each_place_is_listed():
    rows = _rows()
    for r in rows:
        r["review"] = "low-score: 0.31, against 0.29 for Springfield (US)"
    found = places.group_places(rows)
    review = list(csv.DictReader(io.StringIO(tables.review_csv(found))))
    assert review and all(r["reason"].startswith("low-score:") for r in review)
    data = json.loads(tables.places_geojson(found))
    assert len(data["features"]) == 3
    assert data["features"][0]["properties"]["mentions"] == 3
    assert list(csv.DictReader(io.StringIO(tables.places_csv(found))))[0]["control"] == "gna"


def test_index_lists_maps_newest_first_and_escapes():
    html = index_page.index_html(
        [
            {"slug": "a", "title": "<b>old</b>", "date": "2019-01-01", "places": 2},
            {"slug": "b", "title": "new", "date": "2020-01-01", "places": 5, "low": 1},
        ]
    )
    assert html.index('href="b.html"') < html.index('href="a.html"')
    assert "&lt;b&gt;old&lt;/b&gt;" in html and "<b>old" not in html


def _zones(actor: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"actor": [actor], "actor_name": [actor.upper()], "status": ["controlled"],
         "colour": ["#c0392b"], "towns": [["sirte"]], "area_km2": [10.0], "as_of": ["x"]},
        geometry=[Polygon([(16, 31), (17, 31), (17, 32), (16, 32)])],
        crs=4326,
    )  # fmt: skip


def test_zones_carry_the_dates_they_are_in_force():
    feats = control.dated(control.zone_features(_zones("lna")), "2019-12-22", "2020-01-07")
    props = feats[0]["properties"]
    assert props["_start"] == "2019-12-22" and props["_end"] == "2020-01-07"
    assert props["_actor"] == "lna" and "geo-actor-lna" in props["_class"]


def test_support_arrow_runs_from_backer_to_actor():
    link = support.Support(
        "turkey", "Turkey", "gna", "GNA", (32.85, 39.93), (13.18, 32.89), "#e30a17"
    )
    (body,) = support.support_features([link])
    assert body["properties"]["_arrow"] == "end" and body["properties"]["_actor"] == "turkey"
    coords = body["geometry"]["coordinates"]
    assert coords[0] == [32.85, 39.93] and coords[-1] == [13.18, 32.89]
    assert "Turkey → GNA" in body["properties"]["_tooltip"]


@pytest.mark.parametrize("n", [0, 1])
def test_maps_with_few_places_still_render(n):
    page, _ = render_page(build_map(_inputs(_rows()[:n])))
    assert "GEO.layers" in page


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_any_text_embeds_safely(value):
    text = safe_json({"v": value})
    for bad in ("</", "<!", "{{", "{%", "{#", "\u2028"):
        assert bad not in text
    decoded = json.loads(text)["v"]
    assert decoded == value.encode("utf-8", "replace").decode("utf-8")
    html = esc(value)
    assert not set("<>\"'{}") & set(html)


@given(st.text(min_size=1, max_size=40))
@settings(max_examples=25, deadline=None)
def test_any_place_name_renders(name):
    rows = [_row("Tripoli", name, "g:9", 32.9, 13.2, sentence=f"x {name} y")]
    rows[0]["mention"] = name
    page, _ = render_page(build_map(_inputs(rows)))
    assert page.rstrip().endswith("</html>")


def test_colours_from_data_are_plain_colours_or_the_default():
    from geo.render.elements import safe_color

    assert safe_color("#2e8b57") == "#2e8b57" and safe_color("red") == "red"
    for bad in ('red" onmouseover="x', "url(javascript:x)", "#12;background:x", None, ""):
        assert safe_color(bad) == "#6b7280"


def test_popup_says_when_ground_is_contested_and_lists_nearby_events():
    rows = _rows()
    rows[0]["control_status"] = "contested"
    rows[0]["events"] = [{"id": "e1", "name": "2019-12-12: decisive battle announced"}]
    tripoli = places.group_places(rows)[0]
    html = places.popup_html(tripoli, None, 0, ACTORS, "2019-12-22")
    assert "(contested)" in html
    assert "decisive battle announced" in html
