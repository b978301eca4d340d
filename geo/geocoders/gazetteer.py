"""The offline gazetteer as a geopy geocoder, so it is interchangeable with online services."""

from __future__ import annotations

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer.index import Entry, GazetteerIndex, open_index
from geo.resolve import softmax

ATTRIBUTION = "GeoNames (CC BY 4.0), Natural Earth (public domain), geo curated data (sourced)"


def entry_to_location(entry: Entry, score: float | None = None) -> Location:
    """A geopy Location whose ``raw`` carries the gazetteer record (id, kind, geometry...)."""
    raw = {
        "id": entry.id,
        "name": entry.name,
        "kind": entry.kind,
        "country": entry.country,
        "admin1": entry.admin1,
        "population": entry.population,
        "capital": entry.capital,
        "score": score,
        "source": entry.source,
        "geometry": entry.geometry,
    }
    parts = [entry.name, entry.admin1 if entry.admin1 != entry.name else None, entry.country]
    address = ", ".join(p for p in parts if p)
    return Location(address, (entry.lat, entry.lon), raw)


class Gazetteer(Geocoder):
    """Offline geocoding against the project's GeoNames + Natural Earth + curated index.

    Candidates are ranked by prior importance alone (population, kind): a single name has no
    document context. ``score`` is each candidate's share of the priors' softmax.
    """

    def __init__(self, index: GazetteerIndex | None = None) -> None:
        super().__init__(user_agent="geo-offline-gazetteer")
        self._index = index

    @property
    def index(self) -> GazetteerIndex:
        if self._index is None:
            self._index = open_index()
        return self._index

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        limit: int | None = None,
        country: str | None = None,
        timeout: float | None = None,
    ):
        """Ranked Locations for ``query``; None when the gazetteer has no such name."""
        found = self.index.lookup(str(query), country=country, limit=None)
        if not found:
            return None
        shares = softmax([e.log_prior for e in found])
        locs = [entry_to_location(e, round(w, 4)) for e, w in zip(found, shares, strict=True)]
        if exactly_one:
            return locs[0]
        return locs[:limit] if limit else locs

    def reverse(self, query, *, exactly_one: bool = True, timeout: float | None = None):
        raise NotImplementedError("the offline gazetteer does not reverse-geocode")
