"""The package as a user installs it: the wheel in a fresh venv, far from the checkout.

``make dist``'s wheel goes into a new virtual environment in a temporary folder with no checkout
and no node_modules; ``geo setup``, ``geo places`` (from stdin), ``geo export`` and ``geo build``
run there, and the built map opens in Debian chromium with the network blocked: it draws and
no request fails. pip installs the dependencies at the versions of requirements.lock, from the
local wheel cache where it can. ``GEO_TEST_PYTHON`` names another interpreter for the venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "libya-2019-12.md"

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict, stdin: bytes | None = None, timeout: int = 900):
    out = subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=timeout)
    assert out.returncode == 0, (args, out.stderr.decode(errors="replace")[-3000:])
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not (ROOT / "node_modules" / "leaflet").is_dir():
        pytest.skip("node_modules is missing: run make setup (npm ci) first")
    out = tmp_path_factory.mktemp("dist")
    _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    (found,) = out.glob("geo_conflict_maps-*.whl")
    return found


def test_the_wheel_carries_the_npm_files_and_no_checkout_paths(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "geo/_npm/package.json" in names and "geo/_npm/package-lock.json" in names
    assert "geo/_npm/node_modules/world-atlas/countries-10m.json" in names
    assert "geo/_npm/node_modules/leaflet/dist/leaflet.js" in names
    assert "geo/gazetteer/data/not_places.txt" in names
    assert not any(n.startswith(("node_modules/", "package.json")) for n in names)
    assert not any("/src/" in n or n.endswith(".md") for n in names if n.startswith("geo/_npm/"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh venv with the wheel installed, and an environment that knows no checkout."""
    from geo.gazetteer.build import build_index, ensure_index, index_is_current

    gazetteer_path = ensure_index()  # current for the checkout's code
    home = tmp_path_factory.mktemp("user")
    venv = home / "venv"
    # CI sets GEO_TEST_PYTHON to install the wheel on a second Python version
    python = os.environ.get("GEO_TEST_PYTHON", sys.executable)
    _run([python, "-m", "venv", str(venv)], cwd=home, env=os.environ.copy())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GEO_", "PYTHON", "VIRTUAL"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # A copy of the checkout's index: its fingerprint is made of installed versions, not of
    # paths, so the installed package must find it up to date (a fresh build takes minutes).
    cache = home / "cache"
    cache.mkdir()
    for name in ("gazetteer.sqlite", "gazetteer.sqlite.size"):
        shutil.copy(gazetteer_path.parent / name, cache / name)
    if not index_is_current(cache / "gazetteer.sqlite"):  # another checkout's build raced in
        build_index(cache / "gazetteer.sqlite")
    env["GEO_CACHE_DIR"] = str(cache)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    _run([*pip, "-c", str(ROOT / "requirements.lock"), str(wheel)], cwd=home, env=env)
    work = home / "work"
    work.mkdir()
    shutil.copy(SEED, work / "article.md")
    return {"env": env, "work": work, "bin": venv / "bin", "venv": venv}


def test_installed_package_runs_setup_places_export_and_build(installed):
    env, work, bin_ = installed["env"], installed["work"], installed["bin"]
    geo = str(bin_ / "geo")
    where = _run(
        [str(bin_ / "python"), "-c", "import geo, geo.settings as s; print(geo.__file__);"
         "print(s.NODE_MODULES)"],
        cwd=work,
        env=env,
    ).stdout.decode().split()  # fmt: skip
    assert all(str(installed["venv"]) in p for p in where), where
    assert not any(str(ROOT) in p for p in where)

    assert _run([geo, "--version"], cwd=work, env=env).stdout.decode().startswith("geo 0.")
    setup = _run([geo, "setup"], cwd=work, env=env)
    assert b"gazetteer index ready" in setup.stderr
    assert b"building" not in setup.stderr, "the installed fingerprint is the checkout's"

    places = _run(
        [geo, "places", "-", "--format", "json"],
        cwd=work,
        env=env,
        stdin=(work / "article.md").read_bytes(),
    )
    (doc,) = json.loads(places.stdout)["documents"]
    tripoli = next(p for p in doc["places"] if p["name"] == "Tripoli")
    assert tripoli["control"] == "gna"

    _run([geo, "export", "article.md", "-o", "layers.gpkg"], cwd=work, env=env)
    assert (work / "layers.gpkg").read_bytes()[:16] == b"SQLite format 3\x00"

    # another package's file at the top of site-packages is none of geo's business
    (site,) = installed["venv"].glob("lib/python*/site-packages")
    (site / "package.json").write_text("not the pins")
    build = _run([geo, "build", "article.md", "-o", "maps"], cwd=work, env=env)
    assert b"1 built" in build.stderr and build.stdout == b""
    assert (work / "maps" / "libya-2019-12.html").is_file()


def test_the_installed_build_opens_offline_in_chromium(installed, offline_chromium):
    page_file = installed["work"] / "maps" / "libya-2019-12.html"
    if not page_file.is_file():
        pytest.skip("the build test did not run")

    def look(page) -> tuple:
        page.wait_for_function("window.GEO && GEO.controls && GEO.controls.layers")
        page.wait_for_timeout(300)
        land = page.evaluate("document.querySelectorAll('.leaflet-pane .geo-land').length")
        placed = page.evaluate("document.querySelectorAll('.leaflet-pane .geo-place').length")
        return land, placed

    visit = offline_chromium(page_file.as_uri(), look)
    land, placed = visit.result
    assert visit.blocked == [] and visit.failed == [] and visit.errors == []
    assert land > 0, "the Natural Earth basemap from the package draws"
    assert placed > 0, "the article's places draw"
