"""The theatre CSV schema engine: each column checked and converted by its ``Col`` rule, and
every problem one ``TheatreDataError`` naming file, line and field (hostile bytes included)."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.dates import parse_day
from geo.errors import TheatreDataError

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


_ISO2 = re.compile(r"^[A-Z]{2}$")


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Col:
    """How one CSV column is checked and converted."""

    name: str
    kind: str = "str"  # str, slug, ids, date, float, int, iso2, colour, enum
    required: bool = True
    choices: tuple[str, ...] = ()


class _Row(dict):
    """A parsed CSV row that remembers its line number."""

    line: int = 0


def _fail(path: Path, line: int | None, fld: str | None, problem: str) -> TheatreDataError:
    """The one error of a load: ``file:line: field 'name': problem``, always on one line."""
    where = f"{path}:{line}" if line else str(path)
    # repr() shows a hostile column name (newline, BOM, NUL) instead of printing it raw.
    what = f" field {fld!r}:" if fld is not None else ""
    return TheatreDataError(" ".join(f"{where}:{what} {problem}".splitlines()))


def _convert(path: Path, line: int, col: Col, raw: str):
    value = raw.strip()
    if value == "":
        if col.required:
            raise _fail(path, line, col.name, "is empty but required")
        return [] if col.kind == "ids" else None
    if col.kind == "slug" and not _SLUG.match(value):
        raise _fail(path, line, col.name, f"{value!r} is not a lowercase slug (a-z, 0-9, dashes)")
    if col.kind == "iso2" and not _ISO2.match(value):
        raise _fail(path, line, col.name, f"{value!r} is not an ISO 3166 alpha-2 code")
    if col.kind == "colour" and not _COLOUR.match(value):
        raise _fail(path, line, col.name, f"{value!r} is not a colour like #1a2b3c")
    if col.kind == "enum" and value not in col.choices:
        raise _fail(path, line, col.name, f"{value!r} is not one of {', '.join(col.choices)}")
    if col.kind == "date":
        try:
            return parse_day(value, time=False)
        except ValueError:
            raise _fail(path, line, col.name, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if col.kind in ("float", "int"):
        try:
            number = int(value) if col.kind == "int" else float(value)
        except ValueError:
            what = "an int" if col.kind == "int" else "a float"
            raise _fail(path, line, col.name, f"{value!r} is not {what} number") from None
        if not math.isfinite(number):  # nan and inf parse as floats but mean nothing here
            raise _fail(path, line, col.name, f"{value!r} is not a finite number")
        return number
    if col.kind == "ids":
        parts = [p.strip() for p in value.split(";")]
        if any(p == "" for p in parts):
            raise _fail(path, line, col.name, f"{value!r} has an empty item (use 'a;b')")
        return parts
    return value


def read_csv(path: Path, schema: tuple[Col, ...]) -> list[_Row]:
    """Rows of one CSV checked against ``schema``; the first problem raises TheatreDataError.

    Line numbers are where a record starts (a quoted field may span lines).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, None, None, f"cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")  # tolerate the BOM spreadsheets write
    except UnicodeDecodeError as exc:
        line, fld = _byte_position(data, exc.start)
        raise _fail(
            path, line, fld, f"is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[_Row] = []
    line = 1
    header: list[str] = []
    try:
        first = next(reader, None)
        if first is None:
            raise _fail(path, 1, None, "is empty (a header line is required)")
        header = [h.strip() for h in first]
        known = {c.name for c in schema}
        for i, h in enumerate(header):
            if h not in known:
                raise _fail(path, 1, h, f"unknown column (expected {', '.join(sorted(known))})")
            if h in header[:i]:
                raise _fail(path, 1, h, "column given twice")
        for c in schema:
            if c.name not in header and c.required:
                raise _fail(path, 1, c.name, "required column is missing from the header")
        while True:
            line = reader.line_num + 1
            values = next(reader, None)
            if values is None:
                break
            if not values or all(v.strip() == "" for v in values):
                continue
            if len(values) != len(header):
                # Name the first column without a value, or the last one when there are extras
                # (most often an unquoted comma).
                fld = header[len(values)] if len(values) < len(header) else header[-1]
                hint = "" if len(values) < len(header) else "; quote fields that hold commas"
                raise _fail(
                    path, line, fld, f"has {len(values)} fields, the header has {len(header)}{hint}"
                )
            raw = dict(zip(header, values, strict=True))
            row = _Row()
            row.line = line
            for c in schema:
                row[c.name] = _convert(path, line, c, raw.get(c.name, ""))
            rows.append(row)
    except csv.Error as exc:
        fld, quoting = _csv_trouble(text, line, header)
        what = "bad CSV quoting" if quoting else "is not valid CSV"
        raise _fail(path, line, fld, f"{what} ({exc})") from None
    return rows


def _byte_position(data: bytes, offset: int) -> tuple[int, str | None]:
    """The 1-based line of byte ``offset`` and, on a data line, the column it falls in."""
    line = data.count(b"\n", 0, offset) + 1
    if line == 1:
        return line, None
    header = data.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip().split(",")
    start = data.rfind(b"\n", 0, offset) + 1
    column = data.count(b",", start, offset)  # quotes ignored: a hint, not a parse
    return line, header[column].strip() if column < len(header) else None


def _csv_trouble(text: str, line: int, header: list[str]) -> tuple[str | None, bool]:
    """The column where the csv module gave up on the record starting at ``line``, and whether
    a quote is to blame: a small state machine over the record's first line."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None, False
    raw, column, state, i, field_start = lines[line - 1], 0, "start", 0, 0
    limit = csv.field_size_limit()

    def name(col: int) -> str | None:
        return header[col] if col < len(header) else None

    while i < len(raw):
        ch = raw[i]
        if state == "quoted":
            if ch == '"':
                if raw[i + 1 : i + 2] == '"':
                    i += 1  # an escaped quote
                else:
                    state = "after"
        elif ch == ",":
            if i - field_start > limit:
                return name(column), False
            column, state, field_start = column + 1, "start", i + 1
        elif state == "after":
            return name(column), True  # text after a closing quote
        elif state == "start":
            state = "quoted" if ch == '"' else "plain"
        i += 1
    if state == "quoted":
        return name(column), True
    if i - field_start > limit:
        return name(column), False
    return None, False  # the trouble is not on this line


def _check_refs(
    path: Path, rows: Iterable[_Row], fld: str, known: Iterable[str], what: str
) -> None:
    known = set(known)
    for row in rows:
        value = row[fld]
        for v in value if isinstance(value, list) else [value]:
            if v is not None and v not in known:
                raise _fail(path, row.line, fld, f"unknown {what} {v!r}")


def _check_unique(path: Path, rows: Iterable[_Row], keys: tuple[str, ...], what: str) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key in seen:
            shown = " on ".join(str(k) for k in key[::-1]) if len(key) > 1 else str(key[0])
            raise _fail(
                path, row.line, keys[-1], f"{what} {shown} already given on line {seen[key]}"
            )
        seen[key] = row.line
