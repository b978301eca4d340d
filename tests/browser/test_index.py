"""The index of maps as a reader uses it: 10,000 entries, search, filters, pages, escaping.

Timings (load-to-idle, search latency) are measured by ``python -m benchmarks maps``, not here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from geo.render.index_page import write_index_page

PAYLOAD = "<img src=x onerror=alert(1)>"
PLACES = ("Tripoli", "Benghazi", "Misrata", "Sirte", "Idlib", "Aleppo", "Homs", "Zawiya")
THEATRES = ("Libya, April 2019 to June 2020", "Syria, 2019 to 2020")


def index_entries(n: int, seed: int = 3) -> list[dict]:
    """``n`` index entries with dates over two years, theatres and a few places each."""
    rng = random.Random(seed)
    entries = []
    for i in range(n):
        day = f"20{19 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        places = sorted(rng.sample(PLACES, 3))
        entries.append(
            {
                "slug": f"article-{i:05d}",
                "title": f"Report {i}: fighting near {places[0]}",
                "date": day,
                "source": rng.choice(["Wire A", "Wire B"]),
                "places": 3,
                "mentions": rng.randint(3, 20),
                "low": rng.randint(0, 2),
                "place_names": places,
                "theatre_names": [THEATRES[0] if places[0] in PLACES[:4] else THEATRES[1]],
            }
        )
    entries[7]["title"] = PAYLOAD
    entries[7]["date"] = "2021-01-01"  # the newest: on the first page
    return entries


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("index")
    write_index_page(out, index_entries(10_000))
    return out / "index.html"


def _open(browser, url: str, viewport: tuple[int, int]):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    blocked: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    page.evaluate("new Promise(r => requestIdleCallback(r, {timeout: 5000}))")
    return page, blocked, errors, dialogs


def _titles(page) -> list[str]:
    return page.locator("#rows tr td:first-child > a").all_inner_texts()


@pytest.mark.parametrize("viewport", [(1600, 1000), (390, 844)])
def test_ten_thousand_maps_load_and_can_be_searched_and_filtered(browser, big_index, viewport):
    page, blocked, errors, dialogs = _open(browser, big_index.as_uri(), viewport)
    assert page.locator("#count").inner_text() == "10000 maps"
    assert page.locator("#rows tr").count() == 50
    titles = _titles(page)
    assert titles[0] == PAYLOAD  # newest first, shown as text
    assert page.locator("#rows img").count() == 0
    assert page.locator("#page").inner_text() == "Page 1 of 200"

    page.locator("#next").click()
    assert page.locator("#page").inner_text() == "Page 2 of 200"
    assert _titles(page)[0] != titles[0]

    page.locator("#q").fill("report 4242")
    found = _titles(page)
    assert len(found) == 1 and found[0].startswith("Report 4242: fighting near ")
    assert page.locator("#count").inner_text() == "1 of 10000 maps"

    page.locator("#q").fill("")
    page.locator("#place").fill("aleppo")
    count = page.locator("#count").inner_text()
    assert count.endswith("of 10000 maps") and int(count.split()[0]) > 100
    page.locator("#from").fill("2020-03-01")
    page.locator("#to").fill("2020-03-31")
    page.locator("#theatre").select_option(label=THEATRES[1])
    rows = page.locator("#rows tr")
    dates = page.locator("#rows tr td:nth-child(2)").all_inner_texts()
    assert 0 < rows.count() <= 50 and all("2020-03-01" <= d <= "2020-03-31" for d in dates)
    assert dates == sorted(dates, reverse=True)

    page.locator("#q").fill("no such words anywhere")
    assert page.locator("#rows").inner_text() == "No map matches these filters."
    assert blocked == [] and errors == [] and dialogs == []
    page.close()


def test_the_newest_maps_are_listed_without_the_script(browser, big_index):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(big_index.as_uri())
    assert page.locator("#rows tr").count() == 50
    assert page.locator("#rows tr td:first-child > a").first.inner_text() == PAYLOAD
    context.close()
