"""The two projections the theatre join uses, in plain math on the WGS84 ellipsoid.

The join measures a place against a theatre in two ways: which control cell holds it (cells are
Voronoi cells in a Lambert azimuthal equal-area projection centred on the theatre) and how far
it lies from routes and events (in an azimuthal equidistant projection centred on the place).
PROJ's formulas for both are short; written here they answer in microseconds without importing
pyproj (tens of milliseconds at start) or building a transformer per place (six milliseconds
each). They agree with PROJ to well under a millimetre (tests/test_join.py checks this).
"""

from __future__ import annotations

import math

A = 6378137.0  # WGS84 semi-major axis, metres
F = 1 / 298.257223563
B = A * (1 - F)
ES = F * (2 - F)  # first eccentricity squared
E = math.sqrt(ES)


def _qsfn(sinphi: float) -> float:
    """PROJ's ``pj_qsfn``: the authalic q of a latitude (its sine)."""
    con = E * sinphi
    return (1 - ES) * (sinphi / (1 - con * con) - (0.5 / E) * math.log((1 - con) / (1 + con)))


_QP = _qsfn(1.0)


class Laea:
    """``+proj=laea +lat_0 +lon_0 +datum=WGS84`` forward, oblique aspect (PROJ's e_forward)."""

    def __init__(self, lon0: float, lat0: float) -> None:
        if abs(lat0) < 1e-6 or abs(abs(lat0) - 90) < 1e-6:
            raise ValueError("only the oblique aspect of the equal-area projection is written")
        self.lon0, self.lat0 = lon0, lat0
        self._lam0 = math.radians(lon0)
        sinphi = math.sin(math.radians(lat0))
        rq = math.sqrt(0.5 * _QP)
        self._sinb1 = _qsfn(sinphi) / _QP
        self._cosb1 = math.sqrt(1 - self._sinb1 * self._sinb1)
        dd = math.cos(math.radians(lat0)) / (math.sqrt(1 - ES * sinphi * sinphi) * rq * self._cosb1)
        self._xmf, self._ymf = rq * dd, rq / dd

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        """(x, y) in metres of a lon/lat point."""
        lam = math.radians(lon) - self._lam0
        lam = (lam + math.pi) % (2 * math.pi) - math.pi
        sinb = _qsfn(math.sin(math.radians(lat))) / _QP
        cosb = math.sqrt(max(0.0, 1 - sinb * sinb))
        coslam = math.cos(lam)
        b = math.sqrt(2 / (1 + self._sinb1 * sinb + self._cosb1 * cosb * coslam))
        x = A * self._xmf * b * cosb * math.sin(lam)
        y = A * self._ymf * b * (self._cosb1 * sinb - self._sinb1 * cosb * coslam)
        return x, y


def inverse(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[float, float]:
    """Geodesic distance (m) and initial azimuth (radians) from point 1 to point 2 (Vincenty's
    inverse on WGS84; it differs from Karney's, which PROJ uses, by well under a millimetre)."""
    if lon1 == lon2 and lat1 == lat2:
        return 0.0, 0.0
    u1 = math.atan((1 - F) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - F) * math.tan(math.radians(lat2)))
    big_l = math.radians(lon2 - lon1)
    su1, cu1, su2, cu2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    lam = big_l
    for _ in range(200):
        sl, cl = math.sin(lam), math.cos(lam)
        sin_s = math.hypot(cu2 * sl, cu1 * su2 - su1 * cu2 * cl)
        if sin_s == 0:
            return 0.0, 0.0
        cos_s = su1 * su2 + cu1 * cu2 * cl
        sigma = math.atan2(sin_s, cos_s)
        sin_a = cu1 * cu2 * sl / sin_s
        cos2a = 1 - sin_a * sin_a
        cos2sm = cos_s - 2 * su1 * su2 / cos2a if cos2a else 0.0
        c = F / 16 * cos2a * (4 + F * (4 - 3 * cos2a))
        prev = lam
        lam = big_l + (1 - c) * F * sin_a * (
            sigma + c * sin_s * (cos2sm + c * cos_s * (-1 + 2 * cos2sm * cos2sm))
        )
        if abs(lam - prev) < 1e-13:
            break
    u_sq = cos2a * (A * A - B * B) / (B * B)
    k1 = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    d_sigma = (
        k1
        * sin_s
        * (
            cos2sm
            + k1
            / 4
            * (
                cos_s * (-1 + 2 * cos2sm * cos2sm)
                - k1 / 6 * cos2sm * (-3 + 4 * sin_s * sin_s) * (-3 + 4 * cos2sm * cos2sm)
            )
        )
    )
    s = B * big_a * (sigma - d_sigma)
    azimuth = math.atan2(cu2 * math.sin(lam), cu1 * su2 - su1 * cu2 * math.cos(lam))
    return s, azimuth


def aeqd_forward(lon0: float, lat0: float, lon: float, lat: float) -> tuple[float, float]:
    """``+proj=aeqd +lat_0 +lon_0 +datum=WGS84`` forward: (x, y) metres, true distance and
    azimuth from the centre (PROJ's ellipsoidal form solves the same geodesic)."""
    s, azimuth = inverse(lon0, lat0, lon, lat)
    return s * math.sin(azimuth), s * math.cos(azimuth)


def segment_distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from the origin to the segment a-b in the plane."""
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    return math.hypot(ax + t * dx, ay + t * dy)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a 6371 km sphere: a cheap first filter (within 0.6% of the
    geodesic), never the answer."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
