"""Theatres from event data: ACLED and UCDP GED exports -> a theatre folder (docs/theatres.md).

``import_export(path, ImportOptions(source="acled", name="Sudan 2023"), out)`` reads the export as
a stream and writes a folder the loader validates like any curated theatre.
"""

from __future__ import annotations

from geo.theatres.importers.build import FORMATS, ImportOptions, ImportReport, import_export

__all__ = ["FORMATS", "ImportOptions", "ImportReport", "import_export"]
