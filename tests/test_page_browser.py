"""The committed dataset page, dist/index.html, in a real headless Chromium (tests/browser.py):
offline, complete, every link a file of the package, and readable without JavaScript."""

from __future__ import annotations

import csv
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import OfflinePage, browser, file_of, inside  # noqa: F401 - fixture
from tests.projects import ROOT

DIST = ROOT / "dist"


def _rows(table: str) -> list[dict[str, str]]:
    with (DIST / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FIGURE_IDS = [row["figure_id"] for row in _rows("figures")]
PRINTED = {row["figure_id"]: row["figure_as_printed"] for row in _rows("figures")}


def _charted() -> list[str]:
    """Indicators that observations.csv places at more than one reference date."""
    dates: dict[str, set[str]] = {}
    for row in _rows("observations"):
        if row["reference_date"]:
            dates.setdefault(row["indicator_id"], set()).add(row["reference_date"])
    return sorted(i for i, d in dates.items() if len(d) > 1)


CHARTED = _charted()


@pytest.fixture
def offline(browser: Any) -> Iterator[OfflinePage]:  # noqa: F811
    """A page, with JavaScript, in which only files of dist/ may be requested."""
    page = OfflinePage(browser, DIST, viewport={"width": 1280, "height": 800})
    yield page
    page.close()


def test_page_loads_offline_without_errors(offline: OfflinePage) -> None:
    """The page loads from file:// with no console error and requests only files of dist/."""
    offline.open("index.html")
    assert offline.errors == []
    assert offline.refused == []
    assert offline.requested[0] == (DIST / "index.html").resolve().as_uri()
    assert [url for url in offline.requested if not inside(DIST, url)] == []


def test_routing_refuses_a_request_outside_dist(offline: OfflinePage) -> None:
    """The guard works: a request for a file outside dist/ is refused and recorded."""
    page = offline.open("index.html")
    outside = (ROOT / "pyproject.toml").resolve().as_uri()
    page.evaluate(
        "url => new Promise(done => { const i = new Image(); i.onerror = done; "
        "i.onload = done; i.src = url; })",
        outside,
    )
    assert offline.refused == [outside]


def test_every_figure_has_its_card(offline: OfflinePage) -> None:
    """One card per row of figures.csv, in its order, its mark showing the figure as printed."""
    page = offline.open("index.html")
    cards = page.locator("article.card")
    assert cards.evaluate_all("cards => cards.map(c => c.dataset.figureId)") == FIGURE_IDS
    for figure_id in FIGURE_IDS:
        mark = page.locator(f'article.card[data-figure-id="{figure_id}"] blockquote mark')
        assert " ".join(mark.inner_text().split()) == PRINTED[figure_id]


def test_every_link_resolves_to_a_file_in_dist(offline: OfflinePage) -> None:
    """Every link of the page, resolved by the browser, is a file inside dist/."""
    page = offline.open("index.html")
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    assert hrefs
    outside = [href for href in hrefs if not inside(DIST, href)]
    assert outside == []
    linked = {file_of(href).resolve().relative_to(DIST.resolve()).as_posix() for href in hrefs}  # type: ignore[union-attr]
    shipped = {p.relative_to(DIST).as_posix() for p in DIST.rglob("*") if p.is_file()}
    assert linked == shipped - {"index.html"}


def test_one_chart_per_indicator_with_several_dates(offline: OfflinePage) -> None:
    """An SVG chart for each indicator with more than one reference date in observations."""
    page = offline.open("index.html")
    charts = page.locator("figure.chart")
    assert charts.evaluate_all("fs => fs.map(f => f.dataset.indicatorId)") == CHARTED
    for indicator_id in CHARTED:
        svg = page.locator(f'figure.chart[data-indicator-id="{indicator_id}"] > svg')
        assert svg.count() == 1
        box = svg.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100


def test_page_works_without_javascript(browser: Any) -> None:  # noqa: F811
    """With JavaScript disabled the page shows the same cards and charts, offline."""
    offline = OfflinePage(browser, DIST, java_script_enabled=False)
    try:
        page = offline.open("index.html")
        ids = [
            page.locator("article.card").nth(i).get_attribute("data-figure-id")
            for i in range(page.locator("article.card").count())
        ]
        assert ids == FIGURE_IDS
        assert page.locator("figure.chart > svg").count() == len(CHARTED)
        assert page.locator("article.card").first.is_visible()
        assert offline.refused == []
        assert offline.errors == []
    finally:
        offline.close()


def test_screenshot_at_1280_by_800(offline: OfflinePage, tmp_path: Path) -> None:
    """A 1280×800 screenshot of the page is written to the test's temporary folder."""
    page = offline.open("index.html")
    shot = tmp_path / "index.png"
    page.screenshot(path=str(shot))
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 800)
