"""Hostile input: articles and theatre folders from tests/hostile/ must never crash the pipeline.

Articles carry script and HTML payloads, odd encodings and path-hostile front matter; ``geo
places`` runs on them as users run it (a subprocess) and must answer each with places whose
offsets hold, or one stderr line and exit code 2. Each folder under tests/hostile/theatres/
overlays the small fixture theatre with broken files; loading it must raise one
TheatreDataError naming the file, the line and the field, and write nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.articles import load_article
from geo.errors import GeoError, TheatreDataError
from geo.theatres import Resolved, Theatre, load_theatre

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile"
ARTICLES = sorted((HOSTILE / "articles").iterdir())
MINI = HERE / "fixtures" / "theatres" / "mini"

# Files that are not usable articles: each gets one stderr line, the others still get answers.
BAD_ARTICLES = {
    "enc-latin1.md",
    "enc-nul-in-body.md",
    "enc-overlong.md",
    "enc-surrogate-bytes.md",
    "enc-truncated-utf8.md",
    "enc-utf16-be-no-bom.md",
    "enc-utf16-le.md",
    "payload-yaml-python-tag.md",
    "text-date-not-a-date.md",
    "text-front-matter-invalid.md",
    "text-front-matter-list.md",
    "text-bad-date.md",
}


def _geo(*args: str) -> subprocess.CompletedProcess[str]:
    """``geo ARGS`` as a user runs it: the installed console script, its own process.

    Output is decoded strictly as UTF-8 and without newline translation, so a stray CR or a
    byte that is not UTF-8 shows up as what it is.
    """
    script = Path(sys.executable).with_name("geo")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "geo"]
    done = subprocess.run(
        [*command, *args],
        capture_output=True,
        timeout=300,
        cwd=HOSTILE / "articles",
        env=os.environ | {"PYTHONIOENCODING": "utf-8"},
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def _text(path: Path) -> str:
    """The text offsets index into: the file decoded as ``geo`` decodes it."""
    return path.read_bytes().decode("utf-8-sig")


def _checked_stderr(stderr: str, names: list[str]) -> set[str]:
    """The files stderr complains about; at most one line each, never a traceback."""
    assert "Traceback" not in stderr, stderr
    complained: list[str] = []
    for line in stderr.splitlines():
        match = re.match(r"geo places: (.+?): ", line)
        assert match and match.group(1) in names, line
        complained.append(match.group(1))
    assert len(complained) == len(set(complained)), stderr
    return set(complained)


# -- articles ------------------------------------------------------------------------------------


def test_the_corpus_is_large_and_varied():
    names = [p.name for p in ARTICLES]
    assert len(names) >= 50
    for prefix in ("payload-", "text-", "enc-", "path-"):
        assert sum(n.startswith(prefix) for n in names) >= 8, prefix


@pytest.fixture(scope="module")
def places_json() -> tuple[subprocess.CompletedProcess[str], list[str]]:
    names = [p.name for p in ARTICLES]
    return _geo("places", "--format", "json", *names), names


def test_places_answers_every_hostile_article_or_names_it_once(places_json):
    done, names = places_json
    assert done.returncode == 2, done.stderr
    assert _checked_stderr(done.stderr, names) == BAD_ARTICLES
    documents = json.loads(done.stdout)["documents"]
    assert [d["path"] for d in documents] == [n for n in names if n not in BAD_ARTICLES]


def test_build_maps_every_hostile_article_or_refuses_it_in_one_line(tmp_path):
    """``geo build`` over the whole hostile folder: a page for each usable article, one stderr
    line for each file that is not one, a summary, and never a traceback."""
    names = [p.name for p in ARTICLES]
    out = tmp_path / "maps"
    done = _geo("build", "-q", "--out", str(out), *names)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    *lines, summary = done.stderr.splitlines()
    refused = []
    for line in lines:
        match = re.match(r"geo build: (.+?): ", line)
        assert match and match.group(1) in names, line
        assert not line.startswith(f"{match.group(0)}{match.group(1)}: "), line  # named once
        refused.append(match.group(1))
    assert sorted(refused) == sorted(BAD_ARTICLES)
    built = len(names) - len(BAD_ARTICLES)
    assert summary.startswith(f"geo build: {built} built, 0 unchanged, {len(refused)} failed")
    pages = [p for p in out.glob("*.html") if p.name != "index.html"]
    assert len(pages) == built
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), page.name
        assert page.with_suffix(".geojson").is_file() and page.with_suffix(".csv").is_file()


def test_every_offset_points_at_its_mention(places_json):
    done, _ = places_json
    found = 0
    for doc in json.loads(done.stdout)["documents"]:
        text = _text(HOSTILE / "articles" / doc["path"])
        for place in doc["places"]:
            assert text[place["start"] : place["end"]] == place["mention"], (doc["path"], place)
            found += 1
    assert found > 100


def test_payloads_come_back_as_plain_data(places_json):
    """Titles are returned as written (JSON-escaped), a lone surrogate included."""
    done, _ = places_json
    titles = {d["path"]: d["title"] for d in json.loads(done.stdout)["documents"]}
    assert titles["payload-script-title.md"] == "<script>alert('title')</script> Tripoli"
    assert titles["payload-close-script-in-string.md"].startswith("</script><script>")
    assert titles["text-lone-surrogate-in-yaml.md"] == "a lone \ufffd surrogate"
    assert titles["text-nul-escaped-in-yaml.md"] == "a NUL \x00 in the title"


@pytest.mark.parametrize("fmt", ["geojson", "csv", "table"])
def test_other_formats_survive_the_corpus(fmt):
    names = [p.name for p in ARTICLES]
    done = _geo("places", "--format", fmt, *names)
    assert done.returncode == 2
    assert _checked_stderr(done.stderr, names) == BAD_ARTICLES
    if fmt == "geojson":
        features = json.loads(done.stdout)["features"]
        assert features and all(f["properties"]["path"] in names for f in features)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
        assert rows
        for row in rows:
            text = _text(HOSTILE / "articles" / row["path"])
            assert text[int(row["start"]) : int(row["end"])] == row["mention"], row


def test_csv_rows_survive_a_bare_carriage_return():
    """A CR-only file's sentences hold bare CRs; every CSV row must still be one record."""
    done = _geo("places", "--format", "csv", "text-cr-only.md")
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    assert rows and all(row["path"] == "text-cr-only.md" for row in rows), rows[:2]


def test_an_impossible_front_matter_date_is_one_line():
    """PyYAML raises a bare ValueError for the timestamp 2019-13-45."""
    done = _geo("places", "--format", "json", "text-bad-date.md")
    assert done.returncode == 2
    assert _checked_stderr(done.stderr, ["text-bad-date.md"]) == {"text-bad-date.md"}


@pytest.mark.parametrize("path", [p for p in ARTICLES if p.name.startswith("path-")], ids=str)
def test_a_slug_is_always_a_safe_file_stem(path: Path):
    slug = load_article(path).slug
    assert slug and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
    assert len(slug) <= 80


# -- theatre folders -----------------------------------------------------------------------------

FAKE = {
    ("Tripoli", "LY"): (32.887, 13.187),
    ("Misrata", "LY"): (32.375, 15.093),
    ("Sirte", "LY"): (31.209, 16.589),
    ("Benghazi", "LY"): (32.115, 20.069),
    ("Sabha", "LY"): (27.038, 14.428),
}


def fake_resolver(name: str, country: str | None) -> Resolved | None:
    """A stand-in gazetteer, so format tests need no index."""
    hit = FAKE.get((name, country))
    return Resolved(f"fake:{name}", *hit, "city") if hit else None


# case folder -> (file, line, field) the one error must name; None: no field applies.
BROKEN = {
    "csv-unterminated-quote": ("control.csv", 3, "place"),
    "csv-text-after-quote": ("places.csv", 4, "name"),
    "csv-too-many-fields": ("actors.csv", 3, "note"),
    "csv-duplicate-column": ("routes.csv", 1, "name"),
    "csv-nul-in-field": ("places.csv", 4, "name"),
    "csv-latin1-byte": ("places.csv", 7, "note"),
    "csv-utf16": ("sources.csv", 1, None),
    "header-with-newline": ("routes.csv", 1, "na\nme"),
    "type-lat-not-a-number": ("places.csv", 7, "lat"),
    "type-lat-out-of-range": ("places.csv", 7, "lat"),
    "type-lat-nan": ("places.csv", 7, "lat"),
    "type-order-not-an-int": ("waypoints.csv", 3, "order"),
    "type-colour-name": ("actors.csv", 3, "colour"),
    "type-value-infinite": ("figures.csv", 2, "value"),
    "type-status-unknown": ("control.csv", 4, "status"),
    "payload-in-values": ("actors.csv", 2, "colour"),
    "unknown-place-name": ("places.csv", 5, "name"),
    "unknown-place-id": ("control.csv", 12, "place"),
    "unknown-actor": ("control.csv", 10, "actor"),
    "unknown-source": ("events.csv", 2, "source"),
    "date-impossible-day": ("control.csv", 11, "date"),
    "date-wrong-format": ("backers.csv", 2, "start"),
    "date-end-before-start": ("backers.csv", 2, "end"),
    "town-claimed-twice": ("control.csv", 14, "place"),
    "missing-required-column": ("control.csv", 1, "actor"),
    "missing-required-value": ("actors.csv", 2, "name"),
    "no-places": ("places.csv", 2, "id"),
    "wkt-string-geometry": ("maritime.yaml", 6, "geometry"),
    "wkt-self-intersecting": ("maritime.yaml", 6, "geometry"),
    "geojson-self-intersecting": ("maritime.yaml", 6, "geometry"),
    "geojson-open-ring": ("maritime.yaml", 6, "geometry"),
    "geojson-projected-coordinates": ("maritime.yaml", 6, "geometry"),
    "geojson-unknown-crs": ("maritime.yaml", 6, "geometry"),
    "yaml-item-crs-key": ("maritime.yaml", 6, "crs"),
    "yaml-theatre-crs-key": ("theatre.yaml", 4, "crs"),
    "yaml-bad-timestamp": ("maritime.yaml", 6, "valid_from"),
    "yaml-datetime-vs-date": ("maritime.yaml", 6, "valid_from"),
    "yaml-exclude-not-a-list": ("maritime.yaml", 6, "exclude"),
    "yaml-clip-not-bool": ("maritime.yaml", 6, "clip_to_sea"),
    "yaml-python-tag": ("theatre.yaml", 2, "name"),
    "yaml-name-not-text": ("theatre.yaml", 2, "name"),
}
# Odd but valid: a BOM and CRLF line ends load like plain UTF-8.
VALID = {"csv-crlf-and-bom-load"}


def _overlay(case: str, root: Path) -> Path:
    """The fixture theatre with the case's files laid over it, in ``root``."""
    folder = root / "mini"
    shutil.copytree(MINI, folder)
    for f in (HOSTILE / "theatres" / case).iterdir():
        shutil.copyfile(f, folder / f.name)
    return folder


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_every_case_folder_has_an_expectation():
    cases = {p.name for p in (HOSTILE / "theatres").iterdir() if p.is_dir()}
    assert cases == set(BROKEN) | VALID


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_theatre_fails_once_naming_file_line_and_field(case, tmp_path, monkeypatch):
    folder = _overlay(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    with pytest.raises(TheatreDataError) as err:
        load_theatre(folder, resolver=fake_resolver)
    file, line, fld = BROKEN[case]
    message = str(err.value)
    assert message.startswith(f"{folder / file}:{line}: "), message
    if fld is not None:
        assert f"field {fld!r}: " in message, message
    assert "\n" not in message and "\r" not in message
    # one error: nothing chained behind it for a traceback to show
    assert err.value.__cause__ is None
    assert err.value.__context__ is None or err.value.__suppress_context__
    assert _tree(tmp_path) == before, "the load wrote or touched a file"


@pytest.mark.parametrize("case", sorted(VALID))
def test_odd_but_valid_theatre_files_load(case, tmp_path):
    theatre = load_theatre(_overlay(case, tmp_path), resolver=fake_resolver)
    assert len(theatre.control) == 12


# -- generated junk ------------------------------------------------------------------------------

CSV_FILES = sorted(p.name for p in MINI.glob("*.csv"))
# Tokens that pass single-cell checks, so junk also reaches the cross-reference checks.
TOKENS = [
    "tripoli", "sabha", "camp", "west", "east", "north", "S1", "S2", "S1;S2", "2019-01-01",
    "2020-01-01", "controlled", "reported", "LY", "1", "2", "27.5", "#000000", "land", "origin",
    "", " ", ";", '"', '""', ",", "\r\n", "\x00", "nan", "-1e999", "9" * 5000, "\ufeff", "é",
]  # fmt: skip
cell = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))
row = st.lists(cell, min_size=0, max_size=12)


def _csv_line(values: list[str], quote: bool) -> str:
    if quote:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(values)
        return buf.getvalue()
    return ",".join(values) + "\n"


def _load_or_data_error(folder: Path) -> None:
    """Load ``folder``: a Theatre or one one-line TheatreDataError, never anything else."""
    try:
        theatre = load_theatre(folder, resolver=fake_resolver)
    except TheatreDataError as exc:
        assert "\n" not in str(exc) and str(folder) in str(exc)
    else:
        assert isinstance(theatre, Theatre)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(CSV_FILES),
    rows=st.lists(st.tuples(row, st.booleans()), min_size=1, max_size=4),
    how=st.sampled_from(["append", "replace-line", "replace-file"]),
    where=st.integers(min_value=0, max_value=20),
    encoding=st.sampled_from(["utf-8", "utf-8", "utf-8", "latin-1", "utf-16"]),
)
@example(name="actors.csv", rows=[(['"'], False)], how="replace-line", where=0, encoding="utf-8")
def test_junk_csv_rows_only_ever_raise_theatre_data_error(name, rows, how, where, encoding):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mini"
        shutil.copytree(MINI, folder)
        junk = "".join(_csv_line(values, quote) for values, quote in rows)
        lines = (MINI / name).read_text(encoding="utf-8").splitlines(keepends=True)
        if how == "append":
            lines.append(junk)
        elif how == "replace-line":
            lines[where % len(lines)] = junk
        else:
            lines = [junk]
        errors = "surrogatepass" if encoding.startswith("utf") else "replace"
        (folder / name).write_bytes("".join(lines).encode(encoding, errors))
        _load_or_data_error(folder)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
maritime_keys = st.sampled_from(
    ["id", "name", "kind", "certainty", "source", "valid_from", "valid_to", "geometry", "derive"]
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["theatre.yaml", "maritime.yaml"]),
    data=st.one_of(
        json_like,
        st.lists(st.dictionaries(maritime_keys, json_like, max_size=9), max_size=3),
        st.dictionaries(st.sampled_from(["id", "name", "countries"]), json_like),
    ),
    raw=st.one_of(st.none(), st.text(max_size=80)),
)
def test_junk_yaml_only_ever_raises_theatre_data_error(name, data, raw):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mini"
        shutil.copytree(MINI, folder)
        text = raw if raw is not None else yaml.safe_dump(data, allow_unicode=True)
        (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        _load_or_data_error(folder)


def test_a_field_over_the_csv_limit_is_one_error(tmp_path):
    folder = _overlay("csv-crlf-and-bom-load", tmp_path)
    path = folder / "sources.csv"
    path.write_text(path.read_text() + 'S3,"' + "x" * 200_000 + '",,\n', encoding="utf-8")
    with pytest.raises(TheatreDataError, match=r"sources.csv:4: field 'title': is not valid CSV"):
        load_theatre(folder, resolver=fake_resolver)


def test_errors_stay_in_the_project_tree():
    assert issubclass(TheatreDataError, GeoError) and issubclass(TheatreDataError, ValueError)
