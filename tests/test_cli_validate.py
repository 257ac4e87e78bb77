"""The `etl validate` command: exit codes and exact output, for any package or one file."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import _ProgressBar, main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


def package(folder: Path, text: str, path: str = "t.csv") -> Path:
    """A one-resource package whose CSV holds `text`."""
    (folder / "t.csv").write_text(text, encoding="utf-8")
    res = {"name": "t", "path": path, "schema": SCHEMA}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    return folder / "datapackage.json"


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `etl validate ARGS`."""
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_committed_package_is_valid() -> None:
    """`etl validate dist/datapackage.json` on the project's own package exits 0."""
    code, out, err = run(str(ROOT / "dist" / "datapackage.json"))
    assert (code, out, err) == (0, "", "Valid: 0 warnings.\n")


def test_default_path_is_the_project_dist() -> None:
    """Without PATH, the --project's dist/datapackage.json is checked."""
    assert run("--project", str(ROOT))[0] == 0


def test_findings_exit_1_with_one_line_each(tmp_path: Path) -> None:
    """Each finding is one line naming file:row (field), value and fix; then a summary."""
    code, out, err = run(str(package(tmp_path, "id,name\nx,a\n1,b,c\n")))
    file = f"{tmp_path}/t.csv"
    assert code == 1
    assert out.splitlines() == [
        f"{file}:2 (id): error [type-error] 'x': is not a whole number such as 42 "
        "(type integer) - fix the cell or the field's type",
        f"{file}:3: error [extra-cell] 'c': the row has a cell at position 3, beyond the "
        "header's 2 columns - quote cells holding the delimiter, or add the column",
    ]
    assert err == "Invalid: 2 errors, 0 warnings.\n"


def test_limit_truncates_visibly(tmp_path: Path) -> None:
    """--limit 1 prints one finding and a line saying how many more there are."""
    code, out, _ = run(str(package(tmp_path, "id,name\nx,a\ny,b\nz,c\n")), "--limit", "1")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[1] == (
        f"{tmp_path}/t.csv: error [limit-reached] '2': 2 more findings are not shown "
        "(--limit 1) - fix these, or raise the limit"
    )


def test_json_format(tmp_path: Path) -> None:
    """--format json prints the report as JSON on stdout, nothing else."""
    code, out, err = run(str(package(tmp_path, "id,name\nx,a\n")), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert err == ""
    assert data["ok"] is False
    assert [(f["row"], f["field"], f["kind"], f["value"]) for f in data["findings"]] == [
        (2, "id", "type-error", "x")
    ]


def test_output_writes_the_report_to_a_file(tmp_path: Path) -> None:
    """--output FILE holds what standard output would, which stays empty; exit and verdict
    unchanged."""
    descriptor = str(package(tmp_path, "id,name\nx,a\n"))
    _, printed, _ = run(descriptor, "--format", "json")
    target = tmp_path / "report.json"
    code, out, err = run(descriptor, "--format", "json", "--output", str(target))
    assert (code, out, err) == (1, "", "")
    assert target.read_text(encoding="utf-8") == printed
    text = tmp_path / "report.txt"
    code, out, err = run(descriptor, "--output", str(text))
    assert (code, out, err) == (1, "", "Invalid: 1 errors, 0 warnings.\n")
    assert text.read_text(encoding="utf-8").startswith(f"{tmp_path}/t.csv:2 (id): error ")


def test_output_into_a_missing_folder_exits_2_before_validating(tmp_path: Path) -> None:
    """--output in a folder that does not exist: exit 2, one line, nothing read."""
    target = tmp_path / "nowhere" / "report.txt"
    code, out, err = run(str(tmp_path / "absent.json"), "--output", str(target))
    assert (code, out, err) == (
        2,
        "",
        f"Error: cannot write the report to {target}: {target.parent} is not a folder\n",
    )


def test_github_format(tmp_path: Path) -> None:
    """--format github prints one ::error annotation per finding."""
    code, out, _ = run(str(package(tmp_path, "id,name\nx,a\n")), "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={tmp_path}/t.csv,line=2,title=type-error::")


def test_junit_format(tmp_path: Path) -> None:
    """--format junit prints a test case failing per kind of finding."""
    code, out, _ = run(str(package(tmp_path, "id,name\nx,a\n")), "--format", "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    assert code == 1
    assert [c.get("name") for c in root.iter("testcase")] == ["type-error"]


def test_single_file_with_schema(tmp_path: Path) -> None:
    """A CSV file and --schema: the file is checked alone."""
    (tmp_path / "t.csv").write_text("id,name\n1,a\n")
    (tmp_path / "s.json").write_text(json.dumps(SCHEMA))
    assert run(str(tmp_path / "t.csv"), "--schema", str(tmp_path / "s.json"))[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["t.csv"], "t.csv is a single file - give its --schema"),
        (["datapackage.json", "--schema", "s.json"], "--schema is for a single CSV or Parquet"),
    ],
)
def test_schema_option_misuse_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    """--schema is needed for a single file and refused for a package."""
    package(tmp_path, "id,name\n1,a\n")
    (tmp_path / "s.json").write_text(json.dumps(SCHEMA))
    code, _, err = run(*[str(tmp_path / a) if a.endswith((".csv", ".json")) else a for a in args])
    assert code == 2
    assert message in err


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "../t.csv",
            "Error: resource 't' path '../t.csv' leaves the package folder - a package may only "
            "point inside its own folder\n",
        ),
        (
            "https://example.org/t.csv",
            "Error: resource 't' is remote (https://example.org/t.csv) - pass --allow-remote "
            "to fetch it\n",
        ),
    ],
)
def test_unsafe_path_exits_2_with_one_line(tmp_path: Path, path: str, message: str) -> None:
    """A path leaving the package, or a remote one not allowed, is refused in one line."""
    folder = tmp_path / "pkg"
    folder.mkdir()
    code, out, err = run(str(package(folder, "id,name\n1,a\n", path)))
    assert (code, out, err) == (2, "", message)


def test_unreadable_descriptor_exits_2(tmp_path: Path) -> None:
    """A descriptor that is not JSON is a clean one-line error, never a traceback."""
    (tmp_path / "datapackage.json").write_text("{")
    code, _, err = run(str(tmp_path / "datapackage.json"))
    assert code == 2
    assert err.startswith(f"Error: {tmp_path}/datapackage.json line 1: not valid JSON: ")
    assert "Traceback" not in err


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    """A warning passes, unless --strict."""
    (tmp_path / "t.csv").write_text("g\nx\n")
    key = {"fields": ["g"], "reference": {"resource": "other", "fields": ["g"]}}
    (tmp_path / "s.json").write_text(json.dumps({"fields": [{"name": "g"}], "foreignKeys": [key]}))
    args = (str(tmp_path / "t.csv"), "--schema", str(tmp_path / "s.json"))
    assert run(*args)[0] == 0
    assert run(*args, "--strict")[0] == 1


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        """Always a terminal."""
        return True


def test_progress_bar_shows_after_a_second_on_a_terminal_only() -> None:
    """No bar in the first second, nor off a terminal; then one line, erased at the end."""
    now = [0.0]
    screen = Terminal()
    bar = _ProgressBar(screen, clock=lambda: now[0])
    bar("t", 1, 4)
    assert screen.getvalue() == ""
    now[0] = 1.5
    bar("t", 2, 4)
    assert screen.getvalue() == "\r" + f"{'t [' + '#' * 15 + ' ' * 15 + '] 2/4 rows':<79}"
    bar.clear()
    assert screen.getvalue().endswith("\r" + " " * 79 + "\r")
    piped = io.StringIO()
    quiet = _ProgressBar(piped, clock=lambda: now[0] + 5)
    quiet("t", 2, 4)
    assert piped.getvalue() == ""


def test_progress_bar_shows_megabytes_of_a_csv() -> None:
    """A CSV read in one pass is measured in bytes, shown as MB."""
    screen = Terminal()
    bar = _ProgressBar(screen, clock=iter([0.0, 2.0]).__next__)
    bar("t", 25_000_000, 100_000_000, "bytes")
    assert screen.getvalue() == "\r" + f"{'t [' + '#' * 7 + ' ' * 23 + '] 25/100 MB':<79}"


def test_single_file_foreign_keys_are_a_warning_not_an_error() -> None:
    """A file validated alone cannot check keys into other resources: it says so, exit 0."""
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(
        main,
        [
            "validate",
            str(root / "dist/data/figures.csv"),
            "--schema",
            str(root / "schemas/published/figures.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith(
        "figures.csv (source_id): warning [schema-error] 'sources': the foreign key to resource "
        "'sources' is not checked when one file is validated alone - validate the whole package "
        "to check it"
    )
    assert lines[-1] == "Valid: 2 warnings."


def test_foreign_key_hints_suggest_nothing_for_anyones_package(tmp_path: Path) -> None:
    """`etl validate` keeps frictionless' hint: a near miss gets no "did you mean" (only the
    project's raw tables do)."""
    (tmp_path / "a.csv").write_text("code\nfrance\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("code\nfrancе\nfranc\n", encoding="utf-8")
    key = {"fields": [{"name": "code", "type": "string"}], "primaryKey": ["code"]}
    ref = {
        "fields": [{"name": "code", "type": "string"}],
        "foreignKeys": [{"fields": ["code"], "reference": {"resource": "a", "fields": ["code"]}}],
    }
    resources = [
        {"name": "a", "path": "a.csv", "schema": key},
        {"name": "b", "path": "b.csv", "schema": ref},
    ]
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": resources}))
    code, out, _ = run(str(tmp_path / "datapackage.json"))
    assert code == 1
    assert out.splitlines()[-1] == (
        f"{tmp_path}/b.csv:3 (code): error [foreign-key] 'franc': no row of {tmp_path}/a.csv "
        f"has code = 'franc' - fix the value or add that row to {tmp_path}/a.csv"
    )


def test_a_build_tells_its_stages_for_the_progress_line(tmp_path: Path) -> None:
    """A clean check goes through every stage in order; the progress line shows the one it
    is in, on a terminal, once the build has run a second."""
    from etl.build.pipeline import run as run_build
    from etl.build.settings import Settings
    from tests.projects import copy_project

    stages: list[str] = []
    result = run_build(Settings(copy_project(tmp_path)), write=False, stage=stages.append)
    assert result.report.ok
    assert stages == ["load", "cite and transform", "check", "write and verify the package"]
    screen = Terminal()
    bar = _ProgressBar(screen, clock=iter([0.0, 0.5, 1.5]).__next__)
    bar.show("etl build: load")
    bar.show("etl build: check")
    assert screen.getvalue() == "\r" + f"{'etl build: check':<79}"
