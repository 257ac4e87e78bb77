"""Building published frames from rows, what counts as an empty cell, and the findings a
stage makes against raw cells."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import polars as pl

from etl.report.catalogue import FindingKind
from etl.report.findings import Finding
from etl.tableschema.dtypes import polars_schema
from etl.tableschema.model import TableSchema
from etl.tableschema.table import Table
from etl.text.errors import ParseError

T = TypeVar("T")


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


class CellErrors:
    """The findings a stage makes against raw table cells, in the order it makes them."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        table: Table,
        row: int,
        column: str,
        kind: FindingKind,
        value: Any = None,
        **params: Any,
    ) -> None:
        """Record a finding of `kind` against a raw table cell."""
        self.findings.append(kind.at(table.file, row, column, value, **params))

    def attempt(
        self,
        table: Table,
        row: int,
        column: str,
        kind: FindingKind,
        parse: Callable[..., T],
        text: str,
        **options: Any,
    ) -> T | None:
        """Parse a cell's text; a ParseError becomes a finding of `kind` on the cell."""
        try:
            return parse(text, **options)
        except ParseError as exc:
            self.add(table, row, column, kind, text, problem=str(exc))
            return None
