"""Tests for etl.build.checks.kinds: each kind on tiny hand-made tables, passing and failing.

The tables hold only the columns a kind reads, typed as schemas/published types them. Figures
stand in one small source text, so every finding can be traced to its quote and offsets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from etl.build.checks.kinds import Uncovered, uncovered_numbers
from etl.build.checks.model import KINDS, CheckContext, CheckSpec, UnknownReference
from etl.build.checks.run import run_checks
from etl.build.load import SourceText
from etl.report.findings import CheckResult, Finding, Involved, Severity, Status
from etl.tableschema.dtypes import polars_schema
from etl.tableschema.model import TableSchema
from etl.tableschema.schema import load_schemas
from etl.text.figures import parse_figure
from etl.text.quotes import Span
from tests.projects import ROOT

SCHEMAS: dict[str, TableSchema] = load_schemas(ROOT / "schemas/published", "schemas/published")[0]
CHECK = "figures-agree"
SOURCE = "by-test"
FIGURES_FILE = "raw/figures.csv"

#: The source text, one sentence a line; the first sentence starts at offset 0.
SENTENCES = {
    "agreements": "Действует более 100 договоров с центрами из 87 государств.",
    "fewer": "По другим данным, договоров менее 80.",
    "more-states": "По третьим данным, государств 187.",
    "programmes": "Реализовано порядка 60 программ; Более половины из них — научные.",
    "too-big-share": "Научных программ более 1,5 от общего числа.",
    "exact-too-big-share": "По другим данным, научных программ 1,5 от общего числа.",
    "projects": "Учёные участвовали в 59 проектах.",
    "countries": "Проекты вели с организациями из 3 стран: Литвы, Индии и Кореи.",
    "four-countries": "По другим данным, стран было 4.",
    "centres": "Работает свыше 40 центров с организациями из России, Китая и других стран.",
    "members": "В ассоциацию входят 25 организаций из СНГ, КНР и Вьетнама.",
    "two-members": "Из них названы 2 страны.",
    "money": "Общая сумма — 9,4 млн, первый этап — 4,1 млн, второй — 5,3 млн, или 5,6 млн.",
    "contracts": "Заключено 456 контрактов.",
    "approved": "Программа утверждена в мае 2022 г.",
    "implemented": "В последние годы реализованы\nпрограммы «Интеграция-СГ» и «Технология-СГ».",
    "under-way": "В настоящее время реализуется космическая программа «Интеграция-СГ».",
}
TEXT = "\n".join(SENTENCES.values()) + "\n"

#: figure_id: (sentence, figure as printed, unit, partner_list)
FIGURES: dict[str, tuple[str, str, str, str | None]] = {
    "agreements": ("agreements", "более 100", "agreement", None),
    "states": ("agreements", "87", "state", None),
    "fewer-agreements": ("fewer", "менее 80", "agreement", None),
    "more-states": ("more-states", "187", "state", None),
    "programmes": ("programmes", "порядка 60", "programme", None),
    "science-share": ("programmes", "Более половины", "share", None),
    "too-big-share": ("too-big-share", "более 1,5", "share", None),
    "exact-too-big-share": ("exact-too-big-share", "1,5", "share", None),
    "projects": ("projects", "59", "project", None),
    "countries": ("countries", "3", "country", "complete"),
    "four-countries": ("four-countries", "4", "country", None),
    "centres": ("centres", "свыше 40", "centre", "partial"),
    "members": ("members", "25", "organisation", "complete"),
    "two-members": ("two-members", "2", "country", None),
    "total": ("money", "9,4 млн", "USD", None),
    "first": ("money", "4,1 млн", "USD", None),
    "second": ("money", "5,3 млн", "USD", None),
    "second-alt": ("money", "5,6 млн", "USD", None),
    "contracts": ("contracts", "456", "contract", None),
}
#: The line of raw/figures.csv each figure is transcribed on (header = 1).
FIGURE_ROWS = {figure_id: line for line, figure_id in enumerate(FIGURES, start=2)}

#: programme_statements rows: statement_id: (sentence, programme, status, line in the raw CSV)
STATEMENTS = {
    "integratsiya-sg-implemented": ("implemented", "integratsiya-sg", "implemented", 5),
    "integratsiya-sg-under-way": ("under-way", "integratsiya-sg", "under_way", 6),
    "tekhnologiya-sg-implemented": ("implemented", "tekhnologiya-sg", "implemented", 2),
    "integratsiya-sg-implemented-again": ("implemented", "integratsiya-sg", "implemented", 7),
    "tekhnologiya-sg-results-used": ("implemented", "tekhnologiya-sg", "results_used", 8),
}

#: figure_partners rows, deliberately not in position order.
PARTNERS = [
    ("countries", 2, "Индии"),
    ("countries", 1, "Литвы"),
    ("countries", 3, "Кореи"),
    ("centres", 1, "России"),
    ("centres", 2, "Китая"),
    ("members", 1, "СНГ"),
    ("members", 2, "КНР"),
    ("members", 3, "Вьетнама"),
]


def frame(table: str, rows: list[dict[str, Any]], columns: list[str] | None = None) -> pl.DataFrame:
    """Rows of a published table, with only the given columns, typed as the schema types them."""
    names = columns if columns is not None else list(rows[0])
    dtypes = polars_schema(SCHEMAS[table])
    return pl.DataFrame(rows, schema={name: dtypes[name] for name in names})


def quote_span(sentence: str) -> tuple[str, int, int]:
    """A sentence of TEXT and its offsets."""
    quote = SENTENCES[sentence]
    start = TEXT.index(quote)
    return quote, start, start + len(quote)


def figure(figure_id: str, **extra: Any) -> dict[str, Any]:
    """A published figures row, its value and bounds read from the printed figure."""
    sentence, printed, unit, partner_list = FIGURES[figure_id]
    quote, quote_start, _ = quote_span(sentence)
    start = TEXT.index(printed, quote_start)
    parsed = parse_figure(printed)
    row = {
        "figure_id": figure_id,
        "source_id": SOURCE,
        "figure_as_printed": printed,
        "comparator": str(parsed.comparator),
        "value": float(parsed.value),
        "lower_bound": None if parsed.lower is None else float(parsed.lower),
        "lower_inclusive": parsed.lower_inclusive,
        "upper_bound": None if parsed.upper is None else float(parsed.upper),
        "upper_inclusive": parsed.upper_inclusive,
        "unit": unit,
        "partner_list": partner_list,
        "quote": quote,
        "figure_start": start,
        "figure_end": start + len(printed),
    }
    return row | extra


def cell(figure_id: str, field: str = "value", value: str | None = None) -> Involved:
    """The Involved cell a check reports for a figure it read (`value` when not in the row)."""
    row = figure(figure_id)
    if value is None:
        value = str(row["figure_as_printed"] if field == "value" else row[field])
    return Involved(
        table="figures",
        id=figure_id,
        field=field,
        value=value,
        file=FIGURES_FILE,
        row=FIGURE_ROWS[figure_id],
        quote=row["quote"],
        source_id=SOURCE,
        start=row["figure_start"],
        end=row["figure_end"],
    )


def context(*figure_ids: str, **tables: pl.DataFrame) -> CheckContext:
    """A check context over the given figures (all of FIGURES by default) and other tables."""
    ids = figure_ids or tuple(FIGURES)
    origins: dict[tuple[str, str], tuple[str, int]] = {
        ("figures", f): (FIGURES_FILE, line) for f, line in FIGURE_ROWS.items()
    }
    origins |= {
        ("programme_statements", s): ("raw/programme_statements.csv", line)
        for s, (*_, line) in STATEMENTS.items()
    }
    origins[("events", "approved")] = ("raw/events.csv", 3)
    origins[("derived_figures", "average-contract")] = ("raw/derivations.csv", 2)
    partners = frame(
        "figure_partners",
        [{"figure_id": f, "position": p, "name_as_printed": n} for f, p, n in PARTNERS],
    )
    return CheckContext(
        tables={"figures": frame("figures", [figure(f) for f in ids]), "figure_partners": partners}
        | tables,
        schemas=SCHEMAS,
        origins=origins,
    )


def spec(kind: str, severity: str = "error", **params: Any) -> CheckSpec:
    """A check of `kind` called figures-agree on line 10 of schemas/checks.yaml, with the
    defaults of optional params left out filled in, as load_checks fills them."""
    defaults = {p.name: p.default for p in KINDS[kind].params if not p.required}
    return CheckSpec(CHECK, kind, "The figures agree.", Severity(severity), defaults | params, 10)


def check(declared: CheckSpec, ctx: CheckContext) -> tuple[CheckResult, list[Finding]]:
    """Run one check: its result and its findings."""
    results, findings = run_checks((declared,), ctx)
    assert len(results) == 1
    return results[0], findings


def passed(declared: CheckSpec, message: str, reads: tuple[str, ...]) -> CheckResult:
    """The result of a check that passed, saying what it verified and what it read."""
    return CheckResult(
        CHECK, declared.kind, "The figures agree.", declared.severity, Status.PASSED, message, reads
    )


#: What compare and sum_equals read: the figures' intervals, found by figure_id.
INTERVAL_READS = (
    "figures.comparator",
    "figures.figure_as_printed",
    "figures.figure_id",
    "figures.lower_bound",
    "figures.lower_inclusive",
    "figures.upper_bound",
    "figures.upper_inclusive",
    "figures.value",
)
#: What part_le_whole reads: the intervals, and the part's unit.
PART_READS = (
    "figures.comparator",
    "figures.figure_as_printed",
    "figures.figure_id",
    "figures.lower_bound",
    "figures.lower_inclusive",
    "figures.unit",
    "figures.upper_bound",
    "figures.upper_inclusive",
    "figures.value",
)
#: What listed_count reads: the count's interval, whether the list is complete, the names.
LISTED_READS = (
    "figure_partners.figure_id",
    "figure_partners.name_as_printed",
    "figure_partners.position",
    "figures.comparator",
    "figures.figure_as_printed",
    "figures.figure_id",
    "figures.lower_bound",
    "figures.lower_inclusive",
    "figures.partner_list",
    "figures.upper_bound",
    "figures.upper_inclusive",
    "figures.value",
)
#: What dates_in_order reads: the dated rows' dates and sources, and the sources' bounds.
DATES_READS = (
    "events.end_date",
    "events.event_id",
    "events.source_id",
    "events.start_date",
    "figures.figure_id",
    "figures.period_end",
    "figures.period_start",
    "figures.source_id",
    "sources.published_not_after",
    "sources.published_not_before",
    "sources.source_id",
)
STATEMENTS_READS = (
    "programme_statements.programme_id",
    "programme_statements.quote",
    "programme_statements.statement_id",
    "programme_statements.status",
)
DERIVED_READS = (
    "derived_figures.currency",
    "derived_figures.denominator_id",
    "derived_figures.derived_id",
    "derived_figures.lower_bound",
    "derived_figures.numerator_id",
    "derived_figures.unit",
    "derived_figures.upper_bound",
    "derived_figures.value",
    "figures.currency",
    "figures.figure_id",
    "figures.lower_bound",
    "figures.unit",
    "figures.upper_bound",
)
NUMBERS_READS = ("cited spans", "source texts")


def one_finding(
    declared: CheckSpec,
    message: str,
    cells: list[Involved],
    severity: Severity = Severity.ERROR,
) -> Finding:
    """The finding a check reports, located at the first cell it read."""
    first = cells[0]
    return Finding(
        first.file,
        first.row,
        first.field,
        declared.kind,
        message,
        first.value,
        severity,
        CHECK,
        tuple(cells),
    )


# compare


@pytest.mark.parametrize(
    ("op", "left", "right", "message"),
    [
        (
            "<=",
            "states",
            "agreements",
            "'87' (states) ≤ 'более 100' (agreements): holds, because the upper bound of "
            "'87' (states), 87, is not above the lower bound of 'более 100' (agreements), 100",
        ),
        (
            ">=",
            "agreements",
            "states",
            "'более 100' (agreements) ≥ '87' (states): holds, because the upper bound of "
            "'87' (states), 87, is not above the lower bound of 'более 100' (agreements), 100",
        ),
        (
            "overlaps",
            "programmes",
            "projects",
            "'порядка 60' (programmes) can equal '59' (projects): holds, because "
            "'порядка 60' (programmes) allows [54, 66] and '59' (projects) allows [59, 59]: "
            "they share values",
        ),
    ],
)
def test_compare_passes(op: str, left: str, right: str, message: str) -> None:
    """compare passes when every value the figures allow satisfies op, and says which bounds."""
    declared = spec("compare", left=left, right=right, op=op)
    result, findings = check(declared, context())
    assert findings == []
    assert result == passed(declared, message, INTERVAL_READS)


@pytest.mark.parametrize(
    ("op", "left", "right", "message"),
    [
        (
            "<=",
            "states",
            "fewer-agreements",
            "'87' (states) ≤ 'менее 80' (fewer-agreements) is false: the lower bound of "
            "'87' (states), 87, is above the upper bound of 'менее 80' (fewer-agreements), 80",
        ),
        (
            ">=",
            "fewer-agreements",
            "states",
            "'менее 80' (fewer-agreements) ≥ '87' (states) is false: the lower bound of "
            "'87' (states), 87, is above the upper bound of 'менее 80' (fewer-agreements), 80",
        ),
        (
            "overlaps",
            "programmes",
            "states",
            "'порядка 60' (programmes) can equal '87' (states) is false: "
            "'порядка 60' (programmes) allows [54, 66] and '87' (states) allows [87, 87]: "
            "no value is in both",
        ),
    ],
)
def test_compare_fails(op: str, left: str, right: str, message: str) -> None:
    """compare fails when no value the figures allow satisfies op; the finding names both cells."""
    declared = spec("compare", left=left, right=right, op=op)
    result, findings = check(declared, context())
    assert (result.status, result.message, result.reads) == (Status.FAILED, message, INTERVAL_READS)
    assert findings == [one_finding(declared, message, [cell(left), cell(right)])]


def test_compare_finding_points_at_the_raw_row_and_the_quote() -> None:
    """The finding's cells give raw/figures.csv rows, the quote and the figure's offsets."""
    declared = spec("compare", left="states", right="fewer-agreements")
    _, [found] = check(declared, context())
    sentence = "Действует более 100 договоров с центрами из 87 государств."
    assert (found.file, found.row, found.field, found.kind, found.value, found.check) == (
        "raw/figures.csv",
        3,
        "value",
        "compare",
        "87",
        "figures-agree",
    )
    assert found.severity is Severity.ERROR
    assert found.involved == (
        Involved(
            "figures", "states", "value", "87", "raw/figures.csv", 3, sentence, SOURCE, 44, 46
        ),
        Involved(
            "figures",
            "fewer-agreements",
            "value",
            "менее 80",
            "raw/figures.csv",
            4,
            "По другим данным, договоров менее 80.",
            SOURCE,
            87,
            95,
        ),
    )
    assert TEXT[44:46] == "87"
    assert TEXT[87:95] == "менее 80"


def test_compare_undecided_is_a_warning_even_for_an_error_check() -> None:
    """Figure 187 against "более 100" cannot be settled: a warning, whatever the severity."""
    declared = spec("compare", left="more-states", right="agreements")
    result, findings = check(declared, context())
    message = (
        "'187' (more-states) ≤ 'более 100' (agreements) cannot be decided: '187' (more-states) "
        "allows [187, 187] and 'более 100' (agreements) allows (100, ∞): the intervals overlap, "
        "so the printed figures cannot settle it"
    )
    assert result.status is Status.WARNING
    assert findings == [
        one_finding(declared, message, [cell("more-states"), cell("agreements")], Severity.WARNING)
    ]


@pytest.mark.parametrize(
    ("name", "fit", "unfit", "problem"),
    [
        ("compare", ("<=", ">=", "overlaps"), ("<", "==", "≤"), "must be one of <=, >=, overlaps"),
        ("listed_count", ("==", "<="), ("<", ">=", "overlaps"), "must be one of ==, <="),
    ],
)
def test_op_takes_only_the_ops_the_kind_knows(
    name: str, fit: tuple[str, ...], unfit: tuple[str, ...], problem: str
) -> None:
    """A kind's op is optional, defaults to its first op, and rejects any op it does not know."""
    op = KINDS[name].param("op")
    assert op is not None
    assert (op.required, op.default) == (False, fit[0])
    assert [op.problem(value) for value in fit] == [None] * len(fit)
    assert [op.problem(value) for value in unfit] == [problem] * len(unfit)


def test_figure_not_published_is_a_check_reference_finding() -> None:
    """A check naming a figure that is not in the table fails with a finding at its declaration."""
    declared = spec("compare", "warning", left="states", right="nowhere")
    result, findings = check(declared, context())
    message = (
        "the check names figure 'nowhere', which is not published - fix the id in the "
        "check's params"
    )
    # What the check read before it found the figure missing: the left figure's interval.
    assert (result.status, result.message, result.reads) == (Status.FAILED, message, INTERVAL_READS)
    assert findings == [
        Finding(
            "schemas/checks.yaml",
            10,
            "params",
            "check-reference",
            message,
            None,
            Severity.ERROR,
            CHECK,
        )
    ]


def test_unknown_reference_is_raised_by_the_kind() -> None:
    """The kind itself raises UnknownReference; run_checks turns it into the finding."""
    from etl.build.checks.kinds import compare

    with pytest.raises(UnknownReference, match="names figure 'nowhere', which is not published"):
        compare(spec("compare", left="states", right="nowhere"), context())


# part_le_whole


def test_part_le_whole_share_of_an_approximate_whole_passes() -> None:
    """A share "Более половины" of "порядка 60" is at most 1; the message gives the counts."""
    declared = spec("part_le_whole", part="science-share", whole="programmes")
    result, findings = check(declared, context())
    assert findings == []
    assert result == passed(
        declared,
        "'Более половины' (science-share) of 'порядка 60' (programmes) is (30, 60] as printed "
        "and (27, 66] within the bounds checks give 'порядка 60' (programmes); a share of "
        "(0.5, 1] never exceeds the whole",
        PART_READS,
    )


def test_part_le_whole_count_passes() -> None:
    """A count part whose upper bound is below the whole's lower bound passes."""
    declared = spec("part_le_whole", part="projects", whole="more-states")
    result, _ = check(declared, context())
    assert result == passed(
        declared,
        "'59' (projects) ≤ '187' (more-states): holds, because the upper bound of '59' "
        "(projects), 59, is not above the lower bound of '187' (more-states), 187",
        PART_READS,
    )


@pytest.mark.parametrize(
    ("part", "whole", "message"),
    [
        pytest.param(
            "more-states",
            "programmes",
            "'187' (more-states) ≤ 'порядка 60' (programmes) is false: the lower bound of "
            "'187' (more-states), 187, is above the upper bound of 'порядка 60' (programmes), 66",
            id="count-exceeds-approximate-whole",
        ),
        pytest.param(
            "exact-too-big-share",
            "programmes",
            "'1,5' (exact-too-big-share) ≤ the whole is false: the lower bound of "
            "'1,5' (exact-too-big-share), 1.45, is above the upper bound of "
            "the whole (a share of 1), 1",
            id="exact-share-above-one",
        ),
    ],
)
def test_part_le_whole_fails(part: str, whole: str, message: str) -> None:
    """A part that must exceed its whole (or a share above 1) fails, naming both figures."""
    declared = spec("part_le_whole", part=part, whole=whole)
    result, findings = check(declared, context())
    assert result.status is Status.FAILED
    assert findings == [one_finding(declared, message, [cell(part), cell(whole)])]


def test_part_le_whole_open_share_above_one_fails() -> None:
    """A share "более 1,5" is more than the whole: the check fails."""
    declared = spec("part_le_whole", part="too-big-share", whole="programmes")
    result, findings = check(declared, context())
    assert result.status is Status.FAILED
    assert [f.message.split(":")[0] for f in findings] == [
        "'более 1,5' (too-big-share) ≤ the whole is false"
    ]
    assert findings[0].involved == (cell("too-big-share"), cell("programmes"))


# listed_count


def test_listed_count_complete_list_matches() -> None:
    """Three names listed, in position order, for a complete list of "3": passes."""
    declared = spec("listed_count", figure="countries")
    result, findings = check(declared, context())
    assert findings == []
    assert result == passed(
        declared,
        "the 3 listed (Литвы, Индии, Кореи) = '3' (countries): holds, because the 3 listed "
        "(Литвы, Индии, Кореи) allows [3, 3] and '3' (countries) allows [3, 3]: they share values",
        LISTED_READS,
    )


def test_listed_count_wrong_count_fails() -> None:
    """A count of 4 against the 3 names of another figure's list fails, citing both figures."""
    declared = spec("listed_count", figure="four-countries", list="countries")
    result, findings = check(declared, context())
    message = (
        "the 3 listed (Литвы, Индии, Кореи) = '4' (four-countries) is false: the 3 listed "
        "(Литвы, Индии, Кореи) allows [3, 3] and '4' (four-countries) allows [4, 4]: "
        "no value is in both"
    )
    assert result.status is Status.FAILED
    assert result.message == message
    assert findings == [
        one_finding(declared, message, [cell("four-countries"), cell("countries", "partner_list")])
    ]


def test_listed_count_partial_list_warns() -> None:
    """A partial list ("и других стран") cannot be counted: a warning, not a failure."""
    declared = spec("listed_count", figure="centres")
    result, findings = check(declared, context())
    message = (
        "the 2 listed (России, Китая) cannot be counted against 'свыше 40' (centres): "
        "the list is partial"
    )
    assert result.status is Status.WARNING
    assert findings == [
        one_finding(
            declared,
            message,
            [cell("centres"), cell("centres", "partner_list")],
            Severity.WARNING,
        )
    ]


@pytest.mark.parametrize(
    ("figure_id", "status", "message"),
    [
        (
            "members",
            Status.PASSED,
            "the 3 listed (СНГ, КНР, Вьетнама) ≤ '25' (members): holds, because the upper bound "
            "of the 3 listed (СНГ, КНР, Вьетнама), 3, is not above the lower bound of "
            "'25' (members), 25",
        ),
        (
            "two-members",
            Status.FAILED,
            "the 3 listed (СНГ, КНР, Вьетнама) ≤ '2' (two-members) is false: the lower bound of "
            "the 3 listed (СНГ, КНР, Вьетнама), 3, is above the upper bound of "
            "'2' (two-members), 2",
        ),
    ],
)
def test_listed_count_at_most(figure_id: str, status: Status, message: str) -> None:
    """With op <=, the names listed must not outnumber the stated count."""
    declared = spec("listed_count", figure=figure_id, list="members", op="<=")
    result, findings = check(declared, context())
    assert (result.status, result.message) == (status, message)
    assert len(findings) == (status is Status.FAILED)


def test_listed_count_at_most_does_not_mind_a_partial_list() -> None:
    """With op <=, a partial list is still a lower count: 2 listed ≤ "свыше 40" holds."""
    result, findings = check(spec("listed_count", figure="centres", op="<="), context())
    assert (result.status, findings) == (Status.PASSED, [])


# sum_equals


def test_sum_equals_within_rounding_passes() -> None:
    """A total 9,4 млн is 4,1 млн + 5,3 млн within half a unit of each figure's last digit."""
    declared = spec("sum_equals", groups=[{"total": "total", "parts": ["first", "second"]}])
    result, findings = check(declared, context())
    assert findings == []
    assert result == passed(
        declared,
        "'9,4 млн' (total) = the sum of '4,1 млн' (first) + '5,3 млн' (second): holds, because "
        "'9,4 млн' (total) allows [9 350 000, 9 450 000] and the sum of '4,1 млн' (first) + "
        "'5,3 млн' (second) allows [9 300 000, 9 500 000]: they share values",
        INTERVAL_READS,
    )


def test_sum_equals_beyond_rounding_fails() -> None:
    """A total 9,4 млн is not 4,1 млн + 5,6 млн: the finding names the total and every part."""
    declared = spec("sum_equals", groups=[{"total": "total", "parts": ["first", "second-alt"]}])
    result, findings = check(declared, context())
    message = (
        "'9,4 млн' (total) = the sum of '4,1 млн' (first) + '5,6 млн' (second-alt) is false: "
        "'9,4 млн' (total) allows [9 350 000, 9 450 000] and the sum of '4,1 млн' (first) + "
        "'5,6 млн' (second-alt) allows [9 600 000, 9 800 000]: no value is in both"
    )
    assert result.status is Status.FAILED
    assert findings == [
        one_finding(declared, message, [cell("total"), cell("first"), cell("second-alt")])
    ]


def test_sum_equals_reports_each_group() -> None:
    """Groups are judged one by one: one good and one bad group give one finding."""
    declared = spec(
        "sum_equals",
        groups=[
            {"total": "total", "parts": ["first", "second"]},
            {"total": "total", "parts": ["first", "second-alt"]},
        ],
    )
    result, findings = check(declared, context())
    assert result.status is Status.FAILED
    assert [f.involved[-1].id for f in findings] == ["second-alt"]


# dates_in_order


def dated_tables(
    period: tuple[date | None, date | None],
    event: tuple[date, date | None],
    published_not_before: date | None = date(2022, 12, 19),
    published_not_after: date | None = None,
) -> CheckContext:
    """Figures "456" (with `period`) and "87" (undated), event "approved" and their source."""
    quote, quote_start, quote_end = quote_span("approved")
    events = frame(
        "events",
        [
            {
                "event_id": "approved",
                "source_id": SOURCE,
                "start_date": event[0],
                "end_date": event[1],
                "quote": quote,
                "quote_start": quote_start,
                "quote_end": quote_end,
            }
        ],
    )
    sources = frame(
        "sources",
        [
            {
                "source_id": SOURCE,
                "published_not_before": published_not_before,
                "published_not_after": published_not_after,
            }
        ],
    )
    ctx = context("contracts", "states", events=events, sources=sources)
    ctx.tables["figures"] = ctx.tables["figures"].with_columns(
        pl.Series("period_start", [period[0], None], dtype=pl.Date),
        pl.Series("period_end", [period[1], None], dtype=pl.Date),
    )
    return ctx


def event_cell() -> Involved:
    """The start_date cell of event "approved", at line 3 of raw/events.csv."""
    quote, start, end = quote_span("approved")
    return Involved(
        "events",
        "approved",
        "start_date",
        "2022-05-01",
        "raw/events.csv",
        3,
        quote,
        SOURCE,
        start,
        end,
    )


def test_dates_in_order_passes() -> None:
    """Dated rows in order and not after the source pass; undated rows are not counted."""
    declared = spec("dates_in_order")
    ctx = dated_tables((date(2020, 1, 1), date(2022, 12, 31)), (date(2022, 5, 1), None))
    result, findings = check(declared, ctx)
    assert findings == []
    assert result == passed(
        declared,
        "2 dated rows start no later than they end and than the latest date their source "
        "speaks of, and end no later than the end of that date's year; every source's "
        "publication window is in order",
        DATES_READS,
    )


BOUND_MESSAGE = (
    "{id} starts on {start}, after 2022-12-19, the latest date its source speaks of "
    "(published_not_before) - fix the date or the source's published_not_before"
)
YEAR_MESSAGE = (
    "{id} ends on {end}, after the end of 2022, the year of the latest date its source speaks "
    "of (published_not_before, 2022-12-19) - a report states no fact of a later year; fix the "
    "date or the source's window"
)


@pytest.mark.parametrize(
    ("period", "event", "expected"),
    [
        pytest.param(
            (date(2020, 1, 1), date(2022, 12, 31)),
            (date(2022, 5, 1), date(2022, 3, 31)),
            [("approved ends on 2022-03-31, before it starts on 2022-05-01", event_cell())],
            id="event-ends-before-it-starts",
        ),
        pytest.param(
            (date(2023, 1, 1), date(2023, 12, 31)),
            (date(2022, 5, 1), None),
            [
                (
                    BOUND_MESSAGE.format(id="contracts", start="2023-01-01"),
                    cell("contracts", "period_start", "2023-01-01"),
                ),
                (
                    YEAR_MESSAGE.format(id="contracts", end="2023-12-31"),
                    cell("contracts", "period_end", "2023-12-31"),
                ),
            ],
            id="figure-after-published-not-before",
        ),
        pytest.param(
            (date(2023, 2, 1), date(2023, 1, 31)),
            (date(2022, 5, 1), None),
            [
                (
                    "contracts ends on 2023-01-31, before it starts on 2023-02-01",
                    cell("contracts", "period_start", "2023-02-01"),
                ),
                (
                    BOUND_MESSAGE.format(id="contracts", start="2023-02-01"),
                    cell("contracts", "period_start", "2023-02-01"),
                ),
                (
                    YEAR_MESSAGE.format(id="contracts", end="2023-01-31"),
                    cell("contracts", "period_end", "2023-01-31"),
                ),
            ],
            id="all-wrong-in-one-row",
        ),
        pytest.param(
            (date(2022, 6, 1), date(2023, 5, 31)),
            (date(2022, 5, 1), None),
            [
                (
                    YEAR_MESSAGE.format(id="contracts", end="2023-05-31"),
                    cell("contracts", "period_end", "2023-05-31"),
                )
            ],
            id="figure-ends-in-a-later-year",
        ),
    ],
)
def test_dates_in_order_fails(
    period: tuple[date, date], event: tuple[date, date | None], expected: list[tuple[str, Involved]]
) -> None:
    """A period that ends before it starts, or starts after its source, is an error at its row."""
    declared = spec("dates_in_order")
    result, findings = check(declared, dated_tables(period, event))
    assert result.status is Status.FAILED
    assert findings == [one_finding(declared, message, [where]) for message, where in expected]


def test_dates_in_order_without_published_not_before() -> None:
    """A source with no published_not_before bounds no date."""
    ctx = dated_tables((date(2030, 1, 1), None), (date(2031, 5, 1), None), None)
    result, findings = check(spec("dates_in_order"), ctx)
    assert (result.status, findings) == (Status.PASSED, [])


def test_dates_in_order_bounds_by_published_not_after_when_known() -> None:
    """published_not_after, when known, is the latest date a source speaks of."""
    ctx = dated_tables(
        (date(2020, 1, 1), date(2022, 12, 31)),
        (date(2022, 5, 1), None),
        date(2022, 1, 10),
        date(2022, 3, 1),
    )
    declared = spec("dates_in_order")
    result, findings = check(declared, ctx)
    message = (
        "approved starts on 2022-05-01, after 2022-03-01, the latest date its source speaks of "
        "(published_not_after) - fix the date or the source's published_not_after"
    )
    assert result.status is Status.FAILED
    assert findings == [one_finding(declared, message, [event_cell()])]


def test_dates_in_order_checks_the_publication_window() -> None:
    """A source whose published_not_after is before its published_not_before fails there."""
    ctx = dated_tables(
        (date(2020, 1, 1), date(2020, 12, 31)),
        (date(2020, 5, 1), None),
        date(2022, 12, 19),
        date(2022, 1, 1),
    )
    declared = spec("dates_in_order")
    result, findings = check(declared, ctx)
    message = (
        "source by-test has published_not_after 2022-01-01, before its published_not_before "
        "2022-12-19 - fix the publication window"
    )
    window = Involved(
        "sources",
        SOURCE,
        "published_not_after",
        "2022-01-01",
        "dist/data/sources.csv",
        None,
        source_id=SOURCE,
    )
    assert result.status is Status.FAILED
    assert findings == [one_finding(declared, message, [window])]


def test_dates_in_order_with_nothing_dated_is_not_run() -> None:
    """With no dated row there is nothing to check: not_run, and it says why."""
    ctx = dated_tables((None, None), (date(2022, 5, 1), None))
    ctx.tables["events"] = ctx.tables["events"].clear()
    result, findings = check(spec("dates_in_order"), ctx)
    assert (result.status, result.message, findings) == (
        Status.NOT_RUN,
        "no figure or event has a date to check",
        [],
    )


# consistent_statements

CONFLICTS = [["implemented", "under_way"], ["implemented", "started"], ["implemented", "approved"]]


def statements(*statement_ids: str) -> pl.DataFrame:
    """The programme_statements table with the given statements."""
    rows = []
    for statement_id in statement_ids:
        sentence, programme, status, _ = STATEMENTS[statement_id]
        quote, start, end = quote_span(sentence)
        rows.append(
            {
                "statement_id": statement_id,
                "source_id": SOURCE,
                "programme_id": programme,
                "status": status,
                "quote": quote,
                "quote_start": start,
                "quote_end": end,
            }
        )
    return frame("programme_statements", rows)


def statement_cell(statement_id: str) -> Involved:
    """The status cell of a statement, with its raw row, quote and offsets."""
    sentence, _, status, line = STATEMENTS[statement_id]
    quote, start, end = quote_span(sentence)
    return Involved(
        "programme_statements",
        statement_id,
        "status",
        status,
        "raw/programme_statements.csv",
        line,
        quote,
        SOURCE,
        start,
        end,
    )


def test_conflicting_statements_warn_with_both_quotes() -> None:
    """Implemented and under way: one warning quoting both sentences, white space tidied."""
    declared = spec("consistent_statements", "warning", conflicts=CONFLICTS)
    ctx = context(
        programme_statements=statements(
            "tekhnologiya-sg-implemented",
            "integratsiya-sg-implemented",
            "integratsiya-sg-under-way",
        )
    )
    result, findings = check(declared, ctx)
    message = (
        "programme integratsiya-sg is stated as implemented and as under_way: "
        '"В последние годы реализованы программы «Интеграция-СГ» и «Технология-СГ»." / '
        '"В настоящее время реализуется космическая программа «Интеграция-СГ»."'
    )
    assert result.status is Status.WARNING
    assert result.message == message
    assert findings == [
        one_finding(
            declared,
            message,
            [
                statement_cell("integratsiya-sg-implemented"),
                statement_cell("integratsiya-sg-under-way"),
            ],
            Severity.WARNING,
        )
    ]
    assert "\n" in (findings[0].involved[0].quote or "")  # the cell keeps the source's quote


@pytest.mark.parametrize(
    "statement_ids",
    [
        pytest.param(
            ("integratsiya-sg-implemented", "integratsiya-sg-implemented-again"),
            id="implemented-twice",
        ),
        pytest.param(
            ("tekhnologiya-sg-implemented", "integratsiya-sg-under-way"),
            id="different-programmes",
        ),
        pytest.param(
            ("tekhnologiya-sg-implemented", "tekhnologiya-sg-results-used"),
            id="not-a-declared-conflict",
        ),
    ],
)
def test_consistent_statements_pass(statement_ids: tuple[str, ...]) -> None:
    """Statements that agree, or concern different programmes, pass."""
    declared = spec("consistent_statements", "warning", conflicts=CONFLICTS)
    result, findings = check(declared, context(programme_statements=statements(*statement_ids)))
    assert findings == []
    assert result == passed(
        declared, "no programme of 2 statements is stated two ways", STATEMENTS_READS
    )


# derived_recomputed


def derived(value: float, **extra: Any) -> pl.DataFrame:
    """One derived figure, total / contracts, with the given value; its bounds, unit and
    currency are those its printed inputs give unless `extra` says otherwise."""
    row = {
        "derived_id": "average-contract",
        "formula": "total / contracts",
        "numerator_id": "total",
        "denominator_id": "contracts",
        "value": value,
        "lower_bound": 9_350_000 / 456,  # "456" is an exact count, "9,4 млн" is rounded
        "upper_bound": 9_450_000 / 456,
        "unit": "USD per contract",
        "currency": "USD",
    } | extra
    return frame("derived_figures", [row])


def derived_context(value: float, **extra: Any) -> CheckContext:
    """total (9,4 млн USD) and contracts (456), with currencies, and one derived figure."""
    ctx = context("total", "contracts", derived_figures=derived(value, **extra))
    ctx.tables["figures"] = ctx.tables["figures"].with_columns(
        pl.Series("currency", ["USD", None], dtype=pl.String)
    )
    return ctx


DERIVED_MESSAGE = (
    "1 derived figures lie within the bounds their printed inputs allow, publish those bounds, "
    "and carry their inputs' units"
)


@pytest.mark.parametrize(
    ("value", "tolerance"),
    [
        (9_400_000 / 456, 1e-12),
        (9_350_000 / 456, 1e-12),  # the lowest value the printed bounds allow
        (9_450_000 / 456, 1e-12),  # the highest
    ],
)
def test_derived_recomputed_passes(value: float, tolerance: float) -> None:
    """A derived value the printed bounds of its inputs allow, with those bounds, passes."""
    declared = spec("derived_recomputed", tolerance=tolerance)
    result, findings = check(declared, derived_context(value))
    assert findings == []
    assert result == passed(declared, DERIVED_MESSAGE, DERIVED_READS)


@pytest.mark.parametrize(
    ("value", "extra", "problem"),
    [
        pytest.param(
            20_000.0,
            {},
            "the value 20000.0 is outside [20504.385964912282, 20723.684210526317], what the "
            "printed bounds of its inputs allow",
            id="value-outside-the-printed-bounds",
        ),
        pytest.param(
            9_400_000 / 456,
            {"upper_bound": None},
            "its upper_bound is None, its inputs' bounds give 20723.684210526317",
            id="bound-missing",
        ),
        pytest.param(
            9_400_000 / 456,
            {"unit": "times"},
            "its unit 'times' does not follow from 'USD' / 'contract'",
            id="wrong-unit",
        ),
        pytest.param(
            9_400_000 / 456,
            {"currency": "EUR"},
            "its currency is 'EUR', its inputs give 'USD'",
            id="wrong-currency",
        ),
    ],
)
def test_derived_recomputed_fails(value: float, extra: dict[str, Any], problem: str) -> None:
    """What a derived figure claims and its printed inputs do not bear out fails at its row."""
    declared = spec("derived_recomputed", tolerance=1e-12)
    result, findings = check(declared, derived_context(value, **extra))
    assert result.status is Status.FAILED
    shown = str(value)
    cell_ = Involved(
        "derived_figures", "average-contract", "value", shown, "raw/derivations.csv", 2
    )
    assert findings == [one_finding(declared, f"average-contract: {problem}", [cell_])]


def test_derived_recomputed_with_nothing_derived_is_not_run() -> None:
    """With no derived figure there is nothing to check: not_run, and it says why."""
    ctx = derived_context(1.0)
    ctx.tables["derived_figures"] = ctx.tables["derived_figures"].clear()
    result, _ = check(spec("derived_recomputed"), ctx)
    assert (result.status, result.message) == (Status.NOT_RUN, "no derived figure to check")


# numbers_accounted

NUMBERS_TEXT = "Справочно:\nДействует более 100 договоров из 87 государств.\nИ ещё 1 100 раз.\n"


def numbers_context(*covered: Span) -> CheckContext:
    """A context with one source text (three numbers: 100, 87 and 1 100) and what covers them."""
    text = SourceText(SOURCE, "raw/texts/by-test.txt", NUMBERS_TEXT, "0" * 64)
    return CheckContext(
        tables={}, schemas=SCHEMAS, texts={SOURCE: text}, covered={SOURCE: list(covered)}
    )


def test_numbers_accounted_passes_when_every_number_is_covered() -> None:
    """Numbers inside covered spans (a figure, a period, a waiver) are accounted for."""
    declared = spec("numbers_accounted")
    result, findings = check(declared, numbers_context(Span(21, 30), Span(44, 46), Span(60, 75)))
    assert findings == []
    assert result == passed(declared, "all 3 numbers of 1 sources are accounted for", NUMBERS_READS)


@pytest.mark.parametrize(
    ("covered", "expected"),
    [
        pytest.param(
            (Span(21, 30), Span(65, 70)),
            [
                (
                    2,
                    "87",
                    "ствует более 100 договоров из 87 государств. И ещё 1 100 раз.",
                )
            ],
            id="one-number-uncovered",
        ),
        pytest.param(
            (Span(27, 29), Span(44, 46), Span(65, 69)),
            [
                (2, "100", "Справочно: Действует более 100 договоров из 87 государств. И"),
                (3, "1 100", "воров из 87 государств. И ещё 1 100 раз."),
            ],
            id="partly-covered-numbers",
        ),
    ],
)
def test_numbers_accounted_fails_at_the_source_line(
    covered: tuple[Span, ...], expected: list[tuple[int, str, str]]
) -> None:
    """An uncovered number is an error at its line of the source text, quoting its context."""
    declared = spec("numbers_accounted")
    result, findings = check(declared, numbers_context(*covered))
    assert result.status is Status.FAILED
    assert findings == [
        Finding(
            "raw/texts/by-test.txt",
            line,
            None,
            "number-not-transcribed",
            f"the number stands in '…{around}…' but no figure, period, event date or waiver "
            "accounts for it - transcribe it in raw/figures.csv or waive it in raw/waivers.csv",
            number,
            Severity.ERROR,
            CHECK,
        )
        for line, number, around in expected
    ]


def test_uncovered_numbers_locates_each_number() -> None:
    """uncovered_numbers alone gives each uncovered number's file, line, text and context."""
    text = SourceText(SOURCE, "raw/texts/by-test.txt", NUMBERS_TEXT, "0" * 64)
    found = uncovered_numbers(text, [Span(0, 50)])
    assert all(isinstance(u, Uncovered) for u in found)
    assert [(u.file, u.row, u.value, u.context) for u in found] == [
        ("raw/texts/by-test.txt", 3, "1 100", "воров из 87 государств. И ещё 1 100 раз.")
    ]


# Involved values


@pytest.mark.parametrize(
    ("declared", "ctx", "field", "value"),
    [
        pytest.param(
            spec("listed_count", figure="four-countries", list="countries"),
            context(),
            "partner_list",
            "complete",
            id="partner-list",
        ),
        pytest.param(
            spec("dates_in_order"),
            dated_tables((date(2023, 1, 1), None), (date(2022, 5, 1), None)),
            "period_start",
            "2023-01-01",
            id="period-start",
        ),
    ],
)
def test_involved_cell_shows_the_value_of_its_field(
    declared: CheckSpec, ctx: CheckContext, field: str, value: str
) -> None:
    """An Involved cell's value is the value of the field it names (as for events' dates)."""
    _, findings = check(declared, ctx)
    cells = [c for f in findings for c in f.involved if c.field == field]
    assert [c.value for c in cells] == [value]


def test_numbers_accounted_over_texts_without_numbers_is_not_run() -> None:
    """Source texts that hold no number leave nothing to account for: not_run, and why."""
    text = SourceText(SOURCE, "raw/texts/by-test.txt", "Справочно: без чисел.\n", "0" * 64)
    ctx = CheckContext(tables={}, schemas=SCHEMAS, texts={SOURCE: text}, covered={})
    result, findings = check(spec("numbers_accounted"), ctx)
    assert (result.status, result.message, findings) == (
        Status.NOT_RUN,
        "the 1 source texts hold no number",
        [],
    )


def test_consistent_statements_without_statements_is_not_run() -> None:
    """No programme statement leaves nothing to compare: not_run, and why."""
    declared = spec("consistent_statements", "warning", conflicts=CONFLICTS)
    ctx = context(programme_statements=statements("tekhnologiya-sg-implemented").clear())
    result, _ = check(declared, ctx)
    assert (result.status, result.message) == (
        Status.NOT_RUN,
        "no programme statement to compare",
    )
