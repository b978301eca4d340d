"""The bundled theatre data keeps its own rules: every source has a URL and is listed, certainty
follows the written rule (docs/theatres.md), control dates are sorted and without gaps, and every
town resolves within 10 km of independently quoted coordinates.

Each rule is a function that returns the problems it finds; the tests run it on the real files and
on small broken copies, so a rule that silently stopped checking would fail too.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from pyproj import Geod
from shapely.geometry import Point

from geo import control
from geo.theatres import load_theatre

ROOT = Path(__file__).resolve().parents[1] / "geo" / "theatres"
THEATRES = ("libya", "syria")
SOURCED = (
    "actors.csv", "places.csv", "control.csv", "backers.csv", "events.csv", "routes.csv",
    "waypoints.csv", "figures.csv",
)  # fmt: skip
MAX_GAP_DAYS = 62  # two consecutive control dates may be at most about two months apart
MAX_KM = 10.0
# Words in a source's title that mark it as one side's claim or a partisan outlet: a row cited
# only by such sources cannot be `reported` (docs/theatres.md, "Certainty").
PARTISAN = (
    "pro-GNA outlet", "LNA-leaning outlet", "pro-LNA", "Russian state source", "an LNA claim",
    "LNA accusation",
)  # fmt: skip
GEOD = Geod(ellps="WGS84")

# Coordinates quoted independently of the gazetteer: the Libya 2019 fact sheet (GeoNames as packaged
# in dr5hn/countries-states-cities-database, Wikipedia pages for sites; "~" marked estimates there
# are kept, as the 10 km check still catches a wrong town), and the Tell Rifaat article (TR1).
REFERENCE: dict[str, dict[str, tuple[float, float]]] = {
    "libya": {
        "tripoli": (32.89, 13.19), "mitiga": (32.90, 13.28), "tripoli-airport": (32.67, 13.16),
        "qasr-bin-ghashir": (32.69, 13.18), "ain-zara": (32.80, 13.23),
        "salah-al-din": (32.83, 13.20), "abu-salim": (32.85, 13.18), "al-aziziya": (32.53, 13.02),
        "tajoura": (32.88, 13.35), "zawiya": (32.76, 12.73), "zuwara": (32.93, 12.08),
        "sabratha": (32.79, 12.49), "surman": (32.76, 12.57), "al-ajaylat": (32.76, 12.38),
        "gharyan": (32.17, 13.02), "al-asabaa": (32.03, 12.87), "al-watiya": (32.47, 11.90),
        "zintan": (31.93, 12.25), "nalut": (31.87, 10.98), "ghadames": (30.13, 9.50),
        "mizdah": (31.45, 12.99), "tarhuna": (32.44, 13.63), "bani-walid": (31.75, 13.98),
        "al-khums": (32.65, 14.26), "garabulli": (32.80, 13.71), "zliten": (32.47, 14.57),
        "misrata": (32.38, 15.09), "abu-grein": (31.45, 15.25), "sirte": (31.21, 16.59),
        "ghardabiya": (31.06, 16.60), "qasr-abu-hadi": (31.06, 16.66), "al-jufra": (29.20, 16.00),
        "hun": (29.13, 15.95), "waddan": (29.16, 16.14), "es-sider": (30.63, 18.35),
        "ras-lanuf": (30.50, 18.55), "brega": (30.41, 19.57), "ajdabiya": (30.76, 20.23),
        "benghazi": (32.11, 20.07), "al-marj": (32.49, 20.83), "al-bayda": (32.76, 21.76),
        "derna": (32.77, 22.64), "ras-al-hilal": (32.92, 22.17), "tobruk": (32.08, 23.96),
        "sabha": (27.04, 14.43), "ubari": (26.59, 12.78), "ghat": (24.96, 10.18),
        "qatrun": (24.95, 14.65), "murzuq": (25.92, 13.92), "kufra": (24.20, 23.29),
        "abu-kammash": (33.08, 11.74), "agadez": (16.97, 7.99), "dirkou": (19.00, 12.89),
        "madama": (21.95, 13.65), "ndjamena": (12.11, 15.05), "faya-largeau": (17.92, 19.12),
        "omdurman": (15.65, 32.48), "jabal-uweinat": (21.90, 24.97), "salloum": (31.55, 25.15),
        "lampedusa": (35.52, 12.57), "valletta": (35.90, 14.51),
        "porto-empedocle": (37.29, 13.53), "pozzallo": (36.73, 14.85),
        "gaziantep": (37.07, 37.38), "afrin": (36.51, 36.87), "hawar-kilis": (36.65, 37.08),
    },
    "syria": {
        "damascus": (33.51, 36.29), "aleppo": (36.20, 37.16), "homs": (34.73, 36.72),
        "hama": (35.13, 36.76), "latakia": (35.53, 35.79), "tartus": (34.89, 35.89),
        "palmyra": (34.56, 38.28), "deir-ez-zor": (35.34, 40.14),
        "khan-shaykhun": (35.44, 36.65), "khmeimim": (35.41, 35.95), "raqqa": (35.95, 39.01),
        "hasakah": (36.50, 40.75), "qamishli": (37.05, 41.23), "kobani": (36.89, 38.35),
        "manbij": (36.53, 37.95), "afrin": (36.51, 36.87), "tal-rifaat": (36.4733, 37.0972),
        "azaz": (36.59, 37.05), "al-bab": (36.37, 37.52), "jarablus": (36.82, 38.01),
        "tal-abyad": (36.70, 38.95), "ras-al-ain": (36.85, 40.07), "idlib": (35.93, 36.63),
        "maarat-al-numan": (35.65, 36.67), "saraqib": (35.86, 36.81),
        "jisr-al-shughur": (35.81, 36.32),
    },
}  # fmt: skip
# Places with no coordinates quoted outside the gazetteer: they are not checked, and the list is
# closed so that a new place must bring a reference or be added here on purpose.
NO_REFERENCE = {
    "libya": {"bin-jawad", "al-khadim", "sidi-barrani", "istanbul", "ankara"},
    "syria": {"mare", "nubl", "ain-issa", "tall-tamr"},  # added to bound enclaves; gazetteer only
}


# -- reading the files as written (not through the loader, which would stop at the first problem)


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / name
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ids(value: str | None) -> list[str]:
    return [s.strip() for s in (value or "").split(";") if s.strip()]


def _sourced_rows(folder: Path) -> Iterable[tuple[str, int, dict]]:
    """Every row that cites sources, as (file, line, row); maritime items included."""
    for name in SOURCED:
        for line, row in enumerate(_csv(folder, name), start=2):
            yield name, line, row
    maritime = folder / "maritime.yaml"
    if maritime.exists():
        for i, item in enumerate(yaml.safe_load(maritime.read_text(encoding="utf-8")) or []):
            yield "maritime.yaml", i + 1, {"source": str(item.get("source", "")), **item}


# -- the rules -----------------------------------------------------------------------------------


def sources_without_url(folder: Path) -> list[str]:
    return [
        f"sources.csv:{line}: {row['id']} has no URL"
        for line, row in enumerate(_csv(folder, "sources.csv"), start=2)
        if not (row.get("url") or "").startswith(("http://", "https://"))
    ]


def unlisted_sources(folder: Path) -> list[str]:
    known = {row["id"] for row in _csv(folder, "sources.csv")}
    return [
        f"{name}:{line}: cites {sid!r}, not in sources.csv"
        for name, line, row in _sourced_rows(folder)
        for sid in _ids(row.get("source"))
        if sid not in known
    ]


def certainty_problems(folder: Path) -> list[str]:
    """The checkable part of the certainty rule (docs/theatres.md)."""
    titles = {row["id"]: row["title"] for row in _csv(folder, "sources.csv")}
    partisan = {sid for sid, title in titles.items() if any(p in title for p in PARTISAN)}
    problems = []
    for name, line, row in _sourced_rows(folder):
        ids, certainty = set(_ids(row.get("source"))), row.get("certainty")
        where = f"{name}:{line}"
        if certainty == "disputed" and len(ids) < 2:
            problems.append(f"{where}: disputed but cites {len(ids)} source(s); both sides needed")
        if certainty == "reported" and ids and ids <= partisan:
            problems.append(f"{where}: reported but cites only partisan sources {sorted(ids)}")
        if certainty == "approximate" and name in ("control.csv", "backers.csv", "events.csv"):
            problems.append(f"{where}: 'approximate' is for positions, not for claims")
    return problems


def date_problems(folder: Path) -> list[str]:
    """control.csv is sorted by date, and no place or stretch of time drops out."""
    rows = _csv(folder, "control.csv")
    problems, days = [], [dt.date.fromisoformat(r["date"]) for r in rows]
    for line, (a, b) in enumerate(zip(days, days[1:], strict=False), start=3):
        if b < a:
            problems.append(f"control.csv:{line}: {b} comes after {a}; rows must be sorted by date")
    dates = sorted(set(days))
    for a, b in zip(dates, dates[1:], strict=False):
        if (b - a).days > MAX_GAP_DAYS:
            problems.append(f"control.csv: a gap of {(b - a).days} days between {a} and {b}")
    places_on: dict[dt.date, set[str]] = {d: set() for d in dates}
    for row, day in zip(rows, days, strict=True):
        places_on[day].add(row["place"])
    listed: set[str] = set()
    for d in dates:
        dropped = listed - places_on[d]
        if dropped:
            problems.append(f"control.csv: {sorted(dropped)} listed before {d} but not on {d}")
        listed |= places_on[d]
    return problems


def distance_problems(theatre, reference: dict, exempt: set[str]) -> list[str]:
    problems = []
    for pid, place in theatre.places.iterrows():
        if pid not in reference:
            if pid not in exempt:
                problems.append(f"places.csv: {pid} has no reference coordinates to check against")
            continue
        lat, lon = reference[pid]
        km = GEOD.inv(lon, lat, place["lon"], place["lat"])[2] / 1000
        if km > MAX_KM:
            problems.append(f"places.csv: {pid} resolves {km:.0f} km from ({lat}, {lon})")
    return problems


# -- the real data -------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=THEATRES)
def folder(request) -> Path:
    return ROOT / request.param


@pytest.fixture(scope="module")
def libya():
    return load_theatre("libya")


@pytest.fixture(scope="module")
def syria():
    return load_theatre("syria")


def test_every_source_has_a_url(folder):
    assert sources_without_url(folder) == []


def test_every_cited_source_is_listed(folder):
    assert unlisted_sources(folder) == []


def test_certainty_follows_the_rule(folder):
    assert certainty_problems(folder) == []


def test_control_dates_are_sorted_and_without_gaps(folder):
    assert date_problems(folder) == []


@pytest.mark.parametrize("name", THEATRES)
def test_towns_resolve_within_10_km_of_their_reference(name, libya, syria):
    theatre = {"libya": libya, "syria": syria}[name]
    assert distance_problems(theatre, REFERENCE[name], NO_REFERENCE.get(name, set())) == []


# -- the timelines the issue asks for ------------------------------------------------------------


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        out.append(nxt - dt.timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


def test_libya_has_every_month_end_and_the_turning_points(libya):
    dates = set(libya.dates)
    assert set(_month_ends(dt.date(2019, 4, 1), dt.date(2020, 10, 1))) <= dates
    turning = ["2019-06-26", "2020-01-06", "2020-04-13", "2020-05-18", "2020-06-04", "2020-06-05",
               "2020-10-23"]  # fmt: skip
    assert {dt.date.fromisoformat(d) for d in turning} <= dates


def test_syria_has_the_dates_of_the_issue(syria):
    wanted = ["2019-08-23", "2019-10-08", "2019-10-23", "2019-12-01", "2020-01-28", "2020-03-06"]
    assert [str(d) for d in syria.dates] == wanted


def _holder(theatre, place: str, date: str) -> str:
    point = theatre.places.loc[[place]].geometry
    return control.control_of_points(theatre, date, point)["actor"].iloc[0]


@pytest.mark.parametrize(
    ("place", "date", "actor"),
    [
        ("sirte", "2019-12-31", "gna"),
        ("sirte", "2020-01-31", "lna"),
        ("sabratha", "2020-03-31", "lna"),
        ("sabratha", "2020-04-30", "gna"),
        ("al-watiya", "2020-05-31", "gna"),
        ("gharyan", "2019-05-31", "lna"),
        ("gharyan", "2019-06-30", "gna"),
        ("tarhuna", "2020-05-31", "lna"),
        ("tarhuna", "2020-06-05", "gna"),
        ("tripoli-airport", "2020-05-31", "lna"),
        ("tripoli-airport", "2020-06-04", "gna"),
        ("zuwara", "2019-12-22", "gna"),
    ],
)
def test_libya_acceptance_values(libya, place, date, actor):
    assert _holder(libya, place, date) == actor


def test_corrections_of_the_fact_check(libya, syria):
    rows = libya.control.set_index(["place", "date"])
    day = dt.date(2019, 12, 22)
    assert rows.at[("zuwara", day), "status"] == "controlled"
    assert rows.at[("al-aziziya", day), "status"] == "contested"
    assert rows.at[("al-aziziya", day), "certainty"] == "disputed"
    murzuq = libya.control[(libya.control["place"] == "murzuq")]
    tebu = murzuq[murzuq["actor"] == "gna"]
    assert len(tebu) and set(tebu["certainty"]) == {"uncertain"}
    backers = libya.backers.set_index("backer")
    assert str(backers.at["egypt", "start"]) == "2015-02-16"
    assert str(backers.at["wagner", "start"]) == "2018-10-01"
    assert backers.at["russia", "start"] != backers.at["wagner", "start"]
    assert backers.at["france", "certainty"] == "disputed"
    assert {"jordan", "france", "qatar", "italy"} <= set(backers.index)
    assert "wagner-tripoli-front" in set(libya.events["id"])
    figures = libya.figures.set_index("id")
    assert {
        figures.at["med-dead-missing", "value"],
        figures.at["med-dead-missing-unhcr-europe", "value"],
    } == {1845, 1336}
    assert set(figures.loc[["med-dead-missing", "med-dead-missing-unhcr-europe"], "certainty"]) == {
        "disputed"
    }
    syr = syria.control.set_index(["place", "date"])
    assert syr.at[("maarat-al-numan", dt.date(2019, 12, 1)), "actor"] == "hts"
    assert syr.at[("maarat-al-numan", dt.date(2019, 12, 1)), "status"] == "controlled"


@pytest.mark.parametrize("date", ["2019-08-23", "2019-12-01", "2020-03-06"])
def test_tal_rifaat_is_outside_the_turkish_backed_zone(syria, date):
    assert _holder(syria, "tal-rifaat", date) == "sdf"
    zones = control.zones_at(syria, date)
    sna = zones[zones["actor"] == "sna"].geometry.union_all()
    assert not sna.contains(syria.places.at["tal-rifaat", "geometry"])


def test_maarat_al_numan_changes_hands(syria):
    assert _holder(syria, "maarat-al-numan", "2019-12-01") == "hts"
    assert _holder(syria, "maarat-al-numan", "2020-03-06") == "syrian-government"


# -- the rules catch what they are for -----------------------------------------------------------


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "libya"
    shutil.copytree(ROOT / "libya", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_source_without_url_is_caught(copy):
    _edit(copy / "sources.csv", "https://www.dw.com/en/libyas-benghazi", "")
    assert any("BG1 has no URL" in p for p in sources_without_url(copy))


def test_an_unlisted_source_is_caught(copy):
    _edit(copy / "control.csv", ",reported,BG1;E4,", ",reported,BG1;XX9,")
    assert any("'XX9'" in p for p in unlisted_sources(copy))


def test_a_disputed_row_with_one_source_is_caught(copy):
    _edit(copy / "control.csv", ",disputed,A3;A4,", ",disputed,A3,")
    assert any("disputed but cites 1" in p for p in certainty_problems(copy))


def test_a_reported_row_with_only_partisan_sources_is_caught(copy):
    _edit(copy / "control.csv", ",uncertain,Z3,", ",reported,Z3,")
    assert any("only partisan" in p for p in certainty_problems(copy))


def test_unsorted_and_gapped_dates_are_caught(copy):
    path = copy / "control.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    swapped = [header, body[-1], *body[:-1]]
    path.write_text("\n".join(swapped) + "\n", encoding="utf-8")
    assert any("must be sorted" in p for p in date_problems(copy))
    kept = [header] + [b for b in body if not b.startswith(("2019-05", "2019-06", "2019-07"))]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert any("a gap of" in p for p in date_problems(copy))
    holed = [header] + [b for b in body if not b.startswith("2019-12-22,sirte,")]
    path.write_text("\n".join(holed) + "\n", encoding="utf-8")
    assert any("['sirte'] listed before 2019-12-22" in p for p in date_problems(copy))


def test_a_town_far_from_its_reference_is_caught(libya):
    moved = dict(REFERENCE["libya"], sirte=(31.21, 16.80))  # about 20 km east
    problems = distance_problems(libya, moved, NO_REFERENCE["libya"])
    assert problems == [problems[0]] and "sirte resolves 20 km" in problems[0]
    unknown = {k: v for k, v in REFERENCE["libya"].items() if k != "derna"}
    assert any("derna has no reference" in p for p in distance_problems(libya, unknown, set()))


def test_desert_far_from_every_town_is_low_certainty(libya):
    """Ground over 100 km from the town of its cell is set apart for a low-certainty drawing."""
    remote = control.remote_at(libya, "2019-12-22")
    zones = control.zones_at(libya, "2019-12-22")
    assert set(remote["actor"]) <= set(zones["actor"]) and (remote["reach_km"] == 100).all()
    far = remote.geometry.union_all()
    deep_desert = Point(20.0, 22.5)  # between Kufra and the Chad border
    assert far.contains(deep_desert)
    assert not any(far.contains(p) for p in libya.places.geometry if p.within(zones.union_all()))
    crs = control.local_crs(control.theatre_shape(libya))
    remote_m, zones_m = remote.to_crs(crs), zones.to_crs(crs)
    for actor, part in remote_m.set_index("actor").geometry.items():
        held = zones_m[zones_m["actor"] == actor].geometry.union_all()
        assert part.difference(held).area < part.area * 1e-3, actor  # inside its own zones
    assert control.remote_at(libya, "2018-01-01").empty
