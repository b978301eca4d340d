"""Articles: decoded text, front matter and sentences, loaded with clear errors.

Offsets everywhere in the project are Python string indices into ``Article.text``, the whole
decoded file (front matter included), so ``text[start:end] == mention`` always holds.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geo import settings
from geo.errors import InputError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# white space, or at a blank line / line break between paragraphs.
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+|\n\s*""")


@dataclass(frozen=True)
class Article:
    """An article's text with its metadata; ``body_start`` is where the body begins."""

    path: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    slug: str | None = None
    language: str | None = None
    body_start: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


def slugify(value: str) -> str:
    """A safe file stem: ASCII letters, digits and dashes only, never empty or a path."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()[:80].strip("-")
    return slug or "article"


def _as_str(value: object) -> str | None:
    """A front-matter value as text; lone surrogates (YAML's "\\ud800") become U+FFFD so the
    value can be written as UTF-8 anywhere later."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _SURROGATE.sub("\ufffd", str(value))


_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_FRONT_MATTER = 64 * 1024
_MAX_FRONT_MATTER_DEPTH = 20
_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_front_matter(source: str, path: str) -> object:
    """Parse front matter safely: no Python tags (safe_load), and no aliases, since nested
    aliases expand exponentially ("billion laughs") when the values are turned into text."""
    if len(source) > _MAX_FRONT_MATTER:
        raise InputError(f"{path}: front matter is over {_MAX_FRONT_MATTER // 1024} KB")
    # libyaml's safe loader where it is installed (ten times faster: a build parses every
    # article's front matter in one process); Python's safe loader for what libyaml refuses
    # (escaped or lone surrogates), so results and errors are Python's wherever they differ.
    if _FAST_SAFE_LOADER is not yaml.SafeLoader and not _SURROGATE.search(source):
        try:
            return _load_checked(source, path, _FAST_SAFE_LOADER)
        except yaml.YAMLError:
            pass
    return _load_checked(source, path, yaml.SafeLoader)


def _load_checked(source: str, path: str, loader: Any) -> object:
    """``source`` loaded with ``loader`` after its events are checked for aliases and depth."""
    depth = 0
    for event in yaml.parse(source, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise InputError(
                f"{path}: front matter uses YAML aliases (*name), which are not allowed"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_FRONT_MATTER_DEPTH:
                raise InputError(
                    f"{path}: front matter nests deeper than {_MAX_FRONT_MATTER_DEPTH} levels"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    # The event stream is parsed without recursion; building the values recurses, and the
    # depth check above keeps that far from Python's limit.
    return yaml.load(source, Loader=loader)


def article_from_text(text: str, path: str = "<text>") -> Article:
    """Split front matter from the body; malformed front matter is an InputError."""
    meta: dict = {}
    body_start = 0
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = _load_front_matter(match.group(1), path)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 2}" if mark is not None else ""
            raise InputError(f"{path}:{where} front matter is not valid YAML") from None
        except InputError:
            raise
        except RecursionError:
            raise InputError(f"{path}: front matter nests too deeply") from None
        except ValueError as exc:  # PyYAML's own date parsing: "date: 2019-13-45"
            raise InputError(f"{path}: front matter has an impossible value ({exc})") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise InputError(f"{path}: front matter must be a mapping of keys to values")
        meta = loaded or {}
        body_start = match.end()
    date = _as_str(meta.get("date"))
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise InputError(f"{path}: front matter date {date!r} is not YYYY-MM-DD")
    title = _as_str(meta.get("title"))
    slug = slugify(_as_str(meta.get("slug")) or Path(path).stem)
    return Article(
        path=path,
        text=text,
        title=title,
        date=date,
        source=_as_str(meta.get("source")),
        url=_as_str(meta.get("url")),
        slug=slug,
        language=_as_str(meta.get("language")),
        body_start=body_start,
        meta={str(k): _as_str(v) for k, v in meta.items()},
    )


def read_bytes(path: Path, name: str, max_bytes: int, what: str = "article") -> bytes:
    """A file's bytes, refused before reading when over ``max_bytes``; errors are InputErrors."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{name}: {size / 1e6:.0f} MB is over the {max_bytes / 1e6:.0f} MB {what} limit"
                " (set GEO_MAX_ARTICLE_BYTES to raise it)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def decode_text(data: bytes, name: str) -> str:
    """Bytes as text: UTF-8 (with or without a BOM), never a binary file."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start})") from None


def load_article(path: str | Path) -> Article:
    """Read and decode an article file; every way it can be unusable is one InputError."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if p.is_dir():
        raise InputError(f"{name}: is a directory, not an article file")
    data = read_bytes(p, name, settings.MAX_ARTICLE_BYTES)
    return article_from_text(decode_text(data, name), name)


# A "sentence" longer than this (a list of names with no full stop, a page with no break) is
# split at white space into pieces of at most this many characters, so no quote, popup or
# record grows with the length of a text that never ends a sentence.
MAX_SENTENCE = 1000
# The sentence quoted with each mention is cut to about this many characters around the
# mention, with CUT marking each end that was cut.
QUOTE_CHARS = 300
CUT = "…"


def _pieces(text: str, start: int, end: int, limit: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """``text[start:end]`` as spans of at most ``limit`` characters, cut at white space where
    there is some in the second half of a piece (otherwise exactly at the limit)."""
    spans: list[tuple[int, int]] = []
    pos = start
    while end - pos > limit:
        cut = max(
            text.rfind(" ", pos + limit // 2, pos + limit), text.rfind("\n", pos, pos + limit)
        )
        cut = cut if cut > pos + limit // 2 else pos + limit
        spans.append((pos, cut))
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        spans.append((pos, end))
    return spans


class Sentences:
    """Sentence spans of a text, for quoting the sentence around a mention.

    Over-long sentences are split (``MAX_SENTENCE``). The quote of a short sentence is built
    once and shared by every mention in it (mentions are asked for in text order); a long one
    is cut to ``QUOTE_CHARS`` around each mention. Memory so stays bounded by the text's size,
    not by mentions times sentence length.
    """

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        self.text = text
        end = len(text) if end is None else end
        spans: list[tuple[int, int]] = []
        self._split: set[int] = set()  # ends of pieces of a split sentence (cut there)
        pos = start
        bounds = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text, start, end)]
        for stop, after in [*bounds, (end, end)]:
            if stop > pos:
                pieces = _pieces(text, pos, stop)
                spans.extend(pieces)
                self._split.update(e for _, e in pieces[:-1])
            pos = after
        self.spans = spans
        self._starts = [s for s, _ in spans]
        self._last: tuple[object, str] = (None, "")

    def around(self, offset: int, end: int | None = None) -> str:
        """The sentence holding ``text[offset:end]`` on one line, cut to about ``QUOTE_CHARS``
        around it (each cut end marked with ``CUT``); '' before the first sentence."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return ""
        s, e = self.spans[i]
        head = CUT + " " if i > 0 and self.spans[i - 1][1] in self._split else ""
        tail = " " + CUT if e in self._split else ""
        if e - s <= QUOTE_CHARS:
            if self._last[0] != i:
                self._last = (i, head + " ".join(self.text[s:e].split()) + tail)
            return self._last[1]
        end = min(max(offset, end if end is not None else offset), e)
        # Windows sit on a grid of QUOTE_CHARS / 3, so the mentions near each other share one
        # quote (one string) instead of each cutting its own.
        step = QUOTE_CHARS // 3
        a = max(s, s + (offset - s) // step * step - step)
        b = min(e, a + QUOTE_CHARS)
        if end > b:  # a mention longer than a grid step: centred on it instead
            a, b = max(s, offset - step), min(e, max(end, offset - step + QUOTE_CHARS))
        if self._last[0] == (i, a, b):
            return self._last[1]
        key = (i, a, b)
        if a > s:  # start at a word
            space = self.text.find(" ", a, offset)
            a = space + 1 if space >= 0 else a
        if b < e:  # end at a word
            space = self.text.rfind(" ", end, b)
            b = space if space >= 0 else b
        quote = " ".join(self.text[a:b].split())
        head = CUT + " " if a > s else head
        self._last = (key, head + quote + (" " + CUT if b < e else tail))
        return self._last[1]
