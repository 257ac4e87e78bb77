"""The rows of a JSON, JSON Lines, Excel (xlsx) or OpenDocument (ods) file, or of inline
data, as values.

JSON is read by Python's json module rather than polars' reader: frictionless-py checks a
cell by its JSON value (`1` is not a string, `true` not a number), which a typed frame
would lose (polars makes one type of each column). A JSON file is one array, of rows as
lists (the first holding the labels) or as mappings, read whole; a JSON Lines file
(`.jsonl`, `.ndjson`) holds one row a line and is read a line at a time. An xlsx workbook is
read by openpyxl, the reader frictionless-py uses, in its read-only mode, so that the values
(numbers, dates, booleans, text) are the ones frictionless checks; `dialect.excel.sheet`
names the sheet (by name, or number from 1), and `stringified` reads every value as text.
An ods spreadsheet is read by python-calamine (frictionless-py reads it with ezodf, last
released in 2017), its values made the ones frictionless checks: a number without a
fraction is an integer (ods stores every number as a float), an empty cell is None;
`dialect.ods.sheet` names the sheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from etl.report.errors import UsageError

NATIVE_FORMATS = ("json", "jsonl", "ndjson", "xlsx", "ods")
#: The Excel options of frictionless-py's dialect (`dialect: {excel: {...}}`) read here;
#: the others change what a cell holds and are refused unless false.
EXCEL_READ = ("sheet", "stringified")
EXCEL_REFUSED = {
    "fillMergedCells": "merged cells filled with their value",
    "preserveFormatting": "numbers and dates read as their displayed text",
    "adjustFloatingPointError": "floats rounded to 15 digits",
    "workbookCache": "a cache of remote workbooks",
}


class Unreadable(Exception):
    """The file does not hold a table in its format: the problem, for a source-error."""


class NotAWorkbook(Unreadable):
    """The file is no xlsx workbook (or ods spreadsheet), or has not the sheet named: for a
    format-error, as frictionless-py reports it."""


def excel_options(dialect: dict[str, Any], fmt: str, name: str) -> dict[str, Any]:
    """The spreadsheet options of a resource's dialect: Excel's for xlsx, `ods` for ods
    (UsageError for those not read, or given for another format)."""
    ods = dialect.get("ods")
    if ods is not None or fmt == "ods":
        return _ods_options(ods, dialect, fmt, name)
    options = dialect.get("excel")
    if options is None:
        return {}
    if fmt != "xlsx" or not isinstance(options, dict):
        keys = ", ".join(sorted(options)) if isinstance(options, dict) else repr(options)
        raise UsageError(
            f"resource {name!r}: dialect 'excel' options ({keys}) on a "
            f"{fmt} file are not read by etl validate - remove them, or give the xlsx file "
            "they are for"
        )
    for key in sorted(options):
        if key in EXCEL_REFUSED and options[key] not in (False, None):
            raise UsageError(
                f"resource {name!r}: dialect excel {key}={options[key]!r} "
                f"({EXCEL_REFUSED[key]}) is not read by etl validate - validate this "
                "resource with frictionless"
            )
        if key not in EXCEL_READ and key not in EXCEL_REFUSED:
            raise UsageError(
                f"resource {name!r}: dialect excel option {key!r} is not read by etl validate "
                "- it reads sheet and stringified"
            )
    sheet = options.get("sheet", 1)
    if isinstance(sheet, bool) or not isinstance(sheet, int | str):
        raise UsageError(f"resource {name!r}: dialect excel sheet must be a name or a number")
    return {"sheet": sheet, "stringified": bool(options.get("stringified", False))}


def json_rows(path: Path) -> list[Any]:
    """The rows of a JSON file holding one array."""
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Unreadable(f"the file is not JSON ({exc}) - check that it is JSON") from None
    if not isinstance(data, list):
        raise Unreadable(
            "the file holds no JSON array of rows - put the rows in one top-level array"
        )
    return data


def jsonl_rows(path: Path) -> Iterator[Any]:
    """The rows of a JSON Lines file, one a line, read a line at a time."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise Unreadable(
                    f"line {number} is not JSON ({exc}) - give each line one JSON row"
                ) from None


def xlsx_rows(path: Path, options: dict[str, Any]) -> Iterator[list[Any]]:
    """The values of a sheet's rows, as openpyxl reads them (as frictionless-py does)."""
    import warnings

    import openpyxl  # only for a workbook: it takes a tenth of a second to import

    sheet = options.get("sheet", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise NotAWorkbook(f"the file is not an xlsx workbook ({exc})") from None
    try:
        if isinstance(sheet, int) and sheet < 1:
            raise IndexError(sheet)
        found = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet - 1]
    except (KeyError, IndexError):
        book.close()
        raise NotAWorkbook(f"the workbook has no sheet {sheet!r} - name one it has") from None
    stringified = options.get("stringified", False)
    try:
        for row in found.iter_rows(values_only=True):
            cells = list(row)
            yield [None if c is None else str(c) for c in cells] if stringified else cells
    finally:
        book.close()


def _ods_options(ods: Any, dialect: dict[str, Any], fmt: str, name: str) -> dict[str, Any]:
    if fmt != "ods" or "excel" in dialect:
        given = "ods" if fmt != "ods" else "excel"
        raise UsageError(
            f"resource {name!r}: dialect {given!r} options on a {fmt} file are not read by "
            "etl validate - remove them, or give the file they are for"
        )
    if not isinstance(ods, dict | None):
        raise UsageError(f"resource {name!r}: dialect ods must be a mapping of options")
    options = ods or {}
    if set(options) - {"sheet"}:
        keys = ", ".join(sorted(set(options) - {"sheet"}))
        raise UsageError(
            f"resource {name!r}: dialect ods option(s) {keys} are not read by etl validate "
            "- it reads sheet"
        )
    sheet = options.get("sheet", 1)
    if isinstance(sheet, bool) or not isinstance(sheet, int | str):
        raise UsageError(f"resource {name!r}: dialect ods sheet must be a name or a number")
    return {"sheet": sheet}


def ods_rows(path: Path, options: dict[str, Any]) -> Iterator[list[Any]]:
    """The values of a sheet's rows, as frictionless-py reads an ods spreadsheet."""
    from python_calamine import CalamineWorkbook  # only for a spreadsheet

    sheet = options.get("sheet", 1)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise NotAWorkbook(f"the file is not an ods spreadsheet ({exc})") from None
    names = list(book.sheet_names)
    if isinstance(sheet, str):
        found = sheet if sheet in names else None
    else:
        found = names[sheet - 1] if 1 <= sheet <= len(names) else None
    if found is None:
        raise NotAWorkbook(f"the spreadsheet has no sheet {sheet!r} - name one it has")
    for row in book.get_sheet_by_name(found).to_python(skip_empty_area=False):
        yield [_ods_value(cell) for cell in row]


def _ods_value(cell: Any) -> Any:
    """A cell as frictionless-py's ods reader gives it: whole floats as integers."""
    if cell == "" and isinstance(cell, str):
        return None
    if isinstance(cell, float) and cell == cell // 1:
        return int(cell)
    return cell
