"""An article's rows streamed a row group at a time, from the worker to the combined file.

Issue 17: a corpus article of nothing but place names has millions of rows; the worker writes
them window by window as Parquet row groups, the parent copies them into the part a row group
at a time and the combine step reads parts the same way. Here the window and the row groups
are made small, so a generated article of a few thousand mentions spans many of each.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo import corpus, places
from geo.articles import article_from_text
from geo.cli import main
from geo.corpus import geoparquet, rowgroups
from geo.corpus.worker import ROW_TYPES

NAMES = ["Tripoli", "Misrata", "Sirte", "Benghazi", "Aleppo", "Idlib", "Homs", "Khartoum"]
WINDOW = 3_000  # characters of context (geo.places.CONTEXT_WINDOW is 200,000)


def _text(seed: int, lines: int = 40) -> str:
    """Lines of place names and a few claims: about 3,000 mentions over ``lines`` lines."""
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        names = ", ".join(rng.choice(NAMES) for _name in range(70))
        out.append(f"Forces shelled {rng.choice(NAMES)} on Monday. {names}.")
    return "\n".join(out)


@pytest.fixture(scope="module")
def jsonl(gazetteer, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "news.jsonl"
    records = [
        {"id": "small", "date": "2019-05-02", "text": "Fighting near Tripoli and Sirte."},
        {"id": "big", "date": "2019-06-01", "text": _text(1)},
        {"id": "none", "date": "2019-06-03", "text": "Nothing happened here."},
        {"id": "second", "date": "2019-07-01", "text": _text(2, lines=10)},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(places, "CONTEXT_WINDOW", WINDOW)


@pytest.fixture(scope="module")
def whole(jsonl, tmp_path_factory) -> Path:
    """The corpus run with the small window and the usual row groups: one group a part."""
    mp = pytest.MonkeyPatch()
    mp.setattr(places, "CONTEXT_WINDOW", WINDOW)
    try:
        out = tmp_path_factory.mktemp("whole") / "places.parquet"
        report = corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=4, progress=False)
    finally:
        mp.undo()
    assert report.ok and report.done == 4
    return out


def _streamed(monkeypatch, jsonl: Path, out: Path) -> corpus.CorpusReport:
    """A run whose worker, parts and output all have row groups of a few dozen rows."""
    monkeypatch.setattr(rowgroups, "GROUP_ROWS", 100)
    monkeypatch.setattr(geoparquet, "ROW_GROUP_ROWS", 70)  # output groups straddle part groups
    return corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=4, progress=False)


def _mentions(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, place id) of every mention, from geo.places directly."""
    article = article_from_text(text, "<test>")
    return [(p["start"], p["end"], p["id"]) for b in places.iter_place_batches(article) for p in b]


def test_an_article_of_many_windows_arrives_in_row_groups_with_every_row(
    jsonl, small_window, monkeypatch
):
    monkeypatch.setattr(rowgroups, "GROUP_ROWS", 100)
    text = _text(1)
    assert len(text) > 5 * WINDOW
    expected = _mentions(text)
    assert len(expected) > 2_000
    [(key, rows, error)] = corpus.geoparse_batch([("k", "<test>", text, "2019-06-01")])
    assert error is None
    groups = list(rowgroups.read_groups(rows.places))
    assert len(groups) > 5  # written as it was found, not held whole
    assert all(g.num_rows >= 100 for g in groups[:-1])
    table = pa.concat_tables(groups)
    assert table.schema == rowgroups.schema_of(ROW_TYPES)
    got = list(zip(*(table[c].to_pylist() for c in ("start", "end", "place_id")), strict=True))
    assert got == expected


def test_streamed_parts_give_the_same_output_as_whole_ones(jsonl, whole, tmp_path, monkeypatch):
    monkeypatch.setattr(places, "CONTEXT_WINDOW", WINDOW)
    out = tmp_path / "places.parquet"
    report = _streamed(monkeypatch, jsonl, out)
    assert report.ok and report.done == 4
    [part] = sorted(corpus.parts_dir(out).glob("part-*.parquet"))
    assert pq.ParquetFile(part).metadata.num_row_groups > 5
    assert pq.ParquetFile(out).metadata.num_row_groups > 5
    for name in ("places.parquet", "places.claims.parquet"):
        assert pq.read_table(out.with_name(name)).equals(
            pq.read_table(whole.with_name(name)), check_metadata=True
        )
    rows = pq.read_table(out, columns=["article_id", "start", "end", "place_id"])
    big = rows.filter(pa.compute.equal(rows["article_id"], "big"))
    got = list(zip(*(big[c].to_pylist() for c in ("start", "end", "place_id")), strict=True))
    assert got == _mentions(_text(1))


def test_a_damaged_part_of_many_row_groups_is_named_and_redone(
    jsonl, whole, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(places, "CONTEXT_WINDOW", WINDOW)
    out = tmp_path / "places.parquet"
    _streamed(monkeypatch, jsonl, out)
    [victim] = sorted(corpus.parts_dir(out).glob("part-*.parquet"))
    data = bytearray(victim.read_bytes())
    middle = len(data) // 2  # inside a row group in the middle of the file
    data[middle : middle + 512] = os.urandom(512)
    victim.write_bytes(bytes(data))

    assert main(["corpus", str(jsonl), "--out", str(out), "--workers", "1", "-q"]) == 0
    err = capsys.readouterr().err
    named = [line for line in err.splitlines() if str(victim) in line]
    assert len(named) == 1 and "damaged part" in named[0] and "Traceback" not in err
    assert pq.read_table(out).equals(pq.read_table(whole), check_metadata=True)
    again = corpus.geoparse_corpus([jsonl], out, workers=1, progress=False)
    assert (again.done, again.skipped, again.damaged) == (0, 4, [])


def test_group_writer_keeps_every_row_in_order(monkeypatch, tmp_path):
    monkeypatch.setattr(rowgroups, "GROUP_ROWS", 10)
    schema = rowgroups.schema_of({"n": "int64"})
    assert rowgroups.GroupWriter(schema).close() == b""  # nothing added: nothing sent
    writer = rowgroups.GroupWriter(schema)
    sizes = [3, 0, 4, 5, 12, 1, 2]
    first = 0
    for size in sizes:
        writer.add(pa.table({"n": list(range(first, first + size))}, schema=schema))
        first += size
    groups = list(rowgroups.read_groups(writer.close()))
    assert [g.num_rows for g in groups] == [12, 12, 3]
    assert pa.concat_tables(groups)["n"].to_pylist() == list(range(sum(sizes)))
    # To a file: a file with no rows still has the schema.
    empty = rowgroups.GroupWriter(schema, tmp_path / "empty.parquet")
    empty.close()
    assert pq.read_table(tmp_path / "empty.parquet").schema == schema
