"""The SQL a package's tables become: column types, constraints, comments and table order,
written for each database the export knows (etl.export.databases)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from etl.tableschema.model import Field, TableSchema

#: The SQL type of each Table Schema type, as PostgreSQL names it...
_STANDARD: dict[str, str] = {
    "string": "TEXT",
    "any": "TEXT",
    "integer": "BIGINT",
    "number": "DOUBLE PRECISION",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "time": "TIME",
    "year": "INTEGER",
    "yearmonth": "DATE",
}
#: ...and in each database the export knows.
TYPES: dict[str, dict[str, str]] = {
    "postgresql": _STANDARD,
    "duckdb": {**_STANDARD, "string": "VARCHAR", "any": "VARCHAR", "number": "DOUBLE"},
    "sqlite": {**_STANDARD, "integer": "INTEGER", "number": "REAL"},
}


def quoted(name: str) -> str:
    """An identifier as SQL writes it: in double quotes, any double quote doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A constant as SQL writes it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return "'" + value.isoformat() + "'"
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class TableSql:
    """One table's statements: CREATE TABLE, and the comments on it and its columns."""

    name: str
    create: str
    comments: tuple[str, ...]
    #: Foreign keys left out, each with why (a reference to fields that are not a key).
    unenforced: tuple[str, ...]


def table_sql(schema: TableSchema, database: str, schemas: dict[str, TableSchema]) -> TableSql:
    """The CREATE TABLE of a table: typed columns, NOT NULL for required fields, CHECK for
    enums, UNIQUE, the primary key, and foreign keys to tables with that key."""
    types = TYPES[database]
    lines = [_column(f, types[f.type] if f.type in types else types["any"]) for f in schema.fields]
    if schema.primary_key:
        lines.append(f"PRIMARY KEY ({_names(schema.primary_key)})")
    unenforced: list[str] = []
    for fk in schema.foreign_keys:
        target = schemas.get(fk.resource or schema.name)
        to = f"{fk.resource or schema.name}({','.join(fk.reference_fields)})"
        shown = f"{schema.name}({','.join(fk.fields)}) -> {to}"
        if target is None:
            unenforced.append(f"{shown}: {fk.resource} is not exported")
            continue
        if not _is_key(target, fk.reference_fields):
            unenforced.append(f"{shown}: the referenced fields are not a primary key or unique")
            continue
        lines.append(
            f"FOREIGN KEY ({_names(fk.fields)}) REFERENCES {quoted(target.name)} "
            f"({_names(fk.reference_fields)})"
        )
    body = ",\n  ".join(lines)
    create = f"CREATE TABLE {quoted(schema.name)} (\n  {body}\n)"
    comments: list[str] = []
    if database != "sqlite":  # SQLite keeps no comments
        if schema.description:
            comments.append(
                f"COMMENT ON TABLE {quoted(schema.name)} IS {literal(schema.description)}"
            )
        comments.extend(
            f"COMMENT ON COLUMN {quoted(schema.name)}.{quoted(f.name)} IS {literal(f.description)}"
            for f in schema.fields
            if f.description
        )
    return TableSql(schema.name, create, tuple(comments), tuple(unenforced))


def _column(item: Field, sql_type: str) -> str:
    out = f"{quoted(item.name)} {sql_type}"
    if item.required:
        out += " NOT NULL"
    if item.constraints.get("unique"):
        out += " UNIQUE"
    values = item.constraints.get("enum")
    if values and item.type in ("string", "integer"):
        shown = ", ".join(literal(v if item.type == "string" else int(v)) for v in values)
        out += f" CHECK ({quoted(item.name)} IN ({shown}))"
    return out


def _names(names: Iterable[str]) -> str:
    return ", ".join(quoted(n) for n in names)


def _is_key(schema: TableSchema, fields: tuple[str, ...]) -> bool:
    if tuple(fields) == tuple(schema.primary_key):
        return True
    if len(fields) == 1:
        return any(f.name == fields[0] and f.constraints.get("unique") for f in schema.fields)
    return False


def creation_order(schemas: dict[str, TableSchema]) -> list[str]:
    """Table names, each after the tables its foreign keys refer to (ties by name); a
    circle of references is broken at its first name."""
    done: list[str] = []
    pending = sorted(schemas)
    while pending:
        ready = [n for n in pending if _refers_to(schemas, n) <= set(done)] or pending[:1]
        done.append(ready[0])
        pending.remove(ready[0])
    return done


def _refers_to(schemas: dict[str, TableSchema], name: str) -> set[str]:
    targets = {fk.resource or name for fk in schemas[name].foreign_keys}
    return (targets & set(schemas)) - {name}
