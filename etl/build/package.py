"""Stage 5, package: the data package written to a folder (CSV, Parquet, the source texts,
datapackage.json derived from schemas/package.yaml, the release and the table schemas,
README.md, and the dataset page index.html, written last so that it can give every other
file's size), then checked there as published: by the engine of `etl validate` (which checks
each shipped text against its SHA-256), and each table's CSV against its Parquet."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import polars as pl
from polars.testing import assert_frame_equal

from etl.build.page import write_page
from etl.build.provenance import text_resource_name
from etl.build.readme import render_readme
from etl.build.workbook import created_date, workbook_name, write_workbook
from etl.report.catalogue import PARITY_ERROR
from etl.report.findings import Finding
from etl.tableschema.dtypes import polars_schema
from etl.tableschema.engine import validate_package
from etl.tableschema.model import TableSchema

#: Published tables in the order a reader meets them.
TABLE_ORDER = (
    "observations",
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
    "citations",
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


def text_descriptor(row: dict[str, Any], size: int) -> dict[str, Any]:
    """The resource of a source's shipped text: its size, the SHA-256 recorded in
    raw/sources.csv (so that verifying the package checks the very bytes quoted) and its
    rights note."""
    entry: dict[str, Any] = {
        "name": text_resource_name(row["source_id"]),
        "title": row["title_en"],
        "description": f"The text of source {row['source_id']}, byte for byte: the quotes of "
        "the other tables are taken from it, and their offsets count its code points.",
        "path": row["path"],
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "bytes": size,
        "hash": f"sha256:{row['sha256']}",
        "rights": row["rights"],
    }
    if row["licence"]:
        entry["licenses"] = [{"name": row["licence"]}]
    return entry


#: Package properties copied from the metadata when present, in the order written.
OPTIONAL_META = ("homepage",)


def package_descriptor(
    meta: dict[str, Any], sources: list[dict[str, Any]], resources: list[dict[str, Any]]
) -> dict[str, Any]:
    """A Data Package v2 descriptor: metadata from package.yaml and the release, sources,
    then resources."""
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"],
        "title": meta["title"],
        "title_ru": meta["title_ru"],
        "description": meta["description"],
        "description_ru": meta["description_ru"],
        **{key: meta[key] for key in OPTIONAL_META if meta.get(key)},
        "version": meta["version"],
        "created": meta["created"],
        "versioning": " ".join(meta["versioning"].split()),
        "keywords": list(meta["keywords"]),
        "licenses": list(meta["licenses"]),
        "contributors": list(meta["contributors"]),
        "sources": [_source(s) for s in sources],
        "resources": resources,
    }


def _source(row: dict[str, Any]) -> dict[str, Any]:
    """A package `sources` entry for a row of the sources table: the spec's `title` and
    `path` (the text as shipped), then what else is known; unknown facts are left out."""
    entry = {
        "title": row["title_en"],
        "path": row["path"],
        "title_as_printed": row["title_as_printed"],
        "title_language": row["title_language"],
        "language": row["language"],
        "author": row["author"],
        "publisher": row["publisher"],
        "url": row["url"],
        "published_precision": row["published_precision"],
        "published_not_before": row["published_not_before"],
        "published_not_after": row["published_not_after"],
        "accessed": row["accessed"],
        "sha256": row["sha256"],
    }
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in entry.items() if v}


def write_csv(frame: pl.DataFrame, target: Path | IO[bytes]) -> None:
    """CSV as published: UTF-8, header, '\\n' line ends, ISO dates, empty cells for nulls."""
    frame.write_csv(target, line_terminator="\n", date_format="%Y-%m-%d", null_value="")


def write_parquet(frame: pl.DataFrame, target: Path | IO[bytes]) -> None:
    """Parquet as published: zstd, statistics, one row group."""
    frame.write_parquet(target, compression="zstd", statistics=True, row_group_size=1_000_000)


def read_back(source: Path | IO[bytes], schema: TableSchema) -> pl.DataFrame:
    """A published CSV read with its schema's dtypes, as a reader would."""
    return pl.read_csv(source, schema=polars_schema(schema), try_parse_dates=False)


def write_package(
    folder: Path,
    tables: dict[str, pl.DataFrame],
    schemas: dict[str, TableSchema],
    meta: dict[str, Any],
    texts: dict[str, str],
) -> None:
    """Write every file of the package into `folder`; `texts` holds each source's text by
    source_id."""
    data = folder / "data"
    data.mkdir(parents=True)
    resources: list[dict[str, Any]] = []
    for table in TABLE_ORDER:
        frame = tables[table]
        csv_path = data / f"{table}.csv"
        write_csv(frame, csv_path)
        write_parquet(frame, data / f"{table}.parquet")
        digest = hashlib.sha256(csv_path.read_bytes()).hexdigest()
        resources.extend(
            resource_descriptors(table, schemas[table], csv_path.stat().st_size, digest)
        )
    sources = tables["sources"].to_dicts()
    for row in sources:
        shipped = folder / row["path"]
        shipped.parent.mkdir(exist_ok=True)
        shipped.write_bytes(texts[row["source_id"]].encode("utf-8"))
        resources.append(text_descriptor(row, shipped.stat().st_size))
    descriptor = package_descriptor(meta, sources, resources)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    readme = render_readme(descriptor, tables, schemas)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    write_workbook(
        folder / workbook_name(meta["name"]),
        ((table, tables[table]) for table in TABLE_ORDER),
        title=meta["title"],
        created=created_date(descriptor.get("created")),
    )
    write_page(folder, descriptor, tables, texts, downloads(meta["name"], sources))


def downloads(name: str, sources: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Every file of the package but the page, as `(path, what it is)`, in reading order."""
    files = [
        ("datapackage.json", "the Frictionless Data Package descriptor, with every schema"),
        ("README.md", "every table and field described, how to cite and verify"),
        (workbook_name(name), "every table as a sheet of one Excel workbook"),
    ]
    for table in TABLE_ORDER:
        files.append((f"data/{table}.csv", f"{table}, CSV (UTF-8)"))
        files.append((f"data/{table}.parquet", f"{table}, Parquet"))
    files.extend((row["path"], f"the text of source {row['source_id']}") for row in sources)
    return files


def verify_package(folder: Path, schemas: dict[str, TableSchema]) -> list[Finding]:
    """What checking the written package finds: `etl validate` on it, its files named as in
    dist/, and each table's CSV compared with its Parquet."""
    report = validate_package(folder / "datapackage.json")
    prefix = str(folder)
    findings = [
        replace(f, file="dist" + f.file[len(prefix) :] if f.file.startswith(prefix) else f.file)
        for f in report.findings
    ]
    for table in TABLE_ORDER:
        findings.extend(parity_findings(folder, table, schemas[table]))
    return findings


def parity_findings(folder: Path, table: str, schema: TableSchema) -> list[Finding]:
    """The CSV and the Parquet of a table must hold the same rows and values."""
    csv = read_back(folder / "data" / f"{table}.csv", schema)
    parquet = pl.read_parquet(folder / "data" / f"{table}.parquet")
    try:
        assert_frame_equal(csv, parquet, check_exact=True)
    except AssertionError as exc:
        difference = " ".join(str(exc).split())
        return [PARITY_ERROR.at(f"dist/data/{table}.csv", difference=difference)]
    return []
