"""Stage 1, load: the raw tables read and validated by the engine in the strict profile;
source texts checked against their checksums."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from etl.build.settings import Settings
from etl.report.catalogue import CHECKSUM_ERROR, ENCODING_ERROR, MISSING_FILE
from etl.report.errors import UsageError
from etl.report.findings import Finding
from etl.tableschema.engine import read_and_validate
from etl.tableschema.model import TableSchema
from etl.tableschema.package import Package, Resource, escapes
from etl.tableschema.profile import Profile
from etl.tableschema.table import Table
from etl.text.traps import normalise_cell, trap

#: How raw tables are read: whole and strictly (UTF-8, quotes closed, rows numbered by
#: line), every cell tidied and checked for text traps, each value in its canonical
#: spelling. Labels pair with fields by name: the raw schemas say `fieldsMatch: equal`.
RAW_PROFILE = Profile(
    strict_csv=True,
    canonical=True,
    tidy=normalise_cell,
    trap=trap,
    keep_tables=True,
    suggest_keys=True,
)


@dataclass(frozen=True)
class SourceText:
    """A source text, verified: its exact characters and checksum."""

    source_id: str
    file: str
    text: str
    sha256: str


def raw_package(settings: Settings, schemas: dict[str, TableSchema]) -> Package:
    """The raw tables as a data package: `raw/<name>.csv` for each schema in schemas/raw/."""
    resources = tuple(
        Resource(
            name, inside(settings, settings.raw / f"{name}.csv"), f"raw/{name}.csv", "csv", schema
        )
        for name, schema in schemas.items()
    )
    return Package(resources)


def inside(settings: Settings, path: Path) -> Path:
    """`path`, which must not lead out of the project folder through a symlink."""
    if path.is_symlink() and escapes(path, settings.root):
        raise UsageError(
            f"{path.relative_to(settings.root).as_posix()} is a symlink to {path.resolve()}, "
            "outside the project - copy the file into the project instead"
        )
    return path


def load_tables(
    settings: Settings, schemas: dict[str, TableSchema]
) -> tuple[dict[str, Table], list[Finding]]:
    """Every raw table read, typed and validated (cells, keys, foreign keys across tables)."""
    report, tables = read_and_validate(raw_package(settings, schemas), profile=RAW_PROFILE)
    return tables, report.findings


def load_source_text(
    path: Path, file: str, source_id: str, sha256: str
) -> tuple[SourceText | None, list[Finding]]:
    """Read a source text and check its bytes against the recorded SHA-256."""
    if not path.is_file():
        return None, [
            MISSING_FILE.at(
                file,
                problem=f"source text of '{source_id}' does not exist",
                hint="restore it or fix the path in raw/sources.csv",
            )
        ]
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        return None, [
            CHECKSUM_ERROR.at(file, None, "sha256", actual, actual=actual, recorded=sha256)
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [ENCODING_ERROR.at(file, problem="the source text is not UTF-8")]
    return SourceText(source_id, file, text, actual), []
