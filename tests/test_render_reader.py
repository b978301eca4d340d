"""Map decisions made in Python: palette distinctness, focus framing, label layout, date runs."""

from __future__ import annotations

import itertools

from geo.render import control, framing, labels, palette, places


def _place(pid: str, lon: float, lat: float, n: int, country: str = "LY") -> places.Place:
    return places.Place(
        id=pid, name=pid, kind="city", country=country, lat=lat, lon=lon, score=1.0,
        mentions=[{"mention": pid}] * n,
    )  # fmt: skip


def test_ciede2000_matches_reference_values():
    assert round(palette.delta_e("#ffffff", "#000000"), 1) == 100.0
    assert palette.delta_e("#0072B2", "#0072B2") == 0.0


def test_a_map_with_ten_actors_gets_colours_pairwise_distinct():
    got = palette.assign([f"a{i}" for i in range(10)], reserved=[places.UNCONTROLLED])
    distinct = [c for c in got.values() if c != palette.FALLBACK]
    assert len(distinct) >= 9
    for a, b in itertools.combinations(distinct + [places.UNCONTROLLED], 2):
        assert palette.delta_e(a, b) > palette.MIN_DELTA_E, (a, b)


def test_focus_leaves_out_a_capital_named_once_far_away():
    found = [
        _place("tripoli", 13.19, 32.89, 5),
        _place("tobruk", 23.96, 32.08, 1),
        _place("ankara", 32.85, 39.93, 2, country="TR"),
        _place("ras", 77.0, 20.0, 1, country="IN"),
    ]
    kept = {p.id for p in framing.ground_places(found, {"LY"})}
    assert kept == {"tripoli", "tobruk"}


def _syria_like() -> list[places.Place]:
    """An Idlib story: a tight cluster named often, a north-east strip and the capital once."""
    return [
        _place("idlib", 36.63, 35.93, 5, "SY"),
        _place("maarat", 36.68, 35.65, 4, "SY"),
        _place("saraqib", 36.81, 35.86, 2, "SY"),
        _place("azaz", 37.05, 36.59, 1, "SY"),
        _place("damascus", 36.29, 33.51, 1, "SY"),
        _place("raqqa", 39.01, 35.95, 1, "SY"),
        _place("qamishli", 41.23, 37.05, 1, "SY"),
        _place("ankara", 32.85, 39.92, 1, "TR"),
    ]


def test_focus_is_the_cluster_the_article_keeps_returning_to():
    found = _syria_like()
    ground = {p.id for p in framing.ground_places(found, {"SY"})}
    assert {"damascus", "raqqa", "qamishli"} <= ground  # still the story's ground (basemap)
    focus = {p.id for p in framing.focus_places(found, {"SY"}, "Families flee Maarat al-Numan")}
    assert focus == {"idlib", "maarat", "saraqib", "azaz"}


def test_a_town_in_the_headline_anchors_the_focus_even_if_named_less():
    found = _syria_like()
    focus = {p.id for p in framing.focus_places(found, {"SY"}, "Kurdish forces hold Qamishli")}
    assert "qamishli" in focus and "idlib" in focus and "damascus" not in focus


def test_an_article_about_a_country_frames_all_its_towns():
    found = [
        _place("tripoli", 13.19, 32.89, 5),
        _place("tobruk", 23.96, 32.08, 1),
        places.Place(
            id="libya", name="Libya", kind="country", country="LY", lat=28.0, lon=17.0,
            score=1.0, mentions=[{"mention": "Libya"}] * 14,
        ),
    ]  # fmt: skip
    focus = {p.id for p in framing.focus_places(found, {"LY"}, "Haftar closes in on Tripoli")}
    assert focus == {"tripoli", "tobruk"}


def test_one_town_still_gets_its_surroundings():
    west, south, east, north = framing.focus_bounds([_place("t", 13.19, 32.89, 1)], (0, 0, 1, 1))
    assert north - south >= framing.MIN_SPAN_KM / 111.2 - 1e-9
    assert west < 13.19 < east and south < 32.89 < north


def test_labels_never_overlap_at_any_zoom():
    cands = [
        labels.Label(f"Town {i}", 13 + (i % 7) * 0.05, 32 + (i // 7) * 0.05, "town", 100 - i)
        for i in range(49)
    ]
    laid = labels.layout(cands)
    for zoom in labels.ZOOMS:
        boxes = [labels._box(lb, zoom) for lb, mask in laid if mask >> zoom & 1]
        for a, b in itertools.combinations(boxes, 2):
            assert not labels._overlaps(a, b)
    shown = {z: sum(1 for _, m in laid if m >> z & 1) for z in labels.ZOOMS}
    assert shown[12] == 49 and shown[5] < 49  # more labels fit as one zooms in


def test_russia_is_drawn_east_of_the_date_line_not_across_the_world():
    from geo.gazetteer import naturalearth

    shape = places.unwrap_antimeridian(naturalearth.country_shape("RU", "110m"))
    west, _, east, _ = shape.bounds
    assert west > 0 and east - west < 200


def test_unchanged_dates_fold_into_one_feature():
    def feat(start, end, actor="gna"):
        f = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},
             "properties": {"_actor": actor}}  # fmt: skip
        return control.dated([f], start, end)[0]

    merged = control.merge_runs(
        [feat(None, "2019-12-22"), feat("2019-12-22", "2020-01-07"), feat("2020-01-07", None)]
        + [feat("2019-12-22", "2020-01-07", "lna")]
    )
    assert len(merged) == 2
    assert "_end" not in merged[0]["properties"] and "_start" not in merged[0]["properties"]


def test_search_lists_article_words_geonames_names_and_theatre_towns():
    import geopandas as gpd
    from shapely.geometry import Point

    from geo.render import search

    place = places.Place(
        id="geonames:2212771", name="Şabrātah", kind="city", country="LY", lat=32.79,
        lon=12.49, score=1.0, mentions=[{"mention": "Sabratha"}] * 2,
    )  # fmt: skip

    class Theatre:
        id, countries = "libya", ("LY",)
        places = gpd.GeoDataFrame(
            {"name": ["Sirte", "Sabratha"], "country": ["LY", "LY"]},
            geometry=[Point(16.59, 31.21), Point(12.49, 32.79)],
        )

    got = {e["t"]: e for e in search.search_entries([place], [Theatre()])}
    assert got["Sabratha"]["id"] == place.id and got["Sabratha"]["note"] == ""
    assert got["Şabrātah"]["id"] == place.id and got["Sabratah"]["id"] == place.id
    assert got["Sirte"]["id"] is None and "not named in the article" in got["Sirte"]["note"]


def test_a_place_named_only_inside_an_organisations_name_is_faint_and_never_framed():
    guard = places.Place(
        id="geonames:6254925", name="Kentucky", kind="adm1", country="US", lat=37.5,
        lon=-85.0, score=1.0, mentions=[{"mention": "Kentucky", "role": "in-name"}],
    )  # fmt: skip
    found = [_place("idlib", 36.63, 35.93, 3, "SY"), _place("maarat", 36.68, 35.65, 2, "SY"), guard]
    assert guard not in framing.ground_places(found, {"SY"})
    assert guard not in framing.focus_places(found, {"SY"}, "Kentucky National Guard in Idlib")
    markers, _ = places.place_features(found)
    faint = next(m for m in markers if m["properties"]["id"] == guard.id)
    assert "geo-in-name" in faint["properties"]["_class"]
    assert faint["properties"]["_style"]["fillOpacity"] == 0.0
    from geo.render.article_map import places_legend

    rows = [e.label for e in places_legend(found, {})]
    assert any("inside an organisation's name" in r for r in rows)


def test_a_world_briefing_keeps_each_war_it_names_once():
    found = [
        _place("port-au-prince", -72.34, 18.54, 1, "HT"),
        _place("djibo", -1.63, 14.10, 1, "BF"),
        _place("sfax", 10.76, 34.74, 1, "TN"),
        _place("rafah", 34.24, 31.30, 1, "PS"),
        _place("gondar", 37.47, 12.60, 1, "ET"),
        _place("macomia", 40.12, -12.25, 1, "MZ"),
        _place("lashio", 97.75, 22.94, 1, "MM"),
    ]
    assert framing.ground_places(found, set()) == found
    assert framing.focus_places(found, set(), "World briefing") == found
    doubted = _place("springfield", -89.64, 39.80, 1, "US")
    doubted.mentions = [{"mention": "Springfield", "review": "far from the other places"}]
    assert doubted not in framing.ground_places([*found, doubted], set())


def _row(name: str, lon: float, lat: float, country: str, kind: str = "city", **more) -> dict:
    return {"id": name, "name": name, "mention": name, "kind": kind, "country": country,
            "lon": lon, "lat": lat, "sentence": f"News from {name}.", **more}  # fmt: skip


def test_a_theatre_reached_only_by_a_route_brings_its_routes_not_its_ground():
    from geo.render.theatre_layers import layers_for

    rows = [
        _row("Lampedusa", 12.585, 35.516, "IT", "island", routes=["lampedusa-sicily"]),
        _row("Port-au-Prince", -72.34, 18.54, "HT"),
    ]
    layers = layers_for(rows, "2024-03-02")
    assert layers is not None and [th.id for th in layers.theatres] == ["libya"]
    assert layers.relevant == {"libya": {"routes"}}  # no zones, frontline, support or sea
    assert layers.dates() == []  # no time bar for ground the article never reaches
    rows.append(_row("Zuwara", 12.08, 32.93, "LY"))
    layers = layers_for(rows, "2024-03-02")
    assert {"zones", "frontline", "routes", "maritime"} <= layers.relevant["libya"]
    assert layers.dates()


def test_a_town_and_its_region_of_one_name_are_labelled_apart_town_first():
    from geo.render.article_map import map_labels

    town = _place("idlib", 36.63, 35.93, 3, "SY")
    region = places.Place(
        id="admin1:SY.idlib", name="Idlib", kind="region", country="SY", lat=35.80,
        lon=36.70, score=1.0, mentions=[{"mention": "idlib"}] * 5,
    )  # fmt: skip
    got = {item["html"]: item for item in map_labels([town, region], None, (30, 30, 40, 40))}
    assert "idlib" in got and "idlib (region)" in got
    assert got["idlib"]["zooms"] & ~got["idlib (region)"]["zooms"]  # where both do not fit


def test_a_capital_named_only_as_a_government_speaking_does_not_stretch_the_view():
    def said(pid: str, lon: float, lat: float, sentence: str, country: str) -> places.Place:
        place = _place(pid, lon, lat, 1, country)
        place.mentions = [{"mention": pid, "sentence": sentence}]
        return place

    found = [
        said("Pokrovsk", 37.18, 48.28, "Troops advanced on Pokrovsk.", "UA"),
        said("Kharkiv", 36.25, 49.98, "Drones struck Kharkiv.", "UA"),
        said("Sudzha", 35.27, 51.19, "Moscow said it retook two villages near Sudzha.", "RU"),
        said("Moscow", 37.62, 55.75, "Moscow said it retook two villages near Sudzha.", "RU"),
    ]
    assert [p.id for p in framing.ground_places(found)] == ["Pokrovsk", "Kharkiv", "Sudzha"]
    found[3].mentions.append({"mention": "Moscow", "sentence": "Crowds gathered in Moscow."})
    found[3].mentions = found[3].mentions[1:]  # named once, as a place where people gather
    assert "Moscow" in [p.id for p in framing.ground_places(found)]


def test_the_headlines_town_is_labelled_first_among_towns_named_as_often():
    from geo.render.article_map import map_labels

    near = [
        _place(n, 37.18 + i * 0.01, 48.28, 1, "UA") for i, n in enumerate(["Kurakhove", "Pokrovsk"])
    ]
    got = map_labels(near, None, (30, 40, 40, 50), title="Troops push toward Pokrovsk")
    masks = {item["html"]: item["zooms"] for item in got}
    assert masks["Pokrovsk"] & ~masks.get("Kurakhove", 0)  # where only one fits, it is Pokrovsk


def test_a_dateline_in_capitals_is_labelled_in_the_places_own_case():
    geneva = _place("geneva", 6.15, 46.2, 1, "CH")
    geneva.name = "Geneva"
    geneva.mentions = [{"mention": "GENEVA"}]
    assert places.display_name(geneva) == "Geneva"
    geneva.mentions = [{"mention": "UN"}]  # an acronym stays as written
    assert places.display_name(geneva) == "UN"
