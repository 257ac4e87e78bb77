"""A parsed figure and how its value and interval are worked out, whatever its language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

import pycountry

from etl.text.errors import ParseError
from etl.text.figure_words import CONTEXT, Comparator


class FigureError(ParseError):
    """A text is not a figure this module reads; the message says why and what is read."""


@dataclass(frozen=True)
class Figure:
    """One printed figure, its exact value and the interval of the quantity it implies."""

    printed: str  # the text as given
    qualifier: str | None  # canonical lower case: "более чем", "порядка", "more than"
    comparator: Comparator
    number: Decimal  # as printed, before the multiplier: 1.1 for "1,1 тыс."
    multiplier_word: str | None  # "тыс.", "млн", "million", "m"
    multiplier: int
    value: Decimal  # number * multiplier, exactly (for a range, its midpoint)
    lower: Decimal | None  # None on an open side
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool
    currency: str | None  # ISO 4217 code
    currency_printed: str | None  # the currency words (or symbol) as printed
    unit: str | None = None  # "percent" when the figure prints "%" or "процента"
    high: Decimal | None = None  # the second number of a range ("0,55 — 0,6"), as printed
    language: str = "ru"


@dataclass(frozen=True)
class Parts:
    """What a language's parser read from a printed figure."""

    qualifier: str | None
    comparator: Comparator
    number: Decimal
    multiplier_word: str | None = None
    multiplier: int = 1
    currency: str | None = None
    currency_printed: str | None = None
    unit: str | None = None
    high: Decimal | None = None
    exact_count: bool = False  # a word number ("seven", "половина") is exact, never rounded


def tidy(value: Decimal) -> Decimal:
    """`value` without trailing fractional zeros and never in exponent form."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _half_unit(number: Decimal, multiplier: int, exact_count: bool) -> Decimal:
    """Half a unit of the last printed digit: how far a rounded number may be off."""
    exponent = int(number.as_tuple().exponent)
    if exact_count or (exponent == 0 and multiplier == 1):
        return Decimal(0)
    return Decimal(5).scaleb(exponent - 1) * multiplier


def build_figure(printed: str, parts: Parts, language: str) -> Figure:
    """Build a Figure, working out its value and bounds in exact decimal arithmetic."""
    comparator = parts.comparator
    multiplier = parts.multiplier
    with localcontext(CONTEXT):
        value = tidy(parts.number * multiplier)
        half_unit = _half_unit(parts.number, multiplier, parts.exact_count)
        lower = upper = None
        lower_inclusive = upper_inclusive = False
        if parts.high is not None:
            high = parts.high * multiplier
            if high <= value:
                raise FigureError(
                    f"the range in {printed!r} does not rise: write the smaller number first"
                )
            high_half = _half_unit(parts.high, multiplier, parts.exact_count)
            lower, upper = tidy(value - half_unit), tidy(high + high_half)
            lower_inclusive = upper_inclusive = True
            value = tidy((value + high) / 2)
        elif comparator is Comparator.EXACT:
            lower, upper = tidy(value - half_unit), tidy(value + half_unit)
            lower_inclusive = upper_inclusive = True
        elif comparator in (Comparator.MORE_THAN, Comparator.AT_LEAST):
            lower, lower_inclusive = value, comparator is Comparator.AT_LEAST
        elif comparator in (Comparator.LESS_THAN, Comparator.AT_MOST):
            upper, upper_inclusive = value, comparator is Comparator.AT_MOST
    return Figure(
        printed=printed,
        qualifier=parts.qualifier,
        comparator=Comparator.BETWEEN if parts.high is not None else comparator,
        number=parts.number,
        multiplier_word=parts.multiplier_word,
        multiplier=multiplier,
        value=value,
        lower=lower,
        lower_inclusive=lower_inclusive,
        upper=upper,
        upper_inclusive=upper_inclusive,
        currency=parts.currency,
        currency_printed=parts.currency_printed,
        unit=parts.unit,
        high=parts.high,
        language=language,
    )


def currency_name(code: str) -> str:
    """The ISO 4217 name of `code` (e.g. "Russian Ruble"); an unknown code is an error."""
    entry = pycountry.currencies.get(alpha_3=code)
    if entry is None or entry.alpha_3 != code:
        raise FigureError(f"{code!r} is not an ISO 4217 currency code: use one such as 'RUB'")
    return str(entry.name)


def check_rouble(rouble: str) -> None:
    """Refuse a source's default for bare roubles that is not a rouble's code."""
    name = currency_name(rouble)
    if "Ruble" not in name:
        raise FigureError(f"rouble={rouble!r} is the {name}, not a rouble: use 'RUB' or 'BYN'")
