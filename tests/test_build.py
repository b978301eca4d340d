"""``geo build``: side files, index, incremental skips, failures, atomic deterministic output."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from geo.cli import main
from geo.render import article_map, assets, build, theatre_layers

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "libya-2019-12.md"
ARTICLE = """---
title: {title}
date: 2019-12-22
source: Test wire
---
Fighting reached Tripoli and Benghazi on Monday. Officials in Tripoli said little.
"""


@pytest.fixture()
def no_theatres(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the theatre joins: these tests are about the build, and the joins take seconds."""
    monkeypatch.setattr(theatre_layers, "theatres_for", lambda rows: [])
    monkeypatch.setattr(article_map, "enrich_rows", lambda rows, date: rows)


def _article(folder: Path, name: str, title: str = "A test article") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(ARTICLE.format(title=title), encoding="utf-8")
    return path


def test_build_writes_map_side_files_index_and_assets(tmp_path, no_theatres, gazetteer):
    src = tmp_path / "in"
    _article(src, "one.md")
    out = tmp_path / "maps"
    report = build.build([src], out, progress=False)
    assert report.ok and report.built == [str(src / "one.md")]
    for name in ("one.html", "one.geojson", "one.csv", "one.review.csv", "index.html"):
        assert (out / name).is_file(), name
    page = (out / "one.html").read_text()
    assert assets.remote_references(page) == []
    for ref in set(__import__("re").findall(r'(?:src|href)="(assets/[^"]+)"', page)):
        assert (out / ref).is_file(), ref
    index = (out / "index.html").read_text()
    assert 'href="one.html"' in index and "A test article" in index
    assert 'href="index.html"' in page  # and the map links back
    assert not list(out.rglob("*.tmp"))


def test_unchanged_articles_are_skipped_and_changed_ones_rebuilt(tmp_path, no_theatres, gazetteer):
    src = tmp_path / "in"
    a = _article(src, "a.md")
    _article(src, "b.md", "Second")
    out = tmp_path / "maps"
    assert len(build.build([src], out, progress=False).built) == 2
    again = build.build([src], out, progress=False)
    assert again.built == [] and len(again.skipped) == 2
    a.write_text(ARTICLE.format(title="Changed"), encoding="utf-8")
    third = build.build([src], out, progress=False)
    assert third.built == [str(a)] and third.skipped == [str(src / "b.md")]
    assert "Changed" in (out / "index.html").read_text()


def test_forced_rebuild_is_byte_identical(tmp_path, no_theatres, gazetteer):
    src = tmp_path / "in"
    _article(src, "a.md")
    out = tmp_path / "maps"
    build.build([src], out, progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    build.build([src], out, force=True, progress=False)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert before == after


def test_a_failing_article_is_reported_and_the_others_build(
    tmp_path, no_theatres, gazetteer, capsys
):
    src = tmp_path / "in"
    _article(src, "good.md")
    (src / "bad.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody\n")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02")
    out = tmp_path / "maps"
    code = main(["build", str(src), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.md" in err and "front matter" in err
    assert "binary.txt" in err and "binary" in err
    assert "1 built" in err and "2 failed" in err
    assert (out / "good.html").is_file()


def test_slugs_cannot_leave_the_output_folder(tmp_path, no_theatres, gazetteer):
    src = tmp_path / "in"
    src.mkdir()
    for i, slug in enumerate(["../../escape", "/etc/passwd", "index", "Same", "same"]):
        (src / f"{i}.md").write_text(
            f"---\nslug: {slug!r}\n---\nFighting reached Tripoli.\n", encoding="utf-8"
        )
    out = tmp_path / "maps"
    report = build.build([src], out, progress=False)
    assert report.ok, report.failed
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["escape.html", "etc-passwd.html", "index-map.html", "index.html",
                     "same-2.html", "same.html"]  # fmt: skip
    assert not (tmp_path / "escape.html").exists()


def test_concurrent_builds_into_one_folder_both_finish(tmp_path, no_theatres, gazetteer):
    src = tmp_path / "in"
    _article(src, "a.md")
    out = tmp_path / "maps"
    reports = []
    threads = [
        threading.Thread(target=lambda: reports.append(build.build([src], out, progress=False)))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.ok for r in reports) and len(reports) == 2
    assert sorted(len(r.built) for r in reports) in ([0, 1], [1, 1])
    assert (out / "a.html").read_text().rstrip().endswith("</html>")


def test_seed_map_with_theatres_stays_small(tmp_path, gazetteer):
    out = tmp_path / "maps"
    report = build.build([SEED], out, progress=False)
    assert report.ok, report.failed
    page = out / "libya-2019-12.html"
    size = page.stat().st_size + sum(
        p.stat().st_size for p in (out / "assets").rglob("*") if p.is_file()
    )
    assert size < 3_000_000, f"{size / 1e6:.2f} MB"
    text = page.read_text()
    for key in ("zones", "frontline", "support", "routes", "maritime", "events"):
        assert f'GEO.layers["{key}"]' in text, key
    shutil.rmtree(out)


def test_a_killed_build_leaves_earlier_maps_whole(tmp_path, no_theatres, gazetteer):
    import os
    import signal
    import subprocess
    import sys
    import time

    src = tmp_path / "in"
    _article(src, "a.md")
    out = tmp_path / "maps"
    build.build([src], out, progress=False)
    before = (out / "a.html").read_bytes()
    for i in range(40):
        _article(src, f"n{i:02d}.md", f"Article {i}")
    (src / "a.md").write_text(ARTICLE.format(title="Rewritten"), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "build", str(src), "--out", str(out), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (out / "n00.html").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    after = (out / "a.html").read_bytes()
    assert after == before or after.rstrip().endswith(b"</html>")
    for page in out.glob("*.html"):
        assert page.read_bytes().rstrip().endswith(b"</html>"), page.name
    assert (out / "index.html").is_file()
    # The next build finishes the job.
    report = build.build([src], out, progress=False)
    assert report.ok and (out / "n39.html").is_file()


def test_a_deleted_article_leaves_the_index_and_the_folder(tmp_path, no_theatres, gazetteer):
    src = tmp_path / "in"
    gone = _article(src, "gone.md", "Soon gone")
    _article(src, "kept.md", "Kept")
    out = tmp_path / "maps"
    build.build([src], out, progress=False)
    gone.unlink()
    build.build([src], out, progress=False)
    assert not (out / "gone.html").exists() and not (out / "gone.csv").exists()
    assert "Soon gone" not in (out / "index.html").read_text()
    assert (out / "kept.html").is_file()
