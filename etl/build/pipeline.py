"""The whole build, stage by stage: load, cite and transform, check, package, publish.

Each stage returns its tables and its findings; a stage runs only when those before it
found no error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from etl.build.checks.declarations import load_checks
from etl.build.checks.model import CheckContext
from etl.build.checks.run import checks_frame, not_run, run_checks
from etl.build.load import SourceText, inside, load_source_text, load_tables
from etl.build.provenance import Release, current_release
from etl.build.publish import build_lock, publish, recover, verify_unpublished
from etl.build.settings import Settings
from etl.build.transform import transform
from etl.report.catalogue import SCHEMA_ERROR, UNBUILT_TABLE
from etl.report.errors import EnvironmentProblem, UsageError
from etl.report.findings import Finding, Report, Severity
from etl.tableschema.descriptor import read_descriptor
from etl.tableschema.model import TableSchema
from etl.tableschema.schema import load_schemas
from etl.tableschema.table import Table
from etl.text.errors import MissingLanguageData


@dataclass
class BuildResult:
    """What a run found and, when it got that far, the published tables."""

    report: Report = field(default_factory=Report)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    written: bool = False


@dataclass
class Inputs:
    """Everything read from raw/ and schemas/, checked."""

    published_schemas: dict[str, TableSchema]
    meta: dict[str, Any]
    tables: dict[str, Table]
    texts: dict[str, SourceText]
    release: Release | None

    def package_meta(self) -> dict[str, Any]:
        """schemas/package.yaml with the version and created date of the release built."""
        assert self.release is not None
        return {**self.meta, "version": self.release.version, "created": self.release.created}


def load_inputs(settings: Settings, report: Report) -> Inputs | None:
    """Stage load: schemas, raw tables (read and validated by the engine) and source texts.

    Rows with an error are set aside rather than stopping the build, so that the later
    stages still report every mistake they can see in the other rows; None when a schema
    or a whole table is unusable.
    """
    raw_schemas, findings = load_schemas(settings.schemas / "raw", "schemas/raw")
    published_schemas, more = load_schemas(settings.schemas / "published", "schemas/published")
    meta, meta_findings = read_descriptor(settings.schemas / "package.yaml", "schemas/package.yaml")
    if not meta_findings:
        meta_findings = package_meta_findings(meta)
    report.extend(findings + more + meta_findings)
    if not report.ok:
        return None
    tables, findings = load_tables(settings, raw_schemas)
    report.extend(findings)
    tables = without_bad_rows(tables, findings)
    if set(tables) != set(raw_schemas):
        return None
    release, findings = current_release(tables["releases"])
    report.extend(findings)
    texts: dict[str, SourceText] = {}
    for row in tables["sources"].frame.iter_rows(named=True):
        file = f"raw/{row['path']}"
        text, findings = load_source_text(
            inside(settings, settings.raw / row["path"]), file, row["source_id"], row["sha256"]
        )
        report.extend(findings)
        if text is not None:
            texts[row["source_id"]] = text
    return Inputs(published_schemas, meta, tables, texts, release)


#: What schemas/package.yaml must say, and the JSON type of each.
PACKAGE_META = {
    "name": str,
    "title": str,
    "title_ru": str,
    "description": str,
    "description_ru": str,
    "versioning": str,
    "keywords": list,
    "licenses": list,
    "contributors": list,
}


def package_meta_findings(meta: Any) -> list[Finding]:
    """schemas/package.yaml must be a mapping with each property the package needs."""
    file = "schemas/package.yaml"
    if isinstance(meta, dict) and "version" in meta:
        problem = "'version' comes from the last release in raw/releases.csv - remove it here"
        return [SCHEMA_ERROR.at(file, None, "version", problem=problem)]
    if isinstance(meta, dict) and not isinstance(meta.get("homepage", ""), str):
        problem = "'homepage' must be a URL string - fix its type or remove it"
        return [SCHEMA_ERROR.at(file, None, "homepage", problem=problem)]
    if not isinstance(meta, dict):
        problem = f"must be a mapping of {', '.join(PACKAGE_META)}, not a {type(meta).__name__}"
        return [SCHEMA_ERROR.at(file, problem=problem)]
    return [
        SCHEMA_ERROR.at(
            file, None, key, problem=f"needs '{key}', a {kind.__name__} - add it or fix its type"
        )
        for key, kind in PACKAGE_META.items()
        if not isinstance(meta.get(key), kind)
    ]


def without_bad_rows(tables: dict[str, Table], findings: list[Finding]) -> dict[str, Table]:
    """The tables without the rows an error names; a table whose file or header has an
    error is left out whole."""
    errors = [f for f in findings if f.severity is Severity.ERROR]
    broken = {f.file for f in errors if f.row is None or f.row == 1}
    bad = {(f.file, f.row) for f in errors}
    out = {}
    for name, table in tables.items():
        if table.file in broken:
            continue
        keep = [(table.file, row) not in bad for row in table.rows]
        rows = [row for row, kept in zip(table.rows, keep, strict=True) if kept]
        frame = table.frame.filter(pl.Series(keep, dtype=pl.Boolean))
        out[name] = Table(table.name, table.file, frame, rows)
    return out


#: Told the name of each stage as it starts (a progress line on a terminal).
Stage = Callable[[str], None]


def run(
    settings: Settings, *, write: bool, strict: bool = False, stage: Stage | None = None
) -> BuildResult:
    """Run every stage; with `write`, publish dist/ when no error (nor, if strict, warning).

    A writing run holds the build lock throughout and first restores a dist/ that an
    interrupted build set aside, so what it reports about dist/ is true. `stage` is told
    each stage's name as it starts.
    """
    told = stage or (lambda name: None)
    if not write:
        return _stages(settings, write=False, strict=strict, stage=told)
    with build_lock(settings.root):
        recover(settings.root, settings.dist)
        return _stages(settings, write=True, strict=strict, stage=told)


def _stages(settings: Settings, *, write: bool, strict: bool, stage: Stage) -> BuildResult:
    result = BuildResult()
    report = result.report
    stage("load")
    declarations = load_checks(settings.schemas / "checks.yaml")  # usage errors come first
    inputs = load_inputs(settings, report)
    if inputs is None:
        report.checks = not_run(declarations.checks, report)
        return result
    schemas = inputs.published_schemas
    stage("cite and transform")
    try:
        share = Decimal(str(declarations.approximately))
        made = transform(inputs.tables, inputs.texts, schemas, share, check_aliases=report.ok)
    except MissingLanguageData as exc:
        raise EnvironmentProblem(str(exc)) from None
    except (KeyError, pl.exceptions.ColumnNotFoundError) as exc:
        message = _missing_field(exc, inputs)
        if message is None:
            raise  # no raw schema lost it: a fault of the build, not of the project's data
        raise UsageError(message) from None
    report.extend(made.findings)
    if not report.ok:
        report.checks = not_run(declarations.checks, report)
        return result
    tables = made.tables
    context = CheckContext(
        tables=tables,
        schemas=schemas,
        texts=inputs.texts,
        covered=made.covered,
        origins=made.origins,
        approximately=declarations.approximately,
    )
    stage("check")
    report.checks, findings = run_checks(declarations.checks, context)  # check
    report.extend(findings)
    tables["checks"] = checks_frame(report.checks)
    report.extend(
        UNBUILT_TABLE.at(f"schemas/published/{name}.yaml")
        for name in sorted(set(schemas) - set(tables))
    )
    if not report.ok:
        return result
    result.tables = tables
    texts = {sid: t.text for sid, t in inputs.texts.items()}
    meta = inputs.package_meta()
    stage("write and verify the package")
    if write and not (strict and report.warnings):
        report.extend(publish(settings.root, settings.dist, tables, schemas, meta, texts))
        result.written = report.ok
    else:
        report.extend(verify_unpublished(tables, schemas, meta, texts))
    return result


def _missing_field(exc: KeyError | pl.exceptions.ColumnNotFoundError, inputs: Inputs) -> str | None:
    """The message for a field the build reads that a raw table no longer has (its schema
    in schemas/raw lost it): the field, and the raw tables whose published table has it.
    None when no raw table can be named: then the error is not the data's."""
    if isinstance(exc, KeyError):
        name = str(exc.args[0]) if exc.args else "?"
    else:  # polars: 'unable to find column "x"; valid columns: [...]'
        text = str(exc)
        name = text.split('"')[1] if text.count('"') >= 2 else text.splitlines()[0]
    lacking = sorted(
        table
        for table, read in inputs.tables.items()
        if name not in read.frame.columns
        and table in inputs.published_schemas
        and name in inputs.published_schemas[table].field_names
    )
    if not lacking:
        return None
    where = " and ".join(f"schemas/raw/{t}.yaml (and raw/{t}.csv)" for t in lacking)
    return (
        f"the build reads the field {name!r}, which {where} no longer declares"
        " - restore the field, or change the build to do without it"
    )
