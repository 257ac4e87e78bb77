"""Tests for etl.build.load: raw tables read by the engine strictly, source texts checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from etl.build.load import SourceText, load_source_text, load_tables
from etl.build.settings import Settings
from etl.report.findings import Finding
from etl.tableschema.schema import load_schemas
from etl.tableschema.strict_csv import decode
from etl.tableschema.table import Table

FILE = "raw/places.csv"
TEXT_SHA256 = "3fba7253b17d718dcff20c21be924461ca884fa895d11457cd69ea7607f6b00d"
CP1251_TEXT_SHA256 = "673aa6f2b0691be44ce7f83ef459b763ca17f335e3c7a52a07b67e92998fe744"


def load(data_dir: Path, folder: Path, name: str | None) -> tuple[Table | None, list[Finding]]:
    """load_tables on a project in `folder` whose raw/places.csv is tests/data/load/`name`
    (none when `name` is None) and whose schemas/raw/places.yaml is tests/data/load/places.yaml."""
    (folder / "raw").mkdir(parents=True)
    (folder / "schemas" / "raw").mkdir(parents=True)
    shutil.copy(data_dir / "load" / "places.yaml", folder / "schemas" / "raw" / "places.yaml")
    if name is not None:
        shutil.copy(data_dir / "load" / name, folder / "raw" / "places.csv")
    schemas, problems = load_schemas(folder / "schemas" / "raw", "schemas/raw")
    assert problems == []
    tables, findings = load_tables(Settings.for_project(folder), schemas)
    assert set(tables) <= {"places"}
    return tables.get("places"), findings


def places(
    ids: list[str | None], names: list[str | None], populations: list[int | None]
) -> pl.DataFrame:
    """The places table as the engine types it."""
    return pl.DataFrame(
        {"id": ids, "name": names, "population": populations},
        schema={"id": pl.String, "name": pl.String, "population": pl.Int64},
    )


def test_plain_utf8_file_loads(data_dir: Path, tmp_path: Path) -> None:
    """A UTF-8 file with LF line ends loads as typed cells with file row numbers."""
    table, findings = load(data_dir, tmp_path, "utf-8-lf.csv")
    assert findings == []
    assert table is not None
    assert (table.name, table.file, table.rows) == ("places", FILE, [2, 3])
    assert_frame_equal(
        table.frame, places(["minsk", "brest"], ["Минск", "Брест"], [1996553, 340723])
    )


def test_bom_and_crlf_load_like_plain_utf8(data_dir: Path, tmp_path: Path) -> None:
    """A byte-order mark and CRLF line ends load to the same frame and rows as plain UTF-8."""
    plain, _ = load(data_dir, tmp_path / "plain", "utf-8-lf.csv")
    table, findings = load(data_dir, tmp_path / "bom", "bom-and-crlf.csv")
    assert findings == []
    assert table is not None
    assert plain is not None
    assert table.rows == plain.rows == [2, 3]
    assert_frame_equal(table.frame, plain.frame)


def test_columns_pair_with_fields_by_name(data_dir: Path, tmp_path: Path) -> None:
    """With fieldsMatch equal, columns in another order than the schema's load by name."""
    table, findings = load(data_dir, tmp_path, "columns-in-another-order.csv")
    assert findings == []
    assert table is not None
    assert table.rows == [2, 3]
    assert_frame_equal(
        table.frame, places(["minsk", "brest"], ["Минск", "Брест"], [1996553, 340723])
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "windows-1251.csv",
            Finding(
                FILE,
                2,
                None,
                "encoding-error",
                "byte 0xcc is not UTF-8 (it looks like Windows-1251) - save the file as UTF-8",
            ),
        ),
        (
            "utf-16.csv",
            Finding(FILE, None, None, "encoding-error", "is UTF-16 - save the file as UTF-8"),
        ),
        (
            "utf-16-le-without-bom.csv",
            Finding(
                FILE,
                None,
                None,
                "encoding-error",
                "holds NUL bytes (it looks like UTF-16 or binary) - save the file as UTF-8",
            ),
        ),
    ],
)
def test_other_encoding_is_a_finding(
    data_dir: Path, tmp_path: Path, name: str, expected: Finding
) -> None:
    """A file not in UTF-8 gives one encoding-error naming the file, and no table."""
    assert load(data_dir, tmp_path, name) == (None, [expected])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"id,name\nminsk,\xcc\xe8\xed\xf1\xea\n",
            Finding(
                FILE,
                2,
                None,
                "encoding-error",
                "byte 0xcc is not UTF-8 (it looks like Windows-1251) - save the file as UTF-8",
            ),
        ),
        (
            b"id,name\nlondon,London\nlondon-fee,\xa3 15\n",
            Finding(
                FILE, 3, None, "encoding-error", "byte 0xa3 is not UTF-8 - save the file as UTF-8"
            ),
        ),
        (
            b"\xfe\xff\x00i\x00d",
            Finding(FILE, None, None, "encoding-error", "is UTF-16 - save the file as UTF-8"),
        ),
        (
            b"id,name\nminsk\x00,x\n",
            Finding(
                FILE,
                None,
                None,
                "encoding-error",
                "holds NUL bytes (it looks like UTF-16 or binary) - save the file as UTF-8",
            ),
        ),
    ],
)
def test_decode_names_the_problem(data: bytes, expected: Finding) -> None:
    """Non-UTF-8 bytes give the line of the first bad one; a guess only for Cyrillic bytes."""
    assert decode(data, FILE) == (None, [expected])


def test_decode_drops_the_byte_order_mark() -> None:
    """UTF-8 with a byte-order mark decodes to its text without the mark, and no finding."""
    assert decode("\ufeffid\nминск\n".encode(), FILE) == ("id\nминск\n", [])


def test_empty_file_is_a_finding(data_dir: Path, tmp_path: Path) -> None:
    """A file with no bytes at all gives empty-file, and no table."""
    assert load(data_dir, tmp_path, "empty.csv") == (
        None,
        [
            Finding(
                FILE,
                None,
                None,
                "empty-file",
                "the file is empty - it needs at least the header row",
            )
        ],
    )


def test_blank_first_row_is_a_missing_header(data_dir: Path, tmp_path: Path) -> None:
    """A blank first line gives missing-header on row 1 naming the header it needs, and no table."""
    assert load(data_dir, tmp_path, "blank-first-row.csv") == (
        None,
        [
            Finding(
                FILE,
                1,
                None,
                "missing-header",
                "the first row is blank - it must be the header row: id,name,population",
            )
        ],
    )


def test_lone_blank_line_is_a_missing_header(data_dir: Path, tmp_path: Path) -> None:
    """A file of one blank line has a blank first row: missing-header on row 1, not empty-file."""
    assert load(data_dir, tmp_path, "blank-line-only.csv") == (
        None,
        [
            Finding(
                FILE,
                1,
                None,
                "missing-header",
                "the first row is blank - it must be the header row: id,name,population",
            )
        ],
    )


def test_unreadable_labels_are_findings(data_dir: Path, tmp_path: Path) -> None:
    """A label holding a line break or an invisible character gives bad-label, and no table."""
    message = (
        "the name of column {} holds a line break or an invisible character - "
        "retype it as one of id, name, population"
    )
    assert load(data_dir, tmp_path, "bad-labels.csv") == (
        None,
        [
            Finding(FILE, 1, None, "bad-label", message.format(2), "na\nme"),
            Finding(FILE, 1, None, "bad-label", message.format(3), "population\x07"),
        ],
    )


def test_header_only_file_loads_with_zero_rows(data_dir: Path, tmp_path: Path) -> None:
    """A file with just the header row is a table with no rows."""
    table, findings = load(data_dir, tmp_path, "header-only.csv")
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
                FILE,
                1,
                "population",
                "missing-label",
                "the schema's field 3 has no column in the file - "
                "add the column or remove the field",
                "population",
            ),
        ),
        (
            "extra-column.csv",
            Finding(
                FILE,
                1,
                None,
                "extra-label",
                "the header label at position 4 has no field in the schema - "
                "add the field or remove the column",
                "area",
            ),
        ),
        (
            "duplicated-column.csv",
            Finding(
                FILE,
                1,
                "name",
                "duplicate-label",
                "the header label at position 3 repeats position 2 - rename the column name",
                "name",
            ),
        ),
    ],
)
def test_header_problem_is_a_finding(
    data_dir: Path, tmp_path: Path, name: str, expected: Finding
) -> None:
    """A header that does not name each schema field exactly once gives one finding on row 1."""
    _, findings = load(data_dir, tmp_path, name)
    assert findings == [expected]


def test_header_naming_no_field_still_gives_one_frame_row_per_row(
    data_dir: Path, tmp_path: Path
) -> None:
    """A header naming none of the fields gives missing-labels, and one null frame row per row."""
    table, findings = load(data_dir, tmp_path, "no-field-named.csv")
    assert [(f.row, f.field, f.kind) for f in findings] == [
        (1, None, "extra-label"),
        (1, "id", "missing-label"),
        (1, "name", "missing-label"),
        (1, "population", "missing-label"),
    ]
    assert table is not None
    assert table.rows == [2, 3]
    assert_frame_equal(table.frame, places([None, None], [None, None], [None, None]))


def test_wildcard_label_is_an_extra_label_like_any_other(data_dir: Path, tmp_path: Path) -> None:
    """A column named `*` is one extra label; the rows are still read and checked."""
    table, findings = load(data_dir, tmp_path, "wildcard-label.csv")
    assert findings == [
        Finding(
            FILE,
            1,
            None,
            "extra-label",
            "the header label at position 4 has no field in the schema - "
            "add the field or remove the column",
            "*",
        ),
        Finding(
            FILE,
            3,
            "population",
            "type-error",
            "is not a whole number such as 42 (type integer) - fix the cell or the field's type",
            "x",
        ),
        Finding(
            FILE,
            3,
            "*",
            "missing-cell",
            "the row has 3 cells and none for column 4 of 4 - give every row every column",
        ),
    ]
    assert table is not None
    assert table.rows == [2, 3]


def test_ragged_rows_are_findings_at_their_lines(data_dir: Path, tmp_path: Path) -> None:
    """Rows with too many or too few cells are findings at their line; cells are cut or padded."""
    table, findings = load(data_dir, tmp_path, "ragged-row.csv")
    assert findings == [
        Finding(
            FILE,
            3,
            None,
            "extra-cell",
            "the row has a cell at position 4, beyond the header's 3 columns - "
            "quote cells holding the delimiter, or add the column",
            "723",
        ),
        Finding(
            FILE,
            4,
            "population",
            "missing-cell",
            "the row has 2 cells and none for column 3 of 3 - give every row every column",
        ),
    ]
    assert table is not None
    assert table.rows == [2, 3, 4]
    assert_frame_equal(
        table.frame,
        places(["minsk", "brest", "grodno"], ["Минск", "Брест", "Гродно"], [1996553, 340, None]),
    )


def test_unclosed_quote_is_a_finding_at_the_row_it_opens(data_dir: Path, tmp_path: Path) -> None:
    """A quoted cell never closed is a source-error on the line its row starts on; no table."""
    assert load(data_dir, tmp_path, "unclosed-quote.csv") == (
        None,
        [
            Finding(
                FILE,
                3,
                None,
                "source-error",
                "the CSV cannot be read (unexpected end of data) - close the quoted cell that "
                "starts on this row, and double any quote inside a cell",
            )
        ],
    )


def test_blank_line_is_a_finding_at_its_line(data_dir: Path, tmp_path: Path) -> None:
    """A blank line is a blank-row finding; the rows around it keep their line numbers."""
    table, findings = load(data_dir, tmp_path, "blank-line.csv")
    assert findings == [Finding(FILE, 3, None, "blank-row", "the row is blank - delete it")]
    assert table is not None
    assert table.rows == [2, 3, 4]
    assert_frame_equal(
        table.frame,
        places(["minsk", None, "brest"], ["Минск", None, "Брест"], [1996553, None, 340723]),
    )


def test_row_after_multi_line_cell_has_its_true_line(data_dir: Path, tmp_path: Path) -> None:
    """A quoted cell holding a line break spans two lines; the next row starts on line 4."""
    table, findings = load(data_dir, tmp_path, "multi-line-cell.csv")
    assert findings == []
    assert table is not None
    assert table.rows == [2, 4]
    assert_frame_equal(
        table.frame,
        places(["minsk", "brest"], ["Минск\n(столица)", "Брест"], [1996553, 340723]),
    )


def test_labels_and_cells_are_tidied(data_dir: Path, tmp_path: Path) -> None:
    """Invisible characters go, spaces turn plain and are stripped, letters compose, CRLF is LF."""
    table, findings = load(data_dir, tmp_path, "untidy-cells.csv")
    assert findings == []
    assert table is not None
    assert table.rows == [2, 3, 5]
    assert_frame_equal(
        table.frame,
        places(
            ["minsk", "gomel", "mogilev"],
            ["Минск", "Гомель\n(обл.)", "Могилёв й"],
            [1996553, 510300, 357100],
        ),
    )


def test_text_traps_are_findings_at_their_lines(data_dir: Path, tmp_path: Path) -> None:
    """A trap is a finding at the line its row starts on; rows of the wrong width are skipped."""
    table, findings = load(data_dir, tmp_path, "text-traps.csv")
    assert findings == [
        Finding(
            FILE,
            2,
            "name",
            "mixed-script",
            "the word 'CНГ' mixes scripts: 'C' (U+0043 LATIN CAPITAL LETTER C) among "
            "Cyrillic letters - retype it in Cyrillic",
            "CНГ",
        ),
        Finding(
            FILE,
            5,
            "name",
            "invisible-character",
            "character 7 is the invisible U+202E RIGHT-TO-LEFT OVERRIDE - delete it "
            "(retype the cell if unsure where it is)",
            "Гродно\u202e",
        ),
        Finding(
            FILE,
            6,
            None,
            "extra-cell",
            "the row has a cell at position 4, beyond the header's 3 columns - "
            "quote cells holding the delimiter, or add the column",
            "1",
        ),
    ]
    assert table is not None
    assert table.rows == [2, 3, 5, 6]


def test_missing_table_file_is_a_finding(data_dir: Path, tmp_path: Path) -> None:
    """A raw table file that does not exist gives scheme-error, and no table."""
    assert load(data_dir, tmp_path, None) == (
        None,
        [
            Finding(
                FILE,
                None,
                None,
                "scheme-error",
                "the file does not exist - add it, or fix the resource path",
            )
        ],
    )


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
