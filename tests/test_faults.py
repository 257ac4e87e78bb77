"""Faults of the machine and of the project folder: every message about dist/ is true, no
traceback, and the exit codes shell tools use (2 for the environment, 130, 141)."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

import etl.build.package
import etl.build.publish
from etl.build.publish import OLD_PREFIX, STAGING_PREFIX
from etl.cli import main
from tests.projects import ROOT, copy_project, edit_cell, tree_digest


def build(project: Path, *args: str) -> Any:
    """`etl build` on the project, as a user runs it."""
    return CliRunner().invoke(main, ["build", "--project", str(project), *args])


def leftovers(project: Path) -> list[str]:
    """Staging or old-package folders a build left in the project."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(STAGING_PREFIX))


def test_dist_that_is_a_symlink_is_refused_before_writing(tmp_path: Path) -> None:
    """A symlinked dist/ would be replaced by a folder: refused, and the link's target kept."""
    project = copy_project(tmp_path / "p", with_dist=False)
    elsewhere = copy_project(tmp_path / "elsewhere") / "dist"
    before = tree_digest(elsewhere)
    (project / "dist").symlink_to(elsewhere, target_is_directory=True)
    result = build(project)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {project.resolve() / 'dist'} is a symlink - a build replaces dist/ as a whole, "
        "so it must be a real folder: remove the link and build again; dist/ is unchanged"
    ]
    assert (project / "dist").is_symlink() and tree_digest(elsewhere) == before
    assert leftovers(project) == []


def test_dist_that_is_a_file_is_refused_before_writing(tmp_path: Path) -> None:
    """A file where dist/ should be is left as it is, and the build says so."""
    project = copy_project(tmp_path, with_dist=False)
    (project / "dist").write_text("not a package\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {project.resolve() / 'dist'} is a file, not a folder - move it away and build "
        "again; dist/ is unchanged"
    ]
    assert (project / "dist").read_text(encoding="utf-8") == "not a package\n"


def test_a_stray_old_package_file_does_not_become_dist(tmp_path: Path) -> None:
    """A file named like a set-aside package, and no dist/: removed, and the build publishes."""
    project = copy_project(tmp_path, with_dist=False)
    (project / f"{OLD_PREFIX}123").write_text("junk\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 0, result.output
    assert (project / "dist").is_dir()
    assert tree_digest(project / "dist") == tree_digest(ROOT / "dist")
    assert leftovers(project) == []


def test_an_old_package_that_cannot_be_removed_is_a_warning_of_a_build_that_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the swap, a cleanup that fails says dist/ holds the new package, and exits 0."""
    project = copy_project(tmp_path)
    edit_cell(project / "raw/sources.csv", "by-infomaterial-2023-s4", "note", "A new note.")
    real = etl.build.publish.shutil.rmtree

    def stubborn(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path).name.startswith(STAGING_PREFIX) and kwargs.get("ignore_errors"):
            return  # the old package, swapped out of dist/, stays
        real(path, *args, **kwargs)

    monkeypatch.setattr(etl.build.publish.shutil, "rmtree", stubborn)
    result = build(project)
    assert result.exit_code == 0, result.output
    [left] = leftovers(project)
    lines = result.output.splitlines()
    assert (
        f"{left}: warning [cleanup-left] dist/ holds the new package, but the old one could not "
        f"be removed from {project.resolve() / left} - remove that folder (the next build also "
        "tries)"
    ) in lines
    assert lines[-1].startswith("Built dist/: ")
    assert "A new note." in (project / "dist/data/sources.csv").read_text(encoding="utf-8")
    monkeypatch.undo()
    assert build(project).exit_code == 0
    assert leftovers(project) == []


def test_a_full_disk_while_writing_parquet_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """polars' ComputeError for a full disk is an environment error, exit 2, dist/ unchanged."""
    project = copy_project(tmp_path)
    before = tree_digest(project / "dist")

    def full(frame: pl.DataFrame, target: Any) -> None:
        raise pl.exceptions.ComputeError("No space left on device (os error 28)")

    monkeypatch.setattr(etl.build.package, "write_parquet", full)
    result = build(project)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: cannot write the package to {project.resolve() / 'dist'}: No space left on "
        "device (os error 28) - free some disk space or make the project folder writable, then "
        "build again; dist/ is unchanged"
    ]
    assert tree_digest(project / "dist") == before
    assert leftovers(project) == []


def test_ctrl_c_exits_130_and_leaves_no_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt while the package is written: exit 130, no staging folder, dist/ as it was."""
    project = copy_project(tmp_path)
    before = tree_digest(project / "dist")

    def interrupted(frame: pl.DataFrame, target: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(etl.build.package, "write_parquet", interrupted)
    result = build(project)
    assert (result.exit_code, result.output) == (130, "Interrupted.\n")
    assert tree_digest(project / "dist") == before
    assert leftovers(project) == []


def test_a_closed_pipe_exits_quietly_with_141(tmp_path: Path) -> None:
    """`etl check | head -0`: no traceback, no message, the exit code of a killed writer."""
    project = copy_project(tmp_path, with_dist=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "etl", "check", "--project", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away at once
    err = process.stderr.read()
    assert process.wait() == 141
    assert err == b""


def test_a_report_into_a_missing_folder_is_refused_before_building(tmp_path: Path) -> None:
    """--output into a folder that does not exist exits 2 before dist/ is touched."""
    project = copy_project(tmp_path)
    before = tree_digest(project / "dist")
    (project / "raw/sources.csv").unlink()  # a build that ran would fail differently
    target = tmp_path / "no-such-folder" / "report.json"
    result = build(project, "--format", "json", "--output", str(target))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: cannot write the report to {target}: {target.parent} is not a folder"
    ]
    assert tree_digest(project / "dist") == before


def test_a_raw_file_linked_from_outside_the_project_is_refused(tmp_path: Path) -> None:
    """raw/programmes.csv as a symlink to a file elsewhere: exit 2, the build reads nothing."""
    project = copy_project(tmp_path / "p")
    outside = tmp_path / "programmes.csv"
    outside.write_bytes((project / "raw/programmes.csv").read_bytes())
    (project / "raw/programmes.csv").unlink()
    (project / "raw/programmes.csv").symlink_to(outside)
    result = build(project)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: raw/programmes.csv is a symlink to {outside.resolve()}, outside the project - "
        "copy the file into the project instead"
    ]


def test_a_symlinked_build_lock_is_refused(tmp_path: Path) -> None:
    """The lock file is never followed through a symlink."""
    project = copy_project(tmp_path / "p")
    target = tmp_path / "elsewhere"
    target.write_text("", encoding="utf-8")
    (project / ".etl-build.lock").symlink_to(target)
    result = build(project)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: the build lock {project.resolve() / '.etl-build.lock'} is a symlink - remove "
        "it (a build never follows one)"
    ]


def test_an_unreadable_raw_file_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission denied on a raw table (simulated: the tests may run as root) exits 2."""
    project = copy_project(tmp_path)
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "programmes.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    result = build(project)
    assert result.exit_code == 2
    path = project.resolve() / "raw/programmes.csv"
    assert result.output.splitlines() == [
        f"Error: cannot read {path}: Permission denied - check that it exists and that you may "
        "read it"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- name: x\n",
            [
                "schemas/package.yaml: error [schema-error] must be a mapping of name, title, "
                "title_ru, description, description_ru, versioning, keywords, licenses, "
                "contributors, not a list"
            ],
        ),
    ],
)
def test_package_yaml_that_is_not_a_mapping_is_a_finding(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    """schemas/package.yaml as a list: one finding, exit 1, no traceback."""
    project = copy_project(tmp_path)
    (project / "schemas/package.yaml").write_text(text, encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "error [" in line] == expected
    assert "Traceback" not in result.output


def test_package_yaml_missing_a_property_names_it(tmp_path: Path) -> None:
    """A package.yaml without its name names the property."""
    project = copy_project(tmp_path)
    meta = project / "schemas/package.yaml"
    lines = meta.read_text(encoding="utf-8").splitlines()
    meta.write_text("\n".join(x for x in lines if not x.startswith("name:")) + "\n")
    result = build(project)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "error [" in line] == [
        "schemas/package.yaml (name): error [schema-error] needs 'name', a str - add it or "
        "fix its type"
    ]
    assert os.path.isdir(project / "dist")


class _Endless(http.server.BaseHTTPRequestHandler):
    """Answers every request with a body that never ends (or trickles, when `trickle`)."""

    trickle = False

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        chunk = b"a" if self.trickle else b"a,b\n" * 16384
        with contextlib.suppress(OSError):
            for _ in range(100_000):  # bounded: the test's client gives up long before
                self.wfile.write(chunk)
                self.wfile.flush()
                if self.trickle:
                    time.sleep(0.2)

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(params=[False, True], ids=["endless", "trickling"])
def remote(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, bool]]:
    """A package whose one resource is served on localhost without end, fast or slowly."""
    handler = type("Handler", (_Endless,), {"trickle": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/t.csv"
    schema = {"fields": [{"name": "a"}, {"name": "b"}]}
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [{"name": "t", "path": url, "schema": schema}]}))
    yield descriptor, request.param
    server.shutdown()


def test_a_remote_resource_without_end_is_cut_off(remote: tuple[Path, bool]) -> None:
    """An endless body stops at --remote-max-bytes; a trickling one at --remote-timeout;
    exit 2 either way, and no download is left behind."""
    descriptor, trickle = remote
    limit = ["--remote-timeout", "1"] if trickle else ["--remote-max-bytes", "1000000"]
    before = set(Path(tempfile.gettempdir()).glob("etl-validate-*"))
    started = time.monotonic()
    result = CliRunner().invoke(main, ["validate", str(descriptor), "--allow-remote", *limit])
    assert time.monotonic() - started < 20
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    if trickle:
        assert line.endswith(
            "t.csv took longer than 1 s to fetch - raise the limit with --remote-timeout "
            "(ETL_REMOTE_TIMEOUT), or check the server"
        )
    else:
        assert line.endswith(
            "t.csv is larger than 1000000 bytes - raise the limit with --remote-max-bytes "
            "(ETL_REMOTE_MAX_BYTES) if it is meant to be"
        )
    assert set(Path(tempfile.gettempdir()).glob("etl-validate-*")) == before
    assert "ETL_REMOTE_TIMEOUT" not in os.environ and "ETL_REMOTE_MAX_BYTES" not in os.environ


def test_a_raw_cell_longer_than_the_limit_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quoted raw cell longer than the record limit is named as such, not as a quote left
    open (the limit made small here, as ETL_MAX_RECORD_BYTES makes it)."""
    project = copy_project(tmp_path)
    monkeypatch.setenv("ETL_MAX_RECORD_BYTES", "1000")
    edit_cell(project / "raw/programmes.csv", "intelavto", "name_en", "x" * 2000)
    result = build(project)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "error [" in line] == [
        "raw/programmes.csv:7: error [source-error] a cell of the record starting on this row is "
        "longer than 1000 bytes, the longest read - check that its quotes are closed, or raise "
        "the limit with ETL_MAX_RECORD_BYTES"
    ]


def test_a_reader_crash_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader's error spanning several lines becomes a one-line source-error."""
    import etl.tableschema.resource
    from etl.tableschema.engine import validate_file

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise pl.exceptions.ComputeError("first line\n\n  second line\n")

    (tmp_path / "t.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "s.json").write_text(json.dumps({"fields": [{"name": "a"}]}), encoding="utf-8")
    monkeypatch.setattr(etl.tableschema.resource, "read_pieces", broken)
    report = validate_file(tmp_path / "t.csv", tmp_path / "s.json")
    [finding] = report.findings
    assert finding.message == (
        "the file cannot be read (ComputeError: first line second line) - check that it is csv "
        "as the descriptor says"
    )


@pytest.mark.parametrize("name", ["figures.yaml", "checks.yaml", "package.yaml"])
def test_an_unreadable_schema_file_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Permission denied on a schema or declaration file (simulated) exits 2 naming it."""
    project = copy_project(tmp_path)
    real = Path.read_text

    def denied(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == name and self.parent.name in ("raw", "schemas"):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", denied)
    result = build(project)
    assert result.exit_code == 2
    found = [p for p in (project / "schemas").rglob(name) if p.parent.name in ("raw", "schemas")]
    assert len(found) == 1
    assert result.output.splitlines() == [
        f"Error: cannot read {found[0].resolve()}: Permission denied - check that it exists "
        "and that you may read it"
    ]
