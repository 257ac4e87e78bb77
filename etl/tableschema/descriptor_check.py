"""A descriptor checked as frictionless-py checks it, before anything is read.

`descriptor_findings` holds a package (its schemas and dialects already loaded) to the
profiles of etl.tableschema.profiles and to the rules beside them; each problem is a
finding of its level (package-error, resource-error, schema-error, field-error,
dialect-error, control-error), naming the resource and the property. `refuse_unread` then
refuses, with a UsageError that names the property and the resource, whatever the specs
define that etl validate does not read: no property of a descriptor is silently ignored.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from etl.report.catalogue import (
    CONTROL_ERROR,
    DIALECT_ERROR,
    FIELD_ERROR,
    PACKAGE_ERROR,
    RESOURCE_ERROR,
    SCHEMA_ERROR,
    FindingKind,
)
from etl.report.errors import UsageError
from etl.report.findings import Finding
from etl.tableschema import profiles
from etl.tableschema.dialect import flat_dialect
from etl.tableschema.model import STANDARD_TYPE_CONSTRAINTS
from etl.tableschema.rich_types import RICH_TYPES

V1, V2 = "v1", "v2"
_PROFILE_URLS = {
    "https://datapackage.org/profiles/1.0/": V1,
    "https://datapackage.org/profiles/2.0/": V2,
}
#: Resource properties of the specs that etl validate does not read yet, and what they do.
UNREAD_RESOURCE = {
    "rows": "the number of rows declared",
    "fields": "the number of fields declared",
}
#: Data Package v2 properties that etl validate does not check (frictionless-py 5 ignores
#: them, so a table breaking them would pass both): refused, never ignored.
UNREAD_V2_SCHEMA = {"uniqueKeys": "the unique keys, sets of fields unique together"}
UNREAD_V2_FIELD = {
    "categories": "the categories a value must be among",
    "categoriesOrdered": "whether the categories are ordered",
}
UNREAD_V2_CONSTRAINT = {"jsonSchema": "a JSON Schema each value must match"}
_CSV_KEYS = frozenset(profiles.CSV_DIALECT["properties"]) - {"name", "type", "title", "description"}


def version(descriptor: dict[str, Any], where: str = "") -> str:
    """The Data Package version a descriptor follows: v1 without `$schema`; UsageError
    for a custom profile, which etl validate cannot check (`where` says whose)."""
    url = descriptor.get("$schema")
    if url is None:
        return V1
    for start, found in _PROFILE_URLS.items():
        if isinstance(url, str) and url.startswith(start):
            return found
    raise UsageError(
        f"{where + ': ' if where else ''}$schema {url!r} is a custom profile, which etl "
        "validate does not check - use "
        f"{next(iter(_PROFILE_URLS))}datapackage.json or validate it with frictionless"
    )


def descriptor_findings(package: dict[str, Any], shown: str) -> list[Finding]:
    """Every problem of a package descriptor, in frictionless-py's error types."""
    out = _Problems(shown)
    level = version(package)
    if not out.profile(PACKAGE_ERROR, profiles.PACKAGE, package, "the package"):
        return out.found
    for key in ("missingValues", "fields"):
        if key in package:
            out.add(
                PACKAGE_ERROR,
                f"the package has {key!r}, which belongs in each resource's schema - move it there",
            )
    if "type" in package:
        raise UsageError(
            f"{shown}: the package type {package['type']!r} is not read by etl validate"
        )
    kind = package.get("profile", "data-package")
    if kind not in ("data-package", "tabular-data-package"):
        raise UsageError(
            f"{shown}: profile {kind!r} is a custom profile, which etl validate does not check"
        )
    out.name(PACKAGE_ERROR, package.get("name"), level, "the package")
    resources = package["resources"]
    names = [r.get("name") for r in resources if isinstance(r.get("name"), str)]
    for name in sorted(n for n, times in Counter(names).items() if times > 1):
        out.add(PACKAGE_ERROR, f"resource name {name!r} is used twice - rename one")
    for resource in resources:
        if kind == "tabular-data-package" and resource.get("profile") != "tabular-data-resource":
            out.add(
                PACKAGE_ERROR,
                "a tabular-data-package needs every resource to be a tabular-data-resource",
            )
        _resource(resource, level, out)
    return out.found


def _resource(resource: dict[str, Any], level: str, out: _Problems) -> None:
    where = f"resource {resource.get('name')!r}"
    version(resource, where)  # a custom profile is refused
    if isinstance(resource.get("dialect"), dict):
        version(resource["dialect"], f"{where}, dialect")
    if not out.profile(RESOURCE_ERROR, profiles.RESOURCE, resource, where):
        return
    out.name(RESOURCE_ERROR, resource["name"], level, where)
    if ("path" in resource) == ("data" in resource):
        out.add(
            RESOURCE_ERROR,
            f"{where} needs one of 'path' and 'data', not both or neither - keep one",
        )
    if "missingValues" in resource:
        out.add(
            RESOURCE_ERROR,
            f"{where} has 'missingValues', which belongs in its schema - move it there",
        )
    kind = resource.get("profile", "data-resource")
    if kind not in ("data-resource", "tabular-data-resource"):
        raise UsageError(
            f"{where}: profile {kind!r} is a custom profile, which etl validate does not check"
        )
    if kind == "tabular-data-resource" and not resource.get("schema"):
        out.add(RESOURCE_ERROR, f"{where} is a tabular-data-resource, so it needs a schema")
    dialect = resource.get("dialect")
    if isinstance(dialect, dict):
        top = {k: v for k, v in dialect.items() if k not in _CSV_KEYS and k != "csv"}
        csv = {k: v for k, v in flat_dialect(dialect).items() if k in _CSV_KEYS}
        if out.profile(DIALECT_ERROR, profiles.DIALECT, top, f"{where}, dialect"):
            out.profile(CONTROL_ERROR, profiles.CSV_DIALECT, csv, f"{where}, dialect")
    schema = resource.get("schema")
    if isinstance(schema, dict):
        _schema(schema, level, f"{where}, schema", out)


def schema_findings(schema: Any, shown: str) -> list[Finding]:
    """Every problem of a Table Schema given on its own (`etl validate FILE --schema`)."""
    out = _Problems(shown)
    if not isinstance(schema, dict):
        out.add(SCHEMA_ERROR, f"{shown}: a Table Schema must be a mapping - fix the descriptor")
        return out.found
    _schema(schema, version(schema), "the schema", out)
    return out.found


def _refuse_v2(descriptor: dict[str, Any], unread: dict[str, str], where: str) -> None:
    for key, what in unread.items():
        if key in descriptor:
            raise UsageError(
                f"{where}: {key!r} ({what}, Data Package v2) is not checked by etl validate "
                "(nor by frictionless-py 5, which ignores it) - remove it, or check it another way"
            )


def _schema(schema: dict[str, Any], level: str, where: str, out: _Problems) -> None:
    version(schema, where)  # a custom profile is refused
    _refuse_v2(schema, UNREAD_V2_SCHEMA, where)
    for raw in schema.get("fields", []) if isinstance(schema.get("fields"), list) else []:
        if isinstance(raw, dict):
            field_where = f"{where}, field {raw.get('name')!r}"
            _refuse_v2(raw, UNREAD_V2_FIELD, field_where)
            constraints = raw.get("constraints")
            if isinstance(constraints, dict):
                _refuse_v2(constraints, UNREAD_V2_CONSTRAINT, field_where)
    if not out.profile(SCHEMA_ERROR, profiles.SCHEMA, schema, where):
        return
    if level == V1 and _object_form(schema.get("missingValues")):
        out.add(SCHEMA_ERROR, f"{where}: missingValues as objects need Data Package v2 ($schema)")
    for raw in schema["fields"]:
        if not isinstance(raw, dict):
            out.add(SCHEMA_ERROR, f"{where}: each field must be a mapping", value=raw)
            continue
        _field(raw, level, f"{where}, field {raw.get('name')!r}", out)


def _field(raw: dict[str, Any], level: str, where: str, out: _Problems) -> None:
    ftype = raw.get("type", "string")
    name = raw.get("name") if isinstance(raw.get("name"), str) else None
    if not isinstance(ftype, str) or ftype not in profiles.TYPE_CONSTRAINTS:
        out.add(
            FIELD_ERROR,
            f"{where}: field type {ftype!r} is not a Table Schema type - use one of "
            + ", ".join(sorted(profiles.TYPE_CONSTRAINTS)),
            name,
            ftype,
        )
        return
    if not out.field_profile(ftype, raw, where, name):
        return
    allowed = {*profiles.TYPE_CONSTRAINTS[ftype], "unique"}
    for key in sorted(set(raw.get("constraints", {})) - allowed):
        out.add(
            FIELD_ERROR,
            f"{where}: constraint {key!r} does not go with type {ftype} - remove it",
            name,
            key,
        )
    if "required" in raw:
        out.add(
            FIELD_ERROR,
            f"{where}: 'required' belongs in its constraints - move it there",
            name,
            "required",
        )
    if level == V1 and _object_form(raw.get("missingValues")):
        out.add(FIELD_ERROR, f"{where}: missingValues as objects need Data Package v2", name)
    if "example" in raw and ftype in STANDARD_TYPE_CONSTRAINTS and not _readable(raw, ftype):
        out.add(
            FIELD_ERROR,
            f"{where}: the example is not a {ftype} - fix the example",
            name,
            raw["example"],
        )


def _object_form(values: Any) -> bool:
    return isinstance(values, list) and any(isinstance(v, dict) for v in values)


def _readable(raw: dict[str, Any], ftype: str) -> bool:
    """True when the field's example reads as its type."""
    import polars as pl

    from etl.tableschema.cells import read_expression
    from etl.tableschema.model import READ_OPTIONS, Field

    example = raw["example"]
    text = str(example).lower() if isinstance(example, bool) else str(example)
    options = {k: raw[k] for k in READ_OPTIONS if k in raw}
    field = Field(
        str(raw.get("name")), ftype, format=str(raw.get("format", "default")), options=options
    )
    return pl.select(read_expression(field, pl.lit(text, pl.String))).item() is not None


def refuse_unread(resource: dict[str, Any]) -> None:
    """UsageError for the first property of a resource (checked against the profiles) that
    the specs define and etl validate does not read, naming it and the resource."""
    name = resource["name"]
    if resource.get("type", "table") != "table":
        raise UsageError(
            f"resource {name!r}: type {resource['type']!r} is not read by etl validate - it "
            "reads tables (type 'table')"
        )
    for key, what in UNREAD_RESOURCE.items():
        if key in resource:
            raise UsageError(
                f"resource {name!r}: {key!r} ({what}) is not read by etl validate - remove it "
                "if it is wrong, or validate this package with frictionless"
            )
    refuse_unread_schema(resource.get("schema"), f"resource {name!r}")


def refuse_unread_schema(schema: Any, where: str) -> None:
    """UsageError for the first field of a schema whose type etl validate does not check."""
    for raw in schema.get("fields", []) if isinstance(schema, dict) else []:
        ftype = raw.get("type", "string")
        if ftype not in STANDARD_TYPE_CONSTRAINTS:
            raise UsageError(
                f"{where}, field {raw.get('name')!r}: type {ftype!r} is not checked by "
                "etl validate yet - validate this package with frictionless"
            )
        if "arrayItem" in raw:
            raise UsageError(
                f"{where}, field {raw.get('name')!r}: arrayItem (the type of each item) is "
                "not checked by etl validate yet - validate this package with frictionless"
            )
        unread = sorted(set(raw.get("constraints", {})) - STANDARD_TYPE_CONSTRAINTS[ftype])
        if ftype in RICH_TYPES and unread:
            raise UsageError(
                f"{where}, field {raw.get('name')!r}: constraint {unread[0]!r} of a {ftype} is "
                "not checked by etl validate yet - validate this package with frictionless"
            )


_VALIDATORS: dict[int, Any] = {}


def _validator(key: int, schema: dict[str, Any]) -> Any:
    """The jsonschema validator of one of the profiles (made once: a schema may have
    thousands of fields)."""
    if key not in _VALIDATORS:
        import jsonschema  # imported when a descriptor is read: it takes a tenth of a second

        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS[key]


def _name_is_any_text(profile: dict[str, Any]) -> bool:
    """True when a field profile asks of the name only that it is a string, and holds only
    properties checked one by one: then the name does not change whether a field passes."""
    properties = profile.get("properties", {})
    return set(profile) <= {"type", "properties", "required"} and properties.get("name") == {
        "type": "string"
    }


_NAME_IS_ANY_TEXT = {ftype: _name_is_any_text(p) for ftype, p in profiles.TYPED_FIELD.items()}


def _alike(value: Any, depth: int = 8) -> Any:
    """A hashable copy of a descriptor value that keeps the type of each part (1, 1.0 and
    True differ, as they do to a profile); TypeError for a value that cannot be hashed or
    is nested deeper than `depth`."""
    if depth < 0:
        raise TypeError("nested too deep to compare")
    if isinstance(value, dict):
        items = tuple((_alike(k, depth - 1), _alike(v, depth - 1)) for k, v in value.items())
        return (type(value), items)
    if isinstance(value, list):
        return (type(value), tuple(_alike(item, depth - 1) for item in value))
    hash(value)
    return (type(value), value)


class _Problems:
    """The findings about one descriptor file."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.found: list[Finding] = []
        #: Fields (their type, and each property but the name) known to pass their profile.
        self.passed: set[Any] = set()

    def field_profile(self, ftype: str, raw: dict[str, Any], where: str, name: str | None) -> bool:
        """`profile` for a field of type `ftype` (named `name` when its name is a string):
        a field alike in all but its name to one that passed passes without a second check,
        as a schema may have thousands of fields and each check takes a tenth of a
        millisecond."""
        schema = profiles.TYPED_FIELD[ftype]
        key = None
        if name is not None and _NAME_IS_ANY_TEXT[ftype]:
            try:
                key = (ftype, _alike({k: v for k, v in raw.items() if k != "name"}))
            except TypeError:
                key = None
            if key in self.passed:
                return True
        passed = self.profile(FIELD_ERROR, schema, raw, where, name)
        if passed and key is not None:
            self.passed.add(key)
        return passed

    def add(
        self, kind: FindingKind, problem: str, field: str | None = None, value: Any = None
    ) -> None:
        self.found.append(kind.at(self.shown, None, field, value, problem=problem))

    def profile(
        self,
        kind: FindingKind,
        schema: dict[str, Any],
        data: Any,
        where: str,
        field: str | None = None,
    ) -> bool:
        """Check `data` against a profile; False (with a finding for each problem) if it fails."""
        errors = sorted(
            _validator(id(schema), schema).iter_errors(data), key=lambda e: list(e.path)
        )
        for error in errors:
            at = "/".join(str(p) for p in error.absolute_path)
            spot = f" at {at!r}" if at else ""
            self.add(kind, f"{where}{spot}: {error.message} - fix the descriptor", field)
        return not errors

    def name(self, kind: FindingKind, name: Any, level: str, where: str) -> None:
        """A name that Data Package v1 does not allow (v2 allows any)."""
        import re

        if level == V1 and isinstance(name, str) and not re.search(profiles.V1_NAME, name):
            self.add(
                kind,
                f"{where}: name {name!r} is not lower-case letters, digits and -._/ as Data "
                "Package v1 wants - rename it, or declare v2 with $schema",
                value=name,
            )
