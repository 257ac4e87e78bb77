"""Parsing the text cells of a table into the types its Table Schema declares."""

from __future__ import annotations

import polars as pl

from etl.findings import Finding
from etl.schema_mapping import polars_dtype
from etl.schemas import Field, TableSchema

TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
EXPECTED = {
    "integer": "a whole number such as 42",
    "number": "a number with a decimal point such as 9.4",
    "boolean": "true or false",
    "date": "a date as YYYY-MM-DD",
    "datetime": "a date and time as YYYY-MM-DDTHH:MM:SS",
    "year": "a year such as 2022",
}


def cast_expression(field: Field) -> pl.Expr:
    """An expression turning the text column of `field` into its type; bad cells become null."""
    col = pl.col(field.name)
    text = pl.when(col == "").then(None).otherwise(col)
    match field.type:
        case "string":
            return text
        case "integer" | "year":
            whole = text.str.contains(r"^[+-]?[0-9]+$")
            value = pl.when(whole).then(text).otherwise(None).str.to_integer(strict=False)
            if field.type == "year":
                value = pl.when(text.str.len_chars() == 4).then(value).otherwise(None)
            return value
        case "number":
            finite = text.str.contains(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
            return pl.when(finite).then(text).otherwise(None).cast(pl.Float64, strict=False)
        case "boolean":
            return (
                pl.when(text.is_in(TRUE_VALUES))
                .then(True)
                .when(text.is_in(FALSE_VALUES))
                .then(False)
                .otherwise(None)
            )
        case "date":
            return text.str.to_date("%Y-%m-%d", strict=False)
        case "datetime":
            return text.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
    raise ValueError(f"no cast for type {field.type}")  # schemas.py rejects unknown types


def cast_table(
    frame: pl.DataFrame, schema: TableSchema, file: str, rows: list[int]
) -> tuple[pl.DataFrame, list[Finding]]:
    """Cast every column of a text frame to its schema type, with a finding per bad cell.

    `rows` gives the file row number of each frame row, for the findings.
    """
    exprs = [cast_expression(f).cast(polars_dtype(f)).alias(f.name) for f in schema.fields]
    typed = frame.select(exprs)
    findings: list[Finding] = []
    for field in schema.fields:
        if field.type == "string":
            continue
        bad = frame.select(pl.int_range(pl.len()).alias("i"), pl.col(field.name).alias("v")).filter(
            (pl.col("v") != "") & typed.get_column(field.name).is_null()
        )
        for i, value in bad.iter_rows():
            findings.append(
                Finding(
                    file,
                    rows[i],
                    field.name,
                    "type-error",
                    f"is not {EXPECTED[field.type]} (type {field.type})",
                    value,
                )
            )
    return typed, findings
