"""The words of printed Russian figures: qualifiers, multipliers, currencies, and the
patterns that find them (etl.text.figures reads and prints figures with them)."""

from __future__ import annotations

import re
from decimal import Context, Inexact, InvalidOperation
from enum import StrEnum


class Comparator(StrEnum):
    """How the true quantity relates to the printed number."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    APPROXIMATELY = "approximately"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    BETWEEN = "between"


QUALIFIERS: dict[str, Comparator] = {
    "более чем": Comparator.MORE_THAN,
    "больше чем": Comparator.MORE_THAN,
    "более": Comparator.MORE_THAN,
    "свыше": Comparator.MORE_THAN,
    "больше": Comparator.MORE_THAN,
    "не менее": Comparator.AT_LEAST,
    "не менее чем": Comparator.AT_LEAST,
    "не меньше": Comparator.AT_LEAST,
    "как минимум": Comparator.AT_LEAST,
    "менее чем": Comparator.LESS_THAN,
    "меньше чем": Comparator.LESS_THAN,
    "менее": Comparator.LESS_THAN,
    "меньше": Comparator.LESS_THAN,
    "не более": Comparator.AT_MOST,
    "не более чем": Comparator.AT_MOST,
    "не больше": Comparator.AT_MOST,
    "до": Comparator.AT_MOST,
    "порядка": Comparator.APPROXIMATELY,
    "около": Comparator.APPROXIMATELY,
    "примерно": Comparator.APPROXIMATELY,
    "приблизительно": Comparator.APPROXIMATELY,
    "почти": Comparator.LESS_THAN,
    "минимум": Comparator.AT_LEAST,
    "максимум": Comparator.AT_MOST,
}
DEFAULT_QUALIFIER = {
    Comparator.MORE_THAN: "более",
    Comparator.AT_LEAST: "не менее",
    Comparator.LESS_THAN: "менее",
    Comparator.AT_MOST: "не более",
    Comparator.APPROXIMATELY: "около",
}
QUALIFIER_ALTERNATIVES = "|".join(
    r"\s+".join(q.split()) for q in sorted(QUALIFIERS, key=len, reverse=True)
)
# A qualifier at the start of a figure; the lookahead keeps "до" out of "дом".
QUALIFIER_RE = re.compile(rf"(?:{QUALIFIER_ALTERNATIVES})(?![^\W\d_])", re.IGNORECASE)
# A qualifier right before a number: the leftmost match is the longest ("не более").
QUALIFIER_BEFORE_RE = re.compile(rf"(?<!\w)(?:{QUALIFIER_ALTERNATIVES})\s+\Z", re.IGNORECASE)

GROUPED = r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3}(?![0-9]))+"
NUMBER_RE = re.compile(rf"(?:{GROUPED}|[0-9]+)(?:,[0-9]+)?")
HALF = r"половин(?:а|ы|е|у|ой|ою|ам|ами|ах)?"
HALF_RE = re.compile(rf"{HALF}(?![^\W\d_])", re.IGNORECASE)
# Where find_figure_spans starts a figure: digits (points allowed, so that "9.4" shows whole).
SPAN_START_RE = re.compile(
    rf"(?<![0-9])(?:{GROUPED}|[0-9]+)(?:[.,][0-9]+)*|(?P<half>(?<!\w){HALF}(?![^\W\d_]))",
    re.IGNORECASE,
)
# Between the numbers of a range: a hyphen, en or em dash, spaced or not ("0,55 — 0,6").
RANGE_DASH_RE = re.compile(r"[ \u00a0\u202f]*[-–—][ \u00a0\u202f]*(?=[0-9\w])")
PERCENT_SIGN_RE = re.compile(r"[ \u00a0\u202f]*%")
WORD_RE = re.compile(r"([^\W\d_]+)(\.*)")
SPACE_RE = re.compile(r"\s+")

ABBREVIATIONS = {"тыс": ("тыс.", 1_000), "млн": ("млн", 10**6), "млрд": ("млрд", 10**9)}
MULTIPLIER_LEMMAS = {"тысяча": "тыс", "миллион": "млн", "миллиард": "млрд"}
UNKNOWN_MULTIPLIERS = frozenset({"трлн", "триллион", "квадрлн", "квадриллион"})
ROUBLE_ADJECTIVES = {"российский": "RUB", "белорусский": "BYN"}
# Canonical printed forms after 1 / 2-4 / 5+ or a multiplier / a decimal fraction.
CURRENCY_FORMS = {
    "USD": ("доллар США", "доллара США", "долларов США", "доллара США"),
    "EUR": ("евро", "евро", "евро", "евро"),
    "RUB": ("российский рубль", "российских рубля", "российских рублей", "российского рубля"),
    "BYN": ("белорусский рубль", "белорусских рубля", "белорусских рублей", "белорусского рубля"),
}
MAX_DIGITS = 40
CONTEXT = Context(prec=100, traps=[Inexact, InvalidOperation])
CURRENCIES = "долларов США, евро and рублей (российских, белорусских)"
GRAMMAR = (
    "a figure is [qualifier] number [тыс.|млн|млрд] [currency] and nothing more "
    f"(currencies read: {CURRENCIES})"
)
