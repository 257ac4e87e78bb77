"""Parsing Frictionless Table Schemas and checking they are usable; loading a folder of them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from etl.report.catalogue import SCHEMA_ERROR
from etl.report.findings import Finding, Severity
from etl.tableschema.descriptor import read_descriptor
from etl.tableschema.model import (
    CONSTRAINT_VALUE_TYPES,
    FIELD_KEYS,
    FIELDS_MATCH,
    READ_OPTIONS,
    SCHEMA_KEYS,
    STANDARD_TYPE_CONSTRAINTS,
    TYPE_CONSTRAINTS,
    Field,
    ForeignKey,
    TableSchema,
)
from etl.tableschema.patterns import pattern_problem


class _SchemaProblems:
    """Collects findings about one schema file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []

    def add(self, message: str, field_name: str | None = None, value: Any = None) -> None:
        self.findings.append(SCHEMA_ERROR.at(self.path, None, field_name, value, problem=message))

    @property
    def errors(self) -> list[Finding]:
        """The findings that make the schema unusable."""
        return [f for f in self.findings if f.severity is Severity.ERROR]


def parse_schema(
    name: str, shown_path: str, data: Any, *, strict: bool = True
) -> tuple[TableSchema | None, list[Finding]]:
    """Check a loaded descriptor and turn it into a TableSchema, or say everything wrong.

    `strict` holds the project's own schemas to the project's rules: only the properties and
    types the project uses. Without it (any package given to `etl validate`, its descriptor
    already held to the profiles by etl.tableschema.descriptor_check), properties the specs
    do not define are ignored as frictionless-py ignores them.
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
    for dup in sorted(n for n, times in Counter(names).items() if times > 1):
        problems.add("field name used twice", dup, dup)
    known = set(names)
    primary = tuple(_str_list(data.get("primaryKey", []), "primaryKey", problems))
    for key in primary:
        if key not in known:
            problems.add("primaryKey names a field the schema does not have", key, key)
    foreign = []
    for raw_fk in data.get("foreignKeys", []) or []:
        fk = _parse_foreign_key(raw_fk, known, problems)
        if fk is not None:
            foreign.append(fk)
    missing = _missing_values(data.get("missingValues", [""]), None, problems)
    fields_match = data.get("fieldsMatch", "exact")
    if fields_match not in FIELDS_MATCH:
        problems.add(
            f"fieldsMatch must be one of {', '.join(FIELDS_MATCH)}",
            value=fields_match,
        )
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
        str(fields_match),
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
    if ftype not in known:  # etl validate refuses such a type before (descriptor_check)
        listed = ", ".join(sorted(known))
        problems.add(f"unknown field type '{ftype}' - use one of {listed}", name, ftype)
        return None
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
    pattern = constraints.get("pattern")
    why = pattern_problem(pattern) if isinstance(pattern, str) else None
    if why is not None:
        problems.add(f"the pattern {pattern!r} {why} - fix the pattern", name, pattern)
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
    if isinstance(value, list) and all(isinstance(v, dict) and "value" in v for v in value):
        return tuple(str(v["value"]) for v in value)  # Table Schema v2: {value, label}
    problems.add("missingValues must be a list of strings", name, value)
    return None


def _str_list(value: Any, what: str, problems: _SchemaProblems) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    problems.add(f"{what} must be a field name or a list of them", value=value)
    return []


def _parse_foreign_key(raw: Any, names: set[str], problems: _SchemaProblems) -> ForeignKey | None:
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
                SCHEMA_ERROR.at(
                    schema.path,
                    None,
                    ",".join(fk.fields),
                    fk.resource,
                    problem=f"foreign key points at unknown table '{fk.resource}'",
                )
            )
            continue
        for ref in fk.reference_fields:
            if ref not in target.field_names:
                out.append(
                    SCHEMA_ERROR.at(
                        schema.path,
                        None,
                        ",".join(fk.fields),
                        ref,
                        problem=f"foreign key points at field '{ref}' that table "
                        f"'{fk.resource}' does not have",
                    )
                )
    return out
