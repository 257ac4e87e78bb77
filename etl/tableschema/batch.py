"""One batch of a table read into typed columns, with what frictionless would say of it.

For each column of the batch: its raw text, whether the cell is missing, its value read as
the field's type (etl.tableschema.cells), and whether that reading failed (a type error);
for each row, whether it is blank. Text comes from CSV; Parquet columns keep their types.
"""

from __future__ import annotations

import polars as pl

from etl.report.catalogue import BLANK_ROW, TYPE_ERROR
from etl.report.findings import Finding
from etl.tableschema.cells import (
    EXPECTED,
    canonical_expression,
    is_missing,
    quick_read_expression,
    read_expression,
)
from etl.tableschema.dtypes import polars_dtype
from etl.tableschema.model import Field, TableSchema
from etl.tableschema.structure import Column


def read_batch(
    batch: pl.DataFrame,
    columns: list[Column],
    schema: TableSchema,
    *,
    short: bool,
    canonical: bool = False,
) -> pl.DataFrame:
    """Row number, and for each column: typed value, raw text, missing and type-error flags.

    The row number is the batch's `_line` where it has one, else its record index + 1.
    Integer and number cells are first read by polars' own parsers; only the cells those
    leave unread go through the full Table Schema reading. With `canonical`, text is read
    by etl.tableschema.cells.canonical_expression instead.
    """
    row = pl.col("_line") if "_line" in batch.columns else pl.col("_i") + 1
    first: list[pl.Expr] = [row.cast(pl.Int64).alias("_row")]
    dtypes = batch.schema  # built afresh at each call, in time growing with the width
    for column in columns:
        raw = pl.col(f"c{column.position}")
        if short:
            absent = pl.col("_n").is_not_null() & (pl.col("_n") <= column.position)
            raw = pl.when(absent).then(None).otherwise(raw)
        dtype = dtypes[f"c{column.position}"]
        if dtype == pl.String:
            missing = is_missing(raw, schema.missing_values_of(column.field))
            first += [raw.alias(f"_t{column.position}"), missing.alias(f"_m{column.position}")]
        else:
            first += [
                raw.cast(pl.String).alias(f"_t{column.position}"),
                raw.is_null().alias(f"_m{column.position}"),
                raw.alias(f"_r{column.position}"),
            ]
    frame = batch.select(first)
    values: list[pl.Expr] = []
    slow: list[Column] = []
    for column in columns:
        at = column.position
        dtype = dtypes[f"c{at}"]
        quick = None if canonical else quick_read_expression(column.field, pl.col(f"_t{at}"))
        if dtype == pl.String and canonical:
            value = canonical_expression(column.field, pl.col(f"_t{at}"))
        elif dtype == pl.String and quick is not None:
            value = quick
            slow.append(column)
        elif dtype == pl.String:
            value = read_expression(column.field, pl.col(f"_t{at}"))
        else:
            value = _typed(column.field, pl.col(f"_r{at}"), dtype)
        values.append(
            pl.when(pl.col(f"_m{at}"))
            .then(None)
            .otherwise(value)
            .cast(polars_dtype(column.field))
            .alias(column.field.name)
        )
    frame = frame.with_columns(values)
    rest = _read_rest(frame, slow)
    if rest:
        frame = frame.with_columns(rest)  # once: each with_columns costs the frame's width
    blank = pl.all_horizontal([pl.col(f"_m{c.position}") for c in columns] or [pl.lit(False)])
    errors = [
        (~pl.col(f"_m{c.position}") & pl.col(c.field.name).is_null()).alias(f"_e{c.position}")
        for c in columns
    ]
    return frame.with_columns(*errors, blank.alias("_blank"))


def _read_rest(frame: pl.DataFrame, columns: list[Column]) -> list[pl.Series]:
    """The columns whose quick reading left cells null, with those cells read by the full
    Table Schema rules. The cells of all columns read alike (same type and format, no read
    options: quick_read_expression's columns) are read in one polars query, as a query
    costs about a millisecond however few its cells."""
    unread: dict[tuple[str, str], list[tuple[Column, pl.Series]]] = {}
    for column in columns:
        missing, value = (
            frame.get_column(f"_m{column.position}"),
            frame.get_column(column.field.name),
        )
        where = (~missing & value.is_null()).arg_true()
        if not where.is_empty():
            unread.setdefault((column.field.type, column.field.format), []).append((column, where))
    out = []
    for group in unread.values():
        field = group[0][0].field
        cells = pl.concat(
            [frame.get_column(f"_t{column.position}").gather(where) for column, where in group]
        )
        read = (
            cells.to_frame("t")
            .select(read_expression(field, pl.col("t")).cast(polars_dtype(field)))
            .to_series()
        )
        offset = 0
        for column, where in group:
            value = frame.get_column(column.field.name).clone()
            out.append(value.scatter(where, read.slice(offset, where.len())))
            offset += where.len()
    return out


def _typed(item: Field, raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A column's values as the field's type; text is read, typed Parquet columns kept."""
    if dtype == pl.String:
        return read_expression(item, raw)
    kind = item.type
    if kind in ("integer", "year") and dtype.is_integer():
        value = raw.cast(pl.Int64)
        return value if kind == "integer" else pl.when(value.is_between(0, 9999)).then(value)
    if kind == "integer" and (dtype.is_float() or dtype.is_decimal()):
        return pl.when(raw == raw.floor()).then(raw.cast(pl.Int64, strict=False))
    if kind == "number" and dtype.is_numeric():
        return raw.cast(pl.Float64)
    if dtype == {"boolean": pl.Boolean, "date": pl.Date, "time": pl.Time}.get(kind):
        return raw
    if kind == "date" and isinstance(dtype, pl.Datetime):
        return pl.when(raw.dt.time() == pl.time(0)).then(raw.dt.date())
    if kind == "datetime" and isinstance(dtype, pl.Datetime):
        value = (
            raw.dt.convert_time_zone("UTC").dt.replace_time_zone(None) if dtype.time_zone else raw
        )
        return value.cast(pl.Datetime("us"))
    if kind == "string":
        is_text = isinstance(dtype, pl.Categorical | pl.Enum)
        return raw.cast(pl.String) if is_text else pl.lit(None, pl.String)
    return read_expression(item, raw.cast(pl.String))


def batch_findings(file: str, typed: pl.DataFrame, columns: list[Column]) -> list[Finding]:
    """Blank rows, and cells that cannot be read as their field's type."""
    out = [
        BLANK_ROW.at(file, row)
        for row in typed.get_column("_row").filter(typed.get_column("_blank")).to_list()
    ]
    rows = typed.get_column("_row")
    for column in columns:  # Series, not frame, operations: a frame's cost grows with its width
        item = column.field
        flag = typed.get_column(f"_e{column.position}")
        if not flag.any():
            continue
        texts = typed.get_column(f"_t{column.position}").filter(flag)
        bad = zip(rows.filter(flag), texts, strict=True)
        shown = item.type if item.format == "default" else f"{item.type}/{item.format}"
        expected = EXPECTED[item.type]
        out.extend(
            TYPE_ERROR.at(file, row, item.name, text, expected=expected, type=shown)
            for row, text in bad
        )
    return out


def skipped_cells(typed: pl.DataFrame, columns: list[Column]) -> set[object]:
    """Cells whose constraints frictionless does not check: type errors, and blank rows."""
    row = typed.get_column("_row")
    skip: set[object] = set(row.filter(typed.get_column("_blank")).to_list())
    for column in columns:
        rows = row.filter(typed.get_column(f"_e{column.position}")).to_list()
        skip.update((row, column.field.name) for row in rows)
    return skip
