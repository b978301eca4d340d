"""The README and docs/ name every setting, command and geocoder a user can choose, so adding
one without documenting it fails here (as datasette's documentation tests do)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def docs() -> str:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def _settings() -> list[str]:
    """Every name read from the environment in geo/settings.py (``_env("NAME", ...)``)."""
    source = (ROOT / "geo" / "settings.py").read_text(encoding="utf-8")
    return sorted(set(re.findall(r'_env\(\s*"([A-Z_]+)"', source)))


def test_settings_are_found():
    assert {"CACHE_DIR", "USER_AGENT", "LOW_CONFIDENCE", "NOMINATIM_URL"} <= set(_settings())


def test_settings_are_read_only_in_settings_py():
    """No other module makes a setting of a ``GEO_`` variable, so the list above is whole."""
    setting = re.compile(r"^[A-Z_]+\b[^=\n]*=.*environ.*[\"']GEO_", re.M)
    readers = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "geo").rglob("*.py"))
        if path.name != "settings.py" and setting.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


@pytest.mark.parametrize("name", _settings())
def test_every_setting_is_documented(docs, name):
    assert f"GEO_{name}" in docs, f"GEO_{name} is not in README.md or docs/"


def _commands() -> list[str]:
    from geo.cli import build_parser

    parser = build_parser()
    return sorted(next(a.choices for a in parser._actions if getattr(a, "choices", None)))


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(docs, command):
    assert re.search(rf"\bgeo {re.escape(command)}\b", docs), f"geo {command} is not documented"


def _geocoders() -> list[str]:
    from geo import geocoders

    return sorted(geocoders.REGISTRY)


@pytest.mark.parametrize("name", _geocoders())
def test_every_geocoder_is_documented(docs, name):
    assert re.search(rf"\b{re.escape(name)}\b", docs), f"geocoder {name!r} is not documented"


def _flow() -> str:
    """The README's "How it works" diagram (the first code block after the heading)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## How it works", 1)[1].split("```", 2)[1]


def _modules() -> list[str]:
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "geo").rglob("*.py")
        if "_npm" not in p.parts and "__pycache__" not in p.parts
    )


@pytest.mark.parametrize("module", _modules())
def test_every_module_is_in_the_flow(module):
    """A module stands in the diagram by its path, or inside its package's entry by its file
    name (``load.py``) or its bare name (``palette``)."""
    flow = _flow()
    if module in flow:
        return
    package, _, name = module.rpartition("/")
    assert package != "geo", f"{module} is not in README's How it works"
    assert f"{package}/" in flow, f"{package}/ is not in README's How it works"
    stem = name.removesuffix(".py")
    named = name == "__init__.py" or re.search(rf"(?<![\w/.]){re.escape(stem)}(?:\.py)?\b", flow)
    assert named, f"{module} is not named in README's How it works"
