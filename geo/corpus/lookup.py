"""Control of the ground for a whole batch of articles, as corpus rows want it: the theatre
join's bulk lookup (``geo.join.control_many``), so a corpus row says what ``geo places``, the
export and the map say (``tests/test_join.py`` checks it)."""

from __future__ import annotations

from collections.abc import Sequence

_NO_CONTROL = (None, None, None)


def warm_theatres() -> None:
    """Load the theatres and build their lookup structures once (before a pool forks)."""
    from geo.join import warm

    warm()


def control_at_many(
    docs: Sequence[tuple[Sequence[dict], str | None]],
) -> list[list[tuple[str | None, str | None, str | None]]]:
    """For each (places, date): (actor, status, as-of date) holding each place at that date;
    (None, None, None) for areas and places no theatre holds."""
    from geo.join import control_many, place_point

    batch = [
        (
            [place_point(p) for p in places],
            [p.get("kind") for p in places],
            [p.get("country") for p in places],
            date,
        )
        for places, date in docs
    ]
    return [
        [_NO_CONTROL if hit is None else (hit[1][1], hit[1][3], hit[1][5]) for hit in found]
        for found in control_many(batch)
    ]
