"""The CLI through ``main(argv)``: stdout carries only the output, errors are one line, exit codes,
``-`` for stdin and stdout, -q/-v, help texts, suggestions. One test runs the real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo import cli

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"


class _Stdin:
    """Standard input as a test sees it: bytes under ``.buffer``, text lines when iterated."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def __iter__(self):
        return iter(self.buffer.read().decode("utf-8").splitlines(keepends=True))


class _Stdout(io.TextIOWrapper):
    def getvalue(self) -> bytes:
        self.flush()
        return self.buffer.getvalue()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(result: tuple[int, str, str], needle: str) -> None:
    code, _, err = result
    assert code == 2
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], err


def test_the_installed_command_runs_in_its_own_process(gazetteer):
    """The one subprocess test: the entry point, stdout alone is JSON, exit code."""
    out = subprocess.run(
        [sys.executable, "-m", "geo", "places", "--format", "json", "seeds/libya-2019-12.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    (doc,) = json.loads(out.stdout)["documents"]
    assert doc["path"] == "seeds/libya-2019-12.md"


def test_places_json_contract(gazetteer, capsys):
    code, out, err = run(capsys, "places", "--format", "json", str(SEED))
    assert code == 0, err
    (doc,) = json.loads(out)["documents"]  # stdout is JSON alone
    assert doc["title"] and doc["date"] == "2019-12-22"
    text = SEED.read_text(encoding="utf-8")
    keys = {"mention", "start", "end", "sentence", "name", "lat", "lon", "country", "kind", "id"}
    for p in doc["places"]:
        assert keys | {"score"} <= set(p)
        assert text[p["start"] : p["end"]] == p["mention"]
        assert isinstance(p["score"], float) and 0 <= p["score"] <= 1


@pytest.mark.parametrize("fmt", ["table", "csv", "geojson"])
def test_other_formats(fmt, gazetteer, capsys):
    code, out, err = run(capsys, "places", "--format", fmt, str(SEED))
    assert code == 0, err
    assert "Tripoli" in out
    if fmt == "geojson":
        assert json.loads(out)["type"] == "FeatureCollection"


def test_places_reads_an_article_from_stdin(gazetteer, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(SEED.read_bytes()))
    code, out, err = run(capsys, "places", "--format", "json", "-")
    assert code == 0, err
    (doc,) = json.loads(out)["documents"]
    assert doc["path"] == "-" and doc["date"] == "2019-12-22"
    _, from_file, _ = run(capsys, "places", "--format", "json", str(SEED))
    assert doc["places"] == json.loads(from_file)["documents"][0]["places"]


def test_stdin_is_checked_as_a_file_is(gazetteer, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"caf\xe9 in Tripoli"))
    _assert_one_line_error(run(capsys, "places", "-"), "UTF-8")


def test_bad_inputs_give_one_line_and_exit_2(tmp_path, gazetteer, capsys):
    binary = tmp_path / "img.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 in Tripoli")
    _assert_one_line_error(run(capsys, "places", str(tmp_path / "missing.md")), "no such file")
    _assert_one_line_error(run(capsys, "places", str(tmp_path)), "directory")
    _assert_one_line_error(run(capsys, "places", str(binary)), "binary")
    _assert_one_line_error(run(capsys, "places", str(bad)), "UTF-8")


def test_empty_file_gives_an_empty_result(tmp_path, gazetteer, capsys):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    code, out, _ = run(capsys, "places", "--format", "json", str(empty))
    assert code == 0 and json.loads(out)["documents"][0]["places"] == []


def test_one_bad_file_does_not_hide_the_good_ones(tmp_path, gazetteer, capsys):
    code, out, _ = run(
        capsys, "places", "--format", "json", str(tmp_path / "missing.md"), str(SEED)
    )
    assert code == 2
    assert len(json.loads(out)["documents"]) == 1


def test_large_file_is_processed_whole_in_windows(tmp_path, gazetteer, capsys):
    body = SEED.read_text(encoding="utf-8").split("---\n", 2)[2]
    one = tmp_path / "one.txt"
    one.write_text(body)
    big = tmp_path / "big.txt"
    big.write_text(body * 2000)  # about 5 MB: several context windows
    per_copy = run(capsys, "places", "--format", "csv", str(one))[1].count("\n") - 1
    code, out, _ = run(capsys, "places", "--format", "csv", str(big))
    assert code == 0
    assert out.count("\n") - 1 == 2000 * per_copy


def test_geocode_lists_ranked_candidates(gazetteer, capsys):
    _, out, _ = run(capsys, "geocode", "Tripoli", "--format", "json", "--limit", "3")
    cands = json.loads(out)["candidates"]
    assert [c["country"] for c in cands][:2] == ["LY", "LB"]
    assert cands[0]["score"] >= cands[1]["score"]


def test_unknown_geocoder_is_a_one_line_error(gazetteer, capsys):
    _assert_one_line_error(
        run(capsys, "places", "--geocoder", "nope", str(SEED)), "unknown geocoder"
    )


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("geo ") and out.split()[1][0].isdigit()


def test_every_command_has_a_description_and_quiet_verbose(capsys):
    parser = cli.build_parser()
    commands = next(a.choices for a in parser._actions if hasattr(a, "choices") and a.choices)
    assert {"places", "export", "build", "corpus", "completion"} <= set(commands)
    for name, sub in commands.items():
        assert sub.description and len(sub.description) > 40, name
        options = {s for a in sub._actions for s in a.option_strings}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, name
        if any("--out" in a.option_strings for a in sub._actions):
            assert {"-o", "--output", "--out"} <= options, name


def test_a_typo_gets_a_suggestion(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["plases", "x.md"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() == "geo: unknown command 'plases' (did you mean 'places'?)"


def test_output_option_has_one_spelling_and_keeps_the_old_one(tmp_path, gazetteer, capsys):
    for option in ("-o", "--output", "--out"):
        out = tmp_path / f"seed{option.strip('-')}.geojson"
        code, _, err = run(capsys, "export", str(SEED), option, str(out))
        assert code == 0, err
        assert json.loads(out.read_text())["type"] == "FeatureCollection"


def test_export_to_stdout(gazetteer, capsys, monkeypatch):
    stdout = _Stdout(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    code = cli.main(["export", str(SEED), "-o", "-", "-q"])
    assert code == 0
    doc = json.loads(stdout.getvalue())
    assert doc["type"] == "FeatureCollection" and doc["features"]
    assert capsys.readouterr().err == ""  # -q: no summary


def test_export_gpkg_to_stdout_is_a_geopackage(gazetteer, monkeypatch, tmp_path):
    stdout = _Stdout(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli.main(["export", str(SEED), "-o", "-", "--format", "gpkg"]) == 0
    data = stdout.getvalue()
    assert data.startswith(b"SQLite format 3\x00")


def test_verbose_logs_on_stderr_and_quiet_silences(gazetteer, capsys):
    code, out, err = run(capsys, "setup")
    assert code == 0 and out == "" and "gazetteer index ready" in err
    code, out, err = run(capsys, "setup", "-q")
    assert code == 0 and out == "" and err == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, gazetteer, capsys):
    code, _, err = run(capsys, "build", str(SEED), "-o", str(tmp_path / "maps"))
    assert code == 0, err
    assert "it/s" not in err and "article/s" not in err and "\r" not in err
    assert err.strip().startswith("geo build: 1 built")


def test_build_refuses_stdout_for_a_folder(capsys):
    _assert_one_line_error(run(capsys, "build", str(SEED), "-o", "-"), "folder")


def test_shell_completion_script(capsys):
    code, out, _ = run(capsys, "completion", "bash")
    assert code == 0
    assert "places" in out and "export" in out and "complete" in out
