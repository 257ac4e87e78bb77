"""Rows that cite their source besides figures: programme statements, events and waivers.

Everything typed by hand that the text states is found, as printed, inside the row's quote:
statuses and fields, each programme a statement or an event names (by its name_ru), each
event date and partner name, each waived number.
"""

from __future__ import annotations

from typing import Any

from etl.build.cite import Citer
from etl.build.partner_tables import resolve_partner
from etl.build.tables import blank
from etl.report.catalogue import PERIOD_ERROR
from etl.tableschema.table import Table
from etl.text.partners import Partner, PartnerResolver
from etl.text.periods import parse_period
from etl.text.quotes import Span


def _programme_cited(
    table: Table,
    row: int,
    r: dict[str, Any],
    quote: Span,
    citer: Citer,
    programmes: dict[str, str],
) -> bool:
    """The row's programme, by its name_ru in raw/programmes.csv, stands in its quote."""
    if blank(r["programme_id"]) or r["programme_id"] not in programmes:
        return True  # no programme, or an unknown id (a foreign-key finding already)
    name = programmes[r["programme_id"]]
    what = f"the name of programme {r['programme_id']!r}, {name!r},"
    found = citer.inside(table, row, "programme_id", r["source_id"], quote, name, what=what)
    return found is not None


def statements(table: Table, citer: Citer, programmes: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of the published programme_statements."""
    out = []
    for row, r in table.records():
        if r["source_id"] not in citer.texts:
            continue  # its source has its own finding
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if quote is None or not _programme_cited(table, row, r, quote, citer, programmes):
            continue
        for column in ("status_as_printed", "field_as_printed"):
            if not blank(r[column]):
                citer.inside(table, row, column, r["source_id"], quote, r[column])
        out.append(
            {
                **{
                    k: r[k]
                    for k in (
                        "statement_id",
                        "source_id",
                        "programme_id",
                        "status",
                        "status_as_printed",
                        "field_as_printed",
                        "field_en",
                    )
                },
                "quote": citer.text(r["source_id"], quote),
                "quote_start": quote.start,
                "quote_end": quote.end,
            }
        )
    return out


def events(
    table: Table,
    citer: Citer,
    resolver: PartnerResolver | None,
    partners: dict[str, Partner],
    programmes: dict[str, str],
    languages: dict[str, str],
) -> list[dict[str, Any]]:
    """Rows of the published events; each date is read in its source's language (by
    source id in `languages`), each partner named is resolved once it is cited."""
    errors = citer.errors
    out = []
    for row, r in table.records():
        if r["source_id"] not in citer.texts:
            continue  # its source has its own finding
        language = languages[r["source_id"]]
        period = errors.attempt(
            table, row, "date", PERIOD_ERROR, parse_period, r["date"], language=language
        )
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if period is None or quote is None:
            continue
        date = citer.inside(table, row, "date", r["source_id"], quote, r["date"])
        if date is None:
            continue
        reason = r["same_span_reason"]
        cited = citer.claim(table, row, "date", "date", r["source_id"], date, r["event_id"], reason)
        cited = _programme_cited(table, row, r, quote, citer, programmes) and cited
        partner_id = None
        if not blank(r["partner_as_printed"]):
            name = r["partner_as_printed"]
            column = "partner_as_printed"
            if citer.inside(table, row, column, r["source_id"], quote, name) is None:
                continue
            partner_id = resolve_partner(resolver, name, partners, table, row, column, errors)
        if not cited:
            continue
        out.append(
            {
                "event_id": r["event_id"],
                "source_id": r["source_id"],
                "date_as_printed": r["date"],
                "period_kind": str(period.kind),
                "start_date": period.start,
                "end_date": period.end,
                "description_en": r["description_en"],
                "programme_id": r["programme_id"],
                "partner_id": partner_id,
                "quote": citer.text(r["source_id"], quote),
                "quote_start": quote.start,
                "quote_end": quote.end,
            }
        )
    return out


def waivers(table: Table, citer: Citer) -> list[dict[str, Any]]:
    """Rows of the published waivers: numbers of a source that are not figures."""
    out = []
    for row, r in table.records():
        if r["source_id"] not in citer.texts:
            continue  # its source has its own finding
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if quote is None:
            continue
        span = citer.inside(table, row, "number", r["source_id"], quote, r["number"])
        if span is None:
            continue
        row_id = f"{r['number']} at {span.start}"
        if not citer.claim(table, row, "number", "number", r["source_id"], span, row_id):
            continue
        out.append(
            {
                "source_id": r["source_id"],
                "number": r["number"],
                "reason": r["reason"],
                "quote": citer.text(r["source_id"], quote),
                "number_start": span.start,
                "number_end": span.end,
            }
        )
    return out
