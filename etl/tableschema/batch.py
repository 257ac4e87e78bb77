"""One batch of a table read into typed columns, with what frictionless would say of it.

For each column of the batch: its raw text, whether the cell is missing, its value read as
the field's type (etl.tableschema.cells), and whether that reading failed (a type error);
for each row, whether it is blank. Text comes from CSV; Parquet columns keep their types.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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
    dtype, type, format, read options and missing values) are read as one: their cells
    end to end in one long column (joined without a copy), read by one expression, then
    cut back into columns. An expression per column cost polars 10 to 50 microseconds to
    plan, over a second on 10,000 columns; this way the planning grows with the kinds of
    column, not their number, and the kinds are read in parallel.
    """
    dtypes = batch.schema  # built afresh at each call, in time growing with the width
    groups: dict[tuple[object, ...], list[Column]] = {}
    for column in columns:
        dtype = dtypes[f"c{column.position}"]
        groups.setdefault(_reading(column.field, schema, dtype), []).append(column)
    readings = [
        _reading_of(batch, group, schema, dtypes[f"c{group[0].position}"], short, canonical)
        for group in groups.values()
    ]
    read = pl.collect_all([reading.query for reading in readings])
    row = pl.col("_line") if "_line" in batch.columns else pl.col("_i") + 1
    parts: list[pl.Series] = []
    errors: dict[int, pl.Series] = {}
    height = batch.height
    for group, reading, cells in zip(groups.values(), readings, read, strict=True):
        at = [c.position for c in group]
        missing, value = cells.get_column("m"), cells.get_column("v")
        if reading.text is None:
            text = cells.get_column("t")
            parts += _cut(text, "_t", at, height)
        else:  # the text as read: the batch's own columns
            text = reading.text
            parts += [batch.get_column(f"c{p}").alias(f"_t{p}") for p in at]
        if reading.quick:
            value = _read_rest(group[0].field, text, missing, value)
        parts += _cut(missing, "_m", at, height)
        parts += _cut(value, "_v", at, height)
        errors.update(zip(at, _cut(~missing & value.is_null(), "_e", at, height), strict=True))
    frame = batch.select(row.cast(pl.Int64).alias("_row"))
    frame = frame.hstack([*parts, *(errors[c.position] for c in columns)])
    missing_cells = pl.col([f"_m{c.position}" for c in columns])
    blank = pl.all_horizontal(missing_cells) if columns else pl.lit(False)
    return frame.with_columns(blank.alias("_blank"))


@dataclass(frozen=True)
class _Reading:
    """The query reading columns read alike, over their cells end to end: whether the cell
    is missing `m`, its value `v`, and its text `t` unless `text` holds the cells as read
    (then the text is the raw text); `quick` when the value is a quick reading, whose
    unread cells _read_rest reads."""

    query: pl.LazyFrame
    quick: bool
    text: pl.Series | None


def _reading_of(
    batch: pl.DataFrame,
    group: list[Column],
    schema: TableSchema,
    dtype: pl.DataType,
    short: bool,
    canonical: bool,
) -> _Reading:
    """The reading of columns read alike. With `short`, the batch's `_n` gives the cells of
    each short record, and the cells it lacks are null."""
    field = group[0].field
    names = [f"c{c.position}" for c in group]
    source = batch
    if short:  # one query: a cell is absent where its column's position is past `_n`
        source = batch.select(  # a null `_n`: the record is not short
            pl.when(pl.col("_n") <= c.position).then(None).otherwise(pl.col(name)).alias(name)
            for c, name in zip(group, names, strict=True)
        )
    cells = pl.concat([source.get_column(name) for name in names], rechunk=False)
    frame = pl.DataFrame([cells.alias("c")])
    raw = pl.col("c")
    if dtype == pl.String:
        text, missing = raw, is_missing(raw, schema.missing_values_of(field))
    else:
        text, missing = raw.cast(pl.String), raw.is_null()
    quick = None if canonical else quick_read_expression(field, raw)
    if dtype == pl.String and canonical:
        value = canonical_expression(field, raw)
    elif dtype == pl.String and quick is not None:
        value = quick
    elif dtype == pl.String:
        value = read_expression(field, raw)
    else:
        value = _typed(field, raw, dtype)
    value = pl.when(~missing).then(value).cast(polars_dtype(field))
    outputs = [missing.alias("m"), value.alias("v")]
    as_read = dtype == pl.String and not short
    if not as_read:
        outputs.append(text.alias("t"))
    return _Reading(
        frame.lazy().select(outputs),
        dtype == pl.String and quick is not None and not canonical,
        cells if as_read else None,
    )


#: Chunks past which the cells of columns read alike are copied into one before they are cut.
CUT_CHUNKS = 64


def _cut(cells: pl.Series, prefix: str, positions: list[int], height: int) -> list[pl.Series]:
    """Cells end to end cut back into their columns, `{prefix}{position}`. A slice of many
    chunks costs time growing with their number, so cells in more than CUT_CHUNKS chunks
    are first made one (a copy: at 5M rows of 9 columns, 0.9 s of copying when always done)."""
    if len(positions) == 1:
        return [cells.alias(f"{prefix}{positions[0]}")]
    if cells.n_chunks() > CUT_CHUNKS:
        cells = cells.rechunk()
    return [
        cells.slice(at * height, height).alias(f"{prefix}{p}") for at, p in enumerate(positions)
    ]


def _reading(field: Field, schema: TableSchema, dtype: pl.DataType) -> tuple[object, ...]:
    """What decides how a column is read: columns alike in it are read alike."""
    options = json.dumps(field.options, sort_keys=True, default=str) if field.options else ""
    return (str(dtype), field.type, field.format, options, schema.missing_values_of(field))


def _read_rest(field: Field, text: pl.Series, missing: pl.Series, value: pl.Series) -> pl.Series:
    """The values of cells read by a quick reading, with the cells it left unread read
    by the full Table Schema rules, in one query over just those cells."""
    unread = (~missing & value.is_null()).arg_true()
    if unread.is_empty():
        return value
    cells = pl.DataFrame([text.gather(unread).alias("t")])
    read = cells.select(read_expression(field, pl.col("t")).cast(polars_dtype(field)))
    return value.scatter(unread, read.to_series())


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
        found = list(islice(cells, count))
        if item.type == "integer":
            wide = [_beyond_64_bits(value) for _, value in found]
            if any(wide):
                cells_wide = [cell for cell, w in zip(found, wide, strict=True) if w]
                found = [cell for cell, w in zip(found, wide, strict=True) if not w]
                out += TYPE_ERROR.at_each(file, item.name, cells_wide, expected=WIDE, type=shown)
        out += TYPE_ERROR.at_each(file, item.name, found, expected=expected, type=shown)
    return out


#: What a whole number beyond 64 bits is told (frictionless-py reads any size).
WIDE = (
    f"a whole number etl can read: from {-(2**63)} to {2**63 - 1} (frictionless reads wider "
    "ones; declare the field as string or validate it with frictionless if such numbers "
    "are meant)"
)
_DIGITS = re.compile(r"[+-]?[0-9]+")


def _beyond_64_bits(text: str | None) -> bool:
    """Whether the text is a plain whole number outside the range of a 64-bit integer (told
    by its digits' count first: Python refuses to read more than 4,300 digits as an int)."""
    if text is None or not _DIGITS.fullmatch(text := text.strip()):
        return False
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > 19:
        return True
    value = int(digits or "0")
    return not -(2**63) <= (-value if text.startswith("-") else value) < 2**63


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
