"""Partner names in the raw tables resolved to the published partners and figure_partners."""

from __future__ import annotations

import polars as pl

from etl.build.cite import Citer
from etl.build.tables import CellErrors, blank, frame_of
from etl.report.catalogue import ALIAS_ERROR, PARTNER_ERROR, PARTNER_LIST_ERROR, UNUSED_ALIAS
from etl.tableschema.model import TableSchema
from etl.tableschema.table import Table
from etl.text.errors import ParseError
from etl.text.partners import Alias, Partner, PartnerKind, PartnerResolver
from etl.text.quotes import Span


def partner_resolver(aliases: Table, errors: CellErrors) -> PartnerResolver | None:
    """A resolver knowing the reviewed aliases, or None (and a finding) when they clash."""
    rows = [
        Alias(r["name"], r["partner_id"], PartnerKind(r["kind"]), r["name_en"], r["name_ru"])
        for _, r in aliases.records()
    ]
    try:
        return PartnerResolver(rows)
    except ParseError as exc:
        errors.findings.append(ALIAS_ERROR.at(aliases.file, problem=str(exc)))
        return None


def resolve_partner(
    resolver: PartnerResolver | None,
    name: str,
    partners: dict[str, Partner],
    table: Table,
    row: int,
    column: str,
    errors: CellErrors,
) -> str | None:
    """The partner id of a printed name (remembered in `partners`), or None and a finding."""
    if resolver is None:
        return None
    partner = errors.attempt(table, row, column, PARTNER_ERROR, resolver.resolve, name)
    if partner is None:
        return None
    partners[partner.partner_id] = partner
    return partner.partner_id


def figure_partners_table(
    table: Table,
    figures: Table,
    resolver: PartnerResolver | None,
    partners: dict[str, Partner],
    citer: Citer,
    quotes: dict[str, tuple[str, Span]],
    schema: TableSchema,
) -> pl.DataFrame:
    """The published figure_partners: each printed name, found in its figure's quote, with
    its partner id."""
    errors = citer.errors
    out = []
    named: set[str] = set()
    for row, r in table.records():
        named.add(r["figure_id"])
        if r["figure_id"] not in quotes:
            continue  # the figure has its own finding
        source_id, quote = quotes[r["figure_id"]]
        name, column = r["name_as_printed"], "name_as_printed"
        span = citer.inside(table, row, column, source_id, quote, name)
        if span is None:
            continue
        what = f"partner name of figure {r['figure_id']!r}"
        row_id = f"{r['figure_id']} #{r['position']}"
        if not citer.claim(table, row, column, what, source_id, span, row_id):
            continue
        partner_id = resolve_partner(
            resolver, r["name_as_printed"], partners, table, row, "name_as_printed", errors
        )
        if partner_id is not None:
            out.append(
                {
                    "figure_id": r["figure_id"],
                    "position": r["position"],
                    "partner_id": partner_id,
                    "name_as_printed": r["name_as_printed"],
                }
            )
    for row, r in figures.records():
        listed = not blank(r["partner_list"])
        if listed != (r["figure_id"] in named):
            problem = (
                "says partners are listed but raw/figure_partners.csv names none"
                if listed
                else "has partners in raw/figure_partners.csv but no partner_list"
            )
            errors.add(
                figures, row, "partner_list", PARTNER_LIST_ERROR, r["partner_list"], problem=problem
            )
    return frame_of(out, schema)


def unused_aliases(
    aliases: Table, resolver: PartnerResolver, texts: list[str], errors: CellErrors
) -> None:
    """A finding for each alias no source prints, in any grammatical case: an alias is
    accepted only for a name a source prints."""
    printed = resolver.printed_aliases(texts)
    for row, r in aliases.records():
        if r["name"] not in printed:
            errors.add(aliases, row, "name", UNUSED_ALIAS, r["name"], name=r["name"])


def partners_table(partners: dict[str, Partner], schema: TableSchema) -> pl.DataFrame:
    """The published partners: every partner some row names, by id."""
    rows = [
        {
            "partner_id": p.partner_id,
            "kind": str(p.kind),
            "name_en": p.name_en,
            "name_ru": p.name_ru,
            "iso_alpha2": p.iso_alpha2,
            "iso_alpha3": p.iso_alpha3,
            "iso_numeric": p.iso_numeric,
        }
        for p in sorted(partners.values(), key=lambda p: p.partner_id)
    ]
    return frame_of(rows, schema)
