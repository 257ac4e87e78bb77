"""Stage 3, transform: validated raw tables and source texts into the published tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from etl.build.cite import Citer
from etl.build.derive import derived_table
from etl.build.load import SourceText
from etl.build.partner_tables import (
    figure_partners_table,
    partner_resolver,
    partners_table,
    resolve_partner,
)
from etl.build.tables import CellErrors, blank, frame_of
from etl.report.catalogue import FIGURE_ERROR, PERIOD_ERROR, UNIT_ERROR
from etl.report.findings import Finding
from etl.tableschema.model import TableSchema
from etl.tableschema.table import Table
from etl.text.figures import Figure, parse_figure
from etl.text.partners import Partner, PartnerResolver
from etl.text.periods import Period, parse_period
from etl.text.quotes import Span


@dataclass
class Transformed:
    """What the transform stage gives: the published tables (all but `checks`), its
    findings, the spans of the sources cited, and the raw row each published row came from."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    covered: dict[str, list[Span]] = field(default_factory=dict)
    origins: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)


def _dec(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


#: Published table, the raw table its rows come from, and the id column they share.
ORIGINS = (
    ("figures", "figures", "figure_id"),
    ("derived_figures", "derivations", "derived_id"),
    ("programme_statements", "programme_statements", "statement_id"),
    ("events", "events", "event_id"),
    ("indicators", "indicators", "indicator_id"),
    ("sources", "sources", "source_id"),
    ("programmes", "programmes", "programme_id"),
)


def transform(
    raw: dict[str, Table], texts: dict[str, SourceText], schemas: dict[str, TableSchema]
) -> Transformed:
    """Every published table but `checks`, from the validated raw tables and verified texts."""
    out = Transformed()
    for published, name, key in ORIGINS:
        for row, r in raw[name].records():
            out.origins[(published, r[key])] = (raw[name].file, row)
    errors = CellErrors()
    citer = Citer(texts, errors)
    resolver = partner_resolver(raw["partner_aliases"], errors)
    sources = {r["source_id"]: r for _, r in raw["sources"].records()}
    indicators = {r["indicator_id"]: r for _, r in raw["indicators"].records()}
    tables = out.tables
    tables["sources"] = _sources(raw["sources"], texts)
    tables["indicators"] = raw["indicators"].frame
    tables["programmes"] = raw["programmes"].frame
    partners: dict[str, Partner] = {}
    figures: dict[str, Figure] = {}
    rows = _figures(raw["figures"], sources, indicators, citer, figures)
    tables["figures"] = frame_of(rows, schemas["figures"])
    tables["figure_partners"] = figure_partners_table(
        raw["figure_partners"],
        raw["figures"],
        resolver,
        partners,
        errors,
        schemas["figure_partners"],
    )
    tables["programme_statements"] = frame_of(
        _statements(raw["programme_statements"], citer), schemas["programme_statements"]
    )
    events = _events(raw["events"], citer, resolver, partners)
    tables["events"] = frame_of(events, schemas["events"])
    tables["waivers"] = frame_of(_waivers(raw["waivers"], citer), schemas["waivers"])
    tables["derived_figures"] = derived_table(
        raw["derivations"], figures, tables["figures"], errors, schemas["derived_figures"]
    )
    tables["partners"] = partners_table(partners, schemas["partners"])
    out.findings, out.covered = errors.findings, citer.covered
    return out


def _sources(table: Table, texts: dict[str, SourceText]) -> pl.DataFrame:
    frame = table.frame
    return frame.select(
        "source_id",
        "title_ru",
        "title_en",
        "section",
        "language",
        "publisher",
        "published_not_before",
        "published_not_after",
        "url",
        ("raw/" + pl.col("path")).alias("path"),
        "sha256",
        pl.col("source_id")
        .replace_strict({sid: len(t.text) for sid, t in texts.items()}, return_dtype=pl.Int64)
        .alias("characters"),
        "rouble_currency",
        "rouble_note",
        "note",
    )


def _figures(
    table: Table,
    sources: dict[str, dict[str, Any]],
    indicators: dict[str, dict[str, Any]],
    citer: Citer,
    parsed: dict[str, Figure],
) -> list[dict[str, Any]]:
    """Rows of the published figures; each parsed figure is kept in `parsed` by id."""
    errors = citer.errors
    out = []
    for row, r in table.records():
        source = sources[r["source_id"]]
        indicator = indicators[r["indicator_id"]]
        figure = errors.attempt(
            table,
            row,
            "figure",
            FIGURE_ERROR,
            parse_figure,
            r["figure"],
            rouble=source["rouble_currency"],
        )
        period: Period | None = None
        if not blank(r["period"]):
            period = errors.attempt(table, row, "period", PERIOD_ERROR, parse_period, r["period"])
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if figure is None or quote is None:
            continue
        fspan = citer.inside(table, row, "figure", r["source_id"], quote, r["figure"])
        if fspan is None or not citer.whole_figure(
            table, row, r["source_id"], quote, fspan, r["figure"]
        ):
            continue
        if (
            period is not None
            and citer.inside(table, row, "period", r["source_id"], quote, r["period"]) is None
        ):
            continue
        unit = _unit(figure, indicator, table, row, errors)
        if unit is None:
            continue
        parsed[r["figure_id"]] = figure
        bare_rouble = (figure.currency_printed or "").lower().startswith("руб")
        text = citer.texts[r["source_id"]].text
        out.append(
            {
                "figure_id": r["figure_id"],
                "source_id": r["source_id"],
                "indicator_id": r["indicator_id"],
                "figure_as_printed": r["figure"],
                "comparator": str(figure.comparator),
                "value": _dec(figure.value),
                "lower_bound": _dec(figure.lower),
                "lower_inclusive": figure.lower_inclusive,
                "upper_bound": _dec(figure.upper),
                "upper_inclusive": figure.upper_inclusive,
                "multiplier": figure.multiplier,
                "unit": unit,
                "currency": figure.currency,
                "currency_as_printed": figure.currency_printed,
                "currency_note": source["rouble_note"] if bare_rouble else None,
                "period_as_printed": period.printed if period else None,
                "period_kind": str(period.kind) if period else None,
                "period_start": period.start if period else None,
                "period_end": period.end if period else None,
                "partner_list": r["partner_list"],
                "quote": text[quote.start : quote.end],
                "quote_start": quote.start,
                "quote_end": quote.end,
                "figure_start": fspan.start,
                "figure_end": fspan.end,
                "note": r["note"],
            }
        )
    return out


def _unit(
    figure: Figure, indicator: dict[str, Any], table: Table, row: int, errors: CellErrors
) -> str | None:
    """The unit of a figure's value: its currency for money, the indicator's unit otherwise."""
    money = indicator["measure"] == "money"
    if money != (figure.currency is not None):
        need = "needs a currency" if money else "must not have a currency"
        errors.add(
            table,
            row,
            "figure",
            UNIT_ERROR,
            figure.printed,
            problem=f"indicator '{indicator['indicator_id']}' measures {indicator['measure']} "
            f"and {need}",
            hint="fix the figure or the indicator",
        )
        return None
    if figure.currency is not None:
        return figure.currency
    if blank(indicator["unit_en"]):
        errors.add(
            table,
            row,
            "indicator_id",
            UNIT_ERROR,
            indicator["indicator_id"],
            problem=f"indicator '{indicator['indicator_id']}' has no unit_en",
            hint="give it one in raw/indicators.csv",
        )
        return None
    return str(indicator["unit_en"])


def _statements(table: Table, citer: Citer) -> list[dict[str, Any]]:
    out = []
    for row, r in table.records():
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if quote is None:
            continue
        for column in ("status_as_printed", "field_as_printed"):
            if not blank(r[column]):
                citer.inside(table, row, column, r["source_id"], quote, r[column])
        text = citer.texts[r["source_id"]].text
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
                "quote": text[quote.start : quote.end],
                "quote_start": quote.start,
                "quote_end": quote.end,
            }
        )
    return out


def _events(
    table: Table,
    citer: Citer,
    resolver: PartnerResolver | None,
    partners: dict[str, Partner],
) -> list[dict[str, Any]]:
    errors = citer.errors
    out = []
    for row, r in table.records():
        period = errors.attempt(table, row, "date", PERIOD_ERROR, parse_period, r["date"])
        partner_id = None
        if not blank(r["partner_as_printed"]):
            partner_id = resolve_partner(
                resolver,
                r["partner_as_printed"],
                partners,
                table,
                row,
                "partner_as_printed",
                errors,
            )
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if period is None or quote is None:
            continue
        if citer.inside(table, row, "date", r["source_id"], quote, r["date"]) is None:
            continue
        if not blank(r["partner_as_printed"]):
            citer.inside(
                table, row, "partner_as_printed", r["source_id"], quote, r["partner_as_printed"]
            )
        text = citer.texts[r["source_id"]].text
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
                "quote": text[quote.start : quote.end],
                "quote_start": quote.start,
                "quote_end": quote.end,
            }
        )
    return out


def _waivers(table: Table, citer: Citer) -> list[dict[str, Any]]:
    out = []
    for row, r in table.records():
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if quote is None:
            continue
        span = citer.inside(table, row, "number", r["source_id"], quote, r["number"])
        if span is None:
            continue
        text = citer.texts[r["source_id"]].text
        out.append(
            {
                "source_id": r["source_id"],
                "number": r["number"],
                "reason": r["reason"],
                "quote": text[quote.start : quote.end],
                "number_start": span.start,
                "number_end": span.end,
            }
        )
    return out
