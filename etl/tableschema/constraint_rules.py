"""A field's value constraints as rules: each one pandera's built-in check of the same name
(etl.tableschema.pandera_schema makes those checks from the rules), and the same test as a
polars expression, which `may_fail` runs without importing pandera.

pandera is only imported where a rule fails on a cell (or cannot be run here): on a valid
table, etl validate checks its constraints without pandera's import time and memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from etl.tableschema.cells import read_expression
from etl.tableschema.model import Field
from etl.tableschema.patterns import pattern_matches


@dataclass(frozen=True)
class Rule:
    """One constraint: the name of pandera's check (`isin`, `ge`, `le`, `gt`, `lt`,
    `str_length`, or `pattern`, a check of etl's own), its arguments, and its error, which
    names the constraint as written ("minimum 5")."""

    check: str
    args: tuple[tuple[str, Any], ...]
    error: str

    def passes(self, cells: pl.Expr) -> pl.Expr | None:
        """True where a cell passes, null where it is null, as pandera's check function
        computes it; None for a pattern, which is run on a column (pattern_matches)."""
        kwargs = dict(self.args)
        if self.check == "isin":
            return cells.is_in(kwargs["allowed_values"])
        if self.check == "str_length":
            length = cells.str.len_chars()
            low, high = kwargs.get("min_value"), kwargs.get("max_value")
            if low is not None and high is not None:
                return length.is_between(low, high)
            return length.ge(low) if low is not None else length.le(high)
        compare = {"ge": pl.Expr.ge, "le": pl.Expr.le, "gt": pl.Expr.gt, "lt": pl.Expr.lt}
        if self.check in compare:
            (value,) = kwargs.values()
            return compare[self.check](cells, value)
        return None

    def key(self) -> tuple[str, str]:
        """What rules of several columns share when they are the same test."""
        return self.check, repr(self.args)


def typed_constraints(field: Field) -> tuple[dict[str, Any], list[str]]:
    """The field's constraints with minimum, maximum and enum read as the field's type.

    A bound of a date field written "2020-01-01" becomes a date, of an integer field "5"
    becomes 5, as frictionless-py reads them. Also gives the constraints whose value cannot
    be read that way (they are left out).
    """
    out = dict(field.constraints)
    unreadable: list[str] = []
    if field.type in ("string", "any"):
        return out, unreadable
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"):
        if key not in out:
            continue
        raw = out[key] if key == "enum" else [out[key]]
        cells = pl.Series("v", [str(v) for v in raw], dtype=pl.String)
        values = pl.select(read_expression(field, pl.lit(cells)).alias("v")).to_series()
        if values.null_count():
            unreadable.append(key)
            del out[key]
            continue
        out[key] = values.to_list() if key == "enum" else values[0]
    return out, unreadable


def constraint_rules(field: Field, constraints: Mapping[str, Any] | None = None) -> list[Rule]:
    """The rules of the field's value constraints, in the order pandera checks them.

    `constraints` overrides the field's own (typed_constraints gives them read as its type);
    the errors show the constraints as written.
    """
    c = field.constraints if constraints is None else constraints
    shown = field.constraints
    rules: list[Rule] = []
    if "enum" in c:
        written = ", ".join(map(str, shown["enum"]))
        rules.append(Rule("isin", (("allowed_values", tuple(c["enum"])),), f"enum {written}"))
    if "pattern" in c:
        rules.append(Rule("pattern", (("pattern", c["pattern"]),), f"pattern {c['pattern']}"))
    bounds = (
        ("minimum", "ge", "min_value"),
        ("maximum", "le", "max_value"),
        ("exclusiveMinimum", "gt", "min_value"),
        ("exclusiveMaximum", "lt", "max_value"),
    )
    for name, check, arg in bounds:
        if name in c:
            rules.append(Rule(check, ((arg, c[name]),), f"{name} {shown[name]}"))
    for name, arg in (("minLength", "min_value"), ("maxLength", "max_value")):
        if name in c:
            rules.append(Rule("str_length", ((arg, c[name]),), f"{name} {c[name]}"))
    return rules


def may_fail(
    cells: pl.DataFrame, rules: Mapping[str, Sequence[Rule]], required: set[str]
) -> set[str]:
    """The columns of `cells` in which pandera would find a failure: a `required` one with
    a null cell, or one where a rule of its fails on a cell (or cannot be run here: a
    test polars refuses on the column's dtype).

    Each rule but a pattern is run once over all the columns that share it (same test,
    arguments and dtype), as one expression: a query costs about a millisecond however few
    its cells. A pattern is run on each of its columns, as its pandera check runs it.
    """
    out = {name for name in required if cells.get_column(name).null_count()}
    shared: dict[tuple[str, str, str], tuple[Rule, list[str]]] = {}
    for name, column_rules in rules.items():
        dtype = str(cells.get_column(name).dtype)
        for rule in column_rules:
            shared.setdefault((*rule.key(), dtype), (rule, []))[1].append(name)
    tests, groups = [], []
    for at, (rule, names) in enumerate(shared.values()):
        passes = rule.passes(pl.col(names))
        if passes is None:
            out.update(name for name in names if _unmatched(cells, name, rule))
            continue
        tests.append((~passes).any().name.suffix(f"#{at}"))
        groups.append(names)
    if not tests:
        return out
    try:
        broken = cells.select(tests).row(0)
    except pl.exceptions.PolarsError:  # pandera then says what is wrong with the cells
        return out | {name for names in groups for name in names}
    at = 0
    for names in groups:
        out.update(name for name, flag in zip(names, broken[at:], strict=False) if flag)
        at += len(names)
    return out


#: The last column a pattern was run on, by pattern and column name, with its answer
#: (see matches_once).
_MATCHED: dict[tuple[str, str], tuple[pl.Series, pl.Series]] = {}


def _unmatched(cells: pl.DataFrame, name: str, rule: Rule) -> bool:
    """Whether a cell of the column fails the rule's pattern (True if it cannot be run)."""
    pattern, column = dict(rule.args)["pattern"], cells.get_column(name)
    try:
        matched = matches_once(column, pattern)
    except pl.exceptions.PolarsError:
        return True
    _MATCHED[pattern, name] = (column, matched)  # for failing_rows and pandera's check
    return bool((~matched).any())


def matches_once(cells: pl.Series, pattern: str) -> pl.Series:
    """pattern_matches(cells, pattern), answered from may_fail's run when it was on the same
    cells: a pattern is run by Python's re where polars cannot run it, at some cost a cell."""
    known = _MATCHED.get((pattern, cells.name))
    if known is not None and known[0].equals(cells, check_names=False):
        return known[1].alias(cells.name)
    return pattern_matches(cells, pattern)


def failing_rows(
    cells: pl.DataFrame, rules: Mapping[str, Sequence[Rule]], required: set[str]
) -> pl.Series:
    """Whether each row of `cells` has a cell pandera would find failing, in the columns of
    `rules` (those may_fail found failing): a null one in a `required` column, or one a rule
    fails on. Every row, where a rule cannot be run here."""
    tests = [pl.col(name).is_null() for name in required if name in rules]
    try:
        for name, column_rules in rules.items():
            for rule in column_rules:
                passes = rule.passes(pl.col(name))
                if passes is None:
                    matched = matches_once(cells.get_column(name), dict(rule.args)["pattern"])
                    passes = pl.lit(matched)
                tests.append(~passes.fill_null(True))
        if tests:
            return cells.select(pl.any_horizontal(tests)).to_series()
    except pl.exceptions.PolarsError:  # pandera then says what is wrong with the cells
        pass
    return pl.repeat(True, cells.height, eager=True)


def kept_matches() -> dict[tuple[str, str], pl.Series]:
    """The patterns' answers kept since forget_matches, by pattern and column name."""
    return {key: matched for key, (_, matched) in _MATCHED.items()}


def keep_matches(known: dict[tuple[str, str], tuple[pl.Series, pl.Series]]) -> None:
    """Take answers of patterns run before (by pattern and column name: the cells and their
    answers), so that matches_once gives them for the same cells rather than run again."""
    _MATCHED.update(known)


def forget_matches() -> None:
    """Drop the columns kept for matches_once."""
    _MATCHED.clear()
