"""The `etl` command: parses options, calls the library, and turns its errors into clean messages.

Heavy libraries (polars, pandera, frictionless) are imported inside the commands, so that
`etl --help` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from etl.findings import Report
    from etl.pipeline import BuildResult

project_option = click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="ETL_PROJECT",
    show_default=True,
    help="The project folder, holding raw/, schemas/ and dist/ (or set ETL_PROJECT).",
)


@click.group()
@click.version_option(package_name="etl-open-reports")
def main() -> None:
    """Turn figures printed in report prose into checked, citable open data (dist/)."""


def _run(project: Path, *, write: bool) -> BuildResult:
    from etl.errors import EtlError
    from etl.pipeline import run
    from etl.settings import Settings

    try:
        return run(Settings.for_project(project), write=write)
    except EtlError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)


def _print_findings(report: Report) -> None:
    for finding in report:
        click.echo(finding.render(), err=True)


def _summary(result: BuildResult) -> str:
    rows = sum(frame.height for frame in result.tables.values())
    report = result.report
    return (
        f"{len(result.tables)} tables, {rows} rows; "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings"
    )


@main.command()
@project_option
def build(project: Path) -> None:
    """Run every stage and publish dist/ (CSV, Parquet, datapackage.json, README.md).

    Nothing is written when any error is found: dist/ is then left exactly as it was.
    """
    result = _run(project, write=True)
    _print_findings(result.report)
    if not result.report.ok:
        click.echo(
            f"Build failed: {len(result.report.errors)} errors; dist/ is unchanged.", err=True
        )
        sys.exit(1)
    click.echo(f"Built dist/: {_summary(result)}")


@main.command()
@project_option
def check(project: Path) -> None:
    """Run every stage and every check, but write nothing."""
    result = _run(project, write=False)
    _print_findings(result.report)
    if not result.report.ok:
        click.echo(f"Check failed: {len(result.report.errors)} errors.", err=True)
        sys.exit(1)
    click.echo(f"Check passed: {_summary(result)}")
