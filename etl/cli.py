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

FORMAT_CHOICES = ("text", "json", "junit", "github")

project_option = click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="ETL_PROJECT",
    show_default=True,
    help="The project folder, holding raw/, schemas/ and dist/ (or set ETL_PROJECT).",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default="text",
    show_default=True,
    help="Report as text, JSON, JUnit XML or GitHub Actions annotations.",
)
output_option = click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors."
)


@click.group()
@click.version_option(package_name="etl-open-reports")
def main() -> None:
    """Turn figures printed in report prose into checked, citable open data (dist/)."""


def _run(project: Path, *, write: bool, strict: bool) -> BuildResult:
    from etl.errors import EtlError
    from etl.pipeline import run
    from etl.settings import Settings

    try:
        return run(Settings.for_project(project), write=write, strict=strict)
    except EtlError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)


def _emit(report: Report, fmt: str, output: Path | None, strict: bool) -> None:
    """Write the rendered report to the output file, or to standard output."""
    from etl.render import render

    text = render(report, fmt, strict=strict)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            click.echo(f"Error: cannot write the report to {output}: {exc.strerror}", err=True)
            sys.exit(2)
    elif text:
        click.echo(text, nl=False)


def _summary(result: BuildResult) -> str:
    rows = sum(frame.height for frame in result.tables.values())
    report = result.report
    return (
        f"{len(result.tables)} tables, {rows} rows; "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings"
    )


def _finish(
    result: BuildResult, fmt: str, output: Path | None, strict: bool, verbs: tuple[str, str]
) -> None:
    """Report, then a one-line verdict (on standard error for machine formats) and the exit.

    `verbs` name the outcome: (on success, on failure).
    """
    from etl.render import failed

    _emit(result.report, fmt, output, strict)
    machine = fmt != "text" and output is None
    if failed(result.report, strict=strict):
        errors, warnings = len(result.report.errors), len(result.report.warnings)
        counted = f"{errors} errors" + (f", {warnings} warnings (--strict)" if strict else "")
        click.echo(f"{verbs[1]}: {counted}.", err=True)
        sys.exit(1)
    click.echo(f"{verbs[0]}: {_summary(result)}", err=machine)


@main.command()
@project_option
@format_option
@output_option
@strict_option
def build(project: Path, fmt: str, output: Path | None, strict: bool) -> None:
    """Run every stage and check, and publish dist/ (CSV, Parquet, datapackage.json, README.md).

    Nothing is written when any error (with --strict, any warning) is found: dist/ is then left
    exactly as it was. Exit 0 when published, 1 on data errors, 2 on usage or environment errors.
    """
    result = _run(project, write=True, strict=strict)
    _finish(result, fmt, output, strict, ("Built dist/", "Build failed, dist/ is unchanged"))


@main.command()
@project_option
@format_option
@output_option
@strict_option
def check(project: Path, fmt: str, output: Path | None, strict: bool) -> None:
    """Run every stage and every check, but write nothing.

    Exit 0 when clean (warnings allowed unless --strict), 1 on errors, 2 on usage or
    environment errors.
    """
    result = _run(project, write=False, strict=strict)
    _finish(result, fmt, output, strict, ("Check passed", "Check failed"))
