"""One batch of a table read into typed columns, with what frictionless would say of it.

For each column of the batch: its raw text, whether the cell is missing, its value read as
the field's type (etl.tableschema.cells), and whether that reading failed (a type error);
for each row, whether it is blank. Text comes from CSV; Parquet columns keep their types.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import chain, islice, repeat

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
    """Row number `_row`, and for the column at each position p: its raw text `_t{p}`,
    whether the cell is missing `_m{p}`, its value read as the field's type `_v{p}`, and
    whether that reading failed `_e{p}`; `_blank` for each row.

    The row number is the batch's `_line` where it has one, else its record index + 1.
    Integer and number cells are first read by polars' own parsers; only the cells those
    leave unread go through the full Table Schema reading. With `canonical`, text is read
    by etl.tableschema.cells.canonical_expression instead. Columns read alike (same raw
    dtype, type, format, read options and missing values) are read by one expression over
    all of them, so that the Python work grows with the kinds of column, not their number.
    """
    if short:
        batch = _without_absent(batch, columns)
    row = pl.col("_line") if "_line" in batch.columns else pl.col("_i") + 1
    dtypes = batch.schema  # built afresh at each call, in time growing with the width
    groups: dict[tuple[object, ...], list[Column]] = {}
    for column in columns:
        dtype = dtypes[f"c{column.position}"]
        groups.setdefault(_reading(column.field, schema, dtype), []).append(column)
    first: list[pl.Expr] = [row.cast(pl.Int64).alias("_row")]
    slow: list[list[Column]] = []
    for group in groups.values():
        field, dtype = group[0].field, dtypes[f"c{group[0].position}"]
        raw = pl.col([f"c{c.position}" for c in group])
        if dtype == pl.String:
            text, missing = raw, is_missing(raw, schema.missing_values_of(field))
        else:
            text, missing = raw.cast(pl.String), raw.is_null()
        quick = None if canonical else quick_read_expression(field, raw)
        if dtype == pl.String and canonical:
            value = canonical_expression(field, raw)
        elif dtype == pl.String and quick is not None:
            value = quick
            slow.append(group)
        elif dtype == pl.String:
            value = read_expression(field, raw)
        else:
            value = _typed(field, raw, dtype)
        first += [
            text.name.map(_named("_t")),
            missing.name.map(_named("_m")),
            pl.when(~missing).then(value).cast(polars_dtype(field)).name.keep(),
        ]
    frame = batch.select(first)
    frame = frame.rename({f"c{c.position}": f"_v{c.position}" for c in columns})
    for group in slow:
        frame = _read_rest(frame, group)
    positions = [c.position for c in columns]
    missing_cells = pl.col([f"_m{p}" for p in positions])
    values = pl.col([f"_v{p}" for p in positions])
    errors = (~missing_cells & values.is_null()).name.map(_named("_e", 2))
    blank = pl.all_horizontal(missing_cells) if positions else pl.lit(False)
    return frame.with_columns(errors, blank.alias("_blank"))


def _named(prefix: str, cut: int = 1) -> Callable[[str], str]:
    """A renaming of `c12` (or `_m12`, with `cut` 2) to `{prefix}12`."""
    return lambda name: prefix + name[cut:]


def _reading(field: Field, schema: TableSchema, dtype: pl.DataType) -> tuple[object, ...]:
    """What decides how a column is read: columns alike in it are read alike."""
    options = json.dumps(field.options, sort_keys=True, default=str) if field.options else ""
    return (str(dtype), field.type, field.format, options, schema.missing_values_of(field))


def _without_absent(batch: pl.DataFrame, columns: list[Column]) -> pl.DataFrame:
    """The batch with null in each cell a short record lacks (`_n` gives its cells)."""
    count = pl.col("_n")
    return batch.with_columns(
        pl.when(count.is_not_null() & (count <= c.position))
        .then(None)
        .otherwise(pl.col(f"c{c.position}"))
        .alias(f"c{c.position}")
        for c in columns
    )


def _read_rest(frame: pl.DataFrame, group: list[Column]) -> pl.DataFrame:
    """The frame with the cells of `group` (columns read alike by a quick reading) that
    the quick reading left unread read by the full Table Schema rules, in one query over
    just those cells."""
    field = group[0].field
    at = [c.position for c in group]
    unread = pl.when(~pl.col([f"_m{p}" for p in at]) & pl.col([f"_v{p}" for p in at]).is_null())
    cells = (
        frame.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_k"),
            unread.then(pl.col([f"_t{p}" for p in at])).name.map(_named("_s", 2)),
        )
        .unpivot(index="_k", variable_name="column", value_name="text")
        .drop_nulls("text")
    )
    if cells.is_empty():
        return frame
    value = read_expression(field, pl.col("text")).cast(polars_dtype(field)).alias("text")
    read = cells.select("_k", "column", value).pivot(on="column", index="_k", values="text")
    names = [name for name in read.columns if name != "_k"]
    filled = pl.col([f"_v{name[2:]}" for name in names]).fill_null(pl.col(names))
    return (
        frame.with_row_index("_k")
        .join(read, on="_k", how="left", maintain_order="left")
        .with_columns(filled.name.keep())
        .drop("_k", *names)
    )


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
    flagged, at = _type_errors(typed, columns)
    if not flagged:
        return out
    texts = pl.concat([typed.get_column(f"_t{c.position}") for c, _ in flagged], rechunk=False)
    rows = typed.get_column("_row").gather(at % typed.height).to_list()
    cells = zip(rows, texts.gather(at).to_list(), strict=True)
    for column, count in flagged:
        item = column.field
        shown = item.type if item.format == "default" else f"{item.type}/{item.format}"
        expected = EXPECTED[item.type]
        found = islice(cells, count)
        out += TYPE_ERROR.at_each(file, item.name, found, expected=expected, type=shown)
    return out


def _type_errors(
    typed: pl.DataFrame, columns: list[Column]
) -> tuple[list[tuple[Column, int]], pl.Series]:
    """The columns with cells that cannot be read as their field's type, each with the
    number of those cells; and where they are, column after column: cell k of the flagged
    columns one after another (row k % height of column k // height). Found in two
    queries over all the columns, as a query per column costs about a millisecond."""
    counts = (
        typed.select(pl.col([f"_e{c.position}" for c in columns]).sum()).row(0) if columns else ()
    )
    flagged = [(column, n) for column, n in zip(columns, counts, strict=True) if n]
    if not flagged:
        return [], pl.Series(dtype=pl.UInt32)
    flags = pl.concat([typed.get_column(f"_e{c.position}") for c, _ in flagged], rechunk=False)
    return flagged, flags.arg_true()


def skipped_cells(typed: pl.DataFrame, columns: list[Column]) -> set[object]:
    """Cells whose constraints frictionless does not check: type errors, and blank rows."""
    row = typed.get_column("_row")
    skip: set[object] = set(row.filter(typed.get_column("_blank")).to_list())
    flagged, at = _type_errors(typed, columns)
    names = chain.from_iterable(repeat(column.field.name, n) for column, n in flagged)
    skip.update(zip(row.gather(at % typed.height).to_list(), names, strict=True))
    return skip
