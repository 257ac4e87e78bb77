"""Tests for etl.build.checks: declarations in schemas/checks.yaml, the registry, running checks.

Broken declarations live in tests/data/checks/, each named after what it breaks. Every problem
is one line of a DeclarationError (a usage error, exit 2), at schemas/checks.yaml and the line
of the check's id.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from polars.testing import assert_frame_equal

from etl.build.checks.declarations import Declarations, load_checks
from etl.build.checks.model import (
    CHECKS_FILE,
    KINDS,
    CheckContext,
    CheckSpec,
    Kind,
    Outcome,
    figure_id,
    finding,
    kind,
)
from etl.build.checks.run import checks_frame, run_checks
from etl.build.pipeline import BuildResult, run
from etl.build.settings import Settings
from etl.cli import main
from etl.report.catalogue import CATALOGUE
from etl.report.errors import DeclarationError, UsageError
from etl.report.findings import CheckResult, Finding, Involved, Severity, Status
from etl.tableschema.model import TableSchema
from etl.tableschema.schema import load_schemas
from tests.projects import ROOT, copy_project

SCHEMAS: dict[str, TableSchema] = load_schemas(ROOT / "schemas/published", "schemas/published")[0]
REAL_CHECKS = ROOT / "schemas" / "checks.yaml"
KNOWN_KINDS = (
    "compare, consistent_statements, cumulative_never_falls, dates_in_order, derived_recomputed, "
    "listed_count, numbers_accounted, part_le_whole, same_period_agree, sum_equals"
)
PROPERTIES = "description, id, kind, params, severity"


def declaration_error(path: Path) -> str:
    """The message of the DeclarationError load_checks raises for `path`."""
    with pytest.raises(DeclarationError) as raised:
        load_checks(path)
    return str(raised.value)


# load_checks on broken declarations


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "unknown-kind",
            "schemas/checks.yaml:3 (check agreements-cover-partner-states, kind): 'compair' is "
            f"not a kind - use one of {KNOWN_KINDS}",
            id="unknown-kind",
        ),
        pytest.param(
            "kind-not-a-name",
            "schemas/checks.yaml:3 (check dates-in-order, kind): ['dates_in_order'] is not a "
            f"kind - use one of {KNOWN_KINDS}",
            id="kind-not-a-name",
        ),
        pytest.param(
            "missing-param",
            "schemas/checks.yaml:8 (check agreements-cover-partner-states, params.right): "
            "kind compare needs it: a figure id",
            id="missing-param",
        ),
        pytest.param(
            "unknown-param",
            "schemas/checks.yaml:3 (check derived-figures-recomputed, params.relative): kind "
            "derived_recomputed has no such parameter - its parameters: tolerance",
            id="unknown-param",
        ),
        pytest.param(
            "wrong-param-type",
            "schemas/checks.yaml:3 (check derived-figures-recomputed, params.tolerance): 'x' "
            "must be a number, 0 or more",
            id="wrong-param-type",
        ),
        pytest.param(
            "unknown-op-compare",
            "schemas/checks.yaml:3 (check agreements-cover-partner-states, params.op): '<' must "
            "be one of <=, >=, overlaps",
            id="unknown-op-compare",
        ),
        pytest.param(
            "unknown-op-listed-count",
            "schemas/checks.yaml:3 (check iaas-origins-within-members, params.op): '>=' must be "
            "one of ==, <=",
            id="unknown-op-listed-count",
        ),
        pytest.param(
            "params-not-a-mapping",
            "schemas/checks.yaml:3 (check agreements-cover-partner-states, params): params must "
            "be a mapping of name: value",
            id="params-not-a-mapping",
        ),
        pytest.param(
            "reads-property",
            "schemas/checks.yaml:3 (check derived-figures-recomputed, reads): is not a property "
            f"of a check - use {PROPERTIES}",
            id="reads-property",
        ),
        pytest.param(
            "duplicate-id",
            "schemas/checks.yaml:8 (check dates-in-order, id): two checks have this id - "
            "rename one",
            id="duplicate-id",
        ),
        pytest.param(
            "bad-id",
            "schemas/checks.yaml:3 (check Dates_In_Order, id): ids are lower-case words joined "
            "by -",
            id="bad-id",
        ),
        pytest.param(
            "bad-severity",
            "schemas/checks.yaml:3 (check dates-in-order, severity): 'fatal' is not error or "
            "warning",
            id="bad-severity",
        ),
        pytest.param(
            "no-description",
            "schemas/checks.yaml:3 (check dates-in-order, description): say in plain words what "
            "is checked",
            id="no-description",
        ),
        pytest.param(
            "no-id",
            "schemas/checks.yaml (check 1): each check needs an 'id'",
            id="no-id",
        ),
        pytest.param(
            "not-a-list",
            "schemas/checks.yaml: the file must hold a list under 'checks'",
            id="not-a-list",
        ),
        pytest.param(
            "invalid-yaml",
            "schemas/checks.yaml:4: not valid YAML: mapping values are not allowed here - fix "
            "the syntax",
            id="invalid-yaml",
        ),
    ],
)
def test_broken_declaration_gives_its_exact_message(
    data_dir: Path, name: str, expected: str
) -> None:
    """Each broken declaration file raises DeclarationError with exactly its one-line message."""
    assert declaration_error(data_dir / "checks" / f"{name}.yaml") == expected


def test_every_problem_of_a_check_is_one_line(data_dir: Path) -> None:
    """A check with several problems gets one line each, in the order they are checked."""
    where = "schemas/checks.yaml:3 (check agreements-cover-partner-states"
    assert declaration_error(data_dir / "checks" / "several-problems.yaml").splitlines() == [
        f"{where}, reads): is not a property of a check - use {PROPERTIES}",
        f"{where}, severity): 'critical' is not error or warning",
        f"{where}, params.colour): kind compare has no such parameter - its parameters: "
        "left, op, right",
        f"{where}, params.left): kind compare needs it: a figure id",
        f"{where}, params.op): '<' must be one of <=, >=, overlaps",
    ]


def test_declaration_error_is_a_usage_error_exiting_2(data_dir: Path) -> None:
    """A DeclarationError is a UsageError, exit code 2."""
    with pytest.raises(DeclarationError) as raised:
        load_checks(data_dir / "checks" / "unknown-op-compare.yaml")
    assert isinstance(raised.value, UsageError)
    assert raised.value.exit_code == 2


def test_declaration_file_is_always_named_as_schemas_checks_yaml(
    data_dir: Path, tmp_path: Path
) -> None:
    """Messages name schemas/checks.yaml, the file a person edits, wherever it was read from."""
    moved = tmp_path / "elsewhere.yaml"
    shutil.copy(data_dir / "checks" / "bad-severity.yaml", moved)
    assert declaration_error(moved) == (
        "schemas/checks.yaml:3 (check dates-in-order, severity): 'fatal' is not error or warning"
    )


def test_unknown_top_level_property_is_a_problem(tmp_path: Path) -> None:
    """Only `checks` and `settings` may stand at the top of the file."""
    path = tmp_path / "checks.yaml"
    path.write_text("checks: []\nreads: [figures.value]\n", encoding="utf-8")
    assert declaration_error(path) == (
        "schemas/checks.yaml (reads): is not a property of the checks file"
    )


def test_optional_params_get_their_defaults(tmp_path: Path) -> None:
    """Parameters left out take their kind's default: op <= for compare, tolerance 1e-12."""
    path = tmp_path / "checks.yaml"
    path.write_text(
        "checks:\n"
        "  - id: a-compare\n"
        "    kind: compare\n"
        "    description: A.\n"
        "    severity: warning\n"
        "    params: {left: l, right: r}\n"
        "  - id: a-derived\n"
        "    kind: derived_recomputed\n"
        "    description: B.\n"
        "    severity: error\n",
        encoding="utf-8",
    )
    assert load_checks(path) == Declarations(
        (
            CheckSpec(
                "a-compare",
                "compare",
                "A.",
                Severity.WARNING,
                {"left": "l", "right": "r", "op": "<="},
                2,
            ),
            CheckSpec(
                "a-derived", "derived_recomputed", "B.", Severity.ERROR, {"tolerance": 1e-12}, 7
            ),
        ),
        0.1,
    )


# the build and the command on broken declarations


def test_check_naming_an_unpublished_figure_is_a_check_reference_finding(
    data_dir: Path, tmp_path: Path
) -> None:
    """A misspelt figure id in params fails the build with one check-reference finding."""
    project = copy_project(tmp_path, with_dist=False)
    shutil.copy(data_dir / "checks" / "unknown-figure.yaml", project / "schemas" / "checks.yaml")
    result = run(Settings.for_project(project), write=False)
    assert [(f.file, f.row, f.field, f.kind, f.check, f.message) for f in result.report.errors] == [
        (
            CHECKS_FILE,
            3,
            "params",
            "check-reference",
            "agreements-cover-partner-states",
            "the check names figure 'nasb-cooperation-agreement', which is not published - fix "
            "the id in the check's params",
        )
    ]
    assert [(r.check, r.status) for r in result.report.checks] == [
        ("agreements-cover-partner-states", Status.FAILED)
    ]


def test_broken_declarations_stop_the_build_before_any_stage(
    data_dir: Path, tmp_path: Path
) -> None:
    """The pipeline raises the DeclarationError itself, before loading any data."""
    project = copy_project(tmp_path, with_dist=False)
    shutil.copy(data_dir / "checks" / "unknown-param.yaml", project / "schemas" / "checks.yaml")
    (project / "raw" / "figures.csv").unlink()  # would be a finding if the data were read
    with pytest.raises(DeclarationError, match=r"^schemas/checks.yaml:3 \(check derived-figures"):
        run(Settings.for_project(project), write=False)


def test_etl_check_exits_2_on_broken_declarations(data_dir: Path, tmp_path: Path) -> None:
    """`etl check` prints "Error: " and every problem line on standard error, and exits 2."""
    project = copy_project(tmp_path, with_dist=False)
    shutil.copy(
        data_dir / "checks" / "unknown-op-listed-count.yaml", project / "schemas" / "checks.yaml"
    )
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: schemas/checks.yaml:3 (check iaas-origins-within-members, params.op): '>=' "
        "must be one of ==, <=\n"
    )


# load_checks on the real declarations


def test_real_declarations_load_without_problems() -> None:
    """Every check in schemas/checks.yaml is read, in order, at the line of its id."""
    declarations = load_checks(REAL_CHECKS)
    lines = REAL_CHECKS.read_text(encoding="utf-8").splitlines()
    declared = [
        (number, match.group(1))
        for number, line in enumerate(lines, start=1)
        if (match := re.fullmatch(r"  - id: (\S+)", line))
    ]
    assert declared
    assert [(s.line, s.id) for s in declarations.checks] == declared
    first = declarations.checks[0]
    assert first == CheckSpec(
        "agreements-cover-partner-states",
        "compare",
        "NASB's cooperation agreements (более 100) are with partners from 87 states, so there are "
        "at least as many agreements as states.",
        Severity.ERROR,
        {
            "left": "nasb-agreement-partner-states",
            "right": "nasb-cooperation-agreements",
            "op": "<=",
        },
        first.line,
    )


def test_every_declared_kind_is_registered() -> None:
    """Every kind used in schemas/checks.yaml is registered; csv_parquet_parity is gone."""
    declarations = load_checks(REAL_CHECKS)
    assert {s.kind for s in declarations.checks} <= set(KINDS)
    assert ", ".join(sorted(KINDS)) == KNOWN_KINDS
    described = SCHEMAS["checks"].field("kind").description
    assert all(name in described for name in KINDS)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("settings:\n  approximately: 0.2\nchecks: []\n", 0.2),
        ("settings:\n  approximately: 0\nchecks: []\n", 0.0),
        ("settings: {}\nchecks: []\n", 0.1),
        ("checks: []\n", 0.1),
    ],
)
def test_approximately_share(tmp_path: Path, text: str, share: float) -> None:
    """settings.approximately is the ± share for "approximately" figures; 0.1 when not set."""
    path = tmp_path / "checks.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_checks(path) == Declarations((), share)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            "{approximately: 1.5}",
            "schemas/checks.yaml (settings.approximately): 1.5 must be a share of at least 0 "
            "and less than 1",
        ),
        (
            "{approximately: ten}",
            "schemas/checks.yaml (settings.approximately): 'ten' must be a share of at least 0 "
            "and less than 1",
        ),
        (
            "{approximately: 0.1, rounding: 2}",
            "schemas/checks.yaml (settings): settings holds only 'approximately'",
        ),
    ],
)
def test_bad_settings_are_a_declaration_error(tmp_path: Path, settings: str, expected: str) -> None:
    """A share outside [0, 1), not a number, or another setting is a declaration problem."""
    path = tmp_path / "checks.yaml"
    path.write_text(f"settings: {settings}\nchecks: []\n", encoding="utf-8")
    assert declaration_error(path) == expected


def test_real_approximately_share() -> None:
    """The real declarations read "порядка 60" as 60 ± 10 %."""
    assert load_checks(REAL_CHECKS).approximately == 0.1


# the registry and run_checks


@pytest.fixture
def registry() -> Iterator[dict[str, Kind]]:
    """The kind registry and finding catalogue, restored after the test to what they held."""
    kinds, catalogue = dict(KINDS), dict(CATALOGUE)
    yield KINDS
    KINDS.clear()
    KINDS.update(kinds)
    CATALOGUE.clear()
    CATALOGUE.update(catalogue)


def test_a_new_kind_is_one_decorated_function(registry: dict[str, Kind], tmp_path: Path) -> None:
    """@kind registers a function with its typed parameters; declarations use it, runs run it."""

    @kind("always_in_doubt", figure_id("figure"))
    def always_in_doubt(spec: CheckSpec, ctx: CheckContext) -> Outcome:
        """Figure in doubt."""
        value = ctx.figure(spec.params["figure"], "value")["value"]
        message = f"{spec.params['figure']} ({value}) is in doubt"
        return Outcome([finding(spec, message, [], severity=Severity.WARNING)], "")

    registered = KINDS["always_in_doubt"]
    assert [p.name for p in registered.params] == ["figure"]
    assert registered.function is always_in_doubt
    assert (registered.finding_kind.name, registered.finding_kind.title) == (
        "always_in_doubt",
        "Figure in doubt.",
    )
    path = tmp_path / "checks.yaml"
    path.write_text(
        "checks:\n"
        "  - id: in-doubt\n"
        "    kind: always_in_doubt\n"
        "    description: The figure is in doubt.\n"
        "    severity: error\n"
        "    params: {figure: nasb-cooperation-agreements}\n",
        encoding="utf-8",
    )
    figures = pl.DataFrame({"figure_id": ["nasb-cooperation-agreements"], "value": [100.0]})
    results, found = run_checks(
        load_checks(path).checks, CheckContext({"figures": figures}, SCHEMAS)
    )
    message = "nasb-cooperation-agreements (100.0) is in doubt"
    assert results == [
        CheckResult(
            "in-doubt",
            "always_in_doubt",
            "The figure is in doubt.",
            Severity.ERROR,
            Status.WARNING,
            message,
            ("figures.figure_id", "figures.value"),
        )
    ]
    # A finding that involves no cell is located at the check's declaration.
    assert found == [
        Finding(
            CHECKS_FILE, 2, None, "always_in_doubt", message, None, Severity.WARNING, "in-doubt"
        )
    ]


def test_a_new_kinds_params_are_checked(registry: dict[str, Kind], tmp_path: Path) -> None:
    """A registered kind's parameter types are checked when the declarations are read."""

    @kind("always_in_doubt", figure_id("figure"))
    def always_in_doubt(spec: CheckSpec, ctx: CheckContext) -> Outcome:
        """Figure in doubt."""
        return Outcome([], "")

    path = tmp_path / "checks.yaml"
    path.write_text(
        "checks:\n"
        "  - id: in-doubt\n"
        "    kind: always_in_doubt\n"
        "    description: The figure is in doubt.\n"
        "    severity: error\n"
        "    params: {figure: 12}\n",
        encoding="utf-8",
    )
    assert declaration_error(path) == (
        "schemas/checks.yaml:2 (check in-doubt, params.figure): 12 must be a figure id (text)"
    )


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
    registry: dict[str, Kind],
    severities: tuple[Severity, ...],
    status: Status,
    message: str,
) -> None:
    """A check fails on any error, warns on warnings only, and its message joins its findings."""

    @kind("scripted")
    def scripted(spec: CheckSpec, ctx: CheckContext) -> Outcome:
        """Scripted problem."""
        found = [finding(spec, f"problem {n}", [], severity=s) for n, s in enumerate(severities, 1)]
        return Outcome(found, "verified")

    declared = CheckSpec("scripted-check", "scripted", "Scripted.", Severity.ERROR, {}, 4)
    results, findings = run_checks((declared,), CheckContext({}, SCHEMAS))
    assert [(r.status, r.message, r.reads) for r in results] == [(status, message, ())]
    assert [(f.severity, f.kind, f.row) for f in findings] == [
        (s, "scripted", 4) for s in severities
    ]


def test_reads_are_recorded_per_check(registry: dict[str, Kind]) -> None:
    """Each check's reads are what it alone read, sorted; the next check starts afresh."""

    @kind("reads_values")
    def reads_values(spec: CheckSpec, ctx: CheckContext) -> Outcome:
        """Reads values."""
        ctx.frame("figures", "value", "figure_id")
        return Outcome([], "read")

    @kind("reads_texts")
    def reads_texts(spec: CheckSpec, ctx: CheckContext) -> Outcome:
        """Reads texts."""
        ctx.source_texts()
        ctx.involved("figures", "figure_id", "a", "unit")  # locating a cell is not reading it
        return Outcome([], "read")

    figures = pl.DataFrame({"figure_id": ["a"], "value": [1.0], "unit": ["x"]})
    specs = (
        CheckSpec("first", "reads_values", "First.", Severity.ERROR, {}, 1),
        CheckSpec("second", "reads_texts", "Second.", Severity.ERROR, {}, 2),
    )
    results, _ = run_checks(specs, CheckContext({"figures": figures}, SCHEMAS))
    assert [(r.check, r.reads) for r in results] == [
        ("first", ("figures.figure_id", "figures.value")),
        ("second", ("source texts",)),
    ]


def test_finding_is_located_at_its_first_cell() -> None:
    """A check's finding takes file, row, field and value from the first cell it involves."""
    declared = CheckSpec("c", "compare", "C.", Severity.WARNING, {}, 12)
    cells = [
        Involved("figures", "a", "value", "87", "raw/figures.csv", 3),
        Involved("figures", "b", "value", "более 100", "raw/figures.csv", 2),
    ]
    assert finding(declared, "why", cells) == Finding(
        "raw/figures.csv", 3, "value", "compare", "why", "87", Severity.WARNING, "c", tuple(cells)
    )


def test_involved_without_origin_points_at_the_published_csv() -> None:
    """A row with no raw origin is located in dist/data/<table>.csv, with no row number."""
    derived = pl.DataFrame({"derived_id": ["ratio"], "value": [2.5]})
    ctx = CheckContext({"derived_figures": derived}, SCHEMAS)
    assert ctx.involved("derived_figures", "derived_id", "ratio", "value") == Involved(
        "derived_figures", "ratio", "value", "2.5", "dist/data/derived_figures.csv", None
    )
    assert ctx.reads == set()


def test_checks_frame() -> None:
    """The published checks table: one row per result, reads joined by ', ', all strings."""
    results = [
        CheckResult(
            "a-check",
            "compare",
            "A.",
            Severity.ERROR,
            Status.PASSED,
            "fine",
            ("figures.unit", "figures.value"),
        ),
        CheckResult(
            "b-check",
            "dates_in_order",
            "B.",
            Severity.WARNING,
            Status.WARNING,
            "doubt",
            ("events.start_date",),
        ),
    ]
    expected = pl.DataFrame(
        {
            "check_id": ["a-check", "b-check"],
            "kind": ["compare", "dates_in_order"],
            "description": ["A.", "B."],
            "severity": ["error", "warning"],
            "status": ["passed", "warning"],
            "message": ["fine", "doubt"],
            "reads": ["figures.unit, figures.value", "events.start_date"],
        }
    )
    frame = checks_frame(results)
    assert_frame_equal(frame, expected)
    assert frame.columns == SCHEMAS["checks"].field_names


# the real data


@pytest.fixture(scope="module")
def real() -> BuildResult:
    """The real project, run through every stage and check without writing."""
    return run(Settings.for_project(ROOT), write=False)


def test_every_declared_check_has_a_result(real: BuildResult) -> None:
    """Each check of schemas/checks.yaml has exactly one result, in declaration order."""
    assert [r.check for r in real.report.checks] == [s.id for s in load_checks(REAL_CHECKS).checks]


def test_real_checks_pass_but_the_programme_statements_warn(real: BuildResult) -> None:
    """All real checks pass except programme-statements-consistent, which warns, and the
    series checks, not run while one report alone gives their indicator."""
    with (ROOT / "raw" / "figures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    series = {
        "horizon-projects-never-fall": "horizon2020-projects",
        "international-projects-agree": "international-projects",
    }
    alone = {
        check: Status.NOT_RUN
        for check, indicator in series.items()
        if len({r["source_id"] for r in rows if r["indicator_id"] == indicator}) < 2
    }
    statuses = {r.check: r.status for r in real.report.checks}
    assert {c: s for c, s in statuses.items() if s is not Status.PASSED} == {
        "programme-statements-consistent": Status.WARNING
    } | alone
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


INTERVAL_READS = (
    "figures.comparator, figures.figure_as_printed, figures.figure_id, figures.lower_bound, "
    "figures.lower_inclusive"
)
BOUNDS_READS = "figures.upper_bound, figures.upper_inclusive, figures.value"


def test_real_checks_table_reads_what_each_check_read(real: BuildResult) -> None:
    """The published checks table's reads column is exactly what each real check read."""
    listed = (
        "figure_partners.figure_id, figure_partners.name_as_printed, figure_partners.position, "
        f"{INTERVAL_READS}, figures.partner_list, {BOUNDS_READS}"
    )
    part = f"{INTERVAL_READS}, figures.unit, {BOUNDS_READS}"
    assert dict(real.tables["checks"].select("check_id", "reads").iter_rows()) == {
        "agreements-cover-partner-states": f"{INTERVAL_READS}, {BOUNDS_READS}",
        "horizon-ongoing-within-total": part,
        "space-programmes-within-all-programmes": part,
        "science-share-within-programmes": part,
        "countries-2013-match-their-list": listed,
        "iaas-origins-within-members": listed,
        "dates-in-order": "events.end_date, events.event_id, events.source_id, "
        "events.start_date, figures.figure_id, figures.period_end, figures.period_start, "
        "figures.source_id, sources.published_not_after, sources.published_not_before, "
        "sources.source_id",
        "programme-statements-consistent": "programme_statements.programme_id, "
        "programme_statements.quote, programme_statements.statement_id, "
        "programme_statements.status",
        "derived-figures-recomputed": "derived_figures.currency, derived_figures.denominator_id, "
        "derived_figures.derived_id, derived_figures.lower_bound, derived_figures.numerator_id, "
        "derived_figures.unit, derived_figures.upper_bound, derived_figures.value, "
        "figures.currency, figures.figure_id, figures.lower_bound, figures.unit, "
        "figures.upper_bound",
        "every-number-accounted-for": "cited spans, source texts, sources.language, "
        "sources.source_id",
        "horizon-projects-never-fall": "figures.comparator, figures.figure_as_printed, "
        "figures.figure_id, figures.indicator_id, figures.lower_bound, "
        "figures.lower_inclusive, figures.source_id, figures.upper_bound, "
        "figures.upper_inclusive, figures.value, "
        "indicators.indicator_id, sources.published_not_after, sources.published_not_before, "
        "sources.source_id",
        "international-projects-agree": "figures.comparator, figures.figure_as_printed, "
        "figures.figure_id, figures.indicator_id, figures.lower_bound, "
        "figures.lower_inclusive, figures.period_end, figures.period_start, "
        "figures.source_id, figures.upper_bound, figures.upper_inclusive, figures.value, "
        "indicators.indicator_id, sources.published_not_after, sources.published_not_before, "
        "sources.source_id",
    }
    assert_frame_equal(real.tables["checks"], checks_frame(real.report.checks))


def test_a_problem_names_the_line_its_check_starts_on(tmp_path: Path) -> None:
    """Lines come from the YAML parser: an id in quotes, or written in another check's
    description, does not move the line named."""
    path = tmp_path / "checks.yaml"
    path.write_text(
        "checks:\n"
        "  - id: a\n"
        "    kind: dates_in_order\n"
        '    description: "see id: b"\n'
        "    severity: error\n"
        '  - {id: "b", kind: dates_in_order, description: x, severity: fatal}\n',
        encoding="utf-8",
    )
    with pytest.raises(DeclarationError) as caught:
        load_checks(path)
    assert str(caught.value) == (
        "schemas/checks.yaml:6 (check b, severity): 'fatal' is not error or warning"
    )
