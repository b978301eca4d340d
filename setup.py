"""Build hook: wheels and sdists carry the npm files that maps and the gazetteer use at run time.

Maps open offline because their Leaflet scripts and styles are copied next to them, and the
gazetteer's country shapes are Natural Earth's (the npm package ``world-atlas``). In a checkout
these come from ``node_modules`` (``npm ci`` from ``package-lock.json``); they are not in git.
When a wheel or an sdist is built, the pinned packages named in ``package.json`` (their run-time
files and licences), ``package.json`` and the lockfile are copied into ``geo/_npm``, where
``geo.settings`` finds them in an installed package. A wheel built from an sdist takes the copy
the sdist carries. Editable installs use the checkout's own files and copy nothing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
TARGET = Path("geo") / "_npm"
# Sources, examples, tests and build scripts of the npm packages: never loaded by a map.
SKIP_DIRS = {
    ".github",
    "build",
    "buildscripts",
    "docs",
    "example",
    "examples",
    "node_modules",
    "scss",
    "spec",
    "src",
    "test",
    "tests",
}
SKIP_FILES = {"bower.json", "Gruntfile.js", "Jakefile.js", "index.html", "TODO"}
SKIP_SUFFIXES = {".md", ".map", ".ts", ".scss", ".less"}


def _package_files(package: Path) -> Iterator[Path]:
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package)
        if not path.is_file() or SKIP_DIRS.intersection(rel.parts[:-1]):
            continue
        if path.name in SKIP_FILES or path.suffix.lower() in SKIP_SUFFIXES:
            continue
        yield path


def npm_files(root: Path = ROOT) -> Iterator[tuple[Path, Path]]:
    """(source, path under geo/_npm) for every file an installed package needs."""
    carried = root / TARGET
    if carried.is_dir():  # an unpacked sdist: the copy is already made
        for path in sorted(carried.rglob("*")):
            if path.is_file():
                yield path, path.relative_to(carried)
        return
    modules = root / "node_modules"
    pins = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, version in sorted(pins.items()):
        package = modules / name
        try:
            installed = json.loads((package / "package.json").read_text(encoding="utf-8"))
        except OSError:
            raise SystemExit(f"{package} is missing: run `npm ci` before building") from None
        if installed["version"] != version:
            raise SystemExit(f"{name} {installed['version']} is installed, {version} is pinned")
        for path in _package_files(package):
            yield path, Path("node_modules") / name / path.relative_to(package)
    for name in ("package.json", "package-lock.json"):
        yield root / name, Path(name)


def _copy_into(base: Path) -> None:
    for source, rel in npm_files():
        target = base / TARGET / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            _copy_into(Path(self.build_lib))


class Sdist(sdist):
    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        _copy_into(Path(base_dir))


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
