"""Events: dated incidents from the theatre data (offensives, strikes, votes, captures)."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import mapping

from geo.dates import day_or_none, parse_day
from geo.render.elements import FeatureLayer, css_class, esc, popup_row, round_coords, text_of
from geo.render.legend import Entry

RECENT_DAYS = 45
EVENT_COLOR = "#ea580c"
OLD_COLOR = "#9ca3af"


def event_features(events: gpd.GeoDataFrame, article_date: str | None) -> list[dict]:
    """A point per event place; events up to the article date stand out, later ones are grey."""
    day = parse_day(article_date)
    features = []
    for _, ev in events.sort_values("date").iterrows():
        date = text_of(ev.get("date")) or ""
        when = day_or_none(date)
        recent = bool(day and when and 0 <= (day - when).days <= RECENT_DAYS)
        after = bool(day and when and when > day)
        color = OLD_COLOR if after else EVENT_COLOR
        popup = (
            '<div class="geo-popup">'
            f'<div class="geo-popup-title">{esc(text_of(ev.get("title")) or ev.get("id"))}</div>'
            f'<div class="geo-popup-kind">{esc(text_of(ev.get("kind")))} · {esc(date)}'
            + (f" to {esc(text_of(ev.get('end')))}" if text_of(ev.get("end")) else "")
            + ("" if not after else " (after the article)")
            + "</div>"
            + popup_row(ev.get("actors"), "Actors: ")
            + popup_row(ev.get("certainty"), "Certainty: ")
            + popup_row(ev.get("note"), note=True)
            + popup_row(ev.get("source"), "Sources: ", note=True)
            + "</div>"
        )
        for point in shapely.get_parts(ev.geometry) if ev.geometry is not None else []:
            features.append(
                {
                    "type": "Feature",
                    "geometry": round_coords(mapping(point), 4),
                    "properties": {
                        "_class": f"geo-event geo-event-{css_class(ev.get('id'))}",
                        "_style": {
                            "radius": 7 if recent else 5,
                            "color": "#1f2937",
                            "weight": 1,
                            "fillColor": color,
                            "fillOpacity": 0.9,
                        },
                        "_popup": popup,
                        "_tooltip": esc(f"{date}: {text_of(ev.get('title')) or ''}"),
                    },
                }
            )
    return features


def events_layer(
    events: gpd.GeoDataFrame, article_date: str | None, show: bool = True
) -> FeatureLayer:
    """The 'Events' overlay."""
    return FeatureLayer(
        event_features(events, article_date), name="Events", key="events", show=show
    )


def events_legend() -> list[Entry]:
    return [
        Entry("circle", EVENT_COLOR, "event up to the article date (larger: within 45 days)"),
        Entry("circle", OLD_COLOR, "event after the article date"),
    ]
