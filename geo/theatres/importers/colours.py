"""Distinct actor colours for an imported theatre: a colour-blind-safe palette first (Okabe-Ito,
then ColorBrewer Dark2), then evenly spread hues, so no two actors of a theatre share a colour."""

from __future__ import annotations

import colorsys

OKABE_ITO = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442")
DARK2 = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
_GOLDEN = 0.618033988749895


def distinct_colours(n: int) -> list[str]:
    """``n`` different ``#rrggbb`` colours, the most distinct ones first."""
    out = list(dict.fromkeys(OKABE_ITO + DARK2))[:n]
    hue, k = 0.11, 0
    taken = set(out)
    while len(out) < n:
        hue = (hue + _GOLDEN) % 1.0
        light = (0.38, 0.5, 0.62)[k % 3]
        sat = (0.75, 0.55)[(k // 3) % 2]
        k += 1
        r, g, b = colorsys.hls_to_rgb(hue, light, sat)
        colour = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
        if colour not in taken:
            taken.add(colour)
            out.append(colour)
    return out
