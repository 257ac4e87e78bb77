"""The polars dtype each Table Schema field type is read into."""

from __future__ import annotations

import polars as pl

from etl.tableschema.model import Field, TableSchema

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
    # read as their text, once checked (etl.tableschema.rich_types)
    **dict.fromkeys(("geopoint", "duration", "array", "object", "geojson"), pl.String()),
}


def polars_dtype(field: Field) -> pl.DataType:
    """The polars dtype a column of this field holds once read."""
    return POLARS_TYPES[field.type]


def polars_schema(schema: TableSchema) -> pl.Schema:
    """Column names and dtypes of the read table, in order."""
    return pl.Schema({f.name: polars_dtype(f) for f in schema.fields})
