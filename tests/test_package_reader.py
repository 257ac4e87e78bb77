"""Tests for etl.tableschema.package: descriptors read safely, paths kept inside the package."""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from etl.report.errors import UsageError
from etl.tableschema.csv_reader import CsvDialect
from etl.tableschema.package import read_package, read_table

SCHEMA = {"fields": [{"name": "a", "type": "integer"}]}


def package(folder: Path, *resources: dict[str, Any], name: str = "datapackage.json") -> Path:
    """A descriptor listing `resources` in `folder`."""
    path = folder / name
    path.write_text(json.dumps({"resources": list(resources)}), encoding="utf-8")
    return path


def resource(path: str, **extra: Any) -> dict[str, Any]:
    """A resource called t at `path`."""
    return {"name": "t", "path": path, "schema": SCHEMA, **extra}


def test_reads_resources_with_format_dialect_and_schema(tmp_path: Path) -> None:
    """Each resource gets its file, shown path, format, dialect and parsed schema."""
    (tmp_path / "data").mkdir()
    descriptor = package(
        tmp_path,
        resource("data/t.csv", dialect={"delimiter": ";"}, bytes=10, hash="md5:00"),
        {"name": "p", "path": "data/p.parquet", "schema": SCHEMA},
    )
    found = read_package(descriptor)
    t, p = found.resources
    assert (t.path, t.file, t.format) == (tmp_path / "data/t.csv", f"{tmp_path}/data/t.csv", "csv")
    assert t.dialect == CsvDialect(delimiter=";")
    assert (t.bytes, t.hash) == (10, "md5:00")
    assert t.schema is not None and t.schema.field_names == ["a"]
    assert p.format == "parquet"
    assert found.findings == ()


def test_shown_paths_are_relative_to_the_current_folder(tmp_path: Path) -> None:
    """A descriptor given as a relative path shows resource paths the same way."""
    package(tmp_path, resource("t.csv"))
    cwd = Path.cwd()
    os.chdir(tmp_path.parent)
    try:
        found = read_package(Path(tmp_path.name) / "datapackage.json")
    finally:
        os.chdir(cwd)
    assert found.resources[0].file == f"{tmp_path.name}/t.csv"


def test_reads_yaml_and_a_schema_file(tmp_path: Path) -> None:
    """A YAML descriptor, and a schema given as a path inside the package, are read."""
    (tmp_path / "schema.yaml").write_text("fields:\n  - {name: a, type: integer}\n")
    path = tmp_path / "datapackage.yaml"
    path.write_text("resources:\n  - {name: t, path: t.csv, schema: schema.yaml}\n")
    found = read_package(path)
    assert found.resources[0].schema is not None
    assert found.resources[0].schema.field_names == ["a"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../secret.csv", "resource 't' path '../secret.csv' leaves the package folder"),
        ("data/../../secret.csv", "leaves the package folder"),
        ("/etc/passwd", "resource 't' path '/etc/passwd' is absolute"),
        ("file:///etc/passwd", "is not a relative path or a URL"),
        ("C:\\secret.csv", "is not a relative path or a URL"),
        (
            "https://example.org/t.csv",
            "is remote (https://example.org/t.csv) - pass --allow-remote",
        ),
    ],
)
def test_refuses_paths_leaving_the_package(tmp_path: Path, path: str, message: str) -> None:
    """Absolute, parent-relative, other-scheme and (unless allowed) remote paths are refused."""
    with pytest.raises(UsageError) as caught:
        read_package(package(tmp_path, resource(path)))
    assert message in str(caught.value)


def test_refuses_a_symlink_pointing_outside(tmp_path: Path) -> None:
    """A resource that is a symlink to a file outside the package folder is refused."""
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "t.csv").symlink_to(outside)
    with pytest.raises(UsageError, match="is a symlink pointing outside the package folder"):
        read_package(package(folder, resource("t.csv")))


def test_accepts_a_symlink_inside(tmp_path: Path) -> None:
    """A symlink to another file of the package is fine."""
    (tmp_path / "real.csv").write_text("a\n1\n")
    (tmp_path / "t.csv").symlink_to(tmp_path / "real.csv")
    assert (
        read_package(package(tmp_path, resource("t.csv"))).resources[0].path == tmp_path / "t.csv"
    )


def test_refuses_a_schema_path_leaving_the_package(tmp_path: Path) -> None:
    """A schema given as a path is held to the same rule as data."""
    descriptor = package(tmp_path, {"name": "t", "path": "t.csv", "schema": "../schema.json"})
    with pytest.raises(UsageError) as caught:
        read_package(descriptor)
    assert "path '../schema.json' leaves the package folder" in str(caught.value)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    """A YAML tag that would build a Python object is an error, never run."""
    path = tmp_path / "datapackage.yaml"
    marker = tmp_path / "ran"
    path.write_text(
        f"resources: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    with pytest.raises(UsageError, match="not valid YAML"):
        read_package(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "datapackage.json line 1: not valid JSON"),
        ('{"name": "x"}', "is not a data package: it needs a list of 'resources'"),
    ],
)
def test_unusable_descriptor_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    """A descriptor that cannot be read says why."""
    path = tmp_path / "datapackage.json"
    path.write_text(text)
    with pytest.raises(UsageError) as caught:
        read_package(path)
    assert message in str(caught.value)


def test_missing_descriptor_is_a_usage_error(tmp_path: Path) -> None:
    """A descriptor path that does not exist is a usage error naming it."""
    with pytest.raises(UsageError, match="does not exist or is not a file"):
        read_package(tmp_path / "nope.json")


def test_descriptor_problems_are_findings_of_their_level(tmp_path: Path) -> None:
    """A descriptor breaking the profiles gives frictionless' error types, and no table is
    read: a name used twice, a resource without a name or a path, a constraint its type
    does not take."""
    odd = {"fields": [{"name": "a", "type": "integer", "constraints": {"pattern": "x"}}]}
    found = read_package(
        package(
            tmp_path,
            resource("a.csv"),
            resource("b.csv"),
            {"path": "c.csv"},
            {"name": "u", "schema": SCHEMA},
            {"name": "v", "path": "v.csv", "schema": odd},
        )
    )
    assert found.resources == ()
    assert [(f.kind, f.field, f.message) for f in found.findings] == [
        ("package-error", None, "resource name 't' is used twice - rename one"),
        (
            "resource-error",
            None,
            "resource None: 'name' is a required property - fix the descriptor",
        ),
        (
            "resource-error",
            None,
            "resource 'u' needs one of 'path' and 'data', not both or neither - keep one",
        ),
        (
            "field-error",
            "a",
            "resource 'v', schema, field 'a': constraint 'pattern' does not go with type integer "
            "- remove it",
        ),
    ]


def test_type_not_checked_is_refused(tmp_path: Path) -> None:
    """A Table Schema type etl validate does not check yet is a usage error, never read as any."""
    odd_type = {
        "name": "u",
        "path": "u.csv",
        "schema": {"fields": [{"name": "g", "type": "list"}]},
    }
    with pytest.raises(UsageError, match="resource 'u', field 'g': type 'list' is not checked"):
        read_package(package(tmp_path, odd_type))


def test_read_options_are_parsed(tmp_path: Path) -> None:
    """format, missingValues and the number and boolean read options reach the fields."""
    schema = {
        "missingValues": ["NA"],
        "fields": [
            {
                "name": "n",
                "type": "number",
                "decimalChar": ",",
                "groupChar": " ",
                "missingValues": ["-"],
            },
            {"name": "d", "type": "date", "format": "%d.%m.%Y"},
        ],
    }
    found = read_package(package(tmp_path, {"name": "t", "path": "t.csv", "schema": schema}))
    parsed = found.resources[0].schema
    assert parsed is not None
    n, d = parsed.fields
    assert (n.option("decimalChar"), n.option("groupChar"), n.option("bareNumber")) == (
        ",",
        " ",
        True,
    )
    assert parsed.missing_values_of(n) == ("-",)
    assert parsed.missing_values_of(d) == ("NA",)
    assert d.format == "%d.%m.%Y"


def test_read_table_makes_a_one_resource_package(tmp_path: Path) -> None:
    """A CSV and a schema file become a package named after the file."""
    (tmp_path / "places.csv").write_text("a\n1\n")
    (tmp_path / "places.json").write_text(json.dumps(SCHEMA))
    found = read_table(tmp_path / "places.csv", tmp_path / "places.json")
    assert [(r.name, r.format) for r in found.resources] == [("places", "csv")]


def test_read_table_wants_csv_or_parquet(tmp_path: Path) -> None:
    """Another file type is a usage error."""
    (tmp_path / "t.xlsx").write_text("")
    with pytest.raises(UsageError, match="is neither CSV nor Parquet"):
        read_table(tmp_path / "t.xlsx", tmp_path / "s.json")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """tmp_path served over HTTP on localhost; yields its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_remote_resource_is_fetched_when_allowed(tmp_path: Path, served: str) -> None:
    """With allow_remote, a resource URL is downloaded to a private temporary file."""
    (tmp_path / "t.csv").write_text("a\n1\n")
    folder = tmp_path / "pkg"
    folder.mkdir()
    found = read_package(package(folder, resource(f"{served}/t.csv")), allow_remote=True)
    local = found.resources[0].path
    assert local is not None
    assert local.read_text() == "a\n1\n"
    assert found.resources[0].file == f"{served}/t.csv"


def test_remote_descriptor_resolves_paths_against_its_url(tmp_path: Path, served: str) -> None:
    """A remote descriptor's relative paths are fetched from beside it."""
    (tmp_path / "t.csv").write_text("a\n1\n")
    package(tmp_path, resource("t.csv"))
    found = read_package(f"{served}/datapackage.json", allow_remote=True)
    assert found.resources[0].file == f"{served}/t.csv"
    with pytest.raises(UsageError, match="pass --allow-remote"):
        read_package(f"{served}/datapackage.json")


def test_unreachable_url_is_a_usage_error(tmp_path: Path, served: str) -> None:
    """A URL that cannot be fetched says so, with what to check."""
    with pytest.raises(UsageError, match=r"cannot fetch .* - check the URL and the network"):
        read_package(package(tmp_path, resource(f"{served}/missing.csv")), allow_remote=True)


@pytest.mark.parametrize(
    ("extra", "tabular", "problems"),
    [
        ({"path": "s.txt", "format": "txt"}, False, []),
        ({"path": "s.txt", "type": "table"}, True, ["the resource has no schema - add one"]),
        ({"path": "s.csv"}, True, []),
    ],
)
def test_a_resource_without_schema_is_tabular_only_by_type_or_format(
    tmp_path: Path, extra: dict[str, Any], tabular: bool, problems: list[str]
) -> None:
    """A text resource needs no schema; a table of a format whose schema cannot be inferred
    does; a CSV's schema is inferred when it has none (etl.tableschema.infer)."""
    found = read_package(package(tmp_path, {"name": "s", **extra}))
    assert found.resources[0].tabular is tabular
    assert found.resources[0].infer is (extra["path"] == "s.csv")
    assert [f.message for f in found.findings] == problems
