"""The `etl` command: parses options, calls the library, and turns its errors into clean messages.

Heavy libraries (polars, pandera, frictionless) are imported inside the commands, so that
`etl --help` answers at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from etl.cli_common import ProgressBar as _ProgressBar
from etl.cli_common import call as _call
from etl.cli_common import (
    max_record_bytes_option,
    pattern_timeout_option,
    project_option,
    return_freed_memory,
)

if TYPE_CHECKING:
    from etl.build.pipeline import BuildResult
    from etl.report.findings import Report

FORMAT_CHOICES = ("text", "json", "junit", "github")

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
strict_option = click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")


class _Command(click.Group):
    """The `etl` group: Ctrl-C exits 130 and a closed pipe exits quietly, as shell tools do."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes
            sys.exit(141)  # 128 + SIGPIPE


@click.group(cls=_Command)
@click.version_option(package_name="etl-open-reports")
def main() -> None:
    """Turn figures printed in report prose into checked, citable open data (dist/)."""
    return_freed_memory()


def _run(project: Path, *, write: bool, strict: bool) -> BuildResult:
    from etl.report.errors import EtlError
    from etl.tableschema.pandera_import import load_polars_only

    load_polars_only()
    from etl.build.pipeline import run
    from etl.build.settings import Settings

    progress = _ProgressBar(sys.stderr)
    verb = "etl build" if write else "etl check"
    try:
        return run(
            Settings.for_project(project),
            write=write,
            strict=strict,
            stage=lambda name: progress.show(f"{verb}: {name}"),
        )
    except EtlError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        where = exc.filename or "a project file"
        click.echo(
            f"Error: cannot read {where}: {exc.strerror or exc} - check that it exists and "
            "that you may read it",
            err=True,
        )
        sys.exit(2)
    finally:
        progress.clear()


def _check_output(output: Path | None) -> None:
    """Exit 2 before any work when the report could not be written where asked."""
    if output is None:
        return
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        click.echo(
            f"Error: cannot write the report to {output}: {folder} is not a folder", err=True
        )
        sys.exit(2)


def _emit(report: Report, fmt: str, output: Path | None, strict: bool) -> None:
    """Write the rendered report, as it is made, to the output file or standard output."""
    from etl.report.render import render_chunks

    chunks = render_chunks(report, fmt, strict=strict)
    if output is not None:
        try:
            with output.open("w", encoding="utf-8") as handle:
                handle.writelines(chunks)
        except OSError as exc:
            click.echo(f"Error: cannot write the report to {output}: {exc.strerror}", err=True)
            sys.exit(2)
    else:
        sys.stdout.writelines(chunks)
        sys.stdout.flush()


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
    from etl.report.render import failed

    _emit(result.report, fmt, output, strict)
    machine = fmt != "text" and output is None
    if result.written and failed(result.report, strict=strict):
        warnings = len(result.report.warnings)
        click.echo(f"Built dist/, with {warnings} warnings (--strict fails on them).", err=True)
        sys.exit(1)
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
    _check_output(output)
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
    _check_output(output)
    result = _run(project, write=False, strict=strict)
    _finish(result, fmt, output, strict, ("Check passed", "Check failed"))


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=str))
@project_option
@click.option(
    "--schema",
    "schema",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Table Schema (JSON or YAML) for PATH when it is a single CSV or Parquet file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "github"]),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Print at most N findings, then one line saying how many more there are.",
)
@click.option("--allow-remote", is_flag=True, help="Fetch resources given as http(s) URLs.")
@click.option(
    "--remote-max-bytes",
    type=click.IntRange(min=1),
    help="Refuse a remote resource larger than this (default 1 GiB; ETL_REMOTE_MAX_BYTES).",
)
@click.option(
    "--remote-timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a remote resource may take to fetch (default 300; ETL_REMOTE_TIMEOUT).",
)
@click.option(
    "--decompressed-max-bytes",
    type=click.IntRange(min=1),
    help="Refuse a compressed resource expanding past this (default 1 GiB; "
    "ETL_DECOMPRESSED_MAX_BYTES).",
)
@max_record_bytes_option
@pattern_timeout_option
@output_option
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
def validate(
    path: str | None,
    project: Path,
    schema: Path | None,
    fmt: str,
    output: Path | None,
    limit: int | None,
    allow_remote: bool,
    remote_max_bytes: int | None,
    remote_timeout: float | None,
    decompressed_max_bytes: int | None,
    max_record_bytes: int | None,
    pattern_timeout: float | None,
    strict: bool,
) -> None:
    """Check any Frictionless data package, or one CSV or Parquet file with --schema.

    PATH is a datapackage.json or .yaml, a zip holding one, or a resource descriptor
    (*.resource.json or .yaml) (default: dist/datapackage.json of --project).
    Findings use frictionless' error types and row numbers; every kind is listed in
    docs/finding-kinds.md. Exit 0 when valid, 1 when there are findings, 2 when the package
    cannot be read.
    """
    limits = {
        "ETL_REMOTE_MAX_BYTES": remote_max_bytes,
        "ETL_REMOTE_TIMEOUT": remote_timeout,
        "ETL_DECOMPRESSED_MAX_BYTES": decompressed_max_bytes,
        "ETL_MAX_RECORD_BYTES": max_record_bytes,
        "ETL_PATTERN_TIMEOUT": pattern_timeout,
    }
    _check_output(output)
    with _environment(limits):  # the library reads its limits from one place
        _validate(path, project, schema, fmt, output, limit, allow_remote, strict)


def _validate(
    path: str | None,
    project: Path,
    schema: Path | None,
    fmt: str,
    output: Path | None,
    limit: int | None,
    allow_remote: bool,
    strict: bool,
) -> None:
    """The body of `etl validate`, its limits set."""
    from etl.report.render import failed
    from etl.tableschema.pandera_import import polars_only_when_imported

    polars_only_when_imported()
    from etl.tableschema.engine import validate_file, validate_package

    progress = _ProgressBar(sys.stderr)
    target = path or str(project / "dist" / "datapackage.json")
    if Path(target).suffix.lower() in (".csv", ".tsv", ".parquet", ".pq"):
        if schema is None:
            raise click.UsageError(f"{target} is a single file - give its --schema")
        report = _call(lambda: validate_file(Path(target), schema, limit=limit, progress=progress))
    elif schema is not None:
        raise click.UsageError("--schema is for a single CSV or Parquet file, not a package")
    else:
        report = _call(
            lambda: validate_package(
                target, limit=limit, allow_remote=allow_remote, progress=progress
            )
        )
    progress.clear()
    _emit(report, fmt, output, strict)
    if failed(report, strict=strict):
        if fmt == "text":
            click.echo(
                f"Invalid: {len(report.errors)} errors, {len(report.warnings)} warnings.", err=True
            )
        sys.exit(1)
    if fmt == "text":
        click.echo(f"Valid: {len(report.warnings)} warnings.", err=True)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", required=False, type=click.Path(path_type=Path))
@project_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Print the difference as text, JSON or Markdown.",
)
@click.option(
    "--decompressed-max-bytes",
    type=click.IntRange(min=1),
    help="Refuse a zip or compressed resource expanding past this (default 1 GiB; "
    "ETL_DECOMPRESSED_MAX_BYTES).",
)
@max_record_bytes_option
@pattern_timeout_option
def diff(
    old: Path,
    new: Path | None,
    project: Path,
    fmt: str,
    decompressed_max_bytes: int | None,
    max_record_bytes: int | None,
    pattern_timeout: float | None,
) -> None:
    """Show what changed from the data package OLD to NEW, per table by primary key.

    OLD and NEW are Frictionless data packages: folders holding datapackage.json, the
    descriptors themselves, or zips of them (NEW defaults to dist/ of --project); a zip is
    extracted, or refused, as etl validate extracts one. Reported: tables and fields added
    or removed, and rows added, removed or changed (each changed field with its old and new
    value); a table without the same primary key in both is compared row by row, and the
    output says so. Exit 0 when equal, 1 when different, 2 when a package cannot be read, is
    invalid or is a zip refused.
    """
    from etl.tableschema.pandera_import import load_polars_only

    load_polars_only()
    from etl.tableschema.diff import diff_packages
    from etl.tableschema.diff_render import render_diff

    limits = {
        "ETL_DECOMPRESSED_MAX_BYTES": decompressed_max_bytes,
        "ETL_MAX_RECORD_BYTES": max_record_bytes,
        "ETL_PATTERN_TIMEOUT": pattern_timeout,
    }
    with _environment(limits):  # the packages are read as etl validate reads them
        difference = _call(lambda: diff_packages(old, new or project / "dist"))
    click.echo(render_diff(difference, fmt), nl=False)
    sys.exit(1 if difference.differs else 0)


@main.command()
@project_option
@click.option(
    "--decompressed-max-bytes",
    type=click.IntRange(min=1),
    help="Refuse a previous release's zip expanding past this (default 1 GiB; "
    "ETL_DECOMPRESSED_MAX_BYTES).",
)
def release(project: Path, decompressed_max_bytes: int | None) -> None:
    """Zip dist/ into releases/NAME-VERSION.zip and append its changes to CHANGELOG.md.

    The zip is deterministic (sorted files, fixed times and modes): the same package gives
    the same bytes. The CHANGELOG.md entry is `etl diff --format markdown` against the
    previous release's zip, or says it is the first. Releasing a version again with the same
    contents changes nothing; with other contents it is refused (exit 2): raise the version.
    The previous release's zip is extracted as etl diff extracts one, within the same cap.
    """
    from etl.tableschema.pandera_import import load_polars_only

    load_polars_only()
    from etl.build.release import make_release
    from etl.build.settings import Settings

    settings = _call(lambda: Settings.for_project(project))
    with _environment({"ETL_DECOMPRESSED_MAX_BYTES": decompressed_max_bytes}):
        made = _call(lambda: make_release(settings))
    where = made.zip_path.relative_to(settings.root).as_posix()
    if not made.created:
        click.echo(f"{where} is already released with these contents: nothing to do.")
        return
    since = f"changes since {made.previous.name}" if made.previous is not None else "first release"
    click.echo(f"Released {where} (SHA-256 {made.sha256}); CHANGELOG.md: {since}.")


@contextlib.contextmanager
def _environment(values: Mapping[str, object]) -> Iterator[None]:
    """The environment with `values` set (those not None), for the length of the block."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update({name: str(v) for name, v in values.items() if v is not None})
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


from etl.cli_draft import draft_command  # noqa: E402 - commands of their own modules
from etl.cli_export import export_command  # noqa: E402

main.add_command(export_command)
main.add_command(draft_command)
