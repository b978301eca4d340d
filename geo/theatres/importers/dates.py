"""Dates as event exports write them: ISO (``2019-04-04``, with or without a time) or ACLED's
long form (``04 April 2019``)."""

from __future__ import annotations

import datetime as dt

from geo.theatres.importers._model import ImportRowError

_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%m/%d/%Y")


def export_date(value: str, field: str, line: int) -> str:
    """``value`` as YYYY-MM-DD; ImportRowError (naming line and field) when it is no date."""
    text = (value or "").strip()
    head = text.split(" ")[0] if len(text) > 10 and text[4:5] == "-" else text
    head = head.split("T")[0]
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(head, fmt).date().isoformat()
        except ValueError:
            continue
    raise ImportRowError(f"line {line}: {field} {text[:40]!r} is not a date")
