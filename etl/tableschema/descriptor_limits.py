"""The limits a descriptor is read within, shared by the JSON and YAML readers
(etl.tableschema.descriptor, etl.tableschema.descriptor_yaml)."""

from __future__ import annotations

#: The deepest nesting of lists and mappings a descriptor may have. A data package needs
#: about eight (package, resources, resource, schema, fields, field, constraints, enum).
MAX_DEPTH = 100
TOO_DEEP = (
    f"nested deeper than {MAX_DEPTH} levels of lists and mappings - no descriptor needs "
    "that many: remove the extra nesting"
)
NO_ALIASES = (
    "anchors and aliases are refused in descriptors, as a few of them can expand into "
    "gigabytes: write the value out in full"
)


class Refused(Exception):
    """A descriptor read no further: the line and the problem."""

    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem
