"""A fast first look for event words: the first letters any trigger can begin with.

Trying the full trigger pattern at every position of a text costs milliseconds per article;
trying it only where a word begins with one of the pattern's possible first three letters (read
off the compiled pattern's own syntax tree, so it never drifts from the lexicon) is ten times
cheaper and finds the same matches.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

# The regular expression parser's own tree (private modules of ``re``, stable since 3.11).
C: Any = importlib.import_module("re._constants")
_parser: Any = importlib.import_module("re._parser")

_WILD = "*"  # any continuation is possible from here


def _class_chars(items: Any) -> set[str] | None:
    """The lower-case letters a character class ([a-z], [Ss]) can match; None when too many."""
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av).lower())
        elif op is C.RANGE and av[1] - av[0] < 30:
            chars.update(chr(c).lower() for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars


class _Prefixes:
    """Walks a parsed pattern's items, collecting the prefixes a match can start with."""

    def __init__(self, items: list, n: int) -> None:
        self.items, self.n = items, n
        self.out: set[str] = set()

    def walk(self, i: int, acc: str) -> None:
        if len(acc) >= self.n or (acc and acc[-1] == _WILD):
            self.out.add(acc[: self.n] if acc[-1:] != _WILD else acc)
            return
        if i == len(self.items):
            self.out.add(acc + _WILD)
            return
        op, av = self.items[i]
        if op is C.LITERAL:
            self.walk(i + 1, acc + chr(av).lower())
        elif op is C.IN:
            self._class(i, acc, av)
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            self.walk(i + 1, acc)
        elif op is C.SUBPATTERN:
            self._group(i, acc, [av[-1]])
        elif op is C.BRANCH:
            self._group(i, acc, av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if lo == 0:
                self.walk(i + 1, acc)
            self._group(i, acc, [sub], repeat=hi != 1)
        else:
            self.out.add(acc + _WILD)

    def _class(self, i: int, acc: str, av: Any) -> None:
        chars = _class_chars(av)
        if chars is None:
            self.out.add(acc + _WILD)
            return
        for ch in chars:
            self.walk(i + 1, acc + ch)

    def _group(self, i: int, acc: str, alternatives: Any, repeat: bool = False) -> None:
        """A group, a branch's alternatives or a repeated item, then what follows it."""
        for sub in alternatives:
            for p in _prefixes(list(sub), self.n - len(acc)):
                if not p.endswith(_WILD):
                    self.out.add(acc + p)
                elif repeat:
                    self.out.add(acc + p[:-1] + _WILD)  # repeats: anything may follow
                else:
                    self.walk(i + 1, acc + p[:-1])  # the group may end here: what follows


def _prefixes(items: list, n: int) -> set[str]:
    """Possible lower-case prefixes (length n, or shorter ending in ``_WILD``) of a sequence."""
    walker = _Prefixes(items, n)
    walker.walk(0, "")
    return walker.out


def first_letters(pattern: str, flags: int = re.I, n: int = 3) -> set[str]:
    """Every lower-case prefix of length ``n`` a match of ``pattern`` can start with."""
    tree = _parser.parse(pattern, flags)
    return _prefixes(list(tree), n)


_WORD = re.compile(r"[^\W\d_]+")


def gated_matches(
    pattern: re.Pattern, text: str, start: int = 0, end: int | None = None, n: int = 3
) -> list[re.Match]:
    """``pattern.finditer(text, start)`` for a pattern whose matches begin at a word, tried
    only at words whose first ``n`` letters can begin a match."""
    end = len(text) if end is None else end
    firsts = _firsts(pattern.pattern, pattern.flags, n)
    if firsts is None:
        return list(pattern.finditer(text, start, end))
    out: list[re.Match] = []
    after = start
    for w in _WORD.finditer(text, start, end):
        at = w.start()
        if at < after or w.group()[:n].lower() not in firsts and len(w.group()) >= n:
            continue
        m = pattern.match(text, at, end)
        if m:
            out.append(m)
            after = m.end()
    return out


@lru_cache(maxsize=8)
def _firsts(pattern: str, flags: int, n: int) -> frozenset[str] | None:
    found = first_letters(pattern, flags, n)
    if any(p.endswith(_WILD) for p in found):
        return None
    return frozenset(found)
