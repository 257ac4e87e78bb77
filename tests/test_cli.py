"""The `etl` command: exit codes and exact messages, success and failure."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from etl.cli import main
from tests.projects import ROOT, copy_project, edit_cell, tree_digest


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    """Each command explains itself in --help."""
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert main.commands[command].help
    assert "--project" in result.output


def test_build_prints_a_summary(tmp_path: Path) -> None:
    """A clean build reports the tables, rows and findings, and exits 0."""
    project = copy_project(tmp_path)
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "raw/programme_statements.csv:5 (status): warning [consistent_statements] 'implemented': "
        "programme integratsiya-sg is stated as implemented and as under_way: "
    )
    checks = [
        c["id"] for c in yaml.safe_load((project / "schemas/checks.yaml").read_text())["checks"]
    ]
    statuses = [line.split()[0] for line in lines[1:-1]]
    with (project / "dist/data/checks.csv").open(encoding="utf-8", newline="") as handle:
        published = {r["check_id"]: r["status"] for r in csv.DictReader(handle)}
    assert statuses == [published[c] for c in checks]
    assert statuses.count("warning") == 1 and "failed" not in statuses
    assert lines[-1] == f"Built dist/: {_tables_and_rows(project / 'dist')}; 0 errors, 1 warnings"


def test_check_prints_a_summary(tmp_path: Path) -> None:
    """A clean check reports the same summary and writes nothing."""
    project = copy_project(tmp_path, with_dist=False)
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0, result.output
    expected = _tables_and_rows(ROOT / "dist")
    assert result.output.splitlines()[-1] == f"Check passed: {expected}; 0 errors, 1 warnings"
    assert not (project / "dist").exists()


def _tables_and_rows(dist: Path) -> str:
    """ "N tables, M rows" counted from a built package's CSV files."""
    files = sorted((dist / "data").glob("*.csv"))
    rows = 0
    for file in files:
        with file.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle)) - 1
    return f"{len(files)} tables, {rows} rows"


def test_bad_figure_fails_with_file_row_field_and_value(tmp_path: Path) -> None:
    """An unreadable figure gives one line naming file:row (field), the value and the fix."""
    project = copy_project(tmp_path)
    before = tree_digest(project / "dist")
    edit_cell(project / "raw/figures.csv", "union-state-space-programmes", "figure", "9.4.1 млн")
    result = CliRunner().invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("raw/figures.csv:15 (figure): error [figure-error] '9.4.1 млн': ")
    assert "decimal comma" in lines[0]
    assert lines[1] == f"not_run  all {_declared_checks()} checks: not run: the build found 1 " + (
        "error(s) before the checks (the first at raw/figures.csv:15 (figure)) - fix them and "
        "run again"
    )
    assert lines[-1] == "Build failed, dist/ is unchanged: 1 errors."
    assert len(lines) == 3
    assert "Traceback" not in result.output
    assert tree_digest(project / "dist") == before


def test_a_near_miss_of_an_id_suggests_the_id(tmp_path: Path) -> None:
    """An indicator id one letter short names the existing id in its hint (did you mean)."""
    project = copy_project(tmp_path, with_dist=False)
    with (project / "raw/figures.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    typo = first["indicator_id"][:-1]
    edit_cell(project / "raw/figures.csv", first["figure_id"], "indicator_id", typo)
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"raw/figures.csv:2 (indicator_id): error [foreign-key] '{typo}': no row of "
        f"raw/indicators.csv has indicator_id = '{typo}' - fix the value (did you mean "
        f"'{first['indicator_id']}'?) or add that row to raw/indicators.csv"
    )


def test_a_quote_not_in_its_source_says_where_it_stops_matching(tmp_path: Path) -> None:
    """A quote with one letter changed: the message gives the characters of the source the
    longest matching part covers, its end, and the next characters of quote and source."""
    project = copy_project(tmp_path, with_dist=False)
    with (project / "raw/figures.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    quote = first["quote"]
    cut = len(quote) // 2
    wrong = quote[:cut] + ("Ж" if quote[cut] != "Ж" else "Щ") + quote[cut + 1 :]
    edit_cell(project / "raw/figures.csv", first["figure_id"], "quote", wrong)
    text = (project / "raw/texts/by-infomaterial-2023-s4.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    found = re.search(r"it matches characters (\d+)\.\.(\d+) up to ", line)
    assert found is not None, line
    start, end = int(found.group(1)), int(found.group(2))
    matched = " ".join(text[start:end].split())  # white space runs match one space
    assert matched == " ".join(quote[:cut].split())
    after = ((" " if text[end].isspace() else "") + " ".join(text[end:].split()))[:20]
    assert line == (
        f"raw/figures.csv:2 (quote): error [quote-not-in-source] {wrong!r}: the quote is not "
        f"in raw/texts/by-infomaterial-2023-s4.txt: it matches characters {start}..{end} up to "
        f"{'…' + matched[-30:]!r}, then the quote has {wrong[cut : cut + 20]!r} where the "
        f"source has {after!r} - copy it verbatim from the source (only white space and "
        "quote marks may differ)"
    )


def test_check_fails_on_a_broken_reference(tmp_path: Path) -> None:
    """A figure pointing at an unknown indicator is a foreign-key finding, exit 1."""
    project = copy_project(tmp_path, with_dist=False)
    figures = project / "raw/figures.csv"
    edit_cell(figures, "union-state-space-programmes", "indicator_id", "no-such")
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "raw/figures.csv:15 (indicator_id): error [foreign-key] 'no-such': no row of "
        "raw/indicators.csv has indicator_id = 'no-such' - fix the value or add that row to "
        "raw/indicators.csv",
        f"not_run  all {_declared_checks()} checks: not run: the build found 1 error(s) before "
        "the checks (the first at raw/figures.csv:15 (indicator_id)) - fix them and run again",
        "Check failed: 1 errors.",
    ]


def _declared_checks() -> int:
    """The number of checks schemas/checks.yaml declares."""
    return len(yaml.safe_load((ROOT / "schemas/checks.yaml").read_text())["checks"])


def test_not_a_project_folder_is_a_usage_error(tmp_path: Path) -> None:
    """A folder without raw/ and schemas/ exits 2 with a message that says what to do."""
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path.resolve()} is not a project folder: it has no raw/ or schemas/ "
        "- run from the project folder or pass --project DIR\n"
    )


def test_help_imports_no_heavy_library() -> None:
    """`etl --help` loads neither polars, pandera nor frictionless."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from etl.cli import main\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "CliRunner().invoke(main, ['build', '--help'])\n"
        "heavy = {'polars', 'pandera', 'frictionless', 'pyarrow', 'pymorphy3', 'yaml'}\n"
        "heavy &= set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"


def test_validating_a_json_package_imports_no_yaml_reader(tmp_path: Path) -> None:
    """`etl validate` on a local package described in JSON, valid, loads neither PyYAML nor
    urllib.request (for remote resources) nor pandera (for failing constraints)."""
    (tmp_path / "t.csv").write_text("id\n1\n2\n", encoding="utf-8")
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "id"}]}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from etl.cli import main\n"
        "result = CliRunner().invoke(main, ['validate', sys.argv[1]])\n"
        "loaded = {'yaml', 'urllib.request', 'pandera'} & set(sys.modules)\n"
        "print(result.exit_code, sorted(loaded))\n"
    )
    descriptor = str(tmp_path / "datapackage.json")
    out = subprocess.run(
        [sys.executable, "-c", code, descriptor], capture_output=True, text=True, check=True
    )
    assert out.stdout == "0 []\n"
