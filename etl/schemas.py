"""Frictionless Table Schemas in schemas/: loading them and checking they are usable."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from etl.findings import Finding, Severity

#: Field types the project reads, and the constraints each one takes.
COMMON_CONSTRAINTS = frozenset({"required", "unique", "enum"})
ORDERED_CONSTRAINTS = COMMON_CONSTRAINTS | {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
}
TYPE_CONSTRAINTS: dict[str, frozenset[str]] = {
    "string": COMMON_CONSTRAINTS | {"pattern", "minLength", "maxLength"},
    "integer": ORDERED_CONSTRAINTS,
    "number": ORDERED_CONSTRAINTS,
    "boolean": COMMON_CONSTRAINTS,
    "date": ORDERED_CONSTRAINTS,
    "datetime": ORDERED_CONSTRAINTS,
    "year": ORDERED_CONSTRAINTS,
}
#: Every type a package may declare (`etl validate`): the project's and the other common ones.
#: A type outside this set is read as `any`, with a warning.
STANDARD_TYPE_CONSTRAINTS: dict[str, frozenset[str]] = {
    **TYPE_CONSTRAINTS,
    "time": ORDERED_CONSTRAINTS,
    "yearmonth": ORDERED_CONSTRAINTS,
    "any": COMMON_CONSTRAINTS,
}
#: Field properties that change how a cell is read, with their Table Schema defaults.
READ_OPTIONS: dict[str, Any] = {
    "decimalChar": ".",
    "groupChar": "",
    "bareNumber": True,
    "trueValues": ["true", "True", "TRUE", "1"],
    "falseValues": ["false", "False", "FALSE", "0"],
}
#: Constraints whose value has one JSON type whatever the field's type.
CONSTRAINT_VALUE_TYPES: tuple[tuple[str, type, str], ...] = (
    ("required", bool, "true or false"),
    ("unique", bool, "true or false"),
    ("minLength", int, "a whole number"),
    ("maxLength", int, "a whole number"),
    ("pattern", str, "a regular expression in a string"),
)
FIELD_KEYS = frozenset(
    {
        "name",
        "type",
        "title",
        "description",
        "constraints",
        "format",
        "example",
        "missingValues",
        *READ_OPTIONS,
    }
)
SCHEMA_KEYS = frozenset(
    {"$schema", "description", "title", "fields", "primaryKey", "foreignKeys", "missingValues"}
)


@dataclass(frozen=True)
class Field:
    """One column of a table: its name, type and constraints."""

    name: str
    type: str
    description: str = ""
    constraints: dict[str, Any] = field(default_factory=dict)
    format: str = "default"
    #: Read options set on the field (decimalChar, groupChar, bareNumber, trueValues,
    #: falseValues); `option()` gives the default for the others.
    options: dict[str, Any] = field(default_factory=dict)
    #: The field's own missingValues, overriding the schema's; None when it has none.
    missing_values: tuple[str, ...] | None = None

    @property
    def required(self) -> bool:
        """True when the column may not be empty."""
        return bool(self.constraints.get("required", False))

    def option(self, key: str) -> Any:
        """A read option of the field, or its Table Schema default."""
        return self.options.get(key, READ_OPTIONS[key])


@dataclass(frozen=True)
class ForeignKey:
    """Columns of this table that must match columns of another table."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    """A Frictionless Table Schema, read from one file of schemas/."""

    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    missing_values: tuple[str, ...] = ("",)

    @property
    def field_names(self) -> list[str]:
        """Column names in order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """The field called `name`."""
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    def missing_values_of(self, item: Field) -> tuple[str, ...]:
        """The cells that mean "no value" in this field: its own list, else the schema's."""
        return self.missing_values if item.missing_values is None else item.missing_values

    def descriptor(self) -> dict[str, Any]:
        """The schema as a Frictionless Table Schema (v2) descriptor."""
        fields: list[dict[str, Any]] = []
        for item in self.fields:
            entry: dict[str, Any] = {"name": item.name, "type": item.type}
            if item.description:
                entry["description"] = item.description
            if item.format != "default":
                entry["format"] = item.format
            entry.update(item.options)
            if item.missing_values is not None:
                entry["missingValues"] = list(item.missing_values)
            if item.constraints:
                entry["constraints"] = dict(item.constraints)
            fields.append(entry)
        out: dict[str, Any] = {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "fields": fields,
            "missingValues": list(self.missing_values),
        }
        if self.primary_key:
            out["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            out["foreignKeys"] = [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)},
                }
                for fk in self.foreign_keys
            ]
        return out


class _SchemaProblems:
    """Collects findings about one schema file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []

    def add(self, message: str, field_name: str | None = None, value: Any = None) -> None:
        shown = None if value is None else str(value)
        self.findings.append(Finding(self.path, None, field_name, "schema-error", message, shown))

    def warn(self, message: str, field_name: str | None = None, value: Any = None) -> None:
        shown = None if value is None else str(value)
        self.findings.append(
            Finding(self.path, None, field_name, "schema-error", message, shown, Severity.WARNING)
        )

    @property
    def errors(self) -> list[Finding]:
        """The findings that make the schema unusable."""
        return [f for f in self.findings if f.severity is Severity.ERROR]


def read_descriptor(path: Path, shown_path: str) -> tuple[Any, list[Finding]]:
    """Parse a YAML or JSON file safely; a syntax error becomes a finding with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Finding(shown_path, None, None, "schema-error", f"cannot read: {exc}")]
    try:
        if path.suffix == ".json":
            return json.loads(text), []
        return yaml.safe_load(text), []
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} - fix the syntax"
        return None, [Finding(shown_path, exc.lineno, None, "schema-error", msg)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"not valid YAML: {problem} - fix the syntax"
        return None, [Finding(shown_path, line, None, "schema-error", msg)]


def parse_schema(
    name: str, shown_path: str, data: Any, *, strict: bool = True
) -> tuple[TableSchema | None, list[Finding]]:
    """Check a loaded descriptor and turn it into a TableSchema, or say everything wrong.

    `strict` holds the project's own schemas to the project's rules: only the properties and
    types the project uses. Without it (any package given to `etl validate`), unknown
    properties are ignored as Frictionless does, and a type outside the common ones is read
    as `any` with a warning; such warnings come back with the schema.
    """
    problems = _SchemaProblems(shown_path)
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        problems.add("a Table Schema must be a mapping with a list of 'fields'")
        return None, problems.findings
    if strict:
        for key in sorted(set(data) - SCHEMA_KEYS):
            problems.add(f"unknown schema property '{key}'", value=key)
    fields: list[Field] = []
    for index, raw in enumerate(data["fields"], start=1):
        parsed = _parse_field(raw, index, problems, strict=strict)
        if parsed is not None:
            fields.append(parsed)
    names = [f.name for f in fields]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.add("field name used twice", dup, dup)
    primary = tuple(_str_list(data.get("primaryKey", []), "primaryKey", problems))
    for key in primary:
        if key not in names:
            problems.add("primaryKey names a field the schema does not have", key, key)
    foreign = []
    for raw_fk in data.get("foreignKeys", []) or []:
        fk = _parse_foreign_key(raw_fk, names, problems)
        if fk is not None:
            foreign.append(fk)
    missing = _missing_values(data.get("missingValues", [""]), None, problems)
    if problems.errors:
        return None, problems.findings
    description = str(data.get("description", ""))
    schema = TableSchema(
        name,
        shown_path,
        description,
        tuple(fields),
        primary,
        tuple(foreign),
        missing if missing is not None else ("",),
    )
    return schema, problems.findings


def _parse_field(
    raw: Any, index: int, problems: _SchemaProblems, *, strict: bool = True
) -> Field | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        problems.add(f"field {index} must be a mapping with a 'name'")
        return None
    name = raw["name"]
    ftype = raw.get("type", "string")
    known = TYPE_CONSTRAINTS if strict else STANDARD_TYPE_CONSTRAINTS
    if ftype not in known:
        if strict or not isinstance(ftype, str):
            listed = ", ".join(sorted(known))
            problems.add(f"unknown field type '{ftype}' - use one of {listed}", name, ftype)
            return None
        problems.warn(
            f"type '{ftype}' is not checked by etl validate - its cells are read as 'any'",
            name,
            ftype,
        )
        ftype = "any"
    if strict:
        for key in sorted(set(raw) - FIELD_KEYS):
            problems.add(f"unknown field property '{key}'", name, key)
    constraints = raw.get("constraints", {}) or {}
    if not isinstance(constraints, dict):
        problems.add("constraints must be a mapping", name, constraints)
        return None
    allowed = known[ftype]
    for key in sorted(set(constraints) - allowed):
        problems.add(
            f"unknown constraint '{key}' for type {ftype} - use one of "
            + ", ".join(sorted(allowed)),
            name,
            key,
        )
    if "enum" in constraints and not isinstance(constraints["enum"], list):
        problems.add("enum must be a list", name, constraints["enum"])
    for key, wanted, what in CONSTRAINT_VALUE_TYPES:
        value = constraints.get(key)
        if key in constraints and (
            not isinstance(value, wanted) or isinstance(value, bool) != (wanted is bool)
        ):
            problems.add(f"constraint '{key}' must be {what}", name, value)
    fmt = raw.get("format", "default")
    if not isinstance(fmt, str):
        problems.add("format must be a string", name, fmt)
        fmt = "default"
    options = {key: raw[key] for key in READ_OPTIONS if key in raw}
    for key, value in options.items():
        default = READ_OPTIONS[key]
        if isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            ok = isinstance(value, type(default))
        if not ok:
            problems.add(f"{key} must be of the same kind as {default!r}", name, value)
    missing = (
        _missing_values(raw["missingValues"], name, problems) if "missingValues" in raw else None
    )
    return Field(
        name,
        ftype,
        str(raw.get("description", "")),
        dict(constraints),
        fmt,
        options,
        missing,
    )


def _missing_values(
    value: Any, name: str | None, problems: _SchemaProblems
) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.add("missingValues must be a list of strings", name, value)
    return None


def _str_list(value: Any, what: str, problems: _SchemaProblems) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    problems.add(f"{what} must be a field name or a list of them", value=value)
    return []


def _parse_foreign_key(raw: Any, names: list[str], problems: _SchemaProblems) -> ForeignKey | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("reference"), dict):
        problems.add("a foreign key needs 'fields' and a 'reference'", value=raw)
        return None
    local = _str_list(raw.get("fields"), "foreignKeys.fields", problems)
    ref = raw["reference"]
    remote = _str_list(ref.get("fields"), "foreignKeys.reference.fields", problems)
    resource = ref.get("resource")
    for key in local:
        if key not in names:
            problems.add("foreign key names a field the schema does not have", key, key)
    if not isinstance(resource, str) or len(local) != len(remote):
        problems.add("a foreign key needs a resource and as many reference fields as fields")
        return None
    return ForeignKey(tuple(local), resource, tuple(remote))


def load_schemas(folder: Path, shown_folder: str) -> tuple[dict[str, TableSchema], list[Finding]]:
    """Every *.yaml, *.yml and *.json schema in `folder`, by table name, with all problems."""
    schemas: dict[str, TableSchema] = {}
    findings: list[Finding] = []
    paths = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
    names = {p.stem for p in paths}
    for path in paths:
        shown = f"{shown_folder}/{path.name}"
        data, problems = read_descriptor(path, shown)
        findings.extend(problems)
        if problems:
            continue
        schema, problems = parse_schema(path.stem, shown, data)
        findings.extend(problems)
        if schema is not None:
            schemas[schema.name] = schema
    for schema in schemas.values():
        findings.extend(_check_references(schema, schemas, names))
    return schemas, findings


def _check_references(
    schema: TableSchema, schemas: dict[str, TableSchema], names: set[str]
) -> list[Finding]:
    """Foreign keys must point at a table and fields that exist (broken files aside)."""
    out = []
    for fk in schema.foreign_keys:
        target = schemas.get(fk.resource)
        if target is None and fk.resource in names:
            continue  # that schema file has its own findings
        if target is None:
            out.append(
                Finding(
                    schema.path,
                    None,
                    ",".join(fk.fields),
                    "schema-error",
                    f"foreign key points at unknown table '{fk.resource}'",
                    fk.resource,
                )
            )
            continue
        for ref in fk.reference_fields:
            if ref not in target.field_names:
                out.append(
                    Finding(
                        schema.path,
                        None,
                        ",".join(fk.fields),
                        "schema-error",
                        f"foreign key points at field '{ref}' that table "
                        f"'{fk.resource}' does not have",
                        ref,
                    )
                )
    return out
