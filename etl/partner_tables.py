"""Partner names in the raw tables resolved to the published partners and figure_partners."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from etl.errors import ParseError
from etl.findings import Finding
from etl.partners import Alias, Partner, PartnerKind, PartnerResolver
from etl.tables import Table, blank

if TYPE_CHECKING:
    from etl.transform import Built


def partner_resolver(aliases: Table, built: Built) -> PartnerResolver | None:
    rows = [
        Alias(r["name"], r["partner_id"], PartnerKind(r["kind"]), r["name_en"], r["name_ru"])
        for _, r in aliases.records()
    ]
    try:
        return PartnerResolver(rows)
    except ParseError as exc:
        built.findings.append(Finding(aliases.file, None, None, "alias-error", str(exc)))
        return None


def resolve_partner(
    resolver: PartnerResolver | None,
    name: str,
    partners: dict[str, Partner],
    table: Table,
    row: int,
    column: str,
    built: Built,
) -> str | None:
    if resolver is None:
        return None
    partner = built.attempt(table, row, column, "partner-error", resolver.resolve, name)
    if partner is None:
        return None
    partners[partner.partner_id] = partner
    return partner.partner_id


def figure_partners_table(
    table: Table,
    figures: Table,
    resolver: PartnerResolver | None,
    partners: dict[str, Partner],
    built: Built,
) -> pl.DataFrame:
    out = []
    named: set[str] = set()
    for row, r in table.records():
        named.add(r["figure_id"])
        partner_id = resolve_partner(
            resolver, r["name_as_printed"], partners, table, row, "name_as_printed", built
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
            built.error(
                figures,
                row,
                "partner_list",
                "partner-list-error",
                f"the figure {problem} - make the two agree",
                r["partner_list"],
            )
    return built.frame("figure_partners", out)


def partners_table(partners: dict[str, Partner], built: Built) -> pl.DataFrame:
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
    return built.frame("partners", rows)
