"""Browser fixtures: Debian chromium through Playwright, with every non-local request aborted.

The seed map is built once per session into a temporary folder; pages open it over file://.
A page that reaches for a CDN or tile server fails the test through the ``blocked`` list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SEED = Path(__file__).resolve().parents[2] / "seeds" / "libya-2019-12.md"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt install chromium)")


@pytest.fixture(scope="session")
def built_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article built into a fresh folder (map, data files, index, assets)."""
    from geo.render.build import build

    out = tmp_path_factory.mktemp("maps")
    report = build([SEED], out, progress=False)
    assert report.ok, report.failed
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    """A page plus what it tried to fetch off-machine and what it logged as errors."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(browser: object, url: str, viewport: tuple[int, int] = (1400, 900)) -> Watched:
    """Open ``url`` with the network blocked (only file:// and loopback get through)."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    watched = Watched(page)

    def route(r: object) -> None:
        target = r.request.url
        if target.startswith(("file://", "data:", "http://127.0.0.1", "http://localhost")):
            r.continue_()
        else:
            watched.blocked.append(target)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.errors.append(f"pageerror: {e}"))
    page.goto(url, wait_until="load")
    page.wait_for_function("window.GEO && GEO.controls && GEO.controls.layers")
    return watched


@pytest.fixture()
def seed_page(browser: object, built_maps: Path) -> Iterator[Watched]:
    watched = open_page(browser, (built_maps / "libya-2019-12.html").as_uri())
    yield watched
    watched.page.close()


def save_artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


@pytest.fixture()
def opener():
    """``open_page`` for tests that open their own pages."""
    return open_page


@pytest.fixture()
def artifact():
    """``save_artifact``: a path under tests/artifacts/ (gitignored) for screenshots."""
    return save_artifact
