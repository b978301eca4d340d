"""Routes: ordered waypoints with roles, legs split by who holds the ground, lengths in km."""

from __future__ import annotations

import pytest

from geo import routes
from geo.control import GEOD
from geo.maritime import maritime_at
from geo.theatres import load_theatre


@pytest.fixture(scope="module")
def libya():
    return load_theatre("libya")


@pytest.fixture(scope="module")
def legs(libya):
    return routes.route_legs(libya, "2019-12-22")


@pytest.fixture(scope="module")
def waypoints(libya):
    return routes.route_waypoints(libya)


def test_zuwara_departs_on_a_central_mediterranean_route(waypoints):
    zuwara = waypoints[waypoints["place"] == "zuwara"]
    assert ((zuwara["kind"] == "central-mediterranean") & (zuwara["role"] == "departure")).any()


def test_sabha_is_a_transit_point_of_a_trans_saharan_route(waypoints):
    sabha = waypoints[waypoints["place"] == "sabha"]
    assert ((sabha["kind"] == "trans-saharan") & (sabha["role"] == "transit")).any()


def test_central_sahara_route_order(waypoints):
    route = waypoints[waypoints["route"] == "niger-fezzan"].sort_values("order")
    assert list(route["place"])[:6] == [
        "agadez",
        "dirkou",
        "madama",
        "qatrun",
        "sabha",
        "bani-walid",
    ]
    sudan = waypoints[waypoints["route"] == "sudan-kufra"].sort_values("order")
    assert list(sudan["place"])[:3] == ["omdurman", "jabal-uweinat", "kufra"]


def test_every_route_has_legs_with_km_and_control(libya, legs):
    assert set(legs["route"]) == set(libya.routes.index)
    assert {"km", "control", "mode", "over"} <= set(legs.columns)
    assert (legs["km"] > 0).all()
    land_in_libya = legs[(legs["mode"] == "land") & legs["control"].notna()]
    assert set(land_in_libya["control"]) <= set(libya.actors.index)


def test_legs_add_up_to_the_waypoint_distance(legs, waypoints):
    pts = waypoints[waypoints["route"] == "niger-fezzan"].sort_values("order").geometry.tolist()
    straight = sum(
        GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000 for a, b in zip(pts[:-1], pts[1:], strict=True)
    )
    total = legs.loc[legs["route"] == "niger-fezzan", "km"].sum()
    assert abs(total - straight) / straight < 0.01


def test_land_legs_are_split_by_controlling_actor(legs):
    trip = legs[legs["route"] == "niger-fezzan"]
    assert {"lna", "gna"} <= set(trip["control"].dropna())
    niger = trip[trip["from_place"] == "agadez"]
    assert niger["control"].isna().all()  # outside Libya nobody in this theatre holds the ground


def test_sea_legs_are_marked_sea(legs):
    sea = legs[legs["kind"] == "central-mediterranean"]
    assert (sea["mode"] == "sea").all() and sea["control"].isna().all()
    zuwara = sea[sea["route"] == "cmed-zuwara"]
    assert len(zuwara) == 1 and 250 < zuwara["km"].iloc[0] < 330


def test_control_changes_with_the_date(libya):
    before = routes.route_legs(libya, "2019-12-22", route="egypt-east")
    after = routes.route_legs(libya, "2020-01-07", route="egypt-east")
    sirte_leg = ("bin-jawad", "sirte")

    def holders(legs):
        rows = legs[(legs["from_place"] == sirte_leg[0]) & (legs["to_place"] == sirte_leg[1])]
        return set(rows["control"].dropna())

    assert "gna" in holders(before)
    assert holders(after) == {"lna"}


def test_routes_carry_their_2019_figures(libya):
    lines = routes.routes(libya).set_index("route")
    assert "137544" in lines.at["niger-fezzan", "figures"]
    assert "N23" in lines.at["niger-fezzan", "figures"]
    assert "9225" in lines.at["cmed-zuwara", "figures"]
    figs = routes.route_figures(libya)
    assert {"route", "indicator", "value", "source"} <= set(figs.columns)


def test_maritime_layers(libya):
    m = maritime_at(libya).set_index("id")
    assert {"ly-territorial-sea", "ly-srr", "tr-ly-mou-line", "eu-sophia", "eu-irini"} <= set(
        m.index
    )
    # 12 nm along ~1,800 km of coast: about 40,000 km2, and none of it on land
    assert 35_000 < m.at["ly-territorial-sea", "area_km2"] < 45_000
    assert 30 < m.at["tr-ly-mou-line", "km"] < 36  # ~18 nm
    assert m.at["ly-srr", "certainty"] == "approximate"
    assert m.at["eu-sophia", "certainty"] == "approximate"
    sophia = m.at["eu-sophia", "geometry"]
    assert not sophia.intersects(m.at["ly-territorial-sea", "geometry"].buffer(-0.01))
    on_date = maritime_at(libya, "2019-12-22")
    assert "eu-irini" not in set(on_date["id"]) and "eu-sophia" in set(on_date["id"])
