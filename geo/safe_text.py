"""Text from articles and services made safe for the two places it can do harm outside HTML.

Everything an article or a geocoder says is untrusted. Two outputs besides the maps can turn
such text into actions:

- a spreadsheet opening a CSV runs a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return as a formula (``=HYPERLINK(...)``, DDE); ``csv_cell`` prefixes such text with
  ``'``, which spreadsheets show as text and other readers keep visible (OWASP's advice);
- a terminal obeys escape sequences (ESC, BEL, CSI as C1 ``\\x9b``) in what it prints, and
  bidirectional overrides reorder what a reader sees; ``for_terminal`` writes every such
  character as a visible escape (``\\x1b``, ``\\u202e``), so a title or file name can neither
  retitle the window, hide a line nor fake one.

Every CSV writer and every table or message on the terminal goes through here: one place
for each decision.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# C0 controls but tab and newline (kept in messages; tables replace them), DEL, C1 controls,
# and the bidirectional embedding, override and isolate characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell that a spreadsheet shows and never runs (text only changes)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with every cell through ``csv_cell``."""
    return {key: csv_cell(value) for key, value in row.items()}


def csv_rows(rows: Iterable[Mapping[str, Any]]) -> Iterable[dict[str, Any]]:
    """Rows with every cell through ``csv_cell``, lazily (rows may be streamed)."""
    return (csv_row(row) for row in rows)


def csv_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame with every text cell through ``csv_cell``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("str", "string"):
            out[column] = out[column].map(csv_cell, na_action="ignore")
    return out


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: object, *, one_line: bool = False) -> str:
    """``text`` with terminal controls written as visible escapes; ``one_line`` also escapes
    line breaks and tabs, for a table cell or a one-line message."""
    text = str(text)
    text = _UNSAFE.sub(_escape, text)
    if one_line:
        text = text.replace("\t", "\\t").replace("\n", "\\n")
    return text


class TerminalFormatter(logging.Formatter):
    """A logging formatter whose messages cannot drive the terminal they are printed on."""

    def format(self, record: logging.LogRecord) -> str:
        return for_terminal(super().format(record))
