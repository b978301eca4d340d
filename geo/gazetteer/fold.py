"""Name folding: the one rule that makes lookups case-, accent- and punctuation-insensitive."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Letters NFKD does not decompose to ASCII but news spells with plain letters.
_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
    }
)


def fold(name: str) -> str:
    """Lower-case ASCII words separated by single spaces ('Al-Jufra' -> 'al jufra')."""
    text = unicodedata.normalize("NFKD", name.translate(_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def is_latin(name: str) -> bool:
    """True when a name is written in Latin script (the only names English text can match)."""
    folded = fold(name)
    return bool(folded) and len(folded) >= 0.6 * len(name.replace(" ", ""))
