"""Tests for `etl export`: the package loaded into SQLite, DuckDB and a real PostgreSQL
server, with its types, keys, comments and views, in one transaction."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner
from postgres import postgres_database, postgres_url  # noqa: F401 - fixtures

from etl.cli import main
from etl.export.export import read_views
from etl.export.sql import TYPES

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
PAIR = Path(__file__).resolve().parent / "data" / "export" / "pair"
ORPHAN = PAIR.parent / "orphan"
VIEWS = read_views(ROOT / "schemas" / "views.yaml")


def export(*args: str) -> Any:
    """`etl export ARGS` run from the project folder."""
    return CliRunner().invoke(main, ["export", "--project", str(ROOT), *args])


def csv_resources() -> dict[str, dict[str, Any]]:
    """The CSV resources of dist/datapackage.json, by name."""
    descriptor = json.loads((DIST / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r for r in descriptor["resources"] if r.get("format") == "csv"}


def parquet_counts() -> dict[str, int]:
    """Rows of each published table, read from its Parquet file by DuckDB."""
    out = {}
    for name, resource in csv_resources().items():
        parquet = DIST / resource["path"].replace(".csv", ".parquet")
        out[name] = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchall()[0][0]
    return out


def parquet_view_rows(sql: str) -> list[tuple[Any, ...]]:
    """A view's query run by DuckDB over the Parquet files, its rows sorted."""
    connection = duckdb.connect()
    for name, resource in csv_resources().items():
        parquet = DIST / resource["path"].replace(".csv", ".parquet")
        connection.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{parquet}')")
    return sorted(connection.sql(sql).fetchall(), key=repr)


def declared_types(dialect: str) -> dict[tuple[str, str], str]:
    """The SQL type each published field must have, by (table, column)."""
    out = {}
    for name, resource in csv_resources().items():
        for item in resource["schema"]["fields"]:
            out[(name, item["name"])] = TYPES[dialect][item["type"]]
    return out


def test_project_to_sqlite_has_every_table_row_and_view(tmp_path: Path) -> None:
    """Every published table with its Parquet row count, typed columns and both views."""
    target = tmp_path / "open.sqlite"
    result = export(str(target))
    counts = parquet_counts()
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Exported {len(counts)} tables ({sum(counts.values())} rows) and {len(VIEWS)} views "
        f"to {target}\n"
    )
    with sqlite3.connect(target) as connection:
        for name, count in counts.items():
            assert connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == count
        types = {
            (name, row[1]): row[2]
            for name in counts
            for row in connection.execute(f'PRAGMA table_info("{name}")')
        }
        assert types == declared_types("sqlite")
        for view in VIEWS:
            rows = sorted(connection.execute(view.sql).fetchall(), key=repr)
            assert len(rows) == len(parquet_view_rows(view.sql)) > 0


def test_project_to_duckdb_matches_the_parquet(tmp_path: Path) -> None:
    """DuckDB gets the declared types, the column comments, and views that return the
    same rows as their query over the Parquet files."""
    target = tmp_path / "open.duckdb"
    assert export(str(target)).exit_code == 0
    connection = duckdb.connect(str(target))
    types = {
        (t, c): d
        for t, c, d in connection.sql(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name NOT IN "
            "(SELECT view_name FROM duckdb_views())"
        ).fetchall()
    }
    assert types == declared_types("duckdb")
    comment = connection.sql(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'figures' "
        "AND column_name = 'figure_id'"
    ).fetchall()[0]
    field = csv_resources()["figures"]["schema"]["fields"][0]
    assert comment == (field["description"],)
    for view in VIEWS:
        ours = sorted(connection.sql(f'SELECT * FROM "{view.name}"').fetchall(), key=repr)
        assert ours == parquet_view_rows(view.sql)


def test_sqlite_refuses_a_row_that_breaks_a_foreign_key(tmp_path: Path) -> None:
    """Foreign keys are constraints: an orphan figure_partners row is refused."""
    target = tmp_path / "open.sqlite"
    assert export(str(target)).exit_code == 0
    with sqlite3.connect(target) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
            connection.execute(
                "INSERT INTO figure_partners (figure_id, position, partner_id, name_as_printed) "
                "VALUES ('no-such-figure', 1, 'DEU', 'x')"
            )


def test_any_package_with_enum_required_and_keys(tmp_path: Path) -> None:
    """A package that is not ours: an enum is a CHECK, required is NOT NULL, keys hold."""
    target = tmp_path / "pair.db"
    result = export(str(PAIR / "datapackage.json"), str(target))
    assert result.exit_code == 0, result.output
    assert result.output == f"Exported 2 tables (4 rows) and 0 views to {target}\n"
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT * FROM amounts ORDER BY year").fetchall() == [
            ("BY", 2020, 1.5),
            ("EU", 2021, None),
        ]
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            connection.execute("INSERT INTO places VALUES ('UA', 'city')")
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL constraint failed"):
            connection.execute("INSERT INTO places VALUES (NULL, 'country')")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
            connection.execute("INSERT INTO amounts VALUES ('BY', 2020, 3)")


def test_an_invalid_package_is_not_exported(tmp_path: Path) -> None:
    """A package with errors exits 1 with its findings and writes no database."""
    target = tmp_path / "orphan.sqlite"
    result = export(str(ORPHAN / "datapackage.json"), str(target))
    assert result.exit_code == 1
    assert "[foreign-key]" in result.output
    assert result.output.splitlines()[-1] == "Not exported: the package has 1 errors."
    assert not target.exists()


def test_a_table_without_a_schema_is_not_exported(tmp_path: Path) -> None:
    """A table whose schema etl validate would infer: exit 2 saying to add one, no database."""
    (tmp_path / "t.csv").write_text("a,b\n1,x\n")
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [{"name": "t", "path": "t.csv"}]}))
    target = tmp_path / "t.sqlite"
    result = export(str(descriptor), str(target))
    assert result.exit_code == 2
    assert "resource 't' has no schema, so its table's columns are not known - add a schema" in (
        result.output
    )
    assert not target.exists()


def test_a_failed_export_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    """A view the database refuses undoes the whole export: the tables of the previous
    export are still there, with their rows."""
    target = tmp_path / "pair.sqlite"
    assert export(str(PAIR / "datapackage.json"), str(target)).exit_code == 0
    bad = tmp_path / "views.yaml"
    bad.write_text(
        "views:\n  - {name: broken, description: refused, sql: SELECT absent FROM nowhere}\n",
        encoding="utf-8",
    )
    result = export(
        str(ORPHAN.parent / "pair" / "datapackage.json"), str(target), "--views", str(bad)
    )
    assert result.exit_code == 2
    assert result.output == (
        "Error: the database refused the export (no such table: main.nowhere) - nothing "
        "was changed\n"
    )
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT count(*) FROM places").fetchone() == (2,)
        names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
        assert names.fetchall() == []


@pytest.mark.parametrize(
    ("destination", "message"),
    [
        (
            "open.xlsx",
            "Error: open.xlsx is not a database the export knows - give a file ending in "
            ".sqlite, .sqlite3, .db (SQLite) or .duckdb, .ddb (DuckDB), or a postgresql:// URL\n",
        ),
        (
            "no-such-folder/open.sqlite",
            "Error: no-such-folder does not exist - create it or give another "
            "no-such-folder/open.sqlite\n",
        ),
    ],
)
def test_a_destination_it_cannot_use_is_exit_2(destination: str, message: str) -> None:
    """A destination of unknown kind, or in a missing folder: one line, exit 2."""
    result = export(destination)
    assert (result.exit_code, result.output) == (2, message)


def test_the_project_views_file_is_checked(tmp_path: Path) -> None:
    """A view without its SQL is a declaration error naming it, exit 2."""
    bad = tmp_path / "views.yaml"
    bad.write_text("views:\n  - {name: v, description: d}\n", encoding="utf-8")
    result = export(str(tmp_path / "x.sqlite"), "--views", str(bad))
    assert (result.exit_code, result.output) == (
        2,
        f"Error: {bad}: views[1]: sql must be a non-empty string\n",
    )


def test_postgresql_types_keys_comments_and_views(postgres_database: str) -> None:  # noqa: F811
    """A real PostgreSQL server: row counts, column types from information_schema, a
    comment, an orphan refused by the foreign key, views equal to DuckDB over Parquet."""
    import psycopg

    result = export(postgres_database)
    assert result.exit_code == 0, result.output
    counts = parquet_counts()
    with psycopg.connect(postgres_database) as connection:
        for name, count in counts.items():
            assert connection.execute(f'SELECT count(*) FROM "{name}"'.encode()).fetchone() == (
                count,
            )
        rows = connection.execute(
            b"SELECT table_name, column_name, upper(data_type) FROM information_schema.columns "
            b"WHERE table_schema = 'public' AND table_name IN "
            b"(SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')"
        ).fetchall()
        shown = {"TIMESTAMP": "TIMESTAMP WITHOUT TIME ZONE", "TIME": "TIME WITHOUT TIME ZONE"}
        expected = {k: shown.get(v, v) for k, v in declared_types("postgresql").items()}
        assert {(t, c): d for t, c, d in rows} == expected
        field = csv_resources()["figures"]["schema"]["fields"][0]
        comment = connection.execute(b"SELECT col_description('figures'::regclass, 1)").fetchone()
        assert comment == (field["description"],)
        for view in VIEWS:
            ours = connection.execute(f'SELECT * FROM "{view.name}"'.encode()).fetchall()
            assert sorted(ours, key=repr) == parquet_view_rows(view.sql)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            connection.execute(
                b"INSERT INTO figure_partners (figure_id, position, partner_id, name_as_printed) "
                b"VALUES ('no-such-figure', 1, 'DEU', 'x')"
            )


def test_postgresql_rerun_replaces_and_failure_changes_nothing(
    postgres_database: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Exporting twice gives the same rows once; a refused export leaves them as they were."""
    import psycopg

    pair = str(PAIR / "datapackage.json")
    assert export(pair, postgres_database).exit_code == 0
    assert export(pair, postgres_database).exit_code == 0
    bad = tmp_path / "views.yaml"
    bad.write_text("views:\n  - {name: v, description: d, sql: SELECT * FROM nowhere}\n")
    result = export(pair, postgres_database, "--views", str(bad))
    assert result.exit_code == 2
    assert result.output.startswith("Error: the database refused the export (relation ")
    with psycopg.connect(postgres_database) as connection:
        assert connection.execute(b"SELECT code, kind FROM places ORDER BY code").fetchall() == [
            ("BY", "country"),
            ("EU", "union"),
        ]


def test_a_chosen_resource_keeps_its_keys_checked_and_says_what_it_leaves(tmp_path: Path) -> None:
    """--resource exports one table; the package is still validated whole, and each
    foreign key into a table left out is a warning, not a constraint."""
    target = tmp_path / "amounts.sqlite"
    result = CliRunner().invoke(
        main, ["export", str(PAIR / "datapackage.json"), str(target), "--resource", "amounts"]
    )
    assert result.exit_code == 0
    assert result.stdout == f"Exported 1 tables (2 rows) and 0 views to {target}\n"
    assert result.stderr == (
        "Warning: foreign key amounts(place) -> places(code): places is not exported; it is "
        "not a constraint in the database\n"
    )
    orphan = CliRunner().invoke(
        main,
        [
            "export",
            str(ORPHAN / "datapackage.json"),
            str(tmp_path / "o.db"),
            "--resource",
            "amounts",
        ],
    )
    assert orphan.exit_code == 1
