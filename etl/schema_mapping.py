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
    "time": pl.Time(),
    "yearmonth": pl.Date(),  # the first day of the month
    "any": pl.String(),
}


def polars_dtype(field: Field) -> pl.DataType:
    """The polars dtype a column of this field holds once parsed."""
    return POLARS_TYPES[field.type]


def polars_schema(schema: TableSchema) -> pl.Schema:
    """Column names and dtypes of the parsed table, in order."""
    return pl.Schema({f.name: polars_dtype(f) for f in schema.fields})


def typed_constraints(field: Field) -> tuple[dict[str, Any], list[str]]:
    """The field's constraints with minimum, maximum and enum read as the field's type.

    A bound of a date field written "2020-01-01" becomes a date, of an integer field "5"
    becomes 5, as frictionless-py reads them. Also gives the constraints whose value cannot
    be read that way (they are left out).
    """
    from etl.cast import read_expression

    out = dict(field.constraints)
    unreadable: list[str] = []
    if field.type in ("string", "any"):
        return out, unreadable
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"):
        if key not in out:
            continue
        raw = out[key] if key == "enum" else [out[key]]
        cells = pl.Series("v", [str(v) for v in raw], dtype=pl.String)
        values = pl.select(read_expression(field, pl.lit(cells)).alias("v")).to_series()
        if values.null_count():
            unreadable.append(key)
            del out[key]
            continue
        out[key] = values.to_list() if key == "enum" else values[0]
    return out, unreadable


def constraint_checks(field: Field, constraints: dict[str, Any] | None = None) -> list[pa.Check]:
    """pandera checks for the field's value constraints; each check's error names the constraint.

    `constraints` overrides the field's own (typed_constraints gives them read as its type);
    the messages show the constraints as written.
    """
    c = field.constraints if constraints is None else constraints
    shown = field.constraints
    checks: list[pa.Check] = []
    if "enum" in c:
        values = list(c["enum"])
        written = ", ".join(map(str, shown["enum"]))
        checks.append(pa.Check.isin(values, error=f"enum {written}"))
    if "pattern" in c:
        # A Table Schema pattern must match the whole value.
        checks.append(
            pa.Check.str_matches(f"^(?:{c['pattern']})$", error=f"pattern {c['pattern']}")
        )
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"], error=f"minimum {shown['minimum']}"))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"], error=f"maximum {shown['maximum']}"))
    if "exclusiveMinimum" in c:
        bound = shown["exclusiveMinimum"]
        checks.append(pa.Check.gt(c["exclusiveMinimum"], error=f"exclusiveMinimum {bound}"))
    if "exclusiveMaximum" in c:
        bound = shown["exclusiveMaximum"]
        checks.append(pa.Check.lt(c["exclusiveMaximum"], error=f"exclusiveMaximum {bound}"))
    if "minLength" in c:
        checks.append(
            pa.Check.str_length(min_value=c["minLength"], error=f"minLength {c['minLength']}")
        )
    if "maxLength" in c:
        checks.append(
            pa.Check.str_length(max_value=c["maxLength"], error=f"maxLength {c['maxLength']}")
        )
    return checks


def pandera_column(
    field: Field,
    *,
    key: bool = False,
    sole_key: bool = False,
    constraints: dict[str, Any] | None = None,
) -> pa.Column:
    """A pandera column for one field: dtype, required, unique and value constraints.

    A primary-key field is required; a field that is the whole primary key is also unique.
    """
    checks = constraint_checks(field, constraints)
    unique = sole_key or bool(field.constraints.get("unique", False))
    nullable = not (field.required or key)
    if unique and nullable:
        # Table Schema's unique ignores empty cells; pandera's would count them as repeats.
        checks.append(pa.Check(_unique_or_null, error="field_uniqueness"))
    return pa.Column(
        polars_dtype(field),
        checks=checks,
        nullable=nullable,
        unique=unique and not nullable,
        required=True,
        coerce=False,
    )


def _unique_or_null(data: Any) -> pl.LazyFrame:
    """True for each cell that is empty or holds a value no other cell holds."""
    column = pl.col(data.key)
    frame: pl.LazyFrame = data.lazyframe
    return frame.select(column.is_null() | ~column.is_duplicated())


def pandera_schema(
    schema: TableSchema,
    *,
    keys: bool = True,
    constraints: dict[str, dict[str, Any]] | None = None,
) -> pa.DataFrameSchema:
    """A pandera.polars schema for a parsed table: exactly the schema's columns, keys unique.

    With `keys=False` the schema checks each cell only (types, required, value constraints)
    and leaves unique, primaryKey and foreignKeys to the caller, who sees the whole table
    (etl.engine, which validates a table in batches). `constraints` gives typed constraints
    by field name.
    """
    options: dict[str, Any] = {}
    if keys and len(schema.primary_key) > 1:
        options["unique"] = list(schema.primary_key)
    columns = {}
    for field in schema.fields:
        typed = constraints.get(field.name) if constraints is not None else _typed(field)
        if keys:
            columns[field.name] = pandera_column(
                field,
                key=field.name in schema.primary_key,
                sole_key=schema.primary_key == (field.name,),
                constraints=typed,
            )
        else:
            columns[field.name] = pa.Column(
                polars_dtype(field),
                checks=constraint_checks(field, typed),
                nullable=not field.required,
                required=True,
                coerce=False,
            )
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=schema.name, **options)


def _typed(field: Field) -> dict[str, Any] | None:
    """The field's constraints read as its type, when it has any to read."""
    if not any(k in field.constraints for k in ("minimum", "maximum", "enum")) and not any(
        k.startswith("exclusive") for k in field.constraints
    ):
        return None
    return typed_constraints(field)[0]
