"""One theatre join: `geo places`, `geo export`, the map and `geo corpus` say the same thing.

For every place of the seed and of a few articles written for this test (a town the gazetteer
puts just off the coast, an article naming only an island on a migration route), the four give
the same control, status and as-of date; and a point 0.5 km off Tripoli is held by whoever holds
Tripoli, wherever it is asked about.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"

ARTICLES = {
    "coast.md": """---
title: "Boats leave the coast as the front moves east"
date: 2019-12-22
slug: coast
---
Fishermen in El Agheila said the road along the coast was quiet on Sunday. In Tripoli, families
queued for fuel while shelling was heard south of the city. Further east, traders in Benghazi and
Misrata reported higher prices, and a ferry from Malta was turned back.
""",
    "island.md": """---
title: "Arrivals rise on a small island"
date: 2019-12-22
slug: island
---
Volunteers on Lampedusa counted more arrivals this week than in any week of the autumn.
""",
    "north.md": """---
title: "Shelling before the ceasefire"
date: 2020-01-07
slug: north
---
Residents of Idlib and Afrin described a cold night. In Sirte, officials spoke of a truce.
""",
}
FIELDS = ("control", "control_status", "control_as_of")


@pytest.fixture(scope="module")
def articles(gazetteer, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("join-articles")
    paths = [SEED]
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def _key(place: dict) -> tuple:
    return (str(place["start"]), place["mention"])


def _answer(place: dict) -> tuple:
    """(control, status, as-of); a missing value (None, NaN from a Parquet file) as None, a
    date (the corpus GeoParquet types them) as its ISO text."""
    values = [v.isoformat() if hasattr(v, "isoformat") else v for v in map(place.get, FIELDS)]
    return tuple(v if isinstance(v, str) and v else None for v in values)


def _from_places(paths: list[Path], capsys) -> dict[str, dict[tuple, tuple]]:
    assert main(["places", "--format", "json", *map(str, paths)]) == 0
    docs = json.loads(capsys.readouterr().out)["documents"]
    return {d["path"]: {_key(p): _answer(p) for p in d["places"]} for d in docs}


def _from_export(path: Path, out: Path, capsys) -> tuple[dict[tuple, tuple], set[str]]:
    """The export's places, and the theatres its other layers come from."""
    assert main(["export", str(path), "--format", "geojson", "-o", str(out)]) == 0
    capsys.readouterr()
    props = [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    places = {_key(p): _answer(p) for p in props if p["layer"] == "places"}
    theatre_layers = {"zones", "frontlines", "routes", "events", "maritime"}
    return places, {p["theatre"] for p in props if p["layer"] in theatre_layers}


def _from_map(path: Path) -> tuple[dict[tuple, tuple], set[str]]:
    """What the map's popups are drawn from: the prepared rows, grouped into places."""
    from geo.places import places_from_file
    from geo.render.article_map import prepare
    from geo.render.places import group_places

    inputs = prepare(places_from_file(path))
    rows = {_key(r): _answer(r) for r in inputs.rows}
    for place in group_places(inputs.rows):
        for mention in place.mentions:
            assert (place.control, place.control_status) == rows[_key(mention)][:2]
    theatres = {t.id for t in inputs.theatre.theatres} if inputs.theatre else set()
    return rows, theatres


def _from_corpus(paths: list[Path], out: Path, capsys) -> dict[str, dict[tuple, tuple]]:
    assert main(["corpus", *map(str, paths), "--out", str(out), "--workers", "1"]) == 0
    capsys.readouterr()
    rows = gpd.read_parquet(out)
    by_title: dict[str, dict[tuple, tuple]] = {}
    for row in rows.to_dict("records"):
        by_title.setdefault(row["title"], {})[_key(row)] = _answer(row)
    return by_title


def test_four_commands_agree_on_every_place(articles, tmp_path, capsys):
    from geo.articles import load_article

    places = _from_places(articles, capsys)
    corpus = _from_corpus(articles, tmp_path / "corpus.parquet", capsys)
    checked = 0
    for path in articles:
        ours = places[str(path)]
        assert ours, path
        title = load_article(path).title
        export, exported = _from_export(path, tmp_path / f"{path.stem}.geojson", capsys)
        on_map, drawn = _from_map(path)
        assert export == ours, path
        assert drawn == exported, path  # the same theatres on the map as in the export
        assert on_map == ours, path
        assert corpus[title] == ours, path
        checked += len(ours)
    assert checked > 40
    everything = {a for doc in places.values() for a in doc.values()}
    assert ("lna", "controlled", "2019-12-22") in everything
    assert ("sna", "controlled", "2019-12-01") in everything  # syria: one recorded date


def test_a_town_just_off_the_coast_is_held(articles, capsys):
    """The gazetteer puts El Agheila a little outside Natural Earth's coastline."""
    from geo.control import theatre_shape
    from geo.theatres import load_all

    libya = next(t for t in load_all() if t.id == "libya")
    places = _from_places([articles[1]], capsys)[str(articles[1])]
    agheila = next(k for k in places if k[1] == "El Agheila")
    assert places[agheila] == ("lna", "controlled", "2019-12-22")
    assert not theatre_shape(libya).covers(Point(19.2, 30.27))


def test_an_island_on_a_route_brings_its_theatre_to_the_map(articles, capsys):
    island = articles[2]
    _, theatres = _from_map(island)
    assert theatres == {"libya"}
    from geo.join import join
    from geo.places import places_from_file

    joined = join(places_from_file(island).places, "2019-12-22")
    assert [t.id for t in joined.theatres] == ["libya"]
    assert len(joined.layers["routes"]) > 0 and len(joined.layers["maritime"]) > 0
    assert joined.layers["zones"].empty  # the island is not in Libya: no ground layers


def test_a_point_off_tripoli_is_held_everywhere(gazetteer):
    """0.5 km off Tripoli's shore, outside the coastline: the same answer on every path."""
    from geo.articles import article_from_text
    from geo.control import theatre_shape
    from geo.corpus import control_at_many
    from geo.join import enrich_records, theatre_layers
    from geo.places import Document
    from geo.render.article_map import prepare
    from geo.theatres import load_all

    libya = next(t for t in load_all() if t.id == "libya")
    lon, lat = 13.18733, 32.9203  # 0.5 km north of the coastline at Tripoli
    assert not theatre_shape(libya).covers(Point(lon, lat))
    record = {
        "mention": "off Tripoli",
        "start": 0,
        "end": 11,
        "name": "off Tripoli",
        "lat": lat,
        "lon": lon,
        "kind": "other",
        "id": "test:off-tripoli",
        "country": "LY",
        "score": 1.0,
    }
    date = "2019-12-22"
    expected = ("gna", "controlled", date)
    assert _answer(enrich_records([record], date)[0]) == expected
    placed = theatre_layers([record], date)["places"].iloc[0]
    assert _answer(placed.to_dict()) == expected
    assert tuple(control_at_many([([record], date)])[0][0]) == expected
    article = article_from_text(f"---\ndate: {date}\n---\noff Tripoli\n")
    inputs = prepare(Document("x.md", article, [record]))
    assert _answer(inputs.rows[0]) == expected


def test_one_vocabulary_of_kinds(gazetteer):
    """The kinds geo.vocab names are the kinds the gazetteer index gives places."""
    from geo.vocab import AREA_KINDS, GAZETTEER_KINDS

    emitted = {k for (k,) in gazetteer._con.execute("SELECT DISTINCT kind FROM places")}
    assert emitted == GAZETTEER_KINDS
    assert AREA_KINDS <= GAZETTEER_KINDS | {"unknown"}


def test_the_seeds_known_places(gazetteer, capsys):
    """What the sources say on the seeds' dates, through `geo places --format json`."""
    syria = ROOT / "seeds" / "syria-2019-12-idlib.md"
    assert main(["places", "--format", "json", str(SEED), str(syria)]) == 0
    docs = json.loads(capsys.readouterr().out)["documents"]
    by_name = [{p["name"]: p for p in d["places"]} for d in docs]
    tripoli, tobruk, ankara = (by_name[0][n] for n in ("Tripoli", "Tobruk", "Ankara"))
    assert _answer(tripoli) == ("gna", "controlled", "2019-12-22")
    assert tripoli["backers"] == ["turkey", "italy"]
    assert {"cmed-tripoli", "syrian-fighters"} <= set(tripoli["routes"])
    assert _answer(tobruk) == ("lna", "controlled", "2019-12-22")
    assert {"wagner", "uae", "egypt"} <= set(tobruk["backers"])
    assert _answer(ankara) == (None, None, None) and ankara["backers"] == []
    assert _answer(by_name[1]["Idlib"]) == ("hts", "controlled", "2019-12-01")
    assert by_name[1]["Damascus"]["backers"] == ["russia", "iran"]


def test_places_json_imports_no_tables(gazetteer):
    """The JSON path joins from the compiled theatre states: pandas, geopandas and pyproj are
    never imported (a quarter of a second at every start). A run compiles the states first
    when its cache is stale (a gazetteer index another checkout rebuilt meanwhile in a shared
    cache folder), so the check is the run after one that found them current."""
    import subprocess
    import sys

    script = (
        "import contextlib, io, sys\n"
        "from geo.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['places', '--format', 'json', {str(SEED)!r}]) == 0\n"
        "print(sorted({'pandas', 'geopandas', 'pyproj'} & set(sys.modules)))\n"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, out.stderr
        runs.append(out.stdout.strip())
        if runs[-1] == "[]":
            break
    assert runs[-1] == "[]", runs


def test_projections_agree_with_proj():
    """The join's plain-math projections give PROJ's coordinates (well under a millimetre)."""
    import random

    from pyproj import CRS, Transformer

    from geo.geodesy import Laea, aeqd_forward

    rng = random.Random(3)
    for lon0, lat0 in [(17.2, 26.3), (38.5, 35.0), (-70.0, -30.0)]:
        laea, aeqd = (
            Transformer.from_crs(
                4326,
                CRS.from_proj4(f"+proj={p} +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m"),
                always_xy=True,
            )
            for p in ("laea", "aeqd")
        )
        ours = Laea(lon0, lat0)
        for _ in range(300):
            lon, lat = lon0 + rng.uniform(-25, 25), lat0 + rng.uniform(-25, 25)
            for got, want in (
                (ours.forward(lon, lat), laea.transform(lon, lat)),
                (aeqd_forward(lon0, lat0, lon, lat), aeqd.transform(lon, lat)),
            ):
                assert abs(got[0] - want[0]) < 1e-3 and abs(got[1] - want[1]) < 1e-3


def test_a_theatre_state_is_cached_until_its_files_change(gazetteer, tmp_path):
    """A theatre folder's compiled state is kept once in the cache folder, read back by a new
    process, and replaced (not added to) when one of its rows changes."""
    import os
    import pickle
    import shutil
    import subprocess
    import sys

    from geo import settings
    from geo.theatres import load_theatre
    from geo.theatres.state import state_for_folder

    folder = tmp_path / f"syria{tmp_path.name.replace('_', '')}"
    shutil.copytree(ROOT / "geo" / "theatres" / "syria", folder)
    pattern = f"{folder.name}-*-state-*.pickle"
    cache = settings.CACHE_DIR / "join"
    forgotten = cache / f"{folder.name}x-00000000-state-0.pickle"  # a gone folder's state
    try:
        state = state_for_folder(folder)
        (first,) = cache.glob(pattern)
        assert pickle.loads(first.read_bytes()).control(state.dates[0], [(36.63, 35.93)]) == (
            state.control(state.dates[0], [(36.63, 35.93)])
        )
        script = (
            "import sys\nfrom geo.theatres.state import state_for_folder\n"
            f"s = state_for_folder({str(folder)!r})\n"
            "print(s.id, 'pandas' in sys.modules)\n"
        )
        for _ in range(2):  # a second run when a shared gazetteer was rebuilt meanwhile
            out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
            if out.stdout.split() == ["syria", "False"]:
                break
        assert out.stdout.split() == ["syria", "False"], out.stderr  # read, not recompiled
        forgotten.write_bytes(b"")
        os.utime(forgotten, (0, 0))
        control = folder / "control.csv"
        text = control.read_text(encoding="utf-8")
        control.write_text(text.replace(",hts,", ",sna,", 1), encoding="utf-8")
        changed = state_for_folder(folder)
        (second,) = cache.glob(pattern)
        assert second != first and changed is not state
        assert not forgotten.exists()  # not read for 30 days: removed with the next write
        assert changed.sides == load_theatre(folder).actors["side"].to_dict()
    finally:
        for stale in [*cache.glob(pattern), forgotten]:
            stale.unlink(missing_ok=True)
