"""Hostile faults in a corpus run: damaged parts, dead workers, odd lines, a wrong scheduler.

Issue 17: a damaged part must never be trusted (a rerun redoes it and names it), a worker that
dies must cost at most its own batch, JSON Lines split at newlines only, and a ``--scheduler``
that is not Dask must be one line, not a hang.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import corpus
from geo.cli import main
from geo.corpus import runners
from geo.errors import ConfigurationError, InputError
from geo.synthetic import synthetic_corpus, write_jsonl

N = 12


@pytest.fixture(scope="module")
def jsonl(gazetteer, tmp_path_factory) -> Path:
    return write_jsonl(synthetic_corpus(N, seed=11), tmp_path_factory.mktemp("c") / "news.jsonl")


@pytest.fixture(scope="module")
def clean(jsonl, tmp_path_factory) -> pd.DataFrame:
    """The rows of a clean run, in one go."""
    out = tmp_path_factory.mktemp("clean") / "places.parquet"
    report = corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=3, progress=False)
    assert report.ok and report.done == N
    return _frame(out)


def _frame(path: Path) -> pd.DataFrame:
    return pd.DataFrame(gpd.read_parquet(path).to_wkt())


def _parts(out: Path) -> list[Path]:
    return sorted(corpus.parts_dir(out).glob("part-*.parquet"))


# --------------------------------------------------------------------------- damaged parts


def test_a_damaged_part_is_named_redone_and_the_rows_are_those_of_a_clean_run(
    jsonl, clean, tmp_path, capsys
):
    out = tmp_path / "places.parquet"
    corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=3, progress=False)
    parts = _parts(out)
    assert len(parts) == 4
    victim = parts[1]
    data = bytearray(victim.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 512] = os.urandom(512)
    victim.write_bytes(bytes(data))
    victims_keys = set(json.loads(victim.with_suffix(".json").read_text())["keys"])

    assert main(["corpus", str(jsonl), "--out", str(out), "--workers", "1", "-q"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if str(victim) in line]
    assert len(lines) == 1 and "damaged part" in lines[0] and "checksum" in lines[0]
    assert "Traceback" not in err
    pd.testing.assert_frame_equal(_frame(out), clean)
    # The redone articles are in a verified part again; a third run trusts every part.
    again = corpus.geoparse_corpus([jsonl], out, workers=1, progress=False)
    assert (again.done, again.skipped, again.damaged) == (0, N, [])
    assert victims_keys <= set(corpus.done_parts(corpus.parts_dir(out), corpus.pipeline_version()))


@pytest.mark.parametrize("damage", ["truncate", "no-record", "record-rows", "empty"])
def test_every_kind_of_damage_is_redone(jsonl, clean, tmp_path, damage):
    out = tmp_path / "places.parquet"
    corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=3, progress=False)
    victim = _parts(out)[0]
    record = victim.with_suffix(".json")
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[:-100])
    elif damage == "no-record":  # a run killed between the part and its record
        record.unlink()
    elif damage == "record-rows":
        meta = json.loads(record.read_text())
        record.write_text(json.dumps({**meta, "rows": meta["rows"] + 1}))
    else:
        victim.write_bytes(b"")
    report = corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=3, progress=False)
    assert report.ok and report.damaged == [str(victim)]
    assert report.done == 3 and report.skipped == N - 3
    pd.testing.assert_frame_equal(_frame(out), clean)


def test_combine_never_reads_a_part_damaged_after_it_was_checked(jsonl, tmp_path):
    out = tmp_path / "places.parquet"
    corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=6, progress=False)
    folder = corpus.parts_dir(out)
    items, _ = corpus.read_corpus([jsonl])
    done = corpus.done_parts(folder, corpus.pipeline_version())
    victim = _parts(out)[0]
    victim.write_bytes(victim.read_bytes()[:-1] + b"\0")
    with pytest.raises(InputError, match="damaged part") as caught:
        corpus.combine(items, done, tmp_path / "again.parquet")
    assert str(victim) in str(caught.value) and "\n" not in str(caught.value)
    assert not victim.exists()  # its articles are redone by the next run
    assert not (tmp_path / "again.parquet").exists()


def test_temp_files_of_a_killed_run_are_cleaned_up(jsonl, tmp_path):
    out = tmp_path / "places.parquet"
    corpus.geoparse_corpus([jsonl], out, workers=1, batch_size=6, progress=False)
    folder = corpus.parts_dir(out)
    dead = folder / f".part-0123.parquet.{2**22 + 12345}.tmp"  # beyond pid_max: no such process
    alive = folder / f".part-4567.parquet.{os.getpid()}.tmp"
    dead.write_bytes(b"half a part")
    alive.write_bytes(b"being written")
    corpus.geoparse_corpus([jsonl], out, workers=1, progress=False)
    assert not dead.exists() and alive.exists()


# --------------------------------------------------------------------------- dead workers


def die_once(batch):
    """Kill this worker process the first time it gets the batch with the marked article."""
    flag = Path(os.environ["GEO_TEST_DIE_FLAG"])
    if any(key == os.environ["GEO_TEST_DIE_KEY"] for key, *_ in batch) and not flag.exists():
        flag.write_text("died")
        os.kill(os.getpid(), signal.SIGKILL)
    return corpus.geoparse_batch(batch)


def die_always(batch):
    """Kill this worker process whenever it gets the batch with the marked article."""
    if any(key == os.environ["GEO_TEST_DIE_KEY"] for key, *_ in batch):
        os.kill(os.getpid(), signal.SIGKILL)
    return corpus.geoparse_batch(batch)


def test_a_run_with_a_worker_killed_finishes_every_article(jsonl, clean, tmp_path, monkeypatch):
    items, _ = corpus.read_corpus([jsonl])
    monkeypatch.setenv("GEO_TEST_DIE_KEY", items[4].key)
    monkeypatch.setenv("GEO_TEST_DIE_FLAG", str(tmp_path / "died"))
    monkeypatch.setattr(runners, "geoparse_batch", die_once)
    out = tmp_path / "places.parquet"
    report = corpus.geoparse_corpus([jsonl], out, workers=2, batch_size=2, progress=False)
    assert (tmp_path / "died").exists(), "a worker was killed"
    assert report.ok and report.done == N and not report.failed
    pd.testing.assert_frame_equal(_frame(out), clean)


def test_a_batch_that_kills_its_worker_twice_fails_alone(jsonl, clean, tmp_path, monkeypatch):
    items, _ = corpus.read_corpus([jsonl])
    monkeypatch.setenv("GEO_TEST_DIE_KEY", items[4].key)
    monkeypatch.setattr(runners, "geoparse_batch", die_always)
    out = tmp_path / "places.parquet"
    failures = []
    report = corpus.geoparse_corpus(
        [jsonl],
        out,
        workers=2,
        batch_size=2,
        progress=False,
        on_failure=lambda source, reason: failures.append((source, reason)),
    )
    poisoned = {items[4].source, items[5].source}  # the batch of two holding the marked one
    assert {source for source, _ in report.failed} == poisoned
    assert all(reason == runners.WORKER_DIED for _, reason in failures)
    assert report.done == N - 2
    done_ids = set(_frame(out)["article_id"])
    assert done_ids == set(clean["article_id"]) - {items[4].id, items[5].id}


# --------------------------------------------------------------------------- JSON Lines


def test_json_lines_split_at_newlines_only(tmp_path):
    path = tmp_path / "odd.jsonl"
    records = [
        {"id": "sep", "date": "2019-06-01", "text": "Fighting in Tripoli\u2028and Misrata\u2029."},
        {"id": "nel", "date": "2019-06-02", "text": "Calm in Sirte\u0085today."},
        {"id": "crlf", "date": "2019-06-03", "text": "Talks in Tunis."},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_bytes((lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\r\n" + "{broken\n").encode())
    items, failed = corpus.read_corpus([path])
    assert [i.id for i in items] == ["sep", "nel", "crlf"]
    assert [i.text for i in items] == [r["text"] for r in records]
    assert failed == [(f"{path}:4", failed[0][1])] and "not valid JSON" in failed[0][1]


# --------------------------------------------------------------------------- --scheduler


class _Talker:
    """A loopback TCP service that is not Dask: silent, or greeting like an SSH server."""

    def __init__(self, greeting: bytes) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.greeting = greeting
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.greeting:
                conn.sendall(self.greeting)

    def close(self) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


def test_a_silent_service_is_not_waited_on_forever():
    talker = _Talker(b"")
    try:
        with pytest.raises(ConfigurationError, match="did not greet as a Dask scheduler"):
            runners.probe_scheduler(talker.address, timeout=0.5)
    finally:
        talker.close()


def test_a_scheduler_that_is_not_dask_is_one_line(jsonl, tmp_path, capsys):
    talker = _Talker(b"SSH-2.0-OpenSSH_9.6\r\n")
    try:
        code = main(
            [
                "corpus",
                str(jsonl),
                "--out",
                str(tmp_path / "o.parquet"),
                "--scheduler",
                talker.address,
            ]  # fmt: skip
        )
    finally:
        talker.close()
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "not as a Dask scheduler" in err and "Traceback" not in err
