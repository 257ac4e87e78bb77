"""The observations table, read with DuckDB as a charting user would, against the figures and
derived_figures it is made from."""

from __future__ import annotations

from typing import Any

import pytest

from tests.projects import ROOT

DIST = ROOT / "dist"


def query(sql: str) -> list[tuple[Any, ...]]:
    """Rows of a DuckDB query over dist/ (tables named by their Parquet files)."""
    import duckdb

    connection = duckdb.connect()
    connection.execute(f"SET file_search_path = '{DIST}'")
    return connection.sql(sql).fetchall()


def test_one_row_per_printed_and_derived_figure() -> None:
    """Every figure and every derived figure is one observation, and nothing else is."""
    ids = query("SELECT figure_table, figure_id FROM 'data/observations.parquet' ORDER BY ALL")
    expected = query(
        "SELECT 'figures', figure_id FROM 'data/figures.parquet' UNION ALL "
        "SELECT 'derived_figures', derived_id FROM 'data/derived_figures.parquet' ORDER BY ALL"
    )
    assert ids == expected
    assert len(set(ids)) == len(ids)


def test_printed_observations_are_their_figures() -> None:
    """A printed figure's observation has its indicator, label, period, value, bounds,
    comparator, unit, currency and source."""
    differences = query(
        """
        SELECT o.figure_id FROM 'data/observations.parquet' o
        JOIN 'data/figures.parquet' f USING (figure_id)
        JOIN 'data/indicators.parquet' i ON i.indicator_id = f.indicator_id
        WHERE o.figure_table = 'figures' AND NOT (
            o.indicator_id = f.indicator_id AND o.label_en = i.label_en
            AND o.value = f.value AND o.comparator = f.comparator AND o.unit = f.unit
            AND o.source_id = f.source_id
            AND o.lower_bound IS NOT DISTINCT FROM f.lower_bound
            AND o.upper_bound IS NOT DISTINCT FROM f.upper_bound
            AND o.currency IS NOT DISTINCT FROM f.currency
            AND o.period_start IS NOT DISTINCT FROM f.period_start
            AND o.period_end IS NOT DISTINCT FROM f.period_end)
        """
    )
    assert differences == []
    assert (
        query("SELECT count(*) FROM 'data/observations.parquet' WHERE figure_table = 'figures'")[0][
            0
        ]
        == query("SELECT count(*) FROM 'data/figures.parquet'")[0][0]
    )


def test_derived_observations_are_their_derived_figures() -> None:
    """A derived figure's observation has its value, bounds, unit and currency, no
    comparator, and spans its inputs' periods."""
    rows = query(
        """
        SELECT o.figure_id,
            o.value = d.value AND o.unit = d.unit
            AND o.lower_bound IS NOT DISTINCT FROM d.lower_bound
            AND o.upper_bound IS NOT DISTINCT FROM d.upper_bound
            AND o.currency IS NOT DISTINCT FROM d.currency AND o.comparator IS NULL
            AND o.period_start IS NOT DISTINCT FROM least(n.period_start, m.period_start)
            AND o.period_end IS NOT DISTINCT FROM greatest(n.period_end, m.period_end)
            AND o.reference_basis = 'inputs'
        FROM 'data/observations.parquet' o
        JOIN 'data/derived_figures.parquet' d ON o.figure_id = d.derived_id
        JOIN 'data/figures.parquet' n ON n.figure_id = d.numerator_id
        JOIN 'data/figures.parquet' m ON m.figure_id = d.denominator_id
        WHERE o.figure_table = 'derived_figures'
        """
    )
    assert rows and all(same for _, same in rows)
    assert len(rows) == query("SELECT count(*) FROM 'data/derived_figures.parquet'")[0][0]


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        ("period_end", "f.period_end"),
        ("publication", "coalesce(s.published_not_after, s.published_not_before)"),
    ],
)
def test_reference_date_of_a_printed_figure(basis: str, expected: str) -> None:
    """A figure is dated at its period's end when it has one, else at its source's
    publication date."""
    rows = query(
        f"""
        SELECT o.reference_date = {expected},
            (f.period_end IS NOT NULL) = ('{basis}' = 'period_end')
        FROM 'data/observations.parquet' o
        JOIN 'data/figures.parquet' f USING (figure_id)
        JOIN 'data/sources.parquet' s ON s.source_id = f.source_id
        WHERE o.figure_table = 'figures' AND o.reference_basis = '{basis}'
        """
    )
    assert rows, f"no figure is dated by {basis}"
    assert all(right and why for right, why in rows)


def test_readme_names_observations_as_the_table_to_chart() -> None:
    """dist/README.md and the project README point charting users at observations, and the
    query shown for it runs."""
    import re

    dist_readme = (DIST / "README.md").read_text(encoding="utf-8")
    section = dist_readme.split("## The table to chart", 1)[1]
    sql = re.search(r"```sql\n(.+?)\n```", section, re.S)
    assert sql is not None
    rows = query(sql.group(1))
    assert len(rows) == query("SELECT count(*) FROM 'data/observations.parquet'")[0][0]
    project_readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| `observations` |" in project_readme


def figure_row(figure_id: str, source_id: str, end: Any = None) -> dict[str, Any]:
    """A published figures row with only what observations reads."""
    import datetime

    return {
        "figure_id": figure_id,
        "source_id": source_id,
        "indicator_id": "things",
        "period_start": None if end is None else datetime.date(end.year, 1, 1),
        "period_end": end,
        "value": 2.0,
        "lower_bound": 2.0,
        "upper_bound": 2.0,
        "comparator": "exact",
        "unit": "thing",
        "currency": None,
    }


def test_observations_of_undated_and_mixed_source_figures() -> None:
    """No period and no publication date leave the reference date empty; a ratio of figures
    from two sources names no source; a ratio whose input was left out is left out."""
    import datetime

    import polars as pl

    from etl.build.observations import observations_table
    from etl.tableschema.schema import load_schemas

    schemas, _ = load_schemas(ROOT / "schemas/published", "schemas/published")
    figures = pl.DataFrame(
        [figure_row("a", "s1"), figure_row("b", "s2", datetime.date(2020, 12, 31))]
    )
    derived_row = {
        "derived_id": "a-per-b",
        "indicator_id": "things",
        "numerator_id": "a",
        "denominator_id": "b",
        "value": 1.0,
        "lower_bound": 1.0,
        "upper_bound": 1.0,
        "unit": "times",
        "currency": None,
    }
    derived = pl.DataFrame(
        [derived_row, {**derived_row, "derived_id": "x", "numerator_id": "gone"}]
    )
    indicators = pl.DataFrame([{"indicator_id": "things", "label_en": "Things"}])
    sources = pl.DataFrame(
        [
            {"source_id": s, "published_not_before": None, "published_not_after": None}
            for s in ("s1", "s2")
        ],
        schema={
            "source_id": pl.String,
            "published_not_before": pl.Date,
            "published_not_after": pl.Date,
        },
    )
    table = observations_table(figures, derived, indicators, sources, schemas["observations"])
    assert table.select("figure_id", "reference_date", "reference_basis", "source_id").rows() == [
        ("a-per-b", datetime.date(2020, 12, 31), "inputs", None),
        ("b", datetime.date(2020, 12, 31), "period_end", "s2"),
        ("a", None, None, "s1"),
    ]
