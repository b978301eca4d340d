"""When a claimed event happened: time expressions in a sentence, resolved against the article.

News dates events relative to the day it is published ("on Monday", "last week", "in April")
or to an event already told ("a day after"). Each expression is found by one pattern below and
resolved to a calendar date with a precision: ``day``, ``week`` (somewhere in that week),
``month`` (the date is the 1st), ``year`` (the date is 1 January) or ``unknown``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from geo.dates import day_or_none

PRECISIONS = ("day", "week", "month", "year", "unknown")

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "several": 3, "few": 3, "a few": 3,
}  # fmt: skip


@dataclass(frozen=True)
class DateExpr:
    """A time expression at ``start:end`` of the text it was found in, resolved."""

    start: int
    end: int
    text: str
    date: dt.date | None
    precision: str
    after_event: int | None = None  # "a day after": days counted from the previous event


_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = (
    r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|several|a\s+few|few)"
)
_UNIT = r"(?P<unit>day|week|month|year)s?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"


def _num(value: str) -> int:
    value = " ".join(value.lower().split())
    return int(value) if value.isdigit() else NUMBERS.get(value, 1)


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _past_month(article: dt.date, month: int, year: str | None) -> dt.date:
    """The 1st of ``month`` in ``year``, or in the latest year that is not after the article."""
    if year:
        return dt.date(int(year), month, 1)
    y = article.year if month <= article.month else article.year - 1
    return dt.date(y, month, 1)


def _past_day(article: dt.date, month: int, day: int, year: str | None) -> dt.date | None:
    if year:
        return _safe_date(int(year), month, day)
    found = _safe_date(article.year, month, day)
    # A date more than a week after the article is last year's (news looks back, rarely ahead).
    if found is not None and found > article + dt.timedelta(days=7):
        found = _safe_date(article.year - 1, month, day)
    return found


def _weekday(article: dt.date, name: str, last: bool) -> dt.date:
    back = (article.weekday() - WEEKDAYS[name.lower()]) % 7
    if last and back == 0:
        back = 7
    return article - dt.timedelta(days=back)


Resolver = Callable[[re.Match, dt.date], tuple[dt.date | None, str]]


def _r_iso(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return _safe_date(int(m["y"]), int(m["mo"]), int(m["d"])), "day"


def _r_month_day(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    found = _past_day(a, MONTHS[m["month"].lower()], int(m["day"]), m["year"])
    return found, "day" if found else "unknown"


def _r_month(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return _past_month(a, MONTHS[m["month"].lower()], m["year"]), "month"


def _r_year(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return dt.date(int(m["year"]), 1, 1), "year"


def _r_weekday(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return _weekday(a, m["weekday"], bool(m["last"])), "day"


def _r_offset(days: int, precision: str = "day") -> Resolver:
    return lambda m, a: (a + dt.timedelta(days=days), precision)


def _r_ago(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    n, unit = _num(m["n"]), m["unit"].lower()
    if unit == "day":
        return a - dt.timedelta(days=n), "day"
    if unit == "week":
        return a - dt.timedelta(weeks=n), "week"
    if unit == "month":
        return _shift_months(a, -n), "month"
    return dt.date(a.year - n, 1, 1), "year"


def _r_past_span(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    n, unit = _num(m["n"] or "1"), m["unit"].lower()
    days = {"day": n, "week": 7 * n, "month": 30 * n, "year": 365 * n}[unit]
    return a, "week" if days <= 14 else "month" if days <= 62 else "year"


def _r_last_month(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return _shift_months(a, -1), "month"


def _r_this_month(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return dt.date(a.year, a.month, 1), "month"


def _r_this_week(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return a - dt.timedelta(days=min(a.weekday(), 3)), "week"


def _r_weekend(m: re.Match, a: dt.date) -> tuple[dt.date | None, str]:
    return _weekday(a, "saturday", False), "week"


def _r_year_rel(offset: int) -> Resolver:
    return lambda m, a: (dt.date(a.year + offset, 1, 1), "year")


_N_DAYS = (
    r"(?:(?:a|one|the)\s+day|(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+days)"
)
# Counted from another event the article dates: (pattern, sign). "after" is +N when it opens
# the sentence ("A day after, the army shelled Goma") and -N when a clause follows ("seized
# Aleppo on Saturday, three days after launching an offensive": the offensive came first).
_EVENT_RELATIVE: list[tuple[re.Pattern, int | None]] = [
    (re.compile(rf"\b{_N_DAYS}\s+later\b", re.I), 1),
    (re.compile(rf"\b{_N_DAYS}\s+(?:earlier|before)\b(?!\s+(?:the|a|an|their|its)\b)", re.I), -1),
    (re.compile(rf"\b{_N_DAYS}\s+after\b", re.I), None),
    (re.compile(r"\bthe\s+(?:next|following)\s+day\b", re.I), 1),
    (
        re.compile(r"\b(?:the\s+same\s+day|later\s+that\s+day|that\s+(?:day|night))\b", re.I),
        0,
    ),
]


def _event_offset(text: str, m: re.Match, sign: int | None) -> int:
    n = _num(m["n"]) if "n" in m.re.groupindex and m["n"] else (0 if sign == 0 else 1)
    if sign is None:
        sign = 1 if re.match(r"\s*,", text[m.end() : m.end() + 3]) else -1
    return sign * n


_PATTERNS: list[tuple[re.Pattern, Resolver]] = [
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>\d\d)-(?P<d>\d\d)\b"), _r_iso),
    (
        re.compile(
            rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
            re.I,
        ),
        _r_month_day,
    ),
    (
        re.compile(
            rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
            re.I,
        ),
        _r_month_day,
    ),
    (re.compile(rf"\b(?P<last>last\s+)?{_WEEKDAY}{_PART}\b", re.I), _r_weekday),
    (re.compile(r"\byesterday\b", re.I), _r_offset(-1)),
    (
        re.compile(
            r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|overnight|earlier\s+today)\b",
            re.I,
        ),
        _r_offset(0),
    ),
    (re.compile(r"\blast\s+night\b", re.I), _r_offset(-1)),
    (
        re.compile(r"\b(?:last|the\s+previous|the\s+past)\s+week\b(?!s)", re.I),
        _r_offset(-7, "week"),
    ),
    (re.compile(r"\b(?:earlier\s+)?this\s+week\b", re.I), _r_this_week),
    (re.compile(r"\b(?:at|over|during)\s+the\s+weekend\b|\blast\s+weekend\b", re.I), _r_weekend),
    (re.compile(rf"\b{_NUM}\s+{_UNIT}\s+ago\b", re.I), _r_ago),
    (
        re.compile(rf"\b(?:in|over|during)\s+the\s+(?:past|last)\s+(?:{_NUM}\s+)?{_UNIT}\b", re.I),
        _r_past_span,
    ),
    (re.compile(r"\blast\s+month\b", re.I), _r_last_month),
    (
        re.compile(
            r"\b(?:(?:earlier\s+)?this|the\s+(?:start|beginning)\s+of\s+the)\s+month\b", re.I
        ),
        _r_this_month,
    ),
    (re.compile(r"\blast\s+year\b", re.I), _r_year_rel(-1)),
    (
        re.compile(
            r"\b(?:(?:earlier\s+)?this|the\s+(?:start|beginning)\s+of\s+the)\s+year\b", re.I
        ),
        _r_year_rel(0),
    ),
    (
        re.compile(
            rf"\b(?:(?:early|late|mid)[-\s]+)?{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?\b", re.I
        ),
        _r_month,
    ),
    (re.compile(r"\b(?:in|since|during|by)\s+(?P<year>(?:19|20)\d\d)\b", re.I), _r_year),
]

# "may" is a month only when a day or year sits beside it or "in/since/early May" precedes it.
_MAY_AS_MONTH = re.compile(r"(?:\b(?:in|since|early|late|mid|of|by)[-\s]+may\b|\bmay\s+\d)", re.I)
# "March" and "May" as verbs, "Sept" inside words etc. are guarded by needing a capital letter.


def _is_month_word(text: str, m: re.Match) -> bool:
    word = m["month"] if "month" in m.re.groupindex else None
    if word is None:
        return True
    if not word[0].isupper():
        return False
    if word.lower() == "may":
        return bool(_MAY_AS_MONTH.search(text, max(0, m.start() - 6), m.end() + 3))
    return True


def find_dates(
    text: str, article: dt.date | None, start: int = 0, end: int | None = None
) -> list[DateExpr]:
    """Time expressions in ``text[start:end]``, non-overlapping, leftmost-longest first.

    Without an article date only absolute dates (with a year) resolve; the rest get ``unknown``.
    """
    end = len(text) if end is None else end
    taken: list[tuple[int, int]] = []
    found: list[DateExpr] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for pattern, sign in _EVENT_RELATIVE:
        for m in pattern.finditer(text, start, end):
            if free(m.start(), m.end()):
                taken.append(m.span())
                offset = _event_offset(text, m, sign)
                found.append(DateExpr(m.start(), m.end(), m.group(), None, "unknown", offset))
    for pattern, resolve in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            if not free(m.start(), m.end()) or not _is_month_word(text, m):
                continue
            taken.append(m.span())
            if article is None and not (m.groupdict().get("year") or m.groupdict().get("y")):
                found.append(DateExpr(m.start(), m.end(), m.group(), None, "unknown"))
                continue
            date, precision = resolve(m, article or dt.date.min)
            found.append(DateExpr(m.start(), m.end(), m.group(), date, precision))
    return sorted(found, key=lambda d: d.start)


def resolve_relative(expr: DateExpr, anchor: dt.date | None) -> tuple[dt.date | None, str]:
    """An event-relative expression ("a day after") counted from the previous dated event."""
    if expr.after_event is None:
        return expr.date, expr.precision
    if anchor is None:
        return None, "unknown"
    return anchor + dt.timedelta(days=expr.after_event), "day"


def parse_article_date(value: str | None) -> dt.date | None:
    """The article's date (front matter, YYYY-MM-DD) as a date; anything else is None."""
    return day_or_none(value)
