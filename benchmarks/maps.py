"""Map build and load numbers for the acceptance targets.

- Seed map: cold build time, HTML + assets size (target < 3 MB), load-to-idle in headless
  chromium with the network blocked (target < 1.5 s; median of 5).
- ``geo build`` on an unchanged tree, as a fresh process (target < 3 s; median of 3).
- A generated article with 5,000 places: render time, HTML size, load-to-idle (target < 4 s).

Load-to-idle is ``performance.now()`` when the first ``requestIdleCallback`` after the load event
fires, i.e. from navigation start until the page has drawn and has nothing left to do.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_SLUG = "libya-2019-12"
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
    files = [out / page, *(p for p in (out / "assets").rglob("*") if p.is_file())]
    return sum(f.stat().st_size for f in files)


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
        print(f"seed map: cold build {cold:.1f} s (one process, theatre joins included)")
        print(f"seed map: HTML + assets {size / 1e6:.2f} MB (target < 3 MB)")
        idle = load_to_idle((out / f"{SEED_SLUG}.html").as_uri())
        if idle is not None:
            print(f"seed map: load-to-idle {idle:.0f} ms median of 5 (target < 1500 ms)")
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

        text, rows = generated_rows(5000)
        inputs = MapInputs(
            title="5,000 generated places", date="2019-12-22", source="generated", url=None,
            slug="generated-5000", text=text, body_start=0, rows=rows,
        )  # fmt: skip
        t0 = time.perf_counter()
        page, assets = render_page(build_map(inputs), "generated")
        render = time.perf_counter() - t0
        copy_assets(assets, out)
        (out / "generated-5000.html").write_text(page, encoding="utf-8")
        print(f"5,000 places: render {render:.1f} s, HTML {len(page.encode()) / 1e6:.1f} MB")
        idle = load_to_idle((out / "generated-5000.html").as_uri())
        if idle is not None:
            print(f"5,000 places: load-to-idle {idle:.0f} ms median of 5 (target < 4000 ms)")


if __name__ == "__main__":
    run()
