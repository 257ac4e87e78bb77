"""Tests for etl.text.intervals: figure intervals, and comparisons naming the deciding bound."""

from __future__ import annotations

from typing import Any

import pytest

from etl.text.intervals import Comparison, Interval, Verdict, at_most, overlaps

MORE_THAN_100 = Interval(100.0, False, None, False, "'более 100' (agreements)")
LESS_THAN_80 = Interval(None, False, 80.0, False, "'менее 80' (agreements)")
EXACT_87 = Interval.point(87.0, "'87' (states)")
EXACT_187 = Interval.point(187.0, "'187' (states)")


def interval(notation: str) -> Interval:
    """An interval written like "(5, ∞)" or "[5, 5]", labelled with its own notation."""
    left, right = (side.strip() for side in notation.split(","))
    lower = None if left == "(-∞" else float(left[1:])
    upper = None if right == "∞)" else float(right[:-1])
    return Interval(
        lower,
        lower is not None and left[0] == "[",
        upper,
        upper is not None and right[-1] == "]",
        notation,
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(
            EXACT_87,
            MORE_THAN_100,
            Comparison(
                Verdict.HOLDS,
                "the upper bound of '87' (states), 87, is not above the lower bound of "
                "'более 100' (agreements), 100",
            ),
            id="holds-by-upper-below-lower",
        ),
        pytest.param(
            EXACT_87,
            LESS_THAN_80,
            Comparison(
                Verdict.FAILS,
                "the lower bound of '87' (states), 87, is above the upper bound of "
                "'менее 80' (agreements), 80",
            ),
            id="fails-by-lower-above-upper",
        ),
        pytest.param(
            EXACT_187,
            MORE_THAN_100,
            Comparison(
                Verdict.UNDECIDED,
                "'187' (states) allows [187, 187] and 'более 100' (agreements) allows (100, ∞): "
                "the intervals overlap, so the printed figures cannot settle it",
            ),
            id="undecided-when-overlapping",
        ),
    ],
)
def test_at_most_names_the_deciding_bounds(a: Interval, b: Interval, expected: Comparison) -> None:
    """at_most gives the verdict and a reason naming the bounds (or intervals) that decided it."""
    assert at_most(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("(5, ∞)", "(-∞, 5]", Verdict.FAILS),
        ("[5, ∞)", "(-∞, 5)", Verdict.FAILS),
        ("[5, ∞)", "(-∞, 5]", Verdict.UNDECIDED),
        ("[5, 5]", "[5, 5]", Verdict.HOLDS),
        ("(-∞, 5)", "(5, ∞)", Verdict.HOLDS),
        ("(-∞, 5]", "[5, ∞)", Verdict.HOLDS),
        ("[4, 6]", "[5, 7]", Verdict.UNDECIDED),
        ("(-∞, ∞)", "[5, 5]", Verdict.UNDECIDED),
        ("[5, 5]", "(-∞, ∞)", Verdict.UNDECIDED),
        ("[6, 6]", "[5, 5]", Verdict.FAILS),
    ],
)
def test_at_most_edges(a: str, b: str, verdict: Verdict) -> None:
    """Equal bounds decide by inclusiveness: a ≤ b fails only when no pair of values allows it."""
    assert at_most(interval(a), interval(b)).verdict is verdict


def test_at_most_fails_at_an_exclusive_equal_bound_and_says_so() -> None:
    """(5, ∞) against (-∞, 5]: the reason names both bounds, 5 and 5."""
    assert at_most(interval("(5, ∞)"), interval("(-∞, 5]")).reason == (
        "the lower bound of (5, ∞), 5, is above the upper bound of (-∞, 5], 5"
    )


@pytest.mark.parametrize(
    ("a", "b", "verdict", "shared"),
    [
        ("[54, 66]", "[59, 59]", Verdict.HOLDS, "they share values"),
        ("[54, 66]", "[87, 87]", Verdict.FAILS, "no value is in both"),
        ("[87, 87]", "[54, 66]", Verdict.FAILS, "no value is in both"),
        ("[5, 5]", "(5, ∞)", Verdict.FAILS, "no value is in both"),
        ("[5, 5]", "[5, ∞)", Verdict.HOLDS, "they share values"),
        ("(-∞, 5)", "(5, ∞)", Verdict.FAILS, "no value is in both"),
        ("(-∞, ∞)", "(100, ∞)", Verdict.HOLDS, "they share values"),
    ],
)
def test_overlaps(a: str, b: str, verdict: Verdict, shared: str) -> None:
    """overlaps holds when the intervals share a value, and says which intervals were compared."""
    assert overlaps(interval(a), interval(b)) == Comparison(
        verdict, f"{a} allows {a} and {b} allows {b}: {shared}"
    )


@pytest.mark.parametrize(
    ("share", "whole", "expected"),
    [
        ("(0.5, 1]", "[54, 66]", Interval(27.0, False, 66.0, True, "product")),
        ("[0.5, 1]", "[54, 66]", Interval(27.0, True, 66.0, True, "product")),
        ("(0.5, 1]", "[60, 60]", Interval(30.0, False, 60.0, True, "product")),
        ("(0.5, 1]", "(100, ∞)", Interval(50.0, False, None, False, "product")),
        ("(-∞, 1]", "[54, 66]", Interval(None, False, 66.0, True, "product")),
    ],
)
def test_scaled(share: str, whole: str, expected: Interval) -> None:
    """A share times a whole multiplies the bounds; an open side stays open."""
    assert interval(share).scaled(interval(whole), "product") == expected


def test_scaled_keeps_an_attained_zero_lower_bound() -> None:
    """[0, 1] of (5, 6] is [0, 6]: 0 × anything is 0, so 0 is allowed."""
    product = interval("[0, 1]").scaled(interval("(5, 6]"), "product")
    assert product == Interval(0.0, True, 6.0, True, "product")


@pytest.mark.parametrize(
    ("given", "notation"),
    [
        (MORE_THAN_100, "(100, ∞)"),
        (LESS_THAN_80, "(-∞, 80)"),
        (Interval(None, False, None, False, "anything"), "(-∞, ∞)"),
        (Interval(9_350_000.0, True, 9_450_000.0, True, "'9,4 млн'"), "[9 350 000, 9 450 000]"),
        (Interval(0.5, False, 1.0, True, "share"), "(0.5, 1]"),
        (Interval(1050.0, True, 1150.0, False, "'1,1 тыс.'"), "[1 050, 1 150)"),
        (Interval.point(20614.035087719298, "ratio"), "[20 614.03509, 20 614.03509]"),
    ],
)
def test_describe(given: Interval, notation: str) -> None:
    """describe() writes ( ) for exclusive, [ ] for inclusive, ∞ for open, groups spaced."""
    assert given.describe() == notation


def figure_row(**overrides: Any) -> dict[str, Any]:
    """A published figures row with only the columns Interval.of_figure reads."""
    row: dict[str, Any] = {
        "figure_id": "union-state-programmes-2000s",
        "figure_as_printed": "порядка 60",
        "comparator": "approximately",
        "value": 60.0,
        "lower_bound": None,
        "lower_inclusive": False,
        "upper_bound": None,
        "upper_inclusive": False,
    }
    return row | overrides


@pytest.mark.parametrize(
    ("row", "share", "expected"),
    [
        pytest.param(
            figure_row(),
            0.1,
            Interval(54.0, True, 66.0, True, "'порядка 60' (union-state-programmes-2000s)"),
            id="approximately-10-percent",
        ),
        pytest.param(
            figure_row(),
            0.2,
            Interval(48.0, True, 72.0, True, "'порядка 60' (union-state-programmes-2000s)"),
            id="approximately-20-percent",
        ),
        pytest.param(
            figure_row(
                figure_id="conference-contracts-value-2020-2022",
                figure_as_printed="9,4 млн долларов США",
                comparator="exact",
                value=9_400_000.0,
                lower_bound=9_350_000.0,
                lower_inclusive=True,
                upper_bound=9_450_000.0,
                upper_inclusive=True,
            ),
            0.1,
            Interval(
                9_350_000.0,
                True,
                9_450_000.0,
                True,
                "'9,4 млн долларов США' (conference-contracts-value-2020-2022)",
            ),
            id="exact-rounded-keeps-its-half-unit-bounds",
        ),
        pytest.param(
            figure_row(
                figure_id="nasb-cooperation-agreements",
                figure_as_printed="более 100",
                comparator="more_than",
                value=100.0,
                lower_bound=100.0,
            ),
            0.1,
            Interval(100.0, False, None, False, "'более 100' (nasb-cooperation-agreements)"),
            id="more-than-is-open-above",
        ),
        pytest.param(
            figure_row(
                figure_id="nasb-agreement-partner-states",
                figure_as_printed="87",
                comparator="exact",
                value=87.0,
                lower_bound=87.0,
                lower_inclusive=True,
                upper_bound=87.0,
                upper_inclusive=True,
            ),
            0.1,
            Interval.point(87.0, "'87' (nasb-agreement-partner-states)"),
            id="exact-count-is-a-point",
        ),
    ],
)
def test_of_figure(row: dict[str, Any], share: float, expected: Interval) -> None:
    """A figure's interval: ± the share for "approximately", the published bounds otherwise."""
    assert Interval.of_figure(row, share) == expected


def test_of_figure_approximately_uses_published_bounds() -> None:
    """An "approximately" figure published with bounds is read by its bounds, as published."""
    row = figure_row(lower_bound=1.0, lower_inclusive=True, upper_bound=2.0, upper_inclusive=True)
    assert Interval.of_figure(row, 0.1).describe() == "[1, 2]"


def test_verdict_values() -> None:
    """Verdicts are the plain words holds, fails and undecided."""
    assert [str(v) for v in Verdict] == ["holds", "fails", "undecided"]
