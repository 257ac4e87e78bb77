"""The published datapackage.json, derived from schemas/package.yaml and the table schemas."""

from __future__ import annotations

from typing import Any

from etl.schemas import TableSchema

#: Published tables in the order a reader meets them.
TABLE_ORDER = (
    "figures",
    "derived_figures",
    "indicators",
    "sources",
    "partners",
    "figure_partners",
    "programmes",
    "programme_statements",
    "events",
    "waivers",
    "checks",
)
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def parquet_name(table: str) -> str:
    """Resource name of a table's Parquet copy."""
    return f"{table}-parquet"


def resource_descriptors(
    table: str, schema: TableSchema, csv_bytes: int, csv_sha256: str
) -> list[dict[str, Any]]:
    """The CSV and the Parquet resource of one table, each with its schema."""
    csv_schema = schema.descriptor()
    parquet_schema = schema.descriptor()
    for fk in parquet_schema.get("foreignKeys", []):
        fk["reference"]["resource"] = parquet_name(fk["reference"]["resource"])
    common = {"type": "table", "description": schema.description}
    return [
        {
            "name": table,
            **common,
            "path": f"data/{table}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": csv_bytes,
            "hash": f"sha256:{csv_sha256}",
            "schema": csv_schema,
        },
        {
            "name": parquet_name(table),
            **common,
            "path": f"data/{table}.parquet",
            "format": "parquet",
            "mediatype": PARQUET_MEDIATYPE,
            "schema": parquet_schema,
        },
    ]


def package_descriptor(
    meta: dict[str, Any], sources: list[dict[str, Any]], resources: list[dict[str, Any]]
) -> dict[str, Any]:
    """A Data Package v2 descriptor: metadata from package.yaml, sources, then resources."""
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"],
        "title": meta["title"],
        "title_ru": meta["title_ru"],
        "description": meta["description"],
        "description_ru": meta["description_ru"],
        "version": meta["version"],
        "keywords": list(meta["keywords"]),
        "licenses": list(meta["licenses"]),
        "contributors": list(meta["contributors"]),
        "sources": [_source(s) for s in sources],
        "resources": resources,
    }


def _source(row: dict[str, Any]) -> dict[str, Any]:
    """A package `sources` entry for a row of the sources table; unknown facts are left out."""
    entry = {
        "title": row["title_en"],
        "title_ru": row["title_ru"],
        "path": row["path"],
        "sha256": row["sha256"],
        "publisher": row["publisher"],
        "published_not_before": row["published_not_before"],
        "published_not_after": row["published_not_after"],
    }
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in entry.items() if v}
