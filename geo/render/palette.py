"""One colour per actor on a map, chosen so every pair is told apart, colour-blind readers included.

Theatre data gives each actor a colour, but colours from different theatres clash (the LNA and
the Syrian government are both red). A map instead takes its actors in order of importance and
gives each the next colour of one fixed qualitative list (Okabe–Ito first, then Paul Tol's
"muted" colours), skipping any that would sit closer than ``MIN_DELTA_E`` (CIEDE2000) to one
already used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

# Okabe–Ito (without black, kept for lines and text), then Tol "muted" for maps with many actors.
COLOURS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#332288",  # indigo
    "#882255",  # wine
    "#999933",  # olive
    "#44AA99",  # teal
    "#DDCC77",  # sand
    "#AA4499",  # purple
    "#117733",  # green
    "#CC6677",  # rose
    "#88CCEE",  # cyan
)
MIN_DELTA_E = 20.0
FALLBACK = "#6b7280"


def _lab(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    r, g, b = lin
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


@lru_cache(maxsize=4096)
def delta_e(c1: str, c2: str) -> float:
    """CIEDE2000 colour difference between two hex colours (about 2.3 is just noticeable).

    Memoised: every map compares the same few colours of one fixed list."""
    l1, a1, b1 = _lab(c1)
    l2, a2, b2 = _lab(c2)
    c1_ = math.hypot(a1, b1)
    c2_ = math.hypot(a2, b2)
    cbar = (c1_ + c2_) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        if dh > 180:
            dh -= 360
        elif dh < -180:
            dh += 360
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    hbar = h1p + h2p
    if c1p * c2p:
        if abs(h1p - h2p) > 180:
            hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
        else:
            hbar = (h1p + h2p) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbar - 30))
        + 0.24 * math.cos(math.radians(2 * hbar))
        + 0.32 * math.cos(math.radians(3 * hbar + 6))
        - 0.20 * math.cos(math.radians(4 * hbar - 63))
    )
    d_theta = 30 * math.exp(-(((hbar - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc = 1 + 0.045 * cbarp
    sh = 1 + 0.015 * cbarp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dH / sh) ** 2 + rt * (dc / sc) * (dH / sh))


def assign(actors: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Actor id -> colour, in the given order (most important first), pairwise ΔE00 > 20.

    ``reserved`` colours (the frontline's, the places' grey) are kept clear of too. Actors beyond
    what the list can separate get the neutral grey rather than a clashing colour.
    """
    used = [c for c in reserved]
    out: dict[str, str] = {}
    pool = list(COLOURS)
    for actor in actors:
        if actor in out:
            continue
        for colour in pool:
            if all(delta_e(colour, u) > MIN_DELTA_E for u in used):
                out[actor] = colour
                used.append(colour)
                pool.remove(colour)
                break
        else:
            out[actor] = FALLBACK
    return out
