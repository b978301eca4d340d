"""Map build and load numbers for the acceptance targets, side by side in one run.

- ``geo build`` of N synthetic articles (``geo.synthetic``; N = GEO_BENCH_ARTICLES, default
  1,000) with 2 workers, with 1 worker, and a plain folium map per article with only its place
  markers in one process (geoparsing included, as a user would have to; the folium part alone
  is printed too). Targets: 2 workers <= 2x plain folium; 2 workers >= 1.7x one worker.
- Output folder size per article.
- One page's steps: CPU per article of each (geoparse, join, labels, claims, page HTML...) in
  one warm process.
- Seed map: cold build time, page HTML and HTML + assets size, load-to-idle in headless
  chromium with the network blocked (median of 5).
- ``geo build`` on an unchanged tree, as a fresh process (median of 3).
- An index of 10,000 maps: load-to-idle (target < 1 s) and search latency (target < 100 ms).
- Cold ``geo places --format json`` on the seed beside a bare ``python -c pass`` (median of 5;
  target < 0.6 s), and the theatre joins' CPU per article beside geoparsing (target ~3 ms).
- A generated article with 5,000 places: render time, HTML size, load-to-idle.

Load-to-idle is ``performance.now()`` when the first ``requestIdleCallback`` after the load event
fires, i.e. from navigation start until the page has drawn and has nothing left to do.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_SLUG = "libya-2019-12"
# The seed page when every page carried its own theatre layers (issue 16's starting point).
BEFORE_PAGE_BYTES = 659_000
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _size(out: Path, page: str) -> int:
    """Bytes a reader's browser loads for one page: the page, the asset files it links, and
    the files those stylesheets point at (fonts, images) - not other pages' assets."""
    seen: set[Path] = set()
    todo = [out / page]
    while todo:
        f = todo.pop().resolve()
        if f in seen or not f.is_file():
            continue
        seen.add(f)
        if f.suffix in (".html", ".css"):
            text = f.read_text(encoding="utf-8", errors="replace")
            refs = re.findall(r'(?:src|href)="([^"#?:]+)"', text)
            refs += re.findall(r"url\(['\"]?([^'\")#?:]+)", text)
            todo += [f.parent / r for r in refs if not r.endswith(".html")]  # other pages
    return sum(f.stat().st_size for f in seen)


def load_to_idle(url: str, runs: int = 5) -> float | None:
    """Median milliseconds from navigation to the first idle callback (None without chromium)."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort(),
            )
            page.goto(url, wait_until="load")
            times.append(
                page.evaluate(
                    "new Promise(r => requestIdleCallback(() => r(performance.now()),"
                    " {timeout: 10000}))"
                )
            )
            page.close()
        browser.close()
    return statistics.median(times)


def generated_rows(n: int, seed: int = 1) -> tuple[str, list[dict]]:
    """An article text naming ``n`` distinct places, and their resolved mention rows."""
    rng = random.Random(seed)
    parts, rows, pos = [], [], 0
    for i in range(n):
        name = f"Place {i}"
        sentence = f"Fighting was reported in {name} on Monday."
        start = pos + sentence.index(name)
        rows.append(
            {
                "mention": name, "start": start, "end": start + len(name), "sentence": sentence,
                "name": name, "lat": rng.uniform(20, 33), "lon": rng.uniform(9, 25),
                "country": "LY", "kind": "town", "id": f"gen:{i}", "score": rng.random(),
                "alternatives": [], "demonym": False,
            }
        )  # fmt: skip
        parts.append(sentence + " ")
        pos += len(sentence) + 1
    return "".join(parts), rows


def run() -> None:
    run_scale()
    seed_and_large_pages()


def seed_and_large_pages() -> None:
    from geo.render.article_map import MapInputs, build_map, render_page
    from geo.render.assets import copy_assets
    from geo.render.build import build

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "maps"
        t0 = time.perf_counter()
        report = build([SEEDS], out, progress=False)
        cold = time.perf_counter() - t0
        assert report.ok, report.failed
        size = _size(out, f"{SEED_SLUG}.html")
        html = (out / f"{SEED_SLUG}.html").stat().st_size
        print(f"seed map: cold build {cold:.1f} s (one process, theatre joins included)")
        print(f"seed map: page HTML {html / 1e3:.0f} KB without shared assets (target < 150 KB)")
        print(f"seed map: HTML + assets {size / 1e6:.2f} MB (target < 2 MB)")
        idle = load_to_idle((out / f"{SEED_SLUG}.html").as_uri())
        if idle is not None:
            print(f"seed map: load-to-idle {idle:.0f} ms median of 5 (target < 1000 ms)")
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "geo", "build", str(SEEDS), "--out", str(out), "--quiet"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            runs.append(time.perf_counter() - t0)
        print(
            f"geo build, unchanged tree: {statistics.median(runs):.2f} s median of 3 (target < 3 s)"
        )

        # Every one of the 5,000 drawn (pages draw 1,000 unless GEO_MAX_PLACES_DRAWN says
        # more): the heaviest page a user can ask for, not the capped default.
        from geo import settings

        cap, settings.MAX_PLACES_DRAWN = settings.MAX_PLACES_DRAWN, 5000
        text, rows = generated_rows(5000)
        inputs = MapInputs(
            title="5,000 generated places", date="2019-12-22", source="generated", url=None,
            slug="generated-5000", text=text, body_start=0, rows=rows,
        )  # fmt: skip
        t0 = time.perf_counter()
        page, assets = render_page(build_map(inputs), "generated")
        render = time.perf_counter() - t0
        settings.MAX_PLACES_DRAWN = cap
        copy_assets(assets, out)
        (out / "generated-5000.html").write_text(page, encoding="utf-8")
        print(f"5,000 places: render {render:.1f} s, HTML {len(page.encode()) / 1e6:.1f} MB")
        idle = load_to_idle((out / "generated-5000.html").as_uri())
        if idle is not None:
            print(f"5,000 places: load-to-idle {idle:.0f} ms median of 5 (target < 4000 ms)")


if __name__ == "__main__":
    run()


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def plain_folium(files: list[Path], out: Path) -> tuple[float, float]:
    """(total s, folium-only s): geoparse each article, one folium map with a marker per place."""
    import folium

    from geo.places import places_from_file

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    folium_s = 0.0
    for path in files:
        doc = places_from_file(path)
        t1 = time.perf_counter()
        m = folium.Map(location=[30, 20], zoom_start=4)
        for p in doc.places:
            folium.Marker([p["lat"], p["lon"]], tooltip=p.get("name")).add_to(m)
        m.save(str(out / f"{path.stem}.html"))
        folium_s += time.perf_counter() - t1
    return time.perf_counter() - t0, folium_s


def _timed_build(src: Path, out: Path, workers: int) -> float:
    """A fresh ``geo build`` process (cold caches, as a user runs it)."""
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "geo", "build", str(src), "--out", str(out), "--quiet",
         "--workers", str(workers)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - t0


def build_scaling(count: int) -> None:
    from geo.synthetic import synthetic_corpus, write_files

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles"
        files = write_files(synthetic_corpus(count, seed=1), src)
        # The cache folder's derived data (theatre layers, basemaps of the regions these
        # articles fall in) exists after a newsroom's first build: make it, untimed, from a
        # tenth of the articles, so both timed builds start from the same disk caches.
        warm = Path(tmp) / "warm-src"
        warm.mkdir()
        for f in files[: max(10, count // 10)]:
            (warm / f.name).write_bytes(f.read_bytes())
        _timed_build(warm, Path(tmp) / "warm-out", 1)
        plain, folium_only = plain_folium(files, Path(tmp) / "plain")
        two = _timed_build(src, Path(tmp) / "w2", 2)
        one = _timed_build(src, Path(tmp) / "w1", 1)
        total = _folder_bytes(Path(tmp) / "w2")
        per = total / count
        print(
            f"{count} synthetic articles (geo.synthetic, seed 1), one fresh process each, "
            "disk caches made beforehand:"
        )
        print(f"  geo build --workers 2: {two:.1f} s ({two / count * 1000:.0f} ms/article)")
        print(f"  geo build --workers 1: {one:.1f} s ({one / count * 1000:.0f} ms/article)")
        print(
            f"  plain folium, one marker per place: {plain:.1f} s with geoparsing "
            f"({folium_only:.1f} s of it folium)"
        )
        print(f"  2 workers vs plain folium: {two / plain:.2f}x (target <= 2x)")
        print(f"  speed-up 2 workers vs 1: {one / two:.2f}x (target >= 1.7x)")
        print(
            f"  output folder: {per / 1e3:.0f} KB per article ({total / 1e6:.1f} MB in all), "
            f"{per / BEFORE_PAGE_BYTES:.0%} of the {BEFORE_PAGE_BYTES // 1000} KB seed page before "
            "shared assets (target < 20%)"
        )


PAGE_STAGES = (
    # (module, class or "", function, label): the steps of one page; each is looked up by name
    # where it is called, so wrapping it times every call
    ("geo.build_places", "", "gather", "geoparse (build_places.gather)"),
    ("geo.render.article_map", "", "prepare", "join and map inputs (prepare)"),
    ("geo.render.article_map", "", "build_map", "map (build_map), of which"),
    ("geo.render.article_map", "", "map_labels", "  labels"),
    ("geo.render.claims", "", "add_claims", "  claims read and drawn"),
    ("geo.render.theatre_layers", "TheatreLayers", "held_by_date", "  holders by date"),
    ("geo.render.places", "", "places_layer", "  places layer"),
    ("geo.render.search", "", "search_entries", "  search entries"),
    ("geo.render.theatre_layers", "TheatreLayers", "add_to", "  theatre layers, legend rows"),
    ("geo.render.basemap", "", "add_base_layers", "  base layers"),
    ("geo.render.article_map", "", "render_page", "page HTML (render_page)"),
    ("geo.render.claims", "", "review_rows", "review rows"),
)


def page_stages(count: int = 60) -> None:
    """CPU per article of each step of ``geo.render.build.render_task`` in one warm process
    (the caches a build worker holds after its first pages), by ``time.process_time``."""
    import importlib
    from collections import Counter

    from geo.render import build
    from geo.synthetic import synthetic_corpus, write_files

    spent: Counter[str] = Counter()

    def timed(func: Any, label: str) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - t0

        return wrapper

    patched = []
    for module, cls, name, label in PAGE_STAGES:
        owner = importlib.import_module(module)
        owner = getattr(owner, cls) if cls else owner
        patched.append((owner, name, getattr(owner, name)))
        setattr(owner, name, timed(getattr(owner, name), label))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = write_files(synthetic_corpus(count + 3, seed=1), Path(tmp))
            tasks = [(f.name, f.read_bytes(), f.stem) for f in files]
            build.warm()
            for task in tasks[:3]:
                build.render_task(task)
            spent.clear()
            t0 = time.process_time()
            for task in tasks[3:]:
                build.render_task(task)
            total = time.process_time() - t0
    finally:
        for owner, name, func in reversed(patched):
            setattr(owner, name, func)
    print(f"one page, CPU ms per article ({count} synthetic articles after 3, one warm process):")
    print(f"  render_task in all: {total / count * 1000:.1f}")
    for _, _, _, label in PAGE_STAGES:
        print(f"  {label}: {spent[label] / count * 1000:.1f}")


def index_entries(n: int, seed: int = 3) -> list[dict]:
    """``n`` index entries over two years with theatres and places (as ``geo build`` writes)."""
    rng = random.Random(seed)
    names = ("Tripoli", "Benghazi", "Misrata", "Sirte", "Idlib", "Aleppo", "Homs", "Zawiya")
    return [
        {
            "slug": f"article-{i:05d}", "title": f"Report {i}: fighting near {names[i % 8]}",
            "date": f"20{19 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "source": rng.choice(["Wire A", "Wire B"]), "places": 3,
            "mentions": rng.randint(3, 20), "low": rng.randint(0, 2),
            "place_names": sorted(rng.sample(names, 3)),
            "theatre_names": ["Libya" if i % 8 < 4 else "Syria"],
        }
        for i in range(n)
    ]  # fmt: skip


def index_scale(count: int = 10_000) -> None:
    from playwright.sync_api import sync_playwright

    from geo.render.index_page import write_index_page

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_index_page(out, index_entries(count))
        size = (out / "index.html").stat().st_size
        idle = load_to_idle((out / "index.html").as_uri())
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto((out / "index.html").as_uri(), wait_until="load")
            times = []
            for query in ("report 4242", "aleppo", "wire b homs", "fighting", "no such thing"):
                times.append(
                    page.evaluate(
                        """q => new Promise(done => {
                            const box = document.getElementById('q');
                            const t0 = performance.now();
                            box.value = q;
                            box.dispatchEvent(new Event('input'));
                            requestAnimationFrame(() => done(performance.now() - t0));
                        })""",
                        query,
                    )
                )
            browser.close()
    print(f"index of {count} maps: {size / 1e6:.1f} MB HTML, load-to-idle {idle:.0f} ms median of 5"
          " (target < 1000 ms)")  # fmt: skip
    print(
        f"index search: {statistics.median(times):.0f} ms median, {max(times):.0f} ms worst of"
        f" {len(times)} queries, input to next frame (target < 100 ms)"
    )


def cold_start(runs: int = 5) -> None:
    """A new process to the seed's JSON, beside a bare interpreter, run in turns so both see
    the same load; after one unmeasured run (the caches a user's first run leaves: the
    gazetteer index, the compiled theatre states, the bytecode)."""
    seed = SEEDS / f"{SEED_SLUG}.md"
    geo_cmd = [sys.executable, "-m", "geo", "places", "--format", "json", str(seed)]
    bare_cmd = [sys.executable, "-c", "pass"]
    # An installed package has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE would
    # compile every module at every start (0.14 s), so compile once as pip does.
    compile_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "geo")],
        env=compile_env,
        check=True,
        capture_output=True,
    )
    subprocess.run(geo_cmd, cwd=ROOT, check=True, capture_output=True)
    times: dict[str, list[float]] = {"geo": [], "bare": []}
    for _ in range(runs):
        for name, cmd in (("geo", geo_cmd), ("bare", bare_cmd)):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            times[name].append(time.perf_counter() - t0)
    geo_s, bare = statistics.median(times["geo"]), statistics.median(times["bare"])
    print(
        f"cold geo places --format json (seed): {geo_s:.2f} s median of {runs}; "
        f"python -c pass: {bare:.2f} s (target < 0.6 s)"
    )


def join_cost(count: int = 120) -> None:
    """CPU per synthetic article of the theatre joins a build does (the places, the map's
    theatres, the claims' theatres), in one process after the states are loaded, beside the
    geoparsing of the same articles in the same run: first pass (every place new to the
    process) and a second pass (the memoised answers a long build reuses)."""
    from geo.articles import article_from_text
    from geo.claims import theatres_for
    from geo.join import active_theatres, enrich_records, warm
    from geo.places import places_from_article
    from geo.synthetic import synthetic_corpus
    from geo.theatres.state import load_states, theatre_of

    warm()
    for state in load_states():
        theatre_of(state)  # the tables a map needs anyway, loaded before timing
    t0 = time.process_time()
    docs = []
    for a in synthetic_corpus(count, seed=5):
        article = article_from_text(f"---\ndate: {a.date}\ntitle: t\n---\n{a.text}\n")
        docs.append((places_from_article(article).places, a.date))
    geoparse = (time.process_time() - t0) / count

    def joins() -> float:
        t0 = time.process_time()
        for rows, date in docs:
            enrich_records(rows, date)
            active_theatres(rows)
            theatres_for(rows)
        return (time.process_time() - t0) / count

    first, again = joins(), joins()
    print(
        f"theatre joins per article: {first * 1000:.2f} ms new places, {again * 1000:.2f} ms "
        f"again; geoparsing {geoparse * 1000:.1f} ms (target join ~3 ms)"
    )


def run_scale() -> None:
    """The newsroom-scale numbers: build scaling, index at 10,000, cold start."""
    build_scaling(int(os.environ.get("GEO_BENCH_ARTICLES", "1000")))
    page_stages()
    if CHROMIUM.exists():
        index_scale()
    cold_start()
    join_cost()
