"""Every bad input is caught with one clear line per finding, and no failure touches dist/.

Each case breaks one thing in a copy of the project: a fixture under
tests/data/bad-inputs/<case>/ replaces a file (`*.csv` in raw/, `*.yaml` and `*.json` in
schemas/raw/), and edits change single cells or files. The build must exit 1 (bad data)
or 2 (bad usage), print for each finding its file:row (field), value and what to do, print no
traceback, and leave every byte of dist/ as it was. Cases that exit 0 are text traps that
are normalised: they must build exactly the package the clean project builds.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from tests.projects import ROOT, copy_project, edit_cell, tree_digest

BAD_INPUTS = Path(__file__).resolve().parent / "data" / "bad-inputs"
TEXT = "raw/texts/by-infomaterial-2023-s4.txt"
FINDING = re.compile(r"^(?P<where>\S.*?): (?P<severity>error|warning) \[(?P<kind>[a-z0-9_-]+)\] ")
CHECK_STATUS = re.compile(r"^(passed|failed|warning|not_run) +(\S+|all \d+ checks): ")
FAILED = re.compile(r"^Build failed\b.*\bdist/ is unchanged\b")

Edit = Callable[[Path], None]


@dataclass(frozen=True)
class Expected:
    """One finding line: where (file:row (field), as far as each applies), kind, value, hint."""

    where: str
    kind: str
    value: str | None
    hint: str  # the part of the message that says what to do

    def check(self, line: str) -> None:
        """The line is this finding, and its message says what to do."""
        value = f"{self.value!r}: " if self.value is not None else ""
        assert line.startswith(f"{self.where}: error [{self.kind}] {value}"), line
        assert self.hint in line, line


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and what the build must say."""

    name: str
    status: int
    expected: tuple[Expected, ...] = ()
    edits: tuple[Edit, ...] = ()
    error: str = ""  # for status 2: a part of the one "Error: ..." line


def cell_value(path: Path, key: str, column: str) -> str:
    """One cell of a raw CSV table, found by the value of its first column."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        if row[0] == key:
            return row[rows[0].index(column)]
    raise KeyError(key)


def cell(table: str, key: str, column: str, value: str) -> Edit:
    """Set one cell of raw/<table>.csv."""
    return lambda project: edit_cell(project / f"raw/{table}.csv", key, column, value)


def replace_in_cell(table: str, key: str, column: str, old: str, new: str) -> Edit:
    """Replace `old` (which must be there) by `new` inside one cell of raw/<table>.csv."""

    def edit(project: Path) -> None:
        path = project / f"raw/{table}.csv"
        value = cell_value(path, key, column)
        assert old in value
        edit_cell(path, key, column, value.replace(old, new))

    return edit


def replace_in_file(relative: str, old: str, new: str) -> Edit:
    """Replace the first `old` (which must be there) by `new` in a UTF-8 file of the project."""

    def edit(project: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def remove(relative: str) -> Edit:
    """Delete a file of the project."""
    return lambda project: (project / relative).unlink()


def replace_in_text(old: bytes, new: bytes) -> Edit:
    """Change the bytes of the source text, as a careless edit would."""

    def edit(project: Path) -> None:
        path = project / TEXT
        data = path.read_bytes()
        assert old in data
        path.chmod(0o644)
        path.write_bytes(data.replace(old, new, 1))

    return edit


def apply_fixture(name: str, project: Path) -> None:
    """Copy the files of tests/data/bad-inputs/<name>/ over raw/ (CSV) or schemas/raw/."""
    folder = BAD_INPUTS / name
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        target = "raw" if path.suffix == ".csv" else "schemas/raw"
        shutil.copyfile(path, project / target / path.name)


def fk(file: str, row: int, field: str, value: str, target: str) -> Expected:
    """A foreign-key finding."""
    return Expected(f"{file}:{row} ({field})", "foreign-key", value, f"add that row to {target}")


EDITED_TEXT_SHA256 = hashlib.sha256(
    (ROOT / TEXT).read_bytes().replace("2,8 млн".encode(), "2,9 млн".encode(), 1)
).hexdigest()
SAVE_UTF8 = "save the file as UTF-8"
EXTRA_CELL = "quote cells holding the delimiter, or add the column"
MISSING_CELL = "give every row every column"
NOT_A_NUMBER = "only digits, number words and 'половина' are read as numbers"
LATIN_C = "'C' (U+0043 LATIN CAPITAL LETTER C)"
STATED_PROGRAMMES = [  # programme_id of raw/programme_statements.csv, row by row
    "tekhnologiya-sg",
    "dnk-identifikatsiya",
    "kombikorm-sg",
    "integratsiya-sg",
    "integratsiya-sg",
    "avtoelektronika",
    "intelavto",
    "komponent-f",
]

CASES = [
    # Encoding.
    Case(
        "windows-1251",
        1,
        (Expected("raw/programmes.csv:2", "encoding-error", None, SAVE_UTF8),),
    ),
    Case("utf-16", 1, (Expected("raw/programmes.csv", "encoding-error", None, SAVE_UTF8),)),
    Case("bom-and-crlf", 0),
    # Structure.
    Case(
        "empty-file",
        1,
        (Expected("raw/programmes.csv", "empty-file", None, "it needs at least the header row"),),
    ),
    Case(
        "header-only",
        1,
        (
            fk("raw/events.csv", 5, "programme_id", "intelavto", "raw/programmes.csv"),
            fk("raw/events.csv", 6, "programme_id", "komponent-f", "raw/programmes.csv"),
            *(
                fk("raw/programme_statements.csv", row, "programme_id", key, "raw/programmes.csv")
                for row, key in enumerate(STATED_PROGRAMMES, start=2)
            ),
        ),
    ),
    Case(
        "blank-header",
        1,
        (
            Expected(
                "raw/programmes.csv:1",
                "missing-header",
                None,
                "it must be the header row: programme_id,name_ru,name_en",
            ),
        ),
    ),
    Case(
        "invisible-character-in-header",
        1,
        (
            Expected(
                "raw/programmes.csv:1",
                "bad-label",
                "name_ru\u202e",
                "retype it as one of programme_id, name_ru, name_en",
            ),
        ),
        (replace_in_file("raw/programmes.csv", "name_ru", "name_ru\u202e"),),
    ),
    Case(
        "missing-column",
        1,
        (
            Expected(
                "raw/programmes.csv:1 (name_en)",
                "missing-label",
                "name_en",
                "add the column or remove the field",
            ),
        ),
    ),
    Case(
        "extra-column",
        1,
        (
            Expected(
                "raw/programmes.csv:1",
                "extra-label",
                "name_be",
                "add the field or remove the column",
            ),
        ),
    ),
    Case(
        "duplicated-column",
        1,
        (
            Expected(
                "raw/programmes.csv:1 (name_ru)",
                "duplicate-label",
                "name_ru",
                "rename the column name_ru",
            ),
            Expected(
                "raw/programmes.csv:1 (name_en)",
                "missing-label",
                "name_en",
                "add the column or remove the field",
            ),
        ),
    ),
    Case(
        "ragged-row",
        1,
        (
            Expected("raw/programmes.csv:4", "extra-cell", "premix)", EXTRA_CELL),
            Expected("raw/programmes.csv:6 (name_en)", "constraint-error", None, "fill it in"),
            Expected("raw/programmes.csv:6 (name_en)", "missing-cell", None, MISSING_CELL),
        ),
    ),
    Case(
        "unclosed-quote",
        1,
        (
            Expected(
                "raw/programmes.csv:3",
                "source-error",
                None,
                "close the quoted cell that starts on this row",
            ),
        ),
    ),
    Case(
        "blank-lines",
        1,
        (
            Expected("raw/programmes.csv:5", "blank-row", None, "the row is blank - delete it"),
            Expected("raw/programmes.csv:5 (programme_id)", "primary-key", None, "fill it in"),
            Expected("raw/programmes.csv:10", "blank-row", None, "the row is blank - delete it"),
            Expected("raw/programmes.csv:10 (programme_id)", "primary-key", None, "fill it in"),
        ),
    ),
    Case(
        "missing-table",
        1,
        (Expected("raw/programmes.csv", "scheme-error", None, "add it, or fix the resource path"),),
        (remove("raw/programmes.csv"),),
    ),
    # Values.
    Case(
        "figure-in-words",
        1,
        (Expected("raw/figures.csv:2 (figure)", "figure-error", "более сотни", NOT_A_NUMBER),),
        (cell("figures", "nasb-cooperation-agreements", "figure", "более сотни"),),
    ),
    Case(
        "figure-with-two-points",
        1,
        (Expected("raw/figures.csv:8 (figure)", "figure-error", "9.4.1 млн", "decimal comma"),),
        (cell("figures", "conference-contracts-value-2020-2022", "figure", "9.4.1 млн"),),
    ),
    Case(
        "unknown-qualifier",
        1,
        (Expected("raw/figures.csv:2 (figure)", "figure-error", "едва 100", NOT_A_NUMBER),),
        (cell("figures", "nasb-cooperation-agreements", "figure", "едва 100"),),
    ),
    Case(
        "unknown-multiplier",
        1,
        (
            Expected(
                "raw/figures.csv:8 (figure)",
                "figure-error",
                "9,4 трлн долларов США",
                "only тыс., млн and млрд",
            ),
        ),
        (
            cell(
                "figures", "conference-contracts-value-2020-2022", "figure", "9,4 трлн долларов США"
            ),
        ),
    ),
    Case(
        "unknown-currency",
        1,
        (
            Expected(
                "raw/figures.csv:8 (figure)",
                "figure-error",
                "9,4 млн фунтов стерлингов",
                "unknown currency 'фунтов стерлингов': only долларов США, евро and рублей",
            ),
        ),
        (
            cell(
                "figures",
                "conference-contracts-value-2020-2022",
                "figure",
                "9,4 млн фунтов стерлингов",
            ),
        ),
    ),
    Case(
        "dollar-of-no-country",
        1,
        (
            Expected(
                "raw/figures.csv:8 (figure)",
                "figure-error",
                "9,4 млн долларов",
                "write 'долларов США'",
            ),
        ),
        (cell("figures", "conference-contracts-value-2020-2022", "figure", "9,4 млн долларов"),),
    ),
    Case(
        "unknown-currency-code",
        1,
        (
            Expected(
                "raw/sources.csv:2 (rouble_currency)",
                "constraint-error",
                "XYZ",
                "is not one of BYN, BYR, RUB",
            ),
        ),
        (cell("sources", "by-infomaterial-2023-s4", "rouble_currency", "XYZ"),),
    ),
    Case(
        "nan",
        1,
        (Expected("raw/figures.csv:3 (figure)", "figure-error", "NaN", NOT_A_NUMBER),),
        (cell("figures", "nasb-agreement-partner-states", "figure", "NaN"),),
    ),
    Case(
        "inf",
        1,
        (
            Expected(
                "raw/figure_partners.csv:9 (position)",
                "type-error",
                "inf",
                "is not a whole number such as 42",
            ),
        ),
        (cell("figure_partners", "iaas-member-organisations", "position", "inf"),),
    ),
    Case(
        "negative-count",
        1,
        (
            Expected(
                "raw/figures.csv:3 (figure)",
                "figure-error",
                "-87",
                "figures are written without a sign",
            ),
        ),
        (cell("figures", "nasb-agreement-partner-states", "figure", "-87"),),
    ),
    Case(
        "negative-position",
        1,
        (
            Expected(
                "raw/figure_partners.csv:9 (position)",
                "constraint-error",
                "-1",
                "is below the minimum 1",
            ),
        ),
        (cell("figure_partners", "iaas-member-organisations", "position", "-1"),),
    ),
    Case(
        "period-ends-before-it-starts",
        1,
        (
            Expected(
                "raw/figures.csv:5 (period)",
                "period-error",
                "2022–2020 гг.",
                "write the earlier year first",
            ),
        ),
        (cell("figures", "nasb-international-conferences-2020-2022", "period", "2022–2020 гг."),),
    ),
    Case(
        "impossible-date-in-words",
        1,
        (
            Expected(
                "raw/events.csv:6 (date)",
                "period-error",
                "30 февраля 2022 г.",
                "check the day and the month",
            ),
        ),
        (cell("events", "komponent-f-approved", "date", "30 февраля 2022 г."),),
    ),
    Case(
        "impossible-iso-date",
        1,
        (
            Expected(
                "raw/sources.csv:2 (published_not_before)",
                "type-error",
                "2022-02-30",
                "is not a date as YYYY-MM-DD",
            ),
        ),
        (cell("sources", "by-infomaterial-2023-s4", "published_not_before", "2022-02-30"),),
    ),
    # Text traps: rejected.
    Case(
        "latin-look-alike-in-partner-name",
        1,
        (
            Expected(
                "raw/figure_partners.csv:9 (name_as_printed)",
                "mixed-script",
                "CНГ",
                f"{LATIN_C} among Cyrillic letters - retype it in Cyrillic",
            ),
        ),
        (cell("figure_partners", "iaas-member-organisations", "name_as_printed", "CНГ"),),
    ),
    Case(
        "latin-look-alike-in-figure",
        1,
        (
            Expected(
                "raw/figures.csv:2 (figure)",
                "mixed-script",
                "бoлее 100",
                "'o' (U+006F LATIN SMALL LETTER O) among Cyrillic letters - retype it in Cyrillic",
            ),
        ),
        (cell("figures", "nasb-cooperation-agreements", "figure", "бoлее 100"),),
    ),
    Case(
        "latin-look-alike-in-name",
        1,
        (
            Expected(
                "raw/programmes.csv:7 (name_ru)",
                "mixed-script",
                "Интелавтo",
                "among Cyrillic letters - retype it in Cyrillic",
            ),
        ),
        (cell("programmes", "intelavto", "name_ru", "Интелавтo"),),
    ),
    Case(
        "cyrillic-look-alike-in-id",
        1,
        (
            Expected(
                "raw/figure_partners.csv:2 (figure_id)",
                "mixed-script",
                "internаtional-research-centres",
                "'а' (U+0430 CYRILLIC SMALL LETTER A) among Latin letters - retype it in Latin",
            ),
            Expected(
                "raw/figure_partners.csv:2 (figure_id)",
                "foreign-key",
                "internаtional-research-centres",
                "fix the value (did you mean 'international-research-centres'?) or add that "
                "row to raw/figures.csv",
            ),
        ),
        (
            replace_in_cell(
                "figure_partners",
                "international-research-centres",
                "figure_id",
                "international",
                "internаtional",
            ),
        ),
    ),
    Case(
        "right-to-left-override",
        1,
        (
            Expected(
                "raw/programmes.csv:7 (name_en)",
                "invisible-character",
                "Intel\u202eavto",
                "U+202E RIGHT-TO-LEFT OVERRIDE - delete it",
            ),
        ),
        (cell("programmes", "intelavto", "name_en", "Intel\u202eavto"),),
    ),
    Case(
        "control-character",
        1,
        (
            Expected(
                "raw/programmes.csv:7 (name_en)",
                "invisible-character",
                "Intel\x07avto",
                "U+0007 control character - delete it",
            ),
        ),
        (cell("programmes", "intelavto", "name_en", "Intel\x07avto"),),
    ),
    Case(
        "hyphen-for-en-dash-in-period",
        1,
        (
            Expected(
                "raw/figures.csv:5 (period)",
                "not-in-quote",
                "2020-2022 гг.",
                "write it exactly as the quote prints it",
            ),
        ),
        (cell("figures", "nasb-international-conferences-2020-2022", "period", "2020-2022 гг."),),
    ),
    Case(
        "hyphen-for-en-dash-in-quote",
        1,
        (
            Expected(
                "raw/events.csv:3 (quote)",
                "quote-not-in-source",
                cell_value(
                    ROOT / "raw/events.csv", "horizon2020-projects-continued", "quote"
                ).replace("–", "-"),
                "copy it verbatim from the source",
            ),
        ),
        (replace_in_cell("events", "horizon2020-projects-continued", "quote", "–", "-"),),
    ),
    # Text traps: normalised, so the package is the clean one.
    Case(
        "no-break-spaces",
        0,
        edits=(
            cell("figures", "nasb-cooperation-agreements", "figure", "более\u00a0100"),
            replace_in_cell("figures", "conference-contracts-2020-2022", "quote", " ", "\u202f"),
        ),
    ),
    Case(
        "zero-width-characters",
        0,
        edits=(
            cell("figures", "nasb-cooperation-agreements", "figure", "более 1\u200b00"),
            cell("programmes", "intelavto", "name_ru", "Интел\u00adавто\ufeff"),
            replace_in_cell("figures", "iaas-member-organisations", "quote", "МААН", "МА\u200dАН"),
        ),
    ),
    Case(
        "spaces-around-cells",
        0,
        edits=(
            cell(
                "figures",
                "union-state-space-programmes",
                "indicator_id",
                " union-state-space-programmes ",
            ),
            cell("figure_partners", "iaas-member-organisations", "name_as_printed", "СНГ\t"),
            cell("programmes", "intelavto", "name_en", "Intelavto\u00a0"),
            replace_in_file("raw/programmes.csv", "name_en", " name_en\u00a0"),
        ),
    ),
    Case(
        "crlf-inside-a-cell",
        0,
        edits=(replace_in_cell("figures", "conference-contracts-2020-2022", "quote", " ", "\r\n"),),
    ),
    Case(
        "decomposed-letters",
        0,
        edits=(
            replace_in_cell("figures", "nasb-cooperation-agreements", "quote", "й", "и\u0306"),
            cell(
                "programmes", "integratsiya-sg", "name_ru", "Интеграция-СГ".replace("й", "и\u0306")
            ),
        ),
    ),
    Case(
        "straight-quotes-for-typographic-ones",
        0,
        edits=(
            replace_in_cell("programme_statements", "intelavto-started", "quote", "”", '"'),
            replace_in_cell("programme_statements", "intelavto-started", "quote", "“", '"'),
        ),
    ),
    # References.
    Case(
        "duplicated-id",
        1,
        (
            Expected(
                "raw/programmes.csv:9 (programme_id)",
                "unique-error",
                "intelavto",
                "each row needs its own value",
            ),
            Expected(
                "raw/programmes.csv:9 (programme_id)",
                "primary-key",
                "intelavto",
                "repeats an earlier row - make it unique",
            ),
        ),
    ),
    Case(
        "unknown-partner",
        1,
        (
            Expected(
                "raw/figure_partners.csv:9 (name_as_printed)",
                "partner-error",
                "организаций",
                "add a reviewed row to raw/partner_aliases.csv",
            ),
        ),
        (cell("figure_partners", "iaas-member-organisations", "name_as_printed", "организаций"),),
    ),
    Case(
        "partner-not-in-quote",
        1,
        (
            Expected(
                "raw/figure_partners.csv:9 (name_as_printed)",
                "not-in-quote",
                "Атлантиды",
                "write it exactly as the quote prints it",
            ),
        ),
        (cell("figure_partners", "iaas-member-organisations", "name_as_printed", "Атлантиды"),),
    ),
    Case(
        "foreign-key-to-missing-row",
        1,
        (fk("raw/figures.csv", 15, "indicator_id", "no-such", "raw/indicators.csv"),),
        (cell("figures", "union-state-space-programmes", "indicator_id", "no-such"),),
    ),
    Case(
        "quote-not-in-source",
        1,
        (
            Expected(
                "raw/figures.csv:2 (quote)",
                "quote-not-in-source",
                "Этой фразы нет в тексте.",
                "copy it verbatim from the source",
            ),
        ),
        (cell("figures", "nasb-cooperation-agreements", "quote", "Этой фразы нет в тексте."),),
    ),
    Case(
        "source-text-changed",
        1,
        (
            Expected(
                f"{TEXT} (sha256)",
                "checksum-error",
                EDITED_TEXT_SHA256,
                "restore the original text, or if the change is intended, record the new checksum",
            ),
        ),
        (replace_in_text("2,8 млн".encode(), "2,9 млн".encode()),),
    ),
    Case(
        "missing-source-text",
        1,
        (Expected(TEXT, "missing-file", None, "restore it or fix the path in raw/sources.csv"),),
        (remove(TEXT),),
    ),
    # Schemas.
    Case(
        "not-yaml",
        1,
        (Expected("schemas/raw/programmes.yaml:8", "schema-error", None, "fix the syntax"),),
    ),
    Case(
        "not-json",
        1,
        (Expected("schemas/raw/programmes.json:4", "schema-error", None, "fix the syntax"),),
        (remove("schemas/raw/programmes.yaml"),),
    ),
    Case(
        "field-the-table-lacks",
        1,
        (
            Expected(
                "raw/programmes.csv:1 (name_be)",
                "missing-label",
                "name_be",
                "add the column or remove the field",
            ),
        ),
    ),
    Case(
        "unknown-type",
        1,
        (
            Expected(
                "schemas/raw/programmes.yaml (name_en)",
                "schema-error",
                "text",
                "use one of boolean, date, datetime, integer, number, string, year",
            ),
        ),
    ),
    Case(
        "unknown-constraint",
        1,
        (
            Expected(
                "schemas/raw/programmes.yaml (name_en)",
                "schema-error",
                "maxLenght",
                "use one of enum, maxLength, minLength, pattern, required, unique",
            ),
        ),
    ),
    # Usage.
    Case(
        "not-a-project-folder",
        2,
        edits=(lambda project: shutil.rmtree(project / "raw"),),
        error="is not a project folder: it has no raw/ - run from the project folder or pass "
        "--project DIR",
    ),
]


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean project, built: its dist/ is the package every case starts from."""
    project = copy_project(tmp_path_factory.mktemp("clean"), with_dist=False)
    result = CliRunner().invoke(main, ["build", "--project", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return project


def make_case(case: Case, clean: Path, target: Path) -> Path:
    """A copy of the clean project and its package, with the case's breakage applied."""
    project = copy_project(target, with_dist=False)
    shutil.copytree(clean / "dist", project / "dist")
    apply_fixture(case.name, project)
    for edit in case.edits:
        edit(project)
    return project


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of everything below `folder`: changes if it is rewritten."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def test_every_case_has_its_fixture_or_edit() -> None:
    """Each fixture folder belongs to a case, and each case breaks something."""
    names = {case.name for case in CASES}
    assert len(names) == len(CASES)
    folders = {p.name for p in BAD_INPUTS.iterdir() if p.is_dir()}
    assert folders <= names
    assert all(case.name in folders or case.edits for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_caught_and_dist_is_untouched(
    case: Case, clean_build: Path, tmp_path: Path
) -> None:
    """Exit status, one line per finding naming where, the value and what to do; dist/ kept."""
    project = make_case(case, clean_build, tmp_path)
    before, stamps = tree_digest(project / "dist"), snapshot(project / "dist")
    result = CliRunner().invoke(main, ["build", "--project", str(project)], catch_exceptions=False)
    lines = result.output.splitlines()
    assert "Traceback" not in result.output
    assert result.exit_code == case.status, result.output
    if case.status == 2:
        assert len(lines) == 1
        assert lines[0].startswith("Error: ")
        assert case.error in lines[0]
    elif case.status == 1:
        assert FAILED.match(lines[-1]), lines[-1]
        errors = []
        for line in lines[:-1]:
            match = FINDING.match(line)
            assert match or CHECK_STATUS.match(line), f"not a finding: {line}"
            if match and match["severity"] == "error":
                errors.append(line)
        assert len(errors) == len(case.expected), "\n".join(errors)
        for expected, line in zip(case.expected, errors, strict=True):
            expected.check(line)
    else:
        assert not any(" error [" in line for line in lines), result.output
        assert lines[-1].startswith("Built dist/: "), result.output
    assert tree_digest(project / "dist") == before
    assert snapshot(project / "dist") == stamps
    left = sorted(p.name for p in project.iterdir() if p.name != ".etl-build.lock")
    assert left == sorted(["dist", "raw", "schemas"] if case.status != 2 else ["dist", "schemas"])


def test_unknown_currency_is_named_as_such(clean_build: Path, tmp_path: Path) -> None:
    """A currency the parser does not know is called an unknown currency, with the known ones."""
    case = Case(
        "unknown-currency-named",
        1,
        (
            Expected(
                "raw/figures.csv:8 (figure)",
                "figure-error",
                "9,4 млн фунтов стерлингов",
                "unknown currency",
            ),
        ),
        (
            cell(
                "figures",
                "conference-contracts-value-2020-2022",
                "figure",
                "9,4 млн фунтов стерлингов",
            ),
        ),
    )
    project = make_case(case, clean_build, tmp_path)
    result = CliRunner().invoke(main, ["build", "--project", str(project)], catch_exceptions=False)
    assert result.exit_code == 1
    case.expected[0].check(result.output.splitlines()[0])


@pytest.mark.parametrize("name", ["windows-1251", "not-a-project-folder"])
def test_real_process_gives_the_status_and_no_traceback(
    name: str, clean_build: Path, tmp_path: Path
) -> None:
    """Run as a real `etl` process, a bad input exits 1 or 2 with findings, never a traceback."""
    case = next(c for c in CASES if c.name == name)
    project = make_case(case, clean_build, tmp_path)
    before = tree_digest(project / "dist")
    etl = Path(sys.executable).with_name("etl")
    command = (
        [str(etl)] if etl.exists() else [sys.executable, "-c", "from etl.cli import main; main()"]
    )
    out = subprocess.run(
        [*command, "build", "--project", str(project)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == case.status
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stdout.splitlines() + out.stderr.splitlines()
    if case.expected:
        case.expected[0].check(next(line for line in lines if FINDING.match(line)))
    else:
        assert lines == [next(line for line in lines if case.error in line)]
        assert lines[0].startswith("Error: ")
    assert tree_digest(project / "dist") == before
