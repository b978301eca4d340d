"""Calendar dates, parsed one way everywhere: an article's date, a theatre row's date, a date
column of a news archive, a date a caller passes in.

A day is written ``YYYY-MM-DD``; archives add a time (``2019-12-22T10:00:00Z``), which is cut
to the day. A ``date`` stays a date and a ``datetime`` becomes its day; None, "" and NaN mean
no date.
"""

from __future__ import annotations

import datetime as dt
import math
import re

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def missing(value: object) -> bool:
    """True for the values that mean no date: None, "", NaN (a gap in a table)."""
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def parse_day(value: object, *, time: bool = True) -> dt.date | None:
    """The calendar day of ``value``, or None when it is missing; ValueError when it is not a
    date. With ``time=False`` text must be exactly ``YYYY-MM-DD`` (a data file's date column)."""
    if missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = (_DAY_TIME if time else DAY).fullmatch(text)
    if match is None:
        raise ValueError(f"{text[:40]!r} is not a date (YYYY-MM-DD)")
    return dt.date.fromisoformat(match.group(1) if time else text)


# Event datasets' own forms beside ISO: ACLED's CSV downloads write "15 April 2023".
EXPORT_FORMATS = ("%d %B %Y", "%d-%B-%Y", "%d %b %Y")


def parse_export_day(value: object) -> dt.date | None:
    """``parse_day`` that also reads the long forms of event-data exports (``EXPORT_FORMATS``)."""
    try:
        return parse_day(value)
    except ValueError:
        text = str(value).strip()
        for fmt in EXPORT_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise


def day_or_none(value: object) -> dt.date | None:
    """``parse_day`` for display code: anything that is not a date is None."""
    try:
        return parse_day(value)
    except ValueError:
        return None
