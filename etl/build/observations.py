"""The observations table: printed and derived figures in one tidy shape to chart, each
with one reference date."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from etl.build.tables import frame_of
from etl.tableschema.model import TableSchema


def _reference(
    figure: dict[str, Any], source: dict[str, Any] | None
) -> tuple[date | None, str | None]:
    """A printed figure's reference date and the rule that gave it."""
    if figure["period_end"] is not None:
        return figure["period_end"], "period_end"
    if source is not None:
        published = source["published_not_after"] or source["published_not_before"]
        if published is not None:
            return published, "publication"
    return None, None


def observations_table(
    figures: pl.DataFrame,
    derived: pl.DataFrame,
    indicators: pl.DataFrame,
    sources: pl.DataFrame,
    schema: TableSchema,
) -> pl.DataFrame:
    """One row per printed and per derived figure, ordered by indicator, date and id."""
    labels = dict(indicators.select("indicator_id", "label_en").iter_rows())
    by_source = {r["source_id"]: r for r in sources.iter_rows(named=True)}
    printed = {r["figure_id"]: r for r in figures.iter_rows(named=True)}
    rows = []
    for f in printed.values():
        reference, basis = _reference(f, by_source.get(f["source_id"]))
        rows.append(
            {
                "indicator_id": f["indicator_id"],
                "label_en": labels[f["indicator_id"]],
                "reference_date": reference,
                "reference_basis": basis,
                "period_start": f["period_start"],
                "period_end": f["period_end"],
                "value": f["value"],
                "lower_bound": f["lower_bound"],
                "upper_bound": f["upper_bound"],
                "comparator": f["comparator"],
                "unit": f["unit"],
                "currency": f["currency"],
                "source_id": f["source_id"],
                "figure_table": "figures",
                "figure_id": f["figure_id"],
            }
        )
    for d in derived.iter_rows(named=True):
        if not {d["numerator_id"], d["denominator_id"]} <= set(printed):
            continue  # an input was left out by an error already reported
        inputs = [printed[d["numerator_id"]], printed[d["denominator_id"]]]
        references = [_reference(i, by_source.get(i["source_id"]))[0] for i in inputs]
        starts = [i["period_start"] for i in inputs if i["period_start"] is not None]
        ends = [i["period_end"] for i in inputs if i["period_end"] is not None]
        known = [r for r in references if r is not None]
        source_ids = {i["source_id"] for i in inputs}
        rows.append(
            {
                "indicator_id": d["indicator_id"],
                "label_en": labels[d["indicator_id"]],
                "reference_date": max(known) if known else None,
                "reference_basis": "inputs" if known else None,
                "period_start": min(starts) if starts else None,
                "period_end": max(ends) if ends else None,
                "value": d["value"],
                "lower_bound": d["lower_bound"],
                "upper_bound": d["upper_bound"],
                "comparator": None,
                "unit": d["unit"],
                "currency": d["currency"],
                "source_id": source_ids.pop() if len(source_ids) == 1 else None,
                "figure_table": "derived_figures",
                "figure_id": d["derived_id"],
            }
        )
    rows.sort(key=lambda r: (r["indicator_id"], r["reference_date"] or date.max, r["figure_id"]))
    return frame_of(rows, schema)
