"""The whole build, stage by stage: load, parse, validate, transform, check, publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from etl.cast import cast_table
from etl.check import CheckContext, approximately_share, checks_frame, load_checks, run_checks
from etl.findings import Finding, Report
from etl.load import SourceText, load_source_text, load_table
from etl.publish import build_lock, publish, recover
from etl.schemas import TableSchema, load_schemas, read_descriptor
from etl.settings import Settings
from etl.tables import Table
from etl.transform import build_tables
from etl.validate import as_tables, validate_all


@dataclass
class BuildResult:
    """What a run found and, when it got that far, the published tables."""

    report: Report = field(default_factory=Report)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    written: bool = False


@dataclass
class Inputs:
    """Everything read from raw/ and schemas/, checked."""

    raw_schemas: dict[str, TableSchema]
    published_schemas: dict[str, TableSchema]
    meta: dict[str, Any]
    tables: dict[str, Table]
    texts: dict[str, SourceText]


def load_inputs(settings: Settings, report: Report) -> Inputs | None:
    """Stages load, parse and validate: schemas, raw tables and source texts, all checked."""
    raw_schemas, findings = load_schemas(settings.schemas / "raw", "schemas/raw")
    published_schemas, more = load_schemas(settings.schemas / "published", "schemas/published")
    meta, meta_findings = read_descriptor(settings.schemas / "package.yaml", "schemas/package.yaml")
    report.extend(findings + more + meta_findings)
    if not report.ok:
        return None
    tables: dict[str, Table] = {}
    for name, schema in raw_schemas.items():
        path = settings.raw / f"{name}.csv"
        raw, findings = load_table(path, f"raw/{name}.csv", schema)
        report.extend(findings)
        if raw is None:
            continue
        typed, findings = cast_table(raw.frame, schema, raw.file, raw.rows)
        report.extend(findings)
        tables[name] = Table(name, raw.file, typed, raw.rows)
    if not report.ok:
        return None
    report.extend(validate_all(tables, raw_schemas))
    if not report.ok:
        return None
    texts: dict[str, SourceText] = {}
    for row in tables["sources"].frame.iter_rows(named=True):
        file = f"raw/{row['path']}"
        text, findings = load_source_text(
            settings.raw / row["path"], file, row["source_id"], row["sha256"]
        )
        report.extend(findings)
        if text is not None:
            texts[row["source_id"]] = text
    if not report.ok:
        return None
    return Inputs(raw_schemas, published_schemas, meta, tables, texts)


def run(settings: Settings, *, write: bool, strict: bool = False) -> BuildResult:
    """Run every stage; with `write`, publish dist/ when no error (nor, if strict, warning).

    A writing run holds the build lock throughout and first restores a dist/ that an
    interrupted build set aside, so what it reports about dist/ is true.
    """
    if not write:
        return _stages(settings, write=False, strict=strict)
    with build_lock(settings.root):
        recover(settings.root, settings.dist)
        return _stages(settings, write=True, strict=strict)


def _stages(settings: Settings, *, write: bool, strict: bool) -> BuildResult:
    result = BuildResult()
    report = result.report
    inputs = load_inputs(settings, report)
    if inputs is None:
        return result
    built = build_tables(inputs.tables, inputs.texts, inputs.published_schemas)  # transform
    report.extend(built.findings)
    if not report.ok:
        return result
    published = as_tables(built.tables, "dist/data")
    report.extend(validate_all(published, inputs.published_schemas))
    if not report.ok:
        return result
    checks_path = settings.schemas / "checks.yaml"
    specs, findings = load_checks(checks_path, inputs.published_schemas)
    report.extend(findings)
    if not report.ok:
        return result
    context = CheckContext(
        tables=built.tables,
        schemas=inputs.published_schemas,
        texts=inputs.texts,
        covered=built.covered,
        origins=built.origins,
        approximately=approximately_share(checks_path),
    )
    report.checks, findings = run_checks(specs, context)  # check
    report.extend(findings)
    built.tables["checks"] = checks_frame(report.checks, specs)
    published = as_tables({"checks": built.tables["checks"]}, "dist/data")
    report.extend(validate_all(published, inputs.published_schemas))
    missing = sorted(set(inputs.published_schemas) - set(built.tables))
    report.extend(
        Finding(
            f"schemas/published/{m}.yaml",
            None,
            None,
            "schema-error",
            "the schema describes a table the build does not make - remove the schema",
        )
        for m in missing
    )
    if not report.ok:
        return result
    result.tables = built.tables
    if write and not (strict and report.warnings):
        meta, schemas = inputs.meta, inputs.published_schemas
        report.extend(publish(settings.root, settings.dist, built.tables, schemas, meta))
        result.written = report.ok
    return result
