"""The finding catalogue: every kind of finding declared once, with a title, a message
template and a hint of what to do, as frictionless-py declares its error classes.

Code makes a finding through its kind (`TYPE_ERROR.at(file, row, field, value, ...)`),
never by naming a kind in a string. The table-level kinds carry frictionless-py's error
types, so that `etl validate` reads like `frictionless validate`; the kinds of the build's
declared checks are added by the check registry, one per check kind.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from etl.report.findings import Finding, Involved, Severity

#: Every declared kind, by name, in declaration order.
CATALOGUE: dict[str, FindingKind] = {}
#: What `FindingKind.at` takes to place a finding: no template may use these names.
_PLACE = frozenset({"file", "row", "field", "value", "severity", "check", "involved"})


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: its name, title, message template and hint (both may name
    parameters in braces, filled in by `at`)."""

    name: str
    title: str
    template: str
    hint: str = ""
    #: Who reports it: "table" (any data package), "build" (the project's own data),
    #: "check" (a declared cross-consistency check).
    scope: str = "table"

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters its template and hint name."""
        names = []
        for text in (self.template, self.hint):
            for _, name, _, _ in string.Formatter().parse(text):
                if name and name not in names:
                    names.append(name)
        return tuple(names)

    def message(self, **params: Any) -> str:
        """The message: the template, then ' - ' and the hint, filled in."""
        text = self.template.format(**params)
        hint = self.hint.format(**params)
        return f"{text} - {hint}" if hint else text

    def at(
        self,
        file: str,
        row: int | None = None,
        field: str | None = None,
        value: Any = None,
        *,
        severity: Severity = Severity.ERROR,
        check: str | None = None,
        involved: tuple[Involved, ...] = (),
        **params: Any,
    ) -> Finding:
        """A finding of this kind at file:row (field), about `value`."""
        shown = None if value is None else str(value)
        return Finding(
            file,
            row,
            field,
            self.name,
            self.message(**params),
            shown,
            severity,
            check,
            involved,
        )

    def at_each(
        self, file: str, field: str | None, cells: Iterable[tuple[int | None, Any]], **params: Any
    ) -> list[Finding]:
        """`at(file, row, field, value, **params)` for each (row, value) of `cells`, the
        message made once: for the many cells of one column that share a finding."""
        message, name, error = self.message(**params), self.name, Severity.ERROR
        return [
            Finding(file, row, field, name, message, None if value is None else str(value), error)
            for row, value in cells
        ]


def declare(
    name: str, title: str, template: str, hint: str = "", scope: str = "table"
) -> FindingKind:
    """Add a kind to the catalogue; a name may be declared once."""
    if name in CATALOGUE:
        raise ValueError(f"finding kind {name!r} is declared twice")
    kind = FindingKind(name, title, template, hint, scope)
    clash = set(kind.params) & _PLACE
    if clash:
        raise ValueError(f"finding kind {name!r} names {sorted(clash)}, which say where it is")
    CATALOGUE[name] = kind
    return kind


def kind_named(name: str) -> FindingKind:
    """The declared kind called `name` (KeyError when there is none)."""
    return CATALOGUE[name]


# Descriptors and schemas.
SCHEMA_ERROR = declare(
    "schema-error", "Schema error", "{problem}", scope="table"
)  # the problem says what to fix, as frictionless' note does
# A descriptor that breaks the Data Package or Table Schema profiles, at the level
# frictionless-py names: the package, a resource, a schema or a field.
PACKAGE_ERROR = declare("package-error", "Package error", "{problem}")
RESOURCE_ERROR = declare("resource-error", "Resource error", "{problem}")
FIELD_ERROR = declare("field-error", "Field error", "{problem}")
DIALECT_ERROR = declare("dialect-error", "Dialect error", "{problem}")
CONTROL_ERROR = declare("control-error", "CSV options error", "{problem}")
FORMAT_ERROR = declare("format-error", "Format error", "{problem}")
# etl validate's own note (a warning): a table without a schema is checked against the
# schema inferred from its first rows, as frictionless-py infers one.
SCHEMA_INFERRED = declare(
    "schema-inferred",
    "Schema inferred",
    "the resource has no schema, so its fields were inferred from its first {rows} rows as "
    "frictionless infers them ({fields}) and the table was checked against them",
    "add a schema that says what the table must hold",
)
ENCODING_ERROR = declare("encoding-error", "Encoding error", "{problem}", "save the file as UTF-8")
SOURCE_ERROR = declare("source-error", "Source error", "{problem}")
SCHEME_ERROR = declare(
    "scheme-error",
    "Scheme error",
    "the file does not exist",
    "add it, or fix the resource path",
)
BYTE_COUNT = declare(
    "byte-count",
    "Byte count error",
    "the file has {actual} bytes, the descriptor says {declared}",
    "update the descriptor or restore the file",
)
HASH_COUNT = declare(
    "hash-count",
    "Hash count error",
    "the file's {algorithm} is {actual}, the descriptor says {declared}",
    "update the descriptor or restore the file",
)

# The header row.
BLANK_LABEL = declare(
    "blank-label",
    "Blank label",
    "the header label at position {position} is blank",
    "name the column {name}",
)
DUPLICATE_LABEL = declare(
    "duplicate-label",
    "Duplicate label",
    "the header label at position {position} repeats position {earlier}",
    "rename the column {name}",
)
INCORRECT_LABEL = declare(
    "incorrect-label",
    "Incorrect label",
    "the header label at position {position} is not the field name {name!r}",
    "rename the column or the field",
)
EXTRA_LABEL = declare(
    "extra-label",
    "Extra label",
    "the header label at position {position} has no field in the schema",
    "add the field or remove the column",
)
MISSING_LABEL = declare(
    "missing-label",
    "Missing label",
    "the schema's field {position} has no column in the file",
    "add the column or remove the field",
)
MISSING_HEADER = declare(
    "missing-header",
    "Missing header",
    "the first row is blank",
    "it must be the header row: {labels}",
)

# Rows and cells.
BLANK_ROW = declare("blank-row", "Blank row", "the row is blank", "delete it")
EXTRA_CELL = declare(
    "extra-cell",
    "Extra cell",
    "the row has a cell at position {position}, beyond the header's {width} columns",
    "quote cells holding the delimiter, or add the column",
)
MISSING_CELL = declare(
    "missing-cell",
    "Missing cell",
    "the row has {cells} cells and none for column {position} of {width}",
    "give every row every column",
)
TYPE_ERROR = declare(
    "type-error",
    "Type error",
    "is not {expected} (type {type})",
    "fix the cell or the field's type",
)
CONSTRAINT_ERROR = declare(
    "constraint-error", "Constraint error", "{problem}", "{hint}"
)  # one of the Table Schema constraints; problem and hint come from etl.tableschema
# etl validate's own: a `pattern` that Python's re ran past the time limit on one cell (in
# frictionless-py, which has no limit, the validation would not end).
PATTERN_TIMEOUT = declare(
    "pattern-timeout",
    "Pattern timeout",
    "the pattern {pattern} ran longer than {limit} seconds on this cell of {length} "
    "characters and was stopped, so whether the cell matches is not known{skipped}",
    "if the pattern is right, raise the limit with --pattern-timeout SECONDS or "
    "ETL_PATTERN_TIMEOUT; else make it simpler (a repeat inside a repeat, as in (a+)+, "
    "can take time doubling with each character)",
)
UNIQUE_ERROR = declare(
    "unique-error",
    "Unique error",
    "the value is already in an earlier row",
    "each row needs its own value",
)
PRIMARY_KEY = declare("primary-key", "Primary key error", "the primary key ({fields}) {problem}")
FOREIGN_KEY = declare(
    "foreign-key",
    "Foreign key error",
    "no row of {target} has {reference} = {key!r}",
    "fix the value{suggestion} or add that row to {target}",
)
LIMIT_REACHED = declare(
    "limit-reached",
    "Limit reached",
    "{dropped} more findings are not shown (--limit {limit})",
    "fix these, or raise the limit",
)

# The project's raw tables and source texts.
MISSING_FILE = declare("missing-file", "Missing file", "{problem}", "{hint}", scope="build")
EMPTY_FILE = declare(
    "empty-file",
    "Empty file",
    "the file is empty",
    "it needs at least the header row",
    scope="build",
)
BAD_LABEL = declare(
    "bad-label",
    "Unreadable label",
    "the name of column {position} holds a line break or an invisible character",
    "retype it as one of {names}",
    scope="build",
)
INVISIBLE_CHARACTER = declare(
    "invisible-character", "Invisible character", "{problem}", scope="build"
)
MIXED_SCRIPT = declare("mixed-script", "Mixed scripts", "{problem}", scope="build")
CHECKSUM_ERROR = declare(
    "checksum-error",
    "Checksum error",
    "the text's SHA-256 is {actual}, raw/sources.csv records {recorded}",
    "restore the original text, or if the change is intended, record the new checksum",
    scope="build",
)

PUBLICATION_DATE_ERROR = declare(
    "publication-date-error",
    "Publication date error",
    "published_precision {precision} {problem}",
    "fix published_precision or the dates in raw/sources.csv",
    scope="build",
)
RELEASE_ERROR = declare(
    "release-error",
    "Release error",
    "{problem}",
    "give each release in raw/releases.csv the version its change gives, oldest first",
    scope="build",
)

# Reading and citing the transcribed figures.
FIGURE_ERROR = declare("figure-error", "Unreadable figure", "{problem}", scope="build")
PERIOD_ERROR = declare("period-error", "Unreadable period", "{problem}", scope="build")
PARTNER_ERROR = declare("partner-error", "Unknown partner", "{problem}", scope="build")
ALIAS_ERROR = declare("alias-error", "Bad partner alias", "{problem}", scope="build")
UNIT_ERROR = declare("unit-error", "Unit error", "{problem}", "{hint}", scope="build")
PARTNER_LIST_ERROR = declare(
    "partner-list-error",
    "Partner list error",
    "the figure {problem}",
    "make the two agree",
    scope="build",
)
DERIVATION_ERROR = declare(
    "derivation-error",
    "Derivation error",
    "the denominator is zero",
    "pick another figure",
    scope="build",
)
QUOTE_NOT_IN_SOURCE = declare(
    "quote-not-in-source",
    "Quote not in source",
    "the quote is not in {source}{mismatch}",
    "copy it verbatim from the source (only white space and quote marks may differ)",
    scope="build",
)
QUOTE_AMBIGUOUS = declare(
    "quote-ambiguous",
    "Ambiguous quote",
    "the quote stands {times} times in {source}",
    "lengthen it until it is found once",
    scope="build",
)
NOT_IN_QUOTE = declare(
    "not-in-quote",
    "Not in its quote",
    "{problem}",
    "write it exactly as the quote prints it, and quote just enough text for it to stand once",
    scope="build",
)
FIGURE_INCOMPLETE = declare(
    "figure-incomplete",
    "Incomplete figure",
    "the source prints the figure as '{whole}'",
    "transcribe the whole figure, qualifier, multiplier and currency included",
    scope="build",
)
NUMBER_NOT_TRANSCRIBED = declare(
    "number-not-transcribed",
    "Number not transcribed",
    "the number stands in '…{context}…' but no figure, period, event date or waiver "
    "accounts for it",
    "transcribe it in raw/figures.csv or waive it in raw/waivers.csv",
    scope="build",
)
SAME_SPAN = declare(
    "same-span",
    "Cited twice",
    "the row cites the same {what} (characters {start}..{end} of {source}) as {other}",
    "remove one of the rows, or say in same_span_reason why both stand",
    scope="build",
)
UNUSED_ALIAS = declare(
    "unused-alias",
    "Alias of nothing printed",
    "the alias {name!r} matches no partner name cited from the sources",
    "remove the row, or write the name as a source prints it",
    scope="build",
)
CLEANUP_LEFT = declare(
    "cleanup-left",
    "Old package left behind",
    "dist/ holds the new package, but the old one could not be removed from {folder}",
    "remove that folder (the next build also tries)",
    scope="build",
)
CHECK_REFERENCE = declare(
    "check-reference",
    "Check names a missing row",
    "{problem}",
    "fix the id in the check's params",
    scope="build",
)
PARITY_ERROR = declare(
    "parity-error", "CSV and Parquet differ", "the CSV and the Parquet differ: {difference}"
)
UNBUILT_TABLE = declare(
    "unbuilt-table",
    "Schema of no table",
    "the schema describes a table the build does not make",
    "remove the schema",
    scope="build",
)


def catalogue_markdown() -> str:
    """The catalogue as a Markdown page (docs/finding-kinds.md): every kind with its title,
    message template and hint, grouped by who reports it."""
    scopes = {
        "table": "Any data package (`etl validate`, and the build's own tables)",
        "build": "The project's raw tables, source texts and transcriptions (`etl check`)",
        "check": "Declared cross-consistency checks (`schemas/checks.yaml`)",
    }
    lines = [
        "# Finding kinds",
        "",
        "Every finding `etl validate`, `etl check` and `etl build` report has one of these kinds",
        "(the `kind` of the JSON report, the `[kind]` of a text line). Generated from",
        "`etl/report/catalogue.py` and the check kinds; a test keeps this page true.",
        "",
    ]
    for scope, heading in scopes.items():
        lines += [
            f"## {heading}",
            "",
            "| kind | title | message | what to do |",
            "|---|---|---|---|",
        ]
        for kind in CATALOGUE.values():
            if kind.scope == scope:
                cells = (kind.name, kind.title, kind.template, kind.hint or "(in the message)")
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
