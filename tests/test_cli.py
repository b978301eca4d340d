"""The CLI in real processes: stdout carries only the output, errors are one line, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"


def geo(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_places_json_contract(gazetteer):
    out = geo("places", "--format", "json", "seeds/libya-2019-12.md")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)  # stdout is JSON alone
    (doc,) = data["documents"]
    assert doc["path"] == "seeds/libya-2019-12.md"
    assert doc["title"] and doc["date"] == "2019-12-22"
    text = SEED.read_text(encoding="utf-8")
    keys = {
        "mention",
        "start",
        "end",
        "sentence",
        "name",
        "lat",
        "lon",
        "country",
        "kind",
        "id",
        "score",
    }
    for p in doc["places"]:
        assert keys <= set(p)
        assert text[p["start"] : p["end"]] == p["mention"]
        assert isinstance(p["score"], float) and 0 <= p["score"] <= 1


@pytest.mark.parametrize("fmt", ["table", "csv", "geojson"])
def test_other_formats(fmt, gazetteer):
    out = geo("places", "--format", fmt, str(SEED))
    assert out.returncode == 0, out.stderr
    assert "Tripoli" in out.stdout
    if fmt == "geojson":
        assert json.loads(out.stdout)["type"] == "FeatureCollection"


def _assert_one_line_error(out: subprocess.CompletedProcess, needle: str) -> None:
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], out.stderr


def test_bad_inputs_give_one_line_and_exit_2(tmp_path, gazetteer):
    binary = tmp_path / "img.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 in Tripoli")
    _assert_one_line_error(geo("places", str(tmp_path / "missing.md")), "no such file")
    _assert_one_line_error(geo("places", str(tmp_path)), "directory")
    _assert_one_line_error(geo("places", str(binary)), "binary")
    _assert_one_line_error(geo("places", str(bad)), "UTF-8")


def test_empty_file_gives_an_empty_result(tmp_path, gazetteer):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    out = geo("places", "--format", "json", str(empty))
    assert out.returncode == 0 and json.loads(out.stdout)["documents"][0]["places"] == []


def test_one_bad_file_does_not_hide_the_good_ones(tmp_path, gazetteer):
    out = geo("places", "--format", "json", str(tmp_path / "missing.md"), str(SEED))
    assert out.returncode == 2
    assert len(json.loads(out.stdout)["documents"]) == 1


def test_large_file_is_processed_whole_in_windows(tmp_path, gazetteer):
    body = SEED.read_text(encoding="utf-8").split("---\n", 2)[2]
    one = tmp_path / "one.txt"
    one.write_text(body)
    big = tmp_path / "big.txt"
    big.write_text(body * 2000)  # about 5 MB: several context windows
    per_copy = geo("places", "--format", "csv", str(one)).stdout.count("\n") - 1
    out = geo("places", "--format", "csv", str(big))
    assert out.returncode == 0
    assert out.stdout.count("\n") - 1 == 2000 * per_copy


def test_geocode_lists_ranked_candidates(gazetteer):
    out = geo("geocode", "Tripoli", "--format", "json", "--limit", "3")
    cands = json.loads(out.stdout)["candidates"]
    assert [c["country"] for c in cands][:2] == ["LY", "LB"]
    assert cands[0]["score"] >= cands[1]["score"]


def test_unknown_geocoder_is_a_one_line_error(gazetteer):
    _assert_one_line_error(geo("places", "--geocoder", "nope", str(SEED)), "unknown geocoder")
