"""Tests for etl.report.render: a report as text, the documented JSON, JUnit XML and GitHub
annotations."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, Skipped

from etl.report.findings import CheckResult, Finding, Involved, Report, Severity, Status
from etl.report.render import (
    FORMATS,
    LINES_AT_ONCE,
    failed,
    finding_json,
    render,
    render_github,
    render_json,
    render_junit,
    summary,
)

COUNT_MESSAGE = (
    "the 3 listed (Литва, Индия, Корея) = '4' (international-project-countries-2013) is false: "
    "the 3 listed (Литва, Индия, Корея) allows [3, 3] and '4' "
    "(international-project-countries-2013) allows [4, 4]: no value is in both"
)
COUNT_QUOTE = "Проекты выполнялись с организациями из 4 стран: Литвы, Индии, Кореи."
STATEMENT_MESSAGE = (
    'programme integratsiya-sg is stated as implemented and as under_way: "реализованы '
    '”Интеграция-СГ“" / "реализуется ”Интеграция-СГ“"'
)

COUNT_FINDING = Finding(
    "raw/figures.csv",
    6,
    "value",
    "listed_count",
    COUNT_MESSAGE,
    "4",
    Severity.ERROR,
    "countries-2013-match-their-list",
    (
        Involved(
            "figures",
            "international-project-countries-2013",
            "value",
            "4",
            "raw/figures.csv",
            6,
            COUNT_QUOTE,
            "by-infomaterial-2023-s4",
            39,
            40,
        ),
        Involved(
            "figures",
            "international-project-countries-2013",
            "partner_list",
            "4",
            "raw/figures.csv",
            6,
            COUNT_QUOTE,
            "by-infomaterial-2023-s4",
            39,
            40,
        ),
    ),
)
STATEMENT_FINDING = Finding(
    "raw/programme_statements.csv",
    5,
    "status",
    "consistent_statements",
    STATEMENT_MESSAGE,
    "implemented",
    Severity.WARNING,
    "programme-statements-consistent",
    (
        Involved(
            "programme_statements",
            "integratsiya-sg-implemented",
            "status",
            "implemented",
            "raw/programme_statements.csv",
            5,
            "реализованы ”Интеграция-СГ“",
            "by-infomaterial-2023-s4",
            2932,
            3041,
        ),
        Involved(
            "programme_statements",
            "integratsiya-sg-under-way",
            "status",
            "under_way",
            "raw/programme_statements.csv",
            6,
            "реализуется ”Интеграция-СГ“",
            "by-infomaterial-2023-s4",
            3557,
            3625,
        ),
    ),
)
DATA_ERROR = Finding(
    "raw/figures.csv",
    9,
    "figure",
    "figure-error",
    "'девять' is not a number - write the figure as printed, e.g. '9'",
    "девять",
)
DATA_WARNING = Finding(
    "schemas/raw/figures.yaml",
    None,
    None,
    "schema-warning",
    "the schema has no description - add one",
    severity=Severity.WARNING,
)
CHECKS = [
    CheckResult(
        "agreements-cover-partner-states",
        "compare",
        "Agreements are at least as many as partner states.",
        Severity.ERROR,
        Status.PASSED,
        "'87' ≤ 'более 100': holds",
    ),
    CheckResult(
        "countries-2013-match-their-list",
        "listed_count",
        "The 2013 countries match their list.",
        Severity.ERROR,
        Status.FAILED,
        COUNT_MESSAGE,
    ),
    CheckResult(
        "programme-statements-consistent",
        "consistent_statements",
        "A programme is not stated two ways.",
        Severity.WARNING,
        Status.WARNING,
        STATEMENT_MESSAGE,
    ),
    CheckResult(
        "money-adds-up",
        "sum_equals",
        "Totals are the sums of their parts.",
        Severity.ERROR,
        Status.NOT_RUN,
        "not run: an earlier stage failed",
    ),
]


def full_report() -> Report:
    """A report with a check error, a check warning, a data error, a data warning, four checks."""
    return Report(
        findings=[COUNT_FINDING, STATEMENT_FINDING, DATA_ERROR, DATA_WARNING], checks=list(CHECKS)
    )


def warnings_only() -> Report:
    """A report whose only finding is the check warning."""
    return Report(findings=[STATEMENT_FINDING], checks=[CHECKS[0], CHECKS[2]])


# failed and summary


@pytest.mark.parametrize(
    ("report", "strict", "expected"),
    [
        pytest.param(Report(), False, False, id="empty"),
        pytest.param(Report(), True, False, id="empty-strict"),
        pytest.param(warnings_only(), False, False, id="warning"),
        pytest.param(warnings_only(), True, True, id="warning-strict"),
        pytest.param(full_report(), False, True, id="error"),
        pytest.param(full_report(), True, True, id="error-strict"),
    ],
)
def test_failed(report: Report, strict: bool, expected: bool) -> None:
    """A run fails on any error, and on a warning only when strict."""
    assert failed(report, strict=strict) is expected


def test_summary_counts_findings_and_every_status() -> None:
    """The summary counts errors, warnings and each check status, zeros included."""
    assert summary(full_report()) == {
        "errors": 2,
        "warnings": 2,
        "checks": {"passed": 1, "failed": 1, "warning": 1, "not_run": 1},
    }
    assert summary(Report()) == {
        "errors": 0,
        "warnings": 0,
        "checks": {"passed": 0, "failed": 0, "warning": 0, "not_run": 0},
    }


# text


def test_text_is_one_line_per_finding_then_per_check() -> None:
    """Text: where, severity, kind, value and message per finding, then status and check."""
    assert render(full_report(), "text").splitlines() == [
        f"raw/figures.csv:6 (value): error [listed_count] '4': {COUNT_MESSAGE}",
        "raw/programme_statements.csv:5 (status): warning [consistent_statements] "
        f"'implemented': {STATEMENT_MESSAGE}",
        "raw/figures.csv:9 (figure): error [figure-error] 'девять': 'девять' is not a number - "
        "write the figure as printed, e.g. '9'",
        "schemas/raw/figures.yaml: warning [schema-warning] the schema has no description - "
        "add one",
        "passed   agreements-cover-partner-states: '87' ≤ 'более 100': holds",
        f"failed   countries-2013-match-their-list: {COUNT_MESSAGE}",
        f"warning  programme-statements-consistent: {STATEMENT_MESSAGE}",
        "not_run  money-adds-up: not run: an earlier stage failed",
    ]


def test_text_of_an_empty_report_is_empty() -> None:
    """Nothing found and nothing checked renders as no text at all."""
    assert render(Report(), "text") == ""


def test_text_ends_with_a_newline() -> None:
    """A non-empty text report ends with exactly one newline."""
    text = render(warnings_only(), "text")
    assert text.endswith("\n") and not text.endswith("\n\n")


# JSON

FINDING_KEYS = [
    "file",
    "row",
    "field",
    "kind",
    "message",
    "value",
    "severity",
    "check",
    "involved",
]
INVOLVED_KEYS = [
    "table",
    "id",
    "field",
    "value",
    "file",
    "row",
    "quote",
    "source_id",
    "start",
    "end",
]


def test_json_has_the_documented_shape() -> None:
    """Top-level, summary, check, finding and involved keys are exactly the documented ones."""
    data = json.loads(render_json(full_report()))
    assert list(data) == ["format", "version", "ok", "strict", "summary", "checks", "findings"]
    assert (data["format"], data["version"], data["ok"], data["strict"]) == (
        "etl-report",
        1,
        False,
        False,
    )
    assert list(data["summary"]) == ["errors", "warnings", "checks"]
    assert list(data["summary"]["checks"]) == ["passed", "failed", "warning", "not_run"]
    assert [list(c) for c in data["checks"]] == [
        ["check", "kind", "description", "severity", "status", "message"]
    ] * 4
    assert [list(f) for f in data["findings"]] == [FINDING_KEYS] * 4
    involved = [list(i) for f in data["findings"] for i in f["involved"]]
    assert involved == [INVOLVED_KEYS] * 4


def test_json_values() -> None:
    """Checks and findings carry their values; severities and statuses are plain strings."""
    data = json.loads(render_json(full_report()))
    assert data["summary"] == summary(full_report())
    assert data["checks"][2] == {
        "check": "programme-statements-consistent",
        "kind": "consistent_statements",
        "description": "A programme is not stated two ways.",
        "severity": "warning",
        "status": "warning",
        "message": STATEMENT_MESSAGE,
    }
    assert data["findings"][1] == {
        "file": "raw/programme_statements.csv",
        "row": 5,
        "field": "status",
        "kind": "consistent_statements",
        "message": STATEMENT_MESSAGE,
        "value": "implemented",
        "severity": "warning",
        "check": "programme-statements-consistent",
        "involved": [
            {
                "table": "programme_statements",
                "id": "integratsiya-sg-implemented",
                "field": "status",
                "value": "implemented",
                "file": "raw/programme_statements.csv",
                "row": 5,
                "quote": "реализованы ”Интеграция-СГ“",
                "source_id": "by-infomaterial-2023-s4",
                "start": 2932,
                "end": 3041,
            },
            {
                "table": "programme_statements",
                "id": "integratsiya-sg-under-way",
                "field": "status",
                "value": "under_way",
                "file": "raw/programme_statements.csv",
                "row": 6,
                "quote": "реализуется ”Интеграция-СГ“",
                "source_id": "by-infomaterial-2023-s4",
                "start": 3557,
                "end": 3625,
            },
        ],
    }
    assert data["findings"][3] == {
        "file": "schemas/raw/figures.yaml",
        "row": None,
        "field": None,
        "kind": "schema-warning",
        "message": "the schema has no description - add one",
        "value": None,
        "severity": "warning",
        "check": None,
        "involved": [],
    }


@pytest.mark.parametrize(
    ("report", "strict", "ok"),
    [
        pytest.param(full_report(), False, False, id="error"),
        pytest.param(full_report(), True, False, id="error-strict"),
        pytest.param(warnings_only(), False, True, id="warning"),
        pytest.param(warnings_only(), True, False, id="warning-strict"),
        pytest.param(Report(), True, True, id="clean-strict"),
    ],
)
def test_json_ok_and_strict(report: Report, strict: bool, ok: bool) -> None:
    """ok is false on an error, and on a warning only with strict; strict is echoed."""
    data = json.loads(render(report, "json", strict=strict))
    assert (data["ok"], data["strict"]) == (ok, strict)


def test_json_keeps_cyrillic_readable() -> None:
    """Russian text is written as is, not as \\u escapes, and the document ends with a newline."""
    text = render_json(full_report())
    assert "Интеграция-СГ" in text
    assert "\\u04" not in text
    assert text.endswith("}\n")


# JUnit


def junit(report: Report, *, strict: bool) -> ET.Element:
    """The JUnit XML of a report, parsed."""
    text = render_junit(report, strict=strict)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text)


def outcome(case: ET.Element) -> tuple[str, ...]:
    """The child tags of a test case: failure, skipped or system-out (none when it passed)."""
    return tuple(child.tag for child in case)


@pytest.mark.parametrize(
    ("strict", "counts", "outcomes"),
    [
        pytest.param(
            False,
            {"root": ("6", "2"), "checks": ("4", "1", "1"), "data": ("2", "1", "0")},
            [(), ("failure",), ("system-out",), ("skipped",), ("failure",), ("system-out",)],
            id="relaxed",
        ),
        pytest.param(
            True,
            {"root": ("6", "4"), "checks": ("4", "2", "1"), "data": ("2", "2", "0")},
            [(), ("failure",), ("failure",), ("skipped",), ("failure",), ("failure",)],
            id="strict",
        ),
    ],
)
def test_junit_structure_and_counts(
    strict: bool, counts: dict[str, tuple[str, ...]], outcomes: list[tuple[str, ...]]
) -> None:
    """Two suites, a case per declared check and per data finding kind, and true counts."""
    root = junit(full_report(), strict=strict)
    assert root.tag == "testsuites"
    assert (root.get("name"), root.get("tests"), root.get("failures")) == ("etl", *counts["root"])
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["checks", "data"]
    for suite in suites:
        assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == counts[
            suite.get("name", "")
        ]
    cases = [(c.get("classname"), c.get("name")) for s in suites for c in s.findall("testcase")]
    assert cases == [
        ("checks", "agreements-cover-partner-states"),
        ("checks", "countries-2013-match-their-list"),
        ("checks", "programme-statements-consistent"),
        ("checks", "money-adds-up"),
        ("data", "figure-error"),
        ("data", "schema-warning"),
    ]
    assert [outcome(c) for c in root.iter("testcase")] == outcomes


def test_junit_failure_carries_the_finding_text() -> None:
    """A failed check's failure has its severity, its message and the findings' lines."""
    root = junit(full_report(), strict=False)
    failure = root.find(
        "testsuite[@name='checks']/testcase[@name='countries-2013-match-their-list']/failure"
    )
    assert failure is not None
    assert failure.attrib == {"type": "error", "message": COUNT_MESSAGE}
    assert failure.text == COUNT_FINDING.render()
    data = root.find("testsuite[@name='data']/testcase[@name='figure-error']/failure")
    assert data is not None
    assert data.attrib == {"type": "figure-error", "message": "1 figure-error finding(s)"}
    assert data.text == DATA_ERROR.render()
    skipped = root.find("testsuite[@name='checks']/testcase[@name='money-adds-up']/skipped")
    assert skipped is not None
    assert skipped.attrib == {"message": "not run: an earlier stage failed"}


@pytest.mark.parametrize(
    ("strict", "tag", "attrib"),
    [
        (False, "system-out", {}),
        (True, "failure", {"type": "warning", "message": STATEMENT_MESSAGE}),
    ],
)
def test_junit_warning_is_output_unless_strict(
    strict: bool, tag: str, attrib: dict[str, str]
) -> None:
    """A warning check's findings are system-out, or a failure under strict."""
    root = junit(full_report(), strict=strict)
    case = root.find("testsuite[@name='checks']/testcase[@name='programme-statements-consistent']")
    assert case is not None
    [child] = list(case)
    assert (child.tag, child.attrib, child.text) == (tag, attrib, STATEMENT_FINDING.render())


def test_junit_without_data_findings_has_one_passing_data_case() -> None:
    """With no data findings the data suite holds one passing case, so it is never empty."""
    root = junit(warnings_only(), strict=False)
    data = root.find("testsuite[@name='data']")
    assert data is not None
    assert [(c.get("name"), outcome(c)) for c in data] == [("data", ())]
    assert (data.get("tests"), data.get("failures"), data.get("skipped")) == ("1", "0", "0")


@pytest.mark.parametrize("strict", [False, True])
def test_junit_reads_with_junitparser(strict: bool, tmp_path: Path) -> None:
    """junitparser, reading the report from a file as CI dashboards do, sees the same
    suites, cases and results (with lxml installed too: it refuses text with an encoding
    declaration, so the file's bytes are what it must read)."""
    path = tmp_path / "report.xml"
    path.write_text(render_junit(full_report(), strict=strict), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == ["checks", "data"]
    assert (xml.tests, xml.failures) == ((6, 4) if strict else (6, 2))
    checks = {case.name: case for case in suites["checks"]}
    assert (suites["checks"].tests, suites["checks"].failures, suites["checks"].skipped) == (
        (4, 2, 1) if strict else (4, 1, 1)
    )
    assert checks["agreements-cover-partner-states"].is_passed
    assert checks["money-adds-up"].is_skipped
    [skipped] = checks["money-adds-up"].result
    assert isinstance(skipped, Skipped)
    [failure] = checks["countries-2013-match-their-list"].result
    assert isinstance(failure, Failure)
    assert (failure.type, failure.message, failure.text) == (
        "error",
        COUNT_MESSAGE,
        COUNT_FINDING.render(),
    )
    warned = checks["programme-statements-consistent"]
    if strict:
        assert warned.is_failure
        assert warned.system_out is None
    else:
        assert warned.is_passed
        assert warned.system_out == STATEMENT_FINDING.render()
    data = {case.name: case for case in suites["data"]}
    assert data["figure-error"].is_failure
    assert data["schema-warning"].is_failure is strict


# GitHub


def test_github_annotations() -> None:
    """One ::error or ::warning per finding, with file, line when known, and title."""
    assert render(full_report(), "github").splitlines() == [
        "::error file=raw/figures.csv,line=6,title=countries-2013-match-their-list::"
        f"raw/figures.csv:6 (value) '4': {COUNT_MESSAGE}",
        "::warning file=raw/programme_statements.csv,line=5,title=programme-statements-consistent"
        f"::raw/programme_statements.csv:5 (status) 'implemented': {STATEMENT_MESSAGE}",
        "::error file=raw/figures.csv,line=9,title=figure-error::raw/figures.csv:9 (figure) "
        "'девять': 'девять' is not a number - write the figure as printed, e.g. '9'",
        "::warning file=schemas/raw/figures.yaml,title=schema-warning::schemas/raw/figures.yaml "
        "the schema has no description - add one",
    ]


@pytest.mark.parametrize(
    ("found", "line"),
    [
        pytest.param(
            Finding("raw/figures.csv", 6, None, "share-error", "100% is\nthe whole\r"),
            "::error file=raw/figures.csv,line=6,title=share-error::raw/figures.csv:6 "
            "100%25 is%0Athe whole%0D",
            id="message-percent-and-line-breaks",
        ),
        pytest.param(
            Finding("raw/odd,name:v2.csv", 2, None, "kind:a,b", "bad", "50%"),
            "::error file=raw/odd%2Cname%3Av2.csv,line=2,title=kind%3Aa%2Cb::raw/odd,name:v2.csv:2 "
            "'50%25': bad",
            id="properties-colon-and-comma",
        ),
        pytest.param(
            Finding("raw/a%b.csv", None, None, "k", "x", severity=Severity.WARNING),
            "::warning file=raw/a%25b.csv,title=k::raw/a%25b.csv x",
            id="property-percent",
        ),
    ],
)
def test_github_escaping(found: Finding, line: str) -> None:
    """% and line breaks are escaped everywhere; ':' and ',' in properties too."""
    assert render_github(Report(findings=[found])) == line + "\n"


def test_github_of_a_clean_report_is_empty() -> None:
    """No finding, no annotation: check results are not annotated."""
    assert render(Report(checks=list(CHECKS)), "github") == ""


# dispatch


def test_render_knows_every_format() -> None:
    """Every format in FORMATS renders; another raises ValueError naming it."""
    assert FORMATS == ("text", "json", "junit", "github")
    for fmt in FORMATS:
        assert render(full_report(), fmt)
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(full_report(), "xml")


def test_json_writes_one_check_and_one_finding_per_line() -> None:
    """Each check and each finding is one line that parses alone, in the report's order."""
    report = full_report()
    lines = render_json(report).splitlines()
    start = lines.index('  "findings": [')
    rows = [json.loads(line.strip().rstrip(",")) for line in lines[start + 1 : -2]]
    assert rows == [f.to_dict() for f in report.findings]
    check_start = lines.index('  "checks": [')
    assert len(lines[check_start + 1 : start - 1]) == len(report.checks)
    assert lines[-2:] == ["  ]", "}"]


class _Text(str):
    """A str subclass, as a StrEnum member is."""


ODD_FINDINGS = [
    COUNT_FINDING,  # cells involved
    STATEMENT_FINDING,
    Finding("a.csv", None, None, "blank-row", "the row is blank - delete it"),
    Finding("a.csv", 3, "f", "type-error", 'quote " slash \\ tab \t nl \n nul \x00', "\x1f\u2028"),
    Finding("данные/таблица.csv", 2, "поле", "type-error", "не число", "сорок два ✓"),
    Finding("a.csv", 2, "f", "type-error", "m", "\ud800"),  # a lone surrogate
    Finding("a.csv", True, "f", "type-error", "m", "x"),  # type: ignore[arg-type]
    Finding("a.csv", 2, "f", "type-error", "m", 42),  # type: ignore[arg-type]
    Finding("a.csv", 2, _Text("f"), _Text("type-error"), "m", _Text("x"), check=_Text("c")),
    Finding("a.csv", 2, "f", "type-error", "m", severity="warning"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("finding", ODD_FINDINGS)
def test_json_finding_line_is_its_dict_dumped(finding: Finding) -> None:
    """Each finding's JSON line is exactly json.dumps of its to_dict(), whatever it holds."""
    line = json.dumps(finding.to_dict(), ensure_ascii=False)
    assert finding_json(finding) == line
    assert f"    {line}\n" in render_json(Report(findings=[finding]))


def test_json_lines_are_whole_across_pieces() -> None:
    """A report of more findings than one written piece holds has each on its own line."""
    findings = [ODD_FINDINGS[4]] * (2 * LINES_AT_ONCE + 1)
    lines = render_json(Report(findings=findings)).splitlines()
    start = lines.index('  "findings": [')
    body = lines[start + 1 : -2]
    line = "    " + json.dumps(ODD_FINDINGS[4].to_dict(), ensure_ascii=False)
    assert body == [line + ","] * (2 * LINES_AT_ONCE) + [line]
