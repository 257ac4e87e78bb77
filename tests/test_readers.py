"""dist/ as BI tools and notebooks read it: DuckDB and pandas, CSV and Parquet."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from etl.build.package import TABLE_ORDER
from etl.tableschema.schema import load_schemas
from tests.projects import ROOT, raw_row_count

DIST = ROOT / "dist"


def test_readme_duckdb_query_runs() -> None:
    """The DuckDB query shown in dist/README.md runs and joins every figure to its indicator."""
    import duckdb

    readme = (DIST / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.+?)\n```", readme, re.S)
    query = next(q for q in queries if "figures.parquet" in q)
    connection = duckdb.connect()
    connection.execute(f"SET file_search_path = '{DIST}'")
    rows = connection.sql(query).fetchall()
    assert len(rows) == raw_row_count("figures")
    assert ("более 1,1 тыс.", 1100.0, "more_than") in [r[:3] for r in rows]


SCHEMAS, _ = load_schemas(ROOT / "schemas/published", "schemas/published")
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_duckdb_reads_csv_with_schema_types_like_parquet(table: str) -> None:
    """DuckDB given the Table Schema's types reads each CSV exactly as its Parquet."""
    import duckdb

    types = {f.name: DUCKDB_TYPES[f.type] for f in SCHEMAS[table].fields}
    csv = duckdb.sql(
        f"SELECT * FROM read_csv('{DIST}/data/{table}.csv', columns = {types})"
    ).fetchall()
    parquet = duckdb.sql(f"SELECT * FROM '{DIST}/data/{table}.parquet'").fetchall()
    assert csv == parquet


def test_duckdb_sniffer_reads_codes_as_numbers() -> None:
    """The documented difference: a sniffing CSV reader takes iso_numeric for a number."""
    import duckdb

    sniffed = duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{DIST}/data/partners.csv')")
    types = dict((row[0], row[1]) for row in sniffed.fetchall())
    assert types["iso_numeric"] == "BIGINT"
    readme = (DIST / "README.md").read_text(encoding="utf-8")
    assert "read code columns such as `iso_numeric` as numbers" in readme


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_pandas_reads_csv_like_parquet(table: str) -> None:
    """pandas, told the string columns as the README says, reads the CSV as the Parquet."""
    strings = {f.name: "string" for f in SCHEMAS[table].fields if f.type == "string"}
    csv = pd.read_csv(
        DIST / "data" / f"{table}.csv", keep_default_na=False, na_values=[""], dtype=strings
    )
    parquet = pd.read_parquet(DIST / "data" / f"{table}.parquet")
    assert list(csv.columns) == list(parquet.columns)
    assert len(csv) == len(parquet)
    for column in parquet.columns:
        left = csv[column].astype(str).where(csv[column].notna(), None).tolist()
        right = parquet[column].astype(str).where(parquet[column].notna(), None).tolist()
        assert left == right, column
