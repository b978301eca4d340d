"""``index.html``: every built map with its title, date, source and place counts.

A static page with no scripts at all; each map links back here from its header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def index_html(entries: Sequence[Mapping[str, Any]]) -> str:
    """The index page. Entries: slug, title, date, source, places, mentions, low (counts).

    Sorted newest first, then by title, so the page is the same whatever order maps were built.
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
        f"<footer>{CREDITS}</footer>\n</body>\n</html>\n"
    )
