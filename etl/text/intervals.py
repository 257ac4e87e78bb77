"""Intervals of the true quantity behind printed figures, and comparisons that name their bound."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """Outcome of comparing two intervals."""

    HOLDS = "holds"
    FAILS = "fails"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Interval:
    """The values a figure allows; None is an open side."""

    lower: float | None
    lower_inclusive: bool
    upper: float | None
    upper_inclusive: bool
    label: str

    @classmethod
    def of_figure(cls, row: dict[str, Any], approximately: float) -> Interval:
        """A published figure's interval: its bounds. An "approximately" figure published
        without bounds gets ± the given share of its value (the build publishes them)."""
        label = f"'{row['figure_as_printed']}' ({row['figure_id']})"
        unbounded = row["lower_bound"] is None and row["upper_bound"] is None
        if row["comparator"] == "approximately" and unbounded:
            spread = abs(row["value"]) * approximately
            return cls(row["value"] - spread, True, row["value"] + spread, True, label)
        return cls(
            row["lower_bound"],
            bool(row["lower_inclusive"]),
            row["upper_bound"],
            bool(row["upper_inclusive"]),
            label,
        )

    @classmethod
    def point(cls, value: float, label: str) -> Interval:
        """An exact value."""
        return cls(value, True, value, True, label)

    def scaled(self, factor: Interval, label: str) -> Interval:
        """self × factor for non-negative intervals (a share of a whole)."""
        lower = None if self.lower is None or factor.lower is None else self.lower * factor.lower
        upper = None if self.upper is None or factor.upper is None else self.upper * factor.upper
        attained_zero = (self.lower == 0 and self.lower_inclusive) or (
            factor.lower == 0 and factor.lower_inclusive
        )
        return Interval(
            lower,
            (self.lower_inclusive and factor.lower_inclusive) or attained_zero,
            upper,
            self.upper_inclusive and factor.upper_inclusive,
            label,
        )

    def describe(self) -> str:
        """The interval in mathematical notation, e.g. (100, ∞)."""
        left = (
            "(-∞" if self.lower is None else ("[" if self.lower_inclusive else "(") + _n(self.lower)
        )
        right = (
            "∞)" if self.upper is None else _n(self.upper) + ("]" if self.upper_inclusive else ")")
        )
        return f"{left}, {right}"


def _n(value: float) -> str:
    return f"{value:,.10g}".replace(",", " ")


@dataclass(frozen=True)
class Comparison:
    """A verdict and the bounds that decided it, in words."""

    verdict: Verdict
    reason: str


def at_most(a: Interval, b: Interval) -> Comparison:
    """Is every value `a` allows at most every value `b` allows (a ≤ b)?"""
    if a.upper is not None and b.lower is not None and a.upper <= b.lower:
        return Comparison(
            Verdict.HOLDS,
            f"the upper bound of {a.label}, {_n(a.upper)}, is not above the lower bound of "
            f"{b.label}, {_n(b.lower)}",
        )
    if a.lower is not None and b.upper is not None:
        strictly = a.lower > b.upper or (
            a.lower == b.upper and not (a.lower_inclusive and b.upper_inclusive)
        )
        if strictly:
            return Comparison(
                Verdict.FAILS,
                f"the lower bound of {a.label}, {_n(a.lower)}, is above the upper bound of "
                f"{b.label}, {_n(b.upper)}",
            )
    return Comparison(
        Verdict.UNDECIDED,
        f"{a.label} allows {a.describe()} and {b.label} allows {b.describe()}: the intervals "
        "overlap, so the printed figures cannot settle it",
    )


def overlaps(a: Interval, b: Interval) -> Comparison:
    """Can `a` and `b` be the same quantity (do their intervals share a value)?"""
    if at_most(a, b).verdict is Verdict.FAILS or at_most(b, a).verdict is Verdict.FAILS:
        return Comparison(
            Verdict.FAILS,
            f"{a.label} allows {a.describe()} and {b.label} allows {b.describe()}: "
            "no value is in both",
        )
    return Comparison(
        Verdict.HOLDS,
        f"{a.label} allows {a.describe()} and {b.label} allows {b.describe()}: they share values",
    )
