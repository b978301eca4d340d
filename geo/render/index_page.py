"""``index.html``: every built map, searchable and filterable, usable with tens of thousands.

The entries travel as one JSON block (``<script type="application/json">``, with ``<`` escaped
so no title can close it) read by ``static/index-page.js``, which filters (text, date range,
theatre, place), keeps the newest first and shows one page of rows at a time, building every
cell with ``textContent``. The first page is also in the HTML itself, so the newest maps are
listed before (or without) the script. Script and stylesheet are copied, content-hashed, under
``assets/geo/``: the page still opens from ``file://`` with no server and no network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo._io import digest
from geo.errors import InputError
from geo.render.elements import esc
from geo.render.header import CREDITS
from geo.vocab import plural

CORPUS_MAPS_FILE = "corpus-maps.json"  # written by ``geo corpus-map`` next to its page
PAGE_SIZE = 50
STATIC = Path(__file__).resolve().parent / "static"
# A page in the output folder: a plain file name (no scheme, no folder, no leading dot).
_PAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.html$")


def check_page_name(name: str) -> str:
    """``name`` when it is a plain ``.html`` file name that is safe to link to from the index.

    Anything else (``javascript:alert(1).html``, spaces, a leading dot, another extension) is an
    InputError: the name becomes an ``href`` in the index.
    """
    if not _PAGE_NAME.match(name) or name == "index.html":
        raise InputError(
            f"{name!r}: a map page name is letters, digits, '.', '_' or '-' ending in .html"
            " (and not index.html)"
        )
    return name


def check_corpus_map_out(out: Path) -> None:
    """Refuse a ``geo corpus-map`` output that is unsafe to link or is an article's page."""
    check_page_name(out.name)
    from geo.render.build import STATE_FILE

    try:
        state = json.loads((out.parent / STATE_FILE).read_text(encoding="utf-8"))
        maps = state.get("maps") if isinstance(state, dict) else None
    except (OSError, ValueError):
        maps = None
    slugs = {e.get("slug") for e in (maps or {}).values() if isinstance(e, dict)}
    if out.name.removesuffix(".html") in slugs:
        raise InputError(f"{out}: is an article's map from geo build; choose another --out")


def corpus_maps_in(folder: Path) -> list[dict[str, Any]]:
    """The corpus maps ``geo corpus-map`` wrote into ``folder`` whose page is still there."""
    try:
        listed = json.loads((folder / CORPUS_MAPS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(listed, list):
        return []
    return [
        m
        for m in listed
        if isinstance(m, dict)
        and isinstance(m.get("file"), str)
        and _PAGE_NAME.match(m["file"])
        and m["file"] != "index.html"
        and (folder / m["file"]).is_file()
    ]


def _corpus_section(maps: Sequence[Mapping[str, Any]]) -> str:
    """A list of corpus maps (file, title, articles, first, last), every value escaped."""
    if not maps:
        return ""
    items = []
    for m in sorted(maps, key=lambda m: str(m["file"])):
        span = f" · {esc(m.get('first'))} to {esc(m.get('last'))}" if m.get("first") else ""
        items.append(
            f'<li><a href="{esc(m["file"])}">{esc(m.get("title") or m["file"])}</a> · '
            f"{esc(m.get('articles') or 0)} articles{span}</li>"
        )
    listed = "".join(items)
    return f'<section class="corpus"><h2>Corpus maps</h2>\n<ul>{listed}</ul></section>\n'


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _count(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _ordered(entries: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Newest first, then by title and slug: the same page whatever order maps were built in."""
    ordered = sorted(entries, key=lambda e: (_text(e.get("title") or e["slug"]).lower(), e["slug"]))
    return sorted(ordered, key=lambda e: _text(e.get("date")), reverse=True)


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def index_data(entries: Sequence[Mapping[str, Any]]) -> tuple[list[list[Any]], list[str]]:
    """The rows the script reads, newest first, and the theatre names they refer to by number.

    A row: slug, title, date, source, places, mentions, to review, [theatre numbers], places
    named (joined by ``|``).
    """
    theatres = sorted({t for e in entries for t in _strings(e.get("theatre_names"))})
    number = {t: i for i, t in enumerate(theatres)}
    rows = [
        [
            str(e["slug"]),
            _text(e.get("title") or e["slug"]),
            _text(e.get("date")),
            _text(e.get("source")),
            _count(e.get("places")),
            _count(e.get("mentions")),
            _count(e.get("low")),
            [number[t] for t in _strings(e.get("theatre_names"))],
            "|".join(n.replace("|", "/") for n in _strings(e.get("place_names"))),
        ]
        for e in _ordered(entries)
    ]
    return rows, theatres


def _json_for_script(value: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``: no ``<`` at all."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _row_html(row: Sequence[Any]) -> str:
    """One table row, as the script also draws it (for the first page, before the script)."""
    slug = esc(row[0])
    return (
        "<tr>"
        f'<td><a href="{slug}.html">{esc(row[1])}</a>'
        f'<div class="files"><a href="{slug}.geojson">GeoJSON</a>'
        f'<a href="{slug}.csv">CSV</a><a href="{slug}.review.csv">review</a></div></td>'
        f"<td>{esc(row[2])}</td><td>{esc(row[3])}</td>"
        f'<td class="num">{row[4]}</td><td class="num">{row[5]}</td>'
        f'<td class="num">{row[6]}</td>'
        "</tr>"
    )


@lru_cache(maxsize=4)
def static_asset(name: str) -> tuple[str, bytes]:
    """(path under the output folder, bytes) of one of the index's static files, hashed."""
    data = (STATIC / name).read_bytes()
    stem, dot, ext = name.rpartition(".")
    return f"assets/geo/{stem}.{digest(data)[:12]}{dot}{ext}", data


def index_html(
    entries: Sequence[Mapping[str, Any]], corpus_maps: Sequence[Mapping[str, Any]] = ()
) -> str:
    """The index page. Entries: slug, title, date, source, places, mentions, low (counts),
    and optionally theatre_names and place_names (for the filters).

    ``corpus_maps`` (see :func:`corpus_maps_in`) are listed above the articles.
    """
    rows, theatres = index_data(entries)
    first = "\n".join(_row_html(r) for r in rows[:PAGE_SIZE])
    body = first or '<tr><td colspan="6">No maps built yet.</td></tr>'
    options = "".join(f'<option value="{i}">{esc(t)}</option>' for i, t in enumerate(theatres))
    css, _ = static_asset("index-page.css")
    js, _ = static_asset("index-page.js")
    count = plural(len(rows), "map")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>geo: article maps</title>\n"
        f'<link rel="stylesheet" href="{css}">\n</head>\n<body>\n'
        "<h1>Article maps</h1>\n"
        f"{_corpus_section(corpus_maps)}"
        '<form id="filters" class="filters" role="search" hidden>\n'
        '<label>Search <input type="search" id="q" placeholder="Title, source or place"'
        ' autocomplete="off"></label>\n'
        '<label>From <input type="date" id="from"></label>\n'
        '<label>To <input type="date" id="to"></label>\n'
        f'<label>Theatre <select id="theatre"><option value="">All</option>{options}</select>'
        "</label>\n"
        '<label>Place <input type="search" id="place" placeholder="e.g. Tripoli"'
        ' autocomplete="off"></label>\n'
        "</form>\n"
        f'<p id="count" class="count" aria-live="polite">{count}</p>\n'
        '<div class="table-wrap"><table>\n<thead><tr><th>Article</th><th>Date</th>'
        '<th>Source</th><th class="num">Places</th><th class="num">Mentions</th>'
        '<th class="num">To review</th></tr></thead>\n'
        f'<tbody id="rows">\n{body}\n</tbody>\n</table></div>\n'
        '<nav id="pager" class="pager" aria-label="Pages" hidden>'
        '<button type="button" id="prev">Newer</button> <span id="page"></span> '
        '<button type="button" id="next">Older</button></nav>\n'
        f'<script type="application/json" id="maps-data">'
        f'{{"pageSize":{PAGE_SIZE},"theatres":{_json_for_script(theatres)},'
        f'"rows":{_json_for_script(rows)}}}</script>\n'
        f'<script src="{js}"></script>\n'
        f"<footer>{CREDITS}</footer>\n</body>\n</html>\n"
    )


def write_index_page(
    folder: Path,
    entries: Sequence[Mapping[str, Any]],
    corpus_maps: Sequence[Mapping[str, Any]] = (),
) -> bool:
    """Write ``index.html`` and its static files into ``folder``; True when the page changed."""
    from geo._io import write_atomic

    for name in ("index-page.css", "index-page.js"):
        rel, data = static_asset(name)
        write_atomic(folder / rel, data)
    page = index_html(entries, corpus_maps)
    return write_atomic(folder / "index.html", page.encode("utf-8"))
