"""The Table Schema model: fields, keys and schemas as the validator reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    # read as their text: only `required` is checked as frictionless checks it (other
    # constraints compare values read, and are refused: etl.tableschema.descriptor_check)
    **dict.fromkeys(
        ("geopoint", "duration", "array", "object", "geojson"), frozenset({"required"})
    ),
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
    {
        "$schema",
        "description",
        "title",
        "fields",
        "fieldsMatch",
        "primaryKey",
        "foreignKeys",
        "missingValues",
    }
)
#: How header labels pair with fields (Table Schema v2 `fieldsMatch`): by position
#: ("exact") or by name, tolerating extra labels ("subset", "partial") or missing
#: optional fields ("superset", "partial").
FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")


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
    fields_match: str = "exact"

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
        if self.fields_match != "exact":
            out["fieldsMatch"] = self.fields_match
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
