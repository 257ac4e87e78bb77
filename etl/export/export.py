"""`etl export`: a package checked, then loaded into a database in one transaction.

The package is validated first (etl.tableschema.engine); a package with errors is not
exported. Then, in one transaction: the views to be made and the package's tables are
dropped if there, the tables created in the order their foreign keys need, their rows
loaded, the comments and views made. Any failure undoes all of it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from etl.export.databases import Database, connect, dialect_of
from etl.export.sql import creation_order, literal, quoted, table_sql
from etl.report.errors import DeclarationError, EnvironmentProblem, UsageError
from etl.report.findings import Report
from etl.tableschema.descriptor import read_descriptor
from etl.tableschema.engine import read_and_validate
from etl.tableschema.model import TableSchema
from etl.tableschema.package import read_package
from etl.tableschema.profile import FRICTIONLESS

#: The properties of a view in a views file.
VIEW_KEYS = frozenset({"name", "description", "sql"})


@dataclass(frozen=True)
class View:
    """A named query made a view after the tables are loaded."""

    name: str
    description: str
    sql: str


@dataclass
class Exported:
    """What an export did: the package's findings, and, when it had no error, the rows of
    each table, the views made, and the foreign keys no database constraint holds."""

    report: Report
    rows: dict[str, int] = field(default_factory=dict)
    views: list[str] = field(default_factory=list)
    unenforced: list[str] = field(default_factory=list)


def read_views(path: Path) -> list[View]:
    """The views declared in a YAML or JSON file: a list under `views`, each with a name,
    a description and its SQL. DeclarationError lists every problem."""
    data, problems = read_descriptor(path, path.as_posix())
    if problems:
        raise DeclarationError("\n".join(f.render() for f in problems))
    if not isinstance(data, dict) or not isinstance(data.get("views"), list):
        raise DeclarationError(f"{path}: must hold a list under 'views'")
    views: list[View] = []
    errors: list[str] = []
    for index, entry in enumerate(data["views"], start=1):
        where = f"{path}: views[{index}]"
        if not isinstance(entry, dict):
            errors.append(f"{where}: must be a mapping of name, description, sql")
            continue
        errors.extend(
            f"{where}: {key!r} is not a property of a view" for key in set(entry) - VIEW_KEYS
        )
        values = {key: entry.get(key) for key in sorted(VIEW_KEYS)}
        text = {key: value for key, value in values.items() if isinstance(value, str) and value}
        errors.extend(
            f"{where}: {key} must be a non-empty string" for key in values if key not in text
        )
        if len(text) == len(VIEW_KEYS):
            views.append(View(text["name"], text["description"], text["sql"]))
    if errors:
        raise DeclarationError("\n".join(errors))
    return views


def export(
    package_path: str | Path,
    destination: str,
    views: Sequence[View] = (),
    *,
    resources: Collection[str] | None = None,
    formats: Collection[str] | None = None,
    allow_remote: bool = False,
) -> Exported:
    """Validate the package and, when it has no error, load its tables into the
    destination: those named in `resources`, or of a format in `formats`, or all of them."""
    dialect_of(destination)  # a usage error before any work
    package = read_package(package_path, allow_remote=allow_remote)
    unknown = sorted(set(resources or ()) - {r.name for r in package.resources})
    if unknown:
        raise UsageError(f"the package has no resource {unknown[0]!r} - check --resource")
    kept = tuple(
        r
        for r in package.resources
        if r.tabular  # a text or an image is no table
        and (resources is None or r.name in resources)
        and (formats is None or r.format in formats)
    )
    if not kept:
        raise UsageError("no resource of the package is left to export - check the filters")
    unschemed = [r.name for r in kept if r.schema is None]
    if unschemed:  # etl validate infers one; a database table needs one said
        raise UsageError(
            f"resource {unschemed[0]!r} has no schema, so its table's columns are not known - "
            "add a schema to export it, or leave it out with --resource"
        )
    # The whole package is validated, so that keys into resources left out are checked.
    report, tables = read_and_validate(package, profile=replace(FRICTIONLESS, keep_tables=True))
    done = Exported(report)
    if report.errors:
        return done
    schemas: dict[str, TableSchema] = {
        r.name: replace(r.schema, name=r.name) for r in kept if r.schema is not None
    }
    order = creation_order(schemas)
    database = connect(destination)
    try:
        _replace(database, schemas, order, tables, views, done)
    except Exception as exc:
        database.rollback()
        if isinstance(exc, EnvironmentProblem | UsageError):
            raise
        raise EnvironmentProblem(
            f"the database refused the export ({_first_line(exc)}) - nothing was changed"
        ) from exc
    database.commit()
    return done


def _replace(
    database: Database,
    schemas: dict[str, TableSchema],
    order: list[str],
    tables: dict[str, Any],
    views: Sequence[View],
    done: Exported,
) -> None:
    """Drop, create, load and comment, inside the open transaction."""
    cascade = " CASCADE" if database.dialect == "postgresql" else ""
    for view in views:
        database.execute(f"DROP VIEW IF EXISTS {quoted(view.name)}{cascade}")
    for name in reversed(order):
        database.execute(f"DROP TABLE IF EXISTS {quoted(name)}{cascade}")
    for name in order:
        statements = table_sql(schemas[name], database.dialect, schemas)
        database.execute(statements.create)
        frame = tables[name].frame
        database.load(name, frame)
        for comment in statements.comments:
            database.execute(comment)
        done.rows[name] = frame.height
        done.unenforced.extend(statements.unenforced)
    for view in views:
        database.execute(f"CREATE VIEW {quoted(view.name)} AS {view.sql}")
        database.execute(f"SELECT * FROM {quoted(view.name)} LIMIT 0")  # SQLite checks late
        if database.dialect != "sqlite":
            database.execute(f"COMMENT ON VIEW {quoted(view.name)} IS {literal(view.description)}")
        done.views.append(view.name)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
