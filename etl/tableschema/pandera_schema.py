"""The one mapping from a Frictionless Table Schema to a pandera.polars schema of its cells.

pandera checks each cell's type, `required` and value constraints; keys (unique,
primaryKey, foreignKeys) span the whole table and are checked by etl.tableschema.keys.
"""

from __future__ import annotations

from typing import Any

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from etl.tableschema.cells import read_expression
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.patterns import pattern_matches


def typed_constraints(field: Field) -> tuple[dict[str, Any], list[str]]:
    """The field's constraints with minimum, maximum and enum read as the field's type.

    A bound of a date field written "2020-01-01" becomes a date, of an integer field "5"
    becomes 5, as frictionless-py reads them. Also gives the constraints whose value cannot
    be read that way (they are left out).
    """
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
        checks.append(pattern_check(c["pattern"]))
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


def pattern_check(pattern: str) -> pa.Check:
    """A pandera check that each cell matches the whole of a pattern, as Python's re reads
    it (etl.tableschema.patterns says by which engine)."""

    def matches(data: PolarsData) -> pl.LazyFrame:
        cells = data.lazyframe.select(pl.col(data.key)).collect().to_series()
        return pl.LazyFrame([pattern_matches(cells, pattern)])

    return pa.Check(matches, error=f"pattern {pattern}")


def pandera_schema(
    schema: TableSchema, constraints: dict[str, dict[str, Any]] | None = None
) -> pa.DataFrameSchema:
    """A pandera.polars schema checking each cell of a read table: exactly the schema's
    columns, their dtypes, `required` and value constraints. `constraints` gives the
    constraints read as each field's type (typed_constraints), by field name."""
    columns = {}
    for field in schema.fields:
        typed = (
            constraints.get(field.name) if constraints is not None else typed_constraints(field)[0]
        )
        columns[field.name] = pa.Column(
            polars_dtype(field),
            checks=constraint_checks(field, typed),
            nullable=not field.required,
            required=True,
            coerce=False,
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=schema.name)
