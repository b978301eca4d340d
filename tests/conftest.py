"""Shared fixtures: the gazetteer index is built once per machine (``make setup``) and shared;
a page opened offline in Debian chromium for the checks outside tests/browser."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def gazetteer():
    """The offline gazetteer index (built first if missing or stale)."""
    from geo.gazetteer.index import open_index

    return open_index()


@dataclass
class OfflineVisit:
    """What a page did in chromium: what ``look`` returned, and every request it tried to make
    off the page (blocked), every request that failed and every script error."""

    result: Any = None
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _visit(url: str, look: Callable[[Any], Any], allowed: tuple[str, ...]) -> OfflineVisit:
    from playwright.sync_api import sync_playwright

    visit = OfflineVisit()

    def route(r) -> None:
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.route("**/*", route)
        page.on("requestfailed", lambda r: visit.failed.append(r.url))
        page.on("pageerror", lambda e: visit.errors.append(str(e)))
        page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
        page.goto(url, wait_until="load")
        visit.result = look(page)
        browser.close()
    return visit


@pytest.fixture
def offline_chromium() -> Callable[..., OfflineVisit]:
    """Open a page in Debian chromium (1600x1000) with every request off the page blocked, run
    ``look(page)`` and return an :class:`OfflineVisit`; skips where chromium is missing.

    The browser runs on a thread of its own: the browser tests' session keeps Playwright's
    sync loop running on the main thread, and a second ``sync_playwright`` there is refused.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")

    def open_offline(
        url: str, look: Callable[[Any], Any], allowed: tuple[str, ...] = ("file://", "data:")
    ) -> OfflineVisit:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(_visit, url, look, allowed).result()

    return open_offline


@pytest.fixture
def contradicting_maps(tmp_path: Path) -> Path:
    """Maps built from one article whose claim the Libya data contradicts (the GNA held
    Tripoli throughout; a capture by the LNA disagrees): the folder, page `contradicts`."""
    from geo.render.build import build

    article = tmp_path / "contradicts.md"
    article.write_text(
        "---\ntitle: Contradiction\ndate: 2020-06-10\n---\n"
        "Haftar's forces seized Tripoli on Monday, a spokesman claimed.\n",
        encoding="utf-8",
    )
    out = tmp_path / "maps"
    assert build([article], out, progress=False).ok
    return out
