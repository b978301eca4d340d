"""Control at a date, zones that tile the country, and frontlines where sides meet."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from geo import control
from geo.maritime import aeqd_crs
from geo.theatres import load_theatre

DATES = ["2019-04-03", "2019-12-22", "2020-01-07", "2020-06-06"]


@pytest.fixture(scope="module")
def libya():
    return load_theatre("libya")


@pytest.fixture(scope="module")
def zones(libya):
    return {d: control.zones_at(libya, d) for d in DATES}


@pytest.fixture(scope="module")
def fronts(libya):
    return {d: control.frontlines_at(libya, d) for d in DATES}


def _actor(libya, place: str, date: str) -> str | None:
    point = libya.places.loc[[place]].geometry
    return control.control_of_points(libya, date, point)["actor"].iloc[0]


@pytest.mark.parametrize(
    ("place", "date", "actor"),
    [
        ("tripoli", "2019-12-22", "gna"),
        ("tobruk", "2019-12-22", "lna"),
        ("benghazi", "2019-12-22", "lna"),
        ("sabha", "2019-12-22", "lna"),
        ("sirte", "2019-12-22", "gna"),
        ("sirte", "2020-01-07", "lna"),
        ("tarhuna", "2019-12-22", "lna"),
        ("tarhuna", "2020-06-06", "gna"),
    ],
)
def test_acceptance_control(libya, place, date, actor):
    assert _actor(libya, place, date) == actor


def test_dates_between_use_the_latest_earlier_one(libya):
    assert control.as_of(libya, "2020-03-01") == dt.date(2020, 2, 29)
    assert control.as_of(libya, "2020-01-08") == dt.date(2020, 1, 7)
    assert control.as_of(libya, "2019-12-22") == dt.date(2019, 12, 22)
    assert control.as_of(libya, dt.datetime(2021, 1, 1, 12)) == dt.date(2020, 10, 31)
    assert control.as_of(libya, "2018-01-01") is None
    assert _actor(libya, "sirte", "2020-03-01") == "lna"
    assert control.zones_at(libya, "2018-01-01").empty
    assert control.frontlines_at(libya, None).empty


def _equal_area(libya, gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return gdf.to_crs(control.local_crs(control.theatre_shape(libya))).geometry


@pytest.mark.parametrize("date", DATES)
def test_zones_tile_the_country(libya, zones, date):
    z = zones[date]
    assert list(z["as_of"].unique()) == [date]
    geoms = _equal_area(libya, z)
    country = _equal_area(
        libya, gpd.GeoDataFrame(geometry=[control.theatre_shape(libya)], crs=4326)
    )
    total = country.area.iloc[0]
    assert abs(geoms.area.sum() - total) / total < 0.005
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms.iloc[i].intersection(geoms.iloc[j]).area < 1e-6 * total


def test_zone_statuses_use_the_vocabulary(zones):
    z = zones["2019-12-22"]
    assert set(z["status"]) <= {"controlled", "contested", "besieged"}
    contested = z[(z["actor"] == "lna") & (z["status"] == "contested")]
    assert "qasr-bin-ghashir" in contested["towns"].iloc[0]
    assert z.crs.to_epsg() == 4326


def _km(a: Point, geom) -> float:
    crs = aeqd_crs(a.x, a.y)
    projected = gpd.GeoSeries([geom], crs=4326).to_crs(crs).iloc[0]
    return projected.distance(Point(0, 0)) / 1000


def test_frontline_near_tripoli_in_december_2019(libya, fronts):
    tripoli = libya.places.geometry["tripoli"]
    f = fronts["2019-12-22"]
    gl = f[(f["side_a"] == "gna") & (f["side_b"] == "lna")]
    assert len(gl) == 1
    assert _km(tripoli, gl.geometry.iloc[0]) < 30
    assert gl["km"].iloc[0] > 0


def test_frontline_between_sirte_and_misrata_in_june_2020(libya, fronts):
    places = libya.places.geometry
    sirte, misrata = places["sirte"], places["misrata"]
    front = fronts["2020-06-06"].union_all()
    assert _km(places["tripoli"], front) > 100
    # "between": some of the frontline is nearer to each town than the towns are to each other
    crs = aeqd_crs(*LineString([sirte, misrata]).centroid.coords[0])
    s, m, f = gpd.GeoSeries([sirte, misrata, front], crs=4326).to_crs(crs)
    gap = s.distance(m)
    between = f.intersection(s.buffer(gap)).intersection(m.buffer(gap))
    assert not between.is_empty
    assert between.centroid.x < s.x  # west of Sirte, towards Misrata


def test_local_authorities_make_no_frontline(fronts):
    for f in fronts.values():
        assert "local" not in set(f["side_a"]) | set(f["side_b"])


def test_cells_give_one_polygon_per_town(libya):
    cells = control.cells_at(libya, "2019-12-22")
    assert len(cells) == (libya.control["date"] == dt.date(2019, 12, 22)).sum()
    for place, geom in zip(cells["place"], cells.geometry, strict=True):
        assert (
            geom.covers(libya.places.geometry[place])
            or geom.distance(libya.places.geometry[place]) < 0.1
        )  # coastal sites can sit just off the Natural Earth coastline


def test_syria_zones_tile_syria_with_four_sides():
    syria = load_theatre("syria")
    z = control.zones_at(syria, "2019-12-22")
    assert z["as_of"].iloc[0] == "2019-12-01"
    assert set(z["actor"]) == {"syrian-government", "sdf", "sna", "hts"}
    geoms = _equal_area(syria, z)
    shape = gpd.GeoDataFrame(geometry=[control.theatre_shape(syria)], crs=4326)
    total = _equal_area(syria, shape).area.iloc[0]
    assert abs(geoms.area.sum() - total) / total < 0.005
    fronts = control.frontlines_at(syria, "2019-12-22")
    pairs = set(zip(fronts["side_a"], fronts["side_b"], strict=True))
    assert ("government", "hts") in pairs and ("government", "sdf") in pairs


def test_a_point_just_off_the_coast_takes_the_nearest_cell(libya):
    points = gpd.GeoSeries([Point(13.187, 32.95), Point(13.187, 33.3)], crs=4326)
    found = control.control_of_points(libya, "2019-12-22", points)
    assert list(found["actor"]) == ["gna", None]
