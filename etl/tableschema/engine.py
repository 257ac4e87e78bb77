"""The validation engine: any Frictionless data package, checked at polars speed.

One engine for anyone's package (`etl validate`), the project's published package (before
it is swapped into dist/) and the project's raw tables (in a stricter profile). Each
resource is checked by etl.tableschema.resource; then the foreign keys across resources.
Findings carry frictionless-py's error types and row numbers.
"""

from __future__ import annotations

from pathlib import Path

from etl.report.catalogue import LIMIT_REACHED, SCHEMA_ERROR
from etl.report.findings import Finding, Report, Severity
from etl.tableschema.checker import Checked, Progress
from etl.tableschema.keys import Reference, foreign_key_findings
from etl.tableschema.package import Package, Resource, read_package, read_table
from etl.tableschema.patterns import pattern_timeout
from etl.tableschema.profile import FRICTIONLESS, Profile
from etl.tableschema.resource import check_resource
from etl.tableschema.structure import sort_key
from etl.tableschema.table import Table


def validate_package(
    path: str | Path,
    *,
    limit: int | None = None,
    allow_remote: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Every finding in a data package (datapackage.json or .yaml), in frictionless' terms.

    The report lists schema problems first, then each resource's findings in row order.
    With `limit`, only the first `limit` findings are kept and a last `limit-reached` finding
    says how many were left out. Raises etl.report.errors.UsageError for an unreadable
    descriptor, a path leaving the package folder, or a remote path without `allow_remote`.
    """
    package = read_package(path, allow_remote=allow_remote)
    return validate(package, limit=limit, progress=progress)


def validate_file(
    path: Path, schema: Path, *, limit: int | None = None, progress: Progress | None = None
) -> Report:
    """Every finding in one CSV or Parquet file checked against a Table Schema file."""
    return validate(read_table(path, schema), limit=limit, progress=progress)


def validate(
    package: Package,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    profile: Profile = FRICTIONLESS,
) -> Report:
    """Every finding in the resources of a package already read."""
    report, _ = read_and_validate(package, progress=progress, profile=profile)
    return _limited(report, limit)


def read_and_validate(
    package: Package, *, progress: Progress | None = None, profile: Profile = FRICTIONLESS
) -> tuple[Report, dict[str, Table]]:
    """Every finding in the resources of a package, and (when the profile keeps tables)
    each resource read as a typed table, by resource name."""
    pattern_timeout()  # a bad ETL_PATTERN_TIMEOUT is a usage error before any check runs
    report = Report()
    report.extend(package.findings)
    wanted: dict[str, set[str]] = {}
    for resource in package.resources:
        for fk in resource.schema.foreign_keys if resource.schema else ():
            target = fk.resource or resource.name
            wanted.setdefault(target, set()).update(fk.reference_fields)
    checked: dict[str, Checked] = {}
    for r in _referenced_first(package):
        references = _references(r, package, checked, profile.suggest_keys)
        checked[r.name] = check_resource(
            r, wanted.get(r.name, set()), progress, profile, references
        )
    for resource in package.resources:
        result = checked[resource.name]
        if result.whole:
            result.findings.extend(result.foreign)
        if resource.schema is not None and result.keys is not None:
            found = _foreign_keys(resource, result, package, checked, profile.suggest_keys)
            result.findings.extend(found)
        schema = result.schema or resource.schema
        positions = {f.name: i for i, f in enumerate(schema.fields)} if schema else {}
        report.extend(sorted(result.findings, key=lambda f: sort_key(f, positions)))
    tables = {name: c.table for name, c in checked.items() if c.table is not None}
    return report, tables


def _referenced_first(package: Package) -> list[Resource]:
    """The resources in package order, but each after the resources its foreign keys refer
    to (where the references run in a circle, in package order): then those keys can be
    checked batch by batch, against referenced keys already read."""
    order: list[Resource] = []
    seen: set[str] = set()

    def visit(resource: Resource) -> None:
        if resource.name in seen:
            return
        seen.add(resource.name)
        for fk in resource.schema.foreign_keys if resource.schema else ():
            target = package.resource(fk.resource) if fk.resource else None
            if target is not None:
                visit(target)
        order.append(resource)

    for resource in package.resources:
        visit(resource)
    return order


def _references(
    resource: Resource, package: Package, checked: dict[str, Checked], suggest: bool
) -> dict[int, Reference]:
    """The resource's foreign keys into other tables checked already and read whole."""
    out: dict[int, Reference] = {}
    for at, fk in enumerate(resource.schema.foreign_keys if resource.schema else ()):
        target = package.resource(fk.resource) if fk.resource else None
        done = checked.get(fk.resource)
        if target is not None and done is not None and done.keys is not None:
            out[at] = Reference(fk, done.keys, target.file, suggest)
    return out


def _limited(report: Report, limit: int | None) -> Report:
    if limit is None or len(report.findings) <= limit:
        return report
    kept, dropped = report.findings[:limit], report.findings[limit:]
    last = kept[-1] if kept else None
    errors = any(f.severity is Severity.ERROR for f in dropped)
    notice = LIMIT_REACHED.at(
        last.file if last else "",
        value=len(dropped),
        severity=Severity.ERROR if errors else Severity.WARNING,
        dropped=len(dropped),
        limit=limit,
    )
    return Report(findings=[*kept, notice], checks=list(report.checks))


def _foreign_keys(
    resource: Resource,
    result: Checked,
    package: Package,
    checked: dict[str, Checked],
    suggest: bool,
) -> list[Finding]:
    assert resource.schema is not None and result.keys is not None
    out: list[Finding] = []
    for at, fk in enumerate(resource.schema.foreign_keys):
        if at in result.checked or not set(fk.fields) <= result.names:
            continue
        target_name = fk.resource or resource.name
        target = package.resource(target_name)
        fields = ",".join(fk.fields)
        if target is None and package.single_file:
            problem = (
                f"the foreign key to resource {target_name!r} is not checked when one file is "
                "validated alone - validate the whole package to check it"
            )
            out.append(
                SCHEMA_ERROR.at(
                    resource.file,
                    None,
                    fields,
                    target_name,
                    severity=Severity.WARNING,
                    problem=problem,
                )
            )
            continue
        if target is None:
            problem = (
                f"the foreign key points at resource {target_name!r}, which the package "
                "does not have - fix the reference"
            )
            out.append(SCHEMA_ERROR.at(resource.file, None, fields, target_name, problem=problem))
            continue
        keys = checked[target_name].keys
        if keys is None:  # the referenced file could not be read
            continue
        out.extend(foreign_key_findings(resource.file, result.keys, fk, keys, target.file, suggest))
    return out
