"""Tests for etl.tableschema.detach: kept columns hold their own values, not their pieces."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.tableschema.detach import detach


def _buffer_bytes(column: pl.Series) -> int:
    """The bytes of the buffers a column holds (its Arrow export shares them, no copy)."""
    exported = column.to_arrow(compat_level=pl.CompatLevel.newest())
    return sum(buffer.size for buffer in exported.buffers() if buffer is not None)


@pytest.mark.parametrize(
    "parent",
    [
        pl.Series(
            "text",
            [f"a cell of text long enough to be kept apart, number {i}" for i in range(10_000)],
        ),
        pl.Series("number", range(10_000), dtype=pl.Int64),
        pl.Series("day", [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(10_000)]),
    ],
    ids=["text", "integer", "date"],
)
def test_a_kept_slice_holds_only_its_own_cells(parent: pl.Series) -> None:
    """Five cells cut from 10,000 hold the buffers of the 10,000; detached, a few hundred
    bytes at most, with the same values and dtype."""
    kept = parent.slice(4_000, 5)
    assert _buffer_bytes(kept) >= 10_000
    alone = detach(kept.to_frame()).to_series()
    assert_frame_equal(alone.to_frame(), kept.to_frame())
    assert _buffer_bytes(alone) <= 5 * 16 + 5 * 60


def test_nulls_and_every_column_are_kept() -> None:
    """Nulls stay null (text, integer, boolean), columns keep their names and order."""
    frame = pl.DataFrame(
        {
            "_row": [2, 3, 4],
            "*": ["x", None, ""],
            "n": [1, None, -3],
            "b": [True, None, False],
            "f": [-0.0, float("nan"), None],
        }
    )
    assert_frame_equal(detach(frame), frame)
    assert_frame_equal(detach(frame.head(1)), frame.head(1))
    assert_frame_equal(detach(frame.head(0)), frame.head(0))
