"""The corpus map: every place a corpus names, sized by how often, over time, with its articles.

Input is the GeoParquet of ``geo corpus`` (one row per mention). Places are aggregated per
resolved id; a slider over the months of the articles' dates shows one month or everything up
to it; dense areas are clustered (Leaflet.markercluster, the cluster showing the mentions it
holds); a place's popup lists the articles that name it in the window, linked to the article's
map (when ``geo build`` wrote one next to this page) or to its original URL.

Article titles and ids are untrusted: every fragment is escaped in Python and the page only
joins those fragments; the data reaches the page through :func:`safe_json`.
Countries, seas and regions are left out: sized by mentions they would drown the towns, and
their position is not where the news happens.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

from geo.errors import InputError
from geo.render import basemap, legend, widgets
from geo.render.article_map import blank_map, render_page
from geo.render.assets import copy_assets, write_atomic
from geo.render.elements import deterministic_ids, esc, figure_of, finite, safe_json
from geo.render.header import header, safe_url
from geo.render.palette import assign
from geo.render.places import UNCONTROLLED, actor_label
from geo.vocab import AREA_KINDS

if TYPE_CHECKING:
    import geopandas as gpd

ALL = "all dates"
MAX_ARTICLES_IN_POPUP = 60
CLUSTER = "#1d4ed8"  # the clusters' blue (static/corpus-map.css), kept clear of every actor
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
REQUIRED = ("article_id", "date", "title", "place_id", "name", "kind", "geometry")

STATIC = Path(__file__).resolve().parent / "static"
# the page's own styles, in a style element as the index page has them
CSS = "\n<style>\n" + (STATIC / "corpus-map.css").read_text(encoding="utf-8") + "</style>\n"


@dataclass
class CorpusData:
    """What the page draws: months, articles (escaped list items) and places with references."""

    months: list[str]
    articles: list[tuple[int, str]]  # (month index, escaped <li> fragment)
    places: list[dict[str, Any]]
    actors: dict[str, dict[str, Any]]
    first: str | None
    last: str | None

    @property
    def mentions(self) -> int:
        return sum(n for p in self.places for _, n, _ in p["refs"])


def load_corpus(path: str | Path) -> gpd.GeoDataFrame:
    """The corpus GeoParquet as a GeoDataFrame; a missing or foreign file is an InputError."""
    import geopandas as gpd

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        gdf = gpd.read_parquet(p)
    except Exception as exc:  # noqa: BLE001 - pyarrow/geopandas raise many kinds here
        raise InputError(f"{path}: not a GeoParquet file ({type(exc).__name__})") from None
    missing = [c for c in REQUIRED if c not in gdf.columns]
    if missing:
        raise InputError(f"{path}: not a geo corpus file (no {', '.join(missing)} column)")
    return gdf


def _href(article_id: str, url: Any, out_dir: Path | None) -> str | None:
    """The article's own map when ``geo build`` wrote it next to this page, else its URL."""
    if (
        out_dir is not None
        and _SLUG.match(article_id)
        and (out_dir / f"{article_id}.html").is_file()
    ):
        return f"{article_id}.html"
    return safe_url(url if isinstance(url, str) else None)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        return None
    return str(value)


def corpus_data(gdf: gpd.GeoDataFrame, out_dir: Path | None = None) -> CorpusData:
    """Aggregate mention rows into the page's data (deterministic order: by place id, date)."""
    from geo.render.theatre_layers import actors_of
    from geo.theatres import load_all

    articles: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    for row in gdf.itertuples(index=False):
        geom = row.geometry
        kind = _text(row.kind) or "unknown"
        pid = _text(row.place_id)
        if geom is None or geom.is_empty or not pid or kind in AREA_KINDS:
            continue
        if not (finite(geom.x) and finite(geom.y)):
            continue
        aid = _text(row.article_id) or "?"
        akey = _text(getattr(row, "article_key", None)) or aid
        articles.setdefault(
            akey,
            {
                "id": aid,
                "date": _text(row.date),
                "title": _text(row.title),
                "url": _text(getattr(row, "url", None)),
            },
        )
        place = places.setdefault(
            pid,
            {
                "id": pid,
                "name": _text(row.name) or pid,
                "kind": kind,
                "country": _text(getattr(row, "country", None)),
                "lat": round(float(geom.y), 4),
                "lon": round(float(geom.x), 4),
                "refs": {},
            },
        )
        ref = place["refs"].setdefault(akey, [0, None])
        ref[0] += 1
        ref[1] = _text(getattr(row, "control", None)) or ref[1]
    # Articles in date order (undated last), then id; months from their dates.
    order = sorted(articles, key=lambda k: (articles[k]["date"] or "9999", articles[k]["id"], k))
    months = sorted({a["date"][:7] for a in articles.values() if a["date"]})
    month_index = {m: i for i, m in enumerate(months)}
    index_of = {k: i for i, k in enumerate(order)}
    items = []
    for k in order:
        a = articles[k]
        title = esc(a["title"] or a["id"])
        href = _href(a["id"], a["url"], out_dir)
        link = (
            f'<a href="{esc(href)}" rel="noopener noreferrer nofollow">{title}</a>'
            if href
            else title
        )
        date = f'<time datetime="{esc(a["date"])}">{esc(a["date"])}</time>' if a["date"] else ""
        m = month_index.get((a["date"] or "")[:7], len(months))
        items.append((m, f"<li>{link}{date}</li>"))
    all_actors = actors_of(load_all())
    used_actors: dict[str, dict[str, Any]] = {}
    out_places = []
    for pid in sorted(places):
        p = places[pid]
        refs = sorted((index_of[k], n, c) for k, (n, c) in p["refs"].items())
        for _, _, c in refs:
            if c and c not in used_actors:
                used_actors[c] = {
                    "colour": UNCONTROLLED,  # from the map's palette, below
                    "label": actor_label(c, all_actors),
                }
        country = f", {esc(p['country'])}" if p["country"] else ""
        out_places.append(
            {
                "lat": p["lat"],
                "lon": p["lon"],
                "name": esc(p["name"]),
                "head": (
                    f'<div class="geo-popup-title">{esc(p["name"])}</div>'
                    f'<div class="geo-popup-kind">{esc(p["kind"])}{country}</div>'
                ),
                "refs": refs,
            }
        )
    # One palette for the whole map, most-named holders first, as on an article's map: the
    # theatres' own colours were chosen each for itself (the LNA's red and the Syrian
    # government's red side by side).
    weight: dict[str, int] = {}
    for p in out_places:
        for _, n, c in p["refs"]:
            if c:
                weight[c] = weight.get(c, 0) + int(n)
    colours = assign(
        sorted(weight, key=lambda c: (-weight[c], c)), reserved=[UNCONTROLLED, CLUSTER]
    )
    for c, info in used_actors.items():
        info["colour"] = colours.get(c, UNCONTROLLED)
    dates = [articles[k]["date"] for k in order if articles[k]["date"]]
    return CorpusData(
        months=months,
        articles=items,
        places=out_places,
        actors=dict(sorted(used_actors.items())),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
    )


class CorpusLayer(JSCSSMixin, folium.map.Layer):
    """Clustered place markers, rebuilt for the months the slider selects."""

    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

    _template = Template((STATIC / "corpus-layer.js").read_text(encoding="utf-8"))

    def __init__(self, name: str = "Places named in the corpus", max_zoom: int = 14) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "CorpusLayer"
        self.max_zoom = int(max_zoom)


class CorpusTime(MacroElement):
    """The month slider: fills the cluster layer with the places named in the chosen window."""

    _template = Template((STATIC / "corpus-time.js").read_text(encoding="utf-8"))

    def __init__(self, layer: CorpusLayer, data: CorpusData) -> None:
        super().__init__()
        self._name = "CorpusTime"
        self.layer = layer
        self.data = safe_json(
            {
                "months": data.months,
                "articles": data.articles,
                "places": data.places,
                "actors": data.actors,
                "none": UNCONTROLLED,
                "allLabel": ALL,
                "maxList": MAX_ARTICLES_IN_POPUP,
            }
        )


def _bounds(data: CorpusData, share: float = 0.9) -> tuple[float, float, float, float]:
    """The view: the most-named places that together hold ``share`` of all mentions.

    A corpus about Libya also names Berlin and Moscow now and then; they stay on the map but
    should not zoom it out to half the world.
    """
    if not data.places:
        return (-20.0, 0.0, 50.0, 50.0)
    weighted = sorted(
        ((sum(n for _, n, _ in p["refs"]), p["lon"], p["lat"]) for p in data.places), reverse=True
    )
    total = sum(w for w, _, _ in weighted)
    kept, running = [], 0
    for w, lon, lat in weighted:
        kept.append((lon, lat))
        running += w
        if running >= share * total:
            break
    lons = [x for x, _ in kept]
    lats = [y for _, y in kept]
    return (min(lons), min(lats), max(lons), max(lats))


def build_corpus_map(
    data: CorpusData, title: str = "Corpus map", index_href: str | None = "index.html"
) -> folium.Map:
    """The folium map of a corpus, with ids that are the same on every build."""
    with deterministic_ids("c"):
        west, south, east, north = _bounds(data)
        m = blank_map((west, south, east, north), title)
        n_articles = len(data.articles)
        span = f"{data.first} to {data.last}" if data.first else None
        m.add_child(header(title, span, f"{n_articles} articles", None, index_href))
        head = figure_of(m).header
        head.add_child(folium.Element(CSS), name="geo_corpus_css")
        base, osm = basemap.add_base_layers(m, basemap.region_box((west, south, east, north)))
        layer = CorpusLayer()
        m.add_child(layer)
        m.add_child(CorpusTime(layer, data))
        m.add_child(widgets.GroupedLayers([base, osm], {"Corpus": [layer]}))
        widgets.add_tools(m)
        rows = [
            legend.Entry("circle", info["colour"], f"held by {info['label']} (latest article)")
            for info in data.actors.values()
        ]
        rows.append(legend.Entry("circle", UNCONTROLLED, "control unknown or not in a theatre"))
        rows.append(legend.Entry("circle", "#ffffff", "size: mentions in the chosen months"))
        rows.append(legend.Entry("circle", CLUSTER, "cluster: total mentions of its places"))
        m.add_child(legend.Legend({"Places": rows}))
        if data.places:
            m.fit_bounds(
                [[south - 0.5, west - 0.5], [north + 0.5, east + 0.5]],
                padding_top_left=(320, 150),
                padding_bottom_right=(250, 30),
                max_zoom=8,
            )
        return m


def write_corpus_map(
    parquet: str | Path, out: str | Path, title: str | None = None
) -> tuple[Path, CorpusData]:
    """Read a corpus GeoParquet and write its offline map to ``out`` (assets beside it).

    The map is listed in ``corpus-maps.json`` next to it and ``index.html`` is rewritten with
    it, under the same folder lock ``geo build`` takes, so the two never interleave.
    """
    from geo.render.build import build_lock
    from geo.render.index_page import check_corpus_map_out

    out = Path(out)
    if out.is_dir():
        raise InputError(f"{out}: is a folder; --out names the HTML file to write")
    check_corpus_map_out(out)
    gdf = load_corpus(parquet)
    folder = out.parent
    data = corpus_data(gdf, folder)
    name = title or f"Corpus: {Path(parquet).stem}"
    m = build_corpus_map(data, name, index_href="index.html")
    page, assets = render_page(m, str(out))
    try:
        with build_lock(folder):
            copy_assets(assets, folder)
            write_atomic(out, page.encode("utf-8"))
            _update_index(folder, out.name, name, data)
    except OSError as exc:
        raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    return out, data


def _update_index(folder: Path, file: str, title: str, data: CorpusData) -> None:
    """List this corpus map in ``corpus-maps.json`` and rewrite ``index.html`` with it."""
    import json

    from geo.render.build import _load_state, write_index
    from geo.render.index_page import CORPUS_MAPS_FILE, corpus_maps_in

    listed = [m for m in corpus_maps_in(folder) if m["file"] != file]
    listed.append(
        {
            "file": file,
            "title": title,
            "articles": len(data.articles),
            "first": data.first,
            "last": data.last,
        }
    )
    listed.sort(key=lambda m: m["file"])
    text = json.dumps(listed, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(folder / CORPUS_MAPS_FILE, text.encode("utf-8"))
    write_index(folder, _load_state(folder))  # as geo build does: its maps, then this one


def summary(data: CorpusData) -> Mapping[str, Any]:
    """Counts for the CLI's one-line report."""
    return {
        "articles": len(data.articles),
        "places": len(data.places),
        "mentions": data.mentions,
        "months": len(data.months),
    }


__all__: Sequence[str] = ("build_corpus_map", "corpus_data", "load_corpus", "write_corpus_map")
