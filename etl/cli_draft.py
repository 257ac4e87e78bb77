"""The `etl draft` command: options parsed, etl.build.draft called, its errors made messages."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from etl.cli_common import project_option


@click.command(name="draft")
@click.argument("text", required=False, type=click.Path(path_type=Path))
@click.option("--source-id", default=None, help="Id of the new source (default: the file name).")
@click.option(
    "--language",
    type=click.Choice(["ru", "en"]),
    default=None,
    help="Language of the text (default: ru when most letters are Cyrillic, else en).",
)
@click.option("--url", default=None, help="Where the text was published.")
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Publication date, YYYY-MM-DD (default: a window from the latest date the text names).",
)
@click.option(
    "--rouble",
    type=click.Choice(["BYN", "BYR", "RUB"]),
    default=None,
    help='Which rouble a bare "рублей" means in this source.',
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The draft folder to write, or to accept from (default: drafts/ID of the project).",
)
@click.option(
    "--accept",
    "accept_id",
    default=None,
    metavar="ID",
    help="Append the reviewed draft of source ID to raw/ (and copy its text there).",
)
@project_option
def draft_command(
    text: Path | None,
    source_id: str | None,
    language: str | None,
    url: str | None,
    published: object,
    rouble: str | None,
    out: Path | None,
    accept_id: str | None,
    project: Path,
) -> None:
    """Draft a new source's rows for review, from its text: figures, periods, partners,
    events and waivers, each with how it parses and a suggested indicator.

    Writes drafts/ID/ (never raw/): the text byte for byte, one CSV per raw table and
    review.csv. After review, `etl draft --accept ID` appends the rows to raw/; then run
    `etl check`. Bad input (missing, empty, binary or not UTF-8) exits 2.
    """
    from etl.report.errors import EtlError, UsageError

    try:
        from etl.build.draft_accept import accept, default_folder, summary, write_draft
        from etl.build.settings import Settings

        settings = Settings.for_project(project)
        if accept_id is not None:
            if text is not None:
                raise UsageError("give TEXT to draft, or --accept ID, not both")
            added = accept(settings, out or default_folder(settings, accept_id))
            rows = ", ".join(f"{n} {name}" for name, n in added.items() if n)
            click.echo(f"Accepted {accept_id} into raw/: {rows}. Run `etl check` next.")
            return
        if text is None:
            raise UsageError("give the TEXT file to draft (or --accept ID)")
        from etl.build.draft import draft

        day = published.date() if hasattr(published, "date") else None
        assert day is None or isinstance(day, date)
        found = draft(
            settings,
            text,
            source_id=source_id,
            language=language,
            url=url,
            published=day,
            rouble=rouble,
        )
        folder = write_draft(settings, found, out or default_folder(settings, found.source_id))
    except EtlError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"Error: {exc} - check the path and its permissions", err=True)
        sys.exit(2)
    click.echo(summary(found), nl=False)
    click.echo(f"Wrote {folder}")
