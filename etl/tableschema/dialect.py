"""How a CSV file is written: the Table Dialect properties `etl validate` reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: What frictionless-py guesses from a CSV file when its descriptor leaves it unsaid
#: (etl.tableschema.detect), by Table Dialect property.
GUESSED = ("delimiter", "skipInitialSpace", "headerRows")


@dataclass(frozen=True)
class CsvDialect:
    """How the CSV is written: the Table Dialect properties etl validate reads.

    Records numbered from 0 (the header is record 0); `comment_rows` holds row numbers
    (record index + 1), as the Table Dialect spec and frictionless-py count them.
    """

    delimiter: str = ","
    quote_char: str = '"'
    header: bool = True
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    comment_char: str | None = None
    comment_rows: tuple[int, ...] = ()
    skip_blank_rows: bool = False
    #: The row numbers of the header (a header of several rows has its labels joined).
    header_rows: tuple[int, ...] = (1,)
    header_join: str = " "
    #: False when a label may differ from its field's name in case.
    header_case: bool = True
    #: The properties of GUESSED the descriptor leaves unsaid, which frictionless-py guesses
    #: from the file ("headerRows" when neither `header` nor `headerRows` is said).
    guess: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def first_record(self) -> int:
        """The index of the first record of data: the one after the header's last row."""
        return self.header_rows[-1] if self.header else 0

    def labels(self, records: list[list[str]]) -> list[str]:
        """The labels of the header rows among the first records, as frictionless-py reads
        them: each cell stripped of white space at both ends; a header of several rows
        joined, a cell equal to the one above it not repeated, any other joined to it by
        `header_join`."""
        labels: list[str] = []
        above: dict[int, str] = {}
        for index, cells in enumerate(records):
            if index + 1 not in self.header_rows or self.skips(index, cells):
                continue
            for column, cell in enumerate(cell.strip() for cell in cells):
                if above.get(column) == cell:
                    continue
                above[column] = cell
                if column < len(labels):
                    labels[column] = self.header_join.join([labels[column], cell])
                else:
                    labels.append(cell)
        return labels

    @property
    def plain(self) -> bool:
        """True when polars can read the file as Python's csv module reads it: no option
        beyond the delimiter, a '"' quote and the header."""
        return self == CsvDialect(self.delimiter, '"', self.header)

    def python_options(self) -> dict[str, Any]:
        """The options of Python's csv.reader for this dialect."""
        return {
            "delimiter": self.delimiter,
            "quotechar": self.quote_char,
            "doublequote": self.double_quote,
            "escapechar": self.escape_char,
            "skipinitialspace": self.skip_initial_space,
        }

    @property
    def skipping(self) -> bool:
        """True when some records may be left out (`skips`)."""
        return bool(self.comment_char or self.comment_rows or self.skip_blank_rows)

    def skips(self, index: int, cells: list[str]) -> bool:
        """True for a record the reading leaves out: a comment, or a blank row when blank
        rows are skipped (its row number still counts, as in frictionless-py)."""
        return self.comment(index, cells) or (self.skip_blank_rows and not any(cells))

    def comment(self, index: int, cells: list[str]) -> bool:
        """True for a comment: a record starting with the comment character, or one of the
        comment rows."""
        if self.comment_char and cells and cells[0].startswith(self.comment_char):
            return True
        return index + 1 in self.comment_rows


#: Table Dialect properties etl validate does not read yet: refused, never ignored.
UNREAD_DIALECT = {
    "nullSequence": "a null sequence (frictionless-py reads it as text)",
    "type": "a dialect type (frictionless-py 5 stops at it)",
    # Data Package v2 options of JSON, spreadsheet and database tables, which frictionless-py
    # 5 ignores (it reads the first sheet, the top-level array)
    "property": "the JSON property holding the rows",
    "itemType": "whether JSON rows are arrays or objects",
    "itemKeys": "the keys of JSON rows read as fields",
    "sheetNumber": "the spreadsheet sheet to read, by number",
    "sheetName": "the spreadsheet sheet to read, by name",
    "table": "the database table to read",
}


def flat_dialect(raw: dict[str, Any]) -> dict[str, Any]:
    """A dialect's properties in one mapping: the frictionless v5 shape keeps the CSV ones
    under `csv` ({"header": false, "csv": {"delimiter": ";"}}); Data Package v1 and v2 put
    them beside the others."""
    flat = {k: v for k, v in raw.items() if k != "csv"}
    inner = raw.get("csv")
    if isinstance(inner, dict):
        flat.update(inner)
    return flat


def parse_dialect(raw: dict[str, Any], fmt: str, name: str) -> CsvDialect:
    """The CSV dialect of resource `name` (a dialect already checked against the profile);
    UsageError for a property etl validate does not read, naming it and the resource."""
    from etl.report.errors import UsageError

    flat = flat_dialect(raw)

    def refuse(key: str, what: str) -> UsageError:
        return UsageError(
            f"resource {name!r}: dialect {key}={flat[key]!r} ({what}) is not read by etl "
            "validate - rewrite the file without it, or validate it with frictionless"
        )

    for key, what in UNREAD_DIALECT.items():
        if key in flat:
            raise refuse(key, what)
    header_rows = flat.get("headerRows", [1])
    if not header_rows or not all(
        isinstance(r, int) and not isinstance(r, bool) and r > 0 for r in header_rows
    ):
        raise UsageError(f"resource {name!r}: dialect headerRows must be row numbers from 1")
    if list(header_rows) != sorted(set(header_rows)):
        raise refuse("headerRows", "header rows out of order")
    if flat.get("lineTerminator", "\n") not in ("\n", "\r\n", "\r"):
        raise refuse("lineTerminator", "records ending otherwise than at a line end")
    for key in sorted(set(raw) - {"csv", "excel", "ods"}):  # etl.tableschema.native_read
        if isinstance(raw[key], dict):  # a frictionless control of another format
            raise refuse(key, f"options for {key} files")
    for key in ("delimiter", "quoteChar", "escapeChar", "commentChar"):
        value = flat.get(key)
        if value is not None and not (isinstance(value, str) and len(value) == 1):
            raise UsageError(f"resource {name!r}: dialect {key} must be one character")
    rows = flat.get("commentRows", [])
    if not all(isinstance(r, int) and not isinstance(r, bool) for r in rows):
        raise UsageError(f"resource {name!r}: dialect commentRows must be row numbers")
    double, escape = flat.get("doubleQuote", True), flat.get("escapeChar")
    said = set(flat) | ({"delimiter"} if fmt == "tsv" else set())  # frictionless: a tab
    if "header" in flat:
        said.add("headerRows")
    return CsvDialect(
        delimiter=flat.get("delimiter", "\t" if fmt == "tsv" else ","),
        quote_char=flat.get("quoteChar", '"'),
        header=bool(flat.get("header", True)),
        double_quote=bool(double) or escape is None,  # frictionless: True, with no escape
        escape_char=escape,
        skip_initial_space=bool(flat.get("skipInitialSpace", False)),
        comment_char=flat.get("commentChar"),
        comment_rows=tuple(rows),
        skip_blank_rows=bool(flat.get("skipBlankRows", False)),
        header_rows=tuple(header_rows),
        header_join=str(flat.get("headerJoin", " ")),
        header_case=bool(flat.get("headerCase", True)),
        guess=frozenset(GUESSED) - said,
    )
