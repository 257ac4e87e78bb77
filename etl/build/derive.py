"""Derived figures: computed by the pipeline from printed ones, never typed in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from etl.build.tables import CellErrors, frame_of
from etl.report.catalogue import DERIVATION_ERROR
from etl.tableschema.model import TableSchema
from etl.tableschema.table import Table
from etl.text.figures import Figure


def _dec(value: Any) -> float | None:
    return None if value is None else float(value)


def derived_table(
    table: Table,
    figures: dict[str, Figure],
    bounds: dict[str, tuple[Decimal | None, Decimal | None]],
    figure_frame: pl.DataFrame,
    errors: CellErrors,
    schema: TableSchema,
) -> pl.DataFrame:
    """The derived figures: each derivation computed from the parsed printed figures, its
    bounds from the bounds published for them (`bounds`, by figure id)."""
    figure_units = {
        r["figure_id"]: (r["unit"], r["currency"]) for r in figure_frame.iter_rows(named=True)
    }
    out = []
    for row, r in table.records():
        top, bottom = figures.get(r["numerator_id"]), figures.get(r["denominator_id"])
        if top is None or bottom is None:
            continue  # the input figure has its own finding
        if bottom.value == 0:
            errors.add(table, row, "denominator_id", DERIVATION_ERROR, r["denominator_id"])
            continue
        unit, currency = ratio_unit(
            figure_units[r["numerator_id"]], figure_units[r["denominator_id"]]
        )
        lower = upper = None
        (top_low, top_high), (bottom_low, bottom_high) = (
            bounds[r["numerator_id"]],
            bounds[r["denominator_id"]],
        )
        if (
            top_low is not None
            and top_high is not None
            and bottom_low is not None
            and bottom_high is not None
            and bottom_low > 0
        ):
            lower, upper = top_low / bottom_high, top_high / bottom_low
        out.append(
            {
                "derived_id": r["derived_id"],
                "indicator_id": r["indicator_id"],
                "operation": r["operation"],
                "formula": f"{r['numerator_id']} / {r['denominator_id']}",
                "numerator_id": r["numerator_id"],
                "denominator_id": r["denominator_id"],
                "value": float(top.value / bottom.value),
                "lower_bound": _dec(lower),
                "upper_bound": _dec(upper),
                "unit": unit,
                "currency": currency,
                "note": r["note"],
            }
        )
    return frame_of(out, schema)


def ratio_unit(
    top: tuple[str, str | None], bottom: tuple[str, str | None]
) -> tuple[str, str | None]:
    """Unit and currency of top / bottom: "times" for like units, "USD per contract" otherwise."""
    if top[0] == bottom[0]:
        return "times", None
    return f"{top[0]} per {bottom[0]}", top[1] if bottom[1] is None else None
