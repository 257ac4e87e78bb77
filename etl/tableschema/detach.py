"""Columns copied out of the piece they were read from, for those kept past it.

polars' CSV reader puts the text of a piece's cells in buffers the columns share, and a
slice of a column (a key column cut from the columns read alike, etl.tableschema.batch)
shares its parent's buffers: a kept slice of a few megabytes holds its whole piece, and
the pieces of a whole file add up (at 1M rows of 50 columns, the key store's emails held
about 170 MB of text they did not need). `detach` copies what is kept into buffers of its
own, so a piece is freed once it is checked.
"""

from __future__ import annotations

import polars as pl


def detach(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each column in buffers of its own (equal values, same dtypes)."""
    return pl.DataFrame([_own(frame.to_series(at)) for at in range(frame.width)])


def _own(column: pl.Series) -> pl.Series:
    if column.len() < 2:
        return column
    if column.dtype == pl.String:  # a string copied into a new buffer, nulls kept
        copied = column.to_frame().select(pl.concat_str(pl.first(), pl.lit("")))
        return copied.to_series().alias(column.name)
    # two parts joined make one new buffer (a column of one chunk is not copied otherwise)
    return pl.concat([column.head(1), column.slice(1)], rechunk=True)
