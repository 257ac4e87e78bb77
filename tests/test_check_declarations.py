"""Tests for etl.check: declarations in schemas/checks.yaml, the kind registry, and the real checks.

Broken declarations live in tests/data/checks/, each named after what it breaks; every problem is
a finding at schemas/checks.yaml and the line of the check's id.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import etl.check
from etl.check import (
    CHECKS_FILE,
    KINDS,
    CheckContext,
    CheckSpec,
    Outcome,
    approximately_share,
    checks_frame,
    finding,
    kind,
    load_checks,
    run_checks,
)
from etl.findings import CheckResult, Finding, Involved, Severity, Status
from etl.pipeline import BuildResult, run
from etl.schemas import TableSchema, load_schemas
from etl.settings import Settings
from tests.projects import ROOT, copy_project

SCHEMAS: dict[str, TableSchema] = load_schemas(ROOT / "schemas/published", "schemas/published")[0]
REAL_CHECKS = ROOT / "schemas" / "checks.yaml"
KNOWN_KINDS = (
    "compare, consistent_statements, csv_parquet_parity, dates_in_order, derived_recomputed, "
    "listed_count, numbers_accounted, part_le_whole, sum_equals"
)


def problem(row: int | None, field: str | None, message: str, value: str | None = None) -> Finding:
    """A declaration problem, as load_checks reports it."""
    return Finding(CHECKS_FILE, row, field, "check-declaration", message, value)


# load_checks on broken declarations


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "unknown-kind",
            [problem(3, "kind", f"unknown kind - use one of {KNOWN_KINDS}", "compair")],
            id="unknown-kind",
        ),
        pytest.param(
            "missing-param",
            [problem(9, "params", "kind compare needs the parameter", "right")],
            id="missing-param",
        ),
        pytest.param(
            "duplicate-id",
            [problem(9, "id", "two checks have this id - rename one", "dates-in-order")],
            id="duplicate-id",
        ),
        pytest.param(
            "reads-unknown-field",
            [problem(3, "reads", "no published table has this field", "figures.colour")],
            id="reads-unknown-field",
        ),
        pytest.param(
            "bad-severity",
            [problem(3, "severity", "severity is error or warning", "fatal")],
            id="bad-severity",
        ),
        pytest.param(
            "not-a-list",
            [problem(None, None, "the file must hold a list under 'checks'")],
            id="not-a-list",
        ),
        pytest.param(
            "bad-id",
            [problem(3, "id", "ids are lower-case words joined by -", "CSV_parity")],
            id="bad-id",
        ),
        pytest.param(
            "no-id",
            [
                problem(
                    None,
                    None,
                    "each check needs an 'id'",
                    "{'kind': 'csv_parquet_parity', 'description': 'Every table reads back the "
                    "same.', 'severity': 'error', 'reads': ['figures.figure_id']}",
                )
            ],
            id="no-id",
        ),
        pytest.param(
            "no-description-nor-reads",
            [
                problem(3, "description", "say in plain words what is checked"),
                problem(3, "reads", "list the table.field cells the check reads"),
            ],
            id="no-description-nor-reads",
        ),
        pytest.param(
            "several-problems",
            [
                problem(3, "severity", "severity is error or warning", "critical"),
                problem(3, "reads", "no published table has this field", "figure.upper_bound"),
                problem(3, "params", "kind compare needs the parameter", "left"),
                problem(3, "params", "kind compare needs the parameter", "right"),
            ],
            id="several-problems",
        ),
        pytest.param(
            "invalid-yaml",
            [
                Finding(
                    CHECKS_FILE,
                    4,
                    None,
                    "schema-error",
                    "not valid YAML: mapping values are not allowed here - fix the syntax",
                )
            ],
            id="invalid-yaml",
        ),
    ],
)
def test_broken_declaration_gives_exact_findings(
    data_dir: Path, name: str, expected: list[Finding]
) -> None:
    """Each broken declaration file gives exactly its findings, at the check's id line."""
    _, findings = load_checks(data_dir / "checks" / f"{name}.yaml", SCHEMAS)
    assert findings == expected


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("unknown-kind", []),
        ("missing-param", ["dates-in-order"]),
        ("duplicate-id", ["dates-in-order"]),
        ("several-problems", []),
        ("not-a-list", []),
    ],
)
def test_broken_checks_are_dropped_and_good_ones_kept(
    data_dir: Path, name: str, kept: list[str]
) -> None:
    """Only checks without problems come back as specs; the first of two same ids is kept."""
    specs, _ = load_checks(data_dir / "checks" / f"{name}.yaml", SCHEMAS)
    assert [s.id for s in specs] == kept


@pytest.mark.parametrize(
    ("name", "field"),
    [("kind-not-a-name", "kind"), ("params-not-a-mapping", "params")],
)
def test_wrong_yaml_type_is_a_finding(data_dir: Path, name: str, field: str) -> None:
    """A kind that is not a name, or params that are not a mapping, is a finding at the id."""
    specs, findings = load_checks(data_dir / "checks" / f"{name}.yaml", SCHEMAS)
    assert specs == []
    assert [(f.file, f.row, f.field, f.kind) for f in findings] == [
        (CHECKS_FILE, 3, field, "check-declaration")
    ]


def test_check_naming_an_unpublished_figure_is_a_finding(data_dir: Path, tmp_path: Path) -> None:
    """A misspelt figure id in params fails the build with a finding naming the check."""
    project = copy_project(tmp_path, with_dist=False)
    shutil.copy(data_dir / "checks" / "unknown-figure.yaml", project / "schemas" / "checks.yaml")
    result = run(Settings.for_project(project), write=False)
    assert [(f.file, f.row, f.check) for f in result.report.errors] == [
        (CHECKS_FILE, 3, "agreements-cover-partner-states")
    ]
    assert "nasb-cooperation-agreement" in result.report.errors[0].message


def test_declaration_file_is_always_named_as_schemas_checks_yaml(
    data_dir: Path, tmp_path: Path
) -> None:
    """Findings name schemas/checks.yaml, the file a person edits, wherever it was read from."""
    moved = tmp_path / "elsewhere.yaml"
    shutil.copy(data_dir / "checks" / "bad-severity.yaml", moved)
    _, findings = load_checks(moved, SCHEMAS)
    assert [f.file for f in findings] == ["schemas/checks.yaml"]


# load_checks on the real declarations


def test_real_declarations_load_without_problems() -> None:
    """schemas/checks.yaml declares 11 checks, each at the line of its id, with its params."""
    specs, findings = load_checks(REAL_CHECKS, SCHEMAS)
    assert findings == []
    lines = REAL_CHECKS.read_text(encoding="utf-8").splitlines()
    declared = [
        (number, match.group(1))
        for number, line in enumerate(lines, start=1)
        if (match := re.fullmatch(r"  - id: (\S+)", line))
    ]
    assert [(s.line, s.id) for s in specs] == declared
    assert len(specs) == 11
    first = specs[0]
    assert first == CheckSpec(
        "agreements-cover-partner-states",
        "compare",
        "NASB's cooperation agreements (более 100) are with partners from 87 states, so there are "
        "at least as many agreements as states.",
        Severity.ERROR,
        ("figures.lower_bound", "figures.upper_bound", "figures.comparator"),
        {
            "left": "nasb-agreement-partner-states",
            "right": "nasb-cooperation-agreements",
            "op": "<=",
        },
        first.line,
    )


def test_every_declared_kind_is_registered() -> None:
    """Every kind used in schemas/checks.yaml, and every kind the checks table names, exists."""
    specs, _ = load_checks(REAL_CHECKS, SCHEMAS)
    assert {s.kind for s in specs} <= set(KINDS)
    assert ", ".join(sorted(KINDS)) == KNOWN_KINDS
    described = SCHEMAS["checks"].field("kind").description
    assert all(name in described for name in KINDS)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("settings:\n  approximately: 0.2\nchecks: []\n", 0.2),
        ("checks: []\n", 0.1),
        ("- not a mapping\n", 0.1),
    ],
)
def test_approximately_share(tmp_path: Path, text: str, share: float) -> None:
    """settings.approximately is the ± share for "approximately" figures; 0.1 when not set."""
    path = tmp_path / "checks.yaml"
    path.write_text(text, encoding="utf-8")
    assert approximately_share(path) == share


def test_real_approximately_share() -> None:
    """The real declarations read "порядка 60" as 60 ± 10 %."""
    assert approximately_share(REAL_CHECKS) == 0.1


# the registry and run_checks


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, etl.check.Kind]:
    """A copy of the kind registry, so that kinds registered by a test vanish after it."""
    import etl.check_kinds  # registers the real kinds first

    copy = dict(KINDS)
    monkeypatch.setattr(etl.check, "KINDS", copy)
    return copy


def test_a_new_kind_is_one_decorated_function(
    registry: dict[str, etl.check.Kind], tmp_path: Path
) -> None:
    """@kind registers a function with its parameters; declarations then use it and run it."""

    @kind("always_in_doubt", "figure")
    def always_in_doubt(spec: CheckSpec, ctx: CheckContext) -> Outcome:
        """Warns about the named figure."""
        return Outcome(
            [finding(spec, f"{spec.params['figure']} is in doubt", [], severity=Severity.WARNING)],
            "",
        )

    assert registry["always_in_doubt"].params == ("figure",)
    assert registry["always_in_doubt"].function is always_in_doubt
    path = tmp_path / "checks.yaml"
    path.write_text(
        "checks:\n"
        "  - id: in-doubt\n"
        "    kind: always_in_doubt\n"
        "    description: The figure is in doubt.\n"
        "    severity: error\n"
        "    reads: [figures.value]\n"
        "    params: {figure: nasb-cooperation-agreements}\n",
        encoding="utf-8",
    )
    specs, findings = load_checks(path, SCHEMAS)
    assert findings == []
    results, found = run_checks(specs, CheckContext({}, SCHEMAS))
    message = "nasb-cooperation-agreements is in doubt"
    assert results == [
        CheckResult(
            "in-doubt",
            "always_in_doubt",
            "The figure is in doubt.",
            Severity.ERROR,
            Status.WARNING,
            message,
        )
    ]
    # A finding that involves no cell is located at the check's declaration.
    assert found == [
        Finding(
            CHECKS_FILE,
            2,
            None,
            "always_in_doubt",
            message,
            None,
            Severity.WARNING,
            "in-doubt",
        )
    ]


@pytest.mark.parametrize(
    ("severities", "status", "message"),
    [
        ((), Status.PASSED, "verified"),
        ((Severity.WARNING,), Status.WARNING, "problem 1"),
        ((Severity.WARNING, Severity.ERROR), Status.FAILED, "problem 1; problem 2"),
        ((Severity.ERROR, Severity.ERROR), Status.FAILED, "problem 1; problem 2"),
    ],
)
def test_run_checks_status_and_message(
    registry: dict[str, etl.check.Kind],
    severities: tuple[Severity, ...],
    status: Status,
    message: str,
) -> None:
    """A check fails on any error, warns on warnings only, and its message joins its findings."""

    @kind("scripted")
    def scripted(spec: CheckSpec, ctx: CheckContext) -> Outcome:
        """Reports one finding per scripted severity."""
        found = [finding(spec, f"problem {n}", [], severity=s) for n, s in enumerate(severities, 1)]
        return Outcome(found, "verified")

    declared = CheckSpec("scripted-check", "scripted", "Scripted.", Severity.ERROR, (), {}, 4)
    results, findings = run_checks([declared], CheckContext({}, SCHEMAS))
    assert [(r.status, r.message) for r in results] == [(status, message)]
    assert [f.severity for f in findings] == list(severities)


def test_finding_is_located_at_its_first_cell() -> None:
    """A check's finding takes file, row, field and value from the first cell it involves."""
    declared = CheckSpec("c", "compare", "C.", Severity.WARNING, (), {}, 12)
    cells = [
        Involved("figures", "a", "value", "87", "raw/figures.csv", 3),
        Involved("figures", "b", "value", "более 100", "raw/figures.csv", 2),
    ]
    assert finding(declared, "why", cells) == Finding(
        "raw/figures.csv", 3, "value", "compare", "why", "87", Severity.WARNING, "c", tuple(cells)
    )


def test_involved_without_origin_points_at_the_published_csv() -> None:
    """A row with no raw origin is located in dist/data/<table>.csv, with no row number."""
    ctx = CheckContext({}, SCHEMAS)
    row = {"derived_id": "ratio", "value": 2.5}
    assert ctx.involved("derived_figures", "derived_id", row, "value") == Involved(
        "derived_figures", "ratio", "value", "2.5", "dist/data/derived_figures.csv", None
    )


def test_checks_frame() -> None:
    """The published checks table: one row per result, reads joined by ', ', all strings."""
    specs = [
        CheckSpec(
            "a-check", "compare", "A.", Severity.ERROR, ("figures.value", "figures.unit"), {}
        ),
        CheckSpec("b-check", "dates_in_order", "B.", Severity.WARNING, ("events.start_date",), {}),
    ]
    results = [
        CheckResult("a-check", "compare", "A.", Severity.ERROR, Status.PASSED, "fine"),
        CheckResult("b-check", "dates_in_order", "B.", Severity.WARNING, Status.WARNING, "doubt"),
    ]
    expected = pl.DataFrame(
        {
            "check_id": ["a-check", "b-check"],
            "kind": ["compare", "dates_in_order"],
            "description": ["A.", "B."],
            "severity": ["error", "warning"],
            "status": ["passed", "warning"],
            "message": ["fine", "doubt"],
            "reads": ["figures.value, figures.unit", "events.start_date"],
        }
    )
    frame = checks_frame(results, specs)
    assert_frame_equal(frame, expected)
    assert frame.columns == SCHEMAS["checks"].field_names


# the real data


@pytest.fixture(scope="module")
def real() -> BuildResult:
    """The real project, run through every stage and check without writing."""
    return run(Settings.for_project(ROOT), write=False)


def test_every_declared_check_has_a_result(real: BuildResult) -> None:
    """Each check of schemas/checks.yaml has exactly one result, in declaration order."""
    specs, _ = load_checks(REAL_CHECKS, SCHEMAS)
    assert [r.check for r in real.report.checks] == [s.id for s in specs]


def test_real_checks_pass_but_the_programme_statements_warn(real: BuildResult) -> None:
    """All real checks pass except programme-statements-consistent, which warns; no error."""
    statuses = {r.check: r.status for r in real.report.checks}
    assert {c: s for c, s in statuses.items() if s is not Status.PASSED} == {
        "programme-statements-consistent": Status.WARNING
    }
    assert real.report.errors == []


def test_real_warning_quotes_both_integratsiya_statements(real: BuildResult) -> None:
    """The one warning quotes both Интеграция-СГ statements and points at their raw rows 5 and 6."""
    implemented = (
        "В последние годы реализованы программы ”Технология-СГ“, ”ДНК-идентификация“, "
        "”Комбикорм-СГ“, ”Интеграция-СГ“."
    )
    under_way = "В настоящее время реализуется космическая программа ”Интеграция-СГ“."
    [warning] = real.report.findings
    assert (warning.file, warning.row, warning.field, warning.value) == (
        "raw/programme_statements.csv",
        5,
        "status",
        "implemented",
    )
    assert (warning.kind, warning.severity, warning.check) == (
        "consistent_statements",
        Severity.WARNING,
        "programme-statements-consistent",
    )
    assert warning.message == (
        f'programme integratsiya-sg is stated as implemented and as under_way: "{implemented}" / '
        f'"{under_way}"'
    )
    cells = [(c.table, c.id, c.field, c.value, c.file, c.row, c.quote) for c in warning.involved]
    assert cells == [
        (
            "programme_statements",
            "integratsiya-sg-implemented",
            "status",
            "implemented",
            "raw/programme_statements.csv",
            5,
            implemented,
        ),
        (
            "programme_statements",
            "integratsiya-sg-under-way",
            "status",
            "under_way",
            "raw/programme_statements.csv",
            6,
            under_way,
        ),
    ]
    text = (ROOT / "raw/texts/by-infomaterial-2023-s4.txt").read_text(encoding="utf-8")
    for c in warning.involved:
        assert c.source_id == "by-infomaterial-2023-s4"
        assert c.start is not None and c.end is not None
        assert " ".join(text[c.start : c.end].split()) == c.quote


def test_real_checks_table_is_the_results(real: BuildResult) -> None:
    """The published checks table holds each result, with the cells each check reads."""
    specs, _ = load_checks(REAL_CHECKS, SCHEMAS)
    assert_frame_equal(real.tables["checks"], checks_frame(real.report.checks, specs))
    assert real.tables["checks"].filter(pl.col("status") == "warning").get_column(
        "check_id"
    ).to_list() == ["programme-statements-consistent"]
