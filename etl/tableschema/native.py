"""Tables whose cells are values, not text: JSON and JSON Lines files, inline data and
spreadsheets, written as a CSV file for the CSV reader, with the cells frictionless-py
would not read as their field's type set aside as type errors.

frictionless-py reads such a cell by its value: `1` is not a string, `1.5` is not an
integer, `true` is neither an integer nor a number but is a year, a date-time at midnight is
a date. `accepts` says, for one field and one value that is not text, the text the CSV
reader reads as that same value, or None when frictionless would report a type error.
The CSV check then runs as for any CSV, and `merge_clashes` puts each clash's type error in
place of whatever that cell gave.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.report.catalogue import TYPE_ERROR
from etl.report.findings import Finding
from etl.tableschema.cells import EXPECTED
from etl.tableschema.dialect import CsvDialect
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.sources import temporary_file


@dataclass
class NativeTable:
    """A table read as values: all its records, the header's among them (rows as
    mappings get a header of their keys); row numbers count them from 1."""

    records: Iterator[list[Any]]
    keyed: bool = False
    #: (row, field name) -> the value of each cell frictionless would not read.
    clashes: dict[tuple[int, str], Any] = field(default_factory=dict)


def table_of(items: Iterable[Any], names: tuple[str, ...]) -> NativeTable:
    """Rows as lists, or as mappings (the labels are the schema's field names, else the
    first mapping's keys; a key absent is null), as frictionless-py's inline reader takes
    them. Reading the records raises TypeError at a row of neither kind."""
    stream = iter(items)
    first = next(stream, None)
    if first is None:
        return NativeTable(iter(()))
    if isinstance(first, dict):
        labels = list(names) or [str(k) for k in first]

        def keyed() -> Iterator[list[Any]]:
            yield list(labels)
            for row in _chain(first, stream):
                if not isinstance(row, dict):
                    raise TypeError("a row is not a mapping like the first")
                yield [row.get(label) for label in labels]

        return NativeTable(keyed(), keyed=True)

    def listed() -> Iterator[list[Any]]:
        for row in _chain(first, stream):
            if not isinstance(row, list | tuple):
                raise TypeError("a row is neither a list nor a mapping")
            yield list(row)

    return NativeTable(listed())


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def label(cell: Any) -> str:
    """A cell as a header label (or as a comment) reads it."""
    return "" if cell is None else cell if isinstance(cell, str) else _any_text(cell)


def write_native(table: NativeTable, schema: TableSchema, dialect: CsvDialect) -> Path:
    """The table as a UTF-8 CSV file, record for record; the cells of data that clash with
    their field's type are written empty and kept in `table.clashes`."""
    target = temporary_file("native.csv")
    fields = schema.fields
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        for index, row in enumerate(table.records):
            shown = [label(c) for c in row]
            if index < dialect.first_record or dialect.skips(index, shown):
                writer.writerow(shown)
                continue
            cells = []
            for position, value in enumerate(row):
                item = fields[position] if position < len(fields) else None
                text = _text(item, value)
                if text is None:
                    assert item is not None
                    table.clashes[(index + 1, item.name)] = value
                    text = ""
                cells.append(text)
            writer.writerow(cells)
    return target


def _text(item: Field | None, value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return _any_text(value) if item is None else accepts(item, value)


def _any_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def accepts(item: Field, value: Any) -> str | None:
    """The text read as `value` (not text, not null) in field `item`, or None when
    frictionless-py would not read the value as the field's type."""
    kind = item.type
    if kind == "any":
        return _any_text(value)
    if isinstance(value, bool):
        if kind == "boolean":
            values = item.option("trueValues" if value else "falseValues")
            return str(values[0]) if values else None
        return f"{int(value):04d}" if kind == "year" else None
    if isinstance(value, int | float) and kind in ("integer", "number", "year"):
        return _number(item, value)
    if isinstance(value, dict):
        return json.dumps(value) if kind in ("object", "geojson") else None
    if isinstance(value, list | tuple):
        return _listed(item, list(value))
    if isinstance(value, dt.datetime):
        if kind == "datetime":
            return _temporal(item, value, "%Y-%m-%dT%H:%M:%S")
        if kind == "date" and value.time() == dt.time(0):
            return _temporal(item, value.date(), "%Y-%m-%d")
        return None
    if isinstance(value, dt.date) and kind == "date":
        return _temporal(item, value, "%Y-%m-%d")
    if isinstance(value, dt.time) and kind == "time":
        return _temporal(item, value, "%H:%M:%S")
    return None


def _number(item: Field, value: int | float) -> str | None:
    if item.type == "year":
        return f"{value:04d}" if isinstance(value, int) and 0 <= value <= 9999 else None
    if item.type == "integer":
        if isinstance(value, float) and not value.is_integer():
            return None
        return str(int(value))
    text = repr(value) if isinstance(value, float) else str(value)
    return text.replace(".", str(item.option("decimalChar")))


def _listed(item: Field, value: list[Any]) -> str | None:
    if item.type == "array":
        return json.dumps(value)
    if item.type == "geopoint" and len(value) == 2:
        lon, lat = value
        if item.format == "array":
            return json.dumps(value)
        if item.format == "object":
            return json.dumps({"lon": lon, "lat": lat})
        return f"{lon}, {lat}"
    if item.type == "yearmonth" and len(value) == 2 and all(isinstance(v, int) for v in value):
        return f"{value[0]:04d}-{value[1]:02d}"
    return None


def _temporal(item: Field, value: dt.date | dt.time, default: str) -> str:
    if item.format in ("default", "any"):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.isoformat()
        return value.strftime(default) if not isinstance(value, dt.time) else value.isoformat()
    return value.strftime(item.format)


def merge_clashes(
    findings: list[Finding], file: str, clashes: dict[tuple[int, str], Any], schema: TableSchema
) -> list[Finding]:
    """The findings with each clashing cell's type error in place of what the CSV check
    found at that cell (it read the cell as empty)."""
    rows = {row for row, _ in clashes}  # a row holding a clash is not blank
    kept = [
        f
        for f in findings
        if (f.row, f.field) not in clashes and not (f.kind == "blank-row" and f.row in rows)
    ]
    for (row, name), value in clashes.items():
        item = schema.field(name)
        shown = item.type if item.format == "default" else f"{item.type}/{item.format}"
        text = json.dumps(value, default=str)
        expected = EXPECTED[item.type]
        kept.append(TYPE_ERROR.at(file, row, name, text, expected=expected, type=shown))
    return kept
