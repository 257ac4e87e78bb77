"""Properties of the figure and period parsers that tests/test_figures.py and
tests/test_periods.py do not state: whatever text a parser accepts prints back to an
equivalent phrase, and whatever it rejects gets a message fit for one finding line.

The round trips there start from generated well-formed phrases; here they start from any
text the parser accepts, including odd spacing, case and spelling.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl.text.figures import Figure, FigureError, format_figure, parse_figure
from etl.text.periods import PeriodError, format_period, parse_period

FIGURE_TOKENS = [
    "0", "1", "5", "12", "100", "1 000", "9,4", ",", ".", " ", "\u00a0", "\u202f", "\n",
    "более", "Более чем", "свыше", "не менее", "не более", "до", "около", "порядка", "ПРИМЕРНО",
    "тыс.", "тысяч", "млн", "млн.", "миллиона", "млрд", "половины", "половина",
    "долларов США", "долл. США", "евро", "рублей", "руб.", "российских рублей",
    "белорусского рубля", "трлн", "-", "x",
]  # fmt: skip
PERIOD_TOKENS = [
    "в", "В", "с", "С", "по", "на", "начало", "конец", "по состоянию на", "г.", "гг.", "году",
    "года", "годы", "годах", "2013", "2020", "2022", "–", "-", "—", "2000-е", "2000-х",
    "сентябре", "сентября", "1", "19", "29", "31", "декабря", "февраля", "января", ".",
]  # fmt: skip
SPACES = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\n", " \n"])
CASES = st.sampled_from([str, str.upper, str.capitalize])


@st.composite
def spelled(draw: st.DrawFn, parts: list[str]) -> str:
    """`parts` joined by any white space, in any letter case."""
    return draw(CASES)(draw(SPACES).join(part for part in parts if part))


@st.composite
def figure_phrases(draw: st.DrawFn) -> str:
    """Figures in every spelling the parser may meet, many of them well formed."""
    digits = str(draw(st.integers(0, 10**9)))
    if draw(st.booleans()):
        groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)][::-1]
        digits = draw(st.sampled_from([" ", "\u00a0", "\u202f"])).join(groups)
    fraction = draw(st.sampled_from(["", ",5", ",25", ",0", ",125"]))
    qualifier = draw(
        st.sampled_from(["", "более", "более чем", "свыше", "не менее", "до", "около"])
    )
    multiplier = draw(
        st.sampled_from(["", "тыс.", "тысяч", "тысячи", "млн", "млн.", "миллиона", "млрд"])
    )
    currency = draw(
        st.sampled_from(["", "долларов США", "долл. США", "евро", "рублей", "руб.", "евро."])
    )
    return draw(spelled([qualifier, digits + fraction, multiplier, currency]))


MONTHS = ["января", "февраля", "марта", "апреля", "мае", "июне", "сентябре", "декабря"]


@st.composite
def period_phrases(draw: st.DrawFn) -> str:
    """Periods in every form the parser reads, some of them impossible (31 февраля)."""
    year, other = draw(st.integers(1990, 2030)), draw(st.integers(1990, 2030))
    day, month = draw(st.integers(1, 31)), draw(st.sampled_from(MONTHS))
    dash = draw(st.sampled_from(["-", "–", "—"]))
    parts = draw(
        st.sampled_from(
            [
                [f"{year}", "г."],
                ["в", f"{year}", "году"],
                [f"{year}{dash}{other}", "гг."],
                ["с", f"{year}", "по", f"{other}", "год"],
                [f"{year // 10 * 10}-е", "гг."],
                ["в", month, f"{year}", "г."],
                [f"{day}", month, f"{year}", "г."],
                ["с", f"{year}", "года"],
                ["с", month, f"{year}", "г."],
                ["на", draw(st.sampled_from(["начало", "конец"])), f"{year}", "года"],
                ["по состоянию на", f"{day}", month, f"{year}", "г."],
            ]
        )
    )
    return draw(spelled(parts))


FIGURE_TEXTS = st.one_of(
    st.text(max_size=30),
    figure_phrases(),
    st.lists(st.sampled_from(FIGURE_TOKENS), max_size=6).map(" ".join),
    st.lists(st.sampled_from(FIGURE_TOKENS), max_size=8).map("".join),
)
PERIOD_TEXTS = st.one_of(
    st.text(max_size=30),
    period_phrases(),
    st.lists(st.sampled_from(PERIOD_TOKENS), max_size=6).map(" ".join),
    st.lists(st.sampled_from(PERIOD_TOKENS), max_size=8).map("".join),
)
ROUBLES = st.sampled_from([None, "RUB", "BYN"])
SAME = ("comparator", "value", "lower", "lower_inclusive", "upper", "upper_inclusive", "currency")


def _same(first: Figure, second: Figure) -> bool:
    return all(getattr(first, key) == getattr(second, key) for key in SAME)


def _one_line(message: str) -> bool:
    """Fit for a finding line: one line, and long enough to say what is wrong."""
    return "\n" not in message and "\r" not in message and len(message) > 20


@settings(max_examples=500)
@given(FIGURE_TEXTS, ROUBLES)
@example("более\u00a0\u00a01\u202f000,50 ТЫС.\nрублей", "RUB")
@example("Свыше половины", None)
@example("до 12 345 678 евро", None)
def test_accepted_figure_prints_back_to_an_equivalent_one(text: str, rouble: str | None) -> None:
    """Any text parse_figure accepts prints (format_figure) to a figure that reads the same."""
    try:
        figure = parse_figure(text, rouble=rouble)
    except FigureError as error:
        assert _one_line(str(error)), str(error)
        return
    printed = format_figure(figure)
    assert _same(parse_figure(printed), figure), printed


@settings(max_examples=500)
@given(PERIOD_TEXTS)
@example("по  состоянию\u00a0на 1 января 2022 г.")
@example("В 2020—2022 ГГ.")
@example("на конец\n2022 года")
def test_accepted_period_prints_back_to_an_equivalent_one(text: str) -> None:
    """Any text parse_period accepts prints (format_period) to a period that reads the same."""
    try:
        period = parse_period(text)
    except PeriodError as error:
        assert _one_line(str(error)), str(error)
        return
    printed = format_period(period)
    again = parse_period(printed)
    assert (again.kind, again.start, again.end) == (period.kind, period.start, period.end), printed
