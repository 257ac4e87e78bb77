"""Tests for etl.load: raw CSV files as text frames, source texts against their checksums."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.findings import Finding
from etl.load import RawTable, SourceText, decode_csv, load_source_text, load_table
from etl.schemas import Field, TableSchema

SCHEMA = TableSchema(
    "places",
    "schemas/raw/places.yaml",
    "",
    (Field("id", "string"), Field("name", "string"), Field("population", "integer")),
)
TEXT_SHA256 = "3fba7253b17d718dcff20c21be924461ca884fa895d11457cd69ea7607f6b00d"
CP1251_TEXT_SHA256 = "673aa6f2b0691be44ce7f83ef459b763ca17f335e3c7a52a07b67e92998fe744"
RAGGED = "quote cells that hold commas, and give every row every column"


def load(data_dir: Path, name: str) -> tuple[RawTable | None, list[Finding]]:
    """load_table on tests/data/load/`name`, shown as raw/`name`."""
    return load_table(data_dir / "load" / name, f"raw/{name}", SCHEMA)


def places(ids: list[str], names: list[str], populations: list[str]) -> pl.DataFrame:
    """A text frame of the places table."""
    return pl.DataFrame(
        {"id": ids, "name": names, "population": populations},
        schema={"id": pl.String, "name": pl.String, "population": pl.String},
    )


def test_plain_utf8_file_loads(data_dir: Path) -> None:
    """A UTF-8 file with LF line ends loads as text cells with file row numbers."""
    table, findings = load(data_dir, "utf-8-lf.csv")
    assert findings == []
    assert table is not None
    assert (table.name, table.file, table.rows) == ("places", "raw/utf-8-lf.csv", [2, 3])
    assert_frame_equal(
        table.frame, places(["minsk", "brest"], ["Минск", "Брест"], ["1996553", "340723"])
    )


def test_bom_and_crlf_load_like_plain_utf8(data_dir: Path) -> None:
    """A byte-order mark and CRLF line ends load to the same frame and rows as plain UTF-8."""
    plain, _ = load(data_dir, "utf-8-lf.csv")
    table, findings = load(data_dir, "bom-and-crlf.csv")
    assert findings == []
    assert table is not None
    assert plain is not None
    assert table.rows == plain.rows
    assert_frame_equal(table.frame, plain.frame)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "windows-1251.csv",
            Finding(
                "raw/windows-1251.csv",
                2,
                None,
                "encoding-error",
                "byte 0xcc is not UTF-8 (it looks like Windows-1251) - save the file as UTF-8",
            ),
        ),
        (
            "utf-16.csv",
            Finding(
                "raw/utf-16.csv", None, None, "encoding-error", "is UTF-16 - save the file as UTF-8"
            ),
        ),
    ],
)
def test_other_encoding_is_a_finding(data_dir: Path, name: str, expected: Finding) -> None:
    """A file not in UTF-8 gives one encoding-error naming the file, and no table."""
    assert load(data_dir, name) == (None, [expected])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"id,name\nminsk,\xcc\xe8\xed\xf1\xea\n",
            Finding(
                "raw/places.csv",
                2,
                None,
                "encoding-error",
                "byte 0xcc is not UTF-8 (it looks like Windows-1251) - save the file as UTF-8",
            ),
        ),
        (
            b"id,name\nlondon,London\nlondon-fee,\xa3 15\n",
            Finding(
                "raw/places.csv",
                3,
                None,
                "encoding-error",
                "byte 0xa3 is not UTF-8 - save the file as UTF-8",
            ),
        ),
        (
            b"\xfe\xff\x00i\x00d",
            Finding(
                "raw/places.csv", None, None, "encoding-error", "is UTF-16 - save the file as UTF-8"
            ),
        ),
    ],
)
def test_decode_csv_names_the_problem(data: bytes, expected: Finding) -> None:
    """Non-UTF-8 bytes give the line of the first bad one; a guess only for Cyrillic bytes."""
    assert decode_csv(data, "raw/places.csv") == (None, [expected])


def test_empty_file_is_a_finding(data_dir: Path) -> None:
    """A file with no bytes at all gives empty-file."""
    assert load(data_dir, "empty.csv") == (
        None,
        [
            Finding(
                "raw/empty.csv",
                None,
                None,
                "empty-file",
                "the file is empty - it needs at least the header row",
            )
        ],
    )


def test_header_only_file_loads_with_zero_rows(data_dir: Path) -> None:
    """A file with just the header row is a table with no rows."""
    table, findings = load(data_dir, "header-only.csv")
    assert findings == []
    assert table is not None
    assert table.rows == []
    assert_frame_equal(table.frame, places([], [], []))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "missing-column.csv",
            Finding(
                "raw/missing-column.csv",
                1,
                "population",
                "missing-label",
                "the column is missing - add it (see schemas/raw/places.yaml)",
                "population",
            ),
        ),
        (
            "extra-column.csv",
            Finding(
                "raw/extra-column.csv",
                1,
                "area",
                "extra-label",
                "the schema schemas/raw/places.yaml has no such column - remove it "
                "or add it to the schema",
                "area",
            ),
        ),
        (
            "duplicated-column.csv",
            Finding(
                "raw/duplicated-column.csv",
                1,
                "name",
                "duplicate-label",
                "the column is named twice - remove or rename one",
                "name",
            ),
        ),
    ],
)
def test_header_problem_is_a_finding(data_dir: Path, name: str, expected: Finding) -> None:
    """A header that does not name each schema field exactly once gives one finding on row 1."""
    assert load(data_dir, name) == (None, [expected])


def test_ragged_rows_are_findings_at_their_lines(data_dir: Path) -> None:
    """Rows with too many or too few cells are reported at their line and left out."""
    table, findings = load(data_dir, "ragged-row.csv")
    assert findings == [
        Finding(
            "raw/ragged-row.csv",
            3,
            None,
            "extra-cell",
            f"the row has 4 cells, the header 3 - {RAGGED}",
        ),
        Finding(
            "raw/ragged-row.csv",
            4,
            None,
            "missing-cell",
            f"the row has 2 cells, the header 3 - {RAGGED}",
        ),
    ]
    assert table is not None
    assert table.rows == [2]
    assert_frame_equal(table.frame, places(["minsk"], ["Минск"], ["1996553"]))


def test_unclosed_quote_is_a_finding_at_the_row_it_opens(data_dir: Path) -> None:
    """A quoted cell never closed is a source-error on the line where its row starts."""
    assert load(data_dir, "unclosed-quote.csv") == (
        None,
        [
            Finding(
                "raw/unclosed-quote.csv",
                3,
                None,
                "source-error",
                "the CSV cannot be read (unexpected end of data) - close the quoted cell that "
                "starts on this row, and double any quote inside a cell",
            )
        ],
    )


def test_blank_line_is_a_finding_at_its_line(data_dir: Path) -> None:
    """A blank line is a blank-row finding; the rows around it keep their line numbers."""
    table, findings = load(data_dir, "blank-line.csv")
    assert findings == [
        Finding("raw/blank-line.csv", 3, None, "blank-row", "the row is blank - delete it")
    ]
    assert table is not None
    assert table.rows == [2, 4]
    assert_frame_equal(
        table.frame, places(["minsk", "brest"], ["Минск", "Брест"], ["1996553", "340723"])
    )


def test_row_after_multi_line_cell_has_its_true_line(data_dir: Path) -> None:
    """A quoted cell holding a line break spans two lines; the next row starts on line 4."""
    table, findings = load(data_dir, "multi-line-cell.csv")
    assert findings == []
    assert table is not None
    assert table.rows == [2, 4]
    assert_frame_equal(
        table.frame,
        places(["minsk", "brest"], ["Минск\n(столица)", "Брест"], ["1996553", "340723"]),
    )


def test_missing_table_file_is_a_finding(tmp_path: Path) -> None:
    """A table file that does not exist gives missing-file."""
    assert load_table(tmp_path / "places.csv", "raw/places.csv", SCHEMA) == (
        None,
        [
            Finding(
                "raw/places.csv",
                None,
                None,
                "missing-file",
                "the table file does not exist - create it with the header row",
            )
        ],
    )


def test_utf16_without_bom_is_an_encoding_error(data_dir: Path) -> None:
    """A UTF-16 file without a byte-order mark is still an encoding-error."""
    table, findings = load(data_dir, "utf-16-le-without-bom.csv")
    assert table is None
    assert [(f.file, f.row, f.field, f.kind) for f in findings] == [
        ("raw/utf-16-le-without-bom.csv", None, None, "encoding-error")
    ]


def test_source_text_with_right_checksum_loads(data_dir: Path) -> None:
    """A source text whose bytes match the recorded SHA-256 loads with its exact characters."""
    path = data_dir / "load" / "source-text.txt"
    text, findings = load_source_text(path, "raw/texts/by.txt", "by", TEXT_SHA256)
    assert findings == []
    assert text == SourceText(
        "by",
        "raw/texts/by.txt",
        "Объём торговли в 2022 году составил\n9,4 млн долларов США.\n",
        TEXT_SHA256,
    )


def test_source_text_with_wrong_checksum_names_both_hashes(data_dir: Path) -> None:
    """A checksum mismatch is a checksum-error giving the actual and the recorded hash."""
    recorded = "0" * 64
    path = data_dir / "load" / "source-text.txt"
    assert load_source_text(path, "raw/texts/by.txt", "by", recorded) == (
        None,
        [
            Finding(
                "raw/texts/by.txt",
                None,
                "sha256",
                "checksum-error",
                f"the text's SHA-256 is {TEXT_SHA256}, raw/sources.csv records {recorded} "
                "- restore the original text, or if the change is intended, "
                "record the new checksum",
                TEXT_SHA256,
            )
        ],
    )


def test_source_text_not_utf8_is_an_encoding_error(data_dir: Path) -> None:
    """A source text with the right checksum but not in UTF-8 gives an encoding-error."""
    path = data_dir / "load" / "source-text-windows-1251.txt"
    assert load_source_text(path, "raw/texts/by.txt", "by", CP1251_TEXT_SHA256) == (
        None,
        [
            Finding(
                "raw/texts/by.txt",
                None,
                None,
                "encoding-error",
                "the source text is not UTF-8 - save the file as UTF-8",
            )
        ],
    )


def test_missing_source_text_is_a_finding(tmp_path: Path) -> None:
    """A source text that does not exist gives missing-file naming the source."""
    assert load_source_text(tmp_path / "by.txt", "raw/texts/by.txt", "by", TEXT_SHA256) == (
        None,
        [
            Finding(
                "raw/texts/by.txt",
                None,
                None,
                "missing-file",
                "source text of 'by' does not exist - restore it "
                "or fix the path in raw/sources.csv",
            )
        ],
    )
