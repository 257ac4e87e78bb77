"""A table in flight: its frame plus where each row came from, for findings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from etl.schema_mapping import polars_schema
from etl.schemas import TableSchema


@dataclass(frozen=True)
class Table:
    """A typed table read from one file, with the file row number of each frame row."""

    name: str
    file: str
    frame: pl.DataFrame
    rows: list[int]

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(file row, row as a mapping) for each row."""
        yield from zip(self.rows, self.frame.iter_rows(named=True), strict=True)


def frame_of(rows: list[dict[str, Any]], schema: TableSchema) -> pl.DataFrame:
    """Rows as a frame with exactly the schema's columns and dtypes.

    Every row must have exactly the schema's fields: a missing or extra key is a bug here,
    never a silent null.
    """
    names = set(schema.field_names)
    for row in rows:
        if set(row) != names:
            missing, extra = sorted(names - set(row)), sorted(set(row) - names)
            raise ValueError(f"{schema.name}: row lacks {missing} and has extra {extra}")
    return pl.DataFrame(rows, schema=polars_schema(schema))


def blank(value: Any) -> bool:
    """True for an empty cell: null, or only white space."""
    return value is None or (isinstance(value, str) and not value.strip())
