"""The one mapping from Frictionless Table Schema to polars dtypes and pandera.polars schemas."""

from __future__ import annotations

from typing import Any

import pandera.polars as pa
import polars as pl

from etl.schemas import Field, TableSchema

POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
    "year": pl.Int64(),
}


def polars_dtype(field: Field) -> pl.DataType:
    """The polars dtype a column of this field holds once parsed."""
    return POLARS_TYPES[field.type]


def polars_schema(schema: TableSchema) -> pl.Schema:
    """Column names and dtypes of the parsed table, in order."""
    return pl.Schema({f.name: polars_dtype(f) for f in schema.fields})


def constraint_checks(field: Field) -> list[pa.Check]:
    """pandera checks for the field's value constraints; each check's error names the constraint."""
    c = field.constraints
    checks: list[pa.Check] = []
    if "enum" in c:
        values = list(c["enum"])
        checks.append(pa.Check.isin(values, error=f"enum {', '.join(map(str, values))}"))
    if "pattern" in c:
        # A Table Schema pattern must match the whole value.
        checks.append(
            pa.Check.str_matches(f"^(?:{c['pattern']})$", error=f"pattern {c['pattern']}")
        )
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"], error=f"minimum {c['minimum']}"))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"], error=f"maximum {c['maximum']}"))
    if "minLength" in c:
        checks.append(
            pa.Check.str_length(min_value=c["minLength"], error=f"minLength {c['minLength']}")
        )
    if "maxLength" in c:
        checks.append(
            pa.Check.str_length(max_value=c["maxLength"], error=f"maxLength {c['maxLength']}")
        )
    return checks


def pandera_column(field: Field, *, key: bool = False, sole_key: bool = False) -> pa.Column:
    """A pandera column for one field: dtype, required, unique and value constraints.

    A primary-key field is required; a field that is the whole primary key is also unique.
    """
    return pa.Column(
        polars_dtype(field),
        checks=constraint_checks(field),
        nullable=not (field.required or key),
        unique=sole_key or bool(field.constraints.get("unique", False)),
        required=True,
        coerce=False,
    )


def pandera_schema(schema: TableSchema) -> pa.DataFrameSchema:
    """A pandera.polars schema for a parsed table: exactly the schema's columns, keys unique."""
    options: dict[str, Any] = {}
    if len(schema.primary_key) > 1:
        options["unique"] = list(schema.primary_key)
    columns = {
        field.name: pandera_column(
            field,
            key=field.name in schema.primary_key,
            sole_key=schema.primary_key == (field.name,),
        )
        for field in schema.fields
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=schema.name, **options)
