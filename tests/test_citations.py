"""Everything typed by hand that the text states is cited, and the checks mean what they say.

Each case makes one mistake a careful contributor could make in a copy of the project, and
the build must catch it: exit 1, one finding naming file:row (field) and the value, and
dist/ left byte for byte as it was.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml
from click.testing import CliRunner
from junitparser import JUnitXml

from etl.build.pipeline import run
from etl.build.settings import Settings
from etl.cli import main
from etl.text.quotes import normalise
from tests.conftest import DATA
from tests.projects import ROOT, add_source, copy_project, edit_cell, tree_digest

Edit = Callable[[Path], None]


def rows_of(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """A raw CSV's header, its records, and the line each record starts on."""
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header = next(reader)
    records, lines, start = [], [], reader.line_num + 1
    for record in reader:
        records.append(record)
        lines.append(start)
        start = reader.line_num + 1
    return header, records, lines


def write_rows(path: Path, header: list[str], records: list[list[str]]) -> None:
    """Write a raw CSV as the project writes them."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *records])
    path.write_text(out.getvalue(), encoding="utf-8")


def set_where(table: str, match: dict[str, str], column: str, value: str) -> Edit:
    """Set `column` of the one row of raw/<table>.csv whose cells match `match`."""

    def edit(project: Path) -> None:
        path = project / f"raw/{table}.csv"
        header, records, _ = rows_of(path)
        hits = [r for r in records if all(r[header.index(k)] == v for k, v in match.items())]
        assert len(hits) == 1
        hits[0][header.index(column)] = value
        write_rows(path, header, records)

    return edit


def line_where(project: Path, table: str, match: dict[str, str]) -> int:
    """The line of raw/<table>.csv on which the row matching `match` starts."""
    header, records, lines = rows_of(project / f"raw/{table}.csv")
    for record, line in zip(records, lines, strict=True):
        if all(record[header.index(k)] == v for k, v in match.items()):
            return line
    raise KeyError(match)


def build(project: Path, *args: str) -> tuple[int, list[str]]:
    """`etl build` on the project: its exit code and the finding lines it printed."""
    before = tree_digest(project / "dist")
    result = CliRunner().invoke(main, ["build", "--project", str(project), *args])
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert tree_digest(project / "dist") == before
    lines = [line for line in result.output.splitlines() if ": error [" in line]
    return result.exit_code, lines


def test_partner_the_text_does_not_name_is_refused(tmp_path: Path) -> None:
    """'Литва' changed to 'Франции': France is not in the figure's quote."""
    project = copy_project(tmp_path)
    match = {"figure_id": "international-projects-2013", "position": "1"}
    line = line_where(project, "figure_partners", match)
    set_where("figure_partners", match, "name_as_printed", "Франции")(project)
    code, lines = build(project)
    assert code == 1
    assert lines == [
        f"raw/figure_partners.csv:{line} (name_as_printed): error [not-in-quote] 'Франции': "
        "is not in the quote - write it exactly as the quote prints it, and quote just enough "
        "text for it to stand once"
    ]


def test_another_country_of_the_same_list_is_refused(tmp_path: Path) -> None:
    """'Германии' changed to 'Австрии' in the list of research centres' partners."""
    project = copy_project(tmp_path)
    match = {"figure_id": "international-research-centres", "name_as_printed": "Германии"}
    line = line_where(project, "figure_partners", match)
    set_where("figure_partners", match, "name_as_printed", "Австрии")(project)
    code, lines = build(project)
    assert code == 1
    assert [x.split(": error ")[0] for x in lines] == [
        f"raw/figure_partners.csv:{line} (name_as_printed)"
    ]
    assert "[not-in-quote] 'Австрии'" in lines[0]


def test_a_misspelled_partner_and_its_alias_are_both_refused(tmp_path: Path) -> None:
    """'Гермнии' with an alias for it: the name is not in the quote, the alias names nothing
    a source prints."""
    project = copy_project(tmp_path)
    match = {"figure_id": "international-research-centres", "name_as_printed": "Германии"}
    line = line_where(project, "figure_partners", match)
    set_where("figure_partners", match, "name_as_printed", "Гермнии")(project)
    aliases = project / "raw/partner_aliases.csv"
    header, records, _ = rows_of(aliases)
    records.append(["Гермнии", "DE", "country", "", "", "A typo made to pass the check."])
    write_rows(aliases, header, records)
    code, lines = build(project)
    assert code == 1
    assert lines == [
        f"raw/figure_partners.csv:{line} (name_as_printed): error [not-in-quote] 'Гермнии': "
        "is not in the quote - write it exactly as the quote prints it, and quote just enough "
        "text for it to stand once",
        f"raw/partner_aliases.csv:{len(records) + 1} (name): error [unused-alias] 'Гермнии': "
        "the alias 'Гермнии' matches no partner name cited from the sources - remove the row, "
        "or write the name as a source prints it",
    ]


@pytest.mark.parametrize(
    ("table", "key", "row_id", "programme", "name"),
    [
        (
            "programme_statements",
            "statement_id",
            "tekhnologiya-sg-implemented",
            "intelavto",
            "Интелавто",
        ),
        ("events", "event_id", "intelavto-started", "komponent-f", "Компонент-Ф"),
    ],
)
def test_a_programme_pointed_elsewhere_is_refused(
    tmp_path: Path, table: str, key: str, row_id: str, programme: str, name: str
) -> None:
    """A statement or an event re-pointed to a programme its quote does not name."""
    project = copy_project(tmp_path)
    line = line_where(project, table, {key: row_id})
    set_where(table, {key: row_id}, "programme_id", programme)(project)
    code, lines = build(project)
    assert code == 1
    assert lines == [
        f"raw/{table}.csv:{line} (programme_id): error [not-in-quote] '{name}': the name of "
        f"programme '{programme}', '{name}', is not in the quote - write it exactly as the "
        "quote prints it, and quote just enough text for it to stand once"
    ]


def test_a_copied_figure_row_is_refused_unless_it_says_why(tmp_path: Path) -> None:
    """A figure row copied under a new id cites the same printed figure twice."""
    project = copy_project(tmp_path)
    path = project / "raw/figures.csv"
    header, records, _ = rows_of(path)
    original = next(r for r in records if r[0] == "horizon2020-projects-since-2014")
    copy = [*original]
    copy[0] = "horizon2020-projects-copy"
    records.append(copy)
    write_rows(path, header, records)
    figures = pl.read_csv(ROOT / "dist/data/figures.csv").filter(
        pl.col("figure_id") == "horizon2020-projects-since-2014"
    )
    start, end = (
        figures.row(0, named=True)["figure_start"],
        figures.row(0, named=True)["figure_end"],
    )
    _, _, lines_of = rows_of(path)
    code, lines = build(project)
    assert code == 1
    assert lines == [
        f"raw/figures.csv:{lines_of[-1]} (figure): error [same-span] 'horizon2020-projects-copy': "
        f"the row cites the same figure (characters {start}..{end} of "
        "raw/texts/by-infomaterial-2023-s4.txt) as row 'horizon2020-projects-since-2014' - "
        "remove one of the rows, or say in same_span_reason why both stand"
    ]
    copy[header.index("same_span_reason")] = "The same number, read as a second indicator."
    write_rows(path, header, records)
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0, result.output


def test_a_publication_window_out_of_order_is_refused(tmp_path: Path) -> None:
    """published_not_after before published_not_before fails dates-in-order, at the source."""
    project = copy_project(tmp_path)
    edit_cell(
        project / "raw/sources.csv", "by-infomaterial-2023-s4", "published_not_after", "2022-01-01"
    )
    code, lines = build(project)
    assert code == 1
    assert any(
        "[dates_in_order] '2022-01-01': source by-infomaterial-2023-s4 has published_not_after "
        "2022-01-01, before its published_not_before 2022-12-19" in line
        for line in lines
    )


def test_published_bounds_are_the_bounds_checks_use() -> None:
    """ "порядка 60" is published as [54, 66], and "Более половины" with the upper bound 1;
    dist/README.md states the rule."""
    figures = pl.read_csv(ROOT / "dist/data/figures.csv")
    about = figures.filter(pl.col("figure_as_printed") == "порядка 60").row(0, named=True)
    share = figures.filter(pl.col("figure_as_printed") == "Более половины").row(0, named=True)
    rule = yaml.safe_load((ROOT / "schemas/checks.yaml").read_text())["settings"]["approximately"]
    assert (about["lower_bound"], about["upper_bound"]) == (60 * (1 - rule), 60 * (1 + rule))
    assert (about["lower_inclusive"], about["upper_inclusive"]) == (True, True)
    assert (share["lower_bound"], share["lower_inclusive"]) == (0.5, False)
    assert (share["upper_bound"], share["upper_inclusive"]) == (1.0, True)
    readme = (ROOT / "dist/README.md").read_text(encoding="utf-8")
    assert f'± {rule * 100:g} %: "порядка 60" is published with the bounds 54 and 66' in readme


def test_dist_readme_lists_exactly_the_declared_checks() -> None:
    """Every declared check, and no other, is listed in dist/README.md with its status."""
    declared = [
        c["id"] for c in yaml.safe_load((ROOT / "schemas/checks.yaml").read_text())["checks"]
    ]
    readme = (ROOT / "dist/README.md").read_text(encoding="utf-8")
    listed = [line.split("`")[1] for line in readme.splitlines() if line.startswith("- **")]
    assert listed == declared


def test_three_mistakes_are_three_findings_in_one_run(tmp_path: Path) -> None:
    """A figure typo, an indicator id typo and a partner typo are all reported at once, and
    every declared check is reported as not run, in JSON and in JUnit."""
    project = copy_project(tmp_path)
    figures = project / "raw/figures.csv"
    edit_cell(figures, "union-state-space-programmes", "figure", "9.4.1 млн")
    edit_cell(figures, "horizon2020-projects-since-2014", "indicator_id", "horizon-typo")
    match = {"figure_id": "international-research-centres", "name_as_printed": "Германии"}
    set_where("figure_partners", match, "name_as_printed", "Гермнии")(project)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["build", "--project", str(project), "--format", "json", "--output", str(report)]
    )
    assert result.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert sorted((f["file"], f["field"], f["kind"]) for f in data["findings"]) == [
        ("raw/figure_partners.csv", "name_as_printed", "not-in-quote"),
        ("raw/figures.csv", "figure", "figure-error"),
        ("raw/figures.csv", "indicator_id", "foreign-key"),
    ]
    declared = [
        c["id"] for c in yaml.safe_load((project / "schemas/checks.yaml").read_text())["checks"]
    ]
    assert [c["check"] for c in data["checks"]] == declared
    assert {c["status"] for c in data["checks"]} == {"not_run"}
    assert data["summary"]["checks"]["not_run"] == len(declared)
    junit = tmp_path / "report.xml"
    CliRunner().invoke(
        main, ["check", "--project", str(project), "--format", "junit", "--output", str(junit)]
    )
    suite = next(s for s in JUnitXml.fromfile(str(junit)) if s.name == "checks")
    assert [case.name for case in suite] == declared
    assert all(case.is_skipped for case in suite)


def test_every_citation_slices_back_to_what_was_typed() -> None:
    """Each row of dist's citations table locates its item: the source's characters at
    start..end are the typed text (up to white space and quote marks), and every figure,
    partner name and event date of dist/ is cited."""
    citations = pl.read_csv(ROOT / "dist/data/citations.csv")
    sources = pl.read_csv(ROOT / "dist/data/sources.csv")
    texts = {
        r["source_id"]: (ROOT / "dist" / r["path"]).read_text(encoding="utf-8")
        for r in sources.iter_rows(named=True)
    }
    for row in citations.iter_rows(named=True):
        printed = texts[row["source_id"]][row["start"] : row["end"]]
        assert normalise(printed) == normalise(row["text_as_typed"]), row
    cited = {(r["table"], r["row_id"], r["field"]) for r in citations.iter_rows(named=True)}
    figures = pl.read_csv(ROOT / "dist/data/figures.csv")
    partners = pl.read_csv(ROOT / "dist/data/figure_partners.csv")
    events = pl.read_csv(ROOT / "dist/data/events.csv")
    expected = (
        {("figures", f, "figure") for f in figures["figure_id"]}
        | {
            ("figure_partners", f"{f} #{p}", "name_as_printed")
            for f, p in partners.select("figure_id", "position").iter_rows()
        }
        | {("events", e, "date") for e in events["event_id"]}
    )
    assert expected <= cited


def test_two_events_on_one_printed_date_need_a_reason(tmp_path: Path) -> None:
    """An event copied under a new id cites the same printed date; same_span_reason lets
    two events share it."""
    project = copy_project(tmp_path)
    path = project / "raw/events.csv"
    header, records, _ = rows_of(path)
    copy = [*next(r for r in records if r[0] == "komponent-f-approved")]
    copy[0] = "komponent-f-approved-again"
    records.append(copy)
    write_rows(path, header, records)
    _, _, lines_of = rows_of(path)
    code, lines = build(project)
    assert code == 1
    assert [line.split(": error ")[0] for line in lines] == [
        f"raw/events.csv:{lines_of[-1]} (date)"
    ]
    assert "[same-span] 'komponent-f-approved-again': the row cites the same date" in lines[0]
    copy[header.index("same_span_reason")] = "Two decisions taken at one sitting."
    write_rows(path, header, records)
    assert CliRunner().invoke(main, ["check", "--project", str(project)]).exit_code == 0


def test_english_event_dates_are_read_in_the_sources_language(tmp_path: Path) -> None:
    """An English press release's event dates ("On March 12, 2019", "on Tuesday, 4th June
    2019", "In May 2018", "on 3 Sept. 2018") are read to their days, with no finding."""
    project = copy_project(tmp_path, with_dist=False)
    add_source(project, DATA / "projects" / "english-event-dates")
    result = run(Settings.for_project(project), write=False)
    assert result.report.errors == []
    events = result.tables["events"].filter(pl.col("source_id") == "fixture-consortium-news-2019")
    assert events.select("date_as_printed", "period_kind", "start_date", "end_date").rows() == [
        ("On March 12, 2019", "day", date(2019, 3, 12), date(2019, 3, 12)),
        ("on Tuesday, 4th June 2019", "day", date(2019, 6, 4), date(2019, 6, 4)),
        ("In May 2018", "month", date(2018, 5, 1), date(2018, 5, 31)),
        ("on 3 Sept. 2018", "day", date(2018, 9, 3), date(2018, 9, 3)),
    ]


def test_roman_numerals_are_counted_and_waived(tmp_path: Path) -> None:
    """ "XXI", "I квартал" and "II" are numbers the check counts: waived, the source builds;
    with a waiver dropped, the numeral is reported as not transcribed."""
    project = copy_project(tmp_path, with_dist=False)
    add_source(project, DATA / "projects" / "roman-numerals-waived")
    result = run(Settings.for_project(project), write=False)
    assert result.report.errors == []
    waived = result.tables["waivers"].filter(pl.col("source_id") == "fixture-roman-note-2024")
    source = (project / "raw/texts/fixture-roman-note-2024.txt").read_text(encoding="utf-8")
    starts = [source.index(" XXI ") + 1, source.index(" I квартал") + 1, source.index(" II ") + 1]
    assert waived.select("number", "number_start", "number_end").rows() == [
        ("XXI", starts[0], starts[0] + 3),
        ("I", starts[1], starts[1] + 1),
        ("II", starts[2], starts[2] + 2),
    ]
    lines = (project / "raw/waivers.csv").read_text(encoding="utf-8").splitlines()
    (project / "raw/waivers.csv").write_text(
        "\n".join(line for line in lines if ",I,Отчёт" not in line) + "\n", encoding="utf-8"
    )
    found = run(Settings.for_project(project), write=False).report.errors
    text = "raw/texts/fixture-roman-note-2024.txt"
    assert [(f.kind, f.file, f.row, f.value) for f in found] == [
        ("number-not-transcribed", text, 2, "I")
    ]
