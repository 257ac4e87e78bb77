"""Stage 5, package (the page's figure cards): each row of the `figures` table as an HTML
card with its printed form, its interval, its period and its quote with the figure
marked, linked to the shipped source text.

The quote is cut from the shipped text itself, at the row's offsets: quote_start,
quote_end, figure_start and figure_end all count code points from the start of the source
text, so the figure is text[figure_start:figure_end], inside text[quote_start:quote_end].
Everything taken from the data is HTML-escaped."""

from __future__ import annotations

from html import escape
from typing import Any

#: How each comparator reads in words.
COMPARATOR_WORDS = {
    "exact": "exactly",
    "more_than": "more than",
    "at_least": "at least",
    "approximately": "approximately",
    "less_than": "less than",
    "at_most": "at most",
}


def number(value: Any) -> str:
    """A number as the page prints it: whole numbers without a fraction, digits grouped."""
    if value is None:
        return ""
    as_float = float(value)
    if as_float.is_integer():
        return f"{int(as_float):,}"
    return f"{as_float:,}"


def interval(row: dict[str, Any]) -> str:
    """The interval a figure allows, in bracket notation: "(100, ∞)", "[9,350,000, 9,450,000)"."""
    lower = row["lower_bound"]
    upper = row["upper_bound"]
    left = ("[" if row["lower_inclusive"] else "(") + number(lower) if lower is not None else "(−∞"
    right = number(upper) + ("]" if row["upper_inclusive"] else ")") if upper is not None else "∞)"
    return f"{left}, {right}"


def unit_text(row: dict[str, Any]) -> str:
    """The unit, and the currency when the figure is money and the unit is not already it."""
    unit = str(row["unit"])
    currency = row.get("currency")
    return f"{unit} ({currency})" if currency and currency != unit else unit


def period_text(row: dict[str, Any]) -> str:
    """The period as printed, its kind and its dates; "none stated" when the text gives none."""
    printed = row["period_as_printed"]
    start, end = row["period_start"], row["period_end"]
    if not printed and start is None:
        return "none stated"
    dates = f"{start.isoformat() if start else '…'} – {end.isoformat() if end else 'open'}"
    kind = row["period_kind"] or ""
    return f"«{printed}» ({kind}: {dates})" if printed else f"{kind}: {dates}"


def quote_parts(row: dict[str, Any], text: str) -> tuple[str, str, str]:
    """The quote cut from its source text: before the figure, the figure, after it (the cite
    stage has checked that the figure lies inside the quote, inside the text)."""
    qs, qe = row["quote_start"], row["quote_end"]
    fs, fe = row["figure_start"], row["figure_end"]
    return text[qs:fs], text[fs:fe], text[fe:qe]


def figure_card(row: dict[str, Any], text: str, source_path: str, indicator: dict[str, Any]) -> str:
    """One figure's card, `text` being its source's text and `source_path` where the text
    is shipped (relative to the page)."""
    before, figure, after = quote_parts(row, text)
    e = escape
    comparator = COMPARATOR_WORDS.get(row["comparator"], row["comparator"])
    lines = [
        f'<article class="card" id="figure-{e(row["figure_id"])}" '
        f'data-figure-id="{e(row["figure_id"])}">',
        f'<h3 lang="ru">{e(row["figure_as_printed"])}</h3>',
        f'<p class="indicator">{e(indicator["label_en"])}<br>'
        f'<span lang="ru">{e(indicator["label_ru"])}</span></p>',
        "<dl>",
        f"<dt>Value</dt><dd>{e(comparator)} {e(number(row['value']))} {e(unit_text(row))}</dd>",
        f"<dt>Interval</dt><dd><code>{e(interval(row))}</code> ({e(row['comparator'])})</dd>",
        f"<dt>Period</dt><dd>{e(period_text(row))}</dd>",
        "</dl>",
        f'<blockquote lang="ru">{e(before)}<mark>{e(figure)}</mark>{e(after)}</blockquote>',
        f'<p class="where">Source: <a href="{e(source_path)}">{e(source_path)}</a>, '
        f"characters {row['quote_start']}–{row['quote_end']} (the figure: "
        f"{row['figure_start']}–{row['figure_end']}; code points from 0, end excluded).</p>",
    ]
    if row.get("note"):
        lines.append(f'<p class="note">{e(row["note"])}</p>')
    lines.append("</article>")
    return "\n".join(lines)


def figure_cards(
    figures: list[dict[str, Any]],
    texts: dict[str, str],
    source_paths: dict[str, str],
    indicators: dict[str, dict[str, Any]],
) -> str:
    """Every figure's card, in the table's order."""
    return "\n".join(
        figure_card(
            row,
            texts[row["source_id"]],
            source_paths[row["source_id"]],
            indicators[row["indicator_id"]],
        )
        for row in figures
    )
