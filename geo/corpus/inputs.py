"""Reading a corpus: article files, JSON Lines and CSV exports, as ``CorpusItem`` records.

Every record is keyed by a hash of its content, so a rerun recognises what it already did; a
record that cannot be read is one (source, reason) pair, never the end of the run. Bytes are
decoded with the same checks as an article file (``geo.articles.decode_text``).
"""

from __future__ import annotations

import csv
import glob
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo._io import fingerprint
from geo.articles import decode_text, load_article, read_bytes, slugify
from geo.dates import parse_day
from geo.errors import InputError

FILE_SUFFIXES = (".md", ".markdown", ".txt")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)


@dataclass(frozen=True)
class CorpusItem:
    """One article to geoparse, with where it came from and its content hash (``key``)."""

    key: str
    id: str
    source: str
    text: str
    date: str | None
    title: str | None = None
    url: str | None = None


def content_key(text: str, date: str | None, title: str | None, article_id: str) -> str:
    """The resume key: a hash of everything that shapes an article's rows."""
    return fingerprint(article_id, date or "", title or "", text)


def _day(value: object, where: str) -> str | None:
    """An ISO day from a date column; timestamps (as archives export them) are cut to the day."""
    try:
        day = parse_day(value)
    except ValueError:
        raise InputError(f"{where}: date {str(value)[:40]!r} is not YYYY-MM-DD") from None
    return day.isoformat() if day else None


def _clean(text: str) -> str:
    """Text with lone surrogates (JSON allows them, UTF-8 does not) as U+FFFD, one for one,
    so offsets still count the same characters and every string can be written to Parquet."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def _opt(value: object) -> str | None:
    return None if value is None or value == "" else _clean(str(value))


def _item_from_record(record: object, where: str, default_id: str) -> CorpusItem:
    """A JSON Lines object or CSV row -> CorpusItem; a missing text or bad date is an error."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: not an object with text and date fields")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no text")
    text = _clean(text)
    date = _day(record.get("date"), where)
    if date is None:
        raise InputError(f"{where}: no date (YYYY-MM-DD)")
    title = _opt(record.get("title"))
    article_id = _opt(record.get("id")) or default_id
    return CorpusItem(
        key=content_key(text, date, title, article_id),
        id=article_id,
        source=where,
        text=text,
        date=date,
        title=title,
        url=_opt(record.get("url")),
    )


def _read_bytes(path: Path) -> str:
    """An export file decoded as UTF-8, with the same checks as an article file."""
    limit = settings.MAX_ARTICLE_BYTES * 64
    return decode_text(read_bytes(path, str(path), limit, "export file"), str(path))


def _read_jsonl(path: Path) -> Iterator[CorpusItem | InputError]:
    text = _read_bytes(path)
    # Records end at \n alone (a \r before it is tolerated): str.splitlines() would also cut
    # at U+2028, U+2029 and U+0085, which JSON strings may hold raw.
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{where}: not valid JSON ({exc.args[0][:60]})") from None
            yield _item_from_record(record, where, f"{path.stem}-{n}")
        except InputError as exc:
            yield exc


def _read_csv(path: Path) -> list[CorpusItem | InputError]:
    """Rows of a CSV export; its text fields may be as long as an article file may be.

    The csv module's field limit is process-wide, so it is raised only while this file is read.
    """
    import io

    text = _read_bytes(path)
    previous = csv.field_size_limit(max(csv.field_size_limit(), settings.MAX_ARTICLE_BYTES))
    try:
        return list(_csv_rows(path, csv.DictReader(io.StringIO(text, newline=""))))
    finally:
        csv.field_size_limit(previous)


def _csv_rows(path: Path, reader: csv.DictReader) -> Iterator[CorpusItem | InputError]:
    try:
        fields = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(f"{path}: not valid CSV ({exc})") from None
    missing = [c for c in ("text", "date") if c not in fields]
    if missing:
        raise InputError(f"{path}: no {' or '.join(repr(c) for c in missing)} column")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(f"{path}:{reader.line_num}: not valid CSV ({exc})")
            return
        where = f"{path}:{reader.line_num}"
        try:
            yield _item_from_record(row, where, f"{path.stem}-{reader.line_num}")
        except InputError as exc:
            yield exc


def _read_file(path: Path) -> CorpusItem:
    article = load_article(path)
    # Front matter may spell lone surrogates as YAML escapes; the file's text is valid UTF-8.
    article_id = _opt(article.meta.get("id")) or article.slug or slugify(path.stem)
    title = _opt(article.title)
    return CorpusItem(
        key=content_key(article.text, article.date, title, article_id),
        id=article_id,
        source=str(path),
        text=article.text,
        date=_opt(article.date),
        title=title,
        url=_opt(article.url),
    )


def expand_inputs(specs: Sequence[str | Path]) -> list[Path]:
    """Files named, found in folders (sorted, article and export files only) or by glob."""
    found: list[Path] = []
    suffixes = FILE_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
            )
        elif path.exists():
            found.append(path)
        elif glob.has_magic(str(spec)):
            matches = sorted(Path(p) for p in glob.glob(str(spec), recursive=True))
            files = [p for p in matches if p.is_file()]
            if not files:
                raise InputError(f"{spec}: the pattern matches no file")
            found.extend(files)
        else:
            raise InputError(f"{spec}: no such file or folder")
    return found


def read_corpus(specs: Sequence[str | Path]) -> tuple[list[CorpusItem], list[tuple[str, str]]]:
    """Every article under ``specs``, and (source, reason) for each one that cannot be read.

    Articles with the same key (the same id and content twice) are kept once.
    """
    items: list[CorpusItem] = []
    failed: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(item: CorpusItem | InputError, fallback: str) -> None:
        if isinstance(item, InputError):
            failed.append(_split(str(item), fallback))
        elif item.key not in seen:
            seen.add(item.key)
            items.append(item)

    for path in expand_inputs(specs):
        suffix = path.suffix.lower()
        try:
            if suffix in JSONL_SUFFIXES:
                for item in _read_jsonl(path):
                    add(item, str(path))
            elif suffix in CSV_SUFFIXES:
                for item in _read_csv(path):
                    add(item, str(path))
            else:
                add(_read_file(path), str(path))
        except InputError as exc:
            add(exc, str(path))
        except Exception as exc:  # noqa: BLE001 - a parser's surprise is one bad input, not a crash
            add(InputError(f"{path}: {type(exc).__name__}: {str(exc)[:200]}"), str(path))
    return items, failed


def _split(message: str, fallback: str) -> tuple[str, str]:
    """An InputError's 'where: why' as (where, why)."""
    where, sep, why = message.partition(": ")
    return (where, why) if sep else (fallback, message)
