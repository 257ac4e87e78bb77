"""A Table Schema inferred for a tabular resource that has none, as frictionless-py's
Detector infers one with its defaults.

The sample is the first SAMPLE_ROWS records read (the header's rows among them); the
records of data in it (past the header, comments and skipped blank rows left out) are the
fragment. Each column is tried against the CANDIDATES types in order: a cell that reads as
a type scores it a point, one that does not takes one away, a missing value (an empty cell)
is not counted, and a type that falls below -10% of the fragment is out. The first type to
score CONFIDENCE of the column's cells that are not missing, checked after each record, is
the column's type; a column with none is `any`. Names are the labels (an empty one is
`fieldN`, a repeated one gets 2, 3, ...), or field1, field2, ... without a header.

A cell may be text (CSV), or a JSON or spreadsheet value, read as etl.tableschema.native
reads it for each type.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import polars as pl

from etl.tableschema.cells import read_expression
from etl.tableschema.dialect import CsvDialect
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.native import NativeTable, accepts, label

SAMPLE_ROWS = 100
CONFIDENCE = 0.9
CANDIDATES = (
    "yearmonth",
    "geopoint",
    "duration",
    "geojson",
    "object",
    "array",
    "datetime",
    "time",
    "date",
    "integer",
    "number",
    "boolean",
    "year",
    "string",
)
MISSING = ("",)
#: A cell past the end of its record: every type reads it (as frictionless reads None).
ABSENT = object()


def csv_sample(path: Path, dialect: CsvDialect) -> tuple[list[str], list[list[Any]]]:
    """The labels and the fragment of a CSV file (UTF-8 by now), as frictionless samples it."""
    records: list[list[str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for cells in csv.reader(handle, **dialect.python_options()):
            records.append(cells)
            if len(records) >= SAMPLE_ROWS:
                break
    labels = dialect.labels(records) if dialect.header else []
    start = dialect.first_record
    fragment = [
        list(cells)
        for index, cells in enumerate(records)
        if index >= start and not dialect.skips(index, cells)
    ]
    return labels, fragment


def native_sample(table: NativeTable, dialect: CsvDialect) -> tuple[list[str], list[list[Any]]]:
    """The labels and the fragment of the table's first records, as frictionless samples
    them (etl.tableschema.infer); the records are left to read from the first."""
    head = list(itertools.islice(table.records, SAMPLE_ROWS))
    table.records = itertools.chain(head, table.records)
    shown = [[label(c) for c in cells] for cells in head]
    labels = dialect.labels(shown) if dialect.header else []
    fragment = [
        cells
        for index, cells in enumerate(head)
        if index >= dialect.first_record and not dialect.skips(index, shown[index])
    ]
    return labels, fragment


def field_names(labels: list[str], fragment: list[list[Any]]) -> list[str]:
    """The inferred fields' names: the labels, each empty one `fieldN`, repeats numbered."""
    names = list(labels) or [f"field{n}" for n in range(1, len(fragment[0]) + 1 if fragment else 1)]
    names = [name or f"field{index}" for index, name in enumerate(names, start=1)]
    used: set[str] = set()
    out = []
    for name in names:
        new, suffix = name, 2
        while new in used:
            new, suffix = f"{name}{suffix}", suffix + 1
        used.add(new)
        out.append(new)
    return out


def infer_schema(
    name: str, shown: str, labels: list[str], fragment: list[list[Any]]
) -> TableSchema:
    """The schema frictionless-py would infer from these labels and records."""
    names = field_names(labels, fragment)
    if not fragment:
        return TableSchema(name, shown, "", tuple(Field(n, "any") for n in names))
    reads = _readings(fragment, len(names))
    fields = tuple(
        Field(column_name, _column_type(column, fragment, reads))
        for column, column_name in enumerate(names)
    )
    return TableSchema(name, shown, "", fields)


def _readings(fragment: list[list[Any]], width: int) -> dict[str, list[list[bool]]]:
    """For each candidate type, for each column, whether each record's text cell reads as
    it (the cells that are not text are read by etl.tableschema.native)."""
    text = {
        f"c{j}": [row[j] if j < len(row) and isinstance(row[j], str) else None for row in fragment]
        for j in range(width)
    }
    frame = pl.DataFrame(text, schema=dict.fromkeys(text, pl.String))
    out: dict[str, list[list[bool]]] = {}
    for ftype in CANDIDATES:
        probe = Field("shared", ftype)
        read = frame.select(read_expression(probe, pl.col(c)).is_not_null().alias(c) for c in text)
        columns = [read.get_column(c).to_list() for c in text]
        for j, column in enumerate(columns):
            for i, row in enumerate(fragment):
                cell = row[j] if j < len(row) else ABSENT
                if cell is ABSENT or cell is None:
                    column[i] = True
                elif not isinstance(cell, str):
                    column[i] = accepts(probe, cell) is not None
        out[ftype] = columns
    return out


def _column_type(column: int, fragment: list[list[Any]], reads: dict[str, list[list[bool]]]) -> str:
    most = len(fragment)
    floor = len(fragment) * (CONFIDENCE - 1)
    scores = dict.fromkeys(CANDIDATES, 0)
    for index, row in enumerate(fragment):
        cell = row[column] if column < len(row) else ABSENT
        missing = isinstance(cell, str) and cell in MISSING
        if missing:
            most -= 1
        for ftype in CANDIDATES:
            if scores[ftype] < floor:
                continue
            if not missing:
                scores[ftype] += 1 if reads[ftype][column][index] else -1
            if most > 0 and scores[ftype] >= most * CONFIDENCE:
                return ftype
    return "any"
