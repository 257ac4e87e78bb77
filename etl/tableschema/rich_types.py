"""Reading the Table Schema types that hold more than one value: `geopoint` (in its three
formats), `duration`, `array`, `object` and `geojson` (or TopoJSON), as frictionless-py v5
reads a cell. A GeoJSON cell is checked against the GeoJSON and TopoJSON JSON Schemas that
frictionless-py ships (read from its package folder, without importing it).

Each is read cell by cell in Python (the rules are not expressions polars has: JSON,
decimal coordinates, ISO 8601 durations), into the cell's text when it is readable and
null when it is not; only these columns pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

#: The types read here, with what a readable cell looks like (for the type-error hint).
RICH_TYPES = {
    "geopoint": "a point as 'lon, lat' (or as its format says), within -180..180 and -90..90",
    "duration": "an ISO 8601 duration such as P1Y2M3DT4H",
    "array": "a JSON array such as [1, 2]",
    "object": 'a JSON object such as {"a": 1}',
    "geojson": "a GeoJSON object (or TopoJSON, as its format says)",
}


def read_rich(ftype: str, fmt: str, text: pl.Expr) -> pl.Expr:
    """The column's text where each cell reads as `ftype` (in format `fmt`), else null."""
    readable = _READERS[ftype](fmt)
    return text.map_elements(
        lambda cell: cell if readable(cell) else None, return_dtype=pl.String, skip_nulls=True
    )


def _geopoint(fmt: str) -> Callable[[str], bool]:
    def readable(cell: str) -> bool:
        try:
            if fmt == "array":
                lon, lat = json.loads(cell)
            elif fmt == "object":
                point = json.loads(cell)
                if not isinstance(point, dict) or len(point) != 2:
                    return False
                lon, lat = point["lon"], point["lat"]
            else:
                lon, lat = (part.strip() for part in cell.split(","))
            east, north = _decimal(lon), _decimal(lat)
            return -180 <= east <= 180 and -90 <= north <= 90
        except (ValueError, TypeError, KeyError, InvalidOperation):
            return False

    return readable


def _decimal(value: Any) -> Decimal:
    """A coordinate as Decimal reads it: a JSON number (true and false are 1 and 0, as
    Python's bool is an int) or a string."""
    if not isinstance(value, int | float | str):
        raise TypeError(value)
    return Decimal(value)


def _duration(fmt: str) -> Callable[[str], bool]:
    import isodate

    def readable(cell: str) -> bool:
        try:
            isodate.parse_duration(cell)
        except (isodate.ISO8601Error, ValueError, TypeError, OverflowError):
            return False
        return True

    return readable


def _json_of(kind: type) -> Callable[[str], Callable[[str], bool]]:
    def reader(fmt: str) -> Callable[[str], bool]:
        def readable(cell: str) -> bool:
            try:
                return isinstance(json.loads(cell), kind)
            except (ValueError, RecursionError):
                return False

        return readable

    return reader


def _geojson(fmt: str) -> Callable[[str], bool]:
    import importlib.util
    from pathlib import Path

    import jsonschema

    spec = importlib.util.find_spec("frictionless")
    assert spec is not None and spec.origin is not None  # a dependency of etl
    name = "topojson.json" if fmt == "topojson" else "geojson.json"
    profile = json.loads((Path(spec.origin).parent / "assets" / "profiles" / name).read_text())
    validator = jsonschema.validators.validator_for(profile)(profile)

    def readable(cell: str) -> bool:
        try:
            value = json.loads(cell)
        except (ValueError, RecursionError):
            return False
        return isinstance(value, dict) and bool(validator.is_valid(value))

    return readable


_READERS: dict[str, Callable[[str], Callable[[str], bool]]] = {
    "geojson": _geojson,
    "geopoint": _geopoint,
    "duration": _duration,
    "array": _json_of(list),
    "object": _json_of(dict),
}
