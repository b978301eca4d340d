"""A map in a notebook draws with no network: a real kernel runs ``map_article(...)`` (nbclient),
and its output, as Jupyter would show it, opens in Debian chromium with every request off
the page blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def map_output(gazetteer, tmp_path_factory) -> str:
    """The text/html the kernel returns for a cell ending in ``map_article(...)``."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            f"from geo.render.article_map import map_article\nmap_article({str(SEED)!r})"
        )
    ]
    work = tmp_path_factory.mktemp("notebook")
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    )
    client.execute()
    (result,) = [o for o in notebook.cells[0].outputs if o["output_type"] == "execute_result"]
    return result["data"]["text/html"]


def test_the_notebook_view_names_no_remote_script_or_stylesheet(map_output):
    from html import unescape

    from geo.render.assets import remote_references

    assert "<iframe srcdoc=" in map_output
    page = unescape(map_output.split('srcdoc="', 1)[1].split('" style=', 1)[0])
    assert [ref for ref in remote_references(page) if not ref.startswith("data:")] == []
    assert "data:text/javascript;base64," in page and "leaflet" in page.lower()


def test_the_notebook_map_draws_in_chromium_with_no_network(map_output, tmp_path, offline_chromium):
    page_file = tmp_path / "notebook-output.html"
    page_file.write_text(
        f"<!DOCTYPE html><html><body style='width:1200px'>{map_output}</body></html>",
        encoding="utf-8",
    )

    def look(page) -> tuple:
        frame = page.frames[1]
        frame.wait_for_function("window.GEO && GEO.controls && GEO.controls.layers")
        page.wait_for_timeout(300)
        land = frame.evaluate("document.querySelectorAll('.leaflet-pane .geo-land').length")
        placed = frame.evaluate("document.querySelectorAll('.leaflet-pane .geo-place').length")
        images = frame.evaluate(
            "[...document.querySelectorAll('*')].map(e => getComputedStyle(e).backgroundImage)"
            ".filter(b => b.startsWith('url('))"
        )
        return land, placed, images

    visit = offline_chromium(page_file.as_uri(), look, ("file://", "data:", "about:"))
    land, placed, images = visit.result
    assert visit.blocked == [] and visit.failed == [] and visit.errors == []
    assert land > 0, "the offline basemap draws"
    assert placed > 0, "the article's places draw"
    assert images and all(b.startswith('url("data:image/') for b in images), images[:3]


def test_places_frame_explore_works_with_the_explore_extra(gazetteer):
    """``pip install geo-conflict-maps[explore]`` brings what GeoDataFrame.explore needs."""
    pytest.importorskip("matplotlib")
    pytest.importorskip("mapclassify")
    from geo.places import places_frame, places_from_file

    frame = places_frame(places_from_file(SEED))
    m = frame.dropna(subset=["score"]).explore(column="score", scheme="quantiles", k=3)
    assert "Tripoli" in m.get_root().render()
