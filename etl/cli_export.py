"""The `etl export` command: options parsed, etl.export called, its errors made messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from etl.cli_common import call, project_option

if TYPE_CHECKING:
    from etl.export.export import Exported


@click.command(name="export")
@click.argument("targets", nargs=-1, required=True, metavar="[PACKAGE] DEST")
@click.option(
    "--views",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A YAML file of views to make (default: the project's schemas/views.yaml when "
    "PACKAGE is not given; none otherwise).",
)
@click.option(
    "--resource",
    "resources",
    multiple=True,
    help="Export only this resource (repeat for more; default: all, or for the project's "
    "dist/ its CSV resources, as the Parquet ones hold the same rows).",
)
@click.option("--allow-remote", is_flag=True, help="Fetch resources given as http(s) URLs.")
@project_option
def export_command(
    targets: tuple[str, ...],
    views: Path | None,
    resources: tuple[str, ...],
    allow_remote: bool,
    project: Path,
) -> None:
    """Load a data package into a database: a SQLite (.sqlite, .db) or DuckDB (.duckdb)
    file, or a postgresql:// URL.

    PACKAGE is any datapackage.json with Table Schemas (default: dist/datapackage.json of
    --project, with the project's views). The package is validated first and not exported
    when it has errors (exit 1). Its tables, and the views, are replaced in one
    transaction: a failure leaves the database as it was (exit 2).
    """
    from etl.report.render import render

    if len(targets) > 2:
        raise click.UsageError("give at most PACKAGE and DEST")
    package = targets[0] if len(targets) == 2 else str(project / "dist" / "datapackage.json")
    destination = targets[-1]
    if views is None and len(targets) == 1:
        views = project / "schemas" / "views.yaml"

    def run() -> Exported:
        from etl.tableschema.pandera_import import load_polars_only

        load_polars_only()
        from etl.export.export import export, read_views

        declared = read_views(views) if views is not None else []
        ours = len(targets) == 1 and not resources
        return export(
            package,
            destination,
            declared,
            resources=resources or None,
            formats={"csv"} if ours else None,
            allow_remote=allow_remote,
        )

    done = call(run)
    if done.report.errors:
        click.echo(render(done.report, "text"), nl=False)
        click.echo(f"Not exported: the package has {len(done.report.errors)} errors.", err=True)
        sys.exit(1)
    for note in done.unenforced:
        click.echo(f"Warning: foreign key {note}; it is not a constraint in the database", err=True)
    rows = sum(done.rows.values())
    click.echo(
        f"Exported {len(done.rows)} tables ({rows} rows) and {len(done.views)} views to "
        f"{destination}"
    )
