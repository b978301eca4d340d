"""Events: dated incidents from the theatre data (offensives, strikes, votes, captures)."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import mapping

from geo.dates import day_or_none
from geo.render.elements import css_class, esc, popup_row, round_coords, sources_row, text_of
from geo.render.legend import Entry

RECENT_DAYS = 45
# One Font Awesome (solid) icon per event kind; others get a generic mark.
ICONS = {
    "offensive": "fa-person-rifle",
    "airstrike": "fa-jet-fighter",
    "capture": "fa-flag",
    "agreement": "fa-handshake",
    "statement": "fa-bullhorn",
    "vote": "fa-check-to-slot",
    "interception": "fa-ship",
    "seizure": "fa-ship",
    "shipwreck": "fa-life-ring",
    "rescue": "fa-life-ring",
    "clash": "fa-explosion",
    "displacement": "fa-person-walking-arrow-right",
}
OTHER_ICON = "fa-circle-exclamation"


def icon_of(kind: str | None) -> str:
    """The icon class for an event kind."""
    return ICONS.get((kind or "").lower(), OTHER_ICON)


def event_features(events: gpd.GeoDataFrame) -> list[dict]:
    """A point per event place, shown from its date on; the time bar marks recent ones."""
    features = []
    for _, ev in events.sort_values("date").iterrows():
        date = text_of(ev.get("date")) or ""
        when = day_or_none(date)
        popup = (
            '<div class="geo-popup">'
            f'<div class="geo-popup-title">{esc(text_of(ev.get("title")) or ev.get("id"))}</div>'
            f'<div class="geo-popup-kind">{esc(text_of(ev.get("kind")))} · {esc(date)}'
            + (f" to {esc(text_of(ev.get('end')))}" if text_of(ev.get("end")) else "")
            + "</div>"
            + popup_row(ev.get("actors"), "Actors: ")
            + popup_row(ev.get("certainty"), "Certainty: ")
            + popup_row(ev.get("note"), note=True)
            + sources_row(ev.get("source"))
            + "</div>"
        )
        for point in shapely.get_parts(ev.geometry) if ev.geometry is not None else []:
            features.append(
                {
                    "type": "Feature",
                    "geometry": round_coords(mapping(point), 4),
                    "properties": {
                        "_class": f"geo-event geo-event-{css_class(ev.get('id'))}",
                        "_event": icon_of(text_of(ev.get("kind"))),
                        "_date": date[:10],
                        **({"_start": date[:10]} if when else {}),
                        "_popup": popup,
                        "_tooltip": esc(f"{date}: {text_of(ev.get('title')) or ''}"),
                    },
                }
            )
    return features


def events_legend(kinds: list[str]) -> list[Entry]:
    """One row per event kind drawn (its icon), and what the yellow fill means."""
    rows = [Entry("event", "#ffffff", f"event: {k}", icon_of(k)) for k in kinds]
    rows.append(
        Entry("event", "#fde047", f"event within {RECENT_DAYS} days before the date shown", "")
    )
    return rows
