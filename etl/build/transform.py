"""Stage 3, transform: validated raw tables and source texts into the published tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from etl.build.citations import events, statements, waivers
from etl.build.cite import Cited, Citer
from etl.build.derive import derived_table
from etl.build.load import SourceText
from etl.build.observations import observations_table
from etl.build.partner_tables import (
    figure_partners_table,
    partner_resolver,
    partners_table,
    unused_aliases,
)
from etl.build.provenance import publication_findings, sources_table
from etl.build.tables import CellErrors, blank, frame_of
from etl.report.catalogue import FIGURE_ERROR, PERIOD_ERROR, UNIT_ERROR
from etl.report.findings import Finding
from etl.tableschema.model import TableSchema
from etl.tableschema.table import Table
from etl.text.figure_words import Comparator
from etl.text.figures import Figure, parse_figure
from etl.text.partners import Partner
from etl.text.periods import Period, PeriodKind, parse_period
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
    raw: dict[str, Table],
    texts: dict[str, SourceText],
    schemas: dict[str, TableSchema],
    approximately: Decimal = Decimal("0.1"),
    *,
    check_aliases: bool = True,
) -> Transformed:
    """Every published table but `checks`, from the raw tables and verified texts.

    Rows whose source, indicator or text failed earlier (their findings are reported
    already) are left out, so that one run reports every mistake it can see.
    `approximately` is the ± share an approximate figure ("порядка 60") allows.
    `check_aliases` is false when an earlier error left out a source or its text: which
    aliases the sources print cannot then be told.
    """
    out = Transformed()
    for published, name, key in ORIGINS:
        for row, r in raw[name].records():
            out.origins[(published, r[key])] = (raw[name].file, row)
    errors = CellErrors()
    citer = Citer(texts, errors)
    resolver = partner_resolver(raw["partner_aliases"], errors)
    sources = {r["source_id"]: r for _, r in raw["sources"].records()}
    languages = {source_id: r["language"] for source_id, r in sources.items()}
    indicators = {r["indicator_id"]: r for _, r in raw["indicators"].records()}
    programmes = {r["programme_id"]: r["name_ru"] for _, r in raw["programmes"].records()}
    tables = out.tables
    tables["sources"] = sources_table(raw["sources"], texts)
    errors.findings.extend(publication_findings(raw["sources"]))
    tables["indicators"] = raw["indicators"].frame
    tables["programmes"] = raw["programmes"].frame
    partners: dict[str, Partner] = {}
    figures: dict[str, Figure] = {}
    quotes: dict[str, tuple[str, Span]] = {}
    bounds: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    rows = _figures(
        raw["figures"], sources, indicators, citer, figures, quotes, bounds, approximately
    )
    tables["figures"] = frame_of(rows, schemas["figures"])
    tables["figure_partners"] = figure_partners_table(
        raw["figure_partners"],
        raw["figures"],
        resolver,
        partners,
        citer,
        quotes,
        schemas["figure_partners"],
    )
    tables["programme_statements"] = frame_of(
        statements(raw["programme_statements"], citer, programmes),
        schemas["programme_statements"],
    )
    tables["events"] = frame_of(
        events(raw["events"], citer, resolver, partners, programmes, languages),
        schemas["events"],
    )
    tables["waivers"] = frame_of(waivers(raw["waivers"], citer), schemas["waivers"])
    tables["derived_figures"] = derived_table(
        raw["derivations"], figures, bounds, tables["figures"], errors, schemas["derived_figures"]
    )
    tables["partners"] = partners_table(partners, schemas["partners"])
    tables["observations"] = observations_table(
        tables["figures"],
        tables["derived_figures"],
        tables["indicators"],
        tables["sources"],
        schemas["observations"],
    )
    tables["citations"] = citations_table(raw, citer.cited, schemas["citations"])
    if resolver is not None and check_aliases:
        unused_aliases(raw["partner_aliases"], resolver, [t.text for t in texts.values()], errors)
    out.findings, out.covered = errors.findings, citer.covered
    return out


#: How the citations table names a raw row, by raw table (waivers: by the number's offset).
ROW_IDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "figures": lambda r: r["figure_id"],
    "figure_partners": lambda r: f"{r['figure_id']} #{r['position']}",
    "programme_statements": lambda r: r["statement_id"],
    "events": lambda r: r["event_id"],
}


def citations_table(raw: dict[str, Table], cited: list[Cited], schema: TableSchema) -> pl.DataFrame:
    """The published citations: each hand-typed item found in its quote, and where."""
    ids = {(name, row): ROW_IDS[name](r) for name in ROW_IDS for row, r in raw[name].records()}
    rows = [
        {
            "table": item.table,
            # a waiver is keyed by its source and offset, as the waivers table is
            "row_id": f"{item.source_id} {item.span.start}"
            if item.table == "waivers"
            else ids[(item.table, item.row)],
            "field": item.column,
            "source_id": item.source_id,
            "text_as_typed": item.text,
            "start": item.span.start,
            "end": item.span.end,
        }
        for item in cited
    ]
    return frame_of(rows, schema)


def _reference(period: Period | None, source: dict[str, Any]) -> tuple[Any, Any]:
    """A period's first and last day; "сегодня", "to date": the source's publication window."""
    if period is None:
        return None, None
    if period.kind is PeriodKind.AS_OF_PUBLICATION:
        start = source["published_not_before"]
        return start, source["published_not_after"] or start
    return period.start, period.end


def _figures(
    table: Table,
    sources: dict[str, dict[str, Any]],
    indicators: dict[str, dict[str, Any]],
    citer: Citer,
    parsed: dict[str, Figure],
    quotes: dict[str, tuple[str, Span]],
    bounds: dict[str, tuple[Decimal | None, Decimal | None]],
    approximately: Decimal,
) -> list[dict[str, Any]]:
    """Rows of the published figures; each parsed figure is kept in `parsed` by id, and
    where its quote stands in `quotes`."""
    errors = citer.errors
    out = []
    for row, r in table.records():
        source = sources.get(r["source_id"])
        indicator = indicators.get(r["indicator_id"])
        if source is None or indicator is None or r["source_id"] not in citer.texts:
            continue  # a foreign key or the source text has its own finding
        figure = errors.attempt(
            table,
            row,
            "figure",
            FIGURE_ERROR,
            parse_figure,
            r["figure"],
            language=source["language"],
            rouble=source["rouble_currency"],
        )
        period: Period | None = None
        if not blank(r["period"]):
            period = errors.attempt(
                table, row, "period", PERIOD_ERROR, parse_period, r["period"],
                language=source["language"],
            )  # fmt: skip
        quote = citer.quote(table, row, r["source_id"], r["quote"])
        if figure is None or quote is None:
            continue
        fspan = citer.inside(table, row, "figure", r["source_id"], quote, r["figure"])
        if fspan is None or not citer.whole_figure(
            table, row, r["source_id"], quote, fspan, r["figure"], source["language"]
        ):
            continue
        reason = r["same_span_reason"]
        if not citer.claim(
            table, row, "figure", "figure", r["source_id"], fspan, r["figure_id"], reason
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
        quotes[r["figure_id"]] = (r["source_id"], quote)
        lower, upper = published_bounds(figure, unit, approximately)
        bounds[r["figure_id"]] = (lower, upper)
        bare_rouble = (figure.currency_printed or "").lower().startswith(("руб", "roub", "rub"))
        out.append(
            {
                "figure_id": r["figure_id"],
                "source_id": r["source_id"],
                "indicator_id": r["indicator_id"],
                "figure_as_printed": r["figure"],
                "comparator": str(figure.comparator),
                "value": _dec(figure.value),
                "lower_bound": _dec(lower),
                # a bound the rules add (approximately, a share's 1) is inclusive
                "lower_inclusive": figure.lower_inclusive
                or (figure.lower is None and lower is not None),
                "upper_bound": _dec(upper),
                "upper_inclusive": figure.upper_inclusive
                or (figure.upper is None and upper is not None),
                "multiplier": figure.multiplier,
                "unit": unit,
                "currency": figure.currency,
                "currency_as_printed": figure.currency_printed,
                "currency_note": source["rouble_note"] if bare_rouble else None,
                "period_as_printed": period.printed if period else None,
                "period_kind": str(period.kind) if period else None,
                "period_start": _reference(period, source)[0],
                "period_end": _reference(period, source)[1],
                "partner_list": r["partner_list"],
                "quote": citer.text(r["source_id"], quote),
                "quote_start": quote.start,
                "quote_end": quote.end,
                "figure_start": fspan.start,
                "figure_end": fspan.end,
                "note": r["note"],
            }
        )
    return out


def published_bounds(
    figure: Figure, unit: str, approximately: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """The bounds published for a figure, which are the bounds checks use: the parsed ones;
    for an approximate figure, its value ± `approximately` of it; for a share with an open
    upper side ("более половины"), 1, since a share is at most the whole."""
    lower, upper = figure.lower, figure.upper
    if figure.comparator is Comparator.APPROXIMATELY and lower is None and upper is None:
        spread = abs(figure.value) * approximately
        lower, upper = figure.value - spread, figure.value + spread
    if unit.startswith("share") and upper is None and (lower is None or lower < 1):
        upper = Decimal(1)
    return lower, upper


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
