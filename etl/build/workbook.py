"""The Excel workbook of the package: one sheet per published table, byte-identical on rebuild.

Written by xlsxwriter through polars' `DataFrame.write_excel`: numbers are stored as numbers
(to 16 significant digits, xlsxwriter's way; Excel computes with 15, the Parquet is exact),
dates as dates (formatted yyyy-mm-dd), booleans as booleans and nulls as empty cells; text is
always text (never read as a formula, URL or number). The header row is frozen and each column
is as wide as its longest value, within bounds. The zip entries carry xlsxwriter's fixed
1980-01-01 timestamp (in-memory mode) and the document's created date is pinned, so the same
tables give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from polars._typing import ColumnWidthsDefinition, OneOrMoreDataTypes
    from polars.selectors import Selector

#: The created date written into the workbook when the package states none.
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Column widths, in characters: at least the header, within these bounds.
MIN_WIDTH, MAX_WIDTH = 6, 60
PIXELS_PER_CHARACTER = 7
WORKBOOK_OPTIONS = {
    "in_memory": True,  # entries stamped 1980-01-01, not with the temporary files' times
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "default_date_format": "yyyy-mm-dd",
}
DTYPE_FORMATS: dict[OneOrMoreDataTypes, str] = {
    pl.Int64: "0",
    pl.Float64: "General",
    pl.Date: "yyyy-mm-dd",
}


def workbook_name(package_name: str) -> str:
    """The workbook's file name in the package folder."""
    return f"{package_name}.xlsx"


def column_widths(frame: pl.DataFrame) -> ColumnWidthsDefinition:
    """Each column's width in pixels: its longest line of text (header included), bounded."""
    widths: dict[str | Selector, int | tuple[str, ...]] = {}
    for name in frame.columns:
        cells = frame.get_column(name).cast(pl.String).drop_nulls().to_list()
        longest = max((len(line) for cell in cells for line in cell.split("\n")), default=0)
        characters = min(max(longest, len(name), MIN_WIDTH), MAX_WIDTH)
        widths[name] = characters * PIXELS_PER_CHARACTER + 10
    return widths


def write_workbook(
    target: Path,
    sheets: Iterable[tuple[str, pl.DataFrame]],
    *,
    title: str,
    created: dt.datetime = FIXED_CREATED,
) -> None:
    """Write one sheet per (table name, frame) into the workbook at `target`."""
    from xlsxwriter import Workbook

    workbook = Workbook(str(target), WORKBOOK_OPTIONS)
    workbook.set_properties({"title": title, "created": created})
    for name, frame in sheets:
        frame.write_excel(
            workbook,
            name,
            table_name=name,
            table_style="Table Style Light 1",
            dtype_formats=dict(DTYPE_FORMATS),
            column_widths=column_widths(frame),
            freeze_panes="A2",
            autofilter=True,
            autofit=False,
        )
    workbook.close()


def created_date(value: object) -> dt.datetime:
    """The workbook's created date from the package's `created` (ISO 8601), or the fixed one."""
    if not isinstance(value, str) or not value:
        return FIXED_CREATED
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
