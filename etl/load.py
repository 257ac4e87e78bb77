"""Stage 1, load: raw CSV tables as text frames; source texts checked against checksums."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.findings import Finding
from etl.schemas import TableSchema
from etl.text_traps import normalise_cell, trap_findings


@dataclass(frozen=True)
class RawTable:
    """A raw table as text cells, with the file row number of each frame row."""

    name: str
    file: str
    frame: pl.DataFrame
    rows: list[int]


@dataclass(frozen=True)
class SourceText:
    """A source text, verified: its exact characters and checksum."""

    source_id: str
    file: str
    text: str
    sha256: str


def decode_csv(data: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """UTF-8 text of a CSV file (a BOM is dropped); any other encoding is a finding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [_encoding_finding(file, "is UTF-16")]
    if b"\x00" in data:
        # Text never holds NUL; UTF-16 or UTF-32 without a byte-order mark is full of them.
        return None, [_encoding_finding(file, "holds NUL bytes (it looks like UTF-16 or binary)")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = " (it looks like Windows-1251)" if _looks_cp1251(data) else ""
        return None, [
            Finding(
                file,
                line,
                None,
                "encoding-error",
                f"byte {data[exc.start]:#04x} is not UTF-8{guess} - save the file as UTF-8",
                None,
            )
        ]
    return text, []


def _encoding_finding(file: str, what: str) -> Finding:
    return Finding(file, None, None, "encoding-error", f"{what} - save the file as UTF-8")


def _looks_cp1251(data: bytes) -> bool:
    """True when the bytes read as mostly Cyrillic letters in Windows-1251."""
    high = [b for b in data if b >= 0x80]
    return bool(high) and sum(b >= 0xC0 for b in high) / len(high) > 0.8


def load_table(path: Path, file: str, schema: TableSchema) -> tuple[RawTable | None, list[Finding]]:
    """Read a raw CSV file into a text frame shaped by `schema`; structure problems are findings.

    Every cell is normalised and checked for text traps (`etl.text_traps`) on the way in.
    """
    if not path.is_file():
        return None, [
            Finding(
                file,
                None,
                None,
                "missing-file",
                "the table file does not exist - create it with the header row",
            )
        ]
    text, findings = decode_csv(path.read_bytes(), file)
    if text is None:
        return None, findings
    records, findings = _read_records(text, file)
    if findings:
        return None, findings
    if not records:
        return None, [
            Finding(
                file,
                None,
                None,
                "empty-file",
                "the file is empty - it needs at least the header row",
            )
        ]
    (_, labels), body = records[0], records[1:]
    header = [normalise_cell(label) for label in labels]
    if not any(header):
        return None, [
            Finding(
                file,
                1,
                None,
                "missing-header",
                "the first row is blank - it must be the header row: "
                + ",".join(schema.field_names),
            )
        ]
    findings = [
        Finding(
            file,
            1,
            None,
            "bad-label",
            f"the name of column {i} holds a line break or an invisible character - "
            f"retype it as one of {', '.join(schema.field_names)}",
            label,
        )
        for i, label in enumerate(header, start=1)
        if not label.isprintable()
    ]
    findings = findings or _check_header(header, schema, file)
    if findings:
        return None, findings
    rows: list[int] = []
    cells: list[list[str]] = []
    for line, raw_record in body:
        record = [normalise_cell(cell) for cell in raw_record]
        if not any(record):
            findings.append(Finding(file, line, None, "blank-row", "the row is blank - delete it"))
            continue
        if len(record) != len(header):
            kind = "extra-cell" if len(record) > len(header) else "missing-cell"
            findings.append(
                Finding(
                    file,
                    line,
                    None,
                    kind,
                    f"the row has {len(record)} cells, the header {len(header)} - "
                    "quote cells that hold commas, and give every row every column",
                )
            )
            continue
        findings.extend(trap_findings(record, header, file, line))
        rows.append(line)
        cells.append(record)
    columns = {name: [row[i] for row in cells] for i, name in enumerate(header)}
    frame = pl.DataFrame(columns, schema={name: pl.String for name in header})
    return RawTable(schema.name, file, frame.select(schema.field_names), rows), findings


def _read_records(text: str, file: str) -> tuple[list[tuple[int, list[str]]], list[Finding]]:
    """CSV records with the line each starts on; a broken quote is a finding."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        return [], [
            Finding(
                file,
                start,
                None,
                "source-error",
                f"the CSV cannot be read ({exc}) - close the quoted cell that "
                "starts on this row, and double any quote inside a cell",
            )
        ]
    return records, []


def _check_header(header: list[str], schema: TableSchema, file: str) -> list[Finding]:
    """The header must name exactly the schema's fields, each once."""
    findings = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            findings.append(
                Finding(
                    file,
                    1,
                    name,
                    "duplicate-label",
                    "the column is named twice - remove or rename one",
                    name,
                )
            )
        seen.add(name)
        if name not in schema.field_names:
            findings.append(
                Finding(
                    file,
                    1,
                    name,
                    "extra-label",
                    f"the schema {schema.path} has no such column - remove it "
                    "or add it to the schema",
                    name,
                )
            )
    for name in schema.field_names:
        if name not in seen:
            findings.append(
                Finding(
                    file,
                    1,
                    name,
                    "missing-label",
                    f"the column is missing - add it (see {schema.path})",
                    name,
                )
            )
    return findings


def load_source_text(
    path: Path, file: str, source_id: str, sha256: str
) -> tuple[SourceText | None, list[Finding]]:
    """Read a source text and check its bytes against the recorded SHA-256."""
    if not path.is_file():
        return None, [
            Finding(
                file,
                None,
                None,
                "missing-file",
                f"source text of '{source_id}' does not exist - restore it "
                "or fix the path in raw/sources.csv",
            )
        ]
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        return None, [
            Finding(
                file,
                None,
                "sha256",
                "checksum-error",
                f"the text's SHA-256 is {actual}, raw/sources.csv records {sha256} "
                "- restore the original text, or if the change is intended, "
                "record the new checksum",
                actual,
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [_encoding_finding(file, "the source text is not UTF-8")]
    return SourceText(source_id, file, text, actual), []
