"""Places joined with control, backers, routes, events and country roles at an article's date."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest

from geo.join import active_theatres, enrich, enrich_records, theatre_layers
from geo.theatres import load_theatre


@pytest.fixture(scope="module")
def libya():
    return load_theatre("libya")


@pytest.fixture(scope="module")
def syria():
    return load_theatre("syria")


def rec(theatre, place: str, kind: str = "city") -> dict:
    """A `geo places`-style record for a theatre place (same gazetteer coordinates)."""
    p = theatre.places.loc[place]
    return {
        "name": p["name"],
        "lat": float(p["lat"]),
        "lon": float(p["lon"]),
        "kind": kind,
        "id": p["gazetteer"],
        "country": p["country"],
    }


COUNTRIES = {
    "Turkey": (39.0, 35.0, "TR"),
    "Libya": (28.0, 17.0, "LY"),
    "Russia": (60.0, 100.0, "RU"),
    "Syria": (35.0, 38.0, "SY"),
    "France": (46.0, 2.0, "FR"),
}


def country(name: str) -> dict:
    lat, lon, iso = COUNTRIES[name]
    return {"name": name, "lat": lat, "lon": lon, "kind": "country", "id": iso, "country": iso}


@pytest.fixture(scope="module")
def december(libya):
    names = ["tripoli", "tobruk", "benghazi", "sabha", "sirte", "tarhuna", "zuwara", "derna"]
    records = [rec(libya, n) for n in names] + [rec(libya, "ankara")]
    records += [country("Turkey"), country("Libya"), country("Russia")]
    return enrich(records, "2019-12-22").set_index("name")


def test_acceptance_control_through_enrich(libya, december):
    assert december.at["Tripoli", "control"] == "gna"
    for town in ("Tobruk", "Benghazi", "Sabha", "Tarhuna"):
        assert december.at[town, "control"] == "lna", town
    assert december.at["Sirte", "control"] == "gna"
    later = enrich([rec(libya, "sirte"), rec(libya, "tarhuna")], "2020-01-07")
    assert list(later["control"]) == ["lna", "lna"]
    june = enrich([rec(libya, "sirte"), rec(libya, "tarhuna")], "2020-06-06")
    assert list(june["control"]) == ["lna", "gna"]


def test_backers_follow_the_controlling_actor_and_the_date(libya, december):
    assert {"wagner", "uae", "egypt", "jordan"} <= set(december.at["Tobruk", "backers"])
    assert "russia" not in december.at["Tobruk", "backers"]  # the state's own jets came in May 2020
    assert december.at["Tripoli", "backers"] == ["turkey", "italy"]
    january = enrich([rec(libya, "tripoli")], "2020-01-07")
    assert "sna-fighters" in january["backers"].iloc[0]
    june = enrich([rec(libya, "tobruk"), rec(libya, "tripoli")], "2020-06-06")
    assert "russia" in june["backers"].iloc[0] and "qatar" not in june["backers"].iloc[1]
    september = enrich([rec(libya, "tripoli")], "2020-09-30")
    assert "qatar" in september["backers"].iloc[0]


def test_routes_with_roles(december):
    roles = {(r["route"], r["role"]) for r in december.at["Zuwara", "route_roles"]}
    assert ("cmed-zuwara", "departure") in roles
    assert "cmed-zuwara" in december.at["Zuwara", "routes"]
    sabha = {(r["route"], r["role"]) for r in december.at["Sabha", "route_roles"]}
    assert ("niger-fezzan", "transit") in sabha


def test_events_within_25_km_up_to_the_date(libya, december):
    assert "ship-boarded" in december.at["Derna", "events"]
    assert "turkish-parliament-vote" in december.at["Ankara", "events"]
    earlier = enrich([rec(libya, "derna")], "2019-12-01")
    assert "ship-boarded" not in earlier["events"].iloc[0]


def test_countries_get_their_roles(december):
    assert "backer of gna (libya)" in december.at["Turkey", "roles"]
    assert december.at["Turkey", "backs"] == ["gna"]
    assert december.at["Turkey", "control"] is None
    assert "theatre (libya)" in december.at["Libya", "roles"]
    assert "home of wagner, backing lna (libya)" in december.at["Russia", "roles"]


def test_syria_is_chosen_by_syrian_places(syria):
    out = enrich([rec(syria, "damascus"), rec(syria, "idlib"), country("Turkey")], "2019-12-22")
    assert list(out["control"][:2]) == ["syrian-government", "hts"]
    assert list(out["theatre"][:2]) == ["syria", "syria"]
    assert "backer of sna (syria)" in out["roles"].iloc[2]
    assert "backer of gna (libya)" not in out["roles"].iloc[2]  # Libya is not in this article
    afrin = enrich([rec(syria, "afrin")], "2020-01-07")
    assert afrin["control"].iloc[0] == "sna"
    # Afrin is also where the fighters Turkey moved to Libya were recruited
    assert {"route": "syrian-fighters", "role": "origin"} in afrin["route_roles"].iloc[0]


def test_an_article_outside_every_theatre_still_works():
    records = [
        {"name": "Paris", "lat": 48.85, "lon": 2.35, "kind": "city", "id": "p", "country": "FR"},
        country("France"),
        {"name": None, "lat": None, "lon": None, "kind": "unknown", "id": None, "country": None},
    ]
    out = enrich(records, "2019-12-22")
    assert len(out) == 3
    assert out["control"].isna().all() and out["theatre"].isna().all()
    assert all(v == [] for v in out["routes"]) and all(v == [] for v in out["roles"])
    assert active_theatres(out) == []
    layers = theatre_layers(records, "2019-12-22")
    assert all(layers[name].empty for name in ("zones", "frontlines", "routes", "maritime"))


def test_places_outside_the_countries_but_on_a_route(libya):
    out = enrich([rec(libya, "agadez")], "2019-12-22")
    assert out["control"].iloc[0] is None
    assert {"route": "niger-fezzan", "role": "origin"} in out["route_roles"].iloc[0]


def test_no_date_means_no_control(libya):
    out = enrich([rec(libya, "tripoli")], None)
    assert out["control"].iloc[0] is None
    assert "cmed-tripoli" in out["routes"].iloc[0]


def test_geodataframe_in_geodataframe_out(libya):
    gdf = gpd.GeoDataFrame(
        [rec(libya, "misrata") | {"extra": 1}],
        geometry=gpd.points_from_xy(
            [libya.places.at["misrata", "lon"]], [libya.places.at["misrata", "lat"]]
        ),
        crs=4326,
    ).to_crs(3857)
    out = enrich(gdf, "2019-12-22")
    assert out.crs.to_epsg() == 4326
    assert out["extra"].iloc[0] == 1 and out["control"].iloc[0] == "gna"


def test_records_for_the_json_output(libya):
    records = [rec(libya, "tripoli"), country("Turkey")]
    out = enrich_records(records, "2019-12-22")
    assert "control" not in records[0]  # inputs are not modified
    assert out[0]["control"] == "gna" and out[0]["backers"] == ["turkey", "italy"]
    assert "cmed-tripoli" in out[0]["routes"]
    assert out[1]["control"] is None and out[1]["backers"] == []
    json.dumps(out)


def test_layers_for_the_map(libya):
    layers = theatre_layers([rec(libya, "tripoli"), rec(libya, "sirte")], "2019-12-22")
    assert set(layers) == {"places", "zones", "frontlines", "routes", "events", "maritime"}
    assert {"gna", "lna"} <= set(layers["zones"]["actor"])
    assert len(layers["frontlines"]) >= 1
    assert all(layers[name].crs.to_epsg() == 4326 for name in layers)


def test_a_far_end_of_a_route_brings_only_that_route(syria):
    layers = theatre_layers([rec(syria, "afrin"), rec(syria, "idlib")], "2019-12-22")
    assert set(layers["zones"]["theatre"]) == {"syria"}
    assert set(layers["routes"]["route"]) == {"syrian-fighters"}
    assert layers["maritime"].empty
