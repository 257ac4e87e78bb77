"""The dataset page without a browser: its cards against figures.csv and the shipped texts,
its quality report and downloads against dist/, HTML escaping, and its bytes."""

from __future__ import annotations

import csv
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from etl.build.package import TABLE_ORDER, downloads
from etl.build.page import PAGE_NAME, write_page
from etl.build.page_figures import figure_card, interval
from tests.projects import ROOT

DIST = ROOT / "dist"


def _rows(table: str) -> list[dict[str, str]]:
    with (DIST / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class PageParts(HTMLParser):
    """What the tests read from the page: per card its mark, quote and links; the rows of
    the checks and downloads tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, dict[str, Any]] = {}
        self.rows: dict[str, list[list[str]]] = {"checks": [], "downloads": []}
        self.card: dict[str, Any] | None = None
        self.section = ""
        self.inside: list[str] = []
        self.cell: list[str] | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section":
            self.section = attributes.get("id") or ""
        if tag == "article":
            self.card = {"mark": "", "quote": "", "links": []}
            self.cards[attributes["data-figure-id"] or ""] = self.card
        if tag in ("mark", "blockquote"):
            self.inside.append(tag)
        if tag == "a" and self.card is not None:
            self.card["links"].append(attributes["href"])
        if tag == "tr" and self.section in self.rows:
            self.row = []
        if tag == "td" and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.card = None
        if tag in ("mark", "blockquote"):
            self.inside.remove(tag)
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell))
            self.cell = None
        if tag == "tr" and self.row is not None:
            if self.row:
                self.rows[self.section].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.card is not None:
            for tag in self.inside:
                self.card["mark" if tag == "mark" else "quote"] += data
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def parts() -> PageParts:
    """The committed dist/index.html, parsed."""
    parser = PageParts()
    parser.feed((DIST / PAGE_NAME).read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_each_card_marks_its_figure_as_printed(parts: PageParts) -> None:
    """Each card's marked text is figure_as_printed (the source's line breaks and no-break
    spaces read as spaces, as the raw tables tidy them)."""
    figures = _rows("figures")
    assert list(parts.cards) == [row["figure_id"] for row in figures]
    for row in figures:
        assert " ".join(parts.cards[row["figure_id"]]["mark"].split()) == row["figure_as_printed"]


def test_each_card_quotes_its_source_text_at_its_offsets(parts: PageParts) -> None:
    """A card's quote is the shipped text at quote_start..quote_end, its mark the text at
    figure_start..figure_end, and it links to that text."""
    paths = {row["source_id"]: row["path"] for row in _rows("sources")}
    for row in _rows("figures"):
        text = (DIST / paths[row["source_id"]]).read_text(encoding="utf-8")
        card = parts.cards[row["figure_id"]]
        assert card["quote"] == text[int(row["quote_start"]) : int(row["quote_end"])]
        assert card["quote"] == row["quote"]
        assert card["mark"] == text[int(row["figure_start"]) : int(row["figure_end"])]
        assert card["links"] == [paths[row["source_id"]]]


def test_quality_report_lists_every_check_with_its_status(parts: PageParts) -> None:
    """Every row of checks.csv, in order, with its kind, severity, status and message."""
    expected = [
        [c["check_id"], c["kind"], c["severity"], c["status"], c["description"], c["message"]]
        for c in _rows("checks")
    ]
    assert parts.rows["checks"] == expected


def test_downloads_give_every_other_file_with_its_size(parts: PageParts) -> None:
    """Every file of dist/ but the page is listed once, with its size in bytes."""
    listed = {row[0]: int(row[2]) for row in parts.rows["downloads"]}
    assert len(listed) == len(parts.rows["downloads"])
    files = {
        p.relative_to(DIST).as_posix(): p.stat().st_size
        for p in DIST.rglob("*")
        if p.is_file() and p.name != PAGE_NAME
    }
    assert listed == files


MARKUP_TEXT = (ROOT / "tests/data/page-quote-with-markup.txt").read_text(encoding="utf-8")
MARKUP_ROW: dict[str, Any] = {
    "figure_id": 'markup-"quoted"',
    "figure_as_printed": "<b>5</b>",
    "comparator": "exact",
    "value": 5.0,
    "lower_bound": 5.0,
    "lower_inclusive": True,
    "upper_bound": 5.0,
    "upper_inclusive": True,
    "unit": "programme & plan",
    "currency": None,
    "period_as_printed": None,
    "period_kind": None,
    "period_start": None,
    "period_end": None,
    "quote_start": 0,
    "quote_end": len(MARKUP_TEXT),
    "figure_start": MARKUP_TEXT.index("<b>5</b>"),
    "figure_end": MARKUP_TEXT.index("<b>5</b>") + len("<b>5</b>"),
    "note": "a <note> & more",
}


def test_markup_in_a_quote_is_escaped() -> None:
    """<, &, " and «» of the data are escaped in text and attributes, and read back intact."""
    card = figure_card(
        MARKUP_ROW, MARKUP_TEXT, "sources/x.txt", {"label_en": "A & B", "label_ru": "«А» <Б>"}
    )
    assert card.splitlines()[0] == (
        '<article class="card" id="figure-markup-&quot;quoted&quot;" '
        'data-figure-id="markup-&quot;quoted&quot;">'
    )
    assert (
        '<blockquote lang="ru">Совет «Наука &amp; техника» утвердил '
        "<mark>&lt;b&gt;5&lt;/b&gt;</mark> &quot;новых&quot; программ &amp; &lt; 7 планов."
        "</blockquote>"
    ) in card.splitlines()
    assert '<h3 lang="ru">&lt;b&gt;5&lt;/b&gt;</h3>' in card.splitlines()
    assert '<p class="note">a &lt;note&gt; &amp; more</p>' in card.splitlines()
    parser = PageParts()
    parser.feed(card)
    assert parser.cards == {
        'markup-"quoted"': {"mark": "<b>5</b>", "quote": MARKUP_TEXT, "links": ["sources/x.txt"]}
    }


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((100.0, False, None, False), "(100, ∞)"),
        ((9350000.0, True, 9450000.0, False), "[9,350,000, 9,450,000)"),
        ((None, False, 0.5, True), "(−∞, 0.5]"),
    ],
)
def test_interval_in_bracket_notation(
    bounds: tuple[float | None, bool, float | None, bool], expected: str
) -> None:
    """Open bounds are infinite, inclusive ones square-bracketed, numbers grouped."""
    lower, lower_inclusive, upper, upper_inclusive = bounds
    row = {
        "lower_bound": lower,
        "lower_inclusive": lower_inclusive,
        "upper_bound": upper,
        "upper_inclusive": upper_inclusive,
    }
    assert interval(row) == expected


def test_page_is_rewritten_byte_for_byte_from_the_published_tables(tmp_path: Path) -> None:
    """Written again in another process from dist/'s own Parquet files and texts, the page
    has the committed bytes (its charts included)."""
    folder = tmp_path / "dist"
    shutil.copytree(DIST, folder)
    (folder / PAGE_NAME).unlink()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    tables = {t: pl.read_parquet(folder / "data" / f"{t}.parquet") for t in TABLE_ORDER}
    sources = tables["sources"].to_dicts()
    texts = {s["source_id"]: (folder / s["path"]).read_text(encoding="utf-8") for s in sources}
    write_page(folder, descriptor, tables, texts, downloads(descriptor["name"], sources))
    assert (folder / PAGE_NAME).read_bytes() == (DIST / PAGE_NAME).read_bytes()
