"""Theatre folders: the bundled data holds what the issue asks, and broken files fail with one
message that names file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.errors import GeoError, TheatreDataError
from geo.theatres import CERTAINTY, STATUS, Resolved, load_theatre, theatre_folders

FIXTURE = Path(__file__).parent / "fixtures" / "theatres" / "mini"
DATES = ["2019-04-03", "2019-12-22", "2020-01-07", "2020-06-06"]

# A stand-in gazetteer: tests of the file format must not depend on the real index.
FAKE = {
    ("Tripoli", "LY"): (32.887, 13.187),
    ("Misrata", "LY"): (32.375, 15.093),
    ("Sirte", "LY"): (31.209, 16.589),
    ("Benghazi", "LY"): (32.115, 20.069),
    ("Sabha", "LY"): (27.038, 14.428),
}


def fake_resolver(name: str, country: str | None) -> Resolved | None:
    hit = FAKE.get((name, country))
    return Resolved(f"fake:{name}", *hit, "city") if hit else None


@pytest.fixture(scope="module")
def libya():
    return load_theatre("libya")


@pytest.fixture(scope="module")
def syria():
    return load_theatre("syria")


@pytest.fixture()
def broken(tmp_path: Path):
    """A writable copy of the small fixture theatre."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURE, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the bundled data ----------------------------------------------------------------------------


def test_bundled_theatres_are_found():
    names = [p.name for p in theatre_folders()]
    assert {"libya", "syria"} <= set(names)


def test_libya_has_control_for_40_places_at_every_date(libya):
    assert set(DATES) <= {str(d) for d in libya.dates}
    assert len(libya.dates) >= 30  # month ends Apr 2019 - Oct 2020 and the turning points
    for day in libya.dates:
        rows = libya.control[libya.control["date"] == day]
        assert rows["place"].nunique() >= 40
        assert set(rows["status"]) <= set(STATUS)


def test_every_row_names_known_sources(libya, syria):
    for theatre in (libya, syria):
        known = set(theatre.sources["id"])
        for table in ("actors", "places", "control", "backers", "events", "routes", "figures"):
            frame = getattr(theatre, table)
            for ids in frame["source"]:
                assert ids and set(ids) <= known, (theatre.id, table, ids)


def test_uncertain_rows_say_so(libya):
    """Rows the fact sheet marks with a warning carry uncertain or disputed."""
    rows = libya.control.set_index(["place", "date"])
    import datetime as dt

    assert rows.loc[("al-asabaa", dt.date(2019, 12, 22)), "certainty"] == "disputed"
    assert rows.loc[("ghadames", dt.date(2019, 12, 22)), "certainty"] == "uncertain"
    assert set(libya.control["certainty"]) <= set(CERTAINTY)
    russia = libya.backers[libya.backers["backer"] == "russia"].iloc[0]
    assert russia["certainty"] == "disputed"


def test_libya_actors_and_backers(libya):
    actors = libya.actors
    assert {"gna", "lna", "local"} <= set(actors["id"])
    assert actors.at["gna", "seat"] == "tripoli" and actors.at["lna", "seat"] == "benghazi"
    pairs = set(zip(libya.backers["backer"], libya.backers["backs"], strict=True))
    assert {("russia", "lna"), ("wagner", "lna"), ("uae", "lna"), ("egypt", "lna")} <= pairs
    assert {("turkey", "gna"), ("sna-fighters", "gna")} <= pairs


def test_seed_events_are_dated_and_placed(libya):
    ev = libya.events.set_index("id")
    assert str(ev.at["ship-boarded", "date"]) == "2019-12-21"
    assert ev.at["ship-boarded", "places"] == ["derna", "ras-al-hilal"]
    assert str(ev.at["turkish-parliament-vote", "date"]) == "2019-12-21"
    assert ev.at["turkish-parliament-vote", "places"] == ["ankara"]
    assert str(ev.at["offensive-start", "date"]) == "2019-04-04"


def test_towns_resolve_through_the_gazetteer(libya):
    """Only sites the gazetteer lacks carry their own coordinates."""
    places = libya.places
    own = places[places["gazetteer"].isna()]
    assert set(own.index) == {"abu-kammash"}
    tripoli = places.loc["tripoli"]
    assert abs(tripoli["lat"] - 32.89) < 0.05 and abs(tripoli["lon"] - 13.19) < 0.05


def test_syria_december_2019(syria):
    import datetime as dt

    rows = syria.control[syria.control["date"] == dt.date(2019, 12, 1)].set_index("place")
    assert rows.at["damascus", "actor"] == "syrian-government"
    assert rows.at["raqqa", "actor"] == "sdf"
    assert rows.at["afrin", "actor"] == "sna"
    assert rows.at["idlib", "actor"] == "hts"
    pairs = set(zip(syria.backers["backer"], syria.backers["backs"], strict=True))
    assert {("russia", "syrian-government"), ("iran", "syrian-government"), ("turkey", "sna")} <= (
        pairs
    )


# -- the format and its errors -------------------------------------------------------------------


def test_fixture_loads():
    mini = load_theatre(FIXTURE, resolver=fake_resolver)
    assert mini.id == "mini"
    assert len(mini.places) == 7
    assert mini.places.loc["camp", "gazetteer"] is None or mini.places["gazetteer"].isna()["camp"]
    assert mini.sources.at["S1", "title"] == "A source, with a comma in its title"
    assert mini.maritime[0]["geometry"].geom_type == "LineString"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("places.csv", "sirte,Sirte,", "sirte,Sirrte,", ["places.csv:4", "'name'", "Sirrte"]),
        ("control.csv", "misrata,west,", "misrata,wset,", ["control.csv:3", "'actor'", "wset"]),
        ("control.csv", "2019-01-01,sabha", "2019-13-01,sabha", ["control.csv:6", "'date'"]),
        (
            "control.csv",
            "2019-01-01,camp,east",
            "2019-01-01,tripoli,east",
            ["control.csv:7", "'place'", "line 2"],
        ),
        ("control.csv", "sirte,west,contested", "sirte,west,held", ["control.csv:4", "'status'"]),
        ("control.csv", "2019-01-01,misrata", '2019-01-01,"misrata', ["control.csv", "quoting"]),
        ("places.csv", "27.5,17.5", "27.5,east", ["places.csv:7", "'lon'", "float"]),
        ("waypoints.csv", "north,2,", "north,two,", ["waypoints.csv:3", "'order'", "int"]),
        ("control.csv", ",S1,\n", ",S9,\n", ["control.csv:2", "'source'", "S9"]),
        ("actors.csv", "tripoli,,LY", "tripolis,,LY", ["actors.csv:2", "'seat'", "tripolis"]),
        ("backers.csv", "patron,east", "patron,nobody", ["backers.csv:2", "'backs'"]),
        ("events.csv", "sirte;misrata", "sirte;;misrata", ["events.csv:2", "'places'"]),
        ("control.csv", "benghazi,east,controlled,reported,S1,", "benghazi,east", ["fields"]),
        (
            "maritime.yaml",
            "certainty: disputed",
            "certainty: maybe",
            ["maritime.yaml:4", "'certainty'"],
        ),
        (
            "maritime.yaml",
            "{type: LineString",
            "{type: Polygon",
            ["maritime.yaml:6", "'geometry'"],
        ),
        (
            "theatre.yaml",
            "countries: [LY]",
            "countries: [Libya]",
            ["theatre.yaml:3", "'countries'"],
        ),
        (
            "places.csv",
            "island,An island,,IT",
            "sabha,An island,,IT",
            ["places.csv:8", "'id'", "line 6"],
        ),
        (
            "control.csv",
            "2020-01-01,camp,east",
            "2020-01-01,oasis,east",
            ["control.csv:13", "oasis"],
        ),
    ],
)
def test_broken_files_fail_with_file_line_and_field(broken, file, old, new, expected):
    _replace(broken / file, old, new)
    with pytest.raises(TheatreDataError) as err:
        load_theatre(broken, resolver=fake_resolver)
    message = str(err.value)
    assert str(broken / file) in message or file in message
    for part in expected:
        assert part in message, message
    assert "\n" not in message
    assert isinstance(err.value, GeoError) and isinstance(err.value, ValueError)


def test_a_quoted_field_spanning_lines_reports_where_the_record_starts(broken):
    _replace(broken / "backers.csv", '"aircraft, advisers"', '"aircraft,\nadvisers')
    with pytest.raises(TheatreDataError, match=r"backers.csv:2:.*quoting"):
        load_theatre(broken, resolver=fake_resolver)


def test_two_places_at_one_point_cannot_both_hold_it(broken):
    _replace(broken / "places.csv", "27.5,17.5", "27.038,14.428")  # camp onto Sabha
    with pytest.raises(TheatreDataError, match=r"control.csv:7: field 'place'.*same point"):
        load_theatre(broken, resolver=fake_resolver)


def test_control_only_inside_the_theatre_countries(broken):
    _replace(broken / "control.csv", "2020-01-01,camp,east", "2020-01-01,island,east")
    with pytest.raises(TheatreDataError, match=r"control.csv:13: field 'place'.*'island' is in IT"):
        load_theatre(broken, resolver=fake_resolver)


def test_missing_required_file(broken):
    (broken / "actors.csv").unlink()
    with pytest.raises(TheatreDataError, match="actors.csv"):
        load_theatre(broken, resolver=fake_resolver)


def test_unknown_column_is_named(broken):
    _replace(broken / "routes.csv", "kind,", "knd,")
    with pytest.raises(TheatreDataError, match=r"routes.csv:1: field 'knd'"):
        load_theatre(broken, resolver=fake_resolver)


def test_a_typo_fails_through_the_real_gazetteer(broken):
    """With the real gazetteer, an unknown town name is an error, not a guess."""
    _replace(broken / "places.csv", "sirte,Sirte,", "sirte,Sirtexx,")
    with pytest.raises(TheatreDataError, match=r"places.csv:4: field 'name'.*Sirtexx"):
        load_theatre(broken)


def test_the_documented_example_loads(tmp_path):
    """The small example in docs/theatres.md is a valid theatre."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "theatres.md").read_text()
    block = doc.split("## A small example", 1)[1].split("```", 2)[1]
    files: dict[str, list[str]] = {}
    current = None
    for line in block.splitlines():
        if line.startswith("geo/theatres/example/"):
            current = line.rsplit("/", 1)[1]
            files[current] = []
        elif current and line.startswith("    "):
            files[current].append(line[4:])
    folder = tmp_path / "example"
    folder.mkdir()
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    theatre = load_theatre(folder, resolver=fake_resolver)
    assert theatre.id == "example" and len(theatre.control) == 3
