"""Reading text cells as the types their Table Schema declares, as polars expressions.

Two readings: frictionless-py v5's (`read_expression`), for any package; and the canonical
one (`canonical_expression`), for a profile that accepts each value in one spelling only
(the project's raw tables): 42, 9.4, true, 2022-12-19, 2022-12-19T10:00:00.
"""

from __future__ import annotations

import polars as pl

from etl.tableschema.model import Field
from etl.tableschema.rich_types import RICH_TYPES, read_rich

TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
EXPECTED = {
    "integer": "a whole number such as 42",
    "number": "a number with a decimal point such as 9.4",
    "boolean": "true or false",
    "date": "a date as YYYY-MM-DD",
    "datetime": "a date and time as YYYY-MM-DDTHH:MM:SS",
    "year": "a year such as 2022",
    "time": "a time as HH:MM:SS",
    "yearmonth": "a month as YYYY-MM",
    "string": "text in its format",
    "any": "any value",
    **RICH_TYPES,
}


# Table Schema reading, as frictionless-py v5 reads a cell.

_INT = r"[0-9](?:_?[0-9])*"
_INTEGER = rf"^[+-]?{_INT}$"
_NUMBER = rf"^[+-]?(?:{_INT}(?:\.(?:{_INT})?)?|\.{_INT})(?:[eE][+-]?{_INT})?$"
_SPECIAL_NUMBER = (
    r"(?i)^[+-]?(?:inf|infinity|s?nan[0-9]*)$"  # NaN may carry digits, as Decimal reads it
)
_NOT_BARE = r"^[^-\d]*|\D*$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"
_ZONE = r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
_ISO_TIME = rf"^[0-9]{{2}}:[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?{_ZONE}$"
_ISO_DATETIME = (
    rf"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}.[0-9]{{2}}:[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?{_ZONE}$"
)
_YEARMONTH = rf"^\s*\+?{_INT}\s*-\s*\+?{_INT}\s*$"
_STRING_FORMATS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uri": r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$",
    "uuid": r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$",
    "binary": r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
}


def is_missing(text: pl.Expr, missing_values: tuple[str, ...]) -> pl.Expr:
    """True where a text cell is absent from its row or one of the missing values."""
    return text.is_null() | text.is_in(list(missing_values))


def canonical_expression(field: Field, text: pl.Expr) -> pl.Expr:
    """The canonical reading of a text column: each value in its one plain spelling, no
    surrounding space, no `_` or `+1_000`, no NaN or infinity; null where it is not."""
    match field.type:
        case "integer" | "year":
            pattern = r"^[0-9]{4}$" if field.type == "year" else r"^[+-]?[0-9]+$"
            return _when(text.str.contains(pattern), text).str.to_integer(strict=False)
        case "number":
            finite = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
            return _when(text.str.contains(finite), text).cast(pl.Float64, strict=False)
        case "boolean":
            return (
                pl.when(text.is_in(TRUE_VALUES))
                .then(True)
                .when(text.is_in(FALSE_VALUES))
                .then(False)
            )
        case "date":
            return _when(text.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), text).str.to_date(
                "%Y-%m-%d", strict=False
            )
        case "datetime":
            iso = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
            return _when(text.str.contains(iso), text).str.to_datetime(
                "%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us"
            )
    return read_expression(field, text)


def read_expression(field: Field, text: pl.Expr) -> pl.Expr:
    """The Table Schema reading of a text column, with the field's format and read options.

    Null where the cell cannot be read as the field's type; missing values are the caller's
    (`is_missing`). Follows frictionless-py v5: numbers and integers are stripped, dates
    use `format` (strptime directives) or ISO 8601, booleans use trueValues/falseValues.
    """
    match field.type:
        case "geopoint" | "duration" | "array" | "object" | "geojson":
            return read_rich(field.type, field.format, text)
        case "string" | "any":
            pattern = _STRING_FORMATS.get(field.format) if field.type == "string" else None
            return text if pattern is None else _when(text.str.contains(pattern), text)
        case "integer":
            cell = text.str.strip_chars()
            if not field.option("bareNumber"):
                cell = cell.str.replace_all(_NOT_BARE, "")
            digits = cell.str.replace_all("_", "", literal=True)
            return _when(cell.str.contains(_INTEGER), digits).str.to_integer(strict=False)
        case "number":
            return _number(field, text.str.strip_chars())
        case "boolean":
            true, false = list(field.option("trueValues")), list(field.option("falseValues"))
            return pl.when(text.is_in(true)).then(True).when(text.is_in(false)).then(False)
        case "year":
            cell = text.str.strip_chars()
            value = _when(cell.str.contains(_INTEGER), cell.str.replace_all("_", "", literal=True))
            year = _when(text.str.len_chars() == 4, value).str.to_integer(strict=False)
            return _when(year.is_between(0, 9999), year)
        case "yearmonth":
            parts = text.str.split("-")
            year = parts.list.get(0, null_on_oob=True).str.strip_chars()
            month = parts.list.get(1, null_on_oob=True).str.strip_chars()
            year_n = year.str.replace_all(r"[_+]", "").str.to_integer(strict=False)
            month_n = month.str.replace_all(r"[_+]", "").str.to_integer(strict=False)
            valid = text.str.contains(_YEARMONTH) & month_n.is_between(1, 12)
            return _when(valid & (year_n < 200_000), pl.date(year_n, month_n, 1))
        case "date":
            if field.format in ("default", "any"):
                return _when(text.str.contains(_ISO_DATE), text).str.to_date(
                    "%Y-%m-%d", strict=False
                )
            return text.str.to_date(field.format, strict=False)
        case "time":
            if field.format in ("default", "any"):
                return _iso_time(text)
            return text.str.to_time(field.format, strict=False)
        case "datetime":
            if field.format in ("default", "any"):
                return _iso_datetime(text)
            return text.str.to_datetime(field.format, strict=False, time_unit="us")
    raise ValueError(f"no reading for type {field.type}")  # schemas.py maps others to any


def quick_read_expression(field: Field, text: pl.Expr) -> pl.Expr | None:
    """A cheaper reading that accepts only cells `read_expression` accepts, or None.

    It may miss some readable cells (whitespace, `1_000`, group characters): the caller
    gives the cells it leaves null to `read_expression`, so the result is the same.
    """
    if field.type == "integer" and not field.options:
        return text.str.to_integer(strict=False)
    if field.type == "number" and not field.options:
        return text.cast(pl.Float64, strict=False)
    return None


def _when(condition: pl.Expr, value: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(value).otherwise(None)


def _number(field: Field, cell: pl.Expr) -> pl.Expr:
    decimal, group = field.option("decimalChar"), field.option("groupChar")
    bad = pl.lit(False)
    if any(key in field.options for key in ("decimalChar", "groupChar", "bareNumber")):
        if not field.option("bareNumber"):
            cell = cell.str.replace_all(_NOT_BARE, "")
        if group:
            cell = cell.str.replace_all(group, "", literal=True)
        if decimal != ".":
            bad = cell.str.contains(".", literal=True)
            cell = cell.str.replace_all(decimal, ".", literal=True)
    lower = cell.str.to_lowercase()
    special = (
        pl.when(lower.str.contains("nan", literal=True))
        .then(pl.lit("nan"))
        .when(lower.str.starts_with("-"))
        .then(pl.lit("-inf"))
        .otherwise(pl.lit("inf"))
    )
    value = (
        pl.when(bad)
        .then(None)
        .when(cell.str.contains(_NUMBER))
        .then(cell.str.replace_all("_", "", literal=True))
        .when(cell.str.contains(_SPECIAL_NUMBER))
        .then(special)
        .otherwise(None)
    )
    return value.cast(pl.Float64, strict=False)


def _micros(text: pl.Expr) -> pl.Expr:
    """Microseconds after the seconds (`.123456`); zero when there are none."""
    digits = text.str.extract(r":[0-9]{2}\.([0-9]+)", 1).str.slice(0, 6).str.pad_end(6, "0")
    return digits.str.to_integer(strict=False).fill_null(0)


def _fraction(text: pl.Expr) -> pl.Expr:
    """The fraction of a second, as a duration."""
    return pl.duration(microseconds=_micros(text))


def _iso_time(text: pl.Expr) -> pl.Expr:
    """ISO 8601 time of day, HH:MM:SS with an optional fraction and zone (kept as written)."""
    whole = _when(text.str.contains(_ISO_TIME), text)
    hours, minutes, seconds = (
        whole.str.slice(start, 2).str.to_integer(strict=False) for start in (0, 3, 6)
    )
    micros = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + _micros(whole)
    return _when(hours < 24, (micros * 1000).cast(pl.Time))


def _iso_datetime(text: pl.Expr) -> pl.Expr:
    """ISO 8601 date and time, any one-character separator, optional fraction and zone.

    A value with a zone is given in UTC; one without is kept as written.
    """
    whole = _when(text.str.contains(_ISO_DATETIME), text)
    clock = (whole.str.slice(0, 10) + " " + whole.str.slice(11, 8)).str.to_datetime(
        "%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"
    )
    zone = whole.str.extract(r"([+-])([0-9]{2}):?([0-9]{2})?$", 0)
    sign = pl.when(zone.str.starts_with("-")).then(-1).otherwise(1)
    hours = zone.str.slice(1, 2).str.to_integer(strict=False).fill_null(0)
    minutes = zone.str.extract(r"([0-9]{2})$", 1).str.to_integer(strict=False).fill_null(0)
    minutes = pl.when(zone.str.len_chars() > 3).then(minutes).otherwise(0)
    offset = pl.duration(minutes=sign * (hours * 60 + minutes))
    return clock + _fraction(whole) - offset
