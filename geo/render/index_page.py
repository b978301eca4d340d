"""``index.html``: every built map with its title, date, source and place counts.

A static page with no scripts at all; each map links back here from its header.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from geo.render.elements import esc
from geo.render.header import CREDITS

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 980px;
  padding: 0 1rem; color: #111827; }
h1 { font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e5e7eb;
  vertical-align: top; }
th { font-weight: 600; color: #374151; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.files a { color: #6b7280; font-size: 12px; margin-right: .4rem; }
footer { margin-top: 1.5rem; color: #6b7280; font-size: 12px; }
"""


CORPUS_MAPS_FILE = "corpus-maps.json"  # written by ``geo corpus-map`` next to its page


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
        and "/" not in m["file"]
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
    return "<h2>Corpus maps</h2>\n<ul>" + "".join(items) + "</ul>\n"


def index_html(
    entries: Sequence[Mapping[str, Any]], corpus_maps: Sequence[Mapping[str, Any]] = ()
) -> str:
    """The index page. Entries: slug, title, date, source, places, mentions, low (counts).

    Sorted newest first, then by title, so the page is the same whatever order maps were built.
    ``corpus_maps`` (see :func:`corpus_maps_in`) are listed below the articles.
    """
    rows = []
    ordered = sorted(entries, key=lambda e: (str(e.get("title") or e["slug"]).lower(), e["slug"]))
    ordered = sorted(ordered, key=lambda e: str(e.get("date") or ""), reverse=True)
    for e in ordered:
        slug = esc(e["slug"])
        rows.append(
            "<tr>"
            f'<td><a href="{slug}.html">{esc(e.get("title") or e["slug"])}</a>'
            f'<div class="files"><a href="{slug}.geojson">GeoJSON</a>'
            f'<a href="{slug}.csv">CSV</a><a href="{slug}.review.csv">review</a></div></td>'
            f"<td>{esc(e.get('date') or '')}</td>"
            f"<td>{esc(e.get('source') or '')}</td>"
            f'<td class="num">{int(e.get("places") or 0)}</td>'
            f'<td class="num">{int(e.get("mentions") or 0)}</td>'
            f'<td class="num">{int(e.get("low") or 0)}</td>'
            "</tr>"
        )
    body = "\n".join(rows) or '<tr><td colspan="6">No maps built yet.</td></tr>'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>geo: article maps</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        "<h1>Article maps</h1>\n"
        "<table>\n<thead><tr><th>Article</th><th>Date</th><th>Source</th>"
        "<th>Places</th><th>Mentions</th><th>To review</th></tr></thead>\n"
        f"<tbody>\n{body}\n</tbody>\n</table>\n"
        f"{_corpus_section(corpus_maps)}"
        f"<footer>{CREDITS}</footer>\n</body>\n</html>\n"
    )
