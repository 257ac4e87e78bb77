"""Figures printed back in their canonical form: "более 1,1 тыс.", "about 6 million EUR"."""

from __future__ import annotations

from decimal import Decimal

from etl.text.figure_languages import EN_MULTIPLIERS, LANGUAGES
from etl.text.figure_model import Figure, FigureError
from etl.text.figure_words import (
    ABBREVIATIONS,
    CURRENCY_FORMS,
    DEFAULT_QUALIFIER,
    HALF_RE,
    QUALIFIERS,
)


def _format_number(number: Decimal) -> str:
    """Digits with a decimal comma; five or more integer digits grouped by U+00A0."""
    if number < 0 or not number.is_finite():
        raise FigureError(f"cannot print {number}: a figure is a finite number of at least 0")
    whole, _, fraction = format(number, "f").partition(".")
    if len(whole) >= 5:
        head = len(whole) % 3 or 3
        whole = "\u00a0".join(
            [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        )
    return f"{whole},{fraction}" if fraction else whole


def format_figure(figure: Figure) -> str:
    """The canonical printed form, e.g. "более 1,1 тыс." or "9,4 млн долларов США"."""
    qualifier = figure.qualifier
    if qualifier is None or QUALIFIERS.get(qualifier) is not figure.comparator:
        qualifier = DEFAULT_QUALIFIER.get(figure.comparator)
    parts = [qualifier] if qualifier else []
    if HALF_RE.search(figure.printed) and figure.number == Decimal("0.5"):
        return " ".join([*parts, "половины" if qualifier else "половина"])
    if figure.language == "en":
        return _format_english(figure, parts)
    number = _format_number(figure.number)
    parts.append(number if figure.high is None else f"{number}–{_format_number(figure.high)}")
    by_factor = {factor: word for word, factor in ABBREVIATIONS.values()}
    if figure.multiplier != 1:
        if figure.multiplier not in by_factor:
            raise FigureError(f"cannot print multiplier {figure.multiplier}: 10**3, 6 or 9 only")
        parts.append(by_factor[figure.multiplier])
    if figure.currency is not None:
        if figure.currency not in CURRENCY_FORMS:
            raise FigureError(
                f"cannot print currency {figure.currency!r}: {', '.join(CURRENCY_FORMS)}"
            )
        one, few, many, fraction = CURRENCY_FORMS[figure.currency]
        whole = int(figure.number)
        if figure.multiplier != 1 or figure.high is not None:
            parts.append(many)
        elif figure.number != whole:
            parts.append(fraction)
        elif whole % 10 == 1 and whole % 100 != 11:
            parts.append(one)
        elif whole % 10 in (2, 3, 4) and whole % 100 not in (12, 13, 14):
            parts.append(few)
        else:
            parts.append(many)
    if figure.unit == "percent":
        parts.append("%")
    return " ".join(parts)


def _format_english(figure: Figure, parts: list[str]) -> str:
    """An English figure as "[qualifier] number [million] [EUR] [%]", with a decimal point."""
    english = {comparator: word for word, comparator in LANGUAGES["en"].qualifiers.items()}
    parts = [figure.qualifier or english[figure.comparator]] if parts else []
    number = f"{figure.number:,f}"
    parts.append(number if figure.high is None else f"{number}–{figure.high:,f}")
    factors = {factor: word for word, factor in EN_MULTIPLIERS.values() if len(word) > 2}
    if figure.multiplier != 1:
        parts.append(factors[figure.multiplier])
    if figure.currency is not None:
        parts.append(figure.currency)
    if figure.unit == "percent":
        parts.append("%")
    return " ".join(parts)
