"""Tests for etl.tableschema.descriptor_check: fields alike but for their names held to
their profile once, and a field that differs in anything else still held to it."""

from __future__ import annotations

from typing import Any

import pytest

from etl.report.catalogue import FIELD_ERROR
from etl.tableschema import descriptor_check
from etl.tableschema.descriptor_check import schema_findings

GOOD = {"name": "a", "type": "integer", "bareNumber": True, "constraints": {"minimum": 1}}


def test_fields_alike_but_for_their_names_are_checked_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a field passes its profile, one alike but for its name is not checked again;
    one that differs by a name that is not text, by 1 for True, or by a constraint is,
    with its own finding."""
    checked: list[Any] = []
    validator = descriptor_check._validator

    def counting(key: int, schema: dict[str, Any]) -> Any:
        if schema.get("required") == ["name"]:  # a field profile
            checked.append(key)
        return validator(key, schema)

    monkeypatch.setattr(descriptor_check, "_validator", counting)
    bad = [
        {**GOOD, "name": 5},
        {**GOOD, "name": "b", "bareNumber": 1},
        {**GOOD, "name": "c", "constraints": {"minimum": 1, "required": 1}},
    ]
    fields = [GOOD, *({**GOOD, "name": f"alike{at}"} for at in range(100)), *bad]
    found = schema_findings({"fields": fields}, "s.json")
    assert found == [
        FIELD_ERROR.at("s.json", None, field, problem=f"the schema, field {problem}")
        for field, problem in [
            (None, "5 at 'name': 5 is not of type 'string' - fix the descriptor"),
            ("b", "'b' at 'bareNumber': 1 is not of type 'boolean' - fix the descriptor"),
            ("c", "'c' at 'constraints/required': 1 is not of type 'boolean' - fix the descriptor"),
        ]
    ]
    assert len(checked) == 1 + len(bad)
