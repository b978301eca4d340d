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
    monkeypatch.setattr(article_map, "iter_enriched", lambda rows, date: rows)


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
    # Enough articles that a build (faster with every release) is still running when killed.
    count = 120
    for i in range(count):
        _article(src, f"n{i:03d}.md", f"Article {i}")
    (src / "a.md").write_text(ARTICLE.format(title="Rewritten"), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "build", str(src), "--out", str(out), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (out / "n000.html").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    # Killed mid-run: it had written a new map and was still running when the signal landed.
    assert (out / "n000.html").exists(), "the build wrote nothing new in 60 s"
    assert proc.poll() is None, "the build finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    built = [i for i in range(count) if (out / f"n{i:03d}.html").exists()]
    assert len(built) < count, "every article was built: the kill came too late to test anything"
    after = (out / "a.html").read_bytes()
    assert after == before or after.rstrip().endswith(b"</html>")
    for page in out.glob("*.html"):
        assert page.read_bytes().rstrip().endswith(b"</html>"), page.name
    assert (out / "index.html").is_file()
    # The next build finishes the job.
    report = build.build([src], out, progress=False)
    assert report.ok and (out / f"n{count - 1:03d}.html").is_file()


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


def test_a_no_op_rebuild_checks_each_article_once(tmp_path, monkeypatch):
    """The plan is one pass: resolving paths grows with the articles, not with their square."""
    src, out = tmp_path / "in", tmp_path / "maps"
    src.mkdir()
    out.mkdir()
    state: dict = {"maps": {}}
    n = 400
    for i in range(n):
        path = src / f"a{i:04d}.md"
        path.write_text(f"Article {i} about Tripoli.\n", encoding="utf-8")
        key = build.article_key(path.read_bytes(), "shared")
        state["maps"][str(path.resolve())] = {"slug": f"a{i:04d}", "key": key}
        for name in build._outputs(f"a{i:04d}"):
            (out / name).touch()
    articles, _ = build.find_articles([src])
    calls = 0
    real = Path.resolve

    def counting(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "resolve", counting)
    report = build.BuildReport()
    todo = build._plan(articles, out, state, "shared", {}, build.RESERVED, False, report)
    assert todo == [] and len(report.skipped) == n
    assert calls <= 3 * n


def test_the_size_limit_is_checked_before_reading(tmp_path, no_theatres, gazetteer, capsys):
    src = tmp_path / "in"
    _article(src, "small.md")
    with open(src / "huge.md", "wb") as fh:  # sparse: 3 GB that take no disk and, unread, no RAM
        fh.truncate(3 * 2**30)
    code = main(["build", str(src), "--out", str(tmp_path / "maps"), "--quiet", "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "huge.md" in err and "over the" in err and "limit" in err
    assert "Traceback" not in err
    assert (tmp_path / "maps" / "small.html").is_file()


def test_links_fifos_and_devices_in_the_input_folder_are_skipped_by_name(
    tmp_path, no_theatres, gazetteer, capsys
):
    import os

    src, outside = tmp_path / "in", tmp_path / "outside"
    _article(src, "real.md", "Inside the folder")
    _article(outside, "secret.md", "A file outside the folder")
    (src / "outside.md").symlink_to(outside / "secret.md")
    (src / "zero.md").symlink_to("/dev/zero")
    (src / "loop.md").symlink_to(src / "loop.md")
    (src / "dangling.md").symlink_to(src / "missing.md")
    os.mkfifo(src / "fifo.md")
    out = tmp_path / "maps"
    code = main(["build", str(src), "--out", str(out), "--quiet", "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Traceback" not in err
    lines = {line.split(": ")[1]: line for line in err.splitlines() if "skipped" in line}
    assert "symbolic link, skipped" in lines[str(src / "outside.md")]
    assert "symbolic link to a device" in lines[str(src / "zero.md")]
    assert "loop" in lines[str(src / "loop.md")]
    assert "dangling" in lines[str(src / "dangling.md")]
    assert "FIFO" in lines[str(src / "fifo.md")]
    assert sorted(p.name for p in out.glob("*.html")) == ["index.html", "real.html"]
    assert "outside the folder" not in (out / "index.html").read_text()

    # Opting in reads the link to a regular file; devices, loops and FIFOs stay skipped.
    code = main(["build", str(src), "--out", str(out), "--quiet", "--follow-symlinks"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert (out / "outside.html").is_file() and "zero.md" in err and "fifo.md" in err

    # A device named directly is refused in one line, not read.
    code = main(["build", str(src / "zero.md"), "--out", str(tmp_path / "m2"), "--quiet"])
    err = capsys.readouterr().err
    assert "zero.md: symbolic link to a device" in err and "Traceback" not in err


def test_reserved_slugs_never_take_the_corpus_map_or_index_names(tmp_path, no_theatres, gazetteer):
    import json

    src, out = tmp_path / "in", tmp_path / "maps"
    src.mkdir()
    out.mkdir()
    (out / "overview.html").write_text("<html>corpus map</html>", encoding="utf-8")
    (out / "corpus-maps.json").write_text(
        json.dumps([{"file": "overview.html", "title": "Overview"}]), encoding="utf-8"
    )
    for slug in ("corpus", "overview", "assets"):
        (src / f"{slug}.md").write_text(
            f"---\nslug: {slug}\n---\nFighting reached Tripoli.\n", encoding="utf-8"
        )
    report = build.build([src], out, progress=False)
    assert report.ok, report.failed
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["assets-map.html", "corpus-map.html", "index.html", "overview-map.html",
                     "overview.html"]  # fmt: skip
    assert (out / "overview.html").read_text() == "<html>corpus map</html>"


def test_corpus_map_output_names_are_validated(tmp_path, no_theatres, gazetteer, capsys):
    import json

    out = tmp_path / "maps"
    src = tmp_path / "in"
    _article(src, "kept.md")
    build.build([src], out, progress=False)
    for bad in ("javascript:alert(1).html", "a b.html", ".hidden.html", "index.html", "kept.html"):
        code = main(["corpus-map", str(tmp_path / "none.parquet"), "--out", str(out / bad)])
        err = capsys.readouterr().err
        assert code != 0 and err.count("\n") == 1 and "Traceback" not in err, (bad, err)
        assert not (out / bad).exists() or bad in ("index.html", "kept.html")
    # A listing written by hand (or by an older version) cannot put a scheme in the index.
    (out / "javascript:alert(1).html").write_text("x", encoding="utf-8")
    (out / "corpus-maps.json").write_text(
        json.dumps([{"file": "javascript:alert(1).html", "title": "Bad"}]), encoding="utf-8"
    )
    build.build([src], out, progress=False, force=True)
    assert "javascript:" not in (out / "index.html").read_text()


def test_temp_files_of_a_killed_build_are_removed_on_the_next_run(tmp_path, no_theatres, gazetteer):
    src, out = tmp_path / "in", tmp_path / "maps"
    _article(src, "a.md")
    build.build([src], out, progress=False)
    stale = [out / ".a.html.x1y2z3.tmp", out / "assets" / "geo" / ".index-page.js.abc.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")
    keep = out / "notes.tmp"  # not a temp file of ours: kept
    keep.write_text("mine", encoding="utf-8")
    build.build([src], out, progress=False)
    assert not any(p.exists() for p in stale)
    assert keep.exists()


def test_two_workers_write_the_same_bytes_as_one(tmp_path, no_theatres, gazetteer):
    src = tmp_path / "in"
    for i in range(5):
        _article(src, f"a{i}.md", f"Article number {i}")
    (src / "bad.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody\n")
    outputs = {}
    for workers in (1, 2):
        out = tmp_path / f"maps{workers}"
        report = build.build([src], out, progress=False, workers=workers)
        assert len(report.built) == 5 and [f for f, _ in report.failed] == [str(src / "bad.md")]
        outputs[workers] = {
            str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    assert outputs[1] == outputs[2]


def test_touching_one_article_rewrites_only_its_files(tmp_path, no_theatres, gazetteer):
    src, out = tmp_path / "in", tmp_path / "maps"
    for i in range(4):
        _article(src, f"a{i}.md", f"Article number {i}")
    first = build.build([src], out, progress=False, workers=2)
    assert len(first.built) == 4
    assert build.build([src], out, progress=False).written == []
    _article(src, "a2.md", "Article number 2, corrected")
    again = build.build([src], out, progress=False, workers=2)
    assert again.built == [str(src / "a2.md")] and len(again.skipped) == 3
    assert sorted(again.written) == sorted(
        ["a2.html", "a2.geojson", "a2.csv", "a2.review.csv", "index.html"]
    ) or sorted(again.written) == sorted(["a2.html", "index.html"])


def test_a_dask_cluster_builds_the_same_bytes_as_one_process(tmp_path, gazetteer):
    pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    for i, town in enumerate(["Lyon", "Marseille", "Toulouse"]):  # outside every theatre: quick
        (src / f"f{i}.md").write_text(
            f"---\ntitle: Storm {i}\ndate: 2020-01-0{i + 1}\n---\nA storm reached {town}.\n",
            encoding="utf-8",
        )
    outputs = {}
    for name, kwargs in (("one", {"workers": 1}), ("dask", {"scheduler": "local", "workers": 2})):
        out = tmp_path / name
        report = build.build([src], out, progress=False, **kwargs)
        assert report.ok and len(report.built) == 3, report.failed
        outputs[name] = {
            str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    assert outputs["one"] == outputs["dask"]


def test_theatre_hashes_keep_reach_apart_from_content(tmp_path, monkeypatch):
    from geo import theatres

    copies = [Path(shutil.copytree(f, tmp_path / f.name)) for f in theatres.theatre_folders()]
    monkeypatch.setattr(theatres, "theatre_folders", lambda: copies)
    reach, content = build.theatre_versions()
    assert {"libya", "syria"} <= set(content)
    control = tmp_path / "libya" / "control.csv"
    rows = control.read_text(encoding="utf-8").splitlines(keepends=True)
    control.write_text("".join(rows[:-1]), encoding="utf-8")  # one control row less
    reach2, content2 = build.theatre_versions()
    assert reach2 == reach and content2["libya"] != content["libya"]
    assert {k: v for k, v in content2.items() if k != "libya"} == {
        k: v for k, v in content.items() if k != "libya"
    }
    with (tmp_path / "libya" / "routes.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")  # routes decide which places a theatre reaches: every article may change
    assert build.theatre_versions()[0] != reach


def test_a_theatre_data_change_rebuilds_only_that_theatres_articles(
    tmp_path, gazetteer, monkeypatch
):
    import json

    src = tmp_path / "in"
    _article(src, "libya.md", "Fighting in Libya")
    (src / "france.md").write_text(
        "---\ntitle: Storm\ndate: 2019-12-22\n---\nA storm reached Lyon.\n", encoding="utf-8"
    )
    out = tmp_path / "maps"
    assert len(build.build([src], out, progress=False).built) == 2
    state = json.loads((out / ".build-state.json").read_text(encoding="utf-8"))
    used = {e["slug"]: sorted(e["theatres"]) for e in state["maps"].values()}
    assert used == {"libya": ["libya"], "france": []}
    reach, content = build.theatre_versions()
    changed = content | {"libya": "one control row edited"}
    monkeypatch.setattr(build, "theatre_versions", lambda: (reach, changed))
    again = build.build([src], out, progress=False)
    assert again.built == [str(src / "libya.md")] and again.skipped == [str(src / "france.md")]
    assert not [f for f in again.written if f.startswith("france")]
    assert build.build([src], out, progress=False).built == []


def test_a_failure_midway_leaves_the_previous_map_and_its_files_as_they_were(
    tmp_path, no_theatres, gazetteer, monkeypatch
):
    """Each file of an article is written as soon as it is made, but only put in place once
    all are: an article that fails after its data files were written keeps its previous page
    and data files, byte for byte, and leaves no temporary file behind."""
    src = tmp_path / "in"
    path = _article(src, "a.md")
    out = tmp_path / "maps"
    assert build.build([src], out, progress=False).ok
    names = ("a.html", "a.geojson", "a.csv", "a.review.csv")
    before = {n: (out / n).read_bytes() for n in names}
    path.write_text(ARTICLE.format(title="Rewritten").replace("Benghazi", "Misrata"), "utf-8")
    staged: list[list[str]] = []
    real_add, real_render = build.StagedFiles.add, article_map.render_page

    def add(self, name, chunks):
        real_add(self, name, chunks)
        staged.append(sorted(p.name for p in out.glob(".*.tmp")))

    def fail(m, name="map"):
        raise RuntimeError("the page failed")

    monkeypatch.setattr(build.StagedFiles, "add", add)
    monkeypatch.setattr(article_map, "render_page", fail)
    report = build.build([src], out, progress=False)
    assert [f[0] for f in report.failed] == [str(path)]
    assert "the page failed" in report.failed[0][1]
    # the three data files were written (to temporary files) before the page failed
    assert [len(s) for s in staged] == [1, 2, 3]
    assert {n: (out / n).read_bytes() for n in names} == before
    assert not list(out.rglob("*.tmp"))
    monkeypatch.setattr(build.StagedFiles, "add", real_add)
    monkeypatch.setattr(article_map, "render_page", real_render)
    report = build.build([src], out, progress=False)
    assert report.ok and {"a.html", "a.geojson", "a.csv"} <= set(report.written)
    assert b"Misrata" in (out / "a.geojson").read_bytes()


def test_staged_files_are_put_in_place_together_and_only_when_changed(tmp_path):
    from geo._io import StagedFiles

    (tmp_path / "same.txt").write_text("kept\n", encoding="utf-8")
    (tmp_path / "old.txt").write_text("old\n", encoding="utf-8")
    with StagedFiles(tmp_path) as files:
        files.add("same.txt", ["ke", "pt\n"])
        files.add("old.txt", ["new\n"])
        files.add("sub/fresh.txt", iter(["é" * 3, "\n"]))
        assert (tmp_path / "old.txt").read_text() == "old\n"
        assert not (tmp_path / "sub" / "fresh.txt").exists()
        assert files.commit() == ["old.txt", "sub/fresh.txt"]
    assert (tmp_path / "old.txt").read_text() == "new\n"
    assert (tmp_path / "sub" / "fresh.txt").read_text(encoding="utf-8") == "ééé\n"
    with pytest.raises(RuntimeError), StagedFiles(tmp_path) as files:
        files.add("old.txt", ["newer\n"])
        raise RuntimeError("midway")
    assert (tmp_path / "old.txt").read_text() == "new\n"
    assert not list(tmp_path.rglob("*.tmp"))
