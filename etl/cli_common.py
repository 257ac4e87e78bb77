"""What the `etl` commands share: the --project option, and the library's errors made one
line and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

T = TypeVar("T")

project_option = click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    envvar="ETL_PROJECT",
    show_default=True,
    help="The project folder, holding raw/, schemas/ and dist/ (or set ETL_PROJECT).",
)


def call(function: Callable[[], T]) -> T:
    """The library's answer, or its error as one line and its exit code (2 for the OS's)."""
    from etl.report.errors import EtlError

    try:
        return function()
    except EtlError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"Error: {exc} - check the path and its permissions", err=True)
        sys.exit(2)
