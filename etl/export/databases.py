"""The databases a package is exported to, each behind the same small interface: run a
statement, load a table's rows, and end the one transaction the export runs in.

- SQLite, with the standard library's sqlite3 (no server, no dependency);
- DuckDB, with the duckdb package: rows go in as Arrow, no copy through Python;
- PostgreSQL, with psycopg 3: rows go in by COPY, the server's bulk load.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from etl.export.sql import quoted
from etl.report.errors import EnvironmentProblem, UsageError

#: The names a destination is told apart by.
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
DUCKDB_SUFFIXES = (".duckdb", ".ddb")
POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


class Database(Protocol):
    """One open connection, inside the export's transaction."""

    dialect: str

    def execute(self, statement: str) -> None:
        """Run one statement."""

    def load(self, table: str, frame: pl.DataFrame) -> None:
        """Append the frame's rows to the table (same column names)."""

    def commit(self) -> None:
        """End the transaction, keeping what it did."""

    def rollback(self) -> None:
        """End the transaction, undoing what it did."""


def dialect_of(destination: str) -> str:
    """Which database a destination names: a file by its suffix, or a PostgreSQL URL."""
    if destination.startswith(POSTGRESQL_SCHEMES):
        return "postgresql"
    suffix = Path(destination).suffix.lower()
    if suffix in SQLITE_SUFFIXES:
        return "sqlite"
    if suffix in DUCKDB_SUFFIXES:
        return "duckdb"
    raise UsageError(
        f"{destination} is not a database the export knows - give a file ending in "
        f"{', '.join(SQLITE_SUFFIXES)} (SQLite) or {', '.join(DUCKDB_SUFFIXES)} (DuckDB), "
        "or a postgresql:// URL"
    )


def connect(destination: str) -> Database:
    """An open connection to the destination, its transaction begun."""
    dialect = dialect_of(destination)
    if dialect == "postgresql":
        return _Postgres(destination)
    folder = Path(destination).parent
    if not folder.is_dir():
        raise UsageError(f"{folder} does not exist - create it or give another {destination}")
    return _Sqlite(destination) if dialect == "sqlite" else _DuckDb(destination)


class _Sqlite:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA foreign_keys = ON")  # off by default in SQLite
        self.connection.execute("BEGIN IMMEDIATE")

    def execute(self, statement: str) -> None:
        self.connection.execute(statement)

    def load(self, table: str, frame: pl.DataFrame) -> None:
        names = ", ".join(quoted(n) for n in frame.columns)
        marks = ", ".join("?" for _ in frame.columns)
        rows = (tuple(_sqlite_value(v) for v in row) for row in frame.iter_rows())
        self.connection.executemany(f"INSERT INTO {quoted(table)} ({names}) VALUES ({marks})", rows)

    def commit(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        self.connection.close()


def _sqlite_value(value: Any) -> Any:
    """A value as SQLite stores it: dates and times as ISO 8601 text."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


class _DuckDb:
    dialect = "duckdb"

    def __init__(self, path: str) -> None:
        import duckdb

        self.error = duckdb.Error
        self.connection = duckdb.connect(path)
        self.connection.execute("BEGIN TRANSACTION")

    def execute(self, statement: str) -> None:
        self.connection.execute(statement)

    def load(self, table: str, frame: pl.DataFrame) -> None:
        names = ", ".join(quoted(n) for n in frame.columns)
        self.connection.register("etl_export_rows", frame.to_arrow())
        try:
            self.connection.execute(
                f"INSERT INTO {quoted(table)} ({names}) SELECT {names} FROM etl_export_rows"
            )
        finally:
            self.connection.unregister("etl_export_rows")

    def commit(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()

    def rollback(self) -> None:
        with contextlib.suppress(self.error):  # no transaction left to undo
            self.connection.execute("ROLLBACK")
        self.connection.close()


class _Postgres:
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise EnvironmentProblem(
                "exporting to PostgreSQL needs psycopg - pip install 'etl-open-reports[export]'"
            ) from exc
        try:
            self.connection = psycopg.connect(url, connect_timeout=30)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EnvironmentProblem(
                f"cannot connect to the PostgreSQL server: {first} - check the URL and that "
                "the server runs"
            ) from exc

    def execute(self, statement: str) -> None:
        self.connection.execute(statement.encode())

    def load(self, table: str, frame: pl.DataFrame) -> None:
        names = ", ".join(quoted(n) for n in frame.columns)
        with self.connection.cursor() as cursor:
            copy_sql = f"COPY {quoted(table)} ({names}) FROM STDIN"
            with cursor.copy(copy_sql.encode()) as copy:
                for row in frame.iter_rows():
                    copy.write_row(row)

    def commit(self) -> None:
        self.connection.commit()
        self.connection.close()

    def rollback(self) -> None:
        self.connection.rollback()
        self.connection.close()
