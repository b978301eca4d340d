"""A theatre on its own at one date (``geo theatre show``): its towns as the map's places, its
zones, frontlines, events and other layers, drawn the way an article's map draws them, so
whoever writes or imports a theatre sees what readers will see."""

from __future__ import annotations

import os
from pathlib import Path

import folium

from geo._io import write_atomic
from geo.errors import InputError
from geo.theatres import Theatre, load_theatre, theatre_folders


def _records(theatre: Theatre) -> list[dict]:
    """The theatre's places as place records, as if an article named each once."""
    rows = []
    for pid, place in theatre.places.iterrows():
        point = place.geometry
        rows.append(
            {
                "mention": str(place["name"]),
                "start": None,
                "end": None,
                "sentence": "",
                "name": str(place["name"]),
                "lat": float(point.y),
                "lon": float(point.x),
                "country": place.get("country") or None,
                "kind": str(place.get("kind") or "site"),
                "id": str(place.get("gazetteer") or f"theatre:{theatre.id}:{pid}"),
                "score": 1.0,
                "role": "literal",
            }
        )
    return rows


def theatre_map(theatre: Theatre, date: str) -> folium.Map:
    """The map of ``theatre`` at ``date`` (YYYY-MM-DD), its places labelled."""
    from geo.render import theatre_layers
    from geo.render.article_map import MapInputs, build_map, enrich_rows

    rows = enrich_rows(_records(theatre), date)
    inputs = MapInputs(
        title=f"{theatre.name}: {date}",
        date=date,
        source=f"theatre data: {theatre.path}",
        url=None,
        slug=theatre.id,
        text=None,
        body_start=0,
        rows=rows,
    )
    layers = theatre_layers.layers_for(rows, date)
    if layers is not None:
        inputs.theatre = layers
        inputs.actors = theatre_layers.actors_of(layers.theatres)
        inputs.rows = theatre_layers.with_names(rows, layers.theatres)
    return build_map(inputs, index_href=None)


def write_theatre_map(folder: str | Path, date: str | None, out: str | Path) -> Path:
    """Write the map of the theatre in ``folder`` at ``date`` (default: its last control date)
    to the HTML file ``out``, with its offline assets beside it."""
    from geo.render.article_map import render_page
    from geo.render.build import asset_bytes

    folder = Path(folder).resolve()
    theatre = load_theatre(folder)
    if folder not in theatre_folders():  # a folder outside the theatre roots: add its parent
        roots = os.environ.get("GEO_THEATRES", "")
        os.environ["GEO_THEATRES"] = os.pathsep.join(p for p in (str(folder.parent), roots) if p)
    if date is None:
        dates = sorted({d.isoformat() for d in theatre.control["date"]})
        date = dates[-1] if dates else str(theatre.events["date"].max() or "")
    if not date:
        raise InputError(f"{folder}: no control or event dates; give --date")
    out = Path(out)
    if out.suffix.lower() != ".html":
        raise InputError(f"{out}: the map is an .html file")
    page, assets = render_page(theatre_map(theatre, date), theatre.id)
    for asset in assets:
        write_atomic(out.parent / asset.relpath, asset_bytes(asset))
    write_atomic(out, page.encode("utf-8"))
    return out
