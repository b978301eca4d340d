"""Foreign support: a curved arrow from each backer's capital to the actor it backs, labelled.

Curves (quadratic Béziers in lon/lat) keep arrows from the same capital apart and read as
"support flowing to", unlike straight lines that look like routes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from geo.render.elements import FeatureLayer, css_class, esc
from geo.render.legend import Entry

CURVE_POINTS = 32


@dataclass(frozen=True)
class Support:
    """One backer -> actor link with where it starts and ends (lon, lat)."""

    backer: str
    backer_name: str
    actor: str
    actor_name: str
    origin: tuple[float, float]
    target: tuple[float, float]
    color: str
    support: str = ""
    certainty: str = ""
    since: str = ""
    sources: str = ""


def curve(
    origin: tuple[float, float], target: tuple[float, float], bend: float = 0.22
) -> list[tuple[float, float]]:
    """Points of a quadratic Bézier from origin to target, bowed to the left by ``bend``."""
    (x0, y0), (x2, y2) = origin, target
    dx, dy = x2 - x0, y2 - y0
    cx, cy = (x0 + x2) / 2 - dy * bend, (y0 + y2) / 2 + dx * bend
    pts = []
    for i in range(CURVE_POINTS + 1):
        t = i / CURVE_POINTS
        x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x2
        y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y2
        pts.append((round(x, 4), round(y, 4)))
    return pts


def arrow_head(pts: list[tuple[float, float]], size: float) -> list[tuple[float, float]]:
    """A closed triangle at the end of a polyline, pointing along its last segment."""
    (x1, y1), (x2, y2) = pts[-3], pts[-1]
    angle = math.atan2(y2 - y1, x2 - x1)
    left = (x2 - size * math.cos(angle - 0.45), y2 - size * math.sin(angle - 0.45))
    right = (x2 - size * math.cos(angle + 0.45), y2 - size * math.sin(angle + 0.45))
    ring = [(x2, y2), left, right, (x2, y2)]
    return [(round(x, 4), round(y, 4)) for x, y in ring]


def support_features(links: Sequence[Support]) -> list[dict]:
    """Arrow bodies (with popup and label) and heads for every support link."""
    features: list[dict] = []
    from_same: dict[tuple, int] = {}
    for link in links:
        key = (link.origin, link.target)
        n = from_same.get(key, 0)
        from_same[key] = n + 1
        pts = curve(link.origin, link.target, bend=0.2 + 0.1 * n)
        length = math.dist(link.origin, link.target)
        cls = f"geo-support geo-backer-{css_class(link.backer)} geo-actor-{css_class(link.actor)}"
        popup = (
            '<div class="geo-popup">'
            f'<div class="geo-popup-title">{esc(link.backer_name)} → {esc(link.actor_name)}</div>'
            + (f'<div class="geo-row">{esc(link.support)}</div>' if link.support else "")
            + (f'<div class="geo-row">Since {esc(link.since)}</div>' if link.since else "")
            + (
                f'<div class="geo-row">Certainty: {esc(link.certainty)}</div>'
                if link.certainty
                else ""
            )
            + (
                f'<div class="geo-row geo-note">Sources: {esc(link.sources)}</div>'
                if link.sources
                else ""
            )
            + "</div>"
        )
        style = {"color": link.color, "weight": 2.5, "opacity": 0.85}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(p) for p in pts]},
                "properties": {
                    "_class": cls,
                    "_style": style,
                    "_popup": popup,
                    "_tooltip": esc(f"{link.backer_name} → {link.actor_name}"),
                },
            }
        )
        head = arrow_head(pts, size=max(0.12, min(0.45, length * 0.03)))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in head]]},
                "properties": {
                    "_class": cls + " geo-arrowhead",
                    "_style": {
                        "color": link.color,
                        "weight": 1,
                        "fillColor": link.color,
                        "fillOpacity": 0.9,
                    },
                    "_popup": popup,
                },
            }
        )
    return features


def support_layer(links: Sequence[Support]) -> FeatureLayer:
    """The 'Foreign support' overlay."""
    return FeatureLayer(support_features(links), name="Foreign support", key="support")


def support_legend(links: Sequence[Support]) -> list[Entry]:
    """One row per backer drawn."""
    seen: dict[str, Entry] = {}
    for link in links:
        seen.setdefault(
            link.backer, Entry("arrow", link.color, f"{link.backer_name} backs {link.actor_name}")
        )
    return list(seen.values())
