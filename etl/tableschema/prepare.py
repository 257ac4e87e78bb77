"""A resource's table made ready for the CSV check: a table of values (JSON, JSON Lines,
xlsx, ods, inline data) written as CSV (etl.tableschema.native), and the schema inferred
(etl.tableschema.infer) when the resource has none, with a note saying so."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.report.catalogue import SCHEMA_INFERRED
from etl.report.findings import Finding, Severity
from etl.tableschema.dialect import CsvDialect
from etl.tableschema.infer import SAMPLE_ROWS, csv_sample, infer_schema, native_sample
from etl.tableschema.model import TableSchema
from etl.tableschema.native import NativeTable, table_of, write_native
from etl.tableschema.native_read import (
    NATIVE_FORMATS,
    json_rows,
    jsonl_rows,
    ods_rows,
    xlsx_rows,
)
from etl.tableschema.package import Resource


@dataclass
class Prepared:
    """The resource as the CSV (or Parquet) check reads it, the schema it is checked
    against, the table of values it was written from, and the note of an inferred schema."""

    resource: Resource
    schema: TableSchema
    native: NativeTable | None = None
    note: Finding | None = None


def is_native(resource: Resource) -> bool:
    """True for a table of values: JSON, JSON Lines, xlsx, ods, or inline data."""
    return resource.data is not None or resource.format in NATIVE_FORMATS


def prepare(resource: Resource, plain: Path) -> Prepared:
    """The resource read from `plain` (its file, made plain by etl.tableschema.sources).

    Raises etl.tableschema.native_read.Unreadable, or TypeError for rows of values that
    are neither lists nor mappings."""
    schema = resource.schema
    labels: list[str] = []
    fragment: list[list[Any]] = []
    if is_native(resource):
        names = tuple(schema.field_names) if schema else ()
        native = table_of(_values(resource, plain), names)
        dialect = CsvDialect() if native.keyed else _structure(resource.dialect)
        if schema is None:
            labels, fragment = native_sample(native, dialect)
            schema = infer_schema(resource.name, resource.file, labels, fragment)
        path = write_native(native, schema, dialect)
        readable = dataclasses.replace(
            resource, path=path, format="csv", encoding="utf-8", dialect=dialect
        )
        prepared = Prepared(readable, schema, native)
    else:
        readable = dataclasses.replace(resource, path=plain, encoding="utf-8")
        if schema is None:
            labels, fragment = csv_sample(plain, resource.dialect)
            schema = infer_schema(resource.name, resource.file, labels, fragment)
        prepared = Prepared(readable, schema)
    if resource.schema is None:
        fields = ", ".join(f"{f.name}: {f.type}" for f in schema.fields)
        prepared.note = SCHEMA_INFERRED.at(
            resource.file, severity=Severity.WARNING, rows=SAMPLE_ROWS, fields=fields
        )
    return prepared


def _values(resource: Resource, plain: Path) -> Iterable[Any]:
    if resource.data is not None:
        return resource.data
    if resource.format == "json":
        return json_rows(plain)
    if resource.format == "xlsx":
        return xlsx_rows(plain, resource.options)
    if resource.format == "ods":
        return ods_rows(plain, resource.options)
    return jsonl_rows(plain)


def _structure(dialect: CsvDialect) -> CsvDialect:
    """The dialect's options of a table's structure (its header, comments, blank rows), for
    the CSV written from a table of values."""
    return CsvDialect(
        header=dialect.header,
        comment_char=dialect.comment_char,
        comment_rows=dialect.comment_rows,
        skip_blank_rows=dialect.skip_blank_rows,
        header_rows=dialect.header_rows,
        header_join=dialect.header_join,
        header_case=dialect.header_case,
    )
