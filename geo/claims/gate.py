"""A fast first look for event words: the first letters any trigger can begin with.

Trying the full trigger pattern at every position of a text costs milliseconds per article;
trying it only where a word begins with one of the pattern's possible first three letters (read
off the compiled pattern's own syntax tree, so it never drifts from the lexicon) is ten times
cheaper and finds the same matches.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as C  # noqa: N812
from re import _parser

_WILD = "*"  # any continuation is possible from here


def _prefixes(items: list, n: int) -> set[str]:
    """Possible lower-case prefixes (length n, or shorter ending in ``_WILD``) of a sequence."""
    out: set[str] = set()

    def walk(i: int, acc: str) -> None:
        if len(acc) >= n or (acc and acc[-1] == _WILD):
            out.add(acc[:n] if acc[-1:] != _WILD else acc)
            return
        if i == len(items):
            out.add(acc + _WILD)
            return
        op, av = items[i]
        if op is C.LITERAL:
            walk(i + 1, acc + chr(av).lower())
        elif op is C.IN:
            chars = set()
            for sop, sav in av:
                if sop is C.LITERAL:
                    chars.add(chr(sav).lower())
                elif sop is C.RANGE and sav[1] - sav[0] < 30:
                    chars.update(chr(c).lower() for c in range(sav[0], sav[1] + 1))
                else:
                    chars = None
                    break
            if chars is None:
                out.add(acc + _WILD)
            else:
                for ch in chars:
                    walk(i + 1, acc + ch)
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            walk(i + 1, acc)
        elif op is C.SUBPATTERN:
            for p in _prefixes(list(av[-1]), n - len(acc)):
                walk_rest(i, acc, p)
        elif op is C.BRANCH:
            for branch in av[1]:
                for p in _prefixes(list(branch), n - len(acc)):
                    walk_rest(i, acc, p)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if lo == 0:
                walk(i + 1, acc)
            for p in _prefixes(list(sub), n - len(acc)):
                walk_rest(i, acc, p, repeat=hi != 1)
        else:
            out.add(acc + _WILD)

    def walk_rest(i: int, acc: str, p: str, repeat: bool = False) -> None:
        if p.endswith(_WILD):
            head = p[:-1]
            # The group may end here: continue with what follows it (or repeat: anything).
            if repeat:
                out.add(acc + head + _WILD)
            else:
                walk(i + 1, acc + head)
        else:
            out.add(acc + p)

    walk(0, "")
    return out


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
