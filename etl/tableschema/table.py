"""A table read and typed by the engine: its frame plus the file row each frame row came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl


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
