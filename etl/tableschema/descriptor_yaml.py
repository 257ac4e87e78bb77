"""Reading a YAML descriptor: the safe loader, refusing anchors, aliases and deep nesting.
PyYAML is imported only here, so that reading a JSON descriptor does not import it."""

from __future__ import annotations

from typing import Any

import yaml

from etl.tableschema.descriptor_limits import MAX_DEPTH, NO_ALIASES, TOO_DEEP, Refused


class DescriptorLoader(yaml.SafeLoader):
    """The safe YAML loader, refusing anchors, aliases and nesting deeper than MAX_DEPTH.

    The composer builds nodes recursively, one level of Python's stack per level of the
    document: the depth is counted there, before the stack runs out, and an anchor or an
    alias is refused before anything is built from it.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            raise Refused(line, f"uses the YAML alias *{event.anchor} - {NO_ALIASES}")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise Refused(line, f"defines the YAML anchor &{anchor} - {NO_ALIASES}")
        if not isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Refused(line, TOO_DEEP)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """The YAML text's value; Refused (with its line) for an anchor, an alias, nesting
    deeper than MAX_DEPTH or a syntax error. ValueError for a number too long to read."""
    try:
        return yaml.load(text, Loader=DescriptorLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise Refused(line, f"not valid YAML: {problem} - fix the syntax") from exc
