"""Published tables built from the real raw data, and the citing rules that guard them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from etl.build.pipeline import BuildResult, run
from etl.build.settings import Settings
from etl.report.findings import Finding
from tests.conftest import DATA
from tests.projects import ROOT, add_source, copy_project, drop_rows, edit_cell, raw_row_count


@pytest.fixture(scope="module")
def built() -> BuildResult:
    """The real project, built in memory."""
    result = run(Settings.for_project(ROOT), write=False)
    assert result.report.errors == []
    assert [f.check for f in result.report.warnings] == ["programme-statements-consistent"]
    return result


def figure(built: BuildResult, figure_id: str) -> dict[str, object]:
    """One row of the figures table."""
    rows = built.tables["figures"].filter(pl.col("figure_id") == figure_id).to_dicts()
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize(
    ("figure_id", "expected"),
    [
        (
            "conference-foreign-scientists-2020-2022",
            {
                "figure_as_printed": "более 1,1 тыс.",
                "value": 1100.0,
                "comparator": "more_than",
                "lower_bound": 1100.0,
                "lower_inclusive": False,
                "upper_bound": None,
                "multiplier": 1000,
                "unit": "scientist",
                "currency": None,
                "period_start": date(2020, 1, 1),
                "period_end": date(2022, 12, 31),
            },
        ),
        (
            "conference-contracts-value-2020-2022",
            {
                "value": 9_400_000.0,
                "comparator": "exact",
                "lower_bound": 9_350_000.0,
                "upper_bound": 9_450_000.0,
                "unit": "USD",
                "currency": "USD",
                "currency_as_printed": "долларов США",
                "currency_note": None,
            },
        ),
        (
            "international-projects-funding-2013",
            {
                "value": 69_900.0,
                "currency": "BYN",
                "period_kind": "year",
                "period_start": date(2013, 1, 1),
                "period_end": date(2013, 12, 31),
            },
        ),
        (
            "horizon2020-projects-since-2014",
            {
                "value": 59.0,
                "period_kind": "since",
                "period_start": date(2014, 1, 1),
                "period_end": None,
            },
        ),
        (
            "horizon2020-projects-ongoing-2022",
            {
                "period_kind": "as_of",
                "period_start": date(2022, 1, 1),
                "period_end": date(2022, 1, 1),
            },
        ),
        (
            "union-state-programmes-2000s",
            {
                "comparator": "approximately",
                "value": 60.0,
                "lower_bound": 54.0,  # ± settings.approximately (10 %) of schemas/checks.yaml
                "upper_bound": 66.0,
                "period_start": date(2000, 1, 1),
                "period_end": date(2009, 12, 31),
            },
        ),
        (
            "union-state-programmes-science-share-2000s",
            {
                "figure_as_printed": "Более половины",
                "value": 0.5,
                "comparator": "more_than",
                "unit": "share of programmes",
            },
        ),
    ],
)
def test_figure_values(built: BuildResult, figure_id: str, expected: dict[str, object]) -> None:
    """Printed figures are parsed into the published value, comparator, bounds and period."""
    row = figure(built, figure_id)
    assert {k: row[k] for k in expected} == expected


def test_bare_roubles_carry_the_sources_assumption(built: BuildResult) -> None:
    """A figure in bare roubles records BYN and the source's redenomination note."""
    row = figure(built, "international-projects-funding-2013")
    assert row["currency_note"] is not None
    assert str(row["currency_note"]).startswith("Roubles are read as Belarusian roubles after")


def test_offsets_point_at_the_figure_in_the_source(built: BuildResult) -> None:
    """quote_start/end and figure_start/end slice the exact text of each figure's source, as
    shipped in dist/ at the path the sources table gives."""
    paths = dict(built.tables["sources"].select("source_id", "path").iter_rows())
    for row in built.tables["figures"].iter_rows(named=True):
        text = (ROOT / "dist" / paths[row["source_id"]]).read_text(encoding="utf-8")
        assert text[row["quote_start"] : row["quote_end"]] == row["quote"]
        printed = " ".join(text[row["figure_start"] : row["figure_end"]].split())
        assert printed == row["figure_as_printed"]


def test_derived_average_contract_value(built: BuildResult) -> None:
    """9,4 млн USD / 456 contracts is derived with bounds from the rounding of 9,4 млн."""
    row = (
        built.tables["derived_figures"]
        .filter(pl.col("derived_id") == "conference-contract-average-value-2020-2022")
        .row(0, named=True)
    )
    assert row["value"] == pytest.approx(9_400_000 / 456, rel=1e-15)
    assert row["lower_bound"] == pytest.approx(9_350_000 / 456, rel=1e-15)
    assert row["upper_bound"] == pytest.approx(9_450_000 / 456, rel=1e-15)
    assert (row["unit"], row["currency"]) == ("USD per contract", "USD")
    assert row["formula"] == "conference-contracts-value-2020-2022 / conference-contracts-2020-2022"


def test_partners_resolve_to_iso_codes(built: BuildResult) -> None:
    """Partner names in any case become ISO 3166 codes; СНГ stays a group."""
    pairs = (
        built.tables["figure_partners"]
        .filter(pl.col("figure_id") == "iaas-member-organisations")
        .select("name_as_printed", "partner_id")
        .rows()
    )
    assert pairs == [
        ("СНГ", "CIS"),
        ("КНР", "CN"),
        ("Вьетнама", "VN"),
        ("Монголии", "MN"),
        ("Черногории", "ME"),
    ]
    kinds = dict(built.tables["partners"].select("partner_id", "kind").rows())
    assert kinds["CIS"] == "group"
    assert kinds["KR"] == "country"


def test_integratsiya_is_stated_twice(built: BuildResult) -> None:
    """Both statements about Интеграция-СГ are kept, with their own status."""
    statuses = (
        built.tables["programme_statements"]
        .filter(pl.col("programme_id") == "integratsiya-sg")
        .get_column("status")
        .to_list()
    )
    assert statuses == ["implemented", "under_way"]


def findings_after(tmp_path: Path, table: str, key: str, column: str, value: str) -> list[Finding]:
    """The findings of a check after one raw cell is changed."""
    project = copy_project(tmp_path, with_dist=False)
    edit_cell(project / "raw" / f"{table}.csv", key, column, value)
    return run(Settings.for_project(project), write=False).report.errors


def test_figure_without_its_qualifier_fails(tmp_path: Path) -> None:
    """ "1,1 тыс." where the text prints "более 1,1 тыс." is an incomplete figure."""
    findings = findings_after(
        tmp_path, "figures", "conference-foreign-scientists-2020-2022", "figure", "1,1 тыс."
    )
    assert [f.render() for f in findings] == [
        "raw/figures.csv:6 (figure): error [figure-incomplete] '1,1 тыс.': the source prints "
        "the figure as 'более 1,1 тыс.' - transcribe the whole figure, qualifier, multiplier "
        "and currency included"
    ]


def test_quote_not_in_source_fails(tmp_path: Path) -> None:
    """A quote that the source does not hold is named with its row and the source file."""
    findings = findings_after(
        tmp_path,
        "figures",
        "union-state-space-programmes",
        "quote",
        "В области космоса уже реализовано 8 научно-технических программ.",
    )
    assert [(f.file, f.row, f.field, f.kind) for f in findings] == [
        ("raw/figures.csv", 15, "quote", "quote-not-in-source")
    ]
    source = "raw/texts/by-infomaterial-2023-s4.txt"
    assert findings[0].message.startswith(f"the quote is not in {source}: it matches ")
    assert findings[0].message.endswith(
        ", then the quote has '8 научно-технических' where the source has '7 научно-технических'"
        " - copy it verbatim from the source (only white space and quote marks may differ)"
    )


def test_every_number_must_be_accounted_for(tmp_path: Path) -> None:
    """Dropping the waiver of "Горизонт-2020" leaves that number unaccounted for."""
    project = copy_project(tmp_path, with_dist=False)
    drop_rows(project / "raw/waivers.csv", "number", "2020")
    findings = run(Settings.for_project(project), write=False).report.errors
    assert [(f.file, f.row, f.kind, f.value, f.check) for f in findings] == [
        (
            "raw/texts/by-infomaterial-2023-s4.txt",
            9,
            "number-not-transcribed",
            "2020",
            "every-number-accounted-for",
        )
    ]
    assert "Горизонт-2020" in findings[0].message


def test_unknown_partner_is_an_error(tmp_path: Path) -> None:
    """A name its quote prints that resolves to no partner names itself and the alias table."""
    findings = findings_after(
        tmp_path, "figure_partners", "iaas-member-organisations", "name_as_printed", "организаций"
    )
    assert [(f.file, f.row, f.field, f.kind, f.value) for f in findings] == [
        ("raw/figure_partners.csv", 9, "name_as_printed", "partner-error", "организаций")
    ]
    assert "raw/partner_aliases.csv" in findings[0].message


def test_english_figure_without_its_qualifier_fails(tmp_path: Path) -> None:
    """ "150" where an English source prints "more than 150" is an incomplete figure: the
    English span finder reads the source's language."""
    project = copy_project(tmp_path, with_dist=False)
    add_source(project, DATA / "projects" / "english-figure-without-qualifier")
    findings = run(Settings.for_project(project), write=False).report.errors
    line = raw_row_count("figures", project) + 1
    assert [f.render() for f in findings] == [
        f"raw/figures.csv:{line} (figure): error [figure-incomplete] '150': the source prints "
        "the figure as 'more than 150' - transcribe the whole figure, qualifier, multiplier "
        "and currency included"
    ]
