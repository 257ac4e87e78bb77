"""Stage 5, package (the page's charts): one chart per indicator that the `observations`
table places at more than one reference date, drawn by Vega-Lite through vl-convert into
SVG at build time, so that the page needs no JavaScript.

Every time scale is UTC, so the bytes do not depend on the machine's time zone; vl-convert
measures text with the fonts it bundles, not the system's, and the Vega-Lite version is
fixed below (vl-convert-python itself is pinned), so the same table gives the same SVG."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

#: The Vega-Lite version the charts are compiled with (one that vl-convert bundles).
VEGA_LITE_VERSION = "5.20"
CHART_WIDTH = 520
CHART_HEIGHT = 220


@dataclass(frozen=True)
class Chart:
    """One indicator's chart: what it shows and its SVG."""

    indicator_id: str
    label_en: str
    unit: str
    dates: tuple[str, ...]
    svg: str


def charted_indicators(observations: pl.DataFrame) -> list[str]:
    """The indicators with more than one distinct reference date, sorted by id."""
    dated = observations.filter(pl.col("reference_date").is_not_null())
    counts = dated.group_by("indicator_id").agg(pl.col("reference_date").n_unique().alias("n"))
    return sorted(counts.filter(pl.col("n") > 1)["indicator_id"].to_list())


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def chart_points(observations: pl.DataFrame, indicator_id: str) -> list[dict[str, Any]]:
    """The indicator's dated observations as chart data, in date order."""
    rows = (
        observations.filter(
            (pl.col("indicator_id") == indicator_id) & pl.col("reference_date").is_not_null()
        )
        .sort("reference_date", "figure_table", "figure_id")
        .to_dicts()
    )
    return [
        {
            "date": row["reference_date"].isoformat(),
            "value": float(row["value"]),
            "lower": _number(row["lower_bound"]),
            "upper": _number(row["upper_bound"]),
            "figure": row["figure_id"],
        }
        for row in rows
    ]


def _utc_day(iso: str) -> dict[str, Any]:
    """A Vega-Lite DateTime for an ISO date, in UTC."""
    year, month, day = (int(part) for part in iso.split("-"))
    return {"year": year, "month": month, "date": day, "utc": True}


def chart_spec(unit: str, points: list[dict[str, Any]]) -> dict[str, Any]:
    """A Vega-Lite spec: the values as a line with points on a UTC time axis ticked at the
    reference dates, and each printed interval (where both of its bounds are known) as a
    vertical rule."""
    dates = sorted({p["date"] for p in points})
    x = {
        "field": "date",
        "type": "temporal",
        "scale": {"type": "utc"},
        "axis": {
            "values": [_utc_day(d) for d in dates],
            "labelExpr": "utcFormat(datum.value, '%Y-%m-%d')",
            "labelAngle": 0,
            "grid": False,
        },
        "title": "Reference date",
    }
    y = {"field": "value", "type": "quantitative", "title": unit, "scale": {"zero": True}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "data": {"values": points},
        "layer": [
            {
                "transform": [{"filter": "datum.lower != null && datum.upper != null"}],
                "mark": {"type": "rule", "color": "#8c6d1f"},
                "encoding": {
                    "x": x,
                    "y": {"field": "lower", "type": "quantitative"},
                    "y2": {"field": "upper"},
                },
            },
            {
                "mark": {"type": "line", "point": True, "color": "#1f4e8c"},
                "encoding": {"x": x, "y": y},
            },
        ],
        "config": {"font": "Liberation Sans", "background": "white"},
    }


def render_svg(spec: dict[str, Any]) -> str:
    """The spec drawn as SVG by vl-convert (imported here: it starts a JavaScript runtime)."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)
    return svg.strip()


def indicator_charts(observations: pl.DataFrame, indicators: pl.DataFrame) -> list[Chart]:
    """The chart of every indicator with more than one reference date."""
    labels = {row["indicator_id"]: row for row in indicators.to_dicts()}
    charts = []
    for indicator_id in charted_indicators(observations):
        points = chart_points(observations, indicator_id)
        units = observations.filter(pl.col("indicator_id") == indicator_id)["unit"]
        unit = ", ".join(sorted(set(units.to_list())))
        label = labels[indicator_id]["label_en"]
        svg = render_svg(chart_spec(unit, points))
        dates = tuple(sorted({p["date"] for p in points}))
        charts.append(Chart(indicator_id, label, unit, dates, svg))
    return charts
