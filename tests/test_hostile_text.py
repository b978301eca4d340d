"""Hostile text in the outputs that are not HTML: CSV formulas and terminal escapes (issue 17)."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pytest

from geo.cli import main
from geo.safe_text import FORMULA_START, TerminalFormatter, csv_cell, for_terminal

PAYLOAD = '=HYPERLINK("http://example.invalid/x","Tripoli")'
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"


@pytest.fixture
def hostile_article(tmp_path) -> Path:
    path = tmp_path / "hostile.md"
    path.write_text(
        f'---\ntitle: "Clashes \\e]0;owned\\a\\e[2J near Sirte"\ndate: 2019-06-01\n---\n'
        f"{PAYLOAD} fighting went on in Tripoli.\n\n"
        "+Misrata fell quiet.\n\n-Benghazi waited. @Tobruk too.\n",
        encoding="utf-8",
    )
    return path


def _no_formula(rows: list[dict]) -> None:
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(FORMULA_START), row


def test_csv_cells_are_neutralised_text_only():
    assert csv_cell(PAYLOAD) == "'" + PAYLOAD
    for start in FORMULA_START:
        assert csv_cell(start + "1") == "'" + start + "1"
    assert csv_cell("Tripoli") == "Tripoli"
    assert csv_cell(-12.5) == -12.5  # numbers stay numbers
    assert csv_cell(None) is None


def test_places_csv_never_starts_a_cell_with_a_formula(hostile_article, capsys):
    assert main(["places", "--format", "csv", str(hostile_article)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows
    _no_formula(rows)
    assert any(row["sentence"].startswith("'=HYPERLINK") for row in rows)


def test_export_csv_never_starts_a_cell_with_a_formula(hostile_article, tmp_path, capsys):
    out = tmp_path / "layers.csv"
    assert main(["export", str(hostile_article), "-o", str(out), "-q"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows
    _no_formula(rows)


def test_terminal_escapes_are_made_visible():
    shown = for_terminal("a" + ESCAPES + "b")
    assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e")
    assert shown == "a\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eb"
    assert for_terminal("two\nlines\ttab", one_line=True) == "two\\nlines\\ttab"
    assert for_terminal("kept\nnewline") == "kept\nnewline"
    record = logging.LogRecord("geo", logging.WARNING, __file__, 1, "bad %s", (ESCAPES,), None)
    assert "\x1b" not in TerminalFormatter("%(message)s").format(record)


def test_table_output_escapes_titles_and_cells(hostile_article, capsys):
    assert main(["places", "--format", "table", str(hostile_article)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;owned\\x07" in out


def test_error_messages_escape_file_names(tmp_path, capsys):
    bad = tmp_path / "bad\x1b[31mname\x07.md"
    bad.write_bytes(b"\xff\xfe not UTF-8")
    assert main(["places", "--format", "json", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "bad\\x1b[31mname\\x07.md" in err
    assert err.count("\n") == 1


def test_deeply_nested_front_matter_is_one_line_and_the_next_files_still_come_out(tmp_path, capsys):
    deep = tmp_path / "deep.md"
    deep.write_text("---\ntitle: " + "[" * 800 + "]" * 800 + "\n---\nFighting in Tripoli.\n")
    fine = tmp_path / "fine.md"
    fine.write_text("---\ntitle: Fine\ndate: 2019-06-01\n---\nFighting in Misrata.\n")
    assert main(["places", "--format", "json", str(deep), str(fine)]) == 2
    captured = capsys.readouterr()
    import json

    assert [d["path"] for d in json.loads(captured.out)["documents"]] == [str(fine)]
    assert captured.err.count("\n") == 1 and "nests deeper" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("command", ["export csv", "export gpkg", "export geojson", "corpus"])
def test_an_unwritable_output_is_one_line(command, hostile_article, tmp_path, capsys):
    """The error names the output asked for, never a temp file beside it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    if command.startswith("export"):
        target = blocker / f"x.{command.split()[1]}"
        argv = ["export", str(hostile_article), "-o", str(target), "-q"]
    else:
        jsonl = tmp_path / "a.jsonl"
        jsonl.write_text('{"id": "a", "date": "2019-06-01", "text": "Fighting in Tripoli."}\n')
        target = blocker / "o.parquet"
        argv = ["corpus", str(jsonl), "--out", str(target), "-q"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Not a directory" in err and "Traceback" not in err
    if command.startswith("export"):
        assert f"{target}: Not a directory" in err and ".tmp" not in err


@pytest.mark.parametrize("command", ["places", "build", "export", "corpus"])
def test_an_unusable_cache_folder_is_one_line(command, monkeypatch, tmp_path, capsys):
    """GEO_CACHE_DIR naming a file: one line that says what to do, before any work."""
    from geo import settings
    from geo.corpus import worker
    from geo.gazetteer import index

    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(settings, "CACHE_DIR", blocker)
    monkeypatch.setattr(index, "_OPEN", {})
    worker._warm.cache_clear()  # as in a fresh process: nothing loaded yet
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: A\ndate: 2019-06-01\n---\nFighting in Tripoli.\n")
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"id": "a", "date": "2019-06-01", "text": "Fighting in Tripoli."}\n')
    argv = {
        "places": ["places", str(article)],
        "build": ["build", str(article), "--out", str(tmp_path / "maps"), "-q"],
        "export": ["export", str(article), "-o", str(tmp_path / "x.csv"), "-q"],
        "corpus": ["corpus", str(jsonl), "--out", str(tmp_path / "c.parquet"), "-q"],
    }[command]
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"cache folder {blocker} cannot hold the gazetteer index" in err
    assert "GEO_CACHE_DIR" in err
