"""YAML for theatre files: the document with its node tree, so an error names the line and key."""

from __future__ import annotations

from pathlib import Path

import yaml

from geo.theatres._csv import _fail


def _key_line(node, key: str) -> int | None:
    """The 1-based line of ``key`` in a YAML mapping node (None when absent)."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if getattr(k, "value", None) == key:
                return k.start_mark.line + 1
    return None


def _key_at(node, line: int) -> str | None:
    """The mapping key whose entry holds 1-based ``line`` (the innermost), for error messages."""
    found = None
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in pairs]
    for k, v in pairs:
        if k.start_mark.line + 1 <= line <= v.end_mark.line + 1:
            found = str(getattr(k, "value", "")) or None
    for child in children:
        if child.start_mark.line + 1 <= line <= child.end_mark.line + 1:
            found = _key_at(child, line) or found
    return found


def _read_yaml(path: Path):
    """The YAML document as a node tree (for line numbers) and as Python data."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, None, None, f"cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            path,
            data.count(b"\n", 0, exc.start) + 1,
            None,
            f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
        ) from None
    node = None
    line: int | None
    try:
        node = yaml.compose(text)
        return node, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        fld = _key_at(node, line) if node is not None and line else None
        raise _fail(
            path, line, fld, f"is not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise plain errors for scalars that look typed but are not,
        # such as the timestamp 2019-13-45; find the scalar to name its line and key.
        line, fld = _bad_scalar(node)
        raise _fail(path, line, fld, f"is not valid YAML ({exc})") from None


def _bad_scalar(node) -> tuple[int | None, str | None]:
    """The line and key of the first scalar that PyYAML's safe constructor refuses."""
    loader = yaml.SafeLoader("")
    stack: list[tuple[object, str | None]] = [(node, None)]
    while stack:
        current, key = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                loader.construct_object(current, deep=True)
            except Exception:
                return current.start_mark.line + 1, key
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, key) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.append((v, str(getattr(k, "value", key))))
    return None, None
