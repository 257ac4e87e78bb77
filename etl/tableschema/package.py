"""Reading a Frictionless data package descriptor from an untrusted source, safely.

YAML is read with the safe loader; a resource, schema or dialect path must stay inside the
package folder (no absolute paths, no `..` out of it, no symlink pointing outside); a remote
URL is fetched only when allowed. Misuse raises UsageError; problems of a schema are findings.
"""

from __future__ import annotations

import atexit
import os
import posixpath
import shutil
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from etl.report.catalogue import SCHEMA_ERROR
from etl.report.errors import UsageError
from etl.report.findings import Finding
from etl.tableschema.descriptor import read_descriptor
from etl.tableschema.descriptor_check import (
    descriptor_findings,
    refuse_unread,
    refuse_unread_schema,
    schema_findings,
)
from etl.tableschema.dialect import CsvDialect, parse_dialect
from etl.tableschema.model import TableSchema
from etl.tableschema.native_read import NATIVE_FORMATS, excel_options
from etl.tableschema.schema import parse_schema
from etl.tableschema.sources import COMPRESSIONS
from etl.tableschema.zipped import is_zipped_package, unzip_package

FORMATS = {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet"}
FORMATS.update({".json": "json", ".jsonl": "jsonl", ".ndjson": "ndjson", ".xlsx": "xlsx"})
FORMATS[".ods"] = "ods"
REMOTE_SCHEMES = ("http", "https", "ftp")
#: Formats that make a resource tabular even without `type: table` (frictionless reads them
#: as tables): such a resource without a schema is a finding.
TABULAR = ("csv", "tsv", "parquet", "xlsx", "xls", "ods", "jsonl", "ndjson")
#: Formats whose schema, when the resource has none, is inferred (etl.tableschema.infer).
INFERRED = ("csv", "tsv", *NATIVE_FORMATS)
#: Formats frictionless-py reads and etl validate does not: refused (exit 2), never passed.
UNREAD_FORMATS = {
    "xls": "Excel 97-2003 workbooks",
    "html": "HTML tables",
    "gsheets": "Google Sheets",
    "sql": "SQL database tables",
    "sav": "SPSS files",
    "zsav": "SPSS files",
    "dta": "Stata files",
    "por": "SPSS files",
}
SQL_SCHEMES = ("sqlite", "postgresql", "postgres", "mysql", "mssql", "oracle", "duckdb")


@dataclass(frozen=True)
class Resource:
    """One resource of a package: where its file is, how to read it, its schema. A
    non-tabular resource (a text, an image) has neither schema nor table to check: only
    its file, size and hash."""

    name: str
    path: Path | None
    file: str
    format: str
    schema: TableSchema | None
    dialect: CsvDialect = field(default_factory=CsvDialect)
    #: The declared encoding; None when the descriptor declares none, for a CSV file read in
    #: the one frictionless-py detects (etl.tableschema.detect), UTF-8 for other formats.
    encoding: str | None = "utf-8"
    bytes: int | None = None
    hash: str | None = None
    #: The files after the first of a table in several parts (`path` as a list).
    more_parts: tuple[Path, ...] = ()
    compression: str | None = None
    innerpath: str | None = None
    tabular: bool = True
    #: True for a table without a schema, whose schema is inferred from its first rows.
    infer: bool = False
    #: Inline data (`data`): its rows, read in place of a file.
    data: list[Any] | None = field(default=None, compare=False)
    #: Options of the format: an Excel file's sheet.
    options: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Package:
    """The resources of a package, and every problem found reading the descriptor."""

    resources: tuple[Resource, ...]
    findings: tuple[Finding, ...] = ()
    single_file: bool = False

    def resource(self, name: str) -> Resource | None:
        """The resource called `name`, if any."""
        return next((r for r in self.resources if r.name == name), None)


@dataclass
class _Location:
    """Where the descriptor is: a local folder, or a URL when remote reading is allowed."""

    folder: Path | None
    url: str | None
    shown: str
    allow_remote: bool


def is_url(value: str) -> bool:
    """True for an http(s) or ftp URL."""
    return urllib.parse.urlsplit(value).scheme in REMOTE_SCHEMES


def read_package(
    path: str | Path, *, allow_remote: bool = False, shown: str | None = None
) -> Package:
    """The package described by a datapackage.json or .yaml (local, or remote if allowed);
    `shown` names its folder in findings where that is not the descriptor's own (a zip the
    caller extracted)."""
    text = str(path)
    if is_url(text):
        if not allow_remote:
            raise UsageError(f"{text} is remote - pass --allow-remote to fetch it")
        local = _download(text)
        if is_zipped_package(local):  # a zipped package: its files are in the zip
            local, shown = unzip_package(local, text)
            where = _Location(local.resolve().parent, None, shown, True)
        else:
            where = _Location(None, text, text.rsplit("/", 1)[0], True)
        data = _load(local, text)
    else:
        file = Path(path)
        if not file.is_file():
            raise UsageError(f"{file} does not exist or is not a file - give a datapackage.json")
        shown_folder = _shown_folder(file) if shown is None else shown
        if is_zipped_package(file):
            file, shown_folder = unzip_package(file)
        where = _Location(file.resolve().parent, None, shown_folder, allow_remote)
        data = _load(file, posixpath.join(shown_folder, file.name))
    if isinstance(data, dict) and "resources" not in data and ("path" in data or "data" in data):
        data = {"resources": [data]}  # a resource descriptor: a package of that resource
        if "$schema" in data["resources"][0]:
            data["$schema"] = data["resources"][0]["$schema"]
    if not isinstance(data, dict) or "resources" not in data:
        raise UsageError(f"{path} is not a data package: it needs a list of 'resources'")
    if isinstance(data["resources"], list):
        data = {**data, "resources": [_resolved(r, where) for r in data["resources"]]}
    problems = descriptor_findings(data, text if where.url else Path(path).as_posix())
    if problems:  # as frictionless-py, no table of a broken descriptor is read
        return Package((), tuple(problems))
    resources: list[Resource] = []
    findings: list[Finding] = []
    for index, raw in enumerate(data["resources"], start=1):
        refuse_unread(raw)
        resource, found = _resource(raw, index, where)
        resources.append(resource)
        findings.extend(found)
    return Package(tuple(resources), tuple(findings))


def _resolved(raw: Any, where: _Location) -> Any:
    """A resource with its schema and dialect files loaded in place of their paths."""
    if not isinstance(raw, dict):
        return raw
    name = str(raw.get("name"))
    out = dict(raw)
    if isinstance(raw.get("path"), list) and raw["path"]:  # several parts: one table
        out["path"], out["extrapaths"] = raw["path"][0], raw["path"][1:]
    for key in ("schema", "dialect"):
        if isinstance(raw.get(key), str):
            file, shown = _locate(raw[key], name, where)
            out[key] = _load(file, shown)
    return out


def read_table(path: Path, schema_path: Path, *, dialect: CsvDialect | None = None) -> Package:
    """A one-resource package: a CSV or Parquet file checked against a Table Schema file."""
    if not path.is_file():
        raise UsageError(f"{path} does not exist or is not a file")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt not in ("csv", "tsv", "parquet"):
        raise UsageError(f"{path} is neither CSV nor Parquet - give a .csv, .tsv or .parquet")
    if not schema_path.is_file():
        raise UsageError(f"the schema {schema_path} does not exist - give a Table Schema file")
    data = _load(schema_path, schema_path.as_posix())
    problems = schema_findings(data, schema_path.as_posix())
    if problems:
        return Package((), tuple(problems), single_file=True)
    refuse_unread_schema(data, f"resource {path.stem!r}")
    schema, findings = parse_schema(path.stem, schema_path.as_posix(), data, strict=False)
    # No dialect and no encoding said: both guessed from the file, as frictionless does.
    chosen = dialect or parse_dialect({}, fmt or "csv", path.stem)
    resource = Resource(path.stem, path, path.as_posix(), fmt, schema, chosen, encoding=None)
    return Package((resource,), tuple(findings), single_file=True)


def _load(file: Path, shown: str) -> Any:
    """A JSON (by its .json suffix) or YAML descriptor, or a UsageError saying why not."""
    data, problems = read_descriptor(file, shown)
    if problems:
        problem = problems[0]
        line = f" line {problem.row}:" if problem.row else ":"
        raise UsageError(f"{shown}{line} {problem.message}")
    return data


def _shown_folder(file: Path) -> str:
    parent = file.parent.as_posix()
    return "" if parent == "." else parent


def _resource(raw: Any, index: int, where: _Location) -> tuple[Resource, list[Finding]]:
    """One resource of a descriptor that passed the profiles (etl.tableschema.descriptor_check)."""
    name = raw["name"]
    value = raw.get("path")
    findings: list[Finding] = []
    local: Path | None = None
    if "data" in raw:  # read in place of a file (etl.tableschema.native)
        shown = value = f"{where.shown}#{name}".lstrip("/")
    else:
        _refuse_sql(value, raw, name)
        local, shown = _locate(value, name, where)
    more = tuple(_locate(part, name, where)[0] for part in raw.get("extrapaths", []))
    inner = PurePosixPath(urllib.parse.urlsplit(value).path)
    compression = raw.get("compression") or COMPRESSIONS.get(inner.suffix.lower())
    if compression is not None and inner.suffix.lower() in COMPRESSIONS:
        inner = inner.with_suffix("")
    if raw.get("innerpath"):
        inner = PurePosixPath(raw["innerpath"])
    suffix = inner.suffix.lower()
    fmt = str(raw.get("format") or FORMATS.get(suffix, suffix.lstrip("."))).lower()
    if fmt in UNREAD_FORMATS:
        raise UsageError(
            f"resource {name!r}: {UNREAD_FORMATS[fmt]} ({fmt}) are not read by etl validate - "
            "export the table to CSV, or validate it with frictionless"
        )
    if (compression and fmt not in ("csv", "tsv", "json", "jsonl", "ndjson")) or (
        more and fmt not in ("csv", "tsv")
    ):
        raise UsageError(
            f"resource {name!r}: a {fmt} file compressed or in several parts is not read by "
            "etl validate - only CSV is (and compressed JSON)"
        )
    schema: TableSchema | None = None
    raw_schema = raw.get("schema")
    tabular = raw_schema is not None or raw.get("type") == "table" or fmt in TABULAR
    infer = raw_schema is None and tabular and (fmt in INFERRED or "data" in raw)
    if raw_schema is None and tabular and not infer:
        findings.append(SCHEMA_ERROR.at(shown, problem="the resource has no schema - add one"))
    elif raw_schema is not None:
        schema, problems = parse_schema(name, shown, raw_schema, strict=False)
        findings.extend(problems)
    options = excel_options(raw.get("dialect") or {}, fmt, name)
    dialect = parse_dialect(raw.get("dialect") or {}, fmt, name)
    if not dialect.header_case and schema is not None and schema.fields_match != "exact":
        raise UsageError(
            f"resource {name!r}: headerCase false with fieldsMatch {schema.fields_match!r} is "
            "not read by etl validate - it reads headerCase false with fieldsMatch exact"
        )
    if more and dialect.header_rows != (1,):
        raise UsageError(
            f"resource {name!r}: headerRows in a table of several parts is not read by etl "
            "validate - join the parts into one file"
        )
    if "data" in raw:
        if not isinstance(raw["data"], list):
            raise UsageError(f"resource {name!r}: inline data must be a list of rows")
        fmt, dialect = "inline", CsvDialect()
    encoding = str(raw["encoding"]) if raw.get("encoding") else None
    size = raw.get("bytes")
    digest = raw.get("hash")
    resource = Resource(
        name,
        local,
        shown,
        fmt,
        schema,
        dialect,
        encoding,
        size if isinstance(size, int) else None,
        digest if isinstance(digest, str) else None,
        more,
        compression,
        raw.get("innerpath"),
        tabular=tabular,
        infer=infer,
        data=raw.get("data"),
        options=options,
    )
    return resource, findings


def _refuse_sql(value: Any, raw: dict[str, Any], name: str) -> None:
    """UsageError for a SQL resource (a database URL, or a `sql` dialect or format)."""
    scheme = urllib.parse.urlsplit(value).scheme.split("+")[0] if isinstance(value, str) else ""
    dialect = raw.get("dialect")
    if scheme in SQL_SCHEMES or (isinstance(dialect, dict) and "sql" in dialect):
        raise UsageError(
            f"resource {name!r}: SQL resources (a table in a database) are not read by etl "
            "validate - export the table to CSV, or validate it with frictionless"
        )


def _locate(value: str, name: str, where: _Location) -> tuple[Path, str]:
    """The local file for a path in the descriptor, refusing any that leaves the package."""
    if is_url(value):
        if not where.allow_remote:
            raise UsageError(
                f"resource {name!r} is remote ({value}) - pass --allow-remote to fetch it"
            )
        return _download(value), value
    if urllib.parse.urlsplit(value).scheme or PureWindowsPath(value).drive:
        raise UsageError(f"resource {name!r} path {value!r} is not a relative path or a URL")
    if PurePosixPath(value).is_absolute() or value.startswith("\\"):
        raise UsageError(
            f"resource {name!r} path {value!r} is absolute - a package may only point "
            "inside its own folder"
        )
    normal = posixpath.normpath(value.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        raise UsageError(
            f"resource {name!r} path {value!r} leaves the package folder - a package may only "
            "point inside its own folder"
        )
    if where.url is not None:
        url = where.shown + "/" + normal
        return _download(url), url
    assert where.folder is not None
    local = where.folder / normal
    if escapes(local, where.folder):
        raise UsageError(
            f"resource {name!r} path {value!r} is a symlink pointing outside the package "
            "folder - copy the file into the package instead"
        )
    shown = posixpath.join(where.shown, normal) if where.shown else normal
    return local, shown


#: What a remote resource may take: its bytes and the seconds to fetch it all, each
#: raised by an environment variable (or `etl validate --remote-max-bytes/--remote-timeout`).
REMOTE_MAX_BYTES = 1 << 30
REMOTE_MAX_BYTES_ENV = "ETL_REMOTE_MAX_BYTES"
REMOTE_DEADLINE = 300.0
REMOTE_DEADLINE_ENV = "ETL_REMOTE_TIMEOUT"


def _limit(env: str, default: float) -> float:
    value = os.environ.get(env, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number <= 0:
        raise UsageError(f"{env}={value!r} is not a positive number - set it to one, or unset it")
    return number


def escapes(path: Path, folder: Path) -> bool:
    """True when `path`, its symlinks followed, leads out of `folder` (a resolved path)."""
    try:
        path.resolve().relative_to(folder)
    except ValueError:
        return True
    return False


def _download(url: str) -> Path:
    """Fetch a URL into a temporary file, removed when the process exits; a body larger
    than the byte limit, or a fetch longer than the deadline, is refused (UsageError)."""
    import urllib.request  # 5 ms to import: only for a remote resource

    most = int(_limit(REMOTE_MAX_BYTES_ENV, REMOTE_MAX_BYTES))
    seconds = _limit(REMOTE_DEADLINE_ENV, REMOTE_DEADLINE)
    deadline = time.monotonic() + seconds
    folder = Path(tempfile.mkdtemp(prefix="etl-validate-"))
    atexit.register(shutil.rmtree, folder, True)
    name = PurePosixPath(urllib.parse.urlsplit(url).path).name or "download"
    target = folder / name
    try:
        with (
            urllib.request.urlopen(url, timeout=min(seconds, 60.0)) as response,
            target.open("wb") as out,
        ):
            done = 0
            while chunk := response.read1(1 << 20):
                done += len(chunk)
                if done > most:
                    raise _Refused(
                        f"{url} is larger than {most} bytes - raise the limit with "
                        f"--remote-max-bytes ({REMOTE_MAX_BYTES_ENV}) if it is meant to be"
                    )
                if time.monotonic() > deadline:
                    raise _Refused(
                        f"{url} took longer than {seconds:g} s to fetch - raise the limit with "
                        f"--remote-timeout ({REMOTE_DEADLINE_ENV}), or check the server"
                    )
                out.write(chunk)
    except _Refused as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise UsageError(str(exc)) from None
    except (OSError, ValueError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise UsageError(f"cannot fetch {url}: {exc} - check the URL and the network") from None
    os.chmod(target, 0o600)
    return target


class _Refused(Exception):
    """A remote resource broke a limit; the message says which."""
