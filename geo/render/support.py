"""Foreign support: a curved arrow from each backer's capital to the actor it backs, labelled.

Curves (quadratic Béziers in lon/lat) keep arrows from the same capital apart and read as
"support flowing to", unlike straight lines that look like routes. The arrowhead is drawn in
the browser at a fixed pixel size, pointing at the backed side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geo.render.elements import FeatureLayer, css_class, esc, sources_row
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
    until: str = ""
    sources: str = ""
    backer_key: str = ""  # the palette key (backers of one country and side share a colour)


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


def support_features(links: Sequence[Support]) -> list[dict]:
    """Arrow bodies (with popup and label) and heads for every support link."""
    features: list[dict] = []
    from_same: dict[tuple, int] = {}
    for link in links:
        key = (link.origin, link.target)
        n = from_same.get(key, 0)
        from_same[key] = n + 1
        pts = curve(link.origin, link.target, bend=0.2 + 0.1 * n)
        cls = f"geo-support geo-backer-{css_class(link.backer)} geo-actor-{css_class(link.actor)}"
        popup = (
            '<div class="geo-popup">'
            f'<div class="geo-popup-title">{esc(link.backer_name)} → {esc(link.actor_name)}</div>'
            + (f'<div class="geo-row">{esc(link.support)}</div>' if link.support else "")
            + (f'<div class="geo-row">Since {esc(link.since)}</div>' if link.since else "")
            + (f'<div class="geo-row">Until {esc(link.until)}</div>' if link.until else "")
            + (
                f'<div class="geo-row">Certainty: {esc(link.certainty)}</div>'
                if link.certainty
                else ""
            )
            + sources_row(link.sources)
            + "</div>"
        )
        style = {"color": link.color, "weight": 2.5, "opacity": 0.9}
        props = {
            "_class": cls,
            "_style": style,
            "_actor": link.backer_key or link.backer,
            "_arrow": "end",
            "_popup": popup,
            "_tooltip": esc(f"{link.backer_name} → {link.actor_name}"),
        }
        if link.since:
            props["_start"] = link.since
        if link.until:
            props["_end"] = link.until
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(p) for p in pts]},
                "properties": props,
            }
        )
    return features


def support_layer(links: Sequence[Support]) -> FeatureLayer:
    """The 'Foreign support' overlay (features embedded; theatre maps use the shared asset)."""
    return FeatureLayer(support_features(links), name="Foreign support", key="support")


def support_legend(links: Sequence[Support], palette: dict[str, str] | None = None) -> list[Entry]:
    """One row per backer and backed side drawn, in the colour the map gives the backer."""
    from geo.render.palette import FALLBACK

    seen: dict[str, Entry] = {}
    minor: list[str] = []
    for link in links:
        colour = (palette or {}).get(link.backer_key or link.backer, link.color)
        if palette is not None and colour == FALLBACK:
            # No distinguishable colour left: one dashed grey row names them all.
            if link.backer_name not in minor:
                minor.append(link.backer_name)
            continue
        text = f"{link.backer_name} backs {link.actor_name}"
        seen.setdefault(text, Entry("arrow", colour, text))
    rows = list(seen.values())
    if minor:
        rows.append(
            Entry("dasharrow", FALLBACK, "other backers (dashed grey): " + ", ".join(minor))
        )
    return rows
