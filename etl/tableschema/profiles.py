"""The Data Package and Table Schema profiles: what each level of a descriptor may hold.

A descriptor is checked against these JSON Schemas (by jsonschema) before anything is read,
and against the rules a JSON Schema cannot say (a property set at the wrong level, names
used twice, a field type nobody knows), as frictionless-py checks it. Each problem is a
finding of the level it is at: `package-error`, `resource-error`, `schema-error` or
`field-error`. The profiles are written here, property by property, from the specs;
tests/test_descriptor_profiles.py holds them to the ones frictionless-py ships.
"""

from __future__ import annotations

from typing import Any

TEXT: dict[str, Any] = {"type": "string"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
WHOLE: dict[str, Any] = {"type": "integer"}
#: A name in Data Package v1 (v2 takes any string).
V1_NAME = "^([-a-z0-9._/])+$"
KIND: dict[str, Any] = {"type": "string", "pattern": "^([-a-z/])+$"}
NAMED: dict[str, Any] = {"type": "string", "pattern": V1_NAME}


def _texts(*names: str) -> dict[str, Any]:
    return {name: TEXT for name in names}


def _list_of(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _mapping(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    found: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        found["required"] = list(required)
    return found


LICENSES = _list_of(_mapping(_texts("name", "path", "title")))
SOURCES = _list_of(_mapping(_texts("title", "path", "email")))
CONTRIBUTORS = _list_of(_mapping(_texts("title", "path", "email", "organisation", "role")))
#: A list of strings, or (Table Schema v2) of {value, label} mappings.
MISSING_VALUES: dict[str, Any] = {
    "anyOf": [
        _list_of(TEXT),
        _list_of(_mapping(_texts("value", "label"), "value")),
    ]
}
_ABOUT = {"type": KIND, **_texts("title", "description")}

PACKAGE = _mapping(
    {
        "name": TEXT,
        **_ABOUT,
        **_texts("homepage", "profile", "image", "version", "created"),
        "licenses": LICENSES,
        "sources": SOURCES,
        "contributors": CONTRIBUTORS,
        "keywords": _list_of(TEXT),
        "resources": _list_of({"type": "object"}),
    },
    "resources",
)
RESOURCE = _mapping(
    {
        "name": TEXT,
        **_ABOUT,
        **_texts("homepage", "profile", "path", "scheme", "format", "mediatype"),
        **_texts("compression", "innerpath", "encoding", "hash"),
        "licenses": LICENSES,
        "sources": SOURCES,
        "data": {"type": ["object", "array"]},
        "extrapaths": _list_of(TEXT),
        "bytes": WHOLE,
        "fields": WHOLE,
        "rows": WHOLE,
        "dialect": {"type": ["object", "string"]},
        "schema": {"type": ["object", "string"]},
    },
    "name",
)
_KEY_FIELDS = _list_of(TEXT)
SCHEMA = _mapping(
    {
        "name": NAMED,
        **_ABOUT,
        "fields": {"type": "array"},
        "fieldsMatch": {
            "type": "string",
            "enum": ["exact", "equal", "subset", "superset", "partial"],
        },
        "missingValues": MISSING_VALUES,
        "primaryKey": _KEY_FIELDS,
        "foreignKeys": _list_of(
            _mapping(
                {
                    "fields": _KEY_FIELDS,
                    "reference": _mapping(
                        {"resource": TEXT, "fields": _KEY_FIELDS}, "resource", "fields"
                    ),
                }
            )
        ),
    },
    "fields",
)
_ANY: dict[str, Any] = {}
CONSTRAINTS = _mapping(
    {
        "required": BOOLEAN,
        "unique": BOOLEAN,
        "pattern": TEXT,
        "enum": {"type": "array"},
        "minLength": WHOLE,
        "maxLength": WHOLE,
        **dict.fromkeys(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), _ANY),
    }
)
FIELD = _mapping(
    {
        "name": TEXT,
        **_ABOUT,
        "format": TEXT,
        "missingValues": MISSING_VALUES,
        "constraints": CONSTRAINTS,
        "rdfType": TEXT,
        "example": _ANY,
    },
    "name",
)
#: The read options of some field types, beside the properties of every field.
TYPE_OPTIONS: dict[str, dict[str, Any]] = {
    "array": {"arrayItem": {"type": "object"}},
    "boolean": {"trueValues": _list_of(TEXT), "falseValues": _list_of(TEXT)},
    "integer": {"bareNumber": BOOLEAN},
    "list": {
        "delimiter": TEXT,
        "itemType": {
            "type": "string",
            "enum": ["boolean", "date", "datetime", "integer", "number", "string", "time"],
        },
    },
    "number": {
        "bareNumber": BOOLEAN,
        "floatNumber": BOOLEAN,
        **_texts("decimalChar", "groupChar"),
    },
}
#: The profile of a field of each type: every field's properties and its type's options.
TYPED_FIELD: dict[str, dict[str, Any]] = {}
#: The constraints each field type takes (`unique` goes with every type).
TYPE_CONSTRAINTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("any", "boolean", "duration", "geojson", "geopoint"), ("required", "enum")),
    **dict.fromkeys(("array", "object"), ("required", "minLength", "maxLength", "enum")),
    "list": ("required", "minLength", "maxLength"),
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    **dict.fromkeys(
        ("date", "datetime", "integer", "number", "time", "year", "yearmonth"),
        ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    ),
}
#: How a table is laid out, whatever its format (Table Dialect), and a CSV's own options.
DIALECT = _mapping(
    {
        "name": NAMED,
        **_ABOUT,
        "header": BOOLEAN,
        "headerRows": {"type": "array"},
        "headerJoin": TEXT,
        "headerCase": BOOLEAN,
        "commentChar": TEXT,
        "commentRows": {"type": "array"},
        "skipBlankRows": BOOLEAN,
    }
)
CSV_DIALECT = _mapping(
    {
        "name": NAMED,
        **_ABOUT,
        **_texts("delimiter", "lineTerminator", "quoteChar", "escapeChar", "nullSequence"),
        "doubleQuote": BOOLEAN,
        "skipInitialSpace": BOOLEAN,
    }
)
TYPED_FIELD.update(
    (ftype, {**FIELD, "properties": {**FIELD["properties"], **TYPE_OPTIONS.get(ftype, {})}})
    for ftype in TYPE_CONSTRAINTS
)
