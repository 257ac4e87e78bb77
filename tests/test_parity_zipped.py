"""Parity with frictionless-py on zipped data packages, and hostile zips refused (exit 2)."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.tableschema import zipped
from etl.tableschema.engine import validate_package
from tests.test_package_reader import served  # noqa: F401 - the fixture
from tests.test_parity import INT_AND_TEXT, frictionless_keys
from tests.test_parity_inputs import keys

DESCRIPTOR = json.dumps(
    {"name": "case", "resources": [{"name": "t", "path": "t.csv", "schema": INT_AND_TEXT}]}
)


def write_zip(path: Path, members: list[tuple[str, str | bytes]]) -> Path:
    """A zip of the members, in order; returns its path."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("a,b\n1,x\n2,y\n", set()),
        ("a,b\n1,x\nq,y\n2\n", {("t", 3, "a", "type-error"), ("t", 4, "b", "missing-cell")}),
    ],
    ids=["valid", "invalid"],
)
def test_zipped_package_as_frictionless_reads_it(
    tmp_path: Path, table: str, expected: set[tuple[str, int, str, str]]
) -> None:
    """A zip holding datapackage.json and its files: the same findings in both tools."""
    archive = write_zip(tmp_path / "p.zip", [("datapackage.json", DESCRIPTOR), ("t.csv", table)])
    ours = validate_package(archive)
    assert keys(ours) == frictionless_keys(archive) == expected
    assert {f.file for f in ours.findings} <= {f"{archive.as_posix()}/t.csv"}


def test_zip_of_one_folder_is_read(tmp_path: Path) -> None:
    """A zip of a package folder (as etl release writes it): read from that folder; frictionless
    reads only a zip with datapackage.json at its top, so this case is etl's alone."""
    members = [("p-1.0/datapackage.json", DESCRIPTOR), ("p-1.0/t.csv", "a,b\nq,x\n")]
    archive = write_zip(tmp_path / "p.zip", members)
    report = validate_package(archive)
    assert [(f.file, f.row, f.field, f.kind) for f in report.findings] == [
        (f"{archive.as_posix()}/p-1.0/t.csv", 2, "a", "type-error")
    ]


def _symlink(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("datapackage.json", DESCRIPTOR)
        link = zipfile.ZipInfo("t.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return path


HOSTILE = {
    "path-traversal": (
        lambda p: write_zip(p, [("datapackage.json", DESCRIPTOR), ("../t.csv", "a,b\n")]),
        "holds '../t.csv', a path leaving the package - refusing to extract it",
    ),
    "absolute-name": (
        lambda p: write_zip(p, [("datapackage.json", DESCRIPTOR), ("/tmp/t.csv", "a,b\n")]),
        "holds '/tmp/t.csv', a path leaving the package",
    ),
    "symlink-member": (_symlink, "holds 't.csv', a symlink - refusing to extract it"),
    "no-descriptor": (
        lambda p: write_zip(p, [("t.csv", "a,b\n1,x\n")]),
        "holds no datapackage.json at its top",
    ),
    "two-descriptors": (
        lambda p: write_zip(
            p, [("datapackage.json", DESCRIPTOR), ("datapackage.yaml", DESCRIPTOR), ("t.csv", "")]
        ),
        "holds 2 descriptors (datapackage.json, datapackage.yaml) - keep one",
    ),
    "bomb": (
        lambda p: write_zip(p, [("datapackage.json", DESCRIPTOR), ("t.csv", b"0" * 5_000_000)]),
        "expands to more than 1000000 bytes - raise the limit with --decompressed-max-bytes",
    ),
    "not-a-zip": (
        lambda p: p.write_bytes(b"PK\x03\x04 not really") and p,
        "is not a readable zip",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_zip_is_refused(tmp_path: Path, case: str) -> None:
    """A hostile or unusable zip: one line saying why, exit 2, nothing read."""
    make, message = HOSTILE[case]
    archive = tmp_path / "p.zip"
    make(archive)
    args = ["validate", str(archive), "--decompressed-max-bytes", "1000000"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "t.csv").exists()


def test_remote_zipped_package_is_fetched_when_allowed(
    tmp_path: Path,
    served: str,  # noqa: F811 - the fixture
) -> None:
    """A zipped package at a URL: fetched with --allow-remote, its files read from the zip
    and shown under its URL."""
    write_zip(tmp_path / "p.zip", [("datapackage.json", DESCRIPTOR), ("t.csv", "a,b\nq,x\n")])
    report = validate_package(f"{served}/p.zip", allow_remote=True)
    assert [(f.file, f.row, f.field, f.kind) for f in report.findings] == [
        (f"{served}/p.zip/t.csv", 2, "a", "type-error")
    ]


def test_validate_names_itself_and_innerpath_in_its_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """etl validate's lines for too many members and for no descriptor, shared with etl diff,
    still name etl validate and a resource's innerpath."""
    monkeypatch.setattr(zipped, "MAX_MEMBERS", 2)
    many = write_zip(tmp_path / "many.zip", [(f"{n}.csv", "a\n") for n in range(3)])
    bare = write_zip(tmp_path / "bare.zip", [("t.csv", "a\n")])
    runs = [CliRunner().invoke(main, ["validate", str(path)]) for path in (many, bare)]
    assert [(run.exit_code, run.stderr) for run in runs] == [
        (
            2,
            f"Error: {many} holds 3 members, more than the 2 etl validate extracts - unzip it "
            "yourself and give its datapackage.json\n",
        ),
        (
            2,
            f"Error: {bare} holds no datapackage.json at its top - zip a data package (its "
            "datapackage.json and its files), or give the file inside with a resource's "
            "innerpath\n",
        ),
    ]
