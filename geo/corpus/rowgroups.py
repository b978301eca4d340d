"""Rows kept as Parquet, a row group at a time: how a corpus run holds an article's rows.

A 10 MB article of nothing but place names has about a million rows. Held as Python lists,
pickled to the parent, unpickled and made into one Arrow table, each copy of them took
hundreds of MB (issue 17). Instead the worker writes an article's rows window by window as
Parquet row groups into bytes (a few bytes a row: a name said again and again is stored once
per row group), the parent copies those row groups one at a time into the part file, and the
combine step reads a part a row group at a time. What is held at once is a row group or a
window's rows, whatever the article's size.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

# Rows gathered before a row group is written: about 6 MB in Arrow, and enough rows that a
# part of many small articles is a few row groups rather than one per article.
GROUP_ROWS = 50_000


def schema_of(types: Mapping[str, str]) -> Any:
    """An Arrow schema from column name -> type alias (``"string"``, ``"int64"``...)."""
    import pyarrow as pa

    return pa.schema([(name, pa.type_for_alias(t)) for name, t in types.items()])


class GroupWriter:
    """Tables of one schema in, Parquet row groups of ``GROUP_ROWS`` rows or more out (the
    last one may be smaller). Writes to ``path``, or to memory when it is None (``close``
    then returns the bytes: empty when no row was added)."""

    def __init__(self, schema: Any, path: Path | None = None) -> None:
        self.schema = schema
        self.path = path
        self.rows = 0
        self._held: list[Any] = []
        self._held_rows = 0
        self._sink: Any = None
        self._writer: Any = None

    def add(self, table: Any) -> None:
        """Rows to write (a table of the writer's schema); written once enough are held."""
        if table.num_rows == 0:
            return
        self._held.append(table)
        self._held_rows += table.num_rows
        self.rows += table.num_rows
        if self._held_rows >= GROUP_ROWS:
            self._flush()

    def _open(self) -> Any:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            self._sink = pa.BufferOutputStream() if self.path is None else self.path
            self._writer = pq.ParquetWriter(self._sink, self.schema, compression="zstd")
        return self._writer

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._held:
            return
        table = pa.concat_tables(self._held)
        self._held, self._held_rows = [], 0
        self._open().write_table(table, row_group_size=table.num_rows)

    def close(self) -> bytes:
        """Write what is held and end the file (a file with no rows still has the schema);
        in memory, the Parquet bytes (empty when no row was added)."""
        self._flush()
        if self.path is None and self._writer is None:
            return b""
        self._open().close()
        return b"" if self.path is not None else self._sink.getvalue().to_pybytes()


def read_groups(data: bytes) -> Iterator[Any]:
    """Each row group of Parquet bytes from ``GroupWriter`` as a table (none for ``b""``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not data:
        return
    file = pq.ParquetFile(pa.BufferReader(data))
    for group in range(file.num_row_groups):
        yield file.read_row_group(group)
